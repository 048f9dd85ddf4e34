"""The index pages' small maps: one choropleth per headline figure, each province a link to its report.

The render engine's index (``ntm_analysis.render.index``) knows nothing of maps: the province report's index words
name :func:`index_maps` (``site["extra"]``, :data:`ntm_analysis.report.spec.INDEX_MAPS`), which the engine calls by
name when it writes an index page, with the page's language and its rendered rows. This module draws the maps of
:func:`ntm_analysis.report.map_values.headline_map_values` (income, poverty on each measure, the share of communes
meeting the NTM standard, central transfers per person) as inline SVG, each province path wrapped in a link to
its report on that page when there is one (a province without a report on the page is drawn, not linked).

Drawing the maps takes seconds, so they are drawn once per language with every province linked to a placeholder,
kept in the output folder (``.index-maps/<lang>-<key>.html``, written atomically) under a key of what they depend on
(the language, the data folder's file checksums and the code that draws them), and linked per page by string
substitution (:func:`link_provinces`): a new report on the page does not redraw them.
"""
from __future__ import annotations

import hashlib
import io
import json
import re
from pathlib import Path

from ntm_analysis import atomic, i18n, paths

#: Where the drawn maps are kept in the output folder.
CACHE_DIR = ".index-maps"
#: A small map's size in inches (at 72 points per inch: about 230 × 290 CSS pixels).
FIGSIZE = (3.2, 4.0)
#: The code and words that draw the maps (their bytes are part of the cache key; read, not imported, so that an
#: unchanged index is written in well under a second).
CODE_FILES = tuple(paths.PACKAGE_DIR / f for f in (
    "report/index_maps.py", "report/map_values.py", "report/maps.py", "analyses/map_values.py", "data/boundaries.py",
    "i18n/catalog.yml", "i18n/__init__.py"))


def province_links(rows: list[dict]) -> dict[str, str]:
    """GSO code → href of the 2008-geography default-variant report of each code among ``rows`` (the engine's rows:
    ``key`` "2008/10" is Lào Cai's report; "2008/10/real" a variant, left out; 2025 reports are another geography).
    A report in another language is its own default: "2008/10/vi" links Lào Cai on the Vietnamese index."""
    out = {}
    for r in rows:
        parts = str(r.get("key", "")).split("/")
        if len(parts) in (2, 3) and parts[0] == "2008" and r.get("href") and (len(parts) == 2 or parts[2] in i18n.LANGS):
            out.setdefault(parts[1], r["href"])
    return out


def _data_key(data_dir) -> str:
    """A digest of the data folder's files (names and bytes) and of the code that draws the maps."""
    base = paths.data_dir(data_dir)
    files = sorted(p for p in base.rglob("*")
                   if p.is_file() and not any(part.startswith(".") for part in p.relative_to(base).parts))
    digest = hashlib.sha256()
    for path in files + [Path(f) for f in CODE_FILES]:
        digest.update(str(path.relative_to(base) if path.is_relative_to(base) else path.name).encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest() if path.is_file() else b"missing")
    return digest.hexdigest()


#: Maps drawn in this process, by key (a batch writes its index several times; a test session renders many folders).
_DRAWN: dict[str, str] = {}

#: The placeholder address of a province in the drawn maps (replaced per page by :func:`link_provinces`).
PLACEHOLDER = "ntm-province:"
_LINK = re.compile(r'<a xlink:href="' + PLACEHOLDER + r'(\d+)"[^>]*>(.*?)</a>', re.S)
_NUMBER = re.compile(r"-?\d+\.\d+")


def _compact_path(match: re.Match) -> str:
    """A path's coordinates to 0.1 pt (a map is ~230 pt wide) on one line, the implicit "L" after a point left out
    (SVG reads further pairs after M or L as lines): a third of matplotlib's size."""
    d = _NUMBER.sub(lambda n: f"{float(n.group(0)):.1f}".rstrip("0").rstrip("."), match.group(1))
    d = " ".join(d.split())
    if set(re.findall(r"[A-Za-z]", d)) <= {"M", "L", "z", "Z"}:  # lines only (a curve's repeat would be a curve)
        d = re.sub(r"(?<=\d) L (?=-?\d)", " ", d)
    return f'd="{d}"'


