"""Kernel-leak checks of the render tests: which kernels and socket folders appeared and are not a warm pool's."""
import os

from ntm_analysis.render.warm import kernel_processes, socket_folders

#: Processes whose renders this session started (the test process, and ``ntm render`` subprocesses).
ORIGINS = {str(os.getpid())}


def _ppid(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            return int(fh.read().rsplit(") ", 1)[-1].split()[1])
    except (OSError, ValueError, IndexError):
        return None


def _pool_workers(pool) -> set[int]:
    procs = (getattr(getattr(pool, "_pool", None), "_processes", None) or {}).values()
    return {p.pid for p in procs if p.is_alive()}


def leaked(before_kernels: set, before_socks: set, pool=None) -> tuple[set, set]:
    """Kernel processes and socket folders that appeared since ``before_*`` and that no live worker of ``pool``
    owns (a pool keeps one kernel per worker between renders)."""
    workers = _pool_workers(pool) if pool is not None else set()
    kernels = {k for o in ORIGINS for k in kernel_processes(o)} - before_kernels
    kernels = {k for k in kernels if _ppid(k) not in workers}
    socks = {s for o in ORIGINS for s in socket_folders(o)} - before_socks
    socks = {s for s in socks if not any(f"-w{w}-" in s for w in workers)}
    return kernels, socks


def current() -> tuple[set, set]:
    return ({k for o in ORIGINS for k in kernel_processes(o)}, {s for o in ORIGINS for s in socket_folders(o)})


