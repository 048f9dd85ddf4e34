"""β- and σ-convergence of a level variable (e.g. income per capita) across units."""
from __future__ import annotations

import numpy as np
import pandas as pd
from statsmodels.regression.linear_model import OLS
from statsmodels.tools.tools import add_constant

from ntm_analysis.models.prepare import complete_rows, label, numeric
from ntm_analysis.models.results import ModelResult, is_synthetic, make_coefs, reference_of


def _list_units(units, limit=15):
    units = [str(u) for u in units]
    head = ", ".join(units[:limit])
    return head + (f" … (+{len(units) - limit} more)" if len(units) > limit else "")


def _check_unique(data, unit, time, what):
    dup = data.duplicated([unit, time], keep=False)
    if dup.any():
        i = dup.to_numpy().nonzero()[0][0]
        raise ValueError(f"{what}: more than one row for {unit}={label(data[unit].iloc[i])!r}, "
                         f"{time}={label(data[time].iloc[i])!r} (row {label(data.index[i])!r}); "
                         "expected one row per unit and year")


def _levels(data, y, unit, time, what):
    """Complete, positive rows of y as a unit × year table; notes on what was dropped."""
    keep, notes = complete_rows(data, [y], [unit, time], what=what)
    d = data.loc[keep, [unit, time, y]]
    _check_unique(d, unit, time, what)
    nonpos = d[y].to_numpy(dtype=float) <= 0
    if nonpos.any():
        notes.append(f"dropped {int(nonpos.sum())} rows with {y} ≤ 0 (log undefined): units "
                     + _list_units(d.loc[nonpos, unit].unique()))
        d = d.loc[~nonpos]
    return d.pivot(index=unit, columns=time, values=y), notes


def beta_convergence(data: pd.DataFrame, y: str, unit: str, time: str, *, start=None, end=None,
                     region: str | None = None, cov_type: str = "HC1",
                     conf_level: float = 0.95) -> ModelResult:
    """β-convergence: average annual log growth of ``y`` from ``start`` to ``end`` on its initial log.

    Fits ``(ln y_end − ln y_start)/(end − start) = a + b·ln y_start [+ region effects] + e`` by OLS
    (statsmodels) with heteroskedasticity-robust ``cov_type`` SEs (HC1 default). b < 0 means poorer
    units grew faster. Implied speed of convergence ``λ = −ln(1 + b·T)/T`` and half-life
    ``ln 2/λ`` (years), T = end − start; their intervals map the interval of b.

    Only units observed (finite, positive) in both ``start`` and ``end`` are used; nothing is
    interpolated. Defaults: first and last year in the data. ``y`` is taken as given: say whether
    it is nominal or real (deflate first for real convergence).
    """
    keys = [unit, time] + ([region] if region else [])
    what = "beta_convergence data"
    wide, notes = _levels(data, y, unit, time, what)
    if region:
        complete_rows(data, [], keys, what=what)
    years = sorted(wide.columns)
    if not years:
        raise ValueError(f"{what}: no finite values of {y!r}")
    start = years[0] if start is None else start
    end = years[-1] if end is None else end
    for yr in (start, end):
        if yr not in wide.columns:
            raise ValueError(f"{what}: no observation of {y!r} in {time}={yr!r}; years present: {years}")
    span = float(end) - float(start)
    if span <= 0:
        raise ValueError(f"{what}: end ({end}) must be after start ({start})")
    both = wide[[start, end]]
    lacking = both.index[both.isna().any(axis=1)]
    if len(lacking):
        notes.append(f"left out {len(lacking)} unit(s) without {y} in both {start} and {end}: "
                     + _list_units(lacking))
    cs = both.dropna()
    cs = pd.DataFrame({"log_initial": np.log(cs[start].astype(float)),
                       "growth": (np.log(cs[end].astype(float)) - np.log(cs[start].astype(float))) / span})
    exog = add_constant(cs[["log_initial"]])
    if region:
        reg = data.drop_duplicates(unit).set_index(unit)[region].reindex(cs.index)
        if reg.isna().any():
            missing = reg.index[reg.isna()]
            notes.append(f"left out {len(missing)} unit(s) without {region}: {_list_units(missing)}")
            cs, exog, reg = cs[reg.notna()], exog[reg.notna()], reg[reg.notna()]
        dummies = pd.get_dummies(reg.astype(str), prefix=region, drop_first=True, dtype=float)
        exog = pd.concat([exog, dummies], axis=1)
    n = len(cs)
    if n < exog.shape[1] + 2:
        raise ValueError(f"{what}: only {n} units with {y} in both {start} and {end}; too few to fit")
    fit = OLS(cs["growth"], exog).fit(cov_type=cov_type)
    b, se_b = float(fit.params["log_initial"]), float(fit.bse["log_initial"])
    coefs = make_coefs(["log_initial", "const"], [b, fit.params["const"]],
                       [se_b, fit.bse["const"]], df_resid=float(fit.df_resid), conf_level=conf_level)
    ref = reference_of(coefs)
    lo, hi = coefs.loc[0, "ci_low"], coefs.loc[0, "ci_high"]

    def speed(bb):
        return -np.log(1 + bb * span) / span if 1 + bb * span > 0 else np.inf

    lam, lam_lo, lam_hi = speed(b), speed(hi), speed(lo)
    half = np.log(2) / lam if lam > 0 else np.inf
    half_lo = np.log(2) / lam_hi if lam_hi > 0 else np.inf
    half_hi = np.log(2) / lam_lo if lam_lo > 0 else np.inf
    derived = pd.DataFrame({
        "term": ["speed_of_convergence", "half_life_years"],
        "estimate": [lam, half], "std_error": [se_b / (1 + b * span) if 1 + b * span > 0 else np.nan, np.nan],
        "ci_low": [lam_lo, half_lo], "ci_high": [lam_hi, half_hi], "p_value": [np.nan, np.nan]})
    coefs = pd.concat([coefs, derived], ignore_index=True)
    level = int(round(conf_level * 100))
    # σ beside β: the spread of ln y across the same units at the start and the end (β-convergence without a
    # falling σ is not a narrowing of the gaps)
    sd0 = float(np.std(cs["log_initial"], ddof=1))
    sd1 = float(np.std(cs["log_initial"] + cs["growth"] * span, ddof=1))
    sigma = f"σ (SD of ln {y}) went from {sd0:.3f} in {start} to {sd1:.3f} in {end}"
    if hi < 0 and np.isfinite(half):
        reading = (f"From {start} to {end}, units with lower initial {y} grew faster: 1 log point lower "
                   f"start → {-b * 100:.2f} points more growth per year, a convergence speed of "
                   f"{lam * 100:.1f}% per year (half-life {half:.1f} years; {level}% CI of b "
                   f"{lo:.4f} to {hi:.4f}; {n} units); {sigma}.")
    elif lo > 0:
        reading = (f"From {start} to {end}, units with higher initial {y} grew faster (divergence): b = {b:.4f} "
                   f"({level}% CI {lo:.4f} to {hi:.4f}; {n} units); {sigma}.")
    else:
        reading = (f"From {start} to {end}, no clear β-convergence in {y}: b = {b:.4f}, and its {level}% CI "
                   f"({lo:.4f} to {hi:.4f}; {n} units) includes zero, so neither faster growth of the poorer "
                   f"nor of the richer units is supported; {sigma}.")
    if region:
        notes.append(f"{region} fixed effects included ({exog.shape[1] - 2} dummies)")
    return ModelResult(
        estimator="β-convergence: OLS of annual log growth on initial log level", dependent=f"growth of ln {y}",
        coefs=coefs, n_obs=n, n_units=n, se_type=f"heteroskedasticity-robust ({cov_type}, statsmodels)",
        notes=notes, synthetic=is_synthetic(data), conf_level=conf_level, reading_text=reading,
        extra={"start": start, "end": end, "speed": lam, "half_life": half,
               "cross_section": cs, "statsmodels": fit},
        rsquared=float(fit.rsquared), resid=fit.resid.rename("resid"),
        fitted=fit.fittedvalues.rename("fitted"), **ref)


