"""Chapter 06's checks name the mistake of each plausible wrong answer (the wrong axis, the wrong variance,
eps in the wrong place, ...)."""
from __future__ import annotations


import numpy as np
import pytest

from dlbook.exercises import normalization as ex


def _norm(x, axis, eps, ddof=0):
    return (x - x.mean(axis, keepdims=True)) / np.sqrt(x.var(axis, keepdims=True, ddof=ddof) + eps)


def _keras(rm, rv, x, momentum=0.1):
    return momentum * rm + (1 - momentum) * x.mean(0), momentum * rv + (1 - momentum) * x.var(0, ddof=1)


def _biased(rm, rv, x, momentum=0.1):
    return (1 - momentum) * rm + momentum * x.mean(0), (1 - momentum) * rv + momentum * x.var(0)


def _backward(dy, x, g, eps=1e-5, *, variance_path=True, mean_path=True, dgamma_xhat=True, ddof=0,
              bars_as_sums=False, param_means=False, dgamma_with_gamma=False):
    inv_std = 1 / np.sqrt(x.var(0, ddof=ddof) + eps)
    xhat = (x - x.mean(0)) * inv_std
    dxhat = dy * g
    bar = (lambda a: a.sum(0)) if bars_as_sums else (lambda a: a.mean(0))
    dx = dxhat - (bar(dxhat) if mean_path else 0) - (xhat * bar(dxhat * xhat) if variance_path else 0)
    reduce = (lambda a: a.mean(0)) if param_means else (lambda a: a.sum(0))
    dgamma = reduce((dxhat if dgamma_with_gamma else dy) * xhat) if dgamma_xhat else reduce(dy)
    return inv_std * dx, dgamma, reduce(dy)


BN, LN = ex.check_batch_norm_forward, ex.check_layer_norm_forward
# Checked by tests/test_exercises.py: each is rejected with a message naming it, two or more per check.
WRONG = [
    (BN, lambda x, g, b, eps=1e-5: g * _norm(x, 1, eps) + b, "a (5, 3) batch", "axis 1): that is LayerNorm"),
    # The same mistake without keepdims raises on the (5, 3) batch: the hint says what shape the statistics have.
    (BN, lambda x, g, b, eps=1e-5: g * (x - x.mean(1)) / np.sqrt(x.var(1) + eps) + b, "a (5, 3) batch",
     "one mean and one variance per feature"),
    (BN, lambda x, g, b, eps=1e-5: g * _norm(x, 0, eps, ddof=1) + b, "a (5, 3) batch",
     "It looks like you used the unbiased variance"),
    (BN, lambda x, g, b, eps=1e-5: g * (x - x.mean(0)) / (x.std(0) + eps) + b, "a (5, 3) batch",
     "It looks like eps belongs inside the square root"),
    (BN, lambda x, g, b, eps=1e-5: _norm(x, 0, eps), "a learned scale", "forgot the learned scale and shift"),
    (BN, lambda x, g, b, eps=1e-5: g * _norm(x, 0, 0.0) + b, "a learned scale", "It looks like you left out eps"),
    (LN, lambda x, g, b, eps=1e-5: g * _norm(x, 0, eps) + b, "a (4, 6) batch", "axis 0): that is BatchNorm"),
    (LN, lambda x, g, b, eps=1e-5: g * _norm(x, -1, eps, ddof=1) + b, "a (4, 6) batch", "unbiased variance"),
    (LN, lambda x, g, b, eps=1e-5: b * _norm(x, -1, eps) + g, "a (4, 6) batch", "swapped gamma and beta"),
    # Axis 1 works for 2-D inputs but not for tokens (batch, sequence, features).
    (LN, lambda x, g, b, eps=1e-5: g * _norm(x, 1, eps) + b, "tokens", "It looks like you normalized over axis 1"),
    (ex.check_update_running_stats, _keras, "fresh statistics", "weight 1 - momentum"),
    (ex.check_update_running_stats, _biased, "fresh statistics", "running_var: expected"),
    (ex.check_update_running_stats, _biased, "fresh statistics", "unbiased one (divide by n - 1)"),
    (ex.check_update_running_stats, lambda rm, rv, x, momentum=0.1: (x.mean(0), x.var(0, ddof=1)), "fresh statistics",
     "It looks like you replaced the running statistics"),
    (ex.check_batch_norm_backward, lambda *a, **k: _backward(*a, **k, variance_path=False, mean_path=False), "a (4, 3) batch",
     "It looks like you treated the batch mean and variance as constants"),
    (ex.check_batch_norm_backward, lambda *a, **k: _backward(*a, **k, dgamma_xhat=False), "a (4, 3) batch", "dgamma: expected"),
    (ex.check_batch_norm_backward, lambda *a, **k: _backward(*a, **k, dgamma_xhat=False), "a (4, 3) batch",
     "It looks like dgamma is sum(dy * x_hat)"),
    (ex.check_batch_norm_backward, lambda *a, **k: _backward(*a, **k, variance_path=False), "a (4, 3) batch",
     "not the one through the variance"),
    (ex.check_batch_norm_backward, lambda *a, **k: _backward(*a, **k, mean_path=False), "a (4, 3) batch",
     "not the one through the mean"),
    (ex.check_batch_norm_backward, lambda *a, **k: _backward(*a, **k, ddof=1), "a (4, 3) batch",
     "It looks like you used the unbiased variance"),
    (ex.check_batch_norm_backward, lambda *a, **k: _backward(*a, **k, bars_as_sums=True), "a (4, 3) batch",
     "summed over the batch where the formula has means"),
    (ex.check_batch_norm_backward, lambda *a, **k: _backward(*a, **k, param_means=True), "a (4, 3) batch",
     "averaged dgamma and dbeta"),
    # With gamma = 1 in the first case the mistake is invisible there; the second case shows it.
    (ex.check_batch_norm_backward, lambda *a, **k: _backward(*a, **k, dgamma_with_gamma=True), "gamma != 1",
     "put gamma into dgamma"),
    # A fixed eps = 1e-5 only shows in the case with eps = 0.1.
    (BN, lambda x, g, b, eps=1e-5: g * _norm(x, 0, 1e-5) + b, "a feature with a tiny spread",
     "It looks like you ignored the eps argument"),
    (LN, lambda x, g, b, eps=1e-5: g * _norm(x, -1, 1e-5) + b, "a sample with a tiny spread",
     "It looks like you ignored the eps argument"),
    # "Layer" read as the whole (sequence, features) block of a sample.
    (LN, lambda x, g, b, eps=1e-5: g * _norm(x, tuple(range(1, x.ndim)), eps) + b, "tokens",
     "over all its axes but the batch"),
]

