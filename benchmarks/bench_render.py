"""Benchmark: wall time of ``ntm render`` for all 63 provinces (or ``--provinces N``) from scratch.

Renders into a temporary folder with ``--force`` so nothing is skipped, then a second time to
time the incremental no-op. Run: .venv/bin/python benchmarks/bench_render.py [--jobs 2] [--provinces 63]
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--provinces", type=int, default=63, help="render the first N provinces (code order)")
    args = ap.parse_args()
    from ntm_analysis import geo  # noqa: PLC0415

    codes = [p.code for p in geo.provinces(2008)][: args.provinces]
    which = ["--all"] if args.provinces >= 63 else [a for c in codes for a in ("--province", c)]
    ntm = [sys.executable, "-m", "ntm_analysis.cli", "render", *which, "--jobs", str(args.jobs), "--no-progress"]
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        full = subprocess.run([*ntm, "--output", tmp, "--force"], cwd=ROOT, capture_output=True, text=True)
        t_full = time.perf_counter() - t0
        t0 = time.perf_counter()
        subprocess.run([*ntm, "--output", tmp], cwd=ROOT, capture_output=True, text=True)
        t_again = time.perf_counter() - t0
        sizes = [f.stat().st_size for f in Path(tmp, "reports").glob("*.html")]
    print(f"{len(codes)} provinces, --jobs {args.jobs}: full render {t_full:.1f} s "
          f"({t_full / len(codes):.2f} s/report wall), incremental re-run {t_again:.1f} s, exit {full.returncode}")
    if sizes:
        print(f"HTML size: max {max(sizes) / 1e6:.2f} MB, mean {sum(sizes) / len(sizes) / 1e6:.2f} MB")
    if full.returncode:
        print(full.stderr[-3000:], file=sys.stderr)
    return full.returncode


if __name__ == "__main__":
    sys.exit(main())
