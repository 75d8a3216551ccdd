"""Chapter 09's checks name the mistake of each plausible wrong answer."""
from __future__ import annotations

import math

import numpy as np
import pytest

from dlbook.exercises import training as ex


def _cut(order, batch_size, drop_last, *, drop_any_last=False):
    batches = [order[i:i + batch_size] for i in range(0, len(order), batch_size)]
    if drop_last and (drop_any_last or len(batches[-1]) < batch_size):
        batches.pop()
    return batches


def _unshuffled(n, batch_size, drop_last, rng):
    return _cut(np.arange(n), batch_size, drop_last)


def _global_random(n, batch_size, drop_last, rng):
    return _cut(np.random.default_rng().permutation(n), batch_size, drop_last)  # ignores the rng it was given


def _always_drops(n, batch_size, drop_last, rng):
    order = rng.permutation(n)
    return [order[i * batch_size:(i + 1) * batch_size] for i in range(n // batch_size)]


def _drops_a_full_batch(n, batch_size, drop_last, rng):  # pops the last batch whenever drop_last is set
    return _cut(rng.permutation(n), batch_size, drop_last, drop_any_last=True)


def _with_replacement(n, batch_size, drop_last, rng):
    return _cut(rng.integers(0, n, n), batch_size, drop_last)


def _shuffled_inside_blocks(n, batch_size, drop_last, rng):
    return [rng.permutation(b) for b in _cut(np.arange(n), batch_size, drop_last)]


def _shuffled_blocks(n, batch_size, drop_last, rng):  # the order of the batches changes, their contents do not
    blocks = _cut(np.arange(n), batch_size, drop_last)
    return [blocks[i] for i in rng.permutation(len(blocks))]


def _strided(n, batch_size, drop_last, rng):  # batch k holds k, k + B', ...: a fixed partition, shuffled inside
    steps = n // batch_size if drop_last else math.ceil(n / batch_size)
    return [rng.permutation(np.arange(k, steps * batch_size, steps)[:batch_size]) for k in range(steps)
            ] if n % batch_size == 0 else _cut(rng.permutation(n), batch_size, drop_last)


def _per_epoch(n, b, d):
    return n // b if d or n % b == 0 else n // b + 1


STEPS, EPOCHS, BATCHES, MEAN = (ex.check_steps_per_epoch, ex.check_epochs_for_steps, ex.check_batch_indices,
                                ex.check_epoch_mean_loss)
# Checked by tests/test_exercises.py: each is rejected with a message naming it, two or more per check.
WRONG = [
    (STEPS, lambda n, b, d: n // b, "1,050 samples, batch 100'", "It looks like you rounded down (//)"),
    (STEPS, lambda n, b, d: n / b, "the note's example", "the value is right, but it is the float 10.0"),
    (STEPS, lambda n, b, d: n / b, "the note's example", "It looks like you divided with /"),
    (STEPS, lambda n, b, d: np.ceil(n / b) if not d else n // b, "the note's example", "it is the float 10.0"),
    (STEPS, lambda n, b, d: math.ceil(n / b), "1,050 samples, batch 100, drop_last=True",
     "It looks like you ignored drop_last"),
    (STEPS, lambda n, b, d: math.ceil(n / b) - d, "1,000 samples, batch 100, drop_last=True",
     "It looks like you subtracted one batch whenever drop_last is set"),
    (STEPS, lambda n, b, d: n // b if d else n // b + 1, "the note's example",
     "It looks like you added one batch for the remainder even when there is none"),
    (EPOCHS, lambda n, b, s, d: s // _per_epoch(n, b, d) + 1, "1,000 samples, batch 100, 100 steps",
     "It looks like you added one epoch even when the epochs reach the budget exactly"),
    (EPOCHS, lambda n, b, s, d: s * b / n, "1,000 samples, batch 100, 100 steps",
     "It looks like you divided by N / B"),
    (EPOCHS, lambda n, b, s, d: s // _per_epoch(n, b, d), "1,438 samples, batch 128", "It looks like you rounded down"),
    (EPOCHS, lambda n, b, s, d: math.ceil(s / math.ceil(n / b)), "1,050 samples", "It looks like you ignored drop_last"),
    (EPOCHS, lambda n, b, s, d: float(math.ceil(s / _per_epoch(n, b, d))), "1,000 samples",
     "the value is right, but it is the float 10.0"),
    (BATCHES, _unshuffled, "20 samples in batches of 5'", "not shuffled"),
    (BATCHES, lambda n, b, d, gen: _cut(gen.permutation(n), b, d), "20 samples in batches of 5'",
     "takes no keyword argument rng"),
    (BATCHES, _global_random, "20 samples in batches of 5'", "draw the order from `rng`"),
    (BATCHES, _always_drops, "1,050 samples in batches of 100'", "10 batches, but 1050 samples in batches of 100 make 11"),
    (BATCHES, _drops_a_full_batch, "20 samples in batches of 5, drop_last=True", "you dropped a full last batch"),
    (BATCHES, _with_replacement, "20 samples in batches of 5'", "appears"),
    (BATCHES, _shuffled_inside_blocks, "20 samples in batches of 5'", "every batch holds neighbouring samples"),
    (BATCHES, _shuffled_blocks, "20 samples in batches of 5'", "every batch holds neighbouring samples"),
    (BATCHES, _strided, "20 samples in batches of 5'", "put the same samples together in every batch"),
    (MEAN, lambda losses, sizes: float(np.mean(losses)), "1,050 samples in batches of 100",
     "It looks like you took the plain mean over batches"),
    (MEAN, lambda losses, sizes: float(np.sum(losses * sizes) / len(sizes)), "three equal batches",
     "It looks like you divided Σ loss_b·size_b by the number of batches"),
    (MEAN, lambda losses, sizes: float(np.sum(losses * sizes)), "three equal batches",
     "It looks like you returned the sum"),
]



def test_any_true_shuffle_passes():
    import dlbook as dl

    def shuffled_in_place(n, batch_size, drop_last, rng):
        order = np.arange(n)
        rng.shuffle(order)
        return _cut(order, batch_size, drop_last)

    assert ex.check_batch_indices(shuffled_in_place).passed
    assert ex.check_batch_indices(lambda n, b, d, rng: dl.batch_indices(n, b, drop_last=d, rng=rng)).passed
