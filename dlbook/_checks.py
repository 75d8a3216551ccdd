"""Argument checks shared by every module, so that bad input fails early and says why.

Each helper raises ``TypeError`` for a wrong kind of value and ``ValueError`` for a
right kind with a wrong shape or range, naming what was expected and what came.
"""
from __future__ import annotations

from typing import Any

import numpy as np


def as_float_array(x: Any, name: str = "x", *, dtype: np.dtype | None = None) -> np.ndarray:
    """Return ``x`` as a floating-point ndarray, cast to ``dtype`` when one is given.

    Integer, boolean, complex and object arrays are refused: a layer that silently
    computed in int64 would hide a bug in the caller's data pipeline.
    """
    arr = np.asarray(x)
    # dtype.kind, not np.issubdtype: the same test at a tenth of the cost; every layer calls it.
    if arr.dtype.kind != "f":
        raise TypeError(f"{name} must be a floating-point array, got dtype {arr.dtype}")
    if dtype is not None and arr.dtype != dtype:
        arr = arr.astype(dtype)
    return arr


def as_int_array(x: Any, name: str = "targets") -> np.ndarray:
    """Return ``x`` as an integer ndarray (class indices); refuse floats and booleans."""
    arr = np.asarray(x)
    if arr.dtype.kind not in "iu":  # signed or unsigned integers; bool is kind "b"
        raise TypeError(f"{name} must be an integer array of class indices, got dtype {arr.dtype}")
    return arr


def check_last_dim(x: np.ndarray, size: int, name: str = "x", what: str = "features") -> None:
    """Require at least one axis and a last axis of length ``size``."""
    if x.ndim == 0 or x.shape[-1] != size:
        raise ValueError(f"{name} must have shape (..., {size}) ({size} {what}), got shape {x.shape}")


def check_same_shape(a: np.ndarray, b: np.ndarray, names: tuple[str, str]) -> None:
    """Require two arrays to have equal shapes."""
    if a.shape != b.shape:
        raise ValueError(f"{names[0]} and {names[1]} must have the same shape, got {a.shape} and {b.shape}")


def check_positive_int(value: Any, name: str) -> int:
    """Require a positive ``int`` (``bool`` is not accepted)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be a positive int, got {type(value).__name__}")
    if value <= 0:
        raise ValueError(f"{name} must be a positive int, got {value}")
    return int(value)


def check_nonnegative_float(value: Any, name: str) -> float:
    """Require a real number >= 0."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")
    if not np.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value}")
    return float(value)


def check_choice(value: Any, name: str, choices: tuple[Any, ...]) -> Any:
    """Require ``value`` to be one of ``choices``."""
    if value not in choices:
        raise ValueError(f"{name} must be one of {choices}, got {value!r}")
    return value


def check_axis(axis: Any, ndim: int, name: str = "axis") -> int:
    """Require an int axis valid for an array of ``ndim`` dimensions; return it normalised."""
    if isinstance(axis, (bool, np.bool_)) or not isinstance(axis, (int, np.integer)):
        raise TypeError(f"{name} must be an int, got {type(axis).__name__}")
    if not -ndim <= axis < ndim:
        raise ValueError(f"{name} must be in [{-ndim}, {ndim - 1}] for an array with {ndim} dimensions, got {axis}")
    return int(axis) % ndim
