"""The index pages ``<output>/index.html`` (and ``index.<lang>.html``): every document with its summary, status and
links, and failures.

Built from the manifest alone (so a skipped document keeps its line), with the Jinja template
``templates/site/index.html.j2`` (autoescaped: every data-derived text is shown as text; the page fetches nothing
from the network). The engine knows document *groups*, *columns* and *languages*, not what they hold: each manifest
entry carries its row (``index``, from the document's spec: group, name, search text, static values, downloads) and
its ``summary`` (from the document's ``after_run``: values of the group's columns, optionally ``search`` and
``sort_values``, the machine sort key of a column whose shown value is formatted text).

**Pages.** A row belongs to the index page of its ``lang`` (default ``"en"``: ``index.html``; any other language:
``index.<lang>.html``, see :func:`page_name`); ``also`` lists overrides of the row for other languages' pages
(``[{"lang": "vi", "group": …, "name": …, "values": …}]``: a page shown on every index in its own words). The words
of a page come from :data:`SITE_DEFAULTS`, updated by any row's ``sites[lang]`` and then by its groups' ``site``
(the first group that has one wins); a page is written for every language a row or a ``sites`` dict names, so a
language's index exists (saying it lists nothing yet, ``site["empty"]``) before its first document. Each page links
to the others (``site["language_name"]`` of each).

**Links at the top.** The rows of a group with ``"nav": true`` are also listed as links at the top of the page.

**Sorting.** Every column header becomes a button (inline script; ``aria-sort`` on the ``<th>``): a cell with a
``data-sort`` attribute (from ``sort_values``) sorts as a number, others by their text in the page's language; rows
without a value go last either way. Without JavaScript the headers are plain text and the table reads as written.

**Filtering.** A filter box (inline JavaScript) shows the rows whose search text holds the folded query (the spec
folds its names with :func:`ntm_analysis.text.compact`; the page folds the query the same way); without JavaScript
the box stays hidden and every row shows.

**Extra content.** ``site["extra"]``, a ``"package.module:function"`` name given by the content layer, is called
as ``function(lang=, rows=, output=)``
(``rows``: the page's rendered rows, ``[{"key", "href", "group", "metadata"}]``) and returns trusted HTML shown
under the links (the province report's small maps). The engine imports it by name when
it builds the page and knows nothing of what it draws. It is also called once ahead, in the background while a
batch renders, its result discarded (:func:`prepare_extra`): a function may keep what it computes for the real call.
"""
from __future__ import annotations

import sys
from functools import lru_cache
from pathlib import Path

from ntm_analysis import __version__, atomic
from ntm_analysis.render.manifest import Manifest

INDEX_NAME = "index.html"
#: The language of a row that names none, and of :data:`INDEX_NAME`.
DEFAULT_LANG = "en"
TEMPLATE = Path(__file__).resolve().parent / "templates" / "site" / "index.html.j2"
#: The group of an entry whose document gave no row (a manifest written by hand or by an older version).
OTHER_GROUP = {"id": "documents", "title": "Documents", "order": 1000, "columns": [["name", "Document"]]}
#: The index page's own words, in English unless the documents' specs give them (a spec's index row may carry a
#: ``site`` dict in its group, or ``sites`` by language, with any of these keys: the engine itself has no catalog).
SITE_DEFAULTS = {"title": "Reports", "filter_label": "Find:", "filter_placeholder": "any spelling",
                 "rendered": "{ok} report(s) rendered, {failed} failed.", "status": "Status", "notebook": "Notebook",
                 "downloads": "Downloads", "ok": "ok", "failed": "failed", "failures": "Failures", "none": "None.",
                 "report": "Report", "failing_cell": "Failing cell", "message": "Message", "cell_source": "Cell source",
                 "cell": "cell {cell} (execution {execution})", "outside": "outside the notebook's cells",
                 "language_name": "English", "other_languages": "Other languages:", "nav": "See also:",
                 "empty": "", "filter_count": "{shown} of {total} row(s) match",
                 "sort_hint": "Click a column header to sort by it; click again to reverse.",
                 "sort_button": "Sort by {column}", "extra": ""}


def page_name(lang: str | None) -> str:
    """The index page of a language: ``index.html`` for :data:`DEFAULT_LANG`, else ``index.<lang>.html``."""
    return INDEX_NAME if not lang or lang == DEFAULT_LANG else f"index.{lang}.html"


