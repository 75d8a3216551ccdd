"""Dropout (드롭아웃): switch off each unit at random while training.

In training mode every number of the input is kept with probability 1 − p and set
to 0 with probability p, independently of all the others; the kept ones are
multiplied by 1/(1 − p) ("inverted" dropout), so each output's expected value
equals its input and nothing has to change at test time. In eval mode, and at
p = 0, dropout is the identity.

``p`` is each unit's probability of being dropped, not a count: in a layer of n
units the number dropped at one step follows the binomial law Binomial(n, p)
(:func:`dropped_count_pmf`), so it changes from step to step.
"""
from __future__ import annotations

import numpy as np
from scipy.special import gammaln, xlog1py, xlogy

from ._checks import as_float_array, check_nonnegative_float, check_positive_int
from .module import Module
from .rng import as_rng

__all__ = ["Dropout", "dropped_count_pmf", "all_keep_masks", "mask_probability"]

# 2**20 masks of 20 units is already 20 million booleans: enough for any exact enumeration here.
_MAX_ENUMERATED_UNITS = 20


def _check_p(p: float) -> float:
    """Require a drop probability in [0, 1)."""
    p = check_nonnegative_float(p, "p (the probability of dropping each unit)")
    if p >= 1:
        raise ValueError(f"p (the probability of dropping each unit) must be in [0, 1), got {p}: "
                         "p = 1 would drop every unit and the 1/(1 - p) scale would divide by zero")
    return p


def dropped_count_pmf(n_units: int, p: float) -> np.ndarray:
    """The binomial law of how many of ``n_units`` units one dropout mask drops.

    P(k dropped) = C(n, k) · p^k · (1 − p)^(n − k), computed through logarithms so
    that large n neither overflows nor warns.

    Parameters
    ----------
    n_units : int
        Units in the layer (n).
    p : float
        Drop probability of each unit, in [0, 1).

    Returns
    -------
    np.ndarray, shape (n_units + 1,), float64
        Entry k is the probability that exactly k units are dropped; the entries sum to 1.
    """
    n = check_positive_int(n_units, "n_units")
    p = _check_p(p)
    k = np.arange(n + 1, dtype=np.float64)
    log_choose = gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1)
    # xlogy(0, 0) = 0: at p = 0 the law puts all its mass on k = 0, without a log(0) warning.
    return np.exp(log_choose + xlogy(k, p) + xlog1py(n - k, -p))


def all_keep_masks(n_units: int) -> np.ndarray:
    """Every keep-mask of ``n_units`` units: the 2^n thinned networks dropout can pick.

    Parameters
    ----------
    n_units : int
        At most 20.

    Returns
    -------
    np.ndarray of bool, shape (2**n_units, n_units)
        Row r keeps unit j when bit j of r is 1 (True = kept); row 0 drops everything.
    """
    n = check_positive_int(n_units, "n_units")
    if n > _MAX_ENUMERATED_UNITS:
        raise ValueError(f"n_units must be at most {_MAX_ENUMERATED_UNITS} to enumerate 2**n_units masks, got {n}")
    return ((np.arange(2**n)[:, None] >> np.arange(n)) & 1).astype(bool)


def mask_probability(masks: np.ndarray, p: float) -> np.ndarray:
    """The probability that dropout draws each keep-mask: (1 − p)^kept · p^dropped.

    Parameters
    ----------
    masks : np.ndarray of bool, shape (..., n_units)
        True = kept.
    p : float
        Drop probability of each unit.

    Returns
    -------
    np.ndarray, shape masks.shape[:-1], float64
        Over all 2^n masks of :func:`all_keep_masks` these sum to 1.
    """
    masks = np.asarray(masks)
    if masks.dtype != bool or masks.ndim == 0:
        raise TypeError(f"masks must be a boolean array (..., n_units), got dtype {masks.dtype} "
                        f"and shape {masks.shape}")
    p = _check_p(p)
    kept = masks.sum(axis=-1)
    dropped = masks.shape[-1] - kept
    return np.exp(xlog1py(kept, -p) + xlogy(dropped, p))


