"""Nominal income in real terms: the national CPI chain over time, the spatial cost of living across provinces.

GSO publishes income at current prices (nominal). To compare years, deflate with the national
consumer price index (CPI), which GSO publishes as *previous year = 100*; :func:`cpi_chain`
chains it into a price index with a chosen base year (= 100). The CPI in the data covers 2000 and
2003–2024: 2000–2016 from GSO's table (final), 2017–2024 as 100 + the annual average change GSO first
announced at each year end (status "as first announced"; same concept, so the chain continues). A year
the chain cannot reach (2001–2002 from 2010; 2025 onward) raises :class:`CPICoverageError` naming the
missing CPI years. Nothing is interpolated.

To compare provinces in the same year, divide by GSO's spatial cost of living index (SCOLI,
Hà Nội = 100, published for 2010 and 2012–2016): :func:`spatial_adjust`. A province-year with
no SCOLI stays unadjusted (NA) with a note.

Every result carries a ``price_basis`` column saying which prices its figure is in.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ntm_analysis.indicators._common import add_note, long_values, plain, year_ranges
from ntm_analysis.data.variables import CPI_VARIABLE

SCOLI_VARIABLE = "scoli_hanoi_100"
CPI_SOURCE = ("GSO annual average consumer price index (previous year = 100), national; 2017–2024 as first "
              "announced")
SCOLI_SOURCE = "GSO spatial cost of living index among provinces (Hà Nội = 100)"


class CPICoverageError(ValueError):
    """A year cannot be put on the CPI chain because a link (a year's CPI) is not published."""

    def __init__(self, base_year: int, years: list[int], missing: list[int], covered: list[int]):
        self.base_year, self.years, self.missing, self.covered = base_year, years, missing, covered
        super().__init__(
            f"cannot express {year_ranges(years)} in {base_year} prices: the national CPI (previous year = 100) is "
            f"not published for {year_ranges(missing)} (it covers {year_ranges(covered)}); CPI values are never "
            "interpolated: drop these years or supply a CPI series that covers them")


def price_basis_label(base_year: int) -> str:
    """``"constant 2010 prices (national CPI)"``."""
    return f"constant {int(base_year)} prices (national CPI)"


def _cpi_links(panel_or_cpi) -> pd.Series:
    """The CPI (previous year = 100) as a Series indexed by int year."""
    if panel_or_cpi is None:
        from ntm_analysis.data.panel import load_panel
        panel_or_cpi = load_panel(level="national", variables=CPI_VARIABLE)
    if isinstance(panel_or_cpi, pd.Series):
        s = panel_or_cpi.astype(float)
        s.index = s.index.astype(int)
    elif isinstance(panel_or_cpi, pd.DataFrame):
        df = panel_or_cpi
        if "variable" in df.columns:
            level = "national" if "level" in df.columns else None
            rows = long_values(df, CPI_VARIABLE, level=level)
            values = rows["value"]
        elif CPI_VARIABLE in df.columns and "year" in df.columns:
            rows = plain(df)
            if "level" in rows.columns:
                rows = rows[rows["level"] == "national"]
            rows = rows[rows[CPI_VARIABLE].notna()]
            values = rows[CPI_VARIABLE]
        else:
            raise ValueError(f"no national CPI found: expected a long panel with variable {CPI_VARIABLE!r} "
                             f"(level 'national'), a frame with columns 'year' and {CPI_VARIABLE!r}, or a Series "
                             "indexed by year")
        if rows["year"].duplicated().any():
            y = int(rows.loc[rows["year"].duplicated(), "year"].iloc[0])
            raise ValueError(f"the CPI has more than one value for {y}; pass the national rows only")
        s = pd.Series(values.astype(float).to_numpy(), index=rows["year"].astype(int).to_numpy())
    else:
        raise TypeError(f"expected a panel, a frame or a Series of CPI values, got {type(panel_or_cpi).__name__}")
    s = s.dropna().sort_index()
    if s.empty:
        raise ValueError(f"the CPI input holds no {CPI_VARIABLE} values (pass level='national' or level='all' rows)")
    if (s <= 0).any():
        y = int(s.index[(s <= 0).argmax()])
        raise ValueError(f"CPI for {y} is {s[y]:g}; expected a positive index (previous year = 100)")
    return s


def _needed(base: int, year: int) -> range:
    return range(base + 1, year + 1) if year >= base else range(year + 1, base + 1)


def cpi_chain(panel_or_cpi=None, base_year: int = 2010, years=None) -> pd.Series:
    """Price index with ``base_year`` = 100, chained from the national CPI (previous year = 100).

    The level of year *t* relative to the base is the product of the yearly CPI links between
    them: ``P_t = 100 × Π_{k=b+1..t} CPI_k / 100`` after the base, and
    ``P_t = 100 / Π_{k=t+1..b} (CPI_k / 100)`` before it. A year is reachable only if every link
    between it and the base is published.

    Parameters
    ----------
    panel_or_cpi : the panel (``load_panel(level="national")`` or ``"all"``), a frame with
        ``year`` and ``cpi_prev_year_100`` columns, a Series indexed by year, or ``None`` to load
        the national CPI from the shipped data.
    base_year : the year whose prices are 100.
    years : the years wanted. Default: every year reachable from the base without a gap.

    Returns
    -------
    Series indexed by year, named ``price_index_<base>_100``; ``.attrs`` holds ``price_basis``,
    ``base_year`` and ``source``.

    Raises
    ------
    CPICoverageError
        when a wanted year needs a CPI link that is not published, naming the missing years
        (e.g. 2025 for 2025; 2001–2002 for 2000 at base 2010).
    """
    links = _cpi_links(panel_or_cpi)
    base = int(base_year)
    f = (links / 100.0).to_dict()
    if years is None:
        out = {base: 100.0}
        t = base
        while t + 1 in f:
            out[t + 1] = out[t] * f[t + 1]
            t += 1
        t = base
        while t in f:
            out[t - 1] = out[t] / f[t]
            t -= 1
    else:
        wanted = sorted({int(y) for y in np.atleast_1d(years)})
        missing = sorted({k for y in wanted for k in _needed(base, y) if k not in f})
        if missing:
            bad = [y for y in wanted if any(k not in f for k in _needed(base, y))]
            raise CPICoverageError(base, bad, missing, list(links.index))
        out = {}
        for y in wanted:
            prod = float(np.prod([f[k] for k in _needed(base, y)])) if y != base else 1.0
            out[y] = 100.0 * prod if y >= base else 100.0 / prod
    s = pd.Series(out, name=f"price_index_{base}_100", dtype=float).sort_index()
    s.index.name = "year"
    s.attrs.update(price_basis=price_basis_label(base), base_year=base, source=CPI_SOURCE)
    return s


def _stem(column: str) -> str:
    return column[: -len("_nominal")] if column.endswith("_nominal") else column


def _target(frame: pd.DataFrame, column: str | None) -> tuple[str, bool]:
    """Which column holds the money values, and whether the frame is a long panel."""
    if column is not None:
        if column not in frame.columns:
            raise KeyError(f"column {column!r} not in the frame (columns: {list(frame.columns)})")
        return column, False
    if "value" in frame.columns and "variable" in frame.columns:
        return "value", True
    raise ValueError("say which column holds the nominal values (column=...), or pass a long panel "
                     "with 'variable' and 'value' columns")


def _check_money(df: pd.DataFrame, long: bool) -> None:
    if long and "unit" in df.columns:
        not_money = ~df["unit"].astype(str).str.contains("VND")
        if not_money.any():
            bad = sorted(df.loc[not_money, "variable"].astype(str).unique())
            raise ValueError(f"only money values can be deflated; the frame also holds {', '.join(bad)} "
                             f"(unit {df.loc[not_money, 'unit'].astype(str).iloc[0]!r}): select income rows first")


def to_real(frame: pd.DataFrame, base_year: int = 2010, column: str | None = None, cpi=None,
            missing: str = "raise") -> pd.DataFrame:
    """Add income at constant ``base_year`` prices (national CPI chain), with its price basis.

    Parameters
    ----------
    frame : a long panel of money variables (e.g. ``load_panel(variables="income_per_capita_nominal")``;
        its ``value`` is deflated) or a wide frame with a ``year`` column and ``column``.
    base_year : the year whose prices are used.
    column : the nominal column of a wide frame.
    cpi : CPI input as for :func:`cpi_chain` (default: the shipped national CPI).
    missing : ``"raise"`` (default) raises :class:`CPICoverageError` when a year has no CPI
        chain (2001–2002, 2025 onward); ``"na"`` leaves those rows' real value NA with a note.

    Returns
    -------
    A copy with ``<stem>_real_<base>`` (``value_real_<base>`` for a long panel;
    ``income_per_capita_real_2010`` for ``income_per_capita_nominal``), ``price_index`` (base = 100)
    and ``price_basis`` (e.g. ``"constant 2010 prices (national CPI)"``; ``"not deflated: no CPI"``
    for NA rows).
    """
    if missing not in ("raise", "na"):
        raise ValueError(f"missing must be 'raise' or 'na', got {missing!r}")
    col, long = _target(frame, column)
    if "year" not in frame.columns:
        raise KeyError("the frame needs a 'year' column")
    if "price_basis" in frame.columns and frame["price_basis"].astype(str).str.startswith("constant").any():
        raise ValueError("the frame is already at constant prices (price_basis says so); deflate nominal values only")
    out = frame.copy()
    _check_money(out, long)
    years = sorted(out["year"].dropna().astype(int).unique())
    base = int(base_year)
    try:
        index = cpi_chain(cpi, base, years)
        reachable = set(years)
    except CPICoverageError:
        if missing == "raise":
            raise
        chain = cpi_chain(cpi, base)
        reachable = set(chain.index) & set(years)
        index = chain.loc[sorted(reachable)] if reachable else chain.iloc[:0]
    yrs = out["year"].astype(int)
    out["price_index"] = yrs.map(index.to_dict()).astype(float)
    real_col = f"{_stem(col)}_real_{base}"
    out[real_col] = out[col].astype(float) / (out["price_index"] / 100.0)
    ok = yrs.isin(reachable)
    out["price_basis"] = np.where(ok, price_basis_label(base), "not deflated: no national CPI chain for this year")
    if not ok.all():
        covered = year_ranges(_cpi_links(cpi).index)
        note = pd.Series(np.where(ok, "", "no national CPI chain for " + yrs.astype(str) + f" (CPI in the data: "
                                  f"{covered}): real value left missing, never interpolated"), index=out.index)
        out["note"] = add_note(out["note"] if "note" in out.columns else pd.Series("", index=out.index), note)
    return out


def _scoli_table(scoli) -> pd.DataFrame:
    if scoli is None:
        from ntm_analysis.data.panel import load_panel
        scoli = load_panel(variables=SCOLI_VARIABLE)
    if not isinstance(scoli, pd.DataFrame):
        raise TypeError(f"scoli must be a panel or a frame with code, year and {SCOLI_VARIABLE}")
    if "variable" in scoli.columns:
        rows = long_values(scoli, SCOLI_VARIABLE)
        t = rows[["code", "year", "value"]].rename(columns={"value": SCOLI_VARIABLE})
    elif {"code", "year", SCOLI_VARIABLE} <= set(scoli.columns):
        t = plain(scoli)[["code", "year", SCOLI_VARIABLE]].dropna()
    else:
        raise ValueError(f"no spatial cost of living index found: expected variable {SCOLI_VARIABLE!r} in a long "
                         f"panel or columns code, year, {SCOLI_VARIABLE}")
    t = t.assign(code=t["code"].astype(str), year=t["year"].astype(int))
    if t.duplicated(["code", "year"]).any():
        r = t[t.duplicated(["code", "year"])].iloc[0]
        raise ValueError(f"the SCOLI has more than one value for {r['code']} in {r['year']}")
    if (t[SCOLI_VARIABLE] <= 0).any():
        r = t[t[SCOLI_VARIABLE] <= 0].iloc[0]
        raise ValueError(f"SCOLI for {r['code']} in {r['year']} is {r[SCOLI_VARIABLE]:g}; expected a positive index")
    return t


def spatial_adjust(frame: pd.DataFrame, scoli=None, column: str | None = None) -> pd.DataFrame:
    """Add income in Hà Nội prices: value ÷ (SCOLI / 100), SCOLI of the same province and year.

    GSO's spatial cost of living index (Hà Nội = 100) is published for 2010 and 2012–2016. A
    province-year without it (e.g. 2011, 2023, or a region/national row) gets NA and a note:
    the index of another year is never used.

    Parameters
    ----------
    frame : a long panel (``value`` is adjusted) or a wide frame with ``code``, ``year`` and ``column``.
    scoli : the panel with ``scoli_hanoi_100`` rows, or a frame with ``code``, ``year``,
        ``scoli_hanoi_100`` (default: the shipped data).
    column : the money column of a wide frame.

    Returns
    -------
    A copy with ``scoli_hanoi_100`` (the index used), ``<stem>_hanoi_prices`` and ``price_basis``:
    ``"current prices, Hà Nội price level of the same year (GSO SCOLI)"``, or the frame's earlier
    basis followed by the spatial adjustment (e.g. after :func:`to_real`).
    """
    col, long = _target(frame, column)
    if "year" not in frame.columns or "code" not in frame.columns:
        raise KeyError("the frame needs 'code' and 'year' columns")
    out = frame.copy()
    _check_money(out, long)
    if "price_basis" in out.columns:
        # adjust the real column if to_real was applied first
        real = [c for c in out.columns if c.startswith(f"{_stem(col)}_real_")]
        if real:
            col = real[0]
    t = _scoli_table(scoli)
    key = pd.MultiIndex.from_arrays([out["code"].astype(str), out["year"].astype(int)])
    lookup = t.set_index(["code", "year"])[SCOLI_VARIABLE]
    out[SCOLI_VARIABLE] = lookup.reindex(key).to_numpy()
    out[f"{_stem(col)}_hanoi_prices"] = out[col].astype(float) / (out[SCOLI_VARIABLE] / 100.0)
    have = out[SCOLI_VARIABLE].notna()
    spatial = "Hà Nội price level of the same year (GSO spatial cost of living index, Hà Nội = 100)"
    earlier = (out["price_basis"].astype(str) if "price_basis" in out.columns
               else pd.Series("current prices", index=out.index))
    out["price_basis"] = np.where(have, earlier + ", " + spatial,
                                  earlier + "; not spatially adjusted: no SCOLI for this province and year")
    if not have.all():
        note = pd.Series(np.where(have, "", "no spatial cost of living index for " + out["code"].astype(str) + " in "
                                  + out["year"].astype(int).astype(str)
                                  + " (published 2010, 2012–2016 for provinces): "
                                  "not adjusted, never taken from another year"), index=out.index)
        out["note"] = add_note(out["note"] if "note" in out.columns else pd.Series("", index=out.index), note)
    return out
