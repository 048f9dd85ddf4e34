"""The figures of the "Resources and outcomes" section (ntm_analysis/report/resource_figures.py), inspected as
matplotlib objects: axis labels, the source line, the highlighted and labelled province, the fitted line only when
a slope is reported, n on the panel; the specification curve sorted, its baseline marked, a line at zero.

The frames here are TEST FIXTURES of the documented shape (a few made-up provinces "A".."F"), never shipped as data:
the figures take plain data, so their drawing is checked against a known truth. The real associations are drawn in
tests/report/test_resources_section.py."""
import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import PathCollection  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from ntm_analysis.report import resource_figures as rf  # noqa: E402

FIXTURE = pd.DataFrame({"code": ["A", "B", "C", "D", "E", "F"], "name": ["Alpha", "Beta", "Gamma", "Delta", "Eps",
                                                                         "Phi"],
                        "x": np.log([1.0, 2.0, 4.0, 8.0, 16.0, 32.0]), "y": [5.0, 4.0, 3.5, 2.0, 1.0, 0.5]})


def _panel(**kw) -> rf.AssociationPanel:
    base = dict(title="Poverty change", xlabel="Transfers per person (million VND, log scale)",
                ylabel="Poverty change (percentage points)", sample=FIXTURE, n=6, slope=-1.2, intercept=4.9,
                log_x=True, highlight=[("C", "Gamma")], n_label="6 provinces; line: OLS fit")
    base.update(kw)
    return rf.AssociationPanel(**base)


def _texts(fig) -> list[str]:
    fig.canvas.draw()
    return [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def test_scatter_highlights_labels_and_fits_only_a_reported_slope():
    fig = rf.association_scatter([_panel(), _panel(slope=None, intercept=None, n_label="6 provinces; no slope")],
                                 title="Resources and outcomes", source="test fixture", lang="en")
    try:
        ax1, ax2 = [a for a in fig.axes if a.get_visible()]
        for ax in (ax1, ax2):
            assert ax.get_xlabel() == "Transfers per person (million VND, log scale)"
            assert ax.get_ylabel() == "Poverty change (percentage points)"
            assert ax.get_xscale() == "log"
            # the highlighted province: one big point at Gamma's (x, y) and its name as an annotation
            big = [c for c in ax.collections if isinstance(c, PathCollection) and c.get_sizes()[0] == 80]
            assert len(big) == 1
            assert big[0].get_offsets()[0].tolist() == pytest.approx([4.0, 3.5])
            labels = [t for t in ax.texts if t.get_text() == "Gamma"]
            assert len(labels) == 1 and labels[0].xy == pytest.approx((4.0, 3.5))
            # the other five provinces in grey
            grey = [c for c in ax.collections if isinstance(c, PathCollection) and c.get_sizes()[0] == 24]
            assert len(grey) == 1 and len(grey[0].get_offsets()) == 5
        # the fitted line: y = 4.9 − 1.2 ln x over the sample's range, only where a slope is reported
        fits = [ln for ln in ax1.lines if len(ln.get_xdata()) == 50]
        assert len(fits) == 1
        xs, ys = np.asarray(fits[0].get_xdata()), np.asarray(fits[0].get_ydata())
        assert xs[0] == pytest.approx(1.0) and xs[-1] == pytest.approx(32.0)
        assert ys.tolist() == pytest.approx((4.9 - 1.2 * np.log(xs)).tolist())
        assert not [ln for ln in ax2.lines if len(ln.get_xdata()) == 50]
        texts = _texts(fig)
        assert "6 provinces; line: OLS fit" in texts and "6 provinces; no slope" in texts
        assert texts.count("Source: test fixture") == 1
        assert "Resources and outcomes" in texts
    finally:
        plt.close(fig)


def test_scatter_names_a_highlighted_province_outside_the_sample():
    panel = _panel(highlight=[("Z", "Zeta")], notes=["Zeta not in the sample: no 2011–2015 total reported"])
    fig = rf.association_scatter([panel], title="t", source="s")
    try:
        [ax] = [a for a in fig.axes if a.get_visible()]
        assert not [c for c in ax.collections if c.get_sizes()[0] == 80]  # nothing highlighted that is not there
        assert "6 provinces; line: OLS fit\nZeta not in the sample: no 2011–2015 total reported" in _texts(fig)
    finally:
        plt.close(fig)


def test_scatter_in_points_has_a_linear_axis():
    fig = rf.association_scatter([_panel(log_x=False, sample=FIXTURE.assign(x=np.exp(FIXTURE["x"])))], title="t",
                                 source="s", lang="vi")
    try:
        [ax] = [a for a in fig.axes if a.get_visible()]
        assert ax.get_xscale() == "linear"
        big = [c for c in ax.collections if c.get_sizes()[0] == 80]
        assert big[0].get_offsets()[0].tolist() == pytest.approx([4.0, 3.5])
        assert "Nguồn: s" in _texts(fig)
    finally:
        plt.close(fig)


CURVE = pd.DataFrame({"estimate": [0.3, -0.5, 0.1, float("nan"), -1.0],
                      "ci_low": [-0.1, -0.9, -0.4, float("nan"), -1.8],
                      "ci_high": [0.7, -0.1, 0.6, float("nan"), -0.2],
                      "baseline": [False, True, False, False, False]})


def test_specification_curve_is_sorted_with_baseline_and_zero_line():
    fig = rf.specification_curve(CURVE, title="Spec curve", xlabel="Specification (sorted)",
                                 ylabel="Slope (pp per log point)", source="fixture", baseline_label="baseline",
                                 others_label="other specifications")
    try:
        [ax] = fig.axes
        assert (ax.get_xlabel(), ax.get_ylabel()) == ("Specification (sorted)", "Slope (pp per log point)")
        points = {c.get_label(): c.get_offsets() for c in ax.collections if isinstance(c, PathCollection)}
        assert set(points) == {"baseline", "other specifications"}
        allp = np.vstack(list(points.values()))
        allp = allp[np.argsort(allp[:, 0])]
        # every specification with an estimate (4 of 5), at positions 1..4, sorted by estimate
        assert allp[:, 0].tolist() == pytest.approx([1, 2, 3, 4])
        assert allp[:, 1].tolist() == pytest.approx([-1.0, -0.5, 0.1, 0.3])
        assert points["baseline"][0].tolist() == pytest.approx([2, -0.5])
        zero = [ln for ln in ax.lines if isinstance(ln, Line2D) and list(ln.get_ydata()) == [0, 0]]
        assert len(zero) == 1
        assert "Source: fixture" in _texts(fig)
        # each specification's own interval is drawn: the error bar of the baseline spans −0.9 to −0.1
        segs = [s for c in ax.collections if not isinstance(c, PathCollection) for s in c.get_segments()]
        spans = sorted((float(s[0][1]), float(s[1][1])) for s in segs)
        assert any(math.isclose(a, -0.9) and math.isclose(b, -0.1) for a, b in spans), spans
    finally:
        plt.close(fig)
