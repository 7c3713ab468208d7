"""Uploaded files for the readers: in memory for the engine, on disk for the document importer.

The engine's readers take bytes with a display name (:func:`upload_bytes`); the document
importer reads PDFs and office files by path (:func:`saved_upload`).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.files.uploadedfile import UploadedFile


def upload_bytes(upload: UploadedFile, default_name: str) -> tuple[bytes, str]:
    """The upload's content and its base name (readers report problems by that name), for the
    engine's readers, which take bytes: nothing is written to disk."""
    name = Path(upload.name or default_name).name
    return b"".join(upload.chunks()), name


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
