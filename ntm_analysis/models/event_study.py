"""Event study around staggered adoption: the imputation estimator of Borusyak, Jaravel & Spiess.

Borusyak, K., Jaravel, X. & Spiess, J. (2024), "Revisiting event-study designs: robust and
efficient estimation", Review of Economic Studies 91(6). Unit and year effects (and the slopes of
any controls) are fitted on untreated observations only (never-treated units and not-yet-treated
years), the untreated outcome of each treated observation is imputed from them, and the
differences are averaged by event time. Unlike a two-way fixed-effects regression with leads and
lags, already-treated units never serve as controls, so effects that vary by cohort or grow over
time do not contaminate each other. Pre-period coefficients follow BJS's test: leads added to the
untreated-only regression, relative to earlier untreated years and never-treated units.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ntm_analysis.models.prepare import as_list, codes_of, compact, complete_rows, label, numeric
from ntm_analysis.models.bootstrap import FEW_CLUSTERS
from ntm_analysis.models.readings import difference_sentence, log_name
from ntm_analysis.models.results import ModelResult, is_synthetic, make_coefs, reference_of
from ntm_analysis.models.within import demean, fe_components

DEFAULT_SEED = 20240601


def _ols_within(Y, X, fe, w):
    """Slopes of Y on X after absorbing ``fe`` (weighted); X may have zero columns."""
    Z = demean(np.column_stack([Y, X]) if X.shape[1] else Y[:, None], fe, w, tol=1e-10).values
    if not X.shape[1]:
        return np.zeros(0)
    s = np.sqrt(w)[:, None] if w is not None else 1.0
    Zs = Z * s
    return np.linalg.lstsq(Zs[:, 1:], Zs[:, 0], rcond=None)[0]


def _estimate(y, X, unit, time, e, w, post, pre):
    """Imputation estimates for event times ``post`` and BJS leads ``pre``; plus the ATT."""
    untreated = ~(e >= 0)  # NaN (never treated) counts as untreated
    u_unit, u_time = unit[untreated], time[untreated]
    uu, ut = compact(u_unit), compact(u_time)
    wu = None if w is None else w[untreated]
    Xu = X[untreated]
    beta = _ols_within(y[untreated], Xu, [uu, ut], wu)
    r = y[untreated] - (Xu @ beta if len(beta) else 0.0)
    (a_eff, t_eff), _ = fe_components(r, [uu, ut], wu, tol=1e-10)
    # map effects back to the original codes
    alpha = np.full(int(unit.max()) + 1, np.nan)
    alpha[u_unit] = a_eff[uu]
    gamma = np.full(int(time.max()) + 1, np.nan)
    gamma[u_time] = t_eff[ut]
    treated = ~untreated
    y0 = alpha[unit[treated]] + gamma[time[treated]] + (X[treated] @ beta if len(beta) else 0.0)
    tau = y[treated] - y0
    et = e[treated]
    wt = np.ones(len(tau)) if w is None else w[treated]
    ok = np.isfinite(tau)
    post_est = np.array([np.average(tau[ok & (et == k)], weights=wt[ok & (et == k)])
                         if np.any(ok & (et == k)) else np.nan for k in post])
    in_h = ok & (et <= max(post)) if len(post) else ok
    att = np.average(tau[in_h], weights=wt[in_h]) if in_h.any() else np.nan
    # BJS pre-trend test: leads among untreated observations
    pre_est = np.full(len(pre), np.nan)
    if len(pre):
        eu = e[untreated]
        D = np.column_stack([(eu == k).astype(float) for k in pre])
        has = D.sum(0) > 0
        if has.any():
            coef = _ols_within(y[untreated], np.column_stack([Xu, D[:, has]]), [uu, ut], wu)
            pre_est[has] = coef[Xu.shape[1]:]
    counts = (np.array([(ok & (et == k)).sum() for k in post]), int((~ok).sum()))
    return np.concatenate([pre_est, post_est, [att]]), counts


def event_study(data: pd.DataFrame, y: str, entity: str, time: str, cohort: str, *, controls=None,
                cluster: str | None = None, weights: str | None = None, horizon: int | None = None,
                pre_periods: int | None = 3, bootstrap: int = 199, seed: int = DEFAULT_SEED,
                conf_level: float = 0.95) -> ModelResult:
    """Imputation event-study estimator (Borusyak–Jaravel–Spiess) for staggered adoption.

    Parameters
    ----------
    data : one row per unit × year.
    y : outcome. entity, time : unit and (integer) year columns.
    cohort : year the unit was treated (e.g. reached the NTM standard); missing = never treated.
    controls : time-varying covariates whose slopes are fitted on untreated observations.
    cluster : column whose groups are resampled in the bootstrap (default ``entity``: a unit's
        repeated observations are resampled together). With fewer than 30 clusters the intervals
        use t(G−1) and a note warns that they may still be too narrow.
    weights : optional observation weights (both in fitting and in averaging).
    horizon : last event time reported (default: the last one with treated observations).
    pre_periods : number of leads (event times −1 … −pre_periods) in the pre-trend test.
    bootstrap : cluster bootstrap draws for the SEs (whole clusters resampled with replacement,
        the whole estimator re-run, as frequency weights); intervals are estimate ± z·SE.

    Returns
    -------
    ModelResult with terms ``"e=-3"…"e=-1"`` (pre-trend leads), ``"e=0"…"e=H"`` (average effect
    at each event time) and ``"ATT"`` (average over all treated observations up to H);
    ``extra["event_table"]`` has one row per event time with the number of treated observations.
    Treated observations that cannot be imputed (units treated in every observed year, years with
    no untreated unit) are left out and counted in the notes.
    """
    ctrl = as_list(controls)
    cl_col = entity if cluster is None else cluster
    keep, notes = complete_rows(data, [y, *ctrl, weights], [entity, time, cl_col], what="event_study data")
    complete_rows(data, [cohort], [], what="event_study data")  # exists and numeric; NA = never
    d = data.loc[keep]
    yv = numeric(d, y)
    X = np.column_stack([numeric(d, c) for c in ctrl]) if ctrl else np.empty((len(d), 0))
    tv = numeric(d, time)
    cv = numeric(d, cohort)
    e = tv - cv
    if np.any(np.isfinite(e) & (np.round(e) != e)):
        raise ValueError(f"event_study: {time} − {cohort} must be whole years; found {e[np.isfinite(e)][0]}")
    unit, unit_labels = codes_of(d[entity].to_numpy())
    tcode = codes_of(tv)[0]
    w = None if weights is None else numeric(d, weights)
    clc = unit if cl_col == entity else codes_of(d[cl_col].to_numpy())[0]
    # cohort must be constant within unit
    cmin = pd.Series(np.nan_to_num(cv, nan=-1e18)).groupby(unit).agg(["min", "max"])
    if (cmin["min"] != cmin["max"]).any():
        u = label(unit_labels[cmin.index[cmin["min"] != cmin["max"]][0]])
        raise ValueError(f"event_study: {cohort!r} differs across the rows of {entity}={u!r}; "
                         "expected one adoption year per unit (missing = never)")
    treated = e >= 0
    if not treated.any():
        raise ValueError(f"event_study: no treated observations ({time} ≥ {cohort}) in the data")
    # leave out what cannot be imputed
    unt = ~treated
    unit_has_untreated = np.bincount(unit[unt], minlength=unit.max() + 1) > 0
    time_has_untreated = np.bincount(tcode[unt], minlength=tcode.max() + 1) > 0
    bad = treated & ~(unit_has_untreated[unit] & time_has_untreated[tcode])
    if bad.any():
        n_units_bad = len(np.unique(unit[bad & ~unit_has_untreated[unit]]))
        notes.append(f"left out {int(bad.sum()):,} treated observations that cannot be imputed "
                     f"({n_units_bad} unit(s) treated in every observed year; years without an untreated unit: "
                     f"{sorted(set(tv[bad & ~time_has_untreated[tcode]].astype(int).tolist()))})")
        sel = ~bad
        yv, X, tv, e, unit, tcode, clc = yv[sel], X[sel], tv[sel], e[sel], unit[sel], tcode[sel], clc[sel]
        w = None if w is None else w[sel]
        unit, tcode, clc = compact(unit), compact(tcode), compact(clc)
    et = e[e >= 0].astype(int)
    H = int(et.max()) if horizon is None else int(horizon)
    post = list(range(0, H + 1))
    max_lead = int(-np.nanmin(e)) if np.isfinite(e).any() and np.nanmin(e) < 0 else 0
    P = 0 if not pre_periods else min(int(pre_periods), max_lead)
    pre = list(range(-P, 0))
    est, (counts, n_nan) = _estimate(yv, X, unit, tcode, e, w, post, pre)
    G = int(clc.max()) + 1
    se = np.full(len(est), np.nan)
    boot_txt = None
    if bootstrap and bootstrap > 0:
        rng = np.random.default_rng(seed)
        draws = np.empty((int(bootstrap), len(est)))
        for b in range(int(bootstrap)):
            mult = np.bincount(rng.integers(0, G, size=G), minlength=G).astype(float)
            wb = mult[clc] * (1.0 if w is None else w)
            s = wb > 0
            draws[b] = _estimate(yv[s], X[s], compact(unit[s]), compact(tcode[s]), e[s], wb[s], post, pre)[0]
        se = np.nanstd(draws, axis=0, ddof=1)
        boot_txt = (f"cluster bootstrap: {int(bootstrap)} draws of whole {cl_col} clusters ({G}) with "
                    f"replacement, estimator re-run each time, seed {seed}")
    terms = [f"e={k}" for k in pre] + [f"e={k}" for k in post] + ["ATT"]
    few = G < FEW_CLUSTERS and bool(bootstrap)
    coefs = make_coefs(terms, est, se, df_resid=(G - 1) if few else None, conf_level=conf_level)
    if few:
        notes.append(f"WARNING: only {G} clusters (fewer than {FEW_CLUSTERS}): a bootstrap of whole clusters is "
                     f"unreliable with few clusters; the intervals use t({G - 1}) instead of the normal, and may "
                     "still be too narrow (no wild cluster bootstrap is implemented for the imputation estimator)")
    n_treated = int(np.sum((e >= 0) & (e <= H)))
    table = coefs[coefs["term"] != "ATT"].copy()
    table.insert(1, "event_time", pre + post)
    table.insert(2, "kind", ["pre"] * len(pre) + ["post"] * len(post))
    table["n_treated_obs"] = [np.nan] * len(pre) + counts.tolist()
    if ctrl:
        notes.append(f"controls fitted on untreated observations: {', '.join(ctrl)}")
    if P:
        notes.append(f"pre-period terms: BJS test leads e=-{P}…-1 in the untreated-only regression, "
                     f"relative to earlier untreated years and never-treated units")
    n_never = int(np.isnan(cv).sum())
    att = coefs.iloc[-1]
    level = int(round(conf_level * 100))
    log_y, y_name = log_name(y)
    reading = difference_sentence(att["estimate"], att["ci_low"], att["ci_high"], what=y_name,
                                  than="imputed from untreated units and years", level=level, log_y=log_y,
                                  n_text=f"event times 0–{H}, {n_treated:,} treated observations",
                                  context="After adoption")
    se_type = (f"cluster bootstrap by {cl_col} ({G} clusters)" if bootstrap else "none (bootstrap=0)") + (
        f"; t({G - 1}) intervals (few clusters)" if few else "; normal intervals")
    return ModelResult(
        estimator="event study, imputation estimator (Borusyak–Jaravel–Spiess 2024)", dependent=y,
        coefs=coefs, n_obs=len(yv), n_clusters=G, n_units=int(unit.max()) + 1, se_type=se_type,
        bootstrap=boot_txt, notes=notes + [f"{n_never:,} observations of never-treated units"],
        synthetic=is_synthetic(data), conf_level=conf_level, reading_text=reading,
        extra={"event_table": table, "horizon": H, "pre_periods": P, "time": time, "cohort": cohort},
        **reference_of(coefs))
