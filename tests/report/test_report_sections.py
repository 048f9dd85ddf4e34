"""The report's growth elasticity, model and seed case-study sections (ntm_analysis.report.sections) on the real
data: values recomputed here by hand from data/raw and data/seeds, read with the csv module (not the library),
and two real renders (Lào Cai, which has a seed article; Hà Giang, which has none)."""
import base64
import csv
import io
import json
import math
import re
import shutil

import numpy as np
import pytest
from bs4 import BeautifulSoup
from PIL import Image

from ntm_analysis import paths
from ntm_analysis.report import figures as plots, content as report, sections
from ntm_analysis.report.params import ReportParams
from ntm_analysis.render import render

RAW = paths.raw_dir()
SEEDS = paths.data_dir() / "seeds" / "seed_articles_figures.csv"
LAO_CAI = ReportParams(province="Lào Cai").validate()
HA_GIANG = ReportParams(province="Hà Giang").validate()


# --- data/raw read by hand --------------------------------------------------------------------------------------
def _raw(file: str, column: str) -> dict[tuple[str, int], float]:
    """Province rows of a raw file: (code, year) → value (blank cells are left out: a gap)."""
    with open(RAW / file, encoding="utf-8-sig", newline="") as fh:
        return {(r["province_code"], int(r["year"])): float(r[column]) for r in csv.DictReader(fh)
                if r["level"] == "province" and r[column].strip() != ""}


INCOME = _raw("income_per_capita_monthly_by_province.csv", "income_total")
POVERTY = _raw("poverty_rate_by_province_gso.csv", "poverty_rate_pct")
with open(RAW / "cpi_national_annual_gso.csv", encoding="utf-8-sig", newline="") as _fh:
    CPI = {int(r["year"]): float(r["cpi_prev_year_100"]) for r in csv.DictReader(_fh)}


def _dln_real_income(code: str, y0: int, y1: int) -> float:
    """ln of real income growth: nominal growth less the CPI links y0+1 … y1 (previous year = 100)."""
    return (math.log(INCOME[(code, y1)] / INCOME[(code, y0)])
            - sum(math.log(CPI[k] / 100) for k in range(y0 + 1, y1 + 1)))


def _row(df, **match):
    sel = np.ones(len(df), dtype=bool)
    for k, v in match.items():
        sel &= (df[k] == v).to_numpy()
    assert sel.sum() == 1, match
    return df[sel].iloc[0]


# --- 1. elasticity ----------------------------------------------------------------------------------------------
def test_elasticity_of_lao_cai_2012_2014_is_the_hand_computation():
    ctx = report.ReportContext.load(LAO_CAI)
    rec = sections.elasticity_records(ctx)
    r = _row(rec, y0=2012, y1=2014)
    # data/raw: poverty 32.9 → 25.3 %; nominal income deflated by the CPI links of 2013 and 2014
    dlp = math.log(POVERTY[("10", 2014)] / POVERTY[("10", 2012)])
    dli = _dln_real_income("10", 2012, 2014)
    assert (POVERTY[("10", 2012)], POVERTY[("10", 2014)]) == (32.9, 25.3)
    assert r["computed"] and r["poverty0"] == 32.9 and r["poverty1"] == 25.3
    assert r["elasticity"] == pytest.approx(dlp / dli, rel=1e-12)
    assert round(dlp / dli, 2) == -1.32
    assert r["income_growth_real_pct"] == pytest.approx(math.expm1(dli) * 100, rel=1e-12)
    assert r["poverty_measure"] == "gso_income_line_2011_2015" and r["status"] == "final"
    table = sections.elasticity_table(ctx)
    shown = table[table["Period"] == "2012–2014"].iloc[0]
    assert shown["Elasticity"] == "-1.32" and shown["Poverty rate, start → end (%)"] == "32.9 → 25.3"


