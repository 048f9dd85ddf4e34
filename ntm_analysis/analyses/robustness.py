"""How fragile is an association of :func:`~ntm_analysis.analyses.resources.resources_association`?

* :func:`resources_robustness` — the baseline, the leave-one-out minimum and maximum (naming the province
  dropped), and one row per switch flipped from the baseline: confidence, credit-inclusive totals, lower bounds,
  population weights, logs vs plain figures.
* :func:`specification_curve` — every combination of the switches (2^5 = 32 specifications), sorted by
  estimate.
* :func:`association_verdict` — a code the report layer words (no language here).

A slope with x in logs and one with x in million VND per person are on different scales: compare their signs
and intervals, not their sizes.
"""
from __future__ import annotations

import itertools
import os

import numpy as np
import pandas as pd

from ntm_analysis.analyses.resource_association import (association_inputs, fit_selected, resources_association,
                                             model_frame, select_sample)
from ntm_analysis.models import ModelResult
from ntm_analysis.models.association import MIN_N, cross_section_ols

#: The switches of a specification: name → (baseline value, the alternative).
SWITCHES: dict[str, tuple] = {
    "min_confidence": ("medium", "low"),
    "exclude_credit": (False, True),
    "lower_bounds": ("drop", "keep"),
    "weights": (None, "population"),
    "log_x": (True, False),
}

_FLIP_LABEL = {
    ("min_confidence", "low"): "with low-confidence rows",
    ("min_confidence", "medium"): "without low-confidence rows",
    ("min_confidence", "high"): "high confidence only",
    ("exclude_credit", True): "without credit-inclusive totals",
    ("exclude_credit", False): "with credit-inclusive totals",
    ("lower_bounds", "keep"): "lower bounds kept",
    ("lower_bounds", "drop"): "lower bounds dropped",
    ("weights", "population"): "weighted by population",
    ("weights", None): "unweighted",
    ("log_x", False): "x in million VND per person (not logged)",
    ("log_x", True): "x in logs",
}

COLUMNS = ["specification", "estimate", "ci_low", "ci_high", "n", "dropped", "added", "baseline", "scale"]

#: Share of specifications that must share the baseline's sign for a "robust" verdict.
ROBUST_SHARE = 0.9


def _slope(res: ModelResult) -> tuple[float, float, float]:
    r = res.coefs.iloc[0]
    return float(r["estimate"]), float(r["ci_low"]), float(r["ci_high"])


def _scale(log_x: bool) -> str:
    return "per unit of ln(million VND per person)" if log_x else "per million VND per person"


def _row(spec: str, res: ModelResult, base_codes: set, *, baseline: bool, names: dict) -> dict:
    est, lo, hi = _slope(res)
    codes = set(res.sample["code"])
    return {"specification": spec, "estimate": est, "ci_low": lo, "ci_high": hi, "n": res.nobs,
            "dropped": ", ".join(names[c] for c in sorted(base_codes - codes)),
            "added": ", ".join(names[c] for c in sorted(codes - base_codes)),
            "baseline": baseline, "scale": _scale(res.extra["log_x"])}


def leave_one_out(result: ModelResult) -> pd.DataFrame:
    """The slope refitted without each province of ``result.sample`` in turn: code, name, estimate, ci_low,
    ci_high, n (NaN estimates where fewer than ``MIN_N`` remain)."""
    s = result.sample
    o_control = result.extra.get("controls") or []
    rows = []
    for code, name in zip(s["code"], s["name"]):
        sub = s[s["code"] != code]
        data = model_frame(sub, o_control[0] if o_control else None)
        fit = cross_section_ols(data, "y", "x", controls=o_control or None,
                                weights="weight" if result.extra.get("weights") else None, unit="code")
        est, lo, hi = _slope(fit)
        rows.append({"code": code, "name": name, "estimate": est, "ci_low": lo, "ci_high": hi, "n": fit.nobs})
    return pd.DataFrame(rows, columns=["code", "name", "estimate", "ci_low", "ci_high", "n"])


