"""Training curves: loss and accuracy per step and per epoch, from a ``History``."""
from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

__all__ = ["plot_history", "plot_histories"]


def _smooth(values: list[float], window: int) -> np.ndarray:
    """Moving average (for noisy per-step curves); the first points average what exists so far."""
    v = np.asarray(values, dtype=np.float64)
    if window <= 1 or v.size == 0:
        return v
    c = np.cumsum(np.insert(v, 0, 0.0))
    idx = np.arange(1, v.size + 1)
    lo = np.maximum(idx - window, 0)
    return (c[idx] - c[lo]) / (idx - lo)


def plot_history(history, *, title: str = "Training curves", smooth: int = 1) -> Figure:
    """Loss (left) and accuracy (right, if any): per step, and per epoch for train and validation.

    Parameters
    ----------
    history : dlbook.training.History
    title : str
    smooth : int
        Moving-average window for the per-step curve (1 = raw).
    """
    has_acc = bool(history.step_accuracy or history.val_accuracy)
    fig, axes = plt.subplots(1, 2 if has_acc else 1, figsize=(11 if has_acc else 6, 3.6), squeeze=False)
    spe = max(history.steps_per_epoch, 1)
    epoch_x = spe * np.arange(1, history.epochs + 1)
    panels = [("loss", history.step_loss, history.train_loss, history.val_loss)]
    if has_acc:
        panels.append(("accuracy", history.step_accuracy, history.train_accuracy, history.val_accuracy))
    for ax, (what, per_step, train, val) in zip(axes[0], panels):
        if per_step:
            ax.plot(np.arange(1, len(per_step) + 1), _smooth(per_step, smooth), color="C0", alpha=0.35,
                    lw=1, label="train, per step")
        if train:
            ax.plot(epoch_x[:len(train)], train, "o-", color="C0", label="train, per epoch")
        if val:
            ax.plot(epoch_x[:len(val)], val, "s-", color="C1", label="validation, per epoch")
        ax.set_xlabel("step (one parameter update)")
        ax.set_ylabel(what)
        ax.set_title(f"{title}: {what}")
        ax.grid(alpha=0.3)
        ax.legend()
    fig.tight_layout()
    return fig


def plot_histories(histories: Mapping[str, object], *, metric: str = "val_accuracy", per: str = "epoch",
                   title: str | None = None, ylabel: str | None = None, logy: bool = False,
                   smooth: int = 1) -> Figure:
    """Compare one metric across several runs, e.g. ``{"no norm": h1, "BatchNorm": h2}``.

    Parameters
    ----------
    histories : mapping from a run's name to its History
    metric : str
        A History attribute: "step_loss", "train_loss", "val_accuracy", ...
    per : "epoch" or "step"
        The x axis.
    """
    fig, ax = plt.subplots(figsize=(6.5, 3.8))
    for name, h in histories.items():
        values = np.asarray(getattr(h, metric), dtype=np.float64)
        if metric.startswith("step_"):
            x = np.arange(1, values.size + 1) / (h.steps_per_epoch if per == "epoch" else 1)
            values = _smooth(values, smooth)
        else:
            x = np.arange(1, values.size + 1) * (h.steps_per_epoch if per == "step" else 1)
        ax.plot(x, values, label=name, marker="" if values.size > 40 else "o", ms=3)
    ax.set_xlabel("epoch" if per == "epoch" else "step")
    ax.set_ylabel(ylabel or metric.replace("_", " "))
    ax.set_title(title or metric.replace("_", " "))
    if logy:
        ax.set_yscale("log")
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    return fig
