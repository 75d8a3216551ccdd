"""Chapter 06's checks accept the solutions, say "not done yet" for stubs, and name the mistakes of
plausible wrong answers (the wrong axis, the wrong variance, eps in the wrong place, ...)."""
from __future__ import annotations

import numpy as np

from dlbook.exercises import normalization as ex
from dlbook.solutions import normalization as sol


def _fails_with(feedback, *phrases):
    assert feedback.passed is False, feedback
    for phrase in phrases:
        assert phrase in feedback.message, feedback.message


def _norm(x, axis, eps, ddof=0):
    return (x - x.mean(axis, keepdims=True)) / np.sqrt(x.var(axis, keepdims=True, ddof=ddof) + eps)


def test_batch_norm_forward_mistakes():
    # BatchNorm over the wrong axis (each sample over its features) is LayerNorm.
    _fails_with(ex.check_batch_norm_forward(lambda x, g, b, eps=1e-5: g * _norm(x, 1, eps) + b),
                "axis 1", "that is LayerNorm")
    # The same mistake without keepdims raises on the (5, 3) batch: the hint says what shape the statistics have.
    _fails_with(ex.check_batch_norm_forward(lambda x, g, b, eps=1e-5: g * (x - x.mean(1)) / np.sqrt(x.var(1) + eps) + b),
                "raised ValueError", "one mean and one variance per feature")
    _fails_with(ex.check_batch_norm_forward(lambda x, g, b, eps=1e-5: g * _norm(x, 0, eps, ddof=1) + b),
                "unbiased variance")
    _fails_with(ex.check_batch_norm_forward(
        lambda x, g, b, eps=1e-5: g * (x - x.mean(0)) / (x.std(0) + eps) + b), "eps belongs inside the square root")
    _fails_with(ex.check_batch_norm_forward(lambda x, g, b, eps=1e-5: _norm(x, 0, eps)),
                "a learned scale and shift", "forgot the learned scale and shift")
    _fails_with(ex.check_batch_norm_forward(lambda x, g, b, eps=1e-5: g * _norm(x, 0, 0.0) + b),
                "left out eps")


def test_layer_norm_forward_mistakes():
    _fails_with(ex.check_layer_norm_forward(lambda x, g, b, eps=1e-5: g * _norm(x, 0, eps) + b),
                "axis 0", "that is BatchNorm")
    _fails_with(ex.check_layer_norm_forward(lambda x, g, b, eps=1e-5: g * _norm(x, -1, eps, ddof=1) + b),
                "unbiased variance")
    _fails_with(ex.check_layer_norm_forward(lambda x, g, b, eps=1e-5: b * _norm(x, -1, eps) + g),
                "swapped gamma and beta")
    # Axis 1 works for 2-D inputs but not for tokens (batch, sequence, features).
    _fails_with(ex.check_layer_norm_forward(lambda x, g, b, eps=1e-5: g * _norm(x, 1, eps) + b), "tokens")


def test_running_stats_mistakes():
    def keras(rm, rv, x, momentum=0.1):
        return momentum * rm + (1 - momentum) * x.mean(0), momentum * rv + (1 - momentum) * x.var(0, ddof=1)

    _fails_with(ex.check_update_running_stats(keras), "weight 1 - momentum", "Keras")

    def biased(rm, rv, x, momentum=0.1):
        return (1 - momentum) * rm + momentum * x.mean(0), (1 - momentum) * rv + momentum * x.var(0)

    _fails_with(ex.check_update_running_stats(biased), "a batch of 2", "unbiased one (divide by n - 1)")
    _fails_with(ex.check_update_running_stats(lambda rm, rv, x, momentum=0.1: (x.mean(0), x.var(0, ddof=1))),
                "moving average")


def test_batch_norm_backward_mistakes():
    def constant_stats(dy, x, g, eps=1e-5):
        inv_std = 1 / np.sqrt(x.var(0) + eps)
        return dy * g * inv_std, (dy * (x - x.mean(0)) * inv_std).sum(0), dy.sum(0)

    _fails_with(ex.check_batch_norm_backward(constant_stats), "as constants")

    def dgamma_is_sum_dy(dy, x, g, eps=1e-5):
        dx, _, dbeta = sol.batch_norm_backward(dy, x, g, eps)
        return dx, dy.sum(0), dbeta

    _fails_with(ex.check_batch_norm_backward(dgamma_is_sum_dy), "item 1", "sum(dy * x_hat)")

    def no_variance_path(dy, x, g, eps=1e-5):
        inv_std = 1 / np.sqrt(x.var(0) + eps)
        dxhat = dy * g
        return inv_std * (dxhat - dxhat.mean(0)), (dy * (x - x.mean(0)) * inv_std).sum(0), dy.sum(0)

    _fails_with(ex.check_batch_norm_backward(no_variance_path), "not the one through the variance")
