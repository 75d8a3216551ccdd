"""Scaled dot-product attention, its masks and multi-head attention: values, gradients, errors."""
from __future__ import annotations

import numpy as np
import pytest

import dlbook as dl

F64 = np.float64


# --- the function ---------------------------------------------------------------------------
def test_attention_by_hand():
    # One query that matches key 1 better: weights softmax([0, 2] / sqrt(2)).
    q = np.array([[0.0, 2.0]])
    k = np.array([[1.0, 0.0], [0.0, 1.0]])
    v = np.array([[10.0, 0.0], [0.0, 10.0]])
    out, w = dl.scaled_dot_product_attention(q, k, v)
    e = np.exp(np.array([0.0, 2.0]) / np.sqrt(2.0))
    np.testing.assert_allclose(w, [e / e.sum()])
    np.testing.assert_allclose(out, w @ v)


def test_weights_are_shares_and_masked_keys_get_zero(rng):
    q, k, v = rng.standard_normal((2, 3, 4)), rng.standard_normal((2, 5, 4)), rng.standard_normal((2, 5, 3))
    mask = np.array([True, True, False, True, False])
    out, w = dl.scaled_dot_product_attention(q, k, v, mask)
    np.testing.assert_allclose(w.sum(axis=-1), 1.0)
    assert np.all(w[..., ~mask] == 0.0)
    # Masking equals deleting the hidden keys.
    ref, _ = dl.scaled_dot_product_attention(q, k[:, mask], v[:, mask])
    np.testing.assert_allclose(out, ref)


def test_fully_masked_row_gives_zeros_not_nan(rng):
    q, k, v = rng.standard_normal((3, 2)), rng.standard_normal((4, 2)), rng.standard_normal((4, 2))
    mask = np.ones((3, 4), dtype=bool)
    mask[1] = False
    out, w = dl.scaled_dot_product_attention(q, k, v, mask)  # warnings are errors in the tests
    assert np.all(np.isfinite(out)) and np.all(np.isfinite(w))
    assert np.all(w[1] == 0) and np.all(out[1] == 0)
    np.testing.assert_allclose(w[[0, 2]].sum(axis=-1), 1.0)


def test_large_scores_do_not_overflow():
    q = np.full((1, 2, 4), 1e3, dtype=np.float32)
    k = np.array([[[1e3] * 4, [-1e3] * 4]], dtype=np.float32)
    out, w = dl.scaled_dot_product_attention(q, k, np.eye(2, dtype=np.float32)[None])
    np.testing.assert_allclose(w, [[[1, 0], [1, 0]]])
    assert out.dtype == np.float32


@pytest.mark.parametrize("mask", [None, "causal", "padding", "empty-row"])
def test_attention_gradcheck(rng, mask):
    q, k, v = rng.standard_normal((2, 3, 4, 5)), rng.standard_normal((2, 3, 4, 5)), rng.standard_normal((2, 3, 4, 2))
    masks = {None: None, "causal": dl.causal_mask(4),
             "padding": dl.padding_mask(np.array([[5, 6, 0, 0], [5, 6, 7, 8]]), 0),
             "empty-row": np.array([[True, False, False, False], [False] * 4, [True] * 4, [False, True] * 2])}
    result = dl.gradcheck(dl.ScaledDotProductAttention(), q, k, v, mask=masks[mask])
    assert result.passed, result
    assert set(result.errors) == {"input 0", "input 1", "input 2"}


def test_softmax_backward_matches_the_softmax_module(rng):
    scores = rng.standard_normal((3, 5))
    dw = rng.standard_normal((3, 5))
    sm = dl.Softmax()
    w = sm(scores)
    np.testing.assert_allclose(dl.attention.masked_softmax_backward(w, dw), sm.backward(dw))


# --- masks -------------------------------------------------------------------------------------
def test_causal_mask():
    m = dl.causal_mask(4)
    assert m.dtype == bool and m.shape == (4, 4)
    i, j = np.indices((4, 4))
    np.testing.assert_array_equal(m, j <= i)
    with pytest.raises(ValueError, match="positive"):
        dl.causal_mask(0)


def test_padding_mask():
    ids = np.array([[4, 5, 0], [4, 0, 0]])
    m = dl.padding_mask(ids, pad_id=0)
    assert m.shape == (2, 1, 1, 3) and m.dtype == bool
    np.testing.assert_array_equal(m[:, 0, 0], [[True, True, False], [True, False, False]])
    with pytest.raises(TypeError, match="integer"):
        dl.padding_mask(ids.astype(float), 0)
    with pytest.raises(ValueError, match="batch, len"):
        dl.padding_mask(ids[0], 0)


def test_mask_errors(rng):
    q = rng.standard_normal((2, 3, 4))
    with pytest.raises(TypeError, match="boolean"):
        dl.scaled_dot_product_attention(q, q, q, np.ones((3, 3)))
    with pytest.raises(ValueError, match="broadcast"):
        dl.scaled_dot_product_attention(q, q, q, np.ones((4, 4), dtype=bool))
    with pytest.raises(ValueError, match="enlarge"):
        dl.scaled_dot_product_attention(q, q, q, np.ones((5, 2, 3, 3), dtype=bool))


