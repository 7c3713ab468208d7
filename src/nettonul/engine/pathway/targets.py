"""Emission targets as small immutable specs, and the compact strings the CLI accepts.

A target says what emissions should be in one year. Four kinds cover what climate plans
state (methodology section 2.2 and 6.1):

* :class:`Reduction` - ``fraction`` below the emissions of year ``against``
  (``0.70`` is -70 %; ``1.10`` is -110 %, i.e. net removals; a negative fraction is growth);
* :class:`NetZero` - zero (net) emissions in ``year``;
* :class:`Absolute` - a level in t CO2e;
* :class:`PerCapita` - a level in t CO2e per inhabitant, turned into t CO2e with the
  organisation's population in the target year.

Each kind may name a ``sector``; without one it applies to the organisation's total.
Compact strings (see :func:`parse_target`)::

    2030:-70%@1990         -70 % in 2030 against 1990
    2030:-70%              -70 % in 2030 against the pathway's base year
    netzero:2050           net zero in 2050 (also "2050:netzero")
    2035:2.5t/cap          2.5 t CO2e per inhabitant in 2035
    2030:1.2Mt             1.2 Mt CO2e in 2030 (t, kt, Mt, with or without "CO2e")
    transport:2030:-50%@1990   a sector target: any of the above after "sector:"

The Danish legal and proposed national targets are data, in ``data/reference/dk_targets.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any, ClassVar

import yaml

from nettonul.engine.core import i18n, units
from nettonul.engine.core.errors import SpecError
from nettonul.engine.core.i18n import N_
from nettonul.engine.core.vocabulary import FIRST_YEAR as MIN_YEAR
from nettonul.engine.core.vocabulary import LAST_YEAR as MAX_YEAR
from nettonul.engine.core.vocabulary import TARGET_KINDS, TargetKind


@dataclass(frozen=True)
class Reduction:
    """Emissions in ``year`` are ``fraction`` below those of ``against`` (None: the base year)."""

    kind: ClassVar[TargetKind] = "reduction"

    year: int
    fraction: float
    against: int | None = None
    sector: str | None = None

    def describe(self, language: str | None = "en", sector_name: str | None = None) -> str:
        """``-70% in 2030 vs 1990`` (``-70 % i 2030 ift. 1990`` in Danish)."""
        sign = "-" if self.fraction >= 0 else "+"
        key = N_("target.reduction") if self.against is not None else N_("target.reduction_base")
        return _worded(key, language, self.sector, sector_name, sign=sign, year=self.year, against=self.against,
                       percent=_short(abs(self.fraction) * 100, language))


@dataclass(frozen=True)
class NetZero:
    """Net zero emissions in ``year``."""

    kind: ClassVar[TargetKind] = "net_zero"

    year: int
    sector: str | None = None

    def describe(self, language: str | None = "en", sector_name: str | None = None) -> str:
        """``net zero in 2050`` (``nettonul i 2050`` in Danish)."""
        return _worded(N_("target.net_zero"), language, self.sector, sector_name, year=self.year)


@dataclass(frozen=True)
class Absolute:
    """Emissions of ``value`` t CO2e in ``year``."""

    kind: ClassVar[TargetKind] = "absolute"

    year: int
    value: float
    sector: str | None = None

    def describe(self, language: str | None = "en", sector_name: str | None = None) -> str:
        """``12,000 t CO2e in 2030`` (``12.000 t CO2e i 2030`` in Danish)."""
        return _worded(N_("target.absolute"), language, self.sector, sector_name, year=self.year,
                       value=i18n.number(self.value, language))


@dataclass(frozen=True)
class PerCapita:
    """Emissions of ``value`` t CO2e per inhabitant in ``year``."""

    kind: ClassVar[TargetKind] = "per_capita"

    year: int
    value: float
    sector: str | None = None

    def describe(self, language: str | None = "en", sector_name: str | None = None) -> str:
        """``2.5 t CO2e per inhabitant in 2035`` (``2,5 t CO2e pr. indbygger i 2035`` in Danish)."""
        return _worded(N_("target.per_capita"), language, self.sector, sector_name, year=self.year,
                       value=_short(self.value, language))


Target = Reduction | NetZero | Absolute | PerCapita


def make_target(kind: str, year: int, value: float | None = None, against: int | None = None,
                sector: str | None = None) -> Target:
    """The target of one ``kind`` (:data:`~nettonul.engine.core.vocabulary.TARGET_KINDS`) from
    the fields a plan file or a stored target row gives; a SpecError names what is missing."""
    s = sector or None
    if kind == "net_zero":
        return NetZero(int(year), s)
    if kind not in TARGET_KINDS:
        raise SpecError(f"unknown target kind '{kind}' (use {', '.join(TARGET_KINDS)})")
    if value is None:
        raise SpecError(_NEEDS_VALUE[kind])
    if kind == "reduction":
        return Reduction(int(year), float(value), None if against is None else int(against), s)
    if kind == "absolute":
        return Absolute(int(year), float(value), s)
    return PerCapita(int(year), float(value), s)


#: Why a target of each kind without a value cannot be used.
_NEEDS_VALUE = {
    "reduction": "a reduction target needs a value (0.7 = 70 %)",
    "absolute": "an absolute target needs a value in t CO2e",
    "per_capita": "a per-capita target needs a value in t CO2e per inhabitant",
}


def _prefix(sector: str | None) -> str:
    return f"{sector}: " if sector else ""


def _short(value: float, language: str | None) -> str:
    """A number as ``:g`` writes it (``62.5``, ``70``), with the decimal comma in Danish."""
    text = f"{value:g}"
    return text.replace(".", ",") if i18n.language_of(language) == "da" else text


def _worded(key: str, language: str | None, sector: str | None, sector_name: str | None, **args: object) -> str:
    """A target's description from the catalogue, prefixed by its sector (its name if given)."""
    return _prefix(sector_name or sector) + i18n.text(key, language, **args)


