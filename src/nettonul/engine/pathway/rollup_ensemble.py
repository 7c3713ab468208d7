"""The roll-up's uncertainty: national parameters shared by every municipality, local ones not.

A roll-up (:mod:`nettonul.engine.pathway.rollup`) or a set of synthetic cities
(:mod:`nettonul.engine.pathway.synthetic`) is turned into :class:`Cities`: for each city its
emissions by sector in the last inventory year and in the roll-up year at business as usual,
its actions (t CO2e each cuts in the year, and the sector), its target path in the year and
its 1990. Each draw ``d`` then gives every city::

    BAU_d[s]  = (last[s] + (BAU[s] - last[s]) x T_s) x A_s      (x F for the energy sector)
    own_d[s]  = BAU_d[s] - sum of the actions on s of cut_k x U_k
    level_d   = level x B,  base_d = base x B

with the multipliers (each ``1 + sd x z``, ``z`` standard normal):

======================  =====================================================  ==========
``energy_factor`` F      grid and district-heating emission factors (the accounts   national
                         do not split energy, so one multiplier on the sector)
``sector_trend`` T_s     KF25's sector trends: the projected change per sector      national
``base_1990`` B          the 1990 reconciliation: the back-cast 1990 and the        national
                         target paths anchored on it
``activity`` A_s         the city's own activity against the national trend         local
``delivery`` U_k         how much of each action is delivered                       local
======================  =====================================================  ==========

A **national** parameter is drawn once per draw for all cities, a **local** one per city
(its own random stream, ``SeedSequence(seed, spawn_key=(1, i))`` for city ``i``; the shared
stream is ``spawn_key=(0,)``). Either scope can be set for any parameter: with every
parameter shared the cities move together and the national band is the sum of the
municipal bands; with every parameter local the band narrows by the square root law. The
standard deviations are assumptions (``DEFAULT_PARAMETERS``), not estimates.

The roll-up value of a city in a draw follows the source order: a plan (or BAU) gives
``own_d``; a stated target gives ``min(level_d, BAU_d)``. "Every municipality meets its own
target" caps ``own_d`` at ``level_d``. Sums per region and sector per draw are computed over
chunks of cities (``chunk_cities``, fixed, so the result does not depend on the executor) and
folded in chunk order as they arrive: memory is bounded by the chunk and the draws, not by the
number of cities. Each chunk reports the peak memory of the process that ran it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from nettonul.engine.core.arrays import BoolArray, FloatArray, IntArray
from nettonul.engine.core.errors import SpecError
from nettonul.engine.core.executors import completed, describe, peak_memory, submit, workers
from nettonul.engine.pathway.rollup import ASSUMED, MT, STATED, Rollup

NATIONAL = "national"
LOCAL = "local"
PERCENTILES = (5.0, 50.0, 95.0)
CHUNK_CITIES = 64


@dataclass(frozen=True)
class Parameter:
    name: str
    sd: float  # relative standard deviation of the multiplier
    scope: str  # NATIONAL or LOCAL
    description: str


DEFAULT_PARAMETERS: tuple[Parameter, ...] = (
    Parameter("energy_factor", 0.10, NATIONAL, "grid and district-heating emission factors (energy sector)"),
    Parameter("sector_trend", 0.25, NATIONAL, "KF25 sector trends (the projected change, per sector)"),
    Parameter("base_1990", 0.03, NATIONAL, "the 1990 reconciliation (1990 and target paths on it)"),
    Parameter("activity", 0.05, LOCAL, "the city's own activity against the national trend (per sector)"),
    Parameter("delivery", 0.25, LOCAL, "delivery of each action"),
)
PARAMETER_NAMES = tuple(p.name for p in DEFAULT_PARAMETERS)


def parameters(sd: Mapping[str, float] | None = None, scope: Mapping[str, str] | None = None) -> tuple[Parameter, ...]:
    """The default parameters with some standard deviations or scopes changed."""
    sd, scope = dict(sd or {}), dict(scope or {})
    for name in (*sd, *scope):
        if name not in PARAMETER_NAMES:
            raise SpecError(f"no uncertain parameter '{name}'; use one of {', '.join(PARAMETER_NAMES)}")
    for name, s in scope.items():
        if s not in (NATIONAL, LOCAL):
            raise SpecError(f"the scope of '{name}' must be '{NATIONAL}' or '{LOCAL}', not '{s}'")
    for name, v in sd.items():
        if not v >= 0:
            raise SpecError(f"the standard deviation of '{name}' must be at least 0")
    return tuple(Parameter(p.name, float(sd.get(p.name, p.sd)), scope.get(p.name, p.scope), p.description)
                 for p in DEFAULT_PARAMETERS)


@dataclass(frozen=True)
class Cities:
    """The cities of a roll-up as arrays (N cities, S sectors, A actions per city, t CO2e)."""

    codes: tuple[str, ...]
    names: tuple[str, ...]
    regions: tuple[str, ...]
    labels: tuple[str, ...]
    sectors: tuple[str, ...]
    last: FloatArray  # (N, S) last inventory year
    bau: FloatArray  # (N, S) BAU in the roll-up year
    base: FloatArray  # (N,) 1990
    cut: FloatArray  # (N, A) t CO2e each action cuts in the year (0 pads)
    cut_sector: IntArray  # (N, A) the sector of each action
    level: FloatArray  # (N,) target path in the year, NaN without
    stated: BoolArray  # (N,) the city is at its stated (or assumed) target path, not its own scenario
    synthetic: bool = False
    #: national frame (Mt): the categories outside municipal reach and the national target;
    #: None for cities that are not a nation's municipalities (synthetic ones)
    uncovered_mt: float | None = None
    target_mt: float | None = None
    year: int = 2030
    #: index of the first city in the whole set (its random stream)
    offset: int = 0

    def __len__(self) -> int:
        return len(self.codes)

    def region_names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.regions))

    def select(self, start: int, stop: int) -> Cities:
        sl = slice(start, stop)
        return Cities(self.codes[sl], self.names[sl], self.regions[sl], self.labels[sl], self.sectors,
                      self.last[sl], self.bau[sl], self.base[sl], self.cut[sl], self.cut_sector[sl], self.level[sl],
                      self.stated[sl], self.synthetic, self.uncovered_mt, self.target_mt, self.year,
                      self.offset + start)

    def grouped(self) -> Cities:
        """The same cities with each city's actions grouped by sector (a stable sort)."""
        if self.cut_sector.shape[1] < 2 or bool(np.all(np.diff(self.cut_sector, axis=1) >= 0)):
            return self
        order = np.argsort(self.cut_sector, axis=1, kind="stable")
        return replace(self, cut=np.take_along_axis(self.cut, order, 1),
                       cut_sector=np.take_along_axis(self.cut_sector, order, 1))

    @property
    def actions(self) -> int:
        return int(self.cut.shape[1])

    @classmethod
    def from_rollup(cls, r: Rollup) -> Cities:
        """A roll-up's municipalities: each plan's (or BAU's) difference from BAU per sector is one
        action on that sector; stated (and assumed) targets are paths."""
        s = len(r.sectors)
        cut = r.bau - r.scenario
        return cls(r.codes, r.names, r.regions, r.labels, r.sectors, r.last.copy(), r.bau.copy(), r.base.copy(),
                   cut, np.tile(np.arange(s, dtype=np.int64), (len(r.codes), 1)), r.target_level.copy(),
                   np.array([lab in (STATED, ASSUMED) for lab in r.labels], dtype=bool), False,
                   r.uncovered_year, r.national_target_excl_lulucf, r.year)