@lru_cache(maxsize=1)
def _template():
    import jinja2  # noqa: PLC0415

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATE.parent)), autoescape=True,
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    return env.get_template(TEMPLATE.name)


def _href(path) -> str | None:
    return Path(path).as_posix() if path else None


def _number(v) -> float | None:
    """A sort value as a number (None for a gap or anything not a finite number)."""
    if isinstance(v, bool) or v is None:
        return None
    try:
        x = float(v)
    except (TypeError, ValueError):
        return None
    return x if x == x and x not in (float("inf"), float("-inf")) else None


def _row(output: Path, key: str, e: dict, idx: dict) -> dict:
    ok = e.get("status") == "ok"
    summary = e.get("summary") or {}
    downloads = []
    if ok:
        for label, rel in idx.get("downloads") or []:
            target = output / rel
            if target.is_file() or target.is_dir():
                downloads.append((label, Path(rel).as_posix() + ("/" if target.is_dir() else "")))
    sort_values = {k: _number(v) for k, v in {**(idx.get("sort_values") or {}),
                                              **(summary.get("sort_values") or {})}.items()}
    return {"key": key, "ok": ok, "name": idx.get("name") or (e.get("metadata") or {}).get("document") or key,
            "href": _href(e.get("html")) if ok else None, "notebook": _href(e.get("notebook")),
            "search": summary.get("search") or idx.get("search") or "",
            "values": {**(idx.get("values") or {}),
                       **{k: v for k, v in summary.items() if k not in ("search", "sort_values")}},
            "sort_values": {k: v for k, v in sort_values.items() if v is not None},
            "downloads": downloads, "sort": [str(s) for s in idx.get("sort") or []],
            "metadata": e.get("metadata") or {}}


def _failure(row: dict, e: dict, order: tuple) -> dict:
    err = e.get("error") or {}
    return {**row, "order": order, "cell": (err.get("cell_index"), err.get("exec_count")),
            "message": err.get("message", ""), "source": err.get("cell_source", err.get("traceback", ""))}


def _rows_by_lang(e: dict) -> dict[str, dict]:
    """An entry's index rows by language: its own and the overrides of ``also``."""
    idx = e.get("index") or {}
    out = {idx.get("lang") or DEFAULT_LANG: idx}
    for other in idx.get("also") or []:
        out.setdefault(other.get("lang") or DEFAULT_LANG, {**idx, **other})
    return out


def index_languages(manifest: Manifest) -> list[str]:
    """The languages that have an index page: :data:`DEFAULT_LANG` first, then every language a row or a row's
    ``sites`` names, sorted."""
    langs = set()
    for e in manifest.entries.values():
        for lang, idx in _rows_by_lang(e).items():
            langs.add(lang)
            langs.update((idx.get("sites") or {}).keys())
    return [DEFAULT_LANG] + sorted(langs - {DEFAULT_LANG})


def _site(lang: str, manifest: Manifest, ordered: list[dict]) -> dict:
    site = dict(SITE_DEFAULTS)
    for e in manifest.entries.values():  # a page's words from any document that describes it
        for idx in _rows_by_lang(e).values():
            site.update((idx.get("sites") or {}).get(lang) or {})
    for g in reversed(ordered):  # the first group that describes the site wins
        site.update(g.get("site") or {})
    return site


