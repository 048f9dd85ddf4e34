"""Each research notebook executed once (small parameters), its recorded values (``ntm_analysis.glue``) read back
and checked by value: against the library computing the same thing in this process, and against truths known
without the library (the seed articles' arithmetic, 63 provinces, the SYNTHETIC parameters).

The province report notebook is executed by the report tests' golden outputs, not here. To execute every notebook
as stored, at full size, run ``pytest --nbval-lax notebooks/`` (not part of ``make test``).

Each notebook is executed by papermill, cold, in its own process, as a background job (tests/background.py) started
when collection ends: it runs while the tests before these run, and the module fixtures wait for its output.
"""
import json
import math
import sys
from pathlib import Path

import pytest

import background
from ntm_analysis.glue import _plain, read_glue

NB = Path(__file__).resolve().parents[2] / "notebooks"

_PAPERMILL = ("import json, sys, papermill as pm; pm.execute_notebook(sys.argv[1], sys.argv[2], "
              "parameters=json.loads(sys.argv[3]), kernel_name='python3', progress_bar=False)")


def _execute(job, name, **params) -> Path:
    """``name`` executed with papermill (fresh kernel) in a subprocess of ``job``; the executed notebook's path."""
    out = job.tmp / name
    job.run([sys.executable, "-c", _PAPERMILL, str(NB / name), str(out), json.dumps(params)], timeout=900)
    return out


def _same(glued, computed, rel=1e-9):
    """``glued`` (read back from the notebook) equals ``computed`` (this process) after the same conversion to JSON
    types: numbers to ``rel``, gaps (None) where the library has a gap, everything else exactly."""
    expected = _plain(computed)

    def check(a, b, where):
        if isinstance(b, dict):
            assert isinstance(a, dict) and set(a) == set(b), (where, a, b)
            for k in b:
                check(a[k], b[k], f"{where}.{k}")
        elif isinstance(b, list):
            assert isinstance(a, list) and len(a) == len(b), (where, a, b)
            for i, (x, y) in enumerate(zip(a, b)):
                check(x, y, f"{where}[{i}]")
        elif isinstance(b, float) and not isinstance(b, bool):
            assert a == pytest.approx(b, rel=rel, abs=1e-12), where
        else:
            assert a == b, (where, a, b)

    check(glued, expected, "value")


def _term(glued_model, term):
    return next(t for t in glued_model["terms"] if t["term"] == term)


# --- national overview ---------------------------------------------------------------------------------------

@background.job("test_national_overview_covers_the_63_provinces", "test_national_overview_models_equal_the_library",
                "test_national_overview_resource_associations_equal_the_library",
                "test_national_overview_maps_equal_the_library",
                "test_national_overview_maps_show_in_chromium",
                "test_national_overview_text_is_readable_and_each_model_line_its_own_paragraph")
def overview_run(job):
    return _execute(job, "national_overview.ipynb", bootstrap=49)


@pytest.fixture(scope="module")
def overview():
    return read_glue(overview_run.result())


def test_national_overview_covers_the_63_provinces(overview):
    from ntm_analysis.analyses import national
    frame = national.analysis_frame()
    assert overview["n_provinces"] == frame.code.nunique() == 63
    assert overview["survey_years"] == sorted(int(y) for y in frame.year.unique())


def test_national_overview_maps_equal_the_library(overview):
    """The Maps section draws every headline map of the library, each with its number of provinces with a figure
    (income and the multidimensional poverty rate of 2023 for all 63; the NTM shares only where reported)."""
    from ntm_analysis.report.map_values import headline_map_values
    maps = headline_map_values("en")
    assert overview["map_keys"] == [m["key"] for m in maps]
    assert overview["map_provinces_with_figure"] == {m["key"]: m["n"] for m in maps}
    assert overview["map_provinces_with_figure"]["income"] == 63
    assert overview["map_provinces_with_figure"]["poverty_multidimensional"] == 63
    assert overview["map_provinces_with_figure"]["ntm_communes_end-2020"] < 63


