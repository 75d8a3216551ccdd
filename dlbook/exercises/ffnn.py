"""Checks for chapter 04's exercises: a layer's backward, a recurrent loop, finite differences, a training step."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..activations import Sigmoid, Tanh
from ..gradcheck import numeric_gradient
from ..i18n import gettext as _
from ..layers import Linear
from ..module import Sequential
from ..optim import SGD
from ..rng import as_rng
from ..softmax import CrossEntropyLoss
from ..training import fit
from .checking import Case, Feedback, Mistake, check_function, not_a_function

__all__ = ["check_sigmoid_layer_backward", "check_recurrent_states", "check_numeric_gradient", "check_train_step"]

_rng = as_rng(404)


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


def _sigmoid_backward_variant(x, W, b, dy, *, slope=lambda y: y * (1 - y), slope_at="y", use_dy=True, db=np.sum,
                              dx=lambda dz, W: dz @ W.T):
    """The backward pass written out, with one knob per typical mistake (slope_at="z": the slope's
    formula applied to the sigmoid's input z instead of its output y)."""
    z = x @ W + b
    y = 1.0 / (1.0 + np.exp(-z))
    dz = (dy if use_dy else 1.0) * slope(z if slope_at == "z" else y)
    return dx(dz, W), x.T @ dz, db(dz, axis=0)


def check_sigmoid_layer_backward(fn: Callable[..., Any]) -> Feedback:
    """``fn(x, W, b, dy)`` must return (dx, dW, db) for y = sigmoid(x @ W + b)."""
    W, b = _rng.standard_normal((3, 2)), _rng.standard_normal(2)
    x1, xb = _rng.standard_normal((1, 3)), _rng.standard_normal((4, 3))
    cases = [
        Case(_("one sample, dy = 1"), (x1, W, b, np.ones((1, 2))),
             hint=_("Chain rule: first dz = dy · σ'(z), with σ'(z) = y(1 − y); then dx = dz Wᵀ, dW = xᵀ dz, "
                    "and db = dz summed over the samples (axis 0), shape (out,).")),
        Case(_("one sample, other dy"), (x1, W, b, np.array([[2.0, -0.5]])),
             hint=_("Multiply by the incoming gradient dy: backward passes dL/dy along, it does not start from 1.")),
        Case(_("a batch of 4 samples"), (xb, W, b, _rng.standard_normal((4, 2))),
             hint=_("Every sample adds its share: dW = xᵀ dz sums over the batch, and db = dz summed over axis 0.")),
    ]
    mistakes = [
        Mistake(_("you left out the sigmoid's slope: the gradient reaching z = xW + b is dz = dy · σ'(z), "
                  "with σ'(z) = y(1 − y)"), lambda *a: _sigmoid_backward_variant(*a, slope=lambda y: 1.0)),
        Mistake(_("you used σ'(z) = y for the sigmoid's slope; it is y(1 − y)"),
                lambda *a: _sigmoid_backward_variant(*a, slope=lambda y: y)),
        Mistake(_("you computed the slope as z(1 − z) from the sigmoid's input z: σ'(z) = y(1 − y) uses its "
                  "output y = σ(z)"), lambda *a: _sigmoid_backward_variant(*a, slope_at="z")),
        Mistake(_("you did not multiply by the incoming gradient dy: dz = dy · y(1 − y); backward passes dL/dy "
                  "along, it does not start from 1"), lambda *a: _sigmoid_backward_variant(*a, use_dy=False)),
        Mistake(_("you averaged db over the batch: db is dz summed over axis 0 (a sum, not a mean: the loss already "
                  "averaged, and every sample adds its share, as in dW = xᵀ dz)"),
                lambda *a: _sigmoid_backward_variant(*a, db=np.mean)),
        Mistake(_("you wrote dx = dz W: dz has shape (n, out) and W (in, out), so dx = dz Wᵀ"),
                lambda *a: _sigmoid_backward_variant(*a, dx=lambda dz, W: dz @ W)),
    ]
    return check_function("sigmoid_layer_backward", fn, _reference_sigmoid_backward, cases, mistakes=mistakes,
                          parts=("dx", "dW", "db"))


# --- 2. A recurrent step, repeated ---------------------------------------------------------------------
def _reference_states(xs: np.ndarray, W_xh: np.ndarray, W_hh: np.ndarray, b: np.ndarray,
                      h0: np.ndarray) -> np.ndarray:
    """Every state, from dlbook's Linear and Tanh modules (the chapter's building blocks)."""
    from_input = Linear(W_xh.shape[0], W_xh.shape[1], rng=0, dtype=np.float64)
    from_state = Linear(W_hh.shape[0], W_hh.shape[1], bias=False, rng=0, dtype=np.float64)
    from_input.weight.data[:], from_input.bias.data[:], from_state.weight.data[:] = W_xh, b, W_hh
    tanh = Tanh()
    states = [h0[None, :]]
    for t in range(xs.shape[0]):
        states.append(tanh(from_input(xs[t:t + 1]) + from_state(states[-1])))
    return np.concatenate(states[1:])


def _states_variant(xs, W_xh, W_hh, b, h0, *, feedback=True, transpose=False, bias=True, store_first=False):
    """The loop written out, with one knob per typical mistake (store_first: append h before updating it)."""
    h, states = h0, []
    for x in xs:
        if store_first:
            states.append(h)
        prev = h if feedback else h0
        h = np.tanh(x @ W_xh + prev @ (W_hh.T if transpose else W_hh) + (b if bias else 0.0))
        if not store_first:
            states.append(h)
    return np.stack(states)


def check_recurrent_states(fn: Callable[..., Any]) -> Feedback:
    """``fn(xs, W_xh, W_hh, b, h0)`` must return every state h_t = tanh(x_t W_xh + h_{t−1} W_hh + b), (T, hidden)."""
    W_xh, W_hh, b = _rng.standard_normal((2, 3)), _rng.standard_normal((3, 3)), _rng.standard_normal(3)
    xs = _rng.standard_normal((3, 2))
    zero = np.zeros(3)
    cases = [
        Case(_("one step from h0 = 0"), (xs[:1], W_xh, W_hh, b, zero),
             hint=_("h_1 = tanh(x_1 W_xh + h_0 W_hh + b); return every state stacked, shape (T, hidden) = (1, 3).")),
        Case(_("three steps"), (xs, W_xh, W_hh, b, zero),
             hint=_("h_t = tanh(x_t W_xh + h_{t−1} W_hh + b), where h_{t−1} is the state just computed, a row "
                    "vector multiplied by W_hh as x_t is by W_xh.")),
        Case(_("a nonzero starting state"), (xs, W_xh, W_hh, b, np.array([0.5, -1.0, 2.0])),
             hint=_("Start from the h0 you are given.")),
    ]
    mistakes = [
        Mistake(_("you multiplied the state by W_hh transposed (h @ W_hh.T, or W_hh @ h): as for the input, "
                  "the state is a row vector on the left, h_{t−1} W_hh"), lambda *a: _states_variant(*a, transpose=True)),
        Mistake(_("every step used h0: feed each new state back, so step t uses h_{t−1}, the state just computed"),
                lambda *a: _states_variant(*a, feedback=False)),
        Mistake(_("you started from zeros, not from the h0 you were given"),
                lambda xs, W_xh, W_hh, b, h0: _states_variant(xs, W_xh, W_hh, b, np.zeros_like(h0))),
        Mistake(_("you left out the bias b: h_t = tanh(x_t W_xh + h_{t−1} W_hh + b)"),
                lambda *a: _states_variant(*a, bias=False)),
        Mistake(_("you returned only the last state; return every state stacked, shape (T, hidden)"),
                lambda *a: _states_variant(*a)[-1]),
        Mistake(_("you included h0 among the states; return h_1, ..., h_T, shape (T, hidden)"),
                lambda *a: np.vstack([a[4], _states_variant(*a)])),
        Mistake(_("you stored each state before computing the next one, so you returned h_0, ..., h_{T−1}: "
                  "append h after the update, to return h_1, ..., h_T"),
                lambda *a: _states_variant(*a, store_first=True)),
    ]
    return check_function("recurrent_states", fn, _reference_states, cases, mistakes=mistakes)


# --- 3. Finite differences ---------------------------------------------------------------------------------
def _reference_numeric_gradient(f: Callable[[np.ndarray], float], w: np.ndarray, eps: float) -> np.ndarray:
    return numeric_gradient(f, w, eps)


def _differences(f, w, eps, *, kind="central", restore=True, by_rows=False, all_at_once=False):
    """Finite differences written out, with one knob per typical mistake (all_at_once: f(w ± eps),
    every entry nudged together)."""
    grad = np.zeros_like(w)
    base = f(w)
    for i in (range(len(w)) if by_rows else np.ndindex(w.shape)):
        old = np.copy(w[i])
        if all_at_once:
            up, down = f(w + eps), f(w - eps)
        else:
            w[i] = old + eps
            up = f(w)
            w[i] = old - eps
            down = f(w)
            if restore:
                w[i] = old
        grad[i] = {"central": (up - down) / (2 * eps), "one-sided": (up - base) / eps,
                   "over eps": (up - down) / eps, "times eps": (up - down) / 2 * eps}[kind]
    return grad


def check_numeric_gradient(fn: Callable[..., Any]) -> Feedback:
    """``fn(f, w, eps)`` must return the central-difference gradient of the scalar function f at w, leaving w as it was."""
    cases = [
        Case(_("f(w) = sum(w²) at w = (1, −2, 3)"), (lambda w: float(np.sum(w**2)), np.array([1.0, -2.0, 3.0]), 1e-4),
             hint=_("Use the central difference (f(w + ε) − f(w − ε)) / 2ε: it is exact for a quadratic.")),
        Case(_("a matrix w of shape (2, 3)"), (lambda w: float(np.sum(np.sin(w))), _rng.standard_normal((2, 3)), 1e-4),
             hint=_("Nudge every entry, whatever w's shape (np.ndindex(w.shape) visits them all); "
                    "return an array of w's shape.")),
        Case(_("f(w) = w₀·w₁·w₂, where the entries interact"), (lambda w: float(np.prod(w)), np.array([1.5, -2.0, 0.5]),
                                                            1e-4),
             hint=_("Put each entry back after nudging it: the next entry's slope must be measured at the original w.")),
    ]
    mistakes = [
        Mistake(_("you nudged entries and never put them back: save old = w[i], and after the two evaluations set "
                  "w[i] = old, so every slope is measured at the w you were given and w is left as you found it"),
                lambda *a: _differences(*a, restore=False)),
        Mistake(_("you used the one-sided difference (f(w + ε) − f(w)) / ε: it is off by about ε; the central "
                  "difference (f(w + ε) − f(w − ε)) / 2ε is exact for a quadratic"),
                lambda *a: _differences(*a, kind="one-sided")),
        Mistake(_("you divided the central difference by ε instead of 2ε: the two points are 2ε apart"),
                lambda *a: _differences(*a, kind="over eps")),
        Mistake(_("you wrote (up − down) / 2 * eps, which Python reads as ((up − down) / 2) · eps: "
                  "write (up − down) / (2 * eps)"), lambda *a: _differences(*a, kind="times eps")),
        Mistake(_("you nudged every entry at once (w + eps adds ε to all of them): change one entry w[i] at a "
                  "time, so each slope belongs to that entry alone"), lambda *a: _differences(*a, all_at_once=True)),
        Mistake(_("you nudged whole rows (for i in range(len(w))): nudge every entry, whatever w's shape "
                  "(for i in np.ndindex(w.shape))"), lambda *a: _differences(*a, by_rows=True)),
    ]
    return check_function("numeric_gradient", fn, _reference_numeric_gradient, cases, mistakes=mistakes)


# --- 4. One training step ---------------------------------------------------------------------------------
_X_STEP = _rng.standard_normal((16, 3))
_Y_STEP = _rng.integers(0, 3, 16)


def _fresh_setup() -> tuple[Sequential, CrossEntropyLoss, SGD]:
    model = Sequential(Linear(3, 4, rng=1, dtype=np.float64), Tanh(), Linear(4, 3, rng=2, dtype=np.float64))
    return model, CrossEntropyLoss(), SGD(model.parameters(), lr=0.5)


def _flat_parameters(model: Sequential) -> np.ndarray:
    return np.concatenate([p.data.ravel() for p in model.parameters()])


def _steps_taken_by(fn: Callable[..., Any]) -> Callable[[int], tuple[list, np.ndarray]]:
    """``steps`` calls of ``fn`` on a fresh network: (what each call returned, the parameters afterwards)."""
    def run(steps: int) -> tuple[list, np.ndarray]:
        model, loss_fn, optimizer = _fresh_setup()
        returned = [fn(model, loss_fn, optimizer, _X_STEP.copy(), _Y_STEP.copy()) for _step in range(steps)]
        return returned, _flat_parameters(model)
    return run


def _reference_steps(steps: int) -> tuple[np.ndarray, np.ndarray]:
    # dl.fit with one full batch and no shuffling takes exactly these steps.
    model, loss_fn, optimizer = _fresh_setup()
    history = fit(model, loss_fn, optimizer, (_X_STEP, _Y_STEP), epochs=steps, batch_size=len(_Y_STEP),
                  shuffle=False)
    return np.array(history.step_loss), _flat_parameters(model)


def _step_variant(model, loss_fn, optimizer, x, y, *, order="zfbs", give_back=True):
    """One step in the given order (z: zero_grad, f: forward and loss, b: backward, s: optimizer step;
    a letter left out is a call left out; a second f recomputes the loss)."""
    loss = None
    for action in order:
        if action == "z":
            optimizer.zero_grad()
        elif action == "f":
            loss = loss_fn(model(x), y)
        elif action == "b":
            model.backward(loss_fn.backward())
        else:
            optimizer.step()
    return loss if give_back else None


def check_train_step(fn: Callable[..., Any]) -> Feedback:
    """``fn(model, loss_fn, optimizer, x, y)`` must take one training step and return the loss before the update.

    The check runs it 1 and 3 times on a fresh small network and compares the losses
    it returned and the parameters afterwards with ``dl.fit``'s steps.
    """
    if not callable(fn):  # the check wraps fn, so check_function cannot see it
        return not_a_function("train_step", fn)
    cases = [
        Case(_("one step"), (1,),
             hint=_("In this order: optimizer.zero_grad(); out = model(x); loss = loss_fn(out, y); "
                    "model.backward(loss_fn.backward()); optimizer.step(); return loss.")),
        Case(_("three steps in a row"), (3,),
             hint=_("backward adds into .grad, so gradients pile up across steps unless you clear them: "
                    "call optimizer.zero_grad() at the start of every step.")),
    ]
    mistakes = [
        Mistake(_("you never cleared the gradients: backward adds into .grad, so they pile up across steps; "
                  "call optimizer.zero_grad() at the start of every step"), _steps_taken_by(
                    lambda *a: _step_variant(*a, order="fbs"))),
        Mistake(_("the parameters never moved: a step needs model.backward(loss_fn.backward()) to fill the "
                  "gradients and then optimizer.step() to use them; check that you call both, in that order, "
                  "with optimizer.zero_grad() at the start of the step, not between the two"),
                _steps_taken_by(lambda *a: _step_variant(*a, order="zfsb"))),
        Mistake(_("you returned the loss computed after optimizer.step(): return the loss of the forward pass "
                  "whose gradients the step used, computed before the update"),
                _steps_taken_by(lambda *a: _step_variant(*a, order="zfbsf"))),
        Mistake(_("your function returns nothing: end with `return loss`"),
                _steps_taken_by(lambda *a: _step_variant(*a, give_back=False))),
    ]
    return check_function("train_step", _steps_taken_by(fn), _reference_steps, cases, mistakes=mistakes,
                          parts=(_("the losses your function returned"), _("the parameters after the steps")))
