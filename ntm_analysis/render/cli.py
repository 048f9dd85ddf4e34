"""The engine's half of ``ntm render``: its options and the run (the documents' options come from their layers;
``ntm_analysis.cli`` composes both).

Exit code of :func:`run`: 0 every document rendered or up to date, 1 some document failed (listed on stderr),
2 invalid arguments, 130 interrupted (Ctrl-C).
"""
from __future__ import annotations

import argparse
import os
import sys

from ntm_analysis.render.execute import KERNEL_MODES
from ntm_analysis.render.executors import EXECUTORS
from ntm_analysis.render.jobs import DEFAULT_OUTPUT


def add_engine_options(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the engine's options (output, jobs, kernels, executor, …) to ``p``."""
    p.add_argument("--force", action="store_true", help="re-render even when nothing changed")
    p.add_argument("--output", default=str(DEFAULT_OUTPUT), metavar="DIR", help="output folder (default: outputs/)")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, metavar="N",
                   help="documents rendered in parallel (default: the number of CPUs)")
    p.add_argument("--timeout", type=int, default=600, metavar="SECONDS", help="time limit per notebook cell")
    p.add_argument("--kernel", choices=KERNEL_MODES, default="warm",
                   help="warm: one kernel per worker, reset between documents (default); cold: a new kernel each")
    p.add_argument("--executor", choices=EXECUTORS, default="local", help="local process pool or dask")
    p.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="dask scheduler address (with --executor dask; default: a local dask cluster)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    return p


def check_engine_args(args: argparse.Namespace) -> str | None:
    """The first problem with the engine's options, or None."""
    if args.jobs < 1:
        return f"--jobs must be at least 1, got {args.jobs}"
    if args.scheduler and args.executor != "dask":
        return "--scheduler needs --executor dask"
    return None


def run(args: argparse.Namespace, items: list, prog: str = "ntm render") -> int:
    """Render ``items`` (``(spec, params)`` pairs or parameter sets) with the engine options in ``args``."""
    from ntm_analysis.render import run as engine  # noqa: PLC0415 (looked up at call time: tests replace render)
    from ntm_analysis.render.spec import as_spec  # noqa: PLC0415

    problem = check_engine_args(args)
    if problem:
        print(f"{prog}: {problem}", file=sys.stderr)
        return 2
    items = [(as_spec(i[0]), i[1]) if isinstance(i, tuple) and len(i) == 2 else i for i in items]
    for item in items:
        spec = item[0] if isinstance(item, tuple) else None
        if spec is not None and not os.path.isfile(spec.notebook):
            print(f"{prog}: notebook {spec.notebook} not found", file=sys.stderr)
            return 2
    try:
        summary = engine.render(items, output=args.output, force=args.force, workers=args.jobs,
                                executor=args.executor, scheduler=args.scheduler, timeout=args.timeout,
                                progress=not args.no_progress, kernel=args.kernel)
    except KeyboardInterrupt:
        print(f"{prog}: interrupted; finished documents are kept and recorded in the manifest, nothing "
              "half-written is left; run the same command again to render only what is missing", file=sys.stderr)
        return 130
    print(f"{prog}: {len(summary.rendered)} rendered, {len(summary.skipped)} up to date, "
          f"{len(summary.failed)} failed in {summary.seconds:.1f} s; index: {summary.index}", file=sys.stderr)
    for r in summary.failed:
        err = r.error or {}
        where = f"cell {err['cell_index']}" if err.get("cell_index") is not None else "render"
        print(f"FAILED {r.key} ({r.name}): {where}: {err.get('message', '')}", file=sys.stderr)
    return summary.exit_code