def build_index(manifest: Manifest, lang: str = DEFAULT_LANG) -> str:
    """The HTML of the index page of ``lang`` (:func:`page_name`) for ``manifest``."""
    output = Path(manifest.output)
    groups: dict[str, dict] = {}
    failures = []
    for key, e in manifest.entries.items():
        idx = _rows_by_lang(e).get(lang)
        if idx is None:  # another language's document: its failure is listed on the default page too
            if lang == DEFAULT_LANG and e.get("status") != "ok":
                other = next(iter(_rows_by_lang(e).values()))
                failures.append(_failure(_row(output, key, e, other), e, (10**6, [], key)))
            continue
        group = idx.get("group") or OTHER_GROUP
        g = groups.setdefault(group["id"], {**OTHER_GROUP, "note": "", "site": {}, "nav": False, **group,
                                            "rows": []})
        row = _row(output, key, e, idx)
        g["rows"].append(row)
        if e.get("status") != "ok":
            failures.append(_failure(row, e, (g["order"], row["sort"], key)))
    ordered = sorted(groups.values(), key=lambda g: (g["order"], g["id"]))
    for g in ordered:
        g["rows"].sort(key=lambda r: (r["sort"], r["key"]))
        g["numeric"] = [c for c, _ in g["columns"] if any(c in r["sort_values"] for r in g["rows"])]
    site = _site(lang, manifest, ordered)
    for f in failures:
        cell, execution = f["cell"]
        f["cell"] = site["cell"].format(cell=cell, execution=execution) if cell is not None else site["outside"]
    failures.sort(key=lambda f: f["order"])
    languages = [(page_name(other), _site(other, manifest, []).get("language_name") or other, other)
                 for other in index_languages(manifest) if other != lang]
    nav = [r for g in ordered if g.get("nav") for r in g["rows"] if r["href"]]
    content = any(not g.get("nav") for g in ordered)
    extra = _extra(site.get("extra"), lang, ordered, output)
    n_ok = sum(r["ok"] for g in ordered for r in g["rows"])
    n_rows = sum(len(g["rows"]) for g in ordered)
    return _template().render(site=site, lang=lang, groups=ordered, failures=failures, n_ok=n_ok,
                              n_failed=n_rows - n_ok, version=__version__, languages=languages, nav=nav,
                              content=content, extra=extra)


def _extra(ref: str, lang: str, groups: list[dict], output: Path):
    """The content layer's HTML for the page (``site["extra"]``), called by name; "" without one."""
    if not ref:
        return ""
    import markupsafe  # noqa: PLC0415

    from ntm_analysis.render.spec import resolve  # noqa: PLC0415

    rows = [{"key": r["key"], "href": r["href"], "group": g["id"], "metadata": r["metadata"]}
            for g in groups for r in g["rows"] if r["href"]]
    try:
        return markupsafe.Markup(resolve(ref)(lang=lang, rows=rows, output=str(output)) or "")
    except Exception as exc:  # noqa: BLE001 (the index lists every report even when its extra content fails)
        message = f"{ref} failed: {type(exc).__name__}: {exc}"
        print(f"index {page_name(lang)}: {message}", file=sys.stderr)
        return markupsafe.Markup('<p class="failed" id="ntm-extra-failed">{}</p>').format(message)


def prepare_extra(entries: list[dict], output) -> None:
    """Call the extra content (``site["extra"]``) of every index page that ``entries`` appear on once, ahead of
    writing the pages, and discard what it returns. ``entries``: manifest entries, or ``{"key", "index",
    "metadata"}`` of documents about to be rendered. The renderer runs this in the background while a batch renders,
    so that a function that keeps what it computes (the province reports' maps, drawn once per data version and kept
    in the output folder) costs little when the pages are written at the end. Errors are left to that real call."""
    from ntm_analysis.render.spec import resolve  # noqa: PLC0415

    pages: dict[tuple[str, str], list[dict]] = {}
    for e in entries:
        for lang, idx in _rows_by_lang(e).items():
            sites = dict(idx.get("sites") or {})  # a page's words, the row's own group's on top (as build_index)
            sites[lang] = {**(sites.get(lang) or {}), **((idx.get("group") or {}).get("site") or {})}
            for page_lang, site in sites.items():
                if site.get("extra"):
                    pages.setdefault((site["extra"], page_lang), []).append(
                        {"key": e.get("key", ""), "href": None, "group": (idx.get("group") or {}).get("id"),
                         "metadata": e.get("metadata") or {}})
    for (ref, lang), rows in sorted(pages.items()):
        try:
            resolve(ref)(lang=lang, rows=rows, output=str(output))
        except Exception:  # noqa: BLE001,S110 (the page's own call reports it)
            pass


def write_index(manifest: Manifest) -> Path:
    """Write the index page of every language (:func:`index_languages`) next to the manifest, atomically, and return
    the path of ``index.html``."""
    out = Path(manifest.output)
    for lang in index_languages(manifest):
        atomic.write_text(out / page_name(lang), build_index(manifest, lang))
    return out / INDEX_NAME


__all__ = ["build_index", "write_index", "prepare_extra", "index_languages", "page_name", "INDEX_NAME", "DEFAULT_LANG"]