# --------------------------------------------------------------------------- the work of one chunk
class _Stream:
    """The multipliers ``1 + sd x z`` of one random stream for the parameters of one scope, in
    buffers made once per chunk and refilled for each city. The normals are drawn in single
    precision (twice as fast, ample for a spread), always in the same order, so a stream's
    numbers do not depend on which other parameters it draws."""

    ORDER = ("energy_factor", "sector_trend", "base_1990", "activity", "delivery")

    def __init__(self, params: Sequence[Parameter], scope: str, s: int, a: int, d: int) -> None:
        self.sd = {p.name: p.sd for p in params}
        self.want = tuple(n for n in self.ORDER if any(p.name == n and p.scope == scope and p.sd > 0 for p in params))
        shapes = {"energy_factor": (d,), "sector_trend": (s, d), "base_1990": (d,), "activity": (s, d),
                  "delivery": (a, d)}
        self.z = {n: np.empty(shapes[n], dtype=np.float32) for n in self.want}
        self.m = {n: np.empty(shapes[n]) for n in self.want}

    def draw(self, rng: np.random.Generator) -> None:
        for n in self.want:
            rng.standard_normal(dtype=np.float32, out=self.z[n])
            if n != "delivery":  # the delivery multipliers go straight into the cuts
                m = self.m[n]
                np.copyto(m, self.z[n])
                m *= self.sd[n]
                m += 1.0