def test_qkv_shape_errors(rng):
    q = rng.standard_normal((3, 4))
    with pytest.raises(ValueError, match="d_k"):
        dl.scaled_dot_product_attention(q, rng.standard_normal((3, 5)), q)
    with pytest.raises(ValueError, match="len_k"):
        dl.scaled_dot_product_attention(q, q, rng.standard_normal((2, 4)))
    with pytest.raises(TypeError, match="floating"):
        dl.scaled_dot_product_attention(np.ones((3, 4), dtype=int), q, q)


# --- multi-head attention -----------------------------------------------------------------------
def _mha(d_model=8, heads=2, seed=0):
    return dl.MultiHeadAttention(d_model, heads, rng=seed, dtype=F64)


@pytest.mark.parametrize("heads", [1, 2, 4])
def test_mha_self_attention_gradcheck_with_causal_and_padding_mask(rng, heads):
    x = rng.standard_normal((2, 4, 8))
    mask = dl.padding_mask(np.array([[3, 3, 3, 0], [3, 3, 3, 3]]), 0) & dl.causal_mask(4)
    result = dl.gradcheck(_mha(heads=heads), x, x.copy(), x.copy(), mask=mask)
    assert result.passed, result
    assert len(result.errors) == 3 + 7  # three inputs; q, v, out weight and bias, k weight


def test_mha_cross_attention_gradcheck(rng):
    query, memory = rng.standard_normal((2, 3, 8)), rng.standard_normal((2, 5, 8))
    mask = dl.padding_mask(np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]]), 0)
    result = dl.gradcheck(_mha(), query, memory, memory.copy(), mask=mask)
    assert result.passed, result


def test_mha_shapes_dtype_and_weights(rng):
    mha = dl.MultiHeadAttention(12, 3, rng=0)
    q, kv = rng.standard_normal((2, 4, 12)), rng.standard_normal((2, 6, 12))
    y = mha(q, kv, kv)
    assert y.shape == (2, 4, 12) and y.dtype == np.float32
    assert mha.attn_weights.shape == (2, 3, 4, 6)
    np.testing.assert_allclose(mha.attn_weights.sum(-1), 1.0, rtol=1e-5)
    dq, dk, dv = mha.backward(np.ones_like(y))
    assert dq.shape == q.shape and dk.shape == kv.shape and dv.shape == kv.shape
    assert mha.num_parameters() == 4 * 12 * 12 + 3 * 12
    assert mha.k_proj.bias is None


def test_one_head_equals_plain_attention_with_the_same_projections(rng):
    mha = _mha(heads=1)
    x, mem = rng.standard_normal((2, 3, 8)), rng.standard_normal((2, 5, 8))
    mask = np.array([True, True, True, False, True])
    plain, w = dl.scaled_dot_product_attention(mha.q_proj(x), mha.k_proj(mem), mha.v_proj(mem), mask)
    np.testing.assert_allclose(mha(x, mem, mem, mask), mha.out_proj(plain))
    np.testing.assert_allclose(mha.attn_weights[:, 0], w)


def test_head_h_owns_columns_h_times_d_head(rng):
    mha = _mha(d_model=8, heads=4)
    x = rng.standard_normal((1, 3, 8))
    mha(x, x, x)
    q, k, v = mha.q_proj(x), mha.k_proj(x), mha.v_proj(x)
    for h in range(4):  # a loop over heads in the test only, to check the vectorised layout
        cols = slice(2 * h, 2 * h + 2)
        _, w = dl.scaled_dot_product_attention(q[..., cols], k[..., cols], v[..., cols])
        np.testing.assert_allclose(mha.attn_weights[:, h], w)


def test_a_key_bias_would_change_nothing(rng):
    # Why k_proj has no bias: adding b to every key adds q·b to a whole row of scores.
    q, k, v = rng.standard_normal((3, 4)), rng.standard_normal((5, 4)), rng.standard_normal((5, 2))
    b = rng.standard_normal(4)
    np.testing.assert_allclose(dl.scaled_dot_product_attention(q, k + b, v)[0],
                               dl.scaled_dot_product_attention(q, k, v)[0])


def test_mha_errors(rng):
    with pytest.raises(ValueError, match="divide"):
        dl.MultiHeadAttention(10, 3)
    with pytest.raises(TypeError, match="positive int"):
        dl.MultiHeadAttention(8.0, 2)
    mha = dl.MultiHeadAttention(8, 2, rng=0)
    with pytest.raises(RuntimeError, match="before forward"):
        mha.backward(np.ones((1, 2, 8)))
    x = rng.standard_normal((2, 3, 8))
    with pytest.raises(ValueError, match=r"\(\.\.\., 8\)"):
        mha(x[..., :6], x[..., :6], x[..., :6])
    with pytest.raises(ValueError, match="batch, len"):
        mha(x[0], x[0], x[0])
    with pytest.raises(ValueError, match="key and value"):
        mha(x, x, x[:, :2])
    with pytest.raises(ValueError, match="batch size"):
        mha(x, x[:1], x[:1])
    with pytest.raises(TypeError, match="boolean"):
        mha(x, x, x, mask=np.ones((3, 3), dtype=int))


def test_split_heads_gives_head_h_columns_h_dhead_and_merge_heads_undoes_it():
    mha = dl.MultiHeadAttention(12, 3, rng=0)
    x = np.arange(2 * 5 * 12, dtype=np.float32).reshape(2, 5, 12)
    heads = mha.split_heads(x)
    assert heads.shape == (2, 3, 5, 4)
    for h in range(3):
        assert np.array_equal(heads[:, h], x[:, :, 4 * h:4 * (h + 1)])
    assert np.array_equal(mha.merge_heads(heads), x)
