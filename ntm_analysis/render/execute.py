"""Execute one document's notebook with papermill and export it to self-contained HTML (runs in a worker).

* By default (``kernel="warm"``) the notebook runs through papermill's
  ``ntm_warm`` engine (:mod:`.engine`) on the worker's warm kernel: imports
  and data are loaded once per worker, the namespace and global state are
  reset between reports. ``kernel="cold"`` starts a fresh kernel per report
  (papermill's default engine), as a user's own loop would.
* Kernels talk over IPC (Unix domain sockets in a private temporary folder),
  not TCP, so parallel kernels never compete for ports.
* A kernel that dies is replaced and the report retried once on the new
  kernel; a kernel that hangs past the cell time limit is killed and replaced.
* The HTML uses the ``ntm_report`` template (the "lab" template with every CDN
  script removed), exported in the worker with a cached exporter; figures are
  embedded base64 PNG. Code cells are hidden unless ``show_code``.
* Outputs are written atomically, then the document's ``after_run`` (its spec)
  writes its own files and returns the summary the index shows.
* A failure is returned as a result (with the failing cell and message), never
  raised, so one document never stops the others.
"""
from __future__ import annotations

import logging
import os
import re
import shutil
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ntm_analysis import atomic
from ntm_analysis.render import lifeline
from ntm_analysis.render.jobs import Job
from ntm_analysis.render.warm import (KERNEL_NAME, kernel_manager_class, peak_rss_mb, rss_mb, sock_prefix,
    worker_kernel)



class _KernelDeathAlreadyReported(logging.Filter):
    """Drops asyncio's "Task exception was never retrieved" for a ``DeadKernelError``: when a kernel dies, nbclient
    leaves its cell-execution task holding the same error that :func:`_run_notebook` has already caught, replaced
    the kernel for and reported with the job; asyncio would print it again on stderr when the task is collected.
    Every other asyncio message, and this one for any other exception, passes."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not (str(record.msg).startswith("Task exception was never retrieved")
                    and type(exc).__name__ == "DeadKernelError")


KERNEL_DEATH_FILTER = _KernelDeathAlreadyReported()
logging.getLogger("asyncio").addFilter(KERNEL_DEATH_FILTER)  # in every worker: this module is preloaded by the fork server

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
TEMPLATE_NAME = "ntm_report"
KERNEL_MODES = ("warm", "cold")
#: A report must stay below this size.
MAX_HTML_BYTES = 2 * 1024 * 1024
_EXTERNAL = re.compile(
    r"<(?:script|link|img|iframe|source|embed|object)\b[^>]*?\b(?:src|href|data)\s*=\s*[\"']?\s*(?:https?:)?//",
    re.IGNORECASE)
_CSS_EXTERNAL = re.compile(r"(?:@import\s+(?:url\()?|url\()\s*[\"']?\s*(?:https?:)?//", re.IGNORECASE)


@dataclass
class RenderResult:
    """What happened to one job. ``status`` is "ok" or "failed"; ``error`` describes a failure."""

    key: str
    status: str
    seconds: float
    html: str | None = None
    executed: str | None = None
    html_bytes: int = 0
    summary: dict = field(default_factory=dict)
    error: dict | None = None
    fingerprint: str = ""
    metadata: dict = field(default_factory=dict)
    #: Worker side facts: process ids, peak memory (MB), kernel mode and the time split (s).
    worker: dict = field(default_factory=dict)
    #: The document's name as the index shows it.
    name: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def external_references(html: str) -> list[str]:
    """Tags or CSS rules in ``html`` that would fetch something over the network (should be empty)."""
    return [m.group(0) for m in _EXTERNAL.finditer(html)] + [m.group(0) for m in _CSS_EXTERNAL.finditer(html)]


def _stable_ids(nb) -> None:
    """Give papermill's injected cell a fixed id, so two renders of the same inputs give the same HTML."""
    for i, cell in enumerate(nb.cells):
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell["id"] = f"injected-parameters-{i}"


@lru_cache(maxsize=4)
def _exporter(show_code: bool):
    """One HTML exporter per worker and code setting (building one loads and compiles the templates)."""
    from nbconvert import HTMLExporter  # noqa: PLC0415

    return HTMLExporter(template_name=TEMPLATE_NAME, extra_template_basedirs=[str(TEMPLATE_DIR)],
                        exclude_input=not show_code, exclude_input_prompt=not show_code,
                        exclude_output_prompt=True, anchor_link_text="")


