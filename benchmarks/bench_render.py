"""Benchmark: rendering every province's report, against the loop a user would write without this project.

    .venv/bin/python benchmarks/bench_render.py               # all 63 provinces (about 20 minutes on 2 cores)
    .venv/bin/python benchmarks/bench_render.py --provinces 8 # the first 8 provinces (code order), quicker

Measured in one run, on a private copy of the shipped data (so step d can edit it):

(f) the floor: the province notebook's own cells executed in an in-process IPython kernel
    (``ipykernel.inprocess``: no kernel process, no sockets, no HTML export, no files written), parameterised as
    papermill does, one province after the other in a fresh Python process; between reports the namespace is reset
    and figures closed (not timed). The floor of the batch on J workers (J = the default jobs = CPUs): each worker
    pays imports and data once, so floor = first report + median later report x (N - J) / J;
(a) the naive loop: a shell loop running ``papermill notebooks/province_report.ipynb OUT.ipynb -r province CODE``
    and then ``jupyter nbconvert --to html OUT.ipynb`` for each province, one after the other;
(b) ``ntm render --province …`` (every province measured, named one by one: ``--all`` would add the site's
    national pages, which the naive loop does not render) ``--force`` with the default jobs (warm kernels);
    the ratio (a)/(b) and (b)/floor; for each worker the time split (kernel start, imports, data, execute,
    export, write) of its first report and of a typical one (median of the others), and the peak memory (VmHWM) of
    the worker process and of its kernel, separately and summed;
(c) ``ntm render`` again with nothing changed (whole command, process start to exit);
(d) one province's input figure changed in the data copy (Lào Cai's NTM credit 2011-2015, +1 billion VND): which
    reports are re-rendered and how long it takes; then every report is rendered afresh into another folder
    and compared with the incremental result (masked volatile fields): no stale report may remain.

Targets (issues 5, 15): (a)/(b) >= 10 (all 63 provinces; >= 5 on fewer, where a kernel start weighs more);
(b) <= 1.5 x the floor; every worker + its kernel <= 500 MB; (c) <= 3 s; (d) re-renders only the reports whose
inputs changed.
Exit code 0 when every target is met, 1 otherwise.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
NOTEBOOK = ROOT / "notebooks" / "province_report.ipynb"
TARGET_RATIO, TARGET_RATIO_ALL, TARGET_NOOP_S = 5.0, 10.0, 3.0
TARGET_FLOOR_RATIO, TARGET_WORKER_MB = 1.5, 500.0
STAGES = ("kernel_start", "imports", "data_load", "execute", "export", "write")
#: Step (d): the figure changed (a real row of the shipped table, edited only in the benchmark's copy).
CHANGE_FILE, CHANGE_PROVINCE, CHANGE_INDICATOR, CHANGE_DELTA = "ntm_resources_by_province.csv", "Lào Cai", \
    "resources_credit", 1.0


def naive_loop(codes: list[str], work: Path) -> tuple[float, list[dict]]:
    """(a): papermill then nbconvert, one province after the other, as a shell loop. Returns wall s, per-report s."""
    script = work / "naive.sh"
    lines = ["set -e", f"cd {json.dumps(str(ROOT))}"]
    for code in codes:
        out = work / "naive" / f"{code}.ipynb"
        lines += ["t0=$(date +%s.%N)",
                  f"{BIN}/papermill {NOTEBOOK} {out} -r province {code} --no-progress-bar --log-level ERROR",
                  "t1=$(date +%s.%N)",
                  f"{BIN}/jupyter nbconvert --to html {out} --log-level ERROR",
                  "t2=$(date +%s.%N)",
                  f'echo "{code} $t0 $t1 $t2" >> {work / "naive_times.txt"}']
    (work / "naive").mkdir()
    script.write_text("\n".join(lines) + "\n")
    t0 = time.perf_counter()
    subprocess.run(["bash", str(script)], check=True, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    per = []
    for line in (work / "naive_times.txt").read_text().splitlines():
        code, a, b, c = line.split()
        per.append({"code": code, "papermill": float(b) - float(a), "nbconvert": float(c) - float(b)})
    return wall, per


def floor_child(codes: list[str], data: str) -> None:
    """Run in a fresh process (``--floor-child``): each province's notebook cells in an in-process kernel; prints
    one JSON line per report (seconds of its cells) and a last line with the process's start-up and peak memory."""
    # as ipykernel's kernel app sets it for a real kernel: figures go through the inline backend (PNG)
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    t0 = time.perf_counter()
    import copy  # noqa: PLC0415

    import nbformat  # noqa: PLC0415
    from ipykernel.inprocess.manager import InProcessKernelManager  # noqa: PLC0415
    from papermill.parameterize import parameterize_notebook  # noqa: PLC0415

    from ntm_analysis.report.params import ReportParams  # noqa: PLC0415

    t1 = time.perf_counter()
    km = InProcessKernelManager()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    t2 = time.perf_counter()
    source = nbformat.read(NOTEBOOK, as_version=4)
    source.metadata.setdefault("papermill", {})
    os.chdir(NOTEBOOK.parent)  # the kernel's working directory, as the renderer sets it

    def run(code: str) -> int:
        kc.execute(code)
        reply = kc.get_shell_msg(timeout=3600)
        msgs = kc.iopub_channel.get_msgs()  # the cell's outputs (display data: HTML tables, PNG figures)
        if reply["content"]["status"] != "ok":
            raise SystemExit(f"floor: a cell failed: {reply['content'].get('ename')}: {reply['content'].get('evalue')}")
        return len(msgs)

    for code in codes:
        params = ReportParams(province=code, data_dir=data).validate().to_notebook_parameters()
        nb = parameterize_notebook(copy.deepcopy(source), params, kernel_name="python3", language="python")
        t = time.perf_counter()
        messages = sum(run(c.source) for c in nb.cells if c.cell_type == "code")
        seconds = time.perf_counter() - t
        run("import matplotlib.pyplot as _plt; _plt.close('all'); get_ipython().reset(new_session=True)")
        print(json.dumps({"code": code, "seconds": seconds, "messages": messages}), flush=True)
    with open("/proc/self/status", encoding="ascii") as fh:
        peak = next(int(line.split()[1]) / 1024 for line in fh if line.startswith("VmHWM:"))
    print(json.dumps({"tools_import": t1 - t0, "kernel_start": t2 - t1, "peak_rss_mb": peak}), flush=True)


