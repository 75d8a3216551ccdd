"""A small Korean→English translation set (번역 데이터), generated in code, for chapter 07.

The grammar
-----------
Every Korean sentence is natural casual-style Korean (반말, ``-어`` / ``-ㄹ 거야`` endings used
throughout), with its particles: 카페**에** (to/at), 카페**에서** (at, where something is
done), 우산**을** (object), 친구**랑** (with), 고양이**가** (subject). One Korean word is one
token, particle included; the full stop is a token too. Two kinds of main clause::

    motion / location:  TIME [COMPANION] PLACE-에   VERB          어제 카페에 갔어 .
    with an object:     TIME [COMPANION] PLACE-에서 [ADJ] OBJECT VERB   어제 시장에서 새 우산을 샀어 .

optionally followed by a second clause about the place (not after 집 "home")::

    거기 사람이 많았어 .            There were many people there .
    거기 고양이가 두 마리 있었어 .    There were two cats there .

The English keeps a fixed order, ``I VERB [ADJ] OBJECT PLACE [COMPANION] TIME .`` then
``There VERB ... there .``, so the word order differs from the Korean (verb-final, time
first), and the English is longer (no subject in the Korean; articles, "There was").

What no word-by-word dictionary can do
--------------------------------------
The English of some Korean words depends on other words of the sentence:

- the verb's sense on its object: 쓰다 is *write* a letter / *wear* a hat / *use* a phone,
  타다 *ride* a bike / *take* a bus;
- the preposition on the place *and* the verb: 카페에 갔어 "went **to** the cafe", 카페에
  있었어 "was **at** the cafe", 집에 갔어 "went **home**", 집에 있었어 "was **at home**";
- English agreement: *a* / *an* by the next English word (an umbrella, a new umbrella, an old
  hat), There *was* a cat / There *were* two cats, cat / cats;
- tense from the verb ending and, with it, the time: 샀어 → *bought*, 살 거야 → *will buy*;
  주말에 ("on the weekend") goes with both, 어제 only with the past, 내일 only with the future.

Each sentence also records, for every Korean token, its role (time, place, object, …)
and the English words it accounts for (:attr:`SentencePair.links`); the English is
"I" followed by those pieces in a fixed order of roles (:data:`EN_ORDER`). The
dictionary baseline of chapter 07 learns from these links.

The splits (:func:`make_translation`)
-------------------------------------
- **test_unseen**: every sentence that pairs an object with a verb never paired in
  training (:data:`HELDOUT_PAIRS`, e.g. 우산을 고쳤어 "fixed an umbrella"); the object and
  the verb each occur in training with other partners. Only verbs whose English does not
  depend on the object are held out: nothing in the data could tell whether an unseen
  object is written, worn or used.
- **test_longer**: sentences with more Korean tokens than any other split has
  (:data:`MAX_TRAIN_LEN`), all of their object–verb pairs seen in training.
- **train** and **valid**: disjoint random samples of the remaining sentences; valid is
  for watching training, never for a test.

Figures cannot show Hangul (matplotlib's default font has no Korean glyphs):
:data:`ROMANIZATION` and :data:`GLOSS` give a Latin-letter label for every Korean token.
NumPy, the standard library and dlbook's ``as_rng`` only.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import product

import numpy as np

from ..rng import as_rng

__all__ = ["ROMANIZATION", "GLOSS", "EN_ORDER", "HELDOUT_PAIRS", "MAX_TRAIN_LEN", "PAD", "BOS", "EOS",
           "SPECIALS", "Vocab", "SentencePair", "translation_pairs", "pad_batch", "TranslationSplit",
           "TranslationData", "make_translation", "romanize", "SPLITS"]

# --- the words ------------------------------------------------------------------------------------
# Times: Korean, English, tenses it goes with.
_TIMES = {"어제": (("yesterday",), ("past",)), "내일": (("tomorrow",), ("future",)),
          "오늘": (("today",), ("past", "future")), "주말에": (("on", "the", "weekend"), ("past", "future"))}
_COMPANIONS = {None: (), "친구랑": ("with", "a", "friend"), "혼자": ("alone",)}
# Places: the -에 form (destination of 가다, location of 있다) and the -에서 form (where something is done).
# English: (article + noun as the object of a preposition, preposition for "at", is it "home"-like).
_PLACES = {"market": ("시장", ("the", "market"), "at"), "park": ("공원", ("the", "park"), "in"),
           "cafe": ("카페", ("the", "cafe"), "at"), "school": ("학교", ("school",), "at"),
           "home": ("집", ("home",), "at")}
# Motion and location verbs (no object): past, future stem (+ 거야), English past / future.
_MOTION = {"go": ("갔어", "갈", ("went",), ("will", "go")), "be": ("있었어", "있을", ("was",), ("will", "be"))}
# Verbs with an object: past, future stem, and the English (past, base) per sense.
_VERBS = {"buy": ("샀어", "살"), "fix": ("고쳤어", "고칠"), "eat": ("먹었어", "먹을"), "sseuda": ("썼어", "쓸"),
          "tada": ("탔어", "탈")}
_SENSES = {"buy": ("bought", "buy"), "fix": ("fixed", "fix"), "eat": ("ate", "eat"), "write": ("wrote", "write"),
           "wear": ("wore", "wear"), "use": ("used", "use"), "ride": ("rode", "ride"), "take": ("took", "take")}
# Objects: Korean with its particle, English noun, {verb: sense}, adjectives that suit it.
_OBJECTS = {
    "hat": ("모자를", "hat", {"buy": "buy", "sseuda": "wear"}, ("새", "오래된")),
    "mask": ("마스크를", "mask", {"buy": "buy", "sseuda": "wear"}, ("새",)),
    "umbrella": ("우산을", "umbrella", {"buy": "buy", "fix": "fix", "sseuda": "use"}, ("새", "오래된", "큰")),
    "phone": ("휴대폰을", "phone", {"buy": "buy", "fix": "fix", "sseuda": "use"}, ("새", "오래된")),
    "computer": ("컴퓨터를", "computer", {"buy": "buy", "fix": "fix", "sseuda": "use"}, ("새", "오래된", "큰")),
    "letter": ("편지를", "letter", {"sseuda": "write"}, ()),
    "email": ("이메일을", "email", {"sseuda": "write"}, ()),
    "bike": ("자전거를", "bike", {"buy": "buy", "fix": "fix", "tada": "ride"}, ("새", "오래된", "큰")),
    "motorcycle": ("오토바이를", "motorcycle", {"buy": "buy", "fix": "fix", "tada": "ride"}, ("새", "오래된", "큰")),
    "bus": ("버스를", "bus", {"tada": "take"}, ()),
    "taxi": ("택시를", "taxi", {"tada": "take"}, ()),
    "apple": ("사과를", "apple", {"buy": "buy", "eat": "eat"}, ("큰",)),
    "orange": ("오렌지를", "orange", {"buy": "buy", "eat": "eat"}, ("큰",)),
    "sandwich": ("샌드위치를", "sandwich", {"buy": "buy", "eat": "eat"}, ("큰",)),
}
_ADJECTIVES = {"새": "new", "오래된": "old", "큰": "big"}
# Where each sense is done (what a Korean reader finds natural).
_SENSE_PLACES = {"buy": ("market", "cafe"), "fix": ("home", "school"), "eat": ("home", "cafe", "park", "school"),
                 "write": ("home", "cafe", "school"), "wear": ("park", "school", "market"),
                 "use": ("home", "cafe", "school"), "ride": ("park",), "take": ("market", "school")}
# At the cafe one buys food, not a computer.
_CAFE_BUYS = ("apple", "orange", "sandwich")

# Second clauses: (tense, Korean tokens with roles, English pieces per token).
_COMMENTS = (
    ("past", (("거기", "c_loc", ("there",)), ("사람이", "c_subj", ("people",)), ("많았어", "c_verb", ("There", "were", "many")))),
    ("past", (("거기", "c_loc", ("there",)), ("아무도", "c_subj", ("nobody",)), ("없었어", "c_verb", ("There", "was")))),
    ("past", (("거기", "c_loc", ("there",)), ("고양이가", "c_subj", ("cat",)), ("한", "c_num", ("a",)),
              ("마리", "c_cls", ()), ("있었어", "c_verb", ("There", "was")))),
    ("past", (("거기", "c_loc", ("there",)), ("고양이가", "c_subj", ("cats",)), ("두", "c_num", ("two",)),
              ("마리", "c_cls", ()), ("있었어", "c_verb", ("There", "were")))),
    ("future", (("거기", "c_loc", ("there",)), ("사람이", "c_subj", ("people",)), ("많을", "c_verb", ("There", "will", "be", "many")),
                ("거야", "c_aux", ()))),
    ("future", (("거기", "c_loc", ("there",)), ("아무도", "c_subj", ("nobody",)), ("없을", "c_verb", ("There", "will", "be")),
                ("거야", "c_aux", ()))),
)

#: The English order of the roles (after the constant "I"); a role may be absent.
EN_ORDER: tuple[str, ...] = ("verb", "aux", "adj", "obj", "place", "comp", "time", "end",
                             "c_verb", "c_aux", "c_num", "c_cls", "c_subj", "c_loc", "c_end")

#: (object, verb) pairs that occur only in ``test_unseen``: verbs whose English does not depend on the object.
HELDOUT_PAIRS: tuple[tuple[str, str], ...] = (("umbrella", "fix"), ("bike", "buy"), ("orange", "eat"),
                                              ("phone", "buy"), ("motorcycle", "fix"), ("sandwich", "buy"))

#: Sentences with more Korean tokens than this form ``test_longer``; every other split is at most this long.
MAX_TRAIN_LEN = 11

# Revised Romanization of Korean, for figure labels, and a short English gloss of each token.
ROMANIZATION: dict[str, str] = {
    "어제": "eoje", "내일": "naeil", "오늘": "oneul", "주말에": "jumare", "친구랑": "chingurang", "혼자": "honja",
    "시장에": "sijange", "공원에": "gongwone", "카페에": "kapee", "학교에": "hakgyoe", "집에": "jibe",
    "시장에서": "sijangeseo", "공원에서": "gongwoneseo", "카페에서": "kapeeseo", "학교에서": "hakgyoeseo",
    "집에서": "jibeseo", "갔어": "gasseo", "갈": "gal", "있었어": "isseosseo", "있을": "isseul", "거야": "geoya",
    "샀어": "sasseo", "살": "sal", "고쳤어": "gochyeosseo", "고칠": "gochil", "먹었어": "meogeosseo",
    "먹을": "meogeul", "썼어": "sseosseo", "쓸": "sseul", "탔어": "tasseo", "탈": "tal",
    "모자를": "mojareul", "마스크를": "maseukeureul", "우산을": "usaneul", "휴대폰을": "hyudaeponeul",
    "컴퓨터를": "keompyuteoreul", "편지를": "pyeonjireul", "이메일을": "imeireul", "자전거를": "jajeongeoreul",
    "오토바이를": "otobaireul", "버스를": "beoseureul", "택시를": "taeksireul", "사과를": "sagwareul",
    "오렌지를": "orenjireul", "샌드위치를": "saendeuwichireul", "새": "sae", "오래된": "oraedoen", "큰": "keun",
    "거기": "geogi", "사람이": "sarami", "많았어": "manasseo", "많을": "maneul", "아무도": "amudo",
    "없었어": "eopseosseo", "없을": "eopseul", "고양이가": "goyangiga", "한": "han", "두": "du", "마리": "mari",
    ".": ".",
}
GLOSS: dict[str, str] = {
    "어제": "yesterday", "내일": "tomorrow", "오늘": "today", "주말에": "on-weekend", "친구랑": "with-friend",
    "혼자": "alone", "시장에": "market-to/at", "공원에": "park-to/at", "카페에": "cafe-to/at", "학교에": "school-to/at",
    "집에": "home-to/at", "시장에서": "at-market", "공원에서": "in-park", "카페에서": "at-cafe",
    "학교에서": "at-school", "집에서": "at-home", "갔어": "went", "갈": "go(fut.)", "있었어": "was", "있을": "be(fut.)",
    "거야": "will", "샀어": "bought", "살": "buy(fut.)", "고쳤어": "fixed", "고칠": "fix(fut.)", "먹었어": "ate",
    "먹을": "eat(fut.)", "썼어": "wrote/wore/used", "쓸": "write/wear/use(fut.)", "탔어": "rode/took",
    "탈": "ride/take(fut.)", "모자를": "hat-OBJ", "마스크를": "mask-OBJ", "우산을": "umbrella-OBJ",
    "휴대폰을": "phone-OBJ", "컴퓨터를": "computer-OBJ", "편지를": "letter-OBJ", "이메일을": "email-OBJ",
    "자전거를": "bike-OBJ", "오토바이를": "motorcycle-OBJ", "버스를": "bus-OBJ", "택시를": "taxi-OBJ",
    "사과를": "apple-OBJ", "오렌지를": "orange-OBJ", "샌드위치를": "sandwich-OBJ", "새": "new", "오래된": "old",
    "큰": "big", "거기": "there", "사람이": "people-SUBJ", "많았어": "were-many", "많을": "be-many(fut.)",
    "아무도": "nobody", "없었어": "was-not", "없을": "not-be(fut.)", "고양이가": "cat-SUBJ", "한": "one",
    "두": "two", "마리": "(animals)", ".": ".",
}

PAD, BOS, EOS = "<pad>", "<bos>", "<eos>"
SPECIALS: tuple[str, ...] = (PAD, BOS, EOS)
#: The split names of :class:`TranslationData`, in the order the chapter reports them.
SPLITS: tuple[str, ...] = ("train", "valid", "test_unseen", "test_longer")


def romanize(tokens: Iterable[str], style: str = "romanized") -> list[str]:
    """Latin-letter labels for Korean tokens, for figures (specials and English pass through).

    Parameters
    ----------
    tokens : iterable of str
    style : "romanized", "gloss" or "both"
        ``"usaneul"``, ``"umbrella-OBJ"`` or ``"usaneul (umbrella-OBJ)"``.
    """
    if style not in ("romanized", "gloss", "both"):
        raise ValueError(f"style must be 'romanized', 'gloss' or 'both', got {style!r}")
    out = []
    for t in tokens:
        if t not in ROMANIZATION or t == ".":
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
    """One generated pair, with what it is made of.

    Attributes
    ----------
    ko, en : tuple of str
        The Korean source tokens and the English target tokens.
    roles : tuple of str
        The role of each Korean token (``"time"``, ``"place"``, ``"obj"``, ``"verb"``, …; see :data:`EN_ORDER`).
    links : tuple of tuple of str
        The English words each Korean token accounts for (possibly none); "I" comes from no token.
    obj, verb : str or None
        The object (``"umbrella"``) and the Korean verb (``"fix"``, ``"sseuda"``, ``"go"``); obj is None
        without one.
    """

    ko: tuple[str, ...]
    en: tuple[str, ...]
    roles: tuple[str, ...]
    links: tuple[tuple[str, ...], ...]
    obj: str | None
    verb: str

    def english_pieces(self) -> list[tuple[str, tuple[str, ...]]]:
        """(role, English words) of each Korean token, in the order they stand in ``en`` (after "I")."""
        return [(role, words) for role in EN_ORDER for r, words in zip(self.roles, self.links) if r == role]


def _assemble(tokens: list[tuple[str, str, tuple[str, ...]]], obj: str | None, verb: str) -> SentencePair:
    """(Korean token, role, English words) in Korean order → the pair, English in the order of EN_ORDER."""
    en = ["I"]
    for role in EN_ORDER:
        for _, r, words in tokens:
            if r == role:
                en.extend(words)
    return SentencePair(tuple(t for t, _, _ in tokens), tuple(en), tuple(r for _, r, _ in tokens),
                        tuple(w for _, _, w in tokens), obj, verb)


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


def translation_pairs() -> list[SentencePair]:
    """Every sentence the grammar makes, in a fixed order (see the module docstring)."""
    pairs = []
    openings = [(t, tense) for t, (_, tenses) in _TIMES.items() for tense in tenses]
    for (time, tense), comp in product(openings, _COMPANIONS):
        front = [(time, "time", _TIMES[time][0])]
        if comp is not None:
            front.append((comp, "comp", _COMPANIONS[comp]))
        # Clause bodies: (tokens, object, verb, place)
        bodies = []
        for verb, (past, fut, en_past, en_fut) in _MOTION.items():
            for place, (ko_place, en_place, prep) in _PLACES.items():
                if verb == "go":
                    where = en_place if place == "home" else ("to",) + en_place
                else:
                    where = (prep,) + en_place
                v = [(past, "verb", en_past)] if tense == "past" else [(fut, "verb", en_fut), ("거야", "aux", ())]
                bodies.append(([(ko_place + "에", "place", where)] + v, None, verb, place))
        for obj, (ko_obj, noun, senses, adjectives) in _OBJECTS.items():
            for verb, sense in senses.items():
                past, fut = _VERBS[verb]
                en_past, en_base = _SENSES[sense]
                v = [(past, "verb", (en_past,))] if tense == "past" else [(fut, "verb", ("will", en_base)), ("거야", "aux", ())]
                for place in _SENSE_PLACES[sense]:
                    if place == "cafe" and sense == "buy" and obj not in _CAFE_BUYS:
                        continue
                    ko_place, en_place, prep = _PLACES[place]
                    at = [(ko_place + "에서", "place", (prep,) + en_place)]
                    for adj in (None,) + adjectives:
                        if adj is None:
                            np_ = [(ko_obj, "obj", (_article(noun), noun))]
                        else:  # the article goes with the first English word: "a new umbrella", "an old hat"
                            en_adj = _ADJECTIVES[adj]
                            np_ = [(adj, "adj", (_article(en_adj), en_adj)), (ko_obj, "obj", (noun,))]
                        bodies.append((at + np_ + v, obj, verb, place))
        for body, obj, verb, place in bodies:
            main = front + body + [(".", "end", (".",))]
            pairs.append(_assemble(main, obj, verb))
            if place == "home":
                continue  # "거기" (there) after "at home" reads oddly
            for c_tense, clause in _COMMENTS:
                if c_tense == tense:
                    pairs.append(_assemble(main + list(clause) + [(".", "c_end", (".",))], obj, verb))
    return pairs


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
        Korean ids, padded with ``<pad>`` to the split's longest Korean sentence (src_len tokens).
    tgt_in : np.ndarray of int64, shape (n, tgt_len)
        ``<bos>`` + English ids: what the decoder reads (teacher forcing, 교사 강요).
    tgt_out : np.ndarray of int64, shape (n, tgt_len)
        English ids + ``<eos>``: what it must predict at each position (tgt_in shifted by one);
        tgt_len is the split's longest English sentence plus one.
    """

    pairs: list[SentencePair]
    src: np.ndarray
    tgt_in: np.ndarray
    tgt_out: np.ndarray

    def __len__(self) -> int:
        return len(self.pairs)


