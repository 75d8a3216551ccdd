"""Writing a figure to a PNG file whose bytes are the same on every run.

Every PNG in the course's ``img/`` folder is written by :func:`save_figure`, from
``tools/make_figures.py`` (``make figures``); the chapters only display their figures.
"""
from __future__ import annotations

import os
from pathlib import Path

from matplotlib.figure import Figure

__all__ = ["DPI", "save_figure"]

#: Pixels per inch of every saved figure: a notebook-width figure (about 8 inches) is
#: 800 pixels wide, which a README or a web page shows without scaling it down much.
DPI = 100


def save_figure(fig: Figure, path: str | os.PathLike) -> Path:
    """Write ``fig`` as a PNG that is byte-for-byte the same whenever the same figure is drawn.

    Matplotlib writes its own version into a PNG as a "Software" text chunk by default, so
    an upgrade alone would change every file; it is left out. The figure is cropped to what
    it draws (``bbox_inches="tight"``), so a legend placed outside the axes is kept whole.

    Parameters
    ----------
    fig : matplotlib Figure
    path : str or path-like
        Where to write; must end in ``.png`` (an SVG or PDF would embed the date).

    Returns
    -------
    Path
        The path written.
    """
    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure, got {type(fig).__name__}")
    path = Path(path)
    if path.suffix.lower() != ".png":
        raise ValueError(f"save_figure writes PNG files only (other formats embed a date), got {path.name!r}")
    fig.savefig(path, format="png", dpi=DPI, bbox_inches="tight", metadata={"Software": None})
    return path
