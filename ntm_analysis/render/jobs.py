"""Render jobs: what to render, where the outputs go, and the fingerprint of the inputs.

Output layout under the output folder (default ``outputs/``)::

    index.html                    every province rendered, key figures, status, failures
    manifest.json                 the incremental-render cache (see manifest.py)
    reports/<slug>.html           2008 geography (63 provinces)
    notebooks/<slug>.ipynb
    2025/reports/<slug>.html      2025 geography (34 provinces): a folder of its own,
    2025/notebooks/<slug>.ipynb   since slugs repeat across vintages ("lao-cai")
    [2025/]downloads/<slug>.xlsx  the report's tables: one workbook (a sheet per table and notes),
    [2025/]downloads/<slug>/*.csv and one CSV per table (see ntm_analysis.report.downloads)

A job's fingerprint covers everything a report depends on: the notebook, the
parameters, the checksums of the data files the report reads
(:data:`ntm_analysis.report.content.DATA_FILES`), the package version and the package's
source code. Unchanged fingerprint + a previous success = nothing to do.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ntm_analysis import __version__, paths
from ntm_analysis.report.params import ReportParams

DEFAULT_NOTEBOOK = paths.PROJECT_DIR / "notebooks" / "province_report.ipynb"
DEFAULT_OUTPUT = paths.PROJECT_DIR / "outputs"
#: Bump when the renderer's output changes in a way the fingerprint cannot see.
RENDER_VERSION = "1"


def vintage_dir(output: str | os.PathLike, vintage: int) -> Path:
    """The folder holding one vintage's ``reports/`` and ``notebooks/``."""
    return Path(output) if int(vintage) == 2008 else Path(output) / str(vintage)


@dataclass(frozen=True)
class Job:
    """One report to render (picklable: it crosses process and dask-worker boundaries)."""

    params: ReportParams
    notebook: str
    output: str
    html: str
    executed: str
    timeout: int | None
    fingerprint: str
    inputs: dict = field(default_factory=dict, compare=False)
    #: "warm" (the worker's warm kernel, default) or "cold" (a fresh kernel per report).
    kernel: str = "warm"
    #: Folder of the report's downloads (``<vintage dir>/downloads``): ``<slug>.xlsx`` and ``<slug>/*.csv``.
    downloads: str = ""

    @property
    def key(self) -> str:
        return self.params.key

    @property
    def name(self) -> str:
        return self.params.place.name_short


def sha256_file(path: str | os.PathLike) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@lru_cache(maxsize=1)
def package_fingerprint() -> str:
    """SHA-256 over the package's Python sources and report template (code that shapes a report)."""
    h = hashlib.sha256()
    for f in sorted(paths.PACKAGE_DIR.rglob("*")):
        if f.suffix in (".py", ".j2", ".json", ".yml") and "__pycache__" not in f.parts:
            h.update(str(f.relative_to(paths.PACKAGE_DIR)).encode())
            h.update(f.read_bytes())
    return h.hexdigest()


def data_checksums(data_dir: str | None, files: list[str] | None = None) -> dict[str, str]:
    """Checksums of the data files a report reads, under ``data_dir`` (default data folder if None).

    ``files`` (paths relative to the data folder) defaults to :data:`ntm_analysis.report.content.DATA_FILES`; a re-render
    passes the list its manifest recorded, which saves importing the report module (and pandas) just to name them.
    """
    if files is None:
        from ntm_analysis.report.context import DATA_FILES  # noqa: PLC0415 (imports pandas; keep the CLI start light)

        files = DATA_FILES
    base = paths.data_dir(data_dir)
    return {f: sha256_file(base / f) for f in files}


def recorded_data_files(entries: dict, data_dir: str | None) -> list[str] | None:
    """The data files a previous render with the same package code recorded for ``data_dir`` (None if none)."""
    for e in (entries or {}).values():
        inp = e.get("inputs") or {}
        if (inp.get("package_sha256") == package_fingerprint() and (inp.get("parameters") or {}).get("data_dir")
                == data_dir and isinstance(inp.get("data"), dict) and inp["data"]):
            return sorted(inp["data"])
    return None


def _fingerprint(inputs: dict) -> str:
    """SHA-256 of a job's inputs; whole-file checksums (``data``) are recorded but not keyed on:
    the report's ``data_digest`` covers what it reads (see :mod:`.inputs`)."""
    keyed = {k: v for k, v in inputs.items() if k != "data"}
    return hashlib.sha256(json.dumps(keyed, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def make_job(params: ReportParams, output: str | os.PathLike = DEFAULT_OUTPUT,
             notebook: str | os.PathLike = DEFAULT_NOTEBOOK, timeout: int | None = 600,
             _checksum_memo: dict | None = None, kernel: str = "warm", data_digest: str | None = None) -> Job:
    """A job for validated ``params``: output paths and the fingerprint of every input.

    ``data_digest`` is the report's input digest (:func:`.inputs.input_digests`), computed here when
    not given.
    """
    params = params.validate()
    place = params.place
    base = vintage_dir(output, params.vintage)
    memo = _checksum_memo if _checksum_memo is not None else {}
    if params.data_dir not in memo:
        memo[params.data_dir] = data_checksums(params.data_dir)
    if data_digest is None:
        from ntm_analysis.report.inputs import input_digests  # noqa: PLC0415

        data_digest = input_digests([params], params.data_dir)[params.key]
    inputs = {
        "notebook_sha256": sha256_file(notebook),
        "parameters": params.to_notebook_parameters(),
        "data": memo[params.data_dir],
        "data_digest": data_digest,
        "package_version": __version__,
        "package_sha256": package_fingerprint(),
        "render_version": RENDER_VERSION,
    }
    return Job(params=params, notebook=str(notebook), output=str(output),
               html=str(base / "reports" / f"{params.stem}.html"),
               executed=str(base / "notebooks" / f"{params.stem}.ipynb"),
               timeout=timeout, fingerprint=_fingerprint(inputs), inputs=inputs, kernel=kernel,
               downloads=str(base / "downloads"))


def known_digests(params: list[ReportParams], entries: dict, checksum_memo: dict) -> dict[str, str]:
    """Input digests that a previous render recorded and that still hold: same data files (by checksum),
    same parameters, same package code. The rest must be computed (:func:`.inputs.input_digests`)."""
    out = {}
    for p in params:
        e = (entries or {}).get(p.key) or {}
        inp = e.get("inputs") or {}
        if (inp.get("data_digest") and inp.get("data") == checksum_memo.get(p.data_dir)
                and inp.get("parameters") == p.to_notebook_parameters()
                and inp.get("package_sha256") == package_fingerprint()):
            out[p.key] = inp["data_digest"]
    return out
