"""Scattered figures outside the GSO province panel: partial data points and national NTM context.

These tables are kept apart from :func:`ntm_analysis.load_panel` on purpose:
they are partial, of mixed confidence, and several measure different things
(MOLISA's administrative poor-household review vs GSO's survey rates; the
2016–2020 vs the 2022–2025 multidimensional standard). Each row keeps its
quote or note, its URL and a confidence; values written as "~5400" or
">7000" are carried with ``qualifier`` = approximate / lower_bound.

* :func:`load_datapoints` — income and poverty data points for years and
  places the panel lacks (including GSO's final national 2016 income, 3,098).
* :func:`load_ntm_national` — national NTM progress snapshots (communes and
  districts meeting the standard).
"""
from __future__ import annotations

import os
import re

import pandas as pd

from ntm_analysis.data import geo
from ntm_analysis.data import cache
from ntm_analysis.data.names import check_names
from ntm_analysis.data.sources import RawDataError, read_raw
from ntm_analysis.text import fold
from ntm_analysis.data.variables import INCOME

INCOME_POINTS_FILE = "income_datapoints_other_years_partial.csv"
POVERTY_POINTS_FILE = "poverty_province_datapoints_partial.csv"
MOLISA_FILE = "poverty_molisa_national_regional.csv"
NTM_NATIONAL_FILE = "ntm_national_progress.csv"

COLUMNS = ["level", "code", "name", "area", "year", "variable", "value", "qualifier", "unit", "measure",
           "measure_text", "status", "confidence", "quote_or_note", "source_url", "source_file", "source_row"]

_NUMBER = re.compile(r"^(?P<q>[~>]|<)?\s*(?P<num>\d+(?:\.\d+)?)\s*(?P<tail>\(target\))?$")
_REGION_PREFIX = {fold(k)[:18]: k for k in geo.REGIONS}


def parse_reported(text: str, file: str, row: int, column: str) -> tuple[float | None, str]:
    """A reported figure as (value, qualifier): "~62" → approximate, ">7000" → lower_bound, "15 (target)" → target.

    Blank → (None, "missing"). Anything else raises :class:`RawDataError` naming file, row and column.
    """
    t = str(text).strip()
    if t == "":
        return None, "missing"
    m = _NUMBER.match(t)
    if not m:
        raise RawDataError(file, row, column, text, "a number, optionally with ~ or > before it or '(target)' after")
    qualifier = {"~": "approximate", ">": "lower_bound", "<": "upper_bound"}.get(m.group("q") or "", "exact")
    if m.group("tail"):
        qualifier = "target"
    return float(m.group("num")), qualifier


def _place(text: str, file: str, row: int) -> tuple[str, str, str, str]:
    """(level, code, name, area) of a free-text geography."""
    f = fold(text)
    if f in ("whole country", "ca nuoc"):
        return "national", "VN", "Toàn quốc", "total"
    if f in ("rural", "urban"):
        return "national", "VN", "Toàn quốc", f
    for prefix, region in _REGION_PREFIX.items():
        if f.startswith(prefix[:14]):
            return "region", region, geo.REGIONS[region], "total"
    try:
        p = geo.lookup_province(text, 2008)
    except geo.ProvinceNotFound as exc:
        raise RawDataError(file, row, "geography", text, f"the whole country, a GSO region or a province ({exc})") \
            from None
    return "province", p.code, p.name_short, "total"


def _poverty_measure(text: str) -> tuple[str, str]:
    """(variable, measure id) of a free-text poverty measure; unknown wording stays 'unspecified'."""
    t = text.lower()
    if "gso" in t and "multidimensional" in t:
        if "2016-2020" in t or "2018" in t or "2016 / 2020" in t:
            return "poverty_rate_gso_multidimensional_2016_2020", "gso_multidimensional_2016_2020"
    if "near-poor" in t and "poor +" not in t:
        return "near_poverty_rate_molisa", _standard(t)
    if "poor + near-poor" in t:
        return "poverty_and_near_poverty_rate_molisa", _standard(t)
    if "unverified" in t or "non-official" in t:
        return "poverty_rate_unverified", "unspecified"
    if "molisa" in t or "2022-2025 standard" in t:
        return "poverty_rate_molisa_poor_households", _standard(t)
    return "poverty_rate_unspecified", "unspecified"