def test_elasticity_refuses_a_change_of_measure_and_says_why():
    ctx = report.ReportContext.load(LAO_CAI)
    r = _row(sections.elasticity_records(ctx), y0=2016, y1=2023)
    assert not r["computed"] and math.isnan(r["elasticity"]) and math.isnan(r["income_growth_real_pct"])
    assert r["reasons"] == [{"kind": "measure_break", "y0": 2016, "m0": "gso_income_line_2011_2015", "y1": 2023,
                             "m1": "gso_multidimensional_2022_2025"}]
    note = sections.elasticity_note(r, "en")
    assert note.startswith("not computed: the poverty measure changes between 2016 (income poverty line 2011–2015) "
                           "and 2023 (multidimensional standard 2022–2025)")
    row = sections.elasticity_table(ctx).iloc[3]
    assert row["Elasticity"] == "—" and row["Note"] == note
    vi = sections.elasticity_note(r, "vi")
    assert vi.startswith("không tính: chuẩn nghèo thay đổi giữa năm 2016")


def test_elasticity_refuses_missing_and_zero_inputs_naming_them():
    # data/raw: Hồ Chí Minh has no 2016 poverty row and a 0.0 rate in 2014
    assert ("79", 2016) not in POVERTY and POVERTY[("79", 2014)] == 0.0
    ctx = report.ReportContext.load(ReportParams(province="Hồ Chí Minh").validate())
    rec = sections.elasticity_records(ctx)
    r = _row(rec, y0=2014, y1=2016)
    assert not r["computed"]
    assert r["reasons"] == [{"kind": "zero_poverty", "year": 2014}, {"kind": "missing_poverty", "year": 2016}]
    assert sections.elasticity_note(r, "en") == ("not computed: the poverty rate is 0 in 2014 (its logarithm is "
                                                 "undefined); no published poverty rate for 2016")
    span = _row(rec, y0=2010, y1=2016)
    assert span["kind"] == "span" and not span["computed"]


def test_a_tiny_income_change_is_flagged_not_hidden():
    ctx = report.ReportContext.load(LAO_CAI)
    r = _row(sections.elasticity_records(ctx), y0=2010, y1=2012)
    dli = _dln_real_income("10", 2010, 2012)
    assert abs(dli) < sections.UNSTABLE_DLN_INCOME and round(math.expm1(dli) * 100, 1) == 2.3
    assert r["computed"] and sections.elasticity_note(r, "en").startswith("real income changed by only 2.3 %")


# --- 2. the model -----------------------------------------------------------------------------------------------
def _hand_model(y0=2010, y1=2016):
    codes = sorted({c for c, _ in INCOME})
    keep = [c for c in codes if all((c, y) in INCOME and POVERTY.get((c, y), 0) > 0 for y in (y0, y1))]
    x = np.array([_dln_real_income(c, y0, y1) for c in keep])
    y = np.array([math.log(POVERTY[(c, y1)] / POVERTY[(c, y0)]) for c in keep])
    X = np.column_stack([np.ones_like(x), x])
    beta, *_ = np.linalg.lstsq(X, y, rcond=None)
    e = y - X @ beta
    n = len(keep)
    bread = np.linalg.inv(X.T @ X)
    hc1 = n / (n - 2) * bread @ (X.T * e ** 2) @ X @ bread
    return keep, beta, np.sqrt(np.diag(hc1)), dict(zip(keep, e))


