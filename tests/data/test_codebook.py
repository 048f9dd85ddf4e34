"""Every variable a loader produces is documented in data/codebook.yml, and every documented one exists."""
import pandas as pd
import pytest

import ntm_analysis as ntm
from ntm_analysis.data import codebook as codebook_mod, national_totals

REQUIRED = {"title", "unit", "measure", "publisher", "caveats", "coverage"}


def _produced():
    return {
        "panel": set(ntm.load_panel(level="all").variable.astype(str)),
        "ntm_reports": set(ntm.load_ntm_reports(include_post_merger=True).indicator),
        "datapoints": set(ntm.load_datapoints().variable),
        "ntm_national": set(ntm.load_ntm_national().variable),
        "seed_facts": set(ntm.load_seed_facts().indicator),
        "central_transfers": {"central_ntp_transfers_plan"},  # one measure: the MOF column
        "ntm_allocation": set(pd.concat([national_totals.load_ntm_allocation(p) for p in national_totals.PARTS])
                              .variable),
        "ntm_communes_national": set(national_totals.load_ntm_communes_national().variable),
    }


@pytest.mark.parametrize("dataset", ["panel", "ntm_reports", "datapoints", "ntm_national", "seed_facts",
                                     "central_transfers", "ntm_allocation", "ntm_communes_national"])
def test_codebook_matches_data(dataset):
    documented = ntm.codebook()["variables"][dataset]
    produced = _produced()[dataset]
    assert not produced - set(documented), f"undocumented {dataset} variables: {sorted(produced - set(documented))}"
    assert not set(documented) - produced, f"documented but missing: {sorted(set(documented) - produced)}"
    for name, entry in documented.items():
        missing = REQUIRED - set(entry)
        assert not missing, f"{dataset}.{name} lacks {missing}"
        assert entry["title"] and entry["unit"] and entry["publisher"], f"{dataset}.{name} has empty fields"


def test_panel_units_agree_with_codebook():
    p = ntm.load_panel(level="all")
    cb = ntm.codebook()["variables"]["panel"]
    for var, units in p.groupby("variable", observed=True)["unit"].unique().items():
        assert list(units) == [cb[var]["unit"]], var


def test_describe_unknown_variable_lists_names():
    with pytest.raises(KeyError, match="income_per_capita_nominal"):
        ntm.describe("income_per_capita")


def test_every_dataset_in_the_codebook_is_described():
    cb = ntm.codebook()
    assert set(cb["datasets"]) == set(codebook_mod.DATASETS)
    for name in ("central_transfers", "ntm_allocation", "ntm_communes_national"):
        assert cb["datasets"][name]["publisher"] and cb["datasets"][name]["loader"]
    transfers = cb["variables"]["central_transfers"]["central_ntp_transfers_plan"]
    assert transfers["publisher"] == "Ministry of Finance (MOF)" and "mdtrinh/vietnamdata" in transfers["copy_read_from"]
    income = cb["variables"]["panel"]["income_per_capita_nominal"]
    assert "secondary copy" in income["status"] and "non-ceterisparibus" in income["copy_read_from"]
    assert "2017–2024" in cb["variables"]["panel"]["cpi_prev_year_100"]["status"]
