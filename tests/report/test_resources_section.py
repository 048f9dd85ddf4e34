"""The "Resources and outcomes" section of the province report (ntm_analysis/report/resources_section.py), in
process, on the shipped data: Lào Cai (10) and Đắk Nông (67) by value against ``resource_measures()`` (values,
per-person figures and ranks recomputed here with pandas), a province that reported nothing (its 2016 transfer
rank), the associations' figure inspected as matplotlib objects, verdict sentences that follow the verdict's code,
the excluded provinces complete, and the Vietnamese words of the section."""
import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import PathCollection  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from ntm_analysis.analyses.resources import HEADLINE_ASSOCIATIONS, resource_measures  # noqa: E402
from ntm_analysis.report import display, resources_section as rs  # noqa: E402
from ntm_analysis.report.context import ReportContext  # noqa: E402
from ntm_analysis.report.params import ReportParams  # noqa: E402
from test_report_vi import english_numbers, english_words, visible  # noqa: E402  (tests/report)

CONF = {"high": 2, "medium": 1, "low": 0}
OWN = ("resources_total", "resources_people")


def _ctx(province, lang="en", **kw):
    return ReportContext.load(ReportParams(province=province, lang=lang, **kw))


@pytest.fixture(scope="module")
def measures():
    return resource_measures()


@pytest.fixture(scope="module")
def associations():
    return rs.headline_associations()


def _expected_ranks(rm: pd.DataFrame) -> pd.DataFrame:
    """Rank per measure and period, recomputed here: per person for money, the share for commune shares; one
    figure per province (its highest confidence, then the earlier row); 1 = the most; ties share the best rank."""
    money = rm["value_bn_vnd"].notna()
    v = np.where(money, rm["per_capita_million_vnd"], rm["value"]).astype(float)
    df = rm.assign(v=v, c=rm["confidence"].map(CONF))
    df = df[np.isfinite(df["v"])].sort_values(["c", "source_row"], ascending=[False, True])
    df = df.drop_duplicates(["measure", "period_label", "code"])
    out = []
    for _, g in df.groupby(["measure", "period_label"]):
        vals = g["v"].to_numpy()
        out.append(g.assign(rank=[int((vals > x).sum()) + 1 for x in vals], of=len(g)))
    return pd.concat(out)[["code", "measure", "period_label", "source_row", "rank", "of"]]


@pytest.mark.parametrize("code,name", [("10", "Lào Cai"), ("67", "Đắk Nông")])
def test_measures_table_equals_resource_measures_with_ranks(code, name, measures):
    table = rs.measures_table(_ctx(code)).frame
    mine = measures[measures["code"] == code].reset_index(drop=True)
    assert len(table) == len(mine) > 2
    assert (table["place"] == name).all()
    assert list(table["resource_measure"]) == list(mine["measure"])
    assert table["value_bn_vnd"].tolist() == pytest.approx(mine["value_bn_vnd"].tolist(), nan_ok=True)
    assert table["per_capita_million_vnd"].tolist() == pytest.approx(mine["per_capita_million_vnd"].tolist(),
                                                                     nan_ok=True)
    # per person = billion VND / thousand persons of the same years (million VND per person), by hand
    money = mine[mine["population_thousand"].notna()]
    assert (money["value_bn_vnd"] / money["population_thousand"]).tolist() == pytest.approx(
        table.loc[money.index, "per_capita_million_vnd"].tolist())
    ranks = _expected_ranks(measures)
    ranks = ranks[ranks["code"] == code].set_index("source_row")
    for i, r in mine.iterrows():
        got_rank, got_of = table.loc[i, "resource_rank"], table.loc[i, "resource_of"]
        if r["source_row"] in ranks.index:
            assert (got_rank, got_of) == (ranks.at[r["source_row"], "rank"], ranks.at[r["source_row"], "of"]), r
        else:  # no per-person figure (no population series covers the period), or not its best report: no rank
            assert pd.isna(got_rank)
    # the 2016 transfers cover all 63 provinces; a lower bound says so and has no per-person figure without a
    # population series for its period
    t2016 = table[(table["resource_measure"] == "central_ntp_transfers_plan") & (table["period"] == "2016")]
    assert len(t2016) == 1 and t2016["resource_of"].iloc[0] == 63
    for _, r in table[table["qualifier"] == "lower_bound"].iterrows():
        assert "a lower bound (at least this much)" in r["note"]
    assert (table["scope"] != "").all() and (table["publisher"] != "").all()


