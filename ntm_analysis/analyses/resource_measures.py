"""Every resource measure of the 63 provinces in one tidy frame: :func:`resource_measures`.

One row per province × measure × period, each figure with the period as its publisher reported it:

* ``central_ntp_transfers_plan`` — the Ministry of Finance's budget plans: central targeted transfers for the
  national target programmes (NTM and Sustainable Poverty Reduction together), 2016 (63 provinces) and 2017
  (53; the 10 self-balancing provinces are blank in the source and are not rows here).
* ``resources_total`` — resources mobilised for NTM as the province reported them (every period reported:
  phases, decades, partial years); what each total covers (``scope``) is classified by hand in
  ``resource_scope.yml`` from the row's quote.
* ``resources_people`` — people's contributions (cash, labour and land valued in money) as reported.
* ``communes_ntm_share`` — % of the province's communes meeting the NTM standard at dated snapshots, by the
  rule of :data:`SNAPSHOT_RULE` (never interpolated).

Money is in billion VND. Per person: billion VND / thousand persons = million VND per person over the period,
with the population of the same years from ONE GSO series covering every year of the period
(``ntm_analysis.data.population.population_over``); NaN with the reason where none does (2021–2025: population
is published to 2022 only).
"""
from __future__ import annotations

import os
from functools import lru_cache
from importlib import resources as importlib_resources

import numpy as np
import pandas as pd
import yaml

from ntm_analysis.analyses.user_resources import USER_MEASURES, USER_MONEY_MEASURES, user_measure_rows
from ntm_analysis.data import geo
from ntm_analysis.data.ntm_provincial import NTM_REPORTS_FILE, load_ntm_reports

#: The measures of :func:`resource_measures`: id → label, unit, scope, publisher, description.
MEASURES: dict[str, dict[str, str]] = {
    "central_ntp_transfers_plan": {
        "label": "Central transfers for the national target programmes (MOF budget plan)",
        "unit": "billion VND",
        "scope": "both national target programmes",
        "publisher": "Ministry of Finance (MOF)",
        "description": ("Column 'Bổ sung thực hiện chương trình mục tiêu quốc gia' of the MOF's provincial budget "
                        "plans (dự toán): central support for the New Rural Development AND the Sustainable "
                        "Poverty Reduction programmes together, a plan (2016: provisional allocation), not money "
                        "spent and not NTM resources. Allocated partly by poverty criteria, so poorer provinces "
                        "receive more: an association with outcomes is not an effect."),
    },
    "resources_total": {
        "label": "Resources mobilised for NTM (the province's own total)",
        "unit": "billion VND",
        "scope": "as reported (see the row's scope)",
        "publisher": "the province's People's Committee (as quoted by the cited source)",
        "description": ("Provinces' own totals of resources mobilised for NTM over the period they name; most "
                        "include bank credit, money integrated from other programmes and people's labour and land "
                        "valued in money, so totals of different scope are not comparable."),
    },
    "resources_people": {
        "label": "People's contributions to NTM (as reported by the province)",
        "unit": "billion VND",
        "scope": "as reported (see the row's scope)",
        "publisher": "the province's People's Committee (as quoted by the cited source)",
        "description": "Contributions of residents (cash, labour and donated land valued in money) as reported.",
    },
    "communes_ntm_share": {
        "label": "Communes meeting the NTM standard",
        "unit": "% of communes",
        "scope": "communes formally recognised as meeting the NTM standard",
        "publisher": "the province's People's Committee (as quoted by the cited source)",
        "description": ("Share of the province's communes meeting the NTM standard at a dated snapshot, from the "
                        "province's own report (a share, or a count and the number of communes in the same "
                        "source and date); never interpolated."),
    },
}

MONEY_MEASURES = ("central_ntp_transfers_plan", "resources_total", "resources_people")


def measure_info(measure: str) -> dict[str, str]:
    """Label, unit, scope, publisher, description of a shipped measure (:data:`MEASURES`) or of a user table's
    (:data:`ntm_analysis.analyses.user_resources.USER_MEASURES`)."""
    if measure in MEASURES:
        return MEASURES[measure]
    if measure in USER_MEASURES:
        return USER_MEASURES[measure]
    raise ValueError(f"unknown measure {measure!r}; measures are {', '.join([*MEASURES, *USER_MEASURES])}")

