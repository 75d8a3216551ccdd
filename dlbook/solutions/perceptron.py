"""Solutions to chapter 03's exercises (layers and the perceptron)."""
from __future__ import annotations

import numpy as np


def perceptron_update(w: np.ndarray, b: float, x: np.ndarray, y: int, lr: float = 1.0) -> tuple[np.ndarray, float]:
    """One step of Rosenblatt's rule for the sample (x, y); returns the new (w, b)."""
    y_hat = 1 if x @ w + b > 0 else 0  # the step: z = 0 counts as 0
    delta = y - y_hat  # 0 when right, +1 for a missed 1, -1 for a false 1
    return w + lr * delta * x, b + lr * delta


def xor_network() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Weights (W1, b1, W2, b2) of a step network that computes XOR: NAND and OR, then AND."""
    W1 = np.array([[-0.5, 0.5],   # column 0: NAND, column 1: OR
                   [-0.5, 0.5]])
    b1 = np.array([0.7, -0.2])
    W2 = np.array([[0.5],          # AND of the two hidden units
                   [0.5]])
    b2 = np.array([-0.7])
    return W1, b1, W2, b2


def local_mask(in_features: int, out_features: int, width: int) -> np.ndarray:
    """Bool mask (in_features, out_features): output j sees inputs j, ..., j + width − 1."""
    i = np.arange(in_features)[:, None]
    j = np.arange(out_features)[None, :]
    return (i >= j) & (i < j + width)


def masked_parameters(mask: np.ndarray, bias: bool = True) -> int:
    """How many numbers a MaskedLinear with this mask learns."""
    return int(mask.sum()) + (mask.shape[1] if bias else 0)
