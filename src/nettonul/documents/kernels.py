"""The quantities a target sentence states, its *kernels*: net zero (and its wordings), a
percentage or range, halving, an amount of emissions, energy, area, power, length or a count,
money for climate finance, a ranking; each with its value, unit (t CO2e, MWh, ha, ...) and
place in the sentence. :mod:`nettonul.documents.targets` decides which of them are targets.

All rules are language patterns in Danish and English; nothing here knows any document.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from nettonul.documents.model import TargetKind
from nettonul.documents.quantities import NUMBER, YEAR_RE, parse_number

_I = re.IGNORECASE
RANGE = rf"({NUMBER})(?:\s*[-–]\s*({NUMBER}))?"
NET_ZERO = re.compile(
    r"klimapositiv\w*|co2-negativ\w*|climate[- ]positive|carbon[- ]negative|\bi nul\b(?! procent| %)"
    r"|klimaneutral\w*|co2-neutral\w*|co₂-neutral\w*|kulstofneutral\w*|fossilfri\w*|netto[- ]?nul\w*|nul-udledning\w*"
    r"|nuludledning\w*|ned på nul|(?:udledning\w*|emission\w*|udslip\w*)\s+(?:på|til)\s+nul"
    r"|(?:være|blive|nå|komme)\s+(?:ned\s+)?(?:på\s+)?nul\b|(?:be|reach|fall to|cut to|reduced? to)\s+zero\b"
    r"|net[- ]zero|carbon[- ]neutral\w*|climate[- ]neutral\w*|zero[- ](?:carbon|emissions?)|carbon[- ]free"
    r"|fossil[- ]free|(?:down )?to zero", _I)
CLIMATE_POSITIVE = re.compile(r"klimapositiv\w*|co2-negativ\w*|climate[- ]positive|carbon[- ]negative", _I)
_NET_ZERO_WORDS = re.compile(
    r"netto[- ]?nul\w*|nul-udledning\w*|nuludledning\w*|net[- ]zero|zero[- ](?:carbon|emissions?)|\bi nul\b", _I)
_FOSSIL_FREE = re.compile(r"fossilfri\w*|fossil[- ]free", _I)
def _variant(word: str) -> str:
    """Which member of the net-zero family a matched word is."""
    if CLIMATE_POSITIVE.fullmatch(word):
        return "climate_positive"
    if _FOSSIL_FREE.fullmatch(word):
        return "fossil_free"
    if _NET_ZERO_WORDS.search(word) and not re.search(r"neutral", word, _I):
        return "net_zero"
    return "climate_neutral" if re.search(r"neutral", word, _I) else "net_zero"
HALVE = re.compile(r"\b(?:halvere\w*|halvering\w*|halve[ds]?|halving|in half|by half)\b", _I)
MONEY = re.compile(
    RANGE + r"\s*(mia\.?|milliard(?:er)?|mio\.?|million(?:er)?|billion|bn|mn)?"
    r"\s*(kr\b\.?|kroner|dkk|eur\b|euro|€|usd|dollars?)"
    r"|(?:\$|€|eur|usd|dkk)\s*" + RANGE + r"\s*(billion|million|bn|mn|mia\.?|mio\.?)?", _I)
RANKING = re.compile(
    r"\bblandt (?:de )?(?:\d+|tre|fem|ti) (?:bedste|grønneste|førende|mest \w+)|\btop[- ]?(?:\d+|tre|fem|ti)\b"
    r"|\bamong the (?:top )?(?:\d+|three|five|ten) (?:best|greenest|leading|most \w+)"
    r"|\b(?:verdens|europas|danmarks|world's|europe's) (?:grønneste|bedste|førende|greenest|best|leading)\b", _I)
REDUCTION = re.compile(
    r"\b(?:reducer\w*|reduktion\w*|nedbring\w*|nedsæt\w*|sænk\w*|mindsk\w*|fald\w*|lavere|reduc\w*|cut\w*"
    r"|lower\w*|decreas\w*|fewer|less)\b", _I)
FINANCE = re.compile(
    r"klimafinansiering\w*|klimabistand\w*|udviklingsbistand\w*|grøn finansiering|climate financ\w*"
    r"|development (?:aid|assistance)|official development|mobili[sz]\w*"
    r"|bidrag\w* til (?:den )?(?:internationale )?klima\w*",
    _I)
# what makes a percentage a share ("50 % af bilerne", "100 % vedvarende energi", "40% of energy")
SHARE_CUE = re.compile(
    r"\b(?:andel\w*|share\w*|dække\w*|cover\w*|udgør\w*|vedvarende|renewable\w*|grøn\w* strøm"
    r"|green (?:electricity|power)|elbil\w*|electric\w*|fossilfri\w*|økologisk\w*|organic|genanvend\w*"
    r"|recycl\w*|trækrone\w*|canopy)\b", _I)
_SHARE_OF = re.compile(r"\s*(?:af|of)\b", _I)   # right after the figure: "50 % af bilerne"
PER_YEAR = re.compile(r"\b(?:om året|årlig\w*|pr\. år|per år|a year|per year|annually|per annum|each year)\b", _I)
@dataclass(frozen=True)
class Kernel:
    kind: TargetKind
    start: int
    end: int
    value: float | None = None
    value_high: float | None = None
    unit: str | None = None
    why: str = ""
    variant: str | None = None
def _value(match: re.Match[str], first: int, language: str) -> tuple[float | None, float | None]:
    low = match.group(first)
    high = match.group(first + 1)
    return (parse_number(low, language) if low else None, parse_number(high, language) if high else None)
# One scan for figures, then the unit right after each one: a number-dense text (a table read as
# text) is read once instead of once per unit pattern.
_FIGURE = re.compile(r"(?<![\w.,])([-−–]\s?)?(" + NUMBER + r")(?:\s*(?:[-–]|til|to)\s*(" + NUMBER + r"))?(?![\w])", _I)
_PCT_UNIT = re.compile(r"\s*(?:%|procent\b|pct\b\.?|per cent\b|percent\b)", _I)
# "mindst 80 % (op til 95 %)": the bracket gives the upper end of a range
_UPPER_END = re.compile(
    r"\s*\((?:op til|up to|og op til|ambition(?:en)?:?)\s*(" + NUMBER + r")\s*(?:%|procent|pct|per cent)\)", _I)
_SCALE = r"(?:\s*(mio\.?|millioner|million|tusind|thousand|mia\.?))?"
_MASS_UNIT = re.compile(
    _SCALE + r"\s*(kilotons?|kt|mt|tons?|tonnes?|t)(?![\w])(?:\s*(?:of\s+)?(?:co2e?|co₂e?|drivhusgas\w*|ghg|carbon))?"
    r"(?:\s*(?:co2e?|co₂e?)(?:-?ækvivalenter)?)?", _I)
_ENERGY_UNIT = re.compile(r"\s*(twh|gwh|mwh|kwh)(?![\w])", _I)
_AREA_UNIT = re.compile(r"\s*(ha|hektar|hectares?|km2|km²|kvadratkilometer)(?![\w])", _I)
_POWER_UNIT = re.compile(r"\s*(mw|gw|mwp|kw)(?![\w])", _I)
_LENGTH_UNIT = re.compile(r"\s*(km|kilometer|kilometres?|kilometers?)(?![\w²2])", _I)
_PER_CAPITA = re.compile(r"\b(?:pr\.?|per)\s+(?:indbygger|borger|capita|person|resident|inhabitant)\w*", _I)
_CAP_CUE = re.compile(
    r"\b(?:højst|maksimalt|max\.?|under|at most|no more than|not exceed|maximum|capped|cap(?:ped)? at|ned på|ned til"
    r"|fall to|falde til|være på|ligge på|limit\w*|loft)\W+(?:\w+\W+){0,2}$", _I)
_CUT_CUE = re.compile(
    r"\b(?:reducer\w*|reduktion\w*|nedbring\w*|nedsæt\w*|sænk\w*|mindsk\w*|bidrag\w* med|spar\w*|besparelse\w*"
    r"|fald\w* med|ned med|reduc\w*|cut\w*|sav(?:e|es|ing)\b|lower\w*|decreas\w*|abate\w*)", _I)
_COUNT_VERB = re.compile(
    r"\b(?:plant\w*|install\w*|opsæt\w*|opsat\w*|etabler\w*|bygge?\w*|build\w*|fit\w*|renover\w*|retrofit\w*"
    r"|udskift\w*|replac\w*|anlæg\w*|skabe?|create\w*|konverter\w*|convert\w*|energirenover\w*|have)\b", _I)
_COUNT_NOUN = re.compile(
    r"\s+(?:(?:of|af)\s+)?(?:(?:nye?|new|offentlige|public|ekstra|additional|flere|more)\s+)?([a-zæøå][\w-]{2,})", _I)
_NOT_COUNTED = frozenset({"grader", "degrees", "år", "years", "year", "procent", "percent", "kr", "kroner", "mia",
                          "mio", "millioner", "million", "gange", "times", "dage", "days", "måneder", "months",
                          "procentpoint", "kommuner", "municipalities"})
_TO_MWH = {"twh": 1_000_000.0, "gwh": 1000.0, "mwh": 1.0, "kwh": 0.001}
_TO_HA = {"ha": 1.0, "hektar": 1.0, "hectare": 1.0, "hectares": 1.0, "km2": 100.0, "km²": 100.0,
          "kvadratkilometer": 100.0}
_SCALES = {"mio": 1e6, "mio.": 1e6, "millioner": 1e6, "million": 1e6, "tusind": 1e3, "thousand": 1e3,
           "mia": 1e9, "mia.": 1e9}
def _scaled(low: float | None, high: float | None, factor: float) -> tuple[float | None, float | None]:
    def one(x: float | None) -> float | None:
        return None if x is None else round(x * factor, 6)
    return one(low), one(high)
_CASEFREE: dict[re.Pattern[str], re.Pattern[str]] = {}


def casefree(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern`` for a lowercased text, without IGNORECASE: matching is several times faster.
    The pattern must name no capital letter (a capital would never match a lowercased text)."""
    found = _CASEFREE.get(pattern)
    if found is None:
        if re.search(r"(?<!\\)[A-ZÆØÅ]", pattern.pattern):
            raise ValueError(f"pattern names a capital letter: {pattern.pattern[:40]}")
        found = _CASEFREE[pattern] = re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)
    return found


