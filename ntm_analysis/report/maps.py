"""Maps of Vietnam's provinces: a choropleth of any province-level figure and a small locator map.

* :func:`choropleth` colours each province by its figure (``values``: GSO code → number; NaN or absent = no published
  figure, drawn hatched and named in the legend), with a colour bar labelled with the unit, the source line, the
  boundary attribution and its caveat, and the archipelagos Hoàng Sa (part of Đà Nẵng) and Trường Sa (part of Khánh
  Hòa) boxed and labelled. ``highlight`` outlines one province; ``links`` makes provinces clickable in an SVG export
  (``fig.savefig(buf, format="svg")``: each province's path is wrapped in ``<a xlink:href=…>``).
* :func:`locator_map` shows where one province lies: the province highlighted, its GSO region shaded.

Both work for the 63 provinces (``vintage=2008``) and the 34 of 2025 (``vintage=2025``), in English and Vietnamese
(every text from the catalog, numbers in the reader's convention). matplotlib only: one
:class:`~matplotlib.patches.PathPatch` per province (its ``gid`` is ``"province-<code>"``), drawn from
:func:`ntm_analysis.data.boundaries.load_boundaries`; longitude and latitude are drawn equirectangular with the
scale of 16° N, so the country keeps its shape. Figures are made without pyplot (nothing to close, nothing kept).
"""
from __future__ import annotations

import math
import os
import textwrap
from typing import Mapping

import numpy as np
from matplotlib import colormaps
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Colormap, ListedColormap, Normalize
from matplotlib.figure import Figure
from matplotlib.patches import Patch, PathPatch, Rectangle
from matplotlib.path import Path as MplPath
from matplotlib.ticker import FuncFormatter, MaxNLocator

from ntm_analysis import i18n
from ntm_analysis.data import geo
from ntm_analysis.data.boundaries import ProvinceShape, aspect, load_boundaries

#: The map's window (longitude min, max; latitude min, max): the mainland, the islands and both archipelagos.
EXTENT = (102.0, 117.4, 8.2, 23.6)
#: The font of every map text: it has every Vietnamese letter with its tone mark.
FONT_FAMILY = "DejaVu Sans"
#: Drawing of a province without a figure.
MISSING_FACE, MISSING_EDGE, MISSING_HATCH = "#ffffff", "#8a8a8a", "////"
#: Province borders.
BORDER = "#ffffff"
#: The archipelagos: (province code, catalog key of the label, where the label goes relative to the box).
ARCHIPELAGOS = (("48", "map_hoang_sa", "below"), ("56", "map_truong_sa", "above"))
#: Longitudes east of which a province's parts are the archipelagos (the mainland and coastal islands lie west).
ARCHIPELAGO_LON = 110.5
DEFAULT_CMAP = "YlGnBu"
#: A province whose extent (diagonal, degrees) is below this gets a ring on the locator map.
SMALL_DEGREES = 1.2
#: The palest part of a named colormap left out (see :func:`colormap`).
PALEST = 0.15


def colormap(cmap: str | Colormap | None = None) -> Colormap:
    """The colour scale of a map: a named matplotlib colormap without its palest :data:`PALEST` part (so the smallest
    figure is never white like a province without a figure); a :class:`Colormap` object is used as it is."""
    if isinstance(cmap, Colormap):
        return cmap
    name = cmap or DEFAULT_CMAP
    base = colormaps[name]
    return ListedColormap(base(np.linspace(PALEST, 1.0, 256)), name=f"{name}_map")


def _path(shape: ProvinceShape, parts=None) -> MplPath:
    """One compound path of a province's polygons (exterior rings counter-clockwise, holes clockwise)."""
    verts, codes = [], []
    for poly in (shape.polygons if parts is None else parts):
        for ring in poly:
            verts.append(ring)
            c = np.full(len(ring), MplPath.LINETO, dtype=MplPath.code_type)
            c[0], c[-1] = MplPath.MOVETO, MplPath.CLOSEPOLY
            codes.append(c)
    return MplPath(np.concatenate(verts), np.concatenate(codes))


def _new_axes(figsize: tuple[float, float], rect: tuple[float, float, float, float]):
    fig = Figure(figsize=figsize)
    FigureCanvasAgg(fig)  # a canvas that can measure text (fig.canvas.get_renderer()), as pyplot would attach
    ax = fig.add_axes(rect)
    return fig, ax


