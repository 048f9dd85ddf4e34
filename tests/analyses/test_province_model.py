"""The cross-province model (ntm_analysis.analyses.province_model) against an OLS with HC1 standard errors computed
by hand (NumPy) from data/raw read with the csv module."""
import math
import shutil

import pytest

from hand_data import INCOME, POVERTY, hand_model, row
from ntm_analysis import paths
from ntm_analysis.analyses import province_model as pm
from ntm_analysis.data.panel import load_panel


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
    assert resid["10"] > 0  # Lào Cai reduced poverty less than its income growth predicts
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


def test_model_is_fitted_once_per_data_version(tmp_path):
    first = pm.fit_province_model(2010, 2016)
    hits = pm.fit_cached.cache_info().hits
    assert pm.fit_province_model(2010, 2016) is first  # the same data: the cached fit
    assert pm.fit_cached.cache_info().hits == hits + 1
    # another data folder whose one figure differs: another fit, the first stays cached
    data = tmp_path / "data"
    shutil.copytree(paths.data_dir(), data, ignore=shutil.ignore_patterns(".cache"))
    f = data / "raw" / "poverty_rate_by_province_gso.csv"
    text = f.read_text(encoding="utf-8")
    old = "province,Northern midlands and mountain areas,10,Tỉnh Lào Cai,Lao Cai,2016,preliminary,18.1,"
    assert text.count(old) == 1
    f.write_text(text.replace(old, old.replace(",18.1,", ",9.0,")), encoding="utf-8")
    other = pm.fit_province_model(2010, 2016, data_dir=str(data))
    assert other is not first and other.cross_section.n_obs == 61
    assert row(other.frame, code="10")["residual"] < 0 < row(first.frame, code="10")["residual"]
    assert pm.fit_province_model(2010, 2016) is first
