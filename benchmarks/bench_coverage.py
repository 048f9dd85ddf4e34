"""Coverage of the truth by resources_link's 95 % intervals on the library's SYNTHETIC province panel.

Run with ``.venv/bin/python benchmarks/bench_coverage.py`` (``--replications N``, ``--first-seed S``). Each
replication is :func:`ntm_analysis.data.synthetic.province_panel` (63 provinces, 6 regions, 10 years; seed =
first seed + replication), fitted with :func:`ntm_analysis.models.resources_link`; the table gives, for each term,
the share of replications whose interval contains the truth and its Monte-Carlo standard error √(p(1 − p)/R):

* ``before``: the previous default, rows treated as independent (HC1, t(N − K)); the intervals ``resources_link``
  reported before issue 12 (its bootstrap only added columns);
* ``HC3, unclustered``: today's default when no ``cluster`` is given (small-sample HC3; it cannot see the regions);
* ``CR1 by region``: clustered by region, analytic cluster-robust t(G − 1) intervals (``bootstrap=0``);
* ``after``: clustered by region with the defaults of issue 12, i.e. the wild cluster bootstrap (6 clusters, Webb
  weights, 999 draws, test inversion) for a, b, direct and total and the delta method on t(5) for the indirect
  effect. Target: 93–97 % for every term (``tests/models/test_inference_defaults.py`` asserts it for seeds 0–199).

A second table (skip with ``--no-panel``) does the same for ``panel_fe`` with few clusters: the elasticity of income
to resources (truth 0.30) on SYNTHETIC commune panels (10 communes per province, 6 years; seeds 5000 + replication)
with 6 and 12 province clusters, CR1 t(G − 1) (``bootstrap=0``) against the default wild cluster bootstrap.

Everything here is SYNTHETIC.
"""
from __future__ import annotations

import argparse
import time

from ntm_analysis.models.coverage import TERMS, resources_link_coverage

SETUPS = {
    "before (HC1, unclustered)": {"bootstrap": 0, "cov_type": "HC1"},
    "HC3, unclustered (the default without cluster=)": {"bootstrap": 0},
    "CR1 by region, t(G-1)": {"cluster": "region", "bootstrap": 0},
    "after (cluster='region': wild cluster bootstrap)": {"cluster": "region"},
}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--replications", type=int, default=200)
    ap.add_argument("--first-seed", type=int, default=0)
    ap.add_argument("--no-panel", dest="panel", action="store_false", help="skip the panel_fe table")
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
    if args.panel:
        _panel_table(args.replications)


def _panel_table(reps: int) -> None:
    import math

    from ntm_analysis.data import synthetic
    from ntm_analysis.models import panel_fe

    print(f"\nSYNTHETIC: panel_fe, elasticity of income to resources (truth 0.30), {reps} commune panels per row "
          "(10 communes per province, 6 years), coverage by the 95 % interval (Monte-Carlo SE)")
    print(f"{'clusters':<10}{'CR1 t(G-1)':>18}{'wild (default)':>18}{'time':>9}")
    for G in (6, 12):
        t0 = time.perf_counter()
        hits = {"cr1": 0, "wild": 0}
        for rep in range(reps):
            d = synthetic.commune_panel(10 * G, 6, n_provinces=G, seed=5000 + rep)
            for k, kw in (("cr1", {"bootstrap": 0}), ("wild", {"seed": rep})):
                row = panel_fe(d, "log_income_pc", "log_resources_pc", "commune", "year", cluster="province",
                               **kw).term("log_resources_pc")
                hits[k] += row["ci_low"] <= 0.30 <= row["ci_high"]
        cells = ""
        for k in ("cr1", "wild"):
            p = hits[k] / reps
            cells += f"{100 * p:>11.1f} ({100 * math.sqrt(p * (1 - p) / reps):.1f})"
        print(f"{G:<10}{cells}{time.perf_counter() - t0:>8.1f}s")


if __name__ == "__main__":
    main()
