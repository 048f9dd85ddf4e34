"""The cross-section of provinces behind :func:`resources_association`: outcomes, the period → window table, the
sample and its exclusions.

* :func:`resources_association` — the cross-section of provinces: x = a measure per person over a period (log by
  default), y = an outcome over the window that matches the period (:data:`PERIODS`), fitted by
  :func:`ntm_analysis.models.association.cross_section_ols` (HC3, t reference, no slope below ``MIN_N``). The
  result's ``sample`` lists the provinces used and ``excluded`` every other province of the 63 with its reason.
* :data:`OUTCOMES`, :data:`PERIODS` (which outcome windows match which measure periods: a stated table),
  :data:`ASSOCIATIONS` (every combination of the table), :data:`HEADLINE_ASSOCIATIONS` (those the data support).
* :func:`association_inputs`, :func:`select_sample`, :func:`fit_selected` — the steps, so that the robustness
  functions (:mod:`.robustness`) read the data once per association.

Outcomes use one consistent measure each: real income per capita (VHLSS, national CPI chain, constant 2010
prices) and the GSO income-line poverty rate of the 2011–2015 standard (2010 and 2016 only); the 2023
multidimensional rate is a different measure and enters only as a level with the 2016 income-line rate as a
cross-measure control, never as a change.
"""
from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ntm_analysis.analyses.resource_measures import (MEASURES, MONEY_MEASURES, measure_info, population_for,
                                                     province_names, resource_measures, transfer_blanks)
from ntm_analysis.analyses.user_resources import USER_MONEY_MEASURES, base_measure, is_user_measure
from ntm_analysis.data.panel import load_panel
from ntm_analysis.data.variables import CPI_VARIABLE, INCOME, POVERTY_LINE, POVERTY_MULTI
from ntm_analysis.indicators import to_real
from ntm_analysis.models import ModelResult
from ntm_analysis.models.association import MIN_N, cross_section_ols
from ntm_analysis.models.prepare import QUALIFIER_SUFFIX, treat_bounds

__all__ = ["OUTCOMES", "PERIODS", "MEASURE_PERIODS", "ASSOCIATIONS", "HEADLINE_ASSOCIATIONS", "MIN_N",
           "resources_association", "outcome_values", "association_inputs", "select_sample", "fit_selected"]

BASE_YEAR = 2010
POVERTY_LINE_MEASURE = "gso_income_line_2011_2015"
POVERTY_MULTI_MEASURE = "gso_multidimensional_2022_2025"
_SHORT = {"central_ntp_transfers_plan": "MOF transfer plan", "resources_total": "total",
          "resources_people": "people's contribution"}


@dataclass(frozen=True)
class Outcome:
    """One outcome over one window: what is measured, in which unit, between which survey years."""

    id: str
    label: str
    unit: str
    start: int
    end: int
    kind: str          # "income_growth" | "poverty_change" | "poverty_level"
    scale: str         # "log" (100·Δln) | "points" (percentage points) | "level" (%)
    per_year: bool
    measure: str
    control: str | None = None

    @property
    def window(self) -> str:
        return f"{self.start}→{self.end}" if self.kind != "poverty_level" else f"level {self.end}"


def _outcomes() -> dict[str, Outcome]:
    out = {}
    income_measure = f"VHLSS income per capita, constant {BASE_YEAR} prices (national CPI chain)"
    for start, end in ((2010, 2016), (2016, 2018), (2016, 2023), (2010, 2018), (2010, 2023)):
        for per_year in (False, True):
            oid = f"real_income_growth_{start}_{end}" + ("_per_year" if per_year else "")
            unit = "log points (×100)" + (" per year" if per_year else "")
            out[oid] = Outcome(oid, f"real income growth {start}→{end}" + (", per year" if per_year else ""), unit,
                               start, end, "income_growth", "log", per_year, income_measure)
    for scale, unit in (("points", "percentage points"), ("log", "log points (×100)")):
        oid = f"poverty_change_{'pp' if scale == 'points' else 'log'}_2010_2016"
        out[oid] = Outcome(oid, "change in the poverty rate 2010→2016 (income line, 2011–2015 standard)", unit,
                           2010, 2016, "poverty_change", scale, False, POVERTY_LINE_MEASURE)
    out["poverty_multi_2023"] = Outcome(
        "poverty_multi_2023", "multidimensional poverty rate 2023 (level; 2016 income-line rate as a cross-measure "
        "control)", "% of population", 2016, 2023, "poverty_level", "level", False, POVERTY_MULTI_MEASURE,
        control="poverty_rate_income_line_2016")
    return out