def resources_robustness(measure: str, outcome: str, period, data_dir: str | os.PathLike | None = None,
                         inputs: pd.DataFrame | None = None, **kw) -> pd.DataFrame:
    """Robustness table of one association: rows = specifications, columns :data:`COLUMNS`.

    Rows: ``baseline`` (the switches of ``kw``, defaults of :func:`resources_association`); ``leave-one-out
    minimum (without X)`` and ``maximum (without Y)``; then each switch of :data:`SWITCHES` flipped from the
    baseline alone (e.g. "without credit-inclusive totals", "weighted by population"). ``dropped``/``added``:
    the provinces that leave or join the baseline sample. ``scale``: the unit of x (slopes in logs and in
    plain figures are not comparable in size). ``attrs["leave_one_out"]``: every leave-one-out fit.
    ``inputs``: :func:`~ntm_analysis.analyses.resource_association.association_inputs` of the same association,
    when the caller already has it (read once, used by several functions).
    """
    if inputs is None:
        inputs = association_inputs(measure, outcome, period, data_dir)
    names = dict(zip(inputs["code"], inputs["name"]))
    base_sw = {k: kw.get(k, v[0]) for k, v in SWITCHES.items()}
    unknown = set(kw) - set(SWITCHES) - {"drop"}
    if unknown:
        raise TypeError(f"unknown switch(es) {sorted(unknown)}; switches are {', '.join(SWITCHES)} and drop")
    drop = kw.get("drop", ())
    base = fit_selected(inputs, *select_sample(inputs, drop=drop, **base_sw), log_x=base_sw["log_x"],
                        weights=base_sw["weights"], switches=base_sw)
    base_codes = set(base.sample["code"])
    rows = [_row("baseline", base, base_codes, baseline=True, names=names)]
    loo = leave_one_out(base)
    scale = _scale(base_sw["log_x"])
    for which, pick in (("minimum", "idxmin"), ("maximum", "idxmax")):
        ok = loo.dropna(subset=["estimate"])
        if ok.empty:
            rows.append({"specification": f"leave-one-out {which}", "estimate": np.nan, "ci_low": np.nan,
                         "ci_high": np.nan, "n": max(len(base_codes) - 1, 0), "dropped": "", "added": "",
                         "baseline": False, "scale": scale})
            continue
        r = ok.loc[getattr(ok["estimate"], pick)()]
        rows.append({"specification": f"leave-one-out {which} (without {r['name']})", "estimate": r["estimate"],
                     "ci_low": r["ci_low"], "ci_high": r["ci_high"], "n": int(r["n"]), "dropped": r["name"],
                     "added": "", "baseline": False, "scale": scale})
    for key, (first, alt) in SWITCHES.items():
        value = alt if base_sw[key] == first else first
        sw = dict(base_sw, **{key: value})
        res = fit_selected(inputs, *select_sample(inputs, drop=drop, **sw), log_x=sw["log_x"], weights=sw["weights"],
                           switches=sw)
        rows.append(_row(_FLIP_LABEL[(key, value)], res, base_codes, baseline=False, names=names))
    out = pd.DataFrame(rows, columns=COLUMNS)
    out["n"] = out["n"].astype(int)
    out.attrs.update({"measure": measure, "outcome": outcome, "period": tuple(period), "switches": base_sw,
                      "leave_one_out": loo, "min_n": MIN_N})
    return out