def floor_run(codes: list[str], data: Path, jobs: int) -> dict:
    """(f): the in-process floor (see the module's docstring), in a child process."""
    proc = subprocess.run([sys.executable, "-Xfrozen_modules=off", str(Path(__file__).resolve()), "--floor-child",
                           "--data", str(data), *codes], cwd=ROOT, capture_output=True, text=True,
                          env={**os.environ, "PYDEVD_DISABLE_FILE_VALIDATION": "1"})
    if proc.returncode:
        raise SystemExit(f"bench_render: the floor run failed:\n{proc.stderr[-3000:]}")
    lines = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    reports, info = lines[:-1], lines[-1]
    first, later = reports[0]["seconds"], [r["seconds"] for r in reports[1:]]
    typical = statistics.median(later) if later else first
    floor = first + typical * max(len(reports) - jobs, 0) / jobs
    return {"first": first, "typical": typical, "floor": floor, "reports": reports, **info}


def worker_table(entries: dict) -> list[dict]:
    """Per worker process: its first report's time split, a typical report's (median of the others), and the peak
    memory of the worker process and of its kernel (MB; the largest seen in the manifest)."""
    by_pid: dict = {}
    for e in sorted(entries.values(), key=lambda e: e.get("rendered_at", "")):
        w = e.get("worker") or {}
        by_pid.setdefault(w.get("worker_pid"), []).append(w)
    out = []
    for pid, ws in by_pid.items():
        firsts = [w for w in ws if (w.get("timings") or {}).get("kernel_start", 0) > 0] or ws[:1]
        others = [w for w in ws if w not in firsts]
        first = firsts[0].get("timings") or {}
        typical = {k: statistics.median((w.get("timings") or {}).get(k, 0.0) for w in others) for k in STAGES} \
            if others else {}
        worker_mb = max((w.get("worker_peak_rss_mb") or 0) for w in ws)
        kernel_mb = max((w.get("kernel_peak_rss_mb") or 0) for w in ws)
        out.append({"pid": pid, "reports": len(ws), "first": first, "typical": typical, "worker_mb": worker_mb,
                    "kernel_mb": kernel_mb, "sum_mb": max((w.get("worker_peak_rss_mb") or 0)
                                                          + (w.get("kernel_peak_rss_mb") or 0) for w in ws)})
    return out


def ntm_render(codes: list[str] | None, out: Path, data: Path, *extra: str) -> tuple[float, subprocess.CompletedProcess]:
    from ntm_analysis.data import geo  # noqa: PLC0415

    codes = codes or [p.code for p in geo.provinces(2008)]  # the provinces only (--all adds the national pages)
    which = [a for c in codes for a in ("--province", c)]
    cmd = [str(BIN / "ntm"), "render", *which, "--output", str(out), "--data-dir", str(data), "--no-progress", *extra]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    return time.perf_counter() - t0, proc


