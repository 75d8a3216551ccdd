"""Solutions of chapter 09's exercises (epochs, batch size, steps). Each one is shown folded in the chapter."""
from __future__ import annotations

import math

import numpy as np


def steps_per_epoch(n: int, batch_size: int, drop_last: bool) -> int:
    """Minibatches in one pass over n samples: the remainder is one more (smaller) batch unless dropped."""
    full, remainder = divmod(n, batch_size)
    return full if drop_last or remainder == 0 else full + 1


def epochs_for_steps(n: int, batch_size: int, steps: int, drop_last: bool) -> int:
    """The fewest whole epochs that make at least ``steps`` parameter updates."""
    return math.ceil(steps / steps_per_epoch(n, batch_size, drop_last))


def batch_indices(n: int, batch_size: int, drop_last: bool, *, rng: np.random.Generator) -> list[np.ndarray]:
    """One epoch's minibatches: a new random order from ``rng``, cut every ``batch_size`` positions."""
    order = rng.permutation(n)                                 # this epoch's order, from the rng we were given
    batches = np.split(order, np.arange(batch_size, n, batch_size))
    if drop_last and len(batches[-1]) < batch_size:            # an incomplete last batch is skipped
        batches.pop()
    return batches


def epoch_mean_loss(step_losses: np.ndarray, batch_sizes: np.ndarray) -> float:
    """The mean loss over every sample of an epoch from its per-batch mean losses.

    A batch's mean loss stands for ``batch_size`` samples, so weight it by that size:
    Σ loss_b·size_b / Σ size_b (a plain mean over-counts a small last batch).
    """
    return float(np.sum(step_losses * batch_sizes) / np.sum(batch_sizes))
