"""The toy Korean→English translation set: grammar, split, vocabulary, batching, labels."""
from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

import dlbook as dl
from dlbook.data import translation as tr


SOURCE = tuple("어제 카페에 갔어 . 거기 사람이 많았어 .".split())


def test_the_course_example_is_in_the_set():
    pairs = {p.ko: p.en for p in tr.translation_pairs()}
    assert pairs[SOURCE] == tuple("I went to the cafe yesterday . There were many people there .".split())


def test_distinct_sentences_and_consistent_links():
    pairs = tr.translation_pairs()
    assert len({p.ko for p in pairs}) == len(pairs) == len({p.en for p in pairs})
    for p in pairs[::7]:
        assert len(p.roles) == len(p.links) == len(p.ko) and set(p.roles) <= set(tr.EN_ORDER)
        # The English is "I" and the pieces of the Korean words in the fixed order of roles.
        pieces = [w for role in tr.EN_ORDER for r, ws in zip(p.roles, p.links) if r == role for w in ws]
        assert p.en == ("I", *pieces) == ("I", *(w for _, ws in p.english_pieces() for w in ws))
        assert p.roles[-1] in ("end", "c_end") and p.ko[-1] == "."


def _english(ko: str) -> str:
    return " ".join({p.ko: p.en for p in tr.translation_pairs()}[tuple(ko.split())])


@pytest.mark.parametrize("ko, en", [
    # one verb, three translations, chosen by the object
    ("어제 집에서 편지를 썼어 .", "I wrote a letter at home yesterday ."),
    ("어제 공원에서 모자를 썼어 .", "I wore a hat in the park yesterday ."),
    ("어제 집에서 휴대폰을 썼어 .", "I used a phone at home yesterday ."),
    ("내일 공원에서 자전거를 탈 거야 .", "I will ride a bike in the park tomorrow ."),
    ("내일 학교에서 버스를 탈 거야 .", "I will take a bus at school tomorrow ."),
    # the preposition by place and verb together
    ("어제 카페에 갔어 .", "I went to the cafe yesterday ."),
    ("어제 카페에 있었어 .", "I was at the cafe yesterday ."),
    ("어제 집에 갔어 .", "I went home yesterday ."),
    ("어제 집에 있었어 .", "I was at home yesterday ."),
    # agreement: a / an by the next English word; was / were and cat / cats by the number
    ("어제 시장에서 우산을 샀어 .", "I bought an umbrella at the market yesterday ."),
    ("어제 시장에서 새 우산을 샀어 .", "I bought a new umbrella at the market yesterday ."),
    ("어제 시장에서 오래된 모자를 샀어 .", "I bought an old hat at the market yesterday ."),
    ("어제 카페에 갔어 . 거기 고양이가 한 마리 있었어 .", "I went to the cafe yesterday . There was a cat there ."),
    ("어제 카페에 갔어 . 거기 고양이가 두 마리 있었어 .", "I went to the cafe yesterday . There were two cats there ."),
    # tense from the verb ending
    ("주말에 카페에 갔어 .", "I went to the cafe on the weekend ."),
    ("주말에 카페에 갈 거야 . 거기 사람이 많을 거야 .",
     "I will go to the cafe on the weekend . There will be many people there ."),
])
def test_translation_depends_on_context(ko, en):
    assert _english(ko) == en


def test_tense_agrees_with_the_time_word():
    for p in tr.translation_pairs():
        future = "거야" in p.ko
        assert ("will" in p.en) == future
        assert not (future and p.ko[0] == "어제") and not (not future and p.ko[0] == "내일")


def test_the_splits():
    data = tr.make_translation(rng=0)
    sizes = {name: len(split) for name, split in data.splits().items()}
    assert sizes == {"train": 4000, "valid": 500, "test_unseen": 500, "test_longer": 500}
    held = set(tr.HELDOUT_PAIRS)
    pairs = {name: {(p.obj, p.verb) for p in split.pairs} for name, split in data.splits().items()}
    # Unseen combinations: only there, and only held-out pairs ...
    assert pairs["test_unseen"] == held
    assert not held & (pairs["train"] | pairs["valid"] | pairs["test_longer"])
    # ... whose object and verb both occur in training, with other partners.
    assert {o for o, _ in held} <= {o for o, _ in pairs["train"]}
    assert {v for _, v in held} <= {v for _, v in pairs["train"]}
    # Held-out verbs: their English never depends on the object.
    for obj, verb in held:
        assert verb in ("buy", "fix", "eat")
    # Longer: more Korean tokens than any other split.
    longest = {name: max(len(p.ko) for p in split.pairs) for name, split in data.splits().items()}
    assert longest["train"] == longest["valid"] == longest["test_unseen"] == tr.MAX_TRAIN_LEN
    assert min(len(p.ko) for p in data.test_longer.pairs) > tr.MAX_TRAIN_LEN
    # No sentence in two splits.
    seen = [p.ko for split in data.splits().values() for p in split.pairs]
    assert len(seen) == len(set(seen))
    train_tokens = {t for p in data.train.pairs for t in p.ko + p.en}
    assert {t for split in data.splits().values() for p in split.pairs for t in p.ko + p.en} <= train_tokens


