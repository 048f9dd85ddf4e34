"""Global state of a warm kernel: captured once after warm-up, restored before every report.

This module runs *inside* the Jupyter kernel that :mod:`.warm` keeps alive
between reports. A report must see exactly what a freshly started kernel
would show it, once its imports are done, so :func:`restore` puts back:

* the user namespace and the execution counter (``In [1]`` again), via
  IPython's own ``reset(new_session=True)``; imported modules stay loaded;
* matplotlib: every open figure closed, ``rcParams`` (so the seaborn theme
  too) as captured;
* ``warnings`` filters, ``os.environ``, ``sys.path`` and the working directory;
* the global random states of :mod:`random` and ``numpy.random``.

Caches that are keyed by the data's checksums (``ntm_analysis.data.sources``)
stay warm: that is the point of a warm kernel. They hand out copies, so a
report cannot change what the next one reads.
"""
from __future__ import annotations

import copy
import os
import random
import sys
import time
import warnings

#: Modules a report imports; importing them once per kernel is most of a cold start.
WARM_IMPORTS = ("numpy", "pandas", "scipy.stats", "matplotlib", "matplotlib.pyplot", "seaborn", "statsmodels.api",
                "IPython.display", "ntm_analysis", "ntm_analysis.report.tables", "ntm_analysis.report.figures",
                "ntm_analysis.models")

_SNAPSHOT: dict | None = None


def warm_up() -> dict:
    """Import :data:`WARM_IMPORTS`, then capture the state :func:`restore` puts back. Returns timings (s)."""
    import importlib  # noqa: PLC0415

    t0 = time.perf_counter()
    for name in WARM_IMPORTS:
        importlib.import_module(name)
    t1 = time.perf_counter()
    snapshot()
    return {"imports": t1 - t0}


def preload(data_dir: str | None) -> dict:
    """Load what every report reads from ``data_dir`` into the in-process caches. Returns timings (s)."""
    from ntm_analysis.report.params import ReportParams  # noqa: PLC0415
    from ntm_analysis.report.context import ReportContext  # noqa: PLC0415

    from ntm_analysis.report import results as report_results  # noqa: PLC0415
    from ntm_analysis.analyses.province_model import ModelUnavailable  # noqa: PLC0415
    from ntm_analysis.indicators import MeasureBreakError  # noqa: PLC0415
    from ntm_analysis.report.inputs import input_digest  # noqa: PLC0415

    t0 = time.perf_counter()
    ctx = ReportContext.load(ReportParams(data_dir=data_dir).validate())
    report_results.ranks(ctx)  # every province's ranks, computed once per data version
    input_digest(ctx.params)  # the shared part of every report's input digest
    try:
        report_results.model(ctx)  # the cross-province model, fitted once per data version
    except (ModelUnavailable, MeasureBreakError):
        pass  # each report states why it has no model; nothing to warm up
    return {"data_load": time.perf_counter() - t0}


def snapshot() -> None:
    """Capture the state of a fresh kernel (after imports) for :func:`restore`."""
    global _SNAPSHOT
    import matplotlib as mpl  # noqa: PLC0415
    import numpy as np  # noqa: PLC0415

    _SNAPSHOT = {
        "rcParams": copy.deepcopy(dict(mpl.rcParams)),
        "warnings": list(warnings.filters),
        "environ": dict(os.environ),
        "sys_path": list(sys.path),
        "cwd": os.getcwd(),
        "random": random.getstate(),
        "numpy_random": np.random.get_state(),
    }


def restore(cwd: str | None = None) -> None:
    """Put the kernel back in the captured state; ``cwd`` is the report's working directory."""
    if _SNAPSHOT is None:
        raise RuntimeError("kernel_state.restore() before snapshot(): the kernel was not warmed up")
    import matplotlib as mpl  # noqa: PLC0415
    import matplotlib.pyplot as plt  # noqa: PLC0415
    import numpy as np  # noqa: PLC0415

    s = _SNAPSHOT
    plt.close("all")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # rcParams that matplotlib deprecates warn when set back
        mpl.rcParams.clear()
        mpl.rcParams.update(s["rcParams"])
    warnings.filters[:] = s["warnings"]
    warnings._filters_mutated()  # noqa: SLF001 (invalidate the cached "already warned" registries)
    os.environ.clear()
    os.environ.update(s["environ"])
    sys.path[:] = s["sys_path"]
    os.chdir(cwd or s["cwd"])
    random.setstate(s["random"])
    np.random.set_state(s["numpy_random"])
    try:
        from IPython import get_ipython  # noqa: PLC0415
    except ImportError:  # pragma: no cover (always inside IPython in a kernel)
        return
    shell = get_ipython()
    if shell is not None:
        shell.reset(new_session=True)  # user namespace, Out, and the counter back to In [1]
