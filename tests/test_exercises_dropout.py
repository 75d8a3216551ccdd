"""Chapter 05's checks name the mistake of each plausible wrong answer."""
from __future__ import annotations


import numpy as np
import pytest

from dlbook.exercises import dropout as ex


def _masks(n):
    return ((np.arange(2**n)[:, None] >> np.arange(n)) & 1).astype(bool)


def _uniform(x, w, p):
    m = _masks(x.shape[0])
    return np.maximum((m * x / (1 - p)) @ w, 0.0).mean(axis=0)


def _unscaled(x, w, p):
    m = _masks(x.shape[0])
    k = m.sum(1)
    return ((1 - p) ** k * p ** (x.shape[0] - k)) @ np.maximum((m * x) @ w, 0.0)


def _keep_as_p(x, w, p):
    m = _masks(x.shape[0])
    k = m.sum(1)
    return (p ** k * (1 - p) ** (x.shape[0] - k)) @ np.maximum((m * x / (1 - p)) @ w, 0.0)


def _sampled(x, w, p):  # a Monte Carlo estimate instead of the exact average
    keep = np.random.default_rng(0).random((20_000, x.shape[0])) >= p
    return np.maximum((keep * x / (1 - p)) @ w, 0.0).mean(axis=0)


def _simulated_stats(n, p):  # mean and std of counts from drawn masks
    dropped = (np.random.default_rng(0).random((100_000, n)) < p).sum(axis=1)
    return dropped.mean(), dropped.std()


# Checked by tests/test_exercises.py: each is rejected with a message naming it, two or more per check.
WRONG = [
    (ex.check_dropout_forward, lambda x, m, p: np.where(m, x, 0.0), "p = 0.5", "It looks like you forgot the 1/(1 - p)"),
    (ex.check_dropout_forward, lambda x, m, p: np.where(m, x / p, 0.0), "p = 0.2",
     "It looks like you divided by p instead of 1 - p"),
    (ex.check_dropout_forward, lambda x, m, p: np.where(m, x * (1 - p), 0.0), "p = 0.5",
     "It looks like you multiplied the kept numbers by (1 - p)"),
    (ex.check_dropout_forward, lambda x, m, p: np.where(m, 0.0, x / (1 - p)), "p = 0.5", "True means kept"),
    (ex.check_dropout_forward, lambda x, m, p: x / (1 - p), "p = 0.5", "It looks like you ignored the mask"),
    (ex.check_dropout_backward, lambda dy, m, p: dy / (1 - p), "p = 0.5",
     "It looks like you let the gradient through the dropped units"),
    (ex.check_dropout_backward, lambda dy, m, p: np.where(m, dy, 0.0), "p = 0.5",
     "It looks like you forgot the 1/(1 - p) scale"),
    (ex.check_dropout_backward, lambda dy, m, p: dy, "p = 0.5", "It looks like you returned dy unchanged"),
    (ex.check_dropout_backward, lambda dy, m, p: np.where(m, dy * (1 - p), 0.0), "p = 0.5",
     "It looks like you multiplied the kept gradients by (1 - p)"),
    (ex.check_dropout_backward, lambda dy, m, p: np.where(m, dy / p, 0.0), "p = 0.2",
     "It looks like you divided by p instead of 1 - p"),
    (ex.check_dropped_count_stats, lambda n, p: (n * p, np.sqrt(n * p)), "20 units", "leaves out (1 - p)"),
    (ex.check_dropped_count_stats, lambda n, p: (n * p, n * p * (1 - p)), "20 units",
     "It looks like you returned the variance"),
    (ex.check_dropped_count_stats, lambda n, p: (n * p, n * p * (1 - p)), "20 units", "std: expected 2.23607, got 5"),
    (ex.check_dropped_count_stats, lambda n, p: (n * p, 0.0), "20 units", "count changes from step to step"),
    (ex.check_dropped_count_stats, lambda n, p: (n * (1 - p), np.sqrt(n * p * (1 - p))), "100 units, p = 0.2",
     "It looks like you counted the kept units"),
    (ex.check_dropped_count_stats, lambda n, p: (n * p, np.sqrt(p * (1 - p) / n)), "20 units",
     "It looks like you gave the standard deviation of the dropped share"),
    (ex.check_dropped_count_stats, lambda n, p: (n * p, np.sqrt(p * (1 - p))), "20 units",
     "It looks like you gave the standard deviation of a single unit's coin"),
    (ex.check_dropped_count_stats, _simulated_stats, "20 units", "an estimate from drawn masks is only close"),
    (ex.check_exact_average_output, lambda x, w, p: np.maximum(x @ w, 0.0), "3 inputs", "the eval pass"),
    (ex.check_exact_average_output, _uniform, "p = 0.2", "It looks like you averaged the masks uniformly"),
    (ex.check_exact_average_output, _unscaled, "3 inputs", "scale the kept inputs by 1/(1 - p)"),
    (ex.check_exact_average_output, lambda x, w, p: x @ w, "3 inputs", "It looks like you left out the ReLU"),
    (ex.check_exact_average_output, _keep_as_p, "p = 0.2", "It looks like you weighted the masks with p as the keep"),
    (ex.check_exact_average_output, _sampled, "3 inputs", "not a sample of them"),
]



def test_mean_and_std_may_come_as_a_tuple_a_list_or_an_array():
    def stats(n, p):
        return n * p, np.sqrt(n * p * (1 - p))

    for wrap in (tuple, list, np.array):
        assert ex.check_dropped_count_stats(lambda n, p: wrap(stats(n, p))).passed
