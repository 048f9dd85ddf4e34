"""End-to-end rendering of province reports (real data, real kernels; a few provinces only)."""
import base64
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

from ntm_analysis import paths
from ntm_analysis.cli import main
from ntm_analysis.report.params import ReportParams
from ntm_analysis import atomic
from ntm_analysis.render import render
from ntm_analysis.render.execute import MAX_HTML_BYTES, external_references
from ntm_analysis.render.warm import kernel_manager_class
from ntm_analysis.render.manifest import Manifest
from ntm_analysis.report.content import VOLATILE_FIELDS, mask_volatile

NOTEBOOK = paths.PROJECT_DIR / "notebooks" / "province_report.ipynb"
LAO_CAI, DAK_NONG = ReportParams(province="Lào Cai").validate(), ReportParams(province="Đắk Nông").validate()

_PNG = re.compile(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"')
# any tag that would load something from the network (independent of the renderer's own check)
_REMOTE_TAG = re.compile(r"<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=\s*[\"']?(https?:)?//", re.I)


def _hidden_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.name.startswith(".") or p.name.endswith(".tmp")]


def _png_ok(data: bytes) -> bool:
    """A PNG signature, an IHDR chunk with a sane size and a valid CRC."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return False
    width, height = struct.unpack(">II", data[16:24])
    crc = struct.unpack(">I", data[29:33])[0]
    return 0 < width < 5000 and 0 < height < 5000 and zlib.crc32(data[12:29]) == crc


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("outputs")
    summary = render([LAO_CAI, DAK_NONG], output=out, workers=2, progress=False)
    return out, summary


def test_reports_are_self_contained_html(rendered):
    out, summary = rendered
    assert summary.exit_code == 0 and len(summary.rendered) == 2 and not summary.failed
    for slug, name in (("lao-cai", "Lào Cai"), ("dak-nong", "Đắk Nông")):
        html_path = out / "reports" / f"{slug}.html"
        data = html_path.read_bytes()
        html = data.decode("utf-8")
        assert 0 < len(data) <= MAX_HTML_BYTES
        assert unicodedata.normalize("NFC", name) in html
        images = _PNG.findall(html)
        assert len(images) >= 3
        assert all(_png_ok(base64.b64decode(b)) for b in images)
        assert not _REMOTE_TAG.search(html) and external_references(html) == []
        assert "ReportContext" not in html and 'class="jp-CodeMirrorEditor' not in html  # code hidden by default
        assert (out / "notebooks" / f"{slug}.ipynb").exists()
    assert _hidden_files(out) == []


def test_executed_notebook_keeps_parameters_and_metadata(rendered):
    out, _ = rendered
    nb = nbformat.read(out / "notebooks" / "dak-nong.ipynb", as_version=4)
    assert nb.metadata["ntm"]["parameters"] == DAK_NONG.to_notebook_parameters()
    assert nb.metadata["ntm"]["province_name_short"] == "Đắk Nông"
    assert not any(o.get("output_type") == "error" for c in nb.cells for o in c.get("outputs", []))


def test_index_lists_reports_with_key_figures(rendered):
    out, _ = rendered
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="reports/lao-cai.html"' in index and 'href="reports/dak-nong.html"' in index
    assert "Lào Cai" in index and "Đắk Nông" in index
    assert "3,200 (2023, preliminary)" in index  # Lào Cai's 2023 income, from data/raw
    assert "Failures (0)" in index and not _REMOTE_TAG.search(index)


def test_second_run_skips_unchanged_reports(rendered):
    out, _ = rendered
    before = {p: p.stat().st_mtime_ns for p in (out / "reports").iterdir()}
    t0 = time.perf_counter()
    summary = render([LAO_CAI, DAK_NONG], output=out, workers=2, progress=False)
    assert len(summary.skipped) == 2 and not summary.rendered and summary.exit_code == 0
    assert time.perf_counter() - t0 < 10
    assert {p: p.stat().st_mtime_ns for p in (out / "reports").iterdir()} == before


def test_changed_parameter_rerenders_only_that_report(rendered):
    out, _ = rendered
    with_code = ReportParams(province="Lào Cai", show_code=True).validate()
    summary = render([with_code, DAK_NONG], output=out, workers=2, progress=False)
    assert [r.key for r in summary.rendered] == ["2008/10"] and [j.key for j in summary.skipped] == ["2008/67"]
    shown = (out / "reports" / "lao-cai.html").read_text(encoding="utf-8")
    assert "ReportContext" in shown and 'class="jp-CodeMirrorEditor' in shown
    manifest = Manifest.load(out)
    assert manifest.entries["2008/10"]["inputs"]["parameters"]["show_code"] is True


def test_same_inputs_give_identical_html_apart_from_volatile_fields(rendered, tmp_path):
    out, _ = rendered
    first = (out / "reports" / "dak-nong.html").read_text(encoding="utf-8")
    summary = render([DAK_NONG], output=out, workers=1, progress=False, force=True)
    assert len(summary.rendered) == 1
    second = (out / "reports" / "dak-nong.html").read_text(encoding="utf-8")
    (m1, names1), (m2, names2) = mask_volatile(first), mask_volatile(second)
    assert names1 == names2 == set(VOLATILE_FIELDS)
    assert m1 == m2


def _copy_data(dest: Path) -> Path:
    shutil.copytree(paths.data_dir(), dest, ignore=shutil.ignore_patterns(".cache"))
    return dest


def test_awkward_data_dir_is_injected_safely_and_data_change_rerenders(tmp_path):
    data = _copy_data(tmp_path / 'da"ta \'q\'\nline\\x')
    params = ReportParams(province="Đắk Nông", data_dir=str(data)).validate()
    out = tmp_path / "out"
    first = render([params], output=out, workers=1, progress=False)
    assert first.exit_code == 0, first.failed
    nb = nbformat.read(out / "notebooks" / "dak-nong.ipynb", as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1
    namespace = {}
    exec(injected[0].source, {}, namespace)  # the injected code evaluates back to the exact value
    assert namespace["data_dir"] == str(data)
    html = (out / "reports" / "dak-nong.html").read_text(encoding="utf-8")
    shown = re.search(r'<pre class="ntm-params">(.*?)</pre>', html, re.S).group(1)
    import html as htmllib
    assert json.loads(htmllib.unescape(shown))["data_dir"] == str(data)  # what the kernel saw
    assert render([params], output=out, workers=1, progress=False).skipped
    cpi = data / "raw" / "cpi_national_annual_gso.csv"
    cpi.write_bytes(cpi.read_bytes() + b"\n")  # same figures, new checksum: the report's rows are unchanged
    same = render([params], output=out, workers=1, progress=False)
    assert not same.rendered and [j.key for j in same.skipped] == ["2008/67"]
    text = cpi.read_text(encoding="utf-8")
    assert "national,2010,109.19," in text
    cpi.write_text(text.replace("national,2010,109.19,", "national,2010,109.20,"), encoding="utf-8")
    again = render([params], output=out, workers=1, progress=False)  # a national figure the report reads
    assert [r.key for r in again.rendered] == ["2008/67"] and again.exit_code == 0
    assert _hidden_files(out) == []


def test_one_failure_does_not_stop_the_others(tmp_path, capsys):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    setup = next(i for i, c in enumerate(nb.cells) if "setup" in c.metadata.get("tags", []))
    nb.cells.insert(setup + 1, nbformat.v4.new_code_cell(
        'if params.province == "10":\n'
        '    raise RuntimeError("injected <b>failure</b> & for " + ctx.place.name_short)', id="inject-failure"))
    bad_nb = tmp_path / "notebooks" / "province_report.ipynb"
    bad_nb.parent.mkdir()
    nbformat.write(nb, bad_nb)
    out = tmp_path / "out"
    code = main(["render", "--province", "lao cai", "--province", "dak-nong", "--output", str(out),
                 "--notebook", str(bad_nb), "--jobs", "2", "--no-progress"])
    err = capsys.readouterr().err
    assert code == 1
    assert "FAILED 2008/10" in err and "injected <b>failure</b> & for Lào Cai" in err
    assert (out / "reports" / "dak-nong.html").exists() and not (out / "reports" / "lao-cai.html").exists()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "Failures (1)" in index
    assert "RuntimeError: injected &lt;b&gt;failure&lt;/b&gt; &amp; for Lào Cai" in index
    assert "<b>failure</b>" not in index
    entry = Manifest.load(out).entries["2008/10"]
    assert entry["status"] == "failed" and entry["error"]["cell_index"] == setup + 2  # + papermill's cell
    assert 'raise RuntimeError' in entry["error"]["cell_source"]
    assert _hidden_files(out) == []
    # the failed report is retried on the next run; the successful one is not
    again = render([LAO_CAI, DAK_NONG], output=out, notebook=bad_nb, workers=2, progress=False)
    assert [r.key for r in again.failed] == ["2008/10"] and [j.key for j in again.skipped] == ["2008/67"]


def test_dask_executor_renders_on_a_local_cluster(tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        summary = render([DAK_NONG], output=tmp_path, executor="dask", scheduler=cluster.scheduler_address,
                         progress=False)
    assert summary.exit_code == 0 and [r.key for r in summary.rendered] == ["2008/67"]
    assert "Đắk Nông" in (tmp_path / "reports" / "dak-nong.html").read_text(encoding="utf-8")


def test_2025_report_goes_to_its_own_folder_with_the_aggregate(tmp_path):
    params = ReportParams(province="Lâm Đồng", vintage=2025).validate()
    summary = render([params], output=tmp_path, workers=1, progress=False)
    assert summary.exit_code == 0, summary.failed
    html = (tmp_path / "2025" / "reports" / "lam-dong.html").read_text(encoding="utf-8")
    for name in ("Bình Thuận", "Đắk Nông", "Lâm Đồng (2025, aggregate)"):
        assert name in html
    assert 'href="2025/reports/lam-dong.html"' in (tmp_path / "index.html").read_text(encoding="utf-8")


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
