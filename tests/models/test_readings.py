"""Readings never claim more than the estimate and its interval support (issue 12, item 6): cases on each side of
every threshold."""
import numpy as np
import pandas as pd
import pytest

from ntm_analysis.data import synthetic
from ntm_analysis.models import beta_convergence
from ntm_analysis.models.readings import includes_zero, slope_sentence


@pytest.mark.parametrize("low, high, clear", [(-0.5, -0.01, True), (-0.5, 0.0, False), (-0.5, 0.2, False),
                                              (0.0, 0.3, False), (0.01, 0.3, True), (float("nan"), 1.0, False)])
def test_a_direction_is_claimed_only_when_the_interval_excludes_zero(low, high, clear):
    assert includes_zero(low, high) is (not clear)
    text = slope_sentence((low + high) / 2 if np.isfinite(low) else 0.3, low, high, x="x", y="y", n_text="10 units")
    assert text.startswith("no clear association") is (not clear)
    if not clear:
        assert "neither direction is supported" in text and "more" not in text.split(":")[0]


def test_log_log_slopes_read_as_elasticities_in_percent():
    down = slope_sentence(-0.7205, -1.15, -0.295, x="real income", y="poverty rate", log_x=True, log_y=True)
    assert down.startswith("1 % more real income goes with a poverty rate about 0.72 % lower (an elasticity; 95% CI")
    up = slope_sentence(0.31, 0.05, 0.57, x="real income", y="wage", log_x=True, log_y=True)
    assert "about 0.31 % higher" in up
    level = slope_sentence(0.5, 0.1, 0.9, x="schools", y="enrolment")
    assert level.startswith("one unit more of schools goes with 0.5 more enrolment")
    assert "log point" not in down + up + level


def _levels(speed, seed=1, n=300):
    """Two-year panel: ln y_end = ln y_start + g − speed·(ln y_start − mean) + noise (SYNTHETIC)."""
    rng = np.random.default_rng(seed)
    start = rng.normal(8.0, 0.4, n)
    end = start + 0.1 - speed * (start - 8.0) + rng.normal(0, 0.05, n)
    return pd.DataFrame({"unit": np.repeat(np.arange(n), 2), "year": np.tile([2010, 2016], n),
                         "y": np.exp(np.column_stack([start, end]).ravel())})


def test_beta_convergence_reads_convergence_only_when_the_interval_says_so():
    clear = beta_convergence(_levels(0.5), "y", "unit", "year")
    lo, hi = clear.term("log_initial")[["ci_low", "ci_high"]]
    assert hi < 0 and clear.reading().startswith("From 2010 to 2016, units with lower initial y grew faster")
    none = beta_convergence(_levels(0.0, seed=3), "y", "unit", "year")
    lo, hi = none.term("log_initial")[["ci_low", "ci_high"]]
    assert lo < 0 < hi and "no clear β-convergence" in none.reading() and "grew faster" not in none.reading()
    diverge = beta_convergence(_levels(-0.5), "y", "unit", "year")
    assert diverge.term("log_initial")["ci_low"] > 0 and "(divergence)" in diverge.reading()
    # σ is reported beside β, computed from the same units: SD of ln y at the start and the end
    d = _levels(0.5)
    ln = np.log(d.pivot(index="unit", columns="year", values="y"))
    assert f"went from {ln[2010].std(ddof=1):.3f} in 2010 to {ln[2016].std(ddof=1):.3f} in 2016" in clear.reading()


def test_the_real_income_convergence_of_the_63_provinces_is_not_read_as_convergence():
    from ntm_analysis.analyses import national

    r = national.fit_national_models(bootstrap=0).beta_income
    lo, hi = r.term("log_initial")[["ci_low", "ci_high"]]
    assert lo < 0 < hi  # p ≈ 0.84 on the shipped data
    assert "no clear β-convergence" in r.reading() and "grew faster" not in r.reading()
    assert "σ (SD of ln income_real) went from 0.310 in 2010 to 0.345 in 2016" in r.reading()


# --- every reading the estimators write follows the interval (cases on each side of zero) -------------------------

import re  # noqa: E402

from scipy import optimize, stats  # noqa: E402

from ntm_analysis.models import event_study, mediation, panel_fe, resources_link  # noqa: E402
from ntm_analysis.models.results import ModelResult, make_coefs, reference_of  # noqa: E402

NUM = r"(-?\d+(?:\.\d+)?(?:e[-+]?\d+)?)"
NO_CLEAR = re.compile(r"no clear association between (.+?) and (.+?): the (?:estimate|elasticity)(?: per 1 % more .+?)? "
                      + NUM + r" has a 95% CI " + NUM + " to " + NUM + "[;,]", re.IGNORECASE)
CI = re.compile(r"95% CI " + NUM + " to " + NUM + r"[;)]")


def _close(text_value, value, rel=5e-3):
    """A number printed with 3 significant digits equals ``value`` to that precision."""
    return float(text_value) == pytest.approx(value, rel=rel, abs=1e-12)


