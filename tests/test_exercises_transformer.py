"""Chapter 07's exercise checks: every solution passes; typical wrong answers fail and are named."""
from __future__ import annotations

import numpy as np

from dlbook.exercises import transformer as ex


def _attention(q, k, v, mask=None, *, scale=True, invert=False, stable=True):
    scores = q @ np.swapaxes(k, -1, -2) / (np.sqrt(q.shape[-1]) if scale else 1.0)
    if mask is not None:
        scores = np.where(mask, -np.inf, scores) if invert else np.where(mask, scores, -np.inf)
    if stable:
        scores = scores - scores.max(axis=-1, keepdims=True)
    w = np.exp(scores)
    return w / w.sum(axis=-1, keepdims=True) @ v


def test_attention_mistakes_are_named():
    fb = ex.check_attention(lambda q, k, v, mask=None: _attention(q, k, v, mask, scale=False))
    assert fb.passed is False and "not divided by sqrt(d_k)" in fb.message
    fb = ex.check_attention(lambda q, k, v, mask=None: _attention(q, k, v, mask, invert=True))
    assert fb.passed is False and "wrong way round" in fb.message
    fb = ex.check_attention(lambda q, k, v, mask=None: _attention(q, k, v, mask, stable=False))
    assert fb.passed is False and "large scores" in fb.message and "maximum" in fb.message


def test_k_transposed_with_dot_T_fails_on_a_batch_and_is_named():
    def k_dot_t(q, k, v, mask=None):  # right for 2-D arrays only: .T reverses every axis
        s = q @ k.T / np.sqrt(q.shape[-1])
        if mask is not None:
            s = np.where(mask, s, -np.inf)
        e = np.exp(s - s.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True) @ v
    fb = ex.check_attention(k_dot_t)
    assert fb.passed is False and "batch and heads" in fb.message and "swapaxes" in fb.message


def test_softmax_over_the_wrong_axis_is_named():
    def wrong(q, k, v, mask=None):
        s = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])
        if mask is not None:
            s = np.where(mask, s, -np.inf)
        e = np.exp(s - s.max(axis=-2, keepdims=True))
        return e / e.sum(axis=-2, keepdims=True) @ v
    fb = ex.check_attention(wrong)
    assert fb.passed is False and "over the queries" in fb.message


def test_causal_mask_mistakes_are_named():
    fb = ex.check_causal_mask(lambda n: np.tril(np.ones((n, n), dtype=bool), k=-1))
    assert fb.passed is False and "diagonal" in fb.message
    fb = ex.check_causal_mask(lambda n: np.triu(np.ones((n, n), dtype=bool)))
    assert fb.passed is False and "transposed" in fb.message
    fb = ex.check_causal_mask(lambda n: np.tril(np.ones((n, n))))
    assert fb.passed is False and "dtype bool" in fb.message


def test_parameter_count_mistakes_are_named():
    def correct(d, h, f):
        return 4 * d * d + 3 * d + 4 * d + 2 * d * f + f + d
    fb = ex.check_encoder_layer_parameters(lambda d, h, f: correct(d, h, f) + d)
    assert fb.passed is False and "bias for the key projection" in fb.message
    fb = ex.check_encoder_layer_parameters(lambda d, h, f: correct(d, h, f) - 4 * d)
    assert fb.passed is False and "LayerNorms" in fb.message
    fb = ex.check_encoder_layer_parameters(lambda d, h, f: correct(d, h, f) + (h - 1) * (4 * d * d + 3 * d))
    assert fb.passed is False and "once per head" in fb.message


def test_softmax_backward_mistakes_are_named():
    fb = ex.check_softmax_backward(lambda a, da: da * a * (1 - a))
    assert fb.passed is False and "diagonal of the Jacobian" in fb.message
    fb = ex.check_softmax_backward(lambda a, da: a * (da - np.sum(da * a)))
    assert fb.passed is False and "each row" in fb.message


def test_embedding_backward_mistakes_are_named():
    def buffered(ids, dy, n):
        grad = np.zeros((n, dy.shape[-1]))
        grad[ids.reshape(-1)] += dy.reshape(-1, dy.shape[-1])
        return grad
    fb = ex.check_embedding_backward(buffered)
    assert fb.passed is False and "np.add.at" in fb.message

    def forgot_batch(ids, dy, n):  # works for a flat list of ids only
        grad = np.zeros((n, dy.shape[-1]))
        np.add.at(grad, ids, dy)
        return grad[:, :dy.shape[-1]] if ids.ndim == 1 else grad[:1]
    fb = ex.check_embedding_backward(forgot_batch)
    assert fb.passed is False and "batch of sentences" in fb.message


def test_checks_never_raise():
    for check in (ex.check_attention, ex.check_causal_mask, ex.check_encoder_layer_parameters,
                  ex.check_softmax_backward, ex.check_embedding_backward):
        assert check(lambda *a: 1 / 0).passed is False
        assert check("not a function").passed is False
