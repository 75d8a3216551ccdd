"""Solutions to chapter 01's exercises (the structure of a deep network)."""
from __future__ import annotations

import numpy as np


def linear_forward(x: np.ndarray, W: np.ndarray, b: np.ndarray) -> np.ndarray:
    """o = xW + b for x of shape (n, in), W of shape (in, out), b of shape (out,)."""
    return x @ W + b


def mlp_forward(x: np.ndarray, W1: np.ndarray, b1: np.ndarray, W2: np.ndarray, b2: np.ndarray) -> np.ndarray:
    """Class probabilities of a one-hidden-layer network: softmax(ReLU(xW1 + b1) W2 + b2)."""
    h = np.maximum(x @ W1 + b1, 0.0)  # the hidden layer feeds h forward, not probabilities
    o = h @ W2 + b2
    e = np.exp(o - o.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def accuracy(logits: np.ndarray, targets: np.ndarray) -> float:
    """Share of rows whose largest score is at the target class."""
    return float(np.mean(np.argmax(logits, axis=1) == targets))
