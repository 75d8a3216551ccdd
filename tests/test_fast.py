"""The fast paths (``dlbook/fast.py``) give the plain code's results on many shapes, dtypes and sizes."""
from __future__ import annotations

import numpy as np
import pytest

import dlbook as dl
from dlbook import fast

# Rows of 1 to 80 numbers (the row_max threshold is 64), in arrays from one row to
# past 64 rows per number (its other threshold), with and without leading axes.
SHAPES = [(1,), (5,), (3, 1), (3, 7), (63, 64), (64, 64), (65, 64), (64, 65), (4096, 64), (4097, 65),
          (2, 3, 21), (64, 4, 21, 21), (64, 4, 21, 8), (7, 1, 80), (1344, 53), (100, 10)]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", SHAPES)
def test_row_max_is_np_max_exactly(shape, dtype):
    x = np.random.default_rng(0).standard_normal(shape).astype(dtype) * 10
    got = fast.row_max(x)
    assert got.dtype == dtype and np.array_equal(got, np.max(x, axis=-1, keepdims=True))


def test_row_max_keeps_infinities():
    x = np.full((100, 3), -np.inf)
    x[0, 1] = 2.0
    want = np.max(x, axis=-1, keepdims=True)
    assert np.array_equal(fast.row_max(x), want)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", SHAPES)
def test_row_sum_is_np_sum_up_to_the_order_of_additions(shape, dtype):
    x = np.random.default_rng(1).random(shape).astype(dtype)
    got = fast.row_sum(x)
    assert got.dtype == dtype and got.shape == x.shape[:-1] + (1,)
    np.testing.assert_allclose(got, np.sum(x, axis=-1, keepdims=True), rtol=1e-6 if dtype == np.float32 else 1e-13)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(2, 4, 5, 5), (64, 4, 21, 21), (64, 4, 21, 8), (3, 1, 7, 70)])
def test_masked_softmax_is_the_plain_softmax_with_masked_keys_at_zero(shape, dtype):
    rng = np.random.default_rng(2)
    scores = (rng.standard_normal(shape) * 5).astype(dtype)
    mask = rng.random(shape[:-2] + (1, shape[-1])) < 0.7
    mask[..., 0] = True                       # every row keeps a key: the plain formula is defined
    got = dl.attention.masked_softmax(scores, mask)
    e = np.exp(scores - np.max(np.where(mask, scores, -np.inf), axis=-1, keepdims=True)) * mask
    want = e / np.sum(e, axis=-1, keepdims=True)
    assert got.dtype == dtype
    np.testing.assert_allclose(got, want, rtol=1e-5 if dtype == np.float32 else 1e-12, atol=1e-7)


def _both_paths(monkeypatch, fn, *args):
    """fn(*args) with the fast paths on, then with the plain code."""
    got = fn(*args)
    monkeypatch.setattr(fast, "ENABLED", False)
    want = fn(*args)
    monkeypatch.setattr(fast, "ENABLED", True)
    return got, want


# Attention scores: (batch, heads, queries, keys) with 1 to 80 keys, on both sides of row_max's thresholds.
SCORE_SHAPES = [(1, 1, 1, 1), (2, 4, 5, 5), (64, 4, 21, 21), (64, 4, 22, 11), (64, 4, 21, 8), (3, 1, 7, 70),
                (1, 1, 64, 64), (2, 1, 64, 65), (1, 2, 3, 80), (5, 3)]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", SCORE_SHAPES)
def test_masked_softmax_fast_path_gives_the_plain_weights_and_gradients(monkeypatch, shape, dtype):
    rng = np.random.default_rng(4)
    scores = (rng.standard_normal(shape) * 5).astype(dtype)
    dy = rng.standard_normal(shape).astype(dtype)
    tol = dict(rtol=1e-5, atol=1e-6) if dtype == np.float32 else dict(rtol=1e-12, atol=1e-14)
    masks = [None, rng.random(shape) < 0.6, np.zeros(shape, dtype=bool)]  # none, some, every key masked
    masks[1][..., 0] = False
    masks[1].reshape(-1, shape[-1])[0] = False                                # one fully masked row
    for mask in masks:
        got, want = _both_paths(monkeypatch, dl.attention.masked_softmax, scores, mask)
        assert got.dtype == want.dtype == dtype
        np.testing.assert_allclose(got, want, **tol)
        assert np.array_equal(got == 0, want == 0)                            # masked keys exactly 0 on both
        got_ds, want_ds = _both_paths(monkeypatch, dl.attention.masked_softmax_backward, want, dy)
        np.testing.assert_allclose(got_ds, want_ds, **tol)


def test_a_transformer_step_takes_the_same_values_on_both_paths(monkeypatch):
    data = dl.data.make_translation(rng=0)
    src, tgt_in, tgt_out = data.train.src[:16], data.train.tgt_in[:16], data.train.tgt_out[:16]

    def grads():
        model = dl.translator.make_translator(data, rng=0, dtype=np.float64)
        loss_fn = dl.CrossEntropyLoss(ignore_index=data.tgt_vocab.pad_id)
        loss = loss_fn(model(src, tgt_in), tgt_out)
        model.backward(loss_fn.backward())
        return [loss] + [p.grad.copy() for p in model.parameters()]

    got, want = _both_paths(monkeypatch, grads)
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-10, atol=1e-13)


def _adam_pair(shapes, dtype, weight_decay):
    rng = np.random.default_rng(3)
    init = [rng.standard_normal(s) for s in shapes]
    params = {foreach: [dl.Parameter(a, dtype=dtype) for a in init] for foreach in (True, False)}
    opts = {foreach: dl.Adam(params[foreach], lr=0.01, weight_decay=weight_decay, foreach=foreach)
            for foreach in params}
    return rng, params, opts


@pytest.mark.parametrize("weight_decay", [0.0, 0.05])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_fused_adam_is_adam_update_bit_for_bit(dtype, weight_decay):
    # Sizes on both sides of the pooling threshold, one parameter alone and many pooled.
    shapes = [(1,), (7,), (3, 5), (fast.POOL_BELOW - 1,), (fast.POOL_BELOW,), (300, 256), (2, 3, 4)]
    rng, params, opts = _adam_pair(shapes, dtype, weight_decay)
    for _ in range(6):
        grads = [rng.standard_normal(s) for s in shapes]
        for foreach in params:
            for p, g in zip(params[foreach], grads):
                p.grad[...] = g
            opts[foreach].step()
    for i, (a, b) in enumerate(zip(params[True], params[False])):
        assert a.data.dtype == dtype
        assert np.array_equal(a.data, b.data), shapes[i]
        for key in ("m", "v"):
            assert np.array_equal(opts[True].state[i][key], opts[False].state[i][key])


def test_fused_adam_with_mixed_dtypes_and_a_whole_model():
    net = dl.Sequential(dl.Linear(5, 4, rng=0), dl.ReLU(), dl.Linear(4, 3, rng=1, dtype=np.float64))
    twin = dl.Sequential(dl.Linear(5, 4, rng=0), dl.ReLU(), dl.Linear(4, 3, rng=1, dtype=np.float64))
    x, y = np.random.default_rng(4).standard_normal((8, 5)).astype(np.float32), np.arange(8) % 3
    for model, foreach in ((net, True), (twin, False)):
        opt = dl.Adam(model.parameters(), lr=0.1, foreach=foreach)
        for _ in range(4):
            dl.train_step(model, dl.CrossEntropyLoss(), opt, x, y)
    for a, b in zip(net.parameters(), twin.parameters()):
        assert np.array_equal(a.data, b.data)
