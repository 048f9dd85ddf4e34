"""Average population of each province over a span of years, from one GSO series that covers every year of it.

The panel holds two GSO vintages of average population that disagree where they overlap (Hà Nội 2012:
6,991.43 thousand in the revised PX-Web table V02.01, 6,865.2 in the 1995–2016 series):
``population_total_v0201`` (2011–2022) and ``population_total`` (1995–2016). :func:`population_over`
never mixes them within one average.
"""
from __future__ import annotations

import os

import numpy as np
import pandas as pd

from ntm_analysis.data import cache
from ntm_analysis.data.panel import PANEL_FILES, REGISTRY_FILES, load_panel
from ntm_analysis.data.variables import POPULATION, POPULATION_V0201

COLUMNS = ["code", "name", "population_thousand", "population_series", "population_years", "population_note"]
#: The data files the population figures come from (the panel's, its registries, the access dates).
FILES = [f"raw/{f}" for f in PANEL_FILES + REGISTRY_FILES] + ["provenance.yml"]
#: The series in order of preference, with the words a note uses for each.
SERIES = ((POPULATION_V0201, "V02.01"), (POPULATION, "the 1995–2016 series"))


def _span(years: list[int]) -> str:
    """[2023, 2024, 2025] → "2023–2025"; [2023] → "2023"; gaps listed: [2005, 2023] → "2005, 2023"."""
    years = sorted(years)
    if not years:
        return ""
    if years == list(range(years[0], years[-1] + 1)):
        return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"
    return ", ".join(str(y) for y in years)


def population_over(start: int, end: int, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Mean average population of each of the 63 provinces over the years ``start``..``end`` (inclusive).

    Rule: for each province, use ONE series that has a value for every year ``start``..``end``: GSO's revised
    series (PX-Web V02.01, ``population_total_v0201``, 2011–2022) if it covers them all, else the 1995–2016
    series (``population_total``). The two vintages are never mixed within one average. If neither series
    covers every year, the population is NaN and ``population_note`` says which years are not published.

    Parameters
    ----------
    start, end : first and last year of the span (``start <= end``).
    data_dir : a data folder with the layout of the shipped ``data/``.

    Returns
    -------
    DataFrame, one row per province (63), columns ``code``, ``name``, ``population_thousand`` (mean of the
    years, thousand persons; NaN when no single series covers them), ``population_series`` (the panel
    variable used; "" when NaN), ``population_years`` (e.g. "2016–2020"), ``population_note`` (why NaN,
    e.g. "population not published for 2023–2025 (V02.01 covers 2011–2022; the 1995–2016 series covers
    1995–2016)"; for Hà Nội before 2008, that its boundary changed within the span).
    """
    start, end = int(start), int(end)
    if start > end:
        raise ValueError(f"population_over: start {start} is after end {end}")
    return cache.memo(f"population_over_{start}_{end}", FILES, lambda: _population_over(start, end, data_dir),
                      data_dir)


def _series(data_dir) -> tuple[dict[str, str], dict[tuple[str, str], dict[int, float]]]:
    """The provinces' names by code and each (code, series) as year → value, read once per data version (every
    span of :func:`population_over` is then plain look-ups: 24 spans cost 3.5 s when each regrouped the panel)."""
    def build():
        panel = load_panel(variables=[v for v, _ in SERIES], data_dir=data_dir)
        codes, variables = panel["code"].astype(str), panel["variable"].astype(str)
        names = dict(sorted(zip(codes, panel["name"].astype(str))))  # one name per code (the panel's registry)
        values: dict[tuple[str, str], dict[int, float]] = {}
        for code, var, year, value in zip(codes, variables, panel["year"], panel["value"]):
            values.setdefault((code, var), {})[int(year)] = float(value)
        return names, values
    return cache.memo("population_series", FILES, build, data_dir, copy=False)


def _population_over(start: int, end: int, data_dir) -> pd.DataFrame:
    years = list(range(start, end + 1))
    names, values = _series(data_dir)
    rows = []
    for code, name in names.items():
        by_series = {v: values.get((code, v), {}) for v, _ in SERIES}
        chosen = next((v for v, _ in SERIES if set(years) <= by_series[v].keys()), None)
        if chosen is not None:
            # as pandas' mean: the float64 sum (numpy's pairwise summation) over the count
            value, note = float(np.asarray([by_series[chosen][y] for y in years]).sum() / len(years)), ""
        else:
            value = float("nan")
            ranges = "; ".join(
                f"{label} {'covers ' + _span(list(by_series[v])) if by_series[v] else 'has no row'}"
                for v, label in SERIES)
            nowhere = [y for y in years if all(y not in by_series[v] for v, _ in SERIES)]
            if nowhere:
                note = f"population not published for {_span(nowhere)} ({ranges})"
            else:
                note = (f"no single population series covers every year {_span(years)} ({ranges}); "
                        "the two GSO vintages are never mixed in one average")
        if code == "01" and chosen is not None and start < 2008:
            note = "Hà Nội before 1 August 2008 excludes Hà Tây: the average spans the boundary change"
        rows.append(dict(code=code, name=name, population_thousand=value,
                         population_series=chosen or "", population_years=_span(years), population_note=note))
    out = pd.DataFrame(rows, columns=COLUMNS)
    out["population_thousand"] = out["population_thousand"].astype("float64")
    return out
