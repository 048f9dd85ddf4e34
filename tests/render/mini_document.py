"""A reduced province report for the engine's tests: the province report's parameter contract, layout, input
digests and index row, a six-cell notebook (``notebooks/mini_report.ipynb``: setup, a little real data, a figure,
the parameters shown) and a light warm kernel, so a fault test renders in about a second.

``python mini_document.py --output DIR [engine options] CODE...`` renders provinces (:data:`MINI_FILES`) through
the engine's command line half (:func:`ntm_analysis.render.cli.run`), for the Ctrl-C test.
"""
from __future__ import annotations

import argparse
import csv
import io
import sys
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


def main(argv: list[str] | None = None) -> int:
    from ntm_analysis.render import cli as render_cli  # noqa: PLC0415
    from ntm_analysis.report.params import ReportParams  # noqa: PLC0415

    p = argparse.ArgumentParser()
    p.add_argument("codes", nargs="+")
    render_cli.add_engine_options(p)
    args = p.parse_args(argv)
    return render_cli.run(args, [(MINI_FILES, ReportParams(province=c).validate()) for c in args.codes])


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))  # workers import this module as "mini_document"
    sys.exit(main())
