"""The manifest under concurrency, full and read-only disks, corruption and missing files; the engine's user errors
(issue 16, items 5, 6 and 10): a reported failure with the right exit code, never a traceback, never a lost entry."""
import argparse
import errno
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mini_document import MINI
from ntm_analysis import atomic, paths
from ntm_analysis.render import cli as render_cli
from ntm_analysis.render import render
from ntm_analysis.render import run as engine
from ntm_analysis.render.manifest import Manifest, ManifestError
from ntm_analysis.report.params import ReportParams

LAO_CAI, DAK_NONG = (ReportParams(province=p).validate() for p in ("Lào Cai", "Đắk Nông"))


def _args(*argv: str) -> argparse.Namespace:
    return render_cli.add_engine_options(argparse.ArgumentParser()).parse_args(list(argv))


def _failing(original, name: str, err: int):
    """``original`` (an atomic writer), raising OSError(err) for files called ``name`` ("*": every file)."""
    def write(path, *a, **kw):
        if name == "*" or Path(path).name == name:
            raise OSError(err, os.strerror(err), str(path))
        return original(path, *a, **kw)
    return write


def test_a_deleted_download_makes_the_report_stale(tmp_path, render_pool):
    out = tmp_path / "out"
    assert render([LAO_CAI], output=out, document=MINI, executor=render_pool, progress=False).exit_code == 0
    entry = Manifest.load(out).entries["2008/10"]
    assert sorted(entry["files"]) == ["downloads/lao-cai/summary.csv", "notebooks/lao-cai.ipynb",
                                      "reports/lao-cai.html"]
    assert len(render([LAO_CAI], output=out, document=MINI, executor=render_pool, progress=False).skipped) == 1
    (out / "downloads" / "lao-cai" / "summary.csv").unlink()
    again = render([LAO_CAI], output=out, document=MINI, executor=render_pool, progress=False)
    assert [r.key for r in again.rendered] == ["2008/10"] and again.skipped == []
    assert (out / "downloads" / "lao-cai" / "summary.csv").is_file()


def test_a_manifest_that_cannot_be_written_is_a_reported_failure_and_the_batch_goes_on(tmp_path, render_pool,
                                                                                        monkeypatch):
    out = tmp_path / "out"
    monkeypatch.setattr(atomic, "write_text", _failing(atomic.write_text, "manifest.json", errno.ENOSPC))
    summary = render([LAO_CAI, DAK_NONG], output=out, document=MINI, executor=render_pool, progress=False)
    assert {r.key for r in summary.rendered} == {"2008/10", "2008/67"} and summary.failed == []
    assert summary.write_errors == [f"{out / 'manifest.json'}: No space left on device"]
    assert summary.exit_code == 1
    assert not (out / "manifest.json").exists() and (out / "index.html").is_file()
    assert (out / "reports" / "lao-cai.html").is_file() and (out / "reports" / "dak-nong.html").is_file()


def test_a_run_with_nothing_to_do_writes_nothing(tmp_path, render_pool, monkeypatch):
    """A no-op on a folder that refuses every write (read-only) works: nothing changed, nothing is written."""
    out = tmp_path / "out"
    assert render([LAO_CAI], output=out, document=MINI, executor=render_pool, progress=False).exit_code == 0
    monkeypatch.setattr(atomic, "write_bytes", _failing(atomic.write_bytes, "*", errno.EROFS))
    again = render([LAO_CAI], output=out, document=MINI, executor=render_pool, progress=False)
    assert again.exit_code == 0 and len(again.skipped) == 1 and again.write_errors == []


