"""Checks for chapter 09's exercises (epochs, batch size, steps).

Counting exercises compare the reader's numbers with ``dlbook.training``; the
minibatch exercise checks the properties every epoch must have (how many batches,
their sizes, every sample once, a reproducible shuffle), since any random order is right.
"""
from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from ..training import batch_indices, steps_per_epoch
from .checking import Case, Feedback, check_function, not_a_function

__all__ = ["check_steps_per_epoch", "check_epochs_for_steps", "check_batch_indices", "check_epoch_mean_loss"]


def check_steps_per_epoch(my_fn: Callable[[int, int, bool], int]) -> Feedback:
    """Check ``my_fn(n, batch_size, drop_last)`` against ``dl.steps_per_epoch``."""
    cases = [
        Case("the source's example: 1,000 samples, batch 100", (1000, 100, False),
             hint="when the batch size divides N there are N / B batches."),
        Case("1,050 samples, batch 100", (1050, 100, False),
             hint="the 50 samples left over still form a last, smaller batch: round up (ceil), not down, "
                  "and return a whole number of steps, not 10.5."),
        Case("1,050 samples, batch 100, drop_last=True", (1050, 100, True),
             hint="with drop_last the incomplete last batch is skipped: round down."),
        Case("5 samples, batch 100", (5, 100, False),
             hint="a batch size larger than the data set still gives one (small) batch per epoch."),
        Case("1,438 digits, batch 32, drop_last=True", (1438, 32, True),
             hint="1438 = 44 x 32 + 30: with drop_last the 30 left over are skipped."),
    ]
    return check_function("steps_per_epoch", my_fn, steps_per_epoch, cases)


def _epochs_for_steps(n: int, batch_size: int, steps: int, drop_last: bool) -> int:
    return math.ceil(steps / steps_per_epoch(n, batch_size, drop_last))


def check_epochs_for_steps(my_fn: Callable[[int, int, int, bool], int]) -> Feedback:
    """Check ``my_fn(n, batch_size, steps, drop_last)``: the fewest whole epochs giving at least ``steps`` updates."""
    cases = [
        Case("1,000 samples, batch 100, 100 steps", (1000, 100, 100, False),
             hint="one epoch makes N / B = 10 steps here, so 100 steps take 100 / 10 epochs."),
        Case("1,438 samples, batch 32, 180 steps", (1438, 32, 180, False),
             hint="one epoch makes ceil(1438 / 32) = 45 steps, so 180 steps take 180 / 45 epochs: "
                  "divide by steps per epoch, not by N / B."),
        Case("1,438 samples, batch 128, 1,000 steps", (1438, 128, 1000, False),
             hint="83.3 epochs make only 999 steps: round up to whole epochs (ceil)."),
        Case("1,050 samples, batch 100, 105 steps, drop_last=True", (1050, 100, 105, True),
             hint="with drop_last an epoch has floor(N / B) = 10 steps, not 11."),
    ]
    return check_function("epochs_for_steps", my_fn, _epochs_for_steps, cases)


