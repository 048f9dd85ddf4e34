"""Robustness of the resource associations: leave-one-out by a loop written here, the specification curve's 2^k
sorted rows, and the verdict rule on each side of every threshold."""
import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from ntm_analysis.analyses import resources as R
from ntm_analysis.analyses.robustness import ROBUST_SHARE, SWITCHES
from ntm_analysis.models.association import MIN_N

T17 = ("central_ntp_transfers_plan", "real_income_growth_2016_2023", (2017, 2017))
POV16 = ("central_ntp_transfers_plan", "poverty_multi_2023", (2016, 2016))


@pytest.fixture(scope="module")
def t17():
    m, o, p = T17
    return R.resources_association(m, o, p), R.resources_robustness(m, o, p), R.specification_curve(m, o, p)


def test_leave_one_out_min_and_max_equal_a_loop(t17):
    res, rob, _ = t17
    s = res.sample
    est = {}
    for code in s["code"]:
        sub = s[s["code"] != code]
        est[code] = sm.OLS(sub["y"].to_numpy(), sm.add_constant(sub["x"].to_numpy())).fit(cov_type="HC3").params[1]
    lo_code = min(est, key=est.get)
    hi_code = max(est, key=est.get)
    names = s.set_index("code")["name"]
    rows = rob.set_index("specification")
    lo = rows.loc[f"leave-one-out minimum (without {names[lo_code]})"]
    hi = rows.loc[f"leave-one-out maximum (without {names[hi_code]})"]
    assert lo["estimate"] == pytest.approx(est[lo_code], rel=1e-10)
    assert hi["estimate"] == pytest.approx(est[hi_code], rel=1e-10)
    assert lo["n"] == hi["n"] == len(s) - 1
    assert (lo["dropped"], hi["dropped"]) == (names[lo_code], names[hi_code])


def test_robustness_rows(t17):
    res, rob, _ = t17
    assert list(rob.columns[:8]) == ["specification", "estimate", "ci_low", "ci_high", "n", "dropped", "added",
                                     "baseline"]
    base = rob[rob["baseline"]]
    assert len(base) == 1 and base["estimate"].iloc[0] == pytest.approx(res.params.iloc[0])
    assert set(rob["specification"]) >= {"baseline", "with low-confidence rows", "without credit-inclusive totals",
                                         "lower bounds kept", "weighted by population",
                                         "x in million VND per person (not logged)"}
    w = rob.set_index("specification").loc["weighted by population"]
    s = res.sample
    pop = R.resource_measures().query("measure == 'central_ntp_transfers_plan' and period_label == '2017'")
    wts = s["code"].map(pop.set_index("code")["population_thousand"])
    ref = sm.WLS(s["y"], sm.add_constant(s["x"]), weights=wts).fit(cov_type="HC3")
    assert w["estimate"] == pytest.approx(ref.params["x"], rel=1e-10)
    # the plain-figure specification adds nothing here (no zero transfer in 2017) but is on another scale
    lin = rob.set_index("specification").loc["x in million VND per person (not logged)"]
    assert lin["scale"] == "per million VND per person"


def test_specification_curve_has_every_combination_sorted(t17):
    _, _, curve = t17
    assert len(curve) == 2 ** len(SWITCHES) == 32
    assert len(curve[list(SWITCHES)].drop_duplicates()) == 32
    est = curve["estimate"].dropna().to_numpy()
    assert (np.diff(est) >= 0).all()
    assert curve["baseline"].sum() == 1
    base = curve[curve["baseline"]].iloc[0]
    res, _, _ = t17
    assert base["estimate"] == pytest.approx(res.params.iloc[0])
    assert list(curve["rank"]) == list(range(32))