# --------------------------------------------------------------------------- parsing
_FORMS = ("2030:-70%@1990", "2030:-70%", "netzero:2050", "2035:2.5t/cap", "2030:1.2Mt",
          "transport:2030:-50%@1990")
_PERCENT = re.compile(r"^([+-]?\d+(?:\.\d+)?)%(?:@(\d{4}))?$")
_PER_CAPITA = re.compile(r"^(\d+(?:\.\d+)?)\s*t(?:\s*CO2e?)?\s*/\s*(?:cap|capita|inh|person)$", re.IGNORECASE)
_LEVEL = re.compile(r"^(\d+(?:\.\d+)?(?:e[+-]?\d+)?)\s*(t|kt|Mt)(?:\s*CO2e?)?$", re.IGNORECASE)
_NETZERO = ("netzero", "net-zero", "net_zero", "nz")


def _bad(text: str, why: str) -> SpecError:
    return SpecError(f"target '{text}': {why}. Write it like one of: {', '.join(_FORMS)}")


def _year(token: str, text: str) -> int:
    if not re.fullmatch(r"\d{4}", token):
        raise _bad(text, f"'{token}' is not a year")
    year = int(token)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _bad(text, f"year {year} is outside {MIN_YEAR}-{MAX_YEAR}")
    return year


