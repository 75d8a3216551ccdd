"""plot_activation(s): f and f' (from the module's own backward) with title, labels and legend."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

import dlbook as dl
from dlbook import plotting


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_one_panel_draws_f_and_its_derivative_from_backward():
    x = np.linspace(-3, 3, 61)
    fig = plotting.plot_activation(dl.Sigmoid(), x, name="Sigmoid")
    ax = fig.axes[0]
    f_line, df_line = ax.get_lines()[:2]
    s = 1 / (1 + np.exp(-x))
    np.testing.assert_allclose(f_line.get_ydata(), s, rtol=1e-12)
    np.testing.assert_allclose(df_line.get_ydata(), s * (1 - s), rtol=1e-12)
    assert ax.get_title() == "Sigmoid" and ax.get_xlabel() and ax.get_ylabel()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["f(x)", "f'(x)"]


def test_grid_has_one_titled_panel_per_module_and_hides_the_rest():
    modules = {"ReLU": dl.ReLU(), "Tanh": dl.Tanh(), "GELU": dl.GELU(), "LeakyReLU": dl.LeakyReLU(0.1)}
    fig = plotting.plot_activations(modules, ncols=3)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in visible] == list(modules)
    assert len(fig.axes) - len(visible) == 2  # a 2 x 3 grid, two empty panels hidden
