"""Figures for chapter 06 (normalization): which axis each norm normalizes, running
statistics, batch-size sensitivity and activation scales through a deep network.

Every function returns the Figure.
"""
from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from ..i18n import gettext as _
from .fonts import edition_font


__all__ = ["plot_norm_axes", "plot_running_stats", "plot_batch_dependence", "plot_activation_scales"]


def _grid(ax, batch: int, features: int, cells: np.ndarray, colour: str, title: str, note: str) -> None:
    """A (batch × features) table of squares; ``cells`` (bool) marks the ones one norm group averages over."""
    for i in range(batch):
        for j in range(features):
            face = colour if cells[i, j] else "white"
            ax.add_patch(Rectangle((j, batch - 1 - i), 1, 1, facecolor=face, edgecolor="0.3", lw=1))
    rows, cols = np.nonzero(cells)
    # A thick outline around the highlighted group (a row or a column of the grid).
    r0, r1, c0, c1 = rows.min(), rows.max(), cols.min(), cols.max()
    ax.add_patch(Rectangle((c0, batch - 1 - r1), c1 - c0 + 1, r1 - r0 + 1, fill=False, edgecolor="black", lw=3))
    ax.set_xlim(-0.2, features + 0.2)
    ax.set_ylim(-0.2, batch + 0.2)
    ax.set_aspect("equal")
    ax.set_xticks(np.arange(features) + 0.5, [f"f{j + 1}" for j in range(features)])
    ax.set_yticks(np.arange(batch) + 0.5, [_("sample {i}").format(i=batch - i) for i in range(batch)])
    ax.set_xlabel(_("features (axis 1)") + f"\n\n{note}")
    ax.set_ylabel(_("batch (axis 0)"))
    ax.set_title(title, fontsize=11)
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)


@edition_font
def plot_norm_axes(batch: int = 6, features: int = 5) -> Figure:
    """Which numbers BatchNorm and LayerNorm average over, on a (batch × features) grid.

    BatchNorm takes one mean and variance per feature, over the batch (a column);
    LayerNorm one per sample, over its features (a row).

    Parameters
    ----------
    batch, features : int
        Size of the drawn grid.
    """
    if batch < 2 or features < 2:
        raise ValueError(f"the diagram needs at least a 2 x 2 grid, got batch={batch}, features={features}")
    column = np.zeros((batch, features), dtype=bool)
    column[:, 1] = True
    row = np.zeros((batch, features), dtype=bool)
    row[2, :] = True
    fig, axes = plt.subplots(1, 2, figsize=(9, 4.6))
    _grid(axes[0], batch, features, column, "#f4a259", _("BatchNorm1d: one column"),
          _("{features} means and variances: one per feature,\ntaken over the {batch} samples of the batch").format(
              features=features, batch=batch))
    _grid(axes[1], batch, features, row, "#5b8e7d", _("LayerNorm: one row"),
          _("{batch} means and variances: one per sample,\ntaken over its own {features} features").format(
              features=features, batch=batch))
    fig.suptitle(_("Which numbers share one mean and variance (input of shape (batch, features))"), fontsize=12)
    fig.tight_layout()
    return fig


@edition_font
def plot_running_stats(batch_means: np.ndarray, running_means: np.ndarray, population_mean: float, *,
                       momentum: float) -> Figure:
    """A feature's batch means, step by step, and BatchNorm's running mean following them.

    Parameters
    ----------
    batch_means : np.ndarray, shape (steps,)
        The mean of the feature in each training batch.
    running_means : np.ndarray, shape (steps,)
        ``running_mean`` of that feature after each step.
    population_mean : float
        The mean over the whole data, which the running mean should approach.
    momentum : float
        For the legend.
    """
    steps = np.arange(1, len(batch_means) + 1)
    fig, ax = plt.subplots(figsize=(7.5, 3.6))
    ax.plot(steps, batch_means, "o", ms=3.5, color="C0", alpha=0.6, label=_("mean of each training batch"))
    ax.plot(np.concatenate(([0], steps)), np.concatenate(([0.0], running_means)), "-", color="C3", lw=2,
            label=_("running_mean (momentum {momentum}, starts at 0)").format(momentum=f"{momentum:g}"))
    ax.axhline(population_mean, color="0.3", ls="--", lw=1, label=_("mean over the whole training set"))
    ax.set_xlabel(_("training step"))
    ax.set_ylabel(_("feature value"))
    ax.set_title(_("BatchNorm's running mean: an exponential moving average of batch means"))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=9)
    fig.tight_layout()
    return fig


@edition_font
def plot_batch_dependence(outputs: Mapping[str, np.ndarray], layer_norm_output: float) -> Figure:
    """One sample's normalized value across many random batches, per batch size, against LayerNorm's.

    Parameters
    ----------
    outputs : mapping from a label (e.g. "BatchNorm, batch of 2") to np.ndarray of shape (batches,)
        The BatchNorm output for the same sample and feature in each random batch.
    layer_norm_output : float
        LayerNorm's output for that sample and feature (the same in every batch).
    """
    fig, ax = plt.subplots(figsize=(7.5, 3.8))
    values = np.concatenate([np.asarray(v, dtype=np.float64) for v in outputs.values()] + [[layer_norm_output]])
    bins = np.linspace(values.min() - 0.1, values.max() + 0.1, 61)
    tallest = 0.0
    for i, (name, v) in enumerate(outputs.items()):
        counts = ax.hist(v, bins=bins, color=f"C{i}", alpha=0.55, label=_("{name} (std {std})").format(name=name, std=f"{np.std(v):.2f}"))[0]
        tallest = max(tallest, float(counts.max()))
    ax.axvline(layer_norm_output, color="black", lw=2, label=_("LayerNorm: one value in every batch"))
    ax.set_ylim(0, 1.5 * tallest)  # room for the legend above the bars
    ax.set_xlabel(_("normalized output: the same sample, the same feature"))
    ax.set_ylabel(_("number of random batches"))
    ax.set_title(_("The same sample in different random batches"))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=9, loc="upper left")
    fig.tight_layout()
    return fig


@edition_font
def plot_activation_scales(scales: Mapping[str, np.ndarray], *, ylabel: str | None = None,
                           title: str | None = None) -> Figure:
    """One statistic of the activations after each hidden layer (log scale), one line per network.

    Parameters
    ----------
    scales : mapping from a network's name to np.ndarray of shape (layers,)
        E.g. the standard deviation of the activations after each hidden layer.
    ylabel, title : str, optional
        What the numbers are (by default "std of the activations" and "Activations through a deep
        MLP at initialization", in the edition's language).
    """
    fig, ax = plt.subplots(figsize=(6.5, 3.8))
    for name, s in scales.items():
        layers = np.arange(1, len(s) + 1)
        ax.semilogy(layers, s, "o-", ms=4, label=name)
    ax.set_xlabel(_("hidden layer"))
    ax.set_ylabel(_("{what} (log scale)").format(what=_("std of the activations") if ylabel is None else ylabel))
    ax.set_title(_("Activations through a deep MLP at initialization") if title is None else title)
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=9)
    fig.tight_layout()
    return fig
