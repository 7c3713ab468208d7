"""Reading documents: PDF (text layer), HTML, DOCX and plain text, to raw text.

Each reader returns text in the shape the cleaner expects: paragraphs separated by blank
lines, list items starting with "• ", headings on their own line, PDF pages separated by a
form feed. HTML readers drop page chrome by structure (navigation, header, footer, asides,
forms, and blocks marked as adverts or related content) before the text-level cleaning runs.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup, Tag

from nettonul.documents.cleaning import PAGE_BREAK
from nettonul.engine.io import limits
from nettonul.engine.io.tables import decode_text
from nettonul.errors import FileLimitError, NettonulError


class DocumentError(NettonulError, ValueError):
    """A document that cannot be read (unknown format, damaged file, no text layer)."""


KINDS = ("pdf", "html", "docx", "text")
_SUFFIXES = {".pdf": "pdf", ".html": "html", ".htm": "html", ".xhtml": "html", ".docx": "docx",
             ".txt": "text", ".md": "text", ".text": "text"}

_CHROME_TAGS = ("script", "style", "noscript", "nav", "aside", "form", "iframe", "svg", "button", "template", "figure")
# the page's header and footer are chrome; an article's own header (with its title) is not
_PAGE_FRAME_TAGS = ("header", "footer")
_CHROME_ATTR = re.compile(
    r"(?:^|[-_\s])(?:nav|navbar|menu|breadcrumbs?|footer|sidebar|related|newsletter|nyhedsbrev|cookie|consent|"
    r"advert\w*|ads?|annonce\w*|sponsor\w*|promo\w*|share|social|comments?|events?|teaser|banner|popup|modal)(?:$|[-_\s])",
    re.IGNORECASE)
_AD_LABEL = re.compile(r"^\s*(?:sponseret|sponsoreret|annonce|sponsored|advertisement|ad)\s*$", re.IGNORECASE)
_TEXT_BLOCKS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote", "pre", "td", "dt", "dd")


def kind_of(path: Path) -> str:
    """The reader for a file, by its extension, else by its first bytes."""
    kind = _SUFFIXES.get(path.suffix.lower())
    return kind or kind_of_bytes(path.name, path.read_bytes())


def kind_of_bytes(name: str, data: bytes) -> str:
    """The reader for a document's bytes, by the extension of ``name``, else by the bytes."""
    kind = _SUFFIXES.get(Path(name).suffix.lower())
    if kind:
        return kind
    head = data[:512]
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK") and zipfile.is_zipfile(io.BytesIO(data)):
        return "docx"
    if re.search(rb"<(?:!doctype html|html|body|p|div)\b", head, re.IGNORECASE):
        return "html"
    return "text"


def read_pdf(data: bytes, name: str = "document.pdf") -> str:
    """The text layer of a PDF, pages separated by form feeds.

    Read with pdfplumber, which keeps each character's position and font size: ruled tables
    come out as rows of cells (``| a | b |``) where they stand on the page, a page set in two
    columns is read column by column, and a line in a larger font than the page's body text
    stands alone as a heading.
    """
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException
    from pdfplumber.utils.exceptions import PdfminerException

    limits.check_size(len(data), name)
    limits.check_pdf(data, name)  # compressed streams within the unpacked size and ratio limits
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            limits.check_pages(len(pdf.pages), name)
            pages = [_pdf_page(page) for page in pdf.pages]
    except FileLimitError:
        raise
    except (PdfminerException, PDFSyntaxError, PSException, ValueError, KeyError, TypeError, AttributeError,
            IndexError, EOFError, zlib.error, RecursionError) as exc:
        raise DocumentError(f"{name}: not a readable PDF ({exc})") from exc
    if not any(p.strip() for p in pages):
        raise DocumentError(f"{name}: the PDF has no text layer (a scan?); run OCR first")
    return PAGE_BREAK.join(pages)


