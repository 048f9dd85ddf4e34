"""Benchmark: the cost of an unknown name stays flat whatever its length (issue 16, items 3 and 10).

Run: .venv/bin/python benchmarks/bench_names.py

For texts of 10 characters to 1 MB, times ``lookup_province`` (2008 and 2025 geographies) and ``check_names`` (an
unknown variable) until they raise, and the length of the message. For comparison it also times, in the same run,
the ranking the look-up used to do on every unknown text (difflib's ratio against every key of the index, which
took 22 s on 1 MB) at 10 kB, where it still finishes. Compare the ratios, not the absolute times (the machine is
shared). Target: every bounded call under 0.1 s.
"""
from __future__ import annotations

import difflib
import sys
import time

from ntm_analysis.data import geo
from ntm_analysis.data.names import UnknownNameError, check_names

LENGTHS = [10, 1_000, 10_000, 100_000, 1_000_000]
TARGET_S = 0.1
KNOWN = ["income_per_capita_nominal", "poverty_rate_gso_income_line", "resources_total", "resources_central_budget"]


def timed(call) -> tuple[float, int]:
    """Seconds until ``call`` raises the expected error, and the length of its message."""
    t = time.perf_counter()
    try:
        call()
    except (geo.ProvinceNotFound, UnknownNameError) as exc:
        return time.perf_counter() - t, len(str(exc))
    raise AssertionError("no error raised")


def old_ranking(text: str, vintage: int) -> float:
    """The previous suggestion search: difflib's ratio of the folded text against every key of the index."""
    idx = geo._index(vintage)
    target = geo._strip_affixes(geo.fold(text)).replace(" ", "")
    t = time.perf_counter()
    sorted(idx, key=lambda k: -difflib.SequenceMatcher(None, target, k.replace(" ", "")).ratio())
    return time.perf_counter() - t


def main() -> int:
    geo.lookup_province("Lào Cai")  # build the registry and the indexes first
    geo.lookup_province("Lào Cai", 2025)
    print(f"{'length':>10}{'2008 ms':>10}{'2025 ms':>10}{'names ms':>10}{'message chars':>15}")
    rows = []
    for n in LENGTHS:
        text = "q" * n  # no province or variable has a q
        a, la = timed(lambda: geo.lookup_province(text, 2008))
        b, _ = timed(lambda: geo.lookup_province(text, 2025))
        c, lc = timed(lambda: check_names([text], KNOWN))
        rows.append((n, a, b, c))
        print(f"{n:>10,}{a * 1e3:>10.3f}{b * 1e3:>10.3f}{c * 1e3:>10.3f}{max(la, lc):>15,}")
    base = max(rows[0][1:])
    worst = max(max(r[1:]) for r in rows)
    print(f"worst bounded call: {worst:.4f} s, {worst / max(base, 1e-6):.1f}x the 10-character one")
    before = old_ranking("q" * 10_000, 2008)
    print(f"the previous ranking at 10,000 characters: {before:.3f} s ({before / max(worst, 1e-6):,.0f}x the worst "
          "bounded call at any length)")
    ok = worst < TARGET_S
    print(f"target: every call under {TARGET_S} s -> {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