def _frame(ax) -> None:
    ax.set_xlim(EXTENT[0], EXTENT[1])
    ax.set_ylim(EXTENT[2], EXTENT[3])
    ax.set_aspect(aspect(16.0))
    ax.set_axis_off()


def _add(ax, patch) -> None:
    """Add a province's patch to a map whose limits :func:`_frame` fixed: no per-patch update of the data limits
    (``add_patch`` walks every path's curves for it: 1.7 s of the index's six maps, for limits never used)."""
    ax.add_artist(patch)


def _check_values(values: Mapping, vintage: int) -> dict[str, float]:
    """``values`` as {code: float}; an unknown code or a value that is not a number raises ValueError naming it."""
    known = geo.provinces_by_code(vintage)
    out: dict[str, float] = {}
    for code, v in dict(values).items():
        c = str(code)
        if c not in known:
            raise ValueError(f"choropleth values: code {code!r} is not a province of the {vintage} geography; "
                             f"expected a two-digit GSO code such as '01' (codes: {', '.join(sorted(known))})")
        try:
            x = float(v) if v is not None else math.nan
        except (TypeError, ValueError):
            raise ValueError(f"choropleth values: the value of {c} ({known[c].name_short}) is {v!r}; expected a "
                             "number (NaN for no published figure)") from None
        if math.isinf(x):
            raise ValueError(f"choropleth values: the value of {c} ({known[c].name_short}) is {v!r}; expected a "
                             "finite number (NaN for no published figure)")
        out[c] = x
    return out


def _decimals(lo: float, hi: float) -> int:
    span = hi - lo
    if span >= 20:
        return 0
    if span >= 2:
        return 1
    return 2


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.fill(part, width=width, break_long_words=False) for part in text.split("\n"))


def _chars(fig: Figure, frac_width: float, fontsize: float) -> int:
    """How many characters of ``fontsize`` fit in ``frac_width`` of the figure's width (DejaVu Sans, about 0.55 em)."""
    return max(20, int(fig.get_figwidth() * frac_width * 72 / (fontsize * 0.56)))


def _archipelagos(ax, shapes: dict[str, ProvinceShape], lang: str, fontsize: float,
                  faces: Mapping[str, object] | None = None, label: bool = True) -> None:
    """Hoàng Sa and Trường Sa (specks at this scale): each island drawn as a dot in its province's colour
    (``faces``: code → face colour), a dashed box round each archipelago, and its label."""
    for code, key, where in ARCHIPELAGOS:
        if code not in shapes:
            continue
        parts = shapes[code].parts_within(ARCHIPELAGO_LON, 180.0)
        if not parts:
            continue
        pts = np.concatenate([p[0] for p in parts])
        centres = np.array([p[0][:-1].mean(axis=0) for p in parts])
        ax.plot(centres[:, 0], centres[:, 1], linestyle="none", marker="o", markersize=2.6,
                markerfacecolor=(faces or {}).get(code, "#bbbbbb"), markeredgecolor="#555555",
                markeredgewidth=0.4, zorder=3)
        x0, y0 = pts.min(axis=0) - 0.35
        x1, y1 = pts.max(axis=0) + 0.35
        ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, edgecolor="#777777", linewidth=0.6,
                               linestyle=(0, (2, 2)), zorder=1))
        if label:
            y = y0 - 0.15 if where == "below" else y1 + 0.15
            ax.text((x0 + x1) / 2, y, i18n.t(key, lang).replace(" (", "\n("), ha="center",
                    va="top" if where == "below" else "bottom", fontsize=fontsize, color="#444444",
                    family=FONT_FAMILY, linespacing=1.1)


def _footer(fig: Figure, ax, lines: list[str], fontsize: float) -> None:
    """The note, source and attribution under the map, as one text (so its lines never overlap)."""
    width = _chars(fig, ax.get_position().width, fontsize)
    ax.annotate(_wrap("\n".join(x for x in lines if x), width), xy=(0, 0), xycoords="axes fraction",
                xytext=(0, -4), textcoords="offset points", ha="left", va="top", fontsize=fontsize,
                color="#444444", family=FONT_FAMILY, annotation_clip=False)


