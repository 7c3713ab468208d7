"""Cleaning that keeps the meaning: from raw extracted text to paragraphs.

The steps, in order:

1. normalise characters (Unicode NFC, line ends, soft hyphens, odd spaces);
2. drop page furniture: running headers and footers, page numbers;
3. drop web page chrome (see :mod:`nettonul.documents.chrome`);
4. repair line-break hyphenation: "varme-" + "pumper" becomes "varmepumper", while a Danish
   suspended hyphen ("el- og varmeforsyning") and compounds with acronyms or names
   ("CO2-udledning", "Nord-Amerika") keep their hyphen;
5. remove the stray spaces PDF extraction puts before punctuation ("mia . kr ." -> "mia. kr.");
6. recover paragraphs: lines of one paragraph are joined, headings and list items stand alone,
   and a paragraph broken by a page or column break is joined again.

The result has one paragraph per line and a blank line between paragraphs. Cleaning a
cleaned text changes nothing (the property tests check this).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from nettonul.documents.chrome import is_chrome_line, remove_chrome

PAGE_BREAK = "\f"

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff]")
# control and bidirectional-format characters other than line feed and form feed
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
# Conjunctions after which a trailing hyphen is a suspended hyphen ("el- og varmeforsyning").
SUSPENDING_WORDS = frozenset({"og", "eller", "samt", "som", "til", "end", "and", "or", "nor", "to", "as", "than"})
_BULLET = re.compile(r"^(?:[•●▪◦‣∙·\-–—*]|\(?\d{1,2}[.)]|\(?[a-zA-Z][.)])\s+\S")
_BULLET_SYMBOL = re.compile(r"^[•●▪◦‣∙·*]\s+")
_NUMBERED_HEADING = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)\.?\s+(\S.*)$")
_TERMINAL = re.compile(r"[.!?:;][\"”»’)\]]*$")
_SENTENCE_END = re.compile(r"[.!?][\"”»’)\]]*$")
_PAGE_NUMBER = re.compile(r"^(?:(?:side|page|s\.)\s*)?\d{1,3}(?:\s*(?:/|af|of)\s*\d{1,3})?$", re.IGNORECASE)
_CAPS = r"[A-ZÆØÅÄÖÜ][A-ZÆØÅÄÖÜ0-9\-–&,. ]{8,}"
_RUNNING_HEADER = re.compile(rf"^(?:{_CAPS}\s+\d{{1,3}}|\d{{1,3}}\s+{_CAPS})$")
_SPACE_BEFORE_PUNCT = re.compile(r"(?<=[\w\"”»’)\]%])[ ]+(?=[.,;:!?](?:[\s\"”»’)\]]|$|[.,;:!?\w]))")
_INLINE_HYPHEN = re.compile(r"(?<=[a-zæøåäöüéè])- (?=([a-zæøåäöüéè]+))")
_LOWER_START = re.compile(r"^[a-zæøåäöüéè]")
_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+(?=\S)")
# a table row as every reader writes it ("| a | b |") stands alone; a markdown separator row goes
_TABLE_ROW = re.compile(r"^\|.*\|$")
_TABLE_SEPARATOR = re.compile(r"^\|?(?:\s*:?-{2,}:?\s*\|)+\s*:?-*:?\s*$")
def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


# A line ending in one of these words continues on the next line: it is not a heading.
_CONTINUING_WORDS = _wordset(
    "af i og for til med om på fra ved under over mod efter som der det den de en et at har er var blev "
    "vil skal kan må samt eller men hvor når the of and to in on for with by a an is are was has have will "
    "that which from at as or but"
)


def normalise(raw: str) -> str:
    """Unicode NFC, Unix line ends, no soft hyphens or zero-width characters, plain spaces."""
    text = unicodedata.normalize("NFC", raw).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\v", "\n").replace(PAGE_BREAK, "\n" + PAGE_BREAK + "\n")
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub(" ", text)
    # strip(" "), not strip(): a form feed on its own line marks a page break
    return "\n".join(_SPACES.sub(" ", line).strip(" ") for line in text.split("\n"))


def _is_page_number(lines: list[str], i: int) -> bool:
    """'Side 3 af 12', 'page 3', '3/12'; or a bare number between blank lines, not followed by
    lowercase continuation."""
    if not _PAGE_NUMBER.match(lines[i]):
        return False
    if not lines[i].isdigit():
        return True
    prev_blank = i == 0 or not lines[i - 1]
    next_blank = i + 1 >= len(lines) or not lines[i + 1]
    if not (prev_blank and next_blank):
        return False
    nxt = next((lines[k] for k in range(i + 1, len(lines)) if lines[k]), "")
    # "412" above "boliger fik ..." is a figure in an infobox, not a page number
    return not _LOWER_START.match(nxt)


def remove_page_furniture(text: str) -> list[str]:
    """Lines without running headers/footers and page numbers; page breaks become blank lines."""
    pages = [page.split("\n") for page in text.split(PAGE_BREAK)]
    repeated: set[str] = set()
    if len(pages) >= 3:
        # lines at the top or bottom of many pages, digits ignored, are running headers or footers
        counts: Counter[str] = Counter()
        for page in pages:
            content = [line for line in page if line]
            # a sentence is body text, however often its shape repeats
            edge = {line for line in content[:2] + content[-2:] if not _SENTENCE_END.search(line)}
            counts.update({re.sub(r"\d+", "#", line) for line in edge})
        repeated = {key for key, n in counts.items() if n >= max(3, len(pages) // 2)}
    lines: list[str] = []
    for page in pages:
        if lines:
            lines.append("")
        lines.extend(page)
    kept = []
    for i, line in enumerate(lines):
        if re.sub(r"\d+", "#", line) in repeated or _RUNNING_HEADER.match(line) or _is_page_number(lines, i):
            kept.append("")
        else:
            kept.append(line)
    return kept


def _hyphenated_forms(text: str) -> tuple[Counter[str], Counter[str]]:
    words = re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", text.lower())
    joined = Counter(w for w in words if "-" not in w)
    hyphened = Counter(w for w in words if "-" in w)
    return joined, hyphened


_WORD_AT_END = re.compile(r"[^\W\d_]+$")


def _last_word(text: str, end: int) -> re.Match[str] | None:
    """The letters just before ``end``, looked for in a window so long lines stay linear."""
    return _WORD_AT_END.search(text, max(0, end - 64), end)


def _join_hyphen(left: str, right: str, vocabulary: tuple[Counter[str], Counter[str]]) -> str:
    """How ``left`` (ending in '-') and ``right`` come together: joined, hyphen kept, or suspended."""
    first = re.match(r"[^\s]+", right)
    first_word = first.group(0) if first else ""
    bare = re.sub(r"[^\w]+$", "", first_word)
    before = left[-2] if len(left) >= 2 else ""
    if bare.lower() in SUSPENDING_WORDS:
        return left + " " + right                       # el- og varmeforsyning
    if before.isupper() or before.isdigit() or (bare[:1].isupper()):
        return left + right                             # CO2-udledning, EU-landene, Nord-Amerika
    stem = _last_word(left, len(left) - 1)
    if stem and bare:
        joined_word = (stem.group(0) + bare).lower()
        hyphen_word = (stem.group(0) + "-" + bare).lower()
        joined, hyphened = vocabulary
        if hyphened[hyphen_word] > joined[joined_word]:
            return left + right                         # the document itself writes it with a hyphen
    return left[:-1] + right


def dehyphenate(lines: list[str], vocabulary: tuple[Counter[str], Counter[str]] | None = None) -> list[str]:
    """Join words split across lines (and blank lines, for page or column breaks)."""
    vocabulary = vocabulary or _hyphenated_forms("\n".join(lines))
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        after = i + 1          # the next line not yet joined into ``line``
        while len(line) >= 2 and line.endswith("-") and line[-2].isalnum():
            j = after
            while j < len(lines) and not lines[j] and j - after < 3:
                j += 1
            if not (j < len(lines) and lines[j] and not _BULLET_SYMBOL.match(lines[j])):
                break
            nxt = lines[j]
            same_block = j == after
            if not (nxt[0].islower() or (same_block and nxt[0].isupper() and not line[-2].isupper())):
                break
            line = _join_hyphen(line, nxt, vocabulary)
            after = j + 1
        out.append(line)
        i = after
    return [_INLINE_HYPHEN.sub(lambda m: _inline(m, vocabulary), line) for line in out]


def _inline(match: re.Match[str], vocabulary: tuple[Counter[str], Counter[str]]) -> str:
    """A hyphen-space inside a line ("varme- pumper"): same decision as across lines."""
    word = match.group(1)
    if word in SUSPENDING_WORDS:
        return "- "
    text = match.string
    stem = _last_word(text, match.start())
    if stem:
        joined, hyphened = vocabulary
        if hyphened[(stem.group(0) + "-" + word).lower()] > joined[(stem.group(0) + word).lower()]:
            return "-"
    return ""


def fix_punctuation_spacing(line: str) -> str:
    """'varmepumper . Kommunen' -> 'varmepumper. Kommunen'; 'bl .a .' -> 'bl.a.'."""
    return _SPACE_BEFORE_PUNCT.sub("", line)


def is_heading_line(line: str) -> bool:
    """A short line without closing punctuation that starts with a capital or a section number."""
    if not line or len(line) > 100 or _TERMINAL.search(line) or line.endswith((",", "-", "–")):
        return False
    if _BULLET_SYMBOL.match(line):
        return False
    words = line.split()
    if len(words) > 14 or words[-1].lower() in _CONTINUING_WORDS or words[-1].endswith(("'s", "’s")):
        return False
    numbered = _NUMBERED_HEADING.match(line)
    body = numbered.group(2) if numbered else line
    return body[:1].isupper()


def _paragraphs_of_block(block: list[str]) -> list[str]:
    """Split one block (lines without blank lines between them) into paragraphs."""
    paragraphs: list[list[str]] = []
    for k, line in enumerate(block):
        starts_new = (
            not paragraphs
            or bool(_TABLE_ROW.match(line)) or bool(_TABLE_ROW.match(block[k - 1]))
            or bool(_BULLET.match(line))
            or (k == 1 and is_heading_line(block[0]) and line[:1].isupper() and len(block[0]) < 80
                and (not _BULLET.match(block[0]) or _NUMBERED_HEADING.match(block[0]) is not None))
            or (bool(_SENTENCE_END.search(block[k - 1])) and _NUMBERED_HEADING.match(line) is not None
                and is_heading_line(line))
        )
        if starts_new:
            paragraphs.append([line])
        else:
            paragraphs[-1].append(line)
    return [" ".join(p) for p in paragraphs]


def recover_paragraphs(lines: list[str]) -> list[str]:
    """Paragraphs from lines: blocks split at blank lines, rejoined across page/column breaks."""
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line:
            blocks[-1].append(line)
        elif blocks[-1]:
            blocks.append([])
    paragraphs: list[str] = []
    for block in blocks:
        if not block:
            continue
        parts = _paragraphs_of_block(block)
        if (paragraphs and parts and _LOWER_START.match(parts[0]) and not _TABLE_ROW.match(paragraphs[-1])
                and not _TERMINAL.search(paragraphs[-1]) and not _BULLET_SYMBOL.match(parts[0])):
            # a sentence broken by a page or column break continues in lowercase
            paragraphs[-1] = paragraphs[-1] + " " + parts[0]
            parts = parts[1:]
        paragraphs.extend(parts)
    return paragraphs


def _finish(paragraphs: list[str], vocabulary: tuple[Counter[str], Counter[str]]) -> list[str]:
    """The last pass over whole paragraphs.

    Joining lines can bring together what the line rules look for (a space before a full
    stop, "word- word", a running header spread over two lines, a chrome label), so the same
    rules run once more on paragraphs. That is what makes cleaning a cleaned text a no-op.
    """
    done = []
    for p in paragraphs:
        p = _SPACES.sub(" ", p).strip()
        p = _INLINE_HYPHEN.sub(lambda m: _inline(m, vocabulary), p)
        p = fix_punctuation_spacing(p)
        if p and not is_chrome_line(p) and not _RUNNING_HEADER.match(p):
            done.append(p)
    spaced = [line for p in done for line in (p, "")]
    return [p for i, p in enumerate(done) if not _is_page_number(spaced, 2 * i)]


def clean(raw: str) -> str:
    """The cleaned text: one paragraph per line, paragraphs separated by a blank line."""
    text = normalise(raw)
    lines = remove_page_furniture(text)
    # markdown heading marks go ("## 2. Energi" is the heading "2. Energi"); separator rows go
    lines = [_MARKDOWN_HEADING.sub("", line) for line in remove_chrome(lines) if not _TABLE_SEPARATOR.match(line)]
    vocabulary = _hyphenated_forms("\n".join(lines))
    lines = dehyphenate(lines, vocabulary)
    lines = [fix_punctuation_spacing(line) for line in lines]
    return "\n\n".join(_finish(recover_paragraphs(lines), vocabulary))