@dataclass
class ChunkResult:
    index: int
    rolled: FloatArray  # (R, S, D) sums of the chunk's cities by region and sector per draw
    met: FloatArray  # (R, S, D) the same when every city meets its own target
    base: FloatArray  # (R, D) sums of 1990
    city_percentiles: FloatArray  # (n, 3) P5/P50/P95 of each city's roll-up total
    city_mean: FloatArray  # (n,)
    worker: str
    peak_mib: float


def _chunk(cities: Cities, index: int, regions: tuple[str, ...], params: tuple[Parameter, ...], seed: int,
           draws: int) -> ChunkResult:
    # Every array of the per-city loop lives in a buffer made once per chunk: made and freed
    # per city, each would cost fresh pages from the system where freed memory is handed back
    # at once (dask's workers set MALLOC_TRIM_THRESHOLD_, which does that).
    n, s = cities.last.shape
    a = cities.actions
    shared = _Stream(params, NATIONAL, s, a, draws)
    shared.draw(np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(0,))))
    local = _Stream(params, LOCAL, s, a, draws)
    sd_delivery = {p.name: p.sd for p in params}["delivery"]
    r_index = {r: i for i, r in enumerate(regions)}
    rolled = np.zeros((len(regions), s, draws))
    met = np.zeros((len(regions), s, draws))
    base = np.zeros((len(regions), draws))
    pct = np.empty((n, len(PERCENTILES)))
    mean = np.empty(n)
    energy = cities.sectors.index("energy") if "energy" in cities.sectors else -1
    # actions are grouped by sector (simulate_rollup sees to it): sector j's are bounds[i, j]:bounds[i, j + 1]
    bounds = np.stack([np.searchsorted(row, np.arange(s + 1)) for row in cities.cut_sector])
    bau_d, own, value, met_i = (np.empty((s, draws)) for _ in range(4))
    delivered = np.empty((a, draws))
    part, total, capped, scale, base_d, level_d = (np.empty(draws) for _ in range(6))

    def multiplier(name: str) -> FloatArray | None:
        """The city's multipliers for ``name`` (its own or the shared ones); None: all 1."""
        return local.m[name] if name in local.m else shared.m.get(name)

    def cap(values: FloatArray, level: FloatArray, out: FloatArray) -> FloatArray:
        """``values`` scaled so their total is at most ``level``, sectors in proportion."""
        np.sum(values, axis=0, out=total)
        np.fmin(level, total, out=capped)
        scale.fill(1.0)
        np.divide(capped, total, out=scale, where=total != 0)
        np.multiply(values, scale[None, :], out=out)
        return out

    for i in range(n):
        local.draw(np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(1, cities.offset + i))))
        last, bau = cities.last[i][:, None], cities.bau[i][:, None]
        # BAU_d = (last + (BAU - last) x T) x A, x F on the energy sector
        trend, act, factor = multiplier("sector_trend"), multiplier("activity"), multiplier("energy_factor")
        bau_d[...] = bau - last
        if trend is not None:
            bau_d *= trend
        bau_d += last
        if act is not None:
            bau_d *= act
        if energy >= 0 and factor is not None:
            bau_d[energy] *= factor
        # own_d = BAU_d - the delivered cuts of each sector's actions
        if "delivery" in local.z:
            np.copyto(delivered, local.z["delivery"])
        elif "delivery" in shared.z:
            np.copyto(delivered, shared.z["delivery"])
        else:
            delivered.fill(0.0)
        delivered *= sd_delivery
        delivered += 1.0
        delivered *= cities.cut[i][:, None]
        np.copyto(own, bau_d)
        for j in range(s):
            lo, hi = int(bounds[i, j]), int(bounds[i, j + 1])
            if hi > lo:
                np.sum(delivered[lo:hi], axis=0, out=part)
                own[j] -= part
        b = multiplier("base_1990")
        base_d.fill(cities.base[i])
        if b is not None:
            base_d *= b
        level = cities.level[i]
        if np.isfinite(level):
            level_d.fill(level)
            if b is not None:
                level_d *= b
            out = cap(bau_d, level_d, value) if cities.stated[i] else own
            k = r_index[cities.regions[i]]
            rolled[k] += out
            met[k] += cap(own, level_d, met_i)
        else:
            out = own
            k = r_index[cities.regions[i]]
            rolled[k] += own
            met[k] += own
        base[k] += base_d
        city = out.sum(axis=0)
        pct[i] = np.percentile(city, PERCENTILES)
        mean[i] = city.mean()
    worker, peak = peak_memory()
    return ChunkResult(index, rolled, met, base, pct, mean, worker, peak)


