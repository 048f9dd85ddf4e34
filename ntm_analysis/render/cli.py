"""The engine's half of ``ntm render``: its options and the run (the documents' options come from their layers;
``ntm_analysis.cli`` composes both).

Exit code of :func:`run`: 0 every document rendered or up to date, 1 some document failed or the manifest or index
could not be written (listed on stderr), 2 invalid arguments or environment (a corrupt manifest without ``--force``),
130 interrupted (Ctrl-C), 143 terminated (SIGTERM). Stopped either way, what finished is recorded in the manifest
and the index, and no process of the run is left: everything the run puts in the temporary directory lives in one
folder of its own (:func:`.lifeline.private_tempdir`), removed at the end, and swept by the next run when the run
was killed.
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
    p.add_argument("--jobs", type=int, default=cpu_count(), metavar="N",
                   help="documents rendered in parallel (default and most, with the local executor: the number of "
                        "CPUs)")
    p.add_argument("--timeout", type=int, default=600, metavar="SECONDS",
                   help="time limit per notebook cell, at least 1 (default: 600)")
    p.add_argument("--kernel", choices=KERNEL_MODES, default="warm",
                   help="warm: one kernel per worker, reset between documents (default); cold: a new kernel each")
    p.add_argument("--executor", choices=EXECUTORS, default="local", help="local process pool or dask")
    p.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="dask scheduler address (with --executor dask; default: a local dask cluster)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    return p


def cpu_count() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def check_engine_args(args: argparse.Namespace) -> str | None:
    """The first problem with the engine's options, or None."""
    if args.jobs < 1:
        return f"--jobs must be at least 1, got {args.jobs}"
    if args.timeout is None or args.timeout < 1:
        return (f"--timeout must be at least 1 second per cell, got {args.timeout} (there is no unlimited setting: "
                "give a large number instead)")
    if args.scheduler and args.executor != "dask":
        return "--scheduler needs --executor dask"
    return None


def capped_jobs(args: argparse.Namespace) -> tuple[int, str | None]:
    """The number of local workers for ``--jobs`` (at most the CPUs: more would only compete for them, each with a
    kernel in memory) and a note when it was capped. A dask cluster sizes itself: no cap."""
    cpus = cpu_count()
    if args.executor == "local" and args.jobs > cpus:
        return cpus, f"--jobs {args.jobs} is more than the {cpus} CPUs of this machine: using {cpus} workers"
    return args.jobs, None


def run(args: argparse.Namespace, items: list, prog: str = "ntm render") -> int:
    """Render ``items`` (``(spec, params)`` pairs or parameter sets) with the engine options in ``args``."""
    from ntm_analysis.render import lifeline  # noqa: PLC0415
    from ntm_analysis.render import run as engine  # noqa: PLC0415 (looked up at call time: tests replace render)
    from ntm_analysis.render.manifest import ManifestError  # noqa: PLC0415
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
        os.makedirs(args.output, exist_ok=True)
    except OSError as exc:
        print(f"{prog}: cannot create the output folder {args.output}: {exc.strerror or exc}; nothing was rendered",
              file=sys.stderr)
        return 2
    workers, note = capped_jobs(args)
    if note:
        print(f"{prog}: {note}", file=sys.stderr)
    try:
        with lifeline.sigterm_raises(), lifeline.private_tempdir():
            summary = engine.render(items, output=args.output, force=args.force, workers=workers,
                                    executor=args.executor, scheduler=args.scheduler, timeout=args.timeout,
                                    progress=not args.no_progress, kernel=args.kernel)
    except ManifestError as exc:
        print(f"{prog}: the render manifest {exc.path} is unusable: {exc.problem}; nothing was rendered. Run "
              "again with --force to rebuild it (the file is kept as a backup beside it), or delete it",
              file=sys.stderr)
        return 2
    except KeyboardInterrupt as exc:
        terminated = isinstance(exc, lifeline.Terminated)
        print(f"{prog}: {'terminated (SIGTERM)' if terminated else 'interrupted'}; finished documents are kept and "
              "recorded in the manifest and index, nothing half-written is left; run the same command again to "
              "render only what is missing", file=sys.stderr)
        return 143 if terminated else 130
    if summary.manifest_backup:
        print(f"{prog}: the unusable manifest was kept as {summary.manifest_backup} and rebuilt", file=sys.stderr)
    print(f"{prog}: {len(summary.rendered)} rendered, {len(summary.skipped)} up to date, "
          f"{len(summary.failed)} failed in {summary.seconds:.1f} s; index: {summary.index}", file=sys.stderr)
    for r in summary.failed:
        err = r.error or {}
        where = f"cell {err['cell_index']}" if err.get("cell_index") is not None else "render"
        print(f"FAILED {r.key} ({r.name}): {where}: {err.get('message', '')}", file=sys.stderr)
    for problem in summary.write_errors:
        print(f"FAILED to write {problem}", file=sys.stderr)
    return summary.exit_code
