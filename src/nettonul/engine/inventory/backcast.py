"""Back-casting municipal emissions to a base year with the national sector index.

Municipal inventories rarely reach back to 1990, but Danish targets are set against 1990.
DK2020 plans therefore estimate the early years from the national development of each sector
(a consultant convention, not a DK2020 rule; methodology sections 3.3 and 9.2)::

    E_m[s, y] = f[s] * r[o, s] * N[s, y]                 for base_year <= y < first inventory year
    r[o, s]   = sum_k E_m[s, k] / sum_k N[s, k]          over the inventory years k (ratio of sums)

with ``N`` the national sector series (KF25 CRF categories summed to the framework's sectors
through ``engine/data/mappings/<framework>_to_crf.yaml``). Three choices make the estimate
robust (methodology section 9.2):

* **Anchor on all inventory years.** The municipal share ``r`` is the ratio of sums over every
  year that has both a municipal value and a national inventory value (years after the national
  series' last historical year are KF25 projections and are used only when there is no other),
  not one reference year: a single year carries that year's weather, trade and data noise into
  every back-cast year. With
  ``reference_year`` the old single-year anchor (``r = E_m[s, y_ref] / N[s, y_ref]``) is kept.
* **Electricity smoothed.** Municipal electricity is consumption x a national factor, but CRF
  1A1a (public electricity and heat) is production including exports, so its annual value
  swings with Nordic hydro-year trade (24.37 Mt in 1990, 33.13 in 1991, 42.08 in 1996). The
  shipped data hold no national consumption-based electricity series, so 1A1a is replaced by
  its centred 5-year moving average over the historical years (the window is cut at the ends
  of the historical period) before it enters the index. This is a documented smoothing, not a
  consumption-based series.
* **Reconciled with the nation.** For Danish municipalities (dk-municipal framework, an
  organisation code that is a kommunekode) the 98 shipped municipal
  back-casts of the base year are summed by sector; where a sector's sum exceeds the national
  inventory's categories mapped to it, every municipality's back-cast of that sector is scaled by
  ``f[s] = N[s, base] / sum``. (Municipal energy is consumption x a national factor and is about
  1.16x the mapped national categories; waste about 1.39x.) ``f`` is 1 elsewhere; the factor and
  the remaining national residual are stated in the notes.

The **uncertainty band** of the base-year value is the spread over single-year anchors: for each
inventory year ``k`` the estimate ``f[s] * E_m[s, k] / N[s, k] * N[s, base]`` summed over sectors;
its minimum and maximum (widened to contain the pooled value where needed) are returned by
:func:`backcast_with_band`.

Every back-cast cell is marked ``estimated`` in the panel and the panel's notes name the method
``backcast_national_sector_index``, the anchor years and the source. The index has no meaning
where the national anchor sum is zero, or where the national series has the opposite sign in
year ``y`` (a sink that became a source): such cells are left empty (NaN) and a note names them,
or with ``strict=True`` a SpecError is raised.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np

from nettonul.engine.core.arrays import BoolArray, FloatArray, IntArray
from nettonul.engine.core.errors import SpecError
from nettonul.engine.core.panel import Panel
from nettonul.engine.reference import datasets

METHOD = "backcast_national_sector_index"
#: The CRF category smoothed before indexing, and the window of its centred moving average.
SMOOTH_CRF = "1A1a"
SMOOTH_WINDOW = 5


def national_index(
    series: datasets.NationalSectorSeries, sectors: tuple[str, ...], years: IntArray, ref_years: IntArray,
) -> tuple[FloatArray, BoolArray]:
    """``N[s, y] / N[s, ref[o, s]]`` as an (org, sector, year) array, and where it is invalid.

    ``ref_years`` is (org, sector). Invalid cells (reference value zero, or a sign change
    between the reference year and ``y``) are NaN in the ratio and True in the mask.
    """
    rows = _sector_rows(series, sectors)
    first, last = int(series.years[0]), int(series.years[-1])
    lo = min(int(np.min(years)), int(np.min(ref_years)))
    hi = max(int(np.max(years)), int(np.max(ref_years)))
    if lo < first or hi > last:
        raise SpecError(f"the national series covers {first}-{last}; {lo}-{hi} was asked for")
    n = series.values[np.asarray(rows)]  # (sector, national year)
    num = n[:, years - first][None, :, :]  # (1, sector, year)
    den = n[np.arange(len(rows))[None, :], ref_years - first][:, :, None]  # (org, sector, 1)
    invalid = (den == 0) | (num * den < 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(invalid, np.nan, num / np.where(den == 0, 1.0, den))
    return ratio, np.broadcast_to(invalid, ratio.shape)


@dataclass(frozen=True)
class BackcastBand:
    """The base-year back-cast and its spread over single-year anchors, (org,) in the panel's unit.

    ``value`` is the base-year total as back-cast (observed sectors included as they are);
    ``low``/``high`` the least and greatest total obtained by anchoring every estimated sector on
    one inventory year (``anchor_years``) instead of on all of them. NaN where the organisation's
    base-year total is not estimated (observed, or nothing to estimate from)."""

    base_year: int
    anchor_years: tuple[int, ...]
    value: FloatArray
    low: FloatArray
    high: FloatArray


def smoothed_crf(values: FloatArray, last_index: int, window: int = SMOOTH_WINDOW) -> FloatArray:
    """Centred moving average over ``values[:last_index + 1]`` (the window is cut at both ends of
    that span); later values are kept as they are."""
    out = np.array(values, dtype=np.float64)
    half = window // 2
    for i in range(last_index + 1):
        lo, hi = max(0, i - half), min(last_index, i + half)
        out[i] = float(np.mean(values[lo:hi + 1]))
    return out


def backcast_series(framework_id: str = "dk-municipal") -> datasets.NationalSectorSeries:
    """The national sector series used for back-casting: KF25 mapped to the framework's sectors,
    with CRF 1A1a (public electricity and heat, production including exports) replaced by its
    centred moving average over the historical years (see the module docstring)."""
    series = datasets.national_sector_series(framework_id)
    holders = [s for s, codes in series.crf.items() if SMOOTH_CRF in codes]
    if not holders:
        return series
    inv = datasets.national_inventory()
    raw = inv.values[inv.crf_codes.index(SMOOTH_CRF)]
    last = int(np.searchsorted(inv.years, series.last_historical_year))
    delta = smoothed_crf(raw, last) - raw
    values = np.array(series.values)
    for s in holders:
        values[series.sectors.index(s)] += delta
    values.setflags(write=False)
    return replace(series, values=values)


def _sector_rows(series: datasets.NationalSectorSeries, sectors: tuple[str, ...]) -> list[int]:
    """The national series' row of each sector; an error naming a sector it does not have."""
    rows = []
    for s in sectors:
        if s not in series.sectors:
            raise SpecError(f"sector '{s}' has no national series (known: {', '.join(series.sectors)}); "
                            "it cannot be indexed to the national development")
        rows.append(series.sectors.index(s))
    return rows


