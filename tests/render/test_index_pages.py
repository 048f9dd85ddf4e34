"""The index pages as the engine builds them from a manifest: one page per language (``index.html``,
``index.vi.html``) each listing its language's documents and linking to the other, the national pages linked at the
top in both, numbers carrying their machine sort key, the content layer's extra HTML called by name (and its failure
shown, not hidden). Browser behaviour (sorting, maps) is in tests/site/test_index_browser.py."""
import html
import re

import pytest

from ntm_analysis.cli import SITE_FILE
from ntm_analysis.render import site
from ntm_analysis.render.index import build_index, index_languages, page_name, write_index
from ntm_analysis.render.manifest import Manifest
from ntm_analysis.report.params import ReportParams
from ntm_analysis.report.spec import index_row, index_row_with_maps

def _report(province, lang="en", vintage=2008, summary=None, status="ok"):
    p = ReportParams(province=province, lang=lang, vintage=vintage).validate()
    base = "" if vintage == 2008 else f"{vintage}/"
    entry = {"status": status, "html": f"{base}reports/{p.stem}.html" if status == "ok" else None,
             "notebook": None, "metadata": p.metadata(), "summary": summary or {}, "index": index_row(p)}
    if status != "ok":
        entry["error"] = {"message": "RuntimeError: example", "cell_index": 2, "exec_count": 2}
    return p.key, entry


def _pages():
    return {d.params().key: {"status": "ok", "html": f"pages/{d.name}.html", "notebook": None, "summary": {},
                             "index": d.index_row(d.params())} for d in site.load(SITE_FILE)}


def _rows(page: str) -> list[str]:
    return re.findall(r'<tr data-key="([^"]+)"', page)


def _links(page: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'href="([^"]+)"', page)]


