"""The variable ids of the tidy panel (:func:`ntm_analysis.load_panel`) that the indicators, analyses and reports name in code, written once."""
INCOME = "income_per_capita_nominal"
POVERTY_LINE = "poverty_rate_gso_income_line"
POVERTY_MULTI = "poverty_rate_gso_multidimensional"
POPULATION = "population_total"
#: GSO's revised average population 2011–2022 (PX-Web V02.01): its own variable, never spliced onto POPULATION.
POPULATION_V0201 = "population_total_v0201"
#: The national CPI (previous year = 100): 2000 and 2003–2016 from GSO's table (final), 2017–2024 as 100 + the change
#: GSO first announced (status "as first announced"); income of 2018 and 2023 can be deflated, 2001–2002 and 2025 on
#: cannot (no link).
CPI_VARIABLE = "cpi_prev_year_100"
#: The poverty variables whose measure decides which survey years can be compared.
POVERTY_VARIABLES = (POVERTY_LINE, POVERTY_MULTI)
