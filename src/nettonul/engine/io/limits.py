"""Limits on the files users send, checked before a parser is given the file.

Every reader of a user file (tables through :func:`~nettonul.engine.io.tables.read_table`,
YAML through :func:`~nettonul.engine.io.tables.read_yaml`, unit trees, and the document
readers of :mod:`nettonul.documents.readers`) applies the same :class:`Limits`, and refuses a
file beyond one of them with :class:`~nettonul.errors.FileLimitError`, which names the limit:

* ``max_bytes``: the size of the file as sent (default 25 MB);
* ``max_inflated_bytes`` and ``max_ratio``: what a zip container (``.xlsx``, ``.docx``)
  unpacks to, read from the zip's directory before openpyxl or python-docx open it (Python's
  :mod:`zipfile` never inflates a member past the size its directory states), and what the
  compressed streams of a PDF inflate to (nested compression included), counted while
  inflating them in bounded steps. The ratio is checked once the unpacked size is above
  :data:`RATIO_FLOOR`, as a small file that packs well is harmless;
* ``max_rows`` and ``max_cells``: counted while the rows are streamed (Excel in openpyxl's
  read-only mode), so a table is refused at the first row beyond the limit;
* ``max_pages``: pages of a PDF;
* ``max_tree_depth``: levels of a unit tree (checked with the tree's structure, a located
  problem of :func:`~nettonul.engine.footprint.orgunits.load_org_tree`).

The XML parts of a zip container are checked for a document type declaration or an entity
(``<!DOCTYPE``, ``<!ENTITY``): an office file has no need of either, and they are how an XML
external entity or a "billion laughs" expansion is written. Such a file is refused (422)
before any XML parser reads it; openpyxl parses with defusedxml in any case.

The limits in force come from environment variables (``NETTONUL_MAX_UPLOAD_BYTES``,
``NETTONUL_MAX_INFLATED_BYTES``, ``NETTONUL_MAX_COMPRESSION_RATIO``, ``NETTONUL_MAX_ROWS``,
``NETTONUL_MAX_CELLS``, ``NETTONUL_MAX_PDF_PAGES``, ``NETTONUL_MAX_TREE_DEPTH``) or
:func:`configure`; :func:`applied` sets them for a block (tests).
"""

from __future__ import annotations

import io
import os
import re
import warnings
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, fields, replace
from typing import Any, TypeVar

from nettonul.errors import FileLimitError

MB = 1_000_000
#: Below this unpacked size the compression ratio is not checked.
RATIO_FLOOR = 10 * MB
#: Bytes of an XML part read to find its first element (a document type comes before it).
XML_PROLOG_BYTES = 1 * MB
#: Members of a zip container.
MAX_MEMBERS = 10_000

#: Environment variable of each limit.
ENVIRONMENT = {
    "max_bytes": "NETTONUL_MAX_UPLOAD_BYTES",
    "max_inflated_bytes": "NETTONUL_MAX_INFLATED_BYTES",
    "max_ratio": "NETTONUL_MAX_COMPRESSION_RATIO",
    "max_rows": "NETTONUL_MAX_ROWS",
    "max_cells": "NETTONUL_MAX_CELLS",
    "max_pages": "NETTONUL_MAX_PDF_PAGES",
    "max_tree_depth": "NETTONUL_MAX_TREE_DEPTH",
}

T = TypeVar("T")


