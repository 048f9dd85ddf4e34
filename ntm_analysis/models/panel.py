"""Linear panel regression with absorbed unit and time fixed effects (`panel_fe`)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from ntm_analysis.models.bootstrap import (DEFAULT_DRAWS, FEW_CLUSTERS, WildClusterBootstrap, default_weights,
                                           few_clusters_note)
from ntm_analysis.models.prepare import as_list, codes_of, compact, complete_rows, label, numeric
from ntm_analysis.models.results import ModelResult, is_synthetic, make_coefs, reference_of
from ntm_analysis.models.within import demean, drop_singletons, is_nested, n_components
from ntm_analysis.models.readings import log_name, slope_sentence

DEFAULT_SEED = 20240601
#: A regressor whose within variation is this close (relative norm) to a combination of the others is collinear.
COLLINEAR_TOL = 1e-8
#: A CR1 standard error this small relative to the classical one is numerically zero: the cluster scores cancel.
DEGENERATE_SE = 1e-8


def _collinear(X: np.ndarray, names: list[str], tol: float = COLLINEAR_TOL) -> str | None:
    """The first regressor (column of the demeaned ``X``) that is a linear combination of those before it, as
    ``"'b' = 2·'a'"``, or ``None`` when the columns are linearly independent."""
    independent: list[int] = []
    for j in range(X.shape[1]):
        col = X[:, j]
        norm = np.sqrt(col @ col)
        if independent:
            B = X[:, independent]
            coef, *_ = np.linalg.lstsq(B, col, rcond=None)
            rest = col - B @ coef
            if np.sqrt(rest @ rest) <= tol * norm:
                scale = np.abs(coef).max()
                terms = [f"{c:+.4g}·{names[i]!r}" for c, i in zip(coef, independent) if abs(c) > 1e-6 * scale]
                return f"{names[j]!r} = " + " ".join(terms).lstrip("+")
        independent.append(j)
    return None


def _fe_dof(fe_codes, nested, convention, n_levels):
    """Number of absorbed parameters counted in K (see ``panel_fe`` Notes)."""
    if convention == "linearmodels":
        if len(fe_codes) >= 2:
            return n_levels[0] + sum(n - 1 for n in n_levels[1:])
        if len(fe_codes) == 1:
            return 0 if nested[0] else n_levels[0]
        return 0
    kept = [c for c, nst in zip(fe_codes, nested) if not nst]
    if not kept:
        return 1  # the intercept
    if len(kept) == 1:
        return int(kept[0].max()) + 1
    return sum(int(c.max()) + 1 for c in kept) - n_components(kept[0], kept[1])


def _check_dof(n: int, K: int) -> None:
    """Refuse a fit with no residual degrees of freedom (N ≤ K)."""
    if n <= K:
        raise ValueError(f"panel_fe cannot estimate: {n:,} observations for K = {K:,} parameters (the slopes and the "
                         "fixed effects counted in K) leave no residual degrees of freedom; more observations are "
                         "needed")


def _cr1_warnings(xs: list[str], se: np.ndarray, A: np.ndarray, e: np.ndarray, df_resid: int, G: int, *,
                  wild: bool) -> list[str]:
    """The warnings on the CR1 standard errors of a fit with fewer than :data:`FEW_CLUSTERS` clusters: they are
    unreliable, and one numerically zero (the cluster scores cancel, e.g. two clusters with two-way effects)
    measures nothing."""
    out = []
    if wild:  # the intervals and p-values are the bootstrap's, but std_error is still CR1
        out.append(f"WARNING: only {G} clusters (fewer than {FEW_CLUSTERS}): the std_error column is the "
                   "cluster-robust CR1 standard error, which is unreliable (too small) with so few clusters; read "
                   "the wild cluster bootstrap's p-values and intervals instead")
    classical = np.sqrt(np.diag(A) * (e @ e) / max(df_resid, 1))
    for name, s, c in zip(xs, se, classical):
        if c > 0 and s <= DEGENERATE_SE * c:
            out.append(f"WARNING: the CR1 standard error of {name} is numerically zero ({s:.1e}): with only {G} "
                       "clusters their scores cancel, so it measures no uncertainty; use the wild cluster "
                       "bootstrap (the default below 30 clusters)")
    return out


def panel_fe(data: pd.DataFrame, y: str, x, entity: str, time: str | None = None,
             cluster: str | None | bool = None, weights: str | None = None, *,
             bootstrap: int | None = None, bootstrap_weights: str | None = None, bootstrap_ci: bool = True,
             seed: int = DEFAULT_SEED, conf_level: float = 0.95, df_convention: str = "nested",
             singletons: bool = False, tol: float = 1e-12, maxiter: int = 10_000) -> ModelResult:
    """Two-way (unit and time) fixed-effects regression of ``y`` on ``x`` with clustered SEs.

    The effects are absorbed by the within transformation: alternating one-way demeanings by
    ``entity`` and ``time`` (``np.bincount`` group means) iterated until the largest mean
    removed is below ``tol`` × the scale of the column — exact for unbalanced panels, one sweep
    for balanced ones. Slopes are OLS (WLS with ``weights``) on the demeaned data.

    Parameters
    ----------
    data : DataFrame, one row per unit × period.
    y : outcome column. x : regressor column or list of columns.
    entity, time : unit and period columns; ``time=None`` fits unit effects only.
    cluster : column to cluster on; ``None`` clusters by ``entity``; ``False`` gives
        heteroskedasticity-robust (HC1-type) SEs without clustering.
    weights : optional column of positive analytic weights (weighted within transformation).
    bootstrap : number of wild cluster bootstrap draws (0 = none). Restricted (null imposed,
        WCR) per term; gives ``boot_p_value`` and, if ``bootstrap_ci``, the interval inverting
        the bootstrap test. Default (None): 999 draws when there are fewer than 30 clusters, none
        otherwise. With fewer than 30 clusters the bootstrap p-value and interval are the result's
        ``p_value``/``ci_low``/``ci_high`` (the SE stays CR1), and the se_type, a note and the
        summary say so; ``bootstrap=0`` there reports CR1 with a warning note.
        ``bootstrap_weights``: ``"rademacher"`` or ``"webb"`` (6-point, better below 12 clusters);
        default Webb below 12 clusters, Rademacher otherwise. ``seed`` fixes the draws.
    df_convention : how absorbed effects enter K in the small-sample factor.
        ``"nested"`` (default): CR1 = G/(G−1)·(N−1)/(N−K) with K = k + rank([1, effects not
        nested in the clusters]); effects nested in the clusters (e.g. unit effects with
        clusters = units or provinces containing the units) are not counted, because the
        cluster-robust variance already allows for them (Cameron & Miller 2015, §VI.B; the
        convention of Stata's ``xtreg, fe vce(cluster)``). With time effects and nested unit
        effects K = k + T. Without clustering nothing is nested.
        ``"linearmodels"``: linearmodels ``PanelOLS(entity_effects=True, time_effects=True)``
        ``.fit(cov_type="clustered", ..., group_debias=True)`` (its default ``debiased=True``):
        the same G/(G−1)·(N−1)/(N−K), but with every effect counted when there are two
        (K = k + n_units + T − 1) and a single effect nested in the clusters not counted
        (K = k), as linearmodels' ``auto_df`` does.
    singletons : keep units (or periods) observed once; by default they are dropped
        iteratively (their effect fits them perfectly; they only distort the d.o.f.).

    Returns
    -------
    ModelResult with t(G−1) intervals and p-values when clustered (t(N−K) otherwise);
    ``extra`` holds ``K``, ``df_resid``, ``small_sample_factor``, ``iterations``. With fewer than
    :data:`~ntm_analysis.models.bootstrap.FEW_CLUSTERS` clusters its notes warn that the CR1 ``std_error`` is
    unreliable (and when one is numerically zero, that it measures nothing), pointing at the wild cluster bootstrap.

    Raises
    ------
    ValueError
        saying why it cannot estimate: one unit with time effects (nothing left once each period's effect fits its
        single observation), one cluster (CR1 needs two), only singletons, regressors absorbed by the effects or
        collinear once they are removed (naming the relation, e.g. ``'x2' = 2·'x'``), or N ≤ K.
    """
    xs = as_list(x)
    if not xs:
        raise ValueError("panel_fe needs at least one regressor in x")
    if df_convention not in ("nested", "linearmodels"):
        raise ValueError(f"df_convention must be 'nested' or 'linearmodels', got {df_convention!r}")
    cl_col = entity if cluster is None else (None if cluster is False else cluster)
    keys = [entity, time, cl_col]
    keep, notes = complete_rows(data, [y, *xs, weights], keys, what="panel_fe data")
    w = None
    if weights is not None:
        w = numeric(data, weights)
        if np.any(w[keep] < 0):
            i = int(np.flatnonzero(keep & (w < 0))[0])
            raise ValueError(f"panel_fe: weights column {weights!r} has negative value {w[i]} "
                             f"in row {label(data.index[i])!r}; weights must be positive")
        zero = keep & (w == 0)
        if zero.any():
            notes.append(f"dropped {int(zero.sum()):,} rows with zero weight")
            keep &= ~zero
    idx = np.flatnonzero(keep) if not keep.all() else None

    def col(c):
        v = numeric(data, c)
        return v if idx is None else v[idx]

    def key(c):
        v = data[c].to_numpy()
        return v if idx is None else v[idx]

    yv = col(y)
    X = np.column_stack([col(c) for c in xs])
    if len(yv) == 0:
        raise ValueError("panel_fe: no complete observations" + (" left after dropping missing values" if idx is not None
                                                                 else ": the data have no rows"))
    ent, ent_levels = codes_of(key(entity))
    if len(ent_levels) < 2 and time is not None:
        raise ValueError(
            f"panel_fe cannot estimate: the data have one {entity} only ({entity}={label(ent_levels[0])!r}). With "
            f"{time} effects every {time} then has a single observation, fitted exactly by its own {time} effect, so "
            f"no variation is left to estimate a slope from; use data with at least two values of {entity} (or "
            f"time=None to follow this one over time)")
    fe = [ent]
    if time is not None:
        fe.append(codes_of(key(time))[0])
    cl = None
    if cl_col is not None:
        cl = ent if cl_col == entity else codes_of(key(cl_col))[0]
    wv = None if w is None else (w if idx is None else w[idx])

    sample_index = data.index if idx is None else data.index[idx]
    rows = np.arange(len(data)) if idx is None else idx  # positions of the rows in the sample
    if not singletons:
        mask = drop_singletons(fe)
        if not mask.any():
            raise ValueError(
                f"panel_fe cannot estimate: removing singletons leaves none of the {len(mask):,} observations. A "
                f"singleton, the only observation of its {entity}" + (f" or of its {time}" if time is not None else "")
                + ", is fitted exactly by its own effect and says nothing about the slope, so it is dropped "
                f"(repeatedly, as dropping one can leave another alone); the estimate needs values of {entity} "
                "observed in at least two periods")
        if not mask.all():
            sample_index, rows = sample_index[mask], rows[mask]
            n_single = int((~mask).sum())
            notes.append(f"removed {n_single:,} singleton observation(s) (a unit or period observed "
                         "once is fitted exactly by its effect)")
            yv, X = yv[mask], X[mask]
            fe = [compact(c[mask]) for c in fe]
            cl = None if cl is None else compact(cl[mask])
            wv = None if wv is None else wv[mask]
    n = len(yv)
    k = X.shape[1]
    if cl is not None and int(cl.max()) + 1 < 2:
        one = label(data[cl_col].iloc[rows[0]])
        raise ValueError(
            f"panel_fe cannot estimate cluster-robust standard errors: there is one cluster only ({cl_col}={one!r}), "
            "and CR1 needs at least two (it scales by G/(G − 1) and its t has G − 1 degrees of freedom)"
            + (f"; the errors are clustered by {entity} (the default), so this is one {entity}" if cl_col == entity
               else "")
            + ". Use data with several clusters, or cluster=False for heteroskedasticity-robust standard errors")

    wt = demean(np.column_stack([yv, X]), fe, wv, tol=tol, maxiter=maxiter)
    if not wt.converged:
        notes.append(f"within transformation did not converge to tol={tol} in {maxiter} sweeps")
    Z = wt.values
    if wv is not None:
        Z *= np.sqrt(wv)[:, None]
    ydm, Xdm = Z[:, 0], Z[:, 1:]
    # regressors absorbed by the effects (no within variation) cannot be estimated
    raw_norm = np.sqrt((X * X).sum(0)) + 1e-300
    absorbed = [c for c, a, b in zip(xs, np.sqrt((Xdm * Xdm).sum(0)), raw_norm) if a <= 1e-10 * b]
    if absorbed:
        raise ValueError(f"panel_fe: regressor(s) {absorbed} have no variation left after removing "
                         "the fixed effects (absorbed); drop them from x")
    relation = _collinear(Xdm, xs)
    if relation is not None:
        raise ValueError(f"panel_fe: the regressors are collinear once the fixed effects are removed ({relation}), "
                         "so their slopes cannot be told apart; drop one of them from x")
    XtX = Xdm.T @ Xdm
    A = np.linalg.inv(XtX)
    beta = A @ (Xdm.T @ ydm)
    e = ydm - Xdm @ beta
    resid = e if wv is None else e / np.sqrt(wv)  # y − Xβ − fixed effects, in y's units

    n_levels = [int(c.max()) + 1 for c in fe]
    names = [entity, time][: len(fe)]
    if cl is not None:
        G = int(cl.max()) + 1
        nested = [is_nested(c, cl) for c in fe]
        K = k + _fe_dof(fe, nested, df_convention, n_levels)
        _check_dof(n, K)
        factor = G / (G - 1) * (n - 1) / (n - K)
        formula = "G/(G-1)·(N-1)/(N-K)"
        S = np.column_stack([np.bincount(cl, weights=Xdm[:, j] * e, minlength=G) for j in range(k)])
        V = factor * A @ (S.T @ S) @ A
        df_t = G - 1
        nested_txt = [nm for nm, nst in zip(names, nested) if nst]
        se_type = (f"cluster-robust (CR1: {formula}, K = {K:,}"
                   + (f"; {' and '.join(nested_txt)} effects nested in the clusters not counted"
                      if nested_txt and df_convention == "nested" else "")
                   + f") by {cl_col}, {G:,} clusters; t({df_t}) intervals")
    else:
        G = None
        nested = [False] * len(fe)
        K = k + _fe_dof(fe, nested, "nested", n_levels)
        _check_dof(n, K)
        factor = n / (n - K)
        meat = (Xdm * (e * e)[:, None]).T @ Xdm
        V = factor * A @ meat @ A
        df_t = n - K
        se_type = f"heteroskedasticity-robust (HC1: N/(N-K), K = {K:,}), not clustered; t({df_t}) intervals"
    se = np.sqrt(np.diag(V))

    boot = None
    boot_txt = None
    few = G is not None and G < FEW_CLUSTERS
    if bootstrap is None:
        bootstrap = DEFAULT_DRAWS if few else 0
    if bootstrap and bootstrap > 0:
        if cl is None:
            raise ValueError("the wild cluster bootstrap needs clusters (cluster=False was given)")
        bootstrap_weights = bootstrap_weights or default_weights(G)
        rng = np.random.default_rng(seed)
        wb = WildClusterBootstrap(Xdm, ydm, cl, G, factor, bootstrap_weights, int(bootstrap), rng)
        res = [wb.test(j, conf_level, ci=bootstrap_ci) for j in range(k)]
        boot = {"boot_p_value": [r[0] for r in res], "boot_ci_low": [r[1] for r in res],
                "boot_ci_high": [r[2] for r in res]}
        boot_txt = (f"wild cluster bootstrap, restricted (null imposed, WCR) per term, "
                    f"{bootstrap_weights} weights, {int(bootstrap)} draws, seed {seed}"
                    + ("; interval by test inversion" if bootstrap_ci else ""))
        if G < 12 and bootstrap_weights == "rademacher":
            notes.append(f"only {G} clusters: Rademacher weights allow {2 ** G} distinct draws; "
                         "consider bootstrap_weights='webb'")
    if few:
        notes.extend(_cr1_warnings(xs, se, A, e, n - K, G, wild=boot is not None))
    coefs = make_coefs(xs, beta, se, df_resid=df_t, conf_level=conf_level, boot=boot)
    if few:
        wild = boot is not None
        if wild:  # with few clusters the wild bootstrap is the inference: its p-values (and intervals) are the result's
            coefs["p_value"] = coefs["boot_p_value"]
            if bootstrap_ci:
                coefs["ci_low"], coefs["ci_high"] = coefs["boot_ci_low"], coefs["boot_ci_high"]
            se_type += ("; with fewer than 30 clusters, p-values" + (" and intervals" if bootstrap_ci else "")
                        + " from the wild cluster bootstrap (WCR" + (", test inversion" if bootstrap_ci else "") + ")")
        notes.append(few_clusters_note(G, bootstrap_used=wild, intervals=bool(bootstrap_ci)))
    if wt.iterations > 2 and len(fe) > 1:
        notes.append(f"within transformation: {wt.iterations} alternating-projection sweeps "
                     f"(unbalanced panel) to tol {tol:g}")
    fe_txt = " and ".join(f"{c} ({m:,})" for c, m in zip([entity, time][: len(fe)], n_levels))
    r0 = coefs.iloc[0]
    level = int(round(conf_level * 100))
    (log_x, x_name), (log_y, y_name) = log_name(xs[0]), log_name(y)  # ln_/log_ names read in percent
    reading = slope_sentence(
        r0["estimate"], r0["ci_low"], r0["ci_high"], x=x_name, y=y_name,
        level=level, n_text=f"{n:,} observations" + (f", {G:,} clusters" if G else ""), log_x=log_x, log_y=log_y,
        context=f"Comparing each {entity} with itself over time"
                + (f" and net of common {time} shocks" if time is not None else ""))
    return ModelResult(
        estimator=f"fixed effects (within) OLS, effects: {fe_txt}" + (" weighted" if wv is not None else ""),
        dependent=y, coefs=coefs, n_obs=n, n_clusters=G, n_units=n_levels[0], se_type=se_type,
        bootstrap=boot_txt, notes=notes, synthetic=is_synthetic(data), conf_level=conf_level,
        vcov=pd.DataFrame(V, index=xs, columns=xs), reading_text=reading,
        extra={"K": K, "df_resid": n - K, "small_sample_factor": factor, "iterations": wt.iterations,
               "df_convention": df_convention, "nested": dict(zip(names, nested)),
               "r2_within": float(1 - (e @ e) / (ydm @ ydm)) if ydm @ ydm > 0 else np.nan},
        rsquared=float(1 - (e @ e) / (ydm @ ydm)) if ydm @ ydm > 0 else None,
        resid=pd.Series(resid, index=sample_index, name="resid"),
        fitted=pd.Series(yv - resid, index=sample_index, name="fitted"), **reference_of(coefs),
    )
