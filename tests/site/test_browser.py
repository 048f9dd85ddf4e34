"""Rendered reports and the index in headless Chromium (see tests/browser.py and the ``chromium`` fixture).

Real renders (the session's golden reports, tests/conftest.py: one per geography checked here), real data, a real
browser: the pages load without console errors
or uncaught exceptions, every figure decodes, nothing is fetched from the network, the index's filter box finds
provinces in any spelling, and data-derived text with HTML in it is shown as text, never run.
"""
import csv
import html
import json
import sys
import unicodedata
from pathlib import Path

import pytest

import background
import browser
from ntm_analysis import paths
from ntm_analysis.report.params import ReportParams
from ntm_analysis.render import render
from ntm_analysis.render.execute import external_references
from ntm_analysis.render.index import build_index
from ntm_analysis.report.spec import index_row, search_key
from ntm_analysis.render.manifest import Manifest

pytestmark = pytest.mark.browser

REPORTS = {"lao-cai": ("reports/lao-cai.html", "Lào Cai"), "lam-dong-2025": ("2025/reports/lam-dong.html", "Lâm Đồng")}

XSS_SCRIPT = "<script>window.__xss=1</script>"
XSS_ATTR = '"><img src=x onerror="window.__xss=2">'


@pytest.fixture(scope="module")
def rendered(golden):
    return golden.out


def _open_clean(chromium, path: Path) -> browser.Page:
    assert path.exists(), path
    return chromium.open(path.resolve().as_uri())


# --- the helpers themselves: each check must be able to fail -----------------------------------------------------
def test_helpers_catch_errors_broken_images_network_and_blank_pages(chromium, tmp_path):
    bad = tmp_path / "bad.html"
    bad.write_text('<!DOCTYPE html><html><body><p>x</p><img src="missing.png">'
                   '<img src="http://example.invalid/remote.png">'
                   '<script>console.error("logged " + "error"); setTimeout(() => { throw new Error("late boom"); });'
                   "</script></body></html>", encoding="utf-8")
    with _open_clean(chromium, bad) as page:
        page.evaluate("new Promise(r => setTimeout(r, 100))")  # let the timer's exception land
        errors = "\n".join(page.console_errors())
        assert "console.error: logged error" in errors
        assert "uncaught: Error: late boom" in errors
        assert "ERR_FILE_NOT_FOUND" in errors
        assert page.network_requests() == ["http://example.invalid/remote.png"]
        assert {i["src"] for i in page.undecoded_images()} == {"missing.png", "http://example.invalid/remote.png"}
        assert browser.screenshot_problems(page.screenshot())  # one tiny word on white: blank
        assert page.evaluate("6 * 7") == 42
        with pytest.raises(browser.DevToolsError, match="nope"):
            page.evaluate("(() => { throw new Error('nope'); })()")


def test_a_browser_leaves_no_process_behind(tmp_path):
    b = browser.Chromium(browser.ensure_chromium())
    pgid, profile = b.pgid, Path(b.profile)
    assert b.version.startswith(("Chrome/", "HeadlessChrome/"))
    assert len(browser.group_processes(pgid)) >= 2  # browser and at least one helper process
    page = tmp_path / "p.html"
    page.write_text("<p>hi</p>", encoding="utf-8")
    with b.open(page.as_uri()) as p:
        assert p.evaluate("document.body.textContent") == "hi"
    b.close()
    assert browser.group_processes(pgid) == [] and not profile.exists() and not b.alive
    b.close()  # twice is harmless


# --- reports -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("report", sorted(REPORTS))
def test_report_renders_in_chromium(chromium, rendered, report):
    rel, name = REPORTS[report]
    with _open_clean(chromium, rendered / rel) as page:
        assert page.console_errors() == []
        assert page.network_requests() == []
        assert name in page.evaluate("document.title")
        assert name in page.evaluate("document.querySelector('h1').textContent")  # with its diacritics
        images = page.images()
        assert len(images) >= 3, images
        assert page.undecoded_images() == []
        assert all(i["naturalWidth"] >= 100 and i["naturalHeight"] >= 100 for i in images), images
        assert browser.screenshot_problems(page.screenshot()) == []
        assert browser.screenshot_problems(page.screenshot(full_page=True)) == []
        assert page.console_errors() == []  # nothing late either


