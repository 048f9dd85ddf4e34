"""Where render jobs run: a local process pool or a dask.distributed cluster.

Both yield ``(job, result)`` pairs as jobs finish. A job that crashes its
worker comes back as a failed result; it never stops the other jobs.

``render(..., executor=...)`` takes a name ("local", "dask": a pool for that
call, closed at its end) or an executor object with a ``run(jobs)`` method,
such as :class:`LocalExecutor` used as a context manager: its worker
processes and their warm kernels then serve every ``render()`` call until it is
closed (a test session keeps one warm pool this way).

* ``local``: a :class:`concurrent.futures.ProcessPoolExecutor` with the
  ``forkserver`` start method (``spawn`` where forkserver is unavailable), so
  no worker inherits a parent's threads, kernels or sockets. Each worker keeps
  a warm kernel (:mod:`.warm`) across its jobs. At most one job per worker is
  in flight, so when a worker process dies (killed, out of memory) the jobs it
  may have been running are known: they are retried once on a fresh pool, and a
  job in flight during two crashes is reported failed. Workers ignore SIGINT:
  Ctrl-C (or SIGTERM) reaches the parent, which cancels the queue and stops the
  workers with SIGTERM; they exit through their ``finally`` blocks (temporary
  files removed, kernels shut down). A worker writing a document's files
  finishes them first and hands the result over through a file
  (:func:`late_results`), so a stopped batch records every document written.
  Nothing outlives the parent (:mod:`.lifeline`): the fork server, the workers
  and the kernels get a parent-death signal, and each worker also watches the
  rendering process.
* ``dask``: a :class:`dask.distributed.Client` on ``scheduler`` (an address
  such as ``tcp://10.0.0.5:8786``), or on a fresh ``LocalCluster`` of
  ``workers`` single-threaded processes when no address is given. Warm
  kernels live in the dask worker processes.
"""
from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
from collections import deque
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Iterable, Iterator

from ntm_analysis import atomic
from ntm_analysis.render import lifeline
from ntm_analysis.render.execute import RenderResult, execute_job
from ntm_analysis.render.jobs import Job
from ntm_analysis.render.warm import ORIGIN_ENV

EXECUTORS = ("local", "dask")
#: How often a job may be in flight when its worker process dies before it is reported failed.
CRASH_ATTEMPTS = 2


def _crashed(job: Job, exc: BaseException, attempts: int = 1) -> RenderResult:
    return RenderResult(key=job.key, status="failed", seconds=0.0, fingerprint=job.fingerprint,
                        error={"type": type(exc).__name__,
                               "message": f"the worker process died while rendering this report "
                                          f"({attempts} attempt{'s' if attempts > 1 else ''}): {exc!r}"},
                        metadata=job.metadata, name=job.name)


#: Imported once by the fork server (see :mod:`.worker_imports`).
FORKSERVER_PRELOAD = ["ntm_analysis.render.forkserver_init", "__main__", "ntm_analysis.render.worker_imports"]


def _context():
    methods = multiprocessing.get_all_start_methods()
    if "forkserver" not in methods:
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(FORKSERVER_PRELOAD)  # takes effect when the fork server starts (once per process)
    return ctx


def prestart(executor) -> None:
    """Start the fork server of the local executor now, if it is not running: it imports papermill and nbconvert
    and builds the HTML exporter (seconds) while the caller plans the jobs, instead of after. Nothing for dask or
    another executor object, or where the start method is not forkserver."""
    if not (executor == "local" or isinstance(executor, LocalExecutor)):
        return
    ctx = _context()
    if ctx.get_start_method() == "forkserver":
        from multiprocessing import forkserver  # noqa: PLC0415

        forkserver.ensure_running()


def _on_sigterm(signum, frame):  # noqa: ARG001
    lifeline.on_stop_signal(signum)  # SystemExit now, or at the end of a write phase