#: Outcome id → :class:`Outcome` (label, unit, window, measure). Income growth is 100·(ln y_end − ln y_start) of
#: real income per capita (÷ years for ``_per_year``); poverty change is P_end − P_start (points) or
#: 100·(ln P_end − ln P_start) on the income line of the 2011–2015 standard (negative = fewer poor);
#: ``poverty_multi_2023`` is a level on another measure, with a control, never a change.
OUTCOMES: dict[str, Outcome] = _outcomes()

_LATER = ["real_income_growth_2016_2018", "real_income_growth_2016_2018_per_year", "real_income_growth_2016_2023",
          "real_income_growth_2016_2023_per_year", "poverty_multi_2023"]

#: The stated table of which outcome windows match which measure periods. Key: (start, end) of the period;
#: ``starts``: the start years a reported period may have to count as this period (several reviews count the
#: 2011–2015 phase and the decade from 2010); ``outcomes``: the outcome ids whose window matches; ``why``: the
#: reason. 2021–2025 has no window: no province income or poverty table after 2023 was found and population
#: stops in 2022.
PERIODS: dict[tuple[int, int], dict] = {
    (2011, 2015): {"label": "2011–2015", "what": "phase", "starts": (2010, 2011),
                   "outcomes": ["real_income_growth_2010_2016", "real_income_growth_2010_2016_per_year",
                                "poverty_change_pp_2010_2016", "poverty_change_log_2010_2016"],
                   "why": "the surveys that bracket the phase: 2010 (its start) and 2016 (after its end)"},
    (2016, 2020): {"label": "2016–2020", "what": "phase", "starts": (2016,), "outcomes": list(_LATER),
                   "why": "from the 2016 survey (the phase's start) to 2018 (secondary copy) and 2023 (preliminary)"},
    (2011, 2020): {"label": "2010/2011–2020", "what": "decade", "starts": (2010, 2011),
                   "outcomes": ["real_income_growth_2010_2018", "real_income_growth_2010_2018_per_year",
                                "real_income_growth_2010_2023", "real_income_growth_2010_2023_per_year",
                                "poverty_multi_2023"],
                   "why": "from the 2010 survey to the last surveys published (2018, 2023)"},
    (2021, 2025): {"label": "2021–2025", "what": "phase", "starts": (2021,), "outcomes": [],
                   "why": "no province income or poverty figure after 2023 was found; population stops in 2022"},
    (2016, 2016): {"label": "2016", "what": "year", "starts": (2016,), "outcomes": list(_LATER),
                   "why": "the plan year's survey (2016) to the later surveys (2018, 2023)"},
    (2017, 2017): {"label": "2017", "what": "year", "starts": (2017,), "outcomes": list(_LATER),
                   "why": "the last survey before the plan year (2016) to the later surveys (2018, 2023)"},
}

#: Which measure has which periods. A user table's money measure (``user:resources_total``, …) has the phases
#: and decade of the provinces' own totals and the two single years of the table (a user's figure of one year).
MEASURE_PERIODS = {"central_ntp_transfers_plan": [(2016, 2016), (2017, 2017)],
                   "resources_total": [(2011, 2015), (2016, 2020), (2011, 2020), (2021, 2025)],
                   "resources_people": [(2011, 2015), (2016, 2020), (2011, 2020), (2021, 2025)]}
_USER_PERIODS = [(2011, 2015), (2016, 2020), (2011, 2020), (2021, 2025), (2016, 2016), (2017, 2017)]


def measure_periods(measure: str) -> list[tuple[int, int]]:
    """The periods of a measure (:data:`MEASURE_PERIODS`; a user table's money measure: phases, decade, 2016, 2017)."""
    return MEASURE_PERIODS[measure] if measure in MEASURE_PERIODS else list(_USER_PERIODS)

#: Every (measure, period, outcome[, control]) combination of the table; the control is named when there is one.
ASSOCIATIONS: list[tuple] = [
    (m, p, o) + ((OUTCOMES[o].control,) if OUTCOMES[o].control else ())
    for m, ps in MEASURE_PERIODS.items() for p in ps for o in PERIODS[p]["outcomes"]
    if not OUTCOMES[o].per_year]