@dataclass(frozen=True)
class Limits:
    """The limits on one file a user sends; see the module docstring."""

    max_bytes: int = 25 * MB
    max_inflated_bytes: int = 200 * MB
    max_ratio: float = 100.0
    max_rows: int = 200_000
    max_cells: int = 5_000_000
    max_pages: int = 2_000
    max_tree_depth: int = 50

    @classmethod
    def from_env(cls, environ: Any = None) -> Limits:
        """The defaults, overridden by the environment variables of :data:`ENVIRONMENT`.
        A value that is not a positive number raises ``ValueError`` naming the variable."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get(ENVIRONMENT[f.name])
            if raw is None or not str(raw).strip():
                continue
            text = str(raw).strip().replace("_", "")
            try:
                value = float(text) if f.name == "max_ratio" else int(text)
            except ValueError:
                raise ValueError(f"{ENVIRONMENT[f.name]}={raw!r} is not a number") from None
            if value <= 0:
                raise ValueError(f"{ENVIRONMENT[f.name]}={raw!r} must be positive")
            values[f.name] = value
        return cls(**values)


def _from_env() -> Limits:
    try:
        return Limits.from_env()
    except ValueError as exc:  # a bad setting must not stop every command: say so, keep the defaults
        warnings.warn(f"{exc}; the default limits apply", RuntimeWarning, stacklevel=2)
        return Limits()


_active: Limits = _from_env()


def current() -> Limits:
    """The limits in force."""
    return _active


def configure(limits: Limits | None = None, **changes: Any) -> Limits:
    """Put ``limits`` (or the current ones with ``changes``) in force; returns them."""
    global _active
    _active = replace(limits or _active, **changes)
    return _active


@contextmanager
def applied(limits: Limits | None = None, **changes: Any) -> Iterator[Limits]:
    """The limits in force for a block, restored afterwards."""
    global _active
    before = _active
    try:
        yield configure(limits, **changes)
    finally:
        _active = before


def size_text(n: float) -> str:
    """Bytes for a message: '25 MB', '1.5 MB', '800 bytes'."""
    if n >= MB:
        value = n / MB
        return f"{value:,.0f} MB" if value >= 10 or value == int(value) else f"{value:,.1f} MB"
    return f"{int(n):,} bytes"


# ----------------------------------------------------------------------------- bytes
def check_size(size: int, name: str, limits: Limits | None = None) -> None:
    """Refuse a file of ``size`` bytes beyond ``max_bytes`` (413)."""
    lim = limits or _active
    if size > lim.max_bytes:
        shown = size_text(size) if size_text(size) != size_text(lim.max_bytes) else f"{size:,} bytes"
        raise FileLimitError(name, "bytes", f"the file is {shown}, more than the upload limit of "
                             f"{size_text(lim.max_bytes)}", actual=size, allowed=lim.max_bytes)


def read_limited(stream: Any, name: str, limits: Limits | None = None) -> bytes:
    """Read a binary stream to its end, refusing it once it passes ``max_bytes`` (nothing
    beyond the limit is kept in memory)."""
    lim = limits or _active
    data = stream.read(lim.max_bytes + 1)
    if len(data) > lim.max_bytes:
        raise FileLimitError(name, "bytes", f"the file is more than the upload limit of {size_text(lim.max_bytes)}",
                             actual=len(data), allowed=lim.max_bytes)
    return bytes(data)


# ----------------------------------------------------------------------------- inflation
def _check_inflation(inflated: int, packed: int, name: str, lim: Limits, what: str, at_least: bool = False) -> None:
    amount = f"{size_text(inflated)} or more" if at_least else size_text(inflated)
    ratio = inflated / max(packed, 1)
    if inflated > RATIO_FLOOR and ratio > lim.max_ratio:
        more = " or more" if at_least else ""
        raise FileLimitError(name, "ratio", f"{what} unpacks to {ratio:,.0f} times its size{more}, more than the "
                             f"compression-ratio limit of {lim.max_ratio:,.0f} (a zip bomb?)",
                             actual=ratio, allowed=lim.max_ratio)
    if inflated > lim.max_inflated_bytes:
        raise FileLimitError(name, "inflated", f"{what} unpacks to {amount}, more than the limit of "
                             f"{size_text(lim.max_inflated_bytes)} for unpacked contents",
                             actual=inflated, allowed=lim.max_inflated_bytes)


def inflation_budget(packed: int, limits: Limits | None = None) -> int:
    """The most a container of ``packed`` bytes may unpack to within both limits."""
    lim = limits or _active
    return int(min(lim.max_inflated_bytes, max(RATIO_FLOOR, lim.max_ratio * packed)))


_XML_PARTS = (".xml", ".rels", ".vml")
_START_TAG = re.compile(r"<[A-Za-z_:]")
_DECLARATION = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def _prolog_text(head: bytes) -> str:
    """The start of an XML part as text, whatever its encoding (UTF-8 or UTF-16)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", "ignore")
    if head.startswith(b"<\x00"):
        return head.decode("utf-16-le", "ignore")
    if head.startswith(b"\x00<"):
        return head.decode("utf-16-be", "ignore")
    return head.decode("latin-1")


def _xml_refusal(name: str, message: str) -> FileLimitError:
    return FileLimitError(name, "xml", message, status=422)


