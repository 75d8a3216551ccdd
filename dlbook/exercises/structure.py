"""Checks for chapter 01's exercises: the linear block, weight shapes, a forward pass, accuracy."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..activations import relu
from ..i18n import gettext as _
from ..rng import as_rng
from ..softmax import softmax
from ..training import accuracy
from .checking import Case, Feedback, Mistake, check_function, check_value

__all__ = ["check_linear_forward", "check_weight_shape", "check_num_parameters", "check_mlp_forward",
           "check_accuracy"]

_rng = as_rng(101)
_x1, _xb = _rng.standard_normal((1, 4)), _rng.standard_normal((5, 4))
_W, _b = _rng.standard_normal((4, 3)), _rng.standard_normal(3)
_W1, _b1 = _rng.standard_normal((4, 6)), _rng.standard_normal(6)
_W2, _b2 = _rng.standard_normal((6, 3)), _rng.standard_normal(3)


def check_linear_forward(fn: Callable[..., Any]) -> Feedback:
    """``fn(x, W, b)`` must return o = xW + b for one animal and for a batch."""
    cases = [
        Case(_("one animal, x of shape (1, 4)"), (_x1, _W, _b),
             hint=_("o = x @ W + b: x of shape (1, 4) times W of shape (in, out) = (4, 3) gives shape (1, 3), "
                    "one row per animal, and b (one entry per output unit) is added to that row as it is.")),
        Case(_("a batch of 5 animals"), (_xb, _W, _b), hint=_("Every row of x is one animal: the same W and b serve all rows.")),
        Case(_("zero bias"), (_xb, _W, np.zeros(3))),
    ]
    mistakes = [
        Mistake(_("you left out the bias: o = x @ W + b"), lambda x, W, b: x @ W),
        Mistake(_("you used PyTorch's layout, x @ W.T: dlbook's W has shape (in, out) = (4, 3), so o = x @ W + b"),
                lambda x, W, b: x @ W.T + b),
        Mistake(_("you added b as a column (b[:, None]): b has one entry per output unit and is added to every "
                  "row as it is"), lambda x, W, b: x @ W + b[:, None]),
    ]
    return check_function("linear_forward", fn, lambda x, W, b: x @ W + b, cases, mistakes=mistakes)


def _as_shape(answer: Any) -> Any:
    """A list or array answer such as [64, 10] read as the tuple (64, 10); anything else as it is."""
    if isinstance(answer, list) or (isinstance(answer, np.ndarray) and answer.ndim == 1):
        if all(isinstance(n, (int, np.integer)) and not isinstance(n, (bool, np.bool_)) for n in answer):
            return tuple(int(n) for n in answer)
    return answer


def check_weight_shape(answer: Any) -> Feedback:
    """Predict the shape of ``Linear(64, 10).weight``."""
    mistakes = [((10, 64), _("you gave PyTorch's layout (out_features, in_features); dlbook stores weight as "
                             "(in_features, out_features), row i holding input i's weights")),
                (640, _("you gave the number of weights, 64 × 10; the question asks for the shape: (rows, columns)")),
                ((640,), _("you gave the number of weights, 64 × 10, as a 1-D shape; the weight is a matrix: "
                           "(rows, columns), one row per input"))]
    return check_value(_("weight shape"), _as_shape(answer), (64, 10), mistakes=mistakes,
                       hint=_("Give a tuple (rows, columns): dlbook stores weight as (in_features, out_features)."))


def check_num_parameters(answer: Any) -> Feedback:
    """Predict how many numbers ``Linear(64, 10)`` learns."""
    mistakes = [(640, _("you counted the weights only: add one bias per output unit (10 of them)")),
                (64 * 10 + 64, _("you gave every input a bias; there is one bias per output unit: 640 + 10")),
                (64 + 10, _("you added the numbers of inputs and outputs; every input-output pair has its own "
                            "weight: 64 × 10, plus 10 biases"))]
    return check_value(_("number of parameters"), answer, 650, mistakes=mistakes,
                       hint=_("Count the weights (one per input-output pair) and add one bias per output unit."))


def _softmax_rows(o: np.ndarray) -> np.ndarray:
    return softmax(o, axis=1)


def _naive_softmax_rows(o: np.ndarray) -> np.ndarray:
    return np.exp(o) / np.exp(o).sum(axis=1, keepdims=True)


def check_mlp_forward(fn: Callable[..., Any]) -> Feedback:
    """``fn(x, W1, b1, W2, b2)`` must return softmax(ReLU(xW1 + b1) W2 + b2), row by row."""
    def reference(x, W1, b1, W2, b2):
        return _softmax_rows(relu(x @ W1 + b1) @ W2 + b2)

    cases = [
        Case(_("one sample"), (_x1, _W1, _b1, _W2, _b2),
             hint=_("Hidden layer: h = ReLU(x W1 + b1); output: softmax(h W2 + b2).")),
        Case(_("a batch of 5"), (_xb, _W1, _b1, _W2, _b2),
             hint=_("Softmax normalises each row (axis=1, keepdims=True), not the whole batch.")),
        Case(_("large scores"), (_xb * 300, _W1, _b1, _W2, _b2),
             hint=_("Subtract each row's maximum before np.exp so large scores do not overflow.")),
    ]

    def scores(x, W1, b1, W2, b2):
        return relu(x @ W1 + b1) @ W2 + b2

    mistakes = [
        Mistake(_("you took the softmax over axis 0, across the samples: each row is one sample, so normalise along "
                  "axis=1"), lambda *a: softmax(scores(*a), axis=0)),
        Mistake(_("you divided by the sum over the whole batch: each row must be divided by its own sum "
                  "(axis=1, keepdims=True)"), lambda *a: np.exp(scores(*a)) / np.exp(scores(*a)).sum()),
        Mistake(_("you exponentiated the scores directly: at large scores exp overflows to inf and inf / inf is nan; "
                  "subtract each row's maximum before np.exp"), lambda *a: _naive_softmax_rows(scores(*a))),
        Mistake(_("you subtracted the maximum of the whole batch, not each row's: a row far below that maximum "
                  "underflows to 0 / 0; use o.max(axis=1, keepdims=True)"),
                lambda *a: _naive_softmax_rows(scores(*a) - scores(*a).max())),
        Mistake(_("you applied softmax to the hidden layer too: a hidden layer feeds h = ReLU(x W1 + b1) forward, "
                  "and softmax comes only at the end"),
                lambda x, W1, b1, W2, b2: _softmax_rows(_softmax_rows(x @ W1 + b1) @ W2 + b2)),
        Mistake(_("you left out the ReLU: without it the two layers collapse into one linear map"),
                lambda x, W1, b1, W2, b2: _softmax_rows((x @ W1 + b1) @ W2 + b2)),
        Mistake(_("you returned the scores h W2 + b2: the exercise asks for the probabilities, softmax of the scores"),
                scores),
    ]
    return check_function("mlp_forward", fn, reference, cases, mistakes=mistakes)


def check_accuracy(fn: Callable[..., Any]) -> Feedback:
    """``fn(logits, targets)`` must return the fraction of correct predictions."""
    logits = np.array([[2.0, 1.0, 0.0], [0.1, 0.3, 0.2], [5.0, 6.0, -1.0], [0.0, 0.0, 9.0]])
    targets = np.array([0, 1, 0, 2])
    cases = [
        Case(_("four samples, three right"), (logits, targets),
             hint=_("Compare np.argmax(logits, axis=1) with the targets and take the mean (a fraction, not a count).")),
        Case(_("all wrong"), (logits, np.array([2, 0, 2, 0]))),
        Case(_("scores that are probabilities"), (softmax(logits), targets)),
    ]
    mistakes = [
        Mistake(_("you returned the number of right answers; accuracy is the fraction: divide by the number of "
                  "samples (np.mean does)"), lambda lg, t: np.sum(np.argmax(lg, axis=1) == t)),
        Mistake(_("you returned a percentage (75 for three right out of four); accuracy here is the fraction, "
                  "between 0 and 1: leave out the * 100"),
                lambda lg, t: 100 * float(np.mean(np.argmax(lg, axis=1) == t))),
        Mistake(_("you took argmax over axis 0, across the samples; each row is a sample: np.argmax(logits, axis=1)"),
                lambda lg, t: float(np.mean(np.argmax(lg, axis=0) == t))),
        Mistake(_("you compared the largest score itself with the target; the prediction is where it is: np.argmax"),
                lambda lg, t: float(np.mean(np.max(lg, axis=1) == t))),
        Mistake(_("you returned the error rate, the fraction of wrong answers"), lambda lg, t:
                1.0 - float(np.mean(np.argmax(lg, axis=1) == t))),
    ]
    return check_function("accuracy", fn, accuracy, cases, mistakes=mistakes)
