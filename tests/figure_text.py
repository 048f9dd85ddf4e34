"""Text bounding boxes of a drawn matplotlib figure, and the pairs that overlap (tests/report/test_figure_labels.py).

Only texts a reader sees are measured: visible, non-empty, and for tick labels only those of the ticks the axis
draws (matplotlib keeps spare ticks outside the view limits, and an axis switched off, as a map's, draws none).
Used by every figure test (report figures, maps, the national small multiples).
"""
from __future__ import annotations

from itertools import combinations

from matplotlib.axis import Axis
from matplotlib.figure import Figure
from matplotlib.text import Text

#: Boxes that share no more than this many pixels each way are not counted as overlapping (0: any shared area is).
TOLERANCE_PX = 0.0


def drawn_texts(fig: Figure) -> list[Text]:
    """Every text the figure draws, after drawing it."""
    fig.canvas.draw()
    drawn_ticks: set[int] = set()
    all_ticks: set[int] = set()
    for axis in fig.findobj(Axis):
        for tick in axis.get_major_ticks() + axis.get_minor_ticks():
            all_ticks.update({id(tick.label1), id(tick.label2)})
        if not axis.get_visible() or (axis.axes is not None and not axis.axes.axison):
            continue  # an axis that is switched off (a map's) draws none of its ticks
        for tick in axis._update_ticks():  # the ticks inside the view limits: the ones drawn
            drawn_ticks.update({id(tick.label1), id(tick.label2)})
    out = []
    for t in fig.findobj(Text):
        if not t.get_visible() or not t.get_text().strip():
            continue
        if id(t) in all_ticks and id(t) not in drawn_ticks:
            continue
        if t.axes is not None and t.get_clip_on() and id(t) not in all_ticks:
            # a text clipped to its axes that lies outside them is not seen
            box = t.get_window_extent()
            if not box.overlaps(t.axes.bbox):
                continue
        out.append(t)
    return out


def overlaps(fig: Figure, tolerance: float = TOLERANCE_PX) -> list[tuple[str, str]]:
    """The pairs of drawn texts whose boxes overlap by more than ``tolerance`` pixels each way."""
    texts = drawn_texts(fig)
    renderer = fig.canvas.get_renderer()
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts]
    found = []
    for (a, ba), (b, bb) in combinations(boxes, 2):
        w = min(ba.x1, bb.x1) - max(ba.x0, bb.x0)
        h = min(ba.y1, bb.y1) - max(ba.y0, bb.y0)
        if w > tolerance and h > tolerance:
            found.append((a, b))
    return found
