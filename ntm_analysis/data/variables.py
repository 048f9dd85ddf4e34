"""The variable ids of the tidy panel (:func:`ntm_analysis.load_panel`) that the indicators, analyses and reports name in code, written once."""
INCOME = "income_per_capita_nominal"
POVERTY_LINE = "poverty_rate_gso_income_line"
POVERTY_MULTI = "poverty_rate_gso_multidimensional"
POPULATION = "population_total"
#: GSO's revised average population 2011–2022 (PX-Web V02.01): its own variable, never spliced onto POPULATION.
POPULATION_V0201 = "population_total_v0201"
#: The national CPI (previous year = 100); it runs to 2016: income of later years cannot be deflated.
CPI_VARIABLE = "cpi_prev_year_100"
#: The poverty variables whose measure decides which survey years can be compared.
POVERTY_VARIABLES = (POVERTY_LINE, POVERTY_MULTI)
