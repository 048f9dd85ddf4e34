"""A reduced province report for the engine's tests: the province report's parameter contract, layout, input
digests and index row, a six-cell notebook (``notebooks/mini_report.ipynb``: setup, a little real data, a figure,
the parameters shown) and a light warm kernel, so a fault test renders in about a second.

``python mini_document.py --output DIR [engine options] CODE...`` renders provinces (:data:`MINI_FILES`) through
the engine's command line half (:func:`ntm_analysis.render.cli.run`), for the Ctrl-C test; ``--slow-writes MARKS``
writes each report's downloads slowly (:func:`after_run_slow`), leaving a file in the folder ``MARKS`` when it
starts, for the test that interrupts a write phase.
"""
from __future__ import annotations

import argparse
import csv
import io
import os
import sys
import time
from dataclasses import replace
from pathlib import Path

from ntm_analysis import atomic
from ntm_analysis.glue import read_glue
from ntm_analysis.render.spec import as_spec
from ntm_analysis.report.spec import DOCUMENT as REPORT

NOTEBOOK = Path(__file__).resolve().parent / "notebooks" / "mini_report.ipynb"

MINI = replace(as_spec(REPORT), name="mini_report", notebook=str(NOTEBOOK), preload=None,
               kernel_imports=("pandas", "ntm_analysis.report.params", "ntm_analysis.data.panel"),
               after_run="mini_document:after_run")
#: The same with whole-file checksums for a digest: nothing to compute before a render starts (the Ctrl-C test).
MINI_FILES = replace(MINI, input_digests=None)


def after_run(nb, job) -> dict:
    """The summary the notebook glued, and one download (a CSV of the glued values), written atomically."""
    summary = read_glue(nb)["summary"]
    folder = Path(job.downloads) / job.params.stem
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(summary.items())
    atomic.write_text(folder / "summary.csv", buf.getvalue())
    return summary


#: Downloads a slow report writes (:func:`after_run_slow`).
SLOW_FILES = ("a.csv", "b.csv", "c.csv", "d.csv")
MARKS_ENV = "NTM_TEST_WRITE_MARKS"


def after_run_slow(nb, job) -> dict:
    """:func:`after_run`, then four more downloads 0.4 s apart (a write phase long enough to interrupt), with a file
    ``<$NTM_TEST_WRITE_MARKS>/<stem>`` left when it starts."""
    summary = after_run(nb, job)
    Path(os.environ[MARKS_ENV], job.params.stem).touch()
    for name in SLOW_FILES:
        time.sleep(0.4)
        atomic.write_text(Path(job.downloads) / job.params.stem / name, f"{name}\n")
    return summary


def main(argv: list[str] | None = None) -> int:
    from ntm_analysis.render import cli as render_cli  # noqa: PLC0415
    from ntm_analysis.report.params import ReportParams  # noqa: PLC0415

    p = argparse.ArgumentParser()
    p.add_argument("codes", nargs="+")
    p.add_argument("--slow-writes", metavar="MARKS", default=None)
    render_cli.add_engine_options(p)
    args = p.parse_args(argv)
    doc = MINI_FILES
    if args.slow_writes:
        os.environ[MARKS_ENV] = args.slow_writes  # inherited by the workers
        doc = replace(MINI_FILES, after_run="mini_document:after_run_slow")
    return render_cli.run(args, [(doc, ReportParams(province=c).validate()) for c in args.codes])


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))  # workers import this module as "mini_document"
    sys.exit(main())
