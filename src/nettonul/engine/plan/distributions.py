"""Probability distributions for uncertain numbers in a plan, and correlated sampling.

A distribution is written as a one-key mapping, the kind and its numbers::

    {uniform: [low, high]}            {triangular: [low, mode, high]}
    {pert: [low, mode, high]}         {normal: [mean, sd]}
    {lognormal: [median, gsd]}        (gsd: geometric standard deviation, > 1)

Sampling goes through the inverse CDF (scipy.stats ``ppf``) of uniforms; rank correlation
between parameters is induced with a Gaussian copula (the Spearman rank correlation
``rho_s`` is turned into the copula's Pearson correlation ``2 sin(pi rho_s / 6)``, which is
exact for a Gaussian copula). Everything is vectorised over draws.
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from nettonul.engine.core.arrays import FloatArray
from nettonul.engine.core.errors import SpecError

Kind = Literal["uniform", "triangular", "pert", "normal", "lognormal"]
ARITY: dict[str, int] = {"uniform": 2, "triangular": 3, "pert": 3, "normal": 2, "lognormal": 2}


class Distribution(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Kind
    params: tuple[float, ...]

    @model_validator(mode="before")
    @classmethod
    def _one_key(cls, data: Any) -> Any:
        if isinstance(data, dict) and len(data) == 1:
            ((kind, params),) = data.items()
            if kind not in ARITY:
                raise ValueError(f"unknown distribution '{kind}'; use one of {', '.join(ARITY)}")
            return {"kind": kind, "params": params}
        if isinstance(data, dict) and "kind" in data:
            return data
        raise ValueError("write a distribution as one key and its numbers, e.g. {triangular: [0.6, 0.9, 1.0]}")

    @model_validator(mode="after")
    def _numbers(self) -> Distribution:
        n = ARITY[self.kind]
        if len(self.params) != n:
            raise ValueError(f"{self.kind} takes {n} numbers, got {len(self.params)}")
        p = self.params
        if self.kind == "uniform" and not p[0] < p[1]:
            raise ValueError("uniform needs low < high")
        if self.kind in ("triangular", "pert") and not (p[0] <= p[1] <= p[2] and p[0] < p[2]):
            raise ValueError(f"{self.kind} needs low <= mode <= high and low < high")
        if self.kind == "normal" and not p[1] > 0:
            raise ValueError("normal needs a positive standard deviation")
        if self.kind == "lognormal" and not (p[0] > 0 and p[1] > 1):
            raise ValueError("lognormal needs a positive median and a geometric sd above 1")
        return self

    def frozen(self) -> Any:
        """The scipy.stats frozen distribution."""
        from scipy import stats  # imported here: scipy takes a second to load
        p = self.params
        if self.kind == "uniform":
            return stats.uniform(loc=p[0], scale=p[1] - p[0])
        if self.kind == "triangular":
            return stats.triang(c=(p[1] - p[0]) / (p[2] - p[0]), loc=p[0], scale=p[2] - p[0])
        if self.kind == "pert":
            a = 1.0 + 4.0 * (p[1] - p[0]) / (p[2] - p[0])
            b = 1.0 + 4.0 * (p[2] - p[1]) / (p[2] - p[0])
            return stats.beta(a, b, loc=p[0], scale=p[2] - p[0])
        if self.kind == "normal":
            return stats.norm(loc=p[0], scale=p[1])
        return stats.lognorm(s=float(np.log(p[1])), scale=p[0])

    def ppf(self, u: FloatArray) -> FloatArray:
        """Inverse CDF, written out with numpy and scipy.special: building a scipy.stats
        object costs milliseconds, which would dominate a chunk of draws."""
        from scipy import special  # imported here: scipy takes a second to load
        p = self.params
        u = np.asarray(u, dtype=np.float64)
        out: FloatArray
        if self.kind == "uniform":
            out = p[0] + u * (p[1] - p[0])
        elif self.kind == "triangular":
            a, m, b = p
            c = (m - a) / (b - a)
            left = a + np.sqrt(u * (b - a) * (m - a))
            right = b - np.sqrt((1.0 - u) * (b - a) * (b - m))
            out = np.where(u < c, left, right)
        elif self.kind == "pert":
            a, m, b = p
            alpha = 1.0 + 4.0 * (m - a) / (b - a)
            beta = 1.0 + 4.0 * (b - m) / (b - a)
            out = a + (b - a) * special.betaincinv(alpha, beta, u)
        elif self.kind == "normal":
            out = p[0] + p[1] * special.ndtri(u)
        else:
            out = p[0] * np.exp(np.log(p[1]) * special.ndtri(u))
        return out

    def describe(self) -> str:
        return f"{self.kind}({', '.join(f'{v:g}' for v in self.params)})"


class Correlation(BaseModel):
    """Rank (Spearman) correlation between two uncertain parameters."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    between: tuple[str, str]
    rank: float = Field(gt=-1.0, lt=1.0)


def copula_matrix(names: list[str], correlations: list[Correlation]) -> FloatArray | None:
    """The Gaussian copula's correlation matrix, or None without correlations."""
    if not correlations:
        return None
    index = {n: i for i, n in enumerate(names)}
    c = np.eye(len(names))
    for corr in correlations:
        i, j = index[corr.between[0]], index[corr.between[1]]
        c[i, j] = c[j, i] = 2.0 * np.sin(np.pi * corr.rank / 6.0)
    if np.min(np.linalg.eigvalsh(c)) <= 1e-10:
        raise SpecError("the rank correlations are inconsistent (the matrix is not positive definite)")
    return c


def sample(distributions: list[Distribution], n: int, rng: np.random.Generator,
           copula: FloatArray | None = None) -> FloatArray:
    """``n`` draws of every distribution, shape (n, len(distributions))."""
    from scipy import special  # imported here: scipy takes a second to load
    z = rng.standard_normal((n, len(distributions)))
    if copula is not None:
        # Only correlated parameters need mixing; a small einsum avoids a BLAS call, whose
        # thread start-up costs more than the arithmetic for a block of draws.
        linked = np.nonzero(np.any(copula != np.eye(len(distributions)), axis=0))[0]
        chol = np.linalg.cholesky(copula[np.ix_(linked, linked)])
        z[:, linked] = np.einsum("nj,ij->ni", z[:, linked], chol)
    u = special.ndtr(z)
    out: FloatArray = np.empty_like(u)
    for j, d in enumerate(distributions):  # one vectorised call per parameter, over all draws
        out[:, j] = d.ppf(u[:, j])
    return out
