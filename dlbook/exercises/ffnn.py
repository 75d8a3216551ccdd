"""Checks for chapter 04's exercises: a layer's backward, a recurrent loop, finite differences, a training step."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..activations import Sigmoid, Tanh
from ..gradcheck import numeric_gradient
from ..layers import Linear
from ..module import Sequential
from ..optim import SGD
from ..softmax import CrossEntropyLoss
from ..solutions.ffnn import recurrent_states
from ..training import fit
from .checking import Case, Feedback, check_function, not_a_function

__all__ = ["check_sigmoid_layer_backward", "check_recurrent_states", "check_numeric_gradient", "check_train_step"]

_rng = np.random.default_rng(404)


# --- 1. The chain rule through one layer ------------------------------------------------------------
def _reference_sigmoid_backward(x: np.ndarray, W: np.ndarray, b: np.ndarray,
                                dy: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    layer = Linear(W.shape[0], W.shape[1], rng=0, dtype=np.float64)
    layer.weight.data[:] = W
    layer.bias.data[:] = b
    sigmoid = Sigmoid()
    sigmoid(layer(x))
    dx = layer.backward(sigmoid.backward(dy))
    return dx, layer.weight.grad.copy(), layer.bias.grad.copy()


def check_sigmoid_layer_backward(fn: Callable[..., Any]) -> Feedback:
    """``fn(x, W, b, dy)`` must return (dx, dW, db) for y = sigmoid(x @ W + b)."""
    W, b = _rng.standard_normal((3, 2)), _rng.standard_normal(2)
    x1, xb = _rng.standard_normal((1, 3)), _rng.standard_normal((4, 3))
    cases = [
        Case("one sample, dy = 1", (x1, W, b, np.ones((1, 2))),
             hint="Chain rule: first dz = dy · σ'(z), with σ'(z) = y(1 − y); then dx = dz Wᵀ, dW = xᵀ dz, db = dz."),
        Case("one sample, other dy", (x1, W, b, np.array([[2.0, -0.5]])),
             hint="Multiply by the incoming gradient dy: backward passes dL/dy along, it does not start from 1."),
        Case("a batch of 4 samples", (xb, W, b, _rng.standard_normal((4, 2))),
             hint="Every sample adds its share: dW = xᵀ dz sums over the batch, and db = dz summed over axis 0 "
                  "(a sum, not a mean: the loss already averaged)."),
    ]
    return check_function("sigmoid_layer_backward", fn, _reference_sigmoid_backward, cases)


# --- 2. A recurrent step, repeated ---------------------------------------------------------------------
def check_recurrent_states(fn: Callable[..., Any]) -> Feedback:
    """``fn(xs, W_xh, W_hh, b, h0)`` must return every state h_t = tanh(x_t W_xh + h_{t−1} W_hh + b), (T, hidden)."""
    W_xh, W_hh, b = _rng.standard_normal((2, 3)), _rng.standard_normal((3, 3)), _rng.standard_normal(3)
    xs = _rng.standard_normal((3, 2))
    zero = np.zeros(3)
    cases = [
        Case("one step from h0 = 0", (xs[:1], W_xh, W_hh, b, zero),
             hint="h_1 = tanh(x_1 W_xh + h_0 W_hh + b); return every state stacked, shape (T, hidden) = (1, 3)."),
        Case("three steps", (xs, W_xh, W_hh, b, zero),
             hint="Feed each new state back: step t uses h_{t−1}, the state just computed, not h0 every time."),
        Case("a nonzero starting state", (xs, W_xh, W_hh, b, np.array([0.5, -1.0, 2.0])),
             hint="Start from the h0 you are given, not from zeros."),
    ]
    return check_function("recurrent_states", fn, recurrent_states, cases)


# --- 3. Finite differences ---------------------------------------------------------------------------------
def _reference_numeric_gradient(f: Callable[[np.ndarray], float], w: np.ndarray, eps: float) -> np.ndarray:
    return numeric_gradient(f, w, eps)


def check_numeric_gradient(fn: Callable[..., Any]) -> Feedback:
    """``fn(f, w, eps)`` must return the central-difference gradient of the scalar function f at w."""
    cases = [
        Case("f(w) = sum(w²) at w = (1, −2, 3)", (lambda w: float(np.sum(w**2)), np.array([1.0, -2.0, 3.0]), 1e-4),
             hint="Use the central difference (f(w + ε) − f(w − ε)) / 2ε: it is exact for a quadratic. "
                  "The one-sided (f(w + ε) − f(w)) / ε is off by about ε, and dividing by ε instead of 2ε doubles it."),
        Case("a matrix w of shape (2, 3)", (lambda w: float(np.sum(np.sin(w))), _rng.standard_normal((2, 3)), 1e-4),
             hint="Nudge every entry, whatever w's shape (np.ndindex(w.shape) visits them all); "
                  "return an array of w's shape."),
        Case("f(w) = w₀·w₁·w₂, where the entries interact", (lambda w: float(np.prod(w)), np.array([1.5, -2.0, 0.5]),
                                                            1e-4),
             hint="Put each entry back after nudging it: the next entry's slope must be measured at the original w."),
    ]
    return check_function("numeric_gradient", fn, _reference_numeric_gradient, cases)


# --- 4. One training step ---------------------------------------------------------------------------------
_X_STEP = _rng.standard_normal((16, 3))
_Y_STEP = _rng.integers(0, 3, 16)


def _fresh_setup() -> tuple[Sequential, CrossEntropyLoss, SGD]:
    model = Sequential(Linear(3, 4, rng=1, dtype=np.float64), Tanh(), Linear(4, 3, rng=2, dtype=np.float64))
    return model, CrossEntropyLoss(), SGD(model.parameters(), lr=0.5)


def _flat_parameters(model: Sequential) -> np.ndarray:
    return np.concatenate([p.data.ravel() for p in model.parameters()])


def _learner_steps(fn: Callable[..., Any], steps: int) -> tuple[np.ndarray, np.ndarray]:
    model, loss_fn, optimizer = _fresh_setup()
    losses = [float(fn(model, loss_fn, optimizer, _X_STEP, _Y_STEP)) for _ in range(steps)]
    return np.array(losses), _flat_parameters(model)


def _reference_steps(steps: int) -> tuple[np.ndarray, np.ndarray]:
    # dl.fit with one full batch and no shuffling takes exactly these steps.
    model, loss_fn, optimizer = _fresh_setup()
    history = fit(model, loss_fn, optimizer, (_X_STEP, _Y_STEP), epochs=steps, batch_size=len(_Y_STEP),
                  shuffle=False)
    return np.array(history.step_loss), _flat_parameters(model)


def check_train_step(fn: Callable[..., Any]) -> Feedback:
    """``fn(model, loss_fn, optimizer, x, y)`` must take one training step and return the loss before the update.

    The check runs it 1 and 3 times on a fresh small network and compares the losses
    (item 0) and the parameters afterwards (item 1) with ``dl.fit``'s steps.
    """
    if not callable(fn):  # the check wraps fn, so check_function cannot see it
        return not_a_function("train_step", fn)
    cases = [
        Case("one step", (1,),
             hint="In this order: optimizer.zero_grad(); out = model(x); loss = loss_fn(out, y); "
                  "model.backward(loss_fn.backward()); optimizer.step(); return loss."),
        Case("three steps in a row", (3,),
             hint="backward adds into .grad, so gradients pile up across steps unless you clear them: "
                  "call optimizer.zero_grad() at the start of every step."),
    ]
    return check_function("train_step", lambda steps: _learner_steps(fn, steps), _reference_steps, cases)
