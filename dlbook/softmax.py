"""Softmax, log-softmax and cross-entropy, written to be stable for logits of any size.

softmax(o)_j = exp(o_j) / Σ_k exp(o_k) overflows once some o_j passes about 709
(float64) or 88 (float32). Subtracting the row maximum first changes nothing
mathematically (softmax ignores a constant shift) and keeps every exp(·) ≤ 1.
"""
from __future__ import annotations

import numpy as np

from ._checks import as_float_array, as_int_array, check_axis
from .losses import Loss

__all__ = ["softmax", "log_softmax", "logsumexp", "cross_entropy", "CrossEntropyLoss"]


def logsumexp(x: np.ndarray, axis: int = -1, keepdims: bool = False) -> np.ndarray:
    """log Σ exp(x) along ``axis``, computed as m + log Σ exp(x − m) with m the maximum."""
    x = as_float_array(x)
    axis = check_axis(axis, x.ndim)
    m = np.max(x, axis=axis, keepdims=True)
    out = m + np.log(np.sum(np.exp(x - m), axis=axis, keepdims=True))
    return out if keepdims else np.squeeze(out, axis=axis)


def softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """exp(x) / Σ exp(x) along ``axis``: values in [0, 1] that sum to 1.

    Parameters
    ----------
    x : np.ndarray, floating, shape (..., C) for the default axis
    axis : int
        The axis that holds one vector of scores (NumPy's word; PyTorch says ``dim``).
    """
    x = as_float_array(x)
    axis = check_axis(axis, x.ndim)
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))  # every exponent ≤ 0, so e ≤ 1: no overflow
    return e / np.sum(e, axis=axis, keepdims=True)


def log_softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """log(softmax(x)) computed as x − logsumexp(x): finite where softmax underflows to 0."""
    x = as_float_array(x)
    axis = check_axis(axis, x.ndim)
    return x - logsumexp(x, axis=axis, keepdims=True)


def check_targets(logits: np.ndarray, targets: np.ndarray, ignore_index: int) -> np.ndarray:
    """Validate class-index targets against logits of shape (..., C); return the mask of counted ones."""
    if logits.ndim == 0:
        raise ValueError("logits must have at least one axis (the classes), got a scalar")
    if targets.shape != logits.shape[:-1]:
        raise ValueError(f"targets must have shape {logits.shape[:-1]} (logits' shape without the class axis), "
                         f"got {targets.shape}")
    valid = targets != ignore_index
    n_classes = logits.shape[-1]
    bad = valid & ((targets < 0) | (targets >= n_classes))
    if np.any(bad):
        raise ValueError(f"targets must be class indices in [0, {n_classes - 1}] (or ignore_index={ignore_index}), "
                         f"got {targets[bad].flat[0]}")
    if not np.any(valid):
        raise ValueError(f"every target equals ignore_index={ignore_index}: the mean loss is undefined")
    return valid


def cross_entropy(logits: np.ndarray, targets: np.ndarray, ignore_index: int = -100) -> float:
    """Mean of −log softmax(logits)[target] over the targets that are not ``ignore_index``.

    Parameters
    ----------
    logits : np.ndarray, shape (..., C)
        Unnormalised scores; the last axis holds the C classes.
    targets : np.ndarray of int, shape (...)
        Class indices in [0, C), or ``ignore_index`` for positions that do not count
        (padding in a batch of sentences).
    """
    return CrossEntropyLoss(ignore_index)(logits, targets)


class CrossEntropyLoss(Loss):
    """Softmax and negative log-likelihood in one step, as PyTorch's ``nn.CrossEntropyLoss``.

    The gradient with respect to the logits is (softmax(logits) − onehot(target)) / n,
    n the number of counted targets; ignored positions get a zero gradient.
    """

    def __init__(self, ignore_index: int = -100) -> None:
        super().__init__()
        if isinstance(ignore_index, bool) or not isinstance(ignore_index, (int, np.integer)):
            raise TypeError(f"ignore_index must be an int, got {type(ignore_index).__name__}")
        self.ignore_index = int(ignore_index)

    def forward(self, logits: np.ndarray, targets: np.ndarray) -> float:
        logits = as_float_array(logits, "logits")
        targets = as_int_array(targets, "targets")
        valid = check_targets(logits, targets, self.ignore_index)
        logp = log_softmax(logits, axis=-1).reshape(-1, logits.shape[-1])  # one row per prediction
        rows = np.arange(len(logp))
        safe = np.where(valid, targets, 0).reshape(-1)  # any index works where the mask drops the term
        n = int(valid.sum())
        self.cache = (logp, rows, safe, valid, n)
        return float(-np.sum(logp[rows, safe][valid.reshape(-1)]) / n)

    def backward(self) -> np.ndarray:
        logp, rows, safe, valid, n = self.saved()
        grad = np.exp(logp)                 # softmax(logits)
        grad[rows, safe] -= 1.0             # minus the one-hot target
        grad *= (valid.reshape(-1, 1) / n).astype(grad.dtype)
        return grad.reshape(valid.shape + grad.shape[-1:])

    def __repr__(self) -> str:
        return f"CrossEntropyLoss(ignore_index={self.ignore_index})"