def test_the_command_line_reports_a_write_failure_with_exit_code_1(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(engine, "render", lambda *a, **kw: engine.RenderSummary(
        write_errors=[f"{tmp_path}/manifest.json: Read-only file system"]))
    assert render_cli.run(_args("--output", str(tmp_path)), []) == 1
    err = capsys.readouterr().err
    assert f"FAILED to write {tmp_path}/manifest.json: Read-only file system" in err and "Traceback" not in err


@pytest.mark.parametrize("content, problem", [
    ("{not json", "not valid JSON"),
    ('{"format": 1, "entries": {"2008/10": "oops"}}', "entry '2008/10' must be an object, found str 'oops'"),
    ('{"format": 1, "entries": {"2008/10": {"status": "ok", "files": "reports/x.html"}}}',
     "entry '2008/10': field 'files' must be a list"),
    ('[1, 2]', "expected a JSON object, found list"),
])
def test_a_corrupt_manifest_is_a_user_error_naming_the_file(tmp_path, capsys, content, problem):
    (tmp_path / "manifest.json").write_text(content, encoding="utf-8")
    with pytest.raises(ManifestError, match="--force"):
        Manifest.load(tmp_path)
    items = [(MINI, LAO_CAI)]
    assert render_cli.run(_args("--output", str(tmp_path), "--no-progress"), items) == 2
    err = capsys.readouterr().err
    assert str(tmp_path / "manifest.json") in err and problem in err and "--force" in err
    assert "Traceback" not in err
    assert (tmp_path / "manifest.json").read_text(encoding="utf-8") == content  # untouched without --force


def test_force_rebuilds_a_corrupt_manifest_keeping_a_backup(tmp_path, render_pool):
    out = tmp_path / "out"
    out.mkdir()
    (out / "manifest.json").write_text('{"format": 1, "entries": {"2008/10": []}}', encoding="utf-8")
    summary = render([LAO_CAI], output=out, document=MINI, executor=render_pool, progress=False, force=True)
    assert summary.exit_code == 0 and len(summary.rendered) == 1
    backup = Path(summary.manifest_backup)
    assert backup.parent == out and backup.name.startswith("manifest.json.corrupt-")
    assert backup.read_text(encoding="utf-8") == '{"format": 1, "entries": {"2008/10": []}}'
    assert list(Manifest.load(out).entries) == ["2008/10"]


@pytest.mark.parametrize("timeout", ["0", "-5"])
def test_a_timeout_below_one_second_is_refused(capsys, tmp_path, timeout):
    assert render_cli.run(_args("--timeout", timeout, "--output", str(tmp_path)), [(MINI, LAO_CAI)]) == 2
    assert f"--timeout must be at least 1 second per cell, got {timeout}" in capsys.readouterr().err


def test_jobs_beyond_the_cpus_are_capped_and_said(monkeypatch, capsys, tmp_path):
    seen = {}
    monkeypatch.setattr(engine, "render", lambda *a, **kw: seen.update(kw) or engine.RenderSummary())
    assert render_cli.run(_args("--jobs", "1000", "--output", str(tmp_path)), []) == 0
    cpus = len(os.sched_getaffinity(0))
    assert seen["workers"] == cpus
    assert f"--jobs 1000 is more than the {cpus} CPUs of this machine: using {cpus} workers" in \
        capsys.readouterr().err
    assert render_cli.run(_args("--jobs", str(cpus), "--output", str(tmp_path)), []) == 0
    assert seen["workers"] == cpus and "more than" not in capsys.readouterr().err


def test_two_concurrent_renders_of_one_folder_keep_both_entries(tmp_path):
    out = tmp_path / "out"
    script = Path(__file__).resolve().parent / "mini_document.py"
    procs = []
    for codes, name in ((["10", "67"], "a"), (["02", "15"], "b")):
        err = open(tmp_path / f"{name}.txt", "w", encoding="utf-8")
        procs.append(subprocess.Popen([sys.executable, str(script), *codes, "--jobs", "1", "--output", str(out),
                                       "--no-progress"], cwd=paths.PROJECT_DIR, stderr=err))
        err.close()
    assert [p.wait(timeout=600) for p in procs] == [0, 0]
    errs = [(tmp_path / f"{n}.txt").read_text(encoding="utf-8") for n in "ab"]
    assert any("waiting for another render of" in e for e in errs), errs
    entries = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["entries"]
    assert sorted(entries) == ["2008/02", "2008/10", "2008/15", "2008/67"]
    index = (out / "index.html").read_text(encoding="utf-8")
    assert all(f"{stem}.html" in index for stem in ("lao-cai", "dak-nong", "ha-giang", "yen-bai"))