def _standard(t: str) -> str:
    if "2016-2020" in t:
        return "molisa_multidimensional_2016_2020"
    if "2022-2025" in t:
        return "molisa_multidimensional_2022_2025"
    return "molisa_standard_not_stated"


def _year_of(text: str, file: str, row: int) -> int:
    m = re.match(r"^\s*(\d{4})", str(text))
    if not m:
        raise RawDataError(file, row, "year", text, "a year (YYYY) at the start of the cell")
    return int(m.group(1))


def _rows_income(data_dir) -> list[dict]:
    df = read_raw(INCOME_POINTS_FILE, data_dir)
    out, last_url = [], ""
    for _, r in df.iterrows():
        row = int(r["_row"])
        url = last_url if r["source_url"].strip() == "same" else r["source_url"].strip()
        last_url = url
        level, code, name, area = _place(r["geography"], INCOME_POINTS_FILE, row)
        value, q = parse_reported(r["income_thousand_vnd_month"], INCOME_POINTS_FILE, row,
                                  "income_thousand_vnd_month")
        status = r["status"].strip()
        out.append(dict(level=level, code=code, name=name, area=area, year=_year_of(r["year"], INCOME_POINTS_FILE, row),
                        variable=INCOME, value=value, qualifier=q,
                        unit="thousand VND/person/month", measure="VHLSS household income, current prices (nominal)",
                        measure_text=status,
                        status="preliminary" if "prelim" in status.lower() or "sơ bộ" in status.lower() else "final",
                        confidence=r["confidence"].strip() or "not stated", quote_or_note=r["quote_or_note"],
                        source_url=url, source_file=INCOME_POINTS_FILE, source_row=row))
    return out


def _rows_poverty(data_dir) -> list[dict]:
    out = []
    df = read_raw(POVERTY_POINTS_FILE, data_dir)
    for _, r in df.iterrows():
        row = int(r["_row"])
        level, code, name, area = _place(r["province_or_area"], POVERTY_POINTS_FILE, row)
        value, q = parse_reported(r["rate_pct"], POVERTY_POINTS_FILE, row, "rate_pct")
        var, measure = _poverty_measure(r["measure"])
        if "unverified" in (r["measure"] + " " + r["quote_or_note"]).lower():
            var, measure = "poverty_rate_unverified", "unspecified"
        out.append(dict(level=level, code=code, name=name, area=area,
                        year=_year_of(r["year"], POVERTY_POINTS_FILE, row), variable=var, value=value, qualifier=q,
                        unit="% of households", measure=measure, measure_text=r["measure"], status="final",
                        confidence=r["confidence"].strip(), quote_or_note=r["quote_or_note"],
                        source_url=r["source_url"].strip(), source_file=POVERTY_POINTS_FILE, source_row=row))
    df = read_raw(MOLISA_FILE, data_dir)
    last_url, last_measure = "", ""
    for _, r in df.iterrows():
        row = int(r["_row"])
        url = last_url if r["source_url"].strip() in ("same", "") else r["source_url"].strip()
        last_url = url
        level, code, name, area = _place(r["geography"], MOLISA_FILE, row)
        measure_text = r["measure"] if "(" in r["measure"] or "molisa" in r["measure"].lower() else \
            f"{r['measure']} ({last_measure})"
        if "(" in r["measure"]:
            last_measure = r["measure"][r["measure"].index("(") + 1:].rstrip(")")
        year_text = r["year"]
        if "/" in year_text and ";" in r["rate_pct"]:
            # "2016 / 2020" with "9.9 (2016) ; 4.5 (2020)": two figures in one cell, split explicitly
            pairs = re.findall(r"(\d+(?:\.\d+)?)\s*\((\d{4})\)", r["rate_pct"])
            if not pairs:
                raise RawDataError(MOLISA_FILE, row, "rate_pct", r["rate_pct"], "'value (year) ; value (year)'")
            items = [(float(v), int(y), "exact") for v, y in pairs]
        else:
            value, q = parse_reported(r["rate_pct"], MOLISA_FILE, row, "rate_pct")
            items = [(value, _year_of(year_text, MOLISA_FILE, row), q)]
        var, measure = _poverty_measure(measure_text + " " + year_text)
        if var == "poverty_rate_unspecified" and "poor households" in measure_text:
            var, measure = "poverty_rate_molisa_poor_households", _standard(measure_text + " " + year_text)
        for value, year, q in items:
            if measure == "molisa_standard_not_stated" and 2022 <= year <= 2025:
                # the 2022–2025 standard (Decree 07/2021/ND-CP) is the one in force for these review years
                measure = "molisa_multidimensional_2022_2025"
                measure_text += " [standard inferred from the year: 2022–2025 standard in force]"
            out.append(dict(level=level, code=code, name=name, area=area, year=year, variable=var, value=value,
                            qualifier=q, unit="% of households", measure=measure, measure_text=measure_text,
                            status="final", confidence="high", quote_or_note=r["quote_or_note"], source_url=url,
                            source_file=MOLISA_FILE, source_row=row))
    return out


