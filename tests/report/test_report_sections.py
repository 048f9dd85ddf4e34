"""The rendered report's elasticity, model and seed case-study sections, read back from the session's golden renders
(Lào Cai, which has a seed article; Hà Giang, which has none): values recomputed by hand from data/raw and
data/seeds (tests/hand_data.py), figures decoded from the embedded PNGs. The sections' numbers are tested in
process in tests/analyses and tests/report/test_report_tables.py."""
import base64
import io
import json
import math
import re

from bs4 import BeautifulSoup
from PIL import Image

from hand_data import POVERTY, dln_real_income, hand_model, hand_prediction_band
from ntm_analysis.glue import read_glue
from ntm_analysis.report import figures as plots, png, publish

SEED_QUOTE = "an average decrease of 7.6%/year"


def _figures(soup) -> list[list[str]]:
    """The texts recorded in each embedded PNG (png.TEXTS_KEY)."""
    out = []
    for img in soup.find_all("img"):
        data = base64.b64decode(img["src"].split(",", 1)[1])
        out.append([t["text"] for t in json.loads(Image.open(io.BytesIO(data)).text[png.TEXTS_KEY])])
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


def _rows(table) -> list[dict[str, str]]:
    heads = [th.get_text(strip=True) for th in table.find("thead").find_all("th")]
    return [dict(zip(heads, [td.get_text(strip=True) for td in tr.find_all("td")]))
            for tr in table.find("tbody").find_all("tr")]


def _words(elements, names=("table", "p")) -> str:
    return " ".join(" ".join(e.get_text(" ") for e in elements if e.name in names).split())


def test_lao_cai_report_shows_the_three_sections_with_their_figures(golden):
    soup = BeautifulSoup(golden.html("lao-cai"), "html.parser")
    heads = [h.get_text(" ", strip=True) for h in soup.find_all(["h2", "h3"])]
    order = ["Poverty over time", "Growth elasticity of poverty", "Ranks",
             "New Rural Development: progress and resources", "Case study: the seed article",
             "Model results: did poverty fall more or less than income growth predicts?", "Download the tables"]
    assert [h for h in heads if h in order] == order
    # elasticity: the 2012–2014 value computed by hand, and the refusal as text
    _, el = _section(soup, "Growth elasticity of poverty")
    by_period = {r["Period"]: r for t in el if t.name == "table" for r in _rows(t)}
    dlp = math.log(POVERTY[("10", 2014)] / POVERTY[("10", 2012)])
    assert by_period["2012–2014"]["Elasticity"] == f"{dlp / dln_real_income('10', 2012, 2014):.2f}"
    assert by_period["2016–2023"]["Elasticity"] == "—" and "poverty measure changes" in by_period["2016–2023"]["Note"]
    # seeds: the quote as a quote, the article named, the recomputed value, the figure with both published points
    _, seed = _section(soup, "Case study: the seed article")
    assert any(q.name == "q" and SEED_QUOTE in q.get_text() for q in seed)
    assert any(e.name == "strong" and e.get_text() == "Báo Lào Cai" for e in seed)
    assert "-7.59 pp/year" in _words(seed, ("table",))
    seed_figs = _figures(BeautifulSoup("".join(str(e) for e in seed if e.name == "img"), "html.parser"))
    assert len(seed_figs) == 1 and {"50.79 %", "20.42 %"} <= set(seed_figs[0])
    assert any(t.startswith("Source: Báo Lào Cai") for t in seed_figs[0])
    # model: estimate, n, Lào Cai's residual (positive, computed by hand) in the table, text and figure
    _, mod = _section(soup, "Model results: did poverty fall more or less than income growth predicts?")
    text = _words(mod)
    _, beta, se, resid = hand_model()
    assert f"{beta[1]:.2f}" in text and f"{se[1]:.2f}" in text and "61 provinces" in text
    # Lào Cai's residual lies inside the 95 % prediction interval (by hand): no direction is claimed
    low, high = hand_prediction_band("10")
    actual = math.log(POVERTY[("10", 2016)] / POVERTY[("10", 2010)])
    assert low < actual < high
    assert f"+{resid['10']:.2f}" in text and "about what its income growth predicts" in text
    assert "reduced poverty less" not in text and "reduced poverty more" not in text
    assert "association across provinces, not a causal effect" in text
    model_figs = _figures(BeautifulSoup("".join(str(e) for e in mod if e.name == "img"), "html.parser"))
    assert len(model_figs) == 1
    assert f"Lào Cai: residual +{resid['10']:.2f}" in model_figs[0]
    assert any(t.startswith("Source: GSO VHLSS") for t in model_figs[0])
    assert len(soup.find_all("img")) == 7  # the locator map, income, poverty, NTM, resources and outcomes, seed case, model


def test_a_province_without_a_seed_article_has_no_case_study(golden):
    html = golden.html("ha-giang")
    soup = BeautifulSoup(html, "html.parser")
    heads = [h.get_text(" ", strip=True) for h in soup.find_all(["h2", "h3"])]
    assert "Case study: the seed article" not in heads and "Growth elasticity of poverty" in heads
    assert "Báo Lào Cai" not in soup.get_text() and not soup.find_all("q")
    _, _, _, resid = hand_model()
    _, mod = _section(soup, "Model results: did poverty fall more or less than income growth predicts?")
    figs = _figures(BeautifulSoup("".join(str(e) for e in mod if e.name == "img"), "html.parser"))
    sign = "+" if resid["02"] > 0 else ""
    assert f"Hà Giang: residual {sign}{resid['02']:.2f}" in figs[0]
    assert len(soup.find_all("img")) == 6  # the locator map, income, poverty, NTM, resources and outcomes, model
    assert re.search(r"Hà Giang</strong>: real income per capita grew", html)


def test_the_executed_notebook_shows_a_reviewer_each_table_and_records_it(golden):
    """A reviewer reading the executed notebook sees, per section, the call that built the table and the table; the
    values the downloads are written from are recorded in the notebook (glue) and equal the hand computation."""
    import nbformat

    nb = nbformat.read(golden.notebook("lao-cai"), as_version=4)
    i, cell = next((i, c) for i, c in enumerate(nb.cells) if "tables.elasticity(ctx)" in c.source)
    note = nb.cells[i - 1]  # the Markdown cell before it says what the section computes and from what
    assert note.cell_type == "markdown" and note.source.startswith("### Growth elasticity of poverty")
    assert "Δ ln poverty / Δ ln real income" in note.source
    html = "".join(o.get("data", {}).get("text/html", "") for o in cell.outputs)
    assert "<table" in html and "-1.32" in html
    recorded = {t["id"]: t for t in read_glue(nb)[publish.TABLES]}
    el = recorded["elasticity"]
    ids = [c["id"] for c in el["columns"]]
    r = next(x for x in el["rows"] if x[ids.index("start_year")] == 2012 and x[ids.index("end_year")] == 2014)
    dlp = math.log(POVERTY[("10", 2014)] / POVERTY[("10", 2012)])
    assert abs(r[ids.index("elasticity")] - dlp / dln_real_income("10", 2012, 2014)) < 1e-12
