"""Commitments: what the author says they will do, as candidate actions.

Three language patterns find them, in Danish and English:

* a sentence (or a heading) that opens with an actor and "vil"/"will": "Vi vil ...",
  "Regeringen vil ...", "Kommunen vil ...", "Og vi vil ...", "We will ...", "The Council
  commits to ..."; also the inverted Danish order after an adverbial ("Derfor vil vi ...",
  "Med vores indsatser vil vi ...");
* an owner's plan: "Nordby Forsynings plan om at ...", "the utility's plan to ...";
* a labelled action of a plan: "Indsats 2.1: Udbygning af fjernvarmen", "Action 3: ...";
* the items of a list whose lead-in announces goals or actions ("... konkrete
  målsætninger:", "We will:", "Our actions:").

Each candidate gets its section, its theme (the nearest heading) and suggested sector and SDG
tags from the lexicons; an SDG named with a conflicting number and title is flagged.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable

from nettonul.documents.model import Commitment, SdgMention
from nettonul.documents.sections import Outline
from nettonul.documents.tagging import suggest_sdgs, suggest_sector
from nettonul.documents.targets import owner_of
from nettonul.documents.text import Span, paragraphs

_I = re.IGNORECASE
_ACTOR_DA = (r"vi|regeringen|kommunen|byrådet|kommunalbestyrelsen|regionen|regionsrådet|\w*ministeriet|forvaltningen"
             r"|virksomheden|koncernen|danmark|[A-ZÆØÅ][\w-]+ (?:Kommune|Region|Forsyning)|Region [A-ZÆØÅ][\w-]+")
_ACTOR_EN = (r"we|the (?:city|council|city council|municipality|government|ministry|region|county|company|group|"
             r"organi[sz]ation|board)|[A-Z][\w-]+ (?:City Council|Council|Municipality|County)")
_CONNECTORS = (r"og|men|derfor|samtidig|desuden|endelig|fremover|også|herudover|dertil|så|"
               r"and|but|also|therefore|in addition|furthermore|finally|moreover|together")
_MODAL = (r"vil|will|shall|commits? to|(?:is|are) committed to|pledges? to|plans? to|intends? to|undertakes? to"
          r"|(?:is|are) going to|forpligter sig til|agter at|planlægger at|påtager sig at")
OPENING = re.compile(
    rf"^(?:(?:{_CONNECTORS})[,]?\s+)*(?P<actor>{_ACTOR_DA}|{_ACTOR_EN})\s+(?:{_MODAL}),?\s+(?P<action>\S.*)$", _I)
_ADVERBIAL = (r"derfor|dermed|samtidig|fremover|endvidere|desuden|også|fx|f\.eks\.|herudover|endelig|først|dernæst|nu"
              r"|konkret|sammen|med|gennem|i|på|for|fra|inden|ved|under|efter|via|når|hvis|til|hermed|således|frem"
              r"|senest|allerede|hurtigst|blandt")
INVERTED = re.compile(
    rf"^(?P<front>(?:{_ADVERBIAL})\b[^.!?]{{0,120}}?)\s+vil\s+(?P<actor>vi|regeringen|kommunen|byrådet"
    rf"|kommunalbestyrelsen|danmark)\s+(?!ikke\b)(?P<action>\S.*)$", _I)
OWNER_PLAN = re.compile(
    r"(?P<actor>(?:[A-ZÆØÅ][\w-]*\s+)*[A-ZÆØÅ][\w-]*?)(?:s|’s|'s)\s+(?:plan|planer|beslutning|ambition|plan)\s+"
    r"(?:om at|to)\s+(?P<action>\S.*)$")
LEAD_IN = re.compile(
    r"\b(?:mål\w*|målsætning\w*|indsats\w*|initiativ\w*|handling\w*|tiltag\w*|vil|skal|forpligt\w*|will|shall"
    r"|commit\w*|goals?|objectives?|actions?|aims?|measures?|priorit\w*)\b[^.!?]*:$", _I)
ACTION_LABEL = re.compile(
    r"^(?:action|tiltag|indsats|handling|initiativ|measure|aktivitet)\s*(?:nr\.\s*)?[A-Z]?\d{1,2}(?:\.\d{1,2})*"
    r"\s*[:.–-]\s*(?P<action>\S.*)$", _I)
BULLET = re.compile(r"^(?:[•●▪◦‣∙·*\-–]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s+")


# a plan owner that is part of the state: the government's and the nation's commitments are its own
_NATIONAL_BODY = re.compile(r"ministeri\w*|ministry|styrelse\w*|\bregering\w*|government|\bstate\b|\bagency"
                            r"|ambassade\w*|embassy", _I)


def _trim(text: str) -> str:
    return text.strip().rstrip(".;:!").strip()


def _candidate(sentence: Span) -> tuple[str, str | None] | None:
    """(action, actor) when the sentence states a commitment."""
    text = sentence.text
    for pattern in (OPENING, INVERTED, ACTION_LABEL):
        match = pattern.match(text)
        if match:
            return _trim(match.group("action")), match.groupdict().get("actor")
    match = OWNER_PLAN.search(text)
    if match:
        return _trim(match.group("action")), match.group("actor")
    return None


def _list_items(text: str, outline: Outline) -> Iterable[tuple[Span, Span]]:
    """(item, lead-in) for each list item under a lead-in that announces goals or actions."""
    paras = list(paragraphs(text))
    headings = {s.start for s in outline.sections}
    for i, lead in enumerate(paras):
        if not lead.text.endswith(":") or not LEAD_IN.search(lead.text):
            continue
        for k in range(i + 1, len(paras)):
            item = paras[k]
            bullet = BULLET.match(item.text)
            if not bullet or item.start in headings:
                break
            body = item.text[bullet.end():]
            start = item.start + bullet.end()
            end = start + len(body.rstrip(" .;"))
            yield Span(text[start:end], start, end), lead


def _make(text_of_action: str, quote: Span, actor: str | None, outline: Outline,
          mentions: tuple[SdgMention, ...], context: Span | None = None,
          mention_starts: list[int] | None = None, plan_owner: str | None = None) -> Commitment:
    lo = context.start if context is not None else quote.start
    starts = [m.start for m in mentions] if mention_starts is None else mention_starts
    near = mentions[bisect.bisect_left(starts, lo):bisect.bisect_left(starts, quote.end)]
    # the words of a conflicting SDG mention must not suggest a goal or sector by the back door
    words = quote.text
    for m in near:
        if m.conflict and quote.start <= m.start:
            a, b = m.start - quote.start, min(m.end, quote.end) - quote.start
            words = words[:a] + " " * (b - a) + words[b:]
    sector, sector_tags = suggest_sector(words)
    sdg_tags = suggest_sdgs(words, (sector,) if sector else (), near)
    flags = tuple(f"SDG conflict: {m.message()}" for m in near if m.conflict)
    section = outline.section_at(quote.start)
    # who commits: the actor ("Regeringen vil ..." is the nation's), else the list's lead-in
    who = actor or (context.text if context is not None else "")
    owner, is_context = owner_of(who, len(who), plan_owner) if who else (plan_owner, False)
    if is_context and owner == "Danmark" and plan_owner and _NATIONAL_BODY.search(plan_owner):
        owner, is_context = plan_owner, False   # a ministry's "Regeringen vil ..." is its own

    return Commitment(
        text=text_of_action, quote=quote.text, section=section.title if section else None, sector=sector,
        sdgs=tuple(int(t.code) for t in sdg_tags), start=quote.start, end=quote.end,
        theme=outline.theme_at(quote.start), actor=actor, sector_tags=sector_tags, sdg_tags=sdg_tags, flags=flags,
        owner=owner, context=is_context,
    )


def extract_commitments(text: str, sentences: Iterable[Span], outline: Outline,
                        mentions: tuple[SdgMention, ...] = (), plan_owner: str | None = None,
                        ) -> tuple[Commitment, ...]:
    """Candidate actions of a cleaned text, in text order; ``plan_owner`` tells the plan
    owner's commitments from those of others (as for targets)."""
    found: dict[tuple[int, int], Commitment] = {}
    starts = [m.start for m in mentions]   # mentions come sorted by offset
    for sentence in sentences:
        hit = _candidate(sentence)
        if hit is None:
            continue
        action, actor = hit
        quote_text = sentence.text.rstrip()
        quote = Span(quote_text, sentence.start, sentence.start + len(quote_text))
        found[(quote.start, quote.end)] = _make(action, quote, actor, outline, mentions, mention_starts=starts,
                                                plan_owner=plan_owner)
    spans = sorted(found)
    span_starts = [s for s, _ in spans]
    for item, lead in _list_items(text, outline):
        # sentence spans do not overlap, so only the last one starting at or before the item can hold it
        k = bisect.bisect_right(span_starts, item.start) - 1
        if k >= 0 and item.start < spans[k][1]:
            continue
        found[(item.start, item.end)] = _make(_trim(item.text), item, None, outline, mentions, context=lead,
                                              mention_starts=starts, plan_owner=plan_owner)
    return tuple(found[key] for key in sorted(found))
