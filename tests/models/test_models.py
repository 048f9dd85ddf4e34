"""Estimators in ntm_analysis.models: agreement with linearmodels/statsmodels and recovery of
known parameters from SYNTHETIC panels (tolerances stated in each test)."""
import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from linearmodels import PanelOLS

from ntm_analysis.data import synthetic
from ntm_analysis.models import (ModelResult, beta_convergence, event_study, mediation, panel_fe, plot_event_study,
    resources_link, sigma_convergence)
from ntm_analysis.models.bootstrap import draw_weights
from ntm_analysis.models.within import demean


@pytest.fixture(scope="module")
def panel():
    d = synthetic.commune_panel(4_000, 8, n_provinces=50)
    d["noise_x"] = np.random.default_rng(1).standard_normal(len(d))  # true coefficient 0
    return d


def _lm(d, y, xs, cluster_col=None, entity=True, weights=None):
    di = d.set_index(["commune", "year"])
    mod = PanelOLS(di[y], di[xs], entity_effects=entity, time_effects=True,
                   weights=None if weights is None else di[weights])
    if cluster_col is None:
        return mod.fit(cov_type="clustered", cluster_entity=True, group_debias=True)
    return mod.fit(cov_type="clustered", clusters=di[cluster_col].cat.codes.to_frame(), group_debias=True)


# --- panel_fe against linearmodels / statsmodels ------------------------------------------------

@pytest.mark.parametrize("cluster", ["province", None])
def test_panel_fe_equals_linearmodels(panel, cluster):
    xs = ["log_resources_pc", "noise_x"]
    ours = panel_fe(panel, "log_income_pc", xs, "commune", "year", cluster=cluster,
                    df_convention="linearmodels")
    ref = _lm(panel, "log_income_pc", xs, cluster)
    np.testing.assert_allclose(ours.params.to_numpy(), ref.params.to_numpy(), rtol=0, atol=1e-8)
    np.testing.assert_allclose(ours.std_errors.to_numpy(), ref.std_errors.to_numpy(), rtol=1e-7)
    assert ours.n_obs == ref.nobs
    # default convention: effects nested in the clusters are not counted; K = k + T
    nested = panel_fe(panel, "log_income_pc", xs, "commune", "year", cluster=cluster)
    n, G = nested.n_obs, nested.n_clusters
    assert nested.extra["K"] == 2 + 8
    ratio = (n - (2 + 4_000 + 8 - 1)) / (n - 10)
    np.testing.assert_allclose(nested.std_errors.to_numpy(), ref.std_errors.to_numpy() * np.sqrt(ratio), rtol=1e-7)
    assert "CR1" in nested.se_type and "commune effects nested" in nested.se_type
    assert G == (50 if cluster else 4_000)


def test_one_way_nested_matches_linearmodels_auto_df(panel):
    di = panel.set_index(["commune", "year"])
    ref = PanelOLS(di["log_income_pc"], di[["log_resources_pc"]], entity_effects=True).fit(
        cov_type="clustered", cluster_entity=True, group_debias=True)
    ours = panel_fe(panel, "log_income_pc", "log_resources_pc", "commune", None, df_convention="linearmodels")
    np.testing.assert_allclose(ours.params.to_numpy(), ref.params.to_numpy(), atol=1e-8)
    np.testing.assert_allclose(ours.std_errors.to_numpy(), ref.std_errors.to_numpy(), rtol=1e-7)
    assert ours.extra["K"] == 1  # the nested entity effects are not counted, as in linearmodels


def test_unbalanced_and_weighted_equal_linearmodels(panel):
    rng = np.random.default_rng(3)
    d = panel.loc[rng.random(len(panel)) > 0.3].copy()
    d["w"] = rng.uniform(0.5, 2.0, len(d))
    ours = panel_fe(d, "log_income_pc", ["log_resources_pc", "noise_x"], "commune", "year",
                    cluster="province", singletons=True)
    ref = _lm(d, "log_income_pc", ["log_resources_pc", "noise_x"], "province")
    np.testing.assert_allclose(ours.params.to_numpy(), ref.params.to_numpy(), atol=1e-8)
    assert ours.extra["iterations"] > 2  # really iterated
    ours_w = panel_fe(d, "log_income_pc", ["log_resources_pc", "noise_x"], "commune", "year",
                      cluster="province", weights="w", singletons=True, df_convention="linearmodels")
    ref_w = _lm(d, "log_income_pc", ["log_resources_pc", "noise_x"], "province", weights="w")
    np.testing.assert_allclose(ours_w.params.to_numpy(), ref_w.params.to_numpy(), atol=1e-8)
    np.testing.assert_allclose(ours_w.std_errors.to_numpy(), ref_w.std_errors.to_numpy(), rtol=1e-6)


