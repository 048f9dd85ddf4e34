"""Maps (ntm_analysis.report.maps, report.map_values): colours by value, the no-figure hatch and its legend, the unit
on the colour bar, source and attribution, the archipelagos, clickable provinces in SVG, no overlapping texts, both
geographies and languages; and the headline maps' figures checked against the raw files."""
import csv
import io
import itertools
import math
import re

import numpy as np
import pytest
from matplotlib.colors import Normalize, to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch
from matplotlib.text import Text

from figure_text import overlaps

from ntm_analysis import paths
from ntm_analysis.data import geo
from ntm_analysis.report import maps
from ntm_analysis.report.map_values import headline_map, headline_map_values

RAW = paths.raw_dir()
UNIT = "thousand VND/person/month"
ATTRIBUTION = "Boundaries: Natural Earth (public domain); simplified and coded to GSO province codes."


def _province(fig, code):
    found = [p for p in fig.axes[0].patches if p.get_gid() == f"province-{code}"]
    assert len(found) == 1, code
    return found[0]


def _texts(fig) -> list[str]:
    fig.draw_without_rendering()
    return [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def _values(vintage=2008):
    """A known value per province: its code as a number; Hà Nội (01) without a figure."""
    vals = {p.code: float(p.code) for p in geo.provinces(vintage)}
    vals["01"] = math.nan
    return vals


def test_each_province_has_the_colormap_colour_of_its_value():
    vals = _values()
    del vals["02"]  # left out: no figure, like NaN
    fig = maps.choropleth(vals, unit=UNIT, source="GSO", cmap="OrRd")
    finite = [v for v in vals.values() if not math.isnan(v)]
    norm, cmap = Normalize(min(finite), max(finite)), maps.colormap("OrRd")
    assert (min(finite), max(finite)) == (4.0, 96.0)
    for code in ("04", "10", "48", "56", "96"):
        assert _province(fig, code).get_facecolor() == pytest.approx(cmap(norm(float(code))))
    assert _province(fig, "96").get_facecolor() == pytest.approx(cmap(1.0))  # the largest: the darkest
    # the palest colour is not white, so the smallest figure never looks like a gap
    assert _province(fig, "04").get_facecolor() != pytest.approx(to_rgba("white"))
    assert len([p for p in fig.axes[0].patches if (p.get_gid() or "").startswith("province-")]) == 63


def test_provinces_without_a_figure_are_hatched_and_the_legend_says_so():
    fig = maps.choropleth({**_values(), "02": math.nan}, unit=UNIT, source="GSO")
    for code in ("01", "02"):
        p = _province(fig, code)
        assert p.get_hatch() == maps.MISSING_HATCH and p.get_facecolor() == pytest.approx(to_rgba("white"))
    assert _province(fig, "10").get_hatch() is None
    legend = fig.axes[0].get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["no published figure"]
    assert legend.get_patches()[0].get_hatch() == maps.MISSING_HATCH
    vi = maps.choropleth(_values(), unit=UNIT, source="GSO", lang="vi")
    assert [t.get_text() for t in vi.axes[0].get_legend().get_texts()] == ["không có số liệu công bố"]
    full = maps.choropleth({c: 1.0 + i for i, c in enumerate(_values()) }, unit=UNIT, source="GSO")
    assert full.axes[0].get_legend() is None  # nothing missing, no legend entry for it


def test_colour_bar_carries_the_unit_in_the_readers_language_and_numbers_in_its_convention():
    vals = {c: 1000.0 + 100 * i for i, c in enumerate(_values())}
    en = maps.choropleth(vals, unit=UNIT, source="GSO")
    vi = maps.choropleth(vals, unit=UNIT, source="GSO", lang="vi")
    bar_en, bar_vi = en.axes[0].child_axes[0], vi.axes[0].child_axes[0]  # the colour bar, inset in the sea
    assert bar_en.get_xlabel() == UNIT and bar_vi.get_xlabel() == "nghìn đồng/người/tháng"
    ticks_en = [t.get_text() for t in bar_en.get_xticklabels() if t.get_text()]
    ticks_vi = [t.get_text() for t in bar_vi.get_xticklabels() if t.get_text()]
    assert "2,000" in ticks_en and "2.000" in ticks_vi


def test_source_attribution_caveat_and_archipelagos_are_on_the_figure():
    fig = maps.choropleth(_values(), unit=UNIT, source="GSO/NSO, VHLSS 2023", title="Income", note="A note.")
    text = " ".join(_texts(fig)).replace("\n", " ")
    assert "Source: GSO/NSO, VHLSS 2023" in text
    assert ATTRIBUTION in text and "Borders are approximate" in text and "A note." in text
    assert "Hoàng Sa archipelago (Đà Nẵng)" in text and "Trường Sa archipelago (Khánh Hòa)" in text
    vi = " ".join(_texts(maps.choropleth(_values(), unit=UNIT, source="Tổng cục Thống kê", lang="vi")))
    vi = vi.replace("\n", " ")
    assert "Nguồn: Tổng cục Thống kê" in vi and "Ranh giới: Natural Earth" in vi
    assert "Quần đảo Hoàng Sa (Đà Nẵng)" in vi and "Quần đảo Trường Sa (Khánh Hòa)" in vi
    # the islands are drawn as dots in their province's colour (they are specks at this scale)
    dots = [ln for ln in fig.axes[0].lines if ln.get_marker() == "o"]
    assert sorted(len(d.get_xdata()) for d in dots) == [6, 11]


def test_links_make_provinces_clickable_in_svg():
    links = {"10": "reports/lao-cai.html", "48": "reports/da-nang.html"}
    fig = maps.choropleth(_values(), unit=UNIT, source="GSO", links=links)
    buf = io.StringIO()
    fig.savefig(buf, format="svg")
    svg = buf.getvalue()
    for code, url in links.items():
        m = re.search(rf'<g id="province-{code}">\s*<a xlink:href="{re.escape(url)}"[^>]*>\s*<path ', svg)
        assert m, (code, url)
    assert svg.count("<a xlink:href=") == 2
    with pytest.raises(ValueError, match="code '99' is not a province of the 2008 geography"):
        maps.choropleth(_values(), unit=UNIT, source="GSO", links={"99": "x.html"})


def test_highlight_outlines_one_province():
    fig = maps.choropleth(_values(), unit=UNIT, source="GSO", highlight="10")
    outlines = [p for p in fig.axes[0].patches if isinstance(p, PathPatch) and p.get_gid() is None]
    assert len(outlines) == 1 and outlines[0].get_linewidth() > 1
    assert outlines[0].get_facecolor()[3] == 0  # unfilled: the colour underneath stays readable
    assert np.array_equal(outlines[0].get_path().vertices, _province(fig, "10").get_path().vertices)


def test_bad_values_name_the_province_and_what_was_expected():
    with pytest.raises(ValueError, match=r"code '10' is not a province of the 2025 geography"):
        maps.choropleth({"10": 1.0}, vintage=2025, unit=UNIT, source="GSO")
    with pytest.raises(ValueError, match=r"the value of 10 \(Lào Cai\) is 'n/a'; expected a number"):
        maps.choropleth({"10": "n/a"}, unit=UNIT, source="GSO")


def test_the_2025_geography_has_34_provinces():
    vals = {p.code: float(p.code) for p in geo.provinces(2025)}
    vals["68"] = math.nan
    fig = maps.choropleth(vals, vintage=2025, unit="%", source="GSO", lang="vi")
    provinces = [p for p in fig.axes[0].patches if (p.get_gid() or "").startswith("province-")]
    assert len(provinces) == 34
    assert _province(fig, "68").get_hatch() == maps.MISSING_HATCH
    norm = Normalize(1.0, 96.0)
    assert _province(fig, "15").get_facecolor() == pytest.approx(maps.colormap()(norm(15.0)))


def test_overlap_check_catches_overlapping_texts():
    fig = Figure(figsize=(3, 3))
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    FigureCanvasAgg(fig)
    fig.text(0.1, 0.5, "first label")
    fig.text(0.15, 0.5, "second label")
    fig.text(0.1, 0.1, "far away")
    assert overlaps(fig) == [("first label", "second label")]


@pytest.mark.parametrize("lang", ["en", "vi"])
@pytest.mark.parametrize("vintage", [2008, 2025])
def test_no_text_overlaps_another(lang, vintage):
    vals = {p.code: 1000.0 + 37.5 * i for i, p in enumerate(geo.provinces(vintage))}
    vals[next(iter(vals))] = math.nan
    long_title = ("Communes meeting the NTM standard, end of 2020 (13 of 63 provinces reported) — a long title "
                  "that must wrap")
    for figsize in ((6.0, 7.4), (3.2, 4.0)):
        fig = maps.choropleth(vals, vintage=vintage, unit=UNIT, source="GSO/NSO, VHLSS 2023", lang=lang,
                              title=long_title, note="Each province's latest report; never interpolated.",
                              figsize=figsize, highlight=next(iter(vals)))
        assert overlaps(fig) == [], figsize
    for code in ("10", "48", "79") if vintage == 2008 else ("15", "48", "68"):
        assert overlaps(maps.locator_map(code, vintage=vintage, lang=lang)) == []


def test_headline_maps_have_no_overlapping_texts():
    for lang in ("en", "vi"):
        for m in headline_map_values(lang):
            assert overlaps(headline_map(m, lang)) == [], (lang, m["key"])


def test_locator_map_highlights_the_province_and_shades_its_region():
    fig = maps.locator_map("Lào Cai", lang="vi")
    red, blue, grey = to_rgba("#c0392b"), to_rgba("#9ecae1"), to_rgba("#dddddd")
    assert _province(fig, "10").get_facecolor() == pytest.approx(red)
    region = [p.code for p in geo.provinces(2008) if p.region == "Northern midlands and mountain areas"]
    assert len(region) == 14
    for code in region:
        if code != "10":
            assert _province(fig, code).get_facecolor() == pytest.approx(blue), code
    assert _province(fig, "79").get_facecolor() == pytest.approx(grey)
    texts = " ".join(_texts(fig)).replace("\n", " ")
    assert "Lào Cai" in texts and "Vùng Trung du và miền núi" in texts
    assert "Nguồn: ranh giới Natural Earth (phạm vi công cộng), gần đúng; vùng: Tổng cục Thống kê" in texts
    assert "Quần đảo Hoàng Sa" in texts
    new = maps.locator_map("Lâm Đồng", vintage=2025)
    assert len([p for p in new.axes[0].patches if (p.get_gid() or "").startswith("province-")]) == 34
    assert _province(new, "68").get_facecolor() == pytest.approx(red)


def test_maps_stay_small():
    """A report embeds the locator map as a PNG (report.png.DPI): a few tens of kB, so reports stay < 2 MB."""
    from ntm_analysis.report.png import DPI

    sizes = {}
    for name, fig in {"locator": maps.locator_map("48"),
                      "choropleth": maps.choropleth(_values(), unit=UNIT, source="GSO")}.items():
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=DPI, bbox_inches="tight")
        sizes[name] = len(buf.getvalue())
    assert sizes["locator"] < 50_000 and sizes["choropleth"] < 150_000, sizes


