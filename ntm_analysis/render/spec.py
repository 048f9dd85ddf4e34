"""What the engine needs to know about a kind of document: :class:`DocumentSpec`.

The engine renders *documents*: a notebook executed with one parameter set. It knows nothing of what a
document says; the layer that owns a document describes it with a :class:`DocumentSpec` (the province report:
:mod:`ntm_analysis.report.spec`; the site's other notebooks: :mod:`.site`), and ``ntm_analysis.cli`` composes
them.

A content layer need not import the engine to describe its documents: a plain mapping of the
:class:`DocumentSpec` fields is a spec too (:func:`as_spec`), and ``layout`` may return a mapping of the
:class:`Layout` fields (:func:`as_layout`).

A parameter set is any object with this small protocol (``ReportParams`` and :class:`NotebookParams` have it):

* ``validate()`` returns the normalised parameters or raises an error naming the parameter, value and expectation;
* ``key`` (a stable id, unique across every document of an output folder: the manifest's key),
  ``data_dir`` (the data folder it reads, None for the default), ``show_code`` (keep code cells in the HTML);
* ``to_notebook_parameters()`` (what papermill injects), ``fingerprint_json()`` (canonical JSON of the
  parameters: part of the render cache key) and ``metadata()`` (recorded in the executed notebook and manifest).

Functions in a spec are either module-level callables or ``"package.module:function"`` names (imported where
they are called: a job crosses process boundaries pickled, and a name keeps a worker from importing what it
does not need). A warm kernel's ``preload`` is always a name: it runs inside the kernel.
"""
from __future__ import annotations

import importlib
import json
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Union

Ref = Union[str, Callable, None]


def resolve(ref: Ref) -> Callable | Any:
    """The object a spec field refers to: a callable as is, ``"module:attr"`` imported (``attr`` may be dotted)."""
    if ref is None or callable(ref):
        return ref
    if not isinstance(ref, str) or ":" not in ref:
        raise ValueError(f"expected a callable or a 'package.module:function' name, got {ref!r}")
    module, _, attr = ref.partition(":")
    obj: Any = importlib.import_module(module)
    for part in attr.split("."):
        obj = getattr(obj, part)
    return obj


@dataclass(frozen=True)
class Layout:
    """Where one document's outputs go (absolute paths, as strings)."""

    html: str
    executed: str
    #: Folder of the document's downloads ("" when it has none).
    downloads: str = ""
    #: Further files or folders ``after_run`` writes: a killed worker's temporary files there are swept.
    extra: tuple[str, ...] = ()


@dataclass(frozen=True)
class DocumentSpec:
    """A kind of document, as the engine sees it (picklable: strings, tuples and module-level callables)."""

    #: Short id of the kind of document ("province_report"), recorded in the manifest.
    name: str
    #: The notebook (path) executed for each parameter set; ``render(..., notebook=...)`` may override it.
    notebook: str
    #: ``(params, output_folder: str) -> Layout``.
    layout: Ref
    #: ``(params) -> str``: the HTML page's title.
    title: Ref
    #: ``(params) -> dict``: the row of the index (see :mod:`.index`): ``group`` (``id``, ``title``, ``order``,
    #: ``columns`` as ``[[id, header], ...]``, optional ``note``, ``site`` (the page's words), ``nav`` (rows also
    #: linked at the top)), ``name``, ``sort``, ``search`` (folded text the filter box matches), ``values`` (static
    #: column values), ``sort_values`` (numbers to sort columns by), ``downloads`` (``[[label, path relative to the
    #: output folder], ...]``, shown when the file or folder exists), ``lang`` (the index page it is listed on:
    #: ``index.html`` for "en", else ``index.<lang>.html``), ``also`` (overrides of the row for other languages'
    #: pages) and ``sites`` (language → words of that language's page).
    index_row: Ref
    #: ``(list of params, data_dir) -> {key: digest}``: a SHA-256 over exactly what each document reads.
    #: None: the whole-file checksums of :attr:`data_files` are the digest.
    input_digests: Ref = None
    #: ``(data_dir) -> list[str]``: the data files (relative to the data folder) whose checksums key a render.
    data_files: Ref = None
    #: Modules a warm kernel imports once (then its fresh state is captured).
    kernel_imports: tuple[str, ...] = ()
    #: ``"module:function"`` run inside a warm kernel once per data folder, with ``data_dir``: loads what every
    #: document reads into the in-process caches. None: nothing to preload.
    preload: str | None = None
    #: ``(nb, job) -> dict`` run in the worker after the HTML and executed notebook of a successful run are
    #: written: writes the document's own files (downloads) atomically, returns the summary the index shows,
    #: raises on failure (the run then fails and its HTML is removed). None: summary {}.
    after_run: Ref = None
    #: ``(params) -> str``: the HTML page's language ("en" when None).
    html_lang: Ref = None
    #: Bump when the document's output changes in a way the fingerprint cannot see.
    version: str = "1"

    def call(self, what: str, *args):
        """Call the spec's function ``what`` with ``args`` (None when the spec has none)."""
        fn = resolve(getattr(self, what))
        return None if fn is None else fn(*args)


