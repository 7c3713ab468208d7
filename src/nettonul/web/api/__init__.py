"""The REST API (django-ninja): token auth, JSON errors with field paths, OpenAPI at /api/docs."""