def choropleth(values: Mapping[str, float], *, vintage: int = 2008, title: str | None = None, unit: str,
               source: str, lang: str = "en", ax=None, highlight: str | None = None,
               links: Mapping[str, str] | None = None, cmap: str | Colormap | None = None, note: str | None = None,
               vmin: float | None = None, vmax: float | None = None, figsize: tuple[float, float] = (6.0, 7.4),
               data_dir: str | os.PathLike | None = None) -> Figure:
    """A map of the provinces coloured by ``values``.

    Parameters
    ----------
    values
        GSO code (``"01"``) → figure. NaN (or a province left out) means no published figure: that province is
        hatched and the legend says so. A code that is not a province of ``vintage`` raises ``ValueError``.
    vintage
        2008 (63 provinces) or 2025 (34 provinces).
    title, unit, source, note
        Texts in the reader's language: ``unit`` labels the colour bar (a unit the catalog knows is translated),
        ``source`` follows "Source:" under the map (name the publisher), ``note`` goes above it.
    lang
        "en" or "vi".
    ax
        Draw into this axes (its figure is returned) instead of a new figure of ``figsize``.
    highlight
        A province code to outline (a locator).
    links
        Code → URL: each province's path gets ``set_url``, so an SVG export makes it a link.
    cmap, vmin, vmax
        The colour scale (:func:`colormap` of ``cmap``, default ``"YlGnBu"``; from ``vmin`` to ``vmax``, by default
        the smallest and the largest figure).

    Returns
    -------
    matplotlib.figure.Figure
        Each province is a ``PathPatch`` with ``gid`` ``"province-<code>"`` (and ``"province-<code>-islands"`` for
        the boxed archipelago parts when ``highlight`` is one of their provinces).
    """
    i18n._check_lang(lang)
    vals = _check_values(values, vintage)
    shapes = load_boundaries(vintage, data_dir)
    links = dict(links or {})
    for code in links:
        if str(code) not in shapes:
            raise ValueError(f"choropleth links: code {code!r} is not a province of the {vintage} geography")
    if highlight is not None and str(highlight) not in shapes:
        raise ValueError(f"choropleth highlight: code {highlight!r} is not a province of the {vintage} geography")
    own_figure = ax is None
    if own_figure:
        fig, ax = _new_axes(figsize, (0.02, 0.17, 0.96, 0.76))
    else:
        fig = ax.figure
    _frame(ax)
    cmap_ = colormap(cmap)
    finite = [v for v in vals.values() if not math.isnan(v)]
    lo = vmin if vmin is not None else (min(finite) if finite else 0.0)
    hi = vmax if vmax is not None else (max(finite) if finite else 1.0)
    if hi <= lo:
        hi = lo + 1.0
    norm = Normalize(vmin=lo, vmax=hi)
    missing, faces = [], {}
    for code, shape in shapes.items():
        v = vals.get(code, math.nan)
        if math.isnan(v):
            missing.append(code)
            patch = PathPatch(_path(shape), facecolor=MISSING_FACE, edgecolor=MISSING_EDGE, hatch=MISSING_HATCH,
                              linewidth=0.3, zorder=2)
        else:
            patch = PathPatch(_path(shape), facecolor=cmap_(norm(v)), edgecolor=BORDER, linewidth=0.3, zorder=2)
        faces[code] = patch.get_facecolor()
        patch.set_gid(f"province-{code}")
        if code in links:
            patch.set_url(str(links[code]))
        _add(ax, patch)
    if highlight is not None:
        _add(ax, PathPatch(_path(shapes[str(highlight)]), facecolor="none", edgecolor="#111111", linewidth=1.4,
                           zorder=4))
    small = fig.get_figwidth() < 4.5
    _archipelagos(ax, shapes, lang, fontsize=5.5 if small else 6.5,
                  faces={c: faces.get(c, MISSING_FACE) for c in shapes})
    if finite:
        cax = ax.inset_axes([0.56, 0.91, 0.40, 0.022])
        bar = fig.colorbar(ScalarMappable(norm=norm, cmap=cmap_), cax=cax, orientation="horizontal")
        dec = _decimals(lo, hi)
        bar.ax.xaxis.set_major_locator(MaxNLocator(nbins=4 if not small else 3))
        bar.ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: i18n.fmt_number(v, lang, dec)))
        bar.ax.tick_params(labelsize=6.5 if small else 7.5, length=2, pad=1.5)
        bar.outline.set_linewidth(0.4)
        bar.set_label(_wrap(i18n.unit(unit, lang), 32 if not small else 24), fontsize=6.5 if small else 8,
                      family=FONT_FAMILY, labelpad=3)
        cax.xaxis.set_label_position("top")
        for t in bar.ax.get_xticklabels():
            t.set_family(FONT_FAMILY)
    if missing:
        ax.legend(handles=[Patch(facecolor=MISSING_FACE, edgecolor=MISSING_EDGE, hatch=MISSING_HATCH,
                                 linewidth=0.4, label=i18n.t("map_no_figure", lang))],
                  loc="upper right", bbox_to_anchor=(0.98, 0.82), frameon=False,
                  prop={"family": FONT_FAMILY, "size": 6.5 if small else 7.5}, handlelength=1.6, handleheight=1.1)
    if title:
        ax.set_title(_wrap(title, _chars(fig, ax.get_position().width, 10 if not small else 8)), loc="left",
                     fontsize=10 if not small else 8, fontweight="bold", family=FONT_FAMILY)
    fsize = 6.5 if not small else 5.5
    _footer(fig, ax, [note or "", i18n.t("source_line", lang, source=source),
                      i18n.t("map_attribution", lang) + " " + i18n.t("map_caveat", lang)], fsize)
    return fig


