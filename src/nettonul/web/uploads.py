"""Uploaded files on disk, for the engine's and the document importer's readers, which take a path."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.files.uploadedfile import UploadedFile


@contextmanager
def saved_upload(upload: UploadedFile, default_name: str) -> Iterator[tuple[Path, str]]:
    """The upload written to a private temporary folder under its own base name (readers
    report problems by that name), removed again when the block ends. Yields (path, name)."""
    name = Path(upload.name or default_name).name
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        with path.open("wb") as fh:
            for chunk in upload.chunks():
                fh.write(chunk)
        yield path, name