#: The associations the national overview and the reports show: those with at least ``MIN_N`` provinces in the
#: baseline specification on the shipped data (a test checks every entry has, and that every other entry of
#: :data:`ASSOCIATIONS` has not). The per-year variants carry the same slope ÷ years and are left out.
HEADLINE_ASSOCIATIONS: list[tuple] = [
    ("central_ntp_transfers_plan", (2016, 2016), "real_income_growth_2016_2018"),
    ("central_ntp_transfers_plan", (2016, 2016), "real_income_growth_2016_2023"),
    ("central_ntp_transfers_plan", (2016, 2016), "poverty_multi_2023", "poverty_rate_income_line_2016"),
    ("central_ntp_transfers_plan", (2017, 2017), "real_income_growth_2016_2018"),
    ("central_ntp_transfers_plan", (2017, 2017), "real_income_growth_2016_2023"),
    ("central_ntp_transfers_plan", (2017, 2017), "poverty_multi_2023", "poverty_rate_income_line_2016"),
]


def _period_label(p: tuple[int, int]) -> str:
    return PERIODS[p]["label"]


def _check(measure: str, outcome: str, period) -> tuple[tuple[int, int], Outcome]:
    if measure not in MONEY_MEASURES + USER_MONEY_MEASURES:
        raise ValueError(f"measure must be one of {', '.join(MONEY_MEASURES + USER_MONEY_MEASURES)} (money "
                         f"measures put per person; user: a researcher's table given as extra=[…]), got {measure!r}")
    try:
        period = (int(period[0]), int(period[1]))
    except (TypeError, ValueError, IndexError):
        raise ValueError(f"period must be (start, end) years, got {period!r}") from None
    if period not in measure_periods(measure):
        raise ValueError(f"{measure} has no period {period}; its periods are "
                         f"{', '.join(map(str, measure_periods(measure)))}")
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}; outcomes are {', '.join(OUTCOMES)}")
    allowed = PERIODS[period]["outcomes"]
    if outcome not in allowed:
        why = PERIODS[period]["why"]
        raise ValueError(f"outcome {outcome!r} does not match the period {_period_label(period)} "
                         f"({why}); matching outcomes: {', '.join(allowed) or 'none'}")
    return period, OUTCOMES[outcome]


# -- outcomes --------------------------------------------------------------------------------------------------
def _real_income(data_dir) -> pd.DataFrame:
    inc = load_panel(variables=INCOME, data_dir=data_dir)
    cpi = load_panel(level="national", variables=CPI_VARIABLE, data_dir=data_dir)
    real = to_real(inc, base_year=BASE_YEAR, cpi=cpi, missing="na")
    col = f"value_real_{BASE_YEAR}"
    return pd.DataFrame({"code": real["code"].astype(str), "year": real["year"].astype(int),
                         "nominal": real["value"].astype(float), "real": real[col].astype(float),
                         "status": real["status"].astype(str), "note": real["note"].fillna("").astype(str)})


def _endpoint_text(status: str, note: str) -> str:
    low = f"{status} {note}".lower()
    if "secondary" in low:
        return "secondary copy"
    return status


