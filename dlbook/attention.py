"""Attention (어텐션): scaled dot-product attention, its masks, and multi-head attention.

Scaled dot-product attention (스케일드 닷-프로덕트 어텐션) lets every query position
take a weighted average of the value vectors, the weights saying how well the query
matches each key::

    scores  = Q Kᵀ / √d_k              (len_q, len_k)
    weights = softmax(scores, over keys) each row sums to 1
    output  = weights V                (len_q, d_v)

A boolean mask (True = "may attend") removes keys before the softmax: padding
(패딩) that is not a word, or future words the decoder must not see.

Everything works on arrays with any leading axes (batch, heads), so one call handles
a whole batch and every head at once, without a Python loop.
"""
from __future__ import annotations

import math

import numpy as np

from ._checks import as_float_array, as_int_array, check_last_dim, check_positive_int
from . import fast
from .layers import Linear
from .module import Module
from .rng import as_rng

__all__ = ["scaled_dot_product_attention", "scaled_dot_product_attention_backward", "padding_mask", "causal_mask",
           "ScaledDotProductAttention", "MultiHeadAttention"]


# --- masks ------------------------------------------------------------------------------
def padding_mask(ids: np.ndarray, pad_id: int) -> np.ndarray:
    """Which keys are real tokens: True where ``ids != pad_id``.

    True = may attend, as in PyTorch's ``torch.nn.functional.scaled_dot_product_attention``;
    the opposite of ``nn.MultiheadAttention``'s ``attn_mask`` and ``key_padding_mask``,
    where True = blocked (pass ``~mask`` there).

    Parameters
    ----------
    ids : np.ndarray of int, shape (batch, len_k)
    pad_id : int

    Returns
    -------
    np.ndarray of bool, shape (batch, 1, 1, len_k)
        Ready to broadcast against attention scores (batch, heads, len_q, len_k):
        the same keys are hidden from every head and every query.
    """
    ids = as_int_array(ids, "ids")
    if ids.ndim != 2:
        raise ValueError(f"ids must have shape (batch, len), got {ids.shape}")
    return (ids != pad_id)[:, None, None, :]


def causal_mask(n: int) -> np.ndarray:
    """Position i may attend to positions 0..i (itself and the past), never to the future.

    True = may attend, as in PyTorch's ``torch.nn.functional.scaled_dot_product_attention``
    (``is_causal=True`` builds this mask); the opposite of ``nn.MultiheadAttention``'s
    ``attn_mask``, where True = blocked (``nn.Transformer.generate_square_subsequent_mask``
    gives −inf above the diagonal instead).

    Returns
    -------
    np.ndarray of bool, shape (n, n)
        Lower-triangular, diagonal included: ``mask[i, j]`` is True when j ≤ i.
    """
    n = check_positive_int(n, "n")
    return np.tril(np.ones((n, n), dtype=bool))


def check_mask(mask: np.ndarray | None, scores_shape: tuple[int, ...]) -> np.ndarray | None:
    """Require a boolean mask that broadcasts to the scores' shape; return it (or None)."""
    if mask is None:
        return None
    mask = np.asarray(mask)
    if mask.dtype != bool:
        raise TypeError(f"mask must be a boolean array (True = may attend), got dtype {mask.dtype}")
    try:
        np.broadcast_shapes(mask.shape, scores_shape)
    except ValueError:
        raise ValueError(f"mask of shape {mask.shape} does not broadcast to the attention scores' shape "
                         f"{scores_shape} (batch, heads, len_q, len_k)") from None
    if np.broadcast_shapes(mask.shape, scores_shape) != tuple(scores_shape):
        raise ValueError(f"mask of shape {mask.shape} would enlarge the scores' shape {scores_shape}")
    return mask


# --- the function and its backward ---------------------------------------------------------
def masked_softmax(scores: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
    """Softmax over the last axis (the keys), with masked-out keys given weight exactly 0.

    A row whose keys are *all* masked (a query that may attend to nothing) gets all-zero
    weights, not NaN: there is nothing to average, so its output is the zero vector and
    no gradient flows through it. (PyTorch's nn.MultiheadAttention returns NaN for such a row;
    F.scaled_dot_product_attention with a boolean mask returns zeros, as here.)
    """
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)  # exp(-inf) = 0 exactly
    if fast.ENABLED:
        # The lines below, with faster reductions over many short rows (dlbook/fast.py;
        # tests/test_fast.py checks that both give the same weights).
        return fast.softmax_rows(scores)
    m = np.max(scores, axis=-1, keepdims=True)
    m[~np.isfinite(m)] = 0  # a fully masked row has max -inf: shift it by 0 instead
    e = np.exp(scores - m)
    total = np.sum(e, axis=-1, keepdims=True)
    total[total == 0] = 1  # that row stays all zeros
    return e / total


