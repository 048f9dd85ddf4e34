"""Render per-province reports: papermill execution, self-contained HTML, incremental cache, index page.

``ntm render`` (see :mod:`.cli`) drives :func:`render`. Modules:

* :mod:`.jobs` — output layout and the fingerprint of a report's inputs
* :mod:`.execute` — run one notebook (own kernel, IPC transport) and export HTML (worker side)
* :mod:`.executors` — local process pool or dask.distributed
* :mod:`.manifest` — the incremental cache ``outputs/manifest.json``
* :mod:`.index` — ``outputs/index.html``
* :mod:`.atomic` — atomic file writes
"""
from __future__ import annotations

from ntm_analysis.render.run import RenderSummary, plan, render  # noqa: F401
