"""The Django project: settings, URL map (which also puts together the ``public`` and ``ui``
URL namespaces that several apps serve), WSGI entry point and site-wide middleware.

May import: every app. Nothing imports it.
"""
