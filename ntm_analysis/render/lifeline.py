"""Process lifetime of a render: nothing outlives the process that asked for it, nothing it leaves is kept.

* :func:`set_parent_death_signal`: Linux's ``prctl(PR_SET_PDEATHSIG)`` through ctypes: the calling process gets a
  signal when its parent dies (the fork server, the workers and the kernels each set it), whatever killed the parent
  (SIGKILL included). :func:`start_watchdog` is the portable second line: a daemon thread that polls the rendering
  process and stops the worker (SIGTERM: a clean exit) when it is gone.
* :class:`Terminated`: SIGTERM in the rendering process, raised like Ctrl-C's ``KeyboardInterrupt`` (it is one), so
  both stop the batch the same way; :func:`sigterm_raises` installs it.
* :func:`deferred_stop`: a worker's write phase is not cut by SIGTERM; the stop takes effect when the phase ends (a
  document's files are written as a whole or not at all).
* :func:`private_tempdir` gives a run one folder of the temporary directory, named after its pid and start time,
  for everything its processes create there (kernel sockets and connection files with their key, multiprocessing's
  ``pymp-*`` folders, running markers); :func:`sweep_stale` removes the folders of runs whose process is gone.
"""
from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
from pathlib import Path

#: Prefix of a run's private folder in the temporary directory: ``ntm-render-<pid>-<start time>-<random>``.
RUN_PREFIX = "ntm-render-"
_RUN_DIR = re.compile(r"^ntm-render-(\d+)-(\d+)-")
#: Kernel socket folders written directly in the temporary directory (before runs had a private folder).
_SOCK_DIR = re.compile(r"^ntmk-(\d+)-w(\d+)-")
_PR_SET_PDEATHSIG = 1


class Terminated(KeyboardInterrupt):
    """SIGTERM reached the rendering process: stop the batch as Ctrl-C does (exit code 143)."""

    signum = signal.SIGTERM


def set_parent_death_signal(signum: int = signal.SIGTERM) -> bool:
    """Ask Linux to send ``signum`` to this process when its parent dies. False where unsupported.

    The signal follows the death of the parent *thread* that forked this process, so it is set only by processes
    started from a long-lived thread (a process's main thread, the fork server's loop).
    """
    prctl = _prctl()
    return prctl is not None and prctl(_PR_SET_PDEATHSIG, int(signum), 0, 0, 0) == 0


_PRCTL: list = []


def _prctl():
    """libc's ``prctl`` (None off Linux), resolved once: a ``preexec_fn`` must not import in the forked child."""
    if not _PRCTL:
        fn = None
        if sys.platform.startswith("linux"):
            try:
                import ctypes  # noqa: PLC0415

                fn = ctypes.CDLL(None, use_errno=True).prctl
            except (OSError, AttributeError):
                fn = None
        _PRCTL.append(fn)
    return _PRCTL[0]


def kernel_preexec():
    """A ``preexec_fn`` for a kernel process, or None where unsupported: the kernel is killed when the process that
    started it dies (a kernel holds nothing worth a clean exit; its socket folder is removed by its worker or swept
    by the next run). The signal follows the launching *thread*: jupyter_client launches a kernel from the thread
    that runs its event loop, the worker's main thread or jupyter_core's task-runner thread, both as long-lived as
    the worker."""
    prctl = _prctl()
    if prctl is None:
        return None

    def preexec():
        prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)

    return preexec


def start_time(pid: int) -> int | None:
    """The start time of process ``pid`` (clock ticks since boot, from /proc), or None when it does not exist."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            fields = fh.read().rsplit(") ", 1)[-1].split()
    except OSError:
        return None
    if fields[0] == "Z":
        return None
    return int(fields[19])


def alive(pid: int, started: int | None = None) -> bool:
    """True when process ``pid`` runs (and, given ``started``, is the same process, not a reused pid)."""
    now = start_time(pid)
    if now is None:
        if os.path.isdir("/proc/self"):
            return False
        try:  # no /proc: signal 0 tells whether the pid exists
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True
    return started is None or now == started


def start_watchdog(pid: int, interval: float = 0.5, signum: int = signal.SIGTERM) -> threading.Thread:
    """A daemon thread that sends ``signum`` to this process once process ``pid`` is gone (checked every
    ``interval`` seconds)."""
    started = start_time(pid)

    def watch():
        import time  # noqa: PLC0415

        while alive(pid, started):
            time.sleep(interval)
        os.kill(os.getpid(), signum)

    thread = threading.Thread(target=watch, name=f"ntm-watchdog-{pid}", daemon=True)
    thread.start()
    return thread


@contextlib.contextmanager
def sigterm_raises():
    """Within the block SIGTERM raises :class:`Terminated` in the main thread (the previous handler is restored)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):  # noqa: ARG001
        raise Terminated()

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