def test_arrays_are_shifted_targets():
    data = tr.make_translation(rng=0)
    v = data.tgt_vocab
    for split in data.splits().values():
        assert split.src.dtype == split.tgt_in.dtype == np.int64
        assert split.tgt_in.shape == split.tgt_out.shape
        assert np.all(split.tgt_in[:, 0] == v.bos_id)
        np.testing.assert_array_equal(split.tgt_in[:, 1:][split.tgt_out[:, :-1] != v.eos_id],
                                      split.tgt_out[:, :-1][split.tgt_out[:, :-1] != v.eos_id])
        assert np.all((split.tgt_out == v.eos_id).sum(axis=1) == 1)
        # As wide as the split's longest sentence needs, no wider.
        assert split.src.shape[1] == max(len(p.ko) for p in split.pairs)
        assert split.tgt_out.shape[1] == max(len(p.en) for p in split.pairs) + 1
        p = split.pairs[0]
        assert data.src_vocab.decode(split.src[0]) == list(p.ko)
        assert v.decode(split.tgt_out[0]) == list(p.en)


def test_make_translation_is_reproducible_and_checks_sizes():
    a, b = tr.make_translation(rng=3), tr.make_translation(rng=3)
    np.testing.assert_array_equal(a.train.src, b.train.src)
    assert not np.array_equal(a.train.src, tr.make_translation(rng=4).train.src)
    small = tr.make_translation(n_train=100, n_valid=50, n_test=20, rng=3)
    assert (len(small.train), len(small.valid), len(small.test_unseen)) == (100, 50, 20)
    assert small.train.src.shape == (100, max(len(p.ko) for p in small.train.pairs))
    for bad in ({"n_train": 0}, {"n_train": 10**6}, {"n_valid": 1.5}, {"n_test": True}):
        with pytest.raises(ValueError, match=next(iter(bad))):
            tr.make_translation(**bad)


def test_vocab():
    v = tr.Vocab(["b", "a", "b"])
    assert v.itos == ["<pad>", "<bos>", "<eos>", "b", "a"]
    assert (v.pad_id, v.bos_id, v.eos_id) == (0, 1, 2) and len(v) == 5 and "a" in v
    assert v.encode(["a", "b"], bos=True, eos=True) == [1, 4, 3, 2]
    assert v.decode([1, 4, 3, 2, 4, 0]) == ["a", "b"]  # stops at <eos>
    assert v.decode(np.array([4, 0, 0])) == ["a"]
    with pytest.raises(KeyError, match="zzz"):
        v.encode(["a", "zzz"])
    with pytest.raises(ValueError, match="outside"):
        v.decode([7])
    with pytest.raises(TypeError, match="strings"):
        tr.Vocab([1])


def test_pad_batch():
    out = tr.pad_batch([[5, 6, 7], [8]], pad_id=0)
    np.testing.assert_array_equal(out, [[5, 6, 7], [8, 0, 0]])
    assert out.dtype == np.int64
    assert tr.pad_batch([[5]], 0, length=3).shape == (1, 3)
    with pytest.raises(ValueError, match="does not fit"):
        tr.pad_batch([[1, 2, 3]], 0, length=2)
    with pytest.raises(ValueError, match="at least one"):
        tr.pad_batch([], 0)


def test_every_korean_token_has_latin_labels():
    korean = {t for p in tr.translation_pairs() for t in p.ko}
    assert korean == set(tr.ROMANIZATION) == set(tr.GLOSS)
    for style in ("romanized", "gloss", "both"):
        labels = tr.romanize(sorted(korean) + ["<eos>", "cafe"], style=style)
        assert all(s.isascii() for s in labels)
        assert labels[-2:] == ["<eos>", "cafe"]
    assert tr.romanize(["어제"], "both") == ["eoje (yesterday)"]
    assert tr.romanize([".", "우산을"], "gloss") == [".", "umbrella-OBJ"]
    with pytest.raises(ValueError, match="style"):
        tr.romanize(["어제"], "hangul")


def test_exported_from_dl_data():
    assert dl.data.make_translation is tr.make_translation and dl.data.romanize is tr.romanize


def test_numpy_and_stdlib_only():
    tree = ast.parse(Path(tr.__file__).read_text(encoding="utf-8"))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module}
    assert imported <= {"__future__", "collections", "dataclasses", "itertools", "numpy", "rng"}  # rng: ..rng.as_rng
