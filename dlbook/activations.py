"""Activation functions (활성화 함수): the nonlinear step between two linear layers.

Each one comes twice: as a plain function of an array (``dl.relu(x)``) and as a
module with a backward pass (``dl.ReLU()``). The modules' backward multiplies the
incoming gradient by the function's derivative at the input of the last forward call.
"""
from __future__ import annotations

import math

import numpy as np
from scipy.special import erf

from ._checks import as_float_array, check_choice, check_nonnegative_float
from .module import Module
from .softmax import softmax

__all__ = ["sigmoid", "tanh", "relu", "leaky_relu", "gelu",
           "Sigmoid", "Tanh", "ReLU", "LeakyReLU", "GELU", "Softmax"]

# Python floats, not NumPy float64 scalars: NumPy keeps float32 arrays float32 when they meet
# a Python float, but promotes them to float64 when they meet a np.float64.
_SQRT_2 = math.sqrt(2.0)
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_SQRT_2PI = math.sqrt(2.0 * math.pi)
_GELU_TANH_COEF = 0.044715


# --- plain functions ----------------------------------------------------------------
def sigmoid(x: np.ndarray) -> np.ndarray:
    """Logistic function 1 / (1 + e^(-x)), elementwise, without overflow for any x.

    Written with e^(-|x|), which is never larger than 1, instead of e^(-x), which
    overflows for x below about -710 in float64 (-88 in float32).
    """
    x = as_float_array(x)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def tanh(x: np.ndarray) -> np.ndarray:
    """Hyperbolic tangent, elementwise: a sigmoid stretched to (-1, 1), tanh(x) = 2 sigmoid(2x) - 1."""
    return np.tanh(as_float_array(x))


def relu(x: np.ndarray) -> np.ndarray:
    """max(0, x), elementwise."""
    x = as_float_array(x)
    return np.maximum(x, 0)


def leaky_relu(x: np.ndarray, negative_slope: float = 0.01) -> np.ndarray:
    """x for x > 0, ``negative_slope * x`` otherwise."""
    x = as_float_array(x)
    return np.where(x > 0, x, x * float(negative_slope))


def gelu(x: np.ndarray, approximate: str = "none") -> np.ndarray:
    """Gaussian error linear unit x·Φ(x), Φ the standard normal CDF.

    ``approximate="none"`` uses the error function (float64 precision);
    ``approximate="tanh"`` uses 0.5·x·(1 + tanh(√(2/π)(x + 0.044715x³))), as GPT-2 did.
    """
    x = as_float_array(x)
    check_choice(approximate, "approximate", ("none", "tanh"))
    if approximate == "tanh":
        return 0.5 * x * (1.0 + np.tanh(_SQRT_2_OVER_PI * (x + _GELU_TANH_COEF * x**3)))
    return 0.5 * x * (1.0 + erf(x / _SQRT_2))


# --- modules --------------------------------------------------------------------------
class Elementwise(Module):
    """An activation applied to each number on its own: y = f(x), and backward is dy times f'(x).

    A subclass writes ``f(x)`` and its derivative ``df(x, y)`` (given y = f(x) too, since
    σ' and tanh' are quickest from y).
    """

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = as_float_array(x, f"{type(self).__name__} input")
        y = self.f(x)
        self.cache = (x, y)
        return y

    def backward(self, dy: np.ndarray) -> np.ndarray:
        x, y = self.saved()
        dy = as_float_array(dy, "dy", dtype=x.dtype)
        if dy.shape != x.shape:
            raise ValueError(f"dy must have the input's shape {x.shape}, got {dy.shape}")
        return dy * self.df(x, y)

    def derivative(self, x: np.ndarray) -> np.ndarray:
        """f'(x) elementwise, for plots; does not touch the state backward uses."""
        x = as_float_array(x)
        return self.df(x, self.f(x))

    def f(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def df(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        raise NotImplementedError


class Sigmoid(Elementwise):
    """σ(x) = 1 / (1 + e^(-x)); σ'(x) = σ(x)(1 − σ(x)), at most 1/4."""

    def f(self, x):
        return sigmoid(x)

    def df(self, x, y):
        return y * (1.0 - y)


class Tanh(Elementwise):
    """tanh(x); tanh'(x) = 1 − tanh(x)², at most 1."""

    def f(self, x):
        return np.tanh(x)

    def df(self, x, y):
        return 1.0 - y * y


class ReLU(Elementwise):
    """max(0, x); derivative 1 for x > 0 and 0 otherwise (0 is used at x = 0, as PyTorch)."""

    def f(self, x):
        return relu(x)

    def df(self, x, y):
        return (x > 0).astype(x.dtype)


class LeakyReLU(Elementwise):
    """x for x > 0, ``negative_slope``·x otherwise: the gradient never becomes exactly 0."""

    def __init__(self, negative_slope: float = 0.01) -> None:
        super().__init__()
        self.negative_slope = check_nonnegative_float(negative_slope, "negative_slope")

    def f(self, x):
        return leaky_relu(x, self.negative_slope)

    def df(self, x, y):
        return np.where(x > 0, 1.0, self.negative_slope).astype(x.dtype)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}"


class GELU(Elementwise):
    """x·Φ(x), exactly (``approximate="none"``) or with the tanh formula (``"tanh"``)."""

    def __init__(self, approximate: str = "none") -> None:
        super().__init__()
        self.approximate = check_choice(approximate, "approximate", ("none", "tanh"))

    def f(self, x):
        return gelu(x, self.approximate)

    def df(self, x, y):
        if self.approximate == "tanh":
            inner = _SQRT_2_OVER_PI * (x + _GELU_TANH_COEF * x**3)
            t = np.tanh(inner)
            dinner = _SQRT_2_OVER_PI * (1.0 + 3.0 * _GELU_TANH_COEF * x**2)
            return 0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * dinner
        cdf = 0.5 * (1.0 + erf(x / _SQRT_2))
        pdf = np.exp(-0.5 * x * x) / _SQRT_2PI
        return cdf + x * pdf

    def extra_repr(self) -> str:
        return f"approximate={self.approximate!r}"


class Softmax(Module):
    """softmax along ``axis``: every output depends on the whole vector, not one number.

    Backward uses the Jacobian-vector product dx = s ⊙ (dy − Σ(dy ⊙ s)) along ``axis``,
    never the full Jacobian matrix.
    """

    def __init__(self, axis: int = -1) -> None:
        super().__init__()
        if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
            raise TypeError(f"axis must be an int, got {type(axis).__name__}")
        self.axis = int(axis)

    def forward(self, x: np.ndarray) -> np.ndarray:
        s = softmax(x, axis=self.axis)
        self.cache = s
        return s

    def backward(self, dy: np.ndarray) -> np.ndarray:
        s = self.saved()
        dy = as_float_array(dy, "dy")
        if dy.shape != s.shape:
            raise ValueError(f"dy must have the input's shape {s.shape}, got {dy.shape}")
        return s * (dy - np.sum(dy * s, axis=self.axis, keepdims=True))

    def extra_repr(self) -> str:
        return f"axis={self.axis}"