def _national_rows(series: datasets.NationalSectorSeries, sectors: tuple[str, ...], years: IntArray) -> FloatArray:
    rows = _sector_rows(series, sectors)
    first, last = int(series.years[0]), int(series.years[-1])
    if int(years[0]) < first or int(years[-1]) > last:
        raise SpecError(f"the national series covers {first}-{last}; {int(years[0])}-{int(years[-1])} was asked for")
    out: FloatArray = series.values[np.asarray(rows, dtype=np.int64)][:, years - first]
    return out


@lru_cache(maxsize=8)
def reconciliation_factors(base_year: int = 1990) -> dict[str, float]:
    """Per dk-municipal sector, ``min(1, N[s, base] / sum of the 98 shipped back-casts)``: what
    scales the municipal back-casts so that their sum does not exceed the national inventory's
    categories mapped to that sector (raw KF25, not smoothed). The shipped inventory is in
    t CO2e, the national series in Mt CO2e."""
    panel = datasets.klimaregnskab_panel()
    out, _ = _backcast(panel, base_year, None, False, reconcile=False)
    national = _national_rows(datasets.national_sector_series(panel.framework), panel.sectors,
                              np.asarray([base_year], dtype=np.int64))[:, 0] * 1e6  # Mt -> t
    sums = np.nansum(out.values[:, :, 0], axis=0)
    return {s: (float(min(1.0, national[j] / sums[j])) if sums[j] > 0 and national[j] > 0 else 1.0)
            for j, s in enumerate(panel.sectors)}