def _first_problem(fn: Callable[..., list], n: int, batch_size: int, drop_last: bool, seed: int) -> str:
    """Check one epoch of ``fn``'s batches; return the first problem found, or "no problem"."""
    def epoch(s: int) -> list[np.ndarray]:
        return [np.asarray(b) for b in fn(n, batch_size, drop_last, np.random.default_rng(s))]

    batches = epoch(seed)
    expected = steps_per_epoch(n, batch_size, drop_last)
    if len(batches) != expected:
        return (f"{len(batches)} batches, but {n} samples in batches of {batch_size} make {expected}"
                f"{' with drop_last' if drop_last else ''}")
    for i, b in enumerate(batches):
        if b.ndim != 1 or not np.issubdtype(b.dtype, np.integer):
            return f"batch {i} is not a 1-D array of integer sample indices (got shape {b.shape}, dtype {b.dtype})"
        full = i < len(batches) - 1 or drop_last or n % batch_size == 0
        size = batch_size if full else n % batch_size
        if len(b) != size:
            return f"batch {i} holds {len(b)} samples, expected {size}"
    used = np.concatenate(batches)
    if used.min() < 0 or used.max() >= n:
        return f"an index is outside 0..{n - 1}"
    values, counts = np.unique(used, return_counts=True)
    if counts.max() > 1:
        return f"sample {values[np.argmax(counts)]} appears {counts.max()} times in one epoch"
    if np.array_equal(used, np.arange(len(used))):
        return "the samples come in their original order 0, 1, 2, ...: the order was not shuffled"
    if not all(np.array_equal(a, b) for a, b in zip(batches, epoch(seed))):
        return "two calls with generators seeded alike gave different orders: draw the order from `rng`, not np.random"
    if all(np.array_equal(a, b) for a, b in zip(batches, epoch(seed + 1))):
        return "two differently seeded generators gave the same order: draw the order from the `rng` you are given"
    return "no problem"


def _reference_problem(n: int, batch_size: int, drop_last: bool, seed: int) -> str:
    return _first_problem(lambda n_, b, d, rng: batch_indices(n_, b, drop_last=d, rng=rng), n, batch_size, drop_last,
                          seed)


def check_batch_indices(my_fn: Callable[[int, int, bool, np.random.Generator], list]) -> Feedback:
    """Check ``my_fn(n, batch_size, drop_last, rng)``: one epoch of shuffled minibatch index arrays."""
    if not callable(my_fn):  # the check wraps my_fn, so check_function cannot see it
        return not_a_function("batch_indices", my_fn)
    def learner(n: int, batch_size: int, drop_last: bool, seed: int) -> str:
        return _first_problem(my_fn, n, batch_size, drop_last, seed)

    cases = [
        Case("20 samples in batches of 5", (20, 5, False, 0),
             hint="shuffle 0..n-1 with rng.permutation(n), then cut it into consecutive slices of batch_size."),
        Case("1,050 samples in batches of 100", (1050, 100, False, 1),
             hint="without drop_last the 50 samples left over form an 11th, smaller batch; every sample is used once."),
        Case("1,050 samples in batches of 100, drop_last=True", (1050, 100, True, 2),
             hint="with drop_last keep only the 10 full batches."),
        Case("7 samples in batches of 3, drop_last=True", (7, 3, True, 3),
             hint="7 = 2 x 3 + 1: two full batches, the last sample is skipped this epoch."),
    ]
    return check_function("batch_indices", learner, _reference_problem, cases)


def _epoch_mean_loss(step_losses: np.ndarray, batch_sizes: np.ndarray) -> float:
    return float(np.average(step_losses, weights=batch_sizes))


def check_epoch_mean_loss(my_fn: Callable[[np.ndarray, np.ndarray], float]) -> Feedback:
    """Check ``my_fn(step_losses, batch_sizes)``: the epoch's mean loss over samples, as ``fit`` records it."""
    last_small = np.array([0.9, 0.8, 0.8, 0.7, 0.6, 0.6, 0.5, 0.5, 0.4, 0.4, 2.0])
    cases = [
        Case("three equal batches", (np.array([0.5, 0.7, 0.3]), np.array([10, 10, 10])),
             hint="the epoch's loss is an average: Σ loss_b·size_b divided by the number of samples Σ size_b."),
        Case("1,050 samples in batches of 100: the last batch holds 50", (last_small, np.array([100] * 10 + [50])),
             hint="each batch loss is a mean over its own samples: weight it by the batch size, so the "
                  "50-sample batch counts half as much as a full one (a plain mean over batches over-counts it)."),
        Case("a single batch", (np.array([2.0]), np.array([7])), hint="one batch: the epoch mean is its loss."),
    ]
    return check_function("epoch_mean_loss", my_fn, _epoch_mean_loss, cases)
