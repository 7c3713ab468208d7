"""Back-casting municipal emissions to a base year with the national sector index.

Municipal inventories rarely reach back to 1990, but Danish targets are set against 1990.
DK2020 plans therefore estimate the early years from the national development of each sector
(methodology section 3.3)::

    E_m[s, y] = E_m[s, y_ref] * N[s, y] / N[s, y_ref]      for base_year <= y < y_ref

with ``N`` the national sector series (KF25 CRF categories summed to the framework's sectors
through ``engine/data/mappings/<framework>_to_crf.yaml``) and ``y_ref`` the first inventory
year of that organisation and sector. Every back-cast cell is marked ``estimated`` in the
panel and the panel's notes name the method ``backcast_national_sector_index``, the reference
year and the source.

The index has no meaning where the national value of the reference year is zero, or where the
national series has the opposite sign in year ``y`` (a sink that became a source): such cells
are left empty (NaN) and a note names them, or with ``strict=True`` a SpecError is raised.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from nettonul.engine.core.arrays import BoolArray, FloatArray, IntArray
from nettonul.engine.core.errors import SpecError
from nettonul.engine.core.panel import Panel
from nettonul.engine.reference import datasets

METHOD = "backcast_national_sector_index"


def national_index(
    series: datasets.NationalSectorSeries, sectors: tuple[str, ...], years: IntArray, ref_years: IntArray,
) -> tuple[FloatArray, BoolArray]:
    """``N[s, y] / N[s, ref[o, s]]`` as an (org, sector, year) array, and where it is invalid.

    ``ref_years`` is (org, sector). Invalid cells (reference value zero, or a sign change
    between the reference year and ``y``) are NaN in the ratio and True in the mask.
    """
    rows = []
    for s in sectors:
        if s not in series.sectors:
            raise SpecError(f"sector '{s}' has no national series (known: {', '.join(series.sectors)}); "
                            "it cannot be indexed to the national development")
        rows.append(series.sectors.index(s))
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


def backcast(
    panel: Panel, base_year: int = 1990, reference_year: int | None = None, strict: bool = False,
) -> Panel:
    """``panel`` extended back to ``base_year`` with every missing early year back-cast.

    The reference year is each organisation's and sector's first inventory year, or
    ``reference_year`` for all. Cells that already hold a value are never overwritten.
    """
    first_year = int(panel.years[0])
    if base_year >= first_year and reference_year is None:
        return panel
    ext = panel.reindex_years(min(base_year, first_year), int(panel.years[-1]))
    present = ~np.isnan(ext.values)
    has_any: BoolArray = np.asarray(present.any(axis=2), dtype=bool)
    if reference_year is None:
        ref_idx = np.argmax(present, axis=2)  # first year with a value, per (org, sector)
    else:
        ref_idx = np.full(has_any.shape, ext.year_index(reference_year), dtype=np.int64)
    ref_years = ext.years[ref_idx]
    series = datasets.national_sector_series(panel.framework)
    if base_year < int(series.years[0]):
        raise SpecError(f"cannot back-cast to {base_year}: the national sector series "
                        f"({series.source.citation()}) starts in {int(series.years[0])}")
    ratio, invalid = national_index(series, panel.sectors, ext.years, ref_years)
    e_ref = np.take_along_axis(ext.values, ref_idx[:, :, None], axis=2)
    fill = (ext.years[None, None, :] < ref_years[:, :, None]) & ~present & has_any[:, :, None]
    bad = fill & invalid
    if strict and bad.any():
        o, s, y = (int(i[0]) for i in np.nonzero(bad))
        raise SpecError(f"cannot back-cast {panel.orgs[o]} {panel.sectors[s]} to {int(ext.years[y])}: "
                        "the national series is zero in the reference year or changes sign")
    values = np.where(fill, e_ref * ratio, ext.values)
    estimated = ext.estimated | (fill & ~bad)
    refs = sorted({int(r) for r in ref_years[has_any].tolist()})
    notes = list(panel.notes)
    if (fill & ~bad).any():
        notes.append(
            f"Estimates {int(ext.years[0])}-{max(refs) - 1}: {METHOD} (E[y] = E[y_ref] x N[y]/N[y_ref]), "
            f"reference year {', '.join(map(str, refs))}, national sector series from "
            f"{series.source.citation()}."
        )
    if bad.any():
        names = sorted({panel.sectors[s] for s in np.nonzero(bad.any(axis=(0, 2)))[0]})
        notes.append(f"Not back-cast (left empty): {', '.join(names)}, because the national series "
                     "is zero in the reference year or changes sign.")
    sources = tuple(dict.fromkeys((*panel.sources, series.source.citation())))
    return replace(ext, values=values, estimated=estimated, notes=tuple(notes), sources=sources)
