"""The cross-province model (ntm_analysis.analyses.province_model) against an OLS with HC1 standard errors computed
by hand (NumPy) from data/raw read with the csv module."""
import math

import pytest

from hand_data import INCOME, POVERTY, dln_real_income, hand_model, hand_prediction_band, row
from ntm_analysis.analyses import province_model as pm
from ntm_analysis.analyses.elasticity import PANEL_READS, period_elasticities
from ntm_analysis.data import cache
from ntm_analysis.data.panel import PANEL_FILES, REGISTRY_FILES, load_panel


def test_model_sample_estimate_and_lao_cai_residual_are_the_hand_computation():
    keep, beta, se, resid = hand_model()
    # Bình Dương (0 % in 2016) and Hồ Chí Minh (no 2016 rate) cannot enter a model in logs
    assert set(sorted({c for c, _ in INCOME})) - set(keep) == {"74", "79"}
    model = pm.fit_province_model(2010, 2016)
    cs = model.cross_section
    assert cs.n_obs == len(keep) == 61
    assert cs.term("dln_income")["estimate"] == pytest.approx(beta[1], rel=1e-10)
    assert cs.term("const")["estimate"] == pytest.approx(beta[0], rel=1e-10)
    assert cs.term("dln_income")["std_error"] == pytest.approx(se[1], rel=1e-10)
    lo, hi = cs.term("dln_income")[["ci_low", "ci_high"]]
    assert lo < beta[1] < hi and hi - lo == pytest.approx(2 * 2.000995 * se[1], rel=1e-4)  # t(59) 97.5 %
    lao = row(model.frame, code="10")
    assert lao["residual"] == pytest.approx(resid["10"], rel=1e-9)
    assert resid["10"] > 0  # above the line, but inside its prediction interval (see the reading test)
    assert lao["predicted_poverty1"] == pytest.approx(POVERTY[("10", 2010)] * math.exp(lao["predicted"]), rel=1e-12)
    left = model.frame[~model.frame["in_model"]]
    assert sorted(left["code"]) == ["74", "79"]
    assert row(left, code="74")["reasons"] == [{"kind": "zero_poverty", "year": 2016}]
    assert model.fe is not None and model.fe.n_clusters == 63


def test_the_model_period_is_the_widest_run_on_one_measure():
    p = load_panel(level="all")
    assert pm.model_period(p[p["year"].between(2006, 2023)]) == (2010, 2016, "gso_income_line_2011_2015")
    with pytest.raises(pm.ModelUnavailable, match="share a poverty measure"):
        pm.model_period(p[p["year"].between(2016, 2023)])


def test_members_rank_by_residual():
    _, _, _, resid = hand_model()
    model = pm.fit_province_model(2010, 2016)
    rec = model.members(["60", "67", "68"])
    assert list(rec["code"]) == ["60", "67", "68"]
    order = sorted(resid, key=resid.get)
    for code in ("60", "67", "68"):
        r = row(rec, code=code)
        assert r["residual"] == pytest.approx(resid[code], rel=1e-9)
        assert r["rank"] == order.index(code) + 1 and r["n"] == 61


def _lao_cai_poverty_2016(data, new: str) -> None:
    f = data / "raw" / "poverty_rate_by_province_gso.csv"
    text = f.read_text(encoding="utf-8")
    old = "province,Northern midlands and mountain areas,10,Tỉnh Lào Cai,Lao Cai,2016,preliminary,18.1,"
    assert text.count(old) == 1
    f.write_text(text.replace(old, old.replace(",18.1,", f",{new},")), encoding="utf-8")


def test_model_is_fitted_once_per_data_version(data_copy):
    name = "province_model:2010-2016"
    first = pm.fit_province_model(2010, 2016)
    fits = cache.builds[name]
    assert pm.fit_province_model(2010, 2016) is first  # the same data: the cached fit, not a new one
    assert cache.builds[name] == fits
    # another data folder whose one figure differs: another fit, the first stays cached
    data = data_copy
    _lao_cai_poverty_2016(data, "9.0")
    other = pm.fit_province_model(2010, 2016, data_dir=str(data))
    assert cache.builds[name] == fits + 1
    assert other is not first and other.cross_section.n_obs == 61
    assert row(other.frame, code="10")["residual"] < 0 < row(first.frame, code="10")["residual"]
    assert pm.fit_province_model(2010, 2016, data_dir=str(data)) is other
    assert pm.fit_province_model(2010, 2016) is first
    assert cache.builds[name] == fits + 1