def outcome_values(outcome: str, data_dir: str | os.PathLike | None = None) -> pd.DataFrame:
    """One outcome for the 63 provinces: ``code, name, y, control, status, reason, reason_codes`` (reason set where
    y is NaN: in English, and as codes, :data:`REASONS`).

    ``status`` says which endpoints are preliminary or a secondary copy (e.g. "2016 preliminary; 2023
    preliminary"). Nothing is filled: a province without a figure at either end keeps NaN and a reason.
    """
    o = OUTCOMES[outcome]
    base = province_names()
    y = pd.Series(np.nan, index=base["code"])
    ctrl = pd.Series(np.nan, index=base["code"])
    status = pd.Series("", index=base["code"], dtype=object)
    texts = pd.Series("", index=base["code"], dtype=object)
    codes = pd.Series([[] for _ in base["code"]], index=base["code"], dtype=object)
    if o.kind == "income_growth":
        inc = _real_income(data_dir)
        for code in base["code"]:
            rows = inc[inc["code"] == code].set_index("year")
            why = []
            vals = []
            sts = []
            for yr in (o.start, o.end):
                if yr not in rows.index or not np.isfinite(rows.at[yr, "nominal"]):
                    why.append(reason("income_not_published", year=yr))
                elif not np.isfinite(rows.at[yr, "real"]):
                    why.append(reason("real_income_unavailable", year=yr))
                else:
                    vals.append(rows.at[yr, "real"])
                    st = _endpoint_text(rows.at[yr, "status"], rows.at[yr, "note"])
                    if st != "final":
                        sts.append(f"{yr} {st}")
            if why:
                texts[code], codes[code] = reason_sentence(why), why
                continue
            g = 100 * (np.log(vals[1]) - np.log(vals[0]))
            y[code] = g / (o.end - o.start) if o.per_year else g
            status[code] = "; ".join(sts) or "final"
    else:
        pan = load_panel(variables=[POVERTY_LINE, POVERTY_MULTI], data_dir=data_dir)
        pan = pan.assign(code=pan["code"].astype(str))
        line = pan[(pan["variable"] == POVERTY_LINE) & (pan["measure"] == POVERTY_LINE_MEASURE)]
        multi = pan[(pan["variable"] == POVERTY_MULTI) & (pan["measure"] == POVERTY_MULTI_MEASURE)]

        def get(frame, code, yr):
            r = frame[(frame["code"] == code) & (frame["year"] == yr)]
            return (float(r["value"].iloc[0]), str(r["status"].iloc[0])) if len(r) else (np.nan, "")

        for code in base["code"]:
            if o.kind == "poverty_change":
                (p0, s0), (p1, s1) = get(line, code, o.start), get(line, code, o.end)
                why = [reason("poverty_standard_not_published", year=yr)
                       for yr, p in ((o.start, p0), (o.end, p1)) if not np.isfinite(p)]
                if not why and o.scale == "log" and min(p0, p1) <= 0:
                    why.append(reason("poverty_zero"))
                if why:
                    texts[code], codes[code] = reason_sentence(why), why
                    continue
                y[code] = (p1 - p0) if o.scale == "points" else 100 * (np.log(p1) - np.log(p0))
                status[code] = "; ".join(f"{yr} {s}" for yr, s in ((o.start, s0), (o.end, s1)) if s != "final") \
                    or "final"
            else:
                (pm, sm), (pc, sc) = get(multi, code, o.end), get(line, code, o.start)
                why = []
                if not np.isfinite(pm):
                    why.append(reason("multi_not_published", year=o.end))
                if not np.isfinite(pc):
                    why.append(reason("poverty_line_not_published", year=o.start))
                if why:
                    texts[code], codes[code] = reason_sentence(why), why
                    continue
                y[code], ctrl[code] = pm, pc
                status[code] = "; ".join(f"{yr} {s}" for yr, s in ((o.end, sm), (o.start, sc)) if s != "final") \
                    or "final"
    return pd.DataFrame({"code": base["code"].to_numpy(), "name": base["name"].to_numpy(), "y": y.to_numpy(),
                         "control": ctrl.to_numpy(), "status": status.to_numpy(), "reason": texts.to_numpy(),
                         "reason_codes": codes.to_numpy()})


# -- the cross-section -----------------------------------------------------------------------------------------
#: Confidence ranks; a user table's figure ("user") is not graded by the toolkit and passes any ``min_confidence``.
_CONF = {"low": 0, "medium": 1, "high": 2, "user": 2}
_QUAL = {"exact": 0, "approximate": 1, "upper_bound": 1, "lower_bound": 2}


def _period_text(label: str) -> str:
    """"2010–2019-09" as is; "?–2018-03" → "a period to 2018-03 (start not stated)"; "?–" → "an unstated period"."""
    if label.startswith("?–"):
        end = label[2:]
        return f"a period to {end} (start not stated)" if end else "an unstated period"
    return label


def _periods_text(rows: pd.DataFrame) -> str:
    return ", ".join(dict.fromkeys(_period_text(str(p)) for p in rows["period_label"]))


