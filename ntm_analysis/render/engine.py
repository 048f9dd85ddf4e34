"""``ntm_warm``: a papermill engine that executes notebooks on a worker's warm kernel.

Registered through papermill's own entry point (``papermill.engine`` in
pyproject.toml), so ``papermill.execute_notebook(..., engine_name="ntm_warm")``
works anywhere the package is installed; importing this module also registers
it, for a source checkout that was never installed.

papermill still parameterises the notebook, records cell timings and status in
the notebook's metadata and raises :class:`papermill.PapermillExecutionError`
for a failing cell, exactly as with its default engine; only the kernel differs:
instead of starting one, the engine borrows :func:`.warm.worker_kernel` (or the
``warm_kernel`` passed in), restored to a fresh state first.
"""
from __future__ import annotations

import os

from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import Engine, papermill_engines
from papermill.log import logger
from papermill.utils import merge_kwargs, remove_args

from ntm_analysis.render.warm import WarmKernel, worker_kernel

ENGINE_NAME = "ntm_warm"


class WarmKernelEngine(Engine):
    """Execute a parameterised notebook on a warm kernel (see the module's docstring)."""

    @classmethod
    def execute_managed_notebook(cls, nb_man, kernel_name, log_output=False, stdout_file=None, stderr_file=None,
                                 start_timeout=60, execution_timeout=None, warm_kernel: WarmKernel | None = None,
                                 data_dir: str | None = None, kernel_cwd: str | None = None,
                                 kernel_imports: tuple = (), preload: str | None = None, **kwargs):
        kernel = warm_kernel or worker_kernel()
        kernel.startup_timeout = start_timeout or kernel.startup_timeout
        # papermill keeps its own ``cwd`` argument; the kernel's working directory comes as ``kernel_cwd``
        kernel.prepare(os.path.abspath(kernel_cwd or os.getcwd()), data_dir, imports=kernel_imports, preload=preload)
        kwargs = remove_args(["input_path", "timeout", "startup_timeout", "kernel_manager_class"], **kwargs)
        final = merge_kwargs(kwargs, timeout=execution_timeout, startup_timeout=start_timeout,
                             kernel_name=kernel_name, log=logger, log_output=log_output, stdout_file=stdout_file,
                             stderr_file=stderr_file)
        client = PapermillNotebookClient(nb_man, km=kernel.km, **final)
        kernel.last_nb = nb_man.nb  # the executed notebook, also when a cell fails (papermill then raises)
        try:
            return client.execute()
        finally:
            # nbclient leaves a borrowed kernel running but its own client open: close the client only
            if client.kc is not None:
                try:
                    client.kc.stop_channels()
                except Exception:  # noqa: BLE001
                    pass
                client.kc = None
            kernel.reports += 1


def register() -> None:
    """Register the engine with papermill (idempotent; the entry point does the same once installed)."""
    papermill_engines.register(ENGINE_NAME, WarmKernelEngine)


register()
