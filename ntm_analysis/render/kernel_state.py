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

Caches that are keyed by the data's checksums stay warm: that is the point
of a warm kernel (a document's ``preload`` fills them). They must hand out
copies, so a report cannot change what the next one reads.

This module imports nothing of the project: what a kernel imports and
preloads comes from the document's spec, by name.
"""
from __future__ import annotations

import copy
import os
import random
import sys
import time
import warnings

#: Modules every warm kernel imports (what :func:`snapshot` and :func:`restore` need); a document's spec adds its
#: own (``DocumentSpec.kernel_imports``): importing them once per kernel is most of a cold start.
WARM_IMPORTS = ("numpy", "matplotlib", "matplotlib.pyplot", "IPython.display")

_SNAPSHOT: dict | None = None


def warm_up(imports: list | tuple = ()) -> dict:
    """Import :data:`WARM_IMPORTS` and ``imports``, then capture the state :func:`restore` puts back.
    Returns timings (s)."""
    import importlib  # noqa: PLC0415

    t0 = time.perf_counter()
    for name in (*WARM_IMPORTS, *imports):
        importlib.import_module(name)
    t1 = time.perf_counter()
    snapshot()
    settle()
    return {"imports": t1 - t0}


def add_imports(imports: list | tuple) -> dict:
    """Import more modules into a warmed-up kernel (a document of another kind arrived): the captured state is put
    back first, then the modules imported and the state captured again. Returns timings (s)."""
    import importlib  # noqa: PLC0415

    _restore_globals()  # (the namespace is left alone: the kernel's caller is running in it)
    t0 = time.perf_counter()
    for name in imports:
        importlib.import_module(name)
    t1 = time.perf_counter()
    snapshot()
    return {"imports": t1 - t0}


def preload(ref: str, data_dir: str | None) -> dict:
    """Run a document's preload function ``"module:function"`` with ``data_dir`` (it loads what every document of
    its kind reads into the in-process caches). Returns timings (s)."""
    import importlib  # noqa: PLC0415

    module, _, attr = ref.partition(":")
    fn = importlib.import_module(module)
    for part in attr.split("."):
        fn = getattr(fn, part)
    t0 = time.perf_counter()
    fn(data_dir)
    settle()
    return {"data_load": time.perf_counter() - t0}


def settle() -> None:
    """Collect what the imports and the preload left as garbage, then move every surviving object (modules, the
    caches a preload filled) out of the garbage collector's reach (:func:`gc.freeze`): they live as long as the
    kernel anyway, and every later full collection, one per report in :func:`restore`, skips them (0.13 s → 0)."""
    import gc  # noqa: PLC0415

    gc.collect()
    gc.freeze()


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


def _restore_globals(cwd: str | None = None) -> None:
    """Put back the captured global state (everything but the user namespace)."""
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


def restore(cwd: str | None = None) -> None:
    """Put the kernel back in the captured state; ``cwd`` is the report's working directory."""
    _restore_globals(cwd)
    try:
        from IPython import get_ipython  # noqa: PLC0415
    except ImportError:  # pragma: no cover (always inside IPython in a kernel)
        return
    shell = get_ipython()
    if shell is not None:
        shell.reset(new_session=True)  # user namespace, Out, and the counter back to In [1]