def _worker_init(origin: str) -> None:
    """Workers leave Ctrl-C to the parent, turn SIGTERM into a clean exit (finally blocks run) and stop when the
    rendering process ``origin`` is gone (parent-death signal from the fork server, and a watchdog thread)."""
    os.environ[ORIGIN_ENV] = origin  # their kernels carry the pid of the rendering process
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _on_sigterm)
    lifeline.set_parent_death_signal(signal.SIGTERM)
    if origin.isdigit():
        lifeline.start_watchdog(int(origin))


def _stop_pool(pool: ProcessPoolExecutor) -> None:
    """Cancel queued work and stop the workers now (SIGTERM: they clean up and exit)."""
    procs = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in procs:
        if proc.is_alive():
            proc.terminate()
    for proc in procs:
        proc.join(timeout=15)
        if proc.is_alive():
            proc.kill()
            proc.join(timeout=5)


def _sweep_after_crash(worker_pids: set[int], jobs: list[Job]) -> None:
    """What a killed worker could not clean up: its kernels' socket folders, and the temporary files of the
    jobs it may have been writing (they are retried or reported failed; finished files are never touched)."""
    import glob  # noqa: PLC0415
    import shutil  # noqa: PLC0415
    import tempfile  # noqa: PLC0415
    from pathlib import Path  # noqa: PLC0415

    from ntm_analysis.render.warm import sock_prefix  # noqa: PLC0415

    for pid in worker_pids:
        for folder in glob.glob(os.path.join(tempfile.gettempdir(), glob.escape(sock_prefix(pid)) + "*")):
            shutil.rmtree(folder, ignore_errors=True)
    for job in jobs:
        targets = [Path(job.executed), Path(job.html)]
        for extra in job.extra:  # the document's own outputs (downloads): files, or folders of files
            targets += [Path(extra), *Path(extra).glob("*")] if Path(extra).is_dir() else [Path(extra)]
        for target in targets:
            for tmp in target.parent.glob(f".{glob.escape(target.name)}.*"):
                if tmp.name.endswith((".tmp", ".tmp.ipynb")):
                    tmp.unlink(missing_ok=True)
        for folder in (Path(e) for e in job.extra):
            if folder.is_dir():
                for tmp in folder.glob(".*"):
                    if tmp.name.endswith((".tmp", ".tmp.ipynb")):
                        tmp.unlink(missing_ok=True)


_RUNNING_DIR: str | None = None


def _worker_init_tracked(origin: str, running_dir: str) -> None:
    global _RUNNING_DIR
    _RUNNING_DIR = running_dir
    _worker_init(origin)


def _execute_tracked(job: Job) -> RenderResult:
    """:func:`execute_job`, leaving a marker ``<running dir>/<pid>`` (the job's key) while it runs: a worker that is
    killed leaves its marker behind, which names the job it was running."""
    marker = os.path.join(_RUNNING_DIR, str(os.getpid())) if _RUNNING_DIR else None
    if marker:
        with open(marker, "w", encoding="utf-8") as fh:
            fh.write(job.key)
    try:
        result = execute_job(job)
    finally:
        if marker:
            try:
                os.unlink(marker)
            except OSError:
                pass
    signum = lifeline.clear_stop()
    if signum is not None:  # stopped while writing: the document is complete; the parent collects it from a file
        if _RUNNING_DIR:
            atomic.write_bytes(os.path.join(_RUNNING_DIR, f"{os.getpid()}{LATE_SUFFIX}"),
                               pickle.dumps((job.key, result)))
        raise SystemExit(128 + signum)
    return result


#: A result handed over by a worker stopped while it wrote a document's files: ``<running dir>/<pid>.result``.
LATE_SUFFIX = ".result"


