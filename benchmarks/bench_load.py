"""Load benchmark (issue 7, part 4): 500+ report jobs on warm kernels, memory flat, nothing left behind.

    .venv/bin/python benchmarks/bench_load.py              # 582 jobs (measured: 16 to 26 min on 2 shared cores)
    .venv/bin/python benchmarks/bench_load.py --jobs 60    # a quick look (fewer reports per worker)

The jobs are provinces × vintages (63 of 2008 + 34 of 2025) × price bases × languages × year ranges,
rendered by ``ntm_analysis.render.render(...)`` with the default (local) executor and ``workers=2``, on a
REDUCED copy of ``notebooks/province_report.ipynb`` written to a temporary folder: its parameters cell, its
setup cell (parameters validated, the report's data context loaded, the introduction) and two light cells
(the key-figures table and the income figure, so every report still draws and closes a matplotlib figure).
The full notebook adds the poverty, elasticity, ranks, NTM, seed and model sections and their figures;
reduced, 500 jobs take minutes, not an hour (the memory and clean-up checks concern the warm kernels and
workers, which every report exercises). Outputs go to a temporary folder that is removed at the end.

The jobs' keys (``ReportParams.key``: vintage, code and variant) are checked to be distinct before the
render; a parameter set colliding with another would be printed and left out (``plan()`` keeps only the
first of each key), and after the render every job must have its own HTML file.

Printed: the number of jobs and the wall time; per worker process (from ``manifest.json``): kernel RSS and
worker RSS after its first ~10 reports and after its last, the growth, PASS/FAIL against the target
(< 50 MB for the kernel and for the worker process); kernel starts; after the batch: no kernel process
tagged ``NTM_RENDER_ORIGIN=<this pid>`` left running (/proc scan), no ``/tmp/ntmk-<this pid>-*`` socket
folder, no temporary or hidden file in the output folder, every job's HTML present.
Exit code 0 when every check passes, 1 otherwise.
"""
from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "province_report.ipynb"
TARGET_GROWTH_MB = 50.0
#: Memory "early" in a worker's life: after this many reports (the imports, data and first figures are done).
EARLY_REPORTS = 10
#: Report sections kept in the reduced notebook besides the parameters and setup cells (light cells).
KEPT_SECTIONS = ("key_figures", "income")
WORKERS = 2
#: A kernel orphaned by its worker notices within a few seconds; wait this long before calling it leaked.
LEAK_GRACE_S = 15.0


def reduced_notebook(folder: Path) -> tuple[Path, list[str]]:
    """The province report reduced to its parameters and setup cells and :data:`KEPT_SECTIONS`; returns
    the path and a description of the cells kept."""
    import nbformat  # noqa: PLC0415

    nb = nbformat.read(NOTEBOOK, as_version=4)
    keep, kept = [], []
    for tag in ("parameters", "setup", *KEPT_SECTIONS, "record"):  # cells are tagged by section; "record" glues
        cell = next((c for c in nb.cells if tag in c.metadata.get("tags", [])), None)
        if cell is None:
            raise SystemExit(f"bench_load: {NOTEBOOK} has no cell tagged {tag!r}")
        keep.append(cell)
        kept.append(tag)
    n_code = sum(c.cell_type == "code" for c in nb.cells)
    nb.cells = keep
    path = folder / "province_report_reduced.ipynb"
    nbformat.write(nb, path)
    return path, [f"{len(keep)} of {n_code} code cells kept: " + ", ".join(kept)]


def parameter_sets(target: int) -> tuple[list, list[str], list[str]]:
    """Validated parameters for at least ``target`` jobs: every province of both vintages, for as many variants
    (price basis × language × year range, in that order of preference) as it takes.

    Returns (params, variants used, collisions): parameter sets whose key repeats an earlier one's are
    described in ``collisions`` and left out."""
    from ntm_analysis.data import geo  # noqa: PLC0415
    from ntm_analysis.report.params import LANGS, PRICE_BASES, VINTAGES, YEAR_MAX, YEAR_MIN, ReportParams  # noqa: PLC0415

    d = ReportParams()
    year_ranges = [(d.year_start, d.year_end), (YEAR_MIN, YEAR_MAX)]
    places = [(v, p.code) for v in VINTAGES for p in geo.provinces(v)]
    variants = [(pb, lang, y0, y1) for (y0, y1), pb, lang in itertools.product(year_ranges, PRICE_BASES, LANGS)]
    out, used, collisions, seen = [], [], [], {}
    for pb, lang, y0, y1 in variants:
        if len(out) >= target:
            break
        used.append(f"{pb}/{lang}/{y0}-{y1}")
        for v, code in places:
            p = ReportParams(province=code, vintage=v, price_basis=pb, lang=lang, year_start=y0,
                             year_end=y1).validate()
            if p.key in seen:
                collisions.append(f"{p.to_notebook_parameters()} has the key {p.key!r} of {seen[p.key]}")
                continue
            seen[p.key] = p.to_notebook_parameters()
            out.append(p)
    return out[: max(target, 0)] if len(out) > target and len(used) == 1 else out, used, collisions


