"""The nettonul web application (Django) and its REST API.

``nettonul.web.setup()`` configures Django for code outside a Django process (the CLI).

The apps (``audit`` at the bottom, ``organisations``, the domain apps ``plans``,
``inventory``, ``monitoring``, ``strategy``, ``orgunits``, ``imports``, then ``api``,
``accounts`` and ``site`` on top, ``config`` wiring them) import each other without a cycle
(an import-linter ``acyclic_siblings`` contract), beside the package's shared modules:
``errors`` (the web's errors and the one mapping to responses), ``versioning`` (create,
update and delete with their audit records), ``pages`` (view helpers), ``charts``,
``uploads`` and ``responsecache``. ``engine`` is the one seam that hands work to the
engine (the only web code that imports engine internals; its reads of the apps' models are
the one exception to the acyclic contract). The web may import ``nettonul.reports``,
``nettonul.documents`` and ``nettonul.engine``'s public names; none of them imports the web.
"""

from __future__ import annotations

import os


def setup() -> None:
    """Point Django at nettonul's settings and load the apps (idempotent)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nettonul.web.config.settings")
    import django

    django.setup()
