"""A warm kernel per worker: started once, heavy imports and data done once, reset between reports.

A cold papermill render pays for a kernel start, ``import pandas, seaborn,
statsmodels`` and reading the data, for every report. A worker keeps one
:class:`WarmKernel` instead:

* started on first use (IPC transport in a private folder: no TCP ports);
* warmed up with :func:`.kernel_state.warm_up` (imports, then a snapshot of
  the fresh state); a document's own imports and its preload function (its
  spec's ``kernel_imports`` and ``preload``) run once per kernel, the preload
  once per data folder;
* before every report, :func:`.kernel_state.restore` (silent, so the counter
  stays at ``In [1]``) gives the report a clean namespace and global state;
* replaced when it died, hung past a timeout, or left a report unfinished.

The kernel is launched by jupyter_client with ``JPY_PARENT_PID`` and Linux's
parent-death signal (:func:`.lifeline.kernel_preexec`), so it dies with its
worker however the worker ends; :func:`shutdown_worker_kernel` stops it at the
worker's normal exit. Its connection file (with its HMAC key) is written in its
private socket folder, removed with it.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
import time

KERNEL_NAME = "python3"
KERNEL_LOG = "kernel.log"
#: Environment variable of every kernel the renderer starts: the pid of the process that ran ``render``.
ORIGIN_ENV = "NTM_RENDER_ORIGIN"


def sock_prefix(worker_pid: int | None = None) -> str:
    """Prefix of a kernel's private socket folder in the temporary directory: ``ntmk-<origin pid>-w<worker pid>-``
    (origin: the process that ran ``render``; worker: the process that started the kernel)."""
    return f"ntmk-{os.environ.get(ORIGIN_ENV, os.getpid())}-w{worker_pid or os.getpid()}-"


def kernel_processes(origin: str | int) -> set[int]:
    """Live kernels started by renders of the process ``origin`` (their environment carries ``ORIGIN_ENV``), from
    /proc: what a finished batch must not leave running."""
    tag = f"{ORIGIN_ENV}={origin}".encode()
    out = set()
    for proc in os.scandir("/proc"):
        if not proc.name.isdigit():
            continue
        try:
            with open(f"{proc.path}/cmdline", "rb") as fh:
                cmd = fh.read()
            with open(f"{proc.path}/environ", "rb") as fh:
                env = fh.read().split(b"\0")
            with open(f"{proc.path}/stat", encoding="ascii", errors="replace") as fh:
                state = fh.read().rsplit(") ", 1)[-1][:1]
        except OSError:
            continue
        if b"ipykernel" in cmd and tag in env and state != "Z":
            out.add(int(proc.name))
    return out


def socket_folders(origin: str | int) -> set[str]:
    """Names of the kernels' socket folders left in the temporary directory by renders of the process ``origin``."""
    return {entry.name for entry in os.scandir(tempfile.gettempdir())
            if entry.name.startswith(f"ntmk-{origin}-") and entry.is_dir()}


class KernelStateError(RuntimeError):
    """Warming up or resetting the kernel failed; the message has the kernel's error."""