def specification_curve(measure: str, outcome: str, period, data_dir: str | os.PathLike | None = None,
                        inputs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every combination of :data:`SWITCHES` (2^5 = 32 rows), sorted by estimate (no-estimate rows last).

    Columns: the switches, ``estimate, ci_low, ci_high, n, baseline`` (the defaults of
    :func:`resources_association`), ``scale``, ``includes_zero`` and ``rank`` (0 = smallest estimate).
    ``inputs`` as for :func:`resources_robustness`.
    """
    if inputs is None:
        inputs = association_inputs(measure, outcome, period, data_dir)
    rows = []
    keys = list(SWITCHES)
    for values in itertools.product(*(SWITCHES[k] for k in keys)):
        sw = dict(zip(keys, values))
        res = fit_selected(inputs, *select_sample(inputs, **sw), log_x=sw["log_x"], weights=sw["weights"],
                           switches=sw)
        est, lo, hi = _slope(res)
        rows.append({**sw, "estimate": est, "ci_low": lo, "ci_high": hi, "n": res.nobs,
                     "baseline": all(sw[k] == SWITCHES[k][0] for k in keys), "scale": _scale(sw["log_x"])})
    out = pd.DataFrame(rows)
    out["includes_zero"] = ~((out["ci_low"] > 0) | (out["ci_high"] < 0))
    out = out.sort_values("estimate", na_position="last", kind="mergesort").reset_index(drop=True)
    out["rank"] = range(len(out))
    out.attrs.update({"measure": measure, "outcome": outcome, "period": tuple(period)})
    return out


def association_verdict(result: ModelResult, robustness: pd.DataFrame, curve: pd.DataFrame | None = None) -> dict:
    """A verdict code for the report layer to word, with the figures it rests on.

    Rule:

    * ``too_few`` — the baseline has fewer than ``MIN_N`` provinces (no slope reported);
    * ``no_clear`` — the baseline's 95 % CI includes 0;
    * ``robust_negative`` / ``robust_positive`` — the baseline CI excludes 0 AND every leave-one-out estimate
      keeps its sign (the minimum and the maximum of :func:`resources_robustness` on the same side of 0) AND at
      least :data:`ROBUST_SHARE` (90 %) of the specifications with an estimate share the sign (``curve``, every
      combination of the switches; without it, the one-switch rows of ``robustness``);
    * ``fragile`` — the baseline CI excludes 0 but one of the other two conditions fails.

    Returns ``{"code", "n", "estimate", "ci_low", "ci_high", "loo_min", "loo_max", "loo_min_without",
    "loo_max_without", "share_specs_same_sign", "share_specs_clear_same_sign", "n_specs"}``;
    ``share_specs_clear_same_sign`` (specifications whose 95 % CI excludes 0 on the baseline's side) is reported
    beside the rule, not part of it, so a reader sees how many specifications are individually conclusive.
    """
    est, lo, hi = _slope(result)
    n = result.nobs
    rb = robustness.set_index("specification")
    loo = robustness[robustness["specification"].str.startswith("leave-one-out")]
    lmin = loo[loo["specification"].str.startswith("leave-one-out minimum")]
    lmax = loo[loo["specification"].str.startswith("leave-one-out maximum")]
    out = {"n": int(n), "estimate": est, "ci_low": lo, "ci_high": hi,
           "loo_min": float(lmin["estimate"].iloc[0]) if len(lmin) else np.nan,
           "loo_max": float(lmax["estimate"].iloc[0]) if len(lmax) else np.nan,
           "loo_min_without": str(lmin["dropped"].iloc[0]) if len(lmin) else "",
           "loo_max_without": str(lmax["dropped"].iloc[0]) if len(lmax) else ""}
    specs = curve if curve is not None else rb[~rb.index.str.startswith("leave-one-out") & ~rb["baseline"]]
    est_specs = specs["estimate"].dropna()
    sign = np.sign(est) if np.isfinite(est) else 0
    out["n_specs"] = int(len(est_specs))
    out["share_specs_same_sign"] = float((np.sign(est_specs) == sign).mean()) if len(est_specs) and sign else np.nan
    if len(est_specs) and sign and {"ci_low", "ci_high"} <= set(specs.columns):
        sp = specs.loc[est_specs.index]
        clear = (sp["ci_low"] > 0) if sign > 0 else (sp["ci_high"] < 0)
        out["share_specs_clear_same_sign"] = float(clear.mean())
    else:
        out["share_specs_clear_same_sign"] = np.nan
    if not np.isfinite(est) or result.extra.get("too_few"):
        out["code"] = "too_few"
    elif lo <= 0 <= hi:
        out["code"] = "no_clear"
    else:
        loo_ok = (np.isfinite(out["loo_min"]) and np.isfinite(out["loo_max"])
                  and np.sign(out["loo_min"]) == sign and np.sign(out["loo_max"]) == sign)
        share_ok = np.isfinite(out["share_specs_same_sign"]) and out["share_specs_same_sign"] >= ROBUST_SHARE
        if loo_ok and share_ok:
            out["code"] = "robust_negative" if sign < 0 else "robust_positive"
        else:
            out["code"] = "fragile"
    return out


__all__ = ["SWITCHES", "ROBUST_SHARE", "resources_robustness", "specification_curve", "association_verdict",
           "leave_one_out", "resources_association"]
