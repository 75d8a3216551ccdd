"""Minibatches, epochs and steps, and the training loop the chapters share.

Vocabulary (chapter 09):
- a *step* is one parameter update: one minibatch forward, backward and ``optimizer.step()``;
- an *epoch* is one pass in which every training sample is used exactly once
  (with ``drop_last`` the remainder that does not fill a batch is skipped that epoch);
- so steps per epoch = ceil(N / batch_size), or floor(N / batch_size) with ``drop_last``.
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._checks import as_int_array, check_positive_int
from .losses import Loss
from .module import Module
from .optim import Optimizer
from .rng import as_rng

__all__ = ["steps_per_epoch", "total_steps", "batch_indices", "DataLoader", "History", "fit", "evaluate",
           "accuracy"]

Arrays = np.ndarray | tuple[np.ndarray, ...]


def steps_per_epoch(n: int, batch_size: int, drop_last: bool = False) -> int:
    """How many minibatches (steps) one epoch over ``n`` samples makes."""
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
    """
    count = steps_per_epoch(n, batch_size, drop_last)
    order = as_rng(rng).permutation(n) if shuffle else np.arange(n)
    return [order[i * batch_size:(i + 1) * batch_size] for i in range(count)]


def _as_tuple(x: Arrays) -> tuple[np.ndarray, ...]:
    return tuple(x) if isinstance(x, tuple) else (x,)


def _length(arrays: Sequence[np.ndarray], what: str) -> int:
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
        self.X = _as_tuple(X)
        self.y = np.asarray(y)
        self.n = _length(self.X + (self.y,), "DataLoader")
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
            yield (xb if len(xb) > 1 else xb[0]), self.y[idx]


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
    was_training = model.training
    model.eval()
    try:
        out = model(*_as_tuple(X))
        loss = loss_fn(out, y)
        ignore = getattr(loss_fn, "ignore_index", None)
        acc = accuracy(out, y, ignore) if _is_classification(np.asarray(y)) else None
    finally:
        model.train(was_training)
    return loss, acc


@dataclass
class History:
    """What happened during :func:`fit`, one entry per step and one per epoch.

    Attributes
    ----------
    step_loss, step_accuracy : list of float
        The training minibatch's loss (and accuracy) at each step, before the update.
    train_loss, train_accuracy : list of float
        Per epoch: the mean of that epoch's step values (or, with ``eval_train=True``,
        the whole training set evaluated in eval mode after the epoch).
    val_loss, val_accuracy : list of float
        Per epoch, on the validation set in eval mode (empty without one).
    steps_per_epoch : int
    """

    step_loss: list[float] = field(default_factory=list)
    step_accuracy: list[float] = field(default_factory=list)
    train_loss: list[float] = field(default_factory=list)
    train_accuracy: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    steps_per_epoch: int = 0

    @property
    def steps(self) -> int:
        return len(self.step_loss)

    @property
    def epochs(self) -> int:
        return len(self.train_loss)

    def summary(self) -> str:
        """A one-line summary with rounded numbers (stable text for a stored notebook)."""
        parts = [f"{self.epochs} epochs, {self.steps} steps"]
        if self.train_loss:
            parts.append(f"train loss {self.train_loss[-1]:.3f}")
        if self.train_accuracy:
            parts.append(f"train accuracy {100 * self.train_accuracy[-1]:.1f} %")
        if self.val_loss:
            parts.append(f"val loss {self.val_loss[-1]:.3f}")
        if self.val_accuracy:
            parts.append(f"val accuracy {100 * self.val_accuracy[-1]:.1f} %")
        return ", ".join(parts)

    def __repr__(self) -> str:
        return f"History({self.summary()})"


def fit(model: Module, loss_fn: Loss, optimizer: Optimizer, train_data: tuple[Arrays, np.ndarray],
        epochs: int, batch_size: int, *, val_data: tuple[Arrays, np.ndarray] | None = None,
        shuffle: bool = True, drop_last: bool = False, eval_train: bool = False,
        rng: np.random.Generator | int | None = None,
        callback: Callable[[History], Any] | None = None) -> History:
    """Train ``model`` with minibatches and return its :class:`History`.

    Each step: zero the gradients, forward a minibatch, compute the loss, backward,
    ``optimizer.step()``. After each epoch the validation set (if any) is evaluated in
    eval mode and ``callback(history)`` is called (e.g. a live plot).

    Parameters
    ----------
    model : Module
        ``model(*inputs)`` returns predictions; ``model.backward(dpred)``.
    loss_fn : Loss
    optimizer : Optimizer
        Built on ``model.parameters()``.
    train_data, val_data : (X, y)
        X an array (N, ...) or a tuple of arrays for a model with several inputs.
    epochs, batch_size : int
    shuffle, drop_last : bool
    eval_train : bool
        Also evaluate the whole training set in eval mode after each epoch (what a
        dropout or batch-norm comparison needs); otherwise the epoch's step values are averaged.
    rng : Generator or int
        Shuffles the minibatches.
    callback : callable, optional
        Called with the history after every epoch.
    """
    if not isinstance(model, Module):
        raise TypeError(f"model must be a Module, got {type(model).__name__}")
    if not isinstance(loss_fn, Loss):
        raise TypeError(f"loss_fn must be a Loss (e.g. CrossEntropyLoss()), got {type(loss_fn).__name__}")
    if not isinstance(optimizer, Optimizer):
        raise TypeError(f"optimizer must be an Optimizer (e.g. SGD or Adam), got {type(optimizer).__name__}")
    epochs = check_positive_int(epochs, "epochs")
    X, y = train_data
    loader = DataLoader(X, y, batch_size, shuffle=shuffle, drop_last=drop_last, rng=rng)
    classify = _is_classification(loader.y)
    ignore = getattr(loss_fn, "ignore_index", None)
    history = History(steps_per_epoch=len(loader))
    model.train()
    for _ in range(epochs):
        first = history.steps
        for xb, yb in loader:
            optimizer.zero_grad()
            out = model(*_as_tuple(xb))
            history.step_loss.append(loss_fn(out, yb))
            if classify:
                history.step_accuracy.append(accuracy(out, yb, ignore))
            model.backward(loss_fn.backward())
            optimizer.step()
        if eval_train:
            loss, acc = evaluate(model, loss_fn, X, y)
            history.train_loss.append(loss)
            if acc is not None:
                history.train_accuracy.append(acc)
        else:
            history.train_loss.append(float(np.mean(history.step_loss[first:])))
            if classify:
                history.train_accuracy.append(float(np.mean(history.step_accuracy[first:])))
        if val_data is not None:
            loss, acc = evaluate(model, loss_fn, *val_data)
            history.val_loss.append(loss)
            if acc is not None:
                history.val_accuracy.append(acc)
        if callback is not None:
            callback(history)
    return history
