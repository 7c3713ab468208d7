"""Document import: from a plan or strategy (PDF, HTML, DOCX, text) to reviewable candidates.

``import_document(path_or_text)`` reads and cleans a document and returns an
:class:`ImportResult` with its sections, quantitative targets and commitments (candidate
actions with suggested sector and SDG tags), every one quoted with offsets into the cleaned
text. The package is pure: no Django, no network.

May import: the document libraries (pdfplumber, python-docx, BeautifulSoup) and, where it needs
them, the engine's public vocabulary; never the web, the CLI or the reports.
"""

from __future__ import annotations

from pathlib import Path

from nettonul.documents.cleaning import clean
from nettonul.documents.commitments import extract_commitments
from nettonul.documents.model import Commitment, ImportResult, SdgMention, Section, Tag, Target
from nettonul.documents.readers import DocumentError, read_bytes, read_path
from nettonul.documents.sections import outline
from nettonul.documents.tables import cells, find_tables, row_spans, table_targets
from nettonul.documents.tagging import find_sdg_mentions
from nettonul.documents.targets import extract_targets, merge_restatements
from nettonul.documents.text import Span, all_sentences, detect_language
from nettonul.documents.text import sentences as sentences_of

__all__ = [
    "Commitment", "DocumentError", "ImportResult", "SdgMention", "Section", "Tag", "Target",
    "analyse_text", "import_bytes", "import_document",
]


def analyse_text(raw: str, source: str = "<text>", kind: str = "text", language: str | None = None,
                 owner: str | None = None, date: int | None = None) -> ImportResult:
    """Clean ``raw`` text and find its sections, targets and commitments.

    ``owner`` is the plan owner ("Samsø Kommune"): targets of other named bodies are marked as
    context. ``date`` is the document's year, which resolves relative horizons ("inden for de
    kommende fire år"); without it such a horizon gives no target year.
    """
    text = clean(raw)
    lang = language or detect_language(text)
    rows = row_spans(text)
    row_starts = {start for start, _ in rows}
    # a table row is read as cells, never as one sentence: targets from the cells with their
    # headers (tables.table_targets), commitments from each cell's sentences
    sentences = [s for s in all_sentences(text) if s.start not in row_starts]
    cell_sentences = [s for start, end in rows for cell in cells(Span(text[start:end], start, end))
                      if cell.text for s in sentences_of(cell)]
    shape = outline(text)
    tables = find_tables(text)
    mentions = find_sdg_mentions(text)
    notes = tuple(m.message() for m in mentions if m.conflict)
    return ImportResult(
        source=source, language=lang, text=text, sections=shape.sections,
        targets=merge_restatements(sorted(
            (*extract_targets(sentences, shape, lang, date, owner), *table_targets(tables, shape, lang, owner)),
            key=lambda t: t.start)),
        commitments=extract_commitments(text, sorted([*sentences, *cell_sentences], key=lambda s: s.start),
                                        shape, mentions, owner),
        sdg_mentions=mentions, kind=kind, notes=notes,
    )


def import_bytes(data: bytes, name: str, *, language: str | None = None, owner: str | None = None,
                 date: int | None = None) -> ImportResult:
    """Import a document from its bytes (an upload held in memory; PDF, HTML, DOCX or text),
    ``name`` being its file name: nothing is written to disk."""
    raw, kind = read_bytes(data, name)
    return analyse_text(raw, source=name, kind=kind, language=language, owner=owner, date=date)


def import_document(path_or_text: str | Path, *, language: str | None = None, owner: str | None = None,
                    date: int | None = None) -> ImportResult:
    """Import a document from a file path (PDF, HTML, DOCX, text) or from text given directly.

    A ``str`` that names an existing file is read as that file; any other ``str`` is the
    document's text. ``language`` ('da' or 'en') overrides detection.
    """
    if isinstance(path_or_text, Path) or _names_a_file(path_or_text):
        path = Path(path_or_text)
        raw, kind = read_path(path)
        return analyse_text(raw, source=str(path), kind=kind, language=language, owner=owner, date=date)
    return analyse_text(path_or_text, language=language, owner=owner, date=date)


def _names_a_file(text: str) -> bool:
    if "\n" in text or len(text) >= 4096:
        return False
    try:
        return Path(text).is_file()
    except (OSError, ValueError):   # a text with a NUL character or too long for the file system
        return False
