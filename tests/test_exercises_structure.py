"""Chapter 01's checks name the mistake of each plausible wrong answer."""
from __future__ import annotations


import numpy as np
import pytest

from dlbook.exercises import structure as ex


def _stable_rows(o):
    e = np.exp(o - o.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _hidden_softmax(x, W1, b1, W2, b2):  # probabilities fed forward, as the source note suggests
    return _stable_rows(_stable_rows(x @ W1 + b1) @ W2 + b2)


def _softmax_axis0(x, W1, b1, W2, b2):
    o = np.maximum(x @ W1 + b1, 0) @ W2 + b2
    e = np.exp(o - o.max(axis=0))
    return e / e.sum(axis=0)


def _whole_batch(x, W1, b1, W2, b2):
    o = np.maximum(x @ W1 + b1, 0) @ W2 + b2
    return np.exp(o - o.max()) / np.exp(o - o.max()).sum()


def _no_shift(x, W1, b1, W2, b2):
    o = np.maximum(x @ W1 + b1, 0) @ W2 + b2
    return np.exp(o) / np.exp(o).sum(axis=1, keepdims=True)


def _global_max(x, W1, b1, W2, b2):
    o = np.maximum(x @ W1 + b1, 0) @ W2 + b2
    e = np.exp(o - np.max(o))
    return e / e.sum(axis=1, keepdims=True)


def _no_relu(x, W1, b1, W2, b2):
    return _stable_rows((x @ W1 + b1) @ W2 + b2)


# (check, wrong answer, the case reported first, what the feedback must say)
# Checked by tests/test_exercises.py: each is rejected with a message naming it, two or more per check.
WRONG = [
    (ex.check_linear_forward, lambda x, W, b: x @ W, "one animal", "It looks like you left out the bias"),
    (ex.check_linear_forward, lambda x, W, b: (W.T @ x.T).T, "one animal", "It looks like you left out the bias"),
    (ex.check_linear_forward, lambda x, W, b: x @ W.T + b, "one animal", "It looks like you used PyTorch's layout"),
    (ex.check_linear_forward, lambda x, W, b: x @ W + b[:, None], "one animal",
     "expected shape (1, 3), got shape (3, 3)"),
    (ex.check_linear_forward, lambda x, W, b: (x @ W + b)[0], "one animal",
     "expected shape (1, 3), got shape (3,)"),
    (ex.check_linear_forward, lambda x, W, b: x @ W + b[:, None], "one animal", "It looks like you added b as a column"),
    (ex.check_mlp_forward, _softmax_axis0, "one sample", "It looks like you took the softmax over axis 0"),
    (ex.check_mlp_forward, _whole_batch, "a batch of 5", "It looks like you divided by the sum over the whole batch"),
    (ex.check_mlp_forward, _no_shift, "large scores", "It looks like you exponentiated the scores directly"),
    (ex.check_mlp_forward, _global_max, "large scores", "It looks like you subtracted the maximum of the whole batch"),
    (ex.check_mlp_forward, _hidden_softmax, "one sample", "It looks like you applied softmax to the hidden layer too"),
    (ex.check_mlp_forward, _no_relu, "one sample", "It looks like you left out the ReLU"),
    (ex.check_accuracy, lambda lg, t: np.sum(np.argmax(lg, axis=1) == t), "four samples",
     "It looks like you returned the number of right answers"),
    (ex.check_accuracy, lambda lg, t: 100 * np.mean(np.argmax(lg, axis=1) == t), "four samples",
     "It looks like you returned a percentage"),
    (ex.check_accuracy, lambda lg, t: float(np.mean(np.argmax(lg, axis=0) == t)), "four samples",
     "It looks like you took argmax over axis 0"),
    (ex.check_accuracy, lambda lg, t: float(np.mean(np.max(lg, axis=1) == t)), "four samples",
     "It looks like you compared the largest score itself"),
]

VALUES = [  # (check, wrong prediction, what the feedback must say)
    (ex.check_weight_shape, (10, 64), "It looks like you gave PyTorch's layout"),
    (ex.check_weight_shape, 640, "It looks like you gave the number of weights"),
    (ex.check_weight_shape, (640,), "as a 1-D shape"),
    (ex.check_weight_shape, "64 x 10", "expected (64, 10), got '64 x 10'"),
    (ex.check_num_parameters, 640, "It looks like you counted the weights only"),
    (ex.check_num_parameters, 64 * 10 + 64, "It looks like you gave every input a bias"),
    (ex.check_num_parameters, 650.0, "the value is right, but it is the float 650.0"),
]


@pytest.mark.parametrize("check, wrong, words", VALUES)
def test_wrong_predictions_are_rejected_and_named(check, wrong, words):
    fb = check(wrong)
    assert fb.passed is False and words in fb.message, fb.message


def test_the_first_hint_of_linear_forward_blames_no_particular_mistake():
    fb = ex.check_linear_forward(lambda x, W, b: x @ W + b.sum())  # a wrong bias, axes right
    assert fb.passed is False and "mixes up the axes" not in fb.message and "b (one entry per output" in fb.message


def test_value_checks_accept_the_answer_in_any_sequence():
    assert ex.check_weight_shape((64, 10)).passed and ex.check_weight_shape([64, 10]).passed
    assert ex.check_weight_shape(np.array([64, 10])).passed and ex.check_num_parameters(650).passed
    assert ex.check_weight_shape(None).passed is None and ex.check_num_parameters(None).passed is None
