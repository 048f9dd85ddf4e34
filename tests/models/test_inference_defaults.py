"""Inference defaults that hold (issue 12, item 7): repeated observations of a unit are clustered by it; with fewer
than 30 clusters the wild cluster bootstrap is the default and the result says so; resources_link's intervals cover
the truth 93–97 % of 200 SYNTHETIC replications."""
import json
import sys

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
import statsmodels.formula.api as smf

import background
from ntm_analysis.data import synthetic
from ntm_analysis.models import event_study, mediation, panel_fe, resources_link
from ntm_analysis.models.bootstrap import draw_weights
from ntm_analysis.models.coverage import TERMS, resources_link_coverage

TERM_NAMES = ["a", "b", "direct", "indirect", "total"]

# --- coverage on the library's SYNTHETIC province panel (200 replications, seeds 0–199) ------------------------

#: Written out here, not through ntm_analysis.models.coverage, so that the test counts by itself.
_COVERAGE = r"""
import json
from ntm_analysis.data import synthetic
from ntm_analysis.models import resources_link
terms = ["a", "b", "direct", "indirect", "total"]
setups = {"default_clustered": {"cluster": "region"}, "unclustered_hc1": {"bootstrap": 0, "cov_type": "HC1"}}
hits = {s: dict.fromkeys(terms, 0) for s in setups}
kinds = set()
for seed in range(200):
    d = synthetic.province_panel(seed=seed)
    truth = d.attrs["truth"]["resources_link"]
    for s, kw in setups.items():
        r = resources_link(d, "resources_pc", "income_pc", "poverty_rate", "province", "year", **kw)
        t = r.coefs.set_index("term")
        for k in terms:
            hits[s][k] += bool(t.loc[k, "ci_low"] <= truth[k] <= t.loc[k, "ci_high"])
        kinds.add((s, r.se_type, r.bootstrap or "", r.n_clusters or 0))
print(json.dumps({"hits": hits, "kinds": sorted(kinds)}))
"""


@background.job("test_resources_link_intervals_cover_the_truth_93_to_97_percent")
def coverage_run(job):
    return json.loads(job.run([sys.executable, "-c", _COVERAGE], timeout=900).stdout)


@pytest.mark.slow
def test_resources_link_intervals_cover_the_truth_93_to_97_percent():
    res = coverage_run.result()
    cov = {k: v / 200 for k, v in res["hits"]["default_clustered"].items()}
    for term in TERM_NAMES:
        assert 0.93 <= cov[term] <= 0.97, (term, cov)
    kinds = {k[0]: k for k in map(tuple, res["kinds"])}
    assert "wild cluster bootstrap" in kinds["default_clustered"][1] and "webb" in kinds["default_clustered"][2]
    assert kinds["default_clustered"][3] == 6
    # the cause: treating the 63 provinces as independent (HC1) ignores the regional shocks they share; the terms
    # that involve income growth under-cover, b (the poverty equation's noise is independent) does not
    hc1 = {k: v / 200 for k, v in res["hits"]["unclustered_hc1"].items()}
    assert hc1["a"] < 0.85 and hc1["total"] < 0.90 and hc1["indirect"] < 0.90
    assert 0.93 <= hc1["b"] <= 0.97


def test_coverage_helper_counts_like_a_plain_loop():
    cov = resources_link_coverage(6, first_seed=40, n_provinces=30, n_years=5, n_regions=5, bootstrap=0)
    assert cov.attrs["se_type"].startswith("heteroskedasticity-robust (HC3")
    assert list(cov["term"]) == list(TERMS) and cov.attrs["synthetic"]
    hits = dict.fromkeys(TERMS, 0)
    for seed in range(40, 46):
        d = synthetic.province_panel(30, 5, n_regions=5, seed=seed)
        truth = d.attrs["truth"]["resources_link"]
        t = resources_link(d, "resources_pc", "income_pc", "poverty_rate", "province", "year",
                           bootstrap=0).coefs.set_index("term")
        for k in TERMS:
            hits[k] += t.loc[k, "ci_low"] <= truth[k] <= t.loc[k, "ci_high"]
    c = cov.set_index("term")
    for k in TERMS:
        assert c.loc[k, "covered"] == hits[k]
        assert c.loc[k, "coverage"] == pytest.approx(hits[k] / 6)
        assert c.loc[k, "mc_se"] == pytest.approx(np.sqrt(hits[k] / 6 * (1 - hits[k] / 6) / 6))


# --- repeated observations of a unit are clustered by the unit ------------------------------------------------

def _repeated(n_units=40, rows=3, seed=4):
    rng = np.random.default_rng(seed)
    u = np.repeat(np.arange(n_units), rows)
    shock = rng.normal(size=n_units)[u]  # a unit's rows share a shock
    x = rng.normal(size=len(u)) + shock
    m = 0.5 * x + shock + rng.normal(size=len(u))
    y = 0.4 * m + 0.2 * x + shock + rng.normal(size=len(u))
    return pd.DataFrame({"unit": u, "x": x, "m": m, "y": y})


