"""The REST API (django-ninja): token auth, JSON errors with field paths (the site's one error
mapping, :mod:`nettonul.web.errors`), OpenAPI at /api/docs; the API token model.

May import: every domain app (``organisations``, ``plans``, ``inventory``, ``monitoring``,
``imports``, ``audit``) and the web package's shared modules. Imported by ``accounts`` (the
token pages) and the URL map.
"""
