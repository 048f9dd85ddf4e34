"""The index pages in headless Chromium: sorting a numeric column orders the rows by the manifest's values (gaps
last, both directions, by mouse and by keyboard, together with the filter box), the Vietnamese index links to the
Vietnamese reports, the national pages are linked where they are written, and the small maps draw, are not blank and
link every province to an existing report.

The sorted index is built from real summaries: :func:`ntm_analysis.report.publish.summary` of eight provinces'
key-figures and resources tables, computed from the shipped data as a report's last cell does.
"""
import base64
import time
from pathlib import Path

import pytest

import browser
from ntm_analysis.cli import SITE_FILE
from ntm_analysis.render import site
from ntm_analysis.render.index import build_index, write_index
from ntm_analysis.render.manifest import Manifest
from ntm_analysis.report.params import ReportParams
from ntm_analysis.report.spec import index_row, index_row_with_maps

pytestmark = pytest.mark.browser

#: Provinces with and without a commune share and a transfer figure (Hà Nội's 2016 transfer is a published zero).
PROVINCES = ["Lào Cai", "Hà Nội", "Hà Giang", "Điện Biên", "Đắk Nông", "Cà Mau", "Bình Dương", "Quảng Nam"]


def _summary(params):
    from ntm_analysis.report import publish, resources_section, tables
    from ntm_analysis.report.context import ReportContext

    ctx = ReportContext.load(params)
    return publish.summary(tables.key_figures(ctx), params.lang, resources_section.measures_table(ctx))


@pytest.fixture(scope="module")
def sortable(tmp_path_factory):
    """An index of eight real summaries (without maps: they have their own test); its manifest."""
    out = tmp_path_factory.mktemp("sortable")
    entries = {}
    for name in PROVINCES:
        p = ReportParams(province=name).validate()
        entries[p.key] = {"status": "ok", "html": f"reports/{p.stem}.html", "notebook": None,
                          "metadata": p.metadata(), "summary": _summary(p), "index": index_row(p)}
    m = Manifest(out, entries)
    (out / "index.html").write_text(build_index(m), encoding="utf-8")
    return out / "index.html", m


ORDER = "Array.from(document.querySelectorAll('#provinces-2008 + p + table tbody tr'), r => r.dataset.key)"
VISIBLE = ("Array.from(document.querySelectorAll('#provinces-2008 + p + table tbody tr'))"
           ".filter(r => r.getClientRects().length > 0).map(r => r.dataset.key)")


def _expected(m: Manifest, column: str, descending: bool = False, keys=None) -> list[str]:
    values = {k: (e["summary"].get("sort_values") or {}).get(column) for k, e in m.entries.items()}
    keys = keys if keys is not None else list(values)
    known = sorted((k for k in keys if values[k] is not None), key=lambda k: values[k], reverse=descending)
    return known + sorted(k for k in keys if values[k] is None)  # gaps last, in the page's order (by code)


def _click(page, column: str) -> None:
    page.evaluate(f"document.querySelector('th[data-col=\"{column}\"] button').click()")


def _aria(page, column: str):
    return page.evaluate(f"document.querySelector('th[data-col=\"{column}\"]').getAttribute('aria-sort')")


@pytest.mark.parametrize("column", ["ntm_share", "transfers_per_person", "income", "poverty_multidimensional"])
def test_sorting_a_numeric_column_orders_rows_by_value(chromium, sortable, column):
    path, m = sortable
    values = [(e["summary"].get("sort_values") or {}).get(column) for e in m.entries.values()]
    assert len({v for v in values if v is not None}) >= 4  # enough distinct values for the order to mean something
    with chromium.open(path.as_uri()) as page:
        assert page.console_errors() == []
        before = page.evaluate(ORDER)
        _click(page, column)
        assert _aria(page, column) == "ascending"
        ascending = page.evaluate(ORDER)
        known = [k for k in ascending if m.entries[k]["summary"]["sort_values"].get(column) is not None]
        assert [m.entries[k]["summary"]["sort_values"][column] for k in known] == \
            sorted(m.entries[k]["summary"]["sort_values"][column] for k in known)
        assert ascending[:len(known)] == known  # gaps last
        assert sorted(ascending) == sorted(before)
        _click(page, column)
        assert _aria(page, column) == "descending"
        descending = page.evaluate(ORDER)
        assert [m.entries[k]["summary"]["sort_values"][column] for k in descending[:len(known)]] == \
            sorted((m.entries[k]["summary"]["sort_values"][column] for k in known), reverse=True)
        assert descending[len(known):] == ascending[len(known):]  # gaps still last
        assert page.evaluate("document.querySelectorAll('th[aria-sort]').length") == 1
        assert page.console_errors() == []