# --------------------------------------------------------------------------- result
@dataclass(frozen=True)
class RollupEnsemble:
    """Percentiles over the draws of the roll-up; t CO2e unless the name says Mt."""

    draws: int
    seed: int
    year: int
    parameters: tuple[Parameter, ...]
    synthetic: bool
    regions: tuple[str, ...]
    sectors: tuple[str, ...]
    covered: FloatArray  # (3,) P5/P50/P95 of the cities' sum, roll-up (source order)
    covered_met: FloatArray  # (3,) the same if every city meets its own target
    reduction: FloatArray  # (3,) fall vs 1990 (fraction), roll-up
    reduction_met: FloatArray  # (3,) fall vs 1990 if every target is met
    by_region: FloatArray  # (R, 3)
    by_sector: FloatArray  # (S, 3)
    gap_mt: FloatArray | None  # (3,) national gap to the target (Mt), None without a national frame
    gap_met_mt: FloatArray | None
    uncovered_mt: float | None
    codes: tuple[str, ...]
    names: tuple[str, ...]
    city_percentiles: FloatArray  # (N, 3)
    city_mean: FloatArray  # (N,)
    memory_mib: dict[str, float]  # peak resident memory per worker process
    chunks: int
    executor: str
    mean_national: float = field(default=float("nan"))

    @property
    def sum_of_city_bands(self) -> FloatArray:
        """(3,) the cities' P5, P50 and P95 added up (equal to the national band only when the
        cities move together)."""
        out: FloatArray = self.city_percentiles.sum(axis=0)
        return out

    def to_dict(self) -> dict[str, Any]:
        def band(v: FloatArray | None) -> dict[str, float] | None:
            return None if v is None else {f"P{p:g}": float(x) for p, x in zip(PERCENTILES, v, strict=True)}

        return {
            "draws": self.draws, "seed": self.seed, "year": self.year, "synthetic": self.synthetic,
            "parameters": [{"name": p.name, "sd": p.sd, "scope": p.scope, "description": p.description}
                           for p in self.parameters],
            "covered_t": band(self.covered), "covered_if_targets_met_t": band(self.covered_met),
            "reduction_vs_1990": band(self.reduction), "reduction_vs_1990_if_targets_met": band(self.reduction_met),
            "gap_to_target_mt": band(self.gap_mt), "gap_to_target_if_targets_met_mt": band(self.gap_met_mt),
            "outside_municipal_reach_mt": self.uncovered_mt,
            "by_region_t": {r: band(self.by_region[i]) for i, r in enumerate(self.regions)},
            "by_sector_t": {s: band(self.by_sector[i]) for i, s in enumerate(self.sectors)},
            "sum_of_city_bands_t": band(self.sum_of_city_bands),
            "cities": [{"code": c, "name": n, "band_t": band(self.city_percentiles[i]),
                        "mean_t": float(self.city_mean[i])}
                       for i, (c, n) in enumerate(zip(self.codes, self.names, strict=True))],
            "memory_per_worker_mib": self.memory_mib, "chunks": self.chunks, "executor": self.executor,
        }


