"""Write data/codebook.yml: titles, units, measures, publishers and caveats of every variable.

The descriptions below are the source of truth; coverage figures (rows, provinces, years) are
computed from the data, so `python tools/write_codebook.py` refreshes them after a data change.
tests/test_codebook.py fails when a variable is undocumented or a documented one is missing.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

import ntm_analysis as ntm

GSO = "General Statistics Office of Viet Nam (GSO; National Statistics Office, NSO, from 2025)"
MOLISA = "Ministry of Labour, Invalids and Social Affairs (MOLISA), annual poor-household review"
PROV = "Provincial People's Committees / NTM steering committees, as reported in the press"
INC_CAV = ("Nominal (current prices): compare years with the national CPI chain and provinces with the spatial cost "
           "of living index, and say which. 2016 and 2023 are preliminary; GSO later published final 2016 values "
           "(national 3,098 vs preliminary 3,049).")

INC_2018 = (" 2018 (VHLSS 2018, provinces only) is read from a secondary copy: the Open Development Mekong dataset "
            "of GSO's 2018 figures, via the CSV of github.com/non-ceterisparibus/Vietnam-development-map@1a41543; "
            "status 'published (secondary copy)', confidence medium. The four components sum to the total within ±1 "
            "in 58 provinces and exceed it by 2 in five (Tuyên Quang, Thái Nguyên, Vĩnh Phúc, Nam Định, Đắk Nông): "
            "rounding of four rounded parts; the reference README's '±1' is off by one there.")
PANEL = {
    "income_per_capita_nominal": ("Monthly average income per capita", "thousand VND/person/month",
                                  "VHLSS household income, current prices (nominal)", INC_CAV + INC_2018 +
                                  " For 2014 Quảng Nam and Vĩnh Long, GSO's quintile table differs by 1 from the "
                                  "income-source table; the income-source value is kept and the other noted."),
    "income_wage": ("Income per capita from salaries and wages", "thousand VND/person/month",
                    "VHLSS, current prices", INC_CAV + INC_2018 + " Components published 2010–2016 and 2018 only."),
    "income_agri_forestry_fishery": ("Income per capita from agriculture, forestry and fishery",
                                     "thousand VND/person/month", "VHLSS, current prices", INC_CAV + INC_2018),
    "income_non_agri": ("Income per capita from non-farm activities", "thousand VND/person/month",
                        "VHLSS, current prices", INC_CAV + INC_2018),
    "income_other": ("Income per capita from other sources", "thousand VND/person/month", "VHLSS, current prices",
                     INC_CAV + INC_2018),
    **{f"income_q{i}": (f"Mean income per capita of income quintile {i} (1 = poorest)", "thousand VND/person/month",
                        "VHLSS, current prices", INC_CAV) for i in range(1, 6)},
    "poverty_rate_gso_income_line": (
        "Poverty rate on the government income poverty line", "%",
        "measure column: gso_income_line_2006_2010 (2006, 2008) or gso_income_line_2011_2015 (2010–2016)",
        "Two income poverty lines: the 2006–2010 line for 2006 and 2008, the 2011–2015 line from 2010. The change "
        "of line between 2008 and 2010 is a break: never compute a change across it. The 2016 value is not the "
        "2016–2020 multidimensional rate (about 9.9 nationally). 2016 is preliminary. The exact line per year, and "
        "whether the rate is of persons or households, are not stated in GSO's export."),
    "poverty_rate_gso_multidimensional": (
        "Multidimensional poverty rate (2022–2025 standard)", "% of households", "gso_multidimensional_2022_2025",
        "GSO's survey-based rate under the 2022–2025 multidimensional standard (Decree 07/2021/ND-CP), 2023 only, "
        "preliminary. A different measure from the income-line rates (never splice) and from MOLISA's "
        "administrative poor-household rate (2.93 nationally in 2023 vs GSO 3.37)."),
    **{f"population_{k}": (f"Average population, {k}", "thousand persons", "GSO average population of the year",
                           "Hà Nội before 2008 excludes Hà Tây (kept apart as level former_province). 2016 "
                           "preliminary. Some provinces created in 2004 (Điện Biên, Lai Châu, Đắk Nông, Hậu Giang) "
                           "have no rows before it.")
       for k in ("total", "male", "female", "urban", "rural")},
    "scoli_hanoi_100": ("Spatial cost of living index", "index, Hà Nội = 100",
                        "GSO spatial cost of living index among provinces",
                        "Compares price levels across provinces in the same year; not a deflator over time."),
    "cpi_prev_year_100": ("Consumer price index, annual average", "index, previous year = 100",
                          "GSO annual average CPI (national)",
                          "National only; 2000 and 2003–2024 (2001, 2002 and 2025 onward are not in the data: a "
                          "real series cannot be built across them). 2000–2016 from GSO's table (final); 2017–2024 "
                          "are 100 + the annual average change GSO first announced at each year end, quoted in the "
                          "press (status 'as first announced'; one row per year, both URLs kept where two sources "
                          "agree). Same concept (previous year = 100), so the chain continues."),
    **{f"admin_{k}": (f"Administrative units at 31 December: {label}", "units", "administrative units at 31 December",
                      "GSO repeats 2014's counts in 2013 and 2016's in 2015: those years are marked suspect.")
       for k, label in (("cities", "provincial cities"), ("urban_districts", "urban districts"),
                        ("towns", "district-level towns"), ("rural_districts", "rural districts"),
                        ("wards", "wards (phường)"), ("townships", "townships (thị trấn)"),
                        ("communes", "communes (xã)"))},
}

PANEL["population_total_v0201"] = (
    "Average population, total (GSO revised series, PX-Web table V02.01)", "thousand persons",
    "GSO average population, PX-Web table V02.01 (revised series 2011–2022); not spliced onto the 1995–2016 series",
    "A revised vintage: it differs from population_total (1995–2016) in the overlapping years 2011–2016 (Hà Nội "
    "2012: 6,991.43 here vs 6,865.2), so the two are separate variables and never one series; "
    "ntm_analysis.data.population.population_over() averages one series at a time. Region rows are the six GSO "
    "regions (their provinces sum to them within 0.1 thousand).")
#: Fields beyond the common ones for panel variables read from a copy of a published table (issue 12).
PANEL_EXTRA = {
    **{v: {"status": "2010–2014 final; 2016 and 2023 preliminary; 2018 'published (secondary copy)'",
           "copy_read_from": "2010–2016: choisy/gso (GSO PX-Web export); 2018: github.com/non-ceterisparibus/"
                             "Vietnam-development-map@1a41543 (Open Development Mekong copy); 2023: NSO PX-Web "
                             "via github.com/phnam05"}
       for v in ("income_per_capita_nominal", "income_wage", "income_agri_forestry_fishery", "income_non_agri",
                 "income_other")},
    "cpi_prev_year_100": {"status": "2000–2016 final; 2017–2024 'as first announced'",
                          "copy_read_from": "2000–2016: choisy/gso (GSO PX-Web export); 2017–2024: press quotes of "
                                            "GSO's year-end announcement (URLs per row)"},
    "population_total_v0201": {
        "status": "final 2011–2018; 2019–2022 'as published; flagged (*) in the export' (footnote text not in the "
                  "export)",
        "copy_read_from": "github.com/kyojinkyojin/vn_pop_infographics@1f1cda4 (raw/V02.01.xlsx)"},
}
MOF = "Ministry of Finance (MOF)"
TRANSFERS = {
    "central_ntp_transfers_plan": {
        "title": "Central targeted transfers for the national target programmes (budget plan)",
        "unit": "million VND (value_million_vnd); billion VND (value_bn_vnd)",
        "measure": "MOF budget estimate, Appendix 09, column 'Bổ sung thực hiện chương trình mục tiêu quốc gia'",
        "publisher": MOF,
        "copy_read_from": "github.com/mdtrinh/vietnamdata@5e8d4e7 (data-raw/Budget/Plan_2016.xls, Plan_2017.xls, "
                          "sheet M09)",
        "status": "2016 plan, provisional allocation; 2017 plan; 'blank in source' for the 10 self-balancing "
                  "provinces of 2017",
        "caveats": "Both national target programmes together (New Rural Development and Sustainable Poverty "
                   "Reduction) and a plan, not NTM spending. The 10 blank provinces of 2017 are gaps (NaN), never "
                   "zero; 11 provinces have a published 0 in 2016 (kept as 0, noted). The 63 provinces sum to the national row in 2017 and to 1 million VND more than it in "
                   "2016 (rounding in the source; not adjusted). 2017 national split: NTM 8,000 bn, poverty 7,231 "
                   "bn VND."},
}

ALLOCATION_TITLES = {"national": "National NTM allocation total", "coefficients": "Allocation coefficient",
                     "province": "Province allocation item"}
ALLOCATION_CAVEATS = {
    "national": "A national figure: plans, earmarks and estimates differ in scope and period (investment only vs "
                "investment + recurrent; 2021–2024 vs 2021–2025); never sum them. Not divided among provinces.",
    "coefficients": "Decision 07/2022/QĐ-TTg: weights per commune by criteria met (commune counts at end-2021, "
                    "especially-difficult communes excluded); the per-province appendices of Decisions 652 and "
                    "653/QĐ-TTg (2022) were not found.",
    "province": "A few provinces' items, as reported; not a province table and not a share of a national total.",
}

NTM = {
    "resources_total": ("Total resources mobilised for NTM", "billion VND",
                        "Usually includes bank credit, money integrated from other programmes and people's "
                        "contributions in kind; scope varies by province and period (credit ~80 % in Lào Cai "
                        "2011–2015, 78.5 % in Lâm Đồng, 5.3 % in Thái Bình). Totals are not comparable across "
                        "provinces as they stand; overlapping periods must never be summed; plans are excluded."),
    "resources_central_budget": ("Central budget for NTM", "billion VND",
                                 "Some rows cover all three national target programmes (flagged low)."),
    "resources_local_budget": ("Local (provincial/district/commune) budget for NTM", "billion VND",
                               "Sums of budget levels are marked derived."),
    "resources_credit": ("Credit mobilised for NTM", "billion VND", "Bank lending to households and firms."),
    "resources_enterprises": ("Enterprises' contributions to NTM", "billion VND", "Thin coverage."),
    "resources_people": ("People's contributions (cash, land, labour valued in money)", "billion VND",
                         "Valuation of land and labour varies."),
    "land_donated_m2": ("Land donated by residents", "m²", "Thin coverage."),
    "communes_ntm": ("Communes meeting the NTM standard", "communes (or % of communes where only a share was given)",
                     "Denominators change with commune mergers; titles were revoked under the 2021–2025 criteria; "
                     "'19/19 criteria met' is not formal recognition; post-merger (after 1 July 2025) rows are "
                     "excluded by default."),
    "communes_total": ("Communes in the province (denominator)", "communes", "Changes with mergers."),
    "communes_advanced_ntm": ("Communes meeting the advanced NTM standard", "communes", ""),
    "communes_model_ntm": ("Communes meeting the model NTM standard", "communes", ""),
    "districts_ntm": ("District-level units meeting or completing the NTM standard",
                      "districts (or % of districts)", "Districts were abolished on 1 July 2025."),
    "income_per_capita_rural": ("Rural income per capita as reported by the province", "million VND/person/year",
                                "Per year, not per month like GSO's series; nominal; source definitions vary."),
    "poverty_rate": ("Poverty rate as reported by the province", "% of households",
                     "The standard is rarely stated: 2011–2015 income-based, 2016–2020 and 2021–2025 "
                     "multidimensional standards; never splice with GSO's series."),
}

DATAPOINTS = {
    "income_per_capita_nominal": ("Monthly average income per capita (other years, scattered)",
                                  "thousand VND/person/month", INC_CAV + " Rows have a confidence; '~' values "
                                  "are approximate, '>' lower bounds. Includes GSO's final national 2016 (3,098)."),
    "poverty_rate_gso_multidimensional_2016_2020": ("GSO multidimensional poverty rate, 2016–2020 standard",
                                                    "% of households", "Not the 2022–2025 standard."),
    "poverty_rate_molisa_poor_households": ("Poor households (MOLISA administrative review)", "% of households",
                                            "Measure column gives the standard; MOLISA's review is not GSO's "
                                            "survey rate."),
    "near_poverty_rate_molisa": ("Near-poor households (MOLISA review)", "% of households", ""),
    "poverty_and_near_poverty_rate_molisa": ("Poor plus near-poor households (MOLISA review)", "% of households", ""),
    "poverty_rate_unverified": ("Poverty rate from an unverified secondary source", "% of households",
                                "Low confidence; do not use as data without checking."),
    "poverty_rate_unspecified": ("Poverty rate with the measure not stated", "% of households",
                                 "Measure unknown: not comparable with any series."),
}

NATIONAL = {
    "communes_ntm": ("Communes meeting the NTM standard, nationally", "communes", ""),
    "communes_total": ("Communes nationally (denominator)", "communes", "Shrinks with commune mergers."),
    "communes_ntm_pct": ("Share of communes meeting the NTM standard", "% of communes", ""),
    "communes_advanced_ntm": ("Communes meeting the advanced NTM standard", "communes", ""),
    "communes_model_ntm": ("Communes meeting the model NTM standard", "communes", ""),
    "districts_ntm": ("District-level units recognised as completing NTM", "districts", ""),
    "provinces_with_ntm_districts": ("Provinces with at least one recognised district", "provinces", ""),
    "districts_ntm_pct": ("Share of district-level units recognised", "% of districts", ""),
    "provinces_all_communes_ntm": ("Provinces with all communes meeting NTM", "provinces", ""),
    "provinces_completed_ntm": ("Provinces recognised as completing the NTM task", "provinces", ""),
    "avg_criteria_per_commune": ("Average NTM criteria met per commune", "criteria (of 19)", ""),
}


def main() -> None:
    panel = ntm.load_panel(level="all")
    cov = ntm.ntm_coverage()
    seeds = ntm.load_seed_facts()
    dp = ntm.load_datapoints()
    nat = ntm.load_ntm_national()
    out: dict = {"note": __doc__.strip().splitlines()[0], "datasets": {}, "variables": {}}

    def years(s):
        ys = sorted(set(int(y) for y in s.dropna()))
        return ", ".join(map(str, ys)) if len(ys) <= 6 else f"{ys[0]}–{ys[-1]} ({len(ys)} years)"

    out["datasets"] = {
        "panel": {"loader": "ntm_analysis.load_panel()", "title": "GSO statistics by province, region and nation",
                  "publisher": GSO, "key": "level, code, year, variable"},
        "ntm_reports": {"loader": "ntm_analysis.load_ntm_reports()", "title": "Provinces' own NTM reports",
                        "publisher": PROV, "key": "one cited row per figure (period_start–period_end)"},
        "datapoints": {"loader": "ntm_analysis.load_datapoints()", "title": "Scattered income and poverty points",
                       "publisher": f"{GSO}; {MOLISA}; provincial sources", "key": "one row per quoted figure"},
        "ntm_national": {"loader": "ntm_analysis.load_ntm_national()", "title": "National NTM progress snapshots",
                         "publisher": "MARD / Central Steering Committee, as reported", "key": "as_of, variable"},
        "central_transfers": {"loader": "ntm_analysis.load_central_transfers()",
                              "title": "Central targeted transfers for the national target programmes by province "
                                       "(MOF budget plans 2016, 2017)",
                              "publisher": MOF, "key": "level, code, year"},
        "ntm_allocation": {"loader": "ntm_analysis.data.national_totals.load_ntm_allocation(part)",
                           "title": "National NTM allocation totals by phase, the 2022 per-commune allocation "
                                    "coefficients, scattered province allocation items (kept apart by part)",
                           "publisher": "Prime Minister (decisions), Ministry of Finance (MOF), Ministry of "
                                        "Agriculture and Rural Development (MARD), as published or reported",
                           "key": "part, period, variable"},
        "ntm_communes_national": {"loader": "ntm_analysis.data.national_totals.load_ntm_communes_national()",
                                  "title": "Communes meeting the NTM standard nationally, 5 snapshots 2017–2025",
                                  "publisher": "MARD / Central Coordination Office, as reported in the press",
                                  "key": "as_of, variable"},
        "seed_facts": {"loader": "ntm_analysis.load_seed_facts()", "title": "Figures of the two seed articles",
                       "publisher": "Báo Lào Cai; Báo Đắk Nông (via vietnam.vn English translations)",
                       "key": "fact_id"},
    }
    v = out["variables"]
    v["panel"] = {}
    for name, (title, unit, measure, caveats) in PANEL.items():
        sub = panel[panel["variable"] == name]
        v["panel"][name] = {"title": title, "unit": unit, "measure": measure, "publisher": GSO, "caveats": caveats,
                            "coverage": f"{sub[sub.level == 'province'].code.nunique()} provinces; years "
                                        f"{years(sub.year)}", **PANEL_EXTRA.get(name, {})}
    tr = ntm.load_central_transfers()
    v["central_transfers"] = {}
    for name, entry in TRANSFERS.items():
        prov = tr[tr.level == "province"]
        counts = "; ".join(f"{y}: {int(s.value_million_vnd.notna().sum())} provinces with a value, "
                           f"{int(s.value_million_vnd.isna().sum())} blank" for y, s in prov.groupby("year"))
        v["central_transfers"][name] = {**entry, "coverage": counts}
    from ntm_analysis.data import national_totals as nt
    alloc = pd.concat([nt.load_ntm_allocation(p) for p in nt.PARTS], ignore_index=True)
    v["ntm_allocation"] = {}
    for name, sub in alloc.groupby("variable", sort=False):
        r = sub.iloc[0]
        criteria = [t.split(":", 1)[1].strip() for t in sub.variable_in_source if ":" in t]
        v["ntm_allocation"][name] = {
            "title": ALLOCATION_TITLES.get(r["part"], r["part"]) + ": " + name, "unit": r["unit"],
            "measure": r["scope"], "publisher": "; ".join(sorted(sub.publisher.unique())),
            "status": "; ".join(sorted(sub.status.unique())),
            "copy_read_from": "press and legal-document pages (source_url per row); the 2017 MOF estimates via "
                              "github.com/mdtrinh/vietnamdata@5e8d4e7",
            "caveats": ALLOCATION_CAVEATS[r["part"]] + ("" if not criteria else " Rows by criterion ("
                                                         "variable_in_source): " + "; ".join(criteria) + "."),
            "coverage": f"{len(sub)} row(s); period {', '.join(sorted(sub.period.unique()))}"}
    com = nt.load_ntm_communes_national()
    v["ntm_communes_national"] = {}
    for name, sub in com.groupby("variable", sort=False):
        v["ntm_communes_national"][name] = {
            "title": {"communes_ntm": "Communes meeting the NTM standard, nationally",
                      "communes_total": "Communes nationally (the denominator a snapshot quotes)",
                      "communes_ntm_pct": "Share of communes meeting the NTM standard, nationally"}[name],
            "unit": sub.unit.iloc[0], "measure": "as reported nationally",
            "publisher": "MARD / Central NTM Coordination Office, as reported in the press",
            "status": "; ".join(sorted(sub.status.unique())), "copy_read_from": "press pages (source_url per row)",
            "caveats": "Snapshots at uneven dates; the denominator shrinks as communes merge; 2022-06 and 2022-11 "
                       "repeat figures of ntm_national_progress.csv (the note says so).",
            "coverage": f"{len(sub)} snapshot(s): {', '.join(sub.as_of)}"}
    v["ntm_reports"] = {}
    for name, (title, unit, caveats) in NTM.items():
        c = cov.loc[name]
        v["ntm_reports"][name] = {"title": title, "unit": unit, "measure": "as reported by the province",
                                  "publisher": PROV, "caveats": caveats,
                                  "coverage": {"rows": int(c.rows), "provinces": int(c.provinces),
                                               "high_confidence_rows": int(c.high),
                                               "years": f"{int(c.first_year)}–{int(c.last_year)}"}}
    v["datapoints"] = {}
    for name, (title, unit, caveats) in DATAPOINTS.items():
        sub = dp[dp.variable == name]
        v["datapoints"][name] = {"title": title, "unit": unit, "measure": ", ".join(sorted(sub.measure.unique())),
                                 "publisher": "see each row's source_url", "caveats": caveats,
                                 "coverage": f"{len(sub)} rows; years {years(sub.year)}"}
    v["ntm_national"] = {}
    for name, (title, unit, caveats) in NATIONAL.items():
        sub = nat[nat.variable == name]
        v["ntm_national"][name] = {"title": title, "unit": unit, "measure": "as reported nationally",
                                   "publisher": "MARD / Central NTM Coordination Office, as reported",
                                   "caveats": caveats or "Snapshots at uneven dates; some undated.",
                                   "coverage": f"{len(sub)} snapshots"}
    v["seed_facts"] = {}
    for name, sub in seeds.groupby("indicator"):
        v["seed_facts"][name] = {"title": name.replace("_", " "), "unit": "; ".join(sorted(sub.unit.unique())),
                                 "measure": "as stated in the article",
                                 "publisher": "; ".join(sorted(sub.article.unique())),
                                 "caveats": "Press figures from a machine-translated article; see each row's note.",
                                 "coverage": f"{len(sub)} rows: " + ", ".join(sorted(sub.place.unique()))}
    path = Path(__file__).resolve().parents[1] / "data" / "codebook.yml"
    with open(path, "w", encoding="utf-8") as fh:
        yaml.safe_dump(out, fh, allow_unicode=True, sort_keys=False, width=110)


if __name__ == "__main__":
    main()