def test_model_sample_estimate_and_lao_cai_residual_are_the_hand_computation():
    keep, beta, se, resid = _hand_model()
    # Bình Dương (0 % in 2016) and Hồ Chí Minh (no 2016 rate) cannot enter a model in logs
    assert set(sorted({c for c, _ in INCOME})) - set(keep) == {"74", "79"}
    model = sections.fit_province_model(2010, 2016)
    cs = model.cross_section
    assert cs.n_obs == len(keep) == 61
    assert cs.term("dln_income")["estimate"] == pytest.approx(beta[1], rel=1e-10)
    assert cs.term("const")["estimate"] == pytest.approx(beta[0], rel=1e-10)
    assert cs.term("dln_income")["std_error"] == pytest.approx(se[1], rel=1e-10)
    lo, hi = cs.term("dln_income")[["ci_low", "ci_high"]]
    assert lo < beta[1] < hi and hi - lo == pytest.approx(2 * 2.000995 * se[1], rel=1e-4)  # t(59) 97.5 %
    lao = _row(model.frame, code="10")
    assert lao["residual"] == pytest.approx(resid["10"], rel=1e-9)
    assert resid["10"] > 0  # Lào Cai reduced poverty less than its income growth predicts
    assert lao["predicted_poverty1"] == pytest.approx(POVERTY[("10", 2010)] * math.exp(lao["predicted"]), rel=1e-12)
    left = model.frame[~model.frame["in_model"]]
    assert sorted(left["code"]) == ["74", "79"]
    assert _row(left, code="74")["reasons"] == [{"kind": "zero_poverty", "year": 2016}]
    assert model.fe is not None and model.fe.n_clusters == 63


def test_model_is_fitted_once_per_data_version(tmp_path):
    first = sections.fit_province_model(2010, 2016)
    hits = sections._fit_cached.cache_info().hits
    ctx = report.ReportContext.load(HA_GIANG)
    assert sections.province_model(ctx) is first  # a new report on the same data reuses the fit
    assert sections._fit_cached.cache_info().hits == hits + 1
    # another data folder whose one figure differs: another fit, the first stays cached
    data = tmp_path / "data"
    shutil.copytree(paths.data_dir(), data, ignore=shutil.ignore_patterns(".cache"))
    f = data / "raw" / "poverty_rate_by_province_gso.csv"
    text = f.read_text(encoding="utf-8")
    old = "province,Northern midlands and mountain areas,10,Tỉnh Lào Cai,Lao Cai,2016,preliminary,18.1,"
    assert text.count(old) == 1
    f.write_text(text.replace(old, old.replace(",18.1,", ",9.0,")), encoding="utf-8")
    other = sections.fit_province_model(2010, 2016, data_dir=str(data))
    assert other is not first and other.cross_section.n_obs == 61
    assert _row(other.frame, code="10")["residual"] < 0 < _row(first.frame, code="10")["residual"]
    assert sections.fit_province_model(2010, 2016) is first


def test_2025_report_highlights_its_constituents():
    ctx = report.ReportContext.load(ReportParams(province="Lâm Đồng", vintage=2025).validate())
    rec = sections.model_records(ctx)
    assert list(rec["code"]) == ["60", "67", "68"]
    _, _, _, resid = _hand_model()
    for code in ("60", "67", "68"):
        assert _row(rec, code=code)["residual"] == pytest.approx(resid[code], rel=1e-9)
    assert "is not a unit of the model" in sections.model_html(ctx)


# --- 3. the seed case studies -----------------------------------------------------------------------------------
def _seed_rows() -> dict[str, dict]:
    with open(SEEDS, encoding="utf-8-sig", newline="") as fh:
        return {r["fact_id"]: r for r in csv.DictReader(fh)}


