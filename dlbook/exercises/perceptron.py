"""Checks for chapter 03's exercises: Rosenblatt's update, XOR by hand, a local mask, counting masked weights."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..i18n import gettext as _
from ..perceptron import MaskedLinear, Perceptron, logic_gate
from .checking import Case, Feedback, Mistake, describe, check_function

__all__ = ["check_perceptron_update", "check_xor_network", "check_local_mask", "check_masked_parameters"]


# --- 1. Rosenblatt's rule ----------------------------------------------------------------
def _reference_update(w: np.ndarray, b: float, x: np.ndarray, y: int, lr: float = 1.0) -> tuple[np.ndarray, float]:
    p = Perceptron.from_weights(w, b)
    p.update(x, y, lr)
    return p.weight, p.bias


def check_perceptron_update(fn: Callable[..., Any]) -> Feedback:
    """``fn(w, b, x, y, lr)`` must return the (w, b) after one step of Rosenblatt's rule."""
    def case(label: str, w: list[float], b: float, x: list[float], y: int, lr: float, hint: str) -> Case:
        return Case(label, (np.array(w), b, np.array(x), y, lr), hint=hint)

    cases = [
        case(_("a right prediction changes nothing"), [1.0, 1.0], -1.5, [1.0, 1.0], 1, 1.0,
             _("When the prediction is right, y − ŷ = 0 and w and b stay as they are.")),
        case(_("a missed 1 (y = 1, prediction 0)"), [0.5, -1.0], 0.0, [1.0, 1.0], 1, 1.0,
             _("y − ŷ = +1: add lr·x to w, and add lr to the bias too (the bias is a weight whose input is always 1).")),
        case(_("a false 1 (y = 0, prediction 1)"), [1.0, 1.0], 0.0, [1.0, 0.0], 0, 1.0,
             _("y − ŷ = −1: subtract lr·x from w and lr from b, moving the line away from x; check the sign.")),
        case(_("z exactly 0 predicts 0"), [0.0, 0.0], 0.0, [1.0, 1.0], 1, 1.0,
             _("The step gives 1 only for z > 0: at z = 0 the prediction is 0 (z > 0, not z >= 0).")),
        case(_("the bias decides the prediction"), [1.0, 1.0], -3.0, [1.0, 1.0], 0, 1.0,
             _("z = x·w + b: the bias is part of the sum the step looks at (here z = −1, so ŷ = 0 is right).")),
        case(_("learning rate 0.5"), [0.0, 1.0], -2.0, [1.0, 1.0], 1, 0.5,
             _("Scale the whole change by lr: w + lr·(y − ŷ)·x and b + lr·(y − ŷ).")),
        case(_("three inputs"), [0.2, -0.4, 0.1], 0.3, [1.0, 2.0, -1.0], 1, 1.0,
             _("z = x·w + b sums over every input, however many there are.")),
    ]
    def rule(w, b, x, y, lr=1.0, *, step=lambda z: z > 0, sign=1.0, rate=None, bias=True, b_in_z=True):
        delta = sign * (y - int(step(x @ w + (b if b_in_z else 0.0))))
        lr = lr if rate is None else rate
        return w + lr * delta * x, b + (lr * delta if bias else 0.0)

    mistakes = [
        Mistake(_("you left the bias as it was: the bias is a weight whose input is always 1, so it changes by "
                  "lr·(y − ŷ) too"), lambda *a: rule(*a, bias=False)),
        Mistake(_("you moved towards the label even when the prediction was right (w + lr·y·x): the rule changes "
                  "w by lr·(y − ŷ)·x, which is 0 for a right prediction"),
                lambda w, b, x, y, lr=1.0: (w + lr * y * x, b + lr * y)),
        Mistake(_("your step gives 1 at z = 0 (z >= 0); the perceptron's step gives 1 only for z > 0"),
                lambda *a: rule(*a, step=lambda z: z >= 0)),
        Mistake(_("you used ŷ − y instead of y − ŷ: the update then moves the line the wrong way"),
                lambda *a: rule(*a, sign=-1.0)),
        Mistake(_("you left out the learning rate: the change is lr·(y − ŷ)·x"), lambda *a: rule(*a, rate=1.0)),
        Mistake(_("your prediction leaves out the bias: the step looks at z = x·w + b, not x·w"),
                lambda *a: rule(*a, b_in_z=False)),
        Mistake(_("you used y − z, the weighted sum itself, in place of y − ŷ, the step's 0 or 1: that is "
                  "gradient descent's delta rule; Rosenblatt's rule changes w only when the prediction is wrong"),
                lambda w, b, x, y, lr=1.0: (w + lr * (y - (x @ w + b)) * x, b + lr * (y - (x @ w + b)))),
    ]
    return check_function("perceptron_update", fn, _reference_update, cases, mistakes=mistakes, parts=("w", "b"))


