"""Checks for chapter 07's exercises (the Transformer).

Each ``check_...`` runs the reader's function and dlbook's own on cases from simple to
tricky and returns a :class:`Feedback` (it never raises). When the answer is wrong and
reproduces a typical mistake on every case, the feedback names that mistake.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..attention import causal_mask, masked_softmax_backward, scaled_dot_product_attention
from ..i18n import gettext as _
from ..rng import as_rng
from ..transformer import Embedding, EncoderLayer
from .checking import Case, Feedback, Mistake, check_function

__all__ = ["check_attention", "check_causal_mask", "check_encoder_layer_parameters", "check_softmax_backward",
           "check_embedding_backward"]


# --- 1. scaled dot-product attention -----------------------------------------------------------
def _attention_reference(q: np.ndarray, k: np.ndarray, v: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
    return scaled_dot_product_attention(q, k, v, mask)[0]


def _attention_cases() -> list[Case]:
    rng = as_rng(7)
    q, k, v = rng.standard_normal((3, 4)), rng.standard_normal((5, 4)), rng.standard_normal((5, 2))
    qb, kb, vb = rng.standard_normal((2, 3, 4, 8)), rng.standard_normal((2, 3, 6, 8)), rng.standard_normal((2, 3, 6, 5))
    pad = np.array([[True] * 4 + [False] * 2, [True] * 6])[:, None, None, :]  # (batch, 1, 1, len_k)
    return [
        Case(_("one query, three keys, d_k = 1"), (np.array([[1.0]]), np.array([[0.0], [1.0], [2.0]]),
                                                 np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]))),
        Case(_("3 queries, 5 keys, d_k = 4, d_v = 2"), (q, k, v),
             hint=_("the scores are divided by sqrt(d_k), the size of the last axis of q and k.")),
        Case(_("batch and heads as leading axes"), (qb, kb, vb),
             hint=_("use k's last two axes swapped (np.swapaxes(k, -1, -2)), not k.T, which reverses every axis.")),
        Case(_("causal mask (True = may attend)"), (q[:3], k[:3], v[:3]), {"mask": causal_mask(3)},
             hint=_("hidden keys must get weight 0: put -inf in their scores before the softmax.")),
        Case(_("padding mask broadcast over heads and queries"), (qb, kb, vb), {"mask": pad},
             hint=_("the mask broadcasts against the scores (..., len_q, len_k).")),
        Case(_("large scores"), (100 * q, 100 * k, v),
             hint=_("subtract each row's maximum score before exp, or exp overflows.")),
    ]


def _plain_attention(q: np.ndarray, k: np.ndarray, v: np.ndarray, mask: np.ndarray | None = None, *,
                     scale: str = "sqrt", axis: int = -1, invert: bool = False,
                     mask_after: bool = False) -> np.ndarray:
    """Attention written the way a reader would, with one knob per typical mistake
    (a fully masked row gives NaN here, as it does in such code)."""
    d = q.shape[-1]
    divisor = {"sqrt": np.sqrt(d), "none": 1.0, "d": d, "len_k": np.sqrt(k.shape[-2]),
               "d_v": np.sqrt(v.shape[-1])}[scale]
    scores = q @ np.swapaxes(k, -1, -2) / divisor
    if mask is not None and not mask_after:
        scores = np.where(~np.asarray(mask) if invert else mask, scores, -np.inf)
    e = np.exp(scores - scores.max(axis=axis, keepdims=True))
    weights = e / e.sum(axis=axis, keepdims=True)
    if mask is not None and mask_after:
        weights = weights * mask  # hidden keys zeroed after the softmax: the rest no longer sum to 1
    return weights @ v


def _attention_mistakes() -> list[Mistake]:
    return [Mistake(_("the scores are not divided by sqrt(d_k)"),
                    lambda q, k, v, mask=None: _plain_attention(q, k, v, mask, scale="none")),
            Mistake(_("the scores are divided by d_k; the scale is sqrt(d_k)"),
                    lambda q, k, v, mask=None: _plain_attention(q, k, v, mask, scale="d")),
            Mistake(_("the scores are divided by the square root of the number of keys; d_k is the length of "
                      "each query and key vector, the last axis of q and k"),
                    lambda q, k, v, mask=None: _plain_attention(q, k, v, mask, scale="len_k")),
            Mistake(_("the scores are divided by the square root of d_v, the last axis of v; the scale comes from "
                      "d_k, the last axis of q and k"),
                    lambda q, k, v, mask=None: _plain_attention(q, k, v, mask, scale="d_v")),
            Mistake(_("the mask was applied after the softmax: the hidden keys get weight 0, but the weights of the "
                      "others no longer sum to 1; put -inf in the hidden scores before the softmax"),
                    lambda q, k, v, mask=None: _plain_attention(q, k, v, mask, mask_after=True)),
            Mistake(_("the mask is used the wrong way round: True means 'may attend', so keep those keys "
                      "(PyTorch's nn.MultiheadAttention attn_mask uses True = blocked; dlbook and "
                      "F.scaled_dot_product_attention use True = may attend)"),
                    lambda q, k, v, mask=None: _plain_attention(q, k, v, mask, invert=True)),
            Mistake(_("the softmax runs over the queries (axis -2); each query's weights over the keys (axis -1) "
                      "must sum to 1"), lambda q, k, v, mask=None: _plain_attention(q, k, v, mask, axis=-2))]


def check_attention(attention: Callable[..., np.ndarray]) -> Feedback:
    """Exercise 1: ``attention(q, k, v, mask=None)`` returns softmax(Q Kᵀ/√d_k) V."""
    return check_function("attention", attention, _attention_reference, _attention_cases(),
                          mistakes=_attention_mistakes())


# --- 2. the causal mask ------------------------------------------------------------------------
def check_causal_mask(make_mask: Callable[[int], np.ndarray]) -> Feedback:
    """Exercise 2: ``make_mask(n)`` returns the (n, n) boolean causal mask (True = may attend)."""
    cases = [Case("n = 1", (1,)), Case("n = 2", (2,), hint=_("position 0 may see itself, position 1 both.")),
             Case("n = 5", (5,))]
    mistakes = [Mistake(_("you made a PyTorch-style mask, True = blocked (the future keys): in dlbook, as in "
                          "F.scaled_dot_product_attention, True means 'may attend', so query i may see keys j <= i"),
                        lambda n: np.triu(np.ones((n, n), dtype=bool), k=1)),
                Mistake(_("the diagonal is False: a position may attend to itself (j <= i, not j < i)"),
                        lambda n: np.tril(np.ones((n, n), dtype=bool), k=-1)),
                Mistake(_("the mask is transposed: row i is query i and may see keys j <= i (the lower triangle), "
                          "not the future"), lambda n: np.triu(np.ones((n, n), dtype=bool)))]
    return check_function("causal_mask", make_mask, causal_mask, cases, mistakes=mistakes)


# --- 3. counting parameters ----------------------------------------------------------------------
def _encoder_layer_reference(d_model: int, num_heads: int, d_ff: int) -> int:
    return EncoderLayer(d_model, num_heads, d_ff, rng=0).num_parameters()


def check_encoder_layer_parameters(count: Callable[[int, int, int], int]) -> Feedback:
    """Exercise 3: ``count(d_model, num_heads, d_ff)`` returns the number of parameters of an EncoderLayer."""
    cases = [Case(_("d_model=4, 1 head, d_ff=8"), (4, 1, 8)), Case(_("d_model=8, 2 heads, d_ff=16"), (8, 2, 16)),
             Case(_("d_model=32, 4 heads, d_ff=64 (the chapter's model)"), (32, 4, 64)),
             Case(_("d_model=12, 3 heads, d_ff=10"), (12, 3, 10))]
    ref = _encoder_layer_reference
    mistakes = [Mistake(_("you counted a bias for the key projection; dlbook's k_proj has none (softmax would "
                          "ignore it)"), lambda d, h, f: ref(d, h, f) + d),
                Mistake(_("the whole count was multiplied by the number of heads"), lambda d, h, f: h * ref(d, h, f)),
                Mistake(_("the attention weights were counted once per head: the heads share the four "
                          "d_model × d_model matrices, each owning a slice of their columns"),
                        lambda d, h, f: ref(d, h, f) + (h - 1) * (4 * d * d + 3 * d)),
                Mistake(_("the two LayerNorms' γ and β (4·d_model numbers) are missing"),
                        lambda d, h, f: ref(d, h, f) - 4 * d),
                Mistake(_("only one LayerNorm was counted: a pre-norm encoder layer has two, one before the "
                          "self-attention and one before the feed-forward block (2·d_model numbers each)"),
                        lambda d, h, f: ref(d, h, f) - 2 * d),
                Mistake(_("a third LayerNorm was counted: the final LayerNorm belongs to the encoder stack, once after "
                          "the last layer, not to each EncoderLayer"), lambda d, h, f: ref(d, h, f) + 2 * d),
                Mistake(_("the output projection (out_proj: d_model·d_model weights and d_model biases) is missing"),
                        lambda d, h, f: ref(d, h, f) - d * d - d),
                Mistake(_("the feed-forward biases (d_ff + d_model) are missing"), lambda d, h, f: ref(d, h, f) - f - d),
                Mistake(_("the attention biases (q, v and out: 3·d_model) are missing"),
                        lambda d, h, f: ref(d, h, f) - 3 * d)]
    return check_function("encoder_layer_parameters", count, ref, cases, mistakes=mistakes)


# --- 4. the softmax backward ----------------------------------------------------------------------
def _softmax_cases() -> list[Case]:
    rng = as_rng(3)
    e = np.exp(rng.standard_normal((2, 3, 4)))
    w = e / e.sum(axis=-1, keepdims=True)
    masked = np.array([[0.5, 0.5, 0.0], [1.0, 0.0, 0.0]])
    return [Case(_("two weights"), (np.array([0.25, 0.75]), np.array([1.0, 0.0]))),
            Case(_("uniform weights, equal gradients"), (np.full(4, 0.25), np.ones(4)),
                 hint=_("adding a constant to every dweight must give ds = 0 (softmax ignores a shift).")),
            Case(_("a batch of rows (..., len_k)"), (w, rng.standard_normal((2, 3, 4))),
                 hint=_("sum over the last axis only, with keepdims=True.")),
            Case(_("masked keys (weight 0)"), (masked, np.array([[1.0, -2.0, 3.0], [0.5, 0.5, 0.5]])))]


def check_softmax_backward(softmax_backward: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> Feedback:
    """Exercise 4: ``softmax_backward(weights, dweights)`` returns the gradient for the scores."""
    mistakes = [Mistake(_("only the diagonal of the Jacobian, a_i(1 − a_i), was used: every weight depends on every "
                          "score, so subtract a_i·Σ_j da_j a_j"), lambda a, da: da * a * (1 - a)),
                Mistake(_("the sum runs over the whole array; it must run over each row (axis=-1, keepdims=True)"),
                        lambda a, da: a * (da - np.sum(da * a))),
                Mistake(_("the weights were treated as independent of each other (da ⊙ a): the −a_i·Σ_j da_j a_j "
                          "term is missing"), lambda a, da: a * da),
                Mistake(_("the factor a_i in front is missing: ds_i = a_i (da_i − Σ_j da_j a_j)"),
                        lambda a, da: da - np.sum(da * a, axis=-1, keepdims=True)),
                Mistake(_("the sum is not weighted by the softmax: it is Σ_j da_j a_j, not Σ_j da_j"),
                        lambda a, da: a * (da - np.sum(da, axis=-1, keepdims=True))),
                Mistake(_("the sign is flipped: ds_i = a_i (da_i − Σ_j da_j a_j), so a larger da_i raises ds_i"),
                        lambda a, da: -a * (da - np.sum(da * a, axis=-1, keepdims=True)))]
    return check_function("softmax_backward", softmax_backward, masked_softmax_backward, _softmax_cases(),
                          mistakes=mistakes)


# --- 5. the embedding backward --------------------------------------------------------------------
def _embedding_reference(ids: np.ndarray, dy: np.ndarray, num_embeddings: int) -> np.ndarray:
    emb = Embedding(num_embeddings, dy.shape[-1], rng=0, dtype=dy.dtype)
    emb(ids)
    emb.backward(dy)
    return emb.weight.grad


def check_embedding_backward(embedding_backward: Callable[[np.ndarray, np.ndarray, int], np.ndarray]) -> Feedback:
    """Exercise 5: ``embedding_backward(ids, dy, num_embeddings)`` returns the gradient of the table."""
    rng = as_rng(5)
    cases = [Case(_("distinct ids"), (np.array([2, 0]), np.array([[1.0, 2.0], [3.0, 4.0]]), 4)),
             Case(_("a repeated id"), (np.array([1, 3, 1]), np.array([[1.0, 0.0], [0.0, 1.0], [2.0, 2.0]]), 4),
                  hint=_("id 1 occurs twice, so row 1 is the sum of both rows of dy.")),
             Case(_("a batch of sentences (batch, len)"), (rng.integers(0, 5, (3, 6)), rng.standard_normal((3, 6, 4)), 5))]
    mistakes = [Mistake(_("grad[ids] += dy (or grad[ids] = dy) keeps only one of the rows of a repeated id (NumPy "
                          "buffers fancy-index updates): use np.add.at(grad, ids, dy)"), _buffered_add)]
    return check_function("embedding_backward", embedding_backward, _embedding_reference, cases, mistakes=mistakes)


def _buffered_add(ids: np.ndarray, dy: np.ndarray, num_embeddings: int) -> np.ndarray:
    grad = np.zeros((num_embeddings, dy.shape[-1]))
    grad[ids.reshape(-1)] += dy.reshape(-1, dy.shape[-1])
    return grad
