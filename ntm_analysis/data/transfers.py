"""Central targeted transfers for the national target programmes, by province (Ministry of Finance plans, 2016–2017).

The Ministry of Finance's budget estimates of the provinces (Appendix 09) have a column "Bổ sung thực hiện
chương trình mục tiêu quốc gia": the central budget's targeted transfer to each province for the national
target programmes. It covers **both** programmes together (New Rural Development and Sustainable Poverty
Reduction) and it is a **plan**, not money spent on NTM; the 2016 figures are a provisional allocation
(footnote 4 of the table). In 2017 the ten self-balancing provinces have no figure: their rows stay, with a
NaN value and the status "blank in source" (a gap, never zero). In 2016, eleven provinces (Hà Nội, Hải Phòng,
Vĩnh Phúc, Bắc Ninh, Đà Nẵng, Khánh Hòa, Hồ Chí Minh, Đồng Nai, Bình Dương, Bà Rịa - Vũng Tàu, Cần Thơ) have a
published 0: kept as 0, with a note, since the table writes it.

The MOF's six region rows are GSO's six regions (each region row equals the sum of its provinces in the
table), so they carry GSO's region names as ``code``. The 63 provinces sum to the national total row in 2017
(14,363,126 million VND) but to one million VND more than it in 2016 (9,057,110 vs 9,057,109, a rounding in
the source); the totals are kept as published and the 2016 national row says so in its note.
"""
from __future__ import annotations

import os

import pandas as pd

from ntm_analysis.data import cache, geo
from ntm_analysis.data.sources import RawDataError, read_raw, to_number
from ntm_analysis.text import fold

TRANSFERS_FILE = "ntp_central_transfers_by_province_mof_2016_2017_plan.csv"
REGISTRY_FILES = ["provinces_63_master.csv", "admin_mapping_63_to_34_provinces_2025.csv"]
COLUMNS = ["level", "code", "name", "year", "value_million_vnd", "value_bn_vnd", "status", "scope", "publisher",
           "source", "intermediary", "source_file", "source_row", "note"]
SCOPE = ("central targeted transfers for both national target programmes (New Rural Development and Sustainable "
         "Poverty Reduction); a budget plan, not NTM spending")
PUBLISHER = "Ministry of Finance (MOF)"
VARIABLE_IN_SOURCE = "planned_central_targeted_transfer_for_national_target_programs_NTM_plus_poverty"
BLANK_NOTE = "blank in the MOF table: no transfer listed (self-balancing province); a gap, not zero"
ZERO_NOTE = "0 in the MOF table: a published zero (no transfer in this allocation), not a blank"
_COLUMN_VI = "'Bổ sung thực hiện chương trình mục tiêu quốc gia'"
#: The MOF table of each year, as a row names it, and the decision number its source must cite.
SOURCES = {
    2016: ("QĐ 2643/QĐ-BTC", f"MOF, budget estimate 2016, Appendix 09 (QĐ 2643/QĐ-BTC), column {_COLUMN_VI}"),
    2017: ("QĐ 2664/QĐ-BTC", f"MOF, budget estimate 2017, Appendix 09 (QĐ 2664/QĐ-BTC of 15/12/2016), column "
                             f"{_COLUMN_VI}"),
}
#: Status in the source → status served.
_STATUS = {
    "plan (mof published budget estimate) - provisional allocation": "plan, provisional allocation",
    "plan (mof published budget estimate)": "plan",
    "blank in source: no ntp transfer listed for this province": "blank in source",
}
#: The MOF's region labels (folded) → GSO region.
_MOF_REGIONS = {
    "mien nui phia bac": "Northern midlands and mountain areas",
    "dong bang song hong": "Red River Delta",
    "bac t bo va dh mien trung": "North Central and Central coastal areas",
    "tay nguyen": "Central Highlands",
    "dong nam bo": "South East",
    "dong bang song cuu long": "Mekong River Delta",
}


def _intermediary(source: str) -> str:
    """The repository copy a row was read from: 'github:owner/repo@commit:path sheet …' → 'github.com/owner/repo@…'."""
    text = source.split(" (MOF", 1)[0].strip()
    return "github.com/" + text[len("github:"):] if text.startswith("github:") else text


