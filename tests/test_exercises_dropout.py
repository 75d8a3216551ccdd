"""Chapter 05's checks accept the solutions, say "not done yet" for stubs, and name the mistakes of
plausible wrong answers."""
from __future__ import annotations

import numpy as np

from dlbook.exercises import dropout as ex


def _fails_with(feedback, *phrases):
    assert feedback.passed is False, feedback
    for phrase in phrases:
        assert phrase in feedback.message, feedback.message


def test_forward_mistakes():
    _fails_with(ex.check_dropout_forward(lambda x, m, p: np.where(m, x, 0.0)),
                "p = 0.5", "forgot the 1/(1 - p) scale")
    _fails_with(ex.check_dropout_forward(lambda x, m, p: np.where(m, x / p, 0.0)),
                "p = 0.2", "divided by p instead of 1 - p")
    _fails_with(ex.check_dropout_forward(lambda x, m, p: np.where(m, x * (1 - p), 0.0)),
                "multiplied the kept numbers by (1 - p)")
    _fails_with(ex.check_dropout_forward(lambda x, m, p: np.where(m, 0.0, x / (1 - p))), "True means kept")
    _fails_with(ex.check_dropout_forward(lambda x, m, p: x / (1 - p)), "ignored the mask")


def test_backward_mistakes():
    _fails_with(ex.check_dropout_backward(lambda dy, m, p: dy / (1 - p)), "through the dropped units")
    _fails_with(ex.check_dropout_backward(lambda dy, m, p: np.where(m, dy, 0.0)), "forgot the 1/(1 - p) scale")
    _fails_with(ex.check_dropout_backward(lambda dy, m, p: dy), "returned dy unchanged")


def test_count_stats_mistakes():
    _fails_with(ex.check_dropped_count_stats(lambda n, p: (n * p, np.sqrt(n * p))), "leaves out (1 - p)")
    _fails_with(ex.check_dropped_count_stats(lambda n, p: (n * p, n * p * (1 - p))), "returned the variance")
    _fails_with(ex.check_dropped_count_stats(lambda n, p: (n * p, 0.0)), "count changes from step to step")
    _fails_with(ex.check_dropped_count_stats(lambda n, p: (n * (1 - p), np.sqrt(n * p * (1 - p)))),
                "100 units, p = 0.2", "counted the kept units")


def _masks(n):
    return ((np.arange(2**n)[:, None] >> np.arange(n)) & 1).astype(bool)


def test_exact_average_mistakes():
    _fails_with(ex.check_exact_average_output(lambda x, w, p: np.maximum(x @ w, 0.0)), "the eval pass")

    def uniform(x, w, p):
        m = _masks(x.shape[0])
        return np.maximum((m * x / (1 - p)) @ w, 0.0).mean(axis=0)

    _fails_with(ex.check_exact_average_output(uniform), "p = 0.2", "averaged the masks uniformly")

    def unscaled(x, w, p):
        m = _masks(x.shape[0])
        k = m.sum(1)
        return ((1 - p) ** k * p ** (x.shape[0] - k)) @ np.maximum((m * x) @ w, 0.0)

    _fails_with(ex.check_exact_average_output(unscaled), "scale the kept inputs by 1/(1 - p)")