#: Snapshot id → (year, month) of the snapshot date, for ``communes_ntm_share``.
SNAPSHOTS: dict[str, tuple[int, int]] = {"end-2015": (2015, 12), "end-2020": (2020, 12), "mid-2025": (2025, 6)}
#: How many months before a snapshot a report may be dated and still stand for it.
SNAPSHOT_WINDOW_MONTHS = 12
SNAPSHOT_RULE = (
    f"the province's latest report dated at or before the snapshot and within {SNAPSHOT_WINDOW_MONTHS} months of it "
    "(a date given as a year alone is read as December of that year); ties: the higher confidence, then a share "
    "reported as such, then the earlier row of the file. A share is computed only where the province reported a "
    "share, or both the communes meeting the standard and the number of communes in the same source and at the "
    "same date. Post-merger figures (after 1 July 2025) are left out. Never interpolated.")

SCOPE_FILE = "resource_scope.yml"
SCOPES = ("includes credit", "budget only", "excludes credit", "all sources, credit not stated",
          "infrastructure only", "both national target programmes", "three programmes",
          "people's cash, labour and land", "people's cash only", "not stated")
_CONF = {"high": 2, "medium": 1, "low": 0}

COLUMNS = ["code", "name", "measure", "period_start", "period_end", "period_label", "value", "unit", "value_bn_vnd",
           "population_thousand", "population_series", "population_years", "population_note",
           "per_capita_million_vnd", "qualifier", "scope", "scope_words", "confidence", "status", "publisher",
           "source_url", "source_file", "source_row", "as_of", "note"]


class ScopeFileError(ValueError):
    """``resource_scope.yml`` names a row that is not in the data, or a scope outside the vocabulary."""


@lru_cache(maxsize=1)
def _scope_entries() -> tuple[dict, ...]:
    text = importlib_resources.files("ntm_analysis.analyses").joinpath(SCOPE_FILE).read_text(encoding="utf-8")
    entries = (yaml.safe_load(text) or {}).get("entries") or []
    for i, e in enumerate(entries, 1):
        missing = {"code", "period", "row", "scope", "words"} - set(e)
        if missing:
            raise ScopeFileError(f"{SCOPE_FILE}, entry {i}: missing key(s) {sorted(missing)}; found {e!r}")
        if e["scope"] not in SCOPES:
            raise ScopeFileError(f"{SCOPE_FILE}, entry {i} (row {e['row']}): found scope {e['scope']!r}; "
                                 f"expected one of {', '.join(SCOPES)}")
    return tuple(entries)


def scope_table(reports: pd.DataFrame) -> pd.DataFrame:
    """The hand classification of ``resource_scope.yml`` checked against ``reports`` (``load_ntm_reports`` rows).

    Returns columns ``source_row, scope, scope_words``. Raises :class:`ScopeFileError` naming the entry when an
    entry's code, period and row do not match one row of the data.
    """
    by_row = reports.set_index("source_row")
    rows = []
    for i, e in enumerate(_scope_entries(), 1):
        row = int(e["row"])
        if row not in by_row.index:
            raise ScopeFileError(f"{SCOPE_FILE}, entry {i}: row {row} is not a resources row of {NTM_REPORTS_FILE}")
        r = by_row.loc[row]
        period = f"{r['period_start'] or '?'}–{r['period_end'] or '?'}"
        if str(e["code"]) != r["province_code"] or str(e["period"]) != period:
            raise ScopeFileError(
                f"{SCOPE_FILE}, entry {i}: row {row} of {NTM_REPORTS_FILE} is code {r['province_code']} "
                f"({r['province']}), period {period}; the entry says code {e['code']}, period {e['period']}")
        rows.append({"source_row": row, "scope": e["scope"], "scope_words": e["words"]})
    return pd.DataFrame(rows, columns=["source_row", "scope", "scope_words"])


