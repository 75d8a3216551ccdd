"""Solutions of chapter 08's exercises (softmax). Each one is shown folded in the chapter."""
from __future__ import annotations

import numpy as np

from ..softmax import softmax as stable_softmax


def softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """exp(x) / Σ exp(x) along ``axis``, without overflow.

    Subtracting the maximum changes nothing (softmax ignores a shift) but makes every
    exponent ≤ 0, so exp never overflows, and the largest term is exp(0) = 1, so the
    sum is ≥ 1 and never 0.
    """
    shifted = x - np.max(x, axis=axis, keepdims=True)   # keepdims: each row keeps its own max
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


def logsumexp(x: np.ndarray) -> np.ndarray:
    """log Σ exp(x) along the last axis, shape x.shape[:-1]: m + log Σ exp(x − m), m the maximum."""
    m = np.max(x, axis=-1, keepdims=True)
    return (m + np.log(np.sum(np.exp(x - m), axis=-1, keepdims=True)))[..., 0]


def cross_entropy_grad(logits: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Gradient of the mean cross-entropy over n samples: (softmax(logits) − onehot(targets)) / n.

    logits: (n, C); targets: (n,) class indices; returns (n, C).
    """
    n = logits.shape[0]
    grad = stable_softmax(logits, axis=-1)       # dl.softmax: p, a new array we may change
    grad[np.arange(n), targets] -= 1.0           # p − y: subtract 1 at each sample's target class
    return grad / n                              # the loss is a mean over the batch


def softmax_with_temperature(x: np.ndarray, temperature: float) -> np.ndarray:
    """softmax(x / T) along the last axis: T < 1 sharpens, T > 1 flattens."""
    return stable_softmax(x / temperature, axis=-1)   # dl.softmax subtracts the maximum: no overflow for a small T
