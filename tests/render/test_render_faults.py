"""Warm kernels and faults in batch rendering (real kernels, real worker processes, a few provinces).

Each fault is injected for real: a notebook cell that kills its own kernel, kills its worker process,
hangs, or a folder that cannot be written, or SIGINT sent to ``ntm render``. After each: no partial
report where a finished one would be, the manifest agrees with the files on disk, the index shows the
failure, no kernel or temporary file is left behind, and a rerun completes only what is missing.
"""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from ntm_analysis import paths
from ntm_analysis.report.params import ReportParams
from ntm_analysis.render import render
from ntm_analysis.render.manifest import Manifest
from ntm_analysis.render.warm import kernel_processes, socket_folders
from ntm_analysis.report.content import mask_volatile

NOTEBOOK = paths.PROJECT_DIR / "notebooks" / "province_report.ipynb"
LAO_CAI, DAK_NONG, HA_GIANG = (ReportParams(province=p).validate() for p in ("Lào Cai", "Đắk Nông", "Hà Giang"))
THREE = [LAO_CAI, DAK_NONG, HA_GIANG]
SLUGS = {"2008/10": "lao-cai", "2008/67": "dak-nong", "2008/02": "ha-giang", "2008/15": "yen-bai"}


def _notebook_with(tmp_path: Path, source: str) -> Path:
    """The province report with ``source`` as an extra cell right after the setup cell."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    setup = next(i for i, c in enumerate(nb.cells) if "setup" in c.metadata.get("tags", []))
    nb.cells.insert(setup + 1, nbformat.v4.new_code_cell(source, id="injected-fault"))
    path = tmp_path / "nb" / "province_report.ipynb"
    path.parent.mkdir(exist_ok=True)
    nbformat.write(nb, path)
    return path


#: Processes whose renders this module started (the test process, and ``ntm render`` subprocesses).
ORIGINS = {str(os.getpid())}


def _kernel_pids() -> set[int]:
    return set().union(*(kernel_processes(o) for o in ORIGINS))


def _sock_dirs() -> set[str]:
    return set().union(*(socket_folders(o) for o in ORIGINS))


@pytest.fixture
def no_leaks():
    """Fails the test if it leaves a kernel process or a kernel socket folder behind."""
    kernels, socks = _kernel_pids(), _sock_dirs()
    yield
    deadline = time.monotonic() + 15  # a kernel orphaned by a killed worker notices within a few seconds
    while time.monotonic() < deadline and (_kernel_pids() - kernels or _sock_dirs() - socks):
        time.sleep(0.5)
    assert _kernel_pids() - kernels == set(), "kernel processes left running"
    assert _sock_dirs() - socks == set(), "kernel socket folders left in /tmp"


def _consistent(out: Path) -> dict:
    """The manifest agrees with the disk: every ok entry has its files, every report file has an ok entry,
    no temporary or hidden file anywhere. Returns the manifest entries."""
    entries = Manifest.load(out).entries
    reports = {p.name for p in (out / "reports").glob("*.html")} if (out / "reports").is_dir() else set()
    ok = {f"{SLUGS[k]}.html" for k, e in entries.items() if e["status"] == "ok"}
    assert reports == ok
    for k, e in entries.items():
        if e["status"] == "ok":
            assert (out / e["html"]).stat().st_size > 0 and (out / e["notebook"]).stat().st_size > 0
    leftovers = [p for p in out.rglob("*") if p.name.startswith(".") or ".tmp" in p.name]
    assert leftovers == []
    return entries


def _cell_outputs(path: Path) -> list:
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


def test_warm_kernel_renders_equal_a_cold_papermill_render(tmp_path, no_leaks):
    warm, cold = tmp_path / "warm", tmp_path / "cold"
    summary = render(THREE, output=warm, workers=1, progress=False)  # one kernel renders all three in turn
    assert summary.exit_code == 0, summary.failed
    entries = Manifest.load(warm).entries
    assert {e["worker"]["kernel_starts"] for e in entries.values()} == {1}
    assert sorted(e["worker"]["kernel_reports"] for e in entries.values()) == [1, 2, 3]
    last = max(entries, key=lambda k: entries[k]["worker"]["kernel_reports"])  # rendered after two others
    params = next(p for p in THREE if p.key == last)
    assert render([params], output=cold, workers=1, progress=False, kernel="cold").exit_code == 0
    slug = SLUGS[last]
    assert _cell_outputs(warm / "notebooks" / f"{slug}.ipynb") == _cell_outputs(cold / "notebooks" / f"{slug}.ipynb")
    html_w = mask_volatile((warm / "reports" / f"{slug}.html").read_text(encoding="utf-8"))[0]
    html_c = mask_volatile((cold / "reports" / f"{slug}.html").read_text(encoding="utf-8"))[0]
    assert html_w == html_c
    assert Manifest.load(cold).entries[last]["worker"]["kernel_mode"] == "cold"


def test_a_report_cannot_see_or_change_the_state_left_by_the_previous_one(tmp_path, no_leaks):
    nb = _notebook_with(tmp_path, (
        "import os, random, warnings\n"
        "import matplotlib as mpl, numpy as np\n"
        "assert 'LEFT_BEHIND' not in globals(), 'namespace leaked'\n"
        "assert mpl.rcParams['lines.linewidth'] != 7.5, 'rcParams leaked'\n"
        "assert 'NTM_LEFT_BEHIND' not in os.environ, 'environment leaked'\n"
        f"assert os.getcwd() == {str(tmp_path / 'nb')!r}, os.getcwd()\n"
        "assert not any(f[1] is not None and f[1].pattern == 'NTM-LEFT-BEHIND' for f in warnings.filters), "
        "'warning filters leaked'\n"
        "print('draws', random.random(), np.random.rand())\n"
        "LEFT_BEHIND = 1\n"
        "mpl.rcParams['lines.linewidth'] = 7.5\n"
        "os.environ['NTM_LEFT_BEHIND'] = '1'\n"
        "warnings.filterwarnings('error', message='NTM-LEFT-BEHIND')\n"
        "os.chdir('/')\n"
        "random.seed(1); np.random.seed(1)\n"))
    summary = render(THREE, output=tmp_path / "out", notebook=nb, workers=1, progress=False)
    assert summary.exit_code == 0, [r.error for r in summary.failed]
    draws = set()
    for slug in (SLUGS[p.key] for p in THREE):
        outputs = [o for c in nbformat.read(tmp_path / "out" / "notebooks" / f"{slug}.ipynb", as_version=4).cells
                   if c.get("id") == "injected-fault" for o in c.outputs]
        draws.add("".join(o.get("text", "") for o in outputs))
    assert len(draws) == 1 and next(iter(draws)).startswith("draws ")  # the same random state every time


def test_a_kernel_killed_mid_report_is_replaced_and_the_report_retried(tmp_path, no_leaks):
    mark = tmp_path / "killed-once"
    nb = _notebook_with(tmp_path, (
        "import os\n"
        f"if params.province == '67' and not os.path.exists({str(mark)!r}):\n"
        f"    open({str(mark)!r}, 'w').close()\n"
        "    os._exit(1)  # the kernel dies mid-report, once\n"))
    out = tmp_path / "out"
    summary = render(THREE, output=out, notebook=nb, workers=1, progress=False)
    assert summary.exit_code == 0, [r.error for r in summary.failed]
    entries = _consistent(out)
    assert entries["2008/67"]["worker"].get("retried_after_kernel_death") is True
    assert mark.exists() and max(e["worker"]["kernel_starts"] for e in entries.values()) == 2


def test_a_kernel_that_always_dies_fails_its_report_only(tmp_path, no_leaks):
    nb = _notebook_with(tmp_path, "import os\nif params.province == '67':\n    os._exit(1)\n")
    out = tmp_path / "out"
    summary = render(THREE, output=out, notebook=nb, workers=1, progress=False)
    assert [r.key for r in summary.failed] == ["2008/67"] and len(summary.rendered) == 2
    entries = _consistent(out)
    assert "DeadKernelError" in entries["2008/67"]["error"]["type"]
    assert "Failures (1)" in (out / "index.html").read_text(encoding="utf-8")
    # the rerun tries only the failed report again
    again = render(THREE, output=out, notebook=nb, workers=1, progress=False)
    assert [r.key for r in again.failed] == ["2008/67"] and len(again.skipped) == 2


def test_a_hung_cell_times_out_and_the_kernel_is_replaced(tmp_path, no_leaks):
    nb = _notebook_with(tmp_path, "import time\nif params.province == '10':\n    time.sleep(600)\n")
    out = tmp_path / "out"
    t0 = time.monotonic()
    summary = render(THREE, output=out, notebook=nb, workers=1, progress=False, timeout=8)
    assert time.monotonic() - t0 < 180
    assert [r.key for r in summary.failed] == ["2008/10"] and len(summary.rendered) == 2
    entries = _consistent(out)
    err = entries["2008/10"]["error"]
    assert err["type"] == "CellTimeoutError" and "8 seconds" in err["message"]
    # Lào Cai came first: the two after it ran on a new kernel
    assert {entries[k]["worker"]["kernel_starts"] for k in ("2008/67", "2008/02")} == {2}


def test_a_worker_process_killed_mid_report_is_retried_on_a_new_worker(tmp_path, no_leaks):
    mark = tmp_path / "worker-killed-once"
    nb = _notebook_with(tmp_path, (
        "import os, signal\n"
        f"if params.province == '67' and not os.path.exists({str(mark)!r}):\n"
        f"    open({str(mark)!r}, 'w').close()\n"
        "    os.kill(int(os.environ['JPY_PARENT_PID']), signal.SIGKILL)  # the worker, not the kernel\n"
        "    import time; time.sleep(60)\n"))
    out = tmp_path / "out"
    summary = render(THREE, output=out, notebook=nb, workers=2, progress=False)
    assert summary.exit_code == 0, [r.error for r in summary.failed]
    assert mark.exists()
    _consistent(out)


def test_a_worker_killed_every_time_fails_that_report_only(tmp_path, no_leaks):
    nb = _notebook_with(tmp_path, (
        "import os, signal\n"
        "if params.province == '67':\n"
        "    os.kill(int(os.environ['JPY_PARENT_PID']), signal.SIGKILL)\n"
        "    import time; time.sleep(60)\n"))
    out = tmp_path / "out"
    summary = render(THREE, output=out, notebook=nb, workers=2, progress=False)
    assert [r.key for r in summary.failed] == ["2008/67"] and len(summary.rendered) == 2
    entries = _consistent(out)
    assert "worker process died" in entries["2008/67"]["error"]["message"]
    assert "Failures (1)" in (out / "index.html").read_text(encoding="utf-8")


def test_an_unwritable_output_folder_fails_cleanly_and_a_rerun_completes(tmp_path, no_leaks):
    out = tmp_path / "out"
    out.mkdir()
    (out / "reports").write_text("a file where the reports folder should be")  # root ignores permissions
    summary = render([LAO_CAI, DAK_NONG], output=out, workers=2, progress=False)
    assert summary.exit_code == 1 and len(summary.failed) == 2
    for r in summary.failed:
        assert "reports" in r.error["message"] and r.error["type"] in ("NotADirectoryError", "FileExistsError")
    entries = Manifest.load(out).entries
    assert {e["status"] for e in entries.values()} == {"failed"}
    assert "Failures (2)" in (out / "index.html").read_text(encoding="utf-8")
    assert [p for p in out.rglob("*") if p.name.startswith(".") or ".tmp" in p.name] == []
    (out / "reports").unlink()
    again = render([LAO_CAI, DAK_NONG], output=out, workers=2, progress=False)
    assert again.exit_code == 0 and len(again.rendered) == 2
    _consistent(out)


def test_sigint_stops_the_batch_cleanly_and_a_rerun_completes_only_what_is_missing(tmp_path, no_leaks):
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "ntm_analysis.cli", "render", "--province", "10", "--province", "67",
           "--province", "02", "--province", "15", "--jobs", "1", "--output", str(out), "--no-progress"]
    proc = subprocess.Popen(cmd, cwd=paths.PROJECT_DIR, stderr=subprocess.PIPE, text=True, start_new_session=True)
    ORIGINS.add(str(proc.pid))
    manifest = out / "manifest.json"
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        if manifest.exists() and json.loads(manifest.read_text(encoding="utf-8"))["entries"]:
            break
        time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("no report finished in time")
    os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C in a terminal reaches the whole process group
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "interrupted" in err
    entries = _consistent(out)
    done = {k for k, e in entries.items() if e["status"] == "ok"}
    assert 1 <= len(done) < 4
    assert (out / "index.html").exists()
    rerun = render([ReportParams(province=c).validate() for c in ("10", "67", "02", "15")], output=out,
                   workers=2, progress=False)
    assert {j.key for j in rerun.skipped} == done
    assert {r.key for r in rerun.rendered} == {"2008/10", "2008/67", "2008/02", "2008/15"} - done
