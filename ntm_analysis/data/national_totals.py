"""National NTM money and commune totals reported after 2016: allocation totals, coefficients, commune counts.

Two small tables, kept apart from the province panel and from each other:

* :func:`load_ntm_allocation` — national central-budget totals for New Rural Development by phase (plans,
  earmarks), the per-commune allocation coefficients of Decision 07/2022/QĐ-TTg, and a few scattered
  province allocation items. ``part`` selects one of the three; they are never served together, so a
  province's item cannot be mistaken for a share of a national total. The per-province appendices of
  Decisions 652 and 653/QĐ-TTg (2022) were not found: no province table of allocations exists here.
* :func:`load_ntm_communes_national` — five national snapshots 2017–2025 of communes meeting the NTM
  standard (MARD figures quoted in the press). A snapshot's denominator ("of 8,267") is served as its own
  row; two snapshots repeat figures of :func:`ntm_analysis.load_ntm_national`, and the ``note`` says so.

Every row keeps its publisher, status, source URL and the verbatim quote.
"""
from __future__ import annotations

import os
import re

import pandas as pd

from ntm_analysis.data import cache, geo
from ntm_analysis.data.datapoints import NTM_NATIONAL_FILE, load_ntm_national
from ntm_analysis.data.sources import RawDataError, read_raw, to_number

ALLOCATION_FILE = "ntm_allocation_national_totals_and_criteria.csv"
COMMUNES_FILE = "ntm_communes_national_totals_2017_2025.csv"
PARTS = ("national", "coefficients", "province")
ALLOCATION_COLUMNS = ["part", "level", "code", "name", "period", "variable", "variable_in_source", "value", "unit", "status", "publisher",
                      "scope", "quote", "source_url", "source_file", "source_row"]
COMMUNES_COLUMNS = ["as_of", "year", "month", "variable", "value", "unit", "status", "publisher", "quote",
                    "source_url", "source_file", "source_row", "note"]
_MOF = "Ministry of Finance (MOF)"
_PM = "Prime Minister of Viet Nam"
_MARD = "Ministry of Agriculture and Rural Development (MARD)"


def _publisher(status: str, source: str, place: str) -> str:
    """The publisher a row's status or source names (the press page is only where it was read)."""
    s = status.lower()
    if "qđ 07/2022" in s or "qđ 1600" in s or "deputy pm" in s or "51 localities" in place:
        return _PM
    if "/bnn-" in s:
        return _MARD
    if "mof" in s or "mof" in source.lower():
        return _MOF
    if "provincial" in s:
        return "provincial People's Council / People's Committee"
    return "Central Steering Committee / MARD, as reported in the press"


def _url(source: str, status: str) -> str:
    """A github copy's source is an intermediary: name the MOF table instead (the copy stays in provenance)."""
    if source.startswith("github:"):
        m = re.search(r"\((MOF[^)]*)\)", status)
        return f"https://mof.gov.vn ({m.group(1)})" if m else "https://mof.gov.vn (MOF budget estimate)"
    return source


