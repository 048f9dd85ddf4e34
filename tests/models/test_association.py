"""cross_section_ols: OLS/WLS with HC3 by hand, the MIN_N rule, readings that follow the interval, bad input."""
import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from ntm_analysis.models.association import MIN_N, cross_section_ols


def _frame(n, slope=0.8, seed=3, noise=0.5):
    rng = np.random.default_rng(seed)
    x = rng.normal(0, 1, n)
    return pd.DataFrame({"unit": [f"u{i:02d}" for i in range(n)], "x": x,
                         "y": 1.0 + slope * x + rng.normal(0, noise, n) * (1 + np.abs(x)),
                         "w": rng.uniform(0.5, 3.0, n), "c": rng.normal(0, 1, n)})


def _hc3_by_hand(X, y, w=None):
    """(X'WX)⁻¹ X'W diag(e²/(1−h)²) W X (X'WX)⁻¹, with h the leverages of the (weighted) hat matrix."""
    w = np.ones(len(y)) if w is None else w
    Xs, ys = X * np.sqrt(w)[:, None], y * np.sqrt(w)
    bread = np.linalg.inv(Xs.T @ Xs)
    beta = bread @ Xs.T @ ys
    e = ys - Xs @ beta
    h = np.einsum("ij,jk,ik->i", Xs, bread, Xs)
    meat = Xs.T @ (Xs * (e ** 2 / (1 - h) ** 2)[:, None])
    return beta, np.sqrt(np.diag(bread @ meat @ bread))


def test_slope_and_hc3_standard_error_equal_a_hand_computation():
    d = _frame(25)
    r = cross_section_ols(d, "y", "x", unit="unit")
    X = np.column_stack([d["x"], np.ones(len(d))])
    beta, se = _hc3_by_hand(X, d["y"].to_numpy())
    assert r.params["x"] == pytest.approx(beta[0], rel=1e-10)
    assert r.std_errors["x"] == pytest.approx(se[0], rel=1e-10)
    assert r.std_errors["const"] == pytest.approx(se[1], rel=1e-10)
    from scipy import stats
    q = stats.t(25 - 2).ppf(0.975)
    assert r.conf_int().loc["x", 0] == pytest.approx(beta[0] - q * se[0], rel=1e-10)
    assert r.ci_df == 23 and r.ci_reference == "t"
    assert "HC3" in r.se_type
    assert list(r.resid.index[:2]) == ["u00", "u01"]


def test_weighted_fit_with_a_control_equals_statsmodels_wls_hc3_and_the_hand_formula():
    d = _frame(30, seed=5)
    r = cross_section_ols(d, "y", "x", controls=["c"], weights="w", unit="unit")
    X = np.column_stack([d["x"], d["c"], np.ones(len(d))])
    ref = sm.WLS(d["y"], X, weights=d["w"]).fit(cov_type="HC3", use_t=True)
    beta, se = _hc3_by_hand(X, d["y"].to_numpy(), d["w"].to_numpy())
    assert r.params.to_numpy() == pytest.approx(ref.params.to_numpy(), rel=1e-10)
    assert r.std_errors.to_numpy() == pytest.approx(se, rel=1e-10)
    assert r.rsquared == pytest.approx(ref.rsquared, rel=1e-10)
    assert list(r.coefs["term"]) == ["x", "c", "const"]


@pytest.mark.parametrize("n, reported", [(MIN_N - 1, False), (MIN_N, True)])
def test_no_slope_below_min_n(n, reported):
    r = cross_section_ols(_frame(n), "y", "x", unit="unit")
    assert r.nobs == n
    assert bool(np.isfinite(r.params["x"])) is reported
    note = f"n = {n} < MIN_N ({MIN_N}): no slope reported"
    assert (note in r.notes) is (not reported)
    assert ("no slope is reported" in r.reading()) is (not reported)
    assert r.extra["too_few"] is (not reported)


def test_rows_with_a_missing_value_are_left_out_and_count_towards_min_n():
    d = _frame(MIN_N)
    d.loc[3, "y"] = np.nan
    r = cross_section_ols(d, "y", "x", unit="unit")
    assert r.nobs == MIN_N - 1 and not np.isfinite(r.params["x"])
    assert any("dropped 1 of 10 rows" in n for n in r.notes)


def test_reading_claims_no_direction_when_the_interval_includes_zero():
    flat = cross_section_ols(_frame(20, slope=0.0, seed=11, noise=2.0), "y", "x", unit="unit")
    lo, hi = flat.conf_int().loc["x"]
    assert lo < 0 < hi
    assert flat.reading().startswith("no clear association")
    steep = cross_section_ols(_frame(40, slope=3.0, seed=2, noise=0.2), "y", "x", unit="unit", x_label="funds",
                              y_label="income growth", log_x=True, log_y_ratio=True)
    lo, hi = steep.conf_int().loc["x"]
    assert lo > 0
    b = steep.params["x"]
    assert steep.reading().startswith(f"1 % more funds goes with a income growth about {b / 100:.2f} % higher")


def test_semi_log_reading_states_a_ten_percent_difference_in_the_outcome_units():
    d = _frame(40, slope=-3.0, seed=2, noise=0.2)
    r = cross_section_ols(d, "y", "x", unit="unit", x_label="funds", y_label="poverty change", log_x=True,
                          y_unit="percentage points")
    b = r.params["x"]
    assert r.reading().startswith(f"10 % more funds goes with about {abs(b * np.log(1.1)):.3g} percentage points "
                                  f"less poverty change")


def test_bad_input_is_named():
    d = _frame(12)
    with pytest.raises(ValueError, match="unit 'u00' appears more than once"):
        cross_section_ols(pd.concat([d, d.iloc[:1]]), "y", "x", unit="unit")
    bad = d.assign(w=d["w"].where(d.index != 4, 0.0))
    with pytest.raises(ValueError, match="weight column 'w' must be > 0; row 4"):
        cross_section_ols(bad, "y", "x", weights="w")
    with pytest.raises(ValueError, match="collinear"):
        cross_section_ols(d.assign(x=1.0), "y", "x")
    with pytest.raises(ValueError, match="cov_type must be one of"):
        cross_section_ols(d, "y", "x", cov_type="HC9")
    with pytest.raises(TypeError, match="column 'x' must be numeric"):
        cross_section_ols(d.assign(x="a"), "y", "x")