class Folded:
    """A text prepared for case-free matching: lowercased where that keeps every offset
    (it always does for Danish and English), otherwise the text itself with the patterns as
    given."""

    __slots__ = ("_spans", "folded", "scan")

    def __init__(self, text: str) -> None:
        low = text.lower()
        self.folded = len(low) == len(text)
        self.scan = low if self.folded else text
        self._spans: dict[re.Pattern[str], tuple[list[int], list[int]]] = {}

    def pattern(self, pattern: re.Pattern[str]) -> re.Pattern[str]:
        return casefree(pattern) if self.folded else pattern

    def search(self, pattern: re.Pattern[str], start: int = 0, end: int | None = None) -> re.Match[str] | None:
        """``pattern.search(text[start:end])``, on the folded text."""
        piece = self.scan if start == 0 and end is None else self.scan[max(0, start):end]
        return self.pattern(pattern).search(piece)

    def within(self, pattern: re.Pattern[str], start: int, end: int) -> bool:
        """Whether a match of ``pattern`` in the whole text lies within ``[start, end)``. The
        matches are found once per text, so many windows (one per figure) cost one scan."""
        spans = self._spans.get(pattern)
        if spans is None:
            found = [(m.start(), m.end()) for m in self.pattern(pattern).finditer(self.scan)]
            spans = self._spans[pattern] = ([a for a, _ in found], [b for _, b in found])
        starts, ends = spans
        i = bisect.bisect_left(starts, max(0, start))
        return i < len(starts) and ends[i] <= end