def test_lao_cai_case_study_recomputes_the_article_beside_its_words():
    facts = _seed_rows()
    ctx = report.ReportContext.load(LAO_CAI)
    claims = sections.seed_case(ctx)
    assert list(claims["kind"]) == ["avg_pp", "avg_compound"] and set(claims["place"]) == {"Y Tý"}
    v0, v1 = float(facts["laocai-008"]["value"]), float(facts["laocai-009"]["value"])
    assert (v0, v1) == (50.79, 20.42)
    pp = _row(claims, kind="avg_pp")
    assert pp["recomputed_value"] == pytest.approx((v1 - v0) / 4, rel=1e-12) and bool(pp["consistent"])
    cr = _row(claims, kind="avg_compound")
    assert cr["recomputed_value"] == pytest.approx(((v1 / v0) ** 0.25 - 1) * 100, rel=1e-12)
    assert not bool(cr["consistent"])  # 7.6 is the points reading, not the compound one
    assert pp["quote"] == facts["laocai-010"]["quote"]
    html = sections.seed_html(ctx)
    soup = BeautifulSoup(html, "html.parser")
    quotes = soup.find_all("q")
    assert {q.get_text() for q in quotes} == {facts["laocai-010"]["quote"]}
    assert all(q["lang"] == "en" and q["cite"] == facts["laocai-010"]["article_url"] for q in quotes)
    assert "Báo Lào Cai" in soup.get_text() and sections.ARTICLES["baolaocai-403088"]["title"] in soup.get_text()
    assert soup.find("a", href=facts["laocai-010"]["article_url"]) is not None
    table = sections.seed_table(ctx)
    assert list(table["Recomputed"]) == ["-7.59 pp/year", "-20.37 %/year"]
    assert list(table["Matches the article?"]) == ["yes", "no"]


def test_dak_nong_and_the_2025_provinces_containing_the_seed_provinces():
    dak = sections.seed_case(report.ReportContext.load(ReportParams(province="Đắk Nông").validate()))
    assert list(dak["kind"]) == ["change", "change", "change", "plan", "target"]
    spans = {(r["y0"], r["y1"]): r["spans_standard"] for _, r in dak[dak["kind"] == "change"].iterrows()}
    assert spans == {(2020, 2022): True, (2022, 2024): False, (2020, 2024): True}
    target = _row(dak, kind="target")
    assert target["recomputed_value"] == pytest.approx(29 / 18 * 100, rel=1e-12)
    lam_dong = report.ReportContext.load(ReportParams(province="Lâm Đồng", vintage=2025).validate())
    assert sections.has_seed_case(lam_dong)
    assert list(sections.seed_case(lam_dong)["fact_ids"]) == list(dak["fact_ids"])
    assert "Đắk Nông (67), one of the provinces that formed Lâm Đồng on 1 July 2025" in sections.seed_html(lam_dong)
    lao_2025 = report.ReportContext.load(ReportParams(province="Lào Cai", vintage=2025).validate())
    assert set(sections.seed_case(lao_2025)["code"]) == {"10"}
    ha_giang = report.ReportContext.load(HA_GIANG)
    assert not sections.has_seed_case(ha_giang) and sections.seed_case(ha_giang).empty


def test_article_names_match_the_seed_readme():
    readme = (paths.data_dir() / "seeds" / "README.md").read_text(encoding="utf-8")
    for article, meta in sections.ARTICLES.items():
        assert f"`{article}`" in readme and meta["publisher"] in readme and f'"{meta["title"]}"' in readme
        assert (paths.PROJECT_DIR / meta["translation"]).exists()


# --- renders ----------------------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("sections")
    summary = render([LAO_CAI, HA_GIANG], output=out, workers=1, progress=False)
    assert summary.exit_code == 0, summary.failed
    return {slug: (out / "reports" / f"{slug}.html").read_text(encoding="utf-8") for slug in ("lao-cai", "ha-giang")}


def _figures(soup) -> list[list[str]]:
    """The texts recorded in each embedded PNG (plots.TEXTS_KEY)."""
    out = []
    for img in soup.find_all("img"):
        data = base64.b64decode(img["src"].split(",", 1)[1])
        out.append([t["text"] for t in json.loads(Image.open(io.BytesIO(data)).text[plots.TEXTS_KEY])])
    return out


def _section(soup, heading: str):
    """The elements between a heading and the next heading of the same or a higher level."""
    h = next(x for x in soup.find_all(["h2", "h3"]) if x.get_text(" ", strip=True) == heading)
    out = []
    for el in h.find_all_next():
        if el.name in ("h2", "h3") and (el.name == "h2" or h.name == "h3"):
            break
        out.append(el)
    return h, out


