"""Training curves: loss and accuracy per step and per epoch, from a ``History``.

- :func:`plot_history`: one run, per step and per epoch, with an epoch axis on top.
- :func:`plot_histories`: one metric of several runs on one axes.
- :func:`plot_steps_and_epochs`: several runs side by side, per step and per epoch.
- :class:`LiveCurves`: a callback for :func:`dlbook.fit` that redraws the curves in
  place while training runs in JupyterLab. With the environment variable
  ``DLBOOK_STATIC_PLOTS=1`` (set by the tests and ``make notebooks``) it draws only the
  final figure, once, so a stored notebook holds a figure nbval can compare.
"""
from __future__ import annotations

import base64
import io
import os
import time
from collections.abc import Mapping
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from ..i18n import gettext as _
from ..training import Callback, History
from .fonts import edition_font, use_edition_font

__all__ = ["plot_history", "plot_histories", "plot_steps_and_epochs", "LiveCurves"]

#: The environment variable that turns live plots into one final figure.
STATIC_ENV = "DLBOOK_STATIC_PLOTS"


def _metric_name(metric: str) -> str:
    """A readable name of a History list, for titles and axis labels, in the edition's language."""
    names = {"step_loss": _("minibatch loss"), "step_accuracy": _("minibatch accuracy"),
             "train_loss": _("training loss"), "train_accuracy": _("training accuracy"),
             "val_loss": _("validation loss"), "val_accuracy": _("validation accuracy")}
    return names.get(metric, metric.replace("_", " "))


def _smooth(values: list[float], window: int) -> tuple[np.ndarray, np.ndarray]:
    """Trailing moving average of per-step values, and the step each mean belongs at.

    Point i (steps counted from 1) is the mean of steps max(1, i - window + 1) .. i; it is
    returned with the middle of those steps as its x, so a smoothed curve does not lag
    behind the raw one and lines up with per-epoch means drawn at an epoch's middle.
    """
    v = np.asarray(values, dtype=np.float64)
    steps = np.arange(1, v.size + 1, dtype=np.float64)
    if window <= 1 or v.size == 0:
        return steps, v
    c = np.cumsum(np.insert(v, 0, 0.0))
    idx = np.arange(1, v.size + 1)
    lo = np.maximum(idx - window, 0)            # the mean covers steps lo + 1 .. idx
    return (lo + 1 + idx) / 2.0, (c[idx] - c[lo]) / (idx - lo)


def _check_smooth(smooth: Any) -> int:
    if isinstance(smooth, bool) or not isinstance(smooth, (int, np.integer)) or smooth < 1:
        raise ValueError(f"smooth must be an int >= 1 (a moving-average window in steps), got {smooth!r}")
    return int(smooth)


# --- one run ------------------------------------------------------------------------------------
def _panels(history: History) -> list[tuple[str, list[float], list[float], list[float]]]:
    """(name, per step, train per epoch, validation per epoch) for loss and, if recorded, accuracy."""
    panels = [(_("loss"), history.step_loss, history.train_loss, history.val_loss)]
    if history.step_accuracy or history.val_accuracy:
        panels.append((_("accuracy"), history.step_accuracy, history.train_accuracy, history.val_accuracy))
    return panels


def _figsize(history: History) -> tuple[float, float]:
    return (11.0, 3.8) if len(_panels(history)) == 2 else (6.0, 3.8)


def _check_train_at(train_at: Any) -> str:
    if train_at not in ("middle", "end"):
        raise ValueError(f"train_at must be 'middle' (epoch means of the steps) or 'end' (fit with eval_train=True), "
                         f"got {train_at!r}")
    return train_at


def _epoch_positions(history: History, train_at: str) -> tuple[np.ndarray, np.ndarray]:
    """Steps at which to draw per-epoch values: (training, validation).

    Epoch e covers steps (e - 1)·spe + 1 .. e·spe. Its training value is by default the
    mean of those steps, so it belongs at their middle, (e - 1)·spe + (spe + 1)/2, where a
    per-step curve averaged over one epoch passes through it too; validation (and, with
    ``eval_train=True``, training) is measured after the epoch's last step, e·spe.
    """
    spe = max(history.steps_per_epoch, 1)
    end = spe * np.arange(1, history.epochs + 1, dtype=np.float64)
    return (end if train_at == "end" else end - (spe - 1) / 2.0), end