def _sides(low):
    """Shifts moving an interval's lower bound to just above and just below zero (1e-4 of its width)."""
    return {"excludes": lambda width: -low + 1e-4 * width, "includes": lambda width: -low - 1e-4 * width}


def _hand(term, dependent, est, low_target=None, high_target=None):
    q = stats.t(20).ppf(0.975)
    se = (est - low_target) / q if low_target is not None else (high_target - est) / q
    coefs = make_coefs([term], [est], [se], df_resid=20.0)
    return ModelResult(estimator="hand-made OLS", dependent=dependent, coefs=coefs, n_obs=23, se_type="HC1",
                       **reference_of(coefs))


@pytest.mark.parametrize("eps", [1e-4, -1e-4])
def test_default_reading_follows_the_interval_and_reads_logs_as_elasticities(eps):
    r = _hand("ln_income_real", "ln_poverty", -0.7205, high_target=-eps)  # CI high just below / above zero
    text = r.reading()
    lo, hi = r.term("ln_income_real")[["ci_low", "ci_high"]]
    assert "ln_" not in text and "one unit more" not in text
    if hi < 0:
        m = re.match(r"1 % more income_real goes with a poverty about " + NUM + r" % lower \(an elasticity; 95% CI "
                     + NUM + " to " + NUM + "; 23 observations", text)
        assert m and float(m[1]) == pytest.approx(0.72, abs=0.005) and _close(m[2], lo) and _close(m[3], hi)
    else:
        m = NO_CLEAR.search(text)
        assert text.startswith("No clear association") and m and (m[1], m[2]) == ("income_real", "poverty")
        assert _close(m[3], -0.7205) and _close(m[4], lo) and _close(m[5], hi)
        assert "lower" not in text and "higher" not in text
    level = _hand("schools", "enrolment", 0.5, low_target=eps).reading()
    if eps > 0:
        m = re.match(r"One unit more of schools goes with " + NUM + " more enrolment", level)
        assert m and _close(m[1], 0.5)
    else:
        assert level.startswith("No clear association between schools and enrolment")


def _mediation_data(n=40, seed=9, b=0.4):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(n)
    m = 0.5 * x + rng.standard_normal(n)
    y = b * m + 0.2 * x + rng.standard_normal(n)
    return pd.DataFrame({"x": x, "m": m, "y": y})


@pytest.mark.parametrize("side", ["excludes", "includes"])
def test_mediation_reading_follows_the_interval_of_the_total(side):
    d = _mediation_data()
    base = mediation(d, "x", "m", "y", bootstrap=0).term("total")
    d["y"] = d["y"] + _sides(base["ci_low"])[side](base["ci_high"] - base["ci_low"]) * d["x"]
    r = mediation(d, "x", "m", "y", bootstrap=0)
    tot = r.term("total")
    assert bool(tot["ci_low"] > 0) is (side == "excludes")
    first = r.reading().split(". ")[0]
    if side == "excludes":
        m = re.match(r"One unit more of x goes with " + NUM + r" more y \(95% CI " + NUM + " to " + NUM
                     + "; 40 units", first)
        assert m and _close(m[1], tot["estimate"]) and _close(m[2], tot["ci_low"]) and _close(m[3], tot["ci_high"])
    else:
        m = NO_CLEAR.search(first)
        assert first.startswith("No clear association between x and y") and m and _close(m[3], tot["estimate"])
        assert "more y" not in first


@pytest.mark.parametrize("side", ["excludes", "includes"])
def test_mediation_reading_of_the_indirect_part_follows_its_interval(side):
    d = _mediation_data(seed=3, b=1.0)  # b clearly non-zero, so that the interval of a·b can exclude zero

    def low_after(c):
        dd = d.assign(m=d["m"] + c * d["x"])
        return mediation(dd, "x", "m", "y", bootstrap=0).term("indirect")["ci_low"]

    target = 1e-5 if side == "excludes" else -1e-5
    c = optimize.brentq(lambda c: low_after(c) - target, -0.5, 0.5, xtol=1e-12)
    r = mediation(d.assign(m=d["m"] + c * d["x"]), "x", "m", "y", bootstrap=0)
    ind = r.term("indirect")
    assert bool(ind["ci_low"] > 0) is (side == "excludes")
    second = r.reading().split(". ", 1)[1]
    if side == "excludes":
        m = re.match(r"The part running through m is " + NUM + r" \(95% CI " + NUM + " to " + NUM + r"\)", second)
        assert m and _close(m[1], ind["estimate"]) and _close(m[2], ind["ci_low"]) and _close(m[3], ind["ci_high"])
    else:
        m = re.match(r"The part running through m, " + NUM + r" \(95% CI " + NUM + " to " + NUM
                     + r"\), is not clearly different from zero\.", second)
        assert m and _close(m[1], ind["estimate"]) and _close(m[2], ind["ci_low"])


