"""What provinces reported about NTM, and the seed articles' figures.

``load_ntm_reports()`` carries every row of ``data/raw/ntm_resources_by_province.csv``:
resources mobilised (total and by source), communes meeting the NTM standard,
districts, rural income and poverty, each with the period the source names,
its own unit, a verbatim quote, a confidence and notes. The figures are
partial and uneven; nothing is filled, summed across overlapping periods or
made comparable here. Units are converted explicitly into one unit per
indicator (money in billion VND: ``tỷ đồng`` = billion VND, ``nghìn tỷ`` =
trillion VND = 1,000 billion), and the reported value and unit are kept beside
the converted ones.

``load_seed_facts()`` returns every number of the two seed articles
(``data/seeds/seed_articles_figures.csv``), with place, level, period, quote and URL.
"""
from __future__ import annotations

import os
import re

import pandas as pd

from ntm_analysis.data import geo
from ntm_analysis import paths
from ntm_analysis.data import cache
from ntm_analysis.data.names import check_names
from ntm_analysis.data.sources import RawDataError, read_csv_strict, read_raw, to_number
from ntm_analysis.text import nfc

NTM_REPORTS_FILE = "ntm_resources_by_province.csv"
SEED_FACTS_FILE = "seeds/seed_articles_figures.csv"

#: Explicit unit conversions: reported unit → (standard unit, factor).
UNIT_CONVERSIONS: dict[str, tuple[str, float]] = {
    "tỷ đồng": ("billion VND", 1.0),
    "billion VND": ("billion VND", 1.0),
    "nghìn tỷ đồng": ("billion VND", 1000.0),
    "trillion VND": ("billion VND", 1000.0),
    "triệu đồng/người/năm": ("million VND/person/year", 1.0),
    "million VND/person/year": ("million VND/person/year", 1.0),
    "communes": ("communes", 1.0),
    "districts": ("districts", 1.0),
    "m2": ("m²", 1.0),
    "% of communes": ("% of communes", 1.0),
    "% of districts": ("% of districts", 1.0),
    "% of households": ("% of households", 1.0),
    "% of rural households": ("% of rural households", 1.0),
}

#: Indicators that are flows over a period (resources, land) rather than stocks at a date.
FLOW_INDICATORS = {"resources_total", "resources_central_budget", "resources_local_budget", "resources_credit",
                   "resources_enterprises", "resources_people", "land_donated_m2"}

_QUALIFIERS = [("lower bound", "lower_bound"), ("upper bound", "upper_bound"), ("approx", "approximate")]
_PERIOD = re.compile(r"^\d{4}(-\d{2})?$")


def _qualifier(note: str) -> str:
    low = note.lower()
    for needle, q in _QUALIFIERS:
        if needle in low:
            return q
    return "exact"


def _year(text: pd.Series, df: pd.DataFrame, column: str) -> pd.Series:
    bad = ~(text.str.fullmatch(_PERIOD.pattern) | (text == ""))
    if bad.any():
        i = bad.idxmax()
        raise RawDataError(NTM_REPORTS_FILE, int(df.loc[i, "_row"]), column, text[i], "YYYY, YYYY-MM or blank")
    return pd.to_numeric(text.str[:4].where(text != ""), errors="coerce").astype("Int64")


