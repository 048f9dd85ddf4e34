"""The index page ``<output>/index.html``: every document with its summary, status and links, and failures.

Built from the manifest alone (so a skipped document keeps its line), with the Jinja template
``templates/site/index.html.j2`` (autoescaped: every data-derived text is shown as text; the page fetches nothing
from the network). The engine knows document *groups* and *columns*, not what they hold: each manifest entry
carries its row (``index``, from the document's spec: group, name, search text, static values, downloads) and its
``summary`` (from the document's ``after_run``: values of the group's columns, and optionally ``search``).

A filter box (inline JavaScript) shows the rows whose search text holds the folded query (the spec folds its
names with :func:`ntm_analysis.text.compact`; the page folds the query the same way); without JavaScript the box
stays hidden and every row shows.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ntm_analysis import __version__, atomic
from ntm_analysis.render.manifest import Manifest

INDEX_NAME = "index.html"
TEMPLATE = Path(__file__).resolve().parent / "templates" / "site" / "index.html.j2"
#: The group of an entry whose document gave no row (a manifest written by hand or by an older version).
OTHER_GROUP = {"id": "documents", "title": "Documents", "order": 1000, "columns": [["name", "Document"]]}
#: The index page's own words, in English unless the documents' specs give them (a spec's index row may carry a
#: ``site`` dict with any of these keys, in its language: the engine itself has no catalog).
SITE_DEFAULTS = {"title": "Reports", "filter_label": "Find:", "filter_placeholder": "any spelling",
                 "rendered": "{ok} report(s) rendered, {failed} failed.", "status": "Status", "notebook": "Notebook",
                 "downloads": "Downloads", "ok": "ok", "failed": "failed", "failures": "Failures", "none": "None.",
                 "report": "Report", "failing_cell": "Failing cell", "message": "Message", "cell_source": "Cell source",
                 "cell": "cell {cell} (execution {execution})", "outside": "outside the notebook's cells"}


@lru_cache(maxsize=1)
def _template():
    import jinja2  # noqa: PLC0415

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATE.parent)), autoescape=True,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    return env.get_template(TEMPLATE.name)


def _href(path) -> str | None:
    return Path(path).as_posix() if path else None


def _row(output: Path, key: str, e: dict) -> dict:
    idx = e.get("index") or {}
    ok = e.get("status") == "ok"
    summary = e.get("summary") or {}
    downloads = []
    if ok:
        for label, rel in idx.get("downloads") or []:
            target = output / rel
            if target.is_file() or target.is_dir():
                downloads.append((label, Path(rel).as_posix() + ("/" if target.is_dir() else "")))
    return {"key": key, "ok": ok, "name": idx.get("name") or (e.get("metadata") or {}).get("document") or key,
            "href": _href(e.get("html")) if ok else None, "notebook": _href(e.get("notebook")),
            "search": summary.get("search") or idx.get("search") or "",
            "values": {**(idx.get("values") or {}), **{k: v for k, v in summary.items() if k != "search"}},
            "downloads": downloads, "sort": [str(s) for s in idx.get("sort") or []]}


def build_index(manifest: Manifest) -> str:
    """The index page's HTML for ``manifest``."""
    output = Path(manifest.output)
    groups: dict[str, dict] = {}
    failures = []
    for key, e in manifest.entries.items():
        group = (e.get("index") or {}).get("group") or OTHER_GROUP
        g = groups.setdefault(group["id"], {**OTHER_GROUP, "note": "", "site": {}, **group, "rows": []})
        row = _row(output, key, e)
        g["rows"].append(row)
        if e.get("status") != "ok":
            err = e.get("error") or {}
            cell = err.get("cell_index")
            failures.append({**row, "order": (g["order"], row["sort"], key),
                             "cell": (cell, err.get("exec_count")),
                             "message": err.get("message", ""),
                             "source": err.get("cell_source", err.get("traceback", ""))})
    ordered = sorted(groups.values(), key=lambda g: (g["order"], g["id"]))
    for g in ordered:
        g["rows"].sort(key=lambda r: (r["sort"], r["key"]))
    site = dict(SITE_DEFAULTS)
    for g in reversed(ordered):  # the first group that describes the site wins
        site.update(g.get("site") or {})
    for f in failures:
        cell, execution = f["cell"]
        f["cell"] = site["cell"].format(cell=cell, execution=execution) if cell is not None else site["outside"]
    failures.sort(key=lambda f: f["order"])
    n_ok = sum(e.get("status") == "ok" for e in manifest.entries.values())
    return _template().render(site=site, groups=ordered, failures=failures, n_ok=n_ok,
                              n_failed=len(manifest.entries) - n_ok, version=__version__)


def write_index(manifest: Manifest) -> Path:
    """Write ``index.html`` next to the manifest (atomically) and return its path."""
    path = Path(manifest.output) / INDEX_NAME
    atomic.write_text(path, build_index(manifest))
    return path


__all__ = ["build_index", "write_index", "INDEX_NAME"]