# --- the headline maps' figures against the raw files --------------------------------------------------------------
def _raw_rows(name):
    with open(RAW / name, encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def headline():
    return {m["key"]: m for m in headline_map_values("en")}


def test_headline_maps_are_one_measure_and_one_date_each(headline):
    assert list(headline) == ["income", "poverty_income_line", "poverty_multidimensional", "ntm_communes_mid-2025",
                              "ntm_communes_end-2020", "transfers_per_person"]
    for m in headline.values():
        assert set(m["values"]) == {p.code for p in geo.provinces(2008)}
        assert m["n"] == sum(not math.isnan(v) for v in m["values"].values())
    assert headline["income"]["year"] == 2023 and headline["income"]["unit"] == UNIT
    assert "2023 (preliminary)" in headline["income"]["title"]
    assert headline["poverty_income_line"]["unit"] == "%" and "income poverty line 2011–2015" in \
        headline["poverty_income_line"]["title"]
    assert headline["poverty_multidimensional"]["unit"] == "% of households" and "multidimensional standard" in \
        headline["poverty_multidimensional"]["title"]
    assert (headline["ntm_communes_mid-2025"]["n"], headline["ntm_communes_end-2020"]["n"]) == (6, 13)
    assert "both national target programmes" in headline["transfers_per_person"]["note"]
    assert "plan" in headline["transfers_per_person"]["title"]
    for m in headline.values():  # the publisher, never an intermediate copy
        assert not re.search(r"github|choisy|phnam05|repo\b|\.csv", m["source"] + m["note"]), m["key"]


def test_headline_income_and_poverty_are_the_published_figures(headline):
    income = {r["province_code"]: float(r["income_total"]) for r in
              _raw_rows("income_per_capita_monthly_by_province.csv") if r["year"] == "2023" and r["level"] == "province"}
    assert headline["income"]["values"]["01"] == pytest.approx(income["01"])
    assert headline["income"]["values"]["10"] == pytest.approx(income["10"])
    line = headline["poverty_income_line"]
    assert line["year"] == 2016 and line["n"] == 62
    missing = [c for c, v in line["values"].items() if math.isnan(v)]
    assert len(missing) == 1


def test_headline_transfers_per_person_from_the_mof_plan_and_gso_population(headline):
    """Hà Giang 2016: 469,636 million VND (MOF plan) / the 2016 average population (GSO V02.01)."""
    plan = {r["province_code"]: float(r["value"]) for r in
            _raw_rows("ntp_central_transfers_by_province_mof_2016_2017_plan.csv") if r["year"] == "2016"}
    pop = {r["province_code"]: float(r["value"]) for r in
           _raw_rows("population_by_province_gso_v0201_2011_2022.csv") if r["year"] == "2016"}
    assert plan["02"] == 469636
    m = headline["transfers_per_person"]
    assert m["year"] == 2016 and m["unit"] == "million VND/person" and m["n"] == 63
    for code in ("02", "10", "79"):
        assert m["values"][code] == pytest.approx(plan[code] / pop[code] / 1000.0, rel=1e-9), code


def test_a_map_embedded_as_a_palette_png_keeps_its_texts_and_is_much_smaller():
    import json

    from PIL import Image

    from ntm_analysis.report import png

    full = png.image(maps.choropleth(_values(), unit=UNIT, source="GSO")).data
    small = png.image(maps.choropleth(_values(), unit=UNIT, source="GSO"), colors=128).data
    assert len(small) < 0.5 * len(full), (len(small), len(full))
    img = Image.open(io.BytesIO(small))
    assert img.mode == "P" and len(img.getcolors()) <= 128
    texts = [t["text"] for t in json.loads(img.text[png.TEXTS_KEY])]
    assert texts == [t["text"] for t in json.loads(Image.open(io.BytesIO(full)).text[png.TEXTS_KEY])]
    assert any(ATTRIBUTION.split(";")[0] in t for t in texts)