#: Why a province is left out of an association: reason code → its English sentence. ``excluded["reason_codes"]``
#: holds each province's reasons as ``{"code": …, **fields}`` (a first ``{"code": "several_reports", "k": k}`` when
#: k reports of the period were all set aside); ``excluded["reason"]`` is the English sentence
#: (:func:`reason_sentence`). A report words the same codes in its language through the catalog
#: (:data:`ntm_analysis.report.resources_section.REASON_MESSAGES`). Fields: ``year``; ``measure`` (a measure id,
#: worded by :data:`_SHORT`); ``period`` (a period's label); ``span`` (phase, decade or year); ``reported`` (the
#: period labels a province did report); ``confidence``; ``years``; ``note`` (the data layer's note when no single population
#: series covers the period, as it wrote it).
REASONS = {
    "several_reports": "{k} reports for the period",
    "blank_in_plan": "blank in the MOF {year} plan (self-balancing province)",
    "not_in_plan": "not in the MOF {year} plan",
    "not_in_user_table": "not in the user's table",
    "none_reported": "no {measure} reported",
    "covers_other_period": "{measure} covers {reported}, not the {period} {span}",
    "other_period_reported": "no {period} {measure} reported (reported: {reported})",
    "income_not_published": "income {year} not published",
    "real_income_unavailable": "real income {year} not available (no CPI chain to {year})",
    "poverty_standard_not_published": "poverty rate (income line, 2011–2015 standard) {year} not published",
    "poverty_zero": "poverty rate 0 at an end: no log change",
    "multi_not_published": "multidimensional poverty {year} not published",
    "poverty_line_not_published": "poverty rate (income line) {year} not published",
    "low_confidence": "low confidence",
    "confidence_below": "{confidence} confidence",
    "lower_bound": "lower bound (dropped)",
    "includes_credit": "includes credit (dropped)",
    "population_not_published": "population not published for {years}",
    "population_missing": "population not published for the period",
    "population_no_single_series": "{note}",
    "zero_value": "zero value in the source: no logarithm (x in logs)",
    "dropped_by_caller": "dropped by the caller",
}


def reason(code: str, **fields) -> dict:
    """One reason (:data:`REASONS`) with its fields, checked."""
    if code not in REASONS:
        raise ValueError(f"reason code {code!r}; expected one of {', '.join(REASONS)}")
    return {"code": code, **fields}


def reason_part(r: dict) -> str:
    """One reason in English."""
    fields = {k: v for k, v in r.items() if k != "code"}
    if "measure" in fields:
        fields["measure"] = _SHORT.get(fields["measure"], "figure in the user's table")
    if "reported" in fields:
        fields["reported"] = ", ".join(dict.fromkeys(_period_text(str(p)) for p in fields["reported"]))
    return REASONS[r["code"]].format(**fields)


def reason_sentence(codes) -> str:
    """A province's reasons (a list of :func:`reason` dicts) as the English sentence of ``excluded["reason"]``."""
    codes = list(codes)
    head = ""
    if codes and codes[0]["code"] == "several_reports":
        head, codes = reason_part(codes[0]) + ": ", codes[1:]
    return head + "; ".join(dict.fromkeys(reason_part(r) for r in codes))