# -- a worker's write phase -----------------------------------------------------------------------------------------
_DEFER = {"depth": 0, "pending": None}


def stop_pending() -> int | None:
    """The signal that arrived during a write phase and is still to be acted on, or None."""
    return _DEFER["pending"]


def on_stop_signal(signum: int) -> None:
    """A worker's SIGTERM handler: exit now (``SystemExit``: finally blocks run), or at the end of the write phase."""
    if _DEFER["depth"]:
        _DEFER["pending"] = signum
        return
    raise SystemExit(128 + signum)


@contextlib.contextmanager
def deferred_stop():
    """Within the block a stop signal handled by :func:`on_stop_signal` waits for the block to end.

    At the end the worker carries on when the stop came from its own pool (the parent collects the finished
    document, then stops the worker), and exits when the rendering process is gone.
    """
    _DEFER["depth"] += 1
    try:
        yield
    finally:
        _DEFER["depth"] -= 1


def clear_stop() -> int | None:
    """Take the pending stop signal (None when there is none)."""
    pending, _DEFER["pending"] = _DEFER["pending"], None
    return pending


# -- temporary files of a run ---------------------------------------------------------------------------------------
def run_dir_name(pid: int | None = None) -> str:
    pid = pid or os.getpid()
    return f"{RUN_PREFIX}{pid}-{start_time(pid) or 0}-"


#: Longest Unix socket path (``sun_path``) and the room the sockets inside a run's folder need
#: (``ntmk-<pid>-w<pid>-<random>/kernel-1``, ``pymp-<random>/listener-<random>``).
_SOCKET_PATH_MAX, _SOCKET_PATH_ROOM = 107, 45


@contextlib.contextmanager
def private_tempdir():
    """Within the block the temporary directory (``TMPDIR``, :func:`tempfile.gettempdir`) of this process and of every
    process it starts is a fresh folder ``ntm-render-<pid>-<start time>-*`` of the usual one; removed at the end. The
    folders of earlier runs whose process is gone are swept first (:func:`sweep_stale`)."""
    base = tempfile.gettempdir()
    sweep_stale(base)
    if len(os.path.join(base, run_dir_name())) + 8 + _SOCKET_PATH_ROOM > _SOCKET_PATH_MAX:
        yield base  # a Unix socket path (kernels, the fork server) would be too long one level deeper
        return
    folder = tempfile.mkdtemp(prefix=run_dir_name(), dir=base)
    saved_env, saved_dir = os.environ.get("TMPDIR"), tempfile.tempdir
    os.environ["TMPDIR"] = folder
    tempfile.tempdir = folder
    try:
        yield folder
    finally:
        tempfile.tempdir = saved_dir
        if saved_env is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = saved_env
        _remove_when_free(folder)


def _remove_when_free(folder: str) -> None:
    """Remove ``folder`` now, or, when this process's multiprocessing keeps its own temporary folder (and its fork
    server's socket) in it, at exit right after multiprocessing removed that (its finalizers run first)."""
    from multiprocessing import current_process, util  # noqa: PLC0415

    mp_dir = current_process()._config.get("tempdir")  # set by multiprocessing.util.get_temp_dir
    if mp_dir and os.path.abspath(mp_dir).startswith(os.path.abspath(folder) + os.sep):
        util.Finalize(None, shutil.rmtree, args=(folder,), kwargs={"ignore_errors": True}, exitpriority=-200)
    else:
        shutil.rmtree(folder, ignore_errors=True)


def sweep_stale(base: str | os.PathLike | None = None) -> list[str]:
    """Remove what renders whose process is gone left in the temporary directory ``base``: their private folders
    (``ntm-render-<pid>-<start>-*``: kernel sockets and connection files, ``pymp-*`` folders, running markers) and
    kernel socket folders ``ntmk-<origin>-w<worker>-*`` whose rendering and worker processes are both gone.
    Returns the names removed. Folders of live processes are never touched."""
    base = Path(base or tempfile.gettempdir())
    removed = []
    try:
        entries = list(os.scandir(base))
    except OSError:
        return removed
    for entry in entries:
        stale = False
        m = _RUN_DIR.match(entry.name)
        if m:
            pid, started = int(m.group(1)), int(m.group(2))
            stale = not alive(pid, started or None)
        else:
            m = _SOCK_DIR.match(entry.name)
            stale = bool(m) and not alive(int(m.group(1))) and not alive(int(m.group(2)))
        if stale and entry.is_dir(follow_symlinks=False):
            shutil.rmtree(entry.path, ignore_errors=True)
            removed.append(entry.name)
    return removed
