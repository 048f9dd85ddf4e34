"""Generate the bad-input corpus of tests/bad_inputs/ (SYNTHETIC test inputs, not real figures).

Run ``.venv/bin/python tests/bad_inputs/make_corpus.py``: writes every file
named in ``expected.yml`` byte for byte the same on every run (fixed seed,
fixed XLSX timestamps). The very large CSV is not committed: the test builds it
in a temporary folder with :func:`write_large_csv`.

Every table carries a "SYNTHETIC" title row or note, so no reader mistakes
these figures for published data.
"""
from __future__ import annotations

import codecs
import datetime as dt
import io
import random
import re
import unicodedata
import zipfile
from pathlib import Path

HERE = Path(__file__).parent
SEED = 20240607
TITLE = "SYNTHETIC test input (tests/bad_inputs) – not real figures"
_TONES = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below: the cp1258 combining marks


def _csv(rows: list[list[str]], delimiter: str = ",") -> str:
    def cell(c: str) -> str:
        if any(ch in c for ch in (delimiter, '"', "\n")):
            return '"' + c.replace('"', '""') + '"'
        return c
    return "".join(delimiter.join(cell(c) for c in r) + "\n" for r in rows)


def encode_cp1258(text: str) -> bytes:
    """Windows-1258 bytes of ``text`` the way Vietnamese Windows writes them: base letter + combining tone mark."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        nfd = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in nfd if c not in _TONES))
        tones = "".join(c for c in nfd if c in _TONES)
        out += (base + tones).encode("cp1258")
    return bytes(out)


def _fixed_zip(path: Path) -> None:
    """Rewrite an XLSX with fixed member timestamps and document dates, so the bytes are reproducible."""
    with zipfile.ZipFile(path) as z:
        members = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            if name == "docProps/core.xml":
                data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2024-01-01T00:00:00Z", data)
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    path.write_bytes(buf.getvalue())


def _patch_sheet(path: Path, old: bytes, new: bytes) -> None:
    """Replace ``old`` by ``new`` in the first worksheet's XML (to store a formula's cached result)."""
    with zipfile.ZipFile(path) as z:
        members = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            if name == "xl/worksheets/sheet1.xml":
                assert old in data, (old, data[:2000])
                data = data.replace(old, new)
            z.writestr(name, data)
    path.write_bytes(buf.getvalue())


def _workbook():
    import openpyxl  # noqa: PLC0415

    wb = openpyxl.Workbook()
    wb.properties.creator = "tests/bad_inputs/make_corpus.py"
    wb.properties.created = wb.properties.modified = dt.datetime(2024, 1, 1)
    return wb


def text_files(rng: random.Random) -> dict[str, bytes]:
    """name → bytes of every text-format file of the corpus."""
    f: dict[str, bytes] = {}

    def r1() -> str:  # a clean rate with a decimal comma, e.g. "23,4"
        return f"{rng.randint(5, 60)},{rng.randint(0, 9)}"

    # --- encodings ---------------------------------------------------------
    cp = [[TITLE], ["Tỉnh", "Năm", "Tỷ lệ hộ nghèo (%)", "Ghi chú"],
          ["Lào Cai", "2010", "40,0", "Windows-1258"],
          ["Thừa Thiên Huế", "2010", r1(), "dấu thanh tách rời"],
          ["Hà Tây", "2006", r1(), "tỉnh cũ"],
          ["Đắk Nông", "2010", r1(), "Đắk Nông"]]
    f["enc_cp1258_vietnamese.csv"] = encode_cp1258(_csv(cp))
    u16 = [[TITLE], ["Tỉnh/Thành phố", "Năm", "Tỷ lệ hộ nghèo (%)", "Dân số (nghìn người)"],
           ["Hà Nội", "2012", r1(), "6.844,1"], ["Cần Thơ", "2012", "140", "1.200,3"],
           ["Bà Rịa - Vũng Tàu", "2012", r1(), "1.052,8"]]
    f["enc_utf16le_bom.txt"] = codecs.BOM_UTF16_LE + _csv(u16, "\t").encode("utf-16-le")
    moji = [[TITLE], ["Tỉnh", "Năm", "Tỷ lệ hộ nghèo (%)"], ["Hà Nội", "2010", r1()],
            ["Đắk Lắk", "2010", r1()], ["Quảng Ngãi", "2010", r1()]]
    f["enc_latin1_mojibake.csv"] = _csv(moji).encode("utf-8").decode("latin-1").encode("utf-8")
    f["enc_undecodable.csv"] = (_csv([["Tỉnh", "Năm", "Tỷ lệ hộ nghèo (%)"]]).encode("utf-8")
                                + b"H\xe0 N\x81i,2010,12\n")
    f["enc_utf16_no_bom.csv"] = _csv([["Tỉnh", "Năm", "Tỷ lệ hộ nghèo (%)"], ["Hà Nội", "2010", "5"]]
                                     ).encode("utf-16-le")

    # --- delimiters --------------------------------------------------------
    semi = [[TITLE], ["Tỉnh", "Năm", "Tổng nguồn lực huy động (tỷ đồng)", "Tỷ lệ hộ nghèo (%)"],
            ["Lào Cai", "2015", "50.281", "28,6"], ["Hà Giang", "2015", "-12,5", r1()],
            ["Điện Biên", "2015", "9.028,4", r1()]]
    f["delim_semicolon.csv"] = _csv(semi, ";").encode("utf-8")
    tab = [[TITLE], ["Province", "Year", "Poverty rate (%)", "Income per capita (thousand VND/person/month)"],
           ["Lao Cai", "2014", "23.5", "1,410.2"], ["Lao Kay", "2014", "23.5", "1,410.2"],
           ["Dak Nong", "2014", "17.1", "1,588.0"]]
    f["delim_tab.tsv"] = _csv(tab, "\t").encode("utf-8")
    bom = [[TITLE], ["Tỉnh", "Năm", "Số xã đạt chuẩn NTM", "Tổng số xã"],
           ["Nam Định", "2021-2025", "204", "204"], ["Thái Bình", "2020", "207", "207"]]
    f["bom_semicolon.csv"] = codecs.BOM_UTF8 + _csv(bom, ";").encode("utf-8")

    # --- numbers -----------------------------------------------------------
    mixed = [[TITLE], ["Tỉnh", "Năm", "Tổng nguồn lực (tỷ đồng)"], ["Lào Cai", "2018", "50,5"],
             ["Hà Giang", "2018", "40.5"], ["Đắk Nông", "2018", "73.000"], ["Sơn La", "2018", "1.234,75"]]
    f["decimal_comma_and_point_mixed.csv"] = _csv(mixed).encode("utf-8")
    dots = [[TITLE], ["Tỉnh", "Năm", "Tổng nguồn lực huy động (triệu đồng)", "Tỷ lệ hộ nghèo (%)"],
            ["Nghệ An", "2019", "1.234.567", "5,25"], ["Thanh Hóa", "2019", "2.345.678,5", "4,1"],
            ["Hà Tĩnh", "2019", "987.654", "3,75"]]
    f["thousands_dot_valid.csv"] = _csv(dots).encode("utf-8")
    rates = [[TITLE], ["Tỉnh", "Năm", "Tỷ lệ hộ nghèo (%)"], ["Lai Châu", "2016", "140"],
             ["Điện Biên", "2016", "100,5"], ["Sơn La", "2016", "-1"], ["Hòa Bình", "2016", "100"],
             ["Yên Bái", "2016", r1()]]
    f["rates_over_100.csv"] = _csv(rates).encode("utf-8")
    neg = [[TITLE], ["Tỉnh", "Năm", "Vốn tín dụng (tỷ đồng)", "Số xã đạt chuẩn NTM"],
           ["Bắc Giang", "2017", "-12", "3"], ["Bắc Ninh", "2017", "−5,5", "-2"], ["Hải Dương", "2017", "0", "0"]]
    f["negative_amounts.csv"] = _csv(neg).encode("utf-8")
    errs = [[TITLE], ["Tỉnh", "Năm", "Tỷ lệ hộ nghèo (%)"], ["Cao Bằng", "2014", "#DIV/0!"],
            ["Bắc Kạn", "2014", "#REF!"], ["Lạng Sơn", "2014", r1()]]
    f["excel_error_values.csv"] = _csv(errs).encode("utf-8")

    # --- rows --------------------------------------------------------------
    dup = [[TITLE], ["Tỉnh", "Năm", "Tỷ lệ hộ nghèo (%)"], ["Kon Tum", "2013", "24,3"],
           ["Gia Lai", "2013", r1()], ["Kon Tum", "2013", "24,3"], ["Lâm Đồng", "2013", r1()]]
    f["duplicated_rows.csv"] = _csv(dup).encode("utf-8")
    ragged = (f"{TITLE}\nTỉnh,Năm,Tỷ lệ hộ nghèo (%),Ghi chú\nPhú Thọ,2012,\"12,5\",ok\n"
              "Tuyên Quang,2012,\"20,1\"\nVĩnh Phúc,2012,7,4,thừa dấu phẩy\nBình Định,2012,\"9,9\",ok\n")
    f["ragged_columns.csv"] = ragged.encode("utf-8")
    unclosed = (f"{TITLE}\nTỉnh,Năm,Tỷ lệ hộ nghèo (%),Ghi chú\nQuảng Trị,2014,\"15,2\",ok\n"
                "Quảng Bình,2014,\"14,9\",\"chưa đóng ngoặc kép\nQuảng Nam,2014,\"16,7\",ok\n"
                "Quảng Ngãi,2014,\"15,0\",ok\n")
    f["unclosed_quote.csv"] = unclosed.encode("utf-8")
    f["nul_byte.csv"] = _csv([[TITLE], ["Tỉnh", "Năm", "Tỷ lệ hộ nghèo (%)"], ["Hà Nam", "2012", "9,1"]]
                             ).encode("utf-8").replace(b"9,1", b"9\x00,1")

    # --- provinces -----------------------------------------------------------
    unknown = [[TITLE], ["Tỉnh", "Năm", "Tỷ lệ hộ nghèo (%)"], ["Hà Tây", "2006", r1()],
               ["Tỉnh XYZ", "2010", r1()], ["Lao Kay", "2010", r1()], ["Bến Tre", "2010", "12,2"]]
    f["province_unknown.csv"] = _csv(unknown).encode("utf-8")
    amb = [[TITLE], ["Tỉnh", "Năm", "Tỷ lệ hộ nghèo (%)"], ["Hà", "2012", r1()], ["Bình", "2012", r1()],
           ["Quảng", "2012", r1()], ["Tỉnh Hà Tĩnh", "2012", "19,2"], ["Hòa Bình", "2012", "22,4"]]
    f["province_ambiguous.csv"] = _csv(amb).encode("utf-8")
    blank = [[TITLE], ["Tỉnh", "Năm", "Tỷ lệ hộ nghèo (%)"], ["", "2012", r1()], ["", "2013", r1()],
             ["", "2014", r1()]]
    f["province_column_blank.csv"] = _csv(blank).encode("utf-8")

    # --- years -------------------------------------------------------------
    years = [[TITLE], ["Tỉnh", "Năm", "Tổng nguồn lực huy động (tỷ đồng)"], ["Sơn La", "2021-2025", "12.000"],
             ["Lai Châu", "2024*", "3.500,5"], ["Điện Biên", "năm 2020", "4.100"], ["Hà Giang", "2023", "5.210,5"]]
    f["year_period_and_footnote_mark.csv"] = _csv(years).encode("utf-8")

    # --- empty -------------------------------------------------------------
    f["empty_0_bytes.csv"] = b""
    f["header_only.csv"] = _csv([["Tỉnh", "Năm", "Tỷ lệ hộ nghèo (%)"]]).encode("utf-8")
    f["whitespace_only.csv"] = b"   \n\t\n  \r\n\n"

    # --- formulas and markup (must stay inert text) ----------------------------
    inj = [[TITLE], ["Tỉnh", "Năm", "Tỷ lệ hộ nghèo (%)", "Ghi chú"],
           ['=HYPERLINK("http://example.invalid/x","Lào Cai")', "2010", r1(), "ok"],
           ["Yên Bái", "2010", "+cmd|' /C calc'!A0", "ok"],
           ["Lạng Sơn", "2010", "@SUM(1)", "ok"],
           ["Cao Bằng", "2010", "21,5", "=1+1"],
           ["Bắc Kạn", "2010", "30,5", "ok"]]
    f["injection_formulas.csv"] = _csv(inj).encode("utf-8")
    markup = [[TITLE], ["Tỉnh", "Năm", "Tỷ lệ hộ nghèo (%)", "Ghi chú"],
              ["<script>alert(1)</script>", "2011", r1(), "ok"],
              ["Ninh Bình", "2011", '"><img src=x onerror=alert(1)>', "<b>ok</b>"],
              ["Ninh Thuận", "2011", "18,5", "<script>alert(1)</script>"]]
    f["injection_markup.csv"] = _csv(markup).encode("utf-8")

    # --- not a text table ----------------------------------------------------
    png = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(rng.randrange(256) for _ in range(48))
    f["png_renamed.csv"] = png
    f["pdf_renamed.csv"] = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    f["old_excel.xls"] = ole
    f["old_excel_renamed.xlsx"] = ole
    f["truncated.xlsx"] = b"PK\x03\x04" + bytes(rng.randrange(256) for _ in range(40))
    return f


def xlsx_files(folder: Path) -> list[str]:
    """Write the XLSX files of the corpus; return their names."""
    # Two-row merged header, notes under the table, a footnote-marked year.
    wb = _workbook()
    ws = wb.active
    ws.title = "Nguồn lực"
    ws["A1"] = TITLE
    ws.append(["Tỉnh", "Năm", "Nguồn lực huy động (tỷ đồng)", None, None])
    ws.append([None, None, "Ngân sách TW", "Tín dụng", "Nhân dân"])
    ws.merge_cells("A2:A3")
    ws.merge_cells("B2:B3")
    ws.merge_cells("C2:E2")
    ws.append(["Lào Cai", 2015, 1200.5, 3400, 250.25])
    ws.append(["Yên Bái", 2015, "980,5", "1.250", "120"])
    ws.append(["Hà Giang", "2024*", 1500, 2800, 300])
    ws.append([])
    ws.append(["Nguồn: Sở NN&PTNT"])
    ws.merge_cells("A8:E8")
    ws.append(["* số liệu sơ bộ"])
    p = folder / "xlsx_merged_header_notes.xlsx"
    wb.save(p)
    _fixed_zip(p)

    # A date in the year column; formulas with and without a cached value; text that looks like a formula.
    wb = _workbook()
    ws = wb.active
    ws.title = "Số liệu"
    ws["A1"] = TITLE
    ws.append(["Tỉnh", "Năm", "Tỷ lệ hộ nghèo (%)", "Tổng nguồn lực huy động (tỷ đồng)", "Ghi chú"])
    ws.append(["Lào Cai", dt.datetime(2020, 1, 1), 9.5, 100, "ngày thay cho năm"])
    ws["B3"].number_format = "dd/mm/yyyy"
    ws.append(["Hà Giang", 2020, 12.5, "=100+20", "công thức có kết quả lưu sẵn"])
    ws.append(["Tuyên Quang", 2020, 8.5, "=SUM(D3:D4)", "công thức không có kết quả"])
    ws.append(["Cao Bằng", 2020, 15.5, 90, None])
    ws["E6"].value = '=HYPERLINK("http://example.invalid","x")'
    ws["E6"].data_type = "s"  # text that looks like a formula: stored as text, never a formula
    p = folder / "xlsx_formulas_and_dates.xlsx"
    wb.save(p)
    _patch_sheet(p, b"<f>100+20</f><v />", b"<f>100+20</f><v>120</v>")
    _fixed_zip(p)

    wb = _workbook()
    wb.active.title = "Trống"
    p = folder / "xlsx_empty_sheet.xlsx"
    wb.save(p)
    _fixed_zip(p)
    return ["xlsx_merged_header_notes.xlsx", "xlsx_formulas_and_dates.xlsx", "xlsx_empty_sheet.xlsx"]


def write_large_csv(path: Path, n_rows: int, seed: int = SEED) -> dict:
    """A SYNTHETIC long table of ``n_rows`` data rows (semicolon, decimal comma) for the streaming test.

    Rows are unique (province × year × indicator, the indicators being a
    statistical yearbook's, unknown to the reader) and three rows are planted
    with known errors. Returns what the file holds: ``rows``, ``bad`` (row →
    (column, value)), ``bytes``.
    """
    from ntm_analysis.data import geo  # noqa: PLC0415

    rng = random.Random(seed)
    names = [p.name_short for p in geo.provinces(2008)]
    years = list(range(1995, 2025))
    per_indicator = len(names) * len(years)
    planted = {n_rows // 3: ("Giá trị", "abc"), n_rows // 2: ("Tỉnh", "Hà"), n_rows - 1: ("Năm", "2024*")}
    bad = {}
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(f"{TITLE}\nTỉnh;Năm;Chỉ tiêu;Giá trị;Ghi chú\n")
        buf = []
        for i in range(n_rows):
            ind, rest = divmod(i, per_indicator)
            prov, year = names[rest // len(years)], years[rest % len(years)]
            value = f"{rng.randrange(0, 10**7):,}".replace(",", ".") + f",{rng.randrange(10)}"
            row = [prov, str(year), f"Chỉ tiêu niên giám {ind:04d}", value, "SYNTHETIC"]
            if i in planted:
                col, text = planted[i]
                row[["Tỉnh", "Năm", "Chỉ tiêu", "Giá trị"].index(col)] = text
                bad[i + 3] = (col, text)  # title row 1, header row 2, first data row 3
            buf.append(";".join(row))
            if len(buf) >= 10_000:
                fh.write("\n".join(buf) + "\n")
                buf = []
        if buf:
            fh.write("\n".join(buf) + "\n")
    return {"rows": n_rows, "bad": bad, "bytes": path.stat().st_size}


def main() -> None:
    rng = random.Random(SEED)
    for name, data in text_files(rng).items():
        (HERE / name).write_bytes(data)
    xlsx_files(HERE)


if __name__ == "__main__":
    main()