def association_inputs(measure: str, outcome: str, period, data_dir: str | os.PathLike | None = None,
                       measures: pd.DataFrame | None = None, extra=()) -> pd.DataFrame:
    """The 63 provinces with every report of ``measure`` that matches ``period``, and the outcome.

    One row per province × matching report (a province with none has one row with NaN report fields and a
    ``no_report_reason``). Columns: code, name, source_row, value_bn_vnd, per_capita_million_vnd,
    population_thousand, population_note, qualifier, scope, confidence, source_url, period_label,
    no_report_reason, y, control, outcome_status, outcome_reason. :func:`resources_association` and the
    robustness functions select from it, so the data are read once per association. ``extra``: a researcher's
    tables (see :func:`resource_measures`), for a ``user:`` measure.
    """
    period, o = _check(measure, outcome, period)
    rm = resource_measures(data_dir, extra=extra) if measures is None else measures
    if is_user_measure(measure) and not (rm["measure"] == measure).any():
        raise ValueError(f"no row of measure {measure!r}: pass the user's table as extra=[path or Table] (a table "
                         f"with a {base_measure(measure)!r} column or variable)")
    rm = rm[rm["measure"] == measure]
    starts = PERIODS[period]["starts"]
    match = rm[rm["period_start"].isin(starts) & (rm["period_end"] == period[1])
               & ~rm["period_label"].astype(str).str.contains(r"–\d{4}-\d{2}$", regex=True)]
    base = province_names()
    out = base.merge(match, on=["code"], how="left", suffixes=("", "_r"))
    out["name"] = out["name"].where(out["name"].notna(), out.get("name_r"))
    out = out.drop(columns=[c for c in out.columns if c.endswith("_r")])
    reasons = {}
    plabel = _period_label(period)
    blanks = transfer_blanks(period[0], data_dir) if measure == "central_ntp_transfers_plan" else None
    for code in base["code"]:
        if code in set(match["code"]):
            continue
        mine = rm[rm["code"] == code]
        if blanks is not None and code in set(blanks["code"]):
            reasons[code] = reason("blank_in_plan", year=period[0])
        elif mine.empty and is_user_measure(measure):
            reasons[code] = reason("not_in_user_table")
        elif mine.empty:
            reasons[code] = reason("none_reported", measure=measure) if measure != "central_ntp_transfers_plan" \
                else reason("not_in_plan", year=period[0])
        else:
            s, e = period
            overlap = mine[(mine["period_end"].fillna(9999) >= s) & (mine["period_start"].fillna(0) <= e)]
            if len(overlap):
                reasons[code] = reason("covers_other_period", measure=measure, period=plabel,
                                       span=PERIODS[period]["what"], reported=list(overlap["period_label"]))
            else:
                reasons[code] = reason("other_period_reported", measure=measure, period=plabel,
                                       reported=list(mine["period_label"]))
    out["no_report_reason"] = [reason_sentence([reasons[c]]) if c in reasons else "" for c in out["code"]]
    out["no_report_codes"] = [[reasons[c]] if c in reasons else [] for c in out["code"]]
    # x is the measure per person over THE period, with one population series for every province (a report
    # starting in 2010 is put over the period's population too, so no two GSO vintages meet in one regression)
    pop = population_for(*period, data_dir).set_index("code")
    out["population_thousand"] = out["code"].map(pop["population_thousand"]).astype(float)
    out["population_series"] = out["code"].map(pop["population_series"]).fillna("")
    out["population_note"] = out["code"].map(pop["population_note"]).fillna("")
    out["per_capita_million_vnd"] = out["value_bn_vnd"] / out["population_thousand"]
    ov = outcome_values(outcome, data_dir).set_index("code")
    out["y"] = out["code"].map(ov["y"])
    out["control"] = out["code"].map(ov["control"])
    out["outcome_status"] = out["code"].map(ov["status"])
    out["outcome_reason"] = out["code"].map(ov["reason"])
    out["outcome_codes"] = out["code"].map(ov["reason_codes"])
    series = sorted(set(out["population_series"]) - {""})
    out.attrs.update({"measure": measure, "outcome": outcome, "period": period,
                      "population": f"mean of {', '.join(series) or 'no series'} over {period[0]}–{period[1]} "
                                    f"for every province (one GSO series)"})
    return out


