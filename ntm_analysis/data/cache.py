"""One cache for everything derived from data files, keyed by what the result depends on.

A result is reused only while both of its inputs are unchanged:

* the **data**: the SHA-256 of every file it reads (paths relative to the data folder, e.g. ``"raw/x.csv"``,
  ``"provenance.yml"``), hashed again whenever the file's size, mtime, ctime or inode change (and on every call
  for a file changed in the last two seconds), so an edited file is seen at once, also by a warm kernel; a raw
  file whose checksum is recorded in the folder's ``provenance.yml`` must match it (:class:`ChecksumMismatch`);
* the **code**: a fingerprint of the source of the module that defines the build function and of every module of
  the same package it imports, followed transitively (``import`` statements read with :mod:`ast`, also those inside
  functions). A module moved, renamed or newly imported is covered without a list to keep up to date. The
  fingerprint is computed once per process and module, i.e. for the code this process runs: a kernel that imported
  the old code keeps the old fingerprint and never files a frame built by old code under the new code's key.

Public API (what other layers call)::

    from ntm_analysis.data import cache

    cache.frame(name, files, build, data_dir=None)   # a DataFrame: memory + disk (<data>/.cache/<name>-<key>.parquet)
    cache.memo(name, files, build, data_dir=None)    # any object derived from data files, in memory only
                                                     # (a rank table, a model fit, a digest context)
    cache.key(name, files, build, data_dir=None)     # the key both use (hex), e.g. to show or compare it
    cache.clear()                                    # forget what this process holds in memory
    cache.verify(files, data_dir=None)               # checksums of files, checked against <data>/provenance.yml
                                                     # (ChecksumMismatch naming the file and both checksums)
    cache.builds["panel"]                            # how often this process called a build function, by name

``build`` is called with no argument (``lambda: build_panel(data_dir)``); ``code=`` names further modules whose
source the result depends on when they are not imported by the build function's module. A build function defined
in a notebook or a script (no module source file) is fingerprinted by its own compiled code. Both caches are bounded
(least recently used entries are dropped first). :func:`frame` hands out a copy on every call, so a caller may
modify what it gets. :func:`memo` hands out a copy of a DataFrame or Series and the shared object otherwise (a model
fit is not copied): treat it as read-only, or pass ``copy=True``. A disk cache that cannot be written (read-only data
folder) is skipped silently; a corrupt one is rebuilt.
"""
from __future__ import annotations

import ast
import copy as _copy
import functools
import hashlib
import importlib.util
import marshal
import os
import sys
import tempfile
import time
from collections import Counter, OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

from ntm_analysis import paths

if TYPE_CHECKING:  # pandas is imported where a frame is read or built: checksums and memos need none of it
    import pandas as pd

#: How many results each in-memory cache keeps (per process).
MAX_FRAMES = 32
MAX_MEMOS = 64

_frames: OrderedDict[tuple, pd.DataFrame] = OrderedDict()
_memos: OrderedDict[tuple, Any] = OrderedDict()
#: How many times this process called the build function of each name (a disk hit of :func:`frame` is no build):
#: what shows that a result was computed once per data version. :func:`clear` leaves it alone.
builds: Counter[str] = Counter()


# --- data: content checksums ---------------------------------------------------------------------------------

#: path → ((size, mtime, ctime, inode), sha256): a file is hashed once per process while its signature holds.
_sums: OrderedDict[str, tuple[tuple[int, int, int, int], str]] = OrderedDict()
MAX_SUMS = 4096
#: A file changed less than this long ago (ns) is hashed again on every call: a second edit within the
#: file system's timestamp granularity could keep size and mtime (the "racy clean" case of git's index).
RACY_NS = 2_000_000_000


