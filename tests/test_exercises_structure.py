"""Chapter 01's checks accept the solutions and name the mistakes of plausible wrong answers."""
from __future__ import annotations

import numpy as np

from dlbook.exercises import structure as ex


def test_linear_forward_mistakes():
    transposed = ex.check_linear_forward(lambda x, W, b: (W.T @ x.T).T)  # forgot the bias, axes juggled
    assert transposed.passed is False and "x @ W + b" in transposed.message
    column_bias = ex.check_linear_forward(lambda x, W, b: x @ W + b[:, None])  # bias broadcast down the rows
    assert column_bias.passed is False and "expected shape (1, 3), got shape (3, 3)" in column_bias.message


def test_weight_shape_mistakes():
    pytorch_layout = ex.check_weight_shape((10, 64))
    assert pytorch_layout.passed is False and "(in_features, out_features)" in pytorch_layout.message
    flat = ex.check_weight_shape((640,))  # the count of weights, not their layout
    assert flat.passed is False and "expected (64, 10), got (640,)" in flat.message
    no_bias = ex.check_num_parameters(640)
    assert no_bias.passed is False and "one bias per output unit" in no_bias.message
    bias_per_input = ex.check_num_parameters(64 * 10 + 64)
    assert bias_per_input.passed is False and "one bias per output unit" in bias_per_input.message


def test_mlp_forward_mistakes():
    def softmax_everywhere(x, W1, b1, W2, b2):
        e = np.exp(x @ W1 + b1)
        h = e / e.sum(axis=1, keepdims=True)  # probabilities fed forward, as the source suggests
        o = h @ W2 + b2
        return np.exp(o) / np.exp(o).sum(axis=1, keepdims=True)

    fb = ex.check_mlp_forward(softmax_everywhere)
    assert fb.passed is False and "Softmax only at the end" in fb.message

    def whole_batch(x, W1, b1, W2, b2):
        o = np.maximum(x @ W1 + b1, 0) @ W2 + b2
        return np.exp(o) / np.exp(o).sum()  # normalised over the whole batch, not per row

    fb = ex.check_mlp_forward(whole_batch)
    assert fb.passed is False and "each row" in fb.message

    def no_shift(x, W1, b1, W2, b2):
        o = np.maximum(x @ W1 + b1, 0) @ W2 + b2
        return np.exp(o) / np.exp(o).sum(axis=1, keepdims=True)

    fb = ex.check_mlp_forward(no_shift)
    assert fb.passed is False and "large scores" in fb.message and "maximum" in fb.message


def test_accuracy_mistakes():
    count = ex.check_accuracy(lambda logits, t: np.sum(np.argmax(logits, axis=1) == t))
    assert count.passed is False and "a fraction, not a count" in count.message
    wrong_axis = ex.check_accuracy(lambda logits, t: float(np.mean(np.argmax(logits, axis=0) == t)))
    assert wrong_axis.passed is False and "argmax(logits, axis=1)" in wrong_axis.message


def test_value_checks():
    # Predict-then-check exercises take a value, not a function: the shared test skips them.
    assert ex.check_weight_shape((64, 10)).passed and ex.check_num_parameters(650).passed
    assert ex.check_weight_shape(None).passed is None and ex.check_num_parameters(None).passed is None