def test_panel_fe_equals_statsmodels_dummies():
    d = synthetic.commune_panel(150, 6, n_provinces=15)
    d = d.iloc[np.random.default_rng(5).permutation(len(d))[:800]]  # unbalanced
    ref = smf.ols("log_income_pc ~ log_resources_pc + C(commune) + C(year)", data=d).fit()
    ours = panel_fe(d, "log_income_pc", "log_resources_pc", "commune", "year", singletons=True)
    assert ours.params["log_resources_pc"] == pytest.approx(ref.params["log_resources_pc"], abs=1e-9)


def test_demean_is_the_dummy_projection():
    rng = np.random.default_rng(0)
    n = 400
    a, b = rng.integers(0, 30, n), rng.integers(0, 7, n)
    a, b = pd.factorize(a)[0], pd.factorize(b)[0]
    v = rng.standard_normal((n, 2))
    D = np.column_stack([np.eye(a.max() + 1)[a], np.eye(b.max() + 1)[b]])
    proj = v - D @ np.linalg.lstsq(D, v, rcond=None)[0]
    np.testing.assert_allclose(demean(v, [a, b]).values, proj, atol=1e-9)


# --- truth recovery --------------------------------------------------------------------------

def test_panel_fe_recovers_elasticities(panel):
    t = panel.attrs["truth"]
    r = panel_fe(panel, "log_income_pc", ["log_resources_pc", "noise_x"], "commune", "year", cluster="province")
    est, se = r.params, r.std_errors
    # tolerance: within 3 clustered SEs and within 0.03 of the true elasticity
    err = abs(est["log_resources_pc"] - t["elasticity_income_resources"])
    assert err < 3 * se["log_resources_pc"] and err < 0.03
    assert abs(est["noise_x"]) < 3 * se["noise_x"]
    p = panel_fe(panel, "log_poverty_rate", "log_income_pc", "commune", "year", cluster="province")
    assert abs(p.params["log_income_pc"] - t["elasticity_poverty_income"]) < max(3 * p.std_errors.iloc[0], 0.02)


def test_wild_bootstrap_matches_brute_force():
    d = synthetic.commune_panel(120, 5, n_provinces=12, seed=11)
    d["noise_x"] = np.random.default_rng(2).standard_normal(len(d))
    xs = ["log_resources_pc", "noise_x"]
    B, seed = 99, 42
    r = panel_fe(d, "log_income_pc", xs, "commune", "year", cluster="province", bootstrap=B,
                 bootstrap_weights="webb", seed=seed)
    # brute force: WCR, explicit re-estimation per draw on the demeaned data
    ent = pd.factorize(d["commune"])[0]
    yr = pd.factorize(d["year"])[0]
    cl = pd.factorize(d["province"])[0]
    G = cl.max() + 1
    Z = demean(d[["log_income_pc", *xs]].to_numpy(float), [ent, yr]).values
    y, X = Z[:, 0], Z[:, 1:]
    W = draw_weights("webb", G, B, np.random.default_rng(seed))
    c = r.extra["small_sample_factor"]

    def fit(yy):
        b = np.linalg.solve(X.T @ X, X.T @ yy)
        e = yy - X @ b
        S = np.column_stack([np.bincount(cl, X[:, j] * e, minlength=G) for j in range(2)])
        A = np.linalg.inv(X.T @ X)
        return b, np.sqrt(np.diag(c * A @ S.T @ S @ A))

    b_hat, se_hat = fit(y)
    for j, term in enumerate(xs):
        o = [1 - j]
        g = np.linalg.lstsq(X[:, o], y, rcond=None)[0]
        u = y - X[:, o] @ g
        tstar = []
        for k in range(B):
            bs, ses = fit(X[:, o] @ g + u * W[cl, k])
            tstar.append(bs[j] / ses[j])
        p_brute = np.mean(np.abs(tstar) >= abs(b_hat[j] / se_hat[j]) - 1e-12)
        assert r.term(term)["boot_p_value"] == pytest.approx(p_brute, abs=1e-12)
        lo, hi = r.term(term)["boot_ci_low"], r.term(term)["boot_ci_high"]
        assert lo < b_hat[j] < hi
    assert "WCR" in r.bootstrap and "webb" in r.bootstrap


