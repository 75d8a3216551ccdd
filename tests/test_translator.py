"""Chapter 07's translator (dlbook.translator): the Transformer's helpers and the two baselines."""
from __future__ import annotations

import numpy as np
import pytest

import dlbook as dl
from dlbook import translator
from dlbook.data import translation as tr


@pytest.fixture(scope="module")
def data():
    return tr.make_translation(n_train=128, n_valid=64, n_test=32, rng=0)


@pytest.fixture(scope="module")
def small_translator(data):
    model = translator.make_translator(data, rng=0)
    history = translator.train_translator(model, data, epochs=2, batch_size=64, rng=0)
    return model, history


def test_make_and_train_translator(data, small_translator):
    model, history = small_translator
    assert model.num_parameters() == translator.make_translator(data, rng=0).num_parameters()
    assert model.pad_id == data.tgt_vocab.pad_id
    assert history.epochs == 2 and history.steps == 4 and len(history.val_accuracy) == 2  # measured on data.valid
    assert history.step_loss[-1] < history.step_loss[0] - 0.05  # Adam at 3e-3 is learning


def test_translate_with_attention(data, small_translator):
    model, _ = small_translator
    V = data.tgt_vocab
    src = data.valid.src[0]
    n_src = int((src != data.src_vocab.pad_id).sum())
    assert n_src < len(src), "the test needs a padded sentence"
    model.train()
    ids, weights = translator.translate_with_attention(model, src, V.bos_id, V.eos_id, max_len=5)
    assert model.training  # the mode is restored
    np.testing.assert_array_equal(ids, dl.greedy_decode(model, src[None], V.bos_id, V.eos_id, 5)[0][:len(ids)])
    assert weights.shape == (4, len(ids), n_src)  # heads, one row per written token, real source words only
    np.testing.assert_allclose(weights.sum(axis=-1), 1.0, rtol=1e-5)
    with pytest.raises(ValueError, match="one sentence"):
        translator.translate_with_attention(model, data.valid.src[:2], V.bos_id, V.eos_id, max_len=5)


def test_exact_match_by_split(data, small_translator):
    model, _ = small_translator
    result = translator.exact_match_by_split(model, data, splits=("valid", "test_unseen"))
    assert list(result) == ["valid", "test_unseen"] and all(0.0 <= v <= 1.0 for v in result.values())
    pred = translator.translate(model, data.valid, data)
    assert result["valid"] == dl.exact_match(pred, data.valid.tgt_out, data.tgt_vocab.pad_id)


def _tiny_mean_pool(seed=0):
    return translator.MeanPoolTranslator(7, 9, d_model=8, num_heads=2, d_ff=16, rng=seed, dtype=np.float64)


SRC = np.array([[3, 4, 5, 0], [6, 3, 3, 3]])
TGT = np.array([[1, 4, 5, 6, 0], [1, 8, 8, 0, 0]])


def test_mean_pool_gradients():
    assert dl.gradcheck(_tiny_mean_pool(), SRC, TGT).passed


def test_mean_pool_sees_only_the_mean():
    model = _tiny_mean_pool()
    memory, mask = model.encode(SRC)
    assert memory.shape == (2, 1, 8) and mask.all()
    states = model.encoder.encoder(model.src_pos(model.src_embed(SRC)), dl.padding_mask(SRC, 0))
    np.testing.assert_allclose(memory[0, 0], states[0, :3].mean(axis=0))  # padding left out of the mean
    np.testing.assert_allclose(memory[1, 0], states[1].mean(axis=0))
    # Cross-attention to one vector: its weight is 1 everywhere.
    model(SRC, TGT)
    np.testing.assert_allclose(model.decoder.layers[0].cross_attn.attn_weights, 1.0)