def masked_softmax_backward(weights: np.ndarray, dy: np.ndarray) -> np.ndarray:
    """Gradient for the scores, given the softmax weights and ``dy``, the gradient for them (last axis).

    ∂a_j/∂s_i = a_j(δ_ij − a_i), so ds_i = a_i·(da_i − Σ_j da_j·a_j). A masked key has
    a_i = 0, so its score gets no gradient: the mask needs no special case.
    """
    if fast.ENABLED:
        return fast.softmax_rows_backward(weights, dy)  # the line below, with a faster sum (dlbook/fast.py)
    return weights * (dy - np.sum(dy * weights, axis=-1, keepdims=True))


def scaled_dot_product_attention(q: np.ndarray, k: np.ndarray, v: np.ndarray,
                                 mask: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """softmax(Q Kᵀ / √d_k) V, over any leading axes.

    Parameters
    ----------
    q : np.ndarray, shape (..., len_q, d_k)
    k : np.ndarray, shape (..., len_k, d_k)
    v : np.ndarray, shape (..., len_k, d_v)
    mask : np.ndarray of bool, optional
        Broadcasts to (..., len_q, len_k); True = the query may attend to that key.

    Returns
    -------
    output : np.ndarray, shape (..., len_q, d_v)
    weights : np.ndarray, shape (..., len_q, len_k)
        The attention weights; each row sums to 1 (0 for a fully masked row).
    """
    q, k, v = check_qkv(q, k, v)
    scores = q @ np.swapaxes(k, -1, -2) / math.sqrt(q.shape[-1])  # (..., len_q, len_k)
    weights = masked_softmax(scores, check_mask(mask, scores.shape))
    return weights @ v, weights


def scaled_dot_product_attention_backward(dy: np.ndarray, q: np.ndarray, k: np.ndarray, v: np.ndarray,
                                          weights: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients of the attention output with respect to q, k and v.

    With S = QKᵀ/√d, A = softmax(S) and the output Y = AV, going backwards from dY:

    - dV = Aᵀ dY  and  dA = dY Vᵀ           (Y = AV is a matrix product)
    - dS = A ⊙ (dA − Σ_j dA ⊙ A)           (softmax's Jacobian, row by row: :func:`masked_softmax_backward`)
    - dQ = dS K / √d  and  dK = dSᵀ Q / √d

    Parameters
    ----------
    dy : np.ndarray, shape (..., len_q, d_v)
        The gradient for the attention output.
    q, k, v, weights : the forward pass's inputs and its returned weights.

    Returns
    -------
    dq, dk, dv : np.ndarray, shaped like q, k, v
    """
    scale = math.sqrt(q.shape[-1])
    dv = np.swapaxes(weights, -1, -2) @ dy
    dweights = dy @ np.swapaxes(v, -1, -2)
    dscores = masked_softmax_backward(weights, dweights)
    dq = dscores @ k / scale
    dk = np.swapaxes(dscores, -1, -2) @ q / scale
    return dq, dk, dv


def check_qkv(q: np.ndarray, k: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """q, k, v as float arrays of q's dtype, or an error naming the shapes that do not fit together."""
    q = as_float_array(q, "q")
    k = as_float_array(k, "k", dtype=q.dtype)
    v = as_float_array(v, "v", dtype=q.dtype)
    for name, a in (("q", q), ("k", k), ("v", v)):
        if a.ndim < 2:
            raise ValueError(f"{name} must have shape (..., len, features), got {a.shape}")
    if k.shape[-1] != q.shape[-1]:
        raise ValueError(f"q and k must have the same last axis d_k, got q {q.shape} and k {k.shape}")
    if k.shape[-2] != v.shape[-2]:
        raise ValueError(f"k and v must have the same number of positions len_k, got k {k.shape} and v {v.shape}")
    return q, k, v


class ScaledDotProductAttention(Module):
    """The attention function as a module with no parameters: ``out = attn(q, k, v, mask=None)``.

    ``backward(dy)`` returns ``(dq, dk, dv)``; ``attn_weights`` keeps the last weights.
    """

    def __init__(self) -> None:
        super().__init__()
        self.attn_weights: np.ndarray | None = None

    def forward(self, q: np.ndarray, k: np.ndarray, v: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
        out, weights = scaled_dot_product_attention(q, k, v, mask)
        self.cache = (q, k, v, weights)
        self.attn_weights = weights
        return out

    def backward(self, dy: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        q, k, v, weights = self.saved()
        return scaled_dot_product_attention_backward(dy, q, k, v, weights)


# --- multi-head attention --------------------------------------------------------------------
class MultiHeadAttention(Module):
    """Multi-head attention (멀티헤드 어텐션): ``num_heads`` attentions side by side on slices of d_model.

    Each input is projected by a Linear layer (q_proj, k_proj, v_proj), the d_model
    columns are cut into ``num_heads`` slices of d_head = d_model / num_heads (head h owns
    columns h·d_head to (h+1)·d_head, as in PyTorch), attention runs in every head at
    once, the heads' outputs are put side by side again and mixed by ``out_proj``.

    Parameters
    ----------
    d_model : int
    num_heads : int
        Must divide d_model.
    rng : Generator or int, optional
        Initial weights of the four projections.
    dtype : numpy dtype

    Attributes
    ----------
    q_proj, k_proj, v_proj, out_proj : Linear(d_model, d_model)
        ``k_proj`` has no bias. A key bias b adds q·b to all the scores of a query's row,
        a constant that softmax removes, so it changes nothing and its gradient is
        exactly 0. PyTorch keeps one (it stays wherever it was initialised); a PyTorch
        layer's outputs equal this layer's with that bias dropped. Parameters:
        4·d_model² + 3·d_model.
    attn_weights : np.ndarray, shape (batch, num_heads, len_q, len_k)
        The weights of the last forward pass, for plots.

    Shapes
    ------
    query (batch, len_q, d_model), key and value (batch, len_k, d_model) →
    output (batch, len_q, d_model). ``mask`` (bool) broadcasts to (batch, heads, len_q, len_k),
    True = may attend. ``backward(dy)`` returns ``(dquery, dkey, dvalue)``; for
    self-attention, where one array is all three, the caller adds them up.
    """

    def __init__(self, d_model: int, num_heads: int, *, rng: np.random.Generator | int | None = None,
                 dtype: np.dtype | type = np.float32) -> None:
        super().__init__()
        self.d_model = check_positive_int(d_model, "d_model")
        self.num_heads = check_positive_int(num_heads, "num_heads")
        if d_model % num_heads:
            raise ValueError(f"num_heads must divide d_model, got d_model={d_model} and num_heads={num_heads}")
        self.d_head = d_model // num_heads
        gen = as_rng(rng)
        self.q_proj = Linear(d_model, d_model, rng=gen, dtype=dtype)
        # No key bias: it would add q·b to every score of a row, which softmax ignores
        # (shift invariance), so it could never change the output and never gets a gradient.
        self.k_proj = Linear(d_model, d_model, bias=False, rng=gen, dtype=dtype)
        self.v_proj = Linear(d_model, d_model, rng=gen, dtype=dtype)
        self.out_proj = Linear(d_model, d_model, rng=gen, dtype=dtype)
        self.attn_weights: np.ndarray | None = None

    def split_heads(self, x: np.ndarray) -> np.ndarray:
        """(batch, len, d_model) → (batch, heads, len, d_head): head h takes columns h·d_head:(h+1)·d_head."""
        b, n, _ = x.shape
        x = x.reshape(b, n, self.num_heads, self.d_head)  # (B, T, heads, d_head): cut the columns into heads
        return x.transpose(0, 2, 1, 3)                    # (B, heads, T, d_head): one attention per head

    def merge_heads(self, x: np.ndarray) -> np.ndarray:
        """(batch, heads, len, d_head) → (batch, len, d_model), the inverse of :meth:`split_heads`."""
        b, _, n, _ = x.shape
        return x.transpose(0, 2, 1, 3).reshape(b, n, self.d_model)  # heads side by side again

    def check_inputs(self, query: np.ndarray, key: np.ndarray, value: np.ndarray) -> tuple[np.ndarray, ...]:
        """query, key, value as (batch, len, d_model) arrays of the layer's dtype, or an error saying what came."""
        dtype = self.q_proj.weight.dtype
        arrays = []
        for name, a in (("query", query), ("key", key), ("value", value)):
            a = as_float_array(a, name, dtype=dtype)
            if a.ndim != 3:
                raise ValueError(f"{name} must have shape (batch, len, {self.d_model}), got {a.shape}")
            check_last_dim(a, self.d_model, name, "model features")
            arrays.append(a)
        query, key, value = arrays
        if key.shape != value.shape:
            raise ValueError(f"key and value must have the same shape, got {key.shape} and {value.shape}")
        if query.shape[0] != key.shape[0]:
            raise ValueError(f"query and key must have the same batch size, got {query.shape[0]} and {key.shape[0]}")
        return query, key, value

    def forward(self, query: np.ndarray, key: np.ndarray, value: np.ndarray,
                mask: np.ndarray | None = None) -> np.ndarray:
        query, key, value = self.check_inputs(query, key, value)
        q = self.split_heads(self.q_proj(query))
        k = self.split_heads(self.k_proj(key))
        v = self.split_heads(self.v_proj(value))
        heads, weights = scaled_dot_product_attention(q, k, v, mask)
        self.cache = (q, k, v, weights)
        self.attn_weights = weights
        return self.out_proj(self.merge_heads(heads))

    def backward(self, dy: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        q, k, v, weights = self.saved()
        dheads = self.split_heads(self.out_proj.backward(dy))
        dq, dk, dv = scaled_dot_product_attention_backward(dheads, q, k, v, weights)
        return (self.q_proj.backward(self.merge_heads(dq)),
                self.k_proj.backward(self.merge_heads(dk)),
                self.v_proj.backward(self.merge_heads(dv)))

    def extra_repr(self) -> str:
        return f"d_model={self.d_model}, num_heads={self.num_heads}"
