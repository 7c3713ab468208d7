"""A static-files finder for browser scripts shipped inside installed Python packages.

The chart library is ``plotly.min.js`` from the ``plotly`` wheel: served by Django's static
files from the installed package (``collectstatic`` copies it like any other static file), so
no page ever loads a script from a CDN.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.contrib.staticfiles.finders import BaseFinder
from django.core.checks import Error
from django.core.files.storage import FileSystemStorage

#: static path -> (package, file inside the package)
VENDORED = {
    "ui/vendor/plotly.min.js": ("plotly", "package_data/plotly.min.js"),
}


def package_file(package: str, relative: str) -> Path | None:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / relative
    return path if path.is_file() else None


class PackageFinder(BaseFinder):
    def check(self, **kwargs: Any) -> list[Error]:
        return [Error(f"{package} is not installed (or lacks {relative}); it provides {static}",
                      id="nettonul.ui.E001")
                for static, (package, relative) in VENDORED.items() if package_file(package, relative) is None]

    def find(self, path: str, find_all: bool = False, **kwargs: Any) -> Any:
        # As Django's own finders: the path when found (a list of it with find_all), else an
        # empty list (django.contrib.staticfiles.finders.find collects the misses as lists).
        file = package_file(*VENDORED[path]) if path in VENDORED else None
        if file is None:
            return []
        return [str(file)] if find_all else str(file)

    def list(self, ignore_patterns: Any) -> Iterator[tuple[str, FileSystemStorage]]:
        for static, (package, relative) in VENDORED.items():
            file = package_file(package, relative)
            if file is None:
                continue
            storage = FileSystemStorage(location=str(file.parent))
            storage.prefix = str(Path(static).parent)
            yield file.name, storage
