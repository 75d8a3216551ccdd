"""Chapter 03's checks name the mistake of each plausible wrong answer."""
from __future__ import annotations


import numpy as np
import pytest

from dlbook.exercises import perceptron as ex


def _no_bias(w, b, x, y, lr=1.0):
    delta = y - int(x @ w + b > 0)
    return w + lr * delta * x, b


def _always_update(w, b, x, y, lr=1.0):  # moves towards the label even when the prediction is right
    return w + lr * y * x, b + lr * y


def _step_at_zero_is_one(w, b, x, y, lr=1.0):
    delta = y - int(x @ w + b >= 0)
    return w + lr * delta * x, b + lr * delta


def _ignores_lr(w, b, x, y, lr=1.0):
    delta = y - int(x @ w + b > 0)
    return w + delta * x, b + delta


def _in_place(w, b, x, y, lr=1.0):  # right numbers, but the caller's w changes too
    delta = y - int(x @ w + b > 0)
    w += lr * delta * x
    return w, b + lr * delta


def _no_bias_in_z(w, b, x, y, lr=1.0):  # the prediction forgets the bias
    delta = y - int(x @ w > 0)
    return w + lr * delta * x, b + lr * delta


def _delta_rule(w, b, x, y, lr=1.0):  # y − z in place of y − ŷ
    error = y - (x @ w + b)
    return w + lr * error * x, b + lr * error


def _computes_xnor():
    return np.array([[-0.5, 0.5], [-0.5, 0.5]]), np.array([0.7, -0.2]), np.array([[-0.5], [-0.5]]), np.array([0.7])


def _w1_rows_are_units():  # the solution's W1, written one row per hidden unit
    return np.array([[-0.5, -0.5], [0.5, 0.5]]), np.array([0.7, -0.2]), np.array([[0.5], [0.5]]), np.array([-0.7])


def _computes_or():
    return np.array([[0.5, 0.5], [0.5, 0.5]]), np.array([-0.2, -0.7]), np.array([[0.5], [0.5]]), np.array([-0.2])


def _flat_output_weights():
    return np.array([[-0.5, 0.5], [-0.5, 0.5]]), np.array([0.7, -0.2]), np.array([0.5, 0.5]), np.array([-0.7])


def _band(in_features, out_features, width, *, extra=0, dtype=bool):
    i, j = np.arange(in_features)[:, None], np.arange(out_features)[None, :]
    return ((i >= j) & (i < j + width + extra)).astype(dtype)


CASE = "the four inputs"
# Checked by tests/test_exercises.py: each is rejected with a message naming it, two or more per check.
WRONG = [
    (ex.check_perceptron_update, _no_bias, "a missed 1", "It looks like you left the bias as it was"),
    (ex.check_perceptron_update, _always_update, "a right prediction",
     "It looks like you moved towards the label even when the prediction was right"),
    (ex.check_perceptron_update, _step_at_zero_is_one, "z exactly 0", "It looks like your step gives 1 at z = 0"),
    (ex.check_perceptron_update, _ignores_lr, "learning rate 0.5", "It looks like you left out the learning rate"),
    (ex.check_perceptron_update, _in_place, "a missed 1", "changed its input in place: w[0] was 0.5 and is 1.5"),
    (ex.check_perceptron_update, _no_bias_in_z, "the bias decides",
     "It looks like your prediction leaves out the bias"),
    (ex.check_perceptron_update, _delta_rule, "a right prediction", "It looks like you used y − z"),
    (ex.check_xor_network, _computes_xnor, CASE, "it computes XNOR (the opposite of XOR), not XOR"),
    (ex.check_xor_network, _w1_rows_are_units, CASE, "computes XOR only with W1 transposed"),
    (ex.check_xor_network, lambda: (np.array([[1.0, 1.0], [1.0, 1.0]]), np.array([0.0, -1.0]), np.array([[1.0], [1.0]]),
                                    np.array([-2.0])), CASE, "it computes the constant 0, not XOR"),
    (ex.check_xor_network, _computes_or, CASE, "it computes OR, not XOR; its hidden units compute: OR, AND"),
    (ex.check_xor_network, _flat_output_weights, CASE, "W2 must have shape (2, 1), got shape (2,)"),
    (ex.check_xor_network, lambda: (np.zeros((2, 2)), np.zeros(2), np.zeros((2, 1))), CASE, "four arrays"),
    (ex.check_xor_network, lambda: "NAND, OR, AND", CASE, "return four arrays (W1, b1, W2, b2); got 'NAND, OR, AND'"),
    (ex.check_local_mask, lambda a, b, w: _band(a, b, w, extra=1), "width 1",
     "It looks like each window holds width + 1 inputs"),
    (ex.check_local_mask, lambda a, b, w: _band(a, b, w).T, "6 inputs, 4 outputs",
     "It looks like you returned the mask as (out_features, in_features)"),
    (ex.check_local_mask, lambda a, b, w: _band(a, b, w, dtype=int), "width 1", "the dtype is int64"),
    (ex.check_local_mask, lambda a, b, w: _band(a, b, w, extra=-1), "width 1",
     "It looks like each window holds width − 1 inputs"),
    (ex.check_local_mask, lambda a, b, w: np.abs(np.arange(a)[:, None] - np.arange(b)[None, :]) <= w // 2,
     "6 inputs, 4 outputs", "It looks like your windows are centred on input j"),
    (ex.check_local_mask, lambda a, b, w: np.arange(a)[:, None] >= np.arange(b)[None, :], "width 1",
     "It looks like your windows have no end"),
    (ex.check_masked_parameters, lambda mask, bias=True: mask.size + (mask.shape[1] if bias else 0), "a 4 → 4 band",
     "It looks like you counted every entry of the mask"),
    (ex.check_masked_parameters, lambda mask, bias=True: int(mask.sum()) + mask.shape[1], "the same mask without bias",
     "It looks like you added the biases even with bias=False"),
    (ex.check_masked_parameters, lambda mask, bias=True: int(mask.sum()) + (mask.shape[0] if bias else 0), "a 6 → 4",
     "It looks like you gave every input a bias"),
]



def test_any_xor_network_is_right():
    # Other weights than the solution's: OR and NAND swapped between the hidden units.
    W1 = np.array([[1.0, -1.0], [1.0, -1.0]])
    assert ex.check_xor_network(lambda: (W1, np.array([-0.5, 1.5]), np.array([[1.0], [1.0]]), np.array([-1.5]))).passed
