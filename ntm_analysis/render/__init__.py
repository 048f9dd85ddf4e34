"""The render engine: notebooks executed with papermill on warm kernels, self-contained HTML, an incremental
cache, an index page. Generic: it renders any document described by a :class:`~.spec.DocumentSpec` and imports
nothing of the project but its own modules and small utilities (paths, atomic writes, text, glue).

Modules:

* :mod:`.spec` — what a kind of document tells the engine (notebook, parameters, layout, digests, preload,
  after_run, index row)
* :mod:`.site` — specs of notebooks with fixed parameters, from a site description (``notebooks/site.yml``)
* :mod:`.jobs` — a job (one document, one parameter set) and the fingerprint of its inputs
* :mod:`.execute` — run one notebook (own kernel, IPC transport) and export HTML (worker side)
* :mod:`.warm`, :mod:`.kernel_state`, :mod:`.engine` — warm kernels, their reset, papermill's ``ntm_warm`` engine
* :mod:`.executors` — local process pool (:class:`~.executors.LocalExecutor`) or dask.distributed
* :mod:`.manifest` — the incremental cache ``outputs/manifest.json``
* :mod:`.index` — ``outputs/index.html``
* :mod:`.cli` — the engine's options of ``ntm render``
"""
from __future__ import annotations

from ntm_analysis.render.run import RenderSummary, plan, render  # noqa: F401
