"""Monte Carlo over a compiled plan: percentiles per year and the probability of each target.

Draws are generated in fixed blocks of :data:`BLOCK` draws, block ``b`` from
``SeedSequence(seed, spawn_key=(b,))``: the same seed gives the same draws whatever the
chunk size, the number of workers or the executor. Chunks of blocks are evaluated with the
vectorised kernel (:func:`nettonul.engine.plan.kernels.intensities` and one batched matrix
product over organisations) and folded into a fixed-size summary as soon as they finish:

* a histogram per organisation x year on a grid fixed from a pilot block (``BINS`` bins over
  twice the pilot's range around it; draws outside it are counted and clamped to the ends),
  from which P5/P50/P95 are read by linear interpolation inside a bin;
* counts of draws that meet each target (exact), and per-chunk sums for the mean.

Memory is therefore bounded by the chunk size and the summary, never by the number of
draws. The executor may be ``None`` (serial), an ``int`` (that many local processes), any
``concurrent.futures.Executor`` or a ``dask.distributed.Client``.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from nettonul.engine.core.arrays import FloatArray, IntArray
from nettonul.engine.core.errors import SpecError
from nettonul.engine.core.executors import completed as _completed
from nettonul.engine.core.executors import submit as _submit
from nettonul.engine.core.executors import workers as _workers
from nettonul.engine.plan.compile import CompiledPlan
from nettonul.engine.plan.distributions import Distribution, copula_matrix, sample
from nettonul.engine.plan.kernels import intensities, totals_from_intensities
from nettonul.engine.plan.spec import Plan, parameter_names

BLOCK = 250
BINS = 2048
PERCENTILES = (5.0, 50.0, 95.0)


@dataclass(frozen=True)
class Sampler:
    """Which entries of ``theta`` are uncertain, their distributions and copula."""

    index: IntArray
    names: tuple[str, ...]
    distributions: tuple[Distribution, ...]
    copula: FloatArray | None
    low: FloatArray  # draws are clipped to the range where each number means something
    high: FloatArray

    def theta(self, cp: CompiledPlan, seed: int, block: int) -> FloatArray:
        """(BLOCK, P) parameter draws of one block."""
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(block,)))
        th = np.repeat(cp.theta[None, :], BLOCK, axis=0)
        if self.index.size:
            drawn = sample(list(self.distributions), BLOCK, rng, self.copula)
            th[:, self.index] = np.clip(drawn, self.low, self.high)
        return th


def _bounds(plan: Plan, name: str) -> tuple[float, float]:
    """Where a parameter means something: shares in [0, 1], factors above 0, ratios, amounts
    and rates at least 0, a factor reduction at most 1, a trend above -100 % a year."""
    if name.startswith("activity."):
        return 1e-12, np.inf
    if name.startswith("baseline."):
        return -0.99, np.inf
    action_id, field = name[len("actions."):].rsplit(".", 1)
    if field == "share" or (field == "reduction" and plan.action(action_id).effect.type == "demand"):
        return 0.0, 1.0
    if field == "reduction":
        return -np.inf, 1.0
    return 0.0, np.inf


def sampler(plan: Plan, cp: CompiledPlan) -> Sampler:
    names = parameter_names(plan)
    dists = [plan.uncertainty[n] if n in plan.uncertainty else
             plan.action(n[len("actions."):].rsplit(".", 1)[0]).uncertainty[n.rsplit(".", 1)[1]] for n in names]
    bounds = np.asarray([_bounds(plan, n) for n in names], dtype=np.float64).reshape(len(names), 2)
    return Sampler(np.asarray([cp.param(n) for n in names], dtype=np.int64), tuple(names), tuple(dists),
                   copula_matrix(names, plan.correlations), bounds[:, 0], bounds[:, 1])


# --------------------------------------------------------------------------- per-chunk work
def _with_all(cp: CompiledPlan) -> CompiledPlan:
    """``cp`` with one more organisation, the sum of all: totals are linear in the base, so
    the matrix product computes the roll-up too, with no extra pass over the draws."""
    return replace(cp, base=np.concatenate([cp.base, cp.base.sum(axis=0, keepdims=True)], axis=0))


def _totals(cp_all: CompiledPlan, th: FloatArray) -> FloatArray:
    """(Y, O+1, N) totals of each organisation and, last, of all of them together."""
    return totals_from_intensities(cp_all, intensities(cp_all, th))


def _target_levels(cp: CompiledPlan) -> FloatArray:
    return np.concatenate([cp.target_levels, cp.target_levels.sum(axis=0, keepdims=True)], axis=0)


@dataclass
class _Summary:
    counts: npt.NDArray[np.int32]  # (Y, O+1, BINS + 2): [under, bins..., over]
    total: FloatArray  # (Y, O+1) sum of totals over the blocks folded so far, in block order
    waiting: dict[int, FloatArray]  # block sums that arrived before an earlier block
    next_block: int
    hits: IntArray  # (O+1, J) draws meeting each target
    n: int


def _chunk(cp: CompiledPlan, smp: Sampler, seed: int, blocks: tuple[int, ...], lo: FloatArray,
           width: FloatArray) -> tuple[dict[int, FloatArray], npt.NDArray[np.int32], IntArray, int]:
    y, o1 = lo.shape
    cp_all = _with_all(cp)
    counts = np.zeros(y * o1 * (BINS + 2), dtype=np.int64)
    sums: dict[int, FloatArray] = {}
    hits = np.zeros((o1, cp.target_years.size), dtype=np.int64)
    offsets = (np.arange(y * o1, dtype=np.int64) * (BINS + 2)).reshape(y, o1, 1)
    levels = _target_levels(cp)
    ty = cp.target_years - cp.years[0]
    # Each block's totals are turned into histogram slots while they are still in cache
    # (position + 1 clipped to [0, BINS + 1]: slot 0 is below the grid, the last one above
    # it; truncation is floor here), then one bincount covers the whole chunk.
    slots = np.empty((y, o1, len(blocks) * BLOCK), dtype=np.int64)
    inv_width = (1.0 / width)[:, :, None]
    for j, b in enumerate(blocks):  # blocks, not draws: each is one vectorised evaluation
        t = _totals(cp_all, smp.theta(cp, seed, b))
        sums[b] = t.sum(axis=2)
        hits += np.sum(t[ty] <= levels.T[:, :, None] + 1e-9, axis=2).T
        np.subtract(t, lo[:, :, None], out=t)
        np.multiply(t, inv_width, out=t)
        np.add(t, 1.0, out=t)
        np.clip(t, 0.0, BINS + 1.0, out=t)
        np.add(t, offsets, out=t)
        slots[:, :, j * BLOCK:(j + 1) * BLOCK] = t
    counts += np.bincount(slots.ravel(), minlength=counts.size)
    return sums, counts.astype(np.int32).reshape(y, o1, BINS + 2), hits, len(blocks) * BLOCK


# --------------------------------------------------------------------------- result
@dataclass(frozen=True)
class Ensemble:
    """Summary of a Monte Carlo run. Arrays over (org + 'all', year)."""

    orgs: tuple[str, ...]  # the organisations, then "all" when there is more than one
    years: IntArray
    draws: int
    seed: int
    percentiles: dict[float, FloatArray]
    mean: FloatArray
    target_labels: tuple[str, ...]
    target_years: IntArray
    probability: FloatArray  # (org, J) share of draws meeting each target
    resolution: FloatArray  # (org, year) histogram bin width, t CO2e
    outside: IntArray  # (org, year) draws outside the histogram grid (clamped)
    parameters: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "draws": self.draws, "seed": self.seed, "years": self.years.tolist(),
            "parameters": list(self.parameters),
            "organisations": [
                {"org": org,
                 "percentiles": {f"P{p:g}": self.percentiles[p][i].tolist() for p in self.percentiles},
                 "mean": self.mean[i].tolist(),
                 "targets": [{"target": lab, "year": int(yr), "probability": float(self.probability[i, j])}
                             for j, (lab, yr) in enumerate(zip(self.target_labels, self.target_years, strict=True))],
                 "histogram_resolution_t": self.resolution[i].tolist(),
                 "draws_outside_grid": self.outside[i].tolist()}
                for i, org in enumerate(self.orgs)
            ],
        }


def _percentiles(counts: npt.NDArray[np.int32], lo: FloatArray, width: FloatArray, n: int) -> dict[float, FloatArray]:
    inner = counts[:, :, 1:-1].astype(np.float64)
    below = counts[:, :, 0].astype(np.float64)
    cdf = below[:, :, None] + np.cumsum(inner, axis=2)  # draws at or below the top of each bin
    out: dict[float, FloatArray] = {}
    for p in PERCENTILES:
        q = p / 100.0 * n
        k = np.clip(np.argmax(cdf >= q, axis=2), 0, BINS - 1)  # first bin reaching q
        prev = np.where(k > 0, np.take_along_axis(cdf, np.maximum(k - 1, 0)[:, :, None], 2)[:, :, 0], below)
        inbin = np.take_along_axis(inner, k[:, :, None], 2)[:, :, 0]
        frac = np.clip(np.where(inbin > 0, (q - prev) / np.where(inbin > 0, inbin, 1.0), 0.5), 0.0, 1.0)
        out[p] = (lo + (k + frac) * width).T  # (O+1, Y)
    return out


def _blocks(draws: int, chunk_draws: int) -> list[tuple[int, ...]]:
    n_blocks = -(-draws // BLOCK)
    per = max(1, chunk_draws // BLOCK)
    return [tuple(range(i, min(i + per, n_blocks))) for i in range(0, n_blocks, per)]


def simulate(plan: Plan, cp: CompiledPlan, draws: int, seed: int = 0, *, executor: Executor | int | Any = None,
             chunk_draws: int = 2000, on_progress: Callable[[int], None] | None = None) -> Ensemble:
    """Monte Carlo of ``plan`` compiled as ``cp``; ``draws`` is rounded up to whole blocks of 250."""
    if draws < 1:
        raise SpecError("the number of draws must be at least 1")
    smp = sampler(plan, cp)
    # the histogram grid comes from a pilot block (block 0, so it is part of the run itself)
    pilot = _totals(_with_all(cp), smp.theta(cp, seed, 0))
    pmin, pmax = pilot.min(axis=2), pilot.max(axis=2)
    span = np.maximum(pmax - pmin, np.maximum(np.abs(pmax), np.abs(pmin)) * 1e-6 + 1e-9)
    lo = pmin - 0.5 * span
    width = 2.0 * span / BINS
    chunks = _blocks(draws, chunk_draws)
    y, o1 = lo.shape
    summary = _Summary(np.zeros((y, o1, BINS + 2), dtype=np.int32), np.zeros((y, o1)), {}, 0,
                       np.zeros((o1, cp.target_years.size), dtype=np.int64), 0)

    def fold(result: tuple[dict[int, FloatArray], npt.NDArray[np.int32], IntArray, int]) -> None:
        sums, counts, hits, n = result
        summary.counts += counts
        # sums are added in block order, so the mean does not depend on which chunk ends first
        summary.waiting.update(sums)
        while summary.next_block in summary.waiting:
            summary.total += summary.waiting.pop(summary.next_block)
            summary.next_block += 1
        summary.hits += hits
        summary.n += n
        if on_progress is not None:
            on_progress(n)

    own: ProcessPoolExecutor | None = None
    executor_: Any = executor
    if isinstance(executor, int):
        # forkserver: safe with threads in the parent; the server imports the engine once
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["nettonul.engine.plan.uncertainty"])
        own = executor_ = ProcessPoolExecutor(executor, mp_context=ctx)
    try:
        if executor_ is None:
            for blocks in chunks:
                fold(_chunk(cp, smp, seed, blocks, lo, width))
        else:
            limit = 2 * max(1, _workers(executor_))  # chunks in flight, to bound memory
            pending: set[Future[Any]] = set()
            todo = list(chunks)
            while todo or pending:
                while todo and len(pending) < limit:
                    pending.add(_submit(executor_, _chunk, cp, smp, seed, todo.pop(0), lo, width))
                for fut in list(_completed(executor_, pending)):
                    pending.discard(fut)
                    fold(fut.result())
    finally:
        if own is not None:
            own.shutdown()
    n = summary.n
    o_labels = (*cp.orgs, "all") if len(cp.orgs) > 1 else cp.orgs
    keep = slice(None) if len(cp.orgs) > 1 else slice(0, 1)
    mean = summary.total / n
    pct = _percentiles(summary.counts, lo, width, n)
    outside = (summary.counts[:, :, 0] + summary.counts[:, :, -1]).T
    return Ensemble(
        o_labels, cp.years, n, seed, {p: v[keep] for p, v in pct.items()}, mean.T[keep], cp.target_labels,
        cp.target_years, (summary.hits / n)[keep], width.T[keep], outside[keep].astype(np.int64), smp.names,
    )

