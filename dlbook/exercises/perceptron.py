"""Checks for chapter 03's exercises: Rosenblatt's update, XOR by hand, a local mask, counting masked weights."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..perceptron import LOGIC_GATES, MaskedLinear, Perceptron, logic_gate
from ..solutions.perceptron import local_mask
from .checking import Case, Feedback, check_function

__all__ = ["check_perceptron_update", "check_xor_network", "check_local_mask", "check_masked_parameters"]


def _not_a_function(name: str, fn: Any) -> Feedback | None:
    return None if callable(fn) else Feedback(name, False, f"expected a function, got {type(fn).__name__}")


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
        case("a right prediction changes nothing", [1.0, 1.0], -1.5, [1.0, 1.0], 1, 1.0,
             "When the prediction is right, y − ŷ = 0 and w and b stay as they are."),
        case("a missed 1 (y = 1, prediction 0)", [0.5, -1.0], 0.0, [1.0, 1.0], 1, 1.0,
             "y − ŷ = +1: add lr·x to w, and add lr to the bias too (the bias is a weight whose input is always 1)."),
        case("a false 1 (y = 0, prediction 1)", [1.0, 1.0], 0.0, [1.0, 0.0], 0, 1.0,
             "y − ŷ = −1: subtract lr·x from w and lr from b, moving the line away from x; check the sign."),
        case("z exactly 0 predicts 0", [0.0, 0.0], 0.0, [1.0, 1.0], 1, 1.0,
             "The step gives 1 only for z > 0: at z = 0 the prediction is 0 (z > 0, not z >= 0)."),
        case("learning rate 0.5", [0.0, 1.0], -2.0, [1.0, 1.0], 1, 0.5,
             "Scale the whole change by lr: w + lr·(y − ŷ)·x and b + lr·(y − ŷ)."),
        case("three inputs", [0.2, -0.4, 0.1], 0.3, [1.0, 2.0, -1.0], 1, 1.0,
             "z = x·w + b sums over every input, however many there are."),
    ]
    return check_function("perceptron_update", fn, _reference_update, cases)


# --- 2. XOR from NAND, OR and AND ------------------------------------------------------------
def _gate_name(outputs: np.ndarray) -> str | None:
    """The logic gate whose truth table equals ``outputs`` (for (0,0), (0,1), (1,0), (1,1)), if any."""
    for gate in LOGIC_GATES + ("NOR",):
        table = 1 - logic_gate("OR")[1] if gate == "NOR" else logic_gate(gate)[1]
        if np.array_equal(outputs, table):
            return gate
    return None


def _step_network(weights: Any) -> tuple[np.ndarray, np.ndarray]:
    """Hidden and output values of a step network (W1, b1, W2, b2) on the four XOR inputs."""
    if not isinstance(weights, (tuple, list)) or len(weights) != 4:
        raise ValueError("return four arrays (W1, b1, W2, b2)")
    W1, b1, W2, b2 = (np.asarray(a, dtype=np.float64) for a in weights)
    if W1.ndim != 2 or W1.shape[0] != 2:
        raise ValueError(f"W1 must have shape (2, hidden), one row per input, got {W1.shape}")
    h = W1.shape[1]
    for name, arr, shape in (("b1", b1, (h,)), ("W2", W2, (h, 1)), ("b2", b2, (1,))):
        if arr.shape != shape:
            raise ValueError(f"{name} must have shape {shape}, got {arr.shape}")
    X, _ = logic_gate("XOR")
    hidden = (X @ W1 + b1 > 0).astype(np.float64)
    return hidden, (hidden @ W2 + b2 > 0).astype(np.int64)[:, 0]


def check_xor_network(fn: Callable[[], Any]) -> Feedback:
    """``fn()`` must return weights (W1, b1, W2, b2) of a step network that computes XOR.

    Any weights that work are right: the check runs the network on the four inputs
    with the perceptron's step (1 for z > 0, else 0) after each layer.
    """
    name = "xor_network"
    bad = _not_a_function(name, fn)
    if bad:
        return bad
    _, xor = logic_gate("XOR")
    cases = [Case("the four inputs (0, 0), (0, 1), (1, 0), (1, 1)",
                  hint="Hidden unit 1 computes NAND and hidden unit 2 OR (each a line of its own); the output "
                       "unit computes AND of the two. The step gives 1 only for z > 0.")]
    feedback = check_function(name, lambda: _step_network(fn())[1], lambda: xor, cases)
    if feedback.passed is False:
        try:
            hidden, out = _step_network(fn())
        except Exception:  # already explained by check_function
            return feedback
        said = [_gate_name(col) or "no gate" for col in hidden.T.astype(np.int64)]
        gate = _gate_name(out)
        feedback.message += (f"\nYour network computes {gate or 'no logic gate'}, not XOR; "
                             f"its hidden units compute: {', '.join(said)}.")
    return feedback


# --- 3. A local connectivity mask ------------------------------------------------------------------
def _require_bool(mask: Any) -> np.ndarray:
    mask = np.asarray(mask)
    if mask.dtype != bool:
        raise TypeError(f"return a boolean array (True = connected), got dtype {mask.dtype}: "
                        "MaskedLinear accepts only bool masks; a comparison such as i >= j gives one")
    return mask


def check_local_mask(fn: Callable[..., Any]) -> Feedback:
    """``fn(in_features, out_features, width)`` must return the bool mask in which output j sees inputs j .. j+width−1."""
    bad = _not_a_function("local_mask", fn)
    if bad:
        return bad
    cases = [
        Case("width 1: output j sees input j only", (4, 4, 1),
             hint="Output j sees the width inputs j, j+1, ..., j+width−1: that is width inputs, not width+1."),
        Case("6 inputs, 4 outputs, width 3", (6, 4, 3),
             hint="mask[i, j] is True when input i feeds output j: shape (in_features, out_features), "
                  "like Linear.weight."),
        Case("windows that run past the last input", (4, 4, 2),
             hint="Inputs past the last one do not exist: the last outputs see fewer than width inputs."),
    ]
    return check_function("local_mask", lambda *a: _require_bool(fn(*a)), local_mask, cases)


# --- 4. Counting what a masked layer learns ----------------------------------------------------------
def _reference_masked_parameters(mask: np.ndarray, bias: bool = True) -> int:
    layer = MaskedLinear(mask.shape[0], mask.shape[1], mask, bias, rng=0)
    return layer.connections + (layer.out_features if bias else 0)


def check_masked_parameters(fn: Callable[..., Any]) -> Feedback:
    """``fn(mask, bias)`` must return how many numbers a ``MaskedLinear`` with that mask learns."""
    square = local_mask(4, 4, 2)
    cases = [
        Case("a 4 → 4 band mask with bias", (square, True),
             hint="A missing connection has no weight: count only the True entries of the mask, then the biases."),
        Case("the same mask without bias", (square, False),
             hint="With bias=False only the connections are learned."),
        Case("a 6 → 4 band mask with bias", (local_mask(6, 4, 3), True),
             hint="Every output unit (a column of the mask) has one bias: mask.shape[1] of them, not mask.shape[0]."),
        Case("a 3 → 5 mask in which some units see nothing", (np.eye(3, 5, dtype=bool), True),
             hint="A unit without inputs still has its bias."),
    ]
    return check_function("masked_parameters", fn, _reference_masked_parameters, cases)
