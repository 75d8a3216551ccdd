"""A small made-up animals data set for chapter 01: dog (개), cat (고양이), chicken (닭).

Each animal is described by 4 measurements, so a softmax regression has 4 inputs
and 3 outputs, o = xW + b with W of shape (4, 3), as in the course's first example.
The numbers are invented but plausible: small dogs overlap with cats, so the
classes are not perfectly separable and a model cannot reach 100 % by one rule.
"""
from __future__ import annotations

import numpy as np

from ..rng import as_rng

__all__ = ["make_animals", "ANIMAL_CLASSES", "ANIMAL_CLASSES_KO", "ANIMAL_FEATURES"]

ANIMAL_CLASSES: tuple[str, ...] = ("dog", "cat", "chicken")
ANIMAL_CLASSES_KO: tuple[str, ...] = ("강아지", "고양이", "닭")
ANIMAL_FEATURES: tuple[str, ...] = ("weight (kg)", "height (cm)", "legs", "snout (cm)")

# Per class: log-normal weight (median kg, spread), normal height (mean, sd),
# legs (value, probability that the count is miscounted as 3), normal snout/beak length.
_SPEC = {
    "dog": dict(weight=(12.0, 0.6), height=(45.0, 14.0), snout=(7.0, 2.6)),
    "cat": dict(weight=(4.2, 0.25), height=(25.0, 3.0), snout=(2.4, 0.6)),
    "chicken": dict(weight=(2.2, 0.25), height=(38.0, 6.0), snout=(2.8, 0.5)),
}
_LEGS = {"dog": 4.0, "cat": 4.0, "chicken": 2.0}


def make_animals(n: int = 300, *, rng: np.random.Generator | int = 0,
                 dtype: type | np.dtype = np.float32) -> tuple[np.ndarray, np.ndarray]:
    """Draw ``n`` animals, about a third of each kind, in random order.

    Parameters
    ----------
    n : int
        Number of animals.
    rng : Generator or int
        Source of randomness (NumPy's global state is never used).
    dtype : floating dtype of X.

    Returns
    -------
    X : np.ndarray, shape (n, 4)
        Columns as in ``ANIMAL_FEATURES``: weight in kg, height at the shoulder (or
        head, for a chicken) in cm, number of legs (a few miscounted), snout or beak length in cm.
    y : np.ndarray of int64, shape (n,)
        0 = dog, 1 = cat, 2 = chicken (``ANIMAL_CLASSES``).
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 3:
        raise ValueError(f"n must be an int >= 3, got {n!r}")
    gen = as_rng(rng)
    y = gen.permutation(np.arange(n) % 3)
    X = np.empty((n, 4))
    for k, name in enumerate(ANIMAL_CLASSES):
        idx = np.flatnonzero(y == k)
        s = _SPEC[name]
        m = idx.size
        X[idx, 0] = s["weight"][0] * np.exp(s["weight"][1] * gen.standard_normal(m))
        X[idx, 1] = np.maximum(gen.normal(*s["height"], m), 12.0)
        # Legs: an observer miscounts (a leg tucked under) about 5 % of the time.
        X[idx, 2] = _LEGS[name] - (gen.random(m) < 0.05)
        X[idx, 3] = np.maximum(gen.normal(*s["snout"], m), 0.5)
    return X.astype(dtype), y.astype(np.int64)