def build_central_transfers(data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Build the transfers table from ``data/raw`` (uncached; use :func:`load_central_transfers`)."""
    file = TRANSFERS_FILE
    df = read_raw(file, data_dir)
    reg = geo.provinces_by_code(2008)
    value = to_number(df, "value", file)
    year = to_number(df, "year", file, allow_blank=False).astype(int)
    rows, region_now = [], None
    for i, r in df.iterrows():
        row, y = int(r["_row"]), int(year[i])
        if r["variable"].strip() != VARIABLE_IN_SOURCE:
            raise RawDataError(file, row, "variable", r["variable"], VARIABLE_IN_SOURCE)
        if not r["unit"].strip().startswith("million VND"):
            raise RawDataError(file, row, "unit", r["unit"], "million VND")
        if y not in SOURCES or SOURCES[y][0] not in r["source"]:
            raise RawDataError(file, row, "source", r["source"],
                               "the MOF table of 2016 (QĐ 2643/QĐ-BTC) or 2017 (QĐ 2664/QĐ-BTC)")
        status = _STATUS.get(r["status"].strip().lower())
        if status is None:
            raise RawDataError(file, row, "status", r["status"], "one of: " + "; ".join(_STATUS))
        blank = pd.isna(value[i])
        if blank != (status == "blank in source"):
            raise RawDataError(file, row, "value", r["value"],
                               "a blank value exactly where the status says 'BLANK in source'")
        code_in_source, note = r["province_code"].strip(), ""
        if code_in_source == "00":
            level, code, name = "national", "VN", "Toàn quốc"
        elif code_in_source == "region":
            region_now = _MOF_REGIONS.get(fold(r["province"]))
            if region_now is None:
                raise RawDataError(file, row, "province", r["province"], "one of the MOF's six region rows")
            level, code, name = "region", region_now, geo.REGIONS[region_now]
            note = f"MOF region row '{r['province'].strip()}' (GSO's region {region_now})"
        else:
            if code_in_source not in reg:
                raise RawDataError(file, row, "province_code", code_in_source,
                                   "a GSO province code of the 63-province geography, e.g. '02'")
            if region_now is not None and reg[code_in_source].region != region_now:
                raise RawDataError(file, row, "province_code", code_in_source,
                                   f"a province of the region row above it ({region_now})")
            level, code, name = "province", code_in_source, reg[code_in_source].name_short
            if blank:
                note = BLANK_NOTE
            elif value[i] == 0:
                note = ZERO_NOTE
        rows.append(dict(level=level, code=code, name=name, year=y, value_million_vnd=value[i],
                         value_bn_vnd=value[i] / 1000, status=status, scope=SCOPE, publisher=PUBLISHER,
                         source=SOURCES[y][1], intermediary=_intermediary(r["source"]), source_file=file,
                         source_row=row, note=note))
    out = pd.DataFrame(rows, columns=COLUMNS)
    for y, sub in out.groupby("year"):
        total = sub.loc[sub.level == "national", "value_million_vnd"]
        provinces = sub.loc[sub.level == "province", "value_million_vnd"].sum(min_count=1)
        if len(total) == 1 and provinces != total.iloc[0]:
            out.loc[total.index, "note"] = (f"the provinces in the MOF table sum to {provinces:,.0f} million VND, "
                                            f"{provinces - total.iloc[0]:+,.0f} against this total row as "
                                            "published (neither adjusted)")
    out["year"] = out["year"].astype("int64")
    out["source_row"] = out["source_row"].astype("int64")
    out[["value_million_vnd", "value_bn_vnd"]] = out[["value_million_vnd", "value_bn_vnd"]].astype("float64")
    return out


def load_central_transfers(data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Central targeted transfers for the national target programmes by province, 2016 and 2017 (MOF plans).

    Parameters
    ----------
    data_dir : a data folder with the layout of the shipped ``data/`` (default: ``$NTM_DATA_DIR`` or ``data/``).

    Returns
    -------
    DataFrame, one row per place × year, columns ``COLUMNS``: ``level`` ("province", "region", "national"),
    ``code`` (GSO "02"; the GSO region name; "VN"), ``name`` (short Vietnamese name), ``year``,
    ``value_million_vnd`` (NaN where the MOF table is blank: the ten self-balancing provinces of 2017),
    ``value_bn_vnd`` (= /1000), ``status`` ("plan, provisional allocation" 2016; "plan" 2017; "blank in
    source"), ``scope`` (both national target programmes; a plan, not NTM spending), ``publisher``, ``source``
    (the MOF table), ``intermediary`` (the repository copy read), ``source_file``, ``source_row``, ``note``.

    Notes
    -----
    The 63 provinces sum to the national row in 2017; in 2016 they sum to 9,057,110 million VND against a
    published total of 9,057,109 (the national row's note says so; nothing is adjusted).

    Raises
    ------
    RawDataError
        naming file, row, column and value when a province code is not one of the 63, a status or source is
        not the expected MOF table, or a blank value does not match a "blank in source" status.
    """
    files = [f"raw/{TRANSFERS_FILE}"] + [f"raw/{f}" for f in REGISTRY_FILES]
    return cache.frame("central_transfers", files, lambda: build_central_transfers(data_dir), data_dir)
