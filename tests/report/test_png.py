"""A report figure as its embedded PNG (ntm_analysis.report.png): the texts and fonts it records, and the chunk
that carries them."""
import io
import json

import matplotlib

matplotlib.use("Agg")
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from PIL import Image  # noqa: E402

from ntm_analysis.report import png  # noqa: E402


def _figure() -> Figure:
    fig = Figure(figsize=(4, 3))
    ax = fig.add_subplot()
    ax.plot([2016, 2018, 2020], [18.1, 12.4, 9.6])
    ax.set_title("Tỷ lệ hộ nghèo, Lào Cai")
    ax.set_ylabel("%")
    fig.text(0.01, 0.01, "Nguồn: Tổng cục Thống kê (GSO)")
    return fig


def test_the_png_records_every_text_the_figure_draws_with_its_font():
    """Recorded from the drawing savefig makes (tick labels exist only once drawn): the same record as a figure
    laid out on purpose first, and the image decodes to the figure's pixels."""
    data = png.image(_figure()).data
    img = Image.open(io.BytesIO(data))
    recorded = json.loads(img.text[png.TEXTS_KEY])
    fig = _figure()
    assert recorded == png.text_fonts(fig)  # laid out by text_fonts itself
    texts = [t["text"] for t in recorded]
    assert "Tỷ lệ hộ nghèo, Lào Cai" in texts and "Nguồn: Tổng cục Thống kê (GSO)" in texts
    assert {"2016", "2018", "2020"} <= set(texts)  # tick labels: drawn, so recorded
    assert all(t["missing"] == [] for t in recorded)  # the font has every glyph of the Vietnamese texts
    img.load()
    assert img.size[0] > 200 and img.size[1] > 150


def test_a_text_chunk_is_read_back_by_pillow_and_leaves_the_pixels_alone():
    buf = io.BytesIO()
    Image.new("RGB", (3, 2), (200, 10, 10)).save(buf, format="png")
    plain = buf.getvalue()
    tagged = png.with_text_chunk(plain, "ntm:texts", '[{"text": "Đắk Nông ✓"}]')
    img = Image.open(io.BytesIO(tagged))
    assert img.text == {"ntm:texts": '[{"text": "Đắk Nông ✓"}]'}
    assert img.convert("RGB").getpixel((2, 1)) == (200, 10, 10) and img.size == (3, 2)
    assert tagged.endswith(plain[-12:])  # IEND stays last
    with pytest.raises(ValueError, match="not a PNG"):
        png.with_text_chunk(b"GIF89a" + plain[6:], "k", "v")
