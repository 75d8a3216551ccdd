"""Checks for chapter 09's exercises (epochs, batch size, steps).

Counting exercises compare the reader's numbers with ``dlbook.training``; the
minibatch exercise checks the properties every epoch must have (how many batches,
their sizes, every sample once, a reproducible shuffle), since any random order is right.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np

from ..i18n import gettext as _
from ..rng import as_rng
from ..training import steps_per_epoch
from .checking import Case, Feedback, Mistake, check_function, describe, not_a_function

__all__ = ["check_steps_per_epoch", "check_epochs_for_steps", "check_batch_indices", "check_epoch_mean_loss"]


def check_steps_per_epoch(my_fn: Callable[[int, int, bool], int]) -> Feedback:
    """Check ``my_fn(n, batch_size, drop_last)`` against ``dl.steps_per_epoch``."""
    cases = [
        Case(_("the note's example: 1,000 samples, batch 100"), (1000, 100, False),
             hint=_("when the batch size divides N there are N / B batches.")),
        Case(_("1,050 samples, batch 100"), (1050, 100, False),
             hint=_("the 50 samples left over still form a last, smaller batch: round up (ceil), not down, "
                    "and return a whole number of steps, not 10.5.")),
        Case(_("1,050 samples, batch 100, drop_last=True"), (1050, 100, True),
             hint=_("with drop_last the incomplete last batch is skipped: round down.")),
        Case(_("5 samples, batch 100"), (5, 100, False),
             hint=_("a batch size larger than the data set still gives one (small) batch per epoch.")),
        Case(_("1,438 digits, batch 32, drop_last=True"), (1438, 32, True),
             hint=_("1438 = 44 x 32 + 30: with drop_last the 30 left over are skipped.")),
        Case(_("1,000 samples, batch 100, drop_last=True"), (1000, 100, True),
             hint=_("when the batch size divides N there is no incomplete batch, so drop_last drops nothing.")),
    ]
    mistakes = [
        Mistake(_("you subtracted one batch whenever drop_last is set: drop_last skips only an incomplete last batch, "
                  "and when the batch size divides N there is none (1,000 / 100 makes 10 steps either way)"),
                lambda n, b, d: math.ceil(n / b) - int(d)),
        Mistake(_("you divided with /, which gives a float (10.5 for 1,050 / 100): a number of steps is a whole "
                  "number; round up with math.ceil (or use divmod), and return an int"),
                lambda n, b, d: n / b),
        Mistake(_("you rounded down (//) even without drop_last: the samples left over still form a last, smaller "
                  "batch, so round up"), lambda n, b, d: n // b),
        Mistake(_("you ignored drop_last: with drop_last=True the incomplete last batch is skipped, so round down"),
                lambda n, b, d: math.ceil(n / b)),
        Mistake(_("you added one batch for the remainder even when there is none: n // B + 1 is one too many when the "
                  "batch size divides N (1,000 / 100 makes 10 steps); round up with math.ceil, or add one only if "
                  "n % B is not 0"), lambda n, b, d: n // b if d else n // b + 1),
    ]
    return check_function("steps_per_epoch", my_fn, steps_per_epoch, cases, mistakes=mistakes)


def _epochs_for_steps(n: int, batch_size: int, steps: int, drop_last: bool) -> int:
    return math.ceil(steps / steps_per_epoch(n, batch_size, drop_last))


def check_epochs_for_steps(my_fn: Callable[[int, int, int, bool], int]) -> Feedback:
    """Check ``my_fn(n, batch_size, steps, drop_last)``: the fewest whole epochs giving at least ``steps`` updates."""
    cases = [
        Case(_("1,000 samples, batch 100, 100 steps"), (1000, 100, 100, False),
             hint=_("one epoch makes N / B = 10 steps here, so 100 steps take 100 / 10 epochs.")),
        Case(_("1,438 samples, batch 32, 180 steps"), (1438, 32, 180, False),
             hint=_("one epoch makes ceil(1438 / 32) = 45 steps, so 180 steps take 180 / 45 epochs: "
                    "divide by steps per epoch, not by N / B.")),
        Case(_("1,438 samples, batch 128, 1,000 steps"), (1438, 128, 1000, False),
             hint=_("83.3 epochs make only 999 steps: round up to whole epochs (ceil).")),
        Case(_("1,050 samples, batch 100, 105 steps, drop_last=True"), (1050, 100, 105, True),
             hint=_("with drop_last an epoch has floor(N / B) = 10 steps, not 11.")),
    ]
    def per_epoch(n, b, d):
        return n // b if d or n % b == 0 else n // b + 1

    mistakes = [
        Mistake(_("you divided by N / B (steps · B / N) rather than by the number of steps an epoch makes: "
                  "the last, smaller batch is a step too"), lambda n, b, s, d: s * b / n),
        Mistake(_("you rounded down: a part of an epoch does not reach the budget, so round up to whole epochs "
                  "(math.ceil)"), lambda n, b, s, d: s // per_epoch(n, b, d)),
        Mistake(_("you ignored drop_last: with drop_last an epoch makes floor(N / B) steps"),
                lambda n, b, s, d: math.ceil(s / math.ceil(n / b))),
        Mistake(_("you added one epoch even when the epochs reach the budget exactly (100 steps at 10 per epoch take "
                  "10 epochs, not 11): round up with math.ceil, which adds one only for a part of an epoch"),
                lambda n, b, s, d: s // per_epoch(n, b, d) + 1),
    ]
    return check_function("epochs_for_steps", my_fn, _epochs_for_steps, cases, mistakes=mistakes)


def _first_problem(fn: Callable[..., Any], n: int, batch_size: int, drop_last: bool, seed: int) -> str:
    """Check one epoch of ``fn``'s batches; return the first problem found, or '' if there is none.

    Whatever ``fn`` raises is passed on (it is the learner's error to report); whatever it
    returns is judged here, never trusted to be a list of arrays.
    """
    def epoch(s: int) -> list[np.ndarray] | str:
        try:
            result = fn(n, batch_size, drop_last, rng=as_rng(s))
        except TypeError as err:
            if "'rng'" not in str(err):  # the learner's own error, reported as it is
                raise
            return _("your function takes no keyword argument rng: the check calls my_batch_indices(n, batch_size, "
                     "drop_last, rng=...), so write def my_batch_indices(n, batch_size, drop_last, *, rng)")
        try:
            batches = [np.asarray(b) for b in result]
        except Exception:  # not iterable, or items NumPy cannot read
            return _("your function returned {got}, not a list of index arrays").format(got=describe(result))
        for i, b in enumerate(batches):
            if b.ndim != 1 or not np.issubdtype(b.dtype, np.integer):
                return _("batch {i} is not a 1-D array of integer sample indices (got shape {shape}, dtype "
                         "{dtype})").format(i=i, shape=b.shape, dtype=b.dtype)
        return batches

    batches = epoch(seed)
    if isinstance(batches, str):
        return batches
    expected = n // batch_size if drop_last or n % batch_size == 0 else n // batch_size + 1
    if len(batches) != expected:
        if drop_last and n % batch_size == 0 and len(batches) == expected - 1:
            return _("{got} batches, but {n} samples in batches of {size} make {expected} with drop_last: you "
                     "dropped a full last batch. drop_last skips only an incomplete last batch, and {n} = {expected} "
                     "x {size} leaves none").format(got=len(batches), n=n, size=batch_size, expected=expected)
        fields = dict(got=len(batches), n=n, size=batch_size, expected=expected)
        if drop_last:
            return _("{got} batches, but {n} samples in batches of {size} make {expected} with drop_last").format(
                **fields)
        return _("{got} batches, but {n} samples in batches of {size} make {expected}").format(**fields)
    for i, b in enumerate(batches):
        full = i < len(batches) - 1 or drop_last or n % batch_size == 0
        size = batch_size if full else n % batch_size
        if len(b) != size:
            return _("batch {i} holds {got} samples, expected {expected}").format(i=i, got=len(b), expected=size)
    used = np.concatenate(batches)
    if used.min() < 0 or used.max() >= n:
        return _("an index is outside 0..{last}").format(last=n - 1)
    values, counts = np.unique(used, return_counts=True)
    if counts.max() > 1:
        return _("sample {i} appears {count} times in one epoch").format(i=values[np.argmax(counts)],
                                                                         count=counts.max())
    if np.array_equal(used, np.arange(len(used))):
        return _("the samples come in their original order 0, 1, 2, ...: the order was not shuffled")
    # With four or more batches a true shuffle makes these patterns practically impossible (below 1e-9).
    if len(batches) >= 4:
        blocks = [np.sort(b) for b in batches]
        if all(np.array_equal(b, np.arange(b[0], b[0] + len(b))) for b in blocks):
            first = blocks[0]
            return _("every batch holds neighbouring samples (batch 0 holds {first}, ..., {last} in some order): "
                     "shuffling inside fixed blocks, or only the order of the blocks, keeps the same samples "
                     "together in every epoch, so the model still sees the data set's order. Permute all n indices "
                     "(rng.permutation(n)), then cut that order into batches").format(first=first[0], last=first[-1])
    again = epoch(seed)
    if isinstance(again, str) or len(again) != len(batches) or \
            not all(np.array_equal(a, b) for a, b in zip(batches, again)):
        return _("two calls with generators seeded alike gave different orders: draw the order from `rng`, not "
                 "np.random")
    other = epoch(seed + 1)
    if not isinstance(other, str) and len(other) == len(batches):
        if all(np.array_equal(a, b) for a, b in zip(batches, other)):
            return _("two differently seeded generators gave the same order: draw the order from the `rng` you are "
                     "given")
        if len(batches) >= 4 and sorted(map(tuple, map(np.sort, batches))) == sorted(map(tuple, map(np.sort, other))):
            return _("two differently seeded generators put the same samples together in every batch: only the "
                     "order changed. Permute all n indices (rng.permutation(n)), then cut that order into batches")
    return ""


def check_batch_indices(my_fn: Callable[..., list]) -> Feedback:
    """Check ``my_fn(n, batch_size, drop_last, *, rng)``: one epoch of shuffled minibatch index arrays.

    Any random order is right, so the check judges the properties every epoch must have
    (how many batches, their sizes, every sample at most once, a real shuffle drawn from ``rng``).
    """
    if not callable(my_fn):  # the check wraps my_fn, so check_function cannot see it
        return not_a_function("batch_indices", my_fn)

    def judged(fn: Callable[..., Any]) -> Callable[..., str]:
        return lambda n, batch_size, drop_last, seed: _first_problem(fn, n, batch_size, drop_last, seed)

    cases = [
        Case(_("20 samples in batches of 5"), (20, 5, False, 0),
             hint=_("shuffle 0..n-1 with rng.permutation(n), then cut it into consecutive slices of batch_size.")),
        Case(_("1,050 samples in batches of 100"), (1050, 100, False, 1),
             hint=_("without drop_last the 50 samples left over form an 11th, smaller batch; every sample is used once.")),
        Case(_("1,050 samples in batches of 100, drop_last=True"), (1050, 100, True, 2),
             hint=_("with drop_last keep only the 10 full batches.")),
        Case(_("7 samples in batches of 3, drop_last=True"), (7, 3, True, 3),
             hint=_("7 = 2 x 3 + 1: two full batches, the last sample is skipped this epoch.")),
        Case(_("20 samples in batches of 5, drop_last=True"), (20, 5, True, 4),
             hint=_("20 = 4 x 5: no incomplete batch, so drop_last drops nothing.")),
    ]
    return check_function("batch_indices", judged(my_fn), lambda *case: "", cases, judge=lambda got, expected: got)


def _epoch_mean_loss(step_losses: np.ndarray, batch_sizes: np.ndarray) -> float:
    return float(np.average(step_losses, weights=batch_sizes))


def check_epoch_mean_loss(my_fn: Callable[[np.ndarray, np.ndarray], float]) -> Feedback:
    """Check ``my_fn(step_losses, batch_sizes)``: the epoch's mean loss over samples, as ``fit`` records it."""
    last_small = np.array([0.9, 0.8, 0.8, 0.7, 0.6, 0.6, 0.5, 0.5, 0.4, 0.4, 2.0])
    cases = [
        Case(_("three equal batches"), (np.array([0.5, 0.7, 0.3]), np.array([10, 10, 10])),
             hint=_("the epoch's loss is an average: Σ loss_b·size_b divided by the number of samples Σ size_b.")),
        Case(_("1,050 samples in batches of 100: the last batch holds 50"), (last_small, np.array([100] * 10 + [50])),
             hint=_("each batch loss is a mean over its own samples: weight it by the batch size, so the "
                    "50-sample batch counts half as much as a full one (a plain mean over batches over-counts it).")),
        Case(_("a single batch"), (np.array([2.0]), np.array([7])), hint=_("one batch: the epoch mean is its loss.")),
    ]
    mistakes = [
        Mistake(_("you took the plain mean over batches: each batch loss is a mean over its own samples, so weight "
                  "it by the batch size (a small last batch counts less)"), lambda losses, sizes: float(np.mean(losses))),
        Mistake(_("you divided Σ loss_b·size_b by the number of batches; divide by the number of samples, Σ size_b"),
                lambda losses, sizes: float(np.sum(losses * sizes) / len(sizes))),
        Mistake(_("you returned the sum Σ loss_b·size_b; the epoch's loss is a mean: divide by Σ size_b"),
                lambda losses, sizes: float(np.sum(losses * sizes))),
    ]
    return check_function("epoch_mean_loss", my_fn, _epoch_mean_loss, cases, mistakes=mistakes)