LOCATOR_RED = (0xC0, 0x39, 0x2B)  # ntm_analysis.report.maps: the located province's colour


@pytest.mark.parametrize("report", sorted(REPORTS))
def test_report_shows_its_locator_map(chromium, rendered, report):
    """The locator map near the top of each report decodes, and a screenshot of it as the browser draws it is not
    blank and shows the highlighted province (pixels of its colour)."""
    import base64
    import io

    from PIL import Image

    rel, _name = REPORTS[report]
    with _open_clean(chromium, rendered / rel) as page:
        box = page.evaluate(
            "(async () => { const cells = Array.from(document.querySelectorAll('.celltag_locator'));"
            " const img = cells.length === 1 ? cells[0].querySelector('img') : null;"
            " if (!img) return null; await img.decode(); img.scrollIntoView();"
            " const r = img.getBoundingClientRect();"
            " return {x: r.x, y: r.y, width: r.width, height: r.height, w: img.naturalWidth, h: img.naturalHeight,"
            " before: Array.from(document.images).indexOf(img)}; })()")
        assert box is not None, "no single locator cell with an image"
        assert box["w"] >= 200 and box["h"] >= 200 and box["before"] <= 1, box  # a real map, near the top
        shot = base64.b64decode(page.browser.send("Page.captureScreenshot", {"format": "png", "clip": {
            "x": box["x"], "y": box["y"], "width": box["width"], "height": box["height"], "scale": 1}},
            session=page.session)["data"])
    assert browser.screenshot_problems(shot) == []
    import numpy as np

    pixels = np.asarray(Image.open(io.BytesIO(shot)).convert("RGB"), dtype=int)
    red = int((np.abs(pixels - np.array(LOCATOR_RED)).max(axis=2) <= 6).sum())
    assert red >= 30, red


def test_report_tables_align_text_left_and_numbers_right(chromium, rendered):
    """The key figures as a reader's browser lays them out: the figure's name left, its year and value right."""
    with _open_clean(chromium, rendered / "reports" / "lao-cai.html") as page:
        align = page.evaluate(
            "(() => { const t = document.getElementById('T_ntm_key_figures');"
            " const heads = Array.from(t.querySelectorAll('thead th'), th => th.textContent.trim());"
            " const cells = t.querySelectorAll('tbody tr')[0].querySelectorAll('td');"
            " return Object.fromEntries(heads.map((h, i) => [h, getComputedStyle(cells[i]).textAlign])); })()")
    assert align["Figure"] == "left" and align["Source"] == "left" and align["Status"] == "left"
    assert align["Year"] == "right" and align["Value"] == "right"


def test_index_renders_in_chromium(chromium, rendered):
    with _open_clean(chromium, rendered / "index.html") as page:
        assert page.console_errors() == [] and page.network_requests() == []
        links = page.evaluate("Array.from(document.querySelectorAll('td a'), a => a.getAttribute('href'))")
        assert "reports/lao-cai.html" in links and "2025/reports/lam-dong.html" in links
        for href in links:
            assert (rendered / href).exists(), href
        assert page.evaluate("getComputedStyle(document.getElementById('ntm-filter-box')).display") != "none"
        assert browser.screenshot_problems(page.screenshot()) == []


# --- the index's filter box --------------------------------------------------------------------------------------
FILTER_PROVINCES = [("Đắk Nông", 2008), ("Đắk Lắk", 2008), ("Lào Cai", 2008), ("Hồ Chí Minh", 2008),
                    ("Đà Nẵng", 2008), ("Quảng Nam", 2008), ("Lâm Đồng", 2025), ("Đắk Lắk", 2025)]


