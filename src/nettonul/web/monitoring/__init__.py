"""Plan check, monitoring, yearly reports and the public dashboard of an organisation:
CAPF sections, checklist, indicators, observations, progress updates and issued reports.

May import: ``plans``, ``organisations``, ``audit``, the web package's shared modules
(``errors``, ``versioning``, ``pages``, ``charts``), the engine through the seam
(``nettonul.web.engine``), and ``nettonul.reports``. Imported by ``strategy``, ``api`` and the demo.
"""
