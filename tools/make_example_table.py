"""Write the worked example's messy table: ``data/examples/nguon_luc_ntm_SYNTHETIC.xlsx`` and its CSV twin.

The table looks like one a province official or a ministry clerk writes: two title rows, an STT (row number)
column, figures by phase (2011–2015 and 2016–2020, the phase named in the notes column), money typed as text with
dot thousands and decimal commas, the share of communes meeting the NTM standard in cells formatted as
percentages, "hơn 5.200" (a lower bound), a misspelt province, a row pasted twice, "số liệu sơ bộ" (preliminary)
in some notes, a "Tổng cộng" total row and a footnote under the table.

Every figure is SYNTHETIC: drawn from a pseudo-random generator with a fixed seed (:data:`SEED`), so the files are
the same on every run; none is a published figure, and the title row, the footnote and every note say so.
``notebooks/your_own_data.ipynb`` walks through reading, checking and using the table.

Run ``python tools/make_example_table.py`` (writes both files; ``--out DIR`` elsewhere).
"""
from __future__ import annotations

import argparse
import csv
import random
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl
from openpyxl.styles import Font

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "examples"
STEM = "nguon_luc_ntm_SYNTHETIC"
SEED = 20130
SHEET = "Biểu 01"
LABEL = "SYNTHETIC — example only"

TITLE = (f"{LABEL}: BIỂU 01. NGUỒN LỰC HUY ĐỘNG XÂY DỰNG NÔNG THÔN MỚI THEO GIAI ĐOẠN "
         "(số liệu giả lập để minh họa, không phải số liệu công bố)")
SUBTITLE = "Đơn vị: tỷ đồng; tỷ lệ xã đạt chuẩn tính đến cuối giai đoạn"
HEADER = ["STT", "Tỉnh/Thành phố", "Năm", "Tổng nguồn lực huy động (tỷ đồng)", "Vốn ngân sách trung ương (tỷ đồng)",
          "Nhân dân đóng góp (tỷ đồng)", "Xã đạt chuẩn NTM (%)", "Ghi chú"]
FOOTNOTE = f"Ghi chú: {LABEL}. Mọi số liệu trong biểu là giả lập (tools/make_example_table.py, seed {SEED})."

#: The provinces of the example (as an official spells them), in the order of the sheet.
PROVINCES = ["Hà Giang", "Cao Bằng", "Bắc Kạn", "Tuyên Quang", "Lào Cai", "Yên Bái", "Thái Nguyên", "Lạng Sơn",
             "Bắc Giang", "Phú Thọ", "Điện Biên", "Lai Châu", "Sơn La", "Hòa Bình", "Thanh Hóa", "Nghệ An"]
PHASES = [(2015, "giai đoạn 2011–2015"), (2020, "giai đoạn 2016–2020")]

#: The mess, by (province, year): what the official did to the row.
MISSPELT = {("Tuyên Quang", 2020): "Tuyên Quan"}   # a letter missing: the check names the province it may be
LOWER_BOUND = {("Lạng Sơn", 2020): "hơn 5.200"}    # "more than 5,200": read as a lower bound of 5200
PRELIMINARY = {("Lai Châu", 2020), ("Sơn La", 2020), ("Nghệ An", 2020)}  # "số liệu sơ bộ" in the notes
DUPLICATE = ("Phú Thọ", 2020)                       # the row pasted twice