def select_sample(inputs: pd.DataFrame, *, log_x: bool = True, min_confidence: str = "medium",
                  lower_bounds: str = "drop", exclude_credit: bool = False, weights: str | None = None,
                  drop=()) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(sample, excluded) from :func:`association_inputs` under the given switches (see
    :func:`resources_association`). Exactly one row per province of the 63 across the two frames."""
    if min_confidence not in ("low", "medium", "high"):
        raise ValueError(f"min_confidence must be low, medium or high, got {min_confidence!r}")
    if lower_bounds not in ("drop", "keep"):
        raise ValueError(f"lower_bounds must be 'drop' or 'keep', got {lower_bounds!r}")
    if weights not in (None, "population"):
        raise ValueError(f"weights must be None or 'population', got {weights!r}")
    drop_codes = {str(c) for c in drop}
    sample, excluded = [], []
    groups: dict[str, list[dict]] = {}
    for rec in inputs.to_dict("records"):
        groups.setdefault(rec["code"], []).append(rec)
    for code in sorted(groups):
        g = groups[code]
        name = g[0]["name"]
        if g[0]["no_report_reason"]:
            excluded.append((code, name, g[0]["no_report_reason"], list(g[0]["no_report_codes"])))
            continue
        reasons = []
        ok = []
        for r in g:
            why = None
            if _CONF[r["confidence"]] < _CONF[min_confidence]:
                why = reason("low_confidence") if r["confidence"] == "low" else \
                    reason("confidence_below", confidence=r["confidence"])
            elif lower_bounds == "drop" and r["qualifier"] == "lower_bound":
                why = reason("lower_bound")
            elif exclude_credit and r["scope"] == "includes credit":
                why = reason("includes_credit")
            elif not np.isfinite(r["population_thousand"]):
                note = r["population_note"]
                why = reason("population_no_single_series", note=note) if note else reason("population_missing")
                if note.startswith("population not published for"):
                    why = reason("population_not_published",
                                 years=note.split(" (")[0][len("population not published for "):])
            elif log_x and not r["per_capita_million_vnd"] > 0:
                why = reason("zero_value")
            (reasons if why else ok).append((why, r))
        if not ok:
            whys = list({reason_part(w): w for w, _ in reasons}.values())
            if len(reasons) > 1:
                whys = [reason("several_reports", k=len(reasons)), *whys]
            excluded.append((code, name, reason_sentence(whys), whys))
            continue
        ok.sort(key=lambda t: (-_CONF[t[1]["confidence"]], _QUAL.get(t[1]["qualifier"], 3), t[1]["source_row"]))
        r = ok[0][1]
        if not np.isfinite(r["y"]):
            excluded.append((code, name, r["outcome_reason"], list(r["outcome_codes"])))
            continue
        if code in drop_codes:
            excluded.append((code, name, reason_sentence([reason("dropped_by_caller")]),
                             [reason("dropped_by_caller")]))
            continue
        pc = float(r["per_capita_million_vnd"])
        note = "" if len(g) == 1 else f"{len(g)} reports for the period: kept row {int(r['source_row'])}"
        sample.append({
            "code": code, "name": name, "x": np.log(pc) if log_x else pc, "y": float(r["y"]),
            "weight": float(r["population_thousand"]) if weights == "population" else 1.0,
            "qualifier": r["qualifier"], "scope": r["scope"], "confidence": r["confidence"],
            "source_url": r["source_url"], "per_capita_million_vnd": pc, "value_bn_vnd": float(r["value_bn_vnd"]),
            "population_thousand": float(r["population_thousand"]), "period_label": r["period_label"],
            "source_row": int(r["source_row"]), "control": float(r["control"]),
            "outcome_status": r["outcome_status"], "note": note})
    cols = ["code", "name", "x", "y", "weight", "qualifier", "scope", "confidence", "source_url",
            "per_capita_million_vnd", "value_bn_vnd", "population_thousand", "period_label", "source_row", "control",
            "outcome_status", "note"]
    sample = pd.DataFrame(sample, columns=cols).reset_index(drop=True)
    for c in ("x", "y", "weight", "per_capita_million_vnd", "value_bn_vnd", "population_thousand", "control"):
        sample[c] = sample[c].astype(float)
    sample["source_row"] = sample["source_row"].astype("int64")
    return (sample,
            pd.DataFrame(excluded, columns=["code", "name", "reason", "reason_codes"]).reset_index(drop=True))


def model_frame(sample: pd.DataFrame, control: str | None = None) -> pd.DataFrame:
    """The selected sample as the estimator reads it: the control column named, and the resource figure's
    qualifier given to x as decided (:func:`select_sample` dropped lower bounds unless ``lower_bounds="keep"`` and
    uses upper bounds and approximate figures as they are: ``bounds="as_exact"`` for what it kept, so the
    estimator's notes count them)."""
    data = sample.rename(columns={"control": control}) if control else sample
    return treat_bounds(data.rename(columns={"qualifier": f"x{QUALIFIER_SUFFIX}"}), "as_exact", columns=["x"])


def fit_selected(inputs: pd.DataFrame, sample: pd.DataFrame, excluded: pd.DataFrame, *, log_x: bool,
                 weights: str | None, switches: dict | None = None) -> ModelResult:
    """Fit the cross-section on a selected sample (:func:`select_sample`) and attach sample and excluded."""
    measure, outcome, period = inputs.attrs["measure"], inputs.attrs["outcome"], inputs.attrs["period"]
    o = OUTCOMES[outcome]
    per = "million VND per person"
    label = measure_info(measure)["label"]
    x_label = f"{label[0].lower()}{label[1:]} per person, {_period_label(period)}"
    controls = ["control"] if o.control else None
    data = model_frame(sample, o.control)
    fit = cross_section_ols(
        data, "y", "x", controls=[o.control] if controls else None,
        weights="weight" if weights == "population" else None, unit="code", x_label=x_label, y_label=o.label,
        log_x=log_x, log_y_ratio=(o.kind == "income_growth" and not o.per_year) or
        (o.kind == "poverty_change" and o.scale == "log"), y_unit=o.unit,
        estimator="cross-section of provinces, " + ("WLS (population weights)" if weights else "OLS"))
    term = f"ln({measure} per person)" if log_x else f"{measure} per person ({per})"
    coefs = fit.coefs.copy()
    coefs.loc[coefs.index[0], "term"] = term
    statuses = sorted({s for s in sample["outcome_status"] if s and s != "final"})
    notes = list(fit.notes)
    notes.insert(0, f"x: {label} over {_period_label(period)} per person ({per}"
                    f"{', log' if log_x else ''}); y: {o.label} ({o.unit}); window {o.window}: "
                    f"{PERIODS[period]['why']}")
    if o.control:
        notes.insert(1, "poverty_multi_2023 is a LEVEL on the multidimensional measure with the 2016 income-line "
                        "rate as a cross-measure control: not a change in poverty")
    notes.append(f"population: {inputs.attrs['population']}; a report starting a year earlier (e.g. 2010 for the "
                 f"2011–2015 phase) is put over the same population")
    if statuses:
        notes.append("outcome endpoints not final: " + " | ".join(statuses))
    if is_user_measure(measure):
        files = sorted({str(r) for r in inputs.loc[inputs["no_report_reason"] == "", "source_file"].dropna()})
        notes.append(f"x is the researcher's own figure ({measure}, from {', '.join(files) or 'no file'}): "
                     "not graded by the toolkit (kept whatever min_confidence says) and never merged into the "
                     "shipped measures")
    notes.append(f"{len(sample)} provinces used, {len(excluded)} excluded (see .excluded for each reason)")
    extra = dict(fit.extra, measure=measure, outcome=outcome, period=period, slope_term=term,
                 switches=dict(switches or {}), log_x=log_x, weights=weights)
    res = dataclasses.replace(fit, coefs=coefs, dependent=outcome, notes=notes, extra=extra, sample=sample,
                              excluded=excluded)
    if fit.vcov is not None:
        names = list(coefs["term"])
        res = dataclasses.replace(res, vcov=pd.DataFrame(fit.vcov.to_numpy(), index=names, columns=names))
    return res


def resources_association(measure: str, outcome: str, period=(2011, 2015), *, log_x: bool = True,
                          min_confidence: str = "medium", lower_bounds: str = "drop", exclude_credit: bool = False,
                          weights: str | None = None, drop=(), data_dir: str | os.PathLike | None = None,
                          extra=()) -> ModelResult:
    """The association across provinces of a resource measure per person with an outcome.

    Parameters
    ----------
    measure : ``central_ntp_transfers_plan``, ``resources_total`` or ``resources_people``; or a user table's money
        measure (``user:resources_total``, ``user:resources_people``, ``user:resources_central_budget``, …) with
        the table in ``extra``.
    outcome : an id of :data:`OUTCOMES` whose window matches ``period`` in :data:`PERIODS` (else ``ValueError``
        naming the matching ones).
    period : (start, end): a period of :data:`MEASURE_PERIODS`; a report counts for it when its start is one of
        the period's ``starts`` and it ends in ``end`` (a report ending at a month, e.g. 2016–2020-06, does not).
    log_x : x = ln(million VND per person) (default) or the plain figure.
    min_confidence : reports below it are excluded ("low confidence").
    lower_bounds : "drop" (default: "over X" figures excluded) or "keep" (used as if exact).
    exclude_credit : exclude totals whose scope is "includes credit".
    weights : None, or "population" (WLS with the period's average population in thousands).
    drop : codes to leave out ("dropped by the caller").
    extra : a researcher's tables (:class:`ntm_analysis.intake.Table` objects or paths), see
        :func:`~ntm_analysis.analyses.resource_measures.resource_measures`; a table with problems raises
        :class:`~ntm_analysis.analyses.user_resources.UserTableError` with its check report.

    Returns
    -------
    ModelResult
        From :func:`~ntm_analysis.models.association.cross_section_ols` (HC3, t with n − k d.o.f.; no estimate
        below ``MIN_N``). ``sample``: code, name, x, y, weight, qualifier, scope, confidence, source_url (and
        the per-person figure, value, population, period, source row, control, the outcome's status).
        ``excluded``: every other province of the 63 with its reason. A province with several reports for the
        period keeps the highest confidence, then an exact figure, then the earlier row (noted in ``sample``).
    """
    inputs = association_inputs(measure, outcome, period, data_dir, extra=extra)
    switches = {"log_x": log_x, "min_confidence": min_confidence, "lower_bounds": lower_bounds,
                "exclude_credit": exclude_credit, "weights": weights}
    sample, excluded = select_sample(inputs, drop=drop, **switches)
    return fit_selected(inputs, sample, excluded, log_x=log_x, weights=weights, switches=switches)