@pytest.mark.slow
def test_coverage_clustered_and_wild_bootstrap():
    """95 % intervals cover the true elasticity in 90–99 % of 200 SYNTHETIC replications."""
    hits_cl, hits_wb = 0, 0
    reps = 200
    for rep in range(reps):
        d = synthetic.commune_panel(200, 6, n_provinces=40, seed=1_000 + rep)
        r = panel_fe(d, "log_income_pc", "log_resources_pc", "commune", "year", cluster="province",
                     bootstrap=199, bootstrap_weights="rademacher", seed=rep)
        row = r.term("log_resources_pc")
        hits_cl += row["ci_low"] <= 0.30 <= row["ci_high"]
        hits_wb += row["boot_ci_low"] <= 0.30 <= row["boot_ci_high"]
    assert 0.90 <= hits_cl / reps <= 0.99, hits_cl
    assert 0.90 <= hits_wb / reps <= 0.99, hits_wb


def test_beta_and_sigma_convergence_recover_truth():
    d = synthetic.convergence_panel(2_000, 11)
    t = d.attrs["truth"]
    b = beta_convergence(d, "income_pc", "unit", "year", region="region")
    row = b.term("log_initial")
    assert row["ci_low"] <= t["beta"] <= row["ci_high"]
    assert abs(b.extra["speed"] - t["speed"]) < 0.004  # tolerance 0.4 points of speed
    assert abs(b.extra["half_life"] - t["half_life"]) < 1.5  # years
    s = sigma_convergence(d, "income_pc", "unit", "year")
    by = s.extra["by_year"].set_index("year")["sd_log"]
    truth = pd.Series(t["sd_log_by_year"])
    assert np.max(np.abs(by.to_numpy() - truth.to_numpy())) < 0.03
    assert s.term("trend_sd_log_per_year")["estimate"] < 0 and s.term("trend_sd_log_per_year")["p_value"] < 0.01
    assert "fell" in s.reading()


def test_convergence_leaves_out_units_and_says_which():
    d = synthetic.convergence_panel(60, 5)
    d = d[~((d["unit"] == 7) & (d["year"] == 2014))]
    d.loc[(d["unit"] == 9) & (d["year"] == 2010), "income_pc"] = np.nan
    b = beta_convergence(d, "income_pc", "unit", "year")
    assert b.n_obs == 58
    note = " ".join(b.notes)
    assert "7" in note and "9" in note and "2010" in note and "2014" in note
    s = sigma_convergence(d, "income_pc", "unit", "year")
    assert s.n_units == 58 and "not observed in every year" in " ".join(s.notes)


def test_convergence_on_real_provincial_income():
    """Real GSO income per capita (nominal), 63 provinces: one dispersion figure per survey year."""
    import ntm_analysis as ntm

    p = ntm.load_panel()
    inc = p[(p["level"] == "province") & (p["variable"] == "income_per_capita_nominal")
            & p["year"].isin([2010, 2012, 2014])][["code", "year", "value"]]
    inc = inc.astype({"value": float})
    s = sigma_convergence(inc, "value", "code", "year")
    assert s.n_units == 63
    by = s.extra["by_year"].set_index("year")
    direct = np.log(inc[inc["year"] == 2010]["value"]).std(ddof=1)
    assert by.loc[2010, "sd_log"] == pytest.approx(direct, rel=1e-12)
    assert not s.synthetic and not s.summary().startswith("SYNTHETIC")
    b = beta_convergence(inc, "value", "code", "year")
    assert b.n_units == 63 and b.extra["start"] == 2010 and b.extra["end"] == 2014


def test_resources_link_recovers_paths():
    d = synthetic.commune_panel(20_000, 10, n_provinces=200)
    truth = d.attrs["truth"]["resources_link"]
    r = resources_link(d, "resources_pc", "income_pc", "poverty_rate", "commune", "year",
                       cluster="province", bootstrap=199)
    t = r.table().set_index("term")
    for term in ("a", "b", "indirect", "total", "direct"):
        # tolerance: the true value lies within 3 analytic SEs (Sobel SE for the indirect effect)
        assert abs(t.loc[term, "estimate"] - truth[term]) < 3 * t.loc[term, "std_error"], term
    assert t.loc["b", "estimate"] == pytest.approx(0.8, abs=0.03)
    # product-of-coefficients identity: total = direct + indirect for OLS
    assert t.loc["total", "estimate"] == pytest.approx(t.loc["direct", "estimate"] + t.loc["indirect", "estimate"], abs=1e-10)
    assert t.loc["indirect", "boot_ci_low"] < truth["indirect"] < t.loc["indirect", "boot_ci_high"]
    assert r.n_units == 20_000 and r.extra["window"] == (2011, 2020)


