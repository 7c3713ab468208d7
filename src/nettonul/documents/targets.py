"""Quantitative targets in a cleaned text.

A target is found where a sentence has a *kernel* (net zero, a percentage, an amount of
emissions or energy, money for climate finance, a ranking; read by
:mod:`nettonul.documents.kernels`), a *when* (a target year, or for finance a start year) and
an *aim* (a modal or goal word: "skal", "vil", "går efter", "mål", "will", "aim", "by 2030",
...). Everything else is a statement about the past or the future
that is not a commitment, and is left out:

* achievements: a percentage with only a "siden 2010" / "since 2010" year, or a perfect tense
  ("har givet", "has reduced") without an aim;
* projections: "forventer", "fremskrivning", "expected", "forecast";
* budgets: money without a climate-finance word, or with an allocation verb ("afsat",
  "anvende ... til", "allocated");
* status facts: percentages of a past year without an aim.

All rules are language patterns in Danish and English; nothing here knows any document.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass

from nettonul.documents.kernels import HALVE, RANGE, REDUCTION, Folded, Kernel, casefree, find_kernels
from nettonul.documents.model import Target
from nettonul.documents.quantities import YEAR, YEAR_RE
from nettonul.documents.sections import Outline
from nettonul.documents.text import Span

_I = re.IGNORECASE


# cheap pre-checks: most sentences have neither a digit nor a word of the net-zero family
_DIGIT = re.compile(r"\d")
_ZERO_HINT = re.compile(r"neutral|nul|zero|fossil|carbon|positiv|negativ")
PERCENT = re.compile(r"([-−–]\s?)?" + RANGE + r"\s*(?:%|procent\b|pct\.?|per cent\b|percent\b)", _I)
PHYSICAL = re.compile(RANGE + r"\s*(ha\b|hektar|hectares?|km\b|kilometer|kilometres?|kilometers?|mw\b|gw\b|mwp\b)", _I)
EMISSIONS = re.compile(
    RANGE + r"\s*(mio\.?|millioner|million|tusind|thousand|k)?\s*"
    r"(tons?\s*co2e?|tons?\s*co₂e?|t\s*co2e?|kt\s*co2e?|mt\s*co2e?|tons?\s+drivhusgas\w*|tonnes?\s*co2e?"
    r"|gwh|mwh|twh|kwh|pj|tj|gj)(?:\s*(?:pr\.|per|/)\s*(?:indbygger|capita|person|år|year))?", _I)
AIM = re.compile(
    r"\b(?:skal|vil|går efter|gå efter|mål|målet|målsætning\w*|målsat\w*|ambition\w*|arbejde[rs]? for|forpligte\w*"
    r"|stræbe\w*|sigte[rs]? mod|ønske[rs]? at|planlægge[rs]?|plan(?:en|er)? om|om at|for at|at blive|senest"
    r"|will|shall|aim\w*|target\w*|goal\w*|commit\w*|pledge\w*|strive\w*|seek\w*|plan(?:s|ning)? to|intend\w*"
    r"|no later than|must|going to|må højst|må ikke|vedtaget|besluttet|adopted)\b", _I)
PROJECTION = re.compile(
    r"\b(?:forvent\w*|prognose\w*|fremskriv\w*|skønne\w*|anslå\w*|anslag\w*|estimer\w*|forudsige\w*|forudse\w*"
    r"|expect\w*|projected|projection\w*|forecast\w*|estimat\w*|predict\w*|scenari\w*|sandsynlig\w*|likely)\b", _I)
ACHIEVED = re.compile(
    r"\b(?:har (?:\w+ )?(?:givet|opnået|nået|reduceret|nedbragt|sænket|mindsket|skabt|haft|været)"
    r"|er (?:allerede )?(?:blevet )?(?:reduceret|nedbragt|faldet|steget)|blev|opnåede|reducerede|faldt|nåede"
    r"|har (?:allerede )?(?:indfriet|opfyldt|overgået)"
    r"|(?:have|has|had) (?:already )?(?:been )?(?:achieved|reduced|cut|reached|fallen|lowered|delivered|exceeded|met"
    r"|surpassed)"
    r"|achieved|fell|dropped|was|were)\b", _I)
# a debate about a target is not the target: "Det er tvivlsomt, om målet kan nås", "the goal is out of reach"
DEBATE = re.compile(
    r"\b(?:tvivl\w*|urealistisk\w*|ikke længere (?:er )?realistisk|uden for rækkevidde|diskuter\w*|debatter\w*"
    r"|kan nås\b|ikke (?:vil )?blive nået|out of reach|achievable|questioned|debated?|whether|warns?|be missed"
    r"|not be met|in doubt|unrealistic|off track)\b", _I)
# what remains after the measures is an estimate, not a target
RESIDUAL = re.compile(
    r"\b(?:rest(?:udledning|emission)\w*|resterende|tilbageværende|residual|will (?:still )?remain|remaining emissions"
    r"|vil (?:stadig )?være tilbage)\b", _I)
# a target already met: "the council met its 2020 target", "nåede i 2020 sit mål"
MET_TARGET = re.compile(
    r"\b(?:met|achieved|reached|exceeded|surpassed) (?:its|our|their|the) |\b(?:nåede|indfriede|opfyldte|overgik)\b",
    _I)
# a scenario or a model run assumes; a counterfactual says what would happen
ASSUMPTION = re.compile(
    r"\b(?:antage[rs]?|antages|antaget|forudsætte[rs]?|forudsættes|assum\w*|modelling|modeling"
    r"|uden (?:nye |yderligere )?(?:tiltag|indsatser|initiativer)"
    r"|without (?:new |further |additional )?(?:measures|action|policies)|would)\b",
    _I)
ALLOCATION = re.compile(
    r"\b(?:afsat\w*|afsætte\w*|bevilg\w*|bevilling\w*|anvende\w*|budget\w*|pulje\w*|fonden|fond på|allocat\w*"
    r"|earmark\w*|spend\w*|set aside)\b", _I)
# "vil"/"will" alone is also the plain future ("the population will grow 10 %"); an organisation
# that says it will do something, or a stronger aim word, makes a figure without a cue a target
_PLAIN_FUTURE = frozenset({"vil", "will"})
_ACTOR_WILL = re.compile(
    r"\b(?:vi|we|kommunen|regeringen|byrådet|regionen|the (?:city|council|municipality|government|region|county)"
    r"|[A-ZÆØÅ][\w-]+ (?:Kommune|Region|Council|Municipality))\s+(?:vil|will)\b", _I)
QUALIFIER = re.compile(
    r"\b(senest|mindst|minimum|maksimalt|højst|op til|mere end|cirka|ca\.|omkring|no later than|at least|at most"
    r"|up to|more than|approximately|about|around|nearly)(?=\s)", _I)

_START_PREP = r"fra|from|starting in|starting from|as of|fra og med"
_MONTH = (r"januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december|january|february"
          r"|march|may|june|july|october|jan\.|feb\.|mar\.|apr\.|aug\.|sep\.|sept\.|okt\.|oct\.|nov\.|dec\.")
_DATE_BEFORE = re.compile(
    rf"(?:\b(senest|inden|before|by|no later than|until|til)\s+)?(?:(?:den\s+)?\d{{1,2}}\.?\s*)?(?:{_MONTH})"
    rf"\s*(?:\d{{1,2}},?\s*)?$", _I)
_MONTH_END = re.compile(r"[^\W\d_]\.?\s*(?:\d{1,2},?\s*)?$")
# a deadline is an aim by itself: "Reduce emissions by 50 % by 2030" has no modal verb
_DEADLINES = frozenset({"senest", "inden", "by", "no later than", "before", "by the end of", "ved udgangen af"})
# a superset of the deadlines _years finds: without one of these (and without an aim word) a
# sentence has no target
_DEADLINE_YEAR = re.compile(
    rf"\b(?:senest|inden|by|no later than|before|by the end of|ved udgangen af)\s+"
    rf"(?:udgangen af |slutningen af |the end of |året |år |the year )?{YEAR}", _I)
_TARGET_PREP = (r"senest|allerede|inden|før|frem mod|frem til|i|in|by|no later than|before|until|til|om|år|within"
                r"|by the end of|ved udgangen af|i løbet af")
YEAR_REF = re.compile(
    rf"(?:\b({_START_PREP}|{_TARGET_PREP})\s+(?:udgangen af |slutningen af |the end of |året |år |the year )?)?"
    rf"{YEAR}", _I)
BASE_YEAR = re.compile(
    rf"(?:\b(?:i forhold til|sammenlignet med|målt i forhold til|ift\.|relative to|compared (?:to|with)|against|below"
    rf"|vs\.?|versus|basisår(?:et)?|base year|baseline|siden|since)\s+"
    rf"(?:(?:niveauet|udledningen|udledningerne|the level|levels?)\s+(?:i|in)\s+)?(?:år\s+)?{YEAR}"
    rf"(?:[- ]?(?:niveau\w*|levels?|baseline))?|\b(?:fra|from)\s+{YEAR}[- ](?:niveau\w*|levels?)"
    rf"|{YEAR}[- ](?:niveau\w*|levels?|baseline))",
    _I)
# how far from a figure its year, aim and subject are looked for
_REACH = 300
_CLAUSE_BREAK = re.compile(r"[,;:](?=\s)|\s[-–—]\s|[()]")
_CONNECTOR = re.compile(
    r"^(?:og|men|derfor|dermed|således|samtidig|nu|også|desuden|and|but|also|therefore|thus|hence|so)\b,?\s*", _I)
_RELATIVE = re.compile(r"^(?:som|der|hvor|which|who|that|where)\b", _I)
_PROPER = re.compile(r"[A-ZÆØÅ0-9][\w’'-]*(?:\s+(?:[A-ZÆØÅ][\w’'-]*|\d+))*")
_INVERTED_SUBJECT = re.compile(
    r"\b(?:vil|skal|will|shall)\s+(.{3,90}?)\s+(?:være|blive|nå|udgøre|ligge|be|reach|amount)\b", _I)


_Breaks = tuple[list[int], list[int]]


@dataclass(frozen=True)
class _YearRef:
    year: int
    start: int
    end: int
    role: str   # "target", "start", "base"
    prep: str
    fronted: bool = False   # a clause of its own at the front: "By 2030, ..." / "I 2030, ..."
    relative: bool = False  # "inden for de kommende fire år": counted from the document's date


_NUMBER_WORDS = {w: n for n, words in enumerate((
    "", "et en one a", "to two", "tre three", "fire four", "fem five", "seks six", "syv seven", "otte eight",
    "ni nine", "ti ten", "elleve eleven", "tolv twelve", "", "", "femten fifteen", "", "", "", "", "tyve twenty"))
    for w in words.split()}
RELATIVE_HORIZON = re.compile(
    r"\b(?:inden for|i løbet af|over|within|in|during)\s+(?:de|the)\s+(?:kommende|næste|next|coming)\s+"
    r"(\d{1,2}|[a-zæøå]+)\s+(?:år|years?)\b", _I)


def _relative_years(sentence: str, date: int | None) -> list[_YearRef]:
    """'inden for de kommende fire år' in a document of 2024 is a deadline of 2028."""
    if date is None:
        return []
    refs = []
    for m in RELATIVE_HORIZON.finditer(sentence):
        word = m.group(1).lower()
        n = int(word) if word.isdigit() else _NUMBER_WORDS.get(word)
        if n:
            refs.append(_YearRef(date + n, m.start(), m.end(), "target", "inden", relative=True))
    return refs


def _years(sentence: str, breaks: _Breaks | None = None, date: int | None = None) -> list[_YearRef]:
    breaks = _breaks(sentence) if breaks is None else breaks
    refs: list[_YearRef] = _relative_years(sentence, date)
    base_spans: list[tuple[int, int]] = []
    fold = Folded(sentence)   # the year patterns read case-free on the lowercased sentence
    for m in fold.pattern(BASE_YEAR).finditer(fold.scan):
        year = next(g for g in m.groups() if g)
        refs.append(_YearRef(int(year), m.start(), m.end(), "base", m.group(0).split()[0].lower()))
        base_spans.append((m.start(), m.end()))
    base_starts = [a for a, _ in base_spans]
    for m in fold.pattern(YEAR_REF).finditer(fold.scan):
        i = bisect.bisect_right(base_starts, m.start(2)) - 1
        if i >= 0 and m.start(2) < base_spans[i][1]:
            continue
        prep = (m.group(1) or "").lower()
        # a date fits in 60 characters: searching a window keeps this linear in the sentence; a
        # month ends with a letter just before the year (or its day), which a short look tells
        dated = (fold.pattern(_DATE_BEFORE).search(fold.scan, max(0, m.start(2) - 60), m.start(2))
                 if not prep and _MONTH_END.search(sentence, max(0, m.start(2) - 8), m.start(2)) else None)
        if not prep and dated:
            # "i december 2011" is a date; it is a deadline only after "senest", "by", ...
            if not dated.group(1):
                continue
            prep = dated.group(1).lower()
        role = "start" if prep in ("fra", "from", "starting in", "starting from", "as of", "fra og med") else "target"
        # "2025-26" and "2001-2021" are periods, not deadlines
        after = sentence[m.end():m.end() + 3]
        if re.match(r"[-–]\d", after):
            continue
        if not prep and re.match(r"\s+[A-ZÆØÅ]", sentence[m.end():m.end() + 2]):
            continue   # "the 2011 Climate Action Plan": a year inside a name
        lo, hi = _clause_bounds(sentence, m.start(), breaks)
        fronted = lo == 0 and len(sentence[lo:hi].split()) <= 4
        refs.append(_YearRef(int(m.group(2)), m.start(), m.end(), role, prep, fronted))
    return sorted(refs, key=lambda r: r.start)


def _breaks(sentence: str) -> _Breaks:
    """Starts and ends of every clause break, in order (they never overlap)."""
    found = [(m.start(), m.end()) for m in _CLAUSE_BREAK.finditer(sentence)]
    return [a for a, _ in found], [b for _, b in found]


def _clause_bounds(sentence: str, pos: int, breaks: _Breaks | None = None) -> tuple[int, int]:
    """The clause around ``pos``: from the last break ending at or before it to the next one
    starting at or after it. Looked up by bisection, so a long sentence stays linear."""
    starts, ends = _breaks(sentence) if breaks is None else breaks
    i = bisect.bisect_right(ends, pos) - 1
    j = bisect.bisect_left(starts, pos)
    start, end = (ends[i] if i >= 0 else 0), (starts[j] if j < len(starts) else len(sentence))
    # a run of figures without punctuation (a table read as text) is not one endless clause
    return max(start, pos - _REACH), min(end, pos + _REACH)


def _nearest(refs: Iterable[_YearRef], kernel: Kernel, backward_from: int = 0) -> _YearRef | None:
    """The year reference closest to the kernel, preferring one after it; one before it only
    from ``backward_from`` on (the kernel's clause, for deadlines)."""
    best: _YearRef | None = None
    best_distance = 10**9
    for r in refs:
        if r.start < kernel.start and r.start < backward_from and not r.fronted:
            continue
        distance = r.start - kernel.end if r.start >= kernel.end else (kernel.start - r.end) * 2 + 5
        if distance < best_distance:
            best, best_distance = r, distance
    return best


_TRAILING_FILLER = frozenset({"har", "som", "er", "et", "en", "sit", "sine", "sin", "has", "have", "is", "are",
                              "a", "an", "the", "its", "our", "their", "vores", "deres"})
_VERBS = frozenset({"har", "er", "var", "vil", "skal", "has", "have", "is", "are", "was", "will", "shall"})
_NOT_NAMES = frozenset({"det", "den", "der", "de", "dette", "vi", "i", "og", "men", "målet", "så", "nu", "her", "hvis",
                        "når", "the", "in", "by", "it", "we", "our", "this", "that", "there", "and", "but", "if",
                        "derfor", "dermed", "således", "samtidig", "også", "desuden", "therefore", "thus", "hence",
                        "also"})


def _subject(sentence: str, quote_start: int, aim_start: int | None, kernel_start: int) -> str | None:
    """Who sets the target: the words before the aim, an inverted subject, or the nearest name."""
    # an inverted subject ends within 90 characters of its verb, which stands before the aim
    reach = (aim_start if aim_start is not None else quote_start + _REACH) + 120
    quote = sentence[quote_start:max(quote_start, reach)]
    inverted = _INVERTED_SUBJECT.search(quote)
    if inverted and (aim_start is None or quote_start + inverted.start() <= aim_start + 1):
        subject = inverted.group(1).strip()
        if not re.match(r"(?:vi|we|i|de|they|det|it)\b", subject, _I) or len(subject.split()) > 1:
            return subject
    if aim_start is not None and quote_start < aim_start <= kernel_start:
        words = _CONNECTOR.sub("", sentence[quote_start:aim_start].strip()).rstrip(",").split()
        verb = next((i for i, w in enumerate(words) if w.lower() in _VERBS), None)
        if verb:
            words = words[:verb]                 # "The UK has a legally binding target" -> "The UK"
        while words and words[-1].lower() in _TRAILING_FILLER:
            words.pop()
        if words and (REDUCTION.match(words[0]) or AIM.match(words[0])):
            words = []                           # an imperative ("Reduce emissions ...") names no one
        pre = " ".join(words)
        if (1 <= len(words) <= 7 and (pre[:1].isupper() or pre[:1].isdigit()) and not _RELATIVE.match(pre)
                and "%" not in pre and not YEAR_RE.search(pre)):
            return pre
    before = quote_start or aim_start or 0
    window = max(0, before - _REACH)
    names = [m for m in _PROPER.finditer(sentence, window, before) if _is_name(m, sentence)]
    return re.sub(r"[’']s$", "", names[-1].group(0).strip()) if names else None


def _is_name(match: re.Match[str], sentence: str) -> bool:
    """Whether a run of capitalised words can be who sets a target (not 'GHG', '95', 'Building')."""
    name = match.group(0).strip()
    words = name.split()
    first = words[0]
    if first[0].isdigit() or first.lower() in _NOT_NAMES or REDUCTION.match(name) or AIM.match(name):
        return False
    if len(words) == 1 and not any(ch.islower() for ch in first):
        return False
    if match.start() == 0 and len(words) == 1:
        # a sentence's first word is a name only when a verb follows it: "Byrådet har besluttet"
        return re.match(r"\s+(?:har|er|vil|skal|has|have|is|are|will|shall)\b", sentence[match.end():]) is not None
    return True


def _quote_span(sentence: str, points: list[int], breaks: _Breaks | None = None) -> tuple[int, int]:
    """From the start of the first clause involved to the last word of the target, so two
    targets in one clause ("60 % by 2030 and 80 % by 2050") get quotes of their own."""
    start = min(_clause_bounds(sentence, p, breaks)[0] for p in points)
    end = max(points) + 1
    while end < len(sentence) and sentence[end].isalnum():
        end += 1
    piece = sentence[start:end]
    lead = len(piece) - len(piece.lstrip())
    start += lead
    connector = _CONNECTOR.match(sentence[start:end])
    if connector and start + connector.end() < end:
        start += connector.end()
    while end > start and sentence[end - 1] in " .,;:":
        end -= 1
    if sentence[start:end].count("(") > sentence[start:end].count(")") and sentence[end:end + 1] == ")":
        end += 1                                 # "(basisår 2009)" keeps its closing bracket
    return start, end


# who else sets targets that a plan quotes: the nation, the EU, the Paris Agreement, other bodies
_CONTEXT_OWNERS = (
    ("EU", r"\bEU(?:'s|s)?\b|Europa-Kommissionen\w*|the European (?:Union|Commission)|\bEuropean\b"),
    ("Paris Agreement", r"Parisaftalen\w*|Paris[- ]Agreement|Paris-aftalen\w*"),
    ("Danmark", r"\bDanmark\b|\bDanmarks\b|\bregeringen\b|\bFolketinget\b|\bstaten\b|den danske stat|\bnational\w*"),
    ("UK", r"\bthe UK\b|\bUK\b|the United Kingdom|\bthe (?:national )?government\b|\bParliament\b"),
    ("other", r"\bKlimarådet\b|\bIPCC\b|\bFN\b|\bthe UN\b|\bC40\b|\b\w+ kommuner\b|\bmunicipalities\b"),
)
_CONTEXT_RE = re.compile("|".join(f"(?P<c{k}>{p})" for k, (_, p) in enumerate(_CONTEXT_OWNERS)), _I)
_OWN_RE = re.compile(
    r"\b(?:kommunen\w*|vi|vores|os|byrådet|kommunalbestyrelsen|the (?:city|council|borough|county|municipality)\w*"
    r"|we|our|us)\b", _I)
_NAMED_MUNICIPALITY = re.compile(r"\b([A-ZÆØÅ][\wæøå-]+) (?:Kommune|Municipality|City Council|Council)\b")


def owner_of(text: str, before: int, plan_owner: str | None) -> tuple[str | None, bool]:
    """(owner, context) of a target: the nearest actor named before it in the sentence."""
    best: tuple[int, str | None, bool] = (-1, plan_owner, False)
    lo = max(0, before - _REACH)
    for m in _CONTEXT_RE.finditer(text, lo, before):
        label = next(_CONTEXT_OWNERS[int(k[1:])][0] for k, v in m.groupdict().items() if v)
        best = max(best, (m.start(), m.group(0) if label == "other" else label, True), key=lambda b: b[0])
    for m in _OWN_RE.finditer(text, lo, before):
        if m.start() > best[0]:
            best = (m.start(), plan_owner, False)
    for m in _NAMED_MUNICIPALITY.finditer(text, lo, before):
        if m.start() >= best[0]:
            own = plan_owner is None or m.group(1).lower() in plan_owner.lower()
            best = (m.start(), plan_owner if own and plan_owner else m.group(0), not own)
    return best[1], best[2]


_PLAIN: dict[str, re.Pattern[str]] = {
    "projection": PROJECTION, "goal": re.compile(r"\b(?:mål\w*|target\w*|goal\w*)\b", _I), "debate": DEBATE,
    "residual": RESIDUAL, "met": MET_TARGET, "assumption": ASSUMPTION, "aim": AIM, "deadline": _DEADLINE_YEAR,
    "allocation": ALLOCATION, "achieved": ACHIEVED,
}


_FOLDED = {name: casefree(p) for name, p in _PLAIN.items()}


def targets_in_sentence(sentence: Span, outline: Outline, language: str, date: int | None = None,
                        plan_owner: str | None = None) -> list[Target]:
    """Every target stated in one sentence; ``date`` (the document's year) resolves relative
    horizons, ``plan_owner`` tells the plan owner's targets from those of others."""
    text = sentence.text
    lowered = text.lower()
    zero_words = _ZERO_HINT.search(lowered) is not None
    if not zero_words and not _DIGIT.search(text) and not HALVE.search(text):
        return []
    # what holds for the whole sentence is looked up once, not once per figure, and before the
    # figures are read: a sentence that cannot hold a target costs one scan
    # (on the lowercased text with lowercase patterns where lowercasing keeps every offset:
    # several times faster than matching ignoring case)
    folded = len(lowered) == len(text)
    scan, traps = (lowered, _FOLDED) if folded else (text, _PLAIN)
    projection = traps["projection"].search(scan) is not None and traps["goal"].search(scan) is None
    if (projection or traps["debate"].search(scan) or traps["residual"].search(scan)
            or traps["met"].search(scan) or traps["assumption"].search(scan)):
        return []   # a debate, a projection, a residual estimate, a met target or an assumption
    all_aims = [(m.start(), text[m.start():m.end()]) for m in traps["aim"].finditer(scan)]
    if (not all_aims and traps["deadline"].search(scan) is None
            and (date is None or not RELATIVE_HORIZON.search(text))):
        return []   # no aim word and no deadline ("by 2030"): figures without a promise (a table read as text)
    kernels = find_kernels(text, language, zero_words)
    if not kernels:
        return []
    breaks = _breaks(text)
    refs = _years(text, breaks, date)
    ref_starts = [r.start for r in refs]
    allocation = traps["allocation"].search(scan) is not None
    achieved = traps["achieved"].search(scan) is not None
    aim_starts = [a for a, _ in all_aims]
    actor_will = _ACTOR_WILL.search(text) is not None
    found: list[Target] = []
    for kernel in kernels:
        clause = _clause_bounds(text, kernel.start, breaks)
        if projection:
            continue
        if kernel.kind == "finance" and allocation:
            continue
        # only what stands near a figure can belong to it: a window keeps a long sentence linear
        lo, hi = kernel.start - _REACH, kernel.end + _REACH
        near = refs[bisect.bisect_left(ref_starts, lo):bisect.bisect_right(ref_starts, hi)]
        wanted = ("target", "start") if kernel.kind == "finance" else ("target",)
        when = _nearest((r for r in near if r.role in wanted), kernel, backward_from=clause[0])
        if when is None:
            continue
        aims = all_aims[bisect.bisect_left(aim_starts, lo):bisect.bisect_right(aim_starts, hi)]
        if not aims and when.prep in _DEADLINES:
            aims = [(when.start, when.prep)]
        if not aims:
            continue
        if (kernel.kind == "other" and all(word.lower() in _PLAIN_FUTURE for _, word in aims)
                and not actor_will):
            continue   # "Befolkningen vil vokse med 10 % frem mod 2030" is a forecast, not a target
        clause_text = text[clause[0]:clause[1]]
        if achieved and not AIM.search(clause_text):
            continue   # "we had exceeded the goal, reaching a 20 % reduction": done, not promised
        # years inside the kernel ("2030-niveau") or in an earlier sentence part about the past do not count
        base = _nearest((r for r in near if r.role == "base" and r.prep not in ("siden", "since")), kernel)
        if base is None and kernel.kind == "reduction_pct":
            # "reduce by 50 % from 2010 by 2030": an earlier 'from' year is the base
            base = _nearest((r for r in near if r.role == "start" and r.year < when.year), kernel)
        if base is not None and (base.year >= when.year or kernel.kind not in ("reduction_pct", "absolute_level")):
            base = None   # a base year belongs to a reduction or a level, never to net zero or a share
        # the aim is the first aim word of the kernel's clause ("arbejder for at blive ..."), else the nearest
        in_clause = [a for a in aims if clause[0] <= a[0] < kernel.start]
        before_kernel = [a for a in aims if a[0] < kernel.start]
        aim_start, aim_word = (in_clause[0] if in_clause else before_kernel[-1] if before_kernel
                               else min(aims, key=lambda a: abs(a[0] - kernel.start)))
        points = [kernel.start, kernel.end - 1, when.start, when.end - 1, aim_start]
        if base is not None:
            points += [base.start, base.end - 1]
        q_start, q_end = _quote_span(text, points, breaks)
        quote = text[q_start:q_end]
        qualifier = None
        for m in QUALIFIER.finditer(quote):
            near_value = abs((q_start + m.end()) - kernel.start) <= 3
            near_year = abs((q_start + m.end()) - when.start) <= 3
            if near_value or near_year:
                qualifier = m.group(1).lower()
                break
        section = outline.section_at(sentence.start + q_start)
        owner, context = owner_of(text, min(kernel.start, aim_start), plan_owner)
        found.append(Target(
            owner=owner, context=context, variant=kernel.variant, relative=when.relative,
            subject=_subject(text, q_start, aim_start, kernel.start),
            kind=kernel.kind, value=kernel.value, value_high=kernel.value_high, unit=kernel.unit,
            base_year=base.year if base else None, target_year=when.year, qualifier=qualifier,
            quote=quote, section=section.title if section else None,
            start=sentence.start + q_start, end=sentence.start + q_end,
            why=f"{kernel.why}; when: '{text[when.start:when.end]}'; aim: '{aim_word}'",
        ))
    # "net zero or a 100 % reduction by 2050" is one target, not two
    zero_years = {t.target_year for t in found if t.kind == "net_zero"}
    return [t for t in found if not (t.kind == "reduction_pct" and (t.value or 0) >= 100
                                     and t.target_year in zero_years)]


def extract_targets(sentences: Iterable[Span], outline: Outline, language: str, date: int | None = None,
                    plan_owner: str | None = None) -> tuple[Target, ...]:
    """Targets of a whole text, in order, one per span of text."""
    found: list[Target] = []
    seen: set[tuple[object, ...]] = set()
    for sentence in sentences:
        for target in targets_in_sentence(sentence, outline, language, date, plan_owner):
            key = (target.start, target.end, target.kind, target.value, target.target_year)
            if key in seen:
                continue
            seen.add(key)
            found.append(target)
    return tuple(found)


def merge_restatements(targets: Iterable[Target]) -> tuple[Target, ...]:
    """One target per distinct statement: a target restated across a document (same kind,
    value, unit, base and target year, owner) is one target with all its mentions, kept at
    its first mention."""
    merged: dict[tuple[object, ...], Target] = {}
    for t in targets:
        key = (t.kind, t.value, t.value_high, t.unit, t.base_year, t.target_year, t.owner, t.context, t.variant)
        first = merged.get(key)
        if first is None:
            merged[key] = t
            continue
        merged[key] = dataclasses.replace(first, mentions=first.all_mentions() + t.all_mentions())
    return tuple(sorted(merged.values(), key=lambda t: t.start))
