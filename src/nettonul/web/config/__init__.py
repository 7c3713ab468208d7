"""The Django project: settings, URL map, WSGI entry point and site-wide middleware."""
