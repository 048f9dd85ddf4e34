"""ModelResult's statsmodels-style accessors (conf_int, pvalues, nobs, rsquared, resid, fitted),
checked by value against statsmodels OLS on small known datasets, and models.compare."""
import re

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf

from ntm_analysis.models import ModelResult, beta_convergence, compare, event_study, mediation, panel_fe
from ntm_analysis.models.results import make_coefs, reference_of


@pytest.fixture(scope="module")
def levels():
    """14 provinces, income in 2010 and 2016 (a known, fixed table)."""
    rng = np.random.default_rng(20261203)
    n = 14
    y0 = np.exp(rng.normal(3.0, 0.4, n))
    growth = 0.08 - 0.015 * np.log(y0) + rng.normal(0, 0.01, n)
    y1 = y0 * np.exp(6 * growth)
    units = [f"P{i:02d}" for i in range(n)]
    return pd.DataFrame({"unit": units * 2, "year": [2010] * n + [2016] * n, "income": np.r_[y0, y1]})


def _sm_beta(levels):
    w = levels.pivot(index="unit", columns="year", values="income")
    cs = pd.DataFrame({"log_initial": np.log(w[2010]), "growth": (np.log(w[2016]) - np.log(w[2010])) / 6})
    return sm.OLS(cs["growth"], sm.add_constant(cs[["log_initial"]])).fit(cov_type="HC1", use_t=True)


def test_beta_convergence_matches_statsmodels_ols(levels):
    res = beta_convergence(levels, "income", "unit", "year")
    ref = _sm_beta(levels)  # same HC1 covariance, t(df_resid) reference as the result uses
    terms = ["log_initial", "const"]
    for alpha in (0.05, 0.10, 0.01):
        ci = res.conf_int(alpha).loc[terms]
        assert list(ci.columns) == [0, 1]
        want = ref.conf_int(alpha).loc[terms]
        assert ci[0].to_numpy() == pytest.approx(want[0].to_numpy(), rel=1e-9)
        assert ci[1].to_numpy() == pytest.approx(want[1].to_numpy(), rel=1e-9)
    assert res.pvalues.loc[terms].to_numpy() == pytest.approx(ref.pvalues.loc[terms].to_numpy(), rel=1e-9)
    assert res.nobs == int(ref.nobs) == 14 and isinstance(res.nobs, int)
    assert res.rsquared == pytest.approx(ref.rsquared, rel=1e-12)
    assert res.resid.index.equals(ref.resid.index)
    assert res.resid.to_numpy() == pytest.approx(ref.resid.to_numpy(), abs=1e-14)
    assert res.fitted.to_numpy() == pytest.approx(ref.fittedvalues.to_numpy(), abs=1e-14)
    # derived terms have a mapped (not estimate ± q·SE) interval: kept at 95 %, NaN at another level
    assert np.isfinite(res.conf_int().loc["speed_of_convergence"]).all()
    assert res.conf_int(0.10).loc[["speed_of_convergence", "half_life_years"]].isna().all().all()


def test_mediation_outcome_equation_matches_statsmodels(levels):
    rng = np.random.default_rng(5)
    n = 40
    d = pd.DataFrame({"x": rng.normal(size=n)})
    d["m"] = 0.5 * d["x"] + rng.normal(size=n)
    d["y"] = 0.3 * d["x"] + 0.7 * d["m"] + rng.normal(size=n)
    d.index = [f"u{i}" for i in range(n)]
    res = mediation(d, "x", "m", "y", bootstrap=0)
    ref = smf.ols("y ~ x + m", d).fit(cov_type="HC3", use_t=True)
    ci = res.conf_int(0.10)
    want = ref.conf_int(0.10)
    assert ci.loc["direct"].to_numpy() == pytest.approx(want.loc["x"].to_numpy(), rel=1e-9)
    assert ci.loc["b"].to_numpy() == pytest.approx(want.loc["m"].to_numpy(), rel=1e-9)
    assert res.pvalues["b"] == pytest.approx(ref.pvalues["m"], rel=1e-9)
    assert res.nobs == 40
    assert res.rsquared == pytest.approx(ref.rsquared, rel=1e-12)
    assert res.resid.index.equals(d.index)
    assert res.resid.to_numpy() == pytest.approx(ref.resid.to_numpy(), abs=1e-12)
    assert res.fitted.to_numpy() == pytest.approx(ref.fittedvalues.to_numpy(), abs=1e-12)


