"""The render engine end to end on a reduced province report (``mini_document.MINI``: the report's parameter
contract, layout, input digests and index row; a six-cell notebook reading real data), on the session's warm pool.

The one render of the real province notebook is in ``test_render_real.py``.
"""
import argparse
import base64
import html as htmllib
import json
import re
import shutil
import struct
import time
import unicodedata
import zlib
from pathlib import Path

import nbformat
import pytest

from mini_document import MINI, NOTEBOOK
from ntm_analysis import atomic, paths
from ntm_analysis.render import cli as render_cli
from ntm_analysis.render import render
from ntm_analysis.render.execute import MAX_HTML_BYTES, external_references
from ntm_analysis.render.manifest import Manifest
from ntm_analysis.render.warm import kernel_manager_class, shutdown_worker_kernel
from ntm_analysis.report.params import ReportParams

LAO_CAI, DAK_NONG = ReportParams(province="Lào Cai").validate(), ReportParams(province="Đắk Nông").validate()

_PNG = re.compile(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"')
# any tag that would load something from the network (independent of the renderer's own check)
_REMOTE_TAG = re.compile(r"<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=\s*[\"']?(https?:)?//", re.I)
#: A word of the notebook's code that no output shows: present in the HTML only when the code is.
CODE_TOKEN = "ReportParams"


def hidden_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.name.startswith(".") or p.name.endswith(".tmp")]