def late_results(running_dir: str | None) -> dict[str, RenderResult]:
    """Results of the documents that workers finished writing while being stopped, by job key (files removed)."""
    out: dict[str, RenderResult] = {}
    if not running_dir or not os.path.isdir(running_dir):
        return out
    for name in os.listdir(running_dir):
        if name.endswith(LATE_SUFFIX) and not name.startswith("."):
            path = os.path.join(running_dir, name)
            try:
                with open(path, "rb") as fh:
                    key, result = pickle.load(fh)
                out[key] = result
            except (OSError, ValueError, pickle.UnpicklingError, EOFError):
                pass
            try:
                os.unlink(path)
            except OSError:
                pass
    return out


def _culprits(running_dir: str) -> set[str]:
    """Keys of the jobs whose worker died without cleaning up (markers left behind); the markers are removed."""
    keys = set()
    for name in os.listdir(running_dir):
        if not name.isdigit():  # a marker is named by the worker's pid
            continue
        path = os.path.join(running_dir, name)
        try:
            with open(path, encoding="utf-8") as fh:
                keys.add(fh.read().strip())
            os.unlink(path)
        except OSError:
            pass
    return keys


class LocalExecutor:
    """A pool of local worker processes, each keeping a warm kernel across its jobs and across ``run()`` calls.

    Use it as a context manager (or call :meth:`close`): closing stops the workers, which shut their kernels
    down. Worker processes start on demand, up to ``workers``. A pool broken by a killed worker is replaced.
    """

    def __init__(self, workers: int | None = None):
        self.workers = max(1, workers or os.cpu_count() or 1)
        self._pool: ProcessPoolExecutor | None = None
        self._running_dir: str | None = None

    def __enter__(self) -> "LocalExecutor":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _get_pool(self) -> ProcessPoolExecutor:
        import tempfile  # noqa: PLC0415

        if self._running_dir is None:
            self._running_dir = tempfile.mkdtemp(prefix="ntm-running-")
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=_context(),
                                             initializer=_worker_init_tracked,
                                             initargs=(os.environ.get(ORIGIN_ENV, str(os.getpid())),
                                                       self._running_dir))
        return self._pool

    def close(self) -> None:
        """Stop the workers (they exit cleanly and shut their kernels down) and remove the pool's markers."""
        import shutil  # noqa: PLC0415

        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True)
        if self._running_dir is not None:
            shutil.rmtree(self._running_dir, ignore_errors=True)
            self._running_dir = None

    def run(self, jobs: Iterable[Job], on_late=None) -> Iterator[tuple[Job, RenderResult]]:
        """Run ``jobs``, at most one per worker in flight, yielding results as they finish; survive worker deaths.

        When a worker dies, every job in flight fails with BrokenProcessPool; the job whose worker died (named by
        its marker) counts a crash and the others are simply run again on a fresh pool (unless a worker finished
        writing it while being stopped: that result is yielded). When the batch is stopped (Ctrl-C, SIGTERM, the
        consumer closing the generator), ``on_late(job, result)`` is called for each document a stopped worker
        finished writing, before the exception propagates.
        """
        queue = deque(jobs)
        crashes: dict[str, int] = {}
        while queue:
            pool = self._get_pool()
            n = self.workers
            running: dict = {}
            broken, broken_exc = False, None
            pids: set[int] = set()
            in_flight_at_crash: list[Job] = []
            try:
                while queue or running:
                    while queue and len(running) < n and not broken:
                        job = queue.popleft()
                        try:
                            running[pool.submit(_execute_tracked, job)] = job
                            pids.update(getattr(pool, "_processes", None) or {})
                        except BrokenProcessPool:
                            queue.appendleft(job)
                            broken = True
                    if not running:
                        break
                    done, _ = wait(running, return_when=FIRST_COMPLETED)
                    for fut in done:
                        job = running.pop(fut)
                        try:
                            yield job, fut.result()
                        except BrokenProcessPool as exc:
                            broken, broken_exc = True, exc
                            in_flight_at_crash.append(job)
                        except Exception as exc:  # noqa: BLE001 (anything else a worker can throw)
                            yield job, _crashed(job, exc)
                    if broken and not running:
                        break
            except BaseException:
                self._pool = None
                _stop_pool(pool)  # Ctrl-C or the consumer stopped: nothing keeps running behind us
                late = late_results(self._running_dir)
                if on_late is not None:
                    for job in running.values():
                        if job.key in late:
                            on_late(job, late[job.key])
                raise
            if broken:
                self._pool = None
                pool.shutdown(wait=True)  # the other workers have exited (cleanly) by now
                culprits = _culprits(self._running_dir)
                late = late_results(self._running_dir)
                _sweep_after_crash(pids, [j for j in in_flight_at_crash if j.key not in late])
                retry = []
                for job in in_flight_at_crash:
                    if job.key in late:  # written in full while its worker was being stopped
                        yield job, late[job.key]
                        continue
                    if job.key in culprits or not culprits:  # unknown culprit: every job in flight counts
                        crashes[job.key] = crashes.get(job.key, 0) + 1
                    if crashes.get(job.key, 0) >= CRASH_ATTEMPTS:
                        yield job, _crashed(job, broken_exc, crashes[job.key])
                    else:
                        retry.append(job)
                queue.extendleft(reversed(retry))  # retried first, on a fresh pool