def _sha256_bytes(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def sha256(path: str | os.PathLike) -> str:
    """SHA-256 of a file's bytes (hex), computed once per process while the file's size, mtime, ctime and inode
    are unchanged (a file whose mtime is less than two seconds old is hashed again on every call)."""
    st = os.stat(path)
    sig = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
    k = os.path.abspath(path)
    hit = _sums.get(k)
    if hit is not None and hit[0] == sig:
        return hit[1]
    digest = _sha256_bytes(Path(path))
    if time.time_ns() - st.st_mtime_ns > RACY_NS:
        _remember(_sums, MAX_SUMS, k, (sig, digest))
    return digest


class ChecksumMismatch(ValueError):
    """A data file differs from the SHA-256 recorded for it in its data folder's ``provenance.yml``.

    ``file`` is the file that changed, ``recorded`` the checksum in ``provenance``, ``found`` the file's.
    """

    def __init__(self, file: Path, provenance: Path, recorded: str, found: str):
        self.file, self.provenance, self.recorded, self.found = str(file), str(provenance), recorded, found
        super().__init__(
            f"{file} has changed since it was recorded: its SHA-256 is {found}, {provenance} records {recorded}. "
            "The raw files are byte-identical copies of published tables: restore the file (for the shipped data: "
            "git checkout data/raw), or, for a deliberate change in your own data folder, record the new checksum "
            "and where the figures come from in provenance.yml")


#: Folders (os.pathsep-separated) under which data folders are not checked against their provenance.yml checksums:
#: scratch copies whose figures are edited on purpose (the test suite's copies under the temporary folder).
#: Strict CSV parsing still applies there.
UNSEALED_ENV = "NTM_UNSEALED_DATA"


def _unsealed(base: Path) -> bool:
    roots = [r for r in os.environ.get(UNSEALED_ENV, "").split(os.pathsep) if r]
    if not roots:
        return False
    here = os.path.realpath(base)
    return any(here == os.path.realpath(r) or here.startswith(os.path.realpath(r).rstrip(os.sep) + os.sep)
               for r in roots)


_recorded: dict[str, tuple[tuple, dict[str, str]]] = {}


def recorded_checksums(data_dir: str | os.PathLike | None = None) -> dict[str, str]:
    """The SHA-256 recorded in ``<data>/provenance.yml`` for each file (keys relative to the data folder, e.g.
    ``"raw/x.csv"``); empty when the folder has no provenance.yml. Parsed again only when that file changes."""
    import yaml  # noqa: PLC0415

    base = paths.data_dir(data_dir)
    prov = base / "provenance.yml"
    try:
        st = prov.stat()
    except FileNotFoundError:
        return {}
    sig = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
    k = os.path.abspath(prov)
    hit = _recorded.get(k)
    if hit is not None and hit[0] == sig and time.time_ns() - st.st_mtime_ns > RACY_NS:
        return hit[1]
    with open(prov, encoding="utf-8") as fh:
        doc = yaml.safe_load(fh) or {}
    files = doc.get("files") if isinstance(doc, dict) else None
    sums = {f"raw/{name}": str(rec["sha256"]) for name, rec in (files or {}).items()
            if isinstance(rec, dict) and rec.get("sha256")}
    _recorded[k] = (sig, sums)
    return sums


def verify(files: Iterable[str], data_dir: str | os.PathLike | None = None) -> dict[str, str]:
    """SHA-256 of each named file under the data folder; a file whose checksum is recorded in the folder's
    ``provenance.yml`` must match it.

    Raises :class:`ChecksumMismatch` naming the file that changed and both checksums (not for a folder under
    ``$NTM_UNSEALED_DATA``)."""
    base = paths.data_dir(data_dir)
    sums = {f: sha256(base / f) for f in files}
    recorded = recorded_checksums(data_dir) if any(f.startswith("raw/") for f in sums) else {}
    if recorded and not _unsealed(base):
        for f, found in sums.items():
            want = recorded.get(Path(f).as_posix())
            if want is not None and want != found:
                raise ChecksumMismatch(base / f, base / "provenance.yml", want, found)
    return sums


def checksums(files: Iterable[str], data_dir: str | os.PathLike | None = None) -> dict[str, str]:
    """SHA-256 of each named file under the data folder (paths relative to it), verified against the folder's
    provenance.yml (see :func:`verify`)."""
    return verify(files, data_dir)


# --- code: the build function's module and what it imports ---------------------------------------------------

def _module_file(name: str) -> Path | None:
    """The source file of module ``name`` (``None`` for a name that is not a module, or has no source file)."""
    mod = sys.modules.get(name)
    origin = getattr(mod, "__file__", None) if mod is not None else None
    if origin is None:
        try:
            spec = importlib.util.find_spec(name)
        except (ImportError, ValueError):  # "x is not a package", or a parent that cannot be imported
            return None
        origin = spec.origin if spec is not None else None
    if not origin or not origin.endswith(".py"):
        return None
    return Path(origin)


def _imports(name: str, source: str, is_package: bool) -> set[str]:
    """Names of the modules an ``import`` statement of module ``name`` may load (not yet filtered)."""
    package = name if is_package else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            try:
                base = importlib.util.resolve_name("." * node.level + (node.module or ""), package) \
                    if node.level else node.module
            except ImportError:
                continue
            if not base:
                continue
            found.add(base)
            found.update(f"{base}.{a.name}" for a in node.names if a.name != "*")  # submodules, if they are
    return found


def module_closure(name: str) -> list[tuple[str, Path]]:
    """Module ``name`` and every module of its top-level package it imports, transitively, with their source files
    (sorted by name)."""
    top = name.split(".")[0]
    seen: dict[str, Path] = {}
    todo = [name]
    while todo:
        mod = todo.pop()
        if mod in seen:
            continue
        file = _module_file(mod)
        if file is None:
            continue
        seen[mod] = file
        source = file.read_text(encoding="utf-8")
        for dep in _imports(mod, source, file.name == "__init__.py"):
            if (dep == top or dep.startswith(top + ".")) and dep not in seen:
                todo.append(dep)
    return sorted(seen.items())


@functools.lru_cache(maxsize=None)
def code_fingerprint(*modules: str) -> str:
    """SHA-256 (hex, 16 digits) over the module names and source bytes of the closure of ``modules``.

    Cached per process: it describes the code this process imported (see the module docstring)."""
    files: dict[str, Path] = {}
    for m in modules:
        files.update(module_closure(m))
    h = hashlib.sha256()
    for mod, file in sorted(files.items()):
        h.update(mod.encode() + b"\0")
        h.update(file.read_bytes() + b"\0")
    return h.hexdigest()[:16]


def _builder_module(build: Callable) -> str:
    target = build
    while isinstance(target, functools.partial):
        target = target.func
    module = getattr(target, "__module__", None)
    if not module:
        raise ValueError(f"cache: cannot tell which module defines the build function {build!r}; pass code=")
    return module


# --- keys and the two caches ---------------------------------------------------------------------------------

def key(name: str, files: Iterable[str], build: Callable, data_dir: str | os.PathLike | None = None,
        code: Iterable[str] = ()) -> str:
    """The cache key of ``name``: a SHA-256 (hex, 20 digits) over the name, the code fingerprint of ``build``'s
    module (and of ``code``) and the checksums of ``files``."""
    module = _builder_module(build)
    in_module = module != "__main__" and _module_file(module) is not None
    fingerprint = code_fingerprint(*sorted({module, *code} if in_module else set(code)))
    if not in_module:  # defined in a notebook or a script: its own compiled code is the fingerprint
        target = build.func if isinstance(build, functools.partial) else build
        fingerprint += hashlib.sha256(marshal.dumps(target.__code__)).hexdigest()[:16]
    sums = "|".join(f"{f}={s}" for f, s in sorted(checksums(files, data_dir).items()))
    return hashlib.sha256(f"{name}|{fingerprint}|{sums}".encode()).hexdigest()[:20]


def _remember(store: OrderedDict, bound: int, k: tuple, value: Any) -> None:
    store[k] = value
    store.move_to_end(k)
    while len(store) > bound:
        store.popitem(last=False)


def _recall(store: OrderedDict, k: tuple) -> tuple[bool, Any]:
    if k not in store:
        return False, None
    store.move_to_end(k)
    return True, store[k]


def _place(data_dir: str | os.PathLike | None) -> str:
    return str(paths.data_dir(data_dir).resolve())


def atomic_write_parquet(df: pd.DataFrame, path: Path) -> None:
    """Write ``df`` to ``path`` through a temporary file and a rename: never a half-written file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    os.close(fd)
    try:
        df.to_parquet(tmp, index=False)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def frame(name: str, files: Iterable[str], build: Callable[[], pd.DataFrame],
          data_dir: str | os.PathLike | None = None, *, code: Iterable[str] = ()) -> pd.DataFrame:
    """``build()``'s frame, from memory, else from ``<data>/.cache/<name>-<key>.parquet``, else built (and stored in
    both). A copy every time."""
    files = list(files)
    k = key(name, files, build, data_dir, code)
    memo_key = (_place(data_dir), name, k)
    hit, df = _recall(_frames, memo_key)
    if hit:
        return df.copy()
    cache_file = paths.data_dir(data_dir) / ".cache" / f"{name}-{k}.parquet"
    df = None
    if cache_file.exists():
        import pandas as pd  # noqa: PLC0415

        try:
            df = pd.read_parquet(cache_file)
        except (OSError, ValueError):
            df = None  # a corrupt cache is rebuilt
    if df is None:
        builds[name] += 1
        df = build()
        try:
            atomic_write_parquet(df, cache_file)
        except OSError:
            pass
    _remember(_frames, MAX_FRAMES, memo_key, df)
    return df.copy()


def memo(name: str, files: Iterable[str], build: Callable[[], Any], data_dir: str | os.PathLike | None = None,
         *, code: Iterable[str] = (), copy: bool | None = None) -> Any:
    """``build()``'s result, kept in memory while ``files`` and the code are unchanged.

    ``copy``: None (default) copies DataFrames and Series and shares anything else; True always copies (deep);
    False always shares."""
    files = list(files)
    memo_key = (_place(data_dir), name, key(name, files, build, data_dir, code))
    hit, value = _recall(_memos, memo_key)
    if not hit:
        builds[name] += 1
        value = build()
        _remember(_memos, MAX_MEMOS, memo_key, value)
    pd = sys.modules.get("pandas")  # a value can be a pandas object only when pandas is loaded
    tabular = pd is not None and isinstance(value, (pd.DataFrame, pd.Series))
    if copy is None:
        copy = tabular
    if not copy:
        return value
    return value.copy() if tabular else _copy.deepcopy(value)


def clear() -> None:
    """Forget every result this process holds in memory (the disk cache stays)."""
    _frames.clear()
    _memos.clear()
