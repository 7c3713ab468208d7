"""The real reference data shipped with nettonul, as labelled numpy arrays.

Files live in ``nettonul/data`` with their provenance in ``PROVENANCE.md``:
the 98 Danish municipalities (DAWA/DST), population 2008-2026 (DST FOLK1A/FOLK1AM),
the municipal Energi- og CO2-regnskab 2018-2023 (Energistyrelsen) and the national
inventory and KF25 projection by CRF category 1990-2050 (Energistyrelsen).
Each loader is cached: the files are read once per process.
"""

from __future__ import annotations

import csv
import difflib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt
import yaml

from nettonul.engine.core.arrays import FloatArray
from nettonul.engine.core.errors import UnknownOrganisationError
from nettonul.engine.core.panel import Panel


@dataclass(frozen=True)
class DataSource:
    """Where a number comes from: shown next to every figure a user sees."""

    key: str
    title: str
    publisher: str
    vintage: str
    file: str
    licence: str = ""

    def citation(self) -> str:
        return f"{self.publisher}: {self.title} ({self.vintage})"


SOURCES: dict[str, DataSource] = {
    "municipalities": DataSource(
        "municipalities", "Kommuner (DAWA) and ARE207 area", "Klimadatastyrelsen / Danmarks Statistik",
        "2026", "danish_municipalities.csv", "free Danish public data",
    ),
    "population": DataSource(
        "population", "FOLK1A (Q1) 2008-2021, FOLK1AM (January) 2022-2026", "Danmarks Statistik",
        "2026-01", "municipal_population.csv", "CC BY 4.0",
    ),
    "klimaregnskab": DataSource(
        "klimaregnskab", "Energi- og CO2-regnskabet, Nøgletal", "Energistyrelsen / klimaregnskabet.dk",
        "fetched 2026-05-18", "municipal_ghg_emissions_klimaregnskab.csv", "expected CC0-like (PSI law)",
    ),
    "kf25": DataSource(
        "kf25", "Klimastatus og -fremskrivning 2025 (KF25), CRF-tabeller", "Energistyrelsen",
        "2025", "national_ghg_emissions_kf25_crf.csv", "no licence stated; attribute Energistyrelsen",
    ),
    "passenger_cars": DataSource(
        "passenger_cars", "BIL707 passenger cars at 1 January", "Danmarks Statistik",
        "2026-01", "municipal_passenger_cars.csv", "CC BY 4.0",
    ),
}


