"""Documents with fixed parameters, described in a site file (``notebooks/site.yml``): one spec per notebook.

The site file is data, beside the notebooks it lists, so adding a page to the site is one entry, no code::

    group: {id: national, title: National pages, order: 0, columns: [[name, Page], [about, What it shows]]}
    documents:
      - name: national_overview              # the manifest key is "site/<name>"; outputs pages/<name>.html
        notebook: national_overview.ipynb    # relative to the site file
        title: "National overview"
        about: "…"                           # any further key is a value of the group's columns
        reads_data: true                     # data_dir is injected; every data file's checksum keys the render
        parameters: {}                       # injected values (none: the notebook's own defaults)
        kernel_imports: [pandas]             # what a warm kernel imports once
        i18n: {vi: {title: "…", about: "…"}} # the row on another language's index (index.vi.html), in its words

The group may say ``nav: true`` (its pages are also linked at the top of every index) and ``i18n: {vi: {title,
note, columns}}`` (its words on another language's index).

A page's input digest is the whole-file checksums of every file of its data folder (``reads_data``) or of none.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from ntm_analysis import paths
from ntm_analysis.render.spec import DocumentSpec, Layout, NotebookParams
from ntm_analysis.text import compact

REQUIRED = ("name", "notebook", "title")


class SiteFileError(ValueError):
    """The site file is unreadable or an entry is invalid; the message names the file, entry and key."""


@dataclass(frozen=True)
class SiteDocument:
    """One page of the site file (its methods are the spec's functions: picklable, bound to this object)."""

    name: str
    notebook: str
    title: str
    reads_data: bool
    parameters: tuple
    kernel_imports: tuple
    #: The group (JSON) and this page's static column values (JSON), as the index shows them.
    group_json: str
    values_json: str
    order: int

    def layout(self, params, output: str) -> Layout:
        base = Path(output) / "pages"
        return Layout(html=str(base / f"{self.name}.html"), executed=str(base / "notebooks" / f"{self.name}.ipynb"))

    def page_title(self, params) -> str:
        return self.title

    def data_files(self, data_dir: str | None) -> list[str]:
        """Every file of the data folder (relative paths; caches and hidden files left out) when it reads data."""
        if not self.reads_data:
            return []
        base = paths.data_dir(data_dir)
        out = []
        for root, dirs, files in os.walk(base):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            out += [os.path.relpath(os.path.join(root, f), base) for f in files if not f.startswith(".")]
        return sorted(Path(f).as_posix() for f in out)

    def index_row(self, params) -> dict:
        """The page's row of the index, and of every other language's index its ``i18n`` words describe."""
        values = json.loads(self.values_json)
        mine = values.pop("i18n", None) or {}
        group = json.loads(self.group_json)
        group_words = group.pop("i18n", None) or {}
        also = []
        for lang in sorted(set(mine) | set(group_words)):
            words = mine.get(lang) or {}
            title = words.get("title", self.title)
            also.append({"lang": lang, "group": {**group, **(group_words.get(lang) or {})}, "name": title,
                         "values": {**values, **{k: v for k, v in words.items() if k != "title"}},
                         "search": self._search(title)})
        return {"group": group, "name": self.title, "sort": [f"{self.order:04d}"], "search": self._search(self.title),
                "values": values, "downloads": [], "also": also}

    def _search(self, title: str) -> str:
        return " ".join(dict.fromkeys(k for k in (compact(self.title), compact(title), compact(self.name)) if k))

    @property
    def spec(self) -> DocumentSpec:
        return DocumentSpec(name=f"site:{self.name}", notebook=self.notebook, layout=self.layout,
                            title=self.page_title, index_row=self.index_row, data_files=self.data_files,
                            kernel_imports=self.kernel_imports)

    def params(self, data_dir: str | None = None, show_code: bool = False) -> NotebookParams:
        return NotebookParams(document=self.name, parameters=self.parameters,
                              data_dir=data_dir if self.reads_data else None, show_code=show_code,
                              pass_data_dir=self.reads_data, label=json.loads(self.values_json).get("label", ""))


def load(path: str | os.PathLike) -> list[SiteDocument]:
    """The pages of a site file, in its order; raises :class:`SiteFileError` naming the file, entry and key."""
    import yaml  # noqa: PLC0415

    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise SiteFileError(f"{path}: not a readable site file ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("documents"), list):
        raise SiteFileError(f"{path}: expected a mapping with a 'documents' list")
    group = data.get("group") or {}
    for k in ("id", "title", "columns"):
        if k not in group:
            raise SiteFileError(f"{path}: group: missing key {k!r} (expected id, title, order, columns)")
    out, seen = [], set()
    for i, d in enumerate(data["documents"], start=1):
        if not isinstance(d, dict):
            raise SiteFileError(f"{path}: document {i}: expected a mapping, got {d!r}")
        for k in REQUIRED:
            if not d.get(k):
                raise SiteFileError(f"{path}: document {i} ({d.get('name', '?')}): missing key {k!r}")
        if d["name"] in seen:
            raise SiteFileError(f"{path}: document {i}: the name {d['name']!r} is used twice")
        seen.add(d["name"])
        notebook = (path.parent / d["notebook"]).resolve()
        params = d.get("parameters") or {}
        if not isinstance(params, dict):
            raise SiteFileError(f"{path}: document {i} ({d['name']}): parameters: expected a mapping, got {params!r}")
        extra = {k: v for k, v in d.items()
                 if k not in (*REQUIRED, "reads_data", "parameters", "kernel_imports")}
        if not isinstance(extra.get("i18n", {}), dict) or not isinstance(group.get("i18n", {}), dict):
            raise SiteFileError(f"{path}: document {i} ({d['name']}): i18n: expected a mapping of language → words")
        out.append(SiteDocument(
            name=str(d["name"]), notebook=str(notebook), title=str(d["title"]), reads_data=bool(d.get("reads_data")),
            parameters=tuple(sorted(params.items())), kernel_imports=tuple(d.get("kernel_imports") or ()),
            group_json=json.dumps({**group, "order": group.get("order", 0)}, ensure_ascii=False, sort_keys=True),
            values_json=json.dumps(extra, ensure_ascii=False, sort_keys=True), order=i))
    return out
