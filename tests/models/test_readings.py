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
