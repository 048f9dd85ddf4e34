"""Warm kernels and faults in batch rendering (real kernels, real worker processes), on the reduced report.

Each fault is injected for real: a notebook cell that kills its own kernel, kills its worker process, hangs, or
changes the kernel's global state, a folder that cannot be written, or SIGINT sent to the renderer's command line.
After each: no partial report where a finished one would be, the manifest agrees with the files on disk, the index
shows the failure, no kernel or temporary file is left behind (beyond the session pool's warm kernels), and a rerun
completes only what is missing. Most run on the session's warm pool (``render_pool``), which must survive them.
"""
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import nbformat
import pytest

from leaks import ORIGINS
from mini_document import MINI, MINI_FILES, NOTEBOOK
from ntm_analysis import paths
from ntm_analysis.render import render
from ntm_analysis.render.manifest import Manifest
from ntm_analysis.render.warm import kernel_processes, socket_folders
from ntm_analysis.report.params import ReportParams

LAO_CAI, DAK_NONG, HA_GIANG = (ReportParams(province=p).validate() for p in ("Lào Cai", "Đắk Nông", "Hà Giang"))
THREE = [LAO_CAI, DAK_NONG, HA_GIANG]
SLUGS = {"2008/10": "lao-cai", "2008/67": "dak-nong", "2008/02": "ha-giang", "2008/15": "yen-bai"}


