"""Uploaded files for the readers, in memory: the engine's readers and the document importer
take bytes with a display name, so nothing is written to disk to hand an upload over."""

from __future__ import annotations

from pathlib import Path

from django.core.files.uploadedfile import UploadedFile


def upload_bytes(upload: UploadedFile, default_name: str) -> tuple[bytes, str]:
    """The upload's content and its base name (readers report problems by that name)."""
    name = Path(upload.name or default_name).name
    return b"".join(upload.chunks()), name