def test_lao_cai_report_shows_the_three_sections_with_their_figures(rendered):
    soup = BeautifulSoup(rendered["lao-cai"], "html.parser")
    heads = [h.get_text(" ", strip=True) for h in soup.find_all(["h2", "h3"])]
    order = ["Poverty over time", "Growth elasticity of poverty", "Ranks",
             "New Rural Development: progress and resources", "Case study: the seed article",
             "Model results: did poverty fall more or less than income growth predicts?", "Download the tables"]
    assert [h for h in heads if h in order] == order
    # elasticity: the 2012–2014 value computed by hand above, and the refusal as text
    _, el = _section(soup, "Growth elasticity of poverty")
    rows = [[td.get_text(strip=True) for td in tr.find_all("td")] for t in el if t.name == "table"
            for tr in t.find("tbody").find_all("tr")]
    by_period = {r[0]: r for r in rows}
    dlp = math.log(POVERTY[("10", 2014)] / POVERTY[("10", 2012)])
    assert by_period["2012–2014"][4] == f"{dlp / _dln_real_income('10', 2012, 2014):.2f}"
    assert by_period["2016–2023"][4] == "—" and "poverty measure changes" in by_period["2016–2023"][-1]
    # seeds: the quote as a quote, the article named, the recomputed value, the figure with both published points
    _, seed = _section(soup, "Case study: the seed article")
    assert any(q.name == "q" and "an average decrease of 7.6%/year" in q.get_text() for q in seed)
    assert any(e.name == "strong" and e.get_text() == "Báo Lào Cai" for e in seed)
    assert "-7.59 pp/year" in " ".join(e.get_text(" ") for e in seed if e.name == "table")
    seed_figs = _figures(BeautifulSoup("".join(str(e) for e in seed if e.name == "img"), "html.parser"))
    assert len(seed_figs) == 1 and {"50.79 %", "20.42 %"} <= set(seed_figs[0])
    assert any(t.startswith("Source: Báo Lào Cai") for t in seed_figs[0])
    # model: estimate, n, Lào Cai's residual (positive, computed by hand) in the table, text and figure
    _, mod = _section(soup, "Model results: did poverty fall more or less than income growth predicts?")
    text = " ".join(" ".join(e.get_text(" ") for e in mod if e.name in ("table", "p")).split())
    _, beta, se, resid = _hand_model()
    assert f"{beta[1]:.2f}" in text and f"{se[1]:.2f}" in text and "61 provinces" in text
    assert f"+{resid['10']:.2f}" in text and "reduced poverty less than its income growth predicts" in text
    assert "association across provinces, not a causal effect" in text
    model_figs = _figures(BeautifulSoup("".join(str(e) for e in mod if e.name == "img"), "html.parser"))
    assert len(model_figs) == 1
    assert f"Lào Cai: residual +{resid['10']:.2f}" in model_figs[0]
    assert any(t.startswith("Source: GSO VHLSS") for t in model_figs[0])
    assert len(soup.find_all("img")) == 5  # income, poverty, NTM, seed case, model


def test_a_province_without_a_seed_article_has_no_case_study(rendered):
    soup = BeautifulSoup(rendered["ha-giang"], "html.parser")
    heads = [h.get_text(" ", strip=True) for h in soup.find_all(["h2", "h3"])]
    assert "Case study: the seed article" not in heads and "Growth elasticity of poverty" in heads
    assert "Báo Lào Cai" not in soup.get_text() and not soup.find_all("q")
    _, _, _, resid = _hand_model()
    _, mod = _section(soup, "Model results: did poverty fall more or less than income growth predicts?")
    figs = _figures(BeautifulSoup("".join(str(e) for e in mod if e.name == "img"), "html.parser"))
    sign = "+" if resid["02"] > 0 else ""
    assert f"Hà Giang: residual {sign}{resid['02']:.2f}" in figs[0]
    assert len(soup.find_all("img")) == 4
    assert re.search(r"Hà Giang</strong>: real income per capita grew", rendered["ha-giang"])
