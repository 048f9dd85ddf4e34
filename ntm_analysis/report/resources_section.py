"""The "Resources and outcomes" section: a province's own resource measures per person with their ranks, each
headline association with the province highlighted and a plain verdict, in the province report; the measures,
the associations with their excluded provinces, robustness tables and specification curves, in the national
overview.

The numbers come from :mod:`ntm_analysis.analyses.resources` (``resource_measures``, ``province_resources``,
``resources_association``, ``resources_robustness``, ``specification_curve``, ``association_verdict``); here
they become :class:`~ntm_analysis.report.columns.ReportTable`\\ s (columns in ``columns.yml``, words in the
catalog), sentences and figures (:mod:`ntm_analysis.report.resource_figures`) in the reader's language.
Readings follow the verdict's code: no direction is claimed for "no_clear", "too_few" or "fragile".
The 2016 and 2017 central transfers are "central transfers for both national target programmes, a plan": they
are never called NTM resources.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd

from ntm_analysis import i18n, paths
from ntm_analysis.analyses import resources as res
from ntm_analysis.analyses import robustness as rob
from ntm_analysis.analyses.user_resources import USER_PREFIX
from ntm_analysis.data import cache
from ntm_analysis.models.results import ModelResult
from ntm_analysis.report import resource_figures
from ntm_analysis.report.columns import ReportTable
from ntm_analysis.report.context import ReportContext

MarkdownText = i18n.MarkdownText
#: Measures published for every province by a national body (the Ministry of Finance's plan): where a province
#: reported nothing of its own, the report shows where it stands on these.
NATIONAL_MEASURES = ("central_ntp_transfers_plan",)
#: Decimals of slopes and their intervals in sentences and tables.
SLOPE_DECIMALS = 2
#: Verdict codes of :func:`ntm_analysis.analyses.resources.association_verdict` → the catalog sentence that words
#: them (only the two "robust" codes claim a direction).
VERDICTS = {"too_few": "res_verdict_too_few", "no_clear": "res_verdict_no_clear", "fragile": "res_verdict_fragile",
            "robust_negative": "res_verdict_robust_negative", "robust_positive": "res_verdict_robust_positive"}


# --- the analyses, once per data version -------------------------------------------------------------------------
def _data_files(data_dir=None) -> list[str]:
    """Every data file the resource analyses may read (relative to the data folder): any change refits."""
    raw = paths.raw_dir(data_dir)
    return sorted(f"raw/{p.name}" for p in raw.glob("*.csv")) + ["provenance.yml"]


@dataclass(frozen=True)
class Association:
    """One headline association: what it relates (``measure`` over ``period`` → ``outcome``), its
    :class:`ModelResult` (``.sample``, ``.excluded``), its robustness table and its verdict (a dict with ``code``,
    ``n``, ``loo_min``, ``loo_max``, ``share_specs_same_sign``)."""

    measure: str
    period: tuple[int, int]
    outcome: str
    result: ModelResult
    robustness: pd.DataFrame
    curve: pd.DataFrame
    verdict: dict
    options: tuple = ()

    @property
    def key(self) -> str:
        return f"{self.measure}:{self.period[0]}-{self.period[1]}:{self.outcome}"

    @property
    def slope(self) -> pd.Series | None:
        """The slope's row of the result's coefficients (None when the result has no slope term)."""
        coefs = self.result.coefs
        term = (self.result.extra or {}).get("slope_term")
        rows = coefs[coefs["term"] == term] if term is not None else coefs[
            ~coefs["term"].astype(str).str.lower().isin(["intercept", "const", "(intercept)"])]
        return rows.iloc[0] if len(rows) else None

    @property
    def has_controls(self) -> bool:
        """True when the slope is net of further regressors (a cross-measure control): no simple line is drawn."""
        terms = [t for t in self.result.coefs["term"].astype(str)
                 if t.lower() not in ("intercept", "const", "(intercept)")]
        return len(terms) > 1

    @property
    def reported(self) -> bool:
        """True when a slope is reported (enough provinces, a finite estimate)."""
        s = self.slope
        return s is not None and _finite(s["estimate"])

    @property
    def intercept(self) -> float | None:
        coefs = self.result.coefs
        rows = coefs[coefs["term"].astype(str).str.lower().isin(["intercept", "const", "(intercept)"])]
        return float(rows["estimate"].iloc[0]) if len(rows) and _finite(rows["estimate"].iloc[0]) else None

    @property
    def log_x(self) -> bool:
        return bool(dict(self.options).get("log_x", True))

    @property
    def n(self) -> int:
        return int(len(self.result.sample)) if self.result.sample is not None else int(self.result.n_obs or 0)


def _finite(v) -> bool:
    try:
        return v is not None and math.isfinite(float(v))
    except (TypeError, ValueError):
        return False


def _entry(entry) -> tuple[str, tuple[int, int], str, dict]:
    """A headline entry ``(measure, period, outcome[, options])`` as its parts (options a dict of keywords)."""
    if isinstance(entry, dict):
        e = dict(entry)
        return e.pop("measure"), tuple(e.pop("period")), e.pop("outcome"), e
    measure, period, outcome, *rest = entry
    options = rest[0] if rest and isinstance(rest[0], dict) else {}
    return measure, tuple(int(y) for y in period), outcome, dict(options)


def _fit(entry, data_dir=None) -> Association:
    measure, period, outcome, options = _entry(entry)
    result = res.resources_association(measure, outcome, period, data_dir=data_dir, **options)
    inputs = res.association_inputs(measure, outcome, period, data_dir)  # read once, as the national models do
    robustness = rob.resources_robustness(measure, outcome, period, inputs=inputs, **options)
    curve = rob.specification_curve(measure, outcome, period, inputs=inputs)
    verdict = dict(rob.association_verdict(result, robustness, curve))
    return Association(measure, period, outcome, result, robustness, curve, verdict,
                       tuple(sorted(options.items())))


def headline_associations(data_dir=None) -> list[Association]:
    """Every association of :data:`ntm_analysis.analyses.resources.HEADLINE_ASSOCIATIONS` with its robustness
    and verdict, fitted once per data version (shared, read-only)."""
    return cache.memo("resources_section:headline", _data_files(data_dir),
                      lambda: [_fit(e, data_dir) for e in res.HEADLINE_ASSOCIATIONS], data_dir, copy=False)


def from_national(models) -> list[Association]:
    """The headline associations as :func:`ntm_analysis.analyses.national.fit_national_models` fitted them (its
    ``headline``, ``associations``, ``robustness``, ``curves`` and ``verdicts``), in order: the national overview
    shows what it fitted, without fitting again."""
    from ntm_analysis.analyses.national import association_id  # noqa: PLC0415

    out = []
    for entry in models.headline:
        measure, period, outcome, options = _entry(entry)
        key = association_id(entry)
        out.append(Association(measure, period, outcome, models.associations[key], models.robustness[key],
                               models.curves[key], dict(models.verdicts[key]), tuple(sorted(options.items()))))
    return out


def curve_of(a: Association) -> pd.DataFrame:
    """The specification curve of one association (:func:`ntm_analysis.analyses.resources.specification_curve`:
    every combination of the switches, sorted by estimate), a copy."""
    return a.curve.copy()


# --- words --------------------------------------------------------------------------------------------------------
def period_text(period: tuple[int, int]) -> str:
    """"2011–2015", or "2016" for a one-year period."""
    a, b = int(period[0]), int(period[1])
    return f"{a}" if a == b else f"{a}–{b}"


def measure_label(measure: str, lang: str) -> str:
    return i18n.label("resource_measure", measure, lang)


def outcome_label(outcome: str, lang: str) -> str:
    return i18n.label("resource_outcome", outcome, lang)


def association_label(a: Association, lang: str) -> str:
    """"Resources mobilised (province's own total), 2011–2015 → poverty change 2010→2016 (pp)"."""
    return i18n.t("res_assoc_label", lang, measure=measure_label(a.measure, lang), period=period_text(a.period),
                  outcome=outcome_label(a.outcome, lang))


def _num(v, lang: str, decimals: int = SLOPE_DECIMALS) -> str:
    return i18n.fmt_number(v, lang, decimals)


def slope_unit(a: Association, lang: str) -> str:
    """The unit of an association's slope: the outcome's unit per unit of ln(million VND per person), or per
    million VND per person when the measure is not logged ("(log points × 100 per unit of ln …)")."""
    o = a.outcome
    key = ("res_unit_logpoints_year" if o.endswith("_per_year") else "res_unit_logpoints"
           if o.startswith("real_income_growth") or o.startswith("poverty_change_log") else "res_unit_pp")
    return i18n.t("res_unit_log_x" if a.log_x else "res_unit_points_x", lang, yunit=i18n.t(key, lang))


def verdict_text(a: Association, lang: str) -> str:
    """The verdict in one plain sentence with n, following its code: a direction only for "robust_negative" and
    "robust_positive"; "too_few" says no slope is reported; "no_clear" and "fragile" claim none."""
    v = a.verdict
    code = str(v.get("code"))
    if code not in VERDICTS:
        raise ValueError(f"association {a.key}: verdict code {code!r}; expected one of {sorted(VERDICTS)}")
    s = a.slope
    fields = {"assoc": association_label(a, lang), "n": int(v.get("n", a.n) or 0), "unit": slope_unit(a, lang),
              "min_n": getattr(res, "MIN_N", ""),
              "est": _num(s["estimate"], lang) if s is not None else "—",
              "lo": _num(s["ci_low"], lang) if s is not None else "—",
              "hi": _num(s["ci_high"], lang) if s is not None else "—",
              "loo_min": _num(v.get("loo_min"), lang), "loo_max": _num(v.get("loo_max"), lang),
              "share": _num(100 * v["share_specs_same_sign"], lang, 0) if _finite(v.get("share_specs_same_sign"))
              else "—",
              "clear": _num(100 * v["share_specs_clear_same_sign"], lang, 0)
              if _finite(v.get("share_specs_clear_same_sign")) else "—"}
    return i18n.t(VERDICTS[code], lang, **fields)


# --- the province report ------------------------------------------------------------------------------------------
def province_measures(ctx: ReportContext) -> pd.DataFrame:
    """The members' own resource measures and the national ones (:func:`ntm_analysis.analyses.resources.
    province_resources`), one frame, with ranks among the provinces that reported the same measure and period."""
    def build():
        frames = [res.province_resources(m.code, data_dir=ctx.params.data_dir, extra=list(ctx.params.user_files))
                  for m in ctx.members]  # a researcher's own tables (ntm render --with): their rows, unranked
        frames = [f for f in frames if len(f)]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["code", "measure"])
    return ctx.memo("resources_measures", build).copy()


def reported_nothing(ctx: ReportContext) -> list:
    """The members that reported no resource figure of their own (no total, no people's contribution in money):
    only the national measures cover them. A share of communes meeting the standard is not a resource."""
    df = province_measures(ctx)
    own = df[~df["measure"].isin(NATIONAL_MEASURES) & ~df["measure"].astype(str).str.startswith(USER_PREFIX)
             & pd.to_numeric(df["value_bn_vnd"], errors="coerce").notna()]
    return [m for m in ctx.members if m.code not in set(own["code"].astype(str))]


def _publisher(row: dict, lang: str, names: dict[str, str]) -> str:
    """Who published a figure, in the reader's language: the Ministry of Finance's budget estimate of the year
    (with its decision number), or the province's People's Committee (via the press); a researcher's own table
    names itself ("user table my.xlsx")."""
    if str(row["measure"]).startswith(USER_PREFIX):
        return str(row["publisher"])
    if row["measure"] in NATIONAL_MEASURES:
        decision = re.search(r"QĐ \d+/QĐ-BTC", str(row.get("source_url", "")))
        return i18n.t("res_publisher_mof", lang, year=int(row["period_start"]),
                      decision=f" ({decision.group(0)})" if decision else "")
    return i18n.t("res_publisher_province", lang, name=names.get(str(row["code"]), str(row.get("name", ""))))


#: Snapshot ids of the commune shares (:data:`ntm_analysis.analyses.resource_measures.SNAPSHOTS`) → catalog message.
SNAPSHOT_KEYS = {"end-2015": "res_snapshot_end", "end-2020": "res_snapshot_end", "mid-2025": "res_snapshot_mid"}


def measure_period(row: dict, lang: str) -> str:
    """A measure's period as the reader reads it: "2011–2015", "2016", "end of 2020" (a commune-share
    snapshot), a reported period with a month in the reader's date order."""
    label = row.get("period_label")
    if isinstance(label, str) and label in SNAPSHOT_KEYS:
        return i18n.t(SNAPSHOT_KEYS[label], lang, year=label.rsplit("-", 1)[1])
    if isinstance(label, str) and label:
        return i18n.period(label, lang)
    return period_text((row["period_start"], row["period_end"]))


def _url(value) -> str:
    """A source's address when it is one (the MOF rows cite a document, named in the publisher column)."""
    return value if isinstance(value, str) and value.startswith(("http://", "https://")) else ""


def status_code(row: dict) -> str:
    """The status of a measure's figure as a code the catalog labels: "plan_provisional" (the MOF's 2016 plan, a
    provisional allocation), "plan" (a MOF plan), "reported" (a province's own report, via the press), "user" (a
    researcher's own table)."""
    if str(row["measure"]).startswith(USER_PREFIX):
        return "user"
    if row["measure"] in NATIONAL_MEASURES:
        return "plan_provisional" if "provisional" in str(row.get("status", "")).lower() else "plan"
    return "reported"


def _note(row: dict, lang: str) -> str:
    parts = []
    if str(row["measure"]).startswith(USER_PREFIX):  # marked as the user's: file, sheet, row and column
        parts.append(str(row.get("note", "")).split("; ")[0])
    money = _finite(row.get("value_bn_vnd"))
    if money and not _finite(row.get("per_capita_million_vnd")):
        parts.append(i18n.t("res_note_no_population", lang, period=measure_period(row, lang)))
    if row.get("qualifier") == "lower_bound":
        parts.append(i18n.t("res_note_at_least", lang))
        if _finite(row.get("rank")):
            parts.append(i18n.t("res_note_rank_lower", lang))
    return "; ".join(parts)


def measures_table(ctx: ReportContext) -> ReportTable:
    """The members' resource measures per person with their rank among the provinces that reported the same
    measure and period (``rank`` of ``of``; 1 = the most per person, or the highest share of communes), scope,
    qualifier (a lower bound reads "at least"), confidence, status, publisher and source link."""
    lang = ctx.lang
    df = province_measures(ctx)
    names = {m.code: m.name_short for m in ctx.members}
    rows = []
    for r in df.to_dict("records"):
        share = r.get("value") if r.get("unit") == "% of communes" else None
        rows.append({
            "place_code": str(r["code"]), "place": names.get(str(r["code"]), r.get("name", "")),
            "resource_measure": r["measure"], "period": measure_period(r, lang),
            "qualifier": r.get("qualifier") or "exact",
            "value_bn_vnd": r.get("value_bn_vnd"), "population_thousand": r.get("population_thousand"),
            "per_capita_million_vnd": r.get("per_capita_million_vnd"), "share_pct": share,
            "resource_rank": r.get("rank"), "resource_of": r.get("of"),
            "scope": r.get("scope") or "not stated", "confidence": r.get("confidence"),
            "resource_status": status_code(r), "publisher": _publisher(r, lang, names), "source_url": _url(r.get("source_url")),
            "note": _note(r, lang)})
    cols = ["place_code", "place", "resource_measure", "period", "qualifier", "value_bn_vnd", "population_thousand",
            "per_capita_million_vnd", "share_pct", "resource_rank", "resource_of", "scope", "confidence",
            "resource_status", "publisher", "source_url", "note"]
    out = pd.DataFrame(rows, columns=cols)
    for c in ("value_bn_vnd", "population_thousand", "per_capita_million_vnd", "share_pct"):
        out[c] = pd.to_numeric(out[c], errors="coerce").astype(float)
    for c in ("resource_rank", "resource_of"):
        out[c] = pd.to_numeric(out[c], errors="coerce").astype("Int64")
    hidden = ({"place_code", "place"} if len(ctx.members) == 1 else {"place_code"}) | {"population_thousand"}
    return ReportTable("resources_province", out, lang, hidden=hidden, empty="res_none")


def intro(ctx: ReportContext) -> MarkdownText:
    """What the section shows, and for each member that reported nothing of its own, that it did not and where it
    stands on the 2016 central transfers (rank among the provinces in the Ministry of Finance's plan)."""
    lang = ctx.lang
    parts = [i18n.markdown("res_intro", lang)]
    df = province_measures(ctx)
    for m in reported_nothing(ctx):
        mine = df[(df["code"].astype(str) == m.code) & (df["measure"] == "central_ntp_transfers_plan")
                  & (df["period_start"] == 2016)]
        if len(mine) and _finite(mine["rank"].iloc[0]):
            r = mine.iloc[0]
            parts.append(i18n.markdown("res_reported_nothing", lang, name=m.name_short,
                                       pc=_num(r["per_capita_million_vnd"], lang, 2), rank=int(r["rank"]),
                                       of=int(r["of"])))
        else:
            parts.append(i18n.markdown("res_reported_nothing_no_rank", lang, name=m.name_short))
    parts.append(i18n.markdown("res_transfers_not_ntm", lang))
    return MarkdownText("\n\n".join(parts))


def _place_in(a: Association, code: str, lang: str) -> str:
    """Where a province stands in one association: in the sample (its x and y) or why it is not."""
    s = a.result.sample if a.result.sample is not None else pd.DataFrame(columns=["code"])
    mine = s[s["code"].astype(str) == code]
    if len(mine):
        return i18n.t("res_in_sample", lang)
    ex = a.result.excluded if a.result.excluded is not None else pd.DataFrame(columns=["code", "reason_codes"])
    why = ex.loc[ex["code"].astype(str) == code, "reason_codes"]
    return i18n.t("res_not_in_sample", lang, reason=reason_text(why.iloc[0], lang) if len(why) else "—")


#: The reason codes of :data:`ntm_analysis.analyses.resource_association.REASONS` → the catalog message that words
#: each in the reader's language (the English messages say what the analyses' English ``reason`` says).
REASON_MESSAGES = {
    "several_reports": "res_reason_several", "blank_in_plan": "res_reason_blank",
    "not_in_plan": "res_reason_not_in_plan", "not_in_user_table": "res_reason_not_in_user_table",
    "none_reported": "res_reason_none", "covers_other_period": "res_reason_covers",
    "other_period_reported": "res_reason_other_period", "income_not_published": "res_reason_income",
    "real_income_unavailable": "res_reason_real_income", "poverty_standard_not_published": "res_reason_poverty_standard",
    "poverty_zero": "res_reason_poverty_zero", "multi_not_published": "res_reason_multi",
    "poverty_line_not_published": "res_reason_poverty", "low_confidence": "res_reason_low_confidence",
    "confidence_below": "res_reason_confidence", "lower_bound": "res_reason_lower_bound",
    "includes_credit": "res_reason_credit", "population_not_published": "res_reason_population",
    "population_missing": "res_reason_population_missing",
    "population_no_single_series": "res_reason_population_series", "zero_value": "res_reason_zero",
    "dropped_by_caller": "res_reason_dropped",
}
#: A measure as a reason names it ("no total reported").
REASON_MEASURES = {"central_ntp_transfers_plan": "res_what_transfers", "resources_total": "res_what_total",
                   "resources_people": "res_what_people"}
#: What a period is ("not the 2011–2015 phase").
REASON_SPANS = {"phase": "res_span_phase", "decade": "res_span_decade", "year": "res_span_year"}


def _reason_period(label: object, lang: str) -> str:
    """A reported period as a reason names it: "2010–2019-09" in the reader's date order; "?–2018-03" → "a period
    to 2018-03 (start not stated)"; "?–" → "an unstated period"."""
    s = str(label)
    if s.startswith("?–"):
        end = s[2:]
        return i18n.t("res_period_open", lang, end=i18n.period(end, lang)) if end else i18n.t("res_period_unstated",
                                                                                             lang)
    return i18n.period(s, lang)


def reason_part(r: dict, lang: str) -> str:
    """One reason code (a dict ``{"code": …, **fields}`` of the analyses) in ``lang``."""
    code = r["code"]
    if code not in REASON_MESSAGES:
        raise ValueError(f"exclusion reason code {code!r}; expected one of {sorted(REASON_MESSAGES)}")
    fields = {k: v for k, v in r.items() if k != "code"}
    if "measure" in fields:
        fields["measure"] = i18n.t(REASON_MEASURES.get(fields["measure"], "res_what_user"), lang)
    if "span" in fields:
        fields["span"] = i18n.t(REASON_SPANS[fields["span"]], lang)
    if "reported" in fields:
        fields["reported"] = ", ".join(dict.fromkeys(_reason_period(p, lang) for p in fields["reported"]))
    if "period" in fields:
        fields["period"] = i18n.period(fields["period"], lang)
    if "confidence" in fields:
        fields["confidence"] = i18n.label("confidence", fields["confidence"], lang)
    if "years" in fields:
        fields["years"] = i18n.period(fields["years"], lang)
    return i18n.t(REASON_MESSAGES[code], lang, **fields)


def reason_text(codes, lang: str) -> str:
    """A province's exclusion reasons (``excluded["reason_codes"]`` of
    :func:`ntm_analysis.analyses.resources.resources_association`: a list of codes with their fields) in ``lang``:
    "2 reports for the period: low confidence; lower bound (dropped)"."""
    if codes is None or (isinstance(codes, float) and math.isnan(codes)):
        return ""
    codes = list(codes)
    head = ""
    if codes and codes[0]["code"] == "several_reports":
        head, codes = reason_part(codes[0], lang) + ": ", codes[1:]
    return head + "; ".join(dict.fromkeys(reason_part(r, lang) for r in codes))


def associations_table(ctx: ReportContext) -> ReportTable:
    """Each headline association: n, slope with its 95 % interval (empty when none is reported), leave-one-out
    range, the verdict's code and where each member stands in it."""
    lang = ctx.lang
    rows = []
    for a in headline_associations(ctx.params.data_dir):
        s = a.slope
        for m in ctx.members:
            rows.append({"place_code": m.code, "place": m.name_short, "association": association_label(a, lang),
                         "assoc_n": a.n,
                         "assoc_estimate": float(s["estimate"]) if a.reported else float("nan"),
                         "assoc_ci_low": float(s["ci_low"]) if a.reported else float("nan"),
                         "assoc_ci_high": float(s["ci_high"]) if a.reported else float("nan"),
                         "loo_min": _float(a.verdict.get("loo_min")), "loo_max": _float(a.verdict.get("loo_max")),
                         "verdict": a.verdict["code"], "in_sample": _place_in(a, m.code, lang)})
    cols = ["place_code", "place", "association", "assoc_n", "assoc_estimate", "assoc_ci_low", "assoc_ci_high",
            "loo_min", "loo_max", "verdict", "in_sample"]
    out = pd.DataFrame(rows, columns=cols)
    hidden = {"place_code", "place"} if len(ctx.members) == 1 else {"place_code"}
    return ReportTable("resources_associations", out, lang, hidden=hidden)


def _float(v) -> float:
    return float(v) if _finite(v) else float("nan")


def verdicts(ctx: ReportContext) -> MarkdownText:
    """One plain sentence per headline association (the verdict, with n)."""
    return MarkdownText("\n".join(f"- {i18n.md_escape(verdict_text(a, ctx.lang))}"
                                  for a in headline_associations(ctx.params.data_dir)))


def _axis_x(a: Association, lang: str) -> str:
    key = "res_x_log" if a.log_x else "res_x"
    return i18n.t(key, lang, measure=measure_label(a.measure, lang), period=period_text(a.period))


def panel_of(a: Association, highlight: list[tuple[str, str]], lang: str) -> resource_figures.AssociationPanel:
    """An association as the scatter draws it: its sample, the line only when a slope is reported, n, and a note
    for each highlighted province that is not in the sample (with the reason)."""
    sample = a.result.sample if a.result.sample is not None else pd.DataFrame(columns=["code", "name", "x", "y"])
    sample = sample.assign(code=sample["code"].astype(str))
    in_sample = set(sample["code"])
    notes = [i18n.t("res_fig_not_in_sample", lang, name=name, reason=_place_reason(a, code, lang))
             for code, name in highlight if code not in in_sample]
    if a.reported and a.has_controls:
        notes.append(i18n.t("res_fig_controlled", lang))
    s = a.slope
    return resource_figures.AssociationPanel(
        title=i18n.t("res_fig_panel_title", lang, measure=i18n.label("resource_measure_short", a.measure, lang),
                     period=period_text(a.period), outcome=outcome_label(a.outcome, lang)),
        xlabel=_axis_x(a, lang), ylabel=i18n.label("resource_outcome_axis", a.outcome, lang), sample=sample,
        n=a.n, slope=float(s["estimate"]) if a.reported and not a.has_controls else None,
        intercept=a.intercept if a.reported and not a.has_controls else None,
        log_x=a.log_x, highlight=highlight, notes=notes,
        n_label=i18n.t("res_fig_n" if a.reported else "res_fig_n_no_slope", lang, n=a.n))


def _place_reason(a: Association, code: str, lang: str) -> str:
    ex = a.result.excluded if a.result.excluded is not None else pd.DataFrame(columns=["code", "reason_codes"])
    why = ex.loc[ex["code"].astype(str) == code, "reason_codes"]
    return reason_text(why.iloc[0], lang) if len(why) else "—"


def figure(ctx: ReportContext):
    """The headline associations as small scatters, the report's provinces highlighted and labelled."""
    lang = ctx.lang
    highlight = [(m.code, m.name_short) for m in ctx.members]
    assocs = headline_associations(ctx.params.data_dir)
    panels = [panel_of(a, highlight, lang) for a in assocs]
    return resource_figures.association_scatter(
        panels, title=i18n.t("res_fig_title", lang, name=ctx.place.name_short), source=source_of(assocs, lang),
        lang=lang)


def source_of(assocs: list[Association], lang: str) -> str:
    """The source line of figures drawn from ``assocs``: the Ministry of Finance alone when every measure is its
    plan, the provinces' People's Committees too otherwise; GSO for population and outcomes."""
    national = all(a.measure in NATIONAL_MEASURES for a in assocs)
    return i18n.t("res_source_national" if national else "res_source", lang)


# --- the national overview ----------------------------------------------------------------------------------------
def measures_overview(lang: str = "en", data_dir=None) -> ReportTable:
    """The resource measures: what each is (its label and description), its scope (the reported figures' scopes
    with how many provinces each), publisher, and how many provinces it covers per period as reported (and how
    many can be put per person)."""
    df = res.resource_measures(data_dir=data_dir)
    rows = []
    order = {m: i for i, m in enumerate(res.MEASURES)}
    keys = df[["measure", "period_label", "period_start", "period_end"]].drop_duplicates()
    keys = keys.assign(_o=keys["measure"].map(order)).sort_values(["_o", "period_start", "period_end", "period_label"])
    for measure, label in zip(keys["measure"], keys["period_label"]):
        g = df[(df["measure"] == measure) & (df["period_label"] == label)]
        scopes = g.groupby("scope")["code"].nunique().sort_values(ascending=False)
        info = res.MEASURES.get(measure, {})
        rows.append({"resource_measure": measure, "period": measure_period(g.iloc[0].to_dict(), lang),
                     "scopes": "; ".join(f"{i18n.label('resource_scope', s, lang)} ({n})" for s, n in scopes.items()),
                     "publisher": info.get("publisher", ""), "description": info.get("description", ""),
                     "coverage_n": int(g["code"].nunique()),
                     "coverage_pc": int(g.loc[g["per_capita_million_vnd"].notna(), "code"].nunique())})
    out = pd.DataFrame(rows, columns=["resource_measure", "period", "scopes", "publisher", "coverage_n", "coverage_pc",
                                      "description"])
    return ReportTable("resources_measures", out, lang)


def excluded_table(a: Association, lang: str = "en") -> ReportTable:
    """Every province left out of one association, by code and name, with its specific reason (all of them)."""
    ex = (a.result.excluded if a.result.excluded is not None
          else pd.DataFrame(columns=["code", "name", "reason", "reason_codes"]))
    out = pd.DataFrame({"place_code": ex["code"].astype(str), "place": ex["name"],
                        "reason": [reason_text(r, lang) for r in ex["reason_codes"]]}).reset_index(drop=True)
    return ReportTable("resources_excluded", out, lang)


def robustness_table(a: Association, lang: str = "en") -> ReportTable:
    """The association's robustness table (specification, estimate, 95 % interval, n, what was dropped, the
    baseline flag)."""
    r = a.robustness
    out = pd.DataFrame({"specification": r["specification"].astype(str),
                        "assoc_estimate": r["estimate"].astype(float), "assoc_ci_low": r["ci_low"].astype(float),
                        "assoc_ci_high": r["ci_high"].astype(float),
                        "assoc_n": pd.to_numeric(r["n"], errors="coerce").astype("Int64"),
                        "dropped": r["dropped"].map(lambda v: "" if v is None or (isinstance(v, float) and
                                                                                  math.isnan(v)) else str(v)),
                        "baseline": r["baseline"].astype(bool)}).reset_index(drop=True)
    return ReportTable("resources_robustness", out, lang)


def curve_figure(a: Association, curve: pd.DataFrame, lang: str = "en"):
    """The specification curve of one association: every specification's estimate and 95 % interval, sorted;
    the baseline marked; a line at zero; slopes with x in logs and in million VND per person in separate panels
    (their sizes are not comparable)."""
    outcome = i18n.label("resource_outcome_axis", a.outcome, lang)
    return resource_figures.specification_curve(
        curve, title=i18n.t("res_curve_title", lang, assoc=association_label(a, lang)),
        xlabel=i18n.t("res_curve_xlabel", lang, k=int(curve["estimate"].notna().sum())),
        ylabel={True: i18n.t("res_curve_ylabel_log", lang, outcome=outcome),
                False: i18n.t("res_curve_ylabel", lang, outcome=outcome)},
        group="log_x" if "log_x" in curve else None,
        source=source_of([a], lang), baseline_label=i18n.t("res_curve_baseline", lang),
        others_label=i18n.t("res_curve_others", lang), lang=lang)


def headline_record(a: Association) -> dict:
    """The figures of one association the national overview records (``glue``) and its test checks by value:
    what it relates, n, the slope and its 95 % interval, the verdict, every excluded province with its reason,
    the robustness table and the specification curve's estimates."""
    s = a.slope
    return {"key": a.key, "measure": a.measure, "period": list(a.period), "outcome": a.outcome, "n": a.n,
            "estimate": _float(s["estimate"]) if s is not None else None,
            "ci_low": _float(s["ci_low"]) if s is not None else None,
            "ci_high": _float(s["ci_high"]) if s is not None else None,
            "sample": sorted(str(c) for c in a.result.sample["code"]),
            "excluded": [{"code": str(c), "name": n, "reason": str(r)} for c, n, r in
                         zip(a.result.excluded["code"], a.result.excluded["name"], a.result.excluded["reason"])],
            "verdict": {k: a.verdict[k] for k in ("code", "n", "loo_min", "loo_max", "share_specs_same_sign")},
            "verdict_text": verdict_text(a, "en"),
            "robustness": a.robustness[["specification", "estimate", "ci_low", "ci_high", "n", "baseline"]],
            "curve_estimates": [_float(v) for v in a.curve["estimate"]]}
