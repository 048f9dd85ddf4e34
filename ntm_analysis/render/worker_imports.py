"""Imported once by the fork server of the local executor, before it forks any render worker: every worker (a
new pool, a worker replacing a killed one) then starts with papermill, nbconvert and the engine already loaded.

Each import is guarded: a module that fails here is simply imported later by the worker that needs it (which
then reports the error with its job). None of these modules starts a thread when imported.
"""
import importlib

MODULES = ("papermill", "nbconvert", "nbclient", "jupyter_client", "ntm_analysis.render.execute")

for _name in MODULES:
    try:
        importlib.import_module(_name)
    except Exception:  # noqa: BLE001,S110 (see the module's docstring)
        pass