def test_mediation_clusters_a_units_repeated_rows_by_default():
    d = _repeated()
    r = mediation(d, "x", "m", "y", unit="unit", bootstrap=0)
    ref = smf.ols("y ~ x + m", d).fit(cov_type="cluster", cov_kwds={"groups": d["unit"]})
    assert r.n_clusters == 40 and r.n_units == 40 and r.n_obs == 120
    assert r.term("b")["std_error"] == pytest.approx(ref.bse["m"], rel=1e-10)
    assert r.term("direct")["std_error"] == pytest.approx(ref.bse["x"], rel=1e-10)
    assert r.ci_df == 39 and "by unit, 40 clusters" in r.se_type
    assert any("clustered by unit" in n for n in r.notes)
    # told otherwise: rows treated as independent (HC3), and a note says what that assumes
    flat = mediation(d, "x", "m", "y", unit="unit", cluster=False, bootstrap=0)
    hc3 = smf.ols("y ~ x + m", d).fit(cov_type="HC3")
    assert flat.n_clusters is None and flat.term("b")["std_error"] == pytest.approx(hc3.bse["m"], rel=1e-10)
    assert any("cluster=False" in n and "independent" in n for n in flat.notes)
    # one row per unit: nothing to cluster
    one = mediation(d.drop_duplicates("unit"), "x", "m", "y", unit="unit", bootstrap=0)
    assert one.n_clusters is None and "HC3" in one.se_type


def test_resources_link_with_rows_already_per_unit_clusters_repeated_units():
    d = _repeated()
    d["res"] = np.exp(d["x"])
    r = resources_link(d, "res", "m", "y", "unit", time=None, bootstrap=0)
    assert r.n_clusters == 40 and r.n_units == 40 and r.n_obs == 120
    cs = r.extra["cross_section"]
    ref = sm.OLS(cs["income_growth"], sm.add_constant(cs["log_resources"])).fit(
        cov_type="cluster", cov_kwds={"groups": cs["unit"]})
    assert r.term("a")["std_error"] == pytest.approx(ref.bse["log_resources"], rel=1e-10)


# --- fewer than 30 clusters: the wild cluster bootstrap is the default -----------------------------------------

def _few(G=8, per=10, seed=3):
    rng = np.random.default_rng(seed)
    g = np.repeat(np.arange(G), per)
    x = rng.normal(size=G)[g] + rng.normal(size=len(g))
    m = 0.6 * x + rng.normal(size=G)[g] + rng.normal(size=len(g))
    y = 0.5 * m + rng.normal(size=G)[g] + rng.normal(size=len(g))
    return pd.DataFrame({"g": g, "x": x, "m": m, "y": y})


def _wcr_p(X, y, cl, W, j, b0):
    """Brute-force restricted wild cluster bootstrap p-value of H0: beta_j = b0 (CR1 t statistics)."""
    n, k = X.shape
    G = cl.max() + 1
    c = G / (G - 1) * (n - 1) / (n - k)

    def fit(yy):
        A = np.linalg.inv(X.T @ X)
        b = A @ X.T @ yy
        e = yy - X @ b
        S = np.column_stack([np.bincount(cl, X[:, i] * e, minlength=G) for i in range(k)])
        return b, np.sqrt(np.diag(c * A @ S.T @ S @ A))

    b, se = fit(y)
    o = [i for i in range(k) if i != j]
    yr = y - b0 * X[:, j]
    g = np.linalg.lstsq(X[:, o], yr, rcond=None)[0]
    u = yr - X[:, o] @ g
    t_obs = abs(b[j] - b0) / se[j]
    ts = []
    for w in W.T:
        bs, ses = fit(X[:, o] @ g + b0 * X[:, j] + u * w[cl])
        ts.append(abs(bs[j] - b0) / ses[j])
    return np.mean(np.array(ts) >= t_obs - 1e-12 * max(t_obs, 1.0))