def _inside(obj: dict[str, Any], boxes: list[tuple[float, float, float, float]]) -> bool:
    x = (float(obj["x0"]) + float(obj["x1"])) / 2
    y = (float(obj["top"]) + float(obj["bottom"])) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def _gutter(words: list[dict[str, Any]], width: float) -> tuple[float, float] | None:
    """(x, top) of the gap between two text columns, or None for a one-column page.

    The gap is a vertical band in the middle of the page that no word crosses below ``top``
    (a title across both columns above it is allowed), with text on both sides of it."""
    if len(words) < 40:
        return None
    best: tuple[float, float] | None = None
    for step in range(30, 71):
        x = width * step / 100
        crossing = [w for w in words if float(w["x0"]) < x < float(w["x1"])]
        left = [w for w in words if float(w["x1"]) <= x]
        right = [w for w in words if float(w["x0"]) >= x]
        if len(left) < len(words) / 5 or len(right) < len(words) / 5:
            continue
        body_top = min(min(float(w["top"]) for w in left), min(float(w["top"]) for w in right))
        band = max((float(w["bottom"]) for w in crossing), default=0.0)
        if crossing and band > body_top + 1:
            continue
        if best is None or abs(x - width / 2) < abs(best[0] - width / 2):
            best = (x, band)
    return best


def _pdf_lines(region: Any, boxes: list[tuple[float, float, float, float]], order: int
               ) -> list[tuple[int, float, str, float]]:
    out = []
    for line in region.extract_text_lines(strip=True, return_chars=True):
        chars = [c for c in line["chars"] if not _inside(c, boxes)]
        text = "".join(c["text"] for c in chars).strip() if len(chars) < len(line["chars"]) else line["text"]
        if not text or not chars:
            continue
        size = sum(float(c["size"]) for c in chars) / len(chars)
        out.append((order, float(line["top"]), " ".join(text.split()), size))
    return out