@pytest.fixture(scope="module")
def filter_index(tmp_path_factory):
    """An index of eight reports (seven rendered, Điện Biên failed), built from a manifest like ``ntm render``'s."""
    out = tmp_path_factory.mktemp("filter-index")
    entries = {}
    for prov, vintage in FILTER_PROVINCES:
        p = ReportParams(province=prov, vintage=vintage).validate()
        meta = p.metadata()
        entries[f"{vintage}/{p.province}"] = {"status": "ok", "html": f"reports/{meta['slug']}.html",
                                              "notebook": None, "summary": {}, "metadata": meta, "error": None,
                                              "index": index_row(p)}
    dien_bien = ReportParams(province="Điện Biên").validate()
    entries["2008/11"] = {"status": "failed", "html": None, "notebook": None, "summary": {},
                          "metadata": dien_bien.metadata(), "index": index_row(dien_bien),
                          "error": {"message": "RuntimeError: example", "cell_index": 1, "exec_count": 1}}
    path = out / "index.html"
    path.write_text(build_index(Manifest(out, entries)), encoding="utf-8")
    return path


VISIBLE_ROWS = ("Array.from(document.querySelectorAll('tr[data-key]'))"
                ".filter(r => r.getClientRects().length > 0).map(r => r.dataset.key)")
ALL_ROWS = ["2008/10", "2008/11", "2008/48", "2008/49", "2008/66", "2008/67", "2008/79", "2025/66", "2025/68",
            "2008/11"]  # Điện Biên twice: its table row and its row under "Failures"


def _visible(page) -> list[str]:
    return sorted(page.evaluate(VISIBLE_ROWS))


@pytest.mark.parametrize("query, expected", [
    # every spelling of Đắk Nông finds it, and the 2025 Lâm Đồng that absorbed it
    ("dak nong", ["2008/67", "2025/68"]),
    ("Đắk Nông", ["2008/67", "2025/68"]),
    ("đắk nông", ["2008/67", "2025/68"]),
    ("dak-nong", ["2008/67", "2025/68"]),
    ("DAKNONG", ["2008/67", "2025/68"]),
    ("  Dak_Nong. ", ["2008/67", "2025/68"]),
    ("Dac Nong", ["2008/67"]),  # an old romanisation geo knows for the 2008 province
    ("Tỉnh Đắk Nông", ["2008/67", "2025/68"]),
    ("Đắ", ["2008/48", "2008/66", "2008/67", "2025/66", "2025/68"]),  # "da…": Đà Nẵng too
    ("dak", ["2008/66", "2008/67", "2025/66", "2025/68"]),
    ("Đà Nẵng", ["2008/48"]),
    ("DA NANG", ["2008/48"]),
    ("quang nam", ["2008/49"]),
    ("lao cai", ["2008/10"]),
    ("saigon", ["2008/79"]),
    ("TP HCM", ["2008/79"]),
    ("Lâm Đồng", ["2025/68"]),
    ("67", ["2008/67"]),
    ("dien bien", ["2008/11", "2008/11"]),  # the failed report, in its table and under "Failures"
    ("xyz", []),
    ("", sorted(ALL_ROWS)),
    ("  - ", sorted(ALL_ROWS)),  # nothing left to match: everything shows
])
def test_filter_box_finds_provinces_in_any_spelling(chromium, filter_index, query, expected):
    with _open_clean(chromium, filter_index) as page:
        assert _visible(page) == sorted(ALL_ROWS)
        page.type_into("#ntm-filter", query)
        assert _visible(page) == sorted(expected)
        count = page.evaluate("document.getElementById('ntm-filter-count').textContent")
        folded = "".join(ch for ch in query if ch.isalnum())
        assert count == (f"{len(expected)} of {len(ALL_ROWS)} row(s) match" if folded else "")
        page.type_into("#ntm-filter", "")  # clearing the box shows everything again
        assert _visible(page) == sorted(ALL_ROWS)
        assert page.console_errors() == [] and page.network_requests() == []