def test_dak_nong_decade_total_is_a_lower_bound_without_a_per_person_figure(measures):
    table = rs.measures_table(_ctx("67")).frame
    decade = table[(table["resource_measure"] == "resources_total") & (table["period"] == "2010–2019")]
    raw = measures[(measures["code"] == "67") & (measures["period_label"] == "2010–2019")]
    assert len(decade) == len(raw) == 1
    assert decade["value_bn_vnd"].iloc[0] == pytest.approx(raw["value_bn_vnd"].iloc[0])
    assert decade["qualifier"].iloc[0] == "lower_bound" and math.isnan(decade["per_capita_million_vnd"].iloc[0])
    assert decade["note"].iloc[0].startswith("no per-person value: no population series covers every year of "
                                             "2010–2019")


def test_a_province_that_reported_nothing_is_told_so_with_its_2016_transfer_rank(measures):
    own = set(measures.loc[measures["measure"].isin(OWN), "code"])
    nothing = sorted(set(measures["code"]) - own)
    assert nothing, "every province reported a total: pick another check"
    code = nothing[0]
    ctx = _ctx(code)
    assert [m.code for m in rs.reported_nothing(ctx)] == [code]
    t2016 = measures[(measures["measure"] == "central_ntp_transfers_plan") & (measures["period_start"] == 2016)]
    assert t2016["code"].nunique() == 63
    pc = t2016.set_index("code")["per_capita_million_vnd"]
    rank = int((pc > pc[code]).sum()) + 1
    intro = rs.intro(ctx)
    assert f"reported no resource figure of its own" in intro
    assert f"rank {rank} of 63" in intro
    assert f"{pc[code]:,.2f} million VND per person" in intro
    # Lào Cai reported its own totals: no such sentence
    assert "reported no resource figure" not in rs.intro(_ctx("10"))