def test_an_edited_file_the_model_reads_refits_it_in_the_same_process(data_copy):
    """A warm kernel whose data folder is edited between two reports fits the model again, on the new figure."""
    name = "province_model:2010-2016"
    data = data_copy
    before = pm.fit_province_model(2010, 2016, data_dir=data)
    fits = cache.builds[name]
    _lao_cai_poverty_2016(data, "9.0")
    after = pm.fit_province_model(2010, 2016, data_dir=data)
    assert cache.builds[name] == fits + 1 and after is not before
    _, _, _, resid = hand_model()
    assert row(before.frame, code="10")["residual"] == pytest.approx(resid["10"], rel=1e-9)
    # Lào Cai's 2016 rate 18.1 → 9.0: its Δ ln poverty falls by ln(18.1 / 9.0)
    assert row(after.frame, code="10")["dln_poverty"] == pytest.approx(
        row(before.frame, code="10")["dln_poverty"] - math.log(18.1 / 9.0), rel=1e-12)
    # so do the elasticities the model reads (their own cache, same files)
    elasticities, _ = period_elasticities(2010, 2016, data_dir=data)
    assert row(elasticities, code="10")["poverty1"] == 9.0


def test_a_file_the_model_does_not_read_leaves_the_fit_cached(data_copy):
    name = "province_model:2010-2016"
    data = data_copy
    first = pm.fit_province_model(2010, 2016, data_dir=data)
    fits = cache.builds[name]
    for unrelated in ("raw/ntm_resources_by_province.csv", "seeds/seed_articles_figures.csv", "codebook.yml"):
        f = data / unrelated
        f.write_bytes(f.read_bytes() + b"\n")
    assert pm.fit_province_model(2010, 2016, data_dir=data) is first
    assert cache.builds[name] == fits


def test_the_models_files_are_the_panels_and_its_key_covers_the_fe_module():
    assert PANEL_READS == sorted(["raw/" + f for f in PANEL_FILES + REGISTRY_FILES] + ["provenance.yml"])
    # the two-way FE comes from analyses.national, imported inside the fitting function: part of the key
    modules = dict(cache.module_closure("ntm_analysis.analyses.province_model"))
    assert {"ntm_analysis.analyses.national", "ntm_analysis.analyses.elasticity", "ntm_analysis.models.panel",
            "ntm_analysis.data.panel"} <= set(modules)


def test_a_residual_is_read_as_more_or_less_reduction_only_outside_the_prediction_interval():
    """The 95 % prediction band of each province's change, by hand; provinces on each side of it and inside it."""
    model = pm.fit_province_model(2010, 2016)
    f = model.frame[model.frame["in_model"]]
    seen = set()
    for _, r in f.iterrows():
        low, high = hand_prediction_band(r["code"])
        assert r["predicted_low"] == pytest.approx(low, rel=1e-9)
        assert r["predicted_high"] == pytest.approx(high, rel=1e-9)
        expected = ("less_reduction" if r["dln_poverty"] > high else "more_reduction" if r["dln_poverty"] < low
                    else "as_predicted")
        assert r["versus_prediction"] == expected, r["code"]
        seen.add(expected)
    assert {"as_predicted", "more_reduction"} <= seen  # both sides of the threshold occur in the real data
    lao = row(f, code="10")  # residual +0.23 with the residuals' SD 0.33: inside, no direction claimed
    assert lao["versus_prediction"] == "as_predicted" and lao["residual"] < lao["predicted_high"] - lao["predicted"]
    assert set(model.frame.loc[~model.frame["in_model"], "versus_prediction"]) == {""}
