"""The tidy panel: GSO statistics of Vietnam's provinces, one row per place × year × variable.

Every row keeps where it came from (``source``, ``source_url``, ``source_file``,
``source_row``, ``accessed``) and what it measures (``unit``, ``measure``,
``status``). Variables that measure different things have different names:
``poverty_rate_gso_income_line`` (2006–2016, income poverty lines) and
``poverty_rate_gso_multidimensional`` (2023, the 2022–2025 multidimensional
standard) can never be mixed by accident; within the income-line series the
``measure`` column says which line applies (a break between 2008 and 2010).

National and regional rows are kept apart from provinces: ``load_panel()``
returns provinces; ``level="national"``, ``"region"`` or ``"all"`` returns the others.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd

from ntm_analysis.data import geo
from ntm_analysis.text import fold
from ntm_analysis.data import cache
from ntm_analysis.data.sources import RawDataError, accessed, read_raw, to_number
from ntm_analysis.data.variables import CPI_VARIABLE, INCOME, POPULATION_V0201, POVERTY_LINE, POVERTY_MULTI

PANEL_COLUMNS = ["level", "vintage", "code", "name", "region", "year", "variable", "value", "unit", "measure",
                 "status", "source", "source_url", "source_file", "source_row", "accessed", "note"]
LEVELS = ("province", "region", "national", "former_province")
#: Hà Tây, merged into Hà Nội on 1 August 2008: its pre-2008 rows are kept under this code, apart
#: from the 63 provinces (and Hà Nội's pre-2008 rows exclude it).
HA_TAY_CODE = "HA-TAY"
# Region names as GSO's English tables spell them, when a row is labelled "province" with no code.
_REGION_NAMES_IN_SOURCE = {"North Central area and Central coastal area": "North Central and Central coastal areas",
                           "Northern Central area and Central coastal area": "North Central and Central coastal areas"}
NATIONAL_CODE = "VN"

INCOME_FILE = "income_per_capita_monthly_by_province.csv"
POVERTY_FILE = "poverty_rate_by_province_gso.csv"
POPULATION_FILE = "population_by_province_gso_1995_2016.csv"
SCOLI_FILE = "spatial_cost_of_living_index_by_province.csv"
CPI_FILE = "cpi_national_annual_gso.csv"
ADMIN_FILE = "admin_units_by_province_gso_2009_2016.csv"
POPULATION_V0201_FILE = "population_by_province_gso_v0201_2011_2022.csv"
INCOME_2018_FILE = "income_per_capita_by_province_2018_by_source.csv"
CPI_2017_FILE = "cpi_national_annual_change_2017_2024.csv"
REGISTRY_FILES = ["provinces_63_master.csv", "admin_mapping_63_to_34_provinces_2025.csv"]
PANEL_FILES = [INCOME_FILE, POVERTY_FILE, POPULATION_FILE, SCOLI_FILE, CPI_FILE, ADMIN_FILE, POPULATION_V0201_FILE,
               INCOME_2018_FILE, CPI_2017_FILE]


@dataclass(frozen=True)
class Var:
    """How one raw column becomes one panel variable."""

    column: str
    variable: str
    unit: str
    measure: str


_INCOME_UNIT = "thousand VND/person/month"
_INCOME_MEASURE = "VHLSS household income, current prices (nominal)"
INCOME_VARS = [
    Var("income_total", INCOME, _INCOME_UNIT, _INCOME_MEASURE),
    Var("inc_salary_wage", "income_wage", _INCOME_UNIT, _INCOME_MEASURE),
    Var("inc_agri_forestry_fishery", "income_agri_forestry_fishery", _INCOME_UNIT, _INCOME_MEASURE),
    Var("inc_non_agri", "income_non_agri", _INCOME_UNIT, _INCOME_MEASURE),
    Var("inc_other", "income_other", _INCOME_UNIT, _INCOME_MEASURE),
    *[Var(c, f"income_q{i}", _INCOME_UNIT, _INCOME_MEASURE + f", mean of income quintile {i} (1 = poorest)")
      for i, c in enumerate(["q1_lowest", "q2", "q3", "q4", "q5_highest"], start=1)],
]
POPULATION_VARS = [
    Var(f"pop_{k}", f"population_{k}", "thousand persons", "GSO average population of the year")
    for k in ("total", "male", "female", "urban", "rural")
]
ADMIN_VARS = [
    Var("cities_under_province", "admin_cities", "units", "administrative units at 31 December"),
    Var("urban_districts", "admin_urban_districts", "units", "administrative units at 31 December"),
    Var("towns", "admin_towns", "units", "administrative units at 31 December"),
    Var("rural_districts", "admin_rural_districts", "units", "administrative units at 31 December"),
    Var("wards", "admin_wards", "units", "administrative units at 31 December"),
    Var("townships_thi_tran", "admin_townships", "units", "administrative units at 31 December"),
    Var("communes_xa", "admin_communes", "units", "administrative units at 31 December"),
]

#: Poverty measures by year: the line GSO used, so a consumer can see every break.
POVERTY_MEASURES = {
    "gso_income_line_2006_2010": "GSO VHLSS poverty rate on the government income poverty line for 2006–2010",
    "gso_income_line_2011_2015": "GSO VHLSS poverty rate on the government income poverty line for 2011–2015 "
                                 "(used from 2010)",
    "gso_multidimensional_2022_2025": "GSO VHLSS multidimensional poverty rate, 2022–2025 standard "
                                      "(Decree 07/2021/ND-CP); not MOLISA's administrative review rate",
}


def _status(raw: str) -> str:
    s = raw.strip().lower()
    if s.startswith("preliminary"):
        return "preliminary"
    if s in ("", "final"):
        return "final"
    return s


def _places(df: pd.DataFrame, file: str) -> pd.DataFrame:
    """Add level/code/name/region columns from a raw GSO frame, checking every code against the registry."""
    reg = geo.provinces_by_code(2008)
    out = pd.DataFrame({"_row": df["_row"], "level": df["level"].str.strip()})
    bad = ~out["level"].isin(("province", "region", "national"))
    if bad.any():
        i = bad.idxmax()
        raise RawDataError(file, int(df.loc[i, "_row"]), "level", df.loc[i, "level"], "province, region or national")
    codes, names, regions = [], [], []
    out["note"] = ""
    for i, level in out["level"].items():
        code = df.loc[i, "province_code"].strip() if level == "province" else ""
        in_source = df.loc[i, "name_in_source"].strip() if "name_in_source" in df else ""
        if level == "province" and not code and in_source in _REGION_NAMES_IN_SOURCE:
            level = out.loc[i, "level"] = "region"  # a regional total mislabelled "province" in the source
            df.loc[i, "region"] = _REGION_NAMES_IN_SOURCE[in_source]
            out.loc[i, "note"] = "regional total labelled 'province' in the source; kept as a region row"
        if level == "province" and not code and fold(in_source) == "ha tay":
            out.loc[i, "level"] = "former_province"
            codes.append(HA_TAY_CODE)
            names.append("Hà Tây")
            regions.append("Red River Delta")
            out.loc[i, "note"] = "Hà Tây, merged into Hà Nội on 1 August 2008; not one of the 63 provinces"
            continue
        if level == "province":
            if code not in reg:
                raise RawDataError(file, int(df.loc[i, "_row"]), "province_code", code,
                                   "a GSO province code of the 63-province geography, e.g. '01'")
            codes.append(code)
            names.append(reg[code].name_short)
            regions.append(reg[code].region)
        elif level == "region":
            region = df.loc[i, "region"].strip()
            if region not in geo.REGIONS:
                raise RawDataError(file, int(df.loc[i, "_row"]), "region", region, "one of the 6 GSO regions")
            codes.append(region)
            names.append(geo.REGIONS[region])
            regions.append(region)
        else:
            codes.append(NATIONAL_CODE)
            names.append("Toàn quốc")
            regions.append("")
    out["code"], out["name"], out["region"] = codes, names, regions
    return out


def _long(df: pd.DataFrame, places: pd.DataFrame, file: str, year_col: str, variables: list[Var],
          status: pd.Series, source: pd.Series, source_url: pd.Series, note: pd.Series | None = None,
          data_dir=None, measure: pd.Series | None = None) -> pd.DataFrame:
    year = to_number(df, year_col, file, allow_blank=False).astype(int)
    frames = []
    for v in variables:
        value = to_number(df, v.column, file)
        keep = value.notna()  # a blank cell is a gap: no row, never a filled value
        frames.append(pd.DataFrame({
            "level": places["level"], "vintage": 2008, "code": places["code"], "name": places["name"],
            "region": places["region"], "year": year, "variable": v.variable, "value": value,
            "unit": v.unit, "measure": measure if measure is not None else v.measure, "status": status, "source": source,
            "source_url": source_url, "source_file": file, "source_row": df["_row"],
            "accessed": accessed(file, data_dir),
            "note": places["note"] if note is None else note.where(note != "", places["note"]),
        })[keep])
    return pd.concat(frames, ignore_index=True)


def _income(data_dir) -> pd.DataFrame:
    df = read_raw(INCOME_FILE, data_dir)
    places = _places(df, INCOME_FILE)
    status = df["status"].map(_status)
    note = pd.Series("", index=df.index, dtype=object)
    main, alt = df["income_total"].str.strip(), df["income_total_in_quintile_table"].str.strip()
    differs = (to_number(df, "income_total", INCOME_FILE) != to_number(df, "income_total_in_quintile_table",
                                                                       INCOME_FILE))
    note[differs] = ("GSO's quintile table gives " + alt[differs] + " (income-source table: " + main[differs]
                     + "); the income-source value is kept")
    prelim = status == "preliminary"
    note[prelim & (df["year"] == "2016")] = "preliminary; GSO later published final 2016 values (national 3,098)"
    long = _long(df, places, INCOME_FILE, "year", INCOME_VARS, status, df["source_table"], df["source_url"],
                 note, data_dir)
    # quintile rows carry the total's note only where it concerns them: keep notes on the total alone
    quint = long["variable"] != INCOME
    long.loc[quint & long["note"].str.startswith("GSO's quintile"), "note"] = ""
    return long


def _poverty(data_dir) -> pd.DataFrame:
    df = read_raw(POVERTY_FILE, data_dir)
    places = _places(df, POVERTY_FILE)
    year = to_number(df, "year", POVERTY_FILE, allow_blank=False).astype(int)
    multi = df["measure"].str.contains("multidimensional", case=False)
    measure = pd.Series("gso_income_line_2011_2015", index=df.index, dtype=object)
    measure[year <= 2008] = "gso_income_line_2006_2010"
    measure[multi] = "gso_multidimensional_2022_2025"
    if (multi & (year != 2023)).any() or (~multi & (year > 2016)).any():
        i = ((multi & (year != 2023)) | (~multi & (year > 2016))).idxmax()
        raise RawDataError(POVERTY_FILE, int(df.loc[i, "_row"]), "measure", df.loc[i, "measure"],
                           "income-line rates for 2006–2016 and the multidimensional rate for 2023 only")
    frames = []
    # GSO states "% of households" for the multidimensional rate; the income-line export says only "%".
    for is_multi, variable, unit in ((False, POVERTY_LINE, "%"),
                                     (True, POVERTY_MULTI, "% of households")):
        sel = multi == is_multi
        sub = df[sel]
        long = _long(sub, places[sel], POVERTY_FILE, "year", [Var("poverty_rate_pct", variable, unit, "")],
                     df["status"][sel].map(_status), sub["source_table"], sub["source_url"], None, data_dir,
                     measure=measure[sel])
        frames.append(long)
    return pd.concat(frames, ignore_index=True)


def _population(data_dir) -> pd.DataFrame:
    df = read_raw(POPULATION_FILE, data_dir)
    return _long(df, _places(df, POPULATION_FILE), POPULATION_FILE, "year", POPULATION_VARS,
                 df["status"].map(_status), df["source_table"], df["source_url"], None, data_dir)


#: The measure of the revised population series, kept apart from the 1995–2016 one (a different vintage).
POPULATION_V0201_MEASURE = ("GSO average population, PX-Web table V02.01 (revised series 2011–2022); not spliced onto "
                            "the 1995–2016 series")
POPULATION_V0201_SOURCE = ("GSO PX-Web table V02.01 \"Diện tích, dân số và mật độ dân số phân theo địa phương\" "
                           "(average population)")
POPULATION_V0201_URL = "https://pxweb.nso.gov.vn/ (GSO/NSO PX-Web, table V02.01) – original publisher"
_FLAGGED_STATUS = "as published; flagged (*) in the export"


def _places_added(df: pd.DataFrame, file: str) -> pd.DataFrame:
    """level/code/name/region/note of a table in the "Added later" layout (``province_code``: "00" = the whole
    country, "region" = a region row named in Vietnamese, else a GSO province code checked against the registry)."""
    reg = geo.provinces_by_code(2008)
    regions_vi = {fold(vi): en for en, vi in geo.REGIONS.items()}
    out = {"level": [], "code": [], "name": [], "region": []}
    for _, r in df.iterrows():
        code = r["province_code"].strip()
        if code == "00":
            place = ("national", NATIONAL_CODE, "Toàn quốc", "")
        elif code == "region":
            en = regions_vi.get(fold(r["province"]))
            if en is None:
                raise RawDataError(file, int(r["_row"]), "province", r["province"],
                                   "one of the 6 GSO regions (Vietnamese name)")
            place = ("region", en, geo.REGIONS[en], en)
        elif code in reg:
            place = ("province", code, reg[code].name_short, reg[code].region)
        else:
            raise RawDataError(file, int(r["_row"]), "province_code", code,
                               "a GSO province code of the 63-province geography ('01'), '00' or 'region'")
        for k, v in zip(out, place):
            out[k].append(v)
    res = pd.DataFrame(out, index=df.index)
    res.insert(0, "_row", df["_row"])
    res["note"] = ""
    return res


def _population_v0201(data_dir) -> pd.DataFrame:
    """GSO's revised average population 2011–2022 (V02.01) as ``population_total_v0201``: its own variable."""
    file = POPULATION_V0201_FILE
    df = read_raw(file, data_dir)
    bad = df["variable"].str.strip() != "average_population"
    bad |= df["unit"].str.strip() != "thousand persons"
    if bad.any():
        i = bad.idxmax()
        raise RawDataError(file, int(df.loc[i, "_row"]), "variable/unit",
                           f"{df.loc[i, 'variable']} / {df.loc[i, 'unit']}", "average_population in thousand persons")
    flagged = df["status"].str.contains("(*)", regex=False)
    status = pd.Series("final", index=df.index, dtype=object).mask(flagged, _FLAGGED_STATUS)
    note = pd.Series("", index=df.index, dtype=object).mask(
        flagged, "year flagged \"(*)\" in GSO's export; the footnote text is not in the export")
    n = len(df)
    return _long(df, _places_added(df, file), file, "year",
                 [Var("value", POPULATION_V0201, "thousand persons", POPULATION_V0201_MEASURE)], status,
                 pd.Series([POPULATION_V0201_SOURCE] * n, index=df.index),
                 pd.Series([POPULATION_V0201_URL] * n, index=df.index), note, data_dir)