def test_filter_box_folds_like_the_python_side(chromium, filter_index):
    """For every province name of both geographies (NFC and NFD, upper case too), the page shows exactly the rows
    whose Python search key holds ``text.compact(name)``: the page's fold and the library's agree."""
    from ntm_analysis.data import geo
    from ntm_analysis.text import compact

    names = sorted({t for v in (2008, 2025) for p in geo.provinces(v) for t in (p.name, p.name_short, p.name_en)})
    names += [unicodedata.normalize("NFD", n) for n in names] + [n.upper() for n in names]
    names += ["Ðak Nong"]  # U+00D0 (Eth) only looks like Đ: both sides drop it
    with _open_clean(chromium, filter_index) as page:
        shown = page.evaluate(
            "(() => { const input = document.getElementById('ntm-filter'); return "
            f"{json.dumps(names, ensure_ascii=False)}.map(n => {{ input.value = n;"
            " input.dispatchEvent(new Event('input', {bubbles: true}));"
            f" return {VISIBLE_ROWS}.sort(); }}); }})()")
        assert page.console_errors() == []
    keys = {k: _row_key(filter_index, k) for k in set(ALL_ROWS)}
    for name, rows in zip(names, shown):
        want = sorted(r for r in ALL_ROWS if compact(name) in keys[r])
        assert rows == want, name
    assert sum(bool(r) for r in shown) >= 30  # the names of the eight rendered provinces (and more) found rows


def _row_key(index_path: Path, key: str) -> str:
    text = index_path.read_text(encoding="utf-8")
    marker = f'data-key="{key}" data-search="'
    start = text.index(marker) + len(marker)
    return html.unescape(text[start:text.index('"', start)])


def test_without_javascript_every_row_shows_and_the_box_is_hidden(chromium, filter_index):
    text = filter_index.read_text(encoding="utf-8")
    assert "<tr hidden" not in text and " hidden>" in text  # only the box is hidden in the static HTML
    assert external_references(text) == []
    page = chromium.new_page()
    try:
        chromium.send("Emulation.setScriptExecutionDisabled", {"value": True}, session=page.session)
        page.goto(filter_index.as_uri())
        assert _visible(page) == sorted(ALL_ROWS)  # DevTools evaluation still runs with page scripts off
        assert page.evaluate("getComputedStyle(document.getElementById('ntm-filter-box')).display") == "none"
        assert page.console_errors() == []
    finally:
        page.close()


def test_search_keys_are_folded_names():
    p = ReportParams(province="Lâm Đồng", vintage=2025).validate()
    keys = search_key("2025/68", {"metadata": p.metadata()}).split()
    assert {"68", "lamdong", "tinhlamdong", "daknong", "binhthuan"} <= set(keys)
    assert all(k.isascii() and k.isalnum() and k == k.lower() for k in keys)


