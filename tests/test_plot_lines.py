"""plot_lines: per-series styles, whole-number ticks for counts, a legend that covers nothing."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

from dlbook import plotting


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_styles_integer_ticks_and_an_outside_legend():
    series = {"AND": [3, 1, 2, 1, 0], "NAND": [3, 1, 2, 1, 0], "XOR": [2, 2, 2, 2, 2]}
    fig = plotting.plot_lines(series, title="t", xlabel="epoch", ylabel="errors", markers=True, integer_y=True,
                              styles={"NAND": {"linestyle": "--"}}, legend="outside")
    ax = fig.axes[0]
    lines = {line.get_label(): line for line in ax.get_lines()}
    assert lines["NAND"].get_linestyle() == "--" and lines["AND"].get_linestyle() == "-"
    assert lines["AND"].get_marker() == "o"
    fig.canvas.draw()
    for ticks in (ax.get_yticks(), ax.get_xticks()):
        assert np.all(ticks == np.round(ticks)), ticks
    # The legend sits right of the axes: it cannot cover a line.
    legend_box = ax.get_legend().get_window_extent()
    assert legend_box.x0 >= ax.get_window_extent().x1
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["AND", "NAND", "XOR"]


def test_default_legend_stays_inside_and_styles_must_name_series():
    fig = plotting.plot_lines({"a": [0.1, 0.5]}, x=[0.0, 1.0], title="t", xlabel="x", ylabel="y")
    ax = fig.axes[0]
    assert ax.get_legend() is not None and ax.get_title() == "t"
    with pytest.raises(ValueError, match="not plotted"):
        plotting.plot_lines({"a": [1, 2]}, title="t", xlabel="x", ylabel="y", styles={"b": {"ls": "--"}})
