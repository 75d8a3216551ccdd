"""A toy Korean→English translation set (번역 데이터), generated in code, for chapter 07.

Every sentence is built from a small grammar with five slots, in the spirit of the
course's example ``어제 카페 갔었어 거기 사람 많더라 → I went to the cafe ...``::

    Korean : TIME [COMPANION] PLACE ACTION COMMENT          (verb-final)
    English: I ACTION PLACE [COMPANION] TIME . COMMENT .     (verb after the subject)

so the two sides differ in length (4–8 Korean tokens, 12–20 English ones) and in word
order: the time moves from the front to the end of the clause, the verb from the end
to the second place, an object ("a book") from after the place to before it.
Particles are left out of the Korean, as in the course's example, and each Korean
token is one word (a real system would split words into sub-word pieces).

The held-out split keeps whole *combinations* out of training: some (place, action)
pairs, such as "had lunch at the library", never occur in a training sentence, although
each place and each action does, with other partners. A model that translates those
sentences has learned to put parts together, not to remember sentences.

Figures cannot show Hangul (matplotlib's default font has no Korean glyphs):
:data:`ROMANIZATION` and :data:`GLOSS` give a Latin-letter label for every Korean token.
NumPy and the standard library only.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import product

import numpy as np

__all__ = ["TIMES", "COMPANIONS", "PLACES", "ACTIONS", "COMMENTS", "ROMANIZATION", "GLOSS",
           "PAD", "BOS", "EOS", "SPECIALS", "Vocab", "SentencePair", "translation_pairs",
           "heldout_combinations", "pad_batch", "TranslationSplit", "TranslationData", "make_translation",
           "romanize"]

# Each slot: (Korean tokens, English tokens). Order inside a tuple is the order in the sentence.
TIMES: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("어제",), ("yesterday",)),
    (("오늘",), ("today",)),
    (("지난주에",), ("last", "week")),
    (("주말에",), ("on", "the", "weekend")),
    (("아침에",), ("in", "the", "morning")),
    (("저녁에",), ("in", "the", "evening")),
)
COMPANIONS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    ((), ()),                                   # nobody mentioned
    (("친구랑",), ("with", "a", "friend")),
    (("혼자",), ("alone",)),
)
PLACES: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("카페",), ("cafe",)),
    (("공원",), ("park",)),
    (("도서관",), ("library",)),
    (("시장",), ("market",)),
    (("학교",), ("school",)),
    (("식당",), ("restaurant",)),
    (("회사",), ("office",)),
)
# The English of an action ends with the preposition and article the place needs.
ACTIONS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("갔었어",), ("went", "to", "the")),
    (("공부했어",), ("studied", "at", "the")),
    (("일했어",), ("worked", "at", "the")),
    (("선생님", "만났어"), ("met", "my", "teacher", "at", "the")),
    (("책", "읽었어"), ("read", "a", "book", "at", "the")),
    (("점심", "먹었어"), ("had", "lunch", "at", "the")),
)
COMMENTS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("거기", "사람", "많더라"), ("There", "were", "many", "people", "there")),
    (("거기", "사람", "없더라"), ("There", "was", "nobody", "there")),
    (("거기", "조용하더라"), ("It", "was", "quiet", "there")),
    (("거기", "시끄럽더라"), ("It", "was", "noisy", "there")),
    (("날씨", "좋더라"), ("The", "weather", "was", "nice")),
    (("음식", "맛있더라"), ("The", "food", "was", "good")),
)

# Revised Romanization of Korean, for figure labels.
ROMANIZATION: dict[str, str] = {
    "어제": "eoje", "오늘": "oneul", "지난주에": "jinanjue", "주말에": "jumare", "아침에": "achime",
    "저녁에": "jeonyeoge", "친구랑": "chingurang", "혼자": "honja", "카페": "kape", "공원": "gongwon",
    "도서관": "doseogwan", "시장": "sijang", "학교": "hakgyo", "식당": "sikdang", "회사": "hoesa",
    "갔었어": "gasseosseo", "공부했어": "gongbuhaesseo", "일했어": "ilhaesseo", "선생님": "seonsaengnim",
    "만났어": "mannasseo", "책": "chaek", "읽었어": "ilgeosseo", "점심": "jeomsim", "먹었어": "meogeosseo",
    "거기": "geogi", "사람": "saram", "많더라": "manteora", "없더라": "eopdeora", "조용하더라": "joyonghadeora",
    "시끄럽더라": "sikkeureopdeora", "날씨": "nalssi", "좋더라": "joteora", "음식": "eumsik",
    "맛있더라": "masitdeora",
}
# A short English gloss of each Korean token (what it contributes, not a translation of the sentence).
GLOSS: dict[str, str] = {
    "어제": "yesterday", "오늘": "today", "지난주에": "last-week", "주말에": "on-weekend", "아침에": "in-morning",
    "저녁에": "in-evening", "친구랑": "with-friend", "혼자": "alone", "카페": "cafe", "공원": "park",
    "도서관": "library", "시장": "market", "학교": "school", "식당": "restaurant", "회사": "office",
    "갔었어": "went", "공부했어": "studied", "일했어": "worked", "선생님": "teacher", "만났어": "met",
    "책": "book", "읽었어": "read", "점심": "lunch", "먹었어": "ate", "거기": "there", "사람": "people",
    "많더라": "were-many", "없더라": "were-none", "조용하더라": "was-quiet", "시끄럽더라": "was-noisy",
    "날씨": "weather", "좋더라": "was-nice", "음식": "food", "맛있더라": "was-tasty",
}

PAD, BOS, EOS = "<pad>", "<bos>", "<eos>"
SPECIALS: tuple[str, ...] = (PAD, BOS, EOS)


def romanize(tokens: Iterable[str], style: str = "romanized") -> list[str]:
    """Latin-letter labels for Korean tokens, for figures (specials and English pass through).

    Parameters
    ----------
    tokens : iterable of str
    style : "romanized", "gloss" or "both"
        ``"eoje"``, ``"yesterday"`` or ``"eoje (yesterday)"``.
    """
    if style not in ("romanized", "gloss", "both"):
        raise ValueError(f"style must be 'romanized', 'gloss' or 'both', got {style!r}")
    out = []
    for t in tokens:
        if t not in ROMANIZATION:
            out.append(t)
        elif style == "romanized":
            out.append(ROMANIZATION[t])
        elif style == "gloss":
            out.append(GLOSS[t])
        else:
            out.append(f"{ROMANIZATION[t]} ({GLOSS[t]})")
    return out


class Vocab:
    """A vocabulary (어휘): token ↔ integer id, with ``<pad>`` = 0, ``<bos>`` = 1, ``<eos>`` = 2.

    Parameters
    ----------
    tokens : iterable of str
        The ordinary tokens, in the order their ids should follow the specials
        (duplicates are kept once, at their first place).

    Attributes
    ----------
    itos : list of str
        Id → token.
    stoi : dict
        Token → id.
    pad_id, bos_id, eos_id : int
    """

    def __init__(self, tokens: Iterable[str]) -> None:
        self.itos: list[str] = list(SPECIALS)
        for t in tokens:
            if not isinstance(t, str):
                raise TypeError(f"tokens must be strings, got {type(t).__name__}")
            if t not in self.itos:
                self.itos.append(t)
        self.stoi: dict[str, int] = {t: i for i, t in enumerate(self.itos)}
        self.pad_id, self.bos_id, self.eos_id = (self.stoi[s] for s in SPECIALS)

    @classmethod
    def from_sentences(cls, sentences: Iterable[Sequence[str]]) -> Vocab:
        """Every token of the sentences, in order of first appearance."""
        return cls(t for s in sentences for t in s)

    def __len__(self) -> int:
        return len(self.itos)

    def __contains__(self, token: str) -> bool:
        return token in self.stoi

    def encode(self, tokens: Sequence[str], *, bos: bool = False, eos: bool = False) -> list[int]:
        """Token strings → ids, optionally framed by ``<bos>`` and ``<eos>``.

        An unknown token raises ``KeyError`` naming it (this toy set has no ``<unk>``).
        """
        unknown = [t for t in tokens if t not in self.stoi]
        if unknown:
            raise KeyError(f"token(s) not in the vocabulary: {unknown}")
        ids = [self.stoi[t] for t in tokens]
        return ([self.bos_id] if bos else []) + ids + ([self.eos_id] if eos else [])

    def decode(self, ids: Iterable[int]) -> list[str]:
        """Ids → tokens, stopping at the first ``<eos>`` and dropping ``<bos>`` and ``<pad>``."""
        out = []
        for i in ids:
            i = int(i)
            if not 0 <= i < len(self.itos):
                raise ValueError(f"id {i} is outside the vocabulary [0, {len(self.itos) - 1}]")
            if i == self.eos_id:
                break
            if i not in (self.pad_id, self.bos_id):
                out.append(self.itos[i])
        return out

    def __repr__(self) -> str:
        return f"Vocab({len(self)} tokens: {', '.join(self.itos[:6])}, ...)"


@dataclass(frozen=True)
class SentencePair:
    """One generated pair and the slot choices it came from.

    Attributes
    ----------
    ko, en : tuple of str
        The Korean source tokens and the English target tokens.
    slots : tuple of int
        Indices into TIMES, COMPANIONS, PLACES, ACTIONS, COMMENTS.
    """

    ko: tuple[str, ...]
    en: tuple[str, ...]
    slots: tuple[int, int, int, int, int]


def _pair(t: int, c: int, p: int, a: int, m: int) -> SentencePair:
    ko = TIMES[t][0] + COMPANIONS[c][0] + PLACES[p][0] + ACTIONS[a][0] + COMMENTS[m][0]
    en = (("I",) + ACTIONS[a][1] + PLACES[p][1] + COMPANIONS[c][1] + TIMES[t][1] + (".",)
          + COMMENTS[m][1] + (".",))
    return SentencePair(ko, en, (t, c, p, a, m))


def translation_pairs() -> list[SentencePair]:
    """Every sentence the grammar makes (6 × 3 × 7 × 6 × 6 = 4,536), in a fixed order."""
    sizes = (len(TIMES), len(COMPANIONS), len(PLACES), len(ACTIONS), len(COMMENTS))
    return [_pair(*idx) for idx in product(*(range(n) for n in sizes))]


def heldout_combinations() -> list[tuple[int, int]]:
    """The (place, action) pairs kept out of training: one action per place, each action at least once.

    Place p is held out with action p mod 6, so every place and every action still
    occurs in training with five (or six) other partners.
    """
    return [(p, p % len(ACTIONS)) for p in range(len(PLACES))]


def pad_batch(seqs: Sequence[Sequence[int]], pad_id: int, length: int | None = None) -> np.ndarray:
    """Lists of ids of different lengths → one int64 array (batch, length), padded at the end.

    Parameters
    ----------
    seqs : sequence of sequences of int
    pad_id : int
        The id written after each sequence's end.
    length : int, optional
        The width; the longest sequence by default. A longer sequence raises ``ValueError``.
    """
    if len(seqs) == 0:
        raise ValueError("pad_batch needs at least one sequence")
    longest = max(len(s) for s in seqs)
    width = longest if length is None else int(length)
    if longest > width:
        raise ValueError(f"a sequence of length {longest} does not fit in length={width}")
    out = np.full((len(seqs), width), pad_id, dtype=np.int64)
    for i, s in enumerate(seqs):  # a loop over sentences only while building the data set, once
        out[i, :len(s)] = s
    return out


@dataclass
class TranslationSplit:
    """Sentences of one split, as tokens and as padded id arrays.

    Attributes
    ----------
    pairs : list of SentencePair
    src : np.ndarray of int64, shape (n, src_len)
        Korean ids, padded with ``<pad>``.
    tgt_in : np.ndarray of int64, shape (n, tgt_len)
        ``<bos>`` + English ids: what the decoder reads (teacher forcing, 교사 강요).
    tgt_out : np.ndarray of int64, shape (n, tgt_len)
        English ids + ``<eos>``: what it must predict at each position (tgt_in shifted by one).
    """

    pairs: list[SentencePair]
    src: np.ndarray
    tgt_in: np.ndarray
    tgt_out: np.ndarray

    def __len__(self) -> int:
        return len(self.pairs)


@dataclass
class TranslationData:
    """The vocabularies and the train / held-out splits of :func:`make_translation`."""

    src_vocab: Vocab
    tgt_vocab: Vocab
    train: TranslationSplit
    test: TranslationSplit
    heldout: list[tuple[int, int]] = field(default_factory=list)


def _encode_split(pairs: list[SentencePair], src_vocab: Vocab, tgt_vocab: Vocab, src_len: int,
                  tgt_len: int) -> TranslationSplit:
    src = pad_batch([src_vocab.encode(p.ko) for p in pairs], src_vocab.pad_id, src_len)
    tgt_in = pad_batch([tgt_vocab.encode(p.en, bos=True) for p in pairs], tgt_vocab.pad_id, tgt_len)
    tgt_out = pad_batch([tgt_vocab.encode(p.en, eos=True) for p in pairs], tgt_vocab.pad_id, tgt_len)
    return TranslationSplit(pairs, src, tgt_in, tgt_out)


def make_translation(n_train: int | None = None, rng: np.random.Generator | int = 0) -> TranslationData:
    """The toy translation set, split so that held-out (place, action) pairs never occur in training.

    Parameters
    ----------
    n_train : int, optional
        Keep only this many training sentences (drawn without replacement); all by default.
    rng : Generator or int
        Shuffles both splits (NumPy's global state is never used).

    Returns
    -------
    TranslationData
        ``train`` and ``test`` share one width per side (the longest sentence of the
        whole set), so arrays from both can be fed to one model.
    """
    gen = np.random.default_rng(rng)
    pairs = translation_pairs()
    held = set(heldout_combinations())
    train = [p for p in pairs if (p.slots[2], p.slots[3]) not in held]
    test = [p for p in pairs if (p.slots[2], p.slots[3]) in held]
    train = [train[i] for i in gen.permutation(len(train))]
    test = [test[i] for i in gen.permutation(len(test))]
    if n_train is not None:
        if isinstance(n_train, bool) or not isinstance(n_train, (int, np.integer)) or not 0 < n_train <= len(train):
            raise ValueError(f"n_train must be an int in [1, {len(train)}], got {n_train!r}")
        train = train[:n_train]
    # Vocabularies from the grammar itself, so ids do not depend on the split or the shuffle.
    src_vocab = Vocab.from_sentences(p.ko for p in pairs)
    tgt_vocab = Vocab.from_sentences(p.en for p in pairs)
    src_len = max(len(p.ko) for p in pairs)
    tgt_len = max(len(p.en) for p in pairs) + 1
    return TranslationData(src_vocab, tgt_vocab,
                           _encode_split(train, src_vocab, tgt_vocab, src_len, tgt_len),
                           _encode_split(test, src_vocab, tgt_vocab, src_len, tgt_len),
                           sorted(held))
