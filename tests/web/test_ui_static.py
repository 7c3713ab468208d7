"""The browser scripts come from installed Python packages through Django's static files,
never from a CDN; the empty view the web benchmark measures as its floor is empty."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template import Context, Template
from django.urls import reverse

from nettonul.web.site.finders import PackageFinder


def test_plotly_is_found_in_the_installed_wheel() -> None:
    path = Path(finders.find("ui/vendor/plotly.min.js"))
    assert path.parts[-3:] == ("plotly", "package_data", "plotly.min.js")
    assert path.stat().st_size > 1_000_000
    assert PackageFinder().check() == []
    listed = {(name, storage.prefix) for name, storage in PackageFinder().list([])}
    assert listed == {("plotly.min.js", "ui/vendor")}
    assert finders.find("ui/vendor/nothing.js") is None


def test_scripts_are_local() -> None:
    html = Template("{% load ui_charts %}{% ui_scripts %}").render(Context())
    sources = [part.split('"')[1] for part in html.split("src=")[1:]]
    names = ["ui/vendor/plotly.min.js", "django_htmx/htmx-2.min.js", "ui/charts.js", "ui/editor.js"]
    # Each under its collected, hashed name (a new name whenever the file changes).
    assert sources == [staticfiles_storage.url(name) for name in names]
    for src, name in zip(sources, names, strict=True):
        stem, ext = name.rsplit(".", 1)
        assert re.fullmatch(re.escape(f"/static/{stem}.") + "[0-9a-f]{12}" + re.escape(f".{ext}"), src), src
        assert finders.find(name), name


def test_empty_view(client: Any) -> None:
    response = client.get(reverse("ui:ping"))
    assert response.status_code == 200
    assert response.content == b""