def population_for(start: int, end: int, data_dir=None) -> pd.DataFrame:
    """:func:`ntm_analysis.data.population.population_over` (remembered by the data layer's cache per span and
    data version), with ``code`` as text."""
    from ntm_analysis.data.population import population_over

    pop = population_over(start, end, data_dir=data_dir)
    return pop.assign(code=pop["code"].astype(str))


def _population(periods: set[tuple[int, int]], data_dir) -> dict[tuple[int, int], dict]:
    """(start, end) → population_thousand, population_series, population_years, population_note."""
    out = {}
    for start, end in periods:
        pop = population_for(start, end, data_dir)
        out[(start, end)] = pop.set_index("code")[["population_thousand", "population_series", "population_years",
                                                   "population_note"]].to_dict("index")
    return out


def _ym(text: str) -> tuple[int, int] | None:
    """"2019-09" → (2019, 9); "2019" → (2019, 12); "" → None."""
    text = (text or "").strip()
    if not text:
        return None
    return (int(text[:4]), int(text[5:7])) if len(text) == 7 else (int(text), 12)


def _months(ym: tuple[int, int]) -> int:
    return ym[0] * 12 + ym[1] - 1


def _province_rows(data_dir) -> pd.DataFrame:
    rep = load_ntm_reports(["resources_total", "resources_people"], data_dir=data_dir)
    scopes = scope_table(load_ntm_reports(["resources_total", "resources_people"], include_post_merger=True,
                                          data_dir=data_dir))
    rep = rep.merge(scopes, on="source_row", how="left")
    rep["scope"] = rep["scope"].fillna("not stated")
    rep["scope_words"] = rep["scope_words"].fillna("")
    return pd.DataFrame({
        "code": rep["province_code"], "name": rep["province"], "measure": rep["indicator"],
        "period_start": rep["start_year"], "period_end": rep["end_year"], "period_label": rep["period_label"],
        "value": rep["value"].astype(float), "unit": rep["unit"], "value_bn_vnd": rep["value"].astype(float),
        "qualifier": rep["qualifier"], "scope": rep["scope"], "scope_words": rep["scope_words"],
        "confidence": rep["confidence"], "status": "reported by the province",
        "publisher": rep["province"].map(lambda n: f"People's Committee of {n} (as quoted by the cited source)"),
        "source_url": rep["source_url"], "source_file": rep["source_file"], "source_row": rep["source_row"],
        "as_of": rep["period_end"], "note": rep["notes"],
    })


def _transfer_rows(data_dir) -> pd.DataFrame:
    from ntm_analysis.data.transfers import load_central_transfers  # helper A's module (data layer)

    t = load_central_transfers(data_dir=data_dir)
    t = t[(t["level"] == "province") & t["value_bn_vnd"].notna()]
    year = t["year"].astype(int)
    return pd.DataFrame({
        "code": t["code"].astype(str), "name": t["name"], "measure": "central_ntp_transfers_plan",
        "period_start": year, "period_end": year, "period_label": year.astype(str),
        "value": t["value_bn_vnd"].astype(float), "unit": "billion VND", "value_bn_vnd": t["value_bn_vnd"].astype(float),
        "qualifier": "exact", "scope": MEASURES["central_ntp_transfers_plan"]["scope"], "scope_words": t["scope"],
        "confidence": "high", "status": t["status"], "publisher": t["publisher"], "source_url": t["source"],
        "source_file": t["source_file"], "source_row": t["source_row"].astype("int64"), "as_of": year.astype(str),
        "note": t["note"].fillna(""),
    })


