"""Wild cluster bootstrap with the null imposed (WCR) for linear models after absorbing effects.

Follows Roodman, MacKinnon, Nielsen & Webb (2019, "Fast and wild", Stata Journal 19(1)): every
bootstrap quantity is linear in the cluster-level scores, so all draws are computed at once
from G×k and G×B matrices without ever forming an N×B outcome matrix. Because the restricted
residuals are linear in the hypothesised value β0, the bootstrap t statistics are too, and the
confidence interval is found by inverting the test in β0 cheaply.
"""
from __future__ import annotations

import numpy as np

WEBB_POINTS = np.array([-np.sqrt(1.5), -1.0, -np.sqrt(0.5), np.sqrt(0.5), 1.0, np.sqrt(1.5)])

#: Below this many clusters the cluster-robust (CR1) t intervals are too narrow and the estimators of
#: :mod:`ntm_analysis.models` use the wild cluster bootstrap by default (Cameron, Gelbach & Miller 2008;
#: MacKinnon & Webb 2017).
FEW_CLUSTERS = 30
#: Below this many clusters Rademacher weights allow too few distinct draws (2**G); Webb's 6-point weights are used.
WEBB_BELOW = 12
#: Draws of the default wild cluster bootstrap.
DEFAULT_DRAWS = 999


def default_weights(n_clusters: int) -> str:
    """Weights of the default wild cluster bootstrap: ``"webb"`` below :data:`WEBB_BELOW` clusters, else Rademacher."""
    return "webb" if n_clusters < WEBB_BELOW else "rademacher"


def few_clusters_note(n_clusters: int, *, bootstrap_used: bool, intervals: bool = True) -> str:
    """The note a result carries when it has fewer than :data:`FEW_CLUSTERS` clusters (``intervals=False``: the
    bootstrap gave the p-values only, the intervals are still CR1)."""
    if bootstrap_used and not intervals:
        return (f"WARNING: only {n_clusters} clusters (fewer than {FEW_CLUSTERS}): p-values are from the wild cluster "
                "bootstrap, but the intervals are cluster-robust CR1 ones (bootstrap_ci=False), likely too narrow")
    if bootstrap_used:
        return (f"only {n_clusters} clusters (fewer than {FEW_CLUSTERS}): intervals and p-values are from the wild "
                "cluster bootstrap (restricted, by test inversion), because cluster-robust CR1 t intervals are too "
                "narrow with few clusters")
    return (f"WARNING: only {n_clusters} clusters (fewer than {FEW_CLUSTERS}) and no bootstrap: the cluster-robust "
            "CR1 intervals and p-values are likely too narrow (over-confident); use the default wild cluster "
            "bootstrap instead")


def draw_weights(kind: str, n_clusters: int, draws: int, rng: np.random.Generator) -> np.ndarray:
    """Bootstrap weights, one row per cluster and one column per draw."""
    kind = kind.lower()
    if kind == "rademacher":
        return rng.integers(0, 2, size=(n_clusters, draws)).astype(float) * 2.0 - 1.0
    if kind == "webb":
        return WEBB_POINTS[rng.integers(0, 6, size=(n_clusters, draws))]
    raise ValueError(f"bootstrap_weights must be 'rademacher' or 'webb', got {kind!r}")


def _cluster_sum(cl, g, v):
    """Sum rows of v (n,) or (n, k) within clusters → (g,) or (g, k)."""
    if v.ndim == 1:
        return np.bincount(cl, weights=v, minlength=g)
    return np.column_stack([np.bincount(cl, weights=v[:, j], minlength=g) for j in range(v.shape[1])])


