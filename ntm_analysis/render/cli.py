"""``ntm render``: render per-province reports into outputs/.

    ntm render --province "Lào Cai" --province dak-nong     two provinces, any spelling
    ntm render --all                                        all 63 (or 34 with --vintage 2025)
    ntm render --all --jobs 2 --force --show-code
    ntm render --all --executor dask --scheduler tcp://host:8786

Every province is validated before any kernel starts (an unknown name fails at
once, with the closest names). Exit code: 0 all rendered or up to date, 1 some
report failed (listed on stderr), 2 invalid arguments.
"""
from __future__ import annotations

import argparse
import os
import sys

from ntm_analysis.data import geo
from ntm_analysis.report.params import FIELD_HELP, LANGS, PRICE_BASES, VINTAGES, ParameterError, ReportParams
from ntm_analysis.render.execute import KERNEL_MODES
from ntm_analysis.render.executors import EXECUTORS
from ntm_analysis.render.jobs import DEFAULT_NOTEBOOK, DEFAULT_OUTPUT


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Add the ``render`` sub-command to an ``argparse`` sub-parser collection."""
    d = ReportParams()
    p = subparsers.add_parser("render", help="render per-province HTML reports", description=__doc__,
                              formatter_class=argparse.RawDescriptionHelpFormatter)
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--province", action="append", metavar="NAME", help=FIELD_HELP["province"] + "; repeatable")
    which.add_argument("--all", action="store_true", help="every province of the vintage")
    p.add_argument("--vintage", type=int, choices=VINTAGES, default=d.vintage, help=FIELD_HELP["vintage"])
    p.add_argument("--price-basis", choices=PRICE_BASES, default=d.price_basis, help=FIELD_HELP["price_basis"])
    p.add_argument("--year-start", type=int, default=d.year_start, help=FIELD_HELP["year_start"])
    p.add_argument("--year-end", type=int, default=d.year_end, help=FIELD_HELP["year_end"])
    p.add_argument("--data-dir", default=d.data_dir, help=FIELD_HELP["data_dir"])
    p.add_argument("--lang", choices=LANGS, default=d.lang, help=FIELD_HELP["lang"])
    p.add_argument("--show-code", action="store_true", default=d.show_code, help=FIELD_HELP["show_code"])
    p.add_argument("--force", action="store_true", help="re-render even when nothing changed")
    p.add_argument("--output", default=str(DEFAULT_OUTPUT), metavar="DIR", help="output folder (default: outputs/)")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, metavar="N",
                   help="reports rendered in parallel (default: the number of CPUs)")
    p.add_argument("--timeout", type=int, default=600, metavar="SECONDS", help="time limit per notebook cell")
    p.add_argument("--kernel", choices=KERNEL_MODES, default="warm",
                   help="warm: one kernel per worker, reset between reports (default); cold: a new kernel per report")
    p.add_argument("--executor", choices=EXECUTORS, default="local", help="local process pool or dask")
    p.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="dask scheduler address (with --executor dask; default: a local dask cluster)")
    p.add_argument("--notebook", default=str(DEFAULT_NOTEBOOK), help=argparse.SUPPRESS)
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=run_command)
    return p


def params_from_args(args: argparse.Namespace) -> list[ReportParams]:
    """Validated parameters of every requested province; raises :class:`ParameterError`."""
    names = [p.code for p in geo.provinces(args.vintage)] if args.all else args.province
    common = {"vintage": args.vintage, "price_basis": args.price_basis, "year_start": args.year_start,
              "year_end": args.year_end, "data_dir": args.data_dir, "lang": args.lang, "show_code": args.show_code}
    return [ReportParams(province=name, **common).validate() for name in names]


def run_command(args: argparse.Namespace) -> int:
    from ntm_analysis.render.run import render  # noqa: PLC0415

    if args.jobs < 1:
        print(f"ntm render: --jobs must be at least 1, got {args.jobs}", file=sys.stderr)
        return 2
    if args.scheduler and args.executor != "dask":
        print("ntm render: --scheduler needs --executor dask", file=sys.stderr)
        return 2
    if not os.path.isfile(args.notebook):
        print(f"ntm render: notebook {args.notebook} not found", file=sys.stderr)
        return 2
    try:
        params = params_from_args(args)
    except ParameterError as exc:
        print(f"ntm render: {exc}", file=sys.stderr)
        return 2
    try:
        summary = render(params, output=args.output, notebook=args.notebook, force=args.force, workers=args.jobs,
                         executor=args.executor, scheduler=args.scheduler, timeout=args.timeout,
                         progress=not args.no_progress, kernel=args.kernel)
    except KeyboardInterrupt:
        print("ntm render: interrupted; finished reports are kept and recorded in the manifest, nothing "
              "half-written is left; run the same command again to render only what is missing", file=sys.stderr)
        return 130
    print(f"ntm render: {len(summary.rendered)} rendered, {len(summary.skipped)} up to date, "
          f"{len(summary.failed)} failed in {summary.seconds:.1f} s; index: {summary.index}", file=sys.stderr)
    for r in summary.failed:
        err = r.error or {}
        where = f"cell {err['cell_index']}" if err.get("cell_index") is not None else "render"
        print(f"FAILED {r.key} ({r.metadata.get('province_name_short', '')}): {where}: {err.get('message', '')}",
              file=sys.stderr)
    return summary.exit_code
