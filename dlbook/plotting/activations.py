"""Plots of a function of one variable and its derivative (activations, chapter 02)."""
from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..i18n import gettext as _
from .fonts import edition_font

__all__ = ["plot_activation", "plot_activations"]


def _derivative(module, x: np.ndarray) -> np.ndarray:
    """f'(x) taken from the module's own backward pass (dy = 1 everywhere), so the plot checks it too."""
    module(x)
    return module.backward(np.ones_like(x))


@edition_font
def plot_activation(module, x: np.ndarray | None = None, *, name: str | None = None,
                    ax: Axes | None = None) -> Figure:
    """Draw f(x) and f'(x) of an elementwise activation module on one axes.

    Parameters
    ----------
    module : Module
        An elementwise activation such as ``dl.ReLU()``; f' comes from its ``backward``.
    x : np.ndarray, shape (n,), optional
        Where to evaluate (default: 401 points on [-5, 5], float64).
    name : str, optional
        Title (default: the module's repr).
    ax : Axes, optional
        Draw into an existing axes (for a grid of plots).
    """
    x = np.linspace(-5, 5, 401) if x is None else np.asarray(x, dtype=np.float64)
    if ax is None:
        fig, ax = plt.subplots(figsize=(5, 3.4))
    else:
        fig = ax.figure
    y = module(x)
    dy = _derivative(module, x)
    ax.plot(x, y, lw=2, label="f(x)")
    ax.plot(x, dy, lw=2, ls="--", label="f'(x)")
    ax.axhline(0, color="0.6", lw=0.8)
    ax.axvline(0, color="0.6", lw=0.8)
    ax.set_title(name or repr(module))
    ax.set_xlabel(_("x (pre-activation)"))
    ax.set_ylabel(_("value"))
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left")
    return fig


@edition_font
def plot_activations(modules: Mapping[str, object], x: np.ndarray | None = None, *, ncols: int = 3) -> Figure:
    """A grid with one :func:`plot_activation` panel per named module."""
    n = len(modules)
    nrows = -(-n // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.2 * ncols, 3.2 * nrows), squeeze=False)
    for ax, (name, module) in zip(axes.flat, modules.items()):
        plot_activation(module, x, name=name, ax=ax)
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    fig.tight_layout()
    return fig
