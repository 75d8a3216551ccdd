"""Figures for chapter 05 (dropout): thinned networks, the masks of a minibatch and of
successive steps, the binomial count, training curves and the ensemble check.

Every function returns the Figure.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from ..dropout import dropped_count_pmf
from ..i18n import gettext as _
from .fonts import edition_font
from .networks import _DROPPED_EDGE, _DROPPED_FILL, _FILLS, draw_network

__all__ = ["plot_thinned_networks", "plot_batch_masks", "plot_dropout_masks", "plot_dropped_counts",
           "plot_train_test", "plot_ensemble_gap"]

_KEPT = "#1f5fa8"  # a kept unit in the mask grid; a dropped one is grey, as in the network diagrams


def _as_mask(masks: np.ndarray, name: str = "masks") -> np.ndarray:
    m = np.asarray(masks)
    if m.dtype != bool or m.ndim != 2:
        raise ValueError(f"{name} must be a 2-D boolean array (rows, units) with True = kept, "
                         f"got dtype {m.dtype} and shape {m.shape}")
    return m


@edition_font
def plot_thinned_networks(layer_sizes: Sequence[int], hidden_masks: Sequence[Sequence[np.ndarray]], *,
                          p: float) -> Figure:
    """The full network beside the thinned networks dropout makes of it for one sample at a few steps.

    Each panel is what one sample of the minibatch sees; the other samples of the
    same step have masks of their own (:func:`plot_batch_masks`).

    Parameters
    ----------
    layer_sizes : sequence of int
        Units per layer, input first and output last, e.g. (4, 6, 6, 3).
    hidden_masks : sequence (one per step) of sequences (one per hidden layer) of bool arrays
        The keep-masks (True = kept) each Dropout drew for the sample at that step.
    p : float
        The drop probability, for the titles.
    """
    sizes = list(layer_sizes)
    steps = len(hidden_masks)
    keeps = []
    for k, masks in enumerate(hidden_masks, start=1):
        keep = [np.ones(sizes[0], dtype=bool)] + [np.asarray(m, dtype=bool) for m in masks] + \
               [np.ones(sizes[-1], dtype=bool)]
        if [len(m) for m in keep] != sizes:
            raise ValueError(f"step {k}: mask sizes {[len(m) for m in keep]} do not match layer_sizes {sizes}")
        keeps.append(keep)
    fig, axes = plt.subplots(1, steps + 1, figsize=(3.0 * (steps + 1), 3.2))
    # Small panels: no text in the circles, short layer names.
    blank = [[""] * n for n in sizes]
    names = [_("input")] + [_("hidden {i}").format(i=i) for i in range(1, len(sizes) - 1)] + [_("output")]
    panels = [(None, _("eval mode: every unit"))]
    panels += [(keep, _("step {k}, one sample: {n} dropped").format(k=k, n=sum(int((~m).sum()) for m in keep)))
               for k, keep in enumerate(keeps, start=1)]
    for ax, (keep, title) in zip(axes, panels):
        draw_network(sizes, kept=keep, unit_labels=blank, layer_names=names, title=title, ax=ax)
        ax.title.set_fontsize(10)
    fig.legend(handles=[Patch(facecolor=_FILLS["hidden"], edgecolor="0.2", label=_("unit kept for this sample")),
                        Patch(facecolor=_DROPPED_FILL, edgecolor=_DROPPED_EDGE, label=_("dropped unit (output 0)"))],
               loc="lower center", ncol=2, fontsize=9, frameon=False)
    fig.suptitle(_("Dropout with p = {p}: the thinned network one sample passes through, at {steps} training "
                   "steps").format(p=f"{p:g}", steps=steps), fontsize=11)
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    return fig


@edition_font
def plot_batch_masks(masks: np.ndarray, *, p: float) -> Figure:
    """The keep-masks of one training step for a minibatch: one row per sample, one column per unit.

    Above each column: how many samples of the minibatch kept that unit, i.e. how many
    samples contribute to the gradient of the weights leaving it at this step.

    Parameters
    ----------
    masks : np.ndarray of bool, shape (samples, units)
        True = kept.
    p : float
        The drop probability, for the title.
    """
    m = _as_mask(masks)
    samples, units = m.shape
    fig, ax = plt.subplots(figsize=(8.0, 1.9 + 0.4 * samples))
    ax.imshow(m, cmap=plt.matplotlib.colors.ListedColormap([_DROPPED_FILL, _KEPT]), vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(np.arange(-0.5, units, 1), minor=True)
    ax.set_yticks(np.arange(-0.5, samples, 1), minor=True)
    ax.grid(which="minor", color="white", lw=2)
    ax.tick_params(which="minor", length=0)
    ax.set_xticks(range(units))
    ax.set_yticks(range(samples), [_("sample {i}: {n} dropped").format(i=i + 1, n=int((~row).sum()))
                                   for i, row in enumerate(m)])
    ax.set_xlabel(_("unit of the hidden layer"))
    # The top axis carries the count: the weights leaving unit j get gradient from kept[j] samples at this step.
    top = ax.secondary_xaxis("top")
    top.set_xticks(range(units), [f"{k}/{samples}" for k in m.sum(axis=0)])
    top.tick_params(length=0)
    top.set_xlabel(_("samples that keep the unit (and update the weights leaving it)"), fontsize=9)
    ax.set_title(_("One training step, p = {p}: each sample of the minibatch has its own mask").format(p=f"{p:g}"),
                 pad=8)
    fig.legend(handles=[Patch(color=_KEPT, label=_("kept for this sample")),
                        Patch(color=_DROPPED_FILL, label=_("dropped for this sample (output 0)"))],
               loc="lower center", ncol=2, fontsize=9, frameon=False)
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    return fig

@edition_font
def plot_dropout_masks(masks: np.ndarray, *, p: float) -> Figure:
    """Keep-masks of successive training steps as a grid: one row per step, one column per unit.

    Parameters
    ----------
    masks : np.ndarray of bool, shape (steps, units)
        True = kept.
    p : float
        The drop probability, for the title and the expected count.
    """
    m = _as_mask(masks)
    steps, units = m.shape
    fig, ax = plt.subplots(figsize=(min(1.6 + 0.32 * units, 10), 0.9 + 0.34 * steps))
    ax.imshow(m, cmap=plt.matplotlib.colors.ListedColormap([_DROPPED_FILL, _KEPT]), vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(np.arange(-0.5, units, 1), minor=True)
    ax.set_yticks(np.arange(-0.5, steps, 1), minor=True)
    ax.grid(which="minor", color="white", lw=1.5)
    ax.tick_params(which="minor", length=0)
    ax.set_xticks(range(0, units, max(1, units // 10)))
    ax.set_yticks(range(steps), [_("step {i}: {n} dropped").format(i=i + 1, n=int((~row).sum()))
                                 for i, row in enumerate(m)])
    ax.set_xlabel(_("unit of the hidden layer"))
    ax.set_title(_("Dropout masks, p = {p}: {units} units, expected {expected} dropped per step").format(
        p=f"{p:g}", units=units, expected=f"{p * units:g}"))
    ax.legend(handles=[Patch(color=_KEPT, label=_("kept (x / (1 - p))")),
                       Patch(color=_DROPPED_FILL, label=_("dropped (0)"))],
              loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=9)
    fig.tight_layout()
    return fig


@edition_font
def plot_dropped_counts(counts: np.ndarray, n_units: int, p: float) -> Figure:
    """Histogram of how many units each mask dropped, against the binomial law Binomial(n, p).

    Parameters
    ----------
    counts : np.ndarray of int, shape (masks,)
        The number of dropped units of each mask.
    n_units : int
        Units per mask (n).
    p : float
        Drop probability of each unit.
    """
    counts = np.asarray(counts)
    pmf = dropped_count_pmf(n_units, p)
    k = np.arange(n_units + 1)
    share = np.bincount(counts, minlength=n_units + 1)[: n_units + 1] / counts.size
    fig, ax = plt.subplots(figsize=(7.5, 3.6))
    ax.bar(k, share, width=0.8, color="C0", alpha=0.6, label=_("{n} masks drawn").format(n=f"{counts.size:,}"))
    ax.plot(k, pmf, "o-", color="C3", ms=4, label=f"Binomial(n={n_units}, p={p:g})")
    ax.axvline(n_units * p, color="0.3", ls="--", lw=1, label=f"n·p = {n_units * p:g}")
    ax.set_xlabel(_("number of dropped units in one mask"))
    ax.set_ylabel(_("share of masks"))
    ax.set_title(_("Dropped units per mask: p is each unit's probability, not a count"))
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    return fig


@edition_font
def plot_train_test(histories: Mapping[str, object], *, title: str | None = None,
                    logy: bool = True, val_name: str | None = None,
                    accuracy_range: tuple[float, float] | None = None) -> Figure:
    """Loss and accuracy per epoch: one colour per run, training solid and held-out data dashed.

    Parameters
    ----------
    histories : mapping from a run's name to its ``dlbook.training.History``
        Runs trained with ``val_data``; with ``eval_train=True`` the training curve
        is measured in eval mode, like the held-out curve.
    title : str, optional
        By default "Training and test curves", in the edition's language.
    logy : bool
        Log scale for the loss (a training loss near 0 is invisible otherwise).
    val_name : str, optional
        What ``val_data`` was, for the legend: "test" (the default, in the edition's language) or "validation".
    accuracy_range : (low, high), optional
        The accuracy axis's limits, to zoom on where the curves spend most epochs.
    """
    title = _("Training and test curves") if title is None else title
    val_name = _("test") if val_name is None else val_name
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
    for i, (name, h) in enumerate(histories.items()):
        epochs = np.arange(1, len(h.train_loss) + 1)
        for ax, train, test in ((axes[0], h.train_loss, h.val_loss),
                                (axes[1], h.train_accuracy, h.val_accuracy)):
            ax.plot(epochs[:len(train)], train, color=f"C{i}", lw=1.8, label=_("{name}: train").format(name=name))
            if test:
                ax.plot(epochs[:len(test)], test, color=f"C{i}", lw=1.8, ls="--", label=f"{name}: {val_name}")
    axes[0].set_ylabel(_("cross-entropy loss (log scale)") if logy else _("cross-entropy loss"))
    axes[1].set_ylabel(_("accuracy"))
    if logy:
        axes[0].set_yscale("log")
    if accuracy_range is not None:
        axes[1].set_ylim(*accuracy_range)
    for ax, what in zip(axes, (_("loss"), _("accuracy"))):
        ax.set_xlabel(_("epoch"))
        ax.set_title(f"{title}: {what}")
        ax.grid(alpha=0.3)
    # One legend for both panels, below them: inside either panel it would cover some run's curve.
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=min(len(labels), 4), fontsize=9, frameon=False)
    fig.tight_layout(rect=(0, 0.06 * ((len(labels) + 3) // 4) + 0.04, 1, 1))
    return fig


@edition_font
def plot_ensemble_gap(passes: np.ndarray, gaps: Mapping[str, np.ndarray]) -> Figure:
    """How far the average of K masked passes is from the single eval pass, as K grows.

    Parameters
    ----------
    passes : np.ndarray of int, shape (m,)
        The numbers of masked passes averaged (K).
    gaps : mapping from a network's name to np.ndarray of shape (m,)
        The distance between the K-pass average and the eval pass for each K.
    """
    fig, ax = plt.subplots(figsize=(6.5, 3.8))
    for name, gap in gaps.items():
        ax.loglog(passes, gap, "o-", ms=4, label=name)
    ref = next(iter(gaps.values()))
    ax.loglog(passes, ref[0] / np.sqrt(passes / passes[0]), ":", color="0.5",
              label=_("1 / sqrt(K) (sampling noise)"))
    ax.set_xlabel(_("K, masked passes averaged"))
    ax.set_ylabel(_("mean |average of K passes - eval pass|"))
    ax.set_title(_("Ensemble view: averaging thinned networks vs the eval pass"))
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=9)
    fig.tight_layout()
    return fig
