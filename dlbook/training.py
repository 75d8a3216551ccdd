"""Minibatches, epochs and steps, and the training loop the chapters share.

Vocabulary (chapter 09):
- a *step* (스텝) is one parameter update: one minibatch forward, backward and ``optimizer.step()``;
- an *epoch* (에폭) is one pass over the training set in which every sample is used exactly once
  (with ``drop_last`` the remainder that does not fill a batch is skipped that epoch);
- so steps per epoch = ceil(N / batch_size), or floor(N / batch_size) with ``drop_last``.

This module draws nothing and prints nothing: a live plot is a :class:`Callback`
that lives in ``dlbook.plotting`` (``plotting.LiveCurves()``), so training runs
anywhere without matplotlib or IPython.
"""
from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._checks import as_int_array, check_positive_int
from .i18n import gettext as _
from .losses import Loss
from .module import Module, eval_mode
from .optim import Optimizer
from .rng import as_rng

__all__ = ["steps_per_epoch", "total_steps", "batch_indices", "DataLoader", "History", "Callback", "train_step",
           "fit", "evaluate", "accuracy", "flat_gradient", "gradient_noise"]

Arrays = np.ndarray | tuple[np.ndarray, ...]


# --- counting steps ---------------------------------------------------------------------
def steps_per_epoch(n: int, batch_size: int, drop_last: bool = False) -> int:
    """How many minibatches (steps) one epoch over ``n`` samples makes.

    ceil(n / batch_size): the last batch holds the remainder; with ``drop_last``
    floor(n / batch_size): the remainder is skipped this epoch.
    """
    n = check_positive_int(n, "n")
    batch_size = check_positive_int(batch_size, "batch_size")
    if drop_last and batch_size > n:
        raise ValueError(f"with drop_last, batch_size ({batch_size}) larger than n ({n}) leaves no batch at all")
    return n // batch_size if drop_last else math.ceil(n / batch_size)


def total_steps(n: int, batch_size: int, epochs: int, drop_last: bool = False) -> int:
    """Steps over ``epochs`` epochs: epochs × steps_per_epoch."""
    return check_positive_int(epochs, "epochs") * steps_per_epoch(n, batch_size, drop_last)


def batch_indices(n: int, batch_size: int, *, shuffle: bool = True, drop_last: bool = False,
                  rng: np.random.Generator | int | None = None) -> list[np.ndarray]:
    """The sample indices of each minibatch of one epoch.

    With ``shuffle`` a new permutation is drawn from ``rng``; pass the same Generator
    every epoch so the order differs between epochs yet the whole run is reproducible.

    Returns
    -------
    list of np.ndarray of int
        ``steps_per_epoch(n, batch_size, drop_last)`` arrays; all but possibly the last
        have ``batch_size`` entries. Without ``drop_last`` together they hold 0..n-1 once each.
    """
    count = steps_per_epoch(n, batch_size, drop_last)
    order = as_rng(rng).permutation(n) if shuffle else np.arange(n)
    return [order[i * batch_size:(i + 1) * batch_size] for i in range(count)]


# --- data ----------------------------------------------------------------------------------
def as_tuple(x: Arrays) -> tuple[np.ndarray, ...]:
    """A model's inputs as a tuple: ``(x,)`` for one array, the tuple itself for several."""
    return tuple(x) if isinstance(x, tuple) else (x,)


def num_samples(arrays: Sequence[np.ndarray], what: str) -> int:
    """The common length (axis 0) of ``arrays``, or a ValueError naming ``what`` when they differ."""
    lengths = {len(a) for a in arrays}
    if len(lengths) != 1:
        raise ValueError(f"{what}: every array must have the same number of samples, got lengths {sorted(lengths)}")
    return lengths.pop()


