"""Resources → income → poverty: associations and a product-of-coefficients mediation."""
from __future__ import annotations

import numpy as np
import pandas as pd
import statsmodels.api as sm

from ntm_analysis.models.convergence import _check_unique, _list_units
from ntm_analysis.models.prepare import as_list, complete_rows, label, numeric
from ntm_analysis.models.results import ModelResult, is_synthetic, make_coefs, reference_of

DEFAULT_SEED = 20240601
TERMS = ["a", "b", "direct", "indirect", "total"]


def _coefs(Xa, Xf, Xt, m, y):
    """a (x→m), b (m→y | x), c' (x→y | m), a·b, c (x→y); column 1 of each design is x."""
    a = np.linalg.lstsq(Xa, m, rcond=None)[0][1]
    bf = np.linalg.lstsq(Xf, y, rcond=None)[0]
    c = np.linalg.lstsq(Xt, y, rcond=None)[0][1]
    return np.array([a, bf[2], bf[1], a * bf[2], c])


def mediation(data: pd.DataFrame, x: str, m: str, y: str, *, controls=None, cluster: str | None = None,
              bootstrap: int = 999, seed: int = DEFAULT_SEED, conf_level: float = 0.95,
              cov_type: str = "HC1") -> ModelResult:
    """Single-mediator model x → m → y by the product of coefficients (Baron–Kenny / Sobel).

    Fits by OLS (statsmodels): ``m = i1 + a·x + controls``, ``y = i2 + c'·x + b·m + controls`` and
    ``y = i3 + c·x + controls``. Terms: ``a``, ``b``, ``direct`` (c'), ``indirect`` (a·b) and
    ``total`` (c = c' + a·b). Analytic SEs: ``cov_type`` (HC1) or, with ``cluster``, CR1 clustered;
    for the indirect effect the Sobel (delta-method) SE. The bootstrap (``bootstrap`` draws of rows,
    or of whole clusters when ``cluster`` is given; ``seed`` fixed) gives percentile intervals and a
    two-sided p-value (twice the smaller share of draws on either side of 0) for every term — prefer
    it for the indirect effect, whose distribution is skewed. A causal reading needs no unmeasured
    confounding of x→m, x→y and m→y; the result is an association otherwise.
    """
    ctrl = as_list(controls)
    keep, notes = complete_rows(data, [x, m, y, *ctrl], [cluster], what="mediation data")
    d = data.loc[keep]
    n = len(d)
    k = 2 + len(ctrl)
    if n < k + 3:
        raise ValueError(f"mediation: only {n} complete rows for {k + 1} parameters; too few to fit")
    xv, mv, yv = numeric(d, x), numeric(d, m), numeric(d, y)
    C = np.column_stack([numeric(d, c) for c in ctrl]) if ctrl else np.empty((n, 0))
    one = np.ones((n, 1))
    Xa = np.column_stack([one, xv, C])
    Xf = np.column_stack([one, xv, mv, C])
    fit_kw = {"cov_type": cov_type}
    groups = None
    if cluster is not None:
        groups = pd.factorize(d[cluster])[0]
        fit_kw = {"cov_type": "cluster", "cov_kwds": {"groups": groups}}
    fa = sm.OLS(mv, Xa).fit(**fit_kw)
    ff = sm.OLS(yv, Xf).fit(**fit_kw)
    ft = sm.OLS(yv, Xa).fit(**fit_kw)
    a, se_a = fa.params[1], fa.bse[1]
    b, se_b = ff.params[2], ff.bse[2]
    est = np.array([a, b, ff.params[1], a * b, ft.params[1]])
    se = np.array([se_a, se_b, ff.bse[1], np.sqrt(a * a * se_b ** 2 + b * b * se_a ** 2), ft.bse[1]])

    boot = None
    boot_txt = None
    if bootstrap and bootstrap > 0:
        rng = np.random.default_rng(seed)
        draws = np.empty((int(bootstrap), 5))
        if groups is None:
            blocks = [np.array([i]) for i in range(n)]
        else:
            order = np.argsort(groups, kind="stable")
            cuts = np.flatnonzero(np.diff(groups[order])) + 1
            blocks = np.split(order, cuts)
        nb = len(blocks)
        for r in range(int(bootstrap)):
            pick = rng.integers(0, nb, size=nb)
            idx = np.concatenate([blocks[i] for i in pick]) if groups is not None else pick
            try:
                draws[r] = _coefs(Xa[idx], Xf[idx], Xa[idx], mv[idx], yv[idx])
            except np.linalg.LinAlgError:
                draws[r] = np.nan
        ok = np.isfinite(draws).all(axis=1)
        draws = draws[ok]
        alpha = 1 - conf_level
        lo, hi = np.quantile(draws, [alpha / 2, 1 - alpha / 2], axis=0)
        p = np.minimum(1.0, 2 * np.minimum((draws <= 0).mean(0), (draws >= 0).mean(0)))
        boot = {"boot_p_value": p, "boot_ci_low": lo, "boot_ci_high": hi}
        unit_txt = f"clusters of {cluster}" if cluster else "rows (units)"
        boot_txt = f"nonparametric bootstrap of {unit_txt}, {len(draws)} draws, percentile intervals, seed {seed}"
        if not ok.all():
            notes.append(f"{int((~ok).sum())} bootstrap draws with a singular design were discarded")
    df_resid = (len(np.unique(groups)) - 1) if groups is not None else float(ff.df_resid)
    coefs = make_coefs(TERMS, est, se, df_resid=df_resid, conf_level=conf_level, boot=boot)
    notes.append(f"a: {x} → {m}; b: {m} → {y} given {x}; direct: {x} → {y} given {m}; "
                 f"indirect = a·b (Sobel SE); total: {x} → {y}" + (f"; controls: {', '.join(ctrl)}" if ctrl else ""))
    se_type = ("cluster-robust CR1 (G/(G-1)·(N-1)/(N-K), statsmodels) by " + cluster if cluster
               else f"heteroskedasticity-robust ({cov_type}, statsmodels)")
    ind = coefs.set_index("term").loc["indirect"]
    lo_i, hi_i = (ind["boot_ci_low"], ind["boot_ci_high"]) if boot else (ind["ci_low"], ind["ci_high"])
    level = int(round(conf_level * 100))
    share = est[3] / est[4] if est[4] != 0 else np.nan
    reading = (f"Of the association of {x} with {y} ({est[4]:.3g}), {est[3]:.3g} runs through {m} "
               f"({level}% CI {lo_i:.3g} to {hi_i:.3g}"
               + (f"; {share:.0%} of the total" if np.isfinite(share) and abs(share) < 10 else "")
               + f"; {n} units).")
    return ModelResult(
        estimator="mediation, product of coefficients (OLS)", dependent=y, coefs=coefs, n_obs=n,
        n_clusters=None if groups is None else int(groups.max()) + 1, n_units=n, se_type=se_type,
        bootstrap=boot_txt, notes=notes, synthetic=is_synthetic(data), conf_level=conf_level,
        reading_text=reading, extra={"x": x, "m": m, "y": y, "fits": {"a": fa, "full": ff, "total": ft}},
        rsquared=float(ff.rsquared), resid=pd.Series(ff.resid, index=d.index, name="resid"),
        fitted=pd.Series(ff.fittedvalues, index=d.index, name="fitted"), **reference_of(coefs))