def test_national_overview_maps_show_in_chromium(chromium, tmp_path):
    """The executed overview exported as the site exports it (ntm_analysis.render.execute.export_html), opened in
    headless Chromium: every map image of the Maps section decodes, and a screenshot of each as the browser draws it
    is not blank (many colours, most of it not background)."""
    import base64

    import nbformat

    import browser
    from ntm_analysis.render.execute import export_html
    from ntm_analysis.report.map_values import headline_map_values

    html = tmp_path / "national_overview.html"
    html.write_text(export_html(nbformat.read(overview_run.result(), as_version=4), show_code=False,
                                title="National overview"), encoding="utf-8")
    with chromium.open(html.resolve().as_uri()) as page:
        boxes = page.evaluate(
            "(async () => { const hs = Array.from(document.querySelectorAll('h2'));"
            " const i = hs.findIndex(h => h.textContent.trim().startsWith('Maps'));"
            " if (i < 0) return null; const start = hs[i], end = hs[i + 1] || null;"
            " const imgs = Array.from(document.images).filter(img =>"
            "   (start.compareDocumentPosition(img) & Node.DOCUMENT_POSITION_FOLLOWING) &&"
            "   (!end || (end.compareDocumentPosition(img) & Node.DOCUMENT_POSITION_PRECEDING)));"
            " const out = []; for (const img of imgs) { await img.decode(); img.scrollIntoView();"
            "   const r = img.getBoundingClientRect();"
            "   out.push({x: r.x + window.scrollX, y: r.y + window.scrollY, width: r.width, height: r.height,"
            "             w: img.naturalWidth, h: img.naturalHeight}); } return out; })()")
        assert boxes is not None, "no 'Maps' heading in the overview"
        assert len(boxes) == len(headline_map_values("en")), boxes
        assert page.undecoded_images() == [] and page.console_errors() == []
        shots = []
        for b in boxes:  # each map as the browser draws it (document coordinates)
            assert b["w"] >= 300 and b["h"] >= 300, b
            shots.append(base64.b64decode(page.browser.send("Page.captureScreenshot", {
                "format": "png", "captureBeyondViewport": True,
                "clip": {"x": b["x"], "y": b["y"], "width": b["width"], "height": b["height"], "scale": 1}},
                session=page.session)["data"]))
    for shot in shots:
        assert browser.screenshot_problems(shot) == []


def test_national_overview_models_equal_the_library(overview):
    from ntm_analysis.analyses import national
    models = national.fit_national_models(bootstrap=49)
    for name in ("poverty_income_fe", "beta_income", "sigma_income"):
        result = getattr(models, name)
        _same(overview[name], {"terms": result.table(), "n_obs": result.n_obs, "n_clusters": result.n_clusters,
                               "se_type": result.se_type})
    fe = overview["poverty_income_fe"]
    assert fe["n_clusters"] == 63 and "boot_p_value" in _term(fe, "ln_income_real")  # the wild bootstrap ran
    e = _term(fe, "ln_income_real")
    assert e["ci_low"] < e["estimate"] < e["ci_high"]


def test_national_overview_resource_associations_equal_the_library(overview):
    """Every headline association the overview shows (n, slope and 95 % CI, verdict, every excluded province with
    its reason, the robustness table, the specification curve) equals the library's, and holds together by value:
    sample and excluded make the 63 provinces, the verdict follows the interval, the baseline row is the slope."""
    from ntm_analysis.analyses import national
    from ntm_analysis.analyses.resources import HEADLINE_ASSOCIATIONS
    from ntm_analysis.report import resources_section as rs
    models = national.fit_national_models(bootstrap=49)
    expected = [rs.headline_record(a) for a in rs.from_national(models)]
    glued = overview["resource_associations"]
    assert len(glued) == len(HEADLINE_ASSOCIATIONS) > 0
    _same(glued, expected)
    for g in glued:
        assert g["n"] == len(g["sample"]) and g["n"] + len(g["excluded"]) == 63
        assert not {e["code"] for e in g["excluded"]} & set(g["sample"])
        assert all(e["name"] and e["reason"] for e in g["excluded"])
        base = [r for r in g["robustness"] if r["baseline"]]
        assert len(base) == 1 and base[0]["estimate"] == pytest.approx(g["estimate"]) and base[0]["n"] == g["n"]
        assert g["ci_low"] < g["estimate"] < g["ci_high"]
        code = g["verdict"]["code"]
        assert (code == "no_clear") == (g["ci_low"] <= 0 <= g["ci_high"])
        if code.startswith("robust_"):
            assert g["verdict"]["loo_min"] * g["verdict"]["loo_max"] > 0 and g["verdict"]["share_specs_same_sign"] >= 0.9
            assert ("positive" in g["verdict_text"]) == (g["estimate"] > 0)
        else:
            assert "positive" not in g["verdict_text"] and "negative" not in g["verdict_text"]
        assert len(g["curve_estimates"]) == 32
    reported = [rs.association_label(a, "en") for a in rs.from_national(models) if a.reported]
    assert overview["compared_models"] == ["poverty ~ income (two-way FE)", "beta convergence", *reported]


