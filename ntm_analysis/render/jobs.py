"""Render jobs: one document with one parameter set, where its outputs go, and the fingerprint of its inputs.

The layout of the outputs is the document's (:attr:`.spec.DocumentSpec.layout`); the engine only adds, under the
output folder (default ``outputs/``), ``index.html`` (see :mod:`.index`) and ``manifest.json`` (:mod:`.manifest`).

A job's fingerprint covers everything a document depends on: the notebook, the parameters, the title, the
document's input digest (:attr:`~.spec.DocumentSpec.input_digests`; by default the whole-file checksums of the
data files it declares), the package version and the package's source code. Unchanged fingerprint + a previous
success = nothing to do.
"""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ntm_analysis import __version__, paths
from ntm_analysis.render.spec import DocumentSpec, Layout, as_layout, as_spec, spec_for

DEFAULT_OUTPUT = paths.PROJECT_DIR / "outputs"
#: Bump when the renderer's output changes in a way the fingerprint cannot see.
RENDER_VERSION = "2"


@dataclass(frozen=True)
class Job:
    """One document to render (picklable: it crosses process and dask-worker boundaries)."""

    spec: DocumentSpec
    params: Any
    notebook: str
    output: str
    html: str
    executed: str
    timeout: int | None
    fingerprint: str
    inputs: dict = field(default_factory=dict, compare=False)
    #: "warm" (the worker's warm kernel, default) or "cold" (a fresh kernel per report).
    kernel: str = "warm"
    #: Folder of the document's downloads ("" when it has none).
    downloads: str = ""
    #: Further outputs ``after_run`` writes (a killed worker's temporary files there are swept).
    extra: tuple = ()
    title: str = ""
    html_lang: str = "en"
    metadata: dict = field(default_factory=dict, compare=False)
    #: The document's row of the index (see :attr:`.spec.DocumentSpec.index_row`).
    index: dict = field(default_factory=dict, compare=False)

    @property
    def key(self) -> str:
        return self.params.key

    @property
    def name(self) -> str:
        return self.index.get("name") or self.key


def sha256_file(path: str | os.PathLike) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@lru_cache(maxsize=1)
def package_fingerprint() -> str:
    """SHA-256 over the package's Python sources, templates and data descriptions (code that shapes a document)."""
    h = hashlib.sha256()
    for f in sorted(paths.PACKAGE_DIR.rglob("*")):
        if f.suffix in (".py", ".j2", ".json", ".yml", ".yaml") and "__pycache__" not in f.parts:
            h.update(str(f.relative_to(paths.PACKAGE_DIR)).encode())
            h.update(f.read_bytes())
    return h.hexdigest()


def data_checksums(spec: DocumentSpec, data_dir: str | None, files: list[str] | None = None) -> dict[str, str]:
    """Checksums of the data files a document reads, under ``data_dir`` (the default data folder if None).

    ``files`` (relative to the data folder) defaults to the spec's ``data_files``; a re-render passes the list its
    manifest recorded, which saves importing the document's modules just to name them.
    """
    if files is None:
        files = spec.call("data_files", data_dir) or []
    base = paths.data_dir(data_dir)
    return {f: sha256_file(base / f) for f in files}


def recorded_data_files(entries: dict, spec: DocumentSpec, data_dir: str | None) -> list[str] | None:
    """The data files a previous render of the same document and package code recorded for ``data_dir``."""
    for e in (entries or {}).values():
        inp = e.get("inputs") or {}
        if (inp.get("document") == spec.name and inp.get("package_sha256") == package_fingerprint()
                and (inp.get("parameters") or {}).get("data_dir") == data_dir and isinstance(inp.get("data"), dict)
                and inp["data"]):
            return sorted(inp["data"])
    return None


def whole_file_digest(checksums: dict[str, str]) -> str:
    """The input digest of a document without its own: the checksums of every data file it declares."""
    return "files:" + hashlib.sha256(json.dumps(sorted(checksums.items())).encode()).hexdigest()


def _fingerprint(inputs: dict) -> str:
    """SHA-256 of a job's inputs; whole-file checksums (``data``) are recorded but not keyed on:
    the document's ``data_digest`` covers what it reads."""
    keyed = {k: v for k, v in inputs.items() if k != "data"}
    return hashlib.sha256(json.dumps(keyed, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def make_job(params, output: str | os.PathLike = DEFAULT_OUTPUT, notebook: str | os.PathLike | None = None,
             timeout: int | None = 600, _checksum_memo: dict | None = None, kernel: str = "warm",
             data_digest: str | None = None, spec: DocumentSpec | None = None) -> Job:
    """A job for ``params`` (validated here): output paths and the fingerprint of every input.

    ``spec`` defaults to the parameters' own document (:func:`.spec.spec_for`); ``notebook`` to the spec's.
    ``data_digest`` is the document's input digest, computed here when not given.
    """
    params = params.validate()
    spec = as_spec(spec) if spec is not None else spec_for(params)
    notebook = str(notebook or spec.notebook)
    memo = _checksum_memo if _checksum_memo is not None else {}
    mkey = (spec.name, params.data_dir)
    if mkey not in memo:
        memo[mkey] = data_checksums(spec, params.data_dir)
    if data_digest is None:
        digests = spec.call("input_digests", [params], params.data_dir)
        data_digest = digests[params.key] if digests is not None else whole_file_digest(memo[mkey])
    layout: Layout = as_layout(spec.call("layout", params, str(output)))
    title = spec.call("title", params)
    inputs = {
        "document": spec.name,
        "document_version": spec.version,
        "notebook_sha256": sha256_file(notebook),
        "parameters": params.to_notebook_parameters(),
        "show_code": bool(params.show_code),
        "title": title,
        "data": memo[mkey],
        "data_digest": data_digest,
        "package_version": __version__,
        "package_sha256": package_fingerprint(),
        "render_version": RENDER_VERSION,
    }
    return Job(spec=spec, params=params, notebook=notebook, output=str(output), html=layout.html,
               executed=layout.executed, timeout=timeout, fingerprint=_fingerprint(inputs), inputs=inputs,
               kernel=kernel, downloads=layout.downloads, extra=tuple(layout.extra), title=title,
               html_lang=spec.call("html_lang", params) or "en", metadata=params.metadata(),
               index=spec.call("index_row", params) or {})


def known_digests(spec: DocumentSpec, params: list, entries: dict, checksum_memo: dict) -> dict[str, str]:
    """Input digests that a previous render recorded and that still hold: same document, same data files (by
    checksum), same parameters, same package code. The rest must be computed."""
    out = {}
    for p in params:
        e = (entries or {}).get(p.key) or {}
        inp = e.get("inputs") or {}
        if (inp.get("data_digest") and inp.get("document") == spec.name
                and inp.get("data") == checksum_memo.get((spec.name, p.data_dir))
                and inp.get("parameters") == p.to_notebook_parameters()
                and inp.get("package_sha256") == package_fingerprint()):
            out[p.key] = inp["data_digest"]
    return out