def resources_link(data: pd.DataFrame, resources: str, income: str, poverty: str, unit: str,
                   time: str | None = "year", *, start=None, end=None, log_resources: bool = True,
                   poverty_change: str = "log", controls=None, cluster: str | None = None,
                   bootstrap: int = 999, seed: int = DEFAULT_SEED, conf_level: float = 0.95) -> ModelResult:
    """Association of resources per capita with income growth and poverty reduction, and mediation.

    From a unit × year table, builds one row per unit over the window ``start``–``end`` (default:
    first and last year in which both ``income`` and ``poverty`` are observed):

    * ``log_resources``: mean over the window's years of ln ``resources`` (the log of a per-capita
      figure; with one value per unit, just its log). ``log_resources=False`` uses the plain mean.
    * ``income_growth``: 100·(ln income_end − ln income_start)/(end − start), % per year.
    * ``poverty_reduction``: ``"log"`` → −100·(ln P_end − ln P_start)/(end − start), % per year;
      ``"points"`` → (P_start − P_end)/(end − start), percentage points per year. Positive = fewer poor.

    Then fits :func:`mediation` with x = log_resources, m = income_growth, y = poverty_reduction:
    ``a`` is the association of resources with income growth, ``total`` with poverty reduction,
    ``indirect`` the part running through income growth. Units without income or poverty in both
    end years, or without any resources figure in the window, are left out and named in the notes;
    nothing is filled in. With ``time=None`` the table already has one row per unit and the three
    columns are used as they are (resources logged if ``log_resources``). Income and poverty must be
    one consistent series each: do not pass a column that splices different poverty measures.
    """
    if poverty_change not in ("log", "points"):
        raise ValueError(f"poverty_change must be 'log' or 'points', got {poverty_change!r}")
    what = "resources_link data"
    ctrl = as_list(controls)
    if time is None:
        keep, notes = complete_rows(data, [resources, income, poverty, *ctrl], [unit, cluster], what=what)
        if data[unit].duplicated().any():
            u = label(data.loc[data[unit].duplicated(), unit].iloc[0])
            raise ValueError(f"{what}: unit {u!r} appears more than once; with time=None expected one row per unit")
        cs = data.loc[keep, [unit, resources, income, poverty, *ctrl] + ([cluster] if cluster else [])].copy()
        cs = cs.rename(columns={resources: "log_resources" if log_resources else "resources",
                                income: "income_growth", poverty: "poverty_reduction"})
        xcol = "log_resources" if log_resources else "resources"
        if log_resources:
            bad = cs[xcol] <= 0
            if bad.any():
                notes.append(f"left out {int(bad.sum())} unit(s) with {resources} ≤ 0: {_list_units(cs.loc[bad, unit])}")
                cs = cs.loc[~bad]
            cs[xcol] = np.log(cs[xcol].astype(float))
        window = None
    else:
        cs, notes, window, xcol = _cross_section(data, resources, income, poverty, unit, time, start, end,
                                                 log_resources, poverty_change, ctrl, cluster, what)
    res = mediation(cs, xcol, "income_growth", "poverty_reduction", controls=ctrl, cluster=cluster,
                    bootstrap=bootstrap, seed=seed, conf_level=conf_level)
    units_txt = f"{len(cs)} units used" + (f", window {window[0]}–{window[1]}" if window else "")
    pov_unit = "% per year (log change)" if poverty_change == "log" else "percentage points per year"
    notes = [units_txt] + notes + res.notes + [
        f"income_growth in % per year; poverty_reduction in {pov_unit}; {xcol} = "
        + ("mean log of " if log_resources else "mean of ") + resources]
    t = res.coefs.set_index("term")
    level = int(round(conf_level * 100))
    reading = (f"Across {len(cs)} units, 1 log point more {resources} goes with {t.loc['a', 'estimate']:.3g} "
               f"points faster income growth per year ({level}% CI {t.loc['a', 'ci_low']:.3g} to "
               f"{t.loc['a', 'ci_high']:.3g}) and {t.loc['total', 'estimate']:.3g} faster poverty reduction, "
               f"{t.loc['indirect', 'estimate']:.3g} of it through income growth.")
    return ModelResult(
        estimator="resources → income growth → poverty reduction (cross-section, mediation)",
        dependent="poverty_reduction", coefs=res.coefs, n_obs=res.n_obs, n_clusters=res.n_clusters,
        n_units=len(cs), se_type=res.se_type, bootstrap=res.bootstrap, notes=notes,
        synthetic=is_synthetic(data), conf_level=conf_level, reading_text=reading,
        extra={"cross_section": cs, "window": window, "mediation": res},
        ci_reference=res.ci_reference, ci_df=res.ci_df, rsquared=res.rsquared, resid=res.resid, fitted=res.fitted)