def test_national_overview_text_is_readable_and_each_model_line_its_own_paragraph():
    """The executed overview as nbconvert renders it: numbers written as numbers ("2010, 2012, …", never
    "np.int64(2010)"), and each line of each model's summary its own paragraph (they used to run together)."""
    import nbformat
    from bs4 import BeautifulSoup
    from nbconvert import HTMLExporter

    nb = nbformat.read(overview_run.result(), as_version=4)
    shown = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            shown += [str(data.get(k, "")) for k in ("text/markdown", "text/plain", "text/html")]
            shown.append(str(out.get("text", "")))
    text = "\n".join(shown)
    assert "np.int64" not in text and "np.float64" not in text
    assert "63 provinces, survey years 2010, 2012, 2013, 2014, 2015, 2016;" in text
    html, _ = HTMLExporter().from_notebook_node(nb)
    paragraphs = [p.get_text() for p in BeautifulSoup(html, "html.parser").find_all("p")]
    observations = [p for p in paragraphs if p.startswith("Observations:")]
    assert len(observations) == 3  # the two-way FE, β- and σ-convergence: one paragraph each
    assert all("Standard errors" not in p and "Bootstrap" not in p for p in observations)
    assert len([p for p in paragraphs if p.startswith("Standard errors:")]) == 3
    assert len([p for p in paragraphs if p.startswith("Bootstrap: wild cluster bootstrap")]) == 1
    assert len([p for p in paragraphs if p.startswith("Reading. ")]) == 3
    assert not [p for p in paragraphs if "dependent variable" in p and "Observations" in p]


# --- case studies --------------------------------------------------------------------------------------------

@background.job("test_case_studies_claims_equal_the_library", "test_case_studies_claims_by_hand",
                 "test_case_studies_show_every_seed_figure")
def case_studies_run(job):
    return _execute(job, "case_studies.ipynb")


@pytest.fixture(scope="module")
def case_studies():
    return read_glue(case_studies_run.result())


def _claim(glued, start):
    [row] = [c for c in glued["claims"] if c["claim"].startswith(start)]
    return row


def test_case_studies_claims_equal_the_library(case_studies):
    from ntm_analysis.analyses import case_studies as cs
    _same(case_studies["claims"], cs.claims_table()[["claim", "recomputed_value", "unit", "consistent_with_article"]])


def test_case_studies_claims_by_hand(case_studies):
    """The seed articles' figures, recomputed here by arithmetic alone."""
    pp = _claim(case_studies, "Y Tý poverty rate: average yearly decrease 2021–2025, read as percentage points")
    assert pp["recomputed_value"] == pytest.approx((20.42 - 50.79) / 4) and pp["unit"] == "pp/year"
    assert pp["consistent_with_article"] is True  # the article's "7.6 %" is percentage points
    compound = _claim(case_studies, "Y Tý poverty rate: average yearly decrease 2021–2025, read as a compound")
    assert compound["recomputed_value"] == pytest.approx(((20.42 / 50.79) ** 0.25 - 1) * 100)
    assert compound["consistent_with_article"] is False
    plan = _claim(case_studies, "Đắk Ha income per capita 2024: the plan implied")
    assert plan["recomputed_value"] == pytest.approx(50.89 / 1.13)
    communes = _claim(case_studies, "Đắk Nông communes meeting NTM standards by 2020")
    assert communes["recomputed_value"] == pytest.approx(29 / 18 * 100) and communes["unit"] == "% of target"
    assert communes["consistent_with_article"] is None  # no claim of the article to compare: a gap, not False
    assert _claim(case_studies, "Đắk Ha poverty rate: average yearly change 2020–2024")["recomputed_value"] == \
        pytest.approx((10.14 - 40.81) / 4)


def test_case_studies_show_every_seed_figure(case_studies):
    from ntm_analysis.data.ntm_provincial import load_seed_facts
    facts = load_seed_facts()
    assert case_studies["facts_per_article"] == facts.groupby("article").size().to_dict()
    assert sum(case_studies["facts_per_article"].values()) == len(facts) == 41


# --- method validation (SYNTHETIC) ---------------------------------------------------------------------------

N_UNITS, BOOTSTRAP, SEED, COVERAGE_REPS = 300, 29, 20251, 8


