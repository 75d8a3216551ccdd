"""Chapter 02's checks accept the solutions and name the mistakes of plausible wrong answers."""
from __future__ import annotations

import numpy as np

from dlbook.exercises import activations as ex
from dlbook.solutions import activations as sol


def test_naive_sigmoids_fail_on_overflow():
    fb = ex.check_stable_sigmoid(lambda x: 1.0 / (1.0 + np.exp(-x)))
    assert fb.passed is False and "overflow" in fb.message and "-|x|" in fb.message
    fb = ex.check_stable_sigmoid(lambda x: np.exp(x) / (1.0 + np.exp(x)))
    assert fb.passed is False and "large positive" in fb.message
    fb = ex.check_stable_sigmoid(lambda x: np.clip(x, 0, 1))
    assert fb.passed is False and "σ(0) = 0.5" in fb.message


def test_sigmoid_derivative_mistakes():
    fb = ex.check_sigmoid_derivative(sol.stable_sigmoid)  # σ instead of σ'
    assert fb.passed is False and "σ(x)·(1 − σ(x))" in fb.message
    fb = ex.check_sigmoid_derivative(lambda x: 1 - sol.stable_sigmoid(x))
    assert fb.passed is False and "0.5 · 0.5" in fb.message


def test_relu_backward_mistakes():
    fb = ex.check_relu_backward(lambda x, dy: (x > 0).astype(float))  # ignores dy
    assert fb.passed is False and "multiplies the incoming gradient" in fb.message
    fb = ex.check_relu_backward(lambda x, dy: dy * (x >= 0))  # slope 1 at exactly 0
    assert fb.passed is False and "x > 0, not x >= 0" in fb.message


def test_collapse_linear_mistakes():
    fb = ex.check_collapse_linear(lambda W1, b1, W2, b2: (W1 @ W2, b1 + b2))
    assert fb.passed is False and "first bias also passes through W2" in fb.message
    fb = ex.check_collapse_linear(lambda W1, b1, W2, b2: (W1 @ W2, b2))
    assert fb.passed is False and "b1 W2 + b2" in fb.message
