"""Solutions to chapter 04's exercises (feed-forward networks and backpropagation)."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np


def sigmoid_layer_backward(x: np.ndarray, W: np.ndarray, b: np.ndarray,
                           dy: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(dx, dW, db) for y = sigmoid(x @ W + b), given dy = dL/dy; x (n, in), W (in, out)."""
    y = 1.0 / (1.0 + np.exp(-(x @ W + b)))
    dz = dy * y * (1.0 - y)  # chain rule through the sigmoid: sigma'(z) = y (1 - y)
    return dz @ W.T, x.T @ dz, dz.sum(axis=0)  # db: every sample adds its share


def recurrent_states(xs: np.ndarray, W_xh: np.ndarray, W_hh: np.ndarray, b: np.ndarray,
                     h0: np.ndarray) -> np.ndarray:
    """Every state h_t = tanh(x_t W_xh + h_{t-1} W_hh + b) for t = 1..T, stacked to (T, hidden)."""
    h = h0
    states = []
    for x in xs:  # a loop over time: step t needs the state of step t - 1
        h = np.tanh(x @ W_xh + h @ W_hh + b)
        states.append(h)
    return np.stack(states)


def numeric_gradient(f: Callable[[np.ndarray], float], w: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """Central differences (f(w + eps e_i) - f(w - eps e_i)) / 2 eps for every entry i of w."""
    grad = np.zeros_like(w)
    for i in np.ndindex(w.shape):
        old = w[i]
        w[i] = old + eps
        up = f(w)
        w[i] = old - eps
        down = f(w)
        w[i] = old  # put it back before nudging the next entry
        grad[i] = (up - down) / (2 * eps)
    return grad


def train_step(model, loss_fn, optimizer, x: np.ndarray, y: np.ndarray) -> float:
    """One step: clear the gradients, forward, loss, backward, update; return the loss."""
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)
    model.backward(loss_fn.backward())
    optimizer.step()
    return loss
