"""Chapter 08's checks name the mistake of each plausible wrong answer."""
from __future__ import annotations


import numpy as np
import pytest

from dlbook.exercises import softmax as ex


def _softmax(x, axis=-1, *, shift="row max", per_row_sum=True):
    m = {"row max": lambda: np.max(x, axis=axis, keepdims=True), "global max": lambda: np.max(x),
         "none": lambda: 0.0, "row min": lambda: np.min(x, axis=axis, keepdims=True),
         "row mean": lambda: np.mean(x, axis=axis, keepdims=True)}[shift]()
    e = np.exp(x - m)
    return e / (np.sum(e, axis=axis, keepdims=True) if per_row_sum else np.sum(e))


def _last_axis_softmax(x, axis=-1):
    return _softmax(x, -1)


def _no_keepdims_softmax(x, axis=-1):
    e = np.exp(x - np.max(x, axis=axis))  # shape (n,) lines up with the columns
    return e / np.sum(e, axis=axis)


def _logsumexp(x, *, shift="row max", add_back=True):
    m = {"row max": lambda: np.max(x, axis=-1, keepdims=True), "global max": lambda: np.max(x),
         "none": lambda: 0.0, "row min": lambda: np.min(x, axis=-1, keepdims=True),
         "row mean": lambda: np.mean(x, axis=-1, keepdims=True)}[shift]()
    return ((m if add_back else 0.0) + np.log(np.sum(np.exp(x - m), axis=-1, keepdims=True)))[..., 0]


def _no_keepdims_logsumexp(x):
    m = np.max(x, axis=-1)
    return m + np.log(np.sum(np.exp(x - m), axis=-1))


def _grad(logits, targets, *, columns=False, mean=True, stable=True, everywhere=False):
    p = _softmax(logits, shift="row max" if stable else "none")
    n = len(targets)
    if everywhere:
        p = p - 1.0
    elif columns:
        p[:, targets] -= 1.0  # subtracts at every target column in every row
    else:
        p[np.arange(n), targets] -= 1.0
    return p / n if mean else p


# Checked by tests/test_exercises.py: each is rejected with a message naming it, two or more per check.
WRONG = [
    (ex.check_softmax, lambda x, axis=-1: _softmax(x, axis, shift="none"), "large logits",
     "It looks like you exponentiated the logits directly"),
    (ex.check_softmax, lambda x, axis=-1: _softmax(x, axis, per_row_sum=False), "a batch of 3 rows",
     "It looks like you divided by the sum over the whole array"),
    (ex.check_softmax, lambda x, axis=-1: _softmax(x, axis, shift="row min"), "a wide range",
     "It looks like you subtracted the minimum"),
    (ex.check_softmax, _last_axis_softmax, "axis=0", "It looks like you always used the last axis"),
    (ex.check_softmax, lambda x, axis=-1: _softmax(x, axis, shift="global max"), "rows of very different scale",
     "It looks like you subtracted the maximum of the whole array, not each row's"),
    (ex.check_softmax, lambda x, axis=-1: _softmax(x, axis, shift="global max"), "rows of very different scale",
     "the result contains nan at index (1, 0) (expected 0.705385"),
    (ex.check_softmax, lambda x, axis=-1: _softmax(x, axis, shift="row mean"), "a wide range",
     "It looks like you subtracted the mean"),
    (ex.check_softmax, _no_keepdims_softmax, "a batch of 3 rows",
     "It looks like you took the maximum and the sum without keepdims=True"),
    (ex.check_logsumexp, lambda x: _logsumexp(x, shift="row min"), "a wide range",
     "It looks like you subtracted the minimum or the mean"),
    (ex.check_logsumexp, lambda x: _logsumexp(x, shift="row mean"), "a wide range",
     "It looks like you subtracted the minimum or the mean"),
    (ex.check_logsumexp, _no_keepdims_logsumexp, "a batch of 2 rows",
     "It looks like you took the maximum without keepdims=True"),
    (ex.check_logsumexp, lambda x: _logsumexp(x, shift="none"), "large logits",
     "It looks like you computed log(sum(exp(x))) directly"),
    (ex.check_logsumexp, lambda x: _logsumexp(x, add_back=False), "[1, 2, 3]",
     "It looks like you forgot to add the maximum back"),
    (ex.check_logsumexp, lambda x: _logsumexp(x)[..., None], "[1, 2, 3]", "expected shape (), got shape (1,)"),
    (ex.check_logsumexp, lambda x: _logsumexp(x, shift="global max"), "rows of very different scale",
     "It looks like you subtracted the maximum of the whole array, not each row's"),
    (ex.check_cross_entropy_grad, lambda lg, t: _grad(lg, t, columns=True), "a batch of 4 samples",
     "It looks like you subtracted 1 with p[:, targets] -= 1"),
    (ex.check_cross_entropy_grad, lambda lg, t: _grad(lg, t, mean=False), "a batch of 4 samples",
     "It looks like you forgot the mean"),
    (ex.check_cross_entropy_grad, lambda lg, t: _grad(lg, t, everywhere=True), "one sample",
     "It looks like you subtracted 1 from every entry"),
    (ex.check_cross_entropy_grad, lambda lg, t: _grad(lg, t, stable=False), "large logits",
     "It looks like your softmax overflows on large logits"),
    (ex.check_cross_entropy_grad, lambda lg, t: -_grad(lg, t), "one sample",
     "It looks like you computed (y − p) / n, the opposite sign"),
    (ex.check_softmax_with_temperature, lambda x, t: _softmax(x * t), "T = 4",
     "It looks like you multiplied the logits by T"),
    (ex.check_softmax_with_temperature, lambda x, t: _softmax(x / t, shift="none"), "T = 0.001",
     "It looks like your softmax of x / T overflows"),
    (ex.check_softmax_with_temperature, lambda x, t: _softmax(x) ** (1 / t), "T = 4",
     "It looks like you raised the probabilities to the power 1/T"),
]