@dataclass
class TranslationData:
    """The vocabularies and the four splits of :func:`make_translation` (see the module docstring).

    Attributes
    ----------
    src_vocab, tgt_vocab : Vocab
    train, valid, test_unseen, test_longer : TranslationSplit
    """

    src_vocab: Vocab
    tgt_vocab: Vocab
    train: TranslationSplit
    valid: TranslationSplit
    test_unseen: TranslationSplit
    test_longer: TranslationSplit

    def splits(self) -> dict[str, TranslationSplit]:
        """The splits by name, in the order of :data:`SPLITS`."""
        return {name: getattr(self, name) for name in SPLITS}


def _encode_split(pairs: list[SentencePair], src_vocab: Vocab, tgt_vocab: Vocab) -> TranslationSplit:
    """The split's arrays, each as wide as the split's longest sentence needs."""
    src = pad_batch([src_vocab.encode(p.ko) for p in pairs], src_vocab.pad_id)
    tgt_in = pad_batch([tgt_vocab.encode(p.en, bos=True) for p in pairs], tgt_vocab.pad_id)
    tgt_out = pad_batch([tgt_vocab.encode(p.en, eos=True) for p in pairs], tgt_vocab.pad_id)
    return TranslationSplit(pairs, src, tgt_in, tgt_out)