#: Cells with this tag are for the reader of the notebook (a Markdown cell explaining a section, say): the executed
#: notebook keeps them, the HTML leaves them out (a report in another language shows none of their prose).
NOTEBOOK_ONLY_TAG = "notebook-only"


def _record_only(output) -> bool:
    """True for an output that carries only vendor-specific JSON (``application/vnd.…+json``): a value recorded
    for readers of the executed notebook (``ntm_analysis.glue``, for one), with no HTML form."""
    types = set(output.get("data") or {})
    return bool(types) and all(t.startswith("application/vnd.") and t.endswith("+json") for t in types)


def _for_html(nb):
    """A copy of ``nb`` as the HTML shows it: without the cells tagged :data:`NOTEBOOK_ONLY_TAG` and without the
    outputs that only record values (:func:`_record_only`)."""
    import copy  # noqa: PLC0415

    out = copy.deepcopy(nb)
    out.cells = [c for c in out.cells if NOTEBOOK_ONLY_TAG not in c.get("metadata", {}).get("tags", [])]
    for cell in out.cells:
        if cell.get("outputs"):
            cell.outputs = [o for o in cell.outputs if not _record_only(o)]
    return out


def export_html(nb, show_code: bool, title: str) -> str:
    """HTML of an executed notebook: self-contained, code hidden unless ``show_code``."""
    html, _ = _exporter(bool(show_code)).from_notebook_node(_for_html(nb), resources={"metadata": {"name": title}})
    bad = external_references(html)
    if bad:
        raise ValueError(f"the HTML report would fetch from the network: {bad[:3]}")
    return html


def _error_info(exc: BaseException, nb) -> dict:
    """The failing cell (index, source, first lines) and the message, from a papermill error."""
    info = {"type": type(exc).__name__, "message": str(exc).strip()[-2000:]}
    ename = getattr(exc, "ename", None)
    if ename is not None:
        info.update({"ename": ename, "evalue": str(getattr(exc, "evalue", "")),
                     "exec_count": getattr(exc, "exec_count", None), "cell_index": getattr(exc, "cell_index", None),
                     "cell_source": str(getattr(exc, "source", ""))[:2000]})
        info["message"] = f"{ename}: {info['evalue']}"
    else:
        if not info["message"]:
            info["message"] = type(exc).__name__
        info["traceback"] = "".join(traceback.format_exception(exc))[-3000:]
    return info


def _kernel_broken(exc: BaseException) -> bool:
    """True unless ``exc`` is a cell that raised: a dead, hung or unready kernel is replaced."""
    return getattr(exc, "ename", None) is None


def _papermill(job: Job, out_path: Path, kernel):
    """Run the job's notebook into ``out_path`` with papermill (warm engine, or a fresh kernel for ``kernel=None``)."""
    import papermill as pm  # noqa: PLC0415

    cwd = str(Path(job.notebook).parent)
    common = dict(parameters=job.params.to_notebook_parameters(), kernel_name=KERNEL_NAME, language="python",
                  progress_bar=False, log_output=False, execution_timeout=job.timeout, cwd=cwd)
    if kernel is None:
        sock_dir = tempfile.mkdtemp(prefix=sock_prefix())
        try:
            return pm.execute_notebook(job.notebook, str(out_path),
                                       kernel_manager_class=kernel_manager_class(sock_dir), **common)
        finally:
            shutil.rmtree(sock_dir, ignore_errors=True)
    else:
        from ntm_analysis.render.engine import ENGINE_NAME  # noqa: PLC0415 (registers the engine)

        # kept in memory (no output path): the renderer writes the executed notebook once, atomically
        kernel.last_nb = None
        return pm.execute_notebook(job.notebook, None, engine_name=ENGINE_NAME, warm_kernel=kernel,
                                   data_dir=job.params.data_dir, kernel_cwd=cwd, kernel_imports=job.spec.kernel_imports,
                                   preload=job.spec.preload, request_save_on_cell_execute=False, **common)