def test_panel_fe_resid_fitted_rsquared_match_dummy_ols():
    rng = np.random.default_rng(9)
    units, years = 12, 5
    d = pd.DataFrame({"u": np.repeat(np.arange(units), years), "t": np.tile(np.arange(years), units)})
    d["x"] = rng.normal(size=len(d)) + 0.1 * d["u"]
    d["y"] = 1.5 * d["x"] + 0.3 * d["u"] - 0.2 * d["t"] + rng.normal(size=len(d))
    d = d.drop(index=[3, 17])  # unbalanced, and an index with gaps
    d.loc[d.index[5], "y"] = np.nan  # one row dropped as incomplete
    res = panel_fe(d, "y", "x", "u", "t", cluster=False, bootstrap=0, tol=1e-14)
    used = d.dropna()
    lsdv = smf.ols("y ~ x + C(u) + C(t)", used).fit()
    assert res.nobs == len(used)
    assert res.resid.index.equals(used.index) and res.fitted.index.equals(used.index)
    assert res.resid.to_numpy() == pytest.approx(lsdv.resid.to_numpy(), abs=1e-9)
    assert res.fitted.to_numpy() == pytest.approx(lsdv.fittedvalues.to_numpy(), abs=1e-9)
    # rsquared is the within R² (as linearmodels PanelOLS.rsquared): 1 − SSR / within TSS
    within_y = smf.ols("y ~ C(u) + C(t)", used).fit().resid
    assert res.rsquared == pytest.approx(1 - (lsdv.resid ** 2).sum() / (within_y ** 2).sum(), rel=1e-8)
    assert res.rsquared == pytest.approx(res.extra["r2_within"])
    assert res.conf_int(0.10).loc["x", 0] > res.conf_int().loc["x", 0]  # narrower at 90 %
    assert res.conf_int(0.10).loc["x", 1] < res.conf_int().loc["x", 1]


def test_event_study_uses_normal_reference_and_has_no_resid():
    rng = np.random.default_rng(2)
    units, years = 30, 8
    d = pd.DataFrame({"u": np.repeat(np.arange(units), years), "t": np.tile(np.arange(2010, 2010 + years), units)})
    d["cohort"] = np.where(d["u"] < 20, 2013 + d["u"] % 3, np.nan)
    d["y"] = rng.normal(size=len(d)) + np.where(d["t"] >= d["cohort"], 1.0, 0.0)
    res = event_study(d, "y", "u", "t", "cohort", bootstrap=49, seed=1)
    assert res.ci_reference == "normal" and res.ci_df is None
    assert res.resid is None and res.fitted is None and res.rsquared is None
    from scipy import stats
    att = res.term("ATT")
    q = stats.norm.ppf(0.95)
    assert res.conf_int(0.10).loc["ATT"].to_numpy() == pytest.approx(
        [att["estimate"] - q * att["std_error"], att["estimate"] + q * att["std_error"]])


def _hand_result(terms, est, se, *, synthetic=False, record_reference=True, rsquared=None):
    coefs = make_coefs(terms, est, se, df_resid=20.0)
    kw = reference_of(coefs) if record_reference else {}
    return ModelResult(estimator="hand-made OLS", dependent="y", coefs=coefs, n_obs=23, se_type="HC1",
                       synthetic=synthetic, rsquared=rsquared, **kw)


def test_conf_int_without_reference_raises_clearly_but_keeps_stored_level():
    r = _hand_result(["x"], [1.0], [0.5], record_reference=False)
    stored = r.conf_int()
    assert stored.loc["x", 0] == pytest.approx(r.coefs.loc[0, "ci_low"])
    with pytest.raises(ValueError, match="reference distribution"):
        r.conf_int(0.10)
    with pytest.raises(ValueError, match="between 0 and 1"):
        r.conf_int(1.5)
    # older results keep working: nothing new is required to build one
    assert r.resid is None and r.fitted is None and r.rsquared is None and r.nobs == 23


CELL = re.compile(r"^(?P<est>-?[0-9.]+(?:e[+-]?\d+)?) \((?P<se>[0-9.]+(?:e[+-]?\d+)?|—)\)(?P<stars>\**)$")


