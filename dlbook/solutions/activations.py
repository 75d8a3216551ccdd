"""Solutions to chapter 02's exercises (activation functions)."""
from __future__ import annotations

import numpy as np


def stable_sigmoid(x: np.ndarray) -> np.ndarray:
    """1 / (1 + e^(-x)) without overflow: only ever exponentiate -|x| (which is <= 0)."""
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_derivative(x: np.ndarray) -> np.ndarray:
    """σ'(x) = σ(x)(1 − σ(x)): the slope is largest (1/4) at 0 and vanishes in both tails."""
    s = stable_sigmoid(x)
    return s * (1.0 - s)


def relu_backward(x: np.ndarray, dy: np.ndarray) -> np.ndarray:
    """dL/dx of y = max(0, x): pass dy where x > 0, block it elsewhere (0 at x = 0, as PyTorch)."""
    return dy * (x > 0)


def collapse_linear(W1: np.ndarray, b1: np.ndarray, W2: np.ndarray, b2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The single layer equal to Linear(W1, b1) then Linear(W2, b2) with no activation between:
    (xW1 + b1)W2 + b2 = x(W1W2) + (b1W2 + b2)."""
    return W1 @ W2, b1 @ W2 + b2
