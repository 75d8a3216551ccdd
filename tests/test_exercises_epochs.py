"""Chapter 09's exercise checks: every solution passes, typical mistakes fail with a message naming them."""
from __future__ import annotations

import math

import numpy as np
import pytest

from dlbook.exercises import epochs as ex
from dlbook.solutions import epochs as sol


def _unshuffled(n, batch_size, drop_last, rng):
    order = np.arange(n)  # forgets to shuffle
    return [order[i:i + batch_size] for i in range(0, n, batch_size)]


def _global_random(n, batch_size, drop_last, rng):
    order = np.random.default_rng().permutation(n)  # ignores the rng it was given
    return [order[i:i + batch_size] for i in range(0, n, batch_size)]


def _always_drops(n, batch_size, drop_last, rng):
    order = rng.permutation(n)
    return [order[i * batch_size:(i + 1) * batch_size] for i in range(n // batch_size)]


def _with_replacement(n, batch_size, drop_last, rng):
    order = rng.integers(0, n, n)
    return [order[i:i + batch_size] for i in range(0, n, batch_size)]


MISTAKES = [
    (ex.check_steps_per_epoch, lambda n, b, d: n // b, "1,050 samples, batch 100'", "round up (ceil)"),
    (ex.check_steps_per_epoch, lambda n, b, d: n / b, "1,050 samples, batch 100'", "not 10.5"),
    (ex.check_steps_per_epoch, lambda n, b, d: math.ceil(n / b), "drop_last=True", "round down"),
    (ex.check_epochs_for_steps, lambda n, b, s, d: s * b / n, "batch 32, 180 steps", "divide by steps per epoch"),
    (ex.check_epochs_for_steps, lambda n, b, s, d: s // sol.steps_per_epoch(n, b, d), "1,000 steps",
     "round up to whole epochs"),
    (ex.check_epochs_for_steps, lambda n, b, s, d: math.ceil(s / math.ceil(n / b)), "drop_last=True", "floor(N / B)"),
    (ex.check_batch_indices, _unshuffled, "20 samples", "not shuffled"),
    (ex.check_batch_indices, _global_random, "20 samples", "draw the order from `rng`"),
    (ex.check_batch_indices, _always_drops, "1,050 samples in batches of 100'",
     "10 batches, but 1050 samples in batches of 100 make 11"),
    (ex.check_batch_indices, _with_replacement, "20 samples", "appears"),
    (ex.check_epoch_mean_loss, lambda losses, sizes: float(np.mean(losses)), "the last batch holds 50",
     "weight it by the batch size"),
    (ex.check_epoch_mean_loss, lambda losses, sizes: float(np.sum(losses * sizes) / len(sizes)),
     "three equal batches", "divided by the number"),
]


@pytest.mark.parametrize("check, wrong, case, words", MISTAKES)
def test_typical_mistakes_fail_with_a_message_naming_them(check, wrong, case, words):
    fb = check(wrong)
    assert fb.passed is False
    assert case in fb.message and words in fb.message
