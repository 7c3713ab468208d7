"""Synthetic cities drawn from the real distribution of Danish municipalities, for scale tests.

Every synthetic city is labelled synthetic (its code starts with ``SYN-``, its name with
"Synthetic city", its label is :data:`SYNTHETIC`) and is never presented as real. For city ``j``
(stream ``SeedSequence(seed, spawn_key=(2, j))``):

* **size**: its total in the last inventory year is log-normal with the mean and standard
  deviation of the log totals of the 98 municipalities' Energi- og CO2-regnskab;
* **sector shares, BAU and 1990**: those of a municipality drawn at random from the 98 (its
  sector vector, BAU in the roll-up year and back-cast 1990 scaled to the city's size), so the
  mix of farming, transport and energy municipalities is the real one; its region is that
  municipality's region;
* **plan**: a -70 % target in the roll-up year against its 1990, and ``actions`` actions, each
  on a sector drawn in proportion to the city's positive sector emissions, together cutting
  ``g`` times the city's gap from BAU to the target, ``g`` uniform in [0.5, 1.2], split with
  Dirichlet(1) weights and no action cutting more than its sector. The plans are an
  assumption (nettonul ships no register of the plans' actions), said wherever they are shown.
"""

from __future__ import annotations

import numpy as np

from nettonul.engine.core.errors import SpecError
from nettonul.engine.pathway.rollup import NATIONAL_REDUCTION, Rollup, rollup
from nettonul.engine.pathway.rollup_ensemble import Cities

SYNTHETIC = "synthetic: plan (assumed)"
#: the range of the share of its gap to -70 % a synthetic plan closes (an assumption)
PLAN_REACH = (0.5, 1.2)


def synthetic_cities(n: int, actions: int = 50, seed: int = 0, *, real: Rollup | None = None) -> Cities:
    """``n`` synthetic cities with ``actions`` actions each, from the real municipalities of
    ``real`` (default: the 98 at business as usual in 2030)."""
    if n < 1:
        raise SpecError("the number of synthetic cities must be at least 1")
    if actions < 1:
        raise SpecError("a synthetic city needs at least one action")
    r = real if real is not None else rollup()
    totals = r.last.sum(axis=1)
    ok = totals > 0
    logs = np.log(totals[ok])
    mu, sd = float(logs.mean()), float(logs.std(ddof=1))
    templates = np.nonzero(ok)[0]
    s = len(r.sectors)
    last = np.empty((n, s))
    bau = np.empty((n, s))
    base = np.empty(n)
    cut = np.zeros((n, actions))
    cut_sector = np.zeros((n, actions), dtype=np.int64)
    regions: list[str] = []
    for j in range(n):
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(2, j)))
        k = int(templates[rng.integers(templates.size)])
        size = float(np.exp(rng.normal(mu, sd)))
        f = size / totals[k]
        last[j], bau[j], base[j] = r.last[k] * f, r.bau[k] * f, r.base[k] * f
        regions.append(r.regions[k])
        level = (1.0 - NATIONAL_REDUCTION) * base[j]
        gap = max(0.0, float(bau[j].sum()) - level) * rng.uniform(*PLAN_REACH)
        weight = np.clip(bau[j], 0.0, None)
        sectors = rng.choice(s, size=actions, p=weight / weight.sum())
        cuts = gap * rng.dirichlet(np.ones(actions))
        for j_s in range(s):  # no sector cut below zero
            on = sectors == j_s
            planned = cuts[on].sum()
            if planned > weight[j_s] > 0:
                cuts[on] *= weight[j_s] / planned
        cut[j], cut_sector[j] = cuts, sectors
    codes = tuple(f"SYN-{j + 1:05d}" for j in range(n))
    return Cities(
        codes, tuple(f"Synthetic city {j + 1}" for j in range(n)), tuple(regions), (SYNTHETIC,) * n, r.sectors,
        last, bau, base, cut, cut_sector, (1.0 - NATIONAL_REDUCTION) * base, np.zeros(n, dtype=bool),
        synthetic=True, year=r.year,
    )
