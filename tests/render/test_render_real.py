"""The one render of the real province notebook in the engine's tests: a report rendered on a warm kernel that
rendered others before equals a report rendered by papermill on a fresh kernel (``kernel="cold"``), and the real
report is what a reader should get (self-contained, its figures, its key figures in the index, its downloads).

The warm batch mixes the reduced report and the real one on the session pool: a warm kernel then takes on a second
kind of document (more imports, the report's preload), as ``ntm render --all`` makes it do.
"""
import json

import nbformat

from mini_document import MINI
from ntm_analysis.render import render
from ntm_analysis.render.execute import MAX_HTML_BYTES, external_references
from ntm_analysis.render.manifest import Manifest
from ntm_analysis.report.provenance import VOLATILE_FIELDS, mask_volatile
from ntm_analysis.report.params import ReportParams
from ntm_analysis.report.spec import DOCUMENT
from test_render import _REMOTE_TAG, png_ok, pngs

LAO_CAI = ReportParams(province="Lào Cai").validate()
HA_GIANG, YEN_BAI = ReportParams(province="Hà Giang").validate(), ReportParams(province="Yên Bái").validate()
LAM_DONG_2025 = ReportParams(province="Lâm Đồng", vintage=2025).validate()


def _cell_outputs(path) -> list:
    """Execution counts and outputs of every code cell, volatile fields (render time) masked."""
    nb = nbformat.read(path, as_version=4)
    cells = []
    for c in nb.cells:
        if c.cell_type == "code":
            outputs = json.loads(json.dumps(c.get("outputs", [])))
            for o in outputs:
                if "text/html" in o.get("data", {}):
                    o["data"]["text/html"] = mask_volatile("".join(o["data"]["text/html"]))[0]
            cells.append((c.get("execution_count"), outputs))
    return cells


def test_warm_kernel_report_equals_a_cold_papermill_render(tmp_path, render_pool, no_leaks):
    warm, cold = tmp_path / "warm", tmp_path / "cold"
    # two reduced reports first, one per worker: both real reports then run on a kernel that rendered before
    items = [(MINI, HA_GIANG), (MINI, YEN_BAI), (DOCUMENT, LAM_DONG_2025), (DOCUMENT, LAO_CAI)]
    summary = render(items, output=warm, executor=render_pool, progress=False)
    assert summary.exit_code == 0, summary.failed
    entries = Manifest.load(warm).entries
    assert entries["2008/10"]["worker"]["kernel_reports"] >= 2 and entries["2008/10"]["document"] == "province_report"
    assert entries["2008/10"]["worker"]["kernel_mode"] == "warm"
    assert render([LAO_CAI], output=cold, executor=render_pool, progress=False, kernel="cold").exit_code == 0
    assert Manifest.load(cold).entries["2008/10"]["worker"]["kernel_mode"] == "cold"
    assert _cell_outputs(warm / "notebooks" / "lao-cai.ipynb") == _cell_outputs(cold / "notebooks" / "lao-cai.ipynb")
    html_w = (warm / "reports" / "lao-cai.html").read_text(encoding="utf-8")
    html_c = (cold / "reports" / "lao-cai.html").read_text(encoding="utf-8")
    (m_w, names_w), (m_c, names_c) = mask_volatile(html_w), mask_volatile(html_c)
    assert names_w == names_c == set(VOLATILE_FIELDS)
    assert m_w == m_c

    # what a reader gets: self-contained, under the size limit, its figures, its key figures in the index
    data = html_w.encode("utf-8")
    assert 0 < len(data) <= MAX_HTML_BYTES
    images = pngs(html_w)
    assert len(images) >= 3 and all(png_ok(b) for b in images)
    assert not _REMOTE_TAG.search(html_w) and external_references(html_w) == []
    assert "ReportContext" not in html_w and 'class="jp-CodeMirrorEditor' not in html_w  # code hidden by default
    index = (warm / "index.html").read_text(encoding="utf-8")
    assert "3,200 (2023, preliminary)" in index  # Lào Cai's 2023 income, from data/raw, by report.publish
    assert 'href="downloads/lao-cai.xlsx">XLSX</a>' in index and 'href="downloads/lao-cai/">CSV</a>' in index
    assert (warm / "downloads" / "lao-cai.xlsx").stat().st_size > 0
    # the 2025 report: its own folder, the aggregate beside the 2008 provinces it merged
    html_2025 = (warm / "2025" / "reports" / "lam-dong.html").read_text(encoding="utf-8")
    for name in ("Bình Thuận", "Đắk Nông", "Lâm Đồng (2025, aggregate)"):
        assert name in html_2025
    assert 'href="2025/reports/lam-dong.html"' in index