# --- data-derived text with HTML in it is shown, never run ---------------------------------------------------------
def _copy_data(dest: Path, edits: list[tuple[str, object, dict]], source: Path | None = None) -> Path:
    """A copy of data/ (``source``, by default the current data folder) with some cells of raw CSVs replaced:
    (file, row predicate, {column: new text})."""
    import shutil

    shutil.copytree(source or paths.data_dir(), dest, ignore=shutil.ignore_patterns(".cache"))
    for name, match, changes in edits:
        path = dest / "raw" / name
        with open(path, encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
        hits = [r for r in rows if match(r)]
        assert hits, (name, changes)
        for r in hits:
            r.update(changes)
        with open(path, "w", encoding="utf-8", newline="") as fh:
            writer = csv.DictWriter(fh, list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    return dest


def _no_script_ran(page) -> None:
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert page.evaluate("document.querySelectorAll('img[src=\"x\"], img[onerror]').length") == 0
    assert page.console_errors() == []  # an <img src=x> that got parsed would log a failed load
    assert not [u for u in page.requests() if u.endswith("/x")] and page.network_requests() == []


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, render_pool):
    """Two renders into one folder: Lào Cai from data whose GSO source title and one NTM indicator carry HTML
    (renders fine), and Đắk Nông from data whose NTM unit carries HTML (fails; the message quotes the value). Both on
    the session's warm pool (each data folder is preloaded in its kernel once)."""
    root = tmp_path_factory.mktemp("hostile")
    payload = f"GSO {XSS_SCRIPT} {XSS_ATTR}"
    shown = _copy_data(root / "data-shown", [
        ("income_per_capita_monthly_by_province.csv", lambda r: r["province_code"] == "10" and r["year"] == "2023",
         {"source_table": payload}),
        ("ntm_resources_by_province.csv",
         lambda r: r["province_name_vi"] == "Lào Cai" and r["indicator"] == "resources_enterprises",
         {"indicator": payload}),
    ])
    failing = _copy_data(root / "data-failing", [
        ("ntm_resources_by_province.csv", lambda r: r["province_name_vi"] == "Đắk Nông", {"unit": payload}),
    ])
    out = root / "out"
    ok = render([ReportParams(province="Lào Cai", data_dir=str(shown)).validate()], output=out, executor=render_pool,
                progress=False)
    assert ok.exit_code == 0, ok.failed
    bad = render([ReportParams(province="Đắk Nông", data_dir=str(failing)).validate()], output=out,
                 executor=render_pool, progress=False)
    assert [r.key for r in bad.failed] == ["2008/67"]
    return out


def test_html_in_data_is_text_in_the_report(chromium, hostile):
    report = hostile / "reports" / "lao-cai.html"
    assert XSS_SCRIPT not in report.read_text(encoding="utf-8")
    with _open_clean(chromium, report) as page:
        _no_script_ran(page)
        cells = page.evaluate("Array.from(document.querySelectorAll('table.ntm-table td'), td => td.textContent)")
        payload = f"GSO {XSS_SCRIPT} {XSS_ATTR}"
        assert payload in cells  # key figures: the source of Lào Cai's 2023 income
        assert cells.count(payload) >= 2  # and the NTM table's indicator
        assert page.undecoded_images() == []


def test_html_in_a_failure_message_is_text_in_the_index(chromium, hostile):
    index = hostile / "index.html"
    assert XSS_SCRIPT not in index.read_text(encoding="utf-8")
    with _open_clean(chromium, index) as page:
        _no_script_ran(page)
        messages = page.evaluate("Array.from(document.querySelectorAll('#failures ~ table pre'), p => p.textContent)")
        assert any("ntm_resources_by_province.csv" in m and XSS_SCRIPT in m and XSS_ATTR in m for m in messages), \
            messages
        page.type_into("#ntm-filter", "dak nong")  # the filter still works beside the hostile text
        assert _visible(page) == ["2008/67", "2008/67"]
        page.type_into("#ntm-filter", "lao cai")
        assert _visible(page) == ["2008/10"]
        assert page.console_errors() == []


#: The data folder, fixed at collection (a background job never sees a test's monkeypatching).
DATA_DIR = paths.data_dir()


@background.job("test_html_in_province_names_from_the_data_dir_is_text_in_the_report")
def province_names_render(job):
    """``ntm render --province 10`` in a fresh process (the province registry is read from $NTM_DATA_DIR only, as a
    user would run it), from a data folder whose registry names Lào Cai with HTML; in the background from the start
    of the session. The output folder and the finished process."""
    data = _copy_data(job.tmp / "data", [
        ("provinces_63_master.csv", lambda r: r["province_code"] == "10",
         {"province_name_vi_official": f"Tỉnh Lào Cai {XSS_SCRIPT}", "province_name_gso_en": f"Lao Cai {XSS_ATTR}"}),
    ], source=DATA_DIR)
    out = job.tmp / "out"
    proc = job.run(
        [sys.executable, "-c", "import sys; from ntm_analysis.cli import main; sys.exit(main(sys.argv[1:]))",
         "render", "--province", "10", "--output", str(out), "--jobs", "1", "--no-progress"],
        env={**job.env, "NTM_DATA_DIR": str(data)}, timeout=600, check=False)
    return out, proc


def test_html_in_province_names_from_the_data_dir_is_text_in_the_report(chromium):
    """The province registry's names reach the report's Markdown intro (report.intro_markdown escapes them)."""
    out, proc = province_names_render.result()
    assert proc.returncode == 0, proc.stderr[-3000:]
    with _open_clean(chromium, out / "index.html") as page:
        _no_script_ran(page)  # the index shows neither name: safe either way
    with _open_clean(chromium, out / "reports" / "lao-cai.html") as page:
        text = page.evaluate("document.body.innerText")
        assert f"Tỉnh Lào Cai {XSS_SCRIPT}" in text and f"Lao Cai {XSS_ATTR}" in text
        _no_script_ran(page)
