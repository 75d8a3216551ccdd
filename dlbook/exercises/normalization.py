"""Checks of chapter 06's exercises (Layer Norm and Batch Norm).

Each check compares the learner's function with dlbook's ``BatchNorm1d`` or
``LayerNorm`` on several cases and never raises; a typical mistake (the wrong axis,
the unbiased variance, eps outside the square root, ...) is named when recognised.

In the chapter::

    from dlbook.exercises import normalization as ex
    ex.check_batch_norm_forward(my_batch_norm_forward)
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..i18n import gettext as _
from ..normalization import BatchNorm1d, LayerNorm
from ..rng import as_rng
from .checking import Case, Feedback, Mistake, check_function

__all__ = ["check_batch_norm_forward", "check_layer_norm_forward", "check_update_running_stats",
           "check_batch_norm_backward"]

F64 = np.float64


# --- references: dlbook's own layers in float64 ------------------------------------------------------
def _batch_norm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float) -> BatchNorm1d:
    bn = BatchNorm1d(x.shape[1], eps=eps, dtype=F64)
    bn.weight.data[:] = gamma
    bn.bias.data[:] = beta
    return bn


def _batch_norm_forward_reference(x, gamma, beta, eps=1e-5):
    return _batch_norm(x, gamma, beta, eps)(x)


def _layer_norm_forward_reference(x, gamma, beta, eps=1e-5):
    ln = LayerNorm(x.shape[-1], eps=eps, dtype=F64)
    ln.weight.data[:] = gamma
    ln.bias.data[:] = beta
    return ln(x)


def _running_stats_reference(running_mean, running_var, x, momentum=0.1):
    bn = BatchNorm1d(x.shape[1], momentum=momentum, dtype=F64)
    bn.running_mean[:] = running_mean
    bn.running_var[:] = running_var
    bn(x)
    return bn.running_mean.copy(), bn.running_var.copy()


def _batch_norm_backward_reference(dy, x, gamma, eps=1e-5):
    bn = _batch_norm(x, gamma, np.zeros_like(gamma), eps)
    bn(x)
    dx = bn.backward(dy)
    return dx, bn.weight.grad.copy(), bn.bias.grad.copy()


# --- typical mistakes, written out ----------------------------------------------------------------------
def _normalize(x, axis, eps, ddof=0, eps_inside=True):
    mean = x.mean(axis=axis, keepdims=True)
    var = x.var(axis=axis, keepdims=True, ddof=ddof)
    return (x - mean) / (np.sqrt(var + eps) if eps_inside else np.sqrt(var) + eps)


def _forward_mistakes(axis: int, wrong_axis: int, wrong_axis_says: str) -> list[Mistake]:
    return [
        Mistake(wrong_axis_says, lambda x, g, b, eps=1e-5: g * _normalize(x, wrong_axis, eps) + b),
        Mistake(_("you used the unbiased variance (divide by n - 1); normalizing uses the biased one "
                  "(divide by n), as PyTorch does"), lambda x, g, b, eps=1e-5: g * _normalize(x, axis, eps, ddof=1) + b),
        Mistake(_("eps belongs inside the square root: (x - mean) / sqrt(var + eps), not / (std + eps)"),
                lambda x, g, b, eps=1e-5: g * _normalize(x, axis, eps, eps_inside=False) + b),
        Mistake(_("you left out eps: (x - mean) / sqrt(var + eps)"),
                lambda x, g, b, eps=1e-5: g * _normalize(x, axis, 0.0) + b),
        Mistake(_("you forgot the learned scale and shift: y = gamma * x_hat + beta"),
                lambda x, g, b, eps=1e-5: _normalize(x, axis, eps)),
        Mistake(_("you swapped gamma and beta: gamma scales, beta shifts"),
                lambda x, g, b, eps=1e-5: b * _normalize(x, axis, eps) + g),
        Mistake(_("you ignored the eps argument (a fixed 1e-5 instead): use the eps your function is given"),
                lambda x, g, b, eps=1e-5: g * _normalize(x, axis, 1e-5) + b),
    ]


# --- the checks ---------------------------------------------------------------------------------------------
def check_batch_norm_forward(learner: Callable[..., np.ndarray]) -> Feedback:
    """Check ``learner(x, gamma, beta, eps=1e-5)``: BatchNorm in training mode on x of shape (batch, features)."""
    gen = as_rng(61)
    x = gen.normal(2.0, 3.0, (5, 3))
    cases = [
        Case(_("a (5, 3) batch, gamma = 1, beta = 0"), (x, np.ones(3), np.zeros(3)),
             hint=_("BatchNorm has one mean and one variance per feature (shape (3,) here), taken over axis 0.")),
        Case(_("a learned scale and shift"), (x, np.array([2.0, 0.5, -1.0]), np.array([0.1, -0.2, 3.0]))),
        Case(_("a feature with a tiny spread and eps = 0.1"), (np.array([[1.0, 0.0], [1.2, 4.0], [0.9, -2.0]]),
                                                            np.ones(2), np.zeros(2)), {"eps": 0.1}),
        Case(_("a batch of two samples"), (gen.standard_normal((2, 4)), np.ones(4), np.zeros(4))),
        Case(_("a square (4, 4) batch"), (gen.normal(0.0, 5.0, (4, 4)), gen.standard_normal(4), gen.standard_normal(4))),
    ]
    mistakes = _forward_mistakes(0, 1, _("you normalized each sample over its features (axis 1): that is LayerNorm. "
                                         "BatchNorm takes each feature's mean and variance over the batch (axis 0)"))
    return check_function("batch_norm_forward", learner, _batch_norm_forward_reference, cases, mistakes=mistakes)


def check_layer_norm_forward(learner: Callable[..., np.ndarray]) -> Feedback:
    """Check ``learner(x, gamma, beta, eps=1e-5)``: LayerNorm over the last axis of x (..., features)."""
    gen = as_rng(62)
    cases = [
        Case(_("a (4, 6) batch, gamma = 1, beta = 0"), (gen.normal(1.0, 2.0, (4, 6)), np.ones(6), np.zeros(6)),
             hint=_("LayerNorm has one mean and one variance per sample, over the last axis (keepdims=True "
                    "keeps them broadcastable).")),
        Case(_("a learned scale and shift"), (gen.normal(0.0, 3.0, (3, 5)), gen.standard_normal(5), gen.standard_normal(5))),
        Case(_("tokens: a (2, 3, 4) input (batch, sequence, features)"),
             (gen.standard_normal((2, 3, 4)), np.ones(4), np.zeros(4))),
        Case(_("a single sample"), (gen.standard_normal((1, 5)), np.ones(5), np.zeros(5))),
        Case(_("a sample with a tiny spread and eps = 0.1"), (np.array([[1.0, 1.1, 0.9, 1.0]]), np.ones(4), np.zeros(4)),
             {"eps": 0.1}),
    ]
    mistakes = _forward_mistakes(-1, 0, _("you normalized over the batch (axis 0): that is BatchNorm. LayerNorm "
                                          "takes each sample's mean and variance over its own features (the last "
                                          "axis)"))
    mistakes.append(Mistake(_("you normalized over axis 1, which is the features only for 2-D inputs: for tokens "
                              "(batch, sequence, features) it is the sequence. Use the last axis, axis=-1"),
                            lambda x, g, b, eps=1e-5: g * _normalize(x, 1, eps) + b))
    mistakes.append(Mistake(_("you normalized each sample over all its axes but the batch (sequence and features): "
                              "LayerNorm(d_model) normalizes each token on its own, over the last axis only"),
                            lambda x, g, b, eps=1e-5: g * _normalize(x, tuple(range(1, x.ndim)), eps) + b))
    return check_function("layer_norm_forward", learner, _layer_norm_forward_reference, cases, mistakes=mistakes)


def check_update_running_stats(learner: Callable[..., tuple[np.ndarray, np.ndarray]]) -> Feedback:
    """Check ``learner(running_mean, running_var, x, momentum=0.1) -> (new_mean, new_var)``."""
    gen = as_rng(63)
    cases = [
        Case(_("fresh statistics (0 and 1), a batch of 2"), (np.zeros(2), np.ones(2), np.array([[1.0, 0.0], [3.0, 4.0]]))),
        Case(_("statistics already learned, a batch of 8"),
             (np.array([0.5, -1.0, 2.0]), np.array([1.5, 0.2, 4.0]), gen.normal(1.0, 2.0, (8, 3)))),
        Case(_("momentum = 0.5"), (np.array([0.3, 0.3]), np.array([2.0, 0.5]), gen.standard_normal((4, 2))),
             {"momentum": 0.5}),
    ]

    def blend(rm, rv, x, m, new_weight, ddof):
        return ((1 - new_weight(m)) * rm + new_weight(m) * x.mean(0),
                (1 - new_weight(m)) * rv + new_weight(m) * x.var(0, ddof=ddof))

    mistakes = [
        Mistake(_("you blended in the biased batch variance (divide by n); the running estimate takes the unbiased "
                  "one (divide by n - 1), as PyTorch, even though normalizing a batch uses the biased one"),
                lambda rm, rv, x, momentum=0.1: blend(rm, rv, x, momentum, lambda m: m, 0)),
        Mistake(_("you gave the new batch the weight 1 - momentum: in PyTorch momentum is the weight of the new "
                  "batch (Keras uses the opposite convention)"),
                lambda rm, rv, x, momentum=0.1: blend(rm, rv, x, momentum, lambda m: 1 - m, 1)),
        Mistake(_("you replaced the running statistics by the batch's: they are a moving average"),
                lambda rm, rv, x, momentum=0.1: blend(rm, rv, x, momentum, lambda m: 1.0, 1)),
    ]
    return check_function("update_running_stats", learner, _running_stats_reference, cases, mistakes=mistakes,
                          parts=("running_mean", "running_var"))


def check_batch_norm_backward(learner: Callable[..., tuple[np.ndarray, np.ndarray, np.ndarray]]) -> Feedback:
    """Check ``learner(dy, x, gamma, eps=1e-5) -> (dx, dgamma, dbeta)`` for BatchNorm in training mode."""
    gen = as_rng(64)
    cases = [
        Case(_("a (4, 3) batch, gamma = 1"), (gen.standard_normal((4, 3)), gen.normal(1.0, 2.0, (4, 3)), np.ones(3))),
        Case(_("gamma != 1"), (gen.standard_normal((6, 2)), gen.normal(0.0, 3.0, (6, 2)), np.array([2.0, -0.5]))),
        Case(_("a batch of three, eps = 0.1"), (gen.standard_normal((3, 4)), gen.standard_normal((3, 4)),
                                             gen.standard_normal(4)), {"eps": 0.1}),
    ]

    def parts(dy, x, g, eps):
        inv_std = 1.0 / np.sqrt(x.var(0) + eps)
        xhat = (x - x.mean(0)) * inv_std
        return inv_std, xhat, dy * g

    def constant_stats(dy, x, g, eps=1e-5):
        inv_std, xhat, dxhat = parts(dy, x, g, eps)
        return dxhat * inv_std, (dy * xhat).sum(0), dy.sum(0)

    def no_variance_path(dy, x, g, eps=1e-5):
        inv_std, xhat, dxhat = parts(dy, x, g, eps)
        return inv_std * (dxhat - dxhat.mean(0)), (dy * xhat).sum(0), dy.sum(0)

    def general(dy, x, g, eps=1e-5, *, ddof=0, mean_path=True, variance_path=True, bar=np.mean,
                reduce=np.sum, dgamma_with_gamma=False):
        inv_std = 1.0 / np.sqrt(x.var(0, ddof=ddof) + eps)
        xhat = (x - x.mean(0)) * inv_std
        dxhat = dy * g
        dx = dxhat - (bar(dxhat, 0) if mean_path else 0) - (xhat * bar(dxhat * xhat, 0) if variance_path else 0)
        return inv_std * dx, reduce((dxhat if dgamma_with_gamma else dy) * xhat, 0), reduce(dy, 0)

    def dgamma_without_xhat(dy, x, g, eps=1e-5):
        dx, _dgamma, dbeta = _batch_norm_backward_reference(dy, x, g, eps)
        return dx, dy.sum(0), dbeta

    def dx_without_gamma(dy, x, g, eps=1e-5):
        _dx, dgamma, dbeta = _batch_norm_backward_reference(dy, x, g, eps)
        return _batch_norm_backward_reference(dy, x, np.ones_like(g), eps)[0], dgamma, dbeta

    mistakes = [
        Mistake(_("you treated the batch mean and variance as constants (dx = dy * gamma / std): every sample also "
                  "moves the mean and the variance that all samples share, and those paths add two terms"),
                constant_stats),
        Mistake(_("you kept the path through the mean but not the one through the variance: subtract "
                  "x_hat * mean(dx_hat * x_hat) too"), no_variance_path),
        Mistake(_("dgamma is sum(dy * x_hat) over the batch, not sum(dy)"), dgamma_without_xhat),
        Mistake(_("you left gamma out of dx: the gradient reaching x_hat is dy * gamma"), dx_without_gamma),
        Mistake(_("you used the unbiased variance (divide by n - 1): training-mode BatchNorm normalizes with the "
                  "biased one (divide by n), so its gradient does too"),
                lambda dy, x, g, eps=1e-5: general(dy, x, g, eps, ddof=1)),
        Mistake(_("you kept the path through the variance but not the one through the mean: subtract "
                  "mean(dx_hat) too"), lambda dy, x, g, eps=1e-5: general(dy, x, g, eps, mean_path=False)),
        Mistake(_("you summed over the batch where the formula has means: mean(dx_hat) and mean(dx_hat * x_hat) "
                  "divide by the batch size"), lambda dy, x, g, eps=1e-5: general(dy, x, g, eps, bar=np.sum)),
        Mistake(_("you averaged dgamma and dbeta over the batch: a parameter used by every sample collects the "
                  "sum of their gradients"), lambda dy, x, g, eps=1e-5: general(dy, x, g, eps, reduce=np.mean)),
        Mistake(_("you put gamma into dgamma: dgamma = sum(dy * x_hat), since y = gamma * x_hat + beta"),
                lambda dy, x, g, eps=1e-5: general(dy, x, g, eps, dgamma_with_gamma=True)),
    ]
    return check_function("batch_norm_backward", learner, _batch_norm_backward_reference, cases, mistakes=mistakes,
                          parts=("dx", "dgamma", "dbeta"))