def manifest_entries(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))["entries"]


def change_one_figure(data: Path) -> str:
    """Step (d)'s edit in the data copy: one figure of one province's own NTM report (a correction a maintainer
    makes often), with the file's new SHA-256 recorded in the copy's ``provenance.yml`` as the maintainer must (every
    load checks a raw file against it). Income or poverty figures feed the cross-province model every report
    shows, so a change there rightly re-renders every report. Returns a note."""
    import hashlib  # noqa: PLC0415

    path = data / "raw" / CHANGE_FILE
    old_sum = hashlib.sha256(path.read_bytes()).hexdigest()
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    name_col, ind_col, value_col = (header.index(c) for c in ("province_name_vi", "indicator", "value"))
    for row in rows[1:]:
        if row[name_col].strip() == CHANGE_PROVINCE and row[ind_col].strip() == CHANGE_INDICATOR:
            old = row[value_col]
            row[value_col] = f"{float(old) + CHANGE_DELTA:g}"
            break
    else:
        raise SystemExit(f"bench_render: {CHANGE_PROVINCE} {CHANGE_INDICATOR} not found in {path}")
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    provenance = data / "provenance.yml"
    text = provenance.read_text(encoding="utf-8")
    if text.count(old_sum) != 1:
        raise SystemExit(f"bench_render: {provenance} records the checksum of {CHANGE_FILE} {text.count(old_sum)} "
                         "times; expected once")
    provenance.write_text(text.replace(old_sum, hashlib.sha256(path.read_bytes()).hexdigest()), encoding="utf-8")
    return f"{CHANGE_FILE}: {CHANGE_PROVINCE} {CHANGE_INDICATOR} {old} -> {row[value_col]} (checksum re-recorded)"