@background.job("test_method_validation_is_synthetic_and_recovers_the_truth", "test_method_validation_equals_the_library")
def validation_run(job):
    return _execute(job, "method_validation.ipynb", n_units=N_UNITS, bootstrap=BOOTSTRAP,
                    coverage_replications=COVERAGE_REPS)


@pytest.fixture(scope="module")
def validation():
    return read_glue(validation_run.result())


def test_method_validation_is_synthetic_and_recovers_the_truth(validation):
    assert validation["synthetic"] == dict.fromkeys(("panel_fe", "panel_fe_resources", "event_study",
                                                     "beta_convergence", "resources_link"), True)
    link = validation["resources_link"]
    assert link["truth"] == {"a": 1.0, "b": 0.8, "indirect": pytest.approx(0.8), "direct": 0.0,
                             "total": pytest.approx(0.8)}
    assert link["n_clusters"] == 6 and "wild cluster bootstrap" in link["se_type"]
    cov = validation["coverage"]
    assert cov["replications"] == COVERAGE_REPS
    for when in ("before", "after"):
        assert [t["term"] for t in cov[when]] == ["a", "b", "direct", "indirect", "total"]
        for t in cov[when]:
            assert t["mc_se"] == pytest.approx(math.sqrt(t["coverage"] * (1 - t["coverage"]) / COVERAGE_REPS))
    assert validation["panel"]["communes"] == N_UNITS
    el = validation["elasticity_poverty_income"]
    est = _term(el, "log_income_pc")
    assert el["truth"] == pytest.approx(-0.8)
    assert est["estimate"] == pytest.approx(el["truth"], abs=0.05)
    assert est["ci_low"] <= el["truth"] <= est["ci_high"]
    res = validation["elasticity_income_resources"]
    assert _term(res, "log_resources_pc")["estimate"] == pytest.approx(res["truth"], abs=0.05)
    beta = validation["beta_convergence"]
    assert _term(beta, "log_initial")["estimate"] == pytest.approx(beta["truth"], abs=0.01)


def test_method_validation_equals_the_library(validation):
    from ntm_analysis import models
    from ntm_analysis.data import synthetic
    df = synthetic.commune_panel(N_UNITS, 10, seed=SEED)
    assert validation["panel"] == {"rows": len(df), "communes": df.commune.nunique(),
                                   "provinces": df.province.nunique(), "truth": _plain(df.attrs["truth"])}
    fe = models.panel_fe(df, "log_poverty_rate", "log_income_pc", entity="commune", time="year", cluster="province",
                         bootstrap=BOOTSTRAP, seed=SEED)
    _same(validation["elasticity_poverty_income"]["terms"], fe.table())
    assert (validation["elasticity_poverty_income"]["n_obs"], validation["elasticity_poverty_income"]["n_clusters"]) \
        == (fe.n_obs, fe.n_clusters)
    fe2 = models.panel_fe(df, "log_income_pc", "log_resources_pc", entity="commune", time="year", cluster="province")
    _same(validation["elasticity_income_resources"]["terms"], fe2.table())
    es = models.event_study(df, "log_income_pc", entity="commune", time="year", cohort="ntm_year",
                            cluster="province", bootstrap=BOOTSTRAP, seed=SEED)
    _same(validation["event_study"]["terms"], es.table())
    cp = synthetic.convergence_panel(seed=SEED)
    beta = models.beta_convergence(cp, "income_pc", unit="unit", time="year")
    _same(validation["beta_convergence"], {"truth": cp.attrs["truth"]["beta"], "terms": beta.table()})
    pp = synthetic.province_panel(seed=SEED)
    link = models.resources_link(pp, "resources_pc", "income_pc", "poverty_rate", "province", "year",
                                 cluster="region", seed=SEED)
    _same(validation["resources_link"], {"truth": pp.attrs["truth"]["resources_link"], "terms": link.table(),
                                         "n_clusters": link.n_clusters, "se_type": link.se_type})
    from ntm_analysis.models.coverage import resources_link_coverage
    cols = ["term", "coverage", "mc_se"]
    _same(validation["coverage"], {"replications": COVERAGE_REPS,
                                   "before": resources_link_coverage(COVERAGE_REPS, bootstrap=0, cov_type="HC1")[cols],
                                   "after": resources_link_coverage(COVERAGE_REPS, cluster="region")[cols]})
    assert not math.isnan(validation["beta_convergence"]["truth"])