def parse_target(text: str) -> Target:
    """One target from a compact string; raises SpecError naming the string and the forms."""
    raw = text.strip()
    parts = [p.strip() for p in raw.split(":")]
    if len(parts) < 2 or any(not p for p in parts):
        raise _bad(text, "expected 'YEAR:VALUE', 'netzero:YEAR' or 'SECTOR:YEAR:VALUE'")
    sector: str | None = None
    if len(parts) == 3:
        sector, parts = parts[0], parts[1:]
        if not re.fullmatch(r"[a-z][a-z0-9_.]*", sector):
            raise _bad(text, f"'{sector}' is not a sector code (lower case, e.g. transport)")
    elif len(parts) != 2:
        raise _bad(text, "too many ':'")
    first, second = parts
    if first.lower() in _NETZERO:
        return NetZero(_year(second, text), sector)
    year = _year(first, text)
    value = second.replace(" ", "")
    if value.lower() in _NETZERO:
        return NetZero(year, sector)
    if m := _PERCENT.match(value):
        change = float(m.group(1)) / 100.0
        against = _year(m.group(2), text) if m.group(2) else None
        if against is not None and against >= year:
            raise _bad(text, f"the reference year {against} must be before the target year {year}")
        if not value.startswith(("-", "+")) and change != 0:
            raise _bad(text, "write a reduction with its sign, e.g. -70% (or +10% for growth)")
        return Reduction(year, -change, against, sector)
    if m := _PER_CAPITA.match(value):
        return PerCapita(year, float(m.group(1)), sector)
    if m := _LEVEL.match(value):
        unit = {"t": "t_CO2e", "kt": "kt_CO2e", "mt": "Mt_CO2e"}[m.group(2).lower()]
        return Absolute(year, units.to_tonnes_co2e(float(m.group(1)), unit), sector)
    if value in ("0", "0t"):
        return NetZero(year, sector)
    raise _bad(text, f"cannot read the value '{second}'")


def parse_targets(texts: Iterable[str]) -> tuple[Target, ...]:
    """Several targets; every bad string is reported in one SpecError."""
    out: list[Target] = []
    errors: list[str] = []
    for t in texts:
        try:
            out.append(parse_target(t))
        except SpecError as exc:
            errors.append(str(exc))
    if errors:
        raise SpecError("\n".join(errors))
    check_consistent(out)
    return tuple(out)


def check_consistent(targets: Sequence[Target]) -> None:
    """At most one target per (sector, year): two levels for one year cannot both be hit."""
    seen: dict[tuple[str | None, int], Target] = {}
    for t in targets:
        key = (t.sector, t.year)
        if key in seen:
            raise SpecError(f"two targets for {t.sector or 'the total'} in {t.year}: "
                            f"'{seen[key].describe()}' and '{t.describe()}'; keep one")
        seen[key] = t


def describe(targets: Iterable[Target]) -> list[str]:
    return [t.describe() for t in targets]


# --------------------------------------------------------------------------- Danish targets
@dataclass(frozen=True)
class ReferenceTarget:
    """A national target from ``dk_targets.yaml`` with its legal status and sources."""

    id: str
    target: Target
    status: str
    text: str
    sources: tuple[str, ...]
    note: str = ""


def _from_yaml(item: dict[str, Any]) -> Target:
    try:
        return make_target(item["kind"], item["year"], item.get("fraction"), item.get("against"))
    except SpecError as exc:
        raise SpecError(f"dk_targets.yaml: {exc}") from None


@lru_cache(maxsize=1)
def _dk_targets_file() -> dict[str, Any]:
    text = (resources.files("nettonul.engine") / "data" / "reference" / "dk_targets.yaml").read_text(
        encoding="utf-8")
    data: dict[str, Any] = yaml.safe_load(text)
    return data


@lru_cache(maxsize=1)
def danish_targets() -> tuple[ReferenceTarget, ...]:
    """Danish national targets (Climate Act and proposals), methodology section 6.1."""
    data = _dk_targets_file()
    return tuple(
        ReferenceTarget(str(i["id"]), _from_yaml(i), str(i["status"]), str(i["text"]),
                        tuple(str(s) for s in i["sources"]), str(i.get("note", "")))
        for i in data["targets"]
    )


@lru_cache(maxsize=1)
def default_targets() -> tuple[Target, ...]:
    """The targets a Danish municipal pathway uses unless told otherwise: those marked
    ``default: true`` in ``dk_targets.yaml`` (the Climate Act's -70 % in 2030 vs 1990 and
    climate neutrality in 2050)."""
    data = _dk_targets_file()
    wanted = {str(i["id"]) for i in data["targets"] if i.get("default")}
    return tuple(r.target for r in danish_targets() if r.id in wanted)
