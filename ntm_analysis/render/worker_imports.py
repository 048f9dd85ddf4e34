"""Imported once by the fork server of the local executor, before it forks any render worker: every worker (a
new pool, a worker replacing a killed one) then starts with papermill, nbconvert and the engine already loaded,
and with the HTML exporter built and its template compiled (:func:`warm_exporter`).

A worker runs papermill, nbconvert and the document's ``after_run``; the notebook's own imports (pandas,
matplotlib, statsmodels) live in its kernel, another process. So the worker stays lean (:data:`LEAN_IMPORTS`,
:func:`import_without`): papermill is imported without its optional HDFS handler, whose ``pyarrow`` would load
pyarrow and numpy into every worker (about 60 MB of its memory) for a storage the renderer never reads; openpyxl
(what an ``after_run`` writes workbooks with, from the plain values a notebook glued) without its optional numpy
types and PIL images (about 15 MB and a second at a worker's first write). A block lasts only while its module
is imported: a later ``import numpy`` in the worker works as usual (openpyxl then still writes plain values only).

Each import is guarded: a module that fails here is simply imported later by the worker that needs it (which
then reports the error with its job). None of these modules starts a thread when imported.
"""
from __future__ import annotations

import importlib
import sys

MODULES = ("papermill", "nbconvert", "nbclient", "jupyter_client", "ntm_analysis.render.execute")
#: Third-party modules imported without optional dependencies a worker never uses: each module catches their
#: ImportError itself (papermill then reports its HDFS handler unavailable, were a path ever to name HDFS; openpyxl
#: writes no numpy scalars and embeds no images).
LEAN_IMPORTS = {"papermill": ("pyarrow",), "openpyxl": ("numpy", "PIL")}


class _Blocked:
    """A meta-path finder that refuses the packages ``names`` (and their submodules) with an ImportError."""

    def __init__(self, names: tuple[str, ...]):
        self.names = names

    def find_spec(self, name, path=None, target=None):  # noqa: ARG002 (finder protocol)
        if any(name == n or name.startswith(n + ".") for n in self.names):
            raise ImportError(f"{name} is not imported by a render worker (see ntm_analysis.render.worker_imports)")
        return None


def import_without(module: str, blocked: tuple[str, ...]):
    """Import ``module`` while the packages ``blocked`` cannot be imported (each is then left to the module's own
    ``except ImportError``), unless one of them is already loaded. Returns the module."""
    if module in sys.modules or any(b in sys.modules for b in blocked):
        return importlib.import_module(module)
    finder = _Blocked(blocked)
    sys.meta_path.insert(0, finder)
    try:
        return importlib.import_module(module)
    finally:
        sys.meta_path.remove(finder)


def warm_exporter() -> None:
    """Build the HTML exporter (``show_code`` off, the default) and compile its template, by exporting an empty
    notebook once: each forked worker inherits both."""
    import nbformat  # noqa: PLC0415

    from ntm_analysis.render.execute import export_html  # noqa: PLC0415

    export_html(nbformat.v4.new_notebook(), False, "")


def preload() -> None:
    """What the fork server loads (each step guarded, see the module's docstring)."""
    for name, blocked in LEAN_IMPORTS.items():
        try:
            import_without(name, blocked)
        except Exception:  # noqa: BLE001,S110
            pass
    for name in MODULES:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001,S110
            pass
    try:
        warm_exporter()
    except Exception:  # noqa: BLE001,S110
        pass


preload()
