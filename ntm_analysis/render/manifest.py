"""The incremental-render cache: ``<output>/manifest.json``.

One entry per document (keyed by its parameters' ``key``, e.g. ``"2008/10"`` or
``"site/national_overview"``) records its kind of document, the fingerprint of
its inputs (see :mod:`.jobs`), its status, its outputs, its row of the index
and the summary the index shows and, for a failure, the failing cell and
message, and every file the document wrote (``files``: its HTML, notebook and
downloads). A document is skipped when its last render succeeded with the same
fingerprint and every one of those files still exists. The file is written
atomically, and only when its content changed (a render with nothing to do
writes nothing). A render holds :func:`output_lock` on the output folder for
its whole run: two renders of one folder take turns, never lose each other's
entries.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import json
import os
import time
from pathlib import Path
from typing import Callable

from ntm_analysis import atomic
from ntm_analysis.render.execute import RenderResult
from ntm_analysis.render.jobs import Job

MANIFEST_NAME = "manifest.json"
FORMAT = 1
#: What each field of an entry must be, when present (an entry of another shape makes the manifest unreadable).
_FIELDS = {"status": (str,), "fingerprint": (str,), "inputs": (dict,), "html": (str, type(None)),
           "notebook": (str, type(None)), "files": (list,), "summary": (dict,), "error": (dict, type(None)),
           "metadata": (dict,), "worker": (dict,), "document": (str,), "index": (dict,)}


class ManifestError(ValueError):
    """The manifest of an output folder cannot be used (not JSON, or not of the expected shape)."""

    def __init__(self, path: Path, problem: str):
        self.path, self.problem = Path(path), problem
        super().__init__(f"{path}: {problem}; render with --force to rebuild it (the file is kept as a backup), "
                         "or delete it")


def _check_entries(data) -> dict:
    """The entries of a parsed manifest, or the first problem with its shape (raised as ``TypeError``)."""
    if not isinstance(data, dict):
        raise TypeError(f"expected a JSON object, found {type(data).__name__}")
    if data.get("format") != FORMAT:
        raise TypeError(f"expected a render manifest of format {FORMAT}, found format {data.get('format')!r}")
    entries = data.get("entries")
    if not isinstance(entries, dict):
        raise TypeError(f"'entries' must be an object, found {type(entries).__name__}")
    for key, e in entries.items():
        if not isinstance(e, dict):
            raise TypeError(f"entry {key!r} must be an object, found {type(e).__name__} {str(e)[:60]!r}")
        for name, types in _FIELDS.items():
            if name in e and not isinstance(e[name], types):
                want = " or ".join("null" if t is type(None) else {"str": "a string", "dict": "an object",
                                                                   "list": "a list"}[t.__name__] for t in types)
                raise TypeError(f"entry {key!r}: field {name!r} must be {want}, found {str(e[name])[:60]!r}")
        if not all(isinstance(f, str) for f in e.get("files") or []):
            raise TypeError(f"entry {key!r}: field 'files' must be a list of paths")
    return entries


class Manifest:
    """Render records of one output folder (load, query, update, save)."""

    def __init__(self, output: str | os.PathLike, entries: dict[str, dict] | None = None):
        self.output = Path(output)
        self.entries: dict[str, dict] = entries or {}
        #: The text last read or written (save() writes only a change).
        self._saved: str | None = None
        #: Where a corrupt manifest was moved when it was rebuilt (``load(..., rebuild=True)``), else None.
        self.backup: Path | None = None

    @property
    def path(self) -> Path:
        return self.output / MANIFEST_NAME

    @classmethod
    def load(cls, output: str | os.PathLike, rebuild: bool = False) -> "Manifest":
        """The manifest of ``output`` (empty when missing).

        A file that is not JSON or not of the manifest's shape raises :class:`ManifestError` naming it and the
        problem; with ``rebuild`` it is renamed ``manifest.json.corrupt-<UTC time>`` (kept as a backup, see
        :attr:`backup`) and an empty manifest is returned.
        """
        path = Path(output) / MANIFEST_NAME
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls(output)
        except (OSError, UnicodeDecodeError) as exc:
            problem = f"cannot be read ({exc})"
        else:
            try:
                entries = _check_entries(json.loads(text))
            except ValueError as exc:
                problem = f"not valid JSON ({exc})"
            except TypeError as exc:
                problem = f"not a render manifest: {exc}"
            else:
                manifest = cls(output, entries)
                manifest._saved = text
                return manifest
        if not rebuild:
            raise ManifestError(path, problem)
        backup = path.with_name(f"{MANIFEST_NAME}.corrupt-{dt.datetime.now(dt.timezone.utc):%Y%m%dT%H%M%SZ}")
        os.replace(path, backup)
        manifest = cls(output)
        manifest.backup = backup
        return manifest

    def files(self, key: str) -> list[Path]:
        """Every file the entry ``key`` lists (absolute paths)."""
        e = self.entries.get(key) or {}
        listed = e.get("files")
        if listed is None:  # an entry written before files were listed: its report and notebook
            listed = [f for f in (e.get("html"), e.get("notebook")) if f]
        return [self.output / f for f in listed]

    def up_to_date(self, job: Job) -> bool:
        """True when ``job`` rendered successfully with the same inputs and every file it wrote still exists."""
        e = self.entries.get(job.key)
        return (e is not None and e.get("status") == "ok" and e.get("fingerprint") == job.fingerprint
                and Path(job.html).exists() and Path(job.executed).exists()
                and all(f.is_file() for f in self.files(job.key)))

    def record(self, job: Job, result: RenderResult, rendered_at: str) -> None:
        """Store the outcome of ``job``, with the files it wrote (its HTML, notebook and downloads)."""
        rel = lambda p: os.path.relpath(p, self.output) if p else None  # noqa: E731
        self.entries[job.key] = {
            "status": result.status, "fingerprint": result.fingerprint or job.fingerprint,
            "inputs": job.inputs, "rendered_at": rendered_at, "seconds": round(result.seconds, 2),
            "html": rel(result.html), "notebook": rel(result.executed), "html_bytes": result.html_bytes,
            "files": [rel(f) for f in written_files(job)] if result.ok else [],
            "summary": result.summary, "error": result.error, "metadata": result.metadata,
            "worker": result.worker, "document": job.spec.name, "index": job.index,
        }

    def refresh(self, job: Job) -> None:
        """Keep a skipped document's index row and metadata as its spec describes them now."""
        e = self.entries.get(job.key)
        if e is not None:
            e.update(document=job.spec.name, index=job.index, metadata=job.metadata)

    def text(self) -> str:
        return json.dumps({"format": FORMAT, "entries": dict(sorted(self.entries.items()))}, indent=1,
                          sort_keys=True, ensure_ascii=False) + "\n"

    @property
    def changed(self) -> bool:
        """True when the entries differ from the file as last read or written."""
        return self.text() != self._saved

    def save(self) -> bool:
        """Write the manifest atomically when it changed (returns whether it wrote). An OSError propagates."""
        text = self.text()
        if text == self._saved and self.path.exists():
            return False
        atomic.write_text(self.path, text)
        self._saved = text
        return True


def written_files(job: Job) -> list[str]:
    """The files of a finished document: its HTML, its executed notebook, and each of its own outputs
    (``job.extra``: a file, or every file of a folder) that exists."""
    out = [job.html, job.executed]
    for extra in job.extra:
        p = Path(extra)
        if p.is_dir():
            out += sorted(str(f) for f in p.rglob("*") if f.is_file() and not f.name.startswith("."))
        elif p.is_file():
            out.append(str(p))
    return out


@contextlib.contextmanager
def output_lock(output: str | os.PathLike, on_wait: Callable[[str], None] | None = None, poll: float = 0.2):
    """Hold an exclusive lock on the output folder (``flock`` on the folder itself: nothing is created, a read-only
    folder can be locked) for the block. When another render holds it, ``on_wait`` gets one message, then this waits.
    """
    fd = os.open(output, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                    raise
                if not told and on_wait is not None:
                    on_wait(f"waiting for another render of {output} to finish (they take turns on one output "
                            "folder) …")
                    told = True
                time.sleep(poll)
        yield
    finally:
        os.close(fd)  # releases the lock
