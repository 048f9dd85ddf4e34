"""Render many documents: plan jobs, skip up-to-date ones, run the rest, update manifest and index."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sys
import threading
from dataclasses import dataclass, field
from typing import Iterable, Mapping, TextIO

from ntm_analysis import atomic
from ntm_analysis.render.execute import RenderResult
from ntm_analysis.render.executors import prestart, run_jobs
from ntm_analysis.render.index import INDEX_NAME, build_index, index_languages, page_name, prepare_extra
from ntm_analysis.render.jobs import (DEFAULT_OUTPUT, Job, data_checksums, known_digests, make_job,
    recorded_data_files, whole_file_digest)
from ntm_analysis.render.manifest import Manifest, output_lock
from ntm_analysis.render.spec import DocumentSpec, Request, as_spec, spec_for


@dataclass
class RenderSummary:
    """Outcome of :func:`render`: jobs rendered, skipped (up to date) and failed."""

    rendered: list[RenderResult] = field(default_factory=list)
    skipped: list[Job] = field(default_factory=list)
    failed: list[RenderResult] = field(default_factory=list)
    index: str | None = None
    seconds: float = 0.0
    #: Files of the output folder that could not be written (the manifest, the index): "path: OS error".
    write_errors: list[str] = field(default_factory=list)
    #: Where a corrupt manifest was kept when ``force`` rebuilt it, else None.
    manifest_backup: str | None = None

    @property
    def exit_code(self) -> int:
        """0 when every document is rendered or up to date, 1 when any failed or the manifest or index could not
        be written."""
        return 1 if self.failed or self.write_errors else 0


def requests(items: Iterable, document=None) -> list[Request]:
    """``items`` (parameter sets, ``(spec, params)`` pairs or :class:`Request`\\ s) as validated requests, duplicate
    keys removed (the first kept), in the given order. A bare parameter set is a ``document`` (default: its own,
    :func:`.spec.spec_for`)."""
    unique: dict[str, Request] = {}
    for item in items:
        if isinstance(item, Request):
            spec, p = item.spec, item.params
        elif isinstance(item, tuple) and len(item) == 2 and isinstance(item[0], (DocumentSpec, Mapping)):
            spec, p = item
        else:
            spec, p = document, item
        p = p.validate()
        unique.setdefault(p.key, Request(as_spec(spec) if spec is not None else spec_for(p), p))
    return list(unique.values())


def plan(items: Iterable, output=DEFAULT_OUTPUT, notebook=None, timeout: int | None = 600, kernel: str = "warm",
         manifest: Manifest | None = None, document=None) -> list[Job]:
    """Jobs for ``items`` (see :func:`requests`); ``notebook`` overrides the specs' notebooks.

    Input digests recorded in ``manifest`` are reused while the data files are unchanged, so a re-render with
    nothing changed reads no data; otherwise each document computes them in one pass per data folder.
    """
    todo = requests(items, document)
    memo: dict = {}
    entries = manifest.entries if manifest else {}
    by_spec: dict[int, tuple[DocumentSpec, list]] = {}  # by identity: a spec need not be hashable
    for r in todo:
        by_spec.setdefault(id(r.spec), (r.spec, []))[1].append(r.params)
    digests: dict[str, str] = {}
    for spec, params in by_spec.values():
        for p in params:
            mkey = (spec.name, p.data_dir)
            if mkey not in memo:
                memo[mkey] = data_checksums(spec, p.data_dir, recorded_data_files(entries, spec, p.data_dir))
        digests.update(known_digests(spec, params, entries, memo))
        missing: dict = {}
        for p in params:
            if p.key not in digests:
                missing.setdefault(p.data_dir, []).append(p)
        for data_dir, group in missing.items():
            if spec.input_digests is None:
                digests.update({p.key: whole_file_digest(memo[(spec.name, data_dir)]) for p in group})
                continue
            try:
                digests.update(spec.call("input_digests", group, data_dir))
            except Exception as exc:  # noqa: BLE001 (unreadable data: each document fails with the precise error)
                # keyed on the whole files and the error instead: the documents still run and fail with the
                # loader's message (file, row, column, value) in their own cells, listed in the index
                fallback = hashlib.sha256(json.dumps([sorted(memo[(spec.name, data_dir)].items()),
                                                      repr(exc)]).encode()).hexdigest()
                digests.update({p.key: f"unreadable-data:{fallback}" for p in group})
    return [make_job(r.params, output=output, notebook=notebook, timeout=timeout, _checksum_memo=memo,
                     kernel=kernel, data_digest=digests[r.params.key], spec=r.spec) for r in todo]


def render(items: Iterable, output=DEFAULT_OUTPUT, notebook=None, *, document=None,
           force: bool = False, workers: int | None = None, executor="local", scheduler: str | None = None,
           timeout: int | None = 600, progress: bool = True, progress_file: TextIO | None = None,
           kernel: str = "warm") -> RenderSummary:
    """Render the documents of ``items`` into ``output``.

    ``items``: parameter sets (each of ``document``, or of its own spec: ``render([ReportParams(...)])`` renders
    province reports), ``(spec, params)`` pairs (a spec: a :class:`.spec.DocumentSpec` or a mapping of its fields) or :class:`.spec.Request`\\ s, mixed freely. ``executor``: "local"
    (a process pool for this call), "dask", or an executor object (e.g. a :class:`.executors.LocalExecutor` kept
    open across calls: its warm kernels serve every call until it is closed).

    Up-to-date documents are skipped unless ``force``; one failing document never stops the others. The manifest
    is saved after every finished document and the index rewritten at the end (each only when its content
    changed). A manifest or index that cannot be written is listed in ``write_errors`` (exit code 1), never stops
    the batch. A corrupt manifest raises :class:`.manifest.ManifestError`, unless ``force``: it is then kept as a
    backup and rebuilt. The output folder is locked for the run (:func:`.manifest.output_lock`): a second render
    of it waits, saying so on stderr. When the batch is stopped (Ctrl-C, SIGTERM), what finished, including a
    document a worker was writing, is recorded in the manifest and the index before the exception propagates. A
    tqdm bar on stderr shows done/failed counts and the ETA.
    """
    from tqdm import tqdm  # noqa: PLC0415

    t0 = dt.datetime.now(dt.timezone.utc)
    os.makedirs(output, exist_ok=True)
    err = progress_file or sys.stderr
    with output_lock(output, on_wait=lambda msg: print(f"render: {msg}", file=err, flush=True)):
        manifest = Manifest.load(output, rebuild=force)
        todo_requests = requests(items, document)
        if force or any((manifest.entries.get(r.params.key) or {}).get("status") != "ok" for r in todo_requests):
            prestart(executor)  # work ahead for sure: the workers' fork server starts while the jobs are planned
        jobs = plan(todo_requests, output, notebook, timeout, kernel=kernel, manifest=manifest, document=document)
        todo = [j for j in jobs if force or not manifest.up_to_date(j)]
        summary = RenderSummary(skipped=[j for j in jobs if j not in todo],
                                manifest_backup=str(manifest.backup) if manifest.backup else None)
        for job in summary.skipped:
            manifest.refresh(job)  # the index row follows the document's current description
        bar = tqdm(total=len(todo), desc="render", unit="doc", file=err,
                   disable=not progress or not todo, dynamic_ncols=True)

        def finished(job: Job, result: RenderResult) -> None:
            manifest.record(job, result, dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))
            _save(manifest, summary)
            (summary.rendered if result.ok else summary.failed).append(result)

        results = run_jobs(todo, executor=executor, workers=workers, scheduler=scheduler, on_late=finished)
        ahead = _prepare_index(todo, output)
        try:
            for job, result in results:
                finished(job, result)
                bar.update(1)
                bar.set_postfix(done=len(summary.rendered), failed=len(summary.failed), refresh=False)
        finally:
            close = getattr(results, "close", None)
            if close is not None:
                close()  # stopped in this loop: the workers are stopped now and what they finished recorded
            bar.close()
            _save(manifest, summary)
            if ahead is not None:
                ahead.join()  # the index's extra content, computed while the documents rendered
            summary.index = _write_index(manifest, summary)
    summary.seconds = (dt.datetime.now(dt.timezone.utc) - t0).total_seconds()
    return summary


def _prepare_index(todo: list[Job], output) -> threading.Thread | None:
    """Compute the extra content of the index pages the documents of ``todo`` appear on in a background thread
    (:func:`.index.prepare_extra`), while the workers render them; None when nothing is to be rendered."""
    if not todo:
        return None
    entries = [{"key": j.key, "index": j.index, "metadata": j.metadata} for j in todo]
    thread = threading.Thread(target=prepare_extra, args=(entries, output), name="ntm-index-extra", daemon=True)
    thread.start()
    return thread


def _write_error(path, exc: OSError) -> str:
    return f"{path}: {exc.strerror or exc}" + (f" ({exc.filename})" if exc.filename and str(exc.filename) != str(path)
                                               else "")


def _save(manifest: Manifest, summary: RenderSummary) -> None:
    """Save the manifest; a failure (full disk, read-only folder) is recorded once in the summary."""
    try:
        manifest.save()
    except OSError as exc:
        msg = _write_error(manifest.path, exc)
        if msg not in summary.write_errors:
            summary.write_errors.append(msg)


def _write_index(manifest: Manifest, summary: RenderSummary) -> str | None:
    """Write the index page of every language (:func:`.index.index_languages`), each only when its content changed;
    a failure is recorded in the summary. Returns the path of ``index.html``."""
    main = manifest.output / INDEX_NAME
    for lang in index_languages(manifest):
        path = manifest.output / page_name(lang)
        try:
            html = build_index(manifest, lang)
            try:
                same = path.read_text(encoding="utf-8") == html
            except (OSError, UnicodeDecodeError):
                same = False
            if not same:
                atomic.write_text(path, html)
        except OSError as exc:
            summary.write_errors.append(_write_error(path, exc))
    return str(main) if main.exists() else None