def test_compare_puts_each_estimate_in_its_cell_and_marks_synthetic(levels):
    real = beta_convergence(levels, "income", "unit", "year")
    syn_data = levels.copy()
    syn_data.attrs["synthetic"] = True
    syn_data["income"] = syn_data["income"] * np.where(syn_data["year"] == 2016, 1.1, 1.0)
    syn = beta_convergence(syn_data, "income", "unit", "year")
    extra = _hand_result(["x"], [0.25], [0.1], rsquared=0.5)
    table = compare([real, syn, extra], names=["real", "fake", "other"])
    f = table.to_frame()
    assert list(f.columns) == ["real", "fake — SYNTHETIC", "other"]
    assert f.loc["data"].tolist() == ["real", "SYNTHETIC", "real"]
    assert f.attrs["synthetic"] is True
    for col, res in zip(f.columns, [real, syn, extra]):
        for _, row in res.coefs.iterrows():
            m = CELL.match(f.loc[row["term"], col])
            assert m, f.loc[row["term"], col]
            assert float(m["est"]) == pytest.approx(row["estimate"], rel=1e-3, abs=1e-4)
            if m["se"] == "—":
                assert not np.isfinite(row["std_error"])
            else:
                assert float(m["se"]) == pytest.approx(row["std_error"], rel=1e-3, abs=1e-4)
            p = row["p_value"]
            want = "" if not np.isfinite(p) else "***" if p < .01 else "**" if p < .05 else "*" if p < .10 else ""
            assert m["stars"] == want
        assert f.loc["N", col] == f"{res.nobs:,}"
    assert f.loc["x", "real"] == "" and f.loc["log_initial", "other"] == ""
    assert f.loc["R²", "real"] == f"{real.rsquared:.3f}" and f.loc["R²", "other"] == "0.500"
    num = table.numbers().set_index(["model", "term"])
    assert num.loc[("fake", "log_initial"), "estimate"] == syn.params["log_initial"]
    for text, lt in ((table.to_markdown(), "&lt;"), (table.to_html(), "&lt;"), (table.to_latex(), "$<$")):
        assert "SYNTHETIC" in text
        for thr in ("0.10", "0.05", "0.01"):  # star thresholds stated wherever stars are shown
            assert f"p {lt} {thr}" in text
    assert "SYNTHETIC" not in compare([real]).to_markdown()


def test_compare_escapes_hostile_term_names():
    hostile = '<script>alert("x")</script> & 50%_{a}|b'
    r = _hand_result([hostile, "z"], [1.0, 2.0], [0.5, 0.4])
    table = compare({"m <1>": r})
    h = table.to_html()
    assert "<script>" not in h and "&lt;script&gt;" in h and "m &lt;1&gt;" in h
    tex = table.to_latex()
    assert r"\&" in tex and r"50\%\_\{a\}" in tex and "<script>" not in tex
    md = table.to_markdown()
    assert r"\|b" in md and "<script>" not in md
    row = next(line for line in md.splitlines() if "alert" in line)
    assert len(re.split(r"(?<!\\)\|", row)) == 4  # the pipe inside the name does not add a column
    assert table.to_frame().loc[hostile, "m <1>"].startswith("1.0000 (0.5000)")


def test_compare_rejects_bad_input(levels):
    real = beta_convergence(levels, "income", "unit", "year")
    with pytest.raises(ValueError, match="distinct"):
        compare([real, real], names=["a", "a"])
    with pytest.raises(ValueError, match="name"):
        compare([real, real], names=["a"])
    with pytest.raises(TypeError, match="ModelResult"):
        compare([real, "not a result"])
    with pytest.raises(ValueError, match="at least one"):
        compare([])
    assert compare([real, real]).names == ["(1)", "(2)"]


def test_resources_link_passes_outcome_equation_and_marks_synthetic_in_compare():
    from ntm_analysis.data import synthetic
    from ntm_analysis.models import resources_link

    d = synthetic.province_panel(40, 6, n_regions=5)
    d = d[~((d["province"] == 3) & (d["year"] == 2016))].copy()
    r = resources_link(d, "resources_pc", "income_pc", "poverty_rate", "province", "year", bootstrap=0)
    cs = r.extra["cross_section"]
    ref = smf.ols("poverty_reduction ~ log_resources + income_growth", cs).fit(cov_type="HC3", use_t=True)
    assert r.nobs == len(cs) == 39
    assert r.resid.index.equals(cs.index)
    assert r.resid.to_numpy() == pytest.approx(ref.resid.to_numpy(), abs=1e-10)
    assert r.fitted.to_numpy() == pytest.approx(ref.fittedvalues.to_numpy(), abs=1e-10)
    assert r.rsquared == pytest.approx(ref.rsquared, rel=1e-12)
    assert r.conf_int(0.10).loc["b"].to_numpy() == pytest.approx(ref.conf_int(0.10).loc["income_growth"].to_numpy())
    assert r.synthetic
    f = compare([r]).to_frame()
    assert f.columns[0].endswith("SYNTHETIC") and f.loc["data"].iloc[0] == "SYNTHETIC"
