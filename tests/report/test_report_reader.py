"""A report as its reader reads it (issue 14, item 3): sources named by their publisher and table in the report's
language with the intermediate copies only in the provenance footer, translations labelled as translations, text
left and numbers right in every table (as Chromium lays them out), the scope written beside each resource total,
and exclusion reasons worded from the analyses' codes.

The rendered reports are the session's golden renders (tests/conftest.py): Lào Cai in Vietnamese and in English.
"""
import re
import unicodedata

import pytest
from bs4 import BeautifulSoup

import ntm_analysis as ntm
from ntm_analysis import i18n
from ntm_analysis.analyses import resource_association as ra
from ntm_analysis.data.sources import provenance as provenance_records
from ntm_analysis.report import display, provenance, resources_section as rs, sources, tables
from ntm_analysis.report.context import ReportContext
from ntm_analysis.report.params import ReportParams

#: Names of the intermediate copies the data came through: never in a report's body.
COPIES = ("phnam05", "choisy", "github", ".xlsx committed", "xlsx committed", "kyojinkyojin", "non-ceterisparibus",
          "scraped")


def body_and_footer(html: str) -> tuple[BeautifulSoup, BeautifulSoup]:
    """The report's body (scripts and styles dropped) and its provenance footer, split apart."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "head"]):
        tag.decompose()
    footers = soup.find_all(class_=provenance.FOOTER_CLASS)
    assert len(footers) == 1, "the report has one provenance footer"
    footer = BeautifulSoup(str(footers[0]), "html.parser")
    footers[0].decompose()
    return soup, footer


def _norm(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split()))


@pytest.fixture(scope="module")
def panel_sources():
    """Every (file, source) of the shipped panel, and the (English) titles of those files' provenance records."""
    p = ntm.load_panel(level="all")
    pairs = sorted(set(zip(p["source_file"].astype(str), p["source"].astype(str))))
    records = provenance_records()["files"]
    titles = {str(records[f].get("title", "")) for f in {f for f, _ in pairs}} - {""}
    return pairs, titles


# --- sources by publisher ---------------------------------------------------------------------------------------
def test_every_source_of_the_panel_has_a_publisher_and_table_in_both_languages(panel_sources):
    pairs, _ = panel_sources
    assert len(pairs) >= 10
    for f, s in pairs:
        assert sources.is_listed(f, s), (f, s)
        vi, en = sources.citation(f, s, "vi"), sources.citation(f, s, "en")
        assert vi.startswith("Tổng cục Thống kê (GSO), ") and en.startswith("General Statistics Office of Viet Nam")
        for cited in (vi, en):
            assert not any(c in cited.lower() for c in COPIES) and " via " not in cited, cited
    vhlss = ("income_per_capita_monthly_by_province.csv",
             next(s for f, s in pairs if f == "income_per_capita_monthly_by_province.csv" and "phnam05" in s))
    assert sources.citation(*vhlss, "vi") == ("Tổng cục Thống kê (GSO), Niên giám thống kê 2023: thu nhập bình quân "
                                             "đầu người một tháng theo giá hiện hành phân theo 5 nhóm thu nhập và "
                                             "phân theo địa phương")
    assert sources.publisher_name("mof", "vi") == "Bộ Tài chính"
    assert sources.publisher_name("molisa", "vi") == "Bộ Lao động – Thương binh và Xã hội"
    assert sources.publisher_name("province", "vi", name="Lào Cai") == "UBND tỉnh Lào Cai"
    # a source the mapping does not list is shown as the data write it (a researcher's own data folder)
    assert sources.citation("x.csv", "my own table", "vi") == "my own table"


def test_a_source_mapping_with_an_unknown_publisher_is_refused(tmp_path, monkeypatch):
    bad = tmp_path / "sources.yml"
    bad.write_text("publishers: {gso: {en: GSO, vi: GSO}}\nsources:\n  - {file: a.csv, source: s, publisher: nso, "
                   "title: {en: t, vi: t}}\n", encoding="utf-8")
    monkeypatch.setattr(sources, "SOURCES_FILE", bad)
    sources._read.cache_clear()
    try:
        with pytest.raises(ValueError, match=r"sources.yml: source 1 \('a.csv'\): publisher 'nso'; expected one of"):
            sources.citation("a.csv", "s", "vi")
    finally:
        monkeypatch.undo()
        sources._read.cache_clear()


@pytest.mark.parametrize(("name", "publisher", "yearbook"), [
    ("lao-cai.vi", "Tổng cục Thống kê (GSO)", "Niên giám thống kê 2023"),
    ("lao-cai", "General Statistics Office of Viet Nam (GSO)", "Statistical Yearbook 2023")])
