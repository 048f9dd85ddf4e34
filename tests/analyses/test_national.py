"""The national overview's figures (ntm_analysis.analyses.national): the regional small multiples name every
province by a direct label, and no text of the figure overlaps another."""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from ntm_analysis.analyses import national  # noqa: E402


def drawn_texts(fig) -> list[tuple[str, object]]:
    """Every non-empty text the figure draws, with its box in pixels: titles, tick labels within the view, axis
    labels, annotations, figure texts."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    texts = list(fig.texts) + [t for t in (fig._suptitle, fig._supylabel, fig._supxlabel) if t is not None]
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        texts += [ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label, *ax.texts]
        for axis, (lo, hi) in ((ax.xaxis, sorted(ax.get_xlim())), (ax.yaxis, sorted(ax.get_ylim()))):
            for tick in axis.get_major_ticks():
                if lo <= tick.get_loc() <= hi:
                    texts.append(tick.label1)
    unique = list({id(t): t for t in texts}.values())
    # an annotation's own extent includes its leader line: measure its text alone
    return [(t.get_text(), Text.get_window_extent(t, renderer)) for t in unique
            if t.get_visible() and t.get_text().strip()]


def overlapping(boxes, tol: float = 0.5) -> list[tuple[str, str]]:
    """Pairs of texts whose boxes overlap by more than ``tol`` pixels in both directions."""
    out = []
    for i, (a, ba) in enumerate(boxes):
        for b, bb in boxes[i + 1:]:
            if min(ba.x1, bb.x1) - max(ba.x0, bb.x0) > tol and min(ba.y1, bb.y1) - max(ba.y0, bb.y0) > tol:
                out.append((a, b))
    return out


@pytest.fixture(scope="module")
def frame():
    return national.analysis_frame()


@pytest.mark.parametrize("column", ["income_real", "poverty_rate"])
def test_small_multiples_name_every_province_once_and_no_text_overlaps(frame, column):
    fig = national.regional_small_multiples(frame, column, "a label", "A title")
    try:
        boxes = drawn_texts(fig)
        labels = [t for ax in fig.axes for t in ax.texts]
        names = sorted(t.get_text() for t in labels)
        expected = sorted(frame.dropna(subset=[column]).drop_duplicates("code")["name"])
        assert names == expected and len(names) == 63  # every province, once, by its name
        assert "Thừa Thiên Huế" in names and "Hòa Bình" in names
        assert overlapping(boxes) == []
        page = fig.bbox
        for text, box in boxes:  # nothing cut off at the figure's edge
            assert page.x0 <= box.x0 and box.x1 <= page.x1 and page.y0 <= box.y0 and box.y1 <= page.y1, text
        # each label sits in its region's panel row, in the line's colour family, joined to the line's last point
        for ax in fig.axes:
            for t in ax.texts:
                row = frame[(frame["name"] == t.get_text())].dropna(subset=[column]).sort_values("year").iloc[-1]
                assert ax.get_title(loc="left") == row["region"]
                assert t.xy == (pytest.approx(row["year"]), pytest.approx(row[column]))
    finally:
        plt.close(fig)


def test_the_overlap_check_finds_an_overlap():
    fig, ax = plt.subplots()
    ax.text(0.5, 0.5, "Bà Rịa - Vũng Tàu")
    ax.text(0.52, 0.5, "Bình Dương")
    try:
        assert overlapping(drawn_texts(fig)) == [("Bà Rịa - Vũng Tàu", "Bình Dương")]
    finally:
        plt.close(fig)


@pytest.mark.parametrize("targets,step,low,high", [
    ([0.5, 0.5, 0.5, 0.5], 0.1, 0.0, 1.0),
    ([0.95, 0.96, 0.97, 0.1], 0.05, 0.0, 1.0),
    ([0.0, 0.01, 0.02], 0.1, 0.05, 0.9),
    (list(np.linspace(0, 1, 30)), 0.05, 0.0, 1.0),  # more than fit: still apart
])
def test_spread_labels_keeps_neighbours_a_step_apart_and_close_to_their_targets(targets, step, low, high):
    p = national.spread_labels(targets, step, low, high)
    order = np.argsort(targets, kind="stable")
    assert np.all(np.diff(p[order]) >= step - 1e-12)  # the order is kept, a step apart
    fits = step * (len(targets) - 1) <= high - low
    if fits:
        assert p.min() >= low - 1e-12 and p.max() <= high + 1e-12
    else:
        assert p.min() == pytest.approx(low)


def test_spread_labels_leaves_labels_that_do_not_collide_where_they_are():
    assert list(national.spread_labels([0.1, 0.5, 0.9], 0.1, 0.0, 1.0)) == [0.1, 0.5, 0.9]
    assert list(national.spread_labels([0.5, 0.52], 0.1, 0.0, 1.0)) == [0.5, pytest.approx(0.6)]