class DataLoader:
    """Iterate over (inputs, targets) minibatches; one ``for`` loop is one epoch.

    Parameters
    ----------
    X : np.ndarray or tuple of np.ndarray
        Inputs, samples along axis 0 (a tuple for models with several inputs).
    y : np.ndarray
        Targets, shape (N, ...).
    batch_size : int
    shuffle, drop_last : bool
    rng : Generator or int
        One generator for the loader's life: each epoch draws a new order from it.

    ``len(loader)`` is the number of steps per epoch.
    """

    def __init__(self, X: Arrays, y: np.ndarray, batch_size: int, *, shuffle: bool = True,
                 drop_last: bool = False, rng: np.random.Generator | int | None = None) -> None:
        self.X = as_tuple(X)
        self.y = np.asarray(y)
        self.n = num_samples(self.X + (self.y,), "DataLoader")
        self.batch_size = check_positive_int(batch_size, "batch_size")
        self.shuffle, self.drop_last = bool(shuffle), bool(drop_last)
        steps_per_epoch(self.n, self.batch_size, self.drop_last)  # validates now, not mid-training
        self.rng = as_rng(rng)

    def __len__(self) -> int:
        return steps_per_epoch(self.n, self.batch_size, self.drop_last)

    def __iter__(self) -> Iterator[tuple[Arrays, np.ndarray]]:
        for idx in batch_indices(self.n, self.batch_size, shuffle=self.shuffle, drop_last=self.drop_last,
                                 rng=self.rng):
            xb = tuple(a[idx] for a in self.X)
            yb = self.y[idx]
            yield (xb if len(xb) > 1 else xb[0]), yb

    def __repr__(self) -> str:
        return (f"DataLoader(n={self.n}, batch_size={self.batch_size}, shuffle={self.shuffle}, "
                f"drop_last={self.drop_last}, steps_per_epoch={len(self)})")


# --- measuring ------------------------------------------------------------------------------
def accuracy(logits: np.ndarray, targets: np.ndarray, ignore_index: int | None = None) -> float:
    """Share of positions whose highest score is the target class (positions equal to ``ignore_index`` skipped)."""
    targets = as_int_array(targets)
    if logits.shape[:-1] != targets.shape:
        raise ValueError(f"targets must have shape {logits.shape[:-1]}, got {targets.shape}")
    hits = np.argmax(logits, axis=-1) == targets
    if ignore_index is not None:
        keep = targets != ignore_index
        return float(hits[keep].mean()) if keep.any() else float("nan")
    return float(hits.mean())


def _is_classification(y: np.ndarray) -> bool:
    return np.issubdtype(y.dtype, np.integer)


def evaluate(model: Module, loss_fn: Loss, X: Arrays, y: np.ndarray) -> tuple[float, float | None]:
    """Loss and accuracy (None for regression targets) on the whole set, in eval mode.

    The model's previous mode is restored afterwards.
    """
    with eval_mode(model):
        out = model(*as_tuple(X))
    loss = loss_fn(out, y)
    ignore = getattr(loss_fn, "ignore_index", None)
    acc = accuracy(out, y, ignore) if _is_classification(np.asarray(y)) else None
    return loss, acc