def sigma_convergence(data: pd.DataFrame, y: str, unit: str, time: str, *, balanced: bool = True,
                      conf_level: float = 0.95) -> ModelResult:
    """σ-convergence: dispersion of ``y`` across units by year, with a linear trend test.

    For each year: number of units, SD of ln y (ddof = 1) and coefficient of variation of y
    (SD/mean). The trend of each over years is fitted by OLS (statsmodels) with t(n_years − 2)
    intervals; falling dispersion (negative trend) is σ-convergence. The yearly values share the
    same units, so their errors are correlated and the trend test is indicative only.
    ``balanced=True`` keeps only units observed in every year, so the dispersion is not moved by
    units entering or leaving; ``False`` uses every unit observed in a year (noted).
    """
    what = "sigma_convergence data"
    wide, notes = _levels(data, y, unit, time, what)
    if balanced:
        gaps = wide.index[wide.isna().any(axis=1)]
        if len(gaps):
            notes.append(f"balanced: left out {len(gaps)} unit(s) not observed in every year: "
                         + _list_units(gaps))
        wide = wide.dropna()
    else:
        notes.append("unbalanced: the set of units may differ between years")
    rows = []
    for yr in sorted(wide.columns):
        v = wide[yr].dropna().astype(float).to_numpy()
        if len(v) < 2:
            notes.append(f"{time} {yr}: fewer than 2 units, omitted")
            continue
        rows.append({time: yr, "n_units": len(v), "sd_log": float(np.std(np.log(v), ddof=1)),
                     "cv": float(np.std(v, ddof=1) / np.mean(v)), "mean": float(np.mean(v))})
    by_year = pd.DataFrame(rows)
    if len(by_year) < 3:
        raise ValueError(f"{what}: dispersion available for {len(by_year)} year(s); the trend test needs ≥ 3")
    X = add_constant(by_year[time].astype(float).to_numpy())
    est, se = [], []
    for col in ("sd_log", "cv"):
        f = OLS(by_year[col].to_numpy(), X).fit()
        est.append(float(f.params[1]))
        se.append(float(f.bse[1]))
    coefs = make_coefs(["trend_sd_log_per_year", "trend_cv_per_year"], est, se,
                       df_resid=float(len(by_year) - 2), conf_level=conf_level)
    first, last = by_year.iloc[0], by_year.iloc[-1]
    y0, y1 = by_year[time].iloc[0], by_year[time].iloc[-1]
    verdict = "fell" if last["sd_log"] < first["sd_log"] else "rose"
    reading = (f"The SD of ln {y} across units {verdict} from {first['sd_log']:.3f} in {y0} to "
               f"{last['sd_log']:.3f} in {y1} (trend {est[0]:+.4f} per year, p = "
               f"{coefs.loc[0, 'p_value']:.3g}; {int(last['n_units'])} units).")
    return ModelResult(
        estimator="σ-convergence: dispersion by year with OLS trend", dependent=f"dispersion of {y}",
        coefs=coefs, n_obs=int(by_year["n_units"].sum()), n_units=int(wide.shape[0]),
        se_type=f"OLS (classical) on {len(by_year)} yearly values; years share units, so indicative",
        notes=notes, synthetic=is_synthetic(data), conf_level=conf_level, reading_text=reading,
        extra={"by_year": by_year}, **reference_of(coefs))