_REDUCTION_COMPOUND = re.compile(r"-?\w*(?:reduktion|reduction)", _I)
_CO_AFTER = re.compile(r"\s*co", _I)


def find_kernels(sentence: str, language: str, zero_words: bool = True) -> list[Kernel]:
    found: list[Kernel] = []
    fold = Folded(sentence)
    size = len(sentence)
    counting: bool | None = None   # whether the sentence has a counting verb, looked up once when needed
    for m in fold.pattern(NET_ZERO).finditer(fold.scan) if zero_words else ():
        word = sentence[m.start():m.end()]
        found.append(Kernel("net_zero", m.start(), m.end(), why=f"net zero: '{word}'", variant=_variant(word)))
    for m in fold.pattern(_FIGURE).finditer(fold.scan):
        if YEAR_RE.fullmatch(m.group(2)) and not m.group(3):
            continue
        end = m.end()
        # every unit and every counted noun starts with a letter or '%' after the figure: a
        # figure followed by another figure (a table read as text) is none of them
        after = end
        while after < size and sentence[after].isspace():
            after += 1
        if after < size and not (sentence[after].isalpha() or sentence[after] in "%$€"):
            continue
        low, high = _value(m, 2, language)
        if (pct := _PCT_UNIT.match(sentence, end)) is not None:
            end = pct.end()
            upper = _UPPER_END.match(sentence, end)
            if upper and high is None:
                high, end = parse_number(upper.group(1), language), upper.end()
            lo, hi = max(0, m.start() - 80), end + 60
            # "-50 % by 2030" is a reduction written as a negative change; "60 %-drivhusgasreduktion" a compound
            minus = m.group(1) is not None and (m.start() == 0 or not sentence[m.start() - 1].isalnum())
            after_pct = sentence[end:end + 1]
            compound_here = ((after_pct == "-" or after_pct.isalpha())
                             and fold.pattern(_REDUCTION_COMPOUND).match(fold.scan, end, end + 30) is not None)
            kind: TargetKind = ("reduction_pct" if minus or compound_here or fold.within(REDUCTION, lo, hi)
                                else "share" if _SHARE_OF.match(sentence, end) or fold.within(SHARE_CUE, lo, hi)
                                else "other")
            found.append(Kernel(kind, m.start(), end, low, high, "%", why=f"{kind}: '{sentence[m.start():end]}'"))
            continue
        if m.group(1) and not m.group(1).isspace():
            low, high = (-low if low is not None else None), high   # "-45.000 t" keeps its sign for a level
            low = abs(low) if low is not None else None
        if (mass := _MASS_UNIT.match(sentence, end)) is not None and (
                mass.group(2).lower() != "t" or _CO_AFTER.match(sentence, mass.end(2), mass.end(2) + 4)):
            end = mass.end()
            factor = _SCALES.get((mass.group(1) or "").lower(), 1.0)
            unit_word = mass.group(2).lower()
            factor *= 1000.0 if unit_word in ("kt", "kilotons", "kiloton") else 1e6 if unit_word == "mt" else 1.0
            low, high = _scaled(low, high, factor)
            around = (max(0, m.start() - 80), end + 40)
            per_capita = fold.within(_PER_CAPITA, *around)
            kind = ("per_capita" if per_capita else "absolute_level" if fold.search(_CAP_CUE, m.start() - 60, m.start())
                    else "absolute_reduction" if fold.within(_CUT_CUE, *around) else "absolute_level")
            unit = "t CO2e per capita" if per_capita else "t CO2e"
            found.append(Kernel(kind, m.start(), end, low, high, unit, why=f"{kind}: '{sentence[m.start():end]}'"))
            continue
        if (energy := _ENERGY_UNIT.match(sentence, end)) is not None:
            low, high = _scaled(low, high, _TO_MWH[energy.group(1).lower()])
            found.append(Kernel("energy", m.start(), energy.end(), low, high, "MWh",
                                 why=f"energy: '{sentence[m.start():energy.end()]}'"))
            continue
        if (area := _AREA_UNIT.match(sentence, end)) is not None:
            low, high = _scaled(low, high, _TO_HA[area.group(1).lower()])
            found.append(Kernel("area", m.start(), area.end(), low, high, "ha",
                                 why=f"area: '{sentence[m.start():area.end()]}'"))
            continue
        if (power := _POWER_UNIT.match(sentence, end)) is not None:
            found.append(Kernel("other", m.start(), power.end(), low, high, power.group(1).upper().replace("P", "p"),
                                 why=f"capacity: '{sentence[m.start():power.end()]}'"))
            continue
        length = _LENGTH_UNIT.match(sentence, end)
        noun = _COUNT_NOUN.match(sentence, length.end() if length else end)
        if noun is not None and counting is None and noun.group(1).lower() not in _NOT_COUNTED:
            counting = fold.search(_COUNT_VERB) is not None
        if (noun is not None and noun.group(1).lower() not in _NOT_COUNTED and not MONEY.match(sentence, m.start())
                and counting):
            unit = "km" if length else "count"
            found.append(Kernel("count", m.start(), noun.end(), low, high, unit,
                                 why=f"count: '{sentence[m.start():noun.end()]}'"))
    for m in fold.pattern(HALVE).finditer(fold.scan):
        found.append(Kernel("reduction_pct", m.start(), m.end(), 50.0, None, "%",
                             why=f"halving: '{sentence[m.start():m.end()]}'"))
    if fold.search(FINANCE):
        per_year = fold.search(PER_YEAR) is not None
        for m in MONEY.finditer(sentence):
            first = 1 if m.group(1) else 5
            low, high = _value(m, first, language)
            scale = m.group(3) if first == 1 else m.group(7)
            currency = m.group(4) if first == 1 else re.match(r"\$|€|eur|usd|dkk", m.group(0), _I)
            cur = currency if isinstance(currency, str) else (currency.group(0) if currency else "")
            unit = " ".join(x for x in (scale, cur) if x)
            if per_year:
                unit += " per year"
            found.append(Kernel("finance", m.start(), m.end(), low, high, unit or None,
                                 why=f"finance: '{m.group(0)}'"))
    for m in fold.pattern(RANKING).finditer(fold.scan):
        number = re.search(r"\d+", m.group(0))
        found.append(Kernel("ranking", m.start(), m.end(), float(number.group(0)) if number else None, None,
                             "rank" if number else None, why=f"ranking: '{sentence[m.start():m.end()]}'"))
    # a percentage inside an emissions figure or a money amount is not a second kernel
    found.sort(key=lambda k: (k.start, -(k.end - k.start)))
    kept: list[Kernel] = []
    reached = -1   # kernels come by start, so one overlaps a kept one exactly when it starts before this
    for k in found:
        if k.start < reached:
            continue
        kept.append(k)
        reached = k.end
    return kept