def masked_reports(out: Path) -> dict[str, str]:
    from ntm_analysis.report.provenance import mask_volatile  # noqa: PLC0415

    return {p.name: mask_volatile(p.read_text(encoding="utf-8"))[0] for p in sorted((out / "reports").glob("*.html"))}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--provinces", type=int, default=63, help="the first N provinces in code order (default 63)")
    ap.add_argument("--skip-naive", action="store_true", help="skip (a) (no ratio)")
    ap.add_argument("--skip-incremental", action="store_true", help="skip (d) (two more renders of every province)")
    ap.add_argument("--floor-child", action="store_true", help=argparse.SUPPRESS)  # (f) in a fresh process
    ap.add_argument("--data", help=argparse.SUPPRESS)
    ap.add_argument("codes", nargs="*", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.floor_child:
        floor_child(args.codes, args.data)
        return 0
    from ntm_analysis.data import geo  # noqa: PLC0415

    all_codes = [p.code for p in geo.provinces(2008)]
    codes = all_codes[: args.provinces]
    if geo.lookup_province(CHANGE_PROVINCE).code not in codes:
        codes = codes[:-1] + [geo.lookup_province(CHANGE_PROVINCE).code]
    which = None if len(codes) == len(all_codes) else codes
    ok = True
    with tempfile.TemporaryDirectory(prefix="ntm-bench-") as tmp:
        tmp = Path(tmp)
        data = tmp / "data"
        shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns(".cache"))
        # build the data cache once, outside every timing (both (a) and (b) then start from a warm disk cache)
        subprocess.run([sys.executable, "-c", f"import ntm_analysis as n; n.load_panel(level='all', data_dir={str(data)!r});"
                        f"n.load_panel(level='all')"], check=True, cwd=ROOT)
        jobs = os.cpu_count() or 1  # ntm render's default --jobs
        print(f"bench_render: {len(codes)} provinces, {os.cpu_count()} CPUs, python {sys.version.split()[0]}, "
              f"load average {os.getloadavg()[0]:.1f} at the start")
        fl = floor_run(codes, data, jobs)
        print(f"(f) floor: the notebook's cells in an in-process kernel: first report {fl['first']:.2f} s (imports and "
              f"data included), later reports median {fl['typical']:.2f} s (min {min(r['seconds'] for r in fl['reports']):.2f}, "
              f"max {max(r['seconds'] for r in fl['reports']):.2f}); peak memory {fl['peak_rss_mb']:.0f} MB")
        print(f"    floor of the batch on {jobs} workers: {fl['first']:.2f} + {fl['typical']:.2f} x ({len(codes)} - {jobs}) / "
              f"{jobs} = {fl['floor']:.1f} s")
        t_a = None
        if not args.skip_naive:
            t_a, per = naive_loop(codes, tmp)
            pm, nc = statistics.median(r["papermill"] for r in per), statistics.median(r["nbconvert"] for r in per)
            print(f"(a) naive loop (papermill + nbconvert per province): {t_a:8.1f} s  "
                  f"(per report, median: papermill {pm:.2f} s + nbconvert {nc:.2f} s)")
        out = tmp / "out"
        t_b, proc = ntm_render(which, out, data, "--force")
        if proc.returncode:
            print(proc.stderr[-3000:], file=sys.stderr)
            return 1
        entries = manifest_entries(out)
        workers = worker_table(entries)
        print(f"(b) ntm render --force (default jobs, warm kernels): {t_b:8.1f} s  ({len(entries)} reports, "
              f"{len(workers)} workers)")
        if t_a:
            ratio = t_a / t_b
            target = TARGET_RATIO_ALL if which is None else TARGET_RATIO
            ok &= ratio >= target
            print(f"    ratio (a)/(b): {ratio:.1f}  (target >= {target:g}: {'PASS' if ratio >= target else 'FAIL'})")
        floor_ratio = t_b / fl["floor"]
        ok &= floor_ratio <= TARGET_FLOOR_RATIO
        print(f"    ratio (b)/floor: {floor_ratio:.2f}  (target <= {TARGET_FLOOR_RATIO:g}: "
              f"{'PASS' if floor_ratio <= TARGET_FLOOR_RATIO else 'FAIL'})")
        print("    per worker, time split of a report (s):  " + " ".join(f"{k:>12}" for k in STAGES) + "         total")
        for w in workers:
            for label, t in ((f"pid {w['pid']}: first report", w["first"]),
                             (f"  typical (median of {w['reports'] - 1})", w["typical"])):
                if t:
                    print(f"      {label:<35}" + " ".join(f"{t.get(k, 0.0):12.2f}" for k in STAGES)
                          + f"  {sum(t.get(k, 0.0) for k in STAGES):12.2f}")
        mem_ok = all(w["sum_mb"] <= TARGET_WORKER_MB for w in workers)
        ok &= mem_ok
        print("    peak memory per worker, MB (worker process + its kernel = sum): "
              + "; ".join(f"pid {w['pid']}: {w['worker_mb']:.0f} + {w['kernel_mb']:.0f} = {w['sum_mb']:.0f}"
                          for w in workers)
              + f"  (target <= {TARGET_WORKER_MB:g}: {'PASS' if mem_ok else 'FAIL'})")
        t_c, proc_c = ntm_render(which, out, data)
        noop_ok = proc_c.returncode == 0 and "0 rendered" in proc_c.stderr
        ok &= noop_ok and t_c <= TARGET_NOOP_S
        print(f"(c) ntm render, nothing changed: {t_c:.2f} s, {proc_c.stderr.strip().splitlines()[-1]}  "
              f"(target <= {TARGET_NOOP_S:g} s: {'PASS' if noop_ok and t_c <= TARGET_NOOP_S else 'FAIL'})")
        print(f"    load average {os.getloadavg()[0]:.1f} after (b) (other work on the machine shares its CPUs)")
        if args.skip_incremental:
            print("(d) skipped (--skip-incremental)")
            print("bench_render: " + ("all targets met" if ok else "TARGET MISSED") + " (of those measured)")
            return 0 if ok else 1
        before = {k: e["rendered_at"] + e["fingerprint"] for k, e in entries.items()}
        note = change_one_figure(data)
        t_d, proc_d = ntm_render(which, out, data)
        if proc_d.returncode:
            print(f"(d) ntm render failed (exit {proc_d.returncode}): {proc_d.stderr.strip()[-1500:]}")
        after = manifest_entries(out)
        redone = sorted(k for k, e in after.items() if e["rendered_at"] + e["fingerprint"] != before.get(k))
        names = [geo.lookup_province(k.split("/")[1]).name_short for k in redone]
        print(f"(d) changed {note}: {len(redone)} of {len(after)} re-rendered in {t_d:.1f} s: {', '.join(names)}")
        fresh = tmp / "fresh"
        ntm_render(which, fresh, data, "--force")
        inc, full = masked_reports(out), masked_reports(fresh)
        stale = sorted(k for k in full if inc.get(k) != full[k])
        d_ok = proc_d.returncode == 0 and not stale and 0 < len(redone) < len(after)
        ok &= d_ok
        print(f"    incremental vs a fresh render of every report: {len(full) - len(stale)} of {len(full)} identical"
              + (f"; STALE: {', '.join(stale)}" if stale else "")
              + f"  (target: only changed reports re-rendered, none stale: {'PASS' if d_ok else 'FAIL'})")
    print("bench_render: " + ("all targets met" if ok else "TARGET MISSED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