def _pdf_page(page: Any) -> str:
    """One page as text lines: tables as rows, columns in reading order, headings apart."""
    tables = page.find_tables()
    boxes = [(float(t.bbox[0]), float(t.bbox[1]), float(t.bbox[2]), float(t.bbox[3])) for t in tables]
    words = [w for w in page.extract_words() if not _inside(w, boxes)]
    gutter = _gutter(words, float(page.width))
    items: list[tuple[int, float, str, float]] = []
    if gutter is None:
        items = _pdf_lines(page, boxes, 0)
    else:
        x, band = gutter
        width, height = float(page.width), float(page.height)
        if band > 0:
            items += _pdf_lines(page.crop((0, 0, width, band + 0.5)), boxes, 0)
        items += _pdf_lines(page.crop((0, band + 0.5, x, height)), boxes, 1)
        items += _pdf_lines(page.crop((x, band + 0.5, width, height)), boxes, 2)
    for table, box in zip(tables, boxes, strict=True):
        column = 0 if gutter is None or box[2] - box[0] > float(page.width) / 2 else (1 if box[2] <= gutter[0] else 2)
        rows = [table_row([" ".join((c or "").split()) for c in row]) for row in table.extract()
                if any((c or "").strip() for c in row)]
        items.append((column, box[1], "\n".join(rows), -1.0))
    items.sort(key=lambda i: (i[0], i[1]))
    sizes = sorted(size for *_, text, size in items if size > 0 for _ in range(len(text)))
    body = sizes[len(sizes) // 2] if sizes else 0.0
    out: list[str] = []
    previous_top: float | None = None
    previous_order = -1
    for order, top, text, size in items:
        heading = size > 0 and body > 0 and size >= body * 1.15 and len(text) <= 100
        # a paragraph gap, or a new column (the cleaner joins a sentence that runs on in lowercase)
        gap = previous_top is not None and (order != previous_order or top - previous_top > body * 1.6)
        if (size < 0 or heading or gap or (out and out[-1].startswith("|"))) and out and out[-1] != "":
            out.append("")
        out.append(text)
        if size < 0 or heading:
            out.append("")
        previous_top, previous_order = top, order
    return "\n".join(out)


def read_docx(data: bytes, name: str = "document.docx") -> str:
    """Paragraphs, headings, list items and table cells of a Word document, in order."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml.etree import LxmlError

    limits.check_size(len(data), name)
    limits.check_zip(data, name)  # unpacked size, compression ratio, no DOCTYPE or ENTITY
    try:
        document = docx.Document(io.BytesIO(data))
    except FileLimitError:
        raise
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, LxmlError, EOFError, zlib.error,
            OSError) as exc:
        raise DocumentError(f"{name}: not a readable DOCX file ({exc})") from exc
    out: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            from docx.text.paragraph import Paragraph

            paragraph = Paragraph(child, document)
            text = paragraph.text.strip()
            if not text:
                continue
            style = (paragraph.style.name if paragraph.style is not None else "") or ""
            if style.lower().startswith("list") or child.find(".//{*}numPr") is not None:
                text = "• " + text
            out.append(text)
        elif tag == "tbl":
            from docx.table import Table

            for row in Table(child, document).rows:
                cells = [c.text.strip() for c in row.cells]
                if any(cells):
                    out.append(table_row(cells))
    return "\n\n".join(out)


def _is_chrome(element: Tag) -> bool:
    if element.name in _CHROME_TAGS:
        return True
    if element.name in _PAGE_FRAME_TAGS:
        return element.find_parent(("article", "main")) is None
    attrs = " ".join([*(element.get("class") or []), str(element.get("id") or ""), str(element.get("role") or ""),
                      str(element.get("aria-label") or "")])
    if element.get("role") in ("navigation", "banner", "contentinfo", "complementary"):
        return True
    if _CHROME_ATTR.search(attrs):
        return True
    # a card whose first line is an advert label ("Sponseret") is an advert
    first = next((s for s in element.stripped_strings), "")
    return bool(element.name in ("div", "section", "li", "article") and _AD_LABEL.match(first))


def read_html(data: bytes | str, name: str = "page.html") -> str:
    """The article of a web page as text; navigation, adverts and listings dropped."""
    soup = BeautifulSoup(data, "lxml")
    for element in list(soup.find_all(True)):
        if isinstance(element, Tag) and element.parent is not None and not element.decomposed and _is_chrome(element):
            element.decompose()
    root = soup.find("article") or soup.find("main") or soup.body or soup
    out: list[str] = []
    for element in root.find_all((*_TEXT_BLOCKS, "table")):
        if element.name == "table":
            if element.find_parent("table") is None:
                out.extend(_html_rows(element))
            continue
        if element.find_parent("table") is not None:
            continue   # read with its table, as cells
        if element.find_parent(("li", "p", "blockquote")) is not None and element.name != "li":
            continue
        text = " ".join(element.get_text(" ", strip=True).split())
        if not text:
            continue
        out.append("• " + text if element.name == "li" else text)
    if not out:
        text = root.get_text("\n", strip=True)
        out = [line for line in text.split("\n") if line.strip()]
    return "\n\n".join(out)


def table_row(cells: list[str]) -> str:
    """A table row as the cleaner and the table reader expect it: ``| a | b |``."""
    clean = [" ".join(c.replace("|", "/").split()) for c in cells]
    return "| " + " | ".join(clean) + " |"


def _html_rows(table: Tag) -> list[str]:
    """The rows of an HTML table, a cell spanning columns repeated so the columns line up."""
    rows: list[str] = []
    for tr in table.find_all("tr"):
        if tr.find_parent("table") is not table:
            continue
        cells: list[str] = []
        for cell in tr.find_all(("td", "th"), recursive=False):
            span = str(cell.get("colspan") or "1")
            cells.extend([cell.get_text(" ", strip=True)] * (int(span) if span.isdigit() and 0 < int(span) < 50 else 1))
        if any(cells):
            rows.append(table_row(cells))
    return rows


def read_text(data: bytes, name: str = "document.txt") -> str:
    """Plain text in UTF-8 (with or without a byte-order mark), UTF-16 (with a byte-order
    mark, or recognised by its zero bytes) or Windows-1252. Text with zero bytes that is not
    UTF-16 is refused rather than read as garbled Windows-1252."""
    limits.check_size(len(data), name)
    try:
        return decode_text(data)[0]
    except UnicodeDecodeError:
        raise DocumentError(f"{name}: not a text file in UTF-8, UTF-16 or Windows-1252; save it as UTF-8 "
                            "text") from None


def read_path(path: Path) -> tuple[str, str]:
    """(raw text, kind) of a file; raises DocumentError for unreadable files."""
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file")
    if path.is_dir():
        raise IsADirectoryError(f"{path}: is a directory, not a document")
    limits.check_size(path.stat().st_size, path.name)
    return read_bytes(path.read_bytes(), path.name)


def read_bytes(data: bytes, name: str) -> tuple[str, str]:
    """(raw text, kind) of a document's bytes (an upload, in memory), named ``name`` in
    messages; the kind follows the name's extension, else the bytes. Raises DocumentError."""
    limits.check_size(len(data), name)
    kind = kind_of_bytes(name, data)
    readers = {"pdf": read_pdf, "docx": read_docx, "html": read_html, "text": read_text}
    return readers[kind](data, name), kind