def test_resources_link_names_left_out_units():
    d = synthetic.province_panel(40, 6, n_regions=5)
    d = d[~((d["province"] == 3) & (d["year"] == 2016))].copy()
    d.loc[d["province"] == 5, "resources_pc"] = np.nan
    d.loc[(d["province"] == 8) & (d["year"] == 2011), "poverty_rate"] = 0.0
    r = resources_link(d, "resources_pc", "income_pc", "poverty_rate", "province", "year", bootstrap=0)
    assert r.n_units == 37
    note = " | ".join(r.notes)
    assert "3: no income_pc in 2016, no poverty_rate in 2016" in note
    assert "5: no resources_pc" in note
    assert "8: poverty_rate ≤ 0" in note
    pts = resources_link(d, "resources_pc", "income_pc", "poverty_rate", "province", "year",
                         poverty_change="points", bootstrap=0)
    assert pts.n_units == 38  # a zero poverty rate is fine in points


def test_mediation_matches_statsmodels_and_is_reproducible():
    rng = np.random.default_rng(9)
    n = 300
    x = rng.standard_normal(n)
    m = 0.5 * x + rng.standard_normal(n)
    y = 0.4 * m + 0.2 * x + rng.standard_normal(n)
    d = pd.DataFrame({"x": x, "m": m, "y": y, "g": np.arange(n) % 30})
    r = mediation(d, "x", "m", "y", bootstrap=299)
    fa = smf.ols("m ~ x", d).fit()
    ff = smf.ols("y ~ x + m", d).fit()
    t = r.table().set_index("term")
    assert t.loc["a", "estimate"] == pytest.approx(fa.params["x"], abs=1e-12)
    assert t.loc["indirect", "estimate"] == pytest.approx(fa.params["x"] * ff.params["m"], abs=1e-12)
    assert t.loc["direct", "std_error"] == pytest.approx(ff.get_robustcov_results("HC3").bse[1], rel=1e-10)
    hc1 = mediation(d, "x", "m", "y", bootstrap=0, cov_type="HC1")
    assert hc1.term("direct")["std_error"] == pytest.approx(ff.get_robustcov_results("HC1").bse[1], rel=1e-10)
    assert t.loc["indirect", "boot_ci_low"] < 0.2 < t.loc["indirect", "boot_ci_high"]
    again = mediation(d, "x", "m", "y", bootstrap=299)
    pd.testing.assert_frame_equal(r.table(), again.table())
    clustered = mediation(d, "x", "m", "y", cluster="g", bootstrap=99)
    assert clustered.n_clusters == 30 and "clusters of g" in clustered.bootstrap


def test_event_study_recovers_effect_path():
    d = synthetic.commune_panel(3_000, 10, n_provinces=60)
    truth = d.attrs["truth"]["effect_by_event_time"]
    r = event_study(d, "log_income_pc", "commune", "year", "ntm_year", controls=["log_resources_pc"],
                    cluster="province", bootstrap=99)
    t = r.table().set_index("term")
    for e in range(0, 6):
        est, se = t.loc[f"e={e}", "estimate"], t.loc[f"e={e}", "std_error"]
        # tolerance: within 3 bootstrap SEs and 0.015 (log points) of the true effect
        assert abs(est - truth[e]) < 3 * se and abs(est - truth[e]) < 0.015, (e, est, se)
    for e in (-3, -2, -1):
        assert abs(t.loc[f"e={e}", "estimate"]) < max(3 * t.loc[f"e={e}", "std_error"], 0.01)
    tab = r.extra["event_table"]
    w = tab.set_index("event_time")["n_treated_obs"].dropna()
    att_truth = sum(truth[int(k)] * v for k, v in w.items()) / w.sum()
    assert abs(t.loc["ATT", "estimate"] - att_truth) < 3 * t.loc["ATT", "std_error"]