def test_dictionary_learns_words_and_order_but_not_context():
    pairs = tr.translation_pairs()
    d = translator.DictionaryTranslator(pairs)
    assert d.order[:2] == ["verb", "aux"] and d.order.index("adj") < d.order.index("obj") < d.order.index("place")
    by_ko = {p.ko: p for p in pairs}
    ok = by_ko[tuple("어제 카페에 갔어 . 거기 사람이 많았어 .".split())]
    assert tuple(d.translate(ok)) == ok.en
    # One rendering per word: 썼어 gets one of wrote / wore / used, so at most one of these is right.
    sseuda = [by_ko[tuple(s.split())] for s in ("어제 집에서 편지를 썼어 .", "어제 공원에서 모자를 썼어 .",
                                                "어제 집에서 휴대폰을 썼어 .")]
    assert sum(tuple(d.translate(p)) == p.en for p in sseuda) <= 1
    assert d.translate(["어제", "없는말", "."], ["time", "obj", "end"]) == ["I", "없는말", "yesterday", "."]  # unknown: kept
    with pytest.raises(ValueError, match="one role per token"):
        d.translate(["어제"], [])
    with pytest.raises(ValueError, match="at least one"):
        translator.DictionaryTranslator([])


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
    cls = translator.MeanPoolTranslator if mean_pool else dl.Seq2SeqTransformer
    rng = np.random.default_rng(5)
    for seed in range(3):
        model = cls(src_vocab, tgt_vocab, **size, max_len=24, positional_encoding=pos, rng=seed, dtype=dtype)
        model.generator.bias.data[2] += 0.4 * seed  # <eos> (id 2) more likely: sentences end at many lengths
        src = _random_sources(rng, 23, 9, src_vocab, empty=not mean_pool)  # (a mean of no vector is undefined)
        for bos_id, eos_id, max_len in ((1, 2, 20), (1, 2, 1), (0, 2, 5), (1, 0, 7)):
            want = dl.greedy_decode(model, src, bos_id, eos_id, max_len)
            got = translator.cached_greedy_decode(model, src, bos_id, eos_id, max_len)
            assert got.dtype == want.dtype and np.array_equal(got, want), (seed, bos_id, eos_id, max_len)


def test_cached_greedy_decode_on_trained_translators():
    data = dl.data.make_translation(n_train=640, n_valid=200, n_test=200, rng=0)
    v = data.tgt_vocab
    for cls in (dl.Seq2SeqTransformer, translator.MeanPoolTranslator):
        for dtype in (np.float32, np.float64):
            model = cls(len(data.src_vocab), len(v), d_model=16, num_heads=2, d_ff=32, max_len=32, rng=0, dtype=dtype)
            translator.train_translator(model, data, epochs=3, batch_size=32, lr=1e-2, rng=0)
            for split in data.splits().values():
                want = dl.greedy_decode(model, split.src, v.bos_id, v.eos_id, split.tgt_out.shape[1])
                assert (want == v.eos_id).any(), "the test needs a model that ends sentences"
                model.train()
                got = translator.cached_greedy_decode(model, split.src, v.bos_id, v.eos_id, split.tgt_out.shape[1])
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
    np.testing.assert_array_equal(translator.cached_greedy_decode(model, src, bos_id=4, eos_id=2, max_len=3), want)


def test_cached_greedy_decode_checks_like_the_plain_one():
    model = dl.Seq2SeqTransformer(7, 9, d_model=8, num_heads=2, d_ff=8, max_len=4, rng=0, dtype=np.float64)
    src = np.array([[3, 4, 0]])
    for bad, err in ((0, ValueError), (2.5, TypeError)):
        with pytest.raises(err, match="max_len"):
            translator.cached_greedy_decode(model, src, 1, 2, bad)
    with pytest.raises(ValueError, match="exceeds max_len"):  # the positional encoding covers 4 positions
        translator.cached_greedy_decode(model, src, 1, 99, 10)
    with pytest.raises(ValueError, match="exceeds max_len"):
        dl.greedy_decode(model, src, 1, 99, 10)
