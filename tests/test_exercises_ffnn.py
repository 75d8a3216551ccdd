"""Chapter 04's checks name the mistake of each plausible wrong answer."""
from __future__ import annotations


import numpy as np
import pytest

from dlbook.exercises import ffnn as ex


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _backward(x, W, b, dy, *, slope=True, use_dy=True, db_mean=False, dx_untransposed=False, slope_of_z=False):
    z = x @ W + b
    y = _sigmoid(z)
    dz = (dy if use_dy else 1.0) * ((z * (1 - z) if slope_of_z else y * (1 - y)) if slope else 1.0)
    db = dz.mean(axis=0) if db_mean else dz.sum(axis=0)
    return (dz @ W if dx_untransposed else dz @ W.T), x.T @ dz, db


def _db_keeps_the_batch_axis(x, W, b, dy):  # db = dz for one sample: shape (1, out), not (out,)
    dx, dW, db = _backward(x, W, b, dy)
    return dx, dW, db[None]


def _states(xs, W_xh, W_hh, b, h0, *, transposed=False, feedback=True, zero_start=False, last_only=False,
            append_first=False):
    h = np.zeros_like(h0) if zero_start else h0
    states = []
    for x in xs:
        if append_first:  # stores h_{t-1}, not h_t
            states.append(h)
        prev = h if feedback else h0
        h = np.tanh(x @ W_xh + (prev @ W_hh.T if transposed else prev @ W_hh) + b)
        if not append_first:
            states.append(h)
    return states[-1] if last_only else np.stack(states)


def _one_sided(f, w, eps=1e-6):
    grad = np.zeros_like(w)
    base = f(w)
    for i in np.ndindex(w.shape):
        old = w[i]
        w[i] = old + eps
        grad[i] = (f(w) - base) / eps
        w[i] = old
    return grad


def _central(f, w, eps=1e-6, *, restore=True, denominator=2, precedence_slip=False):
    grad = np.zeros_like(w)
    for i in np.ndindex(w.shape):
        old = w[i]
        w[i] = old + eps
        up = f(w)
        w[i] = old - eps
        down = f(w)
        if restore:
            w[i] = old
        grad[i] = (up - down) / 2 * eps if precedence_slip else (up - down) / (denominator * eps)
    return grad


def _all_entries_at_once(f, w, eps=1e-6):  # w + eps moves every entry, not entry i alone
    grad = np.zeros_like(w)
    for i in np.ndindex(w.shape):
        grad[i] = (f(w + eps) - f(w - eps)) / (2 * eps)
    return grad


def _add_and_subtract(f, w, eps=1e-6):  # puts w back by arithmetic, which rounding does not always undo
    grad = np.zeros_like(w)
    for i in np.ndindex(w.shape):
        w[i] += eps
        up = f(w)
        w[i] -= 2 * eps
        down = f(w)
        w[i] += eps
        grad[i] = (up - down) / (2 * eps)
    return grad


def _first_axis_only(f, w, eps=1e-6):  # loops over rows as if w were 1-D
    grad = np.zeros_like(w)
    for i in range(len(w)):
        old = w[i].copy()
        w[i] = old + eps
        up = f(w)
        w[i] = old - eps
        down = f(w)
        w[i] = old
        grad[i] = (up - down) / (2 * eps)
    return grad


def _step(model, loss_fn, optimizer, x, y, *, order="zfbs", give_back=True):
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


def _loss_after_update(model, loss_fn, optimizer, x, y):
    optimizer.zero_grad()
    loss_fn(model(x), y)
    model.backward(loss_fn.backward())
    optimizer.step()
    return loss_fn(model(x), y)


