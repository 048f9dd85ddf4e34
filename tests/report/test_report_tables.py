"""Report tables built in process (no kernel): each builder's numbers checked by value against data/raw read by hand,
and the one display layer's HTML of the same table (numbers in the reader's format, codes labelled, data escaped).
"""
import csv
import math
import re

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from hand_data import INCOME, POVERTY, RAW, dln_real_income, hand_model
from ntm_analysis import i18n
from ntm_analysis.report import display, tables, text
from ntm_analysis.report.context import ReportContext
from ntm_analysis.report.params import ReportParams


@pytest.fixture(scope="module")
def lao_cai():
    return ReportContext.load(ReportParams(province="Lào Cai").validate())


@pytest.fixture(scope="module")
def lao_cai_2025():
    return ReportContext.load(ReportParams(province="Lào Cai", vintage=2025).validate())


def shown(table, where=None) -> list[dict[str, str]]:
    """The table as the report shows it: one dict per row, header → cell text."""
    soup = BeautifulSoup(str(display.table_html(table, where)), "html.parser")
    heads = [th.get_text(strip=True) for th in soup.find("thead").find_all("th")]
    return [dict(zip(heads, [td.get_text(strip=True) for td in tr.find_all("td")]))
            for tr in soup.find("tbody").find_all("tr")]


