"""Benchmark: how long load_panel() takes cold (build from data/raw), warm from the disk cache, and warm in memory.

Target (issue #2): a warm load_panel() under 0.3 s. Run: .venv/bin/python benchmarks/bench_data.py
Also: a SYNTHETIC commune panel of a million rows (100,000 communes x 10 years; target about 1 s), timed here rather
than in a unit test.
Each measurement runs in a fresh interpreter so the in-memory memo does not flatter the disk figure.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 0.3

SNIPPET = """
import time, ntm_analysis as ntm
t = time.perf_counter(); ntm.load_panel(level="all", data_dir={d!r}); first = time.perf_counter() - t
t = time.perf_counter(); ntm.load_panel(level="all", data_dir={d!r}); second = time.perf_counter() - t
print(first, second)
"""


def run(data_dir: Path) -> tuple[float, float]:
    out = subprocess.run([sys.executable, "-c", SNIPPET.format(d=str(data_dir))], check=True, capture_output=True,
                         text=True, cwd=ROOT).stdout.split()
    return float(out[0]), float(out[1])


SYNTHETIC_SNIPPET = """
import time
from ntm_analysis.data import synthetic
t = time.perf_counter(); d = synthetic.commune_panel(100_000, 10); print(time.perf_counter() - t, len(d))
"""
SYNTHETIC_TARGET_S = 1.0


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns(".cache"))
        cold, mem = run(data)          # builds and writes the cache
        disk, mem2 = run(data)         # new process: reads the parquet cache
    rows = [("cold (build from data/raw)", cold), ("warm, disk cache (new process)", disk),
            ("warm, in-process memo", min(mem, mem2))]
    title = 'load_panel(level="all")'
    print(f"{title:<34}{'seconds':>9}{'vs target':>11}")
    for name, s in rows:
        print(f"{name:<34}{s:>9.3f}{s / TARGET_S:>10.2f}x")
    ok = disk < TARGET_S
    print(f"target: warm load under {TARGET_S} s -> {'PASS' if ok else 'FAIL'}")
    out = subprocess.run([sys.executable, "-c", SYNTHETIC_SNIPPET], check=True, capture_output=True, text=True,
                         cwd=ROOT).stdout.split()
    seconds, n = float(out[0]), int(out[1])
    print(f"SYNTHETIC commune panel, {n:,} rows: {seconds:.3f} s ({seconds / SYNTHETIC_TARGET_S:.2f}x the "
          f"{SYNTHETIC_TARGET_S} s target; informative, not a pass/fail)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