def _check_xml_part(book: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> None:
    head = b""
    with book.open(info) as member:
        while len(head) < XML_PROLOG_BYTES:
            chunk = member.read(64 * 1024)
            if not chunk:
                break
            head += chunk
            text = _prolog_text(head)
            start = _START_TAG.search(text)
            prolog = text[: start.start()] if start else text
            if _DECLARATION.search(prolog):
                raise _xml_refusal(name, f"its part {info.filename} declares a document type or entities "
                                         "(<!DOCTYPE or <!ENTITY), which are refused: they can read files on the "
                                         "server (external entities) or expand without end ('billion laughs')")
            if start:
                return
    if head.strip():
        raise _xml_refusal(name, f"its part {info.filename} has no XML element in its first "
                                 f"{size_text(XML_PROLOG_BYTES)}; the file is damaged")


#: What reading one part of a zip raises when the part is damaged: zipfile answers a compression
#: method it does not support with NotImplementedError, a wrong password with RuntimeError.
_DAMAGED_PART = (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError)


def check_zip(data: bytes, name: str, limits: Limits | None = None) -> None:
    """Refuse a zip container (``.xlsx``, ``.docx``) that unpacks beyond the limits or whose
    XML declares a document type or entities. A file that is not a zip is left to the reader
    (which reports it as unreadable)."""
    lim = limits or _active
    try:
        book = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    with book:
        infos = book.infolist()
        if len(infos) > MAX_MEMBERS:
            raise FileLimitError(name, "inflated", f"the file holds {len(infos):,} parts, more than the "
                                 f"{MAX_MEMBERS:,} allowed", actual=len(infos), allowed=MAX_MEMBERS)
        _check_inflation(sum(i.file_size for i in infos), len(data), name, lim, "the file")
        for info in infos:
            if info.filename.lower().endswith(_XML_PARTS):
                try:
                    _check_xml_part(book, info, name)
                except _DAMAGED_PART:
                    continue  # the reader reports a damaged part; the other parts are still checked


# ----------------------------------------------------------------------------- PDF
_STREAM = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")
_ZLIB_HEADER = re.compile(rb"\x78[\x01\x5e\x9c\xda]")
STEP = 1 * MB


def _inflated_size(packed: bytes, budget: int) -> int:
    """Bytes a zlib stream inflates to, nested zlib layers included (the innermost counted),
    in bounded steps; stops counting past ``budget``. 0 for data that is not zlib."""
    layers: list[Any] = [zlib.decompressobj()]
    total = 0

    def feed(level: int, data: bytes) -> None:
        nonlocal total
        d = layers[level]
        while data and not d.eof and total <= budget:
            out = d.decompress(data, STEP)
            data = d.unconsumed_tail
            if not out:
                if not data:
                    break
                continue
            if level + 1 < len(layers):
                feed(level + 1, out)
            elif level < 3 and not total and _ZLIB_HEADER.match(out):
                layers.append(zlib.decompressobj())
                feed(level + 1, out)
            else:
                total += len(out)

    with suppress(zlib.error):
        feed(0, packed)
    return total


def check_pdf(data: bytes, name: str, limits: Limits | None = None) -> None:
    """Refuse a PDF whose compressed streams inflate beyond the limits (a decompression bomb)."""
    lim = limits or _active
    budget = inflation_budget(len(data), lim)  # counting stops as soon as one limit is passed
    total = 0
    for match in _STREAM.finditer(data):
        start = match.end()
        if not _ZLIB_HEADER.match(data, start):
            continue
        end = data.find(b"endstream", start)
        stream = data[start: end if end >= 0 else len(data)]
        total += _inflated_size(stream, budget - total)
        if total > budget:
            break
    _check_inflation(total, len(data), name, lim, "the PDF's content", at_least=total > budget)


def check_pages(pages: int, name: str, limits: Limits | None = None) -> None:
    lim = limits or _active
    if pages > lim.max_pages:
        raise FileLimitError(name, "pages", f"the PDF has {pages:,} pages, more than the limit of {lim.max_pages:,} "
                             "pages", actual=pages, allowed=lim.max_pages)


# ----------------------------------------------------------------------------- rows and cells
def counted(rows: Iterable[tuple[int, Sequence[T]]], name: str,
            limits: Limits | None = None) -> Iterator[tuple[int, Sequence[T]]]:
    """The (row number, cells) pairs of a table as they are read, refused at the first row
    beyond ``max_rows`` or the first cell beyond ``max_cells``."""
    lim = limits or _active
    cells = 0
    for number, row in rows:
        if number > lim.max_rows:
            raise FileLimitError(name, "rows", f"the table has more than the limit of {lim.max_rows:,} rows",
                                 actual=number, allowed=lim.max_rows)
        cells += len(row)
        if cells > lim.max_cells:
            raise FileLimitError(name, "cells", f"the table has more than the limit of {lim.max_cells:,} cells "
                                 f"(reached on row {number:,})", actual=cells, allowed=lim.max_cells)
        yield number, row