# --- 2. XOR from NAND, OR and AND ------------------------------------------------------------
# Every function of two bits, by its outputs on (0, 0), (0, 1), (1, 0), (1, 1).
def _two_bit_functions() -> dict[tuple[int, ...], str]:
    return {
        (0, 0, 0, 0): _("the constant 0"), (0, 0, 0, 1): "AND", (0, 0, 1, 0): "x1 AND NOT x2", (0, 0, 1, 1): "x1",
        (0, 1, 0, 0): "NOT x1 AND x2", (0, 1, 0, 1): "x2", (0, 1, 1, 0): "XOR", (0, 1, 1, 1): "OR",
        (1, 0, 0, 0): "NOR", (1, 0, 0, 1): _("XNOR (the opposite of XOR)"), (1, 0, 1, 0): "NOT x2",
        (1, 0, 1, 1): "x1 OR NOT x2", (1, 1, 0, 0): "NOT x1", (1, 1, 0, 1): "NOT x1 OR x2", (1, 1, 1, 0): "NAND",
        (1, 1, 1, 1): _("the constant 1"),
    }


def _gate_name(outputs: np.ndarray) -> str:
    """The name of the function of two bits whose truth table is ``outputs`` (for (0,0), (0,1), (1,0), (1,1))."""
    return _two_bit_functions()[tuple(int(v) for v in outputs)]