@dataclass
class History:
    """What happened during :func:`fit`, one entry per step and one per epoch.

    Attributes
    ----------
    step_loss, step_accuracy : list of float
        The training minibatch's loss (and accuracy) at each step, before the update.
    train_loss, train_accuracy : list of float
        Per epoch: the mean of that epoch's step values, weighted by the number of
        targets in each batch (or, with ``eval_train=True``, the whole training set
        evaluated in eval mode after the epoch).
    val_loss, val_accuracy : list of float
        Per epoch, on the validation set in eval mode (empty without one).
    steps_per_epoch : int
    epoch_seconds : list of float
        Wall-clock seconds of each epoch's training steps (validation not included).
        Machine- and load-dependent: never print them in a notebook cell nbval compares.
    planned_epochs : int
        The ``epochs`` fit was asked for (a live plot uses it to fix its x axis).
    """

    step_loss: list[float] = field(default_factory=list)
    step_accuracy: list[float] = field(default_factory=list)
    train_loss: list[float] = field(default_factory=list)
    train_accuracy: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    steps_per_epoch: int = 0
    epoch_seconds: list[float] = field(default_factory=list)
    planned_epochs: int = 0
    # The running sums of the epoch in progress: Σ weight·loss, Σ weight·accuracy, Σ weight.
    _epoch_sums: list[float] = field(default_factory=lambda: [0.0, 0.0, 0], repr=False)

    def record_step(self, loss: float, accuracy: float | None, weight: int) -> None:
        """Record one step's minibatch loss (and accuracy); ``weight`` is its number of targets."""
        self.step_loss.append(loss)
        if accuracy is not None:
            self.step_accuracy.append(accuracy)
        sums = self._epoch_sums
        sums[0] += weight * loss
        sums[1] += weight * (accuracy or 0.0)
        sums[2] += weight

    def epoch_means(self) -> tuple[float, float | None]:
        """The loss and accuracy of this epoch's steps so far, each step weighted by its number of targets."""
        loss_sum, hits, counted = self._epoch_sums
        return loss_sum / counted, (hits / counted if self.step_accuracy else None)

    def record_epoch(self, train: tuple[float, float | None],
                     val: tuple[float, float | None] | None = None) -> None:
        """Close an epoch: record its training (and validation) loss and accuracy, as (loss, accuracy or None)."""
        self.train_loss.append(train[0])
        if train[1] is not None:
            self.train_accuracy.append(train[1])
        if val is not None:
            self.val_loss.append(val[0])
            if val[1] is not None:
                self.val_accuracy.append(val[1])
        self._epoch_sums = [0.0, 0.0, 0]

    @property
    def steps(self) -> int:
        """Steps taken so far (parameter updates)."""
        return len(self.step_loss)

    @property
    def epochs(self) -> int:
        """Epochs completed so far."""
        return len(self.train_loss)

    def summary(self) -> str:
        """A one-line summary with rounded numbers (stable text for a stored notebook), in the edition's language."""
        parts = [_("{epochs} epochs, {steps} steps").format(epochs=self.epochs, steps=self.steps)]
        if self.train_loss:
            parts.append(_("train loss {value}").format(value=f"{self.train_loss[-1]:.3f}"))
        if self.train_accuracy:
            parts.append(_("train accuracy {value} %").format(value=f"{100 * self.train_accuracy[-1]:.1f}"))
        if self.val_loss:
            parts.append(_("val loss {value}").format(value=f"{self.val_loss[-1]:.3f}"))
        if self.val_accuracy:
            parts.append(_("val accuracy {value} %").format(value=f"{100 * self.val_accuracy[-1]:.1f}"))
        return ", ".join(parts)

    def __repr__(self) -> str:
        return f"History({self.summary()})"


# --- the training loop ------------------------------------------------------------------------
class Callback:
    """Hooks :func:`fit` calls while it trains; a subclass overrides the ones it needs.

    The order is ``on_train_begin``, then for every step ``on_step_end`` and after every
    epoch (after validation) ``on_epoch_end``, and last ``on_train_end``, which also runs
    when training stops early with an exception (an interrupted cell), so a live figure
    is always finished. Each hook receives the :class:`History` as it is at that moment.
    A plain function passed as ``callback=`` is called like ``on_epoch_end``.
    """

    def on_train_begin(self, history: History) -> None:
        """Before the first step: ``history`` is empty but knows its steps per epoch and planned epochs."""

    def on_step_end(self, history: History) -> None:
        """After each parameter update."""

    def on_epoch_end(self, history: History) -> None:
        """After each epoch, once its training and validation numbers are recorded."""

    def on_train_end(self, history: History) -> None:
        """Once, after the last epoch (or when training stopped with an exception)."""


class EpochFunction(Callback):
    """Adapts ``callback=function`` to the Callback hooks: the function runs after each epoch."""

    def __init__(self, function: Callable[[History], Any]) -> None:
        self.function = function

    def on_epoch_end(self, history: History) -> None:
        self.function(history)


