"""The nettonul web application (Django) and its REST API.

``nettonul.web.setup()`` configures Django for code outside a Django process (the CLI).
"""

from __future__ import annotations

import os


def setup() -> None:
    """Point Django at nettonul's settings and load the apps (idempotent)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nettonul.web.config.settings")
    import django

    django.setup()
