"""The headers a table may use: every accepted spelling of each column and variable, and what each variable is.

:data:`HEADER_ALIASES` maps a header as written to its canonical name (a structural column of :data:`ROLES` or a
variable of :data:`VARIABLES`); headers are compared after folding (case, diacritics, spacing and punctuation
ignored) through :func:`lookup_alias`. :func:`alias_table_markdown` prints the table the package docstring shows.
"""
from __future__ import annotations

from dataclasses import dataclass

from ntm_analysis.text import fold

#: Header as written (any case/diacritics/spacing) → canonical column or variable name.
HEADER_ALIASES: dict[str, str] = {}
ALIAS_LISTS: dict[str, list[str]] = {
    "province": ["Tỉnh/Thành phố", "Tỉnh", "Thành phố", "Tỉnh/TP", "Tên tỉnh", "Địa phương", "Province",
                 "Province/City", "Province name", "province_name"],
    "province_code": ["Mã tỉnh", "Mã", "Mã tỉnh/thành phố", "Mã địa phương", "Province code", "Code", "GSO code",
                      "province_code"],
    "year": ["Năm", "Năm báo cáo", "Year"],
    "variable": ["Chỉ tiêu", "Biến", "Variable", "Indicator"],
    "value": ["Giá trị", "Số liệu", "Value"],
    "unit": ["Đơn vị", "Đơn vị tính", "ĐVT", "Unit"],
    "note": ["Ghi chú", "Chú thích", "Note", "Notes"],
    "source": ["Nguồn", "Nguồn số liệu", "Source"],
    "status": ["Trạng thái", "Tình trạng", "Tình trạng số liệu", "Loại số liệu", "Status", "Data status"],
    "row_number": ["STT", "TT", "Số TT", "Số thứ tự", "Thứ tự", "No.", "No", "Nr.", "#", "№", "Row", "Row number"],
    "poverty_rate": ["Tỷ lệ hộ nghèo", "Tỉ lệ hộ nghèo", "Tỷ lệ nghèo", "Poverty rate", "poverty_rate"],
    "income_per_capita": ["Thu nhập bình quân đầu người", "Thu nhập bình quân", "Thu nhập BQĐN", "Income per capita",
                          "Per capita income", "Average income per capita", "income_per_capita"],
    "resources_total": ["Tổng nguồn lực huy động", "Tổng nguồn lực", "Tổng vốn huy động", "Tổng nguồn vốn",
                        "Total resources mobilised", "Total resources mobilized", "Resources mobilised",
                        "resources_total"],
    "resources_central_budget": ["Vốn ngân sách trung ương", "Ngân sách trung ương", "Ngân sách TW", "NSTW",
                                 "Central budget", "resources_central_budget"],
    "resources_local_budget": ["Vốn ngân sách địa phương", "Ngân sách địa phương", "Ngân sách ĐP", "NSĐP",
                               "Local budget", "resources_local_budget"],
    "resources_credit": ["Vốn tín dụng", "Tín dụng", "Credit", "resources_credit"],
    "resources_enterprises": ["Vốn doanh nghiệp", "Doanh nghiệp", "Enterprises", "resources_enterprises"],
    "resources_people": ["Nhân dân đóng góp", "Người dân đóng góp", "Vốn nhân dân đóng góp", "Dân đóng góp",
                         "Nhân dân", "People's contributions", "Community contributions", "resources_people"],
    "communes_ntm": ["Số xã đạt chuẩn NTM", "Số xã đạt chuẩn nông thôn mới", "Xã đạt chuẩn NTM",
                     "Communes meeting NTM standards", "NTM communes", "communes_ntm"],
    "communes_total": ["Tổng số xã", "Số xã", "Total communes", "communes_total"],
    "population_total": ["Dân số", "Dân số trung bình", "Tổng dân số", "Population", "Average population",
                         "population_total"],
}
for _canonical, _aliases in ALIAS_LISTS.items():
    for _a in _aliases:
        HEADER_ALIASES[_a] = _canonical


#: Structural columns (everything else in HEADER_ALIASES is a variable). A ``row_number`` column (STT, TT, No., #)
#: is set aside: never read as a variable.
ROLES = ("province", "province_code", "year", "variable", "value", "unit", "note", "source", "status", "row_number")

#: Headers that fold to nothing (symbols only) but name a row-number column.
_SYMBOL_HEADERS = {"#": "row_number", "№": "row_number"}


@dataclass(frozen=True)
class VariableSpec:
    """What a variable is: ``kind`` ("rate", "money", "count", "population", "income") and default unit."""

    kind: str
    default_unit: str | None = None
    per_capita: bool = False


#: Variables the reader knows, with their kind and default unit (used when the header gives none).
VARIABLES: dict[str, VariableSpec] = {
    "poverty_rate": VariableSpec("rate", "%"),
    "income_per_capita": VariableSpec("money", None, per_capita=True),
    "resources_total": VariableSpec("money", "billion VND"),
    "resources_central_budget": VariableSpec("money", "billion VND"),
    "resources_local_budget": VariableSpec("money", "billion VND"),
    "resources_credit": VariableSpec("money", "billion VND"),
    "resources_enterprises": VariableSpec("money", "billion VND"),
    "resources_people": VariableSpec("money", "billion VND"),
    "communes_ntm": VariableSpec("count", "communes"),
    "communes_total": VariableSpec("count", "communes"),
    "population_total": VariableSpec("count", None),
}

PERIOD_WORDS = {"thang": "month", "hang thang": "month", "moi thang": "month", "month": "month",
                 "per month": "month", "nam": "year", "moi nam": "year", "year": "year", "per year": "year"}


def alias_table_markdown() -> str:
    """The alias table as markdown (canonical name, default unit, headers accepted)."""
    lines = ["| canonical | default unit | headers accepted |", "|---|---|---|"]
    for canonical, aliases in ALIAS_LISTS.items():
        spec = VARIABLES.get(canonical)
        unit = (spec.default_unit or "") if spec else ""
        lines.append(f"| {canonical} | {unit} | {'; '.join(aliases)} |")
    return "\n".join(lines)


def _index() -> dict[str, str]:
    idx: dict[str, str] = {}
    for alias, canonical in HEADER_ALIASES.items():
        f = fold(alias)
        idx[f] = canonical
        idx[f.replace(" ", "")] = canonical
    return idx


ALIAS_INDEX = _index()


def lookup_alias(name: str) -> tuple[str | None, str | None]:
    """(canonical, period) for a header name without its parentheses."""
    key = fold(name)
    if not key:
        return _SYMBOL_HEADERS.get(name.strip().rstrip("."), None), None
    for k in (key, key.replace(" ", "")):
        if k in ALIAS_INDEX:
            return ALIAS_INDEX[k], None
    for word, period in sorted(PERIOD_WORDS.items(), key=lambda kv: -len(kv[0])):
        if key.endswith(" " + word):
            stem = key[: -len(word) - 1].strip()
            for k in (stem, stem.replace(" ", "")):
                if k in ALIAS_INDEX and ALIAS_INDEX[k] not in ROLES:
                    return ALIAS_INDEX[k], period
    return None, None
