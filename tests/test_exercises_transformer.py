"""Chapter 07's checks name the mistake of each plausible wrong answer."""
from __future__ import annotations


import numpy as np
import pytest

from dlbook.exercises import transformer as ex


def _attention(q, k, v, mask=None, *, scale=True, invert=False, stable=True, axis=-1, dot_t=False):
    scores = (q @ k.T if dot_t else q @ np.swapaxes(k, -1, -2)) / (np.sqrt(q.shape[-1]) if scale else 1.0)
    if mask is not None:
        scores = np.where(mask, -np.inf, scores) if invert else np.where(mask, scores, -np.inf)
    if stable:
        scores = scores - scores.max(axis=axis, keepdims=True)
    w = np.exp(scores)
    return w / w.sum(axis=axis, keepdims=True) @ v


def _mask_after_softmax(q, k, v, mask=None):  # hidden keys zeroed after the softmax, not renormalised
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(q.shape[-1])
    w = np.exp(scores - scores.max(axis=-1, keepdims=True))
    w = w / w.sum(axis=-1, keepdims=True)
    return (w if mask is None else w * mask) @ v


def _scaled_by(divisor):
    def attention(q, k, v, mask=None):
        scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(divisor(q, k, v))
        if mask is not None:
            scores = np.where(mask, scores, -np.inf)
        w = np.exp(scores - scores.max(axis=-1, keepdims=True))
        return w / w.sum(axis=-1, keepdims=True) @ v
    return attention


def _count(d, h, f):
    return 4 * d * d + 3 * d + 4 * d + 2 * d * f + f + d


def _buffered(ids, dy, n):
    grad = np.zeros((n, dy.shape[-1]))
    grad[ids.reshape(-1)] += dy.reshape(-1, dy.shape[-1])
    return grad


def _assigned(ids, dy, n):
    grad = np.zeros((n, dy.shape[-1]))
    grad[ids.reshape(-1)] = dy.reshape(-1, dy.shape[-1])
    return grad


def _flat_ids_only(ids, dy, n):  # works for a flat list of ids only
    grad = np.zeros((n, dy.shape[-1]))
    np.add.at(grad, ids, dy)
    return grad[:, :dy.shape[-1]] if ids.ndim == 1 else grad[:1]


# Checked by tests/test_exercises.py: each is rejected with a message naming it, two or more per check.
WRONG = [
    (ex.check_attention, lambda q, k, v, mask=None: _attention(q, k, v, mask, scale=False), "3 queries",
     "It looks like the scores are not divided by sqrt(d_k)"),
    (ex.check_attention, lambda q, k, v, mask=None: _attention(q, k, v, mask, invert=True), "causal mask",
     "It looks like the mask is used the wrong way round"),
    (ex.check_attention, lambda q, k, v, mask=None: _attention(q, k, v, mask, stable=False), "large scores",
     "Hint: subtract each row's maximum"),
    (ex.check_attention, lambda q, k, v, mask=None: _attention(q, k, v, mask, dot_t=True), "batch and heads",
     "swapaxes"),
    (ex.check_attention, lambda q, k, v, mask=None: _attention(q, k, v, mask, axis=-2), "one query",
     "It looks like the softmax runs over the queries"),
    (ex.check_attention, _mask_after_softmax, "causal mask", "It looks like the mask was applied after the softmax"),
    (ex.check_attention, _scaled_by(lambda q, k, v: k.shape[-2]), "one query",
     "It looks like the scores are divided by the square root of the number of keys"),
    (ex.check_attention, _scaled_by(lambda q, k, v: v.shape[-1]), "one query",
     "It looks like the scores are divided by the square root of d_v"),
    (ex.check_causal_mask, lambda n: np.triu(np.ones((n, n), dtype=bool), k=1), "n = 1",
     "It looks like you made a PyTorch-style mask, True = blocked"),
    (ex.check_causal_mask, lambda n: np.tril(np.ones((n, n), dtype=bool), k=-1), "n = 1",
     "It looks like the diagonal is False"),
    (ex.check_causal_mask, lambda n: np.triu(np.ones((n, n), dtype=bool)), "n = 2",
     "It looks like the mask is transposed"),
    (ex.check_causal_mask, lambda n: np.tril(np.ones((n, n))), "n = 1", "the dtype is float64"),
    (ex.check_encoder_layer_parameters, lambda d, h, f: _count(d, h, f) + d, "d_model=4",
     "It looks like you counted a bias for the key projection"),
    (ex.check_encoder_layer_parameters, lambda d, h, f: _count(d, h, f) - 4 * d, "d_model=4",
     "It looks like the two LayerNorms"),
    (ex.check_encoder_layer_parameters, lambda d, h, f: _count(d, h, f) + (h - 1) * (4 * d * d + 3 * d),
     "d_model=8", "It looks like the attention weights were counted once per head"),
    (ex.check_encoder_layer_parameters, lambda d, h, f: _count(d, h, f) - 2 * d, "d_model=4",
     "It looks like only one LayerNorm was counted"),
    (ex.check_encoder_layer_parameters, lambda d, h, f: _count(d, h, f) + 2 * d, "d_model=4",
     "It looks like a third LayerNorm was counted"),
    (ex.check_encoder_layer_parameters, lambda d, h, f: _count(d, h, f) - d * d - d, "d_model=4",
     "It looks like the output projection"),
    (ex.check_softmax_backward, lambda a, da: da - np.sum(da * a, axis=-1, keepdims=True), "two weights",
     "It looks like the factor a_i in front is missing"),
    (ex.check_softmax_backward, lambda a, da: a * (da - np.sum(da, axis=-1, keepdims=True)), "two weights",
     "It looks like the sum is not weighted by the softmax"),
    (ex.check_softmax_backward, lambda a, da: a * (np.sum(da * a, axis=-1, keepdims=True) - da), "two weights",
     "It looks like the sign is flipped"),
    (ex.check_softmax_backward, lambda a, da: da * a * (1 - a), "two weights",
     "It looks like only the diagonal of the Jacobian"),
    (ex.check_softmax_backward, lambda a, da: a * (da - np.sum(da * a)), "a batch of rows",
     "It looks like the sum runs over the whole array"),
    (ex.check_embedding_backward, _buffered, "a repeated id", "It looks like grad[ids] += dy (or"),
    (ex.check_embedding_backward, _assigned, "a repeated id", "(or grad[ids] = dy) keeps only one"),
    (ex.check_embedding_backward, _flat_ids_only, "a batch of sentences", "expected shape (5, 4), got shape (1, 4)"),
]

