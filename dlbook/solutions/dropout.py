"""Solutions of chapter 05's exercises (dropout). Each is checked by ``dlbook.exercises.dropout``."""
from __future__ import annotations

import numpy as np

__all__ = ["dropout_forward", "dropout_backward", "dropped_count_stats", "exact_average_output"]


def dropout_forward(x: np.ndarray, keep_mask: np.ndarray, p: float) -> np.ndarray:
    """Inverted dropout with a given mask: kept numbers divided by the keep probability 1 − p, dropped ones 0.

    x and keep_mask (bool, True = kept) have the same shape; so has the result.
    """
    return np.where(keep_mask, x / (1 - p), 0.0)


def dropout_backward(dy: np.ndarray, keep_mask: np.ndarray, p: float) -> np.ndarray:
    """The gradient through inverted dropout: the same mask and the same 1/(1 − p) scale as the forward."""
    return np.where(keep_mask, dy / (1 - p), 0.0)


def dropped_count_stats(n_units: int, p: float) -> tuple[float, float]:
    """Mean and standard deviation of the number of dropped units: a Binomial(n, p) count."""
    mean = n_units * p
    std = np.sqrt(n_units * p * (1 - p))
    return float(mean), float(std)


def exact_average_output(x: np.ndarray, weight: np.ndarray, p: float) -> np.ndarray:
    """E[relu(dropout(x) @ weight)] over every keep-mask of x's units, each weighted by its probability.

    x has shape (n,) with n small (2^n masks), weight (n, out); the result has shape (out,).
    """
    n = x.shape[0]
    masks = (np.arange(2**n)[:, None] >> np.arange(n)) & 1          # (2^n, n), 1 = kept
    kept = masks.sum(axis=1)
    prob = (1 - p) ** kept * p ** (n - kept)                         # probability of each mask
    outputs = np.maximum((masks * x / (1 - p)) @ weight, 0.0)        # one thinned network per row
    return prob @ outputs
