"""Every variable a loader produces is documented in data/codebook.yml, and every documented one exists."""
import pytest

import ntm_analysis as ntm

REQUIRED = {"title", "unit", "measure", "publisher", "caveats", "coverage"}


def _produced():
    return {
        "panel": set(ntm.load_panel(level="all").variable.astype(str)),
        "ntm_reports": set(ntm.load_ntm_reports(include_post_merger=True).indicator),
        "datapoints": set(ntm.load_datapoints().variable),
        "ntm_national": set(ntm.load_ntm_national().variable),
        "seed_facts": set(ntm.load_seed_facts().indicator),
    }


@pytest.mark.parametrize("dataset", ["panel", "ntm_reports", "datapoints", "ntm_national", "seed_facts"])
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
