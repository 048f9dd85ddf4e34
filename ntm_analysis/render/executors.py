"""Where render jobs run: a local process pool or a dask.distributed cluster.

Both yield ``(job, result)`` pairs as jobs finish. A job that crashes its
worker comes back as a failed result; it never stops the other jobs.

* ``local``: :class:`concurrent.futures.ProcessPoolExecutor` with the
  ``forkserver`` start method (``spawn`` where forkserver is unavailable), so
  no worker inherits a parent's threads, kernels or sockets.
* ``dask``: a :class:`dask.distributed.Client` on ``scheduler`` (an address
  such as ``tcp://10.0.0.5:8786``), or on a fresh ``LocalCluster`` of
  ``workers`` single-threaded processes when no address is given.
"""
from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Iterable, Iterator

from .execute import RenderResult, execute_job
from .jobs import Job

EXECUTORS = ("local", "dask")


def _crashed(job: Job, exc: BaseException) -> RenderResult:
    return RenderResult(key=job.key, status="failed", seconds=0.0, fingerprint=job.fingerprint,
                        error={"type": type(exc).__name__, "message": f"the worker crashed: {exc!r}"},
                        metadata=job.params.metadata())


def _context():
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def run_local(jobs: list[Job], workers: int) -> Iterator[tuple[Job, RenderResult]]:
    """Run ``jobs`` on a pool of ``workers`` processes."""
    if not jobs:
        return
    with ProcessPoolExecutor(max_workers=max(1, min(workers, len(jobs))), mp_context=_context()) as pool:
        futures = {pool.submit(execute_job, job): job for job in jobs}
        for fut in as_completed(futures):
            job = futures[fut]
            try:
                yield job, fut.result()
            except Exception as exc:  # noqa: BLE001 (BrokenProcessPool and the like)
                yield job, _crashed(job, exc)


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


def run_jobs(jobs: Iterable[Job], executor: str = "local", workers: int | None = None,
             scheduler: str | None = None) -> Iterator[tuple[Job, RenderResult]]:
    """Run ``jobs`` with the named executor, yielding results as they complete."""
    jobs = list(jobs)
    workers = workers or os.cpu_count() or 1
    if executor == "local":
        return run_local(jobs, workers)
    if executor == "dask":
        return run_dask(jobs, workers, scheduler)
    raise ValueError(f"executor must be one of {', '.join(EXECUTORS)}, got {executor!r}")