def _resources_cross_section(n=40, seed=5):
    rng = np.random.default_rng(seed)
    lr = rng.normal(1.0, 0.5, n)
    ig = 2.0 + 1.0 * lr + rng.normal(0, 1.0, n)
    pr = 1.0 + 0.8 * ig + rng.normal(0, 1.0, n)
    return pd.DataFrame({"province": np.arange(n), "res": np.exp(lr), "ig": ig, "pr": pr})


@pytest.mark.parametrize("side", ["excludes", "includes"])
def test_resources_link_reading_follows_the_interval_per_1_percent(side):
    d = _resources_cross_section()
    base = resources_link(d, "res", "ig", "pr", "province", time=None, bootstrap=0).term("a")
    d["ig"] = d["ig"] + _sides(base["ci_low"])[side](base["ci_high"] - base["ci_low"]) * np.log(d["res"])
    r = resources_link(d, "res", "ig", "pr", "province", time=None, bootstrap=0)
    a = r.term("a")
    text = r.reading()
    assert "log point" not in text and "one unit more" not in text and "faster" not in text
    first = text.split(". ")[0]
    if side == "excludes":
        m = re.match(r"Across 40 units, 1 % more res goes with income growth about " + NUM
                     + r" % per year higher \(95% CI " + NUM + " to " + NUM + "; 40 units", first)
        assert m and _close(m[1], a["estimate"] / 100)
        assert _close(m[2], a["ci_low"] / 100) and _close(m[3], a["ci_high"] / 100)
    else:
        m = NO_CLEAR.search(first)
        assert first.startswith("Across 40 units, no clear association between res and income growth") and m
        assert _close(m[3], a["estimate"] / 100) and _close(m[4], a["ci_low"] / 100)
        assert "higher" not in first and "lower" not in first


@pytest.mark.parametrize("side", ["excludes", "includes"])
def test_panel_fe_reading_follows_the_interval_as_an_elasticity(side):
    d = synthetic.commune_panel(300, 5, n_provinces=40, seed=8)
    args = ("log_poverty_rate", "log_income_pc", "commune", "year")
    base = panel_fe(d, *args, cluster="province").term("log_income_pc")
    width = base["ci_high"] - base["ci_low"]
    shift = -base["ci_high"] + (-1e-4 if side == "excludes" else 1e-4) * width  # CI high just below / above 0
    d["log_poverty_rate"] = d["log_poverty_rate"] + shift * d["log_income_pc"]
    r = panel_fe(d, *args, cluster="province")
    row = r.term("log_income_pc")
    assert bool(row["ci_high"] < 0) is (side == "excludes")
    text = r.reading()
    assert "log_" not in text and "one unit more" not in text
    if side == "excludes":
        m = re.search(r"1 % more income_pc goes with a poverty_rate about " + NUM + r" % lower \(an elasticity; "
                      r"95% CI " + NUM + " to " + NUM + "; 1,500 observations, 40 clusters", text)
        assert m and float(m[1]) == pytest.approx(-row["estimate"], abs=0.005) and _close(m[3], row["ci_high"])
    else:
        m = NO_CLEAR.search(text)
        assert m and (m[1], m[2]) == ("income_pc", "poverty_rate") and _close(m[3], row["estimate"])
        assert "lower" not in text


@pytest.mark.parametrize("side", ["excludes", "includes"])
def test_event_study_reading_follows_the_interval(side):
    d = synthetic.commune_panel(300, 6, n_provinces=40, seed=4)
    args = ("log_income_pc", "commune", "year", "ntm_year")
    base = event_study(d, *args, bootstrap=49, seed=3).term("ATT")
    width = base["ci_high"] - base["ci_low"]
    shift = -base["ci_low"] + (1e-4 if side == "excludes" else -1e-4) * width
    treated = (d["year"] >= d["ntm_year"]).fillna(False).to_numpy(dtype=bool)
    d.loc[treated, "log_income_pc"] = d.loc[treated, "log_income_pc"] + shift
    r = event_study(d, *args, bootstrap=49, seed=3)
    att = r.term("ATT")
    assert bool(att["ci_low"] > 0) is (side == "excludes")
    text = r.reading()
    if side == "excludes":
        m = re.search(r"After adoption, income_pc was on average " + NUM + r" log points \(about " + NUM
                      + r" %\) higher than imputed from untreated units and years \(95% CI " + NUM + " to " + NUM,
                      text)
        assert m and _close(m[1], att["estimate"]) and float(m[2]) == pytest.approx(
            100 * np.expm1(att["estimate"]), abs=0.05)
        assert _close(m[3], att["ci_low"], rel=0.02) and _close(m[4], att["ci_high"])
    else:
        m = re.search(r"After adoption, no clear difference between income_pc and imputed from untreated units and "
                      r"years: the estimate " + NUM + r" has a 95% CI " + NUM + " to " + NUM, text)
        assert m and _close(m[1], att["estimate"]) and "higher" not in text and "lower" not in text