def _raw_rows(file: str) -> list[dict]:
    with open(RAW / file, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


# --- key figures ------------------------------------------------------------------------------------------------
def _hand_price_level(year: int) -> float:
    """The national price level of ``year`` (2010 = 1) from data/raw by hand: GSO's CPI links to 2016, then 1 + the
    change GSO announced (one value per year, whichever source row)."""
    links = {int(r["year"]): float(r["cpi_prev_year_100"]) / 100 for r in _raw_rows("cpi_national_annual_gso.csv")}
    links |= {int(r["year"]): 1 + float(r["value"]) / 100
              for r in _raw_rows("cpi_national_annual_change_2017_2024.csv")}
    return math.prod(links[k] for k in range(2011, year + 1))


def test_key_figures_are_the_latest_published_values(lao_cai):
    kf = tables.key_figures(lao_cai)
    f = kf.frame.set_index("variable")
    latest_income = max(y for c, y in INCOME if c == "10")
    assert int(f.loc["income_per_capita_nominal", "year"]) == latest_income == 2023
    assert f.loc["income_per_capita_nominal", "value"] == INCOME[("10", 2023)] == 3200.0
    line = max(y for c, y in POVERTY if c == "10" and y <= 2016)
    assert f.loc["poverty_rate_gso_income_line", "value"] == POVERTY[("10", line)]
    assert f.loc["poverty_rate_gso_income_line", "status"] == "preliminary"  # 2016 is preliminary in data/raw
    rows = {r["Figure"]: r for r in shown(kf)}
    assert rows["Income per capita"]["Value"] == "3,200" and rows["Income per capita"]["Year"] == "2023"
    assert rows["Poverty rate (income poverty line)"]["Status"] == "preliminary"
    assert "Place" not in rows["Income per capita"]  # one province: its name is the title's
    assert "Note" not in rows["Income per capita"]  # no gap, no note: the empty column is left out of the report
    assert list(kf.frame["note"]) == ["", "", "", "", ""] and "note" in [c["id"] for c in kf.record()["columns"]]
    # income at constant 2010 prices: the latest year the CPI chain reaches (2023, CPI 2017–2023 as first announced)
    real = f.loc["income_per_capita_real_2010"]
    assert int(real["year"]) == 2023 and real["status"] == "preliminary"
    assert real["value"] == pytest.approx(3200.0 / _hand_price_level(2023), rel=1e-12)
    assert real["value"] == pytest.approx(1747.3, abs=0.05)
    assert rows["Income per capita at constant 2010 prices"]["Year"] == "2023"


def test_a_gap_in_the_key_figures_is_a_row_with_the_reason():
    ctx = ReportContext.load(ReportParams(province="Lào Cai", vintage=2025, year_end=2016))
    kf = tables.key_figures(ctx)
    agg = kf.frame[(kf.frame["geography"] == "aggregate")].set_index("variable")
    assert int(agg.loc["income_per_capita_nominal", "year"]) == 2016
    # no multidimensional rate is published before 2016's end: a row without a value, with the reason
    multi = agg.loc["poverty_rate_gso_multidimensional"]
    assert math.isnan(multi["value"]) and multi["note"] == "not computable (see caveats)"
    cells = [r for r in shown(kf) if r["Place"] == "Lào Cai (2025, aggregate)"
             and r["Figure"] == "Poverty rate (multidimensional)"]
    assert len(cells) == 1 and cells[0]["Value"] == "—" and cells[0]["Note"] == "not computable (see caveats)"


# --- the 2025 aggregate (moved from tests/indicators) -----------------------------------------------------------
def test_lao_cai_2025_report_shows_constituents_beside_the_aggregate(lao_cai_2025):
    ctx = lao_cai_2025
    assert ctx.has_aggregate and [m.code for m in ctx.members] == ["10", "15"]
    table = tables.aggregate(ctx)
    rows = shown(table)
    cols = list(rows[0])
    # the constituents' own columns stand right before the aggregate's
    assert cols[2:5] == ["Lào Cai (10)", "Yên Bái (15)", "Lào Cai 2025 (aggregate)"]
    income = {r["Year"]: r for r in rows if r["Figure"] == "Income per capita"}
    assert list(income) == ["2010", "2012", "2014", "2016", "2018", "2023"]
    # the population weights, read by hand from data/raw: the 1995–2016 series, and GSO table V02.01 (2011–2022)
    pop = {(r["province_code"], int(r["year"])): float(r["pop_total"])
           for r in _raw_rows("population_by_province_gso_1995_2016.csv") if r["level"] == "province"}
    v0201 = {(r["province_code"], int(r["year"])): float(r["value"])
             for r in _raw_rows("population_by_province_gso_v0201_2011_2022.csv")}

    f = table.frame[table.frame["variable"] == "income_per_capita_nominal"].set_index("year")
    income_2018 = {("10", 2018): 2324.0, ("15", 2018): 2289.0}  # not in hand_data's INCOME (a secondary copy)
    assert (f.loc[2018, "member_10"], f.loc[2018, "member_15"]) == (2324.0, 2289.0)

    def hand(year, weights, weight_year):
        inc = {**INCOME, **income_2018}
        return ((inc[("10", year)] * weights[("10", weight_year)] + inc[("15", year)] * weights[("15", weight_year)])
                / (weights[("10", weight_year)] + weights[("15", weight_year)]))

    # 2014: population_total of the same year
    assert [income["2014"][c] for c in cols[2:5]] == ["1,468", "1,386", "1,423.7"]
    assert income["2014"]["Note"] == "weighted by 2014 population: Lào Cai 665.2; Yên Bái 783.5 (thousand persons)"
    assert f.loc[2014, "aggregate"] == pytest.approx(hand(2014, pop, 2014), rel=1e-12)
    assert f.loc[2014, "weight_10"] == pop[("10", 2014)]
    # 2018 (a secondary copy of GSO's VHLSS 2018): no population_total after 2016, so V02.01 of the same year
    assert [income["2018"][c] for c in cols[2:5]] == ["2,324", "2,289", "2,305.4"]
    assert f.loc[2018, "aggregate"] == pytest.approx(hand(2018, v0201, 2018), rel=1e-12)
    assert income["2018"]["Note"].startswith("weighted by 2018 population (GSO table V02.01, average population)")
    # 2023: no population of 2023 is published; the latest, 2022, weighs it, and the note says so
    assert [income["2023"][c] for c in cols[2:5]] == ["3,200", "3,155", "3,176.4"]
    assert f.loc[2023, "aggregate"] == pytest.approx(hand(2023, v0201, 2022), rel=1e-12)
    assert f.loc[2023, "weight_10"] == v0201[("10", 2022)] and f.loc[2023, "weight_15"] == v0201[("15", 2022)]
    assert income["2023"]["Note"] == (
        "weighted by 2022 population, the latest published (GSO table V02.01, average population; none is "
        "published for 2023): Lào Cai 770.6; Yên Bái 847.2 (thousand persons)")
    assert income["2023"]["Status"] == "preliminary"  # an aggregate of a preliminary figure is preliminary
    from ntm_analysis.report.results import income_series
    assert list(income_series(ctx, "aggregate")["year"]) == [2010, 2012, 2014, 2016, 2018, 2023]
    latest = [r for r in shown(tables.key_figures(ctx))
              if r["Place"] == "Lào Cai (2025, aggregate)" and r["Figure"] == "Income per capita"]
    assert [r["Year"] for r in latest] == ["2023"] and [r["Value"] for r in latest] == ["3,176"]
    assert "weighted by 2022 population" in latest[0]["Note"]
    assert "Formed on 1 July 2025 from: Lào Cai (10), Yên Bái (15)" in text.intro(ctx)


# --- ranks ------------------------------------------------------------------------------------------------------
def test_ranks_are_the_hand_ranking_of_data_raw(lao_cai):
    ranks = tables.ranks(lao_cai).frame
    r = ranks[(ranks["variable"] == "income_per_capita_nominal") & (ranks["year"] == 2014)].iloc[0]
    others = [v for (c, y), v in INCOME.items() if y == 2014]
    assert r["value"] == INCOME[("10", 2014)]
    assert r["rank_nation"] == 1 + sum(v > INCOME[("10", 2014)] for v in others) and r["n_nation"] == len(others)
    region = {row["province_code"] for row in _raw_rows("income_per_capita_monthly_by_province.csv")
              if row["level"] == "province" and row["region"] == "Northern midlands and mountain areas"}
    mine = [INCOME[(c, 2014)] for c in region if (c, 2014) in INCOME]
    assert r["rank_region"] == 1 + sum(v > INCOME[("10", 2014)] for v in mine) and r["n_region"] == len(mine)
    p = ranks[(ranks["variable"] == "poverty_rate_gso_income_line") & (ranks["year"] == 2014)].iloc[0]
    pov = [v for (c, y), v in POVERTY.items() if y == 2014]
    assert p["rank_nation"] == 1 + sum(v < POVERTY[("10", 2014)] for v in pov)  # 1 = lowest poverty
    row = next(x for x in shown(tables.ranks(lao_cai)) if x["Year"] == "2014"
               and x["Figure"] == "Income per capita (1 = highest)")
    assert row["Rank in Viet Nam"] == str(r["rank_nation"]) and row["Provinces ranked"] == str(len(others))


def test_a_2025_report_ranks_the_new_province_among_the_34_then_its_constituents_among_the_63(lao_cai_2025):
    ctx = lao_cai_2025
    frame = tables.ranks(ctx).frame
    mine = frame[(frame["variable"] == "income_per_capita_nominal") & (frame["year"] == 2023)]
    assert list(mine["geography"]) == ["aggregate", "province", "province"]
    assert list(mine["place_code"]) == ["15", "10", "15"] and list(mine["n_nation"]) == [34, 63, 63]
    new = mine.iloc[0]
    # the 2025 aggregate by hand (2022 population of GSO table V02.01) and its rank among the 34
    v0201 = {(r["province_code"], int(r["year"])): float(r["value"])
             for r in _raw_rows("population_by_province_gso_v0201_2011_2022.csv")}
    w10, w15 = v0201[("10", 2022)], v0201[("15", 2022)]
    assert new["value"] == pytest.approx((3200 * w10 + 3155 * w15) / (w10 + w15), rel=1e-12)
    assert (new["rank_nation"], new["status"], new["note"]) == (28, "preliminary", "weighted by 2022 population")
    row = next(x for x in shown(tables.ranks(ctx)) if x["Year"] == "2023" and x["Geography"].startswith("aggregate")
               and x["Figure"] == "Income per capita (1 = highest)")
    assert (row["Rank in Viet Nam"], row["Provinces ranked"], row["Place"]) == ("28", "34", "Lào Cai")
    assert "Rank in region" not in row  # GSO published no regions of the 2025 provinces
    heading = str(text.heading(ctx, "ranks"))
    assert "among the 34 provinces of the 2025 geography" in heading
    assert "- **Income per capita (1 = highest), 2023:** rank 28 of 34 (weighted by 2022 population; preliminary)" \
        in heading
    vi = str(text.heading(ReportContext.load(ReportParams(province="Lào Cai", vintage=2025, lang="vi")), "ranks"))
    assert "hạng 28/34 (gia quyền theo dân số năm 2022; sơ bộ)" in vi


def test_a_2008_report_ranks_among_the_63_only(lao_cai):
    frame = tables.ranks(lao_cai).frame
    assert set(frame["n_nation"]) <= set(range(1, 64)) and (frame["n_nation"] > 34).all()
    assert "63 provinces" in str(text.heading(lao_cai, "ranks"))


# --- elasticity -------------------------------------------------------------------------------------------------
def test_elasticity_table_shows_the_hand_value_and_the_refusals(lao_cai):
    rows = {r["Period"]: r for r in shown(tables.elasticity(lao_cai))}
    dlp = math.log(POVERTY[("10", 2014)] / POVERTY[("10", 2012)])
    assert rows["2012–2014"]["Elasticity"] == f"{dlp / dln_real_income('10', 2012, 2014):.2f}" == "-1.32"
    assert (rows["2012–2014"]["Poverty rate, start"], rows["2012–2014"]["Poverty rate, end"]) == ("32.9", "25.3")
    note = ("not computed: the poverty measure changes between 2016 (income poverty line 2011–2015) and 2023 "
            "(multidimensional standard 2022–2025)")
    assert rows["2016–2023"]["Elasticity"] == "—" and rows["2016–2023"]["Note"].startswith(note)
    assert rows["2010–2012"]["Note"].startswith("real income changed by only 2.3 %")
    assert "2010–2016 (whole run)" in rows
    vi = tables.elasticity(ReportContext.load(ReportParams(province="Lào Cai", lang="vi").validate()))
    assert vi.frame["note"].iloc[3].startswith("không tính: chuẩn nghèo thay đổi giữa năm 2016")


def test_elasticity_notes_name_missing_and_zero_inputs():
    ctx = ReportContext.load(ReportParams(province="Hồ Chí Minh").validate())
    t = tables.elasticity(ctx).frame
    note = t[(t["start_year"] == 2014) & (t["end_year"] == 2016)]["note"].iloc[0]
    assert note == ("not computed: the poverty rate is 0 in 2014 (its logarithm is undefined); no published poverty "
                    "rate for 2016")


# --- the model ---------------------------------------------------------------------------------------------------
def test_model_tables_and_text_of_a_2025_province():
    ctx = ReportContext.load(ReportParams(province="Lâm Đồng", vintage=2025).validate())
    _, beta, se, resid = hand_model()
    est = tables.model_estimates(ctx).frame
    slope = est[est["term"] == "dln_income"].iloc[0]
    assert slope["estimate"] == pytest.approx(beta[1], rel=1e-10) and slope["std_error"] == pytest.approx(se[1])
    prov = tables.model_provinces(ctx)
    mine = shown(prov, where="highlighted")
    assert [r["Place"] for r in mine] == ["Bình Thuận", "Đắk Nông", "Lâm Đồng"]
    for r, code in zip(mine, ("60", "67", "68")):
        assert r["Residual"] == ("+" if resid[code] > 0 else "") + f"{resid[code]:.2f}"
    assert len(prov.frame) == 63 and int(prov.frame["highlighted"].sum()) == 3  # every province is downloaded
    assert "is not a unit of the model" in text.model_intro(ctx)


def test_a_report_reuses_the_model_fitted_once_per_data_version():
    from ntm_analysis.analyses import province_model as pm
    from ntm_analysis.data import cache
    from ntm_analysis.report import results

    first = pm.fit_province_model(2010, 2016)
    fits = cache.builds["province_model:2010-2016"]
    ctx = ReportContext.load(ReportParams(province="Hà Giang").validate())
    assert results.model(ctx) is first  # a new report on the same data reuses the fit
    assert cache.builds["province_model:2010-2016"] == fits


# --- seed claims -------------------------------------------------------------------------------------------------
def test_seed_claims_table_and_articles(lao_cai):
    rows = shown(tables.seed_claims(lao_cai))
    assert [r["Recomputed"] + " " + r["Unit"] for r in rows] == ["-7.59 pp/year", "-20.37 %/year"]
    assert [r["Matches the article"] for r in rows] == ["yes", "no"]
    soup = BeautifulSoup(str(display.table_html(tables.seed_claims(lao_cai))), "html.parser")
    assert {q["lang"] for q in soup.find_all("q")} == {"en"}
    intro = BeautifulSoup(str(text.seed_articles(lao_cai)), "html.parser")
    assert intro.find("strong").get_text() == "Báo Lào Cai"
    lam_dong = ReportContext.load(ReportParams(province="Lâm Đồng", vintage=2025).validate())
    assert "Đắk Nông (67), one of the provinces that formed Lâm Đồng on 1 July 2025" in str(text.seed_articles(lam_dong))
    ha_giang = ReportContext.load(ReportParams(province="Hà Giang").validate())
    from ntm_analysis.report import results
    assert not results.has_seed_case(ha_giang) and tables.seed_claims(ha_giang).frame.empty


# --- a researcher's edit reaches the HTML and the downloads; escaping by kind -------------------------------------
def test_a_column_added_in_the_notebook_is_shown_and_downloaded(lao_cai):
    kf = tables.key_figures(lao_cai)
    kf.frame["income_x2"] = kf.frame["value"] * 2
    kf.frame = kf.frame[kf.frame["variable"] != "population_total"]  # and a row dropped
    rows = shown(kf)
    assert [r["income_x2"] for r in rows if r["Figure"] == "Income per capita"] == ["6,400"]
    assert "Population" not in {r["Figure"] for r in rows}
    rec = kf.record()
    col = next(c for c in rec["columns"] if c["id"] == "income_x2")
    assert col["header"] == "income_x2" and col["unit"] == "" and col["source"] == "added in the notebook"
    i = [c["id"] for c in rec["columns"]].index("income_x2")
    assert [r[i] for r in rec["rows"]][0] == 6400.0 and len(rec["rows"]) == 4  # income, real income, 2 poverty


def test_data_derived_text_is_escaped_by_kind(lao_cai):
    kf = tables.key_figures(lao_cai)
    kf.frame.loc[0, "source"] = "GSO <script>x</script>"
    kf.frame.loc[0, "note"] = '"><img src=x onerror=y>'
    html = str(display.table_html(kf))
    assert "<script>" not in html and "<img" not in html
    assert "GSO &lt;script&gt;x&lt;/script&gt;" in html and "&#34;&gt;&lt;img src=x onerror=y&gt;" in html
    vi = kf.copy()
    vi.lang = "vi"
    cite = BeautifulSoup(str(display.table_html(vi)), "html.parser").find("cite")
    assert cite.get_text() == "GSO <script>x</script>"


def test_numbers_are_right_aligned_and_text_left(lao_cai):
    html = str(display.table_html(tables.key_figures(lao_cai)))
    soup = BeautifulSoup(html, "html.parser")
    heads = [th.get_text(strip=True) for th in soup.find_all("th")]
    right = {f"col{i}" for i, h in enumerate(heads) if h in ("Year", "Value")}
    style = soup.find("style").get_text()
    table_id = soup.find("table")["id"]
    # every cell left-aligned by the table's id (outranking the notebook theme, which right-aligns every cell) ...
    rules = {" ".join(sel.split()): props.strip() for sel, props in re.findall(r"([^{}]+)\{([^}]*)\}", style)}
    assert rules[f"#{table_id} td"] == rules[f"#{table_id} th"] == "text-align: left;"
    # ... then the numbers right-aligned, header and cells (the browser test checks the computed alignment)
    assert all(rules[f"#{table_id} {tag}.{c}"] == "text-align: right;" for c in right for tag in ("td", "th"))
    assert len(right) == 2
    assert "col0 {" not in style  # the figure's name (text) stays left


# --- the provinces' own NTM figures -----------------------------------------------------------------------------
def test_every_ntm_row_links_its_own_source_and_counts_read_as_written(lao_cai):
    """Each figure a province reported links to where it was published (the quotes are hidden in the report, so the
    URL must stay a column of its own), and a count of communes reads "20", not "20.00"."""
    from ntm_analysis.data.ntm_provincial import load_ntm_reports

    reported = load_ntm_reports(province="10")  # the rows the data layer keeps for the 2008 Lào Cai
    table = tables.ntm(lao_cai)
    soup = BeautifulSoup(str(display.table_html(table)), "html.parser")
    heads = [th.get_text(strip=True) for th in soup.find("thead").find_all("th")]
    assert "Source URL" in heads
    rows = soup.find("tbody").find_all("tr")
    assert len(rows) == len(reported) == 24
    links = [tr.find_all("td")[heads.index("Source URL")].find("a") for tr in rows]
    assert all(a is not None for a in links)
    assert sorted(a["href"] for a in links) == sorted(reported["source_url"])
    communes = [r for r in shown(table) if r["Indicator"] == "Communes meeting the NTM standard"]
    assert {r["Value"] for r in communes} >= {"20", "52", "61"}
    credit = next(r for r in shown(table) if r["Indicator"] == "Resources: credit")
    assert credit["Value"] == "40,071"


@pytest.mark.parametrize("province, verdict, sentence", [
    ("Lào Cai", "about as predicted, inside the 95 % prediction interval", "about what its income growth predicts"),
    ("Đà Nẵng", "more poverty reduction than predicted", "reduced poverty more than its income growth predicts"),
])
def test_the_model_note_and_sentence_follow_the_prediction_interval(province, verdict, sentence):
    from ntm_analysis.analyses import province_model as pm

    ctx = ReportContext.load(ReportParams(province=province).validate())
    band = pm.fit_province_model(2010, 2016).frame.set_index("name")
    row = band.loc[ctx.place.name_short]
    inside = bool(row["predicted_low"] <= row["dln_poverty"] <= row["predicted_high"])
    assert inside is ("about" in verdict)
    note = shown(tables.model_provinces(ctx), where="highlighted")[0]["Note"]
    assert note.startswith(verdict)
    assert sentence in str(text.model_reading(ctx)).replace("**", "")
