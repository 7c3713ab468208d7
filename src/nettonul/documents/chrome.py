"""Web page chrome: the parts of a saved or copied web page that are not the article.

Pages arrive as text with the site's navigation, adverts ('Sponseret'), related articles,
newsletter boxes and event listings around the article. Two rules remove them:

* single lines that are chrome wherever they stand (photo credits, bare dates, site names,
  "Læs også: ..." teasers, advert labels, author sign-offs);
* the tail: from the first end-of-article marker after which chrome dominates, everything
  goes. A marker only cuts when most of the document's prose lies before it, so an advert
  box at the top of a page never takes the article with it.

Rules are language patterns (Danish and English), never the wording of particular pages.
"""

from __future__ import annotations

import re

# Lines that are chrome wherever they appear.
_LINE_PATTERNS = [
    r"(?:foto|photo|illustration|billede|grafik|kilde|source|credit)s?\s*:.{0,100}",
    r"\d{1,2}\.\s?\d{1,2}\.\s?\d{4}(?!\d).{0,60}|\d{1,2}\.\d{1,2}\.\d{2}",   # 02.11.2021, 18.09.2025Firma
    r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2})?)?",               # ISO dates / timestamps
    r"(?:www\.)?[\w-]+(?:\.[\w-]+)*\.(?:dk|com|org|net|eu|se|no|de|io|uk|info)",  # a bare site name
    r"(?:læs også|læs mere|se også|read more|read also|see also|related|relateret)\b.{0,160}",
    r"(?:sponseret|sponsoreret|annonce|annoncørbetalt|sponsored|advertisement|advertorial|ad)",
    r"(?:del|share|print|udskriv|tweet|facebook|linkedin|twitter|x|e-?mail|kopier link|copy link)"
    r"(?:\s+(?:artiklen|artikel|this|on|på|via)\b.{0,30})?",
    r"(?:dato|tid|sted|date|time|place|venue|location|pris|price)",     # labels of event listings
    r"(?:se alle|se flere(?: \w+)?|vis flere|see all|show more|load more|events|arrangementer)",
    r"(?-i:[-–—]\s*[A-ZÆØÅ]{2,5})",                                    # author sign-off "- ABC"
    r"(?:tilmeld dig|abonner|subscribe|sign up)\b.{0,40}",
    r"(?:hold dig opdateret|stay (?:up to date|informed|updated))\b.{0,60}",
    r"(?:cookie|cookies)\b.{0,120}",
    r"(?:kursus|webinar|konference|netværksmøde|course|conference|workshop)",  # listing type labels
    r"(?:tid|time)?\s*\d{1,2}[:.]\d{2}",                                # a bare clock time
    r"(?:skip to (?:main )?content|gå til (?:hoved)?indhold(?:et)?|spring til indhold|menu|søg|search|log ind"
    r"|log in|sign in|luk|close|forside|home|top|til toppen|back to top)",
    r"(?:forside|home)\s*[>›»/|].{0,160}",                              # breadcrumbs
    r"(?:©|copyright\b).{0,160}",
    r"(?:var denne side nyttig|was this page helpful|fandt du det du søgte)\b.{0,80}",
    r"(?:følg os|follow us)\b.{0,80}",
    r"(?:opdateringsdato|senest opdateret|sidst opdateret|last updated|updated|opdateret|publiceret|published"
    r"|udgivet|pressemeddelelse|press release)\b.{0,60}\d.{0,20}",      # datelines
]
_LINE_RE = re.compile(r"^(?:" + "|".join(_LINE_PATTERNS) + r")$", re.IGNORECASE)

# Lines after which, when most prose is behind us, the rest of the page is chrome.
_TAIL_RE = re.compile(
    r"^(?:(?-i:[-–—]\s*[A-ZÆØÅ]{2,5})"
    r"|(?:relateret indhold|relaterede artikler|related (?:content|articles|stories)|mest læste|most read"
    r"|flere nyheder|andre nyheder|more news|you may also like|du vil måske også (?:kunne lide|synes om))"
    r"|(?:sponseret|sponsored|annonce|advertisement)"
    r"|(?:hold dig opdateret|stay up to date|nyhedsbrev|newsletter)\b.{0,60}"
    r"|(?:tilmeld dig (?:vores )?nyhedsbrev|sign up for our newsletter)\b.{0,60}"
    r"|(?:events|kommende events|arrangementer|upcoming events))$",
    re.IGNORECASE,
)

_PROSE_RE = re.compile(r"[.!?][\"”»’)]?$")


def is_chrome_line(line: str) -> bool:
    """True for a line that is page furniture wherever it stands."""
    stripped = line.strip()
    # every tail marker is chrome on its own too, so a second cleaning finds nothing left to cut
    return bool(stripped) and len(stripped) <= 200 and (_LINE_RE.match(stripped) is not None
                                                         or _TAIL_RE.match(stripped) is not None)


def _prose_weight(line: str, chrome: bool) -> int:
    s = line.strip()
    if len(s) < 40 or chrome:
        return 0
    return len(s)


def tail_start(lines: list[str], chrome: list[bool] | None = None) -> int | None:
    """Index of the line where the page's trailing chrome begins, or None.

    The earliest tail marker qualifies when at least half of the document's prose lies
    before it and at least two more chrome lines follow it. ``chrome`` is
    :func:`is_chrome_line` of each line when the caller has it already (each line is matched once).
    """
    chrome = [is_chrome_line(line) for line in lines] if chrome is None else chrome
    weights = [_prose_weight(line, c) for line, c in zip(lines, chrome, strict=True)]
    total = sum(weights)
    if total == 0:
        return None
    before = 0
    chrome_after = [0] * (len(lines) + 1)
    for i in range(len(lines) - 1, -1, -1):
        chrome_after[i] = chrome_after[i + 1] + (1 if chrome[i] else 0)
    for i, line in enumerate(lines):
        if chrome[i] and _TAIL_RE.match(line.strip()) and before >= 0.5 * total and chrome_after[i + 1] >= 2:
            return i
        before += weights[i]
    return None


def remove_chrome(lines: list[str]) -> list[str]:
    """The lines without the page's trailing chrome and without chrome lines."""
    chrome = [is_chrome_line(line) for line in lines]
    cut = tail_start(lines, chrome)
    kept = lines if cut is None else lines[:cut]
    return ["" if c else line for line, c in zip(kept, chrome, strict=False)]
