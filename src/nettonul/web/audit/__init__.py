"""The change history: who changed what, when, field by field (``ChangeRecord``, written by
:func:`services.record` in every service's transaction), the data generation every write
renews (``generation``, read by the response cache), and the registry of the kinds of object
whose history has a page (``registry``; each app registers its models from its
``AppConfig.ready()``).

May import: Django and the web package's shared modules only. It is the bottom of the apps:
every app imports it, it imports no app (an import-linter contract keeps the web's apps
acyclic). Its template ``audit/history.html`` is rendered by the site app's history page.
"""
