"""The Transformer's parts and the whole encoder-decoder: gradients, masks, invariances, decoding."""
from __future__ import annotations

import numpy as np
import pytest

import dlbook as dl

F64 = np.float64


def _tiny(positional: bool = True, layers: int = 1, seed: int = 0) -> dl.Seq2SeqTransformer:
    return dl.Seq2SeqTransformer(7, 9, d_model=8, num_heads=2, num_encoder_layers=layers,
                                 num_decoder_layers=layers, d_ff=16, max_len=16, pad_id=0,
                                 positional_encoding=positional, rng=seed, dtype=F64)


SRC = np.array([[3, 4, 5, 0], [6, 3, 3, 3]])        # second sentence repeats id 3
TGT_IN = np.array([[1, 4, 5, 6, 0], [1, 8, 8, 0, 0]])


# --- embedding and positions ---------------------------------------------------------------------
def test_embedding_looks_up_rows_and_adds_repeated_gradients():
    emb = dl.Embedding(5, 3, rng=0, dtype=F64)
    ids = np.array([[1, 4, 1], [1, 0, 2]])
    y = emb(ids)
    np.testing.assert_array_equal(y, emb.weight.data[ids])
    dy = np.arange(18, dtype=F64).reshape(2, 3, 3)
    assert emb.backward(dy) is None
    np.testing.assert_allclose(emb.weight.grad[1], dy[0, 0] + dy[0, 2] + dy[1, 0])  # id 1 three times
    np.testing.assert_allclose(emb.weight.grad[3], 0.0)
    assert dl.gradcheck(emb, ids).passed


def test_embedding_errors():
    emb = dl.Embedding(5, 3, rng=0)
    with pytest.raises(RuntimeError, match="before forward"):
        emb.backward(np.ones((1, 3)))
    with pytest.raises(TypeError, match="integer"):
        emb(np.array([0.0, 1.0]))
    with pytest.raises(ValueError, match=r"\[0, 4\]"):
        emb(np.array([1, 5]))
    emb(np.array([1, 2]))
    with pytest.raises(ValueError, match="dy must have shape"):
        emb.backward(np.ones((2, 4)))


@pytest.mark.parametrize("d_model", [8, 7])
def test_sinusoidal_positional_encoding(d_model):
    pe = dl.sinusoidal_positional_encoding(20, d_model, dtype=F64)
    assert pe.shape == (20, d_model)
    np.testing.assert_allclose(pe[:, 0], np.sin(np.arange(20)))           # fastest column: 1 rad per position
    np.testing.assert_allclose(pe[0, 1::2], 1.0)                           # cos(0)
    np.testing.assert_allclose(pe[:, 2], np.sin(np.arange(20) * 10000.0 ** (-2 / d_model)))
    assert np.all(np.abs(pe) <= 1.0)
    assert len({tuple(np.round(row, 6)) for row in pe}) == 20              # every position differs


def test_positional_encoding_module():
    pos = dl.PositionalEncoding(4, max_len=5, dtype=F64)
    x = np.zeros((2, 3, 4))
    np.testing.assert_allclose(pos(x)[1], dl.sinusoidal_positional_encoding(5, 4)[:3], atol=1e-7)
    assert dl.gradcheck(pos, np.ones((2, 3, 4))).passed
    with pytest.raises(ValueError, match="max_len"):
        pos(np.zeros((1, 6, 4)))


# --- layers ----------------------------------------------------------------------------------------
def test_feed_forward_is_position_wise(rng):
    ffn = dl.FeedForward(4, 8, rng=0, dtype=F64)
    x = rng.standard_normal((2, 3, 4))
    np.testing.assert_allclose(ffn(x)[:, 1], ffn(x[:, 1]))
    assert dl.gradcheck(ffn, x).passed


def test_encoder_layer_gradcheck(rng):
    layer = dl.EncoderLayer(8, 2, 16, rng=0, dtype=F64)
    mask = dl.padding_mask(np.array([[1, 1, 0], [1, 1, 1]]), 0)
    result = dl.gradcheck(layer, rng.standard_normal((2, 3, 8)), mask=mask)
    assert result.passed, result