def _region_members(code: str, vintage: int) -> tuple[str, list[str]]:
    """The GSO region of a province and the codes of its provinces (same vintage)."""
    prov = geo.provinces_by_code(vintage)[code]
    return prov.region, [p.code for p in geo.provinces(vintage) if p.region == prov.region]


def locator_map(code: str, *, vintage: int = 2008, lang: str = "en", figsize: tuple[float, float] = (3.0, 3.7),
                data_dir: str | os.PathLike | None = None) -> Figure:
    """A small map locating one province: the province in a strong colour with a ring round it (small provinces
    stay visible), the other provinces of its GSO region shaded, the rest grey; the archipelagos boxed and labelled;
    the boundary attribution in one line.

    ``code`` is any spelling :func:`ntm_analysis.data.geo.lookup_province` accepts for ``vintage``."""
    i18n._check_lang(lang)
    prov = geo.lookup_province(code, vintage=vintage)
    shapes = load_boundaries(vintage, data_dir)
    region, members = _region_members(prov.code, vintage)
    fig, ax = _new_axes(figsize, (0.0, 0.10, 1.0, 0.90))
    _frame(ax)
    for c, shape in shapes.items():
        face = "#c0392b" if c == prov.code else ("#9ecae1" if c in members else "#dddddd")
        patch = PathPatch(_path(shape), facecolor=face, edgecolor=BORDER, linewidth=0.2, zorder=3 if c == prov.code
                          else 2)
        patch.set_gid(f"province-{c}")
        _add(ax, patch)
    main = [p for p in shapes[prov.code].polygons if p[0][:, 0].max() < ARCHIPELAGO_LON] or \
        list(shapes[prov.code].polygons)
    biggest = max(main, key=lambda p: abs(float(np.dot(p[0][:-1, 0], p[0][1:, 1]) - np.dot(p[0][1:, 0], p[0][:-1, 1]))))
    cx, cy = biggest[0][:-1].mean(axis=0)
    pts = np.concatenate([p[0] for p in main])
    (lon0, lat0), (lon1, lat1) = pts.min(axis=0), pts.max(axis=0)
    if math.hypot(lon1 - lon0, lat1 - lat0) < SMALL_DEGREES:  # a small province: a ring round it
        ax.plot([cx], [cy], marker="o", markersize=11, markerfacecolor="none", markeredgecolor="#c0392b",
                markeredgewidth=1.2, zorder=4)
    _archipelagos(ax, shapes, lang, fontsize=5.5,
                  faces={c: "#c0392b" if c == prov.code else "#9ecae1" if c in members else "#dddddd" for c in shapes})
    region_label = _wrap(i18n.t("map_region", lang, region=geo.REGIONS[region] if lang == "vi" else region), 24)
    ax.legend(handles=[Patch(facecolor="#c0392b", label=prov.name_short),
                       Patch(facecolor="#9ecae1", label=region_label)],
              loc="upper right", bbox_to_anchor=(1.0, 1.0), frameon=False,
              prop={"family": FONT_FAMILY, "size": 6.5}, handlelength=1.0, handleheight=0.8, borderaxespad=0.2)
    fig.text(0.02, 0.01, _wrap(i18n.t("source_line", lang, source=i18n.t("map_attribution_short", lang)), _chars(fig, 0.96, 5.5)), fontsize=5.5,
             color="#555555", ha="left", va="bottom", family=FONT_FAMILY)
    return fig


def province_locator(ctx) -> Figure:
    """The locator map of a report (:class:`~ntm_analysis.report.context.ReportContext`): its province in its
    geography and language."""
    return locator_map(ctx.place.code, vintage=ctx.place.vintage, lang=ctx.lang, data_dir=ctx.params.data_dir)
