"""Slow, self-contained test work started in the background as soon as collection ends, so that it runs while the
tests before the one that needs it run; that test then waits for the result and asserts on it exactly as before.

A job is a function of one argument (a :class:`Job`) that runs in a thread of the test process and does its work in
subprocesses only, through :meth:`Job.run`: those are started under ``nice`` (the foreground tests get the CPU
first; a background process only uses what they leave idle), in their own process group, with the environment of
the moment collection ended (a test's ``monkeypatch.setenv`` never reaches them), and killed with their children
when the session ends. Whatever else a job needs from the test process (a data folder, a parameter) is fixed at
import time, before any test runs. Declare a job in a test module with the names of the tests that wait for it::

    @background.job("test_large_csv_is_read_streamed_with_bounded_memory")
    def large_csv(job):
        return json.loads(job.run([sys.executable, "-c", CODE]).stdout)

    def test_large_csv_is_read_streamed_with_bounded_memory():
        res = large_csv.result()   # waits (starts it now if it was not started); re-raises the job's error

``tests/conftest.py`` runs the tests that wait for a job after all the others (:func:`last`), and queues, when
collection ends, every job one of whose tests is selected (``-k``, ``-m`` and
explicit test ids included; nothing under ``--collect-only``), in the order their first tests will run, and stops
them all when the session ends. The queue is served by :data:`LANES` threads (one fewer than the CPUs: the
foreground keeps one), so the job needed first finishes first; a test whose job is still queued starts it at once.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path

#: Niceness of the background processes: they yield the CPU to the foreground tests.
NICE = 10
#: How long a test waits for its job (seconds); a job's own subprocess timeouts are shorter.
WAIT = 1200

#: How many jobs run at the same time: the CPUs the foreground tests leave.
LANES = max(1, (os.cpu_count() or 1) - 1)

JOBS: list["Job"] = []


class BackgroundJobError(RuntimeError):
    """A background subprocess failed (the message has its command, exit code and the end of its stderr)."""


class Job:
    """One background job: ``result()`` waits for its value; ``tmp`` is its private folder (removed at the end)."""

    def __init__(self, fn, module_file: str, tests: tuple[str, ...]):
        self.fn, self.module_file, self.tests = fn, str(Path(module_file).resolve()), set(tests)
        self.name = fn.__name__
        self.tmp: Path | None = None
        self.env: dict[str, str] | None = None
        self._thread: threading.Thread | None = None
        self._value = self._error = None
        self._procs: list[subprocess.Popen] = []
        self._lock = threading.Lock()
        self._stopped = False

    # -- lifetime (called by tests/conftest.py) -----------------------------------------------------------------
    def waited_for_by(self, item) -> bool:
        """Whether the test item ``item`` waits for this job."""
        return str(Path(item.path).resolve()) == self.module_file and \
            getattr(item, "originalname", item.name) in self.tests

    def first_wanted(self, items) -> int | None:
        """The position of the first selected test item that waits for this job (None: no selected test does)."""
        return next((i for i, item in enumerate(items) if self.waited_for_by(item)), None)

    def start(self) -> None:
        with self._lock:
            if self._thread is not None or self._stopped:
                return
            self.tmp = Path(tempfile.mkdtemp(prefix=f"ntm-bg-{self.name}-"))
            if self.env is None:  # normally set by start_for, in the main thread, before any test ran
                self.env = dict(os.environ)
            self._thread = threading.Thread(target=self._main, name=f"background-{self.name}", daemon=True)
            self._thread.start()

    def _main(self) -> None:
        try:
            self._value = self.fn(self)
        except BaseException as exc:  # noqa: BLE001  (re-raised in the test that waits)
            self._error = exc

    def wait(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def result(self, timeout: float = WAIT):
        """The job's return value, once it has finished; its exception re-raised if it failed."""
        self.start()
        if self._thread is None:
            raise BackgroundJobError(f"background job {self.name}: the session is ending")
        self._thread.join(timeout)
        if self._thread.is_alive():
            raise TimeoutError(f"background job {self.name} did not finish within {timeout:.0f} s")
        if self._error is not None:
            raise self._error
        return self._value

    def stop(self) -> None:
        """Kill the job's running subprocesses (and their process groups), wait for it, remove its folder."""
        with self._lock:
            self._stopped = True
            procs = list(self._procs)
        for proc in procs:
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
        if self._thread is not None:
            self._thread.join(30)
        if self.tmp is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)

    # -- what a job calls ---------------------------------------------------------------------------------------
    def run(self, args: list[str], *, timeout: float = 900, check: bool = True,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        """Run ``args`` niced, in its own process group, output captured (text); with ``check`` a non-zero exit
        raises :class:`BackgroundJobError`."""
        nice = shutil.which("nice")
        cmd = [nice, "-n", str(NICE), *args] if nice else list(args)
        with self._lock:
            if self._stopped:
                raise BackgroundJobError(f"{self.name}: the session is ending")
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                    env=self.env if env is None else env, start_new_session=True)
            self._procs.append(proc)
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise BackgroundJobError(f"{self.name}: {args[:3]} did not finish within {timeout:.0f} s") from None
        done = subprocess.CompletedProcess(args, proc.returncode, out, err)
        if check and proc.returncode != 0:
            raise BackgroundJobError(f"{self.name}: {args[:3]}... exited with {proc.returncode}:\n{err[-3000:]}")
        return done


def job(*tests: str):
    """Declare a background job of the calling test module, waited for by the tests named ``tests``."""
    def register(fn) -> Job:
        j = Job(fn, fn.__globals__["__file__"], tests)
        JOBS.append(j)
        return j

    return register


def waits(item) -> bool:
    """Whether the test item ``item`` waits for a background job."""
    return any(j.waited_for_by(item) for j in JOBS)


def last(items: list) -> list:
    """``items`` with the tests that wait for a background job moved to the end (each group in its order): their
    jobs then have the whole session to run."""
    return [i for i in items if not waits(i)] + [i for i in items if waits(i)]


def start_for(items) -> list[Job]:
    """Queue every job one of whose tests is among ``items`` (in the order of their first such test) and start
    :data:`LANES` threads that run the queue; the jobs queued."""
    wanted = sorted((i, n, j) for n, j in enumerate(JOBS) if (i := j.first_wanted(items)) is not None)
    queue = [j for _, _, j in wanted]
    for j in queue:
        j.env = dict(os.environ)  # now, in the main thread, before any test changes it
    lock = threading.Lock()

    def lane():
        while True:
            with lock:
                if not queue:
                    return
                j = queue.pop(0)
            j.start()  # a no-op when its test got there first
            j.wait()

    for k in range(min(LANES, len(queue))):
        threading.Thread(target=lane, name=f"background-lane-{k}", daemon=True).start()
    return [j for _, _, j in wanted]


def stop_all() -> None:
    for j in JOBS:
        j.stop()
