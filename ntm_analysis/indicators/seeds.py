"""The seed articles' numeric claims, recomputed from their own figures.

:func:`seed_claims` takes the hand-transcribed figures (``ntm.load_seed_facts()``) and recomputes
each derived claim of the two articles (Báo Lào Cai on Y Tý; Báo Đắk Nông on Đắk Ha and the
province), saying in which unit the recomputed value is and what remains ambiguous.
"""
from __future__ import annotations

import pandas as pd

from ntm_analysis.indicators.change import compound_rate, pp_per_year
from ntm_analysis.indicators.targets import attainment, implied_target, implied_target_range

CLAIM_COLUMNS = ["claim", "article_wording", "article_value", "article_unit", "recomputed_value", "unit",
                 "consistent_with_article", "explanation", "ambiguity_note", "fact_ids", "source_url"]


def _fact(facts: pd.DataFrame, place: str, indicator: str, year: str | None = None) -> pd.Series:
    sel = (facts["place"] == place) & (facts["indicator"] == indicator)
    if year is not None:
        sel &= facts["period_end"].astype(str) == year
    rows = facts[sel]
    if len(rows) != 1:
        raise LookupError(f"seed facts: expected one row for {place} / {indicator}"
                          f"{' / ' + year if year else ''}, found {len(rows)} (data/seeds/seed_articles_figures.csv)")
    return rows.iloc[0]


def seed_claims(facts: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each numeric claim of the seed articles, recomputed, with its unit and what is ambiguous.

    Rows: Y Tý's "average decrease of 7.6 %/year" read as percentage points per year and as a
    compound rate; Đắk Ha's poverty change 2020→2022, 2022→2024 and 2020→2024 in pp/year;
    the income plan implied by "113 % of the set plan"; Đắk Nông's 29 NTM communes against the
    target of 18. Columns: ``CLAIM_COLUMNS``. ``consistent_with_article`` compares the
    recomputed value, rounded as the article rounds, with the article's figure (NA when the
    article states none).
    """
    if facts is None:
        from ntm_analysis.data.ntm_provincial import load_seed_facts
        facts = load_seed_facts()
    rows = []

    def add(claim, fact_rows, article_value, article_unit, value, unit, consistent, explanation, ambiguity):
        rows.append({"claim": claim, "article_wording": fact_rows[0]["quote"], "article_value": article_value,
                     "article_unit": article_unit, "recomputed_value": value, "unit": unit,
                     "consistent_with_article": consistent, "explanation": explanation, "ambiguity_note": ambiguity,
                     "fact_ids": "+".join(r["fact_id"] for r in fact_rows), "source_url": fact_rows[0]["article_url"]})

    # Y Tý (Lào Cai): 50.79 % (2021) → 20.42 % (2025), "an average decrease of 7.6%/year"
    a, b = _fact(facts, "Y Tý", "poverty_rate", "2021"), _fact(facts, "Y Tý", "poverty_rate", "2025")
    stated = _fact(facts, "Y Tý", "poverty_rate_avg_decrease")
    y0, y1 = int(a["period_end"]), int(b["period_end"])
    pp = pp_per_year(a["value"], b["value"], y0, y1)
    cr = compound_rate(a["value"], b["value"], y0, y1)
    common = ("The article does not name the poverty standard; if published before the end of 2025, the 2025 "
              "rate may be an estimate.")
    def matches(x):
        return round(-x, 1) == stated["value"]

    def verdict(x):
        return (f"The article's {stated['value']:g} '%/year' matches this reading (rounded to one decimal). "
                if matches(x) else f"The article's {stated['value']:g} '%/year' does not match this reading. ")

    add("Y Tý poverty rate: average yearly decrease 2021–2025, read as percentage points", [a, b, stated],
        stated["value"], stated["unit"], pp, "pp/year", matches(pp),
        f"({b['value']:g} − {a['value']:g}) / ({y1} − {y0}) = {pp:.4f} pp/year: the rate fell by "
        f"{a['value'] - b['value']:.2f} points in {y1 - y0} years.",
        verdict(pp) + common)
    add("Y Tý poverty rate: average yearly decrease 2021–2025, read as a compound rate", [a, b, stated],
        stated["value"], stated["unit"], cr, "%/year", matches(cr),
        f"(({b['value']:g} / {a['value']:g})^(1/{y1 - y0}) − 1) × 100 = {cr:.4f} %/year: each year the rate was "
        f"about {abs(cr):.1f} % smaller than the year before.",
        verdict(cr) + common)

    # Đắk Ha (Đắk Nông): 40.81 % (2020), 28.34 % (2022), 10.14 % (2024)
    p = {y: _fact(facts, "Đắk Ha", "poverty_rate", y) for y in ("2020", "2022", "2024")}
    for s, e in (("2020", "2022"), ("2022", "2024"), ("2020", "2024")):
        v = pp_per_year(p[s]["value"], p[e]["value"], int(s), int(e))
        spans = s == "2020"
        add(f"Đắk Ha poverty rate: average yearly change {s}–{e}", [p[s], p[e]], pd.NA, pd.NA, v, "pp/year", pd.NA,
            f"({p[e]['value']:g} − {p[s]['value']:g}) / ({e} − {s}) = {v:.4f} pp/year.",
            ("The article states no rate of change. The standard is not named: 2020 was probably measured under the "
             "2016–2020 multidimensional standard and 2022–2024 under the 2022–2025 standard, so this change "
             "probably spans a change of standard and is not like-for-like." if spans else
             "The article states no rate of change. The standard is not named; 2022 and 2024 probably both follow "
             "the 2022–2025 multidimensional standard."))

    # Đắk Ha income 2024: 50.89 M VND/person/year = 113 % of plan
    inc = _fact(facts, "Đắk Ha", "income_per_capita", "2024")
    att = _fact(facts, "Đắk Ha", "income_plan_attainment")
    plan = implied_target(inc["value"], att["value"])
    lo, hi = implied_target_range(inc["value"], att["value"])
    add("Đắk Ha income per capita 2024: the plan implied by '113 % of the set plan'", [inc, att], att["value"],
        att["unit"], plan, inc["unit"], pd.NA,
        f"{inc['value']:g} / ({att['value']:g} / 100) = {plan:.4f} {inc['unit']}.",
        f"The plan itself is not stated. If 113 % is rounded to a whole percent, the plan lies between {lo:.2f} and "
        f"{hi:.2f}. The article's machine translation says 'will be' for a 2024 outturn.")

    # Đắk Nông: 29 NTM communes by 2020 against Resolution 03's target of 18 or more
    act = _fact(facts, "Đắk Nông", "communes_ntm", "2020")
    tgt = _fact(facts, "Đắk Nông", "communes_ntm_target", "2020")
    pct = attainment(act["value"], tgt["value"])
    add("Đắk Nông communes meeting NTM standards by 2020 against the target", [act, tgt], pd.NA, pd.NA, pct,
        "% of target", pd.NA,
        f"{act['value']:g} / {tgt['value']:g} × 100 = {pct:.4f} % of target ({act['value'] - tgt['value']:g} "
        "communes above it).",
        "The target was '18 or more' (a minimum), so this is attainment of the minimum. 29 is the cumulative "
        "number of communes meeting the standard by 2020.")
    out = pd.DataFrame(rows, columns=CLAIM_COLUMNS)
    out["recomputed_value"] = out["recomputed_value"].astype(float)
    out["consistent_with_article"] = out["consistent_with_article"].astype("boolean")
    return out