#: Income 2018 (VHLSS 2018): the copy's variable names → the panel's income variables (same unit and measure).
INCOME_2018_VARS = {
    "monthly_income_per_capita_total": INCOME,
    "monthly_income_per_capita_from_wages_salaries": "income_wage",
    "monthly_income_per_capita_from_agriculture_forestry_fishery": "income_agri_forestry_fishery",
    "monthly_income_per_capita_from_non_agri_non_forestry_non_fishery": "income_non_agri",
    "monthly_income_per_capita_from_other_sources": "income_other",
}
INCOME_2018_STATUS = "published (secondary copy)"
INCOME_2018_SOURCE = ("GSO, VHLSS 2018: monthly average income per capita at current prices by income source and "
                      "province")
INCOME_2018_URL = ("https://data.opendevelopmentmekong.net/dataset/per-capita-income-by-province-in-2018-in-vietnam "
                   "(Open Development Mekong dataset of GSO's figures)")
INCOME_2018_NOTE = ("Open Development Mekong copy of GSO's 2018 figures, read from the CSV of "
                    "github.com/non-ceterisparibus/Vietnam-development-map@1a41543 (geodata/thunhapbinhquan.csv); "
                    "a secondary copy, confidence medium")


def _income_2018(data_dir) -> pd.DataFrame:
    """VHLSS 2018 income per capita by province and source, from a secondary copy (its status and note say so)."""
    file = INCOME_2018_FILE
    df = read_raw(file, data_dir)
    for column, expected, ok in (
            ("variable", "one of " + ", ".join(INCOME_2018_VARS), df["variable"].str.strip().isin(INCOME_2018_VARS)),
            ("unit", "thousand VND per person per month, current prices",
             df["unit"].str.strip() == "thousand VND per person per month, current prices"),
            ("year", "2018", df["year"].str.strip() == "2018"),
            ("status", "a published figure from a secondary copy",
             df["status"].str.contains("secondary copy", regex=False))):
        if not ok.all():
            i = (~ok).idxmax()
            raise RawDataError(file, int(df.loc[i, "_row"]), column, df.loc[i, column], expected)
    places = _places_added(df, file)
    for i, r in df.iterrows():  # the copy's names lack diacritics: they must still name the coded province
        try:
            found = geo.lookup_province(r["province"]).code
        except geo.ProvinceNotFound:
            found = None
        if found != places.loc[i, "code"]:
            raise RawDataError(file, int(r["_row"]), "province", r["province"],
                               f"the name of province {places.loc[i, 'code']} ({places.loc[i, 'name']})")
    frames = []
    for raw_var, variable in INCOME_2018_VARS.items():
        sel = df["variable"].str.strip() == raw_var
        sub, n = df[sel].rename(columns={"value": "v"}), int(sel.sum())
        const = lambda text: pd.Series([text] * n, index=sub.index)  # noqa: E731
        frames.append(_long(sub, places[sel], file, "year", [Var("v", variable, _INCOME_UNIT, _INCOME_MEASURE)],
                            const(INCOME_2018_STATUS), const(INCOME_2018_SOURCE), const(INCOME_2018_URL),
                            const(INCOME_2018_NOTE), data_dir))
    return pd.concat(frames, ignore_index=True)


