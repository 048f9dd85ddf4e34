"""The index pages' small maps: one choropleth per headline figure, each province a link to its report.

The render engine's index (``ntm_analysis.render.index``) knows nothing of maps: the province report's index words
name :func:`index_maps` (``site["extra"]``, :data:`ntm_analysis.report.spec.INDEX_MAPS`), which the engine calls by
name when it writes an index page, with the page's language and its rendered rows. This module draws the maps of
:func:`ntm_analysis.report.map_values.headline_map_values` (income, poverty on each measure, the share of communes
meeting the NTM standard, central transfers per person) as inline SVG, each province path wrapped in a link to
its report on that page when there is one (a province without a report on the page is drawn, not linked).

Drawing the maps takes seconds, so the HTML is kept in the output folder (``.index-maps/<key>.html``, written
atomically) under a key of everything it depends on: the language, the links, the data folder's file checksums
and the code that draws it. An ``ntm render`` with nothing changed reuses it.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import re
from pathlib import Path

from ntm_analysis import atomic, i18n, paths

#: Where the drawn maps are kept in the output folder.
CACHE_DIR = ".index-maps"
#: A small map's size in inches (at 72 points per inch: about 230 × 290 CSS pixels).
FIGSIZE = (3.2, 4.0)
#: Modules whose code draws the maps (their fingerprint is part of the cache key).
CODE = ("ntm_analysis.report.index_maps", "ntm_analysis.report.map_values", "ntm_analysis.report.maps")


def province_links(rows: list[dict]) -> dict[str, str]:
    """GSO code → href of the 2008-geography default-variant report of each code among ``rows`` (the engine's rows:
    ``key`` "2008/10" is Lào Cai's report; "2008/10/real" a variant, left out; 2025 reports are another geography)."""
    out = {}
    for r in rows:
        parts = str(r.get("key", "")).split("/")
        if len(parts) == 2 and parts[0] == "2008" and r.get("href"):
            out[parts[1]] = r["href"]
    return out


def _data_key(data_dir) -> str:
    from ntm_analysis.data import cache  # noqa: PLC0415

    base = paths.data_dir(data_dir)
    files = sorted(str(p.relative_to(base)) for p in base.rglob("*")
                   if p.is_file() and not any(part.startswith(".") for part in p.relative_to(base).parts))
    digest = hashlib.sha256(json.dumps(cache.checksums(files, base), sort_keys=True).encode())
    digest.update(cache.code_fingerprint(*CODE).encode())
    return digest.hexdigest()


def svg_of(fig) -> str:
    """A figure as inline SVG (no XML prolog or DOCTYPE; ids made unique per figure by matplotlib's ``svg.hashsalt``
    left alone: each figure's clip-path ids carry its own hash)."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg")
    text = buf.getvalue()
    return text[text.index("<svg"):]


def maps_html(lang: str, links: dict[str, str], data_dir=None) -> str:
    """The small maps of the headline figures, as HTML (one ``<figure>`` with an inline SVG each)."""
    from ntm_analysis.report.map_values import headline_map, headline_map_values  # noqa: PLC0415

    figures = []
    for m in headline_map_values(lang, data_dir=data_dir):
        fig = headline_map(m, lang, links=links, figsize=FIGSIZE, data_dir=data_dir)
        svg = svg_of(fig)
        svg = re.sub(r'id="([^"]+)"', lambda g: f'id="{m["key"]}-{g.group(1)}"', svg)  # ids unique on the page
        svg = re.sub(r'url\(#([^)]+)\)', lambda g: f'url(#{m["key"]}-{g.group(1)})', svg)
        svg = re.sub(r'xlink:href="#([^"]+)"', lambda g: f'xlink:href="#{m["key"]}-{g.group(1)}"', svg)
        title = i18n.html("index_map_alt", lang, title=m["title"])
        figures.append(f'<figure class="ntm-map" data-map="{m["key"]}" role="group" aria-label="{title}">{svg}'
                       "</figure>")
    head = i18n.html("index_maps_title", lang)
    return (f'<h2 id="maps">{head}</h2>\n<div class="ntm-maps" style="display:flex;flex-wrap:wrap;gap:0.5rem">'
            + "\n".join(figures) + "</div>")


def index_maps(lang: str, rows: list[dict], output: str) -> str:
    """The maps of the index page of ``lang`` (called by the engine with the page's rendered rows; see the module's
    docstring), from the output folder's kept copy when nothing it depends on changed."""
    if lang not in i18n.LANGS:
        return ""
    data_dir = next((((r.get("metadata") or {}).get("parameters") or {}).get("data_dir") for r in rows
                     if ((r.get("metadata") or {}).get("parameters") or {}).get("data_dir")), None)
    links = province_links(rows)
    key = hashlib.sha256(json.dumps([lang, links, _data_key(data_dir)], sort_keys=True).encode()).hexdigest()[:24]
    kept = Path(output) / CACHE_DIR / f"{lang}-{key}.html"
    if kept.is_file():
        return kept.read_text(encoding="utf-8")
    html = maps_html(lang, links, data_dir)
    kept.parent.mkdir(parents=True, exist_ok=True)
    for old in kept.parent.glob(f"{lang}-*.html"):  # one kept copy per language
        old.unlink(missing_ok=True)
    atomic.write_text(kept, html)
    return html


__all__ = ["index_maps", "maps_html", "province_links", "svg_of"]