@lru_cache(maxsize=8)
def national_residual(base_year: int = 1990) -> tuple[float, float]:
    """The sum of the 98 reconciled base-year back-casts and the national total of the categories
    mapped to the same sectors, both t CO2e; the difference is what the municipal accounts do
    not cover."""
    panel = datasets.klimaregnskab_panel()
    out, _ = _backcast(panel, base_year, None, False, reconcile=False)
    factors = reconciliation_factors(base_year)
    scaled = np.nansum(out.values[:, :, 0], axis=0) * np.asarray([factors[s] for s in panel.sectors])
    national = _national_rows(datasets.national_sector_series(panel.framework), panel.sectors,
                              np.asarray([base_year], dtype=np.int64))[:, 0] * 1e6
    return float(scaled.sum()), float(national.sum())


def backcast(
    panel: Panel, base_year: int = 1990, reference_year: int | None = None, strict: bool = False,
    reconcile: bool = True,
) -> Panel:
    """``panel`` extended back to ``base_year`` with every missing early year back-cast.

    The municipal share is anchored on every inventory year of that organisation and sector
    (ratio of sums), or on ``reference_year`` alone. Cells that already hold a value are never
    overwritten. ``reconcile`` applies the national reconciliation factors (dk-municipal only).
    """
    return _backcast(panel, base_year, reference_year, strict, reconcile)[0]


def backcast_with_band(panel: Panel, base_year: int = 1990, strict: bool = False,
                       reconcile: bool = True) -> tuple[Panel, BackcastBand]:
    """:func:`backcast` and the base year's uncertainty band over single-year anchors."""
    out, band = _backcast(panel, base_year, None, strict, reconcile)
    assert band is not None
    return out, band