def _final_index(file: str, var: Var, data_dir, province_only: bool = False) -> pd.DataFrame:
    """A one-variable GSO index table whose rows are all final (SCOLI, CPI)."""
    df = read_raw(file, data_dir)
    if province_only:  # the SCOLI table has no level/region columns: every row is a province
        df["level"] = "province"
        df["region"] = ""
    return _long(df, _places(df, file), file, "year", [var], pd.Series("final", index=df.index),
                 df["source_table"], df["source_url"], None, data_dir)


def _scoli(data_dir) -> pd.DataFrame:
    return _final_index(SCOLI_FILE, Var("scoli_hanoi_100", "scoli_hanoi_100", "index, Hà Nội = 100",
                                        "GSO spatial cost of living index among provinces"), data_dir, True)


CPI_MEASURE = "GSO annual average consumer price index"
CPI_UNIT = "index, previous year = 100"
CPI_2017_STATUS = "as first announced"
CPI_2017_SOURCE = "GSO, annual average CPI as first announced at year end (quoted in the press)"


def _cpi(data_dir) -> pd.DataFrame:
    return _final_index(CPI_FILE, Var("cpi_prev_year_100", CPI_VARIABLE, CPI_UNIT, CPI_MEASURE), data_dir)


def _cpi_2017_2024(data_dir) -> pd.DataFrame:
    """CPI 2017–2024 as 100 + the change GSO announced (same concept as the 2000–2016 table: the chain continues).

    A year quoted by two sources becomes one row (both URLs kept); sources that disagree raise
    :class:`RawDataError`.
    """
    file = CPI_2017_FILE
    df = read_raw(file, data_dir)
    to_number(df, "value", file, allow_blank=False)  # every change is a number
    year = to_number(df, "year", file, allow_blank=False).astype(int)
    for column, expected, ok in (
            ("province_code", "00 (national)", df["province_code"].str.strip() == "00"),
            ("variable", "cpi_annual_average_change_vs_previous_year",
             df["variable"].str.strip() == "cpi_annual_average_change_vs_previous_year"),
            ("unit", "% change, annual average vs previous-year average", df["unit"].str.startswith("% change")),
            ("status", "as first announced by GSO", df["status"].str.startswith("as first announced"))):
        if not ok.all():
            i = (~ok).idxmax()
            raise RawDataError(file, int(df.loc[i, "_row"]), column, df.loc[i, column], expected)
    rows = []
    for y in sorted(year.unique()):
        idx = year.index[year == y]
        first = idx[0]
        for i in idx[1:]:
            if df.loc[i, "value"].strip() != df.loc[first, "value"].strip():
                raise RawDataError(file, int(df.loc[i, "_row"]), "value", df.loc[i, "value"],
                                   f"{df.loc[first, 'value'].strip()}, the value row {int(df.loc[first, '_row'])} "
                                   f"gives for {y} (two sources of one year must agree)")
        urls = [df.loc[i, "source"].strip() for i in idx]
        note = (f"100 + the {df.loc[first, 'value'].strip()} % change GSO announced for {y}"
                + (f"; quoted by {len(idx)} sources that agree (rows "
                   f"{', '.join(str(int(df.loc[i, '_row'])) for i in idx)})" if len(idx) > 1 else ""))
        rows.append(dict(level="national", vintage=2008, code=NATIONAL_CODE, name="Toàn quốc", region="", year=int(y),
                         variable=CPI_VARIABLE,
                         value=float(Decimal(100) + Decimal(df.loc[first, "value"].strip())),
                         unit=CPI_UNIT, measure=CPI_MEASURE, status=CPI_2017_STATUS, source=CPI_2017_SOURCE,
                         source_url=" ; ".join(urls), source_file=file, source_row=int(df.loc[first, "_row"]),
                         accessed=accessed(file, data_dir), note=note))
    return pd.DataFrame(rows)


