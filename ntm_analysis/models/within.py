"""Within transformation for one or more sets of fixed effects (alternating projections).

Each fixed effect is given as integer codes ``0..G-1``. Demeaning by several effects at once is
the projection onto the orthogonal complement of all their dummies; for an unbalanced panel it is
reached by alternating one-way demeanings (method of alternating projections, Gaure 2013) until
the largest change falls below ``tol`` times the scale of the data. Group sums use
``np.bincount``, so a sweep costs a few passes over the data.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components


@dataclass(frozen=True)
class Within:
    """Demeaned columns plus the bookkeeping of the projection."""

    values: np.ndarray  # (n, k) demeaned
    iterations: int
    converged: bool


def _group_totals(codes, n_groups, w):
    tot = np.bincount(codes, weights=w, minlength=n_groups)
    return tot


def demean(values: np.ndarray, codes: list[np.ndarray], weights: np.ndarray | None = None,
           *, tol: float = 1e-12, maxiter: int = 10_000) -> Within:
    """Remove every fixed effect in ``codes`` from each column of ``values``.

    Parameters
    ----------
    values : (n,) or (n, k) float array
    codes : list of int arrays, each of length n with values 0..G-1 (all levels present)
    weights : optional positive weights (weighted projection)
    tol : convergence tolerance on the largest absolute change in a sweep, relative to
        the column's scale (max |x| or 1)
    """
    x = np.array(values, dtype=float, copy=True, order="F")  # contiguous columns
    squeeze = x.ndim == 1
    if squeeze:
        x = x[:, None]
    if not codes:
        return Within(x[:, 0] if squeeze else x, 0, True)
    sizes = [int(c.max()) + 1 if len(c) else 0 for c in codes]
    denoms = [_group_totals(c, g, weights) for c, g in zip(codes, sizes)]
    iters_all, converged_all = 0, True
    for j in range(x.shape[1]):
        col = x[:, j]
        scale = max(float(np.max(np.abs(col))) if len(col) else 0.0, 1.0)
        it, conv = 0, len(codes) == 1
        for it in range(1, maxiter + 1):
            delta = 0.0
            for c, g, d in zip(codes, sizes, denoms):
                s = np.bincount(c, weights=col if weights is None else col * weights, minlength=g)
                m = s / d
                col -= m[c]
                delta = max(delta, float(np.max(np.abs(m))))
            if len(codes) == 1 or delta <= tol * scale:
                conv = True
                break
        x[:, j] = col
        iters_all = max(iters_all, it)
        converged_all &= conv
    return Within(x[:, 0] if squeeze else x, iters_all, converged_all)


def fe_components(resid: np.ndarray, codes: list[np.ndarray], weights: np.ndarray | None = None,
                  *, tol: float = 1e-12, maxiter: int = 10_000) -> tuple[list[np.ndarray], bool]:
    """Least-squares fixed effects of ``resid`` (one array of effects per code set).

    Solves ``resid ≈ sum_f effect_f[codes_f]`` by alternating (Gauss–Seidel) updates; the
    effects are identified up to normalisation (the first sets absorb the grand mean).
    Returns the effects and whether the iteration converged.
    """
    r = np.asarray(resid, dtype=float)
    sizes = [int(c.max()) + 1 for c in codes]
    denoms = [_group_totals(c, g, weights) for c, g in zip(codes, sizes)]
    effects = [np.zeros(g) for g in sizes]
    fitted = np.zeros_like(r)
    scale = max(float(np.max(np.abs(r))) if len(r) else 0.0, 1.0)
    converged = len(codes) == 1
    for _ in range(maxiter):
        delta = 0.0
        for f, (c, g, d) in enumerate(zip(codes, sizes, denoms)):
            part = r - fitted
            s = np.bincount(c, weights=part if weights is None else part * weights, minlength=g)
            step = s / d
            effects[f] += step
            fitted += step[c]
            delta = max(delta, float(np.max(np.abs(step))))
        if len(codes) == 1 or delta <= tol * scale:
            converged = True
            break
    return effects, converged


def n_components(a: np.ndarray, b: np.ndarray) -> int:
    """Connected components of the bipartite graph linking levels of ``a`` and ``b``.

    Two-way effects have ``n_a + n_b - n_components`` free parameters.
    """
    na, nb = int(a.max()) + 1, int(b.max()) + 1
    g = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b + na)), shape=(na + nb, na + nb))
    n, _ = connected_components(g, directed=False)
    return int(n)


def is_nested(inner: np.ndarray, outer: np.ndarray) -> bool:
    """True when every level of ``inner`` lies within one level of ``outer``."""
    g = int(inner.max()) + 1
    first = np.full(g, -1, dtype=np.int64)
    first[inner[::-1]] = outer[::-1]  # any representative per group
    return bool(np.all(first[inner] == outer))


def drop_singletons(codes: list[np.ndarray]) -> np.ndarray:
    """Boolean mask of rows kept after iteratively removing singleton groups of any effect."""
    n = len(codes[0]) if codes else 0
    keep = np.ones(n, dtype=bool)
    while True:
        changed = False
        for c in codes:
            cnt = np.bincount(c[keep], minlength=int(c.max()) + 1 if n else 0)
            single = keep & (cnt[c] == 1)
            if single.any():
                keep &= ~single
                changed = True
        if not changed:
            return keep