def _step_network(X: np.ndarray, W1: np.ndarray, b1: np.ndarray, W2: np.ndarray,
                  b2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Hidden units (n, h) and outputs (n,) of the two-layer step network, 0/1 each."""
    hidden = (X @ W1 + b1 > 0).astype(np.int64)
    return hidden, (hidden @ W2 + b2 > 0).astype(np.int64)[:, 0]


def _network_problem(weights: Any) -> str:
    """What is wrong with a step network (W1, b1, W2, b2) meant to compute XOR ('' if nothing)."""
    if not isinstance(weights, (tuple, list)) or len(weights) != 4:
        return _("return four arrays (W1, b1, W2, b2); got {got}").format(got=describe(weights))
    try:
        W1, b1, W2, b2 = (np.asarray(a, dtype=np.float64) for a in weights)
    except Exception:  # strings, ragged lists: not numbers
        return _("W1, b1, W2 and b2 must be arrays of numbers")
    if W1.ndim != 2 or W1.shape[0] != 2:
        return _("W1 must have shape (2, hidden), one row per input, got shape {shape}").format(shape=W1.shape)
    h = W1.shape[1]
    for name, arr, shape in (("b1", b1, (h,)), ("W2", W2, (h, 1)), ("b2", b2, (1,))):
        if arr.shape != shape:
            return _("{name} must have shape {expected}, got shape {got}").format(name=name, expected=shape,
                                                                                  got=arr.shape)
    X, xor = logic_gate("XOR")
    hidden, out = _step_network(X, W1, b1, W2, b2)
    if np.array_equal(out, xor):
        return ""
    if h == 2 and np.array_equal(_step_network(X, W1.T, b1, W2, b2)[1], xor):
        return _("your network computes XOR only with W1 transposed: W1[i, j] is the weight from input i to "
                 "hidden unit j (the layout of Linear.weight), so each hidden unit's weights form a column of W1, "
                 "not a row")
    said = [_gate_name(col) for col in hidden.T]
    return _("on the inputs (0, 0), (0, 1), (1, 0), (1, 1) your network gives {got}, XOR is {xor}: it computes "
             "{gate}, not XOR; its hidden units compute: {hidden}").format(
        got=out.tolist(), xor=xor.astype(int).tolist(), gate=_gate_name(out), hidden=", ".join(said))


def check_xor_network(fn: Callable[[], Any]) -> Feedback:
    """``fn()`` must return weights (W1, b1, W2, b2) of a step network that computes XOR.

    Any weights that work are right: the check runs the network on the four inputs
    with the perceptron's step (1 for z > 0, else 0) after each layer.
    """
    cases = [Case(_("the four inputs (0, 0), (0, 1), (1, 0), (1, 1)"),
                  hint=_("Each hidden unit draws one line, so it computes one gate of x1 and x2, and the output "
                         "unit combines the two: NAND and OR, then AND of them (section 3); or OR and AND, then "
                         "'first AND NOT second'. The step gives 1 only for z > 0."))]
    return check_function("xor_network", fn, lambda: None, cases, judge=lambda got, expected: _network_problem(got))


# --- 3. A local connectivity mask ------------------------------------------------------------------
def _band(in_features: int, out_features: int, width: int) -> np.ndarray:
    """The reference mask from its definition: input i feeds output j when i − j is one of 0, ..., width − 1.

    Built as a sum of shifted identity matrices, a different route from the solution's comparisons.
    """
    mask = np.zeros((in_features, out_features), dtype=bool)
    for shift in range(width):
        mask |= np.eye(in_features, out_features, k=-shift, dtype=bool)
    return mask


def check_local_mask(fn: Callable[..., Any]) -> Feedback:
    """``fn(in_features, out_features, width)`` must return the bool mask in which output j sees inputs j .. j+width−1."""
    cases = [
        Case(_("width 1: output j sees input j only"), (4, 4, 1),
             hint=_("Output j sees exactly width inputs, j, j+1, ..., j+width−1: with width 1, input j alone.")),
        Case(_("6 inputs, 4 outputs, width 3"), (6, 4, 3),
             hint=_("mask[i, j] is True when input i feeds output j: shape (in_features, out_features), "
                    "like Linear.weight.")),
        Case(_("windows that run past the last input"), (4, 4, 2),
             hint=_("Inputs past the last one do not exist: the last outputs see fewer than width inputs.")),
    ]
    mistakes = [
        Mistake(_("each window holds width + 1 inputs (i <= j + width): output j sees j, ..., j + width − 1, "
                  "so i < j + width"), lambda a, b, w: _band(a, b, w + 1)),
        Mistake(_("you returned the mask as (out_features, in_features), PyTorch's layout: dlbook's mask[i, j] "
                  "says whether input i feeds output j, shaped like Linear.weight (in, out)"),
                lambda a, b, w: _band(a, b, w).T),
        Mistake(_("your windows run backwards (inputs j − width + 1, ..., j): output j sees j, j + 1, ..., "
                  "j + width − 1"), lambda a, b, w: _band(b, a, w).T),
        Mistake(_("each window holds width − 1 inputs: output j sees the width inputs j, ..., j + width − 1, "
                  "so the last one, j + width − 1, belongs in it"), lambda a, b, w: _band(a, b, w - 1)),
        Mistake(_("your windows are centred on input j; output j's window starts at input j: j, j + 1, ..., "
                  "j + width − 1"), lambda a, b, w: np.abs(np.arange(a)[:, None] - np.arange(b)[None, :]) <= w // 2),
        Mistake(_("your windows have no end: output j sees inputs from j up to j + width − 1 only, so add "
                  "i < j + width"), lambda a, b, w: np.arange(a)[:, None] >= np.arange(b)[None, :]),
    ]
    return check_function("local_mask", fn, _band, cases, mistakes=mistakes)


# --- 4. Counting what a masked layer learns ----------------------------------------------------------
def _reference_masked_parameters(mask: np.ndarray, bias: bool = True) -> int:
    layer = MaskedLinear(mask.shape[0], mask.shape[1], mask, bias, rng=0)
    return layer.connections + (layer.out_features if bias else 0)


def check_masked_parameters(fn: Callable[..., Any]) -> Feedback:
    """``fn(mask, bias)`` must return how many numbers a ``MaskedLinear`` with that mask learns."""
    square = _band(4, 4, 2)
    cases = [
        Case(_("a 4 → 4 band mask with bias"), (square, True),
             hint=_("A missing connection has no weight: count only the True entries of the mask, then the biases.")),
        Case(_("the same mask without bias"), (square, False),
             hint=_("With bias=False only the connections are learned.")),
        Case(_("a 6 → 4 band mask with bias"), (_band(6, 4, 3), True),
             hint=_("Every output unit (a column of the mask) has one bias: mask.shape[1] of them, not mask.shape[0].")),
        Case(_("a 3 → 5 mask in which some units see nothing"), (np.eye(3, 5, dtype=bool), True),
             hint=_("A unit without inputs still has its bias.")),
    ]
    mistakes = [
        Mistake(_("you counted every entry of the mask: a missing connection has no weight, so count only the "
                  "True entries (mask.sum())"), lambda m, bias=True: int(m.size) + (m.shape[1] if bias else 0)),
        Mistake(_("you added the biases even with bias=False"), lambda m, bias=True: int(m.sum()) + m.shape[1]),
        Mistake(_("you gave every input a bias; there is one bias per output unit, mask.shape[1]"),
                lambda m, bias=True: int(m.sum()) + (m.shape[0] if bias else 0)),
        Mistake(_("you left out the biases: with bias=True every output unit also learns one"),
                lambda m, bias=True: int(m.sum())),
    ]
    return check_function("masked_parameters", fn, _reference_masked_parameters, cases, mistakes=mistakes)