def test_decoder_layer_gradcheck_includes_the_memory(rng):
    layer = dl.DecoderLayer(8, 2, 16, rng=0, dtype=F64)
    y, memory = rng.standard_normal((2, 4, 8)), rng.standard_normal((2, 3, 8))
    cross = dl.padding_mask(np.array([[1, 1, 0], [1, 1, 1]]), 0)
    result = dl.gradcheck(layer, y, memory, dl.causal_mask(4), cross)
    assert result.passed, result
    assert "input 1" in result.errors  # the memory's gradient, from the cross-attention


def test_stacks_gradcheck(rng):
    enc = dl.Encoder(2, 8, 2, 8, rng=0, dtype=F64)
    assert dl.gradcheck(enc, rng.standard_normal((1, 3, 8))).passed
    dec = dl.Decoder(2, 8, 2, 8, rng=1, dtype=F64)
    result = dl.gradcheck(dec, rng.standard_normal((1, 4, 8)), rng.standard_normal((1, 3, 8)), dl.causal_mask(4))
    assert result.passed, result


# --- the whole model --------------------------------------------------------------------------------
def test_whole_model_gradcheck_end_to_end():
    model = _tiny()
    result = dl.gradcheck(model, SRC, TGT_IN)
    assert result.passed, result
    assert set(result.errors) == {name for name, _ in model.named_parameters()}


def test_encoder_learns_only_through_the_cross_attention():
    model = _tiny()
    model.zero_grad()
    logits = model(SRC, TGT_IN)
    model.backward(np.ones_like(logits))
    enc_grads = [np.abs(p.grad).sum() for name, p in model.named_parameters() if name.startswith(("encoder", "src"))]
    assert all(g > 0 for g in enc_grads)


def test_model_shapes_and_float32_default():
    model = dl.Seq2SeqTransformer(7, 9, d_model=8, num_heads=2, d_ff=16, rng=0)
    logits = model(SRC, TGT_IN)
    assert logits.shape == (2, 5, 9) and logits.dtype == np.float32
    assert all(p.dtype == np.float32 for p in model.parameters())


def test_causal_mask_later_target_tokens_do_not_change_earlier_outputs():
    model = _tiny()
    tgt = np.array([[1, 4, 5, 6, 7, 3]])
    src = SRC[:1]
    base = model(src, tgt)
    for t in range(1, tgt.shape[1]):
        changed = tgt.copy()
        changed[0, t] = 8 if tgt[0, t] != 8 else 2
        out = model(src, changed)
        np.testing.assert_allclose(out[:, :t], base[:, :t], atol=1e-12)
        assert not np.allclose(out[:, t], base[:, t])


def test_padding_leaves_real_positions_unchanged():
    model = _tiny()
    base = model(SRC, TGT_IN)
    padded_src = np.pad(SRC, ((0, 0), (0, 3)))        # three more <pad> columns
    padded_tgt = np.pad(TGT_IN, ((0, 0), (0, 2)))
    out = model(padded_src, padded_tgt)
    real = TGT_IN != 0
    np.testing.assert_allclose(out[:, :5][real], base[real], atol=1e-12)


def test_what_a_padded_source_position_holds_changes_nothing():
    model = _tiny()
    base = model(SRC, TGT_IN)
    model.src_embed.weight.data[0] += 100.0  # garbage in the <pad> vector: the padding mask hides it
    np.testing.assert_allclose(model(SRC, TGT_IN)[TGT_IN != 0], base[TGT_IN != 0], atol=1e-10)


def test_encoder_without_positions_is_permutation_equivariant():
    model = _tiny(positional=False)
    src = np.array([[3, 4, 5, 6, 2]])
    perm = np.array([4, 2, 0, 3, 1])
    memory, _ = model.encode(src)
    permuted, _ = model.encode(src[:, perm])
    np.testing.assert_allclose(permuted, memory[:, perm], atol=1e-12)
    # ... and the positional encoding is what breaks the symmetry.
    with_pe = _tiny(positional=True)
    assert not np.allclose(with_pe.encode(src[:, perm])[0], with_pe.encode(src)[0][:, perm])


def test_model_errors():
    model = _tiny()
    with pytest.raises(ValueError, match="batch size"):
        model(SRC, TGT_IN[:1])
    with pytest.raises(TypeError, match="integer"):
        model(SRC.astype(float), TGT_IN)
    with pytest.raises(ValueError, match="batch, len"):
        model(SRC[0], TGT_IN)