def svg_of(fig, prefix: str) -> str:
    """A figure as inline SVG: no XML prolog, DOCTYPE or metadata; text as ``<text>``; every id prefixed with
    ``prefix`` (several maps share the page), path coordinates rounded to 0.1 pt."""
    from matplotlib import rc_context  # noqa: PLC0415

    buf = io.StringIO()
    with rc_context({"svg.fonttype": "path"}):  # glyphs as paths: the page needs no font
        fig.savefig(buf, format="svg", bbox_inches="tight", pad_inches=0.05,  # a long title or footer is not cut
                    metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    svg = buf.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, flags=re.S)
    svg = re.sub(r'id="([^"]+)"', lambda g: f'id="{prefix}-{g.group(1)}"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", lambda g: f"url(#{prefix}-{g.group(1)})", svg)
    svg = re.sub(r'xlink:href="#([^"]+)"', lambda g: f'xlink:href="#{prefix}-{g.group(1)}"', svg)
    return re.sub(r'd="([^"]*)"', _compact_path, svg)


def drawn_maps(lang: str, data_dir=None) -> str:
    """The small maps of the headline figures in ``lang``, as HTML (one ``<figure>`` with an inline SVG each), every
    province wrapped in a link to the placeholder ``ntm-province:<code>``."""
    from ntm_analysis.data import geo  # noqa: PLC0415
    from ntm_analysis.report.map_values import headline_map, headline_map_values  # noqa: PLC0415

    every = {p.code: f"{PLACEHOLDER}{p.code}" for p in geo.provinces(2008)}
    figures = []
    for m in headline_map_values(lang, data_dir=data_dir):
        svg = svg_of(headline_map(m, lang, links=every, figsize=FIGSIZE, data_dir=data_dir), m["key"])
        label = i18n.html("index_map_alt", lang, title=m["title"])
        figures.append(f'<figure class="ntm-map" data-map="{m["key"]}" role="group" aria-label="{label}" '
                       f'style="margin:0">{svg}</figure>')
    head = i18n.html("index_maps_title", lang)
    return (f'<details id="maps" open><summary><h2 style="display:inline">{head}</h2></summary>\n'
            '<div class="ntm-maps" style="display:flex;flex-wrap:wrap;gap:0.5rem;align-items:flex-start">'
            + "\n".join(figures) + "</div></details>")


def link_provinces(maps: str, links: dict[str, str], lang: str) -> str:
    """``maps`` with each province linked to ``links[code]`` (its name as the link's title), and unlinked when it
    has no report on the page."""
    import markupsafe  # noqa: PLC0415

    from ntm_analysis.data import geo  # noqa: PLC0415

    names = {p.code: p.name_short for p in geo.provinces(2008)}

    def one(match: re.Match) -> str:
        code, inner = match.group(1), match.group(2)
        if code not in links:
            return inner
        return markupsafe.Markup('<a xlink:href="{}" href="{}"><title>{}</title>').format(
            links[code], links[code], names.get(code, code)) + markupsafe.Markup(inner) + markupsafe.Markup("</a>")
    return _LINK.sub(one, maps)


def index_maps(lang: str, rows: list[dict], output: str) -> str:
    """The maps of the index page of ``lang`` (called by the engine with the page's rendered rows; see the module's
    docstring): drawn once per language and data version (kept in the output folder), linked per page."""
    if lang not in i18n.LANGS:
        return ""
    data_dir = next((((r.get("metadata") or {}).get("parameters") or {}).get("data_dir") for r in rows
                     if ((r.get("metadata") or {}).get("parameters") or {}).get("data_dir")), None)
    key = hashlib.sha256(json.dumps([lang, _data_key(data_dir)]).encode()).hexdigest()[:24]
    kept = Path(output) / CACHE_DIR / f"{lang}-{key}.html"
    if kept.is_file():
        maps = kept.read_text(encoding="utf-8")
    else:
        maps = _DRAWN.get(key) or drawn_maps(lang, data_dir)
        _DRAWN[key] = maps
        kept.parent.mkdir(parents=True, exist_ok=True)
        for old in kept.parent.glob(f"{lang}-*.html"):  # one kept copy per language
            old.unlink(missing_ok=True)
        atomic.write_text(kept, maps)
    return link_provinces(maps, province_links(rows), lang)


__all__ = ["index_maps", "drawn_maps", "link_provinces", "province_links", "svg_of"]