def transfer_blanks(year: int, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """Provinces blank in the MOF plan of ``year`` (2017: the self-balancing provinces): code, name, note."""
    from ntm_analysis.data.transfers import load_central_transfers

    t = load_central_transfers(data_dir=data_dir)
    t = t[(t["level"] == "province") & (t["year"] == year) & t["value_bn_vnd"].isna()]
    return pd.DataFrame({"code": t["code"].astype(str), "name": t["name"], "note": t["note"].fillna("")})


def commune_shares(data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """``communes_ntm_share`` at each of :data:`SNAPSHOTS` by :data:`SNAPSHOT_RULE` (rows of :data:`COLUMNS`)."""
    rep = load_ntm_reports(["communes_ntm", "communes_total"], data_dir=data_dir)
    cands = []
    share = rep[(rep["indicator"] == "communes_ntm") & (rep["unit"] == "% of communes")]
    for _, r in share.iterrows():
        cands.append({"r": r, "value": float(r["value"]), "conf": r["confidence"], "reported_share": True,
                      "rows": str(r["source_row"]), "how": "share as reported"})
    counts = rep[(rep["indicator"] == "communes_ntm") & (rep["unit"] == "communes")]
    totals = rep[rep["indicator"] == "communes_total"]
    pairs = counts.merge(totals, on=["province_code", "source_url", "period_end"], suffixes=("", "_total"))
    for _, r in pairs.iterrows():
        if not r["value_total"] > 0:
            continue
        conf = min((r["confidence"], r["confidence_total"]), key=_CONF.get)
        cands.append({"r": r, "value": 100.0 * float(r["value"]) / float(r["value_total"]), "conf": conf,
                      "reported_share": False, "rows": f"{r['source_row']}, {r['source_row_total']}",
                      "how": f"{r['value']:g} of {r['value_total']:g} communes (same source and date)"})
    rows = []
    for snap, (sy, sm) in SNAPSHOTS.items():
        hi = _months((sy, sm))
        lo = hi - SNAPSHOT_WINDOW_MONTHS + 1
        best: dict[str, tuple] = {}
        for c in cands:
            r = c["r"]
            ym = _ym(r["period_end"])
            if ym is None or not (lo <= _months(ym) <= hi):
                continue
            key = (_months(ym), _CONF[c["conf"]], c["reported_share"], -int(r["source_row"]))
            code = r["province_code"]
            if code not in best or key > best[code][0]:
                best[code] = (key, c)
        for code, (_key, c) in sorted(best.items()):
            r = c["r"]
            rows.append({
                "code": code, "name": r["province"], "measure": "communes_ntm_share", "period_start": sy,
                "period_end": sy, "period_label": snap, "value": c["value"], "unit": "% of communes",
                "value_bn_vnd": np.nan, "qualifier": r["qualifier"], "scope": MEASURES["communes_ntm_share"]["scope"],
                "scope_words": "", "confidence": c["conf"], "status": "reported by the province",
                "publisher": f"People's Committee of {r['province']} (as quoted by the cited source)",
                "source_url": r["source_url"], "source_file": r["source_file"], "source_row": int(r["source_row"]),
                "as_of": r["period_end"],
                "note": f"{c['how']}; as of {r['period_end']} for the {snap} snapshot (rows {c['rows']})",
            })
    return pd.DataFrame(rows)


def _raw_stamp(data_dir) -> tuple:
    from ntm_analysis import paths

    raw = paths.raw_dir(data_dir)
    return (str(raw.resolve()),
            tuple(sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in raw.glob("*.csv"))))


_MEASURES_MEMO: dict[tuple, pd.DataFrame] = {}


def resource_measures(data_dir: str | os.PathLike | None = None, extra=()) -> pd.DataFrame:
    """Every resource measure of the provinces: one row per province × measure × period (see the module docstring).

    Columns (:data:`COLUMNS`): ``code, name, measure, period_start, period_end`` (years; ``period_start`` is NA
    when the source gives no start), ``period_label`` (as reported, e.g. "2010–2019-09"; a snapshot id for
    commune shares), ``value, unit`` (billion VND, or % of communes), ``value_bn_vnd`` (NaN for non-money),
    ``population_thousand, population_series, population_years, population_note`` (the population of the
    period's years from one GSO series; NaN with the reason otherwise), ``per_capita_million_vnd`` (billion VND
    / thousand persons = million VND per person over the period), ``qualifier`` (exact / lower_bound /
    upper_bound / approximate), ``scope`` (:data:`SCOPES`) with ``scope_words`` (the words that justify it),
    ``confidence``, ``status``, ``publisher``, ``source_url``, ``source_file``, ``source_row``, ``as_of`` and
    ``note``. Measures: :data:`MEASURES`. Overlapping periods of a province are separate rows: never sum them.
    Remembered per data folder until one of its raw files changes; the caller gets a copy.

    ``extra``: a researcher's tables (:class:`ntm_analysis.intake.Table` objects or paths of CSV/XLSX files) of
    resources or of communes meeting the standard: their figures are added as measures of their own
    (``user:resources_total``, ``user:communes_ntm_share``, …; see :mod:`.user_resources`), after the shipped
    rows, per person by the same population rule; a table with problems raises
    :class:`~ntm_analysis.analyses.user_resources.UserTableError` (its check report).
    """
    key = _raw_stamp(data_dir)
    if key not in _MEASURES_MEMO:
        _MEASURES_MEMO.clear()
        _MEASURES_MEMO[key] = _build(data_dir)
    if not extra:
        return _MEASURES_MEMO[key].copy()
    user = user_measure_rows(extra, data_dir)
    if not len(user):
        return _MEASURES_MEMO[key].copy()
    user = _with_population(user, data_dir).sort_values(["measure", "code", "period_end", "source_file",
                                                         "source_row"], kind="stable")
    return pd.concat([_MEASURES_MEMO[key], user], ignore_index=True)[COLUMNS]


def _build(data_dir) -> pd.DataFrame:
    parts = [_transfer_rows(data_dir), _province_rows(data_dir), commune_shares(data_dir)]
    df = _with_population(pd.concat([p for p in parts if len(p)], ignore_index=True), data_dir)
    order = {m: i for i, m in enumerate(MEASURES)}
    df = df.assign(_m=df["measure"].map(order)).sort_values(
        ["_m", "code", "period_end", "period_start", "source_row"], na_position="first").drop(columns="_m")
    return df[COLUMNS].reset_index(drop=True)


def is_money(measures: pd.Series) -> pd.Series:
    """True for the money measures (billion VND: shipped :data:`MONEY_MEASURES` and a user table's resources)."""
    return measures.isin(MONEY_MEASURES + USER_MONEY_MEASURES)


def _with_population(df: pd.DataFrame, data_dir) -> pd.DataFrame:
    """``df`` with the population of each money row's period and the figure per person (:func:`population_for`)."""
    df = df.reset_index(drop=True)
    df["period_start"] = pd.array(df["period_start"], dtype="Int64")
    df["period_end"] = pd.array(df["period_end"], dtype="Int64")
    money = is_money(df["measure"])
    with_start = money & df["period_start"].notna() & df["period_end"].notna()
    periods = {(int(s), int(e)) for s, e in zip(df.loc[with_start, "period_start"], df.loc[with_start, "period_end"])}
    pops = _population(periods, data_dir)
    pt, ps, py, pn = [], [], [], []
    for i, r in df.iterrows():
        if not money[i]:
            info = {"population_thousand": np.nan, "population_series": "", "population_years": "",
                    "population_note": "not a money measure: no per-person figure"}
        elif not with_start[i]:
            info = {"population_thousand": np.nan, "population_series": "", "population_years": "",
                    "population_note": "period start not stated: the population of the period is unknown"}
        else:
            info = pops[(int(r["period_start"]), int(r["period_end"]))].get(
                r["code"], {"population_thousand": np.nan, "population_series": "", "population_years": "",
                            "population_note": "province not in the population series"})
        pt.append(info["population_thousand"])
        ps.append(info["population_series"])
        py.append(info["population_years"])
        pn.append(info["population_note"])
    df["population_thousand"] = pd.to_numeric(pd.Series(pt, index=df.index), errors="coerce").astype(float)
    df["population_series"] = ps
    df["population_years"] = py
    df["population_note"] = pn
    # billion VND / thousand persons = million VND per person
    df["per_capita_million_vnd"] = df["value_bn_vnd"].astype(float) / df["population_thousand"]
    return df


def province_names() -> pd.DataFrame:
    """The 63 provinces of the 2008 geography: code, name (short Vietnamese name)."""
    ps = geo.provinces(2008)
    return pd.DataFrame({"code": [p.code for p in ps], "name": [p.name_short for p in ps]})