def simulate_rollup(cities: Cities, draws: int, seed: int = 0, *, params: Sequence[Parameter] | None = None,
                    executor: Executor | Any = None, chunk_cities: int = CHUNK_CITIES,
                    on_progress: Callable[[int], None] | None = None) -> RollupEnsemble:
    """Monte Carlo of the roll-up of ``cities`` over ``draws`` draws. ``executor``: None (serial),
    any ``concurrent.futures.Executor`` or a ``dask.distributed.Client``. The result depends on
    the seed and ``chunk_cities`` only."""
    if draws < 2:
        raise SpecError("the number of draws must be at least 2")
    if chunk_cities < 1:
        raise SpecError("a chunk must hold at least one city")
    if len(cities) == 0:
        raise SpecError("no cities to roll up")
    ps = tuple(params) if params is not None else DEFAULT_PARAMETERS
    cities = cities.grouped()
    regions = cities.region_names()
    n = len(cities)
    starts = list(range(0, n, chunk_cities))
    s = len(cities.sectors)
    rolled = np.zeros((len(regions), s, draws))
    met = np.zeros((len(regions), s, draws))
    base = np.zeros((len(regions), draws))
    pct = np.empty((n, len(PERCENTILES)))
    mean = np.empty(n)
    memory: dict[str, float] = {}
    waiting: dict[int, ChunkResult] = {}
    state = {"next": 0}

    def fold(res: ChunkResult) -> None:
        start = starts[res.index]
        pct[start:start + len(res.city_mean)] = res.city_percentiles
        mean[start:start + len(res.city_mean)] = res.city_mean
        memory[res.worker] = max(memory.get(res.worker, 0.0), res.peak_mib)
        # sums are added in chunk order, so the result does not depend on which chunk ends first
        waiting[res.index] = res
        while state["next"] in waiting:
            done = waiting.pop(state["next"])
            rolled[...] += done.rolled
            met[...] += done.met
            base[...] += done.base
            state["next"] += 1
        if on_progress is not None:
            on_progress(len(res.city_mean))

    def args(i: int) -> tuple[Any, ...]:
        return (cities.select(starts[i], min(starts[i] + chunk_cities, n)), i, regions, ps, seed, draws)

    if executor is None:
        for i in range(len(starts)):
            fold(_chunk(*args(i)))
    else:
        limit = 4 * max(1, workers(executor))  # chunks in flight: workers never wait, memory stays bounded
        pending: set[Any] = set()
        todo = list(range(len(starts)))
        while todo or pending:
            while todo and len(pending) < limit:
                pending.add(submit(executor, _chunk, *args(todo.pop(0))))
            for fut in list(completed(executor, pending)):
                pending.discard(fut)
                fold(fut.result())

    def q(v: FloatArray) -> FloatArray:
        out: FloatArray = np.percentile(v, PERCENTILES, axis=-1).T
        return out

    nat = rolled.sum(axis=(0, 1))
    nat_met = met.sum(axis=(0, 1))
    nat_base = base.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        reduction = 1.0 - nat / nat_base
        reduction_met = 1.0 - nat_met / nat_base
    gap = gap_met = None
    if cities.uncovered_mt is not None and cities.target_mt is not None:
        gap = q(nat / MT + cities.uncovered_mt - cities.target_mt)
        gap_met = q(nat_met / MT + cities.uncovered_mt - cities.target_mt)
    return RollupEnsemble(
        draws=draws, seed=seed, year=cities.year, parameters=ps, synthetic=cities.synthetic, regions=regions,
        sectors=cities.sectors, covered=q(nat), covered_met=q(nat_met), reduction=q(reduction),
        reduction_met=q(reduction_met), by_region=q(rolled.sum(axis=1)), by_sector=q(rolled.sum(axis=0)),
        gap_mt=gap, gap_met_mt=gap_met, uncovered_mt=cities.uncovered_mt, codes=cities.codes, names=cities.names,
        city_percentiles=pct, city_mean=mean, memory_mib=memory, chunks=len(starts), executor=describe(executor),
        mean_national=float(nat.mean()),
    )