def test_numbers_sort_by_value_not_by_their_text(chromium, sortable):
    """Population is shown as "7,328.4 (2016, preliminary)": as text "7,328.4" < "684.3"; as numbers it is not."""
    path, m = sortable
    with chromium.open(path.as_uri()) as page:
        _click(page, "population")
        order = page.evaluate(ORDER)
    numbers = [m.entries[k]["summary"]["sort_values"]["population"] for k in order]
    assert numbers == sorted(numbers) and len(numbers) == len(PROVINCES)
    texts = [m.entries[k]["summary"]["population"] for k in order]
    assert texts != sorted(texts)  # the display text would sort otherwise


def test_a_header_sorts_from_the_keyboard_and_sorting_keeps_the_filter(chromium, sortable):
    path, m = sortable
    with chromium.open(path.as_uri()) as page:
        page.type_into("#ntm-filter", "dak")  # Đắk Nông, the only one of the eight
        shown = page.evaluate(VISIBLE)
        page.evaluate("document.querySelector('th[data-col=\"ntm_share\"] button').focus()")
        for kind in ("keyDown", "keyUp"):
            page.browser.send("Input.dispatchKeyEvent", {"type": kind, "key": "Enter", "code": "Enter",
                                                         "windowsVirtualKeyCode": 13,
                                                         **({"text": "\r"} if kind == "keyDown" else {})},
                              session=page.session)
        assert _aria(page, "ntm_share") == "ascending"
        assert page.evaluate(VISIBLE) == shown == ["2008/67"]
        page.type_into("#ntm-filter", "")
        assert page.evaluate(ORDER) == _expected(m, "ntm_share")
        assert page.console_errors() == []


def test_without_javascript_the_headers_are_plain_text(chromium, sortable):
    path, _ = sortable
    text = path.read_text(encoding="utf-8")
    assert "<button" not in text and 'id="ntm-sort-hint" class="note" hidden' in text
    page = chromium.new_page()
    try:
        chromium.send("Emulation.setScriptExecutionDisabled", {"value": True}, session=page.session)
        page.goto(path.as_uri())
        assert page.evaluate("document.querySelectorAll('th button').length") == 0
        assert page.evaluate("document.querySelectorAll('tbody tr').length") == len(PROVINCES)
    finally:
        page.close()


def test_the_vietnamese_index_links_to_the_vietnamese_reports(chromium, golden):
    out = golden.out
    with chromium.open((out / "index.vi.html").resolve().as_uri()) as page:
        assert page.console_errors() == [] and page.network_requests() == []
        assert page.evaluate("document.documentElement.lang") == "vi"
        links = page.evaluate("Array.from(document.querySelectorAll('td a'), a => a.getAttribute('href'))")
        reports = [h for h in links if "reports/" in h]
        assert sorted(reports) == ["2025/reports/lao-cai.vi.html", "reports/lao-cai.vi.html"]
        for href in links:
            assert (out / href).exists(), href
        back = page.evaluate("document.querySelector('#ntm-languages a').getAttribute('href')")
        assert back == "index.html"
        assert "Tìm tỉnh" in page.evaluate("document.body.innerText")
    with chromium.open((out / "index.html").resolve().as_uri()) as page:
        links = page.evaluate("Array.from(document.querySelectorAll('td a'), a => a.getAttribute('href'))")
        assert not [h for h in links if h.endswith(".vi.html")]
        assert page.evaluate("document.querySelector('#ntm-languages a').getAttribute('href')") == "index.vi.html"


def test_the_national_page_links_point_where_the_pages_are_written(chromium, tmp_path):
    docs = site.load(SITE_FILE)
    entries = {}
    for d in docs:
        layout = d.layout(d.params(), str(tmp_path))
        Path(layout.html).parent.mkdir(parents=True, exist_ok=True)
        Path(layout.html).write_text(f"<!DOCTYPE html><title>{d.title}</title><h1>{d.name}</h1>", encoding="utf-8")
        entries[d.params().key] = {"status": "ok", "html": str(Path(layout.html).relative_to(tmp_path)),
                                   "notebook": None, "summary": {}, "index": d.index_row(d.params())}
    p = ReportParams(province="Lào Cai", lang="vi").validate()
    entries[p.key] = {"status": "failed", "html": None, "notebook": None, "summary": {}, "metadata": p.metadata(),
                      "index": index_row(p), "error": {"message": "x"}}
    write_index(Manifest(tmp_path, entries))
    for index in ("index.html", "index.vi.html"):
        with chromium.open((tmp_path / index).as_uri()) as page:
            nav = page.evaluate("Array.from(document.querySelectorAll('#ntm-nav a'), a => a.href)")
            assert len(nav) == 3
            for href in nav:
                page.goto(href)
                assert page.evaluate("document.querySelector('h1').textContent") in {d.name for d in docs}


