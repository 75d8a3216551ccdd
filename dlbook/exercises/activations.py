"""Checks for chapter 02's exercises: a stable sigmoid, its derivative, ReLU's backward, collapsing two layers."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..activations import ReLU, Sigmoid, sigmoid
from .checking import Case, Feedback, check_function

__all__ = ["check_stable_sigmoid", "check_sigmoid_derivative", "check_relu_backward", "check_collapse_linear"]

_rng = np.random.default_rng(202)


def check_stable_sigmoid(fn: Callable[..., Any]) -> Feedback:
    """``fn(x)`` must equal 1/(1+e^(-x)) elementwise and never overflow, for any float64 x."""
    cases = [
        Case("small values", (np.linspace(-4, 4, 9),), hint="σ(0) = 0.5, σ(x) + σ(-x) = 1."),
        Case("a 2-D array", (_rng.standard_normal((3, 4)),), hint="Work elementwise: no sums, keep the shape."),
        Case("large positive x = 800", (np.array([10.0, 100.0, 800.0]),),
             hint="e^x overflows above about 709: the form e^x / (1 + e^x) breaks for large x."),
        Case("large negative x = -800", (np.array([-10.0, -100.0, -800.0]),),
             hint="e^(-x) overflows for x below about -709: exponentiate -|x| instead and pick the formula by the sign of x."),
    ]
    return check_function("stable_sigmoid", fn, sigmoid, cases, overflow_is_error=True, rtol=1e-9, atol=1e-300)


def check_sigmoid_derivative(fn: Callable[..., Any]) -> Feedback:
    """``fn(x)`` must return σ'(x) = σ(x)(1 − σ(x))."""
    cases = [
        Case("at 0 the slope is 1/4", (np.array([0.0]),),
             hint="σ'(x) = σ(x)·(1 − σ(x)); at 0 that is 0.5 · 0.5."),
        Case("both tails", (np.array([-6.0, -2.0, 2.0, 6.0]),),
             hint="The derivative is symmetric: σ'(-x) = σ'(x), and tiny far from 0."),
    ]
    return check_function("sigmoid_derivative", fn, lambda x: Sigmoid().derivative(x), cases)


def check_relu_backward(fn: Callable[..., Any]) -> Feedback:
    """``fn(x, dy)`` must return dL/dx for y = ReLU(x) given dL/dy."""
    def reference(x, dy):
        m = ReLU()
        m(x)
        return m.backward(dy)

    x = np.array([[-2.0, -0.5, 0.5, 3.0]])
    cases = [
        Case("dy of ones", (x, np.ones_like(x)), hint="Where x > 0 the gradient passes; elsewhere it is 0."),
        Case("dy with other values", (x, np.array([[5.0, -1.0, 2.0, -3.0]])),
             hint="Backward multiplies the incoming gradient dy by ReLU'(x); it is not ReLU'(x) alone."),
        Case("inputs exactly 0", (np.array([0.0, 0.0, 1.0]), np.array([1.0, 1.0, 1.0])),
             hint="ReLU has no slope at exactly 0; use 0 there (x > 0, not x >= 0), as PyTorch does."),
    ]
    return check_function("relu_backward", fn, reference, cases)


def check_collapse_linear(fn: Callable[..., Any]) -> Feedback:
    """``fn(W1, b1, W2, b2)`` must return (W, b) with x@W + b equal to (x@W1 + b1)@W2 + b2."""
    def reference(W1, b1, W2, b2):
        return W1 @ W2, b1 @ W2 + b2

    cases = [
        Case("4 -> 5 -> 3", (_rng.standard_normal((4, 5)), _rng.standard_normal(5), _rng.standard_normal((5, 3)),
                             _rng.standard_normal(3)),
             hint="Expand (xW1 + b1)W2 + b2 = x(W1 W2) + (b1 W2 + b2): the first bias also passes through W2."),
        Case("zero second bias", (_rng.standard_normal((2, 2)), _rng.standard_normal(2), _rng.standard_normal((2, 2)),
                                  np.zeros(2)),
             hint="W1 @ W2, not W2 @ W1: x meets W1 first."),
    ]
    return check_function("collapse_linear", fn, reference, cases)
