"""Checks for chapter 02's exercises: a stable sigmoid, its derivative, ReLU's backward, collapsing two layers."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..activations import ReLU, Sigmoid, sigmoid
from ..i18n import gettext as _
from ..rng import as_rng
from .checking import Case, Feedback, Mistake, check_function

__all__ = ["check_stable_sigmoid", "check_sigmoid_derivative", "check_relu_backward", "check_collapse_linear"]

_rng = as_rng(202)


def check_stable_sigmoid(fn: Callable[..., Any]) -> Feedback:
    """``fn(x)`` must equal 1/(1+e^(-x)) elementwise and never overflow, for any float64 x."""
    cases = [
        Case(_("small values"), (np.linspace(-4, 4, 9),), hint=_("σ(0) = 0.5, σ(x) + σ(-x) = 1.")),
        Case(_("a 2-D array"), (_rng.standard_normal((3, 4)),), hint=_("Work elementwise: no sums, keep the shape.")),
        Case(_("large positive x = 800"), (np.array([10.0, 100.0, 800.0]),),
             hint=_("e^x overflows above about 709: never exponentiate a large positive number, here or in a "
                    "branch you do not use; exponentiate -|x|, which is <= 0.")),
        Case(_("large negative x = -800"), (np.array([-10.0, -100.0, -800.0]),),
             hint=_("Far left σ(x) is tiny but not 0 (σ(-100) ≈ 3.7e-44; only below about x = -745 does it round "
                    "to 0). e^(-x) overflows there, and clipping x changes those tiny values: exponentiate -|x| "
                    "instead and pick the formula by the sign of x.")),
    ]
    mistakes = [
        Mistake(_("you chose between the two formulas with np.where: np.where(condition, a, b) computes both a and "
                  "b for every element before it picks one, so the branch meant for the other sign still runs np.exp on a large positive number and overflows. "
                  "Exponentiate only -|x|, which is <= 0: e = np.exp(-np.abs(x)), then "
                  "np.where(x >= 0, 1 / (1 + e), e / (1 + e))"),
                lambda x: np.where(x >= 0, 1.0 / (1.0 + np.exp(-x)), np.exp(x) / (1.0 + np.exp(x)))),
        Mistake(_("you used 1 / (1 + e^(-x)) everywhere: for x = -800, e^(-x) = e^800 overflows. "
                  "Exponentiate only -|x| and pick the formula by the sign of x"),
                lambda x: 1.0 / (1.0 + np.exp(-x))),
        Mistake(_("you used e^x / (1 + e^x) everywhere: for x = 800, e^x overflows and inf / inf is nan. "
                  "Exponentiate only -|x| and pick the formula by the sign of x"),
                lambda x: np.exp(x) / (1.0 + np.exp(x))),
        Mistake(_("you used 0.5 (1 + tanh(x/2)): it never overflows, but far left tanh(x/2) rounds to -1, so "
                  "1 + tanh(x/2) becomes 0 and the tiny σ(x) is lost (σ(-100) ≈ 3.7e-44, not 0). "
                  "Exponentiate only -|x| and pick the formula by the sign of x"),
                lambda x: 0.5 * (1.0 + np.tanh(0.5 * x))),
    ]
    return check_function("stable_sigmoid", fn, sigmoid, cases, mistakes=mistakes, overflow_is_error=True, rtol=1e-9,
                          atol=1e-300)


def check_sigmoid_derivative(fn: Callable[..., Any]) -> Feedback:
    """``fn(x)`` must return σ'(x) = σ(x)(1 − σ(x))."""
    cases = [
        Case(_("at 0 the slope is 1/4"), (np.array([0.0]),),
             hint=_("σ'(x) = σ(x)·(1 − σ(x)); at 0 that is 0.5 · 0.5.")),
        Case(_("both tails"), (np.array([-6.0, -2.0, 2.0, 6.0]),),
             hint=_("The derivative is symmetric: σ'(-x) = σ'(x), and tiny far from 0.")),
    ]
    mistakes = [
        Mistake(_("you returned σ(x) itself; its derivative is σ(x)·(1 − σ(x))"), sigmoid),
        Mistake(_("you returned 1 − σ(x); the derivative is σ(x)·(1 − σ(x))"), lambda x: 1.0 - sigmoid(x)),
        Mistake(_("you applied y·(1 − y) to x itself; y must be σ(x): σ'(x) = σ(x)·(1 − σ(x))"),
                lambda x: x * (1.0 - x)),
        Mistake(_("you used tanh's derivative 1 − tanh²(x); the sigmoid's is σ(x)·(1 − σ(x)), at most 1/4"),
                lambda x: 1.0 - np.tanh(x) ** 2),
        Mistake(_("you wrote 1 − σ(x)², the pattern of tanh's derivative (1 − tanh²); the sigmoid's is "
                  "σ(x)·(1 − σ(x))"), lambda x: 1.0 - sigmoid(x) ** 2),
    ]
    return check_function("sigmoid_derivative", fn, lambda x: Sigmoid().derivative(x), cases, mistakes=mistakes)