def png_ok(data: bytes) -> bool:
    """A PNG signature, an IHDR chunk with a sane size and a valid CRC."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return False
    width, height = struct.unpack(">II", data[16:24])
    crc = struct.unpack(">I", data[29:33])[0]
    return 0 < width < 5000 and 0 < height < 5000 and zlib.crc32(data[12:29]) == crc


def pngs(html: str) -> list[bytes]:
    return [base64.b64decode(b) for b in _PNG.findall(html)]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, render_pool):
    out = tmp_path_factory.mktemp("outputs")
    summary = render([LAO_CAI, DAK_NONG], output=out, document=MINI, executor=render_pool, progress=False)
    return out, summary


def test_reports_are_self_contained_html(rendered):
    out, summary = rendered
    assert summary.exit_code == 0 and len(summary.rendered) == 2 and not summary.failed
    for slug, name in (("lao-cai", "Lào Cai"), ("dak-nong", "Đắk Nông")):
        data = (out / "reports" / f"{slug}.html").read_bytes()
        html = data.decode("utf-8")
        assert 0 < len(data) <= MAX_HTML_BYTES
        assert unicodedata.normalize("NFC", name) in html
        images = pngs(html)
        assert len(images) == 1 and png_ok(images[0])  # the notebook draws one figure
        assert not _REMOTE_TAG.search(html) and external_references(html) == []
        assert CODE_TOKEN not in html and 'class="jp-CodeMirrorEditor' not in html  # code hidden by default
        assert f"<title>{name}: NTM report (2008 geography)</title>" in html and '<html lang="en"' in html
        assert (out / "notebooks" / f"{slug}.ipynb").exists()
    assert hidden_files(out) == []


def test_executed_notebook_keeps_parameters_and_metadata(rendered):
    out, _ = rendered
    nb = nbformat.read(out / "notebooks" / "dak-nong.ipynb", as_version=4)
    assert nb.metadata["ntm"]["parameters"] == DAK_NONG.to_notebook_parameters()
    assert nb.metadata["ntm"]["province_name_short"] == "Đắk Nông"
    assert nb.metadata["ntm"]["title"] == "Đắk Nông: NTM report (2008 geography)"
    assert not any(o.get("output_type") == "error" for c in nb.cells for o in c.get("outputs", []))


def test_index_lists_reports_with_the_summary_after_run_returned(rendered):
    out, _ = rendered
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="reports/lao-cai.html"' in index and 'href="reports/dak-nong.html"' in index
    assert "Lào Cai" in index and "Đắk Nông" in index
    assert "3,200 (2023, preliminary)" in index  # Lào Cai's 2023 income, from data/raw, glued by the notebook
    assert "Failures (0)" in index and not _REMOTE_TAG.search(index)
    # after_run's own file, linked because it exists; the XLSX the row also names does not, so no link
    assert (out / "downloads" / "lao-cai" / "summary.csv").read_text() == 'income,"3,200 (2023, preliminary)"\n'
    assert 'href="downloads/lao-cai/">CSV</a>' in index and "lao-cai.xlsx" not in index
    row = re.search(r'<tr data-key="2008/10" data-search="([^"]*)">', index)
    assert row and "laocai" in row.group(1).split()


def test_second_run_skips_unchanged_reports(rendered, render_pool):
    out, _ = rendered
    before = {p: p.stat().st_mtime_ns for p in (out / "reports").iterdir()}
    summary = render([LAO_CAI, DAK_NONG], output=out, document=MINI, executor=render_pool, progress=False)
    assert len(summary.skipped) == 2 and not summary.rendered and summary.exit_code == 0
    assert {p: p.stat().st_mtime_ns for p in (out / "reports").iterdir()} == before


def test_the_pool_keeps_its_kernels_warm_from_one_render_to_the_next(rendered, render_pool, tmp_path):
    out, first = rendered
    kernel_of = {r.worker["worker_pid"]: r.worker["kernel_pid"] for r in first.rendered}
    again = render([LAO_CAI, DAK_NONG], output=tmp_path, document=MINI, executor=render_pool, progress=False)
    assert again.exit_code == 0 and len(again.rendered) == 2
    for r in again.rendered:  # no kernel started, nothing imported: the kernels of the first render, still warm
        assert r.worker["timings"]["kernel_start"] == 0 and r.worker["timings"]["imports"] == 0
        assert r.worker["kernel_reports"] >= 2
        if r.worker["worker_pid"] in kernel_of:
            assert r.worker["kernel_pid"] == kernel_of[r.worker["worker_pid"]]


def test_changed_parameter_rerenders_only_that_report(rendered, render_pool):
    out, _ = rendered
    with_code = ReportParams(province="Lào Cai", show_code=True).validate()
    summary = render([with_code, DAK_NONG], output=out, document=MINI, executor=render_pool, progress=False)
    assert [r.key for r in summary.rendered] == ["2008/10"] and [j.key for j in summary.skipped] == ["2008/67"]
    shown = (out / "reports" / "lao-cai.html").read_text(encoding="utf-8")
    assert CODE_TOKEN in shown and 'class="jp-CodeMirrorEditor' in shown
    manifest = Manifest.load(out)
    assert manifest.entries["2008/10"]["inputs"]["parameters"]["show_code"] is True


def test_same_inputs_give_identical_html(rendered, render_pool):
    """(The real report's volatile fields, render time and whole-file checksums, are masked in test_render_real.)"""
    out, _ = rendered
    first = (out / "reports" / "dak-nong.html").read_text(encoding="utf-8")
    summary = render([DAK_NONG], output=out, document=MINI, executor=render_pool, progress=False, force=True)
    assert len(summary.rendered) == 1
    assert (out / "reports" / "dak-nong.html").read_text(encoding="utf-8") == first


def test_awkward_data_dir_is_injected_safely_and_data_change_rerenders(tmp_path, render_pool):
    data = tmp_path / 'da"ta \'q\'\nline\\x'
    shutil.copytree(paths.data_dir(), data, ignore=shutil.ignore_patterns(".cache"))
    params = ReportParams(province="Đắk Nông", data_dir=str(data)).validate()
    out = tmp_path / "out"
    go = lambda: render([params], output=out, document=MINI, executor=render_pool, progress=False)  # noqa: E731
    first = go()
    assert first.exit_code == 0, first.failed
    nb = nbformat.read(out / "notebooks" / "dak-nong.ipynb", as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1
    namespace = {}
    exec(injected[0].source, {}, namespace)  # the injected code evaluates back to the exact value
    assert namespace["data_dir"] == str(data)
    html = (out / "reports" / "dak-nong.html").read_text(encoding="utf-8")
    shown = re.search(r'<pre class="ntm-params">(.*?)</pre>', html, re.S).group(1)
    assert json.loads(htmllib.unescape(shown))["data_dir"] == str(data)  # what the kernel saw
    assert go().skipped
    cpi = data / "raw" / "cpi_national_annual_gso.csv"
    cpi.write_bytes(cpi.read_bytes() + b"\n")  # same figures, new checksum: the report's rows are unchanged
    same = go()
    assert not same.rendered and [j.key for j in same.skipped] == ["2008/67"]
    text = cpi.read_text(encoding="utf-8")
    assert "national,2010,109.19," in text
    cpi.write_text(text.replace("national,2010,109.19,", "national,2010,109.20,"), encoding="utf-8")
    again = go()  # a national figure the report reads
    assert [r.key for r in again.rendered] == ["2008/67"] and again.exit_code == 0
    assert hidden_files(out) == []


def _engine_args(out: Path, executor) -> argparse.Namespace:
    p = argparse.ArgumentParser()
    render_cli.add_engine_options(p)
    args = p.parse_args(["--output", str(out), "--no-progress", "--jobs", "2"])
    args.executor = executor
    return args


def test_one_failure_does_not_stop_the_others(tmp_path, capsys, render_pool):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    setup = next(i for i, c in enumerate(nb.cells) if "setup" in c.metadata.get("tags", []))
    nb.cells.insert(setup + 1, nbformat.v4.new_code_cell(
        'if params.province == "10":\n'
        '    raise RuntimeError("injected <b>failure</b> & for " + place.name_short)', id="inject-failure"))
    bad_nb = tmp_path / "notebooks" / "mini_report.ipynb"
    bad_nb.parent.mkdir()
    nbformat.write(nb, bad_nb)
    bad = MINI.__class__(**{**MINI.__dict__, "notebook": str(bad_nb)})
    out = tmp_path / "out"
    code = render_cli.run(_engine_args(out, render_pool), [(bad, LAO_CAI), (bad, DAK_NONG)])
    err = capsys.readouterr().err
    assert code == 1
    assert "FAILED 2008/10 (Lào Cai)" in err and "injected <b>failure</b> & for Lào Cai" in err
    assert (out / "reports" / "dak-nong.html").exists() and not (out / "reports" / "lao-cai.html").exists()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Failures (1)" in index
    assert "RuntimeError: injected &lt;b&gt;failure&lt;/b&gt; &amp; for Lào Cai" in index
    assert "<b>failure</b>" not in index
    entry = Manifest.load(out).entries["2008/10"]
    assert entry["status"] == "failed" and entry["error"]["cell_index"] == setup + 2  # + papermill's cell
    assert "raise RuntimeError" in entry["error"]["cell_source"]
    assert hidden_files(out) == []
    # the failed report is retried on the next run; the successful one is not
    again = render([LAO_CAI, DAK_NONG], output=out, document=bad, executor=render_pool, progress=False)
    assert [r.key for r in again.failed] == ["2008/10"] and [j.key for j in again.skipped] == ["2008/67"]


def test_dask_executor_renders_on_a_local_cluster(tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    try:
        with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                      dashboard_address=None) as cluster:
            summary = render([DAK_NONG], output=tmp_path, document=MINI, executor="dask",
                             scheduler=cluster.scheduler_address, progress=False)
    finally:
        shutdown_worker_kernel()  # an in-process dask worker keeps its warm kernel in this process: stop it
    assert summary.exit_code == 0 and [r.key for r in summary.rendered] == ["2008/67"]
    assert "Đắk Nông" in (tmp_path / "reports" / "dak-nong.html").read_text(encoding="utf-8")


def test_2025_report_goes_to_its_own_folder(tmp_path, render_pool):
    """(The real 2025 report's aggregate is checked in test_render_real.)"""
    params = ReportParams(province="Lâm Đồng", vintage=2025).validate()
    summary = render([params], output=tmp_path, document=MINI, executor=render_pool, progress=False)
    assert summary.exit_code == 0, summary.failed
    html = (tmp_path / "2025" / "reports" / "lam-dong.html").read_text(encoding="utf-8")
    for name in ("Bình Thuận", "Đắk Nông", "Lâm Đồng"):
        assert name in html
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert 'href="2025/reports/lam-dong.html"' in index and "34 provinces (2025 geography)" in index
    assert (tmp_path / "2025" / "downloads" / "lam-dong" / "summary.csv").is_file()


def test_atomic_write_leaves_no_temp_file_on_failure(tmp_path, monkeypatch):
    target = tmp_path / "report.html"
    atomic.write_text(target, "old")

    def boom(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(atomic.os, "replace", boom)
    with pytest.raises(OSError, match="disk full"):
        atomic.write_text(target, "new")
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_kernels_use_ipc_sockets_not_tcp_ports(tmp_path):
    km = kernel_manager_class(str(tmp_path))(kernel_name="python3")
    assert km.transport == "ipc" and km.ip.startswith(str(tmp_path))
