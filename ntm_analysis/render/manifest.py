"""The incremental-render cache: ``<output>/manifest.json``.

One entry per document (keyed by its parameters' ``key``, e.g. ``"2008/10"`` or
``"site/national_overview"``) records its kind of document, the fingerprint of
its inputs (see :mod:`.jobs`), its status, its outputs, its row of the index
and the summary the index shows and, for a failure, the failing cell and
message. A document is skipped when its last render succeeded with the same
fingerprint and its outputs still exist. The file is written atomically.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from ntm_analysis import atomic
from ntm_analysis.render.execute import RenderResult
from ntm_analysis.render.jobs import Job

MANIFEST_NAME = "manifest.json"
FORMAT = 1


class Manifest:
    """Render records of one output folder (load, query, update, save)."""

    def __init__(self, output: str | os.PathLike, entries: dict[str, dict] | None = None):
        self.output = Path(output)
        self.entries: dict[str, dict] = entries or {}

    @property
    def path(self) -> Path:
        return self.output / MANIFEST_NAME

    @classmethod
    def load(cls, output: str | os.PathLike) -> "Manifest":
        """The manifest of ``output`` (empty when missing; a corrupt file is an error naming it)."""
        path = Path(output) / MANIFEST_NAME
        if not path.exists():
            return cls(output)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ValueError(f"{path}: not a readable render manifest ({exc}); delete it or render with --force") \
                from None
        if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("entries"), dict):
            raise ValueError(f"{path}: expected a render manifest of format {FORMAT}; delete it or use --force")
        return cls(output, data["entries"])

    def up_to_date(self, job: Job) -> bool:
        """True when ``job`` rendered successfully with the same inputs and its outputs still exist."""
        e = self.entries.get(job.key)
        return (e is not None and e.get("status") == "ok" and e.get("fingerprint") == job.fingerprint
                and Path(job.html).exists() and Path(job.executed).exists())

    def record(self, job: Job, result: RenderResult, rendered_at: str) -> None:
        """Store the outcome of ``job``."""
        rel = lambda p: os.path.relpath(p, self.output) if p else None  # noqa: E731
        self.entries[job.key] = {
            "status": result.status, "fingerprint": result.fingerprint or job.fingerprint,
            "inputs": job.inputs, "rendered_at": rendered_at, "seconds": round(result.seconds, 2),
            "html": rel(result.html), "notebook": rel(result.executed), "html_bytes": result.html_bytes,
            "summary": result.summary, "error": result.error, "metadata": result.metadata,
            "worker": result.worker, "document": job.spec.name, "index": job.index,
        }

    def refresh(self, job: Job) -> None:
        """Keep a skipped document's index row and metadata as its spec describes them now."""
        e = self.entries.get(job.key)
        if e is not None:
            e.update(document=job.spec.name, index=job.index, metadata=job.metadata)

    def save(self) -> None:
        atomic.write_json(self.path, {"format": FORMAT, "entries": dict(sorted(self.entries.items()))})
