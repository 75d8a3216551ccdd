"""The toy Korean→English translation set: grammar, split, vocabulary, batching, labels."""
from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pytest

import dlbook as dl
from dlbook.data import translation as tr


def test_the_course_example_is_in_the_set():
    pairs = {p.ko: p.en for p in tr.translation_pairs()}
    ko = tuple("어제 카페 갔었어 거기 사람 많더라".split())
    assert pairs[ko] == tuple("I went to the cafe yesterday . There were many people there .".split())


def test_size_and_distinct_sentences():
    pairs = tr.translation_pairs()
    assert len(pairs) == 6 * 3 * 7 * 6 * 6
    assert len({p.ko for p in pairs}) == len(pairs) == len({p.en for p in pairs})


def test_lengths_differ_and_word_order_changes():
    for p in tr.translation_pairs():
        assert len(p.en) > len(p.ko)
        t, _, place, action, _ = p.slots
        ko_place = p.ko.index(tr.PLACES[place][0][0])
        ko_verb = p.ko.index(tr.ACTIONS[action][0][-1])
        en_place = p.en.index(tr.PLACES[place][1][0])
        en_verb = p.en.index(tr.ACTIONS[action][1][0])
        assert ko_verb > ko_place and en_verb < en_place          # Korean verb-final, English verb first
        assert p.ko.index(tr.TIMES[t][0][0]) == 0                 # time first in Korean ...
        assert p.en.index(".") > en_place                          # ... late in English


def test_heldout_combinations_never_occur_in_training():
    data = tr.make_translation(rng=0)
    held = set(tr.heldout_combinations())
    train_pairs = {(p.slots[2], p.slots[3]) for p in data.train.pairs}
    test_pairs = {(p.slots[2], p.slots[3]) for p in data.test.pairs}
    assert test_pairs == held and not train_pairs & held
    # ... while every place and every action does occur in training, with other partners.
    assert {p for p, _ in train_pairs} == set(range(len(tr.PLACES)))
    assert {a for _, a in train_pairs} == set(range(len(tr.ACTIONS)))
    assert {a for _, a in held} == set(range(len(tr.ACTIONS)))
    train_tokens = {t for p in data.train.pairs for t in p.ko + p.en}
    assert {t for p in data.test.pairs for t in p.ko + p.en} <= train_tokens
    assert len(data.train) + len(data.test) == len(tr.translation_pairs())


def test_arrays_are_shifted_targets():
    data = tr.make_translation(rng=0)
    v = data.tgt_vocab
    for split in (data.train, data.test):
        assert split.src.dtype == split.tgt_in.dtype == np.int64
        assert split.tgt_in.shape == split.tgt_out.shape
        assert np.all(split.tgt_in[:, 0] == v.bos_id)
        np.testing.assert_array_equal(split.tgt_in[:, 1:][split.tgt_out[:, :-1] != v.eos_id],
                                      split.tgt_out[:, :-1][split.tgt_out[:, :-1] != v.eos_id])
        assert np.all((split.tgt_out == v.eos_id).sum(axis=1) == 1)
    p = data.test.pairs[0]
    assert data.src_vocab.decode(data.test.src[0]) == list(p.ko)
    assert v.decode(data.test.tgt_out[0]) == list(p.en)


def test_make_translation_is_reproducible_and_subsamples():
    a, b = tr.make_translation(rng=3), tr.make_translation(rng=3)
    np.testing.assert_array_equal(a.train.src, b.train.src)
    assert not np.array_equal(a.train.src, tr.make_translation(rng=4).train.src)
    small = tr.make_translation(n_train=100, rng=3)
    assert len(small.train) == 100 and small.train.src.shape == (100, a.train.src.shape[1])
    with pytest.raises(ValueError, match="n_train"):
        tr.make_translation(n_train=0)
    with pytest.raises(ValueError, match="n_train"):
        tr.make_translation(n_train=10**6)


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
    assert imported <= {"__future__", "collections", "dataclasses", "itertools", "numpy"}