def test_lao_cai_report_names_publishers_in_its_body_and_copies_only_in_its_footer(golden, panel_sources, name,
                                                                                 publisher, yearbook):
    pairs, titles = panel_sources
    body, footer = body_and_footer(golden.html(name))
    text, foot = _norm(body.get_text(" ")), _norm(footer.get_text(" "))
    for copy in COPIES:
        assert copy not in text.lower(), copy
    # no source as the data write it (English titles with their copies) and no English provenance title in the body
    for _, s in pairs:
        assert _norm(s) not in text, s
    if name.endswith(".vi"):
        for title in titles:
            assert _norm(title) not in text, title
    cites = [_norm(c.get_text()) for c in body.find_all("cite")]
    assert cites and all(c.startswith(publisher + ", ") for c in cites), cites
    assert f"{publisher}, {yearbook}" in text
    # the footer names the copies the figures came through, beside the citation the body uses
    assert "choisy/gso" in foot and "phnam05" in foot and f"{publisher}, {yearbook}" in foot


# --- translations labelled --------------------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "label"), [("lao-cai.vi", "bản dịch máy"), ("lao-cai", "machine translation")])
def test_the_articles_words_are_labelled_as_a_machine_translation(golden, name, label):
    body, _ = body_and_footer(golden.html(name))
    table = body.find(id="T_ntm_seed_claims")
    heads = [_norm(th.get_text()) for th in table.find("thead").find_all("th")]
    assert "Nguyên văn bài báo" not in heads
    row = table.find("tbody").find("tr")
    cells = row.find_all(["td", "th"])
    quoted = [i for i, c in enumerate(cells) if c.find("q")]
    assert quoted, "the seed claims show the article's words"
    for i in quoted:
        assert label in heads[i], heads[i]
        assert cells[i].find("q")["lang"] == "en"  # the words are the English translation's, marked so


# --- alignment: text left, numbers right ------------------------------------------------------------------------
_CELLS_JS = """(() => Array.from(document.querySelectorAll('table')).map(t => [t.id,
    Array.from(t.querySelectorAll('thead th'), th => th.textContent.trim()),
    Array.from(t.querySelectorAll('tbody tr'), tr => Array.from(tr.querySelectorAll('td, th'),
        td => [td.textContent.trim(), getComputedStyle(td).textAlign]))]))()"""
REPORT_TABLES = (tables.key_figures, tables.elasticity, tables.ranks, tables.ntm, tables.seed_claims,
                 tables.model_estimates, tables.model_provinces, rs.measures_table, rs.associations_table)
FOOTER_TABLES = ("T_ntm_source_copies", "T_ntm_data_files", "T_ntm_software")


def test_every_table_of_the_vietnamese_report_aligns_text_left_and_numbers_right_in_chromium(golden, chromium):
    ctx = ReportContext.load(golden.params["lao-cai.vi"])
    expected = {}
    for build in REPORT_TABLES:
        t = build(ctx)
        expected[f"T_ntm_{t.id}"] = {t.shown_header(c): "right" if t.kind(c) in display.RIGHT else "left"
                                     for c in t.shown_columns()}
    with chromium.open(golden.report("lao-cai.vi").resolve().as_uri()) as page:
        laid_out = page.evaluate(_CELLS_JS)
    seen = {tid for tid, _, _ in laid_out}
    assert set(expected) | set(FOOTER_TABLES) <= seen, seen
    counts = {"left": 0, "right": 0}
    for tid, heads, rows in laid_out:
        if tid not in expected and tid not in FOOTER_TABLES:
            continue
        for row in rows:
            for head, (value, align) in zip(heads, row):
                want = "left" if tid in FOOTER_TABLES else expected[tid][head]
                assert align == want, (tid, head, value, align)
                counts[want] += 1
    assert counts["left"] > 100 and counts["right"] > 50, counts


# --- the scope beside each total --------------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "value", "scope"), [("lao-cai.vi", "11.182,24", "ba chương trình mục tiêu quốc gia"),
                                                      ("lao-cai", "11,182.24", "three programmes")])
