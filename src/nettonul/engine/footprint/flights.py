"""Business travel by air: great-circle distances, distance bands, cabin classes, RF uplift.

Distances between airports come from the IATA coordinates in the ``airportsdata`` package
(great circle on a sphere of the IUGG mean Earth radius); where a trip's airports are not
given, the distance or passenger-km is taken from the activity data. Distance-band limits,
flight factors, cabin-class multipliers and the radiative-forcing multiplier are all rows of
the imported factor table, each with its source: nothing about flights is hard-coded here
except the geometry.

Band rule: a flight between two airports in the same country is ``domestic``; otherwise it
falls in the first band whose ``flight_band_limit`` (km) it does not exceed, and beyond the
largest limit it is ``long-haul``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt

from nettonul.engine.core.arrays import FloatArray
from nettonul.engine.footprint.factors import EmissionFactor, FactorMatch, FactorTable, MissingFactorError

#: Mean Earth radius (IUGG), km: the sphere great-circle distances are measured on.
EARTH_RADIUS_KM = 6371.0088
LONG_HAUL = "long-haul"
DOMESTIC = "domestic"


@dataclass(frozen=True)
class Airport:
    iata: str
    name: str
    country: str
    lat: float
    lon: float


@lru_cache(maxsize=1)
def _airports() -> dict[str, Airport]:
    import airportsdata  # a 3 MB table: loaded only when a trip names its airports

    return {
        code: Airport(code, str(a["name"]), str(a["country"]), float(a["lat"]), float(a["lon"]))
        for code, a in airportsdata.load("IATA").items()
    }


def airport(code: str) -> Airport | None:
    """The airport with this IATA code, or None."""
    return _airports().get(code.strip().upper())


AIRPORTS_SOURCE = "airportsdata (PyPI), IATA airport coordinates"


def great_circle_km(lat1: npt.ArrayLike, lon1: npt.ArrayLike, lat2: npt.ArrayLike,
                    lon2: npt.ArrayLike) -> FloatArray:
    """Great-circle distances in km (haversine), element-wise over arrays of coordinates."""
    p1, p2 = np.radians(np.asarray(lat1, dtype=float)), np.radians(np.asarray(lat2, dtype=float))
    dlat = p2 - p1
    dlon = np.radians(np.asarray(lon2, dtype=float) - np.asarray(lon1, dtype=float))
    h = np.sin(dlat / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlon / 2) ** 2
    out: FloatArray = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    return out


def trip_distances(origins: Sequence[str], destinations: Sequence[str]) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
    """Distance (km) and whether each trip is domestic; every code must be a known airport."""
    a = [airport(c) for c in origins]
    b = [airport(c) for c in destinations]
    if any(x is None for x in (*a, *b)):
        raise MissingFactorError("unknown IATA airport code")
    lat1 = [x.lat for x in a if x]
    lon1 = [x.lon for x in a if x]
    lat2 = [x.lat for x in b if x]
    lon2 = [x.lon for x in b if x]
    domestic = np.array([x.country == y.country for x, y in zip(a, b, strict=True) if x and y], dtype=bool)
    return great_circle_km(lat1, lon1, lat2, lon2), domestic


@dataclass(frozen=True)
class BandLimits:
    """Upper distance limits (km) of the bands below long-haul, ascending, with their rows."""

    bands: tuple[str, ...]
    limits_km: FloatArray
    rows: tuple[EmissionFactor, ...]

    def classify(self, distance_km: npt.ArrayLike, domestic: npt.ArrayLike) -> list[str]:
        """Band of each flight: domestic, else the first band whose limit it does not exceed."""
        d = np.asarray(distance_km, dtype=float)
        names = np.array([*self.bands, LONG_HAUL], dtype=object)
        idx = np.searchsorted(self.limits_km, d, side="left")
        out = np.where(np.asarray(domestic, dtype=bool), DOMESTIC, names[idx])
        return [str(x) for x in out.tolist()]


def band_limits(table: FactorTable, year: int, exact_year: bool = False) -> BandLimits:
    """The imported ``flight_band_limit`` rows that apply to ``year``."""
    rows: list[EmissionFactor] = []
    for band in ("short-haul", "medium-haul", "international"):
        try:
            rows.extend(table.find("flight_band_limit", year, distance_band=band, exact_year=exact_year).factors)
        except MissingFactorError:
            continue
    if not rows:
        raise MissingFactorError(
            f"no flight distance-band limits for {year} in the imported tables ({table.where}); import "
            "flight_band_limit rows (e.g. short-haul up to N km, with their source) or give distance_band "
            "in the activity data"
        )
    rows.sort(key=lambda f: f.value)
    return BandLimits(tuple(f.distance_band for f in rows), np.array([f.value for f in rows]), tuple(rows))


@dataclass(frozen=True)
class FlightFactor:
    """The factor for one band and class: a direct row, or economy x a class multiplier."""

    match: FactorMatch
    multiplier: float = 1.0
    multiplier_row: EmissionFactor | None = None

    def rows(self) -> tuple[EmissionFactor, ...]:
        return self.match.factors + ((self.multiplier_row,) if self.multiplier_row else ())


def flight_factor(table: FactorTable, year: int, band: str, cabin: str, exact_year: bool = False) -> FlightFactor:
    """The factor row for ``band`` and ``cabin``; without one, the economy row times the
    imported cabin-class multiplier (for the band, else for all bands)."""
    try:
        return FlightFactor(table.find("flight", year, distance_band=band, cabin_class=cabin, exact_year=exact_year))
    except MissingFactorError:
        if cabin == "economy":
            raise
    try:
        base = table.find("flight", year, distance_band=band, cabin_class="economy", exact_year=exact_year)
    except MissingFactorError:
        raise MissingFactorError(
            f"no flight factor for band {band}, class {cabin} in {year} in the imported tables ({table.where}), "
            "and no economy factor to apply a class multiplier to"
        ) from None
    for key in (band, ""):
        try:
            mult = table.find("flight_class_multiplier", year, distance_band=key, cabin_class=cabin,
                              exact_year=exact_year)
        except MissingFactorError:
            continue
        row = mult.factors[0]
        return FlightFactor(base, row.value, row)
    raise MissingFactorError(
        f"no flight factor for band {band}, class {cabin} in {year} in the imported tables ({table.where}), and "
        f"no flight_class_multiplier row for class {cabin} to derive one from the economy factor"
    )
