"""Uploaded files for the readers, in memory: the engine's readers and the document importer
take bytes with a display name, so nothing is written to disk to hand an upload over.

:func:`upload_bytes` is the one place an upload is read: it refuses a file beyond the upload
limit (:class:`~nettonul.errors.FileLimitError`, HTTP 413) from its size before reading it,
and gives the file a safe display name (:func:`safe_name`). Django keeps an upload larger than
``FILE_UPLOAD_MAX_MEMORY_SIZE`` in a temporary file, so the content is read once, here.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath, PureWindowsPath

from django.core.files.uploadedfile import UploadedFile

from nettonul.web.engine import limits

#: Characters of a stored file name (the models keep up to 255; messages quote it).
MAX_NAME = 120
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def safe_name(name: str | None, default_name: str) -> str:
    """The base name of an uploaded file as it is stored and shown: no directory part (``/``
    or ``\\``), no control characters, Unicode in NFC, and at most :data:`MAX_NAME`
    characters, shortened in the middle of the stem so the extension (which decides the
    reader) is kept. An empty name becomes ``default_name``."""
    text = unicodedata.normalize("NFC", name or "")
    text = PureWindowsPath(PurePosixPath(text).name).name
    text = _CONTROL.sub("", text).strip()
    if text in ("", ".", ".."):
        return default_name
    if len(text) <= MAX_NAME:
        return text
    dot = text.rfind(".")
    suffix = text[dot:] if dot > 0 and len(text) - dot <= 16 else ""
    stem = text[: len(text) - len(suffix)]
    keep = MAX_NAME - len(suffix) - 1
    return stem[: keep - keep // 3] + "…" + stem[len(stem) - keep // 3:] + suffix


def upload_bytes(upload: UploadedFile, default_name: str) -> tuple[bytes, str]:
    """The upload's content and its safe base name (readers report problems by that name).
    Raises :class:`~nettonul.errors.FileLimitError` (413) for a file beyond the upload limit."""
    name = safe_name(upload.name, default_name)
    limits.check_size(int(upload.size or 0), name)
    data = b"".join(upload.chunks())
    limits.check_size(len(data), name)
    return data, name