def test_the_low_confidence_total_of_three_programmes_shows_its_scope_beside_it(golden, name, value, scope):
    body, _ = body_and_footer(golden.html(name))
    table = body.find(id="T_ntm_ntm")
    heads = [_norm(th.get_text()) for th in table.find("thead").find_all("th")]
    scope_col = heads.index(i18n.column("scope", "vi" if name.endswith(".vi") else "en")[0])
    value_col = heads.index(i18n.column("value", "vi" if name.endswith(".vi") else "en")[0])
    assert scope_col <= value_col + 2  # beside the value and its unit
    rows = [[_norm(c.get_text()) for c in tr.find_all(["td", "th"])] for tr in table.find("tbody").find_all("tr")]
    totals = [r for r in rows if r[0] == i18n.label("indicator", "resources_total", "vi" if ".vi" in name else "en")]
    assert len(totals) == 3  # 2011–2015, and two for 2021–2025
    mine = [r for r in totals if r[value_col] == value]
    assert len(mine) == 1 and mine[0][scope_col] == scope, totals
    assert all(r[scope_col] for r in totals)  # every total has its scope
    people = i18n.label("indicator", "resources_people", "vi" if ".vi" in name else "en")
    others = [r for r in rows if r not in totals and r[0] != people]
    assert others and all(r[scope_col] == "" for r in others)  # a count of communes has no scope
    # the section on resources shows the same figure with its scope too
    res = body.find(id="T_ntm_resources_province")
    rheads = [_norm(th.get_text()) for th in res.find("thead").find_all("th")]
    rrows = [[_norm(c.get_text()) for c in tr.find_all(["td", "th"])] for tr in res.find("tbody").find_all("tr")]
    hit = [r for r in rrows if value in r]
    assert hit and all(r[rheads.index(i18n.column("scope", "vi" if ".vi" in name else "en")[0])] == scope
                       for r in hit)


def test_ntm_table_scope_codes_come_from_the_hand_classification():
    ctx = ReportContext.load(ReportParams(province="Lào Cai"))
    t = tables.ntm(ctx).frame
    totals = t[t["indicator"] == "resources_total"]
    assert sorted(zip(totals["value"].round(3), totals["scope"])) == [
        (9200.0, "excludes credit"), (11182.244, "three programmes"), (50281.0, "includes credit")]
    assert t.loc[t["indicator"] == "communes_ntm", "scope"].isna().all()


# --- exclusion reasons: codes worded by the catalog -------------------------------------------------------------
def test_every_reason_code_of_the_analyses_is_worded_in_both_languages_and_english_equals_the_analyses():
    assert set(rs.REASON_MESSAGES) == set(ra.REASONS)
    fields = {"year": 2017, "measure": "resources_total", "period": "2011–2015", "span": "phase",
              "reported": ["2010–2019-09", "?–2018-03", "?–"], "confidence": "medium", "years": "2023–2025",
              "note": "no single population series covers every year 2016–2020 (…)", "k": 2}
    for code, template in ra.REASONS.items():
        names = set(re.findall(r"{(\w+)}", template))
        r = ra.reason(code, **{k: fields[k] for k in names})
        assert rs.reason_part(r, "en") == ra.reason_part(r), code
        vi = rs.reason_part(r, "vi")
        assert vi and vi != ra.reason_part(r) and "(…)" not in vi, (code, vi)
    several = [ra.reason("several_reports", k=2), ra.reason("low_confidence"), ra.reason("lower_bound")]
    assert rs.reason_text(several, "en") == ra.reason_sentence(several) == \
        "2 reports for the period: low confidence; lower bound (dropped)"
    assert rs.reason_text(several, "vi") == "2 báo cáo cho thời kỳ: độ tin cậy thấp; cận dưới (bỏ ra)"
    assert rs.reason_part(ra.reason("covers_other_period", measure="resources_total", period="2016–2020",
                                    span="phase", reported=["2016–2019-06"]), "vi") == \
        "tổng số tính cho 2016–06/2019, không phải giai đoạn 2016–2020"
    with pytest.raises(ValueError, match="reason code 'guess'"):
        ra.reason("guess")
    with pytest.raises(ValueError, match="exclusion reason code 'guess'"):
        rs.reason_part({"code": "guess"}, "vi")


def test_an_association_gives_its_reasons_as_codes_and_the_report_words_them():
    r = ntm.resources_association("central_ntp_transfers_plan", "real_income_growth_2016_2018", (2017, 2017))
    ex = r.excluded.set_index("code")
    blank = ex.loc[ex["reason"].str.startswith("blank in the MOF 2017 plan")]
    assert len(blank) == 10  # the ten self-balancing provinces
    assert all(c == [{"code": "blank_in_plan", "year": 2017}] for c in blank["reason_codes"])
    assert {rs.reason_text(c, "vi") for c in blank["reason_codes"]} == {
        "để trống trong kế hoạch năm 2017 của Bộ Tài chính (tỉnh tự cân đối ngân sách)"}
    assert [rs.reason_text(c, "en") for c in ex["reason_codes"]] == list(ex["reason"])
