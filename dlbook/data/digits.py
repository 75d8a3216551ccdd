"""The UCI handwritten digits (8x8 images, 1,797 samples), shipped with dlbook.

The data file ``digits.csv.gz`` sits beside this module and is read with
:mod:`importlib.resources`, so nothing is downloaded at run time. It is the
8x8 version of the UCI "Optical Recognition of Handwritten Digits" data set
(E. Alpaydin, C. Kaynak; CC BY 4.0), byte for byte as scikit-learn
redistributes it; see ``DIGITS_LICENSE.md`` for the attribution.

Each of the 1,797 rows of the file holds 64 pixel counts (0..16, row-major
8x8) followed by the label 0..9. :func:`load_digits` scales the counts to
[0, 1]; :func:`train_test_split` makes a reproducible, stratified split.

This module needs nothing but NumPy and the standard library.
"""
from __future__ import annotations

import gzip
import hashlib
import io
from importlib import resources
from typing import Any

import numpy as np

from ..rng import as_rng

__all__ = ["load_digits", "train_test_split", "DIGITS_SHA256"]

#: SHA-256 of the shipped ``digits.csv.gz`` (checked every time the file is parsed).
DIGITS_SHA256 = "09f66e6debdee2cd2b5ae59e0d6abbb73fc2b0e0185d2e1957e9ebb51e23aa22"

_PACKAGE = "dlbook.data"
_FILENAME = "digits.csv.gz"
_N_SAMPLES = 1797
_N_PIXELS = 64
_MAX_COUNT = 16

# Parsed file, filled on first use: (pixel counts uint8 (1797, 64), labels int64 (1797,)).
# Both arrays are read-only; callers only ever get converted copies.
_cache: tuple[np.ndarray, np.ndarray] | None = None


def _read_file() -> tuple[np.ndarray, np.ndarray]:
    """Read, verify and parse the shipped CSV; return (counts, labels)."""
    raw = (resources.files(_PACKAGE) / _FILENAME).read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != DIGITS_SHA256:
        raise RuntimeError(
            f"{_FILENAME} in {_PACKAGE} is corrupted: expected sha256 {DIGITS_SHA256}, got {digest}"
        )
    text = gzip.decompress(raw).decode("ascii")
    table = np.loadtxt(io.StringIO(text), delimiter=",", dtype=np.int64, ndmin=2)
    if table.shape != (_N_SAMPLES, _N_PIXELS + 1):
        raise RuntimeError(f"{_FILENAME} must hold a ({_N_SAMPLES}, {_N_PIXELS + 1}) table, got {table.shape}")
    counts = table[:, :_N_PIXELS].astype(np.uint8)
    labels = np.ascontiguousarray(table[:, _N_PIXELS])
    counts.flags.writeable = False
    labels.flags.writeable = False
    return counts, labels


def load_digits(*, dtype: Any = np.float32) -> tuple[np.ndarray, np.ndarray]:
    """Load the 1,797 handwritten digits as flat 8x8 images scaled to [0, 1].

    The file is parsed once per process and cached; every call returns fresh
    copies, so changing the arrays you get does not affect later calls.

    Parameters
    ----------
    dtype : floating dtype, default ``np.float32``
        Dtype of ``X``. Pixel values k/16 are exact in any binary float type.

    Returns
    -------
    X : ndarray of shape (1797, 64), dtype ``dtype``
        One image per row, pixels in row-major order; each value is the
        original 0..16 count divided by 16, so it lies in [0, 1].
        ``X[i].reshape(8, 8)`` is the i-th image.
    y : ndarray of shape (1797,), dtype int64
        The digit shown, 0..9.

    Raises
    ------
    TypeError
        If ``dtype`` is not a floating-point dtype.
    RuntimeError
        If the shipped file does not match :data:`DIGITS_SHA256`.
    """
    global _cache
    dt = np.dtype(dtype)
    if not np.issubdtype(dt, np.floating):
        raise TypeError(f"dtype must be a floating-point dtype, got {dt}")
    if _cache is None:
        _cache = _read_file()
    counts, labels = _cache
    X = counts.astype(dt)  # astype always copies
    X /= _MAX_COUNT
    return X, labels.copy()


