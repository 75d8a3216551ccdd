"""Heatmaps of weight matrices and other small tables of numbers."""
from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..i18n import gettext as _
from .fonts import edition_font

__all__ = ["heatmap"]


def _text_colour(rgba: Sequence[float]) -> str:
    """"black" or "white": whichever contrasts more with a background of colour ``rgba``.

    Uses the relative luminance L of the colour (sRGB channels made linear, weighted by
    how bright each looks) and the WCAG contrast ratios (L + 0.05) / 0.05 against black
    and 1.05 / (L + 0.05) against white: white wins on colours darker than L ≈ 0.18.
    """
    rgb = np.asarray(rgba, dtype=np.float64)[:3]
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    lum = float(linear @ np.array([0.2126, 0.7152, 0.0722]))
    return "white" if 1.05 / (lum + 0.05) > (lum + 0.05) / 0.05 else "black"


@edition_font
def heatmap(matrix: np.ndarray, row_labels: Sequence[str] | None = None, col_labels: Sequence[str] | None = None,
            *, title: str = "", xlabel: str = "", ylabel: str = "", annotate: bool = True, fmt: str = "{:.2f}",
            cmap: str = "RdBu_r", centered: bool = True, colorbar_label: str | None = None,
            vmin: float | None = None, vmax: float | None = None, ax: Axes | None = None) -> Figure:
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
        A diverging map for signed values (the default), a sequential one such as "Blues"
        for counts or shares.
    centered : bool
        Make the colour scale symmetric around 0 (for weights, red positive, blue negative).
    colorbar_label : str, optional
        The colour bar's legend (by default "value", in the edition's language).
    vmin, vmax : float, optional
        Fix the ends of the colour scale (e.g. 0 and 1 for shares), instead of the data's
        extremes (or ± the largest magnitude when ``centered``).
    ax : Axes, optional

    Each annotation is written in black or white, whichever stands out more from its
    cell's colour, so the numbers stay readable on dark cells of any colour map.
    """
    m = np.asarray(matrix, dtype=np.float64)
    if m.ndim != 2:
        raise ValueError(f"heatmap needs a 2-D array, got shape {m.shape}")
    if ax is None:
        fig, ax = plt.subplots(figsize=(1.0 + 0.9 * m.shape[1] + 1.5, 0.9 + 0.55 * m.shape[0] + 0.6))
    else:
        fig = ax.figure
    if centered:
        limit = float(np.max(np.abs(m))) or 1.0
        vmin = -limit if vmin is None else vmin
        vmax = limit if vmax is None else vmax
    im = ax.imshow(m, cmap=cmap, aspect="auto", vmin=vmin, vmax=vmax)
    cbar = fig.colorbar(im, ax=ax)
    cbar.set_label(_("value") if colorbar_label is None else colorbar_label)
    ax.set_xticks(range(m.shape[1]), col_labels if col_labels is not None else range(m.shape[1]))
    ax.set_yticks(range(m.shape[0]), row_labels if row_labels is not None else range(m.shape[0]))
    if annotate:
        for (i, j), v in np.ndenumerate(m):
            ax.text(j, i, fmt.format(v), ha="center", va="center", fontsize=9,
                    color=_text_colour(im.cmap(im.norm(v))))
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return fig
