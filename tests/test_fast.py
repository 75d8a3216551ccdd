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


# --- greedy decoding with cached keys and values -------------------------------------------------
def _random_sources(rng, batch, length, vocab, *, empty, pad_id=0):
    """Source ids of sentences 1 to ``length`` long, ``<pad>`` after them; with ``empty``, one all padding."""
    src = rng.integers(3, vocab, (batch, length))
    ends = rng.integers(1, length + 1, batch)
    src[np.arange(length) >= ends[:, None]] = pad_id
    if empty:
        src[0] = pad_id  # nothing but padding: its cross-attention rows are all masked
    return src


MODELS = [  # d_model, heads, encoder and decoder layers, d_ff, source and target vocabularies, positions
    dict(d_model=8, num_heads=2, num_encoder_layers=1, num_decoder_layers=1, d_ff=16, src=7, tgt=9, pos=True),
    dict(d_model=16, num_heads=4, num_encoder_layers=2, num_decoder_layers=3, d_ff=8, src=11, tgt=5, pos=True),
    dict(d_model=12, num_heads=1, num_encoder_layers=1, num_decoder_layers=2, d_ff=24, src=20, tgt=30, pos=False),
    dict(d_model=32, num_heads=4, num_encoder_layers=1, num_decoder_layers=1, d_ff=64, src=63, tgt=71, pos=True),
]


@pytest.mark.parametrize("mean_pool", [False, True])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("size", MODELS)
def test_cached_greedy_decode_writes_the_plain_tokens(size, dtype, mean_pool):
    size = dict(size)
    src_vocab, tgt_vocab, pos = size.pop("src"), size.pop("tgt"), size.pop("pos")
    cls = dl.translator.MeanPoolTranslator if mean_pool else dl.Seq2SeqTransformer
    rng = np.random.default_rng(5)
    for seed in range(3):
        model = cls(src_vocab, tgt_vocab, **size, max_len=24, positional_encoding=pos, rng=seed, dtype=dtype)
        model.generator.bias.data[2] += 0.4 * seed  # <eos> (id 2) more likely: sentences end at many lengths
        src = _random_sources(rng, 23, 9, src_vocab, empty=not mean_pool)  # (a mean of no vector is undefined)
        for bos_id, eos_id, max_len in ((1, 2, 20), (1, 2, 1), (0, 2, 5), (1, 0, 7)):
            want = dl.greedy_decode(model, src, bos_id, eos_id, max_len)
            got = fast.greedy_decode(model, src, bos_id, eos_id, max_len)
            assert got.dtype == want.dtype and np.array_equal(got, want), (seed, bos_id, eos_id, max_len)


def test_cached_greedy_decode_on_trained_translators():
    data = dl.data.make_translation(n_train=640, n_valid=200, n_test=200, rng=0)
    v = data.tgt_vocab
    for cls in (dl.Seq2SeqTransformer, dl.translator.MeanPoolTranslator):
        for dtype in (np.float32, np.float64):
            model = cls(len(data.src_vocab), len(v), d_model=16, num_heads=2, d_ff=32, max_len=32, rng=0, dtype=dtype)
            dl.translator.train_translator(model, data, epochs=3, batch_size=32, lr=1e-2, rng=0)
            for split in data.splits().values():
                want = dl.greedy_decode(model, split.src, v.bos_id, v.eos_id, split.tgt_out.shape[1])
                assert (want == v.eos_id).any(), "the test needs a model that ends sentences"
                model.train()
                got = fast.greedy_decode(model, split.src, v.bos_id, v.eos_id, split.tgt_out.shape[1])
                assert model.training  # the mode is restored
                assert np.array_equal(got, want)


class _LastTokenAgain(dl.Seq2SeqTransformer):
    """A model with its own decode: the cached path does not know it and must hand over to the plain one."""

    def decode(self, tgt_in, memory, src_mask):
        return 10.0 * np.eye(9)[tgt_in % 9]


def test_cached_greedy_decode_leaves_other_decoders_to_the_plain_one():
    model = _LastTokenAgain(7, 9, d_model=8, num_heads=2, d_ff=8, rng=0, dtype=np.float64)
    src = np.array([[3, 4, 0], [5, 5, 5]])
    want = dl.greedy_decode(model, src, bos_id=4, eos_id=2, max_len=3)
    np.testing.assert_array_equal(want, [[4, 4, 4], [4, 4, 4]])
    np.testing.assert_array_equal(fast.greedy_decode(model, src, bos_id=4, eos_id=2, max_len=3), want)


def test_cached_greedy_decode_checks_like_the_plain_one():
    model = dl.Seq2SeqTransformer(7, 9, d_model=8, num_heads=2, d_ff=8, max_len=4, rng=0, dtype=np.float64)
    src = np.array([[3, 4, 0]])
    for bad, err in ((0, ValueError), (2.5, TypeError)):
        with pytest.raises(err, match="max_len"):
            fast.greedy_decode(model, src, 1, 2, bad)
    with pytest.raises(ValueError, match="exceeds max_len"):  # the positional encoding covers 4 positions
        fast.greedy_decode(model, src, 1, 99, 10)
    with pytest.raises(ValueError, match="exceeds max_len"):
        dl.greedy_decode(model, src, 1, 99, 10)