class WildClusterBootstrap:
    """Restricted wild cluster bootstrap of each coefficient of ``y = X b + e``.

    ``X`` and ``y`` are the demeaned (and, if weighted, √w-scaled) data; ``scale`` is the
    small-sample factor used for the cluster-robust variance (it cancels in the p-value but
    keeps the bootstrap t statistics on the scale of the reported one).
    """

    def __init__(self, X, y, clusters, n_clusters, scale, weights_kind, draws, rng):
        self.X, self.y, self.cl, self.G, self.c = X, y, clusters, n_clusters, scale
        self.k = X.shape[1]
        self.A = np.linalg.inv(X.T @ X)
        self.beta = self.A @ (X.T @ y)
        e = y - X @ self.beta
        S = _cluster_sum(clusters, n_clusters, X * e[:, None])
        self.V = scale * self.A @ (S.T @ S) @ self.A
        # H_g = X_g' X_g, stored as (G, k, k)
        H = np.empty((n_clusters, self.k, self.k))
        for i in range(self.k):
            for j in range(i, self.k):
                H[:, i, j] = H[:, j, i] = np.bincount(clusters, weights=X[:, i] * X[:, j],
                                                      minlength=n_clusters)
        self.H = H
        self.W = draw_weights(weights_kind, n_clusters, draws, rng)

    def _parts(self, j):
        """Bootstrap pieces for coefficient j, as affine functions of β0 (a − β0·b)."""
        X, y, A = self.X, self.y, self.A
        others = [i for i in range(self.k) if i != j]
        xj = X[:, j]
        if others:
            Xo = X[:, others]
            Q = np.linalg.solve(Xo.T @ Xo, Xo.T @ np.column_stack([y, xj]))
            ua = y - Xo @ Q[:, 0]
            ub = xj - Xo @ Q[:, 1]
        else:
            ua, ub = y, xj
        aj = A[j]
        R = self.H @ aj  # (G, k): H_g a_j
        out = []
        for u in (ua, ub):
            S = _cluster_sum(self.cl, self.G, X * u[:, None])  # (G, k)
            SW = S.T @ self.W  # (k, B)
            delta = A @ SW  # (k, B): b* - b_restricted
            q = S @ aj  # (G,)
            z = q[:, None] * self.W - R @ delta  # (G, B): a_j' X_g' e*_g
            out.append((delta[j], z))
        (da, za), (db, zb) = out
        return da, db, (za * za).sum(0), (za * zb).sum(0), (zb * zb).sum(0)

    def test(self, j, conf_level=0.95, ci=True):
        """Bootstrap p-value of H0: b_j = 0 and, if ``ci``, the interval inverting the test."""
        da, db, saa, sab, sbb = self._parts(j)
        bj, sej = self.beta[j], np.sqrt(self.V[j, j])
        c = self.c

        def pval(b0):
            num = da - b0 * db
            den = np.sqrt(np.maximum(c * (saa - 2 * b0 * sab + b0 * b0 * sbb), 1e-300))
            t_obs = abs(bj - b0) / sej
            return float(np.mean(np.abs(num / den) >= t_obs - 1e-12 * max(t_obs, 1.0)))

        p0 = pval(0.0)
        if not ci:
            return p0, np.nan, np.nan
        alpha = 1 - conf_level
        bounds = []
        for sign in (-1.0, 1.0):
            inner, step = bj, sej
            outer = bj + sign * step
            n = 0
            while pval(outer) > alpha and n < 60:
                inner, step = outer, step * 2
                outer = bj + sign * step
                n += 1
            if n >= 60:
                bounds.append(sign * np.inf)
                continue
            for _ in range(80):
                mid = 0.5 * (inner + outer)
                if pval(mid) > alpha:
                    inner = mid
                else:
                    outer = mid
                if abs(outer - inner) <= 1e-10 * max(sej, 1e-300):
                    break
            bounds.append(0.5 * (inner + outer))
        return p0, bounds[0], bounds[1]


def wild_cluster_tests(X, y, clusters, n_clusters, columns, *, draws: int, weights: str,
                       rng: np.random.Generator, conf_level: float = 0.95):
    """Restricted wild cluster bootstrap (WCR) of columns ``columns`` of an OLS fit ``y = X b + e``.

    ``X`` includes the intercept and any controls (nothing absorbed); the bootstrap t statistics use the CR1
    variance, G/(G−1)·(N−1)/(N−K), as statsmodels' cluster covariance. Returns arrays (p-values, interval lows,
    interval highs), one entry per column, the intervals by inverting the bootstrap test; an interval that cannot
    be closed is infinite on that side.
    """
    n, k = X.shape
    G = int(n_clusters)
    scale = G / (G - 1) * (n - 1) / (n - k)
    wb = WildClusterBootstrap(np.asarray(X, float), np.asarray(y, float), clusters, G, scale, weights, int(draws),
                              rng)
    res = [wb.test(j, conf_level, ci=True) for j in columns]
    return (np.array([r[0] for r in res]), np.array([r[1] for r in res]), np.array([r[2] for r in res]))