def test_event_study_drops_always_treated_and_checks_cohorts():
    d = synthetic.commune_panel(300, 6, n_provinces=20)
    d["ntm_year"] = d["ntm_year"].astype("Float64")
    d.loc[d["commune"] < 5, "ntm_year"] = 2005.0  # treated before the panel starts
    r = event_study(d, "log_income_pc", "commune", "year", "ntm_year", bootstrap=0)
    assert "left out 30 treated observations" in " ".join(r.notes)
    assert "5 unit(s) treated in every observed year" in " ".join(r.notes)
    d.loc[(d["commune"] == 10) & (d["year"] == 2013), "ntm_year"] = 2014.0
    d.loc[(d["commune"] == 10) & (d["year"] != 2013), "ntm_year"] = 2015.0
    with pytest.raises(ValueError, match="differs across the rows of commune=10"):
        event_study(d, "log_income_pc", "commune", "year", "ntm_year", bootstrap=0)


def test_plot_event_study_labels_and_flags_synthetic():
    d = synthetic.commune_panel(400, 6, n_provinces=20)
    r = event_study(d, "log_income_pc", "commune", "year", "ntm_year", bootstrap=20)
    ax = plot_event_study(r, y_label="Effect on log income per capita (log points)")
    assert ax.get_title().startswith("SYNTHETIC")
    assert "years" in ax.get_xlabel() and "log points" in ax.get_ylabel()
    texts = " ".join(t.get_text() for t in ax.texts)
    assert texts.startswith("Source:") and "SYNTHETIC" in texts
    import matplotlib.pyplot as plt
    plt.close(ax.figure)


# --- the result object and errors --------------------------------------------------------------

def test_result_object_is_tidy_and_silent(panel, capsys):
    r = panel_fe(panel, "log_income_pc", "log_resources_pc", "commune", "year", cluster="province")
    assert isinstance(r, ModelResult)
    tab = r.table()
    assert list(tab.columns) == ["term", "estimate", "std_error", "ci_low", "ci_high", "p_value"]
    assert r.synthetic and r.summary().startswith("SYNTHETIC") and r.reading().startswith("SYNTHETIC")
    assert "log_resources_pc" in r.summary() and "CR1" in r.summary()
    real_looking = panel.drop(columns=["synthetic"])
    real_looking.attrs = {}
    r2 = panel_fe(real_looking, "log_income_pc", "log_resources_pc", "commune", "year", cluster="province")
    assert not r2.synthetic and not r2.summary().startswith("SYNTHETIC")
    assert r2.reading().count(".") >= 1 and "\n" not in r2.reading()
    assert capsys.readouterr().out == ""


def test_missing_values_and_singletons_are_noted(panel):
    d = panel.copy()
    d.loc[d.index[:5], "log_resources_pc"] = np.nan
    d = d[~((d["commune"] == 100) & (d["year"] > 2011))]  # commune 100 observed once
    r = panel_fe(d, "log_income_pc", "log_resources_pc", "commune", "year", cluster="province")
    notes = " ".join(r.notes)
    assert "dropped 5 of" in notes and "log_resources_pc (5)" in notes
    assert "removed 1 singleton" in notes


def test_missing_columns_raise_clear_error(panel):
    with pytest.raises(KeyError, match=r"'resources'.*'village'|'village'.*'resources'"):
        panel_fe(panel, "log_income_pc", "resources", "village", "year")
    with pytest.raises(KeyError, match="missing column"):
        resources_link(panel, "resources_pc", "income", "poverty_rate", "commune")
    with pytest.raises(KeyError, match="'cohort'"):
        event_study(panel, "log_income_pc", "commune", "year", "cohort")


def test_bad_values_raise_clear_errors(panel):
    d = panel.head(200).copy()
    d["txt"] = "x"
    with pytest.raises(TypeError, match="column 'txt' must be numeric.*row 0.*'x'"):
        panel_fe(d, "log_income_pc", "txt", "commune", "year")
    with pytest.raises(ValueError, match="absorbed"):
        d["const_in_unit"] = d["commune"] * 1.0
        panel_fe(d, "log_income_pc", "const_in_unit", "commune", "year")
    with pytest.raises(ValueError, match="rademacher' or 'webb"):
        panel_fe(d, "log_income_pc", "log_resources_pc", "commune", "year", bootstrap=9, bootstrap_weights="mammen")
    dup = pd.concat([d.head(3), d.head(1)])
    with pytest.raises(ValueError, match="more than one row for commune=0, year=2011"):
        beta_convergence(dup, "income_pc", "commune", "year")
