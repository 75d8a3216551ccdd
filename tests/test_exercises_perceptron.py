"""Chapter 03's checks accept the solutions and name the mistakes of plausible wrong answers."""
from __future__ import annotations

import numpy as np

from dlbook.exercises import perceptron as ex
from dlbook.solutions import perceptron as sol


def test_perceptron_update_mistakes():
    def no_bias(w, b, x, y, lr=1.0):
        delta = y - int(x @ w + b > 0)
        return w + lr * delta * x, b

    fb = ex.check_perceptron_update(no_bias)
    assert fb.passed is False and "add lr to the bias too" in fb.message

    def always_update(w, b, x, y, lr=1.0):  # moves towards the label even when the prediction is right
        return w + lr * y * x, b + lr * y

    fb = ex.check_perceptron_update(always_update)
    assert fb.passed is False and "When the prediction is right" in fb.message

    def step_at_zero_is_one(w, b, x, y, lr=1.0):
        delta = y - int(x @ w + b >= 0)
        return w + lr * delta * x, b + lr * delta

    fb = ex.check_perceptron_update(step_at_zero_is_one)
    assert fb.passed is False and "z > 0, not z >= 0" in fb.message

    def ignores_lr(w, b, x, y, lr=1.0):
        return sol.perceptron_update(w, b, x, y, 1.0)

    fb = ex.check_perceptron_update(ignores_lr)
    assert fb.passed is False and "Scale the whole change by lr" in fb.message


def test_xor_network_mistakes():
    def computes_or():
        return np.array([[0.5, 0.5], [0.5, 0.5]]), np.array([-0.2, -0.7]), np.array([[0.5], [0.5]]), np.array([-0.2])

    fb = ex.check_xor_network(computes_or)
    assert fb.passed is False
    assert "Your network computes OR, not XOR" in fb.message and "hidden units compute: OR, AND" in fb.message

    def flat_output_weights():
        return np.array([[-0.5, 0.5], [-0.5, 0.5]]), np.array([0.7, -0.2]), np.array([0.5, 0.5]), np.array([-0.7])

    fb = ex.check_xor_network(flat_output_weights)
    assert fb.passed is False and "W2 must have shape (2, 1)" in fb.message

    fb = ex.check_xor_network(lambda: (np.zeros((2, 2)), np.zeros(2), np.zeros((2, 1))))
    assert fb.passed is False and "four arrays" in fb.message


def test_local_mask_mistakes():
    def one_too_wide(in_features, out_features, width):
        i, j = np.arange(in_features)[:, None], np.arange(out_features)[None, :]
        return (i >= j) & (i <= j + width)

    fb = ex.check_local_mask(one_too_wide)
    assert fb.passed is False and "not width+1" in fb.message

    fb = ex.check_local_mask(lambda a, b, w: sol.local_mask(a, b, w).T)  # (out, in): PyTorch's layout
    assert fb.passed is False and "expected shape (6, 4), got shape (4, 6)" in fb.message
    assert "like Linear.weight" in fb.message

    fb = ex.check_local_mask(lambda a, b, w: sol.local_mask(a, b, w).astype(int))
    assert fb.passed is False and "boolean array" in fb.message


def test_masked_parameters_mistakes():
    fb = ex.check_masked_parameters(lambda mask, bias=True: mask.size + (mask.shape[1] if bias else 0))
    assert fb.passed is False and "count only the True entries" in fb.message

    fb = ex.check_masked_parameters(lambda mask, bias=True: int(mask.sum()) + mask.shape[1])
    assert fb.passed is False and "With bias=False" in fb.message

    fb = ex.check_masked_parameters(lambda mask, bias=True: int(mask.sum()) + (mask.shape[0] if bias else 0))
    assert fb.passed is False and "not mask.shape[0]" in fb.message
