"""What the HTML export keeps of an executed notebook: cells for the notebook's reader and glued values stay out."""
import nbformat

from ntm_analysis.glue import payload
from ntm_analysis.render.execute import NOTEBOOK_ONLY_TAG, export_html


def _notebook():
    nb = nbformat.v4.new_notebook()
    note = nbformat.v4.new_markdown_cell("### For the reviewer\n\nExplains the section in English.")
    note.metadata["tags"] = [NOTEBOOK_ONLY_TAG]
    shown = nbformat.v4.new_markdown_cell("## Số liệu chính")
    code = nbformat.v4.new_code_cell("x = 1")
    code.outputs = [nbformat.v4.new_output("display_data", data={"text/html": "<p>bảng 3.200</p>"}),
                    nbformat.v4.new_output("display_data", data=payload("report_summary", {"income": "3.200"}))]
    nb.cells = [note, shown, code]
    return nb


def test_notebook_only_cells_and_glue_stay_out_of_the_html_and_in_the_notebook():
    nb = _notebook()
    html = export_html(nb, show_code=False, title="t")
    assert "Số liệu chính" in html and "bảng 3.200" in html  # what the report shows
    assert "For the reviewer" not in html and "Explains the section" not in html
    assert "report_summary" not in html and "vnd.ntm.glue" not in html
    # the executed notebook itself is not changed: a reviewer still reads the cell and the glued value
    assert nb.cells[0].source.startswith("### For the reviewer")
    assert len(nb.cells[2].outputs) == 2


def test_the_province_notebook_explains_each_section_for_its_reader():
    from ntm_analysis.report.spec import DEFAULT_NOTEBOOK

    nb = nbformat.read(DEFAULT_NOTEBOOK, as_version=4)
    notes = [c for c in nb.cells if c.cell_type == "markdown"]
    assert notes and all(NOTEBOOK_ONLY_TAG in c.metadata.get("tags", []) for c in notes)
    sections = [c.metadata["tags"][0] for c in nb.cells if c.cell_type == "code" and c.metadata.get("tags")
                and c.metadata["tags"][0] not in ("parameters", "setup", "record")]
    # every section's code cell follows a Markdown cell that says what it computes
    for i, c in enumerate(nb.cells):
        if c.cell_type == "code" and c.metadata.get("tags", [""])[0] in sections:
            assert nb.cells[i - 1].cell_type == "markdown", c.metadata["tags"]


def test_the_index_takes_its_own_words_from_the_documents_spec_and_escapes_them(tmp_path):
    from ntm_analysis.render.index import build_index
    from ntm_analysis.render.manifest import Manifest
    from ntm_analysis.report.spec import index_site

    def entries(site):
        group = {"id": "g", "title": "G", "order": 0, "columns": [["name", "Name"]], "site": site}
        return {"a": {"status": "ok", "html": "a.html", "index": {"group": group, "name": "A"}},
                "b": {"status": "failed", "error": {"message": "boom", "cell_index": 3, "exec_count": 2},
                      "index": {"group": group, "name": "B"}}}

    english = build_index(Manifest(tmp_path, entries({})))  # the engine's defaults
    assert "1 report(s) rendered, 1 failed." in english and ">Failures (1)</h2>" in english
    assert "cell 3 (execution 2)" in english
    vi = build_index(Manifest(tmp_path, entries(index_site("vi"))))  # the report's words, from the catalog
    assert "1 báo cáo đã tạo, 1 lỗi." in vi and ">Lỗi (1)</h2>" in vi and "ô 3 (lần chạy 2)" in vi
    assert "Failures" not in vi and "Status" not in vi
    hostile = build_index(Manifest(tmp_path, entries({"failures": "<script>x</script>"})))
    assert "<script>x</script>" not in hostile and "&lt;script&gt;x&lt;/script&gt; (1)" in hostile
