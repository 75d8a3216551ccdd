"""Checks for chapter 01's exercises: the linear block, weight shapes, a forward pass, accuracy."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..activations import relu
from ..softmax import softmax
from ..training import accuracy
from .checking import Case, Feedback, check_function, check_value

__all__ = ["check_linear_forward", "check_weight_shape", "check_num_parameters", "check_mlp_forward",
           "check_accuracy"]

_rng = np.random.default_rng(101)
_x1, _xb = _rng.standard_normal((1, 4)), _rng.standard_normal((5, 4))
_W, _b = _rng.standard_normal((4, 3)), _rng.standard_normal(3)
_W1, _b1 = _rng.standard_normal((4, 6)), _rng.standard_normal(6)
_W2, _b2 = _rng.standard_normal((6, 3)), _rng.standard_normal(3)

_TRANSPOSE_HINT = "W has shape (in, out) = (4, 3), so o = x @ W + b; W @ x or x @ W.T mixes up the axes."


def check_linear_forward(fn: Callable[..., Any]) -> Feedback:
    """``fn(x, W, b)`` must return o = xW + b for one animal and for a batch."""
    cases = [
        Case("one animal, x of shape (1, 4)", (_x1, _W, _b), hint=_TRANSPOSE_HINT),
        Case("a batch of 5 animals", (_xb, _W, _b), hint="Every row of x is one animal: the same W and b serve all rows."),
        Case("zero bias", (_xb, _W, np.zeros(3))),
    ]
    return check_function("linear_forward", fn, lambda x, W, b: x @ W + b, cases)


def check_weight_shape(answer: Any) -> Feedback:
    """Predict the shape of ``Linear(64, 10).weight``."""
    return check_value("weight shape", None if answer is None else tuple(answer), (64, 10),
                       hint="dlbook stores weight as (in_features, out_features): row i holds input i's weights.")


def check_num_parameters(answer: Any) -> Feedback:
    """Predict how many numbers ``Linear(64, 10)`` learns."""
    return check_value("number of parameters", answer, 650,
                       hint="Count the weights (one per input-output pair) and add one bias per output unit.")


def check_mlp_forward(fn: Callable[..., Any]) -> Feedback:
    """``fn(x, W1, b1, W2, b2)`` must return softmax(ReLU(xW1 + b1) W2 + b2), row by row."""
    def reference(x, W1, b1, W2, b2):
        return softmax(relu(x @ W1 + b1) @ W2 + b2, axis=1)

    cases = [
        Case("one sample", (_x1, _W1, _b1, _W2, _b2),
             hint="Hidden layer: h = ReLU(x W1 + b1); output: softmax(h W2 + b2). Softmax only at the end."),
        Case("a batch of 5", (_xb, _W1, _b1, _W2, _b2),
             hint="Softmax normalises each row (axis=1), not the whole batch."),
        Case("large scores", (_xb * 300, _W1, _b1, _W2, _b2),
             hint="Subtract each row's maximum before np.exp so large scores do not overflow."),
    ]
    return check_function("mlp_forward", fn, reference, cases)


def check_accuracy(fn: Callable[..., Any]) -> Feedback:
    """``fn(logits, targets)`` must return the fraction of correct predictions."""
    logits = np.array([[2.0, 1.0, 0.0], [0.1, 0.3, 0.2], [5.0, 6.0, -1.0], [0.0, 0.0, 9.0]])
    targets = np.array([0, 1, 0, 2])
    cases = [
        Case("four samples, three right", (logits, targets),
             hint="Compare np.argmax(logits, axis=1) with the targets and take the mean (a fraction, not a count)."),
        Case("all wrong", (logits, np.array([2, 0, 2, 0]))),
        Case("scores that are probabilities", (softmax(logits), targets)),
    ]
    return check_function("accuracy", fn, accuracy, cases)