def as_spec(spec) -> "DocumentSpec":
    """``spec`` as a :class:`DocumentSpec` (a mapping of its fields is accepted: the content layers describe their
    documents without importing the engine)."""
    if isinstance(spec, DocumentSpec):
        return spec
    if isinstance(spec, Mapping):
        return _cached_spec(id(spec), spec)
    raise TypeError(f"expected a DocumentSpec or a mapping of its fields, got {spec!r}")


def as_layout(layout) -> Layout:
    """``layout`` as a :class:`Layout` (a mapping of its fields is accepted)."""
    if isinstance(layout, Layout):
        return layout
    if isinstance(layout, Mapping):
        return Layout(**{**layout, "extra": tuple(layout.get("extra") or ())})
    raise TypeError(f"a document's layout must be a Layout or a mapping of its fields, got {layout!r}")


@dataclass(frozen=True)
class NotebookParams:
    """The parameter set of a document with fixed parameters (a site page such as a national overview).

    ``parameters`` are the values injected into the notebook (sorted ``(name, value)`` pairs; empty: the notebook's
    own defaults); ``data_dir`` is injected too when ``pass_data_dir``.
    """

    document: str
    parameters: tuple = ()
    data_dir: str | None = None
    show_code: bool = False
    pass_data_dir: bool = True
    #: Shown in the index and recorded in the metadata (e.g. "SYNTHETIC data").
    label: str = ""

    def validate(self) -> "NotebookParams":
        json.dumps(dict(self.parameters))  # JSON-safe, or fail now, naming nothing worse than the value
        return self

    @property
    def key(self) -> str:
        return f"site/{self.document}"

    @property
    def stem(self) -> str:
        return self.document

    def to_notebook_parameters(self) -> dict:
        out = dict(self.parameters)
        if self.pass_data_dir:
            out["data_dir"] = self.data_dir
        return out

    def fingerprint_json(self) -> str:
        return json.dumps({**self.to_notebook_parameters(), "show_code": self.show_code}, sort_keys=True,
                          ensure_ascii=False)

    def metadata(self) -> dict:
        from ntm_analysis import __version__  # noqa: PLC0415

        return {"parameters": self.to_notebook_parameters(), "document": self.document, "label": self.label,
                "stem": self.stem, "package_version": __version__}


@dataclass(frozen=True)
class Request:
    """One document to render: its spec and parameter set (``render()`` also takes ``(spec, params)`` pairs)."""

    spec: DocumentSpec
    params: Any = field(compare=False)

    def __post_init__(self):
        object.__setattr__(self, "spec", as_spec(self.spec))


def spec_for(params) -> DocumentSpec:
    """The document spec of a parameter set given without one: the ``DOCUMENT`` of the ``spec`` module beside the
    module that defines its class (``ntm_analysis.report.params.ReportParams`` → ``ntm_analysis.report.spec``)."""
    module = type(params).__module__
    package = module.rpartition(".")[0]
    try:
        spec = importlib.import_module(f"{package}.spec").DOCUMENT
    except (ImportError, AttributeError) as exc:
        raise TypeError(f"no document spec for {type(params).__name__} (looked for {package}.spec.DOCUMENT); "
                        "pass render(..., document=<DocumentSpec>) or (spec, params) pairs") from exc
    return _cached_spec(id(spec), spec)


_SPECS: dict = {}


def _cached_spec(key: int, spec) -> DocumentSpec:
    """One DocumentSpec per described document (a mapping converted once)."""
    if key not in _SPECS:
        _SPECS[key] = (spec, spec if isinstance(spec, DocumentSpec) else DocumentSpec(**spec))  # source kept: id stays its own
    return _SPECS[key][1]
