"""Plans (climate action plans and strategies) with their versions, targets and actions,
the action library search, the plan pages and forms, and the plan editor (``editor``,
``effect_forms``: typed effect forms with the live scenario chart, under ``/ui/``).

May import: ``organisations``, ``audit``, the web package's shared modules (``errors``,
``versioning``, ``pages``, ``charts``) and the engine through the seam
(``nettonul.web.engine``). Imported by the apps built on plans (``monitoring``, ``strategy``,
``orgunits``, ``imports``) and by ``api``, ``site``, the demo and the URL map.
"""
