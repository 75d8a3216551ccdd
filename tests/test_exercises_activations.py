"""Chapter 02's checks name the mistake of each plausible wrong answer."""
from __future__ import annotations


import numpy as np
import pytest

from dlbook.exercises import activations as ex


def _sigmoid(x):
    return 0.5 * (1.0 + np.tanh(0.5 * x))  # a stable sigmoid of the tests' own


def _where_both_branches(x):  # picks the right formula per sign, but np.where evaluates both
    return np.where(x >= 0, 1.0 / (1.0 + np.exp(-x)), np.exp(x) / (1.0 + np.exp(x)))


def _where_other_order(x):
    return np.where(x < 0, np.exp(x) / (1.0 + np.exp(x)), 1.0 / (1.0 + np.exp(-x)))


# Checked by tests/test_exercises.py: each is rejected with a message naming it, two or more per check.
WRONG = [
    (ex.check_stable_sigmoid, lambda x: 1.0 / (1.0 + np.exp(-x)), "large negative",
     "It looks like you used 1 / (1 + e^(-x)) everywhere"),
    (ex.check_stable_sigmoid, lambda x: np.exp(x) / (1.0 + np.exp(x)), "large positive",
     "It looks like you used e^x / (1 + e^x) everywhere"),
    (ex.check_stable_sigmoid, _where_both_branches, "large positive", "np.where(condition, a, b) computes both a and b"),
    (ex.check_stable_sigmoid, _where_other_order, "large positive", "np.where(condition, a, b) computes both a and b"),
    (ex.check_stable_sigmoid, lambda x: np.clip(x, 0, 1), "small values", "Hint: σ(0) = 0.5"),
    (ex.check_stable_sigmoid, lambda x: (1.0 + np.tanh(x / 2)) / 2, "large negative",
     "It looks like you used 0.5 (1 + tanh(x/2))"),
    (ex.check_stable_sigmoid, lambda x: 1.0 / (1.0 + np.exp(-np.clip(x, -500, 500))), "large negative",
     "Hint: Far left σ(x) is tiny but not 0"),
    (ex.check_sigmoid_derivative, _sigmoid, "at 0", "It looks like you returned σ(x) itself"),
    (ex.check_sigmoid_derivative, lambda x: 1 - _sigmoid(x), "at 0", "It looks like you returned 1 − σ(x)"),
    (ex.check_sigmoid_derivative, lambda x: x * (1 - x), "at 0", "It looks like you applied y·(1 − y) to x itself"),
    (ex.check_sigmoid_derivative, lambda x: 1 - np.tanh(x) ** 2, "at 0", "It looks like you used tanh's derivative"),
    (ex.check_sigmoid_derivative, lambda x: 1 - _sigmoid(x) ** 2, "at 0", "It looks like you wrote 1 − σ(x)²"),
    (ex.check_relu_backward, lambda x, dy: (x > 0).astype(float), "dy with other values",
     "It looks like you returned ReLU'(x) alone"),
    (ex.check_relu_backward, lambda x, dy: dy * (x >= 0), "inputs exactly 0",
     "It looks like you let the gradient through at x = 0"),
    (ex.check_relu_backward, lambda x, dy: np.maximum(dy, 0), "dy of ones",
     "It looks like you applied ReLU to dy"),
    (ex.check_collapse_linear, lambda W1, b1, W2, b2: (W2 @ W1, b1 @ W2 + b2), "4 -> 5 -> 3",
     "It looks like you multiplied W2 @ W1"),
    (ex.check_collapse_linear, lambda W1, b1, W2, b2: (W1 @ W2, b1 + b2), "4 -> 5 -> 3",
     "It looks like you added the two biases"),
    (ex.check_collapse_linear, lambda W1, b1, W2, b2: (W1 @ W2, b2), "4 -> 5 -> 3",
     "It looks like you kept only the second bias"),
    (ex.check_collapse_linear, lambda W1, b1, W2, b2: (W1 @ W2, b1 @ W2), "4 -> 5 -> 3", "b: expected"),
    (ex.check_collapse_linear, lambda W1, b1, W2, b2: ((W1 @ W2).T, b1 @ W2 + b2), "4 -> 5 -> 3",
     "It looks like you returned the transpose"),
]



def test_an_overflow_is_named_even_when_the_values_come_out_right():
    fb = ex.check_stable_sigmoid(_where_both_branches)
    assert "your function overflowed (overflow encountered in exp)" in fb.message
    assert "Hint:" not in fb.message  # the case's hint ("the form e^x / (1 + e^x) breaks") answers another mistake