def as_callback(callback: Callback | Callable[[History], Any] | None) -> Callback:
    """What ``fit(callback=...)`` accepts, as a :class:`Callback`: None does nothing, a function runs per epoch."""
    if callback is None:
        return Callback()
    if isinstance(callback, Callback):
        return callback
    if callable(callback):
        return EpochFunction(callback)
    raise TypeError(f"callback must be a Callback (e.g. plotting.LiveCurves()) or a function of the history, "
                    f"got {type(callback).__name__}")


def train_step(model: Module, loss_fn: Loss, optimizer: Optimizer, x: Arrays,
               y: np.ndarray) -> tuple[float, np.ndarray]:
    """One step (스텝): one minibatch forward and backward, and one parameter update.

    Parameters
    ----------
    model : Module
    loss_fn : Loss
    optimizer : Optimizer
        Built on ``model.parameters()``.
    x : np.ndarray or tuple of np.ndarray
        The minibatch's inputs (a tuple for a model with several inputs, e.g. ``(src, tgt_in)``).
    y : np.ndarray
        Its targets.

    Returns
    -------
    loss : float
        The minibatch's loss, before the update.
    out : np.ndarray
        The model's predictions for the minibatch, before the update (e.g. for its accuracy).
    """
    optimizer.zero_grad()                            # .grad holds the last step's gradients: clear them
    out = model(*x) if isinstance(x, tuple) else model(x)
    loss = loss_fn(out, y)
    model.backward(loss_fn.backward())               # fills every parameter's .grad
    optimizer.step()                                 # θ ← θ − lr·(update from .grad)
    return loss, out


def count_targets(y: np.ndarray, ignore_index: int | None) -> int:
    """How many targets a minibatch's mean loss averages over: every one but ``ignore_index`` (padding)."""
    return int(np.count_nonzero(y != ignore_index)) if ignore_index is not None else len(y)


def fit(model: Module, loss_fn: Loss, optimizer: Optimizer, train_data: tuple[Arrays, np.ndarray],
        epochs: int, batch_size: int, *, val_data: tuple[Arrays, np.ndarray] | None = None,
        shuffle: bool = True, drop_last: bool = False, eval_train: bool = False,
        rng: np.random.Generator | int | None = None,
        callback: Callback | Callable[[History], Any] | None = None) -> History:
    """Train ``model`` with minibatches and return its :class:`History`.

    Every epoch, every minibatch of the loader is one :func:`train_step`: zero the
    gradients, forward, loss, backward, ``optimizer.step()``. After each epoch the
    validation set (if any) is evaluated in eval mode. ``fit`` prints nothing; pass
    ``callback=plotting.LiveCurves()`` for curves that update while it runs, and print
    ``history.summary()`` afterwards.

    Parameters
    ----------
    model : Module
        ``model(*inputs)`` returns predictions; ``model.backward(dpred)``.
    loss_fn : Loss
    optimizer : Optimizer
        Built on ``model.parameters()``; its ``steps`` counter grows by one per step.
    train_data, val_data : (X, y)
        X an array (N, ...) or a tuple of arrays for a model with several inputs.
        Integer targets mean classification: accuracy is recorded too.
    epochs, batch_size : int
    shuffle, drop_last : bool
    eval_train : bool
        Also evaluate the whole training set in eval mode after each epoch (what a
        dropout or batch-norm comparison needs); otherwise the epoch's step values are
        averaged, each weighted by its number of targets.
    rng : Generator or int
        Shuffles the minibatches.
    callback : Callback or callable, optional
        A :class:`Callback` (its hooks run at the start, after every step and epoch, and
        at the end) or a function called with the history after every epoch.

    Returns
    -------
    History
        ``history.steps == epochs * steps_per_epoch(N, batch_size, drop_last)`` entries per
        step, ``history.epochs == epochs`` entries per epoch.
    """
    check_fit_arguments(model, loss_fn, optimizer, train_data, val_data)
    epochs = check_positive_int(epochs, "epochs")
    X, y = train_data
    loader = DataLoader(X, y, batch_size, shuffle=shuffle, drop_last=drop_last, rng=rng)
    classify = np.issubdtype(loader.y.dtype, np.integer)
    ignore = getattr(loss_fn, "ignore_index", None)
    history = History(steps_per_epoch=len(loader), planned_epochs=epochs)
    callback = as_callback(callback)
    model.train()
    callback.on_train_begin(history)
    try:
        for _ in range(epochs):
            start = time.perf_counter()
            for xb, yb in loader:
                loss, out = train_step(model, loss_fn, optimizer, xb, yb)
                acc = accuracy(out, yb, ignore) if classify else None
                history.record_step(loss, acc, count_targets(yb, ignore))
                callback.on_step_end(history)
            history.epoch_seconds.append(time.perf_counter() - start)
            train = evaluate(model, loss_fn, X, y) if eval_train else history.epoch_means()
            val = evaluate(model, loss_fn, *val_data) if val_data is not None else None
            history.record_epoch(train, val)
            callback.on_epoch_end(history)
    finally:
        callback.on_train_end(history)
    return history


