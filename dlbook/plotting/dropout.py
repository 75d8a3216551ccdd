"""Figures for chapter 05 (dropout): thinned networks, masks, the binomial count,
train/test curves and the ensemble check.

Every function returns the Figure; ``save="../img/name.png"`` also writes it as a
PNG whose bytes do not change from run to run (no software/date metadata).
"""
from __future__ import annotations

import os
from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from ..dropout import dropped_count_pmf

__all__ = ["plot_thinned_networks", "plot_dropout_masks", "plot_dropped_counts", "plot_train_test",
           "plot_ensemble_gap"]

_KEPT, _DROPPED = "#1f5fa8", "#d9d9d9"


def _finish(fig: Figure, save: str | os.PathLike | None, layout: bool = True) -> Figure:
    """Lay out the figure (unless the caller did) and, if asked, save it as a reproducible PNG."""
    if layout:
        fig.tight_layout()
    if save is not None:
        # Matplotlib writes its version into the PNG by default; without it the bytes are stable.
        fig.savefig(save, dpi=100, metadata={"Software": None})
    return fig


def _as_mask(masks: np.ndarray, name: str = "masks") -> np.ndarray:
    m = np.asarray(masks)
    if m.dtype != bool or m.ndim != 2:
        raise ValueError(f"{name} must be a 2-D boolean array (rows, units) with True = kept, "
                         f"got dtype {m.dtype} and shape {m.shape}")
    return m


def _draw_network(ax, layer_sizes: Sequence[int], keeps: Sequence[np.ndarray], title: str) -> None:
    """One network: circles per unit, edges only between kept units, dropped units greyed and crossed."""
    n_layers = len(layer_sizes)
    top = max(layer_sizes)
    # Layer i sits at x = i, its units stacked from the top and centred on the tallest layer.
    pos = [np.column_stack([np.full(n, float(i)), (top - 1) / 2 + (n - 1) / 2 - np.arange(n)])
           for i, n in enumerate(layer_sizes)]
    # One segment per pair of kept units in neighbouring layers: the thinned network's connections.
    segments = [np.array([a, b]) for i in range(n_layers - 1)
                for a in pos[i][keeps[i]] for b in pos[i + 1][keeps[i + 1]]]
    ax.add_collection(LineCollection(segments, colors="0.55", linewidths=0.6, zorder=1))
    for p, keep in zip(pos, keeps):
        ax.scatter(p[keep, 0], p[keep, 1], s=170, color=_KEPT, edgecolor="black", zorder=2)
        ax.scatter(p[~keep, 0], p[~keep, 1], s=170, color=_DROPPED, edgecolor="0.6", zorder=2)
        ax.scatter(p[~keep, 0], p[~keep, 1], s=70, marker="x", color="0.35", zorder=3)
    ax.set_title(title, fontsize=10)
    ax.set_xlim(-0.4, n_layers - 0.6)
    ax.set_ylim(-0.8, top - 0.2)
    ax.set_xticks(range(n_layers), ["input"] + [f"hidden {i}" for i in range(1, n_layers - 1)] + ["output"],
                  fontsize=8)
    ax.set_yticks([])
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)


def plot_thinned_networks(layer_sizes: Sequence[int], hidden_masks: Sequence[Sequence[np.ndarray]], *,
                          p: float, save: str | os.PathLike | None = None) -> Figure:
    """The full network beside the thinned networks that dropout trains at a few steps.

    Parameters
    ----------
    layer_sizes : sequence of int
        Units per layer, input first and output last, e.g. (4, 6, 6, 3).
    hidden_masks : sequence (one per step) of sequences (one per hidden layer) of bool arrays
        The keep-masks (True = kept) each Dropout drew at that step.
    p : float
        The drop probability, for the titles.
    save : path, optional
    """
    sizes = list(layer_sizes)
    steps = len(hidden_masks)
    fig, axes = plt.subplots(1, steps + 1, figsize=(3.0 * (steps + 1), 3.2))
    full = [np.ones(n, dtype=bool) for n in sizes]
    _draw_network(axes[0], sizes, full, "eval mode: every unit")
    for k, (ax, masks) in enumerate(zip(axes[1:], hidden_masks), start=1):
        keeps = [full[0]] + [np.asarray(m, dtype=bool) for m in masks] + [full[-1]]
        if [len(m) for m in keeps] != sizes:
            raise ValueError(f"step {k}: mask sizes {[len(m) for m in keeps]} do not match layer_sizes {sizes}")
        dropped = sum(int((~m).sum()) for m in keeps)
        _draw_network(ax, sizes, keeps, f"training step {k}: {dropped} dropped")
    fig.legend(handles=[Patch(color=_KEPT, label="kept unit"), Patch(color=_DROPPED, label="dropped unit")],
               loc="lower center", ncol=2, fontsize=9, frameon=False)
    fig.suptitle(f"Dropout with p = {p:g}: a different thinned network at every step", fontsize=11)
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    return _finish(fig, save, layout=False)


