"""Render many reports: plan jobs, skip up-to-date ones, run the rest, update manifest and index."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sys
from dataclasses import dataclass, field
from typing import Iterable, TextIO

from ntm_analysis.report.params import ReportParams
from ntm_analysis.render.execute import RenderResult
from ntm_analysis.render.executors import run_jobs
from ntm_analysis.render.index import write_index
from ntm_analysis.render.jobs import (DEFAULT_NOTEBOOK, DEFAULT_OUTPUT, Job, data_checksums, known_digests, make_job,
    recorded_data_files)
from ntm_analysis.render.manifest import Manifest


@dataclass
class RenderSummary:
    """Outcome of :func:`render`: jobs rendered, skipped (up to date) and failed."""

    rendered: list[RenderResult] = field(default_factory=list)
    skipped: list[Job] = field(default_factory=list)
    failed: list[RenderResult] = field(default_factory=list)
    index: str | None = None
    seconds: float = 0.0

    @property
    def exit_code(self) -> int:
        """0 when every report is rendered or up to date, 1 when any failed."""
        return 1 if self.failed else 0


def plan(params: Iterable[ReportParams], output=DEFAULT_OUTPUT, notebook=DEFAULT_NOTEBOOK,
         timeout: int | None = 600, kernel: str = "warm", manifest: Manifest | None = None) -> list[Job]:
    """Jobs for validated ``params`` (duplicates removed, in the given order).

    Input digests recorded in ``manifest`` are reused while the data files are unchanged, so a
    re-render with nothing changed reads no data; otherwise they are computed in one pass per data folder.
    """
    memo: dict = {}
    unique: dict[str, ReportParams] = {}
    for p in params:
        p = p.validate()
        unique.setdefault(p.key, p)
    todo = list(unique.values())
    entries = manifest.entries if manifest else {}
    for p in todo:
        if p.data_dir not in memo:
            memo[p.data_dir] = data_checksums(p.data_dir, recorded_data_files(entries, p.data_dir))
    digests = known_digests(todo, entries, memo)
    missing: dict = {}
    for p in todo:
        if p.key not in digests:
            missing.setdefault(p.data_dir, []).append(p)
    for data_dir, group in missing.items():
        from ntm_analysis.report.inputs import input_digests  # noqa: PLC0415 (loads the data: only when a digest is unknown)

        try:
            digests.update(input_digests(group, data_dir))
        except Exception as exc:  # noqa: BLE001 (unreadable data: each report fails with the precise error)
            # keyed on the whole files and the error instead: the reports still run and fail with the loader's
            # message (file, row, column, value) in their own cells, listed in the index
            fallback = hashlib.sha256(json.dumps([sorted(memo[data_dir].items()), repr(exc)]).encode()).hexdigest()
            digests.update({p.key: f"unreadable-data:{fallback}" for p in group})
    return [make_job(p, output=output, notebook=notebook, timeout=timeout, _checksum_memo=memo, kernel=kernel,
                     data_digest=digests[p.key]) for p in todo]


def render(params: Iterable[ReportParams], output=DEFAULT_OUTPUT, notebook=DEFAULT_NOTEBOOK, *,
           force: bool = False, workers: int | None = None, executor: str = "local",
           scheduler: str | None = None, timeout: int | None = 600, progress: bool = True,
           progress_file: TextIO | None = None, kernel: str = "warm") -> RenderSummary:
    """Render the reports of ``params`` into ``output``.

    Up-to-date reports are skipped unless ``force``; one failing report never stops
    the others. The manifest is saved after every finished report and the index
    rewritten at the end. A tqdm bar on stderr shows done/failed counts and the ETA.
    """
    from tqdm import tqdm  # noqa: PLC0415

    t0 = dt.datetime.now(dt.timezone.utc)
    os.makedirs(output, exist_ok=True)
    manifest = Manifest.load(output)
    jobs = plan(params, output, notebook, timeout, kernel=kernel, manifest=manifest)
    todo = [j for j in jobs if force or not manifest.up_to_date(j)]
    summary = RenderSummary(skipped=[j for j in jobs if j not in todo])
    bar = tqdm(total=len(todo), desc="render", unit="report", file=progress_file or sys.stderr,
               disable=not progress or not todo, dynamic_ncols=True)
    try:
        for job, result in run_jobs(todo, executor=executor, workers=workers, scheduler=scheduler):
            manifest.record(job, result, dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))
            manifest.save()
            (summary.rendered if result.ok else summary.failed).append(result)
            bar.update(1)
            bar.set_postfix(done=len(summary.rendered), failed=len(summary.failed), refresh=False)
    finally:
        bar.close()
        manifest.save()
        summary.index = str(write_index(manifest))
    summary.seconds = (dt.datetime.now(dt.timezone.utc) - t0).total_seconds()
    return summary
