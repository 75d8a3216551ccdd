"""Losses: a number that says how wrong the predictions are, and its gradient."""
from __future__ import annotations

from typing import Any

import numpy as np

from ._checks import as_float_array, check_same_shape

__all__ = ["Loss", "MSELoss"]


class Loss:
    """Base class: ``loss = crit(predictions, targets)`` is a float; ``crit.backward()``
    returns d loss / d predictions, with the predictions' shape and dtype."""

    def __init__(self) -> None:
        self.cache: Any = None

    def __call__(self, input: np.ndarray, target: np.ndarray) -> float:
        return self.forward(input, target)

    def forward(self, input: np.ndarray, target: np.ndarray) -> float:
        raise NotImplementedError

    def backward(self) -> np.ndarray:
        raise NotImplementedError

    def saved(self) -> Any:
        if self.cache is None:
            raise RuntimeError(f"{type(self).__name__}.backward was called before the loss was computed")
        return self.cache

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class MSELoss(Loss):
    """Mean squared error, mean((input − target)²) over every element.

    Shapes: input and target of the same shape; the gradient is 2(input − target)/size.
    """

    def forward(self, input: np.ndarray, target: np.ndarray) -> float:
        input = as_float_array(input, "input")
        target = as_float_array(target, "target", dtype=input.dtype)
        check_same_shape(input, target, ("input", "target"))
        if input.size == 0:
            raise ValueError("MSELoss needs at least one element, got an empty input")
        diff = input - target
        self.cache = diff
        return float(np.mean(diff * diff))

    def backward(self) -> np.ndarray:
        diff = self.saved()
        return (2.0 / diff.size) * diff
