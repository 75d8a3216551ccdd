"""Small two-dimensional classification sets drawn in code (NumPy only).

Two input features make a classifier's decision boundary visible in a plane.
- ``make_xor``: four noisy clusters at the corners of the unit square, labelled
  like the XOR truth table; no single straight line separates the classes.
- ``make_moons``: two interleaving half circles.
- ``make_spirals``: two or more arms winding around the origin, the hardest of
  the three for a small network.

Every function takes ``rng`` (a ``numpy.random.Generator`` or an int seed) and
never touches NumPy's global random state. Classes are balanced (to within one
sample) and the samples come in random order.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from ..rng import as_rng

__all__ = ["make_xor", "make_moons", "make_spirals"]


def _check_args(n: Any, noise: Any, min_n: int) -> tuple[int, float]:
    """Validate the sample count and the noise level shared by every generator."""
    if isinstance(n, (bool, np.bool_)) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"n must be an int, got {type(n).__name__}")
    if n < min_n:
        raise ValueError(f"n must be at least {min_n} (one sample per class), got {n}")
    if isinstance(noise, (bool, np.bool_)) or not isinstance(noise, (int, float, np.integer, np.floating)):
        raise TypeError(f"noise must be a number, got {type(noise).__name__}")
    if not np.isfinite(noise) or noise < 0:
        raise ValueError(f"noise must be a finite number >= 0, got {noise}")
    return int(n), float(noise)


def _check_dtype(dtype: Any) -> np.dtype:
    dt = np.dtype(dtype)
    if not np.issubdtype(dt, np.floating):
        raise TypeError(f"dtype must be a floating-point dtype, got {dt}")
    return dt


def _balanced_labels(n: int, n_classes: int, gen: np.random.Generator) -> np.ndarray:
    """n labels, each class n // n_classes or one more times, in random order."""
    return gen.permutation(np.arange(n) % n_classes).astype(np.int64)


def make_xor(n: int = 200, noise: float = 0.15, *, rng: np.random.Generator | int | None = 0,
             dtype: Any = np.float32) -> tuple[np.ndarray, np.ndarray]:
    """Noisy copies of the four XOR inputs, labelled with x1 XOR x2.

    Parameters
    ----------
    n : int
        Number of points (about n/4 around each corner).
    noise : float
        Standard deviation of the Gaussian noise added to each corner.
    rng : Generator or int
    dtype : floating dtype of X

    Returns
    -------
    X : np.ndarray, shape (n, 2)
        Points around (0, 0), (0, 1), (1, 0) and (1, 1).
    y : np.ndarray of int64, shape (n,)
        1 around (0, 1) and (1, 0), 0 around (0, 0) and (1, 1).
    """
    n, noise = _check_args(n, noise, 4)
    dt = _check_dtype(dtype)
    gen = as_rng(rng)
    corner = _balanced_labels(n, 4, gen)  # 0..3, the bits of the corner
    bits = np.stack([corner // 2, corner % 2], axis=1)
    X = bits + noise * gen.standard_normal((n, 2))
    y = (bits[:, 0] ^ bits[:, 1]).astype(np.int64)
    return X.astype(dt), y


def make_moons(n: int = 200, noise: float = 0.1, *, rng: np.random.Generator | int | None = 0,
               dtype: Any = np.float32) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaving half circles of radius 1.

    Class 0 lies on the upper half circle around (0, 0), class 1 on the lower half
    circle around (1, 0.5); the angle along each arc is drawn uniformly.

    Parameters
    ----------
    n : int
        Number of points (half per moon).
    noise : float
        Standard deviation of the Gaussian noise added to each point.
    rng : Generator or int
    dtype : floating dtype of X

    Returns
    -------
    X : np.ndarray, shape (n, 2)
    y : np.ndarray of int64, shape (n,)
    """
    n, noise = _check_args(n, noise, 2)
    dt = _check_dtype(dtype)
    gen = as_rng(rng)
    y = _balanced_labels(n, 2, gen)
    t = gen.uniform(0.0, np.pi, n)
    upper = np.stack([np.cos(t), np.sin(t)], axis=1)
    lower = np.stack([1.0 - np.cos(t), 0.5 - np.sin(t)], axis=1)
    X = np.where(y[:, None] == 0, upper, lower) + noise * gen.standard_normal((n, 2))
    return X.astype(dt), y


def make_spirals(n: int = 300, n_classes: int = 2, noise: float = 0.2, turns: float = 1.0,
                 *, rng: np.random.Generator | int | None = 0, dtype: Any = np.float32) -> tuple[np.ndarray, np.ndarray]:
    """Arms of a spiral winding out from the origin, one arm per class.

    A point of class k at position r ∈ [0, 1] along its arm sits at radius r and
    angle 2π·(turns·r + k / n_classes), plus Gaussian noise on the angle.

    Parameters
    ----------
    n : int
        Number of points.
    n_classes : int
        Number of arms (at least 2).
    noise : float
        Standard deviation of the noise on the angle, in radians.
    turns : float
        How many full turns each arm makes (> 0).
    rng : Generator or int
    dtype : floating dtype of X

    Returns
    -------
    X : np.ndarray, shape (n, 2), inside the unit disc (up to the noise)
    y : np.ndarray of int64, shape (n,), values 0 .. n_classes − 1
    """
    if isinstance(n_classes, (bool, np.bool_)) or not isinstance(n_classes, (int, np.integer)):
        raise TypeError(f"n_classes must be an int, got {type(n_classes).__name__}")
    if n_classes < 2:
        raise ValueError(f"n_classes must be at least 2, got {n_classes}")
    n, noise = _check_args(n, noise, int(n_classes))
    if isinstance(turns, (bool, np.bool_)) or not isinstance(turns, (int, float, np.integer, np.floating)) \
            or not np.isfinite(turns) or turns <= 0:
        raise ValueError(f"turns must be a finite number > 0, got {turns!r}")
    dt = _check_dtype(dtype)
    gen = as_rng(rng)
    y = _balanced_labels(n, int(n_classes), gen)
    r = gen.uniform(0.05, 1.0, n)  # start a little away from the centre, where the arms meet
    angle = 2 * np.pi * (turns * r + y / n_classes) + noise * gen.standard_normal(n)
    X = r[:, None] * np.stack([np.cos(angle), np.sin(angle)], axis=1)
    return X.astype(dt), y
