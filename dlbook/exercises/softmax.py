"""Checks for chapter 08's exercises (softmax): each compares the reader's function with dlbook's.

Cases go from simple to tricky. A wrong answer that reproduces a known mistake on every
case (no max subtraction, the whole batch's maximum, forgetting the mean, ...) is named;
otherwise the first failing case's hint is given.
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..i18n import gettext as _
from ..softmax import CrossEntropyLoss, logsumexp, softmax
from .checking import Case, Feedback, Mistake, check_function

__all__ = ["check_softmax", "check_logsumexp", "check_cross_entropy_grad", "check_softmax_with_temperature"]

# Two rows 2,000 apart: one global shift leaves the lower row at exp(-2000) = 0, so 0 / 0.
_FAR_APART_ROWS = np.array([[1000.0, 999.0, 998.0], [-1000.0, -1001.0, -1003.0]])


def _stable() -> str:
    return _("exp overflows to inf above about 709 (float64): subtract the maximum along the axis before exp; "
             "softmax does not change when every logit moves by the same amount.")


def check_softmax(my_softmax: Callable[..., np.ndarray]) -> Feedback:
    """Check ``my_softmax(x, axis=-1)`` against ``dl.softmax`` on vectors, batches and extreme logits."""
    cases = [
        Case(_("one vector [2, 1, 0.1]"), (np.array([2.0, 1.0, 0.1]),),
             hint=_("exponentiate every logit, then divide by the sum of the exponentials.")),
        Case(_("a batch of 3 rows: each row sums to 1"), (np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 3.0], [5.0, 1.0, 1.0]]),),
             hint=_("each row is one sample: take the max and the sum along `axis` with keepdims=True, "
                    "so that every row is divided by its own total (not by the total of the whole batch).")),
        Case(_("axis=0 on a (2, 3) array: each column sums to 1"), (np.array([[1.0, 2.0, 3.0], [2.0, 2.0, 0.0]]),),
             {"axis": 0}, hint=_("pass `axis` on to np.max and np.sum instead of always using the last axis.")),
        Case(_("large logits [1000, 999, 998]"), (np.array([1000.0, 999.0, 998.0]),), hint=_stable()),
        Case(_("a wide range [800, 0, -800]"), (np.array([800.0, 0.0, -800.0]),),
             hint=_("subtract the maximum, not the minimum or the mean: only the maximum makes every exponent <= 0.")),
        Case(_("very negative logits [-1000, -1001, -1002]"), (np.array([-1000.0, -1001.0, -1002.0]),),
             hint=_("exp(-1000) underflows to 0 and 0 / 0 is nan; subtracting the maximum fixes this too.")),
        Case(_("rows of very different scale"), (_FAR_APART_ROWS,),
             hint=_("subtract each row's own maximum (np.max with axis and keepdims=True): a row far below another "
                    "row's maximum underflows to 0 / 0.")),
    ]

    def shifted(x, axis, shift):
        e = np.exp(x - shift(x, axis))
        return e / np.sum(e, axis=axis, keepdims=True)

    def no_keepdims(x, axis=-1):
        e = np.exp(x - np.max(x, axis=axis))
        return e / np.sum(e, axis=axis)

    mistakes = [
        # Before the naive formula: on [800, 0, -800] the mean is 0, so both give the same nan there.
        Mistake(_("you subtracted the mean: on [800, 0, -800] the mean is 0 and exp(800) still overflows. Only the "
                  "maximum makes every exponent <= 0: np.max(x, axis=axis, keepdims=True)"),
                lambda x, axis=-1: shifted(x, axis, lambda x, a: np.mean(x, axis=a, keepdims=True))),
        Mistake(_("you exponentiated the logits directly: exp overflows to inf above about 709, and inf / inf is "
                  "nan. Subtract the maximum along the axis first (softmax ignores a shift)"),
                lambda x, axis=-1: shifted(x, axis, lambda x, a: 0.0)),
        Mistake(_("you took the maximum and the sum without keepdims=True: a row's maximum of shape (n,) then lines "
                  "up with the columns, not the rows (or does not broadcast at all). Use np.max(x, axis=axis, "
                  "keepdims=True) and np.sum(e, axis=axis, keepdims=True)"), no_keepdims),
        Mistake(_("you subtracted the maximum of the whole array, not each row's: a row far below that maximum "
                  "underflows to 0 / 0 = nan. Use np.max(x, axis=axis, keepdims=True)"),
                lambda x, axis=-1: shifted(x, axis, lambda x, a: np.max(x))),
        *[Mistake(_("you divided by the sum over the whole array: each row must be divided by its own total "
                    "(np.sum(..., axis=axis, keepdims=True))"), lambda x, axis=-1, shift=shift: (
                      lambda e: e / np.sum(e))(np.exp(x - shift(x, axis))))
          for shift in (lambda x, a: np.max(x), lambda x, a: np.max(x, axis=a, keepdims=True))],
        Mistake(_("you subtracted the minimum: only the maximum makes every exponent <= 0, so that nothing overflows"),
                lambda x, axis=-1: shifted(x, axis, lambda x, a: np.min(x, axis=a, keepdims=True))),
        Mistake(_("you always used the last axis: pass `axis` on to np.max and np.sum"),
                lambda x, axis=-1: shifted(x, -1, lambda x, a: np.max(x, axis=a, keepdims=True))),
    ]
    return check_function("softmax", my_softmax, softmax, cases, mistakes=mistakes)


def _logsumexp_last(x: np.ndarray) -> np.ndarray:
    return logsumexp(x, axis=-1)


def check_logsumexp(my_logsumexp: Callable[[np.ndarray], np.ndarray]) -> Feedback:
    """Check ``my_logsumexp(x)`` (along the last axis, that axis removed) against ``dl.logsumexp``."""
    cases = [
        Case("[1, 2, 3]", (np.array([1.0, 2.0, 3.0]),),
             hint=_("log(e^1 + e^2 + e^3) is about 3.408; if you got about 0.408, you forgot to add the maximum "
                    "back: log Σ exp(x) = m + log Σ exp(x − m).")),
        Case(_("a batch of 2 rows: one value per row"), (np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]]),),
             hint=_("reduce along the last axis only and return shape x.shape[:-1] (drop the kept axis at the end).")),
        Case(_("large logits [1000, 1000]"), (np.array([1000.0, 1000.0]),),
             hint=_("log(sum(exp(x))) overflows: compute m + log Σ exp(x − m) with m the maximum.")),
        Case(_("very negative logits [-1000, -1000]"), (np.array([-1000.0, -1000.0]),),
             hint=_("exp(-1000) underflows to 0 and log(0) is -inf: shifting by the maximum keeps the terms near 1.")),
        Case(_("a wide range [800, 0, -800]"), (np.array([800.0, 0.0, -800.0]),),
             hint=_("subtract the maximum, not the minimum or the mean: only the maximum makes every exponent <= 0, "
                    "so that nothing overflows.")),
        Case(_("rows of very different scale"), (_FAR_APART_ROWS,),
             hint=_("take each row's own maximum (axis=-1, keepdims=True): a row far below another row's maximum "
                    "underflows to log(0) = -inf.")),
    ]

    def lse(x, shift, add_back=True, keep=False):
        m = shift(x)
        out = np.log(np.sum(np.exp(x - m), axis=-1, keepdims=True)) + (m if add_back else 0.0)
        return out if keep else out[..., 0]

    def no_keepdims(x):
        m = np.max(x, axis=-1)  # shape (n,): x − m lines it up with the columns
        return m + np.log(np.sum(np.exp(x - m), axis=-1))

    row_max = lambda x: np.max(x, axis=-1, keepdims=True)  # noqa: E731
    mistakes = [
        # Before the direct formula: on [800, 0, -800] a mean or minimum shift overflows just as it does.
        # (The cases cannot tell a minimum from a mean shift apart: both give inf there only, so one message.)
        Mistake(_("you subtracted the minimum or the mean: on [800, 0, -800] that leaves an exponent of 800 or "
                  "more, and exp overflows. Subtract each row's maximum, so that every exponent is <= 0"),
                lambda x: lse(x, lambda x: np.min(x, axis=-1, keepdims=True))),
        Mistake(_("you computed log(sum(exp(x))) directly: exp overflows above about 709 and underflows to 0 "
                  "below about -745. Compute m + log Σ exp(x − m) with m each row's maximum"),
                lambda x: lse(x, lambda x: 0.0)),
        Mistake(_("you forgot to add the maximum back: log Σ exp(x) = m + log Σ exp(x − m)"),
                lambda x: lse(x, row_max, add_back=False)),
        Mistake(_("you subtracted the maximum of the whole array, not each row's: a row far below that maximum "
                  "underflows to log(0) = -inf. Use np.max(x, axis=-1, keepdims=True)"),
                lambda x: lse(x, lambda x: np.max(x))),
        Mistake(_("you kept the reduced axis (keepdims=True in the result): return one value per row, shape "
                  "x.shape[:-1]"), lambda x: lse(x, row_max, keep=True)),
        Mistake(_("you took the maximum without keepdims=True: m then has shape (n,), and x − m lines it up with "
                  "the columns instead of the rows (or does not broadcast at all). Use m = np.max(x, axis=-1, "
                  "keepdims=True), then drop that axis at the end"), no_keepdims),
    ]
    return check_function("logsumexp", my_logsumexp, _logsumexp_last, cases, mistakes=mistakes)


def _cross_entropy_grad(logits: np.ndarray, targets: np.ndarray) -> np.ndarray:
    crit = CrossEntropyLoss()
    crit(logits, targets)
    return crit.backward()


def check_cross_entropy_grad(my_grad: Callable[[np.ndarray, np.ndarray], np.ndarray]) -> Feedback:
    """Check ``my_grad(logits, targets)``, the gradient of the mean cross-entropy, against ``CrossEntropyLoss``."""
    cases = [
        Case(_("one sample, target class 1"), (np.array([[2.0, 1.0, 0.1]]), np.array([1])),
             hint=_("the gradient is p − y: the softmax probabilities, minus 1 at the target class only.")),
        Case(_("a batch of 4 samples"), (np.array([[2.0, 1.0, 0.1], [0.0, 0.0, 0.0], [1.0, 3.0, -1.0], [0.5, 0.5, 4.0]]),
                                      np.array([0, 2, 1, 2])),
             hint=_("the gradient is (p − y) / n: y is one-hot, so subtract 1 at each sample's own target class "
                    "(p[np.arange(n), targets]), and divide by the n samples the loss averages over.")),
        Case(_("large logits"), (np.array([[1000.0, 0.0, -1000.0], [0.0, 1000.0, 999.0]]), np.array([2, 2])),
             hint=_("compute p with a stable softmax (subtract each row's maximum); the gradient stays in [-1, 1].")),
    ]
    def grad(logits, targets, *, subtract="rows", mean=True, stable=True):
        z = logits - (np.max(logits, axis=-1, keepdims=True) if stable else 0.0)
        p = np.exp(z) / np.sum(np.exp(z), axis=-1, keepdims=True)
        n = logits.shape[0]
        if subtract == "rows":
            p[np.arange(n), targets] -= 1.0
        elif subtract == "columns":
            p[:, targets] -= 1.0
        else:
            p -= 1.0
        return p / n if mean else p

    mistakes = [
        Mistake(_("you subtracted 1 with p[:, targets] -= 1, which subtracts it in every row at every target "
                  "column; each sample has its own target: p[np.arange(n), targets] -= 1"),
                lambda lg, t: grad(lg, t, subtract="columns")),
        Mistake(_("you forgot the mean: the loss is the mean over the n samples of the batch, so its gradient is "
                  "(p − y) / n"), lambda lg, t: grad(lg, t, mean=False)),
        Mistake(_("you subtracted 1 from every entry: y is one-hot, so subtract 1 at each sample's target class only"),
                lambda lg, t: grad(lg, t, subtract="all")),
        Mistake(_("your softmax overflows on large logits: subtract each row's maximum before np.exp"),
                lambda lg, t: grad(lg, t, stable=False)),
        Mistake(_("you computed (y − p) / n, the opposite sign: that is the direction gradient descent steps in, "
                  "not the gradient. The gradient is (p − y) / n"), lambda lg, t: -grad(lg, t)),
    ]
    return check_function("cross_entropy_grad", my_grad, _cross_entropy_grad, cases, mistakes=mistakes)


def _softmax_with_temperature(x: np.ndarray, temperature: float) -> np.ndarray:
    return softmax(x / temperature, axis=-1)


def check_softmax_with_temperature(my_fn: Callable[[np.ndarray, float], np.ndarray]) -> Feedback:
    """Check ``my_fn(x, temperature)`` = softmax(x / T) along the last axis."""
    o = np.array([2.0, 1.0, 0.1])
    cases = [
        Case(_("T = 1 is the plain softmax"), (o, 1.0), hint=_("at T = 1 the result must equal softmax(x).")),
        Case(_("T = 4 flattens the distribution"), (o, 4.0),
             hint=_("divide the logits by T (x / T): a larger temperature must give a flatter distribution, "
                    "closer to uniform.")),
        Case(_("T = 0.25 sharpens it, on a batch of rows"), (np.array([[2.0, 1.0, 0.1], [0.0, 1.0, 0.0]]), 0.25),
             hint=_("x / T with T < 1 makes the logits further apart; normalize each row on its own.")),
        Case(_("T = 0.001: logits / T reach 2000"), (o, 0.001),
             hint=_("x / T is huge for a small T: use a stable softmax (subtract the maximum, or call dl.softmax).")),
    ]
    def plain(z):
        return np.exp(z) / np.sum(np.exp(z), axis=-1, keepdims=True)

    mistakes = [
        Mistake(_("you multiplied the logits by T: divide them, softmax(x / T), so that a larger T flattens"),
                lambda x, t: softmax(x * t, axis=-1)),
        Mistake(_("your softmax of x / T overflows for a small T: subtract each row's maximum (or call dl.softmax)"),
                lambda x, t: plain(x / t)),
        Mistake(_("you raised the probabilities to the power 1/T without normalising again: softmax(x / T) "
                  "divides the logits before the softmax"), lambda x, t: softmax(x, axis=-1) ** (1 / t)),
    ]
    return check_function("softmax_with_temperature", my_fn, _softmax_with_temperature, cases, mistakes=mistakes)
