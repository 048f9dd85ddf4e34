"""The report parameter contract: one definition drives the notebook, the CLI and the outputs."""
import ast
import json
from pathlib import Path

import nbformat
import pytest

from ntm_analysis.cli import main
from ntm_analysis.report.params import FIELD_HELP, ParameterError, ReportParams

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "province_report.ipynb"


def _parameters_cell_defaults() -> dict:
    nb = nbformat.read(NOTEBOOK, as_version=4)
    cells = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(cells) == 1, "the notebook needs exactly one cell tagged 'parameters'"
    out = {}
    for node in ast.parse(cells[0].source).body:
        assert isinstance(node, ast.Assign), "the parameters cell holds plain assignments only"
        out[node.targets[0].id] = ast.literal_eval(node.value)
    return out


def test_notebook_parameters_cell_equals_the_contract_defaults():
    assert _parameters_cell_defaults() == ReportParams.defaults()
    assert list(_parameters_cell_defaults()) == ReportParams.field_names()


def test_notebook_is_stored_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


@pytest.mark.parametrize("spelling,vintage,code", [
    ("Lào Cai", 2008, "10"), ("lao-cai", 2008, "10"), ("Dak Nong", 2008, "67"), ("TP HCM", 2008, "79"),
    (1, 2008, "01"), ("1", 2008, "01"), ("Lâm Đồng", 2025, "68"), ("Lao Cai", 2025, "15"),
])
def test_province_any_spelling_normalised_to_code_string(spelling, vintage, code):
    p = ReportParams(province=spelling, vintage=vintage).validate()
    assert p.province == code and isinstance(p.province, str)
    assert p.to_notebook_parameters()["province"] == code
    assert p.key == f"{vintage}/{code}"


def test_unknown_province_fails_with_suggestions():
    with pytest.raises(ParameterError) as err:
        ReportParams(province="Lao Kai").validate()
    assert err.value.name == "province"
    assert "Lào Cai (10)" in err.value.suggestions
    assert "Lào Cai (10)" in str(err.value) and "'Lao Kai'" in str(err.value)


def test_old_province_in_2025_geography_names_its_successor():
    with pytest.raises(ParameterError, match="part of Lâm Đồng"):
        ReportParams(province="Đắk Nông", vintage=2025).validate()


@pytest.mark.parametrize("field,value,message", [
    ("vintage", 2010, "2008 or 2025"), ("price_basis", "ppp", "nominal or real"), ("year_start", 1900, "1995"),
    ("year_end", "soon", "a year"), ("lang", "fr", "en or vi"), ("show_code", "yes", "true or false"),
    ("data_dir", "/no/such/folder", "existing data folder"), ("vintage", True, "2008 or 2025"),
])
def test_invalid_parameters_name_field_and_expectation(field, value, message):
    with pytest.raises(ParameterError, match=message) as err:
        ReportParams(**{field: value}).validate()
    assert err.value.name == field and err.value.value == value


def test_year_order_checked():
    with pytest.raises(ParameterError, match="must not be after year_end"):
        ReportParams(year_start=2016, year_end=2010).validate()


def test_from_dict_rejects_unknown_keys_and_round_trips():
    p = ReportParams(province="Đắk Nông", price_basis="real", show_code=True).validate()
    assert ReportParams.from_dict(json.loads(json.dumps(p.to_notebook_parameters()))) == p
    with pytest.raises(ParameterError, match="not a report parameter"):
        ReportParams.from_dict({"provnce": "10"})


def test_metadata_carries_names_with_diacritics():
    meta = ReportParams(province="dak-nong").validate().metadata()
    assert meta["province_name"] == "Tỉnh Đắk Nông" and meta["slug"] == "dak-nong"
    assert meta["parameters"]["province"] == "67" and meta["constituents"] == ["67"]


def test_cli_rejects_unknown_province_before_any_kernel(tmp_path, capsys, monkeypatch):
    import ntm_analysis.render.run as run

    def no_render(*a, **k):
        raise AssertionError("render started although a province is unknown")

    monkeypatch.setattr(run, "render", no_render)
    code = main(["render", "--province", "Lào Cai", "--province", "Lao Kai", "--output", str(tmp_path)])
    err = capsys.readouterr().err
    assert code == 2
    assert "Lao Kai" in err and "Lào Cai (10)" in err
    assert list(tmp_path.iterdir()) == []


def test_cli_help_comes_from_the_contract(capsys):
    with pytest.raises(SystemExit):
        main(["render", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    for name in ("vintage", "price_basis", "show_code"):
        assert " ".join(FIELD_HELP[name].split())[:40] in out


def test_language_prices_and_years_make_distinct_reports_that_never_overwrite_each_other(tmp_path):
    from ntm_analysis.render.jobs import make_job

    base = ReportParams(province="Lào Cai").validate()
    variants = [base, ReportParams(province="lao-cai", lang="vi").validate(),
                ReportParams(province="10", price_basis="real").validate(),
                ReportParams(province="10", lang="vi", price_basis="real", year_start=2010, year_end=2016).validate()]
    assert [p.key for p in variants] == ["2008/10", "2008/10/vi", "2008/10/real", "2008/10/vi-real-2010-2016"]
    assert [p.stem for p in variants] == ["lao-cai", "lao-cai.vi", "lao-cai.real", "lao-cai.vi-real-2010-2016"]
    jobs = [make_job(p, output=tmp_path, data_digest="x") for p in variants]
    assert len({j.html for j in jobs}) == len({j.executed for j in jobs}) == 4
    # showing the code or reading another data folder re-renders the same report, it is not a new one
    same = ReportParams(province="10", show_code=True).validate()
    assert same.key == base.key and same.stem == base.stem
    assert ReportParams(province="Lâm Đồng", vintage=2025, lang="vi").validate().stem == "lam-dong.vi"


def test_render_refuses_a_folder_that_is_not_a_data_folder_without_a_traceback(tmp_path, monkeypatch, capsys):
    """Issue 16 (item 9): $NTM_DATA_DIR at an empty folder used to end in FileNotFoundError (provinces_63_master.csv)
    with exit code 0; --output at a file in FileExistsError. Both are user errors: exit 2, one line, nothing written."""
    empty = tmp_path / "empty"
    empty.mkdir()
    out = tmp_path / "out"
    monkeypatch.setenv("NTM_DATA_DIR", str(empty))
    assert main(["render", "--province", "Lào Cai", "--output", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"{empty} (from $NTM_DATA_DIR) is not a data folder" in err and "provinces_63_master.csv" in err
    assert "Traceback" not in err and not out.exists()
    monkeypatch.delenv("NTM_DATA_DIR")
    assert main(["render", "--province", "Lào Cai", "--data-dir", str(tmp_path / "missing"), "--output", str(out)]) == 2
    assert "(from --data-dir) does not exist" in capsys.readouterr().err
    a_file = tmp_path / "a_file"
    a_file.write_text("not a folder")
    assert main(["render", "--province", "Lào Cai", "--output", str(a_file)]) == 2
    assert f"--output {a_file} is a file" in capsys.readouterr().err
    assert a_file.read_text() == "not a folder"