def test_each_language_has_its_index_listing_its_own_reports(tmp_path):
    entries = dict([_report("Lào Cai"), _report("Hà Giang"), _report("Lào Cai", "vi"),
                             _report("Lâm Đồng", "vi", 2025), *_pages().items()])
    m = Manifest(tmp_path, entries)
    assert index_languages(m) == ["en", "vi"] and page_name("vi") == "index.vi.html"
    write_index(m)
    en = (tmp_path / "index.html").read_text(encoding="utf-8")
    vi = (tmp_path / "index.vi.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in en and '<html lang="vi">' in vi
    pages = ["site/case_studies", "site/method_validation", "site/national_overview"]
    assert sorted(_rows(en)) == sorted(["2008/10", "2008/02", *pages])
    assert sorted(_rows(vi)) == sorted(["2008/10/vi", "2025/68/vi", *pages])
    vi_reports = [h for h in _links(vi) if "/reports/" in "/" + h]
    assert vi_reports and all(h.endswith(".vi.html") for h in vi_reports), vi_reports
    assert not [h for h in _links(en) if h.endswith(".vi.html") and h != "index.vi.html"]
    assert 'href="index.vi.html" hreflang="vi" lang="vi">Tiếng Việt</a>' in en
    assert 'href="index.html" hreflang="en" lang="en">English</a>' in vi
    # the Vietnamese page's words and headers are Vietnamese; its reports are named without the "(vi)" tag
    assert "Tỷ lệ xã đạt chuẩn nông thôn mới" in vi and "Tìm tỉnh:" in vi and "Sắp xếp bảng theo một cột" in vi
    assert ">Lào Cai</a>" in vi and "(vi)" not in vi
    assert "Communes meeting the NTM standard" in en and "Find a province:" in en
    for word in ("Status", "Downloads", "Province", "Income per capita", "Find a province"):
        assert word not in vi, word


def test_the_national_pages_are_linked_at_the_top_of_both_indexes(tmp_path):
    entries = dict([_report("Lào Cai"), _report("Lào Cai", "vi"), *_pages().items()])
    write_index(Manifest(tmp_path, entries))
    for name, words in (("index.html", "National pages:"), ("index.vi.html", "Các trang toàn quốc (bằng tiếng Anh):")):
        text = (tmp_path / name).read_text(encoding="utf-8")
        nav = text[text.index('<nav id="ntm-nav"'):text.index("</nav>")]
        assert words in nav
        assert _links(nav) == ["pages/national_overview.html", "pages/case_studies.html",
                               "pages/method_validation.html"]
        assert text.index("</nav>") < text.index('<h2 id="national">') < text.index('<h2 id="provinces-2008">')
    vi = (tmp_path / "index.vi.html").read_text(encoding="utf-8")
    assert "Kiểm định phương pháp (dữ liệu MÔ PHỎNG – SYNTHETIC; tiếng Anh)" in vi


def test_a_vietnamese_index_exists_before_any_vietnamese_report_and_says_how_to_render_them(tmp_path):
    entries = dict([_report("Lào Cai"), *_pages().items()])
    write_index(Manifest(tmp_path, entries))
    vi = (tmp_path / "index.vi.html").read_text(encoding="utf-8")
    assert "ntm render --all --lang vi" in vi and 'id="ntm-empty"' in vi
    assert "2008/10" not in _rows(vi) and "site/national_overview" in _rows(vi)
    en = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert 'id="ntm-empty"' not in en


def test_numbers_carry_their_sort_key_and_gaps_carry_none(tmp_path):
    summary = {"income": "3,200 (2023, preliminary)", "ntm_share": "51.6 (mid-2025)", "transfers_per_person": "—",
               "sort_values": {"income": 3200.0, "ntm_share": 51.58730158730159, "transfers_per_person": None}}
    key, e = _report("Lào Cai", summary=summary)
    text = build_index(Manifest(tmp_path, {key: e}))
    row = text[text.index(f'data-key="{key}"'):]
    row = row[:row.index("</tr>")]
    assert '<td data-sort="3200.0">3,200 (2023, preliminary)</td>' in row
    assert '<td data-sort="51.58730158730159">51.6 (mid-2025)</td>' in row
    assert "<td>—</td>" in row  # a gap: no sort key, sorted last
    assert '<th scope="col" data-col="income" data-type="number">' in text
    assert '<th scope="col" data-col="region">' in text


def test_a_failed_vietnamese_report_is_listed_on_both_indexes(tmp_path):
    entries = dict([_report("Lào Cai"), _report("Hà Giang", "vi", status="failed")])
    write_index(Manifest(tmp_path, entries))
    en = (tmp_path / "index.html").read_text(encoding="utf-8")
    vi = (tmp_path / "index.vi.html").read_text(encoding="utf-8")
    assert ">Failures (1)</h2>" in en and "2008/02/vi" in en
    assert ">Lỗi (1)</h2>" in vi


def test_the_extra_html_is_called_by_name_and_a_failure_is_shown(tmp_path):
    key, e = _report("Lào Cai")
    e["index"]["group"]["site"]["extra"] = "index_hooks:extra"  # tests/index_hooks.py
    text = build_index(Manifest(tmp_path, {key: e}))
    assert '<div class="ntm-extra" id="ntm-extra"><p id="hook">en: 2008/10 → reports/lao-cai.html</p></div>' in text
    e["index"]["group"]["site"]["extra"] = "index_hooks:broken"
    text = build_index(Manifest(tmp_path, {key: e}))
    assert "index_hooks:broken failed: RuntimeError: no map today &lt;b&gt;" in text
    assert 'id="ntm-extra-failed"' in text


def test_the_engine_still_reads_a_manifest_of_the_previous_format(tmp_path):
    """Rows without ``lang``, ``sites`` or ``sort_values`` (written before the index had languages) go on
    ``index.html`` in English."""
    group = {"id": "g", "title": "G", "order": 0, "columns": [["name", "Name"], ["x", "X"]]}
    m = Manifest(tmp_path, {"a": {"status": "ok", "html": "a.html", "summary": {"x": "1"},
                                  "index": {"group": group, "name": "A"}}})
    assert index_languages(m) == ["en"]
    assert write_index(m) == tmp_path / "index.html" and not (tmp_path / "index.vi.html").exists()
    assert "<td>1</td>" in (tmp_path / "index.html").read_text(encoding="utf-8")


def test_lao_cais_ntm_columns_carry_the_numbers_of_the_data(golden):
    """The summary the rendered Lào Cai reports (English and Vietnamese) gave the index, against the data: the share
    of communes meeting the standard at its latest snapshot (mid-2025: the province's report of June 2025) and the
    MOF's 2016 transfer plan over the 2016 population (V02.01), with the same numbers shown on both index pages."""
    import ntm_analysis as ntm

    entries = Manifest.load(golden.out).entries
    en, vi = entries["2008/10"]["summary"], entries["2008/10/vi"]["summary"]
    r = ntm.load_ntm_reports(["communes_ntm", "communes_total"])
    r = r[(r["province_code"].astype(str) == "10") & (r["period_end"] == "2025-06") & (r["unit"] == "communes")]
    share = 100 * (r.loc[r["indicator"] == "communes_ntm", "value"].item()
                   / r.loc[r["indicator"] == "communes_total", "value"].item())
    assert en["sort_values"]["ntm_share"] == pytest.approx(share) == vi["sort_values"]["ntm_share"]
    assert en["ntm_share"] == f"{share:.1f} (mid-2025)"
    assert vi["ntm_share"] == f"{share:.1f}".replace(".", ",") + " (giữa năm 2025)"
    t = ntm.load_central_transfers()
    plan = t.loc[(t["code"].astype(str) == "10") & (t["year"] == 2016), "value_bn_vnd"].item()
    p = ntm.load_panel()
    pop = p.loc[(p["code"] == "10") & (p["variable"] == "population_total_v0201") & (p["year"] == 2016), "value"].item()
    per_person = plan / pop  # billion VND over thousand persons: million VND per person
    assert en["sort_values"]["transfers_per_person"] == pytest.approx(per_person)
    assert en["transfers_per_person"] == f"{per_person:.2f} (2016)"
    assert vi["transfers_per_person"] == f"{per_person:.2f}".replace(".", ",") + " (2016)"
    for page, s in (("index.html", en), ("index.vi.html", vi)):
        text = (golden.out / page).read_text(encoding="utf-8")
        for key in ("ntm_share", "transfers_per_person", "income"):
            assert f'<td data-sort="{s["sort_values"][key]}">{html.escape(s[key])}</td>' in text, (page, key)


def test_the_cli_composes_the_index_maps_and_a_library_render_does_not():
    """``ntm render`` asks for the index's maps (the report rows name the maps function); ``render()`` from the
    library does not pay for them."""
    import argparse

    from ntm_analysis.report import spec

    p = ReportParams(province="Lào Cai", lang="vi").validate()
    assert "extra" not in index_row(p)["group"]["site"]
    row = index_row_with_maps(p)
    assert row["group"]["site"]["extra"] == spec.INDEX_MAPS == "ntm_analysis.report.index_maps:index_maps"
    assert {lang: w["extra"] for lang, w in row["sites"].items()} == {"en": spec.INDEX_MAPS, "vi": spec.INDEX_MAPS}
    parser = argparse.ArgumentParser()
    spec.add_options(parser)
    args = parser.parse_args(["--province", "Lào Cai"])
    composed = spec.requests_from_args(args, index_maps=True)[0][0]
    assert composed["index_row"] is index_row_with_maps and spec.DOCUMENT["index_row"] is index_row


def test_the_extra_content_is_prepared_once_per_page_ahead_of_the_batch(tmp_path):
    """What the renderer runs in the background while a batch renders (:func:`prepare_extra`): the extra function
    of every page the documents will appear on, once per page, with their rows (no link yet, their metadata: the
    data folder they read); a failing one is left to the page's own call."""
    import index_hooks

    from ntm_analysis.render.index import prepare_extra

    index_hooks.CALLS.clear()
    entries = []
    for province, lang in (("Lào Cai", "en"), ("Hà Giang", "en"), ("Lào Cai", "vi")):
        key, e = _report(province, lang)
        e["index"]["group"]["site"]["extra"] = "index_hooks:recording"
        e["metadata"] = {"parameters": {"data_dir": "/data/x"}}
        entries.append({"key": key, "index": e["index"], "metadata": e["metadata"]})
    prepare_extra(entries, tmp_path)
    assert sorted(index_hooks.CALLS) == [
        ("en", ["2008/10", "2008/02"], ["/data/x", "/data/x"], str(tmp_path)),
        ("vi", ["2008/10/vi"], ["/data/x"], str(tmp_path))]
    for e in entries:
        e["index"]["group"]["site"]["extra"] = "index_hooks:broken"
    prepare_extra(entries, tmp_path)  # no exception: the index page reports it when it is written
