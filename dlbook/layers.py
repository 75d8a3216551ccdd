"""Fully connected (linear) layers."""
from __future__ import annotations

import numpy as np

from ._checks import as_float_array, check_last_dim, check_positive_int
from .module import Module, Parameter
from .rng import as_rng


class Linear(Module):
    """``y = x @ weight + bias``: every input unit connected to every output unit.

    Parameters
    ----------
    in_features, out_features : int
        Sizes of the last axis of the input and of the output.
    bias : bool
        Whether to add a learned bias.
    rng : numpy.random.Generator or int, optional
        Source of the initial weights (uniform in ±1/sqrt(in_features), as PyTorch).
    dtype : numpy dtype
        Floating dtype of the parameters and of the computation (float32 by default).

    Attributes
    ----------
    weight : Parameter, shape (in_features, out_features)
        ``weight.data[i, j]`` is the weight from input unit i to output unit j, the w_ij
        of the course text. PyTorch stores the transpose, (out_features, in_features).
    bias : Parameter or None, shape (out_features,)

    Shapes
    ------
    x: (..., in_features) -> y: (..., out_features); any leading axes (batch, sequence).
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True, *,
                 rng: np.random.Generator | int | None = None, dtype: np.dtype | type = np.float32) -> None:
        super().__init__()
        self.in_features = check_positive_int(in_features, "in_features")
        self.out_features = check_positive_int(out_features, "out_features")
        gen = as_rng(rng)
        bound = 1.0 / np.sqrt(in_features)
        self.weight = Parameter(gen.uniform(-bound, bound, (in_features, out_features)), dtype=dtype)
        self.bias = Parameter(gen.uniform(-bound, bound, out_features), dtype=dtype) if bias else None

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = as_float_array(x, "Linear input", dtype=self.weight.dtype)
        check_last_dim(x, self.in_features, "Linear input", "input features")
        self.cache = x
        y = x @ self.weight.data
        if self.bias is not None:
            y += self.bias.data
        return y

    def backward(self, dy: np.ndarray) -> np.ndarray:
        x = self.saved()
        dy = as_float_array(dy, "dy", dtype=self.weight.dtype)
        if dy.shape != x.shape[:-1] + (self.out_features,):
            raise ValueError(f"dy must have shape {x.shape[:-1] + (self.out_features,)}, got {dy.shape}")
        # Flatten the leading axes: every row of x met every row of dy once.
        x2 = x.reshape(-1, self.in_features)
        dy2 = dy.reshape(-1, self.out_features)
        self.weight.grad += x2.T @ dy2
        if self.bias is not None:
            self.bias.grad += dy2.sum(axis=0)
        return (dy2 @ self.weight.data.T).reshape(x.shape)

    def extra_repr(self) -> str:
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"