def _backcast(
    panel: Panel, base_year: int, reference_year: int | None, strict: bool, reconcile: bool,
) -> tuple[Panel, BackcastBand | None]:
    first_year, last_year = int(panel.years[0]), int(panel.years[-1])
    if base_year >= first_year and reference_year is None:
        nan = np.full(len(panel.orgs), np.nan)
        return panel, BackcastBand(base_year, (), nan, nan, nan)
    ext = panel.reindex_years(min(base_year, first_year), last_year)
    series = backcast_series(panel.framework)
    if base_year < int(series.years[0]):
        raise SpecError(f"cannot back-cast to {base_year}: the national sector series "
                        f"({series.source.citation()}) starts in {int(series.years[0])}")
    n = _national_rows(series, panel.sectors, ext.years)[None, :, :]  # (1, sector, year)
    present = ~np.isnan(ext.values)
    has_any: BoolArray = np.asarray(present.any(axis=2), dtype=bool)
    if reference_year is None:
        # Anchor on inventory years that are national inventory years too (not KF25 projection
        # years, which are normal years): a later upload does not move the estimate until the
        # national series has that year. Where there is none, every year with a value is used.
        anchor = present & (n != 0)
        observed = anchor & (ext.years <= series.last_historical_year)[None, None, :]
        anchor = np.where(observed.any(axis=2, keepdims=True), observed, anchor)
        limit = ext.years[np.argmax(present, axis=2)]  # first year with a value, per (org, sector)
    else:
        at = ext.year_index(reference_year)
        anchor = np.zeros_like(present)
        anchor[:, :, at] = present[:, :, at] & (n[:, :, at] != 0)
        limit = np.full(has_any.shape, reference_year, dtype=np.int64)
    values0 = np.where(anchor, ext.values, 0.0)
    num = values0.sum(axis=2)
    den = np.where(anchor, n, 0.0).sum(axis=2)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(den == 0, np.nan, num / np.where(den == 0, 1.0, den))  # (org, sector)
    invalid = (den == 0)[:, :, None] | (n * den[:, :, None] < 0)
    fill = (ext.years[None, None, :] < limit[:, :, None]) & ~present & has_any[:, :, None]
    bad = fill & invalid
    if strict and bad.any():
        o, s, y = (int(i[0]) for i in np.nonzero(bad))
        raise SpecError(f"cannot back-cast {panel.orgs[o]} {panel.sectors[s]} to {int(ext.years[y])}: "
                        "the national series is zero over the anchor years or changes sign")
    factors = np.ones((len(panel.orgs), len(panel.sectors)))
    municipal = {m.code for m in datasets.municipalities()}
    rows = [i for i, org in enumerate(panel.orgs) if org in municipal]
    if reconcile and panel.framework == "dk-municipal" and rows:
        known = reconciliation_factors(base_year)
        factors[rows] = np.asarray([known.get(s, 1.0) for s in panel.sectors])[None, :]
    ok = fill & ~bad
    values = np.where(ok, factors[:, :, None] * share[:, :, None] * n, ext.values)
    estimated = ext.estimated | ok
    used = sorted({int(y) for y in ext.years[anchor.any(axis=(0, 1))].tolist()})
    notes = list(panel.notes)
    if ok.any():
        how = (f"reference year {reference_year}" if reference_year is not None else
               f"municipal share = ratio of sums over the inventory years {', '.join(map(str, used))}")
        notes.append(
            f"Estimates {int(ext.years[0])}-{int(limit[has_any].max()) - 1}: back-cast by the national sector "
            f"index (E[y] = share x N[y]), {how}; national sector series from {series.source.citation()}, "
            f"with {SMOOTH_CRF} (electricity and heat, production incl. exports) smoothed by a centred "
            f"{SMOOTH_WINDOW}-year moving average."
        )
    scaled = [(s, float(factors[rows[0], j])) for j, s in enumerate(panel.sectors)
              if rows and factors[rows[0], j] < 1.0 and ok[rows, j].any()]
    if scaled:
        notes.append(
            f"Reconciled with the national inventory {base_year}: the 98 municipal back-casts of "
            + ", ".join(f"{s} x {f:.3f}" for s, f in scaled)
            + " so that their sum equals the national categories mapped to the sector."
        )
        if reference_year is None:
            total, national = national_residual(base_year)
            notes.append(
                f"The 98 back-casts of {base_year} sum to {total / 1e6:.2f} Mt against {national / 1e6:.2f} Mt "
                f"for the national categories of the same sectors; the residual of {(national - total) / 1e6:.2f} "
                "Mt is not in the municipal accounts."
            )
    if bad.any():
        names = sorted({panel.sectors[s] for s in np.nonzero(bad.any(axis=(0, 2)))[0]})
        notes.append(f"Not back-cast (left empty): {', '.join(names)}, because the national series "
                     "is zero over the anchor years or changes sign.")
    sources = tuple(dict.fromkeys((*panel.sources, series.source.citation())))
    out = replace(ext, values=values, estimated=estimated, notes=tuple(notes), sources=sources)
    band = None
    if reference_year is None:
        b = ext.year_index(base_year)
        with np.errstate(divide="ignore", invalid="ignore"):
            single = np.where(anchor, ext.values / np.where(n == 0, 1.0, n), np.nan)  # (org, sector, year)
        est = factors[:, :, None] * single * n[:, :, b][:, :, None]
        central = values[:, :, b][:, :, None]
        base_ok = ok[:, :, b][:, :, None]
        per_year = np.where(base_ok & ~np.isnan(est), est, central)  # observed sectors as they are
        cols = anchor.any(axis=(0, 1))
        totals = np.nansum(per_year[:, :, cols], axis=1)  # (org, anchor year)
        estimated_total = ok[:, :, b].any(axis=1)
        value = np.where(estimated_total, np.nansum(values[:, :, b], axis=1), np.nan)
        # The pooled value is a weighted mean per sector, so with the same anchor year across
        # sectors it can fall just outside the single-year totals: the band always contains it.
        low = np.where(estimated_total, np.fmin(totals.min(axis=1), value) if totals.size else np.nan, np.nan)
        high = np.where(estimated_total, np.fmax(totals.max(axis=1), value) if totals.size else np.nan, np.nan)
        band = BackcastBand(base_year, tuple(used), value, low, high)
    return out, band