def _run_notebook(job: Job, tmp_nb: Path, timings: dict):
    """Execute the notebook, replacing a dead or hung warm kernel (one retry after a kernel death).

    Returns the executed notebook (or None when nothing was written) and the exception, if any.
    """
    import nbformat  # noqa: PLC0415
    from nbclient.exceptions import DeadKernelError  # noqa: PLC0415

    kernel = worker_kernel() if job.kernel == "warm" else None
    attempts = 2 if kernel is not None else 1
    nb, error = None, None
    for attempt in range(attempts):
        t0 = time.perf_counter()
        error = None
        try:
            nb = _papermill(job, tmp_nb, kernel)
        except Exception as exc:  # noqa: BLE001 (classified below)
            error = exc
            if kernel is not None:
                nb = kernel.last_nb  # the notebook with its error cell, as papermill left it
            elif tmp_nb.exists() and tmp_nb.stat().st_size:  # papermill saved the notebook with its error
                nb = nbformat.read(tmp_nb, as_version=4)
        timings["execute"] = timings.get("execute", 0.0) + time.perf_counter() - t0
        if kernel is not None:
            for k, v in kernel.take_timings().items():  # start-up, imports, data: charged to this report
                timings[k] = timings.get(k, 0.0) + v
                timings["execute"] -= v
            if error is not None and _kernel_broken(error):
                timings["kernel_log"] = kernel.log_tail()
                kernel.shutdown()  # dead or hung: the next attempt (or report) starts a new one
                if isinstance(error, DeadKernelError) and attempt + 1 < attempts:
                    timings["retried_after_kernel_death"] = True
                    nb = None
                    continue
        break
    return nb, error


def execute_job(job: Job) -> RenderResult:
    """Run one job: papermill into a temporary notebook, HTML export, atomic moves. Never raises."""
    import nbformat  # noqa: PLC0415

    t0 = time.perf_counter()
    tmp_nb = atomic.temp_path(job.executed, suffix=".tmp.ipynb")  # papermill wants an .ipynb name
    nb = None
    timings: dict = {}
    try:
        metadata = job.metadata
        nb, error = _run_notebook(job, tmp_nb, timings)
        if error is not None:
            raise error
        t = time.perf_counter()
        _stable_ids(nb)
        nb.metadata["ntm"] = {**metadata, "fingerprint": job.fingerprint, "title": job.title,
                              "html_lang": job.html_lang}
        html = export_html(nb, job.params.show_code, job.title)
        data = html.encode("utf-8")
        if len(data) > MAX_HTML_BYTES:
            raise ValueError(f"the HTML report is {len(data):,} bytes, above the {MAX_HTML_BYTES:,}-byte limit")
        timings["export"] = time.perf_counter() - t
        t = time.perf_counter()
        with lifeline.deferred_stop():  # written as a whole: a stop signal waits for the last file
            atomic.write_text(job.executed, nbformat.writes(nb))
            atomic.write_bytes(job.html, data)
            summary = job.spec.call("after_run", nb, job) or {}  # the document's own files (downloads), its summary
        timings["write"] = time.perf_counter() - t
        return RenderResult(key=job.key, status="ok", seconds=time.perf_counter() - t0, html=job.html,
                            executed=job.executed, html_bytes=len(data), summary=summary,
                            fingerprint=job.fingerprint, metadata=metadata, worker=_worker_info(job, timings),
                            name=job.name)
    except Exception as exc:  # noqa: BLE001 (a failed report is a result, not a crash)
        if nb is not None:
            try:  # keep the executed notebook with its error, for the reader of the failure
                atomic.write_text(job.executed, nbformat.writes(nb))
            except Exception:  # noqa: BLE001
                pass
        try:
            Path(job.html).unlink(missing_ok=True)  # never leave a stale report beside a failure
        except OSError:
            pass
        error = _error_info(exc, nb)
        if timings.get("kernel_log"):
            error["kernel_log"] = timings["kernel_log"]
        return RenderResult(key=job.key, status="failed", seconds=time.perf_counter() - t0,
                            executed=job.executed if nb is not None else None, error=error,
                            fingerprint=job.fingerprint, metadata=job.metadata, worker=_worker_info(job, timings),
                            name=job.name)
    finally:
        tmp_nb.unlink(missing_ok=True)


def _worker_info(job: Job, timings: dict) -> dict:
    """Where and how the report ran: worker and kernel process, their peak memory, the time split (s)."""
    info = {"kernel_mode": job.kernel, "worker_pid": os.getpid(), "worker_peak_rss_mb": peak_rss_mb(),
            "worker_rss_mb": rss_mb(),
            "timings": {k: round(v, 4) for k, v in timings.items() if isinstance(v, float)}}
    if timings.get("retried_after_kernel_death"):
        info["retried_after_kernel_death"] = True
    if job.kernel == "warm":
        kernel = worker_kernel()
        info.update(kernel_pid=kernel.pid, kernel_peak_rss_mb=peak_rss_mb(kernel.pid) if kernel.pid else None,
                    kernel_rss_mb=rss_mb(kernel.pid) if kernel.pid else None,
                    kernel_starts=kernel.starts, kernel_reports=kernel.reports)
    return info