def run_local(jobs: list[Job], workers: int, on_late=None) -> Iterator[tuple[Job, RenderResult]]:
    """Run ``jobs`` on a pool of ``workers`` processes made for them and closed at the end (``on_late``: see
    :meth:`LocalExecutor.run`)."""
    if not jobs:
        return
    with LocalExecutor(min(workers, len(jobs))) as pool:
        yield from pool.run(jobs, on_late=on_late)


def run_dask(jobs: list[Job], workers: int, scheduler: str | None = None) -> Iterator[tuple[Job, RenderResult]]:
    """Run ``jobs`` on a dask.distributed cluster (``scheduler`` address, or a local cluster)."""
    if not jobs:
        return
    try:
        from dask.distributed import Client, LocalCluster  # noqa: PLC0415
        from dask.distributed import as_completed as dask_completed  # noqa: PLC0415
    except ImportError as exc:
        raise RuntimeError("--executor dask needs dask.distributed: pip install 'dask[distributed]'") from exc
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=max(1, min(workers, len(jobs))), threads_per_worker=1, processes=True,
                               dashboard_address=None)
        client = Client(cluster)
    try:
        futures = {client.submit(execute_job, job, pure=False, key=f"ntm-render-{job.key.replace('/', '-')}-"
                                 f"{job.fingerprint[:12]}-{os.getpid()}"): job for job in jobs}
        for fut in dask_completed(list(futures)):
            job = futures[fut]
            try:
                yield job, fut.result()
            except Exception as exc:  # noqa: BLE001
                yield job, _crashed(job, exc)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def run_jobs(jobs: Iterable[Job], executor="local", workers: int | None = None,
             scheduler: str | None = None, on_late=None) -> Iterator[tuple[Job, RenderResult]]:
    """Run ``jobs`` with the named executor, or an executor object (anything with ``run(jobs)``), yielding results
    as they complete. ``on_late(job, result)``: documents finished by local workers while the batch was being
    stopped (see :meth:`LocalExecutor.run`)."""
    jobs = list(jobs)
    if not isinstance(executor, str):
        if not callable(getattr(executor, "run", None)):
            raise TypeError(f"executor must be one of {', '.join(EXECUTORS)} or an object with run(jobs), "
                            f"got {executor!r}")
        if isinstance(executor, LocalExecutor):
            return executor.run(jobs, on_late=on_late)
        return executor.run(jobs)
    workers = workers or os.cpu_count() or 1
    if executor == "local":
        return run_local(jobs, workers, on_late)
    if executor == "dask":
        return run_dask(jobs, workers, scheduler)
    raise ValueError(f"executor must be one of {', '.join(EXECUTORS)}, got {executor!r}")
