"""The index page ``<output>/index.html``: every report with key figures, status and links, and failures.

Built from the manifest alone (so a skipped report keeps its line). Every
data-derived text is HTML-escaped; the page fetches nothing from the network.
A filter box (inline JavaScript) finds provinces in any spelling ("dak nong",
"Đắk Nông", "DAKNONG"); without JavaScript the box stays hidden and every row shows.
"""
from __future__ import annotations

import html
from pathlib import Path

from ntm_analysis import __version__
from ntm_analysis.data import geo
from ntm_analysis.text import compact
from ntm_analysis import atomic
from ntm_analysis.render.manifest import Manifest

INDEX_NAME = "index.html"

_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; max-width: 80rem;
       margin: 1rem auto; padding: 0 1rem; color: #222; }
table { border-collapse: collapse; font-size: 0.85rem; width: 100%; }
th, td { border: 1px solid #ddd; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f4f4f4; }
.failed { color: #a00; font-weight: bold; }
pre { white-space: pre-wrap; font-size: 0.8rem; background: #f8f8f8; padding: 0.4rem; margin: 0; }
.note { color: #555; font-size: 0.85rem; }
#ntm-filter-box { margin: 0.5rem 0 1rem; } #ntm-filter { font-size: 1rem; padding: 0.2rem 0.4rem; width: 22rem; }
[hidden] { display: none; }
"""

# The filter box: hidden until its script runs, so without JavaScript there is no dead box and every row shows.
_FILTER_BOX = ('<p id="ntm-filter-box" hidden><label for="ntm-filter">Find a province:</label> '
               '<input type="search" id="ntm-filter" autocomplete="off" spellcheck="false" '
               'placeholder="any spelling: dak nong, Đắk Nông, dak-nong, 67"> '
               '<span id="ntm-filter-count" class="note" aria-live="polite"></span></p>')

# Folds the query exactly as text.compact folds the rows' names (đ → d, marks dropped, lower case, only a-z0-9),
# then shows the rows whose data-search holds it. Inline, fetches nothing, writes text only (never HTML).
_FILTER_JS = r"""<script>
(function () {
  "use strict";
  var box = document.getElementById("ntm-filter-box"), input = document.getElementById("ntm-filter"),
      count = document.getElementById("ntm-filter-count");
  if (!box || !input || !String.prototype.normalize) { return; }
  var rows = Array.prototype.slice.call(document.querySelectorAll("tr[data-search]"));
  function fold(s) {
    return s.replace(/[\u0111\u0110]/g, "d").normalize("NFD").replace(/\p{Mn}/gu, "").normalize("NFC")
      .toLowerCase().replace(/[^a-z0-9]+/g, "");
  }
  function apply() {
    var q = fold(input.value), shown = 0;
    rows.forEach(function (row) {
      var hit = !q || row.getAttribute("data-search").indexOf(q) >= 0;
      row.hidden = !hit;
      if (hit) { shown += 1; }
    });
    count.textContent = q ? shown + " of " + rows.length + " row(s) match" : "";
  }
  input.addEventListener("input", apply);
  box.hidden = false;
  apply();
})();
</script>"""


def _e(value: object) -> str:
    return "" if value is None else html.escape(str(value), quote=True)


def _link(href: str | None, text: str) -> str:
    if not href:
        return _e(text)
    return f'<a href="{_e(Path(href).as_posix())}">{_e(text)}</a>'


def _downloads(output: Path, entry: dict) -> str:
    """Links to a report's tables (``downloads/<slug>.xlsx`` and the CSV folder ``downloads/<slug>/`` beside its
    ``reports/`` folder; see :mod:`ntm_analysis.report.downloads`), for files that exist."""
    if entry.get("status") != "ok" or not entry.get("html"):
        return ""
    html_rel = Path(entry["html"])
    meta = entry.get("metadata") or {}
    slug = meta.get("stem") or meta.get("slug") or html_rel.stem
    base = html_rel.parent.parent / "downloads"
    links = [_link((base / f"{slug}.xlsx").as_posix(), "XLSX") if (output / base / f"{slug}.xlsx").is_file()
             else "", f'<a href="{_e((base / slug).as_posix())}/">CSV</a>' if (output / base / slug).is_dir() else ""]
    return " · ".join(x for x in links if x)


def search_key(key: str, entry: dict) -> str:
    """What the filter box matches for one row: its code and every name of the province (official, short,
    English, slug, the look-up aliases such as "Daknong" or "HCMC") and, for a 2025 province, the names of the
    2008 provinces it merged, each folded with :func:`ntm_analysis.text.compact` and separated by spaces."""
    meta = entry.get("metadata") or {}
    vintage, code = key.split("/")[:2]
    texts = [code, meta.get("province_name"), meta.get("province_name_short"), meta.get("province_name_en"),
             meta.get("slug")]
    aliases = getattr(geo, "_ALIASES", {})
    texts += [a for a, (v, c) in aliases.items() if c == code and v in (None, int(vintage))]
    for member in meta.get("constituents") or []:
        if member == code:
            continue
        try:
            p = geo.provinces_by_code(2008)[member]
        except KeyError:
            continue
        texts += [p.name, p.name_short, p.name_en, p.slug]
    return " ".join(dict.fromkeys(k for k in (compact(t) for t in texts if t) if k))


def _sort_key(item: tuple[str, dict]) -> tuple:
    key, _ = item
    vintage, code, *variant = key.split("/")
    return int(vintage), code, variant


def build_index(manifest: Manifest) -> str:
    """The index page's HTML for ``manifest``."""
    entries = sorted(manifest.entries.items(), key=_sort_key)
    vintages = sorted({int(k.split("/")[0]) for k, _ in entries})
    n_ok = sum(e["status"] == "ok" for _, e in entries)
    n_failed = sum(e["status"] != "ok" for _, e in entries)
    parts = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
             '<meta name="viewport" content="width=device-width, initial-scale=1">',
             "<title>NTM province reports</title>", f"<style>{_CSS}</style></head><body>",
             "<h1>Nông thôn mới (New Rural Development): province reports</h1>",
             f'<p class="note">{n_ok} report(s) rendered, {n_failed} failed. ntm_analysis {_e(__version__)}. '
             "Figures: latest published value in the report's years (GSO/NSO; preliminary where said). "
             "Income in thousand VND/person/month at current prices; poverty in %; population in thousand "
             "persons.</p>", _FILTER_BOX]
    for vintage in vintages:
        rows = [(k, e) for k, e in entries if k.startswith(f"{vintage}/")]
        title = "63 provinces (2008 geography)" if vintage == 2008 else "34 provinces (2025 geography)"
        parts.append(f"<h2>{_e(title)}</h2>")
        parts.append("<table><thead><tr><th>Code</th><th>Province</th><th>Region</th><th>Income per capita</th>"
                     "<th>Poverty rate, income line</th><th>Poverty rate, multidimensional</th><th>Population</th>"
                     "<th>Status</th><th>Notebook</th><th>Downloads</th></tr></thead><tbody>")
        for key, e in rows:
            meta, s = e.get("metadata") or {}, e.get("summary") or {}
            name = meta.get("province_name_short") or key
            if meta.get("variant"):
                name += f" ({meta['variant']})"
            status = ('ok' if e["status"] == "ok" else '<span class="failed">failed</span>')
            parts.append(
                f'<tr data-key="{_e(key)}" data-search="{_e(search_key(key, e))}">'
                + f"<td>{_e(key.split('/')[1])}</td>"
                + f"<td>{_link(e.get('html') if e['status'] == 'ok' else None, name)}</td>"
                + f"<td>{_e(meta.get('region', ''))}</td>"
                + "".join(f"<td>{_e(s.get(k, ''))}</td>" for k in ("income", "poverty_income_line",
                                                                  "poverty_multidimensional", "population"))
                + f"<td>{status}</td><td>{_link(e.get('notebook'), 'ipynb') if e.get('notebook') else ''}</td>"
                + f"<td>{_downloads(Path(manifest.output), e)}</td>"
                + "</tr>")
        parts.append("</tbody></table>")
    failed = [(k, e) for k, e in entries if e["status"] != "ok"]
    parts.append(f'<h2 id="failures">Failures ({len(failed)})</h2>')
    if not failed:
        parts.append("<p>None.</p>")
    else:
        parts.append("<table><thead><tr><th>Report</th><th>Failing cell</th><th>Message</th><th>Cell source</th>"
                     "</tr></thead><tbody>")
        for key, e in failed:
            err = e.get("error") or {}
            meta = e.get("metadata") or {}
            cell = err.get("cell_index")
            cell_text = (f"cell {cell} (execution {err.get('exec_count')})" if cell is not None
                         else "outside the notebook's cells")
            parts.append(f'<tr data-key="{_e(key)}" data-search="{_e(search_key(key, e))}">'
                         f"<td>{_e(meta.get('province_name_short', ''))} ({_e(key)})</td><td>{_e(cell_text)}</td>"
                         f"<td><pre>{_e(err.get('message', ''))}</pre></td>"
                         f"<td><pre>{_e(err.get('cell_source', err.get('traceback', '')))}</pre></td></tr>")
        parts.append("</tbody></table>")
    parts.append(_FILTER_JS)
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def write_index(manifest: Manifest) -> Path:
    """Write ``index.html`` next to the manifest (atomically) and return its path."""
    path = Path(manifest.output) / INDEX_NAME
    atomic.write_text(path, build_index(manifest))
    return path


__all__ = ["build_index", "write_index", "INDEX_NAME"]
