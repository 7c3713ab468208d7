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
from pathlib import Path

from bs4 import BeautifulSoup, Tag

from nettonul.documents.cleaning import PAGE_BREAK
from nettonul.errors import NettonulError


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
    if kind:
        return kind
    head = path.read_bytes()[:512]
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK") and zipfile.is_zipfile(path):
        return "docx"
    if re.search(rb"<(?:!doctype html|html|body|p|div)\b", head, re.IGNORECASE):
        return "html"
    return "text"


def read_pdf(data: bytes, name: str = "document.pdf") -> str:
    """The text layer of a PDF, pages separated by form feeds."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise DocumentError(f"{name}: not a readable PDF ({exc})") from exc
    if not any(p.strip() for p in pages):
        raise DocumentError(f"{name}: the PDF has no text layer (a scan?); run OCR first")
    return PAGE_BREAK.join(pages)


def read_docx(data: bytes, name: str = "document.docx") -> str:
    """Paragraphs, headings, list items and table cells of a Word document, in order."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
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
                cells = [c.text.strip() for c in row.cells if c.text.strip()]
                if cells:
                    out.append(" | ".join(dict.fromkeys(cells)))
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
    for element in root.find_all(_TEXT_BLOCKS):
        if element.find_parent(("li", "p", "blockquote", "td")) is not None and element.name != "li":
            continue
        text = " ".join(element.get_text(" ", strip=True).split())
        if not text:
            continue
        out.append("• " + text if element.name == "li" else text)
    if not out:
        text = root.get_text("\n", strip=True)
        out = [line for line in text.split("\n") if line.strip()]
    return "\n\n".join(out)


def read_text(data: bytes, name: str = "document.txt") -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DocumentError(f"{name}: not a text file in UTF-8 or Windows-1252")


def read_path(path: Path) -> tuple[str, str]:
    """(raw text, kind) of a file; raises DocumentError for unreadable files."""
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file")
    if path.is_dir():
        raise IsADirectoryError(f"{path}: is a directory, not a document")
    kind = kind_of(path)
    data = path.read_bytes()
    readers = {"pdf": read_pdf, "docx": read_docx, "html": read_html, "text": read_text}
    return readers[kind](data, path.name), kind
