"""Chapter 07's translator and its two baselines, with their settings in one place.

- :func:`make_translator`, :func:`train_translator`, :func:`translate`, :func:`translate_with_attention`:
  the Transformer of chapter 07 (``dlbook.transformer``), sized for the translation set, trained and
  run as the chapter does.
- :class:`MeanPoolTranslator`: the same model, except that its decoder sees only the *mean* of the
  encoder's vectors, one vector for the whole sentence (what a seq2seq model without attention
  passes from encoder to decoder).
- :class:`DictionaryTranslator`: the best word-by-word dictionary translation with a fixed reordering,
  both learned from the training pairs.

Used by the chapter and by ``tools/make_figures.py``, so the figures show the chapter's model.
:func:`cached_greedy_decode` is a speed path, not course material: the tokens of the plain
:func:`~dlbook.greedy_decode` that the chapter shows, without recomputing the past at every
step (it lives here rather than in ``fast.py`` because it needs the Transformer's layers).
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from ._checks import as_int_array, check_positive_int
from .attention import scaled_dot_product_attention
from .module import Module, eval_mode
from .optim import Adam
from .softmax import CrossEntropyLoss
from .training import History, fit
from .transformer import Decoder, DecoderLayer, Seq2SeqTransformer, exact_match, greedy_decode

if TYPE_CHECKING:
    from .data.translation import SentencePair, TranslationData, TranslationSplit

__all__ = ["make_translator", "MeanOverSource", "MeanPoolTranslator", "train_translator", "translate", "exact_match_by_split",
           "translate_with_attention", "DictionaryTranslator", "order_roles", "cached_greedy_decode"]

#: The translator's size: chapter 07's model.
TRANSLATOR_SIZE = dict(d_model=32, num_heads=4, num_encoder_layers=1, num_decoder_layers=1, d_ff=64, max_len=32)


def make_translator(data: TranslationData, *, rng: np.random.Generator | int | None = 0,
                    dtype: np.dtype | type = np.float32) -> Seq2SeqTransformer:
    """The translator of chapter 07, untrained, sized for the vocabularies of ``data``.

    d_model = 32, 4 heads of 8 dimensions, one encoder and one decoder layer, feed-forward
    width 64, positions up to 32; ``<pad>`` (id 0 on both sides) is masked.

    Parameters
    ----------
    data : TranslationData
        From :func:`dlbook.data.make_translation`.
    rng : Generator or int
        Draws the initial weights.
    dtype : numpy dtype
    """
    return Seq2SeqTransformer(len(data.src_vocab), len(data.tgt_vocab), **TRANSLATOR_SIZE,
                              pad_id=data.tgt_vocab.pad_id, rng=rng, dtype=dtype)


class MeanOverSource(Module):
    """Wraps an encoder: (batch, len_s, d_model) → the mean over the real positions, (batch, 1, d_model)."""

    def __init__(self, encoder: Module) -> None:
        super().__init__()
        self.encoder = encoder

    def forward(self, x: np.ndarray, mask: np.ndarray) -> np.ndarray:
        states = self.encoder(x, mask)
        keep = mask.reshape(mask.shape[0], -1).astype(states.dtype)           # (batch, len_s), 1 = real token
        weights = keep / keep.sum(axis=1, keepdims=True)
        self.cache = weights
        return (weights[:, None, :] @ states)                                  # (batch, 1, d_model)

    def backward(self, dy: np.ndarray) -> np.ndarray:
        weights = self.saved()
        return self.encoder.backward(weights[:, :, None] * dy)                  # each real position gets dy / n


class MeanPoolTranslator(Seq2SeqTransformer):
    """The baseline without attention to the source words: the decoder sees one vector per sentence.

    Exactly :class:`Seq2SeqTransformer` with the encoder's output replaced by its mean over the
    sentence's real (not ``<pad>``) positions, so the memory is a single vector. The decoder's
    cross-attention then has one key: its weight is 1 and it passes that vector on. Everything
    else (size, self-attention in both stacks, the training loop) is the Transformer's.

    Parameters are those of :class:`Seq2SeqTransformer`.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.encoder = MeanOverSource(self.encoder)

    def encode(self, src: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        memory, _ = super().encode(src)
        return memory, np.ones((memory.shape[0], 1, 1, 1), dtype=bool)  # the one memory vector is always there

    @classmethod
    def for_data(cls, data: TranslationData, *, rng: np.random.Generator | int | None = 0,
                 dtype: np.dtype | type = np.float32) -> MeanPoolTranslator:
        """Sized like :func:`make_translator`, for the vocabularies of ``data``."""
        return cls(len(data.src_vocab), len(data.tgt_vocab), **TRANSLATOR_SIZE, pad_id=data.tgt_vocab.pad_id,
                   rng=rng, dtype=dtype)


def train_translator(model: Seq2SeqTransformer, data: TranslationData, *, epochs: int = 8, batch_size: int = 64,
                     lr: float = 3e-3, rng: np.random.Generator | int | None = 0) -> History:
    """Train a translator on ``data.train`` with teacher forcing, as chapter 07 does.

    The loss is the cross-entropy of every next-token prediction, ``<pad>`` targets
    ignored; Adam with a constant learning rate (no warm-up); ``fit`` runs the training
    loop of the earlier chapters, with the model's two inputs as the tuple
    ``(src, tgt_in)``, and measures the token accuracy on ``data.valid`` after each epoch.

    Parameters
    ----------
    model : Seq2SeqTransformer
        Trained in place, e.g. from :func:`make_translator`.
    data : TranslationData
    epochs, batch_size : int
    lr : float
        Adam's learning rate.
    rng : Generator or int
        Shuffles the batches.

    Returns
    -------
    History
    """
    loss_fn = CrossEntropyLoss(ignore_index=data.tgt_vocab.pad_id)
    optimizer = Adam(model.parameters(), lr=lr)
    return fit(model, loss_fn, optimizer, ((data.train.src, data.train.tgt_in), data.train.tgt_out),
               epochs=epochs, batch_size=batch_size,
               val_data=((data.valid.src, data.valid.tgt_in), data.valid.tgt_out), rng=rng)


def translate(model: Seq2SeqTransformer, split: TranslationSplit, data: TranslationData) -> np.ndarray:
    """Greedy translations of every sentence of ``split`` (ids, ``<eos>`` included, ``<pad>`` after it).

    The tokens of :func:`~dlbook.greedy_decode`, computed faster by :func:`cached_greedy_decode`.
    """
    V = data.tgt_vocab
    return cached_greedy_decode(model, split.src, V.bos_id, V.eos_id, split.tgt_out.shape[1])


def exact_match_by_split(translator: Seq2SeqTransformer | DictionaryTranslator, data: TranslationData,
                         splits: Sequence[str] = ("train", "valid", "test_unseen", "test_longer")) -> dict[str, float]:
    """Exact match (share of sentences right to the last word) of a translator on each split.

    A model is decoded greedily (the tokens of :func:`~dlbook.greedy_decode`, computed faster by
    :func:`cached_greedy_decode`); a :class:`DictionaryTranslator` translates the tokens.
    The training split is measured on its first 500 sentences (enough to see fitting).
    """
    out = {}
    for name in splits:
        split = getattr(data, name)
        n = min(len(split), 500)
        if isinstance(translator, DictionaryTranslator):
            out[name] = float(np.mean([tuple(translator.translate(p)) == p.en for p in split.pairs[:n]]))
        else:
            V = data.tgt_vocab
            pred = cached_greedy_decode(translator, split.src[:n], V.bos_id, V.eos_id, split.tgt_out.shape[1])
            out[name] = exact_match(pred, split.tgt_out[:n], V.pad_id)
    return out


def translate_with_attention(model: Seq2SeqTransformer, src: np.ndarray, bos_id: int, eos_id: int, max_len: int,
                             *, layer: int = -1) -> tuple[np.ndarray, np.ndarray]:
    """Translate one sentence greedily and return where the decoder looked while writing each word.

    The translation comes from :func:`~dlbook.greedy_decode`; the model then runs once more with
    ``<bos>`` + that translation as the decoder's input, and the weights one decoder
    layer's cross-attention kept are read off.

    Parameters
    ----------
    model : Seq2SeqTransformer
    src : np.ndarray of int, shape (len_s,)
        One source sentence; ``<pad>`` at its end is allowed.
    bos_id, eos_id : int
    max_len : int
        Most tokens to generate, ``<eos>`` included.
    layer : int
        Which decoder layer (default: the last).

    Returns
    -------
    ids : np.ndarray of int64, shape (n,)
        The translation, ending with ``<eos>`` when the model wrote one within ``max_len``.
    weights : np.ndarray, shape (num_heads, n, n_src)
        Row t: how the position that predicts ``ids[t]`` spread its attention over the
        ``n_src`` source tokens that are not ``<pad>``. Each row sums to 1.
    """
    src = as_int_array(src, "src")
    if src.ndim != 1:
        raise ValueError(f"src must be one sentence of shape (len_s,), got shape {src.shape}")
    ids = greedy_decode(model, src[None], bos_id, eos_id, max_len)[0]
    ends = np.flatnonzero(ids == eos_id)
    ids = ids[:ends[0] + 1] if ends.size else ids
    tgt_in = np.concatenate([[bos_id], ids[:-1]])[None]  # position t reads the words before ids[t]
    with eval_mode(model):
        model(src[None], tgt_in)
    weights = model.decoder.layers[layer].cross_attn.attn_weights[0]  # (heads, n, len_s)
    return ids, weights[:, :, src != model.pad_id]


class DictionaryTranslator:
    """Word-by-word translation with a fixed reordering, both learned from training pairs.

    The strongest dictionary we can build from the data: it is even told each Korean word's
    role (time, place, object, verb, …) and which English words it accounts for
    (``SentencePair.links``, from the grammar). It learns

    - for every (role, Korean word), its most frequent English rendering in training;
    - the English order of the roles: a before b if it stands before b in most training
      sentences that have both.

    A sentence is translated as "I" followed by the renderings of its words in that order.
    What it cannot do is let one word's English depend on another word.

    Parameters
    ----------
    pairs : sequence of SentencePair
        The training pairs.
    """

    def __init__(self, pairs: Sequence[SentencePair]) -> None:
        if len(pairs) == 0:
            raise ValueError("DictionaryTranslator needs at least one training pair")
        renderings: dict[tuple[str, str], Counter] = {}
        before: Counter = Counter()  # (a, b): in how many English sentences role a stood before role b
        for p in pairs:
            for word, role, words in zip(p.ko, p.roles, p.links):
                renderings.setdefault((role, word), Counter())[words] += 1
            seen = list(dict.fromkeys(role for role, _ in p.english_pieces()))
            before.update((a, b) for i, a in enumerate(seen) for b in seen[i + 1:])
        #: (role, Korean word) → its most frequent English words.
        self.table: dict[tuple[str, str], tuple[str, ...]] = {k: c.most_common(1)[0][0] for k, c in renderings.items()}
        #: The roles in the English order learned from training.
        self.order: list[str] = order_roles(before, {role for p in pairs for role in p.roles})

    def translate(self, pair_or_tokens: SentencePair | Sequence[str], roles: Sequence[str] | None = None) -> list[str]:
        """The English of one Korean sentence (a SentencePair, or its tokens and their roles).

        An unknown word stays untranslated, in its role's place.
        """
        if roles is None:
            tokens, roles = pair_or_tokens.ko, pair_or_tokens.roles
        else:
            tokens = pair_or_tokens
        if len(tokens) != len(roles):
            raise ValueError(f"one role per token needed, got {len(tokens)} tokens and {len(roles)} roles")
        out = ["I"]
        for role in self.order:
            for word, r in zip(tokens, roles):
                if r == role:
                    out.extend(self.table.get((role, word), (word,)))
        return out


def order_roles(before: Counter, roles: set[str]) -> list[str]:
    """The roles sorted so that a comes before b when it does in most sentences that have both.

    ``before[a, b]`` counts the sentences in which role a stands before role b.
    """
    first = {a: {b for b in roles if before[b, a] > before[a, b]} for a in roles}  # roles that must come before a
    order: list[str] = []
    while len(order) < len(roles):
        ready = sorted(r for r in roles if r not in order and first[r] <= set(order))
        order.append(ready[0] if ready else min(r for r in roles if r not in order))  # a cycle: break it by name
    return order


# --- greedy decoding with cached keys and values ------------------------------------------------
def cached_greedy_decode(model: Seq2SeqTransformer, src: np.ndarray, bos_id: int, eos_id: int,
                         max_len: int) -> np.ndarray:
    """:func:`dlbook.greedy_decode`, the same tokens, without recomputing the past at every step.

    The plain version runs the decoder on the whole prefix for every new token, so writing
    n tokens costs about n²/2 positions' work. But with a causal mask a position's vectors
    never change once computed: only the newest position is new. So each step here runs the
    decoder on that one position, every layer keeping the keys and values of the positions
    before it (the *key-value cache* of Transformer inference engines), and the
    cross-attention's keys and values, projections of the fixed encoder output, are
    computed once. Per position the operations are those of ``DecoderLayer.forward``, so the
    tokens are those of the plain version (``tests/test_translator.py`` checks it); for
    chapter 07's sentences it is about five times faster.

    A model whose ``decode``, decoder or decoder layers compute differently (a subclass that
    overrides them) is handed to the plain :func:`~dlbook.greedy_decode`. Parameters and
    result are those of the plain version.
    """
    max_len = check_positive_int(max_len, "max_len")
    if (type(model).decode is not Seq2SeqTransformer.decode or type(model.decoder).forward is not Decoder.forward
            or any(type(layer).forward is not DecoderLayer.forward for layer in model.decoder.layers)):
        return greedy_decode(model, src, bos_id, eos_id, max_len)
    with eval_mode(model):
        memory, src_mask = model.encode(src)
        layers = model.decoder.layers
        cross_kv = [(layer.cross_attn.split_heads(layer.cross_attn.k_proj(memory)),
                     layer.cross_attn.split_heads(layer.cross_attn.v_proj(memory))) for layer in layers]
        keys: list[np.ndarray] = [np.empty(0)] * len(layers)      # per layer: (batch, heads, t, d_head)
        values: list[np.ndarray] = [np.empty(0)] * len(layers)
        ys = np.full((memory.shape[0], 1), bos_id, dtype=np.int64)
        done = np.zeros(memory.shape[0], dtype=bool)
        for step in range(max_len):
            y = model.tgt_pos(model.tgt_embed(ys))[:, -1:]          # (batch, 1, d_model): the newest position
            may_attend = (ys != model.pad_id)[:, None, None, :]    # its causal row: every earlier non-pad token
            for i, layer in enumerate(layers):
                attn, cross = layer.self_attn, layer.cross_attn
                h = layer.norm1(y)
                k, v = attn.split_heads(attn.k_proj(h)), attn.split_heads(attn.v_proj(h))
                keys[i] = k if step == 0 else np.concatenate([keys[i], k], axis=2)
                values[i] = v if step == 0 else np.concatenate([values[i], v], axis=2)
                heads, _ = scaled_dot_product_attention(attn.split_heads(attn.q_proj(h)), keys[i], values[i],
                                                        may_attend)
                y = y + attn.out_proj(attn.merge_heads(heads))
                heads, _ = scaled_dot_product_attention(cross.split_heads(cross.q_proj(layer.norm2(y))),
                                                        *cross_kv[i], src_mask)
                y = y + cross.out_proj(cross.merge_heads(heads))
                y = y + layer.ffn(layer.norm3(y))
            nxt = np.argmax(model.generator(model.decoder.norm(y))[:, -1], axis=-1)
            nxt = np.where(done, model.pad_id, nxt)
            ys = np.concatenate([ys, nxt[:, None]], axis=1)
            done |= nxt == eos_id
            if done.all():
                break
    return ys[:, 1:]
