"""Checks of chapter 05's exercises (dropout).

Each check runs the learner's function and dlbook's reference on several cases,
from simple to tricky, and never raises. When the learner's answer reproduces a
typical mistake on every case, the feedback names that mistake.

In the chapter::

    from dlbook.exercises import dropout as ex
    ex.check_dropout_forward(my_dropout_forward)
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..activations import relu
from ..dropout import Dropout, all_keep_masks, dropped_count_pmf, mask_probability
from ..i18n import gettext as _
from ..rng import as_rng
from .checking import Case, Feedback, Mistake, check_function

__all__ = ["check_dropout_forward", "check_dropout_backward",
           "check_dropped_count_stats", "check_exact_average_output"]


# --- the exercises' references, from dlbook's own modules ------------------------------------------
def _forward_reference(x: np.ndarray, keep_mask: np.ndarray, p: float) -> np.ndarray:
    return Dropout(p, rng=0)(x, mask=keep_mask)


def _backward_reference(dy: np.ndarray, keep_mask: np.ndarray, p: float) -> np.ndarray:
    drop = Dropout(p, rng=0)
    drop(np.zeros_like(dy), mask=keep_mask)
    return drop.backward(dy)


def _count_stats_reference(n_units: int, p: float) -> tuple[float, float]:
    """(mean, standard deviation), summed from the binomial probabilities themselves."""
    pmf = dropped_count_pmf(n_units, p)
    k = np.arange(n_units + 1)
    mean = float(pmf @ k)
    return mean, float(np.sqrt(pmf @ (k - mean) ** 2))


def _thinned_outputs(x: np.ndarray, weight: np.ndarray, p: float) -> tuple[np.ndarray, np.ndarray]:
    """(probability of each keep-mask, relu(dropout(x) @ weight) of each thinned network)."""
    masks = all_keep_masks(x.shape[0])
    thinned = Dropout(p, rng=0)(np.broadcast_to(x, masks.shape), mask=masks)
    return mask_probability(masks, p), relu(thinned @ weight)


def _exact_average_reference(x: np.ndarray, weight: np.ndarray, p: float) -> np.ndarray:
    probs, outputs = _thinned_outputs(x, weight, p)
    return probs @ outputs


# --- cases -------------------------------------------------------------------------------------------
def _mask_cases() -> list[Case]:
    """Inputs and masks shared by the forward and backward exercises."""
    gen = as_rng(5)
    x = np.array([[1.0, -2.0, 3.0, 0.5], [2.0, 4.0, -1.0, 1.5]])
    mask = np.array([[True, False, True, True], [False, True, True, False]])
    x3 = gen.standard_normal((2, 3, 4))
    one_dropped_sample = np.array([[False, False, False], [True, True, False]])
    return [
        Case(_("p = 0.5 on a (2, 4) batch"), (x, mask, 0.5)),
        Case(_("p = 0.2: the keep probability is 0.8"), (x, mask, 0.2)),
        Case(_("a (2, 3, 4) input: batch, tokens, features"), (x3, gen.random((2, 3, 4)) >= 0.3, 0.3)),
        Case(_("p = 0 with every unit kept"), (x, np.ones_like(mask), 0.0)),
        Case(_("a sample that lost every unit"), (x[:, :3], one_dropped_sample, 0.6)),
    ]


def check_dropout_forward(learner: Callable[[np.ndarray, np.ndarray, float], np.ndarray]) -> Feedback:
    """Check ``learner(x, keep_mask, p)``: inverted dropout with a given mask (True = kept)."""
    mistakes = [
        Mistake(_("you kept the numbers where the mask is False; True means kept"),
                lambda x, m, p: np.where(~m, x / (1 - p), 0.0)),
        Mistake(_("you ignored the mask: every number was rescaled and none was dropped"),
                lambda x, m, p: x / (1 - p)),
        Mistake(_("you forgot the 1/(1 - p) scale: without it the expected output is (1 - p)·x instead of x"),
                lambda x, m, p: np.where(m, x, 0.0)),
        Mistake(_("you multiplied the kept numbers by (1 - p) instead of dividing by it"),
                lambda x, m, p: np.where(m, x * (1 - p), 0.0)),
        Mistake(_("you divided by p instead of 1 - p: p is the drop probability, 1 - p the keep probability"),
                lambda x, m, p: np.where(m, x / p, 0.0)),
    ]
    return check_function("dropout_forward", learner, _forward_reference, _mask_cases(), mistakes=mistakes)


def check_dropout_backward(learner: Callable[[np.ndarray, np.ndarray, float], np.ndarray]) -> Feedback:
    """Check ``learner(dy, keep_mask, p)``: the gradient through inverted dropout."""
    mistakes = [
        Mistake(_("you returned dy unchanged: in training mode dropout is not the identity, "
                  "so its gradient is not either"), lambda dy, m, p: dy),
        Mistake(_("you let the gradient through the dropped units: a number that was set to 0 "
                  "does not depend on its input, so its gradient is 0"), lambda dy, m, p: dy / (1 - p)),
        Mistake(_("you forgot the 1/(1 - p) scale: the forward multiplied each kept number by it, "
                  "so its gradient is multiplied too"), lambda dy, m, p: np.where(m, dy, 0.0)),
        Mistake(_("you kept the gradient where the mask is False; True means kept"),
                lambda dy, m, p: np.where(~m, dy / (1 - p), 0.0)),
        Mistake(_("you multiplied the kept gradients by (1 - p) instead of dividing by it: the forward divided "
                  "the kept numbers by 1 - p, so the gradient is divided too"), lambda dy, m, p: np.where(m, dy * (1 - p), 0.0)),
        Mistake(_("you divided by p instead of 1 - p: p is the drop probability, 1 - p the keep probability"),
                lambda dy, m, p: np.where(m, dy / p, 0.0)),
    ]
    return check_function("dropout_backward", learner, _backward_reference, _mask_cases(), mistakes=mistakes)


def check_dropped_count_stats(learner: Callable[[int, float], tuple[float, float]]) -> Feedback:
    """Check ``learner(n_units, p) -> (mean, std)`` of the number of dropped units."""
    exact = _("the number of dropped units is a Binomial(n, p) count: section 2 gives its mean and standard "
              "deviation as formulas of n and p, exact numbers (an estimate from drawn masks is only close to them)")
    cases = [
        Case(_("20 units, p = 0.5"), (20, 0.5), hint=exact),
        Case(_("100 units, p = 0.2"), (100, 0.2)),
        Case(_("1 unit, p = 0.3: a single coin"), (1, 0.3)),
        Case(_("10 units, p = 0: nothing is ever dropped"), (10, 0.0)),
    ]
    mistakes = [
        Mistake(_("you gave a fixed count with no spread: p is each unit's probability, "
                  "so the count changes from step to step"), lambda n, p: (n * p, 0.0)),
        Mistake(_("you counted the kept units, n·(1 - p), not the dropped ones"),
                lambda n, p: (n * (1 - p), np.sqrt(n * p * (1 - p)))),
        Mistake(_("you returned the variance n·p·(1 - p); the standard deviation is its square root"),
                lambda n, p: (n * p, n * p * (1 - p))),
        Mistake(_("the standard deviation of a binomial count is sqrt(n·p·(1 - p)); sqrt(n·p) leaves out (1 - p)"),
                lambda n, p: (n * p, np.sqrt(n * p))),
        Mistake(_("you gave the standard deviation of the dropped share K/n, sqrt(p·(1 - p)/n); "
                  "the count K is n times the share, so its standard deviation is sqrt(n·p·(1 - p))"),
                lambda n, p: (n * p, np.sqrt(p * (1 - p) / n))),
        Mistake(_("you gave the standard deviation of a single unit's coin, sqrt(p·(1 - p)); the count adds n "
                  "independent coins, so its variance is n times larger: sqrt(n·p·(1 - p))"),
                lambda n, p: (n * p, np.sqrt(p * (1 - p)))),
    ]
    return check_function("dropped_count_stats", learner, _count_stats_reference, cases, mistakes=mistakes,
                          parts=("mean", "std"))


def check_exact_average_output(learner: Callable[[np.ndarray, np.ndarray, float], np.ndarray]) -> Feedback:
    """Check ``learner(x, weight, p)``: E[relu(dropout(x) @ weight)] over all 2^n keep-masks."""
    gen = as_rng(6)
    x3, w3 = np.array([1.0, -0.5, 2.0]), np.array([[0.5, -1.0], [1.0, 0.3], [-0.4, 0.8]])
    exact = _("the average runs over every one of the 2^n keep-masks (not a sample of them): for each mask, "
              "relu of the thinned output (kept inputs divided by 1 - p) @ weight, weighted by the mask's "
              "probability (1 - p)^kept · p^dropped")
    cases = [
        Case(_("3 inputs, 2 outputs, p = 0.5"), (x3, w3, 0.5), hint=exact),
        Case(_("p = 0.2: the masks are not equally likely"), (x3, w3, 0.2)),
        Case(_("5 inputs, 3 outputs, p = 0.7"), (gen.standard_normal(5), gen.standard_normal((5, 3)), 0.7)),
        Case(_("p = 0: only the full network remains"), (x3, w3, 0.0)),
    ]

    def uniform(x, w, p):
        return _thinned_outputs(x, w, p)[1].mean(axis=0)

    def unscaled(x, w, p):
        probs = _thinned_outputs(x, w, p)[0]
        masks = all_keep_masks(x.shape[0])
        return probs @ relu((masks * x) @ w)

    def keep_as_p(x, w, p):  # p taken as the keep probability in the masks' probabilities
        kept = all_keep_masks(x.shape[0]).sum(axis=1)
        return (p ** kept * (1 - p) ** (x.shape[0] - kept)) @ _thinned_outputs(x, w, p)[1]

    mistakes = [
        Mistake(_("you left out the ReLU: without it the average over the thinned networks is exactly the "
                  "linear eval pass x @ weight"), lambda x, w, p: x @ w),
        Mistake(_("you weighted the masks with p as the keep probability: p is the drop probability, so a mask "
                  "with k kept units has probability (1 - p)^k · p^(n - k)"), keep_as_p),
        Mistake(_("you computed the eval pass relu(x @ weight) (or the ReLU of the average): with a ReLU "
                  "after the dropped layer, the average over the thinned networks is not the eval pass"),
                lambda x, w, p: relu(x @ w)),
        Mistake(_("you averaged the masks uniformly: a mask with k kept units has probability "
                  "(1 - p)^k · p^(n - k)"), uniform),
        Mistake(_("you forgot to scale the kept inputs by 1/(1 - p)"), unscaled),
    ]
    return check_function("exact_average_output", learner, _exact_average_reference, cases, mistakes=mistakes)