def test_verdict_on_the_real_data_follows_its_rule(t17):
    res, rob, curve = t17
    v = R.association_verdict(res, rob, curve)
    assert v["n"] == res.nobs
    sign = np.sign(v["estimate"])
    share = float((np.sign(curve["estimate"].dropna()) == sign).mean())
    assert v["share_specs_same_sign"] == pytest.approx(share)
    side = (curve["ci_low"] > 0) if sign > 0 else (curve["ci_high"] < 0)
    assert v["share_specs_clear_same_sign"] == pytest.approx(float(side[curve["estimate"].notna()].mean()))
    clear = not (v["ci_low"] <= 0 <= v["ci_high"])
    loo_ok = np.sign(v["loo_min"]) == sign == np.sign(v["loo_max"])
    expected = ("no_clear" if not clear else
                ("robust_positive" if sign > 0 else "robust_negative") if loo_ok and share >= ROBUST_SHARE
                else "fragile")
    assert v["code"] == expected


def test_too_few_and_no_clear_verdicts_on_the_real_data():
    m, o, p = ("resources_total", "real_income_growth_2010_2016", (2011, 2015))
    res = R.resources_association(m, o, p)
    rob = R.resources_robustness(m, o, p)
    assert res.nobs < MIN_N and rob["estimate"].isna().iloc[:3].all()
    assert R.association_verdict(res, rob)["code"] == "too_few"
    m, o, p = POV16
    res = R.resources_association(m, o, p)
    v = R.association_verdict(res, R.resources_robustness(m, o, p))
    assert v["ci_low"] < 0 < v["ci_high"] and v["code"] == "no_clear"


class _Res:
    """A stand-in result with one slope row (the verdict reads only these)."""

    def __init__(self, est, lo, hi, n=20, too_few=False):
        self.coefs = pd.DataFrame({"term": ["x"], "estimate": [est], "ci_low": [lo], "ci_high": [hi]})
        self.nobs = n
        self.extra = {"too_few": too_few}


def _rob(base, loo_min, loo_max):
    return pd.DataFrame({"specification": ["baseline", "leave-one-out minimum (without A)",
                                           "leave-one-out maximum (without B)"],
                         "estimate": [base, loo_min, loo_max], "dropped": ["", "A", "B"],
                         "baseline": [True, False, False]})


def _curve(pos, neg):
    return pd.DataFrame({"estimate": [1.0] * pos + [-1.0] * neg})


@pytest.mark.parametrize("res, loo, curve, code", [
    (_Res(np.nan, np.nan, np.nan, n=9, too_few=True), (np.nan, np.nan), _curve(0, 0), "too_few"),
    (_Res(1.0, -0.1, 2.0), (0.5, 1.5), _curve(10, 0), "no_clear"),
    (_Res(1.0, 0.1, 2.0), (0.5, 1.5), _curve(9, 1), "robust_positive"),      # 90 % share the sign: robust
    (_Res(1.0, 0.1, 2.0), (0.5, 1.5), _curve(17, 3), "fragile"),             # 85 %: fragile
    (_Res(1.0, 0.1, 2.0), (-0.2, 1.5), _curve(10, 0), "fragile"),            # one province flips the sign
    (_Res(-1.0, -2.0, -0.1), (-1.5, -0.5), _curve(0, 10), "robust_negative"),
])
def test_verdict_rule_on_each_side_of_the_thresholds(res, loo, curve, code):
    v = R.association_verdict(res, _rob(res.coefs["estimate"].iloc[0], *loo), curve)
    assert v["code"] == code
    if code != "too_few":
        assert (v["loo_min_without"], v["loo_max_without"]) == ("A", "B")


def test_national_models_carry_the_headline_associations_with_their_robustness():
    from ntm_analysis.analyses import national

    a = R.HEADLINE_ASSOCIATIONS[4]
    models = national.fit_national_models(bootstrap=0, associations=[a])
    key = national.association_id(a)
    assert key == "central_ntp_transfers_plan 2017–2017 → real_income_growth_2016_2023"
    assert list(models.associations) == [key] and models.headline == [a]
    m, p, o = a[:3]
    assert models.associations[key].params.iloc[0] == pytest.approx(R.resources_association(m, o, p).params.iloc[0])
    assert len(models.curves[key]) == 32 and models.robustness[key]["baseline"].sum() == 1
    assert models.verdicts[key] == R.association_verdict(models.associations[key], models.robustness[key],
                                                         models.curves[key])
    assert key in models.results() and "β-convergence of real income" in models.results()
    assert set(models.measures["measure"]) == set(R.MEASURES)
