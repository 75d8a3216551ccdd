"""Solutions of chapter 07's exercises (the Transformer). Each one is written out in full,
as a reader would, without calling the dlbook function it reproduces."""
from __future__ import annotations

import numpy as np


def attention(q: np.ndarray, k: np.ndarray, v: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
    """Scaled dot-product attention, softmax(Q Kᵀ / √d_k) V, with an optional boolean mask (True = may attend).

    Shapes: q (..., len_q, d_k), k (..., len_k, d_k), v (..., len_k, d_v) → (..., len_q, d_v).
    Every query in the cases can attend to at least one key.
    """
    d_k = q.shape[-1]
    scores = q @ np.swapaxes(k, -1, -2) / np.sqrt(d_k)      # (..., len_q, len_k)
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)             # hidden keys: exp(-inf) = 0
    scores = scores - scores.max(axis=-1, keepdims=True)     # stable softmax over the keys
    weights = np.exp(scores)
    weights = weights / weights.sum(axis=-1, keepdims=True)
    return weights @ v


def causal_mask(n: int) -> np.ndarray:
    """(n, n) booleans, True where query i may attend to key j, i.e. j <= i (itself included)."""
    i = np.arange(n)[:, None]
    j = np.arange(n)[None, :]
    return j <= i


def encoder_layer_parameters(d_model: int, num_heads: int, d_ff: int) -> int:
    """How many numbers one dlbook EncoderLayer learns.

    Multi-head attention: q, v and out projections with bias (3·(d² + d)) and the key
    projection without (d²); the heads only cut those matrices into slices, so their
    number does not matter. Two LayerNorms: γ and β each (4·d). Feed-forward:
    d·d_ff + d_ff, then d_ff·d + d.
    """
    attention = 4 * d_model * d_model + 3 * d_model
    norms = 2 * 2 * d_model
    ffn = d_model * d_ff + d_ff + d_ff * d_model + d_model
    return attention + norms + ffn


def softmax_backward(weights: np.ndarray, dweights: np.ndarray) -> np.ndarray:
    """Gradient for the scores from the gradient for the softmax weights, row by row (last axis).

    ∂a_j/∂s_i = a_j(δ_ij − a_i), so ds_i = Σ_j da_j a_j (δ_ij − a_i) = a_i (da_i − Σ_j da_j a_j).
    """
    return weights * (dweights - np.sum(dweights * weights, axis=-1, keepdims=True))


def embedding_backward(ids: np.ndarray, dy: np.ndarray, num_embeddings: int) -> np.ndarray:
    """The gradient of the embedding table: each position's dy added into the row of its id.

    Shapes: ids (...) int, dy (..., dim) → (num_embeddings, dim). A repeated id gets the
    sum of its rows; ``grad[ids] += dy`` would keep only one of them.
    """
    grad = np.zeros((num_embeddings, dy.shape[-1]), dtype=dy.dtype)
    np.add.at(grad, ids, dy)  # unbuffered: a repeated id adds every one of its rows
    return grad