def check_fit_arguments(model: Module, loss_fn: Loss, optimizer: Optimizer, train_data: Any, val_data: Any) -> None:
    """Refuse what :func:`fit` cannot train with, saying what was expected."""
    if not isinstance(model, Module):
        raise TypeError(f"model must be a Module, got {type(model).__name__}")
    if not isinstance(loss_fn, Loss):
        raise TypeError(f"loss_fn must be a Loss (e.g. CrossEntropyLoss()), got {type(loss_fn).__name__}")
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"optimizer must be an Optimizer (e.g. SGD or Adam), got {type(optimizer).__name__}")
    for name, data in (("train_data", train_data), ("val_data", val_data)):
        if data is not None and (not isinstance(data, (tuple, list)) or len(data) != 2):
            raise TypeError(f"{name} must be a pair (X, y), got {type(data).__name__}"
                            + (f" of length {len(data)}" if isinstance(data, (tuple, list)) else ""))


# --- gradient noise (chapter 09) --------------------------------------------------------------
def flat_gradient(model: Module, loss_fn: Loss, X: Arrays, y: np.ndarray) -> np.ndarray:
    """The gradient of the mean loss on (X, y) for every parameter, as one float64 vector.

    Runs in the model's current mode and leaves every ``.grad`` at zero afterwards.

    Returns
    -------
    np.ndarray, shape (model.num_parameters(),)
        The parameters' gradients, flattened and concatenated in ``parameters()`` order.
    """
    model.zero_grad()
    loss_fn(model(*as_tuple(X)), y)
    model.backward(loss_fn.backward())
    g = np.concatenate([p.grad.ravel() for p in model.parameters()]).astype(np.float64)
    model.zero_grad()
    return g


def gradient_noise(model: Module, loss_fn: Loss, X: Arrays, y: np.ndarray, batch_size: int, *,
                   n_batches: int = 100, rng: np.random.Generator | int | None = None) -> float:
    """Mean squared distance ‖g_B − g‖² between minibatch gradients g_B and the full gradient g.

    ``n_batches`` minibatches of ``batch_size`` distinct samples are drawn at random at the
    model's current parameters. For a mean loss over N samples the expected value is
    (σ² / B)·(N − B)/(N − 1), σ² the per-sample gradient variance: noise falls like 1/B
    and reaches 0 at the full batch.

    Returns
    -------
    float
    """
    X = as_tuple(X)
    n = num_samples(X + (np.asarray(y),), "gradient_noise")
    batch_size = check_positive_int(batch_size, "batch_size")
    n_batches = check_positive_int(n_batches, "n_batches")
    if batch_size > n:
        raise ValueError(f"batch_size ({batch_size}) must be at most the number of samples ({n})")
    gen = as_rng(rng)
    full = flat_gradient(model, loss_fn, X, y)
    total = 0.0
    for _ in range(n_batches):
        idx = gen.choice(n, size=batch_size, replace=False)
        g = flat_gradient(model, loss_fn, tuple(a[idx] for a in X), np.asarray(y)[idx])
        total += float(np.sum((g - full) ** 2))
    return total / n_batches