def kernel_manager_class(sock_dir: str):
    """An ``AsyncKernelManager`` whose kernel talks over Unix sockets in ``sock_dir`` (log in ``kernel.log``)."""
    from jupyter_client.manager import AsyncKernelManager  # noqa: PLC0415
    from traitlets import default  # noqa: PLC0415

    from ntm_analysis.render import lifeline  # noqa: PLC0415

    class IPCKernelManager(AsyncKernelManager):
        """A kernel on Unix domain sockets in ``sock_dir``: no TCP ports to clash."""

        @default("transport")
        def _default_transport(self):
            return "ipc"

        @default("ip")
        def _default_ip(self):
            return os.path.join(sock_dir, "kernel")

        @default("connection_file")
        def _default_connection_file(self):
            # beside its sockets: removed with them, and swept with the run's folder if the worker is killed
            return os.path.join(sock_dir, "kernel.json")

        async def _async_launch_kernel(self, kernel_cmd, **kw):
            # Tagged with the process that asked for the render, so a leak can be traced to its batch.
            env = dict(kw.get("env") or os.environ)
            env[ORIGIN_ENV] = os.environ.get(ORIGIN_ENV, str(os.getpid()))
            kw["env"] = env
            preexec = lifeline.kernel_preexec()  # the kernel dies with its worker, however the worker ends
            if preexec is not None:
                kw["preexec_fn"] = preexec
            # The kernel's own stderr (shutdown chatter, crash reasons) goes to a log kept with a failure.
            with open(os.path.join(sock_dir, KERNEL_LOG), "ab") as log:  # the child keeps its own copy
                kw["stderr"] = log
                return await super()._async_launch_kernel(kernel_cmd, **kw)

    return IPCKernelManager