def build_ntm_reports(data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Build the tidy NTM province-reports table (uncached; use :func:`load_ntm_reports`)."""
    df = read_raw(NTM_REPORTS_FILE, data_dir)
    codes, names, regions, successors = [], [], [], []
    for i, name in df["province_name_vi"].items():
        try:
            p = geo.lookup_province(name, 2008)
        except geo.ProvinceNotFound as exc:
            raise RawDataError(NTM_REPORTS_FILE, int(df.loc[i, "_row"]), "province_name_vi", name,
                               f"a province of the 63-province geography ({exc})") from None
        codes.append(p.code)
        names.append(p.name_short)
        regions.append(p.region)
        successors.append(p.successor)
    unknown = ~df["unit"].isin(UNIT_CONVERSIONS)
    if unknown.any():
        i = unknown.idxmax()
        raise RawDataError(NTM_REPORTS_FILE, int(df.loc[i, "_row"]), "unit", df.loc[i, "unit"],
                           "one of: " + ", ".join(UNIT_CONVERSIONS))
    std_unit = df["unit"].map(lambda u: UNIT_CONVERSIONS[u][0])
    factor = df["unit"].map(lambda u: UNIT_CONVERSIONS[u][1]).astype(float)
    reported = to_number(df, "value", NTM_REPORTS_FILE, allow_blank=False)
    notes = df["notes"].fillna("")
    start, end = df["period_start"].str.strip(), df["period_end"].str.strip()
    flow = df["indicator"].isin(FLOW_INDICATORS)
    label = pd.Series(
        [(f"{s or '?'}–{e}" if f else f"as of {e}") for s, e, f in zip(start, end, flow)], index=df.index)
    post_merger = notes.str.contains("post-merger", case=False) & ~notes.str.contains("pre-merger", case=False)
    out = pd.DataFrame({
        "province_code": codes, "province": names, "region": regions, "code_2025": successors,
        "indicator": df["indicator"], "kind": flow.map({True: "flow", False: "stock"}),
        "period_start": start, "period_end": end, "period_label": label,
        "start_year": _year(start, df, "period_start"), "end_year": _year(end, df, "period_end"),
        "value": reported * factor, "unit": std_unit,
        "value_reported": reported, "unit_reported": df["unit"],
        "qualifier": notes.map(_qualifier),
        "derived": notes.str.contains(r"\bderived\b", case=False),
        "post_merger": post_merger,
        "confidence": df["confidence"].str.strip(),
        "quote": df["quote"].map(nfc), "notes": notes, "source_url": df["source_url"],
        "source_file": NTM_REPORTS_FILE, "source_row": df["_row"].astype("int64"),
    })
    bad_conf = ~out["confidence"].isin(["high", "medium", "low"])
    if bad_conf.any():
        i = bad_conf.idxmax()
        raise RawDataError(NTM_REPORTS_FILE, int(df.loc[i, "_row"]), "confidence", out.loc[i, "confidence"],
                           "high, medium or low")
    return out


def load_ntm_reports(indicator: str | list[str] | None = None, province: object = None,
                     min_confidence: str = "low", include_post_merger: bool = False,
                     data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Provinces' own NTM figures, one cited row per figure.

    Parameters
    ----------
    indicator : keep only these indicators (e.g. ``"resources_total"``, ``"communes_ntm"``).
    province : any spelling of a 2008 province.
    min_confidence : "low" (all rows, default), "medium" or "high".
    include_post_merger : rows describing the merged provinces after 1 July 2025 are left out
        by default: their boundaries are not those of the 2008 province.

    Overlapping periods are kept apart (never sum them); ``qualifier`` says when a value is a
    lower bound ("hơn", "trên", "over") or approximate.

    Raises
    ------
    ValueError
        an ``indicator`` the file does not have (a typo such as ``"resources"``), naming the closest known
        indicators, instead of returning no rows.
    """
    files = [f"raw/{NTM_REPORTS_FILE}", "raw/provinces_63_master.csv"]
    df = cache.frame("ntm_reports", files, lambda: build_ntm_reports(data_dir), data_dir)
    levels = {"low": 0, "medium": 1, "high": 2}
    if min_confidence not in levels:
        raise ValueError(f"min_confidence must be low, medium or high, got {min_confidence!r}")
    df = df[df["confidence"].map(levels) >= levels[min_confidence]]
    if not include_post_merger:
        df = df[~df["post_merger"]]
    if indicator is not None:
        wanted = [indicator] if isinstance(indicator, str) else list(indicator)
        check_names(wanted, set(df["indicator"]), "indicator", "load_ntm_reports")
        df = df[df["indicator"].isin(wanted)]
    if province is not None:
        df = df[df["province_code"] == geo.lookup_province(province, 2008).code]
    return df.reset_index(drop=True)


def ntm_coverage(data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Which indicators exist for how many provinces, rows and periods (what the codebook describes)."""
    df = load_ntm_reports(include_post_merger=True, data_dir=data_dir)
    g = df.groupby("indicator")
    return pd.DataFrame({
        "rows": g.size(), "provinces": g["province_code"].nunique(),
        "high": g["confidence"].apply(lambda s: int((s == "high").sum())),
        "first_year": g["end_year"].min(), "last_year": g["end_year"].max(),
    }).sort_values("rows", ascending=False)


def load_seed_facts(data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Every number of the two seed articles (Lào Cai; Đắk Nông), with place, period, quote and URL."""
    path = paths.data_dir(data_dir) / SEED_FACTS_FILE
    if not path.exists():
        raise RawDataError(path, None, None, None, "the seed articles' figures (data/seeds/seed_articles_figures.csv)")

    def build() -> pd.DataFrame:
        df = read_csv_strict(path)
        df["value"] = to_number(df, "value", SEED_FACTS_FILE, allow_blank=False)
        for col in ("place", "district", "province", "quote"):
            df[col] = df[col].map(nfc)
        return df.rename(columns={"_row": "source_row"})

    return cache.frame("seed_facts", [SEED_FACTS_FILE], build, data_dir)