# --- the small maps ------------------------------------------------------------------------------------------------
MAPPED = [("Lào Cai", "en"), ("Hà Nội", "en"), ("Đắk Nông", "en"), ("Lào Cai", "vi")]


@pytest.fixture(scope="module")
def mapped(tmp_path_factory):
    """Both index pages with their maps (as ``ntm render`` composes them), over stub report files, plus Hà Nội's
    real-price variant (a variant: not what a province of the map links to)."""
    out = tmp_path_factory.mktemp("mapped")
    entries = {}
    params = [ReportParams(province=n, lang=lang).validate() for n, lang in MAPPED]
    params.append(ReportParams(province="Hà Nội", price_basis="real").validate())
    for p in params:
        rel = f"reports/{p.stem}.html"
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(f'<!DOCTYPE html><html lang="{p.lang}"><title>{p.stem}</title><h1>{p.stem}</h1>',
                               encoding="utf-8")
        entries[p.key] = {"status": "ok", "html": rel, "notebook": None, "summary": {}, "metadata": p.metadata(),
                          "index": index_row_with_maps(p)}
    write_index(Manifest(out, entries))
    return out


LINKS = """Array.from(document.querySelectorAll('figure.ntm-map')).map(f => ({
  map: f.dataset.map,
  links: Array.from(f.querySelectorAll('svg a')).map(a => [a.closest('g[id]').id.split('-province-')[1],
                                                              a.getAttribute('href')])}))"""


@pytest.mark.parametrize("lang, linked", [
    ("en", {"10": "reports/lao-cai.html", "01": "reports/ha-noi.html", "67": "reports/dak-nong.html"}),
    ("vi", {"10": "reports/lao-cai.vi.html"}),
])
def test_index_maps_draw_and_link_each_province_to_its_report(chromium, mapped, lang, linked):
    from ntm_analysis.report.map_values import headline_map_values

    expected = [m["key"] for m in headline_map_values(lang)]
    page_file = mapped / ("index.html" if lang == "en" else "index.vi.html")
    with chromium.open(page_file.as_uri()) as page:
        assert page.console_errors() == [] and page.network_requests() == []
        maps = page.evaluate(LINKS)
        assert [m["map"] for m in maps] == expected and len(expected) >= 5  # income, 2 poverty, NTM share, transfers
        for m in maps:
            assert dict(m["links"]) == linked, m["map"]  # every report of the page, no other province
            for _, href in m["links"]:
                assert (mapped / href).is_file(), href
        # each map is drawn and not blank (its own screenshot)
        rects = page.evaluate("Array.from(document.querySelectorAll('figure.ntm-map svg'), s => {"
                              " const r = s.getBoundingClientRect(); return [r.x + scrollX, r.y + scrollY,"
                              " r.width, r.height]; })")
        for (x, y, w, h), key in zip(rects, expected):
            assert w > 150 and h > 200, key
            png = page.browser.send("Page.captureScreenshot", {
                "format": "png", "captureBeyondViewport": True,
                "clip": {"x": x, "y": y, "width": w, "height": h, "scale": 1}}, session=page.session)["data"]
            assert browser.screenshot_problems(base64.b64decode(png)) == [], key
        words = page.evaluate("document.getElementById('maps').textContent")
        assert ("Bản đồ" in words) == (lang == "vi")


def test_clicking_a_province_on_a_map_opens_its_report(chromium, mapped):
    with chromium.open((mapped / "index.html").as_uri()) as page:
        point = page.evaluate("""(() => {
          const a = document.querySelector('figure.ntm-map g[id$="-province-10"] a');
          a.scrollIntoView({block: 'center'});
          const r = a.getBoundingClientRect();
          for (let i = 1; i < 10; i++) for (let j = 1; j < 10; j++) {
            const x = r.left + r.width * i / 10, y = r.top + r.height * j / 10;
            const hit = document.elementFromPoint(x, y);
            if (hit && hit.closest('a') === a) return [x, y];
          }
          return null; })()""")
        assert point is not None
        for kind in ("mousePressed", "mouseReleased"):
            page.browser.send("Input.dispatchMouseEvent", {"type": kind, "x": point[0], "y": point[1],
                                                           "button": "left", "clickCount": 1}, session=page.session)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not page.evaluate("location.href").endswith("/reports/lao-cai.html"):
            time.sleep(0.1)
        assert page.evaluate("location.href").endswith("/reports/lao-cai.html")
        assert page.evaluate("document.querySelector('h1') && document.querySelector('h1').textContent") == "lao-cai"
