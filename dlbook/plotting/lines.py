"""Named line series and labelled scatter plots: the general-purpose figures."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from .fonts import edition_font

__all__ = ["plot_lines", "scatter_classes"]


#: Where ``legend="outside"`` puts the legend: right of the axes, clear of every curve.
_OUTSIDE = {"loc": "upper left", "bbox_to_anchor": (1.01, 1.0), "borderaxespad": 0.0}


def _decorate(ax: Axes, title: str, xlabel: str, ylabel: str, legend: str = "best") -> None:
    """Title, axis labels, a light grid and the legend: what every figure here carries."""
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    ax.legend(**(_OUTSIDE if legend == "outside" else {"loc": legend}))


@edition_font
def plot_lines(series: Mapping[str, Sequence[float]], *, x: Sequence[float] | None = None, title: str,
               xlabel: str, ylabel: str, logy: bool = False, markers: bool = False,
               styles: Mapping[str, Mapping[str, Any]] | None = None, integer_y: bool = False,
               legend: str = "best", ax: Axes | None = None) -> Figure:
    """One line per named series, e.g. ``{"train": losses, "test": test_losses}``.

    Parameters
    ----------
    series : mapping from a legend label to a 1-D sequence of values
    x : sequence, optional
        Shared x values (default 1, 2, ..., n for each series).
    title, xlabel, ylabel : str
    logy : bool
        Logarithmic y axis (for gradients that shrink by factors).
    markers : bool
        Mark every point.
    styles : mapping from a series' label to matplotlib line keywords, optional
        E.g. ``{"NAND": {"linestyle": "--", "ms": 3}}``, so that series with equal
        values stay visible (a dashed line over a wider solid one).
    integer_y : bool
        Whole-number ticks on the y axis, for counts (2 errors, not 1.5).
    legend : str
        A matplotlib legend location (default "best"), or "outside": right of the axes,
        where it cannot cover a curve.
    ax : Axes, optional
    """
    styles = dict(styles or {})
    unknown = set(styles) - set(series)
    if unknown:
        raise ValueError(f"styles names series that are not plotted: {sorted(unknown)}; series: {list(series)}")
    if ax is None:
        # A legend outside takes width from the axes: give it back.
        fig, ax = plt.subplots(figsize=(8.0 if legend == "outside" else 6.5, 3.8))
    else:
        fig = ax.figure
    for label, values in series.items():
        v = np.asarray(values, dtype=np.float64)
        xs = np.arange(1, v.size + 1) if x is None else np.asarray(x)[:v.size]
        ax.plot(xs, v, **{"marker": "o" if markers else "", "ms": 4, "label": label, **styles.get(label, {})})
    if logy:
        ax.set_yscale("log")
    if x is None or np.issubdtype(np.asarray(x).dtype, np.integer):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))  # epoch 3, not 2.5
    if integer_y:
        ax.yaxis.set_major_locator(MaxNLocator(integer=True, steps=[1, 2, 5, 10]))
    _decorate(ax, title, xlabel, ylabel, legend)
    if legend == "outside":
        fig.tight_layout()
    return fig


@edition_font
def scatter_classes(X: np.ndarray, y: np.ndarray, class_names: Sequence[str], *, title: str,
                    xlabel: str, ylabel: str, ax: Axes | None = None) -> Figure:
    """Scatter 2-D points coloured by class.

    Parameters
    ----------
    X : np.ndarray, shape (n, 2)
    y : np.ndarray of int, shape (n,)
    class_names : sequence of str
        Legend labels, indexed by class (Hangul only in the Korean edition, whose figures have a Hangul font).
    """
    X = np.asarray(X)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"scatter_classes needs X of shape (n, 2), got {X.shape}")
    if ax is None:
        fig, ax = plt.subplots(figsize=(5.5, 4.2))
    else:
        fig = ax.figure
    markers = "osD^v<>"
    for k, name in enumerate(class_names):
        pts = X[np.asarray(y) == k]
        ax.scatter(pts[:, 0], pts[:, 1], s=18, alpha=0.75, marker=markers[k % len(markers)], label=name)
    _decorate(ax, title, xlabel, ylabel)
    return fig
