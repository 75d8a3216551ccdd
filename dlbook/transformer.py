"""The Transformer (트랜스포머): an encoder-decoder built from attention, feed-forward blocks,
residual connections and LayerNorm, with a hand-written backward pass for every part.

Layout (Vaswani et al., 2017, with the LayerNorm moved in front of each sub-layer)::

    encoder layer:  x ← x + SelfAttn(LN(x))                  (padding mask)
                    x ← x + FFN(LN(x))
    decoder layer:  y ← y + SelfAttn(LN(y))                  (causal + padding mask)
                    y ← y + CrossAttn(LN(y), memory)         (keys and values from the encoder)
                    y ← y + FFN(LN(y))

**Pre-LN, not Post-LN.** The 2017 paper normalizes *after* adding,
x ← LN(x + Sublayer(x)) (Post-LN). Here the sub-layer sees LN(x) and its output is
added to the untouched x; one more LayerNorm closes each stack. The residual path is
then a plain sum from the embeddings to the output, so the gradient reaches every
layer undamped. Pre-LN *can* train with a constant learning rate and no warm-up, which
is what a training run of seconds needs (Xiong et al., 2020, "On Layer Normalization in
the Transformer Architecture"); most Pre-LN models are still trained with a warm-up.
GPT-2 and PyTorch's ``norm_first=True`` place the LayerNorm the same way.

"Attention only" in the paper's title means *no recurrence*: the layers above still
contain position-wise feed-forward networks, residual connections and LayerNorm.
"""
from __future__ import annotations

import numpy as np

from ._checks import as_float_array, as_int_array, check_positive_int
from .activations import ReLU
from .attention import MultiHeadAttention, causal_mask, padding_mask
from .layers import Linear
from .module import Identity, Module, Parameter, Sequential, eval_mode
from .normalization import LayerNorm
from .rng import as_rng

__all__ = ["Embedding", "sinusoidal_positional_encoding", "PositionalEncoding", "FeedForward",
           "EncoderLayer", "DecoderLayer", "Encoder", "Decoder", "Seq2SeqTransformer", "greedy_decode", "exact_match"]


class Embedding(Module):
    """A lookup table (임베딩): token id i → row i of ``weight``, a learned vector.

    Looking up a row is the same as multiplying a one-hot vector by the table, so the
    backward pass adds each position's gradient into the row of its id; an id that
    occurs several times in the batch receives the sum of all its gradients.

    Parameters
    ----------
    num_embeddings : int
        Vocabulary size (number of rows).
    embedding_dim : int
        Length of each vector.
    rng : Generator or int, optional
        Initial values, drawn from N(0, 1) as PyTorch does.
    dtype : numpy dtype

    Attributes
    ----------
    weight : Parameter, shape (num_embeddings, embedding_dim)

    Shapes
    ------
    ids (...) of int → (..., embedding_dim). ``backward`` returns None: ids have no gradient.
    """

    def __init__(self, num_embeddings: int, embedding_dim: int, *, rng: np.random.Generator | int | None = None,
                 dtype: np.dtype | type = np.float32) -> None:
        super().__init__()
        self.num_embeddings = check_positive_int(num_embeddings, "num_embeddings")
        self.embedding_dim = check_positive_int(embedding_dim, "embedding_dim")
        self.weight = Parameter(as_rng(rng).standard_normal((num_embeddings, embedding_dim)), dtype=dtype)

    def forward(self, ids: np.ndarray) -> np.ndarray:
        ids = as_int_array(ids, "ids")
        if ids.size and (ids.min() < 0 or ids.max() >= self.num_embeddings):
            bad = ids[(ids < 0) | (ids >= self.num_embeddings)].flat[0]
            raise ValueError(f"ids must be in [0, {self.num_embeddings - 1}], got {bad}")
        self.cache = ids
        return self.weight.data[ids]

    def backward(self, dy: np.ndarray) -> None:
        ids = self.saved()
        dy = as_float_array(dy, "dy", dtype=self.weight.dtype)
        if dy.shape != ids.shape + (self.embedding_dim,):
            raise ValueError(f"dy must have shape {ids.shape + (self.embedding_dim,)}, got {dy.shape}")
        # Unbuffered addition: a repeated id adds every one of its gradients
        # (weight.grad[ids] += dy would keep only the last one).
        np.add.at(self.weight.grad, ids, dy)
        return None

    def extra_repr(self) -> str:
        return f"{self.num_embeddings}, {self.embedding_dim}"


