"""Execute one report notebook with papermill and export it to self-contained HTML (runs in a worker).

* Each run starts its own kernel. The kernel talks over IPC (Unix domain
  sockets in a private temporary folder), not TCP, so parallel kernels never
  compete for ports.
* The HTML uses the ``ntm_report`` template (the "lab" template with every CDN
  script removed); figures are embedded base64 PNG. Code cells are hidden
  unless the report's ``show_code`` parameter is true.
* Outputs are written atomically; a failure is returned as a result (with the
  failing cell and message), never raised, so one province never stops others.
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from . import atomic
from .jobs import Job

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
TEMPLATE_NAME = "ntm_report"
KERNEL_NAME = "python3"
KERNEL_LOG = "kernel.log"
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

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def external_references(html: str) -> list[str]:
    """Tags or CSS rules in ``html`` that would fetch something over the network (should be empty)."""
    return [m.group(0) for m in _EXTERNAL.finditer(html)] + [m.group(0) for m in _CSS_EXTERNAL.finditer(html)]


def _kernel_manager_class(sock_dir: str):
    from jupyter_client.manager import AsyncKernelManager  # noqa: PLC0415
    from traitlets import default  # noqa: PLC0415

    class IPCKernelManager(AsyncKernelManager):
        """A kernel on Unix domain sockets in ``sock_dir``: no TCP ports to clash."""

        @default("transport")
        def _default_transport(self):
            return "ipc"

        @default("ip")
        def _default_ip(self):
            return os.path.join(sock_dir, "kernel")

        async def _async_launch_kernel(self, kernel_cmd, **kw):
            # The kernel's own stderr (shutdown chatter, crash reasons) goes to a log kept with a failure.
            with open(os.path.join(sock_dir, KERNEL_LOG), "ab") as log:  # the child keeps its own copy
                kw["stderr"] = log
                return await super()._async_launch_kernel(kernel_cmd, **kw)

    return IPCKernelManager


def _stable_ids(nb) -> None:
    """Give papermill's injected cell a fixed id, so two renders of the same inputs give the same HTML."""
    for i, cell in enumerate(nb.cells):
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell["id"] = f"injected-parameters-{i}"


def export_html(nb, show_code: bool, title: str) -> str:
    """HTML of an executed notebook: self-contained, code hidden unless ``show_code``."""
    from nbconvert import HTMLExporter  # noqa: PLC0415

    exporter = HTMLExporter(template_name=TEMPLATE_NAME, extra_template_basedirs=[str(TEMPLATE_DIR)],
                            exclude_input=not show_code, exclude_input_prompt=not show_code,
                            exclude_output_prompt=True, anchor_link_text="")
    html, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    bad = external_references(html)
    if bad:
        raise ValueError(f"the HTML report would fetch from the network: {bad[:3]}")
    return html


def _kernel_log(sock_dir: str) -> str:
    try:
        return Path(sock_dir, KERNEL_LOG).read_text(encoding="utf-8", errors="replace")[-1500:]
    except OSError:
        return ""


def _error_info(exc: BaseException, nb) -> dict:
    """The failing cell (index, source, first lines) and the message, from a papermill error."""
    info = {"type": type(exc).__name__, "message": str(exc).strip()[-2000:]}
    ename = getattr(exc, "ename", None)
    if ename is not None:
        info.update({"ename": ename, "evalue": str(getattr(exc, "evalue", "")),
                     "exec_count": getattr(exc, "exec_count", None), "cell_index": getattr(exc, "cell_index", None),
                     "cell_source": str(getattr(exc, "source", ""))[:2000]})
        info["message"] = f"{ename}: {info['evalue']}"
    elif nb is not None:
        info["traceback"] = "".join(traceback.format_exception(exc))[-3000:]
    return info


def execute_job(job: Job) -> RenderResult:
    """Run one job: papermill into a temporary notebook, HTML export, atomic moves. Never raises."""
    import nbformat  # noqa: PLC0415
    import papermill as pm  # noqa: PLC0415

    t0 = time.perf_counter()
    sock_dir = tempfile.mkdtemp(prefix="ntmk-")
    tmp_nb = atomic.temp_path(job.executed, suffix=".tmp.ipynb")  # papermill wants an .ipynb name
    nb = None
    try:
        metadata = job.params.metadata()
        title = f"{metadata['province_name_short']}: NTM report ({job.params.vintage} geography)"
        try:
            pm.execute_notebook(
                job.notebook, str(tmp_nb), parameters=job.params.to_notebook_parameters(),
                kernel_name=KERNEL_NAME, language="python", progress_bar=False, log_output=False,
                execution_timeout=job.timeout, cwd=str(Path(job.notebook).parent),
                kernel_manager_class=_kernel_manager_class(sock_dir))
        finally:
            if tmp_nb.exists() and tmp_nb.stat().st_size:
                nb = nbformat.read(tmp_nb, as_version=4)
        _stable_ids(nb)
        nb.metadata["ntm"] = {**metadata, "fingerprint": job.fingerprint}
        html = export_html(nb, job.params.show_code, title)
        data = html.encode("utf-8")
        if len(data) > MAX_HTML_BYTES:
            raise ValueError(f"the HTML report is {len(data):,} bytes, above the {MAX_HTML_BYTES:,}-byte limit")
        from ..report import summary  # noqa: PLC0415

        figures = summary(job.params)
        atomic.write_text(job.executed, nbformat.writes(nb))
        atomic.write_bytes(job.html, data)
        return RenderResult(key=job.key, status="ok", seconds=time.perf_counter() - t0, html=job.html,
                            executed=job.executed, html_bytes=len(data), summary=figures,
                            fingerprint=job.fingerprint, metadata=metadata)
    except Exception as exc:  # noqa: BLE001 (a failed report is a result, not a crash)
        if nb is not None:
            try:  # keep the executed notebook with its error, for the reader of the failure
                atomic.write_text(job.executed, nbformat.writes(nb))
            except Exception:  # noqa: BLE001
                pass
        Path(job.html).unlink(missing_ok=True)  # never leave a stale report beside a failure
        try:
            metadata = job.params.metadata()
        except Exception:  # noqa: BLE001
            metadata = {}
        error = _error_info(exc, nb)
        if nb is None:
            error["kernel_log"] = _kernel_log(sock_dir)
        return RenderResult(key=job.key, status="failed", seconds=time.perf_counter() - t0,
                            executed=job.executed if nb is not None else None, error=error,
                            fingerprint=job.fingerprint, metadata=metadata)
    finally:
        tmp_nb.unlink(missing_ok=True)
        shutil.rmtree(sock_dir, ignore_errors=True)
