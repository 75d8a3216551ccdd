"""Chapter 08's exercise checks: every solution passes, typical mistakes fail with a message naming them."""
from __future__ import annotations

import numpy as np
import pytest

from dlbook.exercises import softmax as ex
from dlbook.solutions import softmax as sol


def _naive_softmax(x, axis=-1):
    e = np.exp(x)
    return e / np.sum(e, axis=axis, keepdims=True)


def _whole_batch_softmax(x, axis=-1):
    e = np.exp(x - np.max(x))
    return e / np.sum(e)


def _min_shift_softmax(x, axis=-1):
    e = np.exp(x - np.min(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def _last_axis_softmax(x, axis=-1):
    e = np.exp(x - np.max(x, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


def _grad_without_mean(logits, targets):
    return sol.cross_entropy_grad(logits, targets) * len(targets)


def _grad_minus_one_everywhere(logits, targets):
    return (sol.softmax(logits) - 1.0) / len(targets)


def _grad_naive_softmax(logits, targets):
    p = _naive_softmax(logits)
    p[np.arange(len(targets)), targets] -= 1
    return p / len(targets)


MISTAKES = [
    (ex.check_softmax, _naive_softmax, "large logits", "subtract the maximum"),
    (ex.check_softmax, _whole_batch_softmax, "a batch of 3 rows", "divided by its own total"),
    (ex.check_softmax, _min_shift_softmax, "a wide range", "not the minimum"),
    (ex.check_softmax, _last_axis_softmax, "axis=0", "pass `axis` on"),
    (ex.check_logsumexp, lambda x: np.log(np.sum(np.exp(x), axis=-1)), "large logits", "overflows"),
    (ex.check_logsumexp, lambda x: np.log(np.sum(np.exp(x - x.max(axis=-1, keepdims=True)), axis=-1)), "[1, 2, 3]",
     "forgot to add the maximum"),
    (ex.check_logsumexp, lambda x: sol.logsumexp(x)[..., None], "[1, 2, 3]", "expected shape ()"),
    (ex.check_cross_entropy_grad, _grad_without_mean, "a batch of 4 samples", "(p − y) / n"),
    (ex.check_cross_entropy_grad, _grad_minus_one_everywhere, "one sample", "minus 1 at the target class only"),
    (ex.check_cross_entropy_grad, _grad_naive_softmax, "large logits", "stable softmax"),
    (ex.check_softmax_with_temperature, lambda x, t: sol.softmax(x * t), "T = 4", "divide the logits by T"),
    (ex.check_softmax_with_temperature, lambda x, t: _naive_softmax(x / t), "T = 0.001", "stable softmax"),
    (ex.check_softmax_with_temperature, lambda x, t: sol.softmax(x) ** (1 / t), "T = 4", "divide the logits by T"),
]


@pytest.mark.parametrize("check, wrong, case, words", MISTAKES)
def test_typical_mistakes_fail_with_a_message_naming_them(check, wrong, case, words):
    fb = check(wrong)
    assert fb.passed is False
    assert f"case '{case}" in fb.message and words in fb.message