def _draw_history(fig: Figure, history: History, *, title: str, smooth: int, train_at: str = "middle",
                  last_step: int | None = None) -> None:
    """Draw ``history`` into an empty ``fig``: one panel per metric, steps below and epochs on top.

    ``last_step`` fixes the right end of the x axis (a live plot sets it to the planned
    number of steps so the curves grow from the left instead of rescaling each frame).
    """
    spe = max(history.steps_per_epoch, 1)
    train_x, val_x = _epoch_positions(history, train_at)
    train_label = (_("train, per epoch (eval mode, after the epoch)") if train_at == "end"
                   else _("train, per epoch (mean of its steps)"))
    panels = _panels(history)
    for ax, (what, per_step, train, val) in zip(fig.subplots(1, len(panels), squeeze=False)[0], panels):
        if per_step:
            label = _("train, per step (mean of {n})").format(n=smooth) if smooth > 1 else _("train, per step")
            ax.plot(*_smooth(per_step, smooth), color="C0", alpha=0.35, lw=1, label=label)
        if train:
            ax.plot(train_x[:len(train)], train, "o-", color="C0", ms=4, label=train_label)
        if val:
            ax.plot(val_x[:len(val)], val, "s-", color="C1", ms=4, label=_("validation, after each epoch"))
        if last_step:
            ax.set_xlim(0, last_step * 1.02)
        ax.set_xlabel(_("step (one parameter update)"))
        ax.set_ylabel(what)
        ax.set_title(f"{title}: {what}")
        ax.grid(alpha=0.3)
        ax.legend(fontsize="small")
        top = ax.secondary_xaxis("top", functions=(lambda s: s / spe, lambda e: e * spe))
        top.xaxis.set_major_locator(MaxNLocator(integer=True))  # whole epochs, not 2.5
        top.set_xlabel(_("epochs completed (one pass over the training set each)"), fontsize="small")
    fig.tight_layout()


@edition_font
def plot_history(history: History, *, title: str | None = None, smooth: int = 1,
                 train_at: str = "middle") -> Figure:
    """Loss (left) and accuracy (right, if any): per step, and per epoch for train and validation.

    Parameters
    ----------
    history : dlbook.training.History
    title : str, optional
        By default "Training curves", in the edition's language.
    smooth : int
        Moving-average window for the per-step curve (1 = raw); each mean is drawn at the
        middle of the steps it averages.
    train_at : "middle" or "end"
        Where the per-epoch training values belong. "middle" (the default) for ``fit``'s
        usual epoch means: the mean of an epoch's steps is drawn at the middle of those
        steps. "end" for a history from ``fit(..., eval_train=True)``, whose training values
        are measured after the epoch's last step.

    The bottom axis counts steps; the top axis shows the same position in epochs
    (step / steps_per_epoch), so tick e on top sits at the last step of epoch e. Every
    value is drawn at the step it describes: a per-step value at its step, an epoch mean
    at the middle of the epoch's steps, a validation value at the epoch's last step.
    """
    smooth = _check_smooth(smooth)
    train_at = _check_train_at(train_at)
    fig = plt.figure(figsize=_figsize(history))
    _draw_history(fig, history, title=_("Training curves") if title is None else title, smooth=smooth,
                  train_at=train_at)
    return fig


# --- several runs ---------------------------------------------------------------------------------
def _draw_metric(ax: Axes, histories: Mapping[str, History], metric: str, per: str, smooth: int) -> None:
    """One line per run of ``metric`` against epochs or steps."""
    if per not in ("epoch", "step"):
        raise ValueError(f"per must be 'epoch' or 'step', got {per!r}")
    for name, h in histories.items():
        if not hasattr(h, metric):
            raise ValueError(f"metric must be a History list such as 'step_loss' or 'val_accuracy', got {metric!r}")
        values = np.asarray(getattr(h, metric), dtype=np.float64)
        spe = max(h.steps_per_epoch, 1)
        if metric.startswith("step_"):
            # Minibatch noise comes from sampling within an epoch: never average across more
            # than one epoch of steps, so a full-batch run (1 step per epoch) stays exact.
            x, values = _smooth(values, min(smooth, spe))
            x = x / (spe if per == "epoch" else 1)
        else:
            x = np.arange(1, values.size + 1) * (spe if per == "step" else 1)
        ax.plot(x, values, label=name, marker="" if values.size > 40 else "o", ms=3)


