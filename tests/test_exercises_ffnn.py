"""Chapter 04's checks accept the solutions and name the mistakes of plausible wrong answers."""
from __future__ import annotations

import numpy as np

from dlbook.exercises import ffnn as ex
from dlbook.solutions import ffnn as sol


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def test_sigmoid_layer_backward_mistakes():
    def no_sigmoid_derivative(x, W, b, dy):
        return dy @ W.T, x.T @ dy, dy.sum(axis=0)

    fb = ex.check_sigmoid_layer_backward(no_sigmoid_derivative)
    assert fb.passed is False and "σ'(z)" in fb.message

    def ignores_dy(x, W, b, dy):
        y = _sigmoid(x @ W + b)
        dz = y * (1 - y)
        return dz @ W.T, x.T @ dz, dz.sum(axis=0)

    fb = ex.check_sigmoid_layer_backward(ignores_dy)
    assert fb.passed is False and "Multiply by the incoming gradient dy" in fb.message

    def mean_bias_gradient(x, W, b, dy):
        y = _sigmoid(x @ W + b)
        dz = dy * y * (1 - y)
        return dz @ W.T, x.T @ dz, dz.mean(axis=0)

    fb = ex.check_sigmoid_layer_backward(mean_bias_gradient)
    assert fb.passed is False and "a sum, not a mean" in fb.message and "item 2" in fb.message

    def untransposed(x, W, b, dy):
        y = _sigmoid(x @ W + b)
        dz = dy * y * (1 - y)
        return dz @ W, x.T @ dz, dz.sum(axis=0)

    fb = ex.check_sigmoid_layer_backward(untransposed)
    assert fb.passed is False and "raised ValueError" in fb.message and "dx = dz Wᵀ" in fb.message


def test_recurrent_states_mistakes():
    def no_feedback(xs, W_xh, W_hh, b, h0):
        return np.stack([np.tanh(x @ W_xh + h0 @ W_hh + b) for x in xs])

    fb = ex.check_recurrent_states(no_feedback)
    assert fb.passed is False and "Feed each new state back" in fb.message

    def starts_from_zero(xs, W_xh, W_hh, b, h0):
        return sol.recurrent_states(xs, W_xh, W_hh, b, np.zeros_like(h0))

    fb = ex.check_recurrent_states(starts_from_zero)
    assert fb.passed is False and "Start from the h0" in fb.message

    def last_state_only(xs, W_xh, W_hh, b, h0):
        return sol.recurrent_states(xs, W_xh, W_hh, b, h0)[-1]

    fb = ex.check_recurrent_states(last_state_only)
    assert fb.passed is False and "expected shape (1, 3), got shape (3,)" in fb.message


def test_numeric_gradient_mistakes():
    def one_sided(f, w, eps=1e-6):
        grad = np.zeros_like(w)
        base = f(w)
        for i in np.ndindex(w.shape):
            old = w[i]
            w[i] = old + eps
            grad[i] = (f(w) - base) / eps
            w[i] = old
        return grad

    fb = ex.check_numeric_gradient(one_sided)
    assert fb.passed is False and "central difference" in fb.message

    def divides_by_eps(f, w, eps=1e-6):
        return 2 * sol.numeric_gradient(f, w, eps)

    fb = ex.check_numeric_gradient(divides_by_eps)
    assert fb.passed is False and "instead of 2ε" in fb.message

    def never_restores(f, w, eps=1e-6):
        grad = np.zeros_like(w)
        for i in np.ndindex(w.shape):
            old = w[i]
            w[i] = old + eps
            up = f(w)
            w[i] = old - eps
            grad[i] = (up - f(w)) / (2 * eps)
        return grad

    fb = ex.check_numeric_gradient(never_restores)
    assert fb.passed is False and "Put each entry back" in fb.message

    def first_axis_only(f, w, eps=1e-6):  # loops over rows as if w were 1-D
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

    fb = ex.check_numeric_gradient(first_axis_only)
    assert fb.passed is False and "whatever w's shape" in fb.message


def test_train_step_mistakes():
    def no_zero_grad(model, loss_fn, optimizer, x, y):
        loss = loss_fn(model(x), y)
        model.backward(loss_fn.backward())
        optimizer.step()
        return loss

    fb = ex.check_train_step(no_zero_grad)
    assert fb.passed is False and "three steps" in fb.message and "optimizer.zero_grad()" in fb.message

    def step_before_backward(model, loss_fn, optimizer, x, y):
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        optimizer.step()
        model.backward(loss_fn.backward())
        return loss

    fb = ex.check_train_step(step_before_backward)
    assert fb.passed is False and "one step" in fb.message and "In this order" in fb.message

    def forgets_to_return(model, loss_fn, optimizer, x, y):
        sol.train_step(model, loss_fn, optimizer, x, y)

    fb = ex.check_train_step(forgets_to_return)
    assert fb.passed is False and "return loss" in fb.message