def worker_rows(entries: dict[str, dict]) -> list[dict]:
    """Per worker process: its reports in order, memory early and after the last (from manifest entries)."""
    by_pid: dict = {}
    for e in entries.values():
        w = e.get("worker") or {}
        if w.get("worker_pid") is not None:
            by_pid.setdefault(w["worker_pid"], []).append(w)
    rows = []
    for pid, ws in sorted(by_pid.items()):
        ws.sort(key=lambda w: (w.get("kernel_starts") or 0, w.get("kernel_reports") or 0))
        n = len(ws)
        early_i = min(EARLY_REPORTS, max(1, n // 2)) - 1
        early, last = ws[early_i], ws[-1]
        tail = list(enumerate(ws))[early_i:]
        rows.append({"pid": pid, "reports": n, "early_n": early_i + 1,
                     "kernel_early": early.get("kernel_rss_mb"), "kernel_last": last.get("kernel_rss_mb"),
                     "worker_early": early.get("worker_rss_mb"), "worker_last": last.get("worker_rss_mb"),
                     "kernel_peak": max((w.get("kernel_peak_rss_mb") or 0) for w in ws),
                     "worker_peak": max((w.get("worker_peak_rss_mb") or 0) for w in ws),
                     "kernel_starts": max(w.get("kernel_starts") or 0 for w in ws),
                     "kernel_slope": _slope([(i, w.get("kernel_rss_mb")) for i, w in tail]),
                     "worker_slope": _slope([(i, w.get("worker_rss_mb")) for i, w in tail])})
    return rows


def _slope(points: list[tuple[int, float | None]]) -> float | None:
    """Least-squares MB per report (None with fewer than 3 points)."""
    pts = [(x, y) for x, y in points if y is not None]
    if len(pts) < 3:
        return None
    return statistics.linear_regression([x for x, _ in pts], [y for _, y in pts]).slope


def leftovers(out: Path) -> list[str]:
    """Temporary or hidden files anywhere under the output folder."""
    return sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.name.startswith(".") or ".tmp" in p.name)


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jobs", type=int, default=500, help="at least this many report jobs (default 500)")
    args = ap.parse_args()
    from ntm_analysis.render import render  # noqa: PLC0415
    from ntm_analysis.render.manifest import Manifest  # noqa: PLC0415
    from ntm_analysis.render.warm import ORIGIN_ENV, kernel_processes, socket_folders  # noqa: PLC0415

    os.environ.pop(ORIGIN_ENV, None)  # the kernels are then tagged with this process's pid
    origin = str(os.getpid())
    kernels_before, socks_before = kernel_processes(origin), set(socket_folders(origin))
    params, variants, collisions = parameter_sets(args.jobs)
    n_jobs = len(params)
    checks: list[tuple[str, bool]] = []
    fmt = lambda v: f"{v:7.1f}" if v is not None else "    n/a"  # noqa: E731
    with tempfile.TemporaryDirectory(prefix="ntm-bench-load-") as tmp:
        tmp = Path(tmp)
        notebook, kept = reduced_notebook(tmp)
        out = tmp / "out"
        print(f"bench_load: {n_jobs} report jobs in one render(..., workers={WORKERS}) with the default executor, "
              f"{os.cpu_count()} CPUs, python {sys.version.split()[0]}")
        print(f"  jobs: {len({(p.vintage, p.province) for p in params})} provinces of vintages "
              f"{'+'.join(str(v) for v in sorted({p.vintage for p in params}))} × {len(variants)} variants "
              f"(price basis/language/years: {', '.join(variants)}); key collisions: {len(collisions)}"
              + "".join(f"\n    COLLISION {c}" for c in collisions[:10]))
        print(f"  notebook: REDUCED copy of notebooks/province_report.ipynb ({kept[0]}), so that {n_jobs} jobs "
              f"take minutes, not an hour")
        t0 = time.perf_counter()
        summary = render(params, output=out, notebook=notebook, force=True, workers=WORKERS, progress=False)
        wall = time.perf_counter() - t0
        print(f"  wall time: {wall:.1f} s ({wall / max(n_jobs, 1):.2f} s a job with {WORKERS} workers); "
              f"{len(summary.rendered)} rendered, {len(summary.failed)} failed, {len(summary.skipped)} skipped")
        entries = Manifest.load(out).entries

        rows = worker_rows(entries)
        print(f"  memory per worker process (RSS in MB, from manifest.json; early = after the worker's report no. "
              f"{EARLY_REPORTS}, last = after its last report; target: growth < {TARGET_GROWTH_MB:g} MB for the "
              f"kernel and for the worker process):")
        print(f"    {'worker':>7} {'reports':>7} | {'kernel early':>12} {'last':>7} {'growth':>7} {'peak':>7} | "
              f"{'worker early':>12} {'last':>7} {'growth':>7} {'peak':>7} | target")
        for r in rows:
            kg = r["kernel_last"] - r["kernel_early"] if None not in (r["kernel_last"], r["kernel_early"]) else None
            wg = r["worker_last"] - r["worker_early"] if None not in (r["worker_last"], r["worker_early"]) else None
            ok = kg is not None and wg is not None and kg < TARGET_GROWTH_MB and wg < TARGET_GROWTH_MB
            checks.append((f"memory growth of worker {r['pid']}", ok))
            early = f"(#{r['early_n']}) " if r["early_n"] != EARLY_REPORTS else ""
            print(f"    {r['pid']:>7} {r['reports']:>7} | {early + fmt(r['kernel_early']):>12} {fmt(r['kernel_last'])} "
                  f"{fmt(kg)} {fmt(r['kernel_peak'])} | {early + fmt(r['worker_early']):>12} "
                  f"{fmt(r['worker_last'])} {fmt(wg)} {fmt(r['worker_peak'])} | {verdict(ok)}")
        for r in rows:
            if r["kernel_slope"] is not None and r["worker_slope"] is not None:
                print(f"    worker {r['pid']}: least-squares slope from the early point on: kernel "
                      f"{r['kernel_slope'] * 1024:+.1f} kB a report, worker process {r['worker_slope'] * 1024:+.1f} kB "
                      f"a report (information)")
        checks.append(("memory measured", bool(rows)))
        starts = sum(r["kernel_starts"] for r in rows)
        print(f"  kernel starts: {starts} for {len(rows)} worker processes ({n_jobs - starts} of {n_jobs} reports "
              f"on a warm kernel)")

        deadline = time.monotonic() + LEAK_GRACE_S
        while time.monotonic() < deadline and (kernel_processes(origin) - kernels_before
                                               or set(socket_folders(origin)) - socks_before):
            time.sleep(0.5)
        leaked = sorted(kernel_processes(origin) - kernels_before)
        socks = sorted(set(socket_folders(origin)) - socks_before)
        tmp_files = leftovers(out)
        htmls = {}
        for p in params:
            e = entries.get(p.key) or {}
            path = out / e["html"] if e.get("status") == "ok" and e.get("html") else None
            if path is not None and path.is_file() and path.stat().st_size > 0:
                htmls[p.key] = path
        distinct = len(set(htmls.values()))
        all_there = len(htmls) == n_jobs and distinct == n_jobs and not summary.failed
        checks += [("no leaked kernels", not leaked), ("no kernel socket folders", not socks),
                   ("no temporary files", not tmp_files), ("every HTML present", all_there),
                   ("no key collisions", not collisions)]
        print(f"  after the batch: kernel processes with {ORIGIN_ENV}={origin} still running: {len(leaked)}"
              f"{' ' + str(leaked[:10]) if leaked else ''}  {verdict(not leaked)}")
        print(f"                   {tempfile.gettempdir()}/ntmk-{origin}-* folders left: {len(socks)}"
              f"{' ' + str(socks[:10]) if socks else ''}  {verdict(not socks)}")
        print(f"                   temporary or hidden files in the output folder: {len(tmp_files)}"
              f"{' ' + str(tmp_files[:10]) if tmp_files else ''}  {verdict(not tmp_files)}")
        print(f"                   HTML reports present: {len(htmls)} of {n_jobs} jobs ({distinct} distinct files), "
              f"{len(summary.failed)} failed  {verdict(all_there)}")
        for r in summary.failed[:10]:
            print(f"                     FAILED {r.key}: {(r.error or {}).get('message', '')[:300]}")
    ok = all(v for _, v in checks)
    bad = [name for name, v in checks if not v]
    print("bench_load: " + ("all checks passed" if ok else f"FAILED: {', '.join(bad[:10])}"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