def _round(x: float, places: int) -> Decimal:
    return Decimal(str(x)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def vn_number(d: Decimal) -> str:
    """``d`` as a Vietnamese official types it: dot thousands, decimal comma ("12.345", "1.234,5")."""
    sign, whole, frac = ("-" if d < 0 else ""), *f"{abs(d):f}".partition(".")[::2]
    groups = f"{int(whole):,}".replace(",", ".")
    frac = frac.rstrip("0")
    return sign + groups + (f",{frac}" if frac else "")


def figures(seed: int = SEED) -> list[dict]:
    """The table's rows (before the mess): province, year, phase note and the SYNTHETIC figures (Decimals)."""
    rng = random.Random(seed)
    rows = []
    for name in PROVINCES:
        total_1 = rng.uniform(2_500, 22_000)
        share_1 = rng.uniform(0.04, 0.30)
        for (year, phase), total in zip(PHASES, (total_1, total_1 * rng.uniform(1.3, 2.4))):
            share = share_1 if year == 2015 else min(0.95, share_1 + rng.uniform(0.15, 0.45))
            rows.append({
                "province": name, "year": year, "phase": phase,
                "total": _round(total, rng.choice([0, 1])),
                "central": _round(total * rng.uniform(0.06, 0.20), 1),
                "people": _round(total * rng.uniform(0.03, 0.12), 1),
                "share": _round(share, 3),  # a fraction: the cell is formatted as a percentage
            })
    return rows


def sheet_rows(seed: int = SEED) -> list[list]:
    """Every row of the sheet as written (title rows, header, data rows with the mess, the total row, the
    footnote). Money cells are text as typed ("12.345", "1.234,5", "hơn 5.200"); shares are fractions (Decimal)
    for percent-formatted cells."""
    out: list[list] = [[TITLE], [SUBTITLE], [], HEADER]
    totals = {"total": Decimal(0), "central": Decimal(0), "people": Decimal(0)}
    stt = 0
    for r in figures(seed):
        key = (r["province"], r["year"])
        stt += 1
        note = f"{r['phase']}; {LABEL}"
        if key in PRELIMINARY:
            note = f"{r['phase']}, số liệu sơ bộ; {LABEL}"
        total = LOWER_BOUND.get(key) or vn_number(r["total"])
        row = [stt, MISSPELT.get(key, r["province"]), r["year"], total, vn_number(r["central"]),
               vn_number(r["people"]), r["share"], note]
        out.append(row)
        if key == DUPLICATE:
            out.append(list(row))
        for k in totals:
            totals[k] += r[k]
    out.append(["", "Tổng cộng", "", vn_number(totals["total"]), vn_number(totals["central"]),
                vn_number(totals["people"]), None, LABEL])
    out += [[], [FOOTNOTE]]
    return out


def write_xlsx(path: Path, seed: int = SEED) -> Path:
    """The example as an XLSX workbook (sheet :data:`SHEET`; share cells formatted "0.0%")."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    for row in sheet_rows(seed):
        ws.append([float(v) if isinstance(v, Decimal) else v for v in row])
    ws["A1"].font = Font(bold=True)
    share_col = HEADER.index("Xã đạt chuẩn NTM (%)") + 1
    for (cell,) in ws.iter_rows(min_row=5, min_col=share_col, max_col=share_col):
        if isinstance(cell.value, float):
            cell.number_format = "0.0%"
    for col, width in zip("ABCDEFGH", (5, 16, 6, 16, 16, 14, 12, 44)):
        ws.column_dimensions[col].width = width
    # Fixed document properties, so that a re-run writes the same workbook content.
    wb.properties.creator = "tools/make_example_table.py"
    wb.properties.title = LABEL
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def write_csv(path: Path, seed: int = SEED) -> Path:
    """The CSV twin (UTF-8 with BOM, ";" between fields, as Excel writes it in Vietnam): the shares as typed
    percentages ("24,1%")."""
    rows = []
    for row in sheet_rows(seed):
        rows.append([f"{vn_number(v * 100)}%" if isinstance(v, Decimal) else ("" if v is None else v) for v in row])
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh, delimiter=";", lineterminator="\r\n").writerows(rows)
    return path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT, help=f"folder to write to (default {OUT})")
    ap.add_argument("--seed", type=int, default=SEED)
    a = ap.parse_args(argv)
    for p in (write_xlsx(a.out / f"{STEM}.xlsx", a.seed), write_csv(a.out / f"{STEM}.csv", a.seed)):
        print(p)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