def sinusoidal_positional_encoding(max_len: int, d_model: int, dtype: np.dtype | type = np.float32) -> np.ndarray:
    """The fixed position vectors of the 2017 paper (위치 인코딩).

    PE[pos, 2i] = sin(pos / 10000^(2i/d_model)),  PE[pos, 2i+1] = cos(pos / 10000^(2i/d_model)):
    each pair of columns is a clock hand turning at its own speed, fast in the first
    columns and slow in the last, so every position gets a different pattern and a shift
    by k positions is the same rotation wherever it starts.

    Returns
    -------
    np.ndarray, shape (max_len, d_model)
    """
    max_len = check_positive_int(max_len, "max_len")
    d_model = check_positive_int(d_model, "d_model")
    pos = np.arange(max_len)[:, None]
    freq = 10000.0 ** (-np.arange(0, d_model, 2) / d_model)  # one speed per column pair
    pe = np.zeros((max_len, d_model))
    pe[:, 0::2] = np.sin(pos * freq)
    pe[:, 1::2] = np.cos(pos * freq[:d_model // 2])
    return pe.astype(dtype)


class PositionalEncoding(Module):
    """Adds the sinusoidal position vectors to a sequence of embeddings; no parameters.

    Shapes: x (batch, len, d_model) → same, with len ≤ max_len. Backward passes dy through.
    """

    def __init__(self, d_model: int, max_len: int = 64, *, dtype: np.dtype | type = np.float32) -> None:
        super().__init__()
        self.d_model = check_positive_int(d_model, "d_model")
        self.max_len = check_positive_int(max_len, "max_len")
        self.pe = sinusoidal_positional_encoding(max_len, d_model, dtype)

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = as_float_array(x, "PositionalEncoding input", dtype=self.pe.dtype)
        if x.ndim != 3 or x.shape[-1] != self.d_model:
            raise ValueError(f"expected shape (batch, len, {self.d_model}), got {x.shape}")
        if x.shape[1] > self.max_len:
            raise ValueError(f"sequence length {x.shape[1]} exceeds max_len={self.max_len}")
        self.cache = x.shape
        return x + self.pe[:x.shape[1]]

    def backward(self, dy: np.ndarray) -> np.ndarray:
        shape = self.saved()
        if np.shape(dy) != shape:
            raise ValueError(f"dy must have shape {shape}, got {np.shape(dy)}")
        return dy

    def extra_repr(self) -> str:
        return f"d_model={self.d_model}, max_len={self.max_len}"


class FeedForward(Sequential):
    """The position-wise feed-forward network (포지션-와이즈 피드포워드): Linear → ReLU → Linear.

    The same two-layer MLP is applied to every position on its own (Linear acts on the
    last axis), widening d_model to d_ff and back. Attention mixes positions; this
    block transforms each one.
    """

    def __init__(self, d_model: int, d_ff: int, *, rng: np.random.Generator | int | None = None,
                 dtype: np.dtype | type = np.float32) -> None:
        gen = as_rng(rng)
        super().__init__(Linear(d_model, d_ff, rng=gen, dtype=dtype), ReLU(),
                         Linear(d_ff, d_model, rng=gen, dtype=dtype))


class EncoderLayer(Module):
    """One pre-norm encoder layer: self-attention, then the feed-forward block, each with a residual.

    Shapes: x (batch, len, d_model), mask broadcasting to (batch, heads, len, len) →
    (batch, len, d_model). ``backward(dy)`` returns dx.
    """

    def __init__(self, d_model: int, num_heads: int, d_ff: int, *, rng: np.random.Generator | int | None = None,
                 dtype: np.dtype | type = np.float32) -> None:
        super().__init__()
        gen = as_rng(rng)
        self.norm1 = LayerNorm(d_model, dtype=dtype)
        self.self_attn = MultiHeadAttention(d_model, num_heads, rng=gen, dtype=dtype)
        self.norm2 = LayerNorm(d_model, dtype=dtype)
        self.ffn = FeedForward(d_model, d_ff, rng=gen, dtype=dtype)

    def forward(self, x: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
        h = self.norm1(x)
        x = x + self.self_attn(h, h, h, mask)
        return x + self.ffn(self.norm2(x))

    def backward(self, dy: np.ndarray) -> np.ndarray:
        # Each residual sum sends dy both ways: straight through, and through the sub-layer.
        dx = dy + self.norm2.backward(self.ffn.backward(dy))
        dq, dk, dv = self.self_attn.backward(dx)
        return dx + self.norm1.backward(dq + dk + dv)  # self-attention: q, k, v are one array


class DecoderLayer(Module):
    """One pre-norm decoder layer: causal self-attention, cross-attention to the encoder, feed-forward.

    Shapes: y (batch, len_t, d_model), memory (batch, len_s, d_model) → (batch, len_t, d_model).
    ``self_mask`` broadcasts to (batch, heads, len_t, len_t), ``cross_mask`` to
    (batch, heads, len_t, len_s). ``backward(dy)`` returns ``(dy_in, dmemory)``: the
    encoder output gets a gradient through the cross-attention's keys and values.
    """

    def __init__(self, d_model: int, num_heads: int, d_ff: int, *, rng: np.random.Generator | int | None = None,
                 dtype: np.dtype | type = np.float32) -> None:
        super().__init__()
        gen = as_rng(rng)
        self.norm1 = LayerNorm(d_model, dtype=dtype)
        self.self_attn = MultiHeadAttention(d_model, num_heads, rng=gen, dtype=dtype)
        self.norm2 = LayerNorm(d_model, dtype=dtype)
        self.cross_attn = MultiHeadAttention(d_model, num_heads, rng=gen, dtype=dtype)
        self.norm3 = LayerNorm(d_model, dtype=dtype)
        self.ffn = FeedForward(d_model, d_ff, rng=gen, dtype=dtype)

    def forward(self, y: np.ndarray, memory: np.ndarray, self_mask: np.ndarray | None = None,
                cross_mask: np.ndarray | None = None) -> np.ndarray:
        h = self.norm1(y)
        y = y + self.self_attn(h, h, h, self_mask)
        y = y + self.cross_attn(self.norm2(y), memory, memory, cross_mask)
        return y + self.ffn(self.norm3(y))

    def backward(self, dy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        dy = dy + self.norm3.backward(self.ffn.backward(dy))
        dq, dk, dv = self.cross_attn.backward(dy)
        dmemory = dk + dv  # memory served as both keys and values
        dy = dy + self.norm2.backward(dq)
        dq, dk, dv = self.self_attn.backward(dy)
        return dy + self.norm1.backward(dq + dk + dv), dmemory


class _LayerStack(Module):
    """``num_layers`` layers of one kind, then a final LayerNorm (pre-norm leaves the residual
    stream unnormalized otherwise). Subclasses set ``layer_type`` and define forward/backward."""

    layer_type: type[Module]

    def __init__(self, num_layers: int, d_model: int, num_heads: int, d_ff: int, *,
                 rng: np.random.Generator | int | None = None, dtype: np.dtype | type = np.float32) -> None:
        super().__init__()
        gen = as_rng(rng)
        self.layers = [self.layer_type(d_model, num_heads, d_ff, rng=gen, dtype=dtype)
                       for _ in range(check_positive_int(num_layers, "num_layers"))]
        self.norm = LayerNorm(d_model, dtype=dtype)


class Encoder(_LayerStack):
    """A stack of encoder layers and a final LayerNorm."""

    layer_type = EncoderLayer

    def forward(self, x: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
        for layer in self.layers:
            x = layer(x, mask)
        return self.norm(x)

    def backward(self, dy: np.ndarray) -> np.ndarray:
        dx = self.norm.backward(dy)
        for layer in reversed(self.layers):
            dx = layer.backward(dx)
        return dx


class Decoder(_LayerStack):
    """A stack of decoder layers and a final LayerNorm; every layer reads the same encoder output."""

    layer_type = DecoderLayer

    def forward(self, y: np.ndarray, memory: np.ndarray, self_mask: np.ndarray | None = None,
                cross_mask: np.ndarray | None = None) -> np.ndarray:
        for layer in self.layers:
            y = layer(y, memory, self_mask, cross_mask)
        return self.norm(y)

    def backward(self, dy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        dy = self.norm.backward(dy)
        dmemory = 0.0
        for layer in reversed(self.layers):
            dy, dm = layer.backward(dy)
            dmemory = dmemory + dm  # the memory fed every layer: its gradients add up
        return dy, dmemory


class Seq2SeqTransformer(Module):
    """An encoder-decoder Transformer for translation: ``logits = model(src, tgt_in)``.

    Parameters
    ----------
    src_vocab_size, tgt_vocab_size : int
    d_model : int
        Width of every token vector.
    num_heads : int
    num_encoder_layers, num_decoder_layers : int
    d_ff : int
        Hidden width of the feed-forward blocks.
    max_len : int
        Longest sequence the positional encoding covers.
    pad_id : int
        The padding id of both vocabularies: padded source keys are masked out.
    positional_encoding : bool
        Add the sinusoidal position vectors (turn off only to show what they are for).
    rng : Generator or int, optional
    dtype : numpy dtype

    Shapes
    ------
    src (batch, len_s) int, tgt_in (batch, len_t) int → logits (batch, len_t, tgt_vocab_size).
    Position t of the logits predicts target token t + 1 from tgt_in[:, :t+1] and the whole source.
    ``backward(dy)`` (dy: the gradient for the logits) fills every parameter's gradient and returns None (ids have none).
    """

    def __init__(self, src_vocab_size: int, tgt_vocab_size: int, d_model: int = 32, num_heads: int = 4,
                 num_encoder_layers: int = 1, num_decoder_layers: int = 1, d_ff: int = 64, max_len: int = 64,
                 pad_id: int = 0, positional_encoding: bool = True, *, rng: np.random.Generator | int | None = None,
                 dtype: np.dtype | type = np.float32) -> None:
        super().__init__()
        gen = as_rng(rng)
        self.pad_id = int(pad_id)
        self.src_embed = Embedding(src_vocab_size, d_model, rng=gen, dtype=dtype)
        self.tgt_embed = Embedding(tgt_vocab_size, d_model, rng=gen, dtype=dtype)
        # Two instances of the same fixed table: each remembers its own input for backward.
        # Without positional encoding, Identity stands in its place.
        self.src_pos = PositionalEncoding(d_model, max_len, dtype=dtype) if positional_encoding else Identity()
        self.tgt_pos = PositionalEncoding(d_model, max_len, dtype=dtype) if positional_encoding else Identity()
        self.encoder = Encoder(num_encoder_layers, d_model, num_heads, d_ff, rng=gen, dtype=dtype)
        self.decoder = Decoder(num_decoder_layers, d_model, num_heads, d_ff, rng=gen, dtype=dtype)
        self.generator = Linear(d_model, tgt_vocab_size, rng=gen, dtype=dtype)

    def _ids(self, ids: np.ndarray, name: str) -> np.ndarray:
        ids = as_int_array(ids, name)
        if ids.ndim != 2:
            raise ValueError(f"{name} must have shape (batch, len), got {ids.shape}")
        return ids

    def encode(self, src: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Run the encoder: returns ``memory`` (batch, len_s, d_model) and the source padding mask."""
        src = self._ids(src, "src")
        src_mask = padding_mask(src, self.pad_id)
        return self.encoder(self.src_pos(self.src_embed(src)), src_mask), src_mask

    def decode(self, tgt_in: np.ndarray, memory: np.ndarray, src_mask: np.ndarray) -> np.ndarray:
        """Run the decoder and the output layer: logits (batch, len_t, tgt_vocab_size)."""
        tgt_in = self._ids(tgt_in, "tgt_in")
        # A target position may see earlier positions that are not padding.
        self_mask = padding_mask(tgt_in, self.pad_id) & causal_mask(tgt_in.shape[1])
        y = self.decoder(self.tgt_pos(self.tgt_embed(tgt_in)), memory, self_mask, src_mask)
        return self.generator(y)

    def forward(self, src: np.ndarray, tgt_in: np.ndarray) -> np.ndarray:
        src, tgt_in = self._ids(src, "src"), self._ids(tgt_in, "tgt_in")
        if src.shape[0] != tgt_in.shape[0]:
            raise ValueError(f"src and tgt_in must have the same batch size, got {src.shape[0]} and {tgt_in.shape[0]}")
        memory, src_mask = self.encode(src)
        return self.decode(tgt_in, memory, src_mask)

    def backward(self, dy: np.ndarray) -> None:
        dy = self.generator.backward(dy)
        dy, dmemory = self.decoder.backward(dy)
        self.tgt_embed.backward(self.tgt_pos.backward(dy))
        dx = self.encoder.backward(dmemory)  # the decoder's gradient for the memory trains the encoder
        self.src_embed.backward(self.src_pos.backward(dx))
        return None


def greedy_decode(model: Seq2SeqTransformer, src: np.ndarray, bos_id: int, eos_id: int,
                  max_len: int) -> np.ndarray:
    """Translate by always taking the most likely next token (탐욕적 디코딩), for a whole batch at once.

    Starting from ``<bos>``, the decoder is run on everything generated so far and its
    last position's argmax is appended, until every sentence has produced ``<eos>`` or
    ``max_len`` tokens were generated. After its ``<eos>`` a sentence is filled with the
    model's ``pad_id``.

    Parameters
    ----------
    model : Seq2SeqTransformer
    src : np.ndarray of int, shape (batch, len_s)
    bos_id, eos_id : int
    max_len : int
        Most tokens to generate per sentence, ``<eos>`` included.

    Returns
    -------
    np.ndarray of int64, shape (batch, n) with n ≤ max_len
        The generated ids, without the leading ``<bos>``; a sentence that ends has its
        ``<eos>`` in it. n < max_len when every sentence ended earlier.
    """
    max_len = check_positive_int(max_len, "max_len")
    with eval_mode(model):
        memory, src_mask = model.encode(src)
        ys = np.full((memory.shape[0], 1), bos_id, dtype=np.int64)
        done = np.zeros(memory.shape[0], dtype=bool)
        for _ in range(max_len):  # a loop over output positions, each step one batched decoder pass
            nxt = np.argmax(model.decode(ys, memory, src_mask)[:, -1], axis=-1)
            nxt = np.where(done, model.pad_id, nxt)
            ys = np.concatenate([ys, nxt[:, None]], axis=1)
            done |= nxt == eos_id
            if done.all():
                break
    return ys[:, 1:]


def exact_match(pred: np.ndarray, target: np.ndarray, pad_id: int) -> float:
    """Share of sentences translated exactly right: every token and the ``<eos>``, nothing after it.

    Parameters
    ----------
    pred : np.ndarray of int, shape (batch, n)
        E.g. from :func:`greedy_decode` (``<pad>`` after ``<eos>``).
    target : np.ndarray of int, shape (batch, m)
        The reference ids with ``<eos>``, padded with ``pad_id`` (``tgt_out``).
    pad_id : int

    The shorter array is padded with ``pad_id`` first, so widths may differ.
    """
    pred, target = as_int_array(pred, "pred"), as_int_array(target, "target")
    if pred.ndim != 2 or target.ndim != 2 or pred.shape[0] != target.shape[0]:
        raise ValueError(f"pred and target must be (batch, len) arrays with one batch size, "
                         f"got {pred.shape} and {target.shape}")
    width = max(pred.shape[1], target.shape[1])
    pred = np.pad(pred, ((0, 0), (0, width - pred.shape[1])), constant_values=pad_id)
    target = np.pad(target, ((0, 0), (0, width - target.shape[1])), constant_values=pad_id)
    return float(np.mean(np.all(pred == target, axis=1)))