def _count(value: object, name: str, most: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not 0 < value <= most:
        raise ValueError(f"{name} must be an int in [1, {most}], got {value!r}")
    return int(value)


def make_translation(n_train: int = 4000, n_valid: int = 500, n_test: int = 500, *,
                     rng: np.random.Generator | int = 0) -> TranslationData:
    """The translation set in four splits: train, valid, test_unseen and test_longer.

    Parameters
    ----------
    n_train, n_valid : int
        Sizes of the training and validation samples, drawn without replacement from the
        sentences that are neither held out nor longer than :data:`MAX_TRAIN_LEN`.
    n_test : int
        Size of each test split (a random sample of its sentences; all if there are fewer).
    rng : Generator or int
        Draws the samples (NumPy's global state is never used).

    Returns
    -------
    TranslationData
        Each split's arrays are as wide as its own longest sentence needs (``tgt_in`` and
        ``tgt_out`` one more than its longest English), so no column is padding in every
        sentence: train, valid and test_unseen are narrower than test_longer. A model takes
        any width.
    """
    gen = as_rng(rng)
    pairs = translation_pairs()
    held = set(HELDOUT_PAIRS)
    unseen = [p for p in pairs if (p.obj, p.verb) in held and len(p.ko) <= MAX_TRAIN_LEN]
    longer = [p for p in pairs if (p.obj, p.verb) not in held and len(p.ko) > MAX_TRAIN_LEN]
    pool = [p for p in pairs if (p.obj, p.verb) not in held and len(p.ko) <= MAX_TRAIN_LEN]
    n_train = _count(n_train, "n_train", len(pool) - 1)
    n_valid = _count(n_valid, "n_valid", len(pool) - n_train)
    n_test = _count(n_test, "n_test", len(pairs))
    order = gen.permutation(len(pool))
    train = [pool[i] for i in order[:n_train]]
    valid = [pool[i] for i in order[n_train:n_train + n_valid]]
    tests = [[s[i] for i in gen.permutation(len(s))[:n_test]] for s in (unseen, longer)]
    # Vocabularies from the grammar itself, so ids do not depend on the split or the sample.
    src_vocab = Vocab.from_sentences(p.ko for p in pairs)
    tgt_vocab = Vocab.from_sentences(p.en for p in pairs)
    return TranslationData(src_vocab, tgt_vocab, *(_encode_split(s, src_vocab, tgt_vocab) for s in [train, valid] + tests))