def _finish(ax: Axes, *, title: str, xlabel: str, ylabel: str, logx: bool, logy: bool,
            whole_epochs: bool = False) -> None:
    if logx:
        ax.set_xscale("log")
    elif whole_epochs:
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # whole epochs, not 2.5
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small")


@edition_font
def plot_histories(histories: Mapping[str, History], *, metric: str = "val_accuracy", per: str = "epoch",
                   title: str | None = None, ylabel: str | None = None, logy: bool = False,
                   smooth: int = 1, logx: bool = False, ax: Axes | None = None) -> Figure:
    """Compare one metric across several runs, e.g. ``{"no norm": h1, "BatchNorm": h2}``.

    Parameters
    ----------
    histories : mapping from a run's name to its History
    metric : str
        A History attribute: "step_loss", "train_loss", "val_accuracy", ...
    per : "epoch" or "step"
        The x axis.
    smooth : int
        Moving-average window for a per-step metric, capped at each run's steps per epoch.
    logx, logy : bool
        Logarithmic axes (steps of runs with very different batch sizes span decades).
    ax : Axes, optional
        Draw into an existing axes (for a panel of a larger figure).

    A smoothed per-step value is drawn at the middle of the steps it averages; a per-epoch
    value at the epoch's number (``per="epoch"``) or its last step (``per="step"``).
    """
    smooth = _check_smooth(smooth)
    own = ax is None
    if own:
        fig, ax = plt.subplots(figsize=(6.5, 3.8))
    else:
        fig = ax.figure
    _draw_metric(ax, histories, metric, per, smooth)
    _finish(ax, title=title or _metric_name(metric), xlabel=_("epoch") if per == "epoch" else _("step"),
            ylabel=ylabel or _metric_name(metric), logx=logx, logy=logy, whole_epochs=per == "epoch")
    if own:  # the caller lays out a figure it made
        fig.tight_layout()
    return fig


@edition_font
def plot_steps_and_epochs(histories: Mapping[str, History], *, step_metric: str = "step_loss",
                          epoch_metric: str = "val_loss", smooth: int = 1, ylabel: str | None = None,
                          title: str = "") -> Figure:
    """Two panels for several runs: ``step_metric`` per step (log x) and ``epoch_metric`` per epoch.

    Runs with different batch sizes take very different numbers of steps per epoch; seeing
    both axes side by side shows what each one buys. ``ylabel`` is by default "loss" and
    ``title`` is put before each panel's own title; dlbook's words are in the edition's language.
    """
    smooth = _check_smooth(smooth)
    ylabel = _("loss") if ylabel is None else ylabel
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.9))
    _draw_metric(left, histories, step_metric, "step", smooth)
    what = _metric_name(step_metric)
    if smooth > 1:
        what = _("{metric}, mean over up to {n} steps").format(metric=what, n=smooth)
    _finish(left, title=_("{title}per step ({what})").format(title=title, what=what), xlabel=_("step (log scale)"),
            ylabel=ylabel, logx=True, logy=False)
    _draw_metric(right, histories, epoch_metric, "epoch", 1)
    _finish(right, title=_("{title}per epoch ({what})").format(title=title, what=_metric_name(epoch_metric)),
            xlabel=_("epoch"), ylabel=ylabel, logx=False, logy=False, whole_epochs=True)
    fig.tight_layout()
    return fig


# --- live curves while fit runs -------------------------------------------------------------------
def _static_plots() -> bool:
    """True when ``DLBOOK_STATIC_PLOTS`` asks for final figures only (tests, stored notebooks)."""
    return os.environ.get(STATIC_ENV, "").strip().lower() not in ("", "0", "false", "no")


