"""heatmap: labelled cells, and numbers that stay readable on dark cells of any colour map."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

from dlbook import plotting


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _text_colours(fig) -> dict[str, str]:
    return {t.get_text(): t.get_color() for t in fig.axes[0].texts}


@pytest.mark.parametrize("cmap", ["Blues", "viridis", "Greys", "magma"])
def test_sequential_map_writes_white_on_dark_and_black_on_light_cells(cmap):
    counts = np.array([[0, 5], [50, 100]])
    fig = plotting.heatmap(counts, fmt="{:.0f}", cmap=cmap, centered=False)
    colours = _text_colours(fig)
    # The darkest end of each of these maps needs white text, the lightest black (viridis and magma run dark to light).
    dark, light = ("100", "0") if cmap in ("Blues", "Greys") else ("0", "100")
    assert colours[dark] == "white" and colours[light] == "black"


def test_centered_map_writes_white_on_strong_weights():
    w = np.array([[-2.0, 0.1], [0.0, 2.0]])
    colours = _text_colours(plotting.heatmap(w))
    assert colours["-2.00"] == colours["2.00"] == "white"
    assert colours["0.10"] == colours["0.00"] == "black"


def test_fixed_colour_scale():
    fig = plotting.heatmap(np.array([[0.2, 0.4]]), centered=False, vmin=0.0, vmax=1.0)
    assert fig.axes[0].images[0].get_clim() == (0.0, 1.0)
    fig = plotting.heatmap(np.array([[0.2, 0.4]]))  # centered: symmetric around 0
    assert fig.axes[0].images[0].get_clim() == (-0.4, 0.4)
    with pytest.raises(ValueError, match="2-D"):
        plotting.heatmap(np.zeros(3))