def test_mediation_with_few_clusters_reports_the_wild_cluster_bootstrap():
    d = _few()
    B, seed = 199, 5
    r = mediation(d, "x", "m", "y", cluster="g", bootstrap=B, seed=seed)
    t = r.table().set_index("term")
    for term in ("a", "b", "direct", "total"):  # the bootstrap's p and interval are the result's
        assert t.loc[term, "p_value"] == t.loc[term, "boot_p_value"]
        assert (t.loc[term, "ci_low"], t.loc[term, "ci_high"]) == (t.loc[term, "boot_ci_low"], t.loc[term, "boot_ci_high"])
        assert t.loc[term, "ci_low"] < t.loc[term, "estimate"] < t.loc[term, "ci_high"]
    # a's p-value and interval by hand: WCR with Webb weights (8 clusters < 12), the first draws of the seed
    X = np.column_stack([np.ones(len(d)), d["x"]])
    W = draw_weights("webb", 8, B, np.random.default_rng(seed))
    cl = d["g"].to_numpy()
    assert t.loc["a", "p_value"] == pytest.approx(_wcr_p(X, d["m"].to_numpy(), cl, W, 1, 0.0), abs=1e-12)
    lo, hi = t.loc["a", "ci_low"], t.loc["a", "ci_high"]
    width = hi - lo
    for bound in (lo, hi):  # test inversion: just inside the interval p > 0.05, just outside p ≤ 0.05
        inside = bound + (1e-3 if bound == lo else -1e-3) * width
        outside = bound - (1e-3 if bound == lo else -1e-3) * width
        assert _wcr_p(X, d["m"].to_numpy(), cl, W, 1, inside) > 0.05
        assert _wcr_p(X, d["m"].to_numpy(), cl, W, 1, outside) <= 0.05
    # the indirect effect: delta method with the CR1 SEs on t(G−1); joint-significance bootstrap p
    from scipy import stats
    ind = t.loc["indirect"]
    q = stats.t(7).ppf(0.975)
    assert (ind["ci_low"], ind["ci_high"]) == pytest.approx((ind["estimate"] - q * ind["std_error"],
                                                             ind["estimate"] + q * ind["std_error"]))
    assert ind["boot_p_value"] == max(t.loc["a", "boot_p_value"], t.loc["b", "boot_p_value"])
    # the result says so: se_type, bootstrap, a note, the summary
    assert "wild cluster bootstrap" in r.se_type and "webb" in r.bootstrap and "8 clusters" in r.bootstrap
    assert any(n.startswith("only 8 clusters (fewer than 30)") for n in r.notes)
    assert "Bootstrap: wild cluster bootstrap" in r.summary()


def test_cr1_with_few_clusters_is_never_reported_without_a_warning():
    d = _few()
    r = mediation(d, "x", "m", "y", cluster="g", bootstrap=0)
    ref = smf.ols("m ~ x", d).fit(cov_type="cluster", cov_kwds={"groups": d["g"]}, use_t=True)
    assert r.term("a")["std_error"] == pytest.approx(ref.bse["x"], rel=1e-10)
    assert r.ci_df == 7 and r.bootstrap is None
    assert any(n.startswith("WARNING: only 8 clusters") and "too narrow" in n for n in r.notes)
    assert "WARNING: only 8 clusters" in r.summary()
    many = mediation(_few(G=30, per=4), "x", "m", "y", cluster="g", bootstrap=0)  # 30 clusters: CR1, no warning
    assert many.n_clusters == 30 and not any("WARNING" in n for n in many.notes)


@pytest.mark.parametrize("G, weights", [(8, "webb"), (12, "rademacher")])
def test_panel_fe_with_few_clusters_defaults_to_the_wild_cluster_bootstrap(G, weights):
    d = synthetic.commune_panel(10 * G, 5, n_provinces=G, seed=11)
    r = panel_fe(d, "log_income_pc", "log_resources_pc", "commune", "year", cluster="province")
    row = r.term("log_resources_pc")
    assert r.n_clusters == G and weights in r.bootstrap and "999 draws" in r.bootstrap
    assert (row["p_value"], row["ci_low"], row["ci_high"]) == (row["boot_p_value"], row["boot_ci_low"],
                                                              row["boot_ci_high"])
    assert "wild cluster bootstrap" in r.se_type and any(n.startswith(f"only {G} clusters") for n in r.notes)
    # the same fit asked for no bootstrap: CR1 t(G−1), with a warning
    cr1 = panel_fe(d, "log_income_pc", "log_resources_pc", "commune", "year", cluster="province", bootstrap=0)
    c = cr1.term("log_resources_pc")
    assert c["std_error"] == pytest.approx(row["std_error"], rel=1e-12) and "boot_p_value" not in cr1.coefs
    assert any(n.startswith(f"WARNING: only {G} clusters") for n in cr1.notes)


def test_panel_fe_with_30_clusters_or_more_keeps_cr1_without_bootstrap():
    d = synthetic.commune_panel(300, 5, n_provinces=30, seed=11)
    r = panel_fe(d, "log_income_pc", "log_resources_pc", "commune", "year", cluster="province")
    assert r.n_clusters == 30 and r.bootstrap is None and "boot_p_value" not in r.coefs
    assert not any("clusters (fewer than 30)" in n for n in r.notes)


def test_event_study_with_few_clusters_uses_t_and_warns():
    d = synthetic.commune_panel(200, 6, n_provinces=10, seed=2)
    r = event_study(d, "log_income_pc", "commune", "year", "ntm_year", cluster="province", bootstrap=29)
    assert r.n_clusters == 10 and r.ci_reference == "t" and r.ci_df == 9
    att = r.term("ATT")
    from scipy import stats
    q = stats.t(9).ppf(0.975)
    assert (att["ci_low"], att["ci_high"]) == pytest.approx((att["estimate"] - q * att["std_error"],
                                                             att["estimate"] + q * att["std_error"]))
    assert any(n.startswith("WARNING: only 10 clusters") for n in r.notes) and "t(9)" in r.se_type
    # by default the clusters are the units (their repeated observations resampled together): 200 of them, normal
    default = event_study(d, "log_income_pc", "commune", "year", "ntm_year", bootstrap=9)
    assert default.n_clusters == 200 and default.ci_reference == "normal"
