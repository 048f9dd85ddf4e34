"""The translation catalog (ntm_analysis/i18n/catalog.yml): unique keys, every key used, escaping by kind."""
import re
from pathlib import Path

import markupsafe
import pytest

from ntm_analysis import i18n

ROOT = Path(__file__).resolve().parents[2]
#: Message keys built at run time from a prefix (f"sec_{name}", f"el_{kind}", …): each family's members count as
#: used when the prefix is used in code; the families are listed here so a new one is a deliberate choice.
DYNAMIC_PREFIXES = ("sec_", "el_", "seed_claim_", "index_col_", "index_group_")


def _code_text() -> str:
    files = [*(ROOT / "ntm_analysis").rglob("*.py"), *(ROOT / "ntm_analysis").rglob("*.j2"),
             *(ROOT / "notebooks").glob("*.ipynb"), ROOT / "ntm_analysis" / "report" / "columns.yml"]
    return "\n".join(f.read_text(encoding="utf-8") for f in files)


def test_a_repeated_key_is_refused(tmp_path):
    bad = tmp_path / "catalog.yml"
    bad.write_text("messages:\n  a:\n    kind: text\n    en: A\n    vi: A\n  a:\n    kind: text\n    en: B\n    vi: B\n"
                   "units: {}\nlabels: {}\nas_of: {}\n", encoding="utf-8")
    with pytest.raises(i18n.CatalogError, match=r"line 6: key 'a' repeated \(first at line 2\)"):
        i18n.load_catalog(bad)


def test_the_shipped_catalog_loads_with_unique_keys_and_known_kinds():
    cat = i18n.load_catalog()  # raises on a repeated key, an unknown kind, a missing language or differing fields
    assert set(cat) == {"messages", "units", "labels", "as_of", "columns", "tables"}
    assert {m["kind"] for m in cat["messages"].values()} == set(i18n.KINDS)
    assert i18n.kind("ntm_none") == "html" and i18n.kind("cav_ntm") == "markdown" and i18n.kind("year") == "text"


def test_report_columns_and_tables_are_in_the_catalog():
    """Every column of report/columns.yml has a header and description in both languages; every table a title
    that fits a sheet name; a column a researcher adds (unknown here) has none (it is shown by its id)."""
    from ntm_analysis.report import columns

    spec = columns._spec()
    assert set(spec["columns"]) <= set(i18n.COLUMNS)
    assert i18n.column("value", "vi") == ("Giá trị", "số liệu như đã công bố; ô trống là khoảng trống (không có số "
                                          "liệu công bố), không bao giờ được điền")
    assert i18n.column("member_", "en", place="Lào Cai (10)")[0] == "Lào Cai (10)"
    assert i18n.column("my_new_column", "en") is None
    assert all(0 < len(t[lang]) <= 31 for t in i18n.TABLES.values() for lang in i18n.LANGS)
    assert set(spec["tables"]) - {"income_real"} <= set(i18n.TABLES)


def test_a_table_title_too_long_for_a_sheet_is_refused(tmp_path):
    bad = tmp_path / "catalog.yml"
    bad.write_text("messages: {}\nunits: {}\nlabels: {}\nas_of: {}\ntables:\n  t: {en: " + "x" * 32 + ", vi: y}\n",
                   encoding="utf-8")
    with pytest.raises(i18n.CatalogError, match="table 't' needs a title of 1 to 31 characters in en"):
        i18n.load_catalog(bad)


@pytest.mark.parametrize("broken,message", [
    ("    kind: prose\n    en: A\n    vi: A\n", "kind 'prose'"),
    ("    kind: text\n    en: A\n", "no text in vi"),
    ("    kind: text\n    en: 'A {x}'\n    vi: 'A'\n", r"fields \['x'\] in en but \[\] in vi"),
])
def test_a_malformed_message_is_refused_with_its_key(tmp_path, broken, message):
    bad = tmp_path / "catalog.yml"
    bad.write_text(f"messages:\n  m:\n{broken}units: {{}}\nlabels: {{}}\nas_of: {{}}\n", encoding="utf-8")
    with pytest.raises(i18n.CatalogError, match=f"message 'm' .*{message}|{message}"):
        i18n.load_catalog(bad)


def test_every_message_is_used_somewhere():
    code = _code_text()
    literals = set(re.findall(r"""["']([a-z0-9_]+)["']""", code))
    literals |= set(re.findall(r"(?:message|missing): ([a-z0-9_]+)", code))  # report/columns.yml names messages
    dead = [k for k in i18n.MESSAGES
            if k not in literals and not any(k.startswith(p) and re.search(rf"""f["']{p}\{{""", code)
                                             for p in DYNAMIC_PREFIXES)]
    assert dead == [], f"messages no code uses (remove them from catalog.yml): {dead}"


def test_html_escapes_by_kind():
    # a plain-text message is escaped whole, with its fields
    out = i18n.html("report_title", "en", name="<script>x</script>")
    assert isinstance(out, markupsafe.Markup)
    assert out.startswith("&lt;script&gt;x&lt;/script&gt;: resources") and "<script>" not in out
    # an HTML message keeps its own markup
    assert str(i18n.html("ntm_none", "vi")).startswith("<strong>")
    # a Markdown message has no HTML form (it is shown through Markdown)
    with pytest.raises(TypeError, match="is Markdown"):
        i18n.html("cav_ntm", "en")


def test_markdown_escapes_data_fields_not_the_template():
    md = i18n.markdown("intro_place", "en", name="*Lào Cai*", name_en="Lao_Cai", code="10", region="<b>NE</b>",
                       vintage=2008, start=2006, end=2023, basis="current prices")
    assert md.startswith("**\\*Lào Cai\\*** (Lao\\_Cai; GSO code 10; &lt;b&gt;NE&lt;/b&gt;)")
    kept = i18n.MarkdownText("**bold on purpose**")
    assert i18n.markdown("intro_constituents", "en", label="x", names=kept).startswith("x: **bold on purpose**. ")
    with pytest.raises(TypeError, match="is HTML"):
        i18n.markdown("ntm_none", "en")
