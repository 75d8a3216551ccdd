"""A small made-up animals data set for chapter 01: dog (강아지), cat (고양이), chicken (닭).

Each animal is described by 4 measurements, so a softmax regression has 4 inputs
and 3 outputs, o = xW + b with W of shape (4, 3), as in the course's first example.

The numbers are invented but follow how real animals are built. Body weight is drawn
first; height and snout (or beak) length then grow with it as a power of the weight
(allometry: a body twice as heavy is not twice as tall, because weight grows with volume,
roughly the cube of length), with each kind's own constants and a few percent of
individual scatter:

- dogs span a wide range of weight (1.5 to 90 kg, most between 3 and 50); height and muzzle
  grow with it, and a quarter of them are short-faced breeds with about half the muzzle;
- cats are all about the same size (3 to 6 kg), with short faces;
- chickens are light (1 to 4 kg) but tall for their weight (two legs, a long neck), with a
  short beak.

So the classes are separable for real reasons (two legs and a tall, light body; a longer
muzzle than a cat's at the same weight, or a weight no cat reaches), yet the smallest dogs
and the short-faced ones resemble cats, and no single rule is perfect.
"""
from __future__ import annotations

import numpy as np

from ..rng import as_rng

__all__ = ["make_animals", "ANIMAL_CLASSES", "ANIMAL_CLASSES_KO", "ANIMAL_FEATURES"]

ANIMAL_CLASSES: tuple[str, ...] = ("dog", "cat", "chicken")
ANIMAL_CLASSES_KO: tuple[str, ...] = ("강아지", "고양이", "닭")
ANIMAL_FEATURES: tuple[str, ...] = ("weight (kg)", "height (cm)", "legs", "snout (cm)")

# Per class. weight: log-normal (median kg, sd of log). height and snout: c * weight ** b
# (c in cm at 1 kg, exponent b), times log-normal scatter (sd of log). A quarter of the dogs are
# short-faced breeds whose muzzle is `short_faced` times as long as a typical dog's.
_SPEC = {
    "dog": dict(weight=(12.0, 0.7), height=(14.0, 0.40, 0.08), snout=(2.6, 0.40, 0.12)),
    "cat": dict(weight=(4.2, 0.18), height=(16.0, 0.33, 0.06), snout=(1.5, 0.33, 0.12)),
    "chicken": dict(weight=(2.2, 0.25), height=(31.0, 0.33, 0.07), snout=(2.3, 0.33, 0.10)),
}
_WEIGHT_RANGE = {"dog": (1.5, 90.0), "cat": (2.5, 8.0), "chicken": (1.0, 4.5)}
_LEGS = {"dog": 4.0, "cat": 4.0, "chicken": 2.0}
_SHORT_FACED_DOGS = 0.25
_SHORT_FACED = 0.6


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
        Columns as in ``ANIMAL_FEATURES``: weight in kg; height at the shoulder (at the
        head, for a chicken) in cm; number of legs an observer counted (about 5 % are
        miscounted by one, a leg tucked under); snout or beak length in cm. Height and
        snout grow with weight as powers of it, with each kind's own constants.
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
        s, m = _SPEC[name], idx.size
        low, high = _WEIGHT_RANGE[name]
        weight = np.full(m, np.nan)
        while np.isnan(weight).any():  # draw again any weight outside the kind's real range
            redo = np.flatnonzero(np.isnan(weight))
            draw = s["weight"][0] * np.exp(s["weight"][1] * gen.standard_normal(redo.size))
            weight[redo] = np.where((draw >= low) & (draw <= high), draw, np.nan)
        c, b, spread = s["height"]
        height = c * weight ** b * np.exp(spread * gen.standard_normal(m))
        c, b, spread = s["snout"]
        snout = c * weight ** b * np.exp(spread * gen.standard_normal(m))
        if name == "dog":  # short-faced breeds (pugs, bulldogs): the muzzle is about half as long
            snout = np.where(gen.random(m) < _SHORT_FACED_DOGS, _SHORT_FACED * snout, snout)
        X[idx, 0], X[idx, 1], X[idx, 3] = weight, height, snout
        X[idx, 2] = _LEGS[name] - (gen.random(m) < 0.05)
    return X.astype(dtype), y.astype(np.int64)