def plot_dropout_masks(masks: np.ndarray, *, p: float, save: str | os.PathLike | None = None) -> Figure:
    """Keep-masks of successive training steps as a grid: one row per step, one column per unit.

    Parameters
    ----------
    masks : np.ndarray of bool, shape (steps, units)
        True = kept.
    p : float
        The drop probability, for the title and the expected count.
    save : path, optional
    """
    m = _as_mask(masks)
    steps, units = m.shape
    fig, ax = plt.subplots(figsize=(min(1.6 + 0.32 * units, 10), 0.9 + 0.34 * steps))
    ax.imshow(m, cmap=plt.matplotlib.colors.ListedColormap([_DROPPED, _KEPT]), vmin=0, vmax=1, aspect="auto")
    ax.set_xticks(np.arange(-0.5, units, 1), minor=True)
    ax.set_yticks(np.arange(-0.5, steps, 1), minor=True)
    ax.grid(which="minor", color="white", lw=1.5)
    ax.tick_params(which="minor", length=0)
    ax.set_xticks(range(0, units, max(1, units // 10)))
    ax.set_yticks(range(steps), [f"step {i + 1}: {int((~row).sum())} dropped" for i, row in enumerate(m)])
    ax.set_xlabel("unit of the hidden layer")
    ax.set_title(f"Dropout masks, p = {p:g}: {units} units, expected {p * units:g} dropped per step")
    ax.legend(handles=[Patch(color=_KEPT, label="kept (x / (1 - p))"), Patch(color=_DROPPED, label="dropped (0)")],
              loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=9)
    return _finish(fig, save)


def plot_dropped_counts(counts: np.ndarray, n_units: int, p: float, *,
                        save: str | os.PathLike | None = None) -> Figure:
    """Histogram of how many units each mask dropped, against the binomial law Binomial(n, p).

    Parameters
    ----------
    counts : np.ndarray of int, shape (masks,)
        The number of dropped units of each mask.
    n_units : int
        Units per mask (n).
    p : float
        Drop probability of each unit.
    save : path, optional
    """
    counts = np.asarray(counts)
    pmf = dropped_count_pmf(n_units, p)
    k = np.arange(n_units + 1)
    share = np.bincount(counts, minlength=n_units + 1)[: n_units + 1] / counts.size
    fig, ax = plt.subplots(figsize=(7.5, 3.6))
    ax.bar(k, share, width=0.8, color="C0", alpha=0.6, label=f"{counts.size:,} masks drawn")
    ax.plot(k, pmf, "o-", color="C3", ms=4, label=f"Binomial(n={n_units}, p={p:g})")
    ax.axvline(n_units * p, color="0.3", ls="--", lw=1, label=f"n·p = {n_units * p:g}")
    ax.set_xlabel("number of dropped units in one mask")
    ax.set_ylabel("share of masks")
    ax.set_title("Dropped units per mask: p is each unit's probability, not a count")
    ax.grid(alpha=0.3)
    ax.legend()
    return _finish(fig, save)


def plot_train_test(histories: Mapping[str, object], *, title: str = "Training and test curves",
                    logy: bool = True, save: str | os.PathLike | None = None) -> Figure:
    """Loss and accuracy per epoch: one colour per run, training solid and test dashed.

    Parameters
    ----------
    histories : mapping from a run's name to its ``dlbook.training.History``
        Runs trained with ``val_data`` (the test set); with ``eval_train=True`` the
        training curve is measured in eval mode, like the test curve.
    title : str
    logy : bool
        Log scale for the loss (a training loss near 0 is invisible otherwise).
    save : path, optional
    """
    fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
    for i, (name, h) in enumerate(histories.items()):
        epochs = np.arange(1, len(h.train_loss) + 1)
        for ax, train, test in ((axes[0], h.train_loss, h.val_loss),
                                (axes[1], h.train_accuracy, h.val_accuracy)):
            ax.plot(epochs[:len(train)], train, color=f"C{i}", lw=1.8, label=f"{name}: train")
            if test:
                ax.plot(epochs[:len(test)], test, color=f"C{i}", lw=1.8, ls="--", label=f"{name}: test")
    axes[0].set_ylabel("cross-entropy loss" + (" (log scale)" if logy else ""))
    axes[1].set_ylabel("accuracy")
    if logy:
        axes[0].set_yscale("log")
    for ax, what in zip(axes, ("loss", "accuracy")):
        ax.set_xlabel("epoch")
        ax.set_title(f"{title}: {what}")
        ax.grid(alpha=0.3)
        ax.legend(fontsize=8)
    return _finish(fig, save)


def plot_ensemble_gap(passes: np.ndarray, gaps: Mapping[str, np.ndarray], *,
                      save: str | os.PathLike | None = None) -> Figure:
    """How far the average of K masked passes is from the single eval pass, as K grows.

    Parameters
    ----------
    passes : np.ndarray of int, shape (m,)
        The numbers of masked passes averaged (K).
    gaps : mapping from a network's name to np.ndarray of shape (m,)
        The distance between the K-pass average and the eval pass for each K.
    save : path, optional
    """
    fig, ax = plt.subplots(figsize=(6.5, 3.8))
    for name, gap in gaps.items():
        ax.loglog(passes, gap, "o-", ms=4, label=name)
    ref = next(iter(gaps.values()))
    ax.loglog(passes, ref[0] / np.sqrt(passes / passes[0]), ":", color="0.5", label="1 / sqrt(K) (sampling noise)")
    ax.set_xlabel("K, masked passes averaged")
    ax.set_ylabel("mean |average of K passes - eval pass|")
    ax.set_title("Ensemble view: averaging thinned networks vs the eval pass")
    ax.grid(alpha=0.3, which="both")
    ax.legend(fontsize=9)
    return _finish(fig, save)