def test_the_figure_highlights_the_province_with_labels_and_a_source_line(associations):
    fig = rs.figure(_ctx("10"))
    try:
        axes = [a for a in fig.axes if a.get_visible()]
        assert len(axes) == len(associations) == len(HEADLINE_ASSOCIATIONS)
        fig.canvas.draw()
        texts = [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
        assert sum(t.startswith("Source: Ministry of Finance") for t in texts) == 1
        for ax, a in zip(axes, associations):
            assert "million VND per person" in ax.get_xlabel().replace("\n", " ")
            assert ax.get_ylabel()
            sample = a.result.sample
            assert f"{a.n} provinces" in " ".join(texts)
            lao = sample[sample["code"] == "10"]
            big = [c for c in ax.collections if isinstance(c, PathCollection) and c.get_sizes()[0] == 80]
            if len(lao):
                x = math.exp(lao["x"].iloc[0]) if a.log_x else lao["x"].iloc[0]
                assert len(big) == 1 and big[0].get_offsets()[0].tolist() == pytest.approx([x, lao["y"].iloc[0]])
                assert [t.get_text() for t in ax.texts if t.get_text() == "Lào Cai"] == ["Lào Cai"]
            else:
                assert not big
            grey = [c for c in ax.collections if isinstance(c, PathCollection) and c.get_sizes()[0] == 24]
            assert len(grey[0].get_offsets()) == a.n - len(lao)
            lines = [ln for ln in ax.lines if len(ln.get_xdata()) == 50]
            assert len(lines) == (1 if a.reported and not a.has_controls else 0)
            if lines:  # the fitted line is the result's own intercept and slope
                xs = np.asarray(lines[0].get_xdata(), float)
                assert np.asarray(lines[0].get_ydata(), float).tolist() == pytest.approx(
                    (a.intercept + float(a.slope["estimate"]) * np.log(xs)).tolist())
    finally:
        plt.close(fig)


def test_verdicts_follow_the_code_and_name_n(associations):
    codes = set()
    for a in associations:
        code = a.verdict["code"]
        codes.add(code)
        words = rs.verdict_text(a, "en")
        assert f"{a.n} provinces" in words or code == "too_few"
        if code in ("no_clear", "fragile", "too_few"):
            assert "positive" not in words and "negative" not in words
            assert "no direction is claimed" in words or "no slope is reported" in words
        else:
            s = a.slope
            assert s["ci_low"] > 0 or s["ci_high"] < 0
            assert ("positive" in words) == (s["estimate"] > 0) and ("negative" in words) == (s["estimate"] < 0)
        if code == "no_clear":
            assert s_includes_zero(a)
        assert a.verdict["n"] == a.n == len(a.result.sample)
    assert "no_clear" in codes  # the shipped data have at least one association with no clear sign


def s_includes_zero(a) -> bool:
    s = a.slope
    return s["ci_low"] <= 0 <= s["ci_high"]


def test_associations_table_by_value(associations):
    ctx = _ctx("67")
    t = rs.associations_table(ctx).frame
    assert len(t) == len(associations)
    for (_, row), a in zip(t.iterrows(), associations):
        assert row["assoc_n"] == a.n
        assert row["assoc_estimate"] == pytest.approx(float(a.slope["estimate"]))
        assert (row["assoc_ci_low"], row["assoc_ci_high"]) == pytest.approx(
            (float(a.slope["ci_low"]), float(a.slope["ci_high"])))
        loo = a.robustness[a.robustness["specification"].str.startswith("leave-one-out")]["estimate"]
        assert (row["loo_min"], row["loo_max"]) == pytest.approx((loo.min(), loo.max()))
        in_sample = "67" in set(a.result.sample["code"])
        assert (row["in_sample"] == "in the sample") == in_sample


def test_excluded_provinces_are_complete_with_reasons_in_both_languages(associations):
    for a in associations:
        en = rs.excluded_table(a, "en").frame
        vi = rs.excluded_table(a, "vi").frame
        assert len(en) + a.n == 63 and not set(en["place_code"]) & set(a.result.sample["code"])
        assert (en["place"].str.len() > 0).all() and (en["reason"].str.len() > 0).all()
        # the report words the analyses' reason codes: in English exactly the analyses' sentence, in Vietnamese its
        # own (no English left)
        assert list(en["reason"]) == list(a.result.excluded["reason"])
        assert (vi["reason"].str.len() > 0).all() and not set(vi["reason"]) & set(en["reason"]), list(vi["reason"])
        rob = rs.robustness_table(a, "en").frame
        assert rob["baseline"].sum() == 1
        assert rob.loc[rob["baseline"], "assoc_estimate"].iloc[0] == pytest.approx(float(a.slope["estimate"]))


def test_curve_figure_one_panel_per_scale_sorted_with_the_baseline(associations):
    a = associations[0]
    curve = rs.curve_of(a)
    fig = rs.curve_figure(a, curve, "en")
    try:
        assert len(fig.axes) == curve["log_x"].nunique() == 2
        for ax, (log_x, g) in zip(fig.axes, [(v, curve[curve["log_x"] == v]) for v in dict.fromkeys(curve["log_x"])]):
            ys = sorted(y for c in ax.collections if isinstance(c, PathCollection) for _, y in c.get_offsets())
            assert ys == pytest.approx(sorted(g["estimate"].dropna()))
            assert ("ln million VND" in ax.get_ylabel()) == bool(log_x)
            assert [ln for ln in ax.lines if list(ln.get_ydata()) == [0, 0]]
        labels = [c.get_label() for ax in fig.axes for c in ax.collections if isinstance(c, PathCollection)]
        assert labels.count("baseline specification") == 1
    finally:
        plt.close(fig)


@pytest.mark.parametrize("province", ["Lào Cai", "Đắk Nông", "Lai Châu"])
def test_the_vietnamese_section_has_no_english(province):
    ctx = _ctx(province, "vi")
    html = "".join(str(display.table_html(t)) for t in (rs.measures_table(ctx), rs.associations_table(ctx)))
    html += "".join(f"<p>{p}</p>" for p in (rs.intro(ctx), rs.verdicts(ctx)))
    words, _, _ = visible(html)
    assert english_words(words) == [] and english_numbers(words) == []
    fig = rs.figure(ctx)
    try:
        fig.canvas.draw()
        for t in fig.findobj(Text):
            if t.get_visible() and t.get_text().strip():
                assert english_words(t.get_text()) == [] and english_numbers(t.get_text()) == [], t.get_text()
    finally:
        plt.close(fig)


def test_the_section_tables_download_with_sources():
    ctx = _ctx("10")
    rec = rs.measures_table(ctx).record()
    cols = {c["id"]: c for c in rec["columns"]}
    assert "Ministry of Finance, budget estimate 2016" in cols["value_bn_vnd"]["source"]
    assert "People's Committee of Lào Cai" in cols["value_bn_vnd"]["source"]
    assert cols["per_capita_million_vnd"]["unit"] == "million VND/person"
    assert {"resource_measure", "resource_measure_label", "scope", "resource_rank", "source_url"} <= set(cols)
    assert len(rec["rows"]) == len(rs.province_measures(ctx))


def test_rendered_reports_show_the_section_with_figure_tables_and_downloads(golden, measures):
    """The session's golden renders (tests/conftest.py): Lào Cai in English and in Vietnamese, and the 2025 Lâm
    Đồng (with Đắk Nông among its constituents) show the section: heading, the measures table with the 2016
    transfer rank recomputed here, the figure (its recorded texts: the highlighted names, n, the source line), the
    verdicts, and the two tables in the downloads."""
    import base64
    import io
    import json

    from bs4 import BeautifulSoup
    from PIL import Image

    from ntm_analysis.report import png

    t2016 = measures[(measures["measure"] == "central_ntp_transfers_plan") & (measures["period_start"] == 2016)]
    pc = t2016.set_index("code")["per_capita_million_vnd"]
    for name, heading, names, lang in (("lao-cai", "Resources and outcomes", ["Lào Cai"], "en"),
                                       ("lao-cai.vi", "Nguồn lực và kết quả", ["Lào Cai"], "vi"),
                                       ("lam-dong-2025", "Resources and outcomes", ["Lâm Đồng", "Đắk Nông",
                                                                                    "Bình Thuận"], "en")):
        soup = BeautifulSoup(golden.html(name), "html.parser")
        h = next(x for x in soup.find_all("h2") if x.get_text(strip=True) == heading)
        section = []
        for el in h.find_all_next():
            if el.name in ("h2", "h3"):  # the case study's heading is an h3
                break
            section.append(el)
        tables = [e for e in section if e.name == "table"]
        imgs = [e for e in section if e.name == "img"]
        assert len(tables) == 2 and len(imgs) == 1
        texts = [t["text"] for t in json.loads(Image.open(io.BytesIO(base64.b64decode(
            imgs[0]["src"].split(",", 1)[1]))).text[png.TEXTS_KEY])]
        for n in names:
            assert n in texts, (name, n)
        assert sum(t.startswith(("Source: ", "Nguồn: ")) for t in texts) == 1
        heads = [th.get_text(strip=True) for th in tables[0].find("thead").find_all("th")]
        rows = [[td.get_text(strip=True) for td in tr.find_all("td")] for tr in tables[0].find("tbody").find_all("tr")]
        rank_col = heads.index("Rank" if lang == "en" else "Hạng")
        if name.startswith("lao-cai"):
            rank = int((pc > pc["10"]).sum()) + 1
            assert rows[0][rank_col] == str(rank) and rows[0][rank_col + 1] == "63"
        items = [e.get_text(" ", strip=True) for e in section if e.name == "li"]
        assert len(items) == len(HEADLINE_ASSOCIATIONS)
    from ntm_analysis.glue import read_glue
    from ntm_analysis.report import publish
    ids = [t["id"] for t in read_glue(golden.notebook("lao-cai"))[publish.TABLES]]
    assert {"resources_province", "resources_associations"} <= set(ids)
    folder = golden.downloads("lao-cai") / golden.params["lao-cai"].stem
    assert (folder / "resources_province.csv").read_bytes().startswith(b"\xef\xbb\xbf")
