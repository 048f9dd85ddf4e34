"""Coverage of the truth by resources_link's 95 % intervals on the library's SYNTHETIC province panel.

Run with ``.venv/bin/python benchmarks/bench_coverage.py`` (``--replications N``, ``--first-seed S``). Each
replication is :func:`ntm_analysis.data.synthetic.province_panel` (63 provinces, 6 regions, 10 years; seed =
first seed + replication), fitted with :func:`ntm_analysis.models.resources_link`; the table gives, for each term,
the share of replications whose interval contains the truth and its Monte-Carlo standard error √(p(1 − p)/R):

* ``before``: the previous default, rows treated as independent (HC1, t(N − K)); the intervals ``resources_link``
  reported before issue 12 (its bootstrap only added columns);
* ``CR1 by region``: clustered by region, analytic cluster-robust t(G − 1) intervals (``bootstrap=0``);
* ``after``: clustered by region with the defaults of issue 12, i.e. the wild cluster bootstrap (6 clusters, Webb
  weights, 999 draws, test inversion) for a, b, direct and total and the delta method on t(5) for the indirect
  effect. Target: 93–97 % for every term (``tests/models/test_inference_defaults.py`` asserts it for seeds 0–199).

Everything here is SYNTHETIC.
"""
from __future__ import annotations

import argparse
import time

from ntm_analysis.models.coverage import TERMS, resources_link_coverage

SETUPS = {
    "before (HC1, unclustered)": {"bootstrap": 0},
    "CR1 by region, t(G-1)": {"cluster": "region", "bootstrap": 0},
    "after (cluster='region': wild cluster bootstrap)": {"cluster": "region"},
}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--replications", type=int, default=200)
    ap.add_argument("--first-seed", type=int, default=0)
    args = ap.parse_args(argv)
    print(f"SYNTHETIC: {args.replications} province panels (63 provinces, 6 regions, 10 years), seeds "
          f"{args.first_seed}–{args.first_seed + args.replications - 1}; coverage of the truth by the 95 % interval "
          "(Monte-Carlo SE in brackets)")
    print(f"{'setup':<50}" + "".join(f"{t:>16}" for t in TERMS) + f"{'time':>9}")
    for name, kw in SETUPS.items():
        t0 = time.perf_counter()
        cov = resources_link_coverage(args.replications, first_seed=args.first_seed, **kw).set_index("term")
        secs = time.perf_counter() - t0
        cells = "".join(f"{100 * cov.loc[t, 'coverage']:>9.1f} ({100 * cov.loc[t, 'mc_se']:.1f})" for t in TERMS)
        print(f"{name:<50}{cells}{secs:>8.1f}s")


if __name__ == "__main__":
    main()
