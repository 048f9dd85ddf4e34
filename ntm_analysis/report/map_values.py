"""The headline maps in the reader's language: :func:`headline_map_values` and :func:`headline_map`.

:func:`ntm_analysis.analyses.map_values.headline_maps` picks the figures (one measure and one date per map); this
module adds the title, the source (the publisher, never an intermediate copy) and the note in English or
Vietnamese, so the national overview and the index draw the same maps from the same numbers::

    for m in headline_map_values("vi"):
        fig = choropleth(m["values"], title=m["title"], unit=m["unit"], source=m["source"], note=m["note"],
                         cmap=m["cmap"], lang="vi")
"""
from __future__ import annotations

import os

from matplotlib.figure import Figure

from ntm_analysis import i18n
from ntm_analysis.analyses.map_values import headline_maps
from ntm_analysis.data import geo
from ntm_analysis.report.maps import choropleth

#: The colour scale of each kind of figure.
CMAPS = {"income": "YlGnBu", "poverty_income_line": "OrRd", "poverty_multidimensional": "OrRd",
         "ntm": "Greens", "transfers": "Purples"}


def _snapshot(period: str, lang: str) -> str:
    """ "end-2020" → "end of 2020" / "cuối năm 2020"; "mid-2025" → "mid-2025" / "giữa năm 2025"."""
    when, _, year = period.partition("-")
    return i18n.t("map_snapshot_end" if when == "end" else "map_snapshot_mid", lang, year=year)


def _texts(m: dict, lang: str) -> tuple[str, str, str]:
    """Title, source and note of one map in ``lang``."""
    total = len(geo.provinces(2008))
    gap = i18n.t("map_note_gap", lang, n=m["n"], total=total) if m["n"] < total else ""
    status = i18n.label("status", m["status"], lang)
    if m["key"] == "income":
        return (i18n.t("map_title_income", lang, year=m["year"], status=status),
                i18n.t("map_src_income", lang), gap)
    if m["key"].startswith("poverty_"):
        measure = i18n.label("measure", m["measure"], lang)
        return (i18n.t("map_title_poverty", lang, measure=measure, year=m["year"], status=status),
                i18n.t("map_src_poverty", lang),
                " ".join(x for x in (i18n.t("map_note_poverty", lang, measure=measure), gap) if x))
    if m["kind"] == "ntm":
        first, last = (i18n.date(d, lang) for d in m["as_of"])
        return (i18n.t("map_title_communes", lang, snapshot=_snapshot(m["period"], lang), n=m["n"], total=total),
                i18n.t("map_src_ntm", lang),
                i18n.t("map_note_communes", lang, first=first, last=last))
    if m["kind"] == "transfers":
        return (i18n.t("map_title_transfers", lang, year=m["year"]), i18n.t("map_src_transfers", lang, year=m["year"]),
                i18n.t("map_note_transfers", lang, status=status, year=m["year"]))
    raise ValueError(f"no texts for map {m['key']!r}")


def headline_map_values(lang: str = "en", data_dir: str | os.PathLike | None = None) -> list[dict]:
    """The headline maps' figures with their texts in ``lang``: a list of dicts ``key``, ``title``, ``values``
    (every 2008 province code → float, NaN = no published figure), ``unit`` (as the data writes it:
    :func:`~ntm_analysis.report.maps.choropleth` translates it), ``year``, ``source`` (the publisher, in ``lang``),
    ``note``, ``cmap``, ``status``, ``n`` (provinces with a figure) and ``as_of`` (first and last date of the
    figures). Keys: ``income``, ``poverty_income_line``, ``poverty_multidimensional``, ``ntm_communes_<snapshot>``
    (the latest snapshot, and the one most provinces reported), ``transfers_per_person``."""
    i18n._check_lang(lang)
    out = []
    for m in headline_maps(data_dir):
        title, source, note = _texts(m, lang)
        out.append({"key": m["key"], "title": title, "values": dict(m["values"]), "unit": m["unit"],
                    "year": m["year"], "source": source, "note": note,
                    "cmap": CMAPS.get(m["key"], CMAPS.get(m["kind"], "YlGnBu")), "status": m["status"],
                    "n": m["n"], "as_of": m["as_of"]})
    return out


def headline_map(m: dict, lang: str = "en", **kwargs) -> Figure:
    """The choropleth of one entry of :func:`headline_map_values` (``kwargs`` go to
    :func:`~ntm_analysis.report.maps.choropleth`: ``ax``, ``links``, ``highlight``, ``figsize`` …)."""
    return choropleth(m["values"], title=m["title"], unit=m["unit"], source=m["source"], note=m["note"],
                      cmap=m["cmap"], lang=lang, **kwargs)