# Checked by tests/test_exercises.py: each is rejected with a message naming it, two or more per check.
WRONG = [
    (ex.check_sigmoid_layer_backward, lambda *a: _backward(*a, slope=False), "one sample, dy = 1",
     "It looks like you left out the sigmoid's slope"),
    (ex.check_sigmoid_layer_backward, lambda *a: _backward(*a, use_dy=False), "one sample, other dy",
     "It looks like you did not multiply by the incoming gradient dy"),
    (ex.check_sigmoid_layer_backward, lambda *a: _backward(*a, db_mean=True), "a batch of 4",
     "db: expected"),
    (ex.check_sigmoid_layer_backward, lambda *a: _backward(*a, db_mean=True), "a batch of 4",
     "It looks like you averaged db over the batch"),
    (ex.check_sigmoid_layer_backward, lambda *a: _backward(*a, dx_untransposed=True), "one sample, dy = 1",
     "It looks like you wrote dx = dz W"),
    (ex.check_sigmoid_layer_backward, lambda *a: _backward(*a, slope_of_z=True), "one sample, dy = 1",
     "It looks like you computed the slope as z(1 − z)"),
    (ex.check_sigmoid_layer_backward, _db_keeps_the_batch_axis, "one sample, dy = 1",
     "db = dz summed over the samples (axis 0), shape (out,)"),
    (ex.check_recurrent_states, lambda *a: _states(*a, transposed=True), "three steps",
     "It looks like you multiplied the state by W_hh transposed"),
    (ex.check_recurrent_states, lambda *a: _states(*a, feedback=False), "three steps",
     "It looks like every step used h0"),
    (ex.check_recurrent_states, lambda *a: _states(*a, zero_start=True), "a nonzero starting state",
     "It looks like you started from zeros"),
    (ex.check_recurrent_states, lambda *a: _states(*a, last_only=True), "one step from h0 = 0",
     "It looks like you returned only the last state"),
    (ex.check_recurrent_states, lambda *a: _states(*a, append_first=True), "one step from h0 = 0",
     "It looks like you stored each state before computing the next one"),
    (ex.check_numeric_gradient, _one_sided, "f(w) = sum(w²)", "It looks like you used the one-sided difference"),
    (ex.check_numeric_gradient, lambda *a: _central(*a, denominator=1), "f(w) = sum(w²)",
     "It looks like you divided the central difference by ε instead of 2ε"),
    (ex.check_numeric_gradient, lambda *a: _central(*a, restore=False), "f(w) = sum(w²)",
     "your function changed its input in place: w[0] was 1.0 and is 0.9999"),
    (ex.check_numeric_gradient, lambda *a: _central(*a, restore=False), "f(w) = sum(w²)",
     "It looks like you nudged entries and never put them back"),
    (ex.check_numeric_gradient, _add_and_subtract, "f(w) = sum(w²)",
     "does not always give back the same float: save old = w[i] before and set w[i] = old after"),
    (ex.check_numeric_gradient, _first_axis_only, "a matrix w", "It looks like you nudged whole rows"),
    (ex.check_numeric_gradient, lambda *a: _central(*a, precedence_slip=True), "f(w) = sum(w²)",
     "It looks like you wrote (up − down) / 2 * eps"),
    (ex.check_numeric_gradient, _all_entries_at_once, "f(w) = sum(w²)",
     "It looks like you nudged every entry at once"),
    (ex.check_train_step, lambda *a: _step(*a, order="fbs"), "three steps",
     "It looks like you never cleared the gradients"),
    (ex.check_train_step, lambda *a: _step(*a, order="zfsb"), "one step",
     "It looks like the parameters never moved"),
    (ex.check_train_step, lambda *a: _step(*a, order="fbzs"), "one step",
     "It looks like the parameters never moved"),
    (ex.check_train_step, lambda *a: _step(*a, give_back=False), "one step",
     "It looks like your function returns nothing"),
    (ex.check_train_step, lambda *a: _step(*a, order="zfb"), "one step",
     "It looks like the parameters never moved"),
    (ex.check_train_step, lambda *a: _step(*a, order="zfs"), "one step",
     "It looks like the parameters never moved"),
    (ex.check_train_step, _loss_after_update, "one step",
     "It looks like you returned the loss computed after optimizer.step()"),
]



def test_the_parts_of_a_tuple_are_named():
    fb = ex.check_sigmoid_layer_backward(lambda x, W, b, dy: _backward(x, W, b, dy)[::-1])
    assert fb.passed is False and "dx: expected shape (1, 3), got shape (2,)" in fb.message
    fb = ex.check_train_step(lambda *a: _step(*a, order="fbzs"))
    assert "the parameters after the steps: expected" in fb.message