# --- greedy decoding ------------------------------------------------------------------------------
def _forced(token: int) -> dl.Seq2SeqTransformer:
    """A model whose output layer always prefers ``token``."""
    model = _tiny()
    model.generator.weight.data[:] = 0.0
    model.generator.bias.data[:] = 0.0
    model.generator.bias.data[token] = 5.0
    return model


def test_greedy_decoding_stops_at_eos():
    out = dl.greedy_decode(_forced(2), SRC, bos_id=1, eos_id=2, max_len=10)
    np.testing.assert_array_equal(out, [[2], [2]])


def test_greedy_decoding_stops_at_max_len():
    model = _forced(5)
    out = dl.greedy_decode(model, SRC, bos_id=1, eos_id=2, max_len=6)
    np.testing.assert_array_equal(out, np.full((2, 6), 5))
    assert model.training  # the mode is restored


class _EndsAfter(dl.Seq2SeqTransformer):
    """Sentence i ends after i + 1 tokens: checks per-sentence stopping and the padding after <eos>."""

    def decode(self, tgt_in, memory, src_mask):
        n = tgt_in.shape[1]
        logits = np.zeros((tgt_in.shape[0], n, 9))
        ends = np.arange(tgt_in.shape[0]) + 1
        logits[:, -1, 7] = 1.0
        logits[ends < n, -1, 2] = 2.0  # <eos> once the sentence has its tokens
        return logits


def test_greedy_decoding_pads_each_sentence_after_its_eos():
    model = _EndsAfter(7, 9, d_model=8, num_heads=2, d_ff=8, rng=0, dtype=F64)
    out = dl.greedy_decode(model, np.array([[3, 0], [3, 4], [4, 4]]), bos_id=1, eos_id=2, max_len=10)
    np.testing.assert_array_equal(out, [[7, 2, 0, 0], [7, 7, 2, 0], [7, 7, 7, 2]])


def test_greedy_decode_agrees_with_teacher_forcing():
    model = _tiny(seed=3)
    out = dl.greedy_decode(model, SRC, bos_id=1, eos_id=2, max_len=5)
    tgt_in = np.concatenate([np.ones((2, 1), dtype=int), out[:, :-1]], axis=1)
    np.testing.assert_array_equal(np.argmax(model(SRC, tgt_in), axis=-1)[out != 0], out[out != 0])


def test_exact_match():
    ref = np.array([[4, 5, 2, 0], [4, 2, 0, 0]])
    assert dl.exact_match(np.array([[4, 5, 2], [4, 2, 0]]), ref, pad_id=0) == 1.0
    assert dl.exact_match(np.array([[4, 5, 2, 0, 0], [4, 5, 2, 0, 0]]), ref, pad_id=0) == 0.5
    assert dl.exact_match(np.array([[4, 5, 3], [4, 2, 0]]), ref, pad_id=0) == 0.5  # no <eos>: wrong
    with pytest.raises(ValueError, match="batch"):
        dl.exact_match(ref[:1], ref, pad_id=0)


# --- it learns ------------------------------------------------------------------------------------
def test_a_small_model_learns_the_toy_translation_in_float32():
    data = dl.data.make_translation(n_train=1500, n_valid=100, n_test=100, rng=0)
    v = data.tgt_vocab
    model = dl.Seq2SeqTransformer(len(data.src_vocab), len(v), d_model=32, num_heads=4, d_ff=64,
                                  max_len=32, pad_id=v.pad_id, rng=0)
    loss_fn = dl.CrossEntropyLoss(ignore_index=v.pad_id)
    train = ((data.train.src, data.train.tgt_in), data.train.tgt_out)
    history = dl.fit(model, loss_fn, dl.Adam(model.parameters(), lr=5e-3), train, epochs=8, batch_size=48, rng=0)
    assert history.step_loss[-1] < 0.05 * history.step_loss[0]
    out = dl.greedy_decode(model, data.valid.src, v.bos_id, v.eos_id, data.valid.tgt_out.shape[1])
    assert dl.exact_match(out, data.valid.tgt_out, v.pad_id) > 0.8
