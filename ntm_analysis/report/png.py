"""A figure as the PNG a report embeds, recording its texts and their fonts.

:func:`image` saves a matplotlib figure as PNG and records in the PNG's text chunk :data:`TEXTS_KEY` every visible
text of the figure with the font matplotlib resolved for it and the characters that font lacks (none, or the figure
would show boxes), so a test can check the figures of a rendered report. The display layer
(:mod:`ntm_analysis.report.display`) shows figures through it; it knows nothing of what a figure shows.
"""
from __future__ import annotations

import io
import json
import os
import struct
import zlib

import matplotlib.pyplot as plt
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.text import Text

from ntm_analysis import i18n

#: Resolution of the embedded PNGs.
DPI = 96
#: The PNG text chunk holding the figure's texts and fonts (JSON).
TEXTS_KEY = "ntm:texts"


def text_fonts(fig: Figure, drawn: bool = False) -> list[dict]:
    """Every visible, non-empty text of ``fig`` (titles, labels, ticks, legends, notes) with the font file
    matplotlib resolves for it (``font_manager.findfont`` on the text's font properties), that font's family
    name and the characters it has no glyph for (``missing``; empty when the text renders without boxes).
    Tick labels and legends exist once the figure is laid out: it is drawn first (without rendering) unless
    ``drawn`` says it just was (saved)."""
    if not drawn:
        fig.draw_without_rendering()
    out = []
    for artist in fig.findobj(Text):
        text = artist.get_text()
        if not text.strip() or not artist.get_visible():
            continue
        path = font_manager.findfont(artist.get_fontproperties())
        out.append({"text": text, "font_family": font_manager.get_font(path).family_name,
                    "font_file": os.path.basename(path), "missing": i18n.check_font_covers(text, path)})
    return out


def with_text_chunk(png: bytes, key: str, text: str) -> bytes:
    """``png`` with an international text chunk (``iTXt``, UTF-8, uncompressed) ``key`` = ``text`` before its
    end: what Pillow's ``PngInfo.add_text`` writes for text beyond Latin-1, read back by ``Image.open(...).text``."""
    end = png.rfind(b"IEND") - 4
    if not png.startswith(b"\x89PNG\r\n\x1a\n") or end < 8:
        raise ValueError("not a PNG image")
    data = key.encode("latin-1") + b"\0\0\0" + b"\0" + b"\0" + text.encode("utf-8")
    chunk = struct.pack(">I", len(data)) + b"iTXt" + data + struct.pack(">I", zlib.crc32(b"iTXt" + data))
    return png[:end] + chunk + png[end:]


def image(fig: Figure, colors: int | None = None):
    """The figure as the PNG a report shows (an IPython ``Image``), with :func:`text_fonts` recorded in the PNG's
    :data:`TEXTS_KEY` text chunk; the figure is closed.

    ``colors``: write a palette PNG of at most that many colours (Pillow's median cut, no dithering), about a third
    of the bytes for a figure of flat colours such as a map; None keeps every colour."""
    from IPython.display import Image  # noqa: PLC0415

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, bbox_inches="tight")
    # the texts as the saved figure drew them (drawing it once more just to lay out its texts cost a third of
    # a report's figure time)
    record = json.dumps(text_fonts(fig, drawn=True), ensure_ascii=False, sort_keys=True)
    plt.close(fig)
    if colors is not None:
        from PIL import Image as PILImage  # noqa: PLC0415

        small = PILImage.open(io.BytesIO(buf.getvalue())).convert("RGB").quantize(
            colors=colors, method=PILImage.Quantize.MEDIANCUT, dither=PILImage.Dither.NONE)
        buf = io.BytesIO()
        small.save(buf, format="png", optimize=True)
    return Image(data=with_text_chunk(buf.getvalue(), TEXTS_KEY, record), format="png")