def _test_counts(class_sizes: np.ndarray, test_size: float) -> np.ndarray:
    """Share ``round(test_size * n)`` test places among classes by largest remainder.

    Each class gets ``floor(test_size * size)`` places, plus one for the classes
    with the largest fractional parts (ties go to the smaller label) until the
    total is reached; so every class is within one sample of its exact share.
    """
    exact = test_size * class_sizes
    counts = np.floor(exact).astype(np.int64)
    missing = int(round(test_size * class_sizes.sum())) - int(counts.sum())
    missing = min(max(missing, 0), len(counts))
    order = np.argsort(-(exact - counts), kind="stable")
    counts[order[:missing]] += 1
    return np.minimum(counts, class_sizes)


def train_test_split(
    X: Any,
    y: Any,
    *,
    test_size: float = 0.2,
    rng: np.random.Generator | int = 0,
    stratify: bool = True,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Split samples into a random train set and test set, reproducibly.

    The test set has ``round(test_size * n)`` samples. With ``stratify=True``
    those places are shared among the classes in ``y`` by largest remainder, so
    each class keeps its share to within one sample. Both sets come out in a
    random order (not grouped by class). NumPy's global random state is never
    used or changed.

    Parameters
    ----------
    X : array_like of shape (n, ...)
        Samples, one per entry along the first axis.
    y : array_like of shape (n,)
        Labels (any sortable values; used to stratify).
    test_size : float, default 0.2
        Fraction of the samples to put in the test set, strictly between 0 and 1.
    rng : numpy.random.Generator or int, default 0
        Source of randomness: a Generator (which is advanced) or a seed >= 0.
        The same seed always gives the same split.
    stratify : bool, default True
        Keep each class's share of the samples in both sets.

    Returns
    -------
    X_train : ndarray of shape (n - n_test, ...)
    X_test : ndarray of shape (n_test, ...)
    y_train : ndarray of shape (n - n_test,)
    y_test : ndarray of shape (n_test,)
        New arrays (fancy-indexed copies); every sample is in exactly one set.

    Raises
    ------
    ValueError
        If ``test_size`` is not a float in (0, 1), if ``y`` is not 1-D, if ``X``
        and ``y`` differ in length, if either set would be empty, or if the
        seed is negative.
    TypeError
        If ``rng`` is neither a ``numpy.random.Generator`` nor an int.
    """
    if (
        isinstance(test_size, (bool, np.bool_))
        or not isinstance(test_size, (float, np.floating))
        or not 0.0 < test_size < 1.0
    ):
        raise ValueError(f"test_size must be a float in the open interval (0, 1), got {test_size!r}")
    X = np.asarray(X)
    y = np.asarray(y)
    if y.ndim != 1:
        raise ValueError(f"y must be 1-D with one label per sample, got shape {y.shape}")
    if X.ndim == 0 or X.shape[0] != y.shape[0]:
        raise ValueError(
            f"X and y must have the same number of samples, got {X.shape[0] if X.ndim else 'a scalar'} and {y.shape[0]}"
        )
    gen = as_rng(rng)
    n = y.shape[0]

    perm = gen.permutation(n)
    if stratify:
        # Group the shuffled samples by class (stable, so each class stays in
        # shuffled order) and send the first n_test[c] of class c to the test set.
        classes, cls = np.unique(y[perm], return_inverse=True)
        cls = cls.reshape(-1)
        sizes = np.bincount(cls, minlength=len(classes))
        n_test_per_class = _test_counts(sizes, float(test_size))
        by_class = np.argsort(cls, kind="stable")
        starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
        rank = np.empty(n, dtype=np.int64)
        rank[by_class] = np.arange(n) - np.repeat(starts, sizes)
        in_test = rank < n_test_per_class[cls]
    else:
        in_test = np.arange(n) < int(round(test_size * n))

    n_test = int(in_test.sum())
    if n_test == 0 or n_test == n:
        raise ValueError(
            f"test_size={test_size!r} with {n} samples leaves an empty "
            f"{'test' if n_test == 0 else 'train'} set"
        )
    test_idx = perm[in_test]
    train_idx = perm[~in_test]
    return X[train_idx], X[test_idx], y[train_idx], y[test_idx]