def check_relu_backward(fn: Callable[..., Any]) -> Feedback:
    """``fn(x, dy)`` must return dL/dx for y = ReLU(x) given dL/dy."""
    def reference(x, dy):
        m = ReLU()
        m(x)
        return m.backward(dy)

    x = np.array([[-2.0, -0.5, 0.5, 3.0]])
    cases = [
        Case(_("dy of ones"), (x, np.ones_like(x)), hint=_("Where x > 0 the gradient passes; elsewhere it is 0.")),
        Case(_("dy with other values"), (x, np.array([[5.0, -1.0, 2.0, -3.0]])),
             hint=_("Backward multiplies the incoming gradient dy by ReLU'(x); it is not ReLU'(x) alone.")),
        Case(_("inputs exactly 0"), (np.array([0.0, 0.0, 1.0]), np.array([1.0, 1.0, 1.0])),
             hint=_("ReLU has no slope at exactly 0; use 0 there (x > 0, not x >= 0), as PyTorch does.")),
    ]
    mistakes = [
        Mistake(_("you returned ReLU'(x) alone; backward multiplies the incoming gradient dy by it: dy * (x > 0)"),
                lambda x, dy: (x > 0).astype(np.float64)),
        Mistake(_("you let the gradient through at x = 0 (x >= 0): ReLU has no slope at exactly 0, and dlbook, "
                  "like PyTorch, uses 0 there (x > 0)"), lambda x, dy: dy * (x >= 0)),
        Mistake(_("you applied ReLU to dy: which entries pass depends on the sign of x, not of dy"),
                lambda x, dy: np.maximum(dy, 0.0)),
        Mistake(_("you multiplied dy by ReLU(x); the slope of ReLU is 1 where x > 0 and 0 elsewhere: dy * (x > 0)"),
                lambda x, dy: dy * np.maximum(x, 0.0)),
    ]
    return check_function("relu_backward", fn, reference, cases, mistakes=mistakes)


def check_collapse_linear(fn: Callable[..., Any]) -> Feedback:
    """``fn(W1, b1, W2, b2)`` must return (W, b) with x@W + b equal to (x@W1 + b1)@W2 + b2."""
    def reference(W1, b1, W2, b2):
        return W1 @ W2, b1 @ W2 + b2

    cases = [
        Case("4 -> 5 -> 3", (_rng.standard_normal((4, 5)), _rng.standard_normal(5), _rng.standard_normal((5, 3)),
                             _rng.standard_normal(3)),
             hint=_("Expand (xW1 + b1)W2 + b2 = x(W1 W2) + (b1 W2 + b2): the first bias also passes through W2.")),
        Case(_("zero second bias"), (_rng.standard_normal((2, 2)), _rng.standard_normal(2), _rng.standard_normal((2, 2)),
                                  np.zeros(2)),
             hint=_("x @ W + b must equal (x @ W1 + b1) @ W2 + b2 for every x: expand the right-hand side.")),
    ]
    mistakes = [
        Mistake(_("you multiplied W2 @ W1: x meets W1 first, so x W1 W2 needs W = W1 @ W2 (shape (in, out))"),
                lambda W1, b1, W2, b2: (W2 @ W1, b1 @ W2 + b2)),
        Mistake(_("you added the two biases: the first bias also passes through W2, so b = b1 W2 + b2"),
                lambda W1, b1, W2, b2: (W1 @ W2, b1 + b2)),
        Mistake(_("you kept only the second bias: the first one also passes through W2, so b = b1 W2 + b2"),
                lambda W1, b1, W2, b2: (W1 @ W2, b2)),
        Mistake(_("you left out b2: b = b1 W2 + b2"), lambda W1, b1, W2, b2: (W1 @ W2, b1 @ W2)),
        Mistake(_("you returned the transpose W2ᵀ W1ᵀ = (W1 W2)ᵀ: with x @ W the weight has shape (in, out), "
                  "so W = W1 @ W2"), lambda W1, b1, W2, b2: (W2.T @ W1.T, b1 @ W2 + b2)),
    ]
    return check_function("collapse_linear", fn, reference, cases, mistakes=mistakes, parts=("W", "b"))