def _status_mb(pid: int | None, field: str) -> float | None:
    try:
        with open(f"/proc/{pid or os.getpid()}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def peak_rss_mb(pid: int | None = None) -> float | None:
    """Peak resident memory (VmHWM) of a process in MB, from /proc (None where unavailable)."""
    return _status_mb(pid, "VmHWM")


def rss_mb(pid: int | None = None) -> float | None:
    """Resident memory now (VmRSS) of a process in MB, from /proc (None where unavailable)."""
    return _status_mb(pid, "VmRSS")


class WarmKernel:
    """One long-lived kernel of a worker process. Not thread-safe: one report at a time."""

    def __init__(self, kernel_name: str = KERNEL_NAME, startup_timeout: float = 60):
        self.kernel_name = kernel_name
        self.startup_timeout = startup_timeout
        self.km = None
        self.kc = None
        self.sock_dir: str | None = None
        self.preloaded: set = set()
        self.imported: set = set()
        self.reports = 0
        self.starts = 0
        #: The notebook of the last report run on this kernel (set by the engine; kept when a cell fails).
        self.last_nb = None
        #: Time spent getting ready since the last report (charged to the next report's timings).
        self.pending: dict[str, float] = {}

    # -- lifecycle ----------------------------------------------------------------------------------
    @property
    def pid(self) -> int | None:
        proc = getattr(getattr(self.km, "provisioner", None), "process", None)
        return getattr(proc, "pid", None)

    def alive(self) -> bool:
        from jupyter_core.utils import run_sync  # noqa: PLC0415

        return self.km is not None and bool(run_sync(self.km.is_alive)())

    def start(self, cwd: str) -> None:
        """Start the kernel and warm it up (imports, state snapshot)."""
        from jupyter_core.utils import run_sync  # noqa: PLC0415

        self.shutdown()
        t0 = time.perf_counter()
        self.sock_dir = tempfile.mkdtemp(prefix=sock_prefix())
        self.km = kernel_manager_class(self.sock_dir)(kernel_name=self.kernel_name)
        run_sync(self.km.start_kernel)(cwd=cwd)
        self.starts += 1
        self.preloaded = set()
        self.imported = set()
        self.kc = self.km.blocking_client()  # the control client: warm-up, preload, restore
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=self.startup_timeout)
        t1 = time.perf_counter()
        self._call("warm_up()")
        self._charge("kernel_start", t1 - t0)
        self._charge("imports", time.perf_counter() - t1)

    def prepare(self, cwd: str, data_dir: str | None, imports: tuple = (), preload: str | None = None) -> None:
        """Make the kernel ready for one document: started, its modules imported, its data preloaded (``preload``:
        a ``"module:function"`` name, run once per data folder), state restored."""
        if not self.alive():
            self.start(cwd)
        missing = [m for m in imports if m not in self.imported]
        if missing:
            t0 = time.perf_counter()
            self._call(f"add_imports({missing!r})")
            self.imported.update(missing)
            self._charge("imports", time.perf_counter() - t0)
        if preload and (preload, data_dir) not in self.preloaded:
            t0 = time.perf_counter()
            try:
                self._call(f"preload({preload!r}, {data_dir!r})")
                self.preloaded.add((preload, data_dir))
            except KernelStateError:
                pass  # data the loaders reject: the document's own cells fail with the loader's precise message
            self._charge("data_load", time.perf_counter() - t0)
        self._call(f"restore({cwd!r})", result=False)

    def _charge(self, what: str, seconds: float) -> None:
        self.pending[what] = self.pending.get(what, 0.0) + seconds

    def take_timings(self) -> dict[str, float]:
        """Start-up, import and data-load seconds since the last report (then zeroed)."""
        out = {k: self.pending.get(k, 0.0) for k in ("kernel_start", "imports", "data_load")}
        self.pending = {}
        return out

    def _call(self, expr: str, result: bool = True):
        """Run ``kernel_state.<expr>`` in the kernel, outside its history; return its JSON result."""
        code = ("import json as _j, ntm_analysis.render.kernel_state as _ks\n"
                + (f"print(_j.dumps(_ks.{expr}))" if result else f"_ks.{expr}"))
        out: list[str] = []

        def hook(msg):
            if msg["header"]["msg_type"] == "stream" and msg["content"].get("name") == "stdout":
                out.append(msg["content"]["text"])

        try:
            reply = self.kc.execute_interactive(code, silent=not result, store_history=False, output_hook=hook,
                                                timeout=max(self.startup_timeout, 120))
        except TimeoutError as exc:
            raise KernelStateError(f"kernel_state.{expr} did not answer in time") from exc
        content = reply["content"]
        if content.get("status") != "ok":
            raise KernelStateError(f"kernel_state.{expr} failed in the kernel: {content.get('ename')}: "
                                   f"{content.get('evalue')}")
        if result:
            return json.loads("".join(out).strip().splitlines()[-1])
        return None

    def log_tail(self, chars: int = 1500) -> str:
        """The end of the kernel's stderr log (for a failure report)."""
        if not self.sock_dir:
            return ""
        try:
            with open(os.path.join(self.sock_dir, KERNEL_LOG), encoding="utf-8", errors="replace") as fh:
                return fh.read()[-chars:]
        except OSError:
            return ""

    def shutdown(self) -> None:
        """Stop the kernel (at once) and remove its socket folder. Safe to call twice."""
        km, self.km = self.km, None
        kc, self.kc = self.kc, None
        if kc is not None:
            try:
                kc.stop_channels()
            except Exception:  # noqa: BLE001
                pass
        if km is not None:
            from jupyter_core.utils import run_sync  # noqa: PLC0415

            try:
                run_sync(km.shutdown_kernel)(now=True)
            except Exception:  # noqa: BLE001 (already dead: nothing to stop)
                pass
        if self.sock_dir:
            shutil.rmtree(self.sock_dir, ignore_errors=True)
            self.sock_dir = None


_WORKER_KERNEL: WarmKernel | None = None


def worker_kernel() -> WarmKernel:
    """This process's warm kernel (created on first use, stopped when the process exits)."""
    global _WORKER_KERNEL
    if _WORKER_KERNEL is None:
        import atexit  # noqa: PLC0415
        from multiprocessing import util  # noqa: PLC0415

        _WORKER_KERNEL = WarmKernel()
        # multiprocessing children skip atexit: their finalizers run at exit instead
        util.Finalize(None, shutdown_worker_kernel, exitpriority=100)
        atexit.register(shutdown_worker_kernel)
    return _WORKER_KERNEL


def shutdown_worker_kernel() -> None:
    """Stop this process's warm kernel, if any."""
    global _WORKER_KERNEL
    kernel, _WORKER_KERNEL = _WORKER_KERNEL, None
    if kernel is not None:
        kernel.shutdown()