def _in_kernel() -> bool:
    """Whether we run inside a Jupyter kernel, where a figure can be displayed and updated."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def _png_bundle(fig: Figure) -> dict[str, str]:
    """The figure as a Jupyter display bundle: a PNG and its stable text form.

    Rendered here rather than through the notebook's inline backend, whose formatter
    exists only once pyplot has drawn a figure in the session; this works as the first
    figure of a notebook too, and the figure never passes through pyplot.
    """
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    return {"image/png": base64.b64encode(buffer.getvalue()).decode("ascii"), "text/plain": repr(fig)}


def _show(fig: Figure, handle: Any = None, *, live: bool) -> Any:
    """Display ``fig`` as a new output (returning its handle) or, given a handle, replace that output."""
    from IPython.display import display

    bundle = _png_bundle(fig)
    if handle is not None:
        handle.update(bundle, raw=True)
        return handle
    return display(bundle, raw=True, display_id=True) if live else display(bundle, raw=True)


class LiveCurves(Callback):
    """Training curves that redraw in place while :func:`dlbook.fit` runs.

    In JupyterLab the figure appears at the first step and is redrawn in the same output
    at most every ``min_interval`` seconds and once at the end. When ``static`` is true
    (by default: when the environment sets ``DLBOOK_STATIC_PLOTS=1``) nothing is drawn
    while training runs and the final figure is displayed once, so a stored notebook
    holds exactly one figure whatever the machine's speed. Outside Jupyter nothing is
    displayed; the final figure is kept in ``.fig``.

    Parameters
    ----------
    title : str, optional
        By default "Training curves", in the edition's language (as it is when the figure is drawn).
    smooth : int
        Moving-average window of the per-step curves.
    min_interval : float
        Seconds between two redraws while training (drawing costs about 0.1 s).
    train_at : "middle" or "end"
        Where per-epoch training values are drawn, as in :func:`plot_history` ("end" for
        ``fit(..., eval_train=True)``).
    static : bool, optional
        Force static (True) or live (False) mode; None reads ``DLBOOK_STATIC_PLOTS``.

    Attributes
    ----------
    fig : matplotlib Figure or None
        The figure, final once ``fit`` returns. It is not managed by pyplot, so the
        notebook's inline backend never shows it a second time (``fig.savefig`` works).
    frames : int
        How many times the figure was drawn in the last run (1 in static mode).

    Examples
    --------
    >>> history = dl.fit(model, loss, opt, (X, y), epochs=20, batch_size=32,
    ...                  val_data=(Xv, yv), rng=0, callback=plotting.LiveCurves())
    >>> print(history.summary())
    """

    def __init__(self, *, title: str | None = None, smooth: int = 1, min_interval: float = 0.5,
                 static: bool | None = None, train_at: str = "middle") -> None:
        self.title = title
        self.smooth = _check_smooth(smooth)
        self.train_at = _check_train_at(train_at)
        if isinstance(min_interval, bool) or not isinstance(min_interval, (int, float)) or min_interval < 0:
            raise ValueError(f"min_interval must be a number of seconds >= 0, got {min_interval!r}")
        self.min_interval = float(min_interval)
        if static is not None and not isinstance(static, bool):
            raise TypeError(f"static must be True, False or None, got {type(static).__name__}")
        self.static = static
        self.fig: Figure | None = None
        self.frames = 0
        self._handle: Any = None
        self._last = -np.inf
        self._kernel = False
        self._is_static = True

    def on_train_begin(self, history: History) -> None:
        self._kernel = _in_kernel()
        static = _static_plots() if self.static is None else self.static
        self._is_static = static or not self._kernel  # outside Jupyter there is no output to update
        self.fig, self.frames, self._handle, self._last = None, 0, None, -np.inf

    def on_step_end(self, history: History) -> None:
        self._maybe_draw(history)

    def on_epoch_end(self, history: History) -> None:
        self._maybe_draw(history)

    def on_train_end(self, history: History) -> None:
        if history.steps:
            self._draw(history, final=True)

    def _maybe_draw(self, history: History) -> None:
        if not self._is_static and time.monotonic() - self._last >= self.min_interval:
            self._draw(history, final=False)

    def _draw(self, history: History, *, final: bool) -> None:
        use_edition_font()
        if self.fig is None:
            self.fig = Figure(figsize=_figsize(history))
        else:
            self.fig.clear()
        planned = history.planned_epochs * history.steps_per_epoch
        title = _("Training curves") if self.title is None else self.title
        _draw_history(self.fig, history, title=title, smooth=self.smooth, train_at=self.train_at,
                      last_step=None if final else planned)
        self.frames += 1
        if self._kernel:
            self._handle = _show(self.fig, self._handle, live=not self._is_static)
        self._last = time.monotonic()

    def __repr__(self) -> str:
        return f"LiveCurves(title={self.title!r}, smooth={self.smooth}, static={self.static})"