def build_datapoints(data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Build the data-points table (uncached; use :func:`load_datapoints`)."""
    df = pd.DataFrame(_rows_income(data_dir) + _rows_poverty(data_dir), columns=COLUMNS)
    df["year"] = df["year"].astype("int64")
    df["value"] = df["value"].astype("float64")
    return df


def load_datapoints(variable: str | None = None, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Partial income and poverty data points (other years, MOLISA reviews), each with its measure and confidence.

    ``variable`` keeps one variable; a name the table does not have raises
    :class:`~ntm_analysis.data.names.UnknownNameError` naming the closest known ones (never an empty frame)."""
    files = [f"raw/{f}" for f in (INCOME_POINTS_FILE, POVERTY_POINTS_FILE, MOLISA_FILE, "provinces_63_master.csv")]
    df = cache.frame("datapoints", files, lambda: build_datapoints(data_dir), data_dir)
    if variable is not None:
        check_names([variable], set(df["variable"].astype(str)), "variable", "load_datapoints")
        df = df[df["variable"] == variable].reset_index(drop=True)
    return df


_NTM_NATIONAL_VARS = {
    "communes_meeting_ntm": ("communes_ntm", "communes"),
    "communes_total": ("communes_total", "communes"),
    "pct_communes_ntm": ("communes_ntm_pct", "% of communes"),
    "communes_advanced_ntm": ("communes_advanced_ntm", "communes"),
    "communes_model_ntm": ("communes_model_ntm", "communes"),
    "districts_recognised": ("districts_ntm", "districts"),
    "provinces_with_districts_recognised": ("provinces_with_ntm_districts", "provinces"),
    "pct_districts": ("districts_ntm_pct", "% of districts"),
    "provinces_100pct_communes": ("provinces_all_communes_ntm", "provinces"),
    "provinces_completed_ntm_task": ("provinces_completed_ntm", "provinces"),
    "avg_criteria_per_commune": ("avg_criteria_per_commune", "criteria (of 19)"),
}


def build_ntm_national(data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    df = read_raw(NTM_NATIONAL_FILE, data_dir)
    out = []
    for _, r in df.iterrows():
        row = int(r["_row"])
        m = re.match(r"^(\d{4})(?:-(\d{2}))?", r["as_of"].strip())
        for col, (var, unit) in _NTM_NATIONAL_VARS.items():
            value, q = parse_reported(r[col], NTM_NATIONAL_FILE, row, col)
            if value is None:
                continue  # a gap stays a gap
            out.append(dict(as_of=r["as_of"], year=int(m.group(1)) if m else pd.NA,
                            month=int(m.group(2)) if m and m.group(2) else pd.NA,
                            date_exact=bool(m) and r["as_of"].strip()[:7] == r["as_of"].strip()[:7],
                            variable=var, value=value, qualifier=q, unit=unit,
                            quote_or_note=r["quote_or_note"], source_url=r["source_url"],
                            source_file=NTM_NATIONAL_FILE, source_row=row))
    res = pd.DataFrame(out)
    res["year"] = res["year"].astype("Int64")
    res["month"] = res["month"].astype("Int64")
    return res.drop(columns="date_exact")


def load_ntm_national(data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """National NTM progress snapshots 2015–2025 (communes, districts, provinces), one row per figure.

    ``as_of`` is the source's own wording; ``year``/``month`` are filled only when it starts with a
    date ("2019-09"), and are NA for undated snapshots ("September of report year").
    """
    return cache.frame("ntm_national", [f"raw/{NTM_NATIONAL_FILE}"], lambda: build_ntm_national(data_dir),
                       data_dir)
