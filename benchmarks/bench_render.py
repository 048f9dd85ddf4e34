"""Benchmark: rendering every province's report, against the loop a user would write without this project.

    .venv/bin/python benchmarks/bench_render.py               # all 63 provinces (about 20 minutes on 2 cores)
    .venv/bin/python benchmarks/bench_render.py --provinces 8 # the first 8 provinces (code order), quicker

Measured in one run, on a private copy of the shipped data (so step d can edit it):

(a) the naive loop: a shell loop running ``papermill notebooks/province_report.ipynb OUT.ipynb -r province CODE``
    and then ``jupyter nbconvert --to html OUT.ipynb`` for each province, one after the other;
(b) ``ntm render --province …`` (every province measured, named one by one: ``--all`` would add the site's
    national pages, which the naive loop does not render) ``--force`` with the default jobs (warm kernels);
    the ratio (a)/(b), peak memory per worker (worker process + its kernel), the time split of a report;
(c) ``ntm render`` again with nothing changed (whole command, process start to exit);
(d) one province's input figure changed in the data copy (Lào Cai's NTM credit 2011-2015, +1 billion VND): which
    reports are re-rendered and how long it takes; then every report is rendered afresh into another folder
    and compared with the incremental result (masked volatile fields): no stale report may remain.

Targets (issue 5): (a)/(b) >= 5; (c) <= 3 s; (d) re-renders only the reports whose inputs changed.
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
TARGET_RATIO, TARGET_NOOP_S = 5.0, 3.0
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
    makes often). Income or poverty figures feed the cross-province model every report shows, so a change there
    rightly re-renders every report. Returns a note."""
    path = data / "raw" / CHANGE_FILE
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
    return f"{CHANGE_FILE}: {CHANGE_PROVINCE} {CHANGE_INDICATOR} {old} -> {row[value_col]}"


def masked_reports(out: Path) -> dict[str, str]:
    from ntm_analysis.report.provenance import mask_volatile  # noqa: PLC0415

    return {p.name: mask_volatile(p.read_text(encoding="utf-8"))[0] for p in sorted((out / "reports").glob("*.html"))}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--provinces", type=int, default=63, help="the first N provinces in code order (default 63)")
    ap.add_argument("--skip-naive", action="store_true", help="skip (a) (no ratio)")
    args = ap.parse_args()
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
        print(f"bench_render: {len(codes)} provinces, {os.cpu_count()} CPUs, python {sys.version.split()[0]}")
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
        workers: dict = {}
        for e in entries.values():
            w = e.get("worker") or {}
            pid = w.get("worker_pid")
            peak = (w.get("worker_peak_rss_mb") or 0) + (w.get("kernel_peak_rss_mb") or 0)
            workers[pid] = max(workers.get(pid, 0), peak)
        print(f"(b) ntm render --force (default jobs, warm kernels): {t_b:8.1f} s  ({len(entries)} reports, "
              f"{len(workers)} workers)")
        if t_a:
            ratio = t_a / t_b
            ok &= ratio >= TARGET_RATIO
            print(f"    ratio (a)/(b): {ratio:.1f}  (target >= {TARGET_RATIO:g}: {'PASS' if ratio >= TARGET_RATIO else 'FAIL'})")
        print("    peak memory per worker (worker process + its kernel, MB): "
              + ", ".join(f"{v:.0f}" for v in sorted(workers.values())))
        timings = [(e.get("worker") or {}).get("timings", {}) for e in entries.values()]
        cold = [t for t in timings if t.get("kernel_start", 0) > 0]
        warm = [t for t in timings if not t.get("kernel_start", 0)]
        keys = ("kernel_start", "imports", "data_load", "execute", "export", "write")
        print("    time split of one report, s:      " + "  ".join(f"{k:>12}" for k in keys))
        for label, group in (("first on a worker (median)", cold), ("warm kernel (median)      ", warm)):
            if group:
                print(f"      {label}  " + "  ".join(f"{statistics.median(t.get(k, 0) for t in group):12.2f}"
                                                   for k in keys))
        t_c, proc_c = ntm_render(which, out, data)
        noop_ok = proc_c.returncode == 0 and "0 rendered" in proc_c.stderr
        ok &= noop_ok and t_c <= TARGET_NOOP_S
        print(f"(c) ntm render, nothing changed: {t_c:.2f} s, {proc_c.stderr.strip().splitlines()[-1]}  "
              f"(target <= {TARGET_NOOP_S:g} s: {'PASS' if noop_ok and t_c <= TARGET_NOOP_S else 'FAIL'})")
        before = {k: e["rendered_at"] + e["fingerprint"] for k, e in entries.items()}
        note = change_one_figure(data)
        t_d, proc_d = ntm_render(which, out, data)
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