def _with_cell(tmp_path: Path, source: str):
    """The reduced report with ``source`` as an extra cell right after the setup cell."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    setup = next(i for i, c in enumerate(nb.cells) if "setup" in c.metadata.get("tags", []))
    nb.cells.insert(setup + 1, nbformat.v4.new_code_cell(source, id="injected-fault"))
    path = tmp_path / "nb" / "mini_report.ipynb"
    path.parent.mkdir(exist_ok=True)
    nbformat.write(nb, path)
    return replace(MINI, notebook=str(path))


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


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            return fh.read().rsplit(") ", 1)[-1][:1] != "Z"
    except OSError:
        return False


def test_a_report_cannot_see_or_change_the_state_left_by_the_previous_one(tmp_path, render_pool, no_leaks):
    doc = _with_cell(tmp_path, (
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
    # three reports on two warm kernels: at least one kernel renders two of them in turn
    summary = render(THREE, output=tmp_path / "out", document=doc, executor=render_pool, progress=False)
    assert summary.exit_code == 0, [r.error for r in summary.failed]
    entries = Manifest.load(tmp_path / "out").entries
    pids = [e["worker"]["kernel_pid"] for e in entries.values()]
    assert len(set(pids)) < len(pids)  # a kernel rendered two of the three
    draws: dict = {}
    for p in THREE:
        nb = nbformat.read(tmp_path / "out" / "notebooks" / f"{SLUGS[p.key]}.ipynb", as_version=4)
        text = "".join(o.get("text", "") for c in nb.cells if c.get("id") == "injected-fault" for o in c.outputs)
        assert text.startswith("draws ")
        draws.setdefault(entries[p.key]["worker"]["kernel_pid"], set()).add(text)
    # each kernel hands every report the random state it had when it was fresh (kernels differ from each other,
    # as two fresh kernels would)
    assert all(len(texts) == 1 for texts in draws.values())


def test_a_kernel_killed_mid_report_is_replaced_and_the_report_retried(tmp_path, render_pool, no_leaks):
    mark = tmp_path / "killed-once"
    doc = _with_cell(tmp_path, (
        "import os\n"
        f"if params.province == '67' and not os.path.exists({str(mark)!r}):\n"
        f"    open({str(mark)!r}, 'w').write(str(os.getpid()))\n"
        "    os._exit(1)  # the kernel dies mid-report, once\n"))
    out = tmp_path / "out"
    summary = render(THREE, output=out, document=doc, executor=render_pool, progress=False)
    assert summary.exit_code == 0, [r.error for r in summary.failed]
    entries = _consistent(out)
    worker = entries["2008/67"]["worker"]
    assert worker.get("retried_after_kernel_death") is True
    dead = int(mark.read_text())
    assert worker["kernel_pid"] != dead and not _alive(dead)  # rendered on a new kernel; the old one is gone


def test_a_kernel_that_always_dies_fails_its_report_only(tmp_path, render_pool, no_leaks):
    doc = _with_cell(tmp_path, "import os\nif params.province == '67':\n    os._exit(1)\n")
    out = tmp_path / "out"
    summary = render(THREE, output=out, document=doc, executor=render_pool, progress=False)
    assert [r.key for r in summary.failed] == ["2008/67"] and len(summary.rendered) == 2
    entries = _consistent(out)
    assert "DeadKernelError" in entries["2008/67"]["error"]["type"]
    assert "Failures (1)" in (out / "index.html").read_text(encoding="utf-8")
    # the rerun tries only the failed report again
    again = render(THREE, output=out, document=doc, executor=render_pool, progress=False)
    assert [r.key for r in again.failed] == ["2008/67"] and len(again.skipped) == 2


def test_a_hung_cell_times_out_and_the_kernel_is_replaced(tmp_path, render_pool, no_leaks):
    mark = tmp_path / "hung"
    doc = _with_cell(tmp_path, (
        "import os, time\n"
        f"if params.province == '10':\n    open({str(mark)!r}, 'w').write(str(os.getpid()))\n    time.sleep(600)\n"))
    out = tmp_path / "out"
    t0 = time.monotonic()
    summary = render(THREE, output=out, document=doc, executor=render_pool, progress=False, timeout=4)
    assert time.monotonic() - t0 < 120
    assert [r.key for r in summary.failed] == ["2008/10"] and len(summary.rendered) == 2
    entries = _consistent(out)
    err = entries["2008/10"]["error"]
    assert err["type"] == "CellTimeoutError" and "4 seconds" in err["message"]
    hung = int(mark.read_text())
    assert not _alive(hung)  # killed, not left running beside its replacement
    hung_worker = entries["2008/10"]["worker"]["worker_pid"]
    after = [e["worker"] for k, e in entries.items() if k != "2008/10" and e["worker"]["worker_pid"] == hung_worker
             and e["worker"]["kernel_reports"] >= 1]
    assert all(w["kernel_pid"] != hung for w in after)
    # the pool serves the next render on live kernels
    assert render([LAO_CAI], output=out, document=MINI, executor=render_pool, progress=False,
                  force=True).exit_code == 0


def test_a_killed_worker_is_replaced_its_report_retried_once_and_failed_when_killed_again(tmp_path, render_pool,
                                                                                          no_leaks):
    """Hà Giang kills its worker once (retried on a new worker: rendered); Đắk Nông kills it every time (failed
    after two attempts, alone); Lào Cai never does. The pool replaces its workers and keeps serving."""
    mark, once = tmp_path / "worker-killed", tmp_path / "worker-killed-once"
    doc = _with_cell(tmp_path, (
        "import os, signal, time\n"
        f"if params.province == '67' or (params.province == '02' and not os.path.exists({str(once)!r})):\n"
        f"    open({str(mark)!r}, 'a').write(params.province)\n"
        f"    if params.province == '02': open({str(once)!r}, 'w').close()\n"
        "    os.kill(int(os.environ['JPY_PARENT_PID']), signal.SIGKILL)  # the worker, not the kernel\n"
        "    time.sleep(60)\n"))
    out = tmp_path / "out"
    summary = render(THREE, output=out, document=doc, executor=render_pool, progress=False)
    assert [r.key for r in summary.failed] == ["2008/67"] and {r.key for r in summary.rendered} == {"2008/10", "2008/02"}
    assert sorted(mark.read_text().replace("67", "x").replace("02", "y")) == ["x", "x", "y"]  # 67 twice, 02 once
    entries = _consistent(out)
    assert "worker process died" in entries["2008/67"]["error"]["message"]
    assert "2 attempts" in entries["2008/67"]["error"]["message"]
    assert "Failures (1)" in (out / "index.html").read_text(encoding="utf-8")
    assert render([DAK_NONG], output=out, document=MINI, executor=render_pool, progress=False).exit_code == 0


def test_an_unwritable_output_folder_fails_cleanly_and_a_rerun_completes(tmp_path, render_pool, no_leaks):
    out = tmp_path / "out"
    out.mkdir()
    (out / "reports").write_text("a file where the reports folder should be")  # root ignores permissions
    summary = render([LAO_CAI, DAK_NONG], output=out, document=MINI, executor=render_pool, progress=False)
    assert summary.exit_code == 1 and len(summary.failed) == 2
    for r in summary.failed:
        assert "reports" in r.error["message"] and r.error["type"] in ("NotADirectoryError", "FileExistsError")
    entries = Manifest.load(out).entries
    assert {e["status"] for e in entries.values()} == {"failed"}
    assert "Failures (2)" in (out / "index.html").read_text(encoding="utf-8")
    assert [p for p in out.rglob("*") if p.name.startswith(".") or ".tmp" in p.name] == []
    (out / "reports").unlink()
    again = render([LAO_CAI, DAK_NONG], output=out, document=MINI, executor=render_pool, progress=False)
    assert again.exit_code == 0 and len(again.rendered) == 2
    _consistent(out)


def test_sigint_stops_the_batch_cleanly_and_a_rerun_completes_only_what_is_missing(tmp_path, render_pool):
    out = tmp_path / "out"
    script = Path(__file__).resolve().parent / "mini_document.py"
    cmd = [sys.executable, str(script), "10", "67", "02", "15", "--jobs", "1", "--output", str(out), "--no-progress"]
    proc = subprocess.Popen(cmd, cwd=paths.PROJECT_DIR, stderr=subprocess.PIPE, text=True, start_new_session=True)
    ORIGINS.add(str(proc.pid))
    manifest = out / "manifest.json"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if manifest.exists() and json.loads(manifest.read_text(encoding="utf-8"))["entries"]:
            break
        time.sleep(0.1)
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
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and kernel_processes(str(proc.pid)):
        time.sleep(0.2)
    assert kernel_processes(str(proc.pid)) == set() and socket_folders(str(proc.pid)) == set()
    rerun = render([ReportParams(province=c).validate() for c in ("10", "67", "02", "15")], output=out,
                   document=MINI_FILES, executor=render_pool, progress=False)
    assert {j.key for j in rerun.skipped} == done
    assert {r.key for r in rerun.rendered} == {"2008/10", "2008/67", "2008/02", "2008/15"} - done