def build_ntm_allocation(data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Build the allocation table (uncached; use :func:`load_ntm_allocation`)."""
    file = ALLOCATION_FILE
    df = read_raw(file, data_dir)
    value = to_number(df, "value", file, allow_blank=False)
    reg = geo.provinces_by_code(2008)
    rows = []
    for i, r in df.iterrows():
        row, code = int(r["_row"]), r["province_code"].strip()
        var = r["variable"].strip()
        if var.startswith("QD07_2022_allocation_coefficient_per_commune"):
            part, level, code, name = "coefficients", "criterion", "", "all provinces"
            scope = "per-commune coefficient for allocating central NTM funds to provinces, 2022–2025"
        elif code == "00":
            part, level, code, name = "national", "national", "VN", "Toàn quốc"
            scope = ("national total of a supplement to 51 localities, not to every province"
                     if "51 localities" in r["province"] else
                     ("national total, Sustainable Poverty Reduction programme (not NTM)" if var.startswith("poverty")
                      else "national total, New Rural Development programme"))
        elif code in reg:
            part, level, name = "province", "province", reg[code].name_short
            scope = "one province's allocation item, as reported; not a share of any national total"
        else:
            raise RawDataError(file, row, "province_code", code, "'00', blank for a criterion row, or a GSO "
                                                                 "province code of the 63-province geography")
        variable = re.sub(r"\s*\(.*\)$", "", var.split(":")[0]).strip().lower()
        rows.append(dict(part=part, level=level, code=code, name=name, period=r["year"].strip(), variable=variable,
                         variable_in_source=var,
                         value=float(value[i]), unit=r["unit"].strip(), status=r["status"].strip(),
                         publisher=_publisher(r["status"], r["source"], r["province"]), scope=scope,
                         quote=r["quote_or_row"].strip(), source_url=_url(r["source"].strip(), r["status"]), source_file=file,
                         source_row=row))
    out = pd.DataFrame(rows, columns=ALLOCATION_COLUMNS)
    out["source_row"] = out["source_row"].astype("int64")
    return out


def load_ntm_allocation(part: str = "national", data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """National NTM allocation totals, the 2022 allocation coefficients, or scattered province items.

    Parameters
    ----------
    part : "national" (central-budget totals by phase: plans, earmarks, the 2017 MOF estimates of the two
        programmes), "coefficients" (Decision 07/2022/QĐ-TTg: 5 / 3 / 1 per commune by criteria met) or
        "province" (a few province allocation items; never a province table).
    data_dir : a data folder with the layout of the shipped ``data/``.

    Returns
    -------
    DataFrame with ``ALLOCATION_COLUMNS``: ``variable`` (the source's name, lower case, without its
    parenthesis or criterion; ``variable_in_source`` keeps it whole: the three coefficients share
    ``qd07_2022_allocation_coefficient_per_commune`` and differ there), ``period`` as the source writes it ("2021-2025", "2017"),
    ``value`` in the source's ``unit`` (billion or million VND, or a coefficient), ``status`` (plan,
    law, allocation, reported…), ``publisher``, ``scope``, the verbatim ``quote`` and its ``source_url``.
    """
    if part not in PARTS:
        raise ValueError(f"part must be one of {', '.join(PARTS)}; got {part!r}")
    files = [f"raw/{ALLOCATION_FILE}", "raw/provinces_63_master.csv"]
    df = cache.frame("ntm_allocation", files, lambda: build_ntm_allocation(data_dir), data_dir)
    return df[df["part"] == part].reset_index(drop=True)


_OF = re.compile(r"^communes \(of (?P<n>[\d,]+)\)$")
_VARS = {"communes_meeting_NTM": "communes_ntm", "share_communes_meeting_NTM": "communes_ntm_pct"}


def build_ntm_communes_national(data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Build the commune snapshots (uncached; use :func:`load_ntm_communes_national`)."""
    file = COMMUNES_FILE
    df = read_raw(file, data_dir)
    value = to_number(df, "value", file, allow_blank=False)
    older = load_ntm_national(data_dir=data_dir)
    older = older[older["year"].notna() & older["month"].notna()]
    rows = []
    for i, r in df.iterrows():
        row = int(r["_row"])
        if r["province_code"].strip() != "00":
            raise RawDataError(file, row, "province_code", r["province_code"], "00 (national)")
        m = re.fullmatch(r"(\d{4})-(\d{2})", r["year"].strip())
        if not m:
            raise RawDataError(file, row, "year", r["year"], "a month, YYYY-MM")
        var = _VARS.get(r["variable"].strip())
        if var is None:
            raise RawDataError(file, row, "variable", r["variable"], " or ".join(_VARS))
        unit = r["unit"].strip()
        of = _OF.match(unit)
        base = dict(as_of=r["year"].strip(), year=int(m.group(1)), month=int(m.group(2)),
                    status=r["status"].strip(), publisher=_MARD + ", as reported in the press",
                    quote=r["quote_or_row"].strip(), source_url=r["source"].strip(), source_file=file, source_row=row)
        items = [(var, float(value[i]), "communes" if of else unit)]
        if of:
            items.append(("communes_total", float(of.group("n").replace(",", "")), "communes"))
        for v, x, u in items:
            same = older[(older["year"] == base["year"]) & (older["month"] == base["month"])
                         & (older["variable"] == v)]
            note = ""
            if len(same):
                o = same.iloc[0]
                note = (f"{'same figure' if o['value'] == x else 'differs from'} {NTM_NATIONAL_FILE} row "
                        f"{int(o['source_row'])} ({o['value']:g})")
            rows.append({**base, "variable": v, "value": x, "unit": u, "note": note})
    out = pd.DataFrame(rows, columns=COMMUNES_COLUMNS)
    for c in ("year", "month", "source_row"):
        out[c] = out[c].astype("int64")
    return out


def load_ntm_communes_national(data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """National snapshots 2017–2025 of communes meeting the NTM standard (MARD figures quoted in the press).

    Returns
    -------
    DataFrame with ``COMMUNES_COLUMNS``: one row per snapshot and variable (``communes_ntm``,
    ``communes_total`` where the quote gives "of N", ``communes_ntm_pct``); ``note`` says where a snapshot
    repeats (or differs from) a figure of :func:`ntm_analysis.load_ntm_national`.
    """
    files = [f"raw/{COMMUNES_FILE}", f"raw/{NTM_NATIONAL_FILE}"]
    return cache.frame("ntm_communes_national", files, lambda: build_ntm_communes_national(data_dir), data_dir)