def _admin(data_dir) -> pd.DataFrame:
    df = read_raw(ADMIN_FILE, data_dir)
    suspect = df["year_31dec"].isin(["2013", "2015"])
    status = pd.Series("final", index=df.index, dtype=object).mask(suspect, "suspect")
    note = pd.Series("", index=df.index, dtype=object).mask(
        suspect, "the source repeats 2014's counts in 2013 and 2016's in 2015: suspect")
    return _long(df, _places(df, ADMIN_FILE), ADMIN_FILE, "year_31dec", ADMIN_VARS, status,
                 df["source_table"], df["source_url"], note, data_dir)


def build_panel(data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Build the tidy panel from ``data/raw`` (uncached; use :func:`load_panel`)."""
    builders = (_income, _income_2018, _poverty, _population, _population_v0201, _scoli, _cpi, _cpi_2017_2024, _admin)
    panel = pd.concat([f(data_dir) for f in builders], ignore_index=True)
    panel = panel[PANEL_COLUMNS]
    pre_merger = (panel["code"] == "01") & (panel["year"] < 2008)
    panel.loc[pre_merger, "note"] = "Hà Nội within its boundaries before 1 August 2008: excludes Hà Tây"
    key = ["level", "vintage", "code", "year", "variable"]
    dup = panel.duplicated(key, keep=False)
    if dup.any():
        first = panel[dup].iloc[0]
        raise RawDataError(first["source_file"], int(first["source_row"]), first["variable"], first["value"],
                           f"one value per place, year and variable; {first['code']} {first['year']} appears twice")
    panel = panel.sort_values(["level", "code", "variable", "year"], kind="stable").reset_index(drop=True)
    for col in ("level", "code", "name", "region", "variable", "unit", "measure", "status", "source", "source_url",
                "source_file", "accessed"):
        panel[col] = panel[col].astype("category")
    panel["note"] = panel["note"].astype(str)
    panel["year"] = panel["year"].astype("int64")
    panel["source_row"] = panel["source_row"].astype("int64")
    panel["value"] = panel["value"].astype("float64")
    return panel


def load_panel(level: str = "province", vintage: int = 2008, variables: list[str] | str | None = None,
               data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """The tidy, sourced panel of GSO statistics.

    Parameters
    ----------
    level : "province" (default), "region", "national" or "all".
    vintage : 2008 (the 63 provinces, the geography of every published series). For the 34
        provinces of 2025 use :func:`ntm_analysis.indicators.aggregate_to_2025` on this panel.
    variables : keep only these variables (names from ``data/codebook.yml``).
    data_dir : a data folder with the same layout as the shipped ``data/`` (default: ``$NTM_DATA_DIR``
        or the repository's ``data/``).

    Returns
    -------
    DataFrame with columns ``PANEL_COLUMNS``: one row per place × year × variable; ``code`` is a
    zero-padded string for provinces ("01"), the GSO region name for regions and "VN" nationally.
    A year with no published value has no row: gaps stay gaps.
    """
    if level not in (*LEVELS, "all"):
        raise ValueError(f"level must be one of {', '.join(LEVELS)} or 'all', got {level!r}")
    if int(vintage) != 2008:
        raise ValueError("load_panel serves the 2008 geography (63 provinces), in which every series was "
                         "published; aggregate to the 2025 provinces with indicators.aggregate_to_2025()")
    panel = cache.frame("panel", [f"raw/{f}" for f in PANEL_FILES + REGISTRY_FILES] + ["provenance.yml"],
                        lambda: build_panel(data_dir), data_dir)
    if level != "all":
        panel = panel[panel["level"] == level]
    if variables is not None:
        wanted = [variables] if isinstance(variables, str) else list(variables)
        unknown = sorted(set(wanted) - set(panel["variable"].cat.categories))
        if unknown:
            raise KeyError(f"unknown panel variable(s): {', '.join(unknown)}; see data/codebook.yml")
        panel = panel[panel["variable"].isin(wanted)]
    return panel.reset_index(drop=True)


def wide(panel: pd.DataFrame, variables: list[str] | None = None,
         index: tuple[str, ...] = ("level", "code", "name", "year")) -> pd.DataFrame:
    """One row per place and year, one column per variable (values only; sources stay in the long panel)."""
    df = panel if variables is None else panel[panel["variable"].isin(variables)]
    out = df.pivot_table(index=list(index), columns="variable", values="value", observed=True, aggfunc="first")
    out.columns = out.columns.astype(str)
    out.columns.name = None
    return out.reset_index()
