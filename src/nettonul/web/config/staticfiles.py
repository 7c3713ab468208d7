"""Static files: collected once, compressed, and served with long-lived cache headers.

WhiteNoise serves ``/static/`` from ``STATIC_ROOT`` (its middleware, in
:data:`~nettonul.web.config.settings.MIDDLEWARE`). The storage,
``CompressedManifestStaticFilesStorage``, gives every file a name with a hash of its content
(``base.3f2a….css``) and writes a gzip copy beside it, so a browser receives
``plotly.min.js`` compressed and keeps every file for a year without asking again: a changed
file has a new name. :func:`collect` prepares ``STATIC_ROOT``; ``nettonul serve`` runs it
before it serves, and the web tests once per run.

Static files pass through :class:`~nettonul.web.config.middleware.SecurityHeadersMiddleware`
(``nosniff``, the CSP) like every page; :func:`add_headers` adds what only they need.
"""

from __future__ import annotations

from typing import Any


def add_headers(headers: Any, path: str, url: str) -> None:
    """WhiteNoise's hook for extra headers (``WHITENOISE_ADD_HEADERS_FUNCTION``): static files
    are for this site's own pages only, and never sniffed into another type."""
    headers["Cross-Origin-Resource-Policy"] = "same-origin"
    headers["X-Content-Type-Options"] = "nosniff"


def collect(verbosity: int = 0) -> dict[str, Any]:
    """Copy, hash and compress the static files into ``STATIC_ROOT`` (idempotent; unchanged
    files are not copied again). Returns where they are and how many there are."""
    from django.conf import settings
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=verbosity)
    root = settings.STATIC_ROOT
    return {"static_root": str(root), "files": sum(1 for p in root.rglob("*") if p.is_file())}