def _cross_section(data, resources, income, poverty, unit, time, start, end, log_resources,
                   poverty_change, ctrl, cluster, what):
    keep_cols = [unit, time]
    _, notes = complete_rows(data, [], keep_cols + ([cluster] if cluster else []), what=what)
    complete_rows(data, [resources, income, poverty, *ctrl], [], what=what)  # existence + numeric
    d = data[[unit, time, resources, income, poverty, *ctrl] + ([cluster] if cluster else [])]
    d = d[d[unit].notna() & d[time].notna()]
    _check_unique(d, unit, time, what)
    both = d[d[income].notna() & d[poverty].notna()]
    if both.empty:
        raise ValueError(f"{what}: no year with both {income!r} and {poverty!r} observed")
    start = both[time].min() if start is None else start
    end = both[time].max() if end is None else end
    if not float(end) > float(start):
        raise ValueError(f"{what}: end ({end}) must be after start ({start})")
    span = float(end) - float(start)
    inc = d.pivot(index=unit, columns=time, values=income)
    pov = d.pivot(index=unit, columns=time, values=poverty)
    units = inc.index
    out = pd.DataFrame(index=units)
    reasons = {}

    def need(tbl, yr, label):
        v = tbl[yr] if yr in tbl.columns else pd.Series(np.nan, index=units)
        for u in v.index[v.isna()]:
            reasons.setdefault(u, []).append(f"no {label} in {yr}")
        return v.astype(float)

    i0, i1 = need(inc, start, income), need(inc, end, income)
    p0, p1 = need(pov, start, poverty), need(pov, end, poverty)
    for lab, v in ((income, pd.concat([i0, i1], axis=1)),
                   (poverty, pd.concat([p0, p1], axis=1) if poverty_change == "log" else None)):
        if v is None:
            continue
        for u in v.index[(v <= 0).any(axis=1)]:
            reasons.setdefault(u, []).append(f"{lab} ≤ 0 (log undefined"
                                             + ("; use poverty_change='points'" if lab == poverty else "") + ")")
    win = d[(d[time] >= start) & (d[time] <= end)]
    r = win[[unit, resources]].dropna()
    r = r[r[resources] > 0] if log_resources else r
    rvals = r[resources].astype(float)
    res_mean = (np.log(rvals) if log_resources else rvals).groupby(r[unit]).mean()
    for u in units.difference(res_mean.index):
        reasons.setdefault(u, []).append(f"no {resources}" + (" > 0" if log_resources else "")
                                         + f" in {start}–{end}")
    xcol = "log_resources" if log_resources else "resources"
    out[xcol] = res_mean.reindex(units)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["income_growth"] = 100 * (np.log(i1) - np.log(i0)) / span
        out["poverty_reduction"] = (-100 * (np.log(p1) - np.log(p0)) / span if poverty_change == "log"
                                    else (p0 - p1) / span)
    for c in ctrl:  # controls: value in the start year
        out[c] = need(d.pivot(index=unit, columns=time, values=c), start, c)
    if cluster:
        out[cluster] = d.drop_duplicates(unit).set_index(unit)[cluster].reindex(units)
    dropped = sorted(reasons, key=str)
    if dropped:
        detail = "; ".join(f"{u}: {', '.join(reasons[u])}" for u in dropped[:15])
        more = f" … (+{len(dropped) - 15} more)" if len(dropped) > 15 else ""
        notes.append(f"left out {len(dropped)} unit(s): {detail}{more}")
    out = out.drop(index=dropped)
    out.index.name = unit
    cs = out.reset_index()
    if cs.empty:
        raise ValueError(f"{what}: no unit has {income}, {poverty} in both {start} and {end} and {resources}")
    return cs, notes, (start, end), xcol