def _rows(filename: str) -> list[dict[str, str]]:
    text = (resources.files("nettonul") / "data" / filename).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def _fold(text: str, loose: bool = False) -> str:
    """Case- and accent-insensitive key. Danish letters become their usual transliteration
    (æ->ae, ø->oe, å->aa), or with ``loose`` the bare vowel, as people type without them."""
    text = text.strip().lower()
    for a, b, c in (("æ", "ae", "a"), ("ø", "oe", "o"), ("å", "aa", "a")):
        text = text.replace(a, c if loose else b)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    for suffix in (" kommune", " municipality"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    return text.replace(" ", "").replace("-", "")


# --------------------------------------------------------------------------- municipalities
@dataclass(frozen=True)
class Municipality:
    code: str
    code4: str
    name: str
    region_code: str
    region_name: str
    population_2023: int
    population_2026: int
    area_km2: float
    lon: float
    lat: float


@lru_cache(maxsize=1)
def municipalities() -> tuple[Municipality, ...]:
    """The 98 Danish municipalities, ordered by kommunekode."""
    out = [
        Municipality(
            code=r["kommunekode"],
            code4=r["kommune_kode_4"],
            name=r["name"],
            region_code=r["region_code"],
            region_name=r["region_name"],
            population_2023=int(r["population_2023_01_01"]),
            population_2026=int(r["population_2026_01_01"]),
            area_km2=float(r["area_km2_2026_01_01"]),
            lon=float(r["center_lon"]),
            lat=float(r["center_lat"]),
        )
        for r in _rows("danish_municipalities.csv")
    ]
    return tuple(sorted(out, key=lambda m: int(m.code)))


@lru_cache(maxsize=1)
def _municipality_index() -> dict[str, Municipality]:
    index: dict[str, Municipality] = {}
    for m in municipalities():
        index[m.code] = m
        index[m.code4] = m
        index[str(int(m.code))] = m
        index[_fold(m.name)] = m
        index.setdefault(_fold(m.name, loose=True), m)
    index[_fold("Copenhagen")] = index["101"]
    return index


def find_municipality(query: str) -> Municipality:
    """A municipality by kommunekode (``101``, ``0101``) or name (``København``,
    ``kobenhavn``, ``Københavns Kommune``, ``Copenhagen``)."""
    key = query.strip()
    index = _municipality_index()
    for candidate in (key, _fold(key), _fold(key).removesuffix("s")):
        if candidate in index:
            return index[candidate]
    names = {_fold(m.name, loose=True): m.name for m in municipalities()}
    close = [names[k] for k in difflib.get_close_matches(_fold(key, loose=True), names, n=5)]
    hint = f"; did you mean {', '.join(close[:5])}?" if close else ""
    raise UnknownOrganisationError(f"no Danish municipality matches '{query}'{hint}")


# --------------------------------------------------------------------------- population
@dataclass(frozen=True)
class SeriesTable:
    """Values by organisation (rows, kommunekode order) and year (columns)."""

    codes: tuple[str, ...]
    years: npt.NDArray[np.int64]
    values: FloatArray
    unit: str
    source: DataSource

    def row(self, code: str) -> FloatArray:
        out: FloatArray = self.values[self.codes.index(code)]
        return out


def _table(rows: list[dict[str, str]], year_of: str, value_of: str, unit: str, source: str) -> SeriesTable:
    codes = tuple(m.code for m in municipalities())
    years = sorted({int(r[year_of][:4]) for r in rows})
    values = np.full((len(codes), len(years)), np.nan)
    ci = {c: i for i, c in enumerate(codes)}
    yi = {y: i for i, y in enumerate(years)}
    for r in rows:
        values[ci[r["kommunekode"]], yi[int(r[year_of][:4])]] = float(r[value_of])
    values.setflags(write=False)
    return SeriesTable(codes, np.asarray(years, dtype=np.int64), values, unit, SOURCES[source])


@lru_cache(maxsize=1)
def population() -> SeriesTable:
    """Population on 1 January, 2008-2026, persons."""
    return _table(_rows("municipal_population.csv"), "date", "population", "person", "population")


@lru_cache(maxsize=1)
def passenger_cars() -> SeriesTable:
    """Passenger cars on 1 January, 2007-2026."""
    return _table(_rows("municipal_passenger_cars.csv"), "date", "passenger_cars", "vehicle", "passenger_cars")


# --------------------------------------------------------------------------- municipal emissions
#: Columns of the Energi- og CO2-regnskab file and the dk-municipal sector each one is.
KLIMAREGNSKAB_SECTORS: dict[str, str] = {
    "energi_t_co2e": "energy",
    "transport_t_co2e": "transport",
    "landbrug_t_co2e": "agriculture",
    "affald_t_co2e": "waste",
    "industri_t_co2e": "industry",
}


@dataclass(frozen=True)
class MunicipalEmissions:
    """Energi- og CO2-regnskab: t CO2e by municipality x sector x year, and the published total."""

    codes: tuple[str, ...]
    sectors: tuple[str, ...]
    years: npt.NDArray[np.int64]
    values: FloatArray  # (org, sector, year), t CO2e
    published_total: FloatArray  # (org, year), t CO2e, the file's "Samlet"
    unit: str
    gwp_set: str
    source: DataSource


@lru_cache(maxsize=1)
def klimaregnskab() -> MunicipalEmissions:
    rows = _rows("municipal_ghg_emissions_klimaregnskab.csv")
    codes = tuple(m.code for m in municipalities())
    years = sorted({int(r["year"]) for r in rows})
    sectors = tuple(KLIMAREGNSKAB_SECTORS.values())
    values = np.full((len(codes), len(sectors), len(years)), np.nan)
    total = np.full((len(codes), len(years)), np.nan)
    ci = {c: i for i, c in enumerate(codes)}
    yi = {y: i for i, y in enumerate(years)}
    for r in rows:
        o, y = ci[r["kommunekode"]], yi[int(r["year"])]
        for s, column in enumerate(KLIMAREGNSKAB_SECTORS):
            values[o, s, y] = float(r[column])
        total[o, y] = float(r["total_t_co2e"])
    values.setflags(write=False)
    total.setflags(write=False)
    return MunicipalEmissions(
        codes, sectors, np.asarray(years, dtype=np.int64), values, total,
        "t_CO2e", "AR5", SOURCES["klimaregnskab"],
    )


# --------------------------------------------------------------------------- national inventory
@dataclass(frozen=True)
class NationalInventory:
    """KF25: Mt CO2e (AR5) by CRF category x year, 1990-2050, for one gas column."""

    crf_codes: tuple[str, ...]
    descriptions: tuple[str, ...]
    years: npt.NDArray[np.int64]
    values: FloatArray  # (crf, year), Mt CO2e; 0 where the workbook cell was blank
    last_historical_year: int
    unit: str
    gwp_set: str
    source: DataSource


@lru_cache(maxsize=8)
def national_inventory(gas: str = "CO2e_total") -> NationalInventory:
    rows = [r for r in _rows("national_ghg_emissions_kf25_crf.csv") if r["gas"] == gas]
    codes: dict[str, str] = {}
    for r in rows:
        codes.setdefault(r["crf_code"], r["description"])
    years = sorted({int(r["year"]) for r in rows})
    values = np.zeros((len(codes), len(years)))
    ci = {c: i for i, c in enumerate(codes)}
    yi = {y: i for i, y in enumerate(years)}
    last_hist = 0
    for r in rows:
        values[ci[r["crf_code"]], yi[int(r["year"])]] = float(r["emissions_mt_co2e"])
        if r["period"] == "historical":
            last_hist = max(last_hist, int(r["year"]))
    values.setflags(write=False)
    return NationalInventory(
        tuple(codes), tuple(codes.values()), np.asarray(years, dtype=np.int64), values,
        last_hist, "Mt_CO2e", "AR5", SOURCES["kf25"],
    )


@dataclass(frozen=True)
class NationalSectorSeries:
    """National emissions aggregated to the top-level sectors of a framework, Mt CO2e."""

    sectors: tuple[str, ...]
    years: npt.NDArray[np.int64]
    values: FloatArray  # (sector, year)
    last_historical_year: int
    crf: dict[str, tuple[str, ...]]
    source: DataSource


def _mapping(name: str) -> dict[str, Any]:
    text = (resources.files("nettonul.engine") / "data" / "mappings" / f"{name}.yaml").read_text(
        encoding="utf-8"
    )
    loaded: dict[str, Any] = yaml.safe_load(text)
    return loaded


@lru_cache(maxsize=4)
def national_sector_series(framework_id: str = "dk-municipal") -> NationalSectorSeries:
    """KF25 national emissions summed to the framework's sectors (via the CRF mapping file)."""
    mapping = _mapping(f"{framework_id}_to_crf")["sectors"]
    inv = national_inventory()
    index = {c: i for i, c in enumerate(inv.crf_codes)}
    sectors = tuple(mapping)
    values = np.zeros((len(sectors), inv.years.size))
    crf: dict[str, tuple[str, ...]] = {}
    for s, sector in enumerate(sectors):
        codes = tuple(str(c) for c in mapping[sector]["crf"])
        crf[sector] = codes
        values[s] = inv.values[[index[c] for c in codes]].sum(axis=0)
    values.setflags(write=False)
    return NationalSectorSeries(sectors, inv.years, values, inv.last_historical_year, crf, inv.source)


def klimaregnskab_panel(codes: Sequence[str] | None = None) -> Panel:
    """The Energi- og CO2-regnskab as a panel (t CO2e, AR5) for the given municipalities
    (all 98 by default), on the five dk-municipal sectors it publishes."""
    k = klimaregnskab()
    panel = Panel(
        orgs=k.codes, sectors=k.sectors, years=k.years, values=np.array(k.values),
        unit=k.unit, gwp_set=k.gwp_set, framework="dk-municipal",
        sources=(k.source.citation(),),
    )
    return panel.select(codes)