class Dropout(Module):
    """Inverted dropout, as PyTorch's ``nn.Dropout``.

    Parameters
    ----------
    p : float, default 0.5
        Probability that each number of the input is dropped (set to 0), in [0, 1).
        The note's ``dropout_rate``.
    rng : numpy.random.Generator or int, optional
        Draws the masks. One generator for the module's life: each forward call in
        training mode draws a new mask from it, reproducibly.

    Attributes
    ----------
    mask : np.ndarray of bool or None
        The keep-mask of the last forward in training mode (True = kept), for plots
        and checks; None before the first one.

    Shapes
    ------
    x: any shape -> y: the same shape. Every number has its own coin, so for a
    (batch, units) input each sample loses a different set of units.

    Notes
    -----
    Training mode: y = x ⊙ m / (1 − p) with m ~ Bernoulli(1 − p) elementwise, and
    backward returns dy ⊙ m / (1 − p) with the *same* m. Eval mode (``eval()``) and
    p = 0: y = x and dx = dy.

    **Checking the gradient.** A module that draws a new mask at every call is not a
    fixed function, so finite differences would compare different networks. Pass
    the mask explicitly to make it one: ``drop(x, mask=m)`` uses ``m`` instead of
    drawing, and ``dl.gradcheck(drop, x, mask=m)`` passes ``mask=`` to every forward
    call (keyword arguments are never differentiated).
    """

    def __init__(self, p: float = 0.5, *, rng: np.random.Generator | int | None = None) -> None:
        super().__init__()
        self.p = _check_p(p)
        self.rng = as_rng(rng)
        self.mask: np.ndarray | None = None

    def forward(self, x: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
        """Drop and rescale in training mode; return ``x`` unchanged in eval mode or at p = 0.

        Parameters
        ----------
        x : np.ndarray, any shape, floating
        mask : np.ndarray of bool, shape of ``x``, optional
            Training mode only: the keep-mask to use (True = kept) instead of drawing
            one, e.g. to check the gradient or to replay a step. It is used as given,
            with the 1/(1 − p) scale.
        """
        x = as_float_array(x, "Dropout input")
        if not self.training:
            if mask is not None:
                raise ValueError("Dropout got a mask in eval mode, where it is the identity and drops nothing; "
                                 "call train() to apply a mask")
            self.cache = (None, 1.0)
            return x
        if mask is None and self.p == 0:
            self.cache = (None, 1.0)
            return x
        keep = self.draw_mask(x.shape) if mask is None else self.check_mask(mask, x.shape)
        self.mask = keep
        scale = 1.0 / (1.0 - self.p)
        self.cache = (keep, scale)
        return np.where(keep, x * scale, 0)

    def backward(self, dy: np.ndarray) -> np.ndarray:
        """dx = dy ⊙ m / (1 − p) with the mask of the last forward (dx = dy when that forward was the identity)."""
        keep, scale = self.saved()
        dy = as_float_array(dy, "dy")
        if keep is None:
            return dy
        if dy.shape != keep.shape:
            raise ValueError(f"dy must have the input's shape {keep.shape}, got {dy.shape}")
        return np.where(keep, dy * scale, 0)

    def draw_mask(self, shape: tuple[int, ...]) -> np.ndarray:
        """A new keep-mask (True = kept) of ``shape`` from the layer's generator."""
        # A uniform number in [0, 1) is >= p with probability exactly 1 - p.
        return self.rng.random(shape) >= self.p

    @staticmethod
    def check_mask(mask: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
        """A copy of a keep-mask given by the caller, refused unless boolean and of ``shape``."""
        mask = np.asarray(mask)
        if mask.dtype != bool:
            raise TypeError(f"mask must be a boolean array (True = keep), got dtype {mask.dtype}")
        if mask.shape != shape:
            raise ValueError(f"mask must have the input's shape {shape}, got {mask.shape}")
        return mask.copy()  # the caller may reuse its array; backward needs this one unchanged

    def extra_repr(self) -> str:
        return f"p={self.p:g}"
