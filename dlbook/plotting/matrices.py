"""Heatmaps of weight matrices and other small tables of numbers."""
from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

__all__ = ["heatmap"]


def heatmap(matrix: np.ndarray, row_labels: Sequence[str] | None = None, col_labels: Sequence[str] | None = None,
            *, title: str = "", xlabel: str = "", ylabel: str = "", annotate: bool = True, fmt: str = "{:.2f}",
            cmap: str = "RdBu_r", centered: bool = True, colorbar_label: str = "value",
            ax: Axes | None = None) -> Figure:
    """Draw a 2-D array as coloured cells with labelled rows and columns.

    Parameters
    ----------
    matrix : np.ndarray, shape (rows, cols)
    row_labels, col_labels : sequence of str, optional
    title, xlabel, ylabel : str
    annotate : bool
        Write each value in its cell (for small matrices).
    fmt : str
        Format of the annotations.
    cmap : str
    centered : bool
        Make the colour scale symmetric around 0 (for weights, red positive, blue negative).
    colorbar_label : str
        The colour bar's legend.
    ax : Axes, optional
    """
    m = np.asarray(matrix, dtype=np.float64)
    if m.ndim != 2:
        raise ValueError(f"heatmap needs a 2-D array, got shape {m.shape}")
    if ax is None:
        fig, ax = plt.subplots(figsize=(1.0 + 0.9 * m.shape[1] + 1.5, 0.9 + 0.55 * m.shape[0] + 0.6))
    else:
        fig = ax.figure
    limit = float(np.max(np.abs(m))) or 1.0
    kwargs = dict(vmin=-limit, vmax=limit) if centered else {}
    im = ax.imshow(m, cmap=cmap, aspect="auto", **kwargs)
    cbar = fig.colorbar(im, ax=ax)
    cbar.set_label(colorbar_label)
    ax.set_xticks(range(m.shape[1]), col_labels if col_labels is not None else range(m.shape[1]))
    ax.set_yticks(range(m.shape[0]), row_labels if row_labels is not None else range(m.shape[0]))
    if annotate:
        for (i, j), v in np.ndenumerate(m):
            strong = abs(v) > 0.6 * limit if centered else False
            ax.text(j, i, fmt.format(v), ha="center", va="center", fontsize=9, color="white" if strong else "black")
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return fig
