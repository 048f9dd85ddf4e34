"""Atomic file writes: a temporary file in the destination folder, then ``os.replace``.

A reader (a browser, the next render, a crash) never sees a half-written file,
and a failed write leaves no temporary file behind.
"""
from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

#: Temporary files are named ``.<name>.<random>.tmp`` (hidden) in the destination folder.
TMP_SUFFIX = ".tmp"


def temp_path(path: str | os.PathLike, suffix: str = TMP_SUFFIX) -> Path:
    """A fresh, empty temporary file ``.<name>.<random><suffix>`` next to ``path`` (replace or remove it)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=suffix)
    os.close(fd)
    return Path(tmp)


def commit(tmp: str | os.PathLike, path: str | os.PathLike) -> None:
    """Move a finished temporary file into place (atomic on one file system)."""
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def write_bytes(path: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically."""
    tmp = temp_path(path)
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        commit(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text(path: str | os.PathLike, text: str) -> None:
    """Write UTF-8 ``text`` to ``path`` atomically."""
    write_bytes(path, text.encode("utf-8"))


def write_json(path: str | os.PathLike, obj: object) -> None:
    """Write ``obj`` as indented, key-sorted UTF-8 JSON atomically."""
    write_text(path, json.dumps(obj, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
