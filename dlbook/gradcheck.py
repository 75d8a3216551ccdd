"""Check a backward pass against finite differences, in float64.

For a module with output y, the checker picks a fixed random ``dy`` and looks at
the scalar L = Σ y ⊙ dy, whose gradient is exactly what ``backward(dy)`` returns.
For a loss, L is the loss itself. Every number of every floating input and every
parameter is nudged by ±eps and the slope (L(θ+eps) − L(θ−eps)) / 2eps, the central
difference, is compared with the analytic gradient.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .i18n import gettext as _
from .losses import Loss
from .module import Module
from .rng import as_rng

__all__ = ["numeric_gradient", "gradcheck", "GradCheckResult"]

SCALE_FLOOR = 1e-3


@dataclass
class GradCheckResult:
    """What :func:`gradcheck` found.

    Attributes
    ----------
    errors : dict[str, float]
        For each checked array ("input 0", "weight", "layers.0.bias", ...), its
        relative error max|analytic − numeric| / max(max|analytic|, max|numeric|, floor),
        the floor being ``SCALE_FLOOR`` (1e-3) times the largest gradient in the whole check.
    worst : str
        The array and index where the largest relative error occurs, e.g. "weight[2, 0]".
    tolerance : float
        The threshold ``passed`` compares against.
    """

    errors: dict[str, float] = field(default_factory=dict)
    worst: str = ""
    tolerance: float = 1e-6

    @property
    def max_error(self) -> float:
        return max(self.errors.values(), default=0.0)

    @property
    def passed(self) -> bool:
        return self.max_error < self.tolerance

    def __repr__(self) -> str:
        # A pass prints only the verdict: the size and place of a 1e-10 round-off error
        # depend on the CPU's floating-point kernels, and stored notebook output must not.
        if self.passed:
            return _("gradient check passed: {count} array(s), every relative error below {tolerance}").format(
                count=len(self.errors), tolerance=f"{self.tolerance:g}")
        return _("gradient check FAILED: worst relative error {error} at {where} (tolerance {tolerance}); per "
                 "array: {errors}").format(error=f"{self.max_error:.1e}", where=self.worst,
                                           tolerance=f"{self.tolerance:g}",
                                           errors=", ".join(f"{k} {v:.1e}" for k, v in self.errors.items()))


def numeric_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """The gradient of ``f`` at ``x`` by central differences, one number of ``x`` at a time.

    df/dx_i ≈ (f(x + eps·e_i) − f(x − eps·e_i)) / 2eps: the error is about eps² (truncation)
    plus 1e-16/eps (round-off), so eps = 1e-6 gives about 1e-10, in float64 only.

    Parameters
    ----------
    f : function of x returning a float
        May also read ``x`` through another name (a layer's weight): ``x`` is nudged in place.
    x : np.ndarray, float64
        Each number is moved by ±eps and put back, so ``x`` ends as it started.
    eps : float

    Returns
    -------
    np.ndarray, float64, shape of x
    """
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        raise TypeError(f"numeric_gradient needs a float64 array (float32 round-off would swamp the "
                        f"differences), got {getattr(x, 'dtype', type(x).__name__)}")
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        up = f(x)
        x[i] = old - eps
        down = f(x)
        x[i] = old
        grad[i] = (up - down) / (2 * eps)
    return grad


def _is_float(x: Any) -> bool:
    return isinstance(x, np.ndarray) and np.issubdtype(x.dtype, np.floating)


def gradcheck(target: Module | Loss, *inputs: Any, eps: float = 1e-6, tolerance: float = 1e-6,
              rng: np.random.Generator | int = 0, **kwargs: Any) -> GradCheckResult:
    """Compare ``target``'s backward pass with central differences.

    Parameters
    ----------
    target : Module or Loss
        A module, ``y = target(*inputs, **kwargs)``, or a loss, ``L = target(*inputs)``.
        Its parameters and floating inputs must be float64.
    *inputs : arrays
        Floating arrays are differentiated; integer or boolean ones (class ids, masks)
        are passed through. A module with several floating inputs returns one
        gradient for each, in order, from ``backward`` (a tuple).
    eps : float
        The nudge. 1e-6 balances truncation error (~eps²) against round-off (~1e-16/eps).
    tolerance : float
        Relative error below which the check passes.
    rng : Generator or int
        Draws the fixed ``dy`` for a module.
    **kwargs
        Passed to the forward call and never differentiated (e.g. ``mask=``).

    Returns
    -------
    GradCheckResult
    """
    if not isinstance(target, (Module, Loss)):
        raise TypeError(f"gradcheck needs a Module or a Loss, got {type(target).__name__}")
    inputs = tuple(np.array(x, copy=True) if isinstance(x, np.ndarray) else x for x in inputs)
    float_pos = [i for i, x in enumerate(inputs) if _is_float(x)]
    params = target.named_parameters() if isinstance(target, Module) else []
    for name, arr in [(f"input {i}", inputs[i]) for i in float_pos] + [(n, p.data) for n, p in params]:
        if arr.dtype != np.float64:
            raise TypeError(f"gradcheck runs in float64, but {name} is {arr.dtype}: "
                            "build the module with dtype=np.float64 and pass float64 inputs")

    # Analytic gradients.
    if isinstance(target, Module):
        target.zero_grad()
        y = target(*inputs, **kwargs)
        dy = as_rng(rng).standard_normal(np.shape(y))

        def scalar() -> float:
            return float(np.sum(target(*inputs, **kwargs) * dy))

        result = target.backward(dy.copy())
        grads_in = (list(result) if isinstance(result, tuple) else [result]) if float_pos else []
    else:
        target(*inputs, **kwargs)

        def scalar() -> float:
            return float(target(*inputs, **kwargs))

        grads_in = [target.backward()]
        float_pos = float_pos[:1]  # a loss differentiates its first input (the predictions)
    if len(grads_in) != len(float_pos):
        raise ValueError(f"backward returned {len(grads_in)} input gradients for {len(float_pos)} floating inputs")

    checks: list[tuple[str, np.ndarray, np.ndarray]] = [
        (f"input {i}", inputs[i], np.asarray(g)) for i, g in zip(float_pos, grads_in)
    ] + [(name, p.data, p.grad.copy()) for name, p in params]

    numerics = [numeric_gradient(lambda _: scalar(), arr, eps) for _, arr, _ in checks]
    for (name, arr, analytic), numeric in zip(checks, numerics):
        if analytic.shape != arr.shape:
            raise ValueError(f"the gradient for {name} has shape {analytic.shape}, expected {arr.shape}")
    # Finite differences cannot resolve a gradient that is exactly zero (a bias just before
    # BatchNorm, a key bias under softmax): their round-off, ~1e-10, divided by a round-off
    # scale would be "100 % error". So no array is judged on a scale smaller than
    # SCALE_FLOOR times the largest gradient found anywhere in the check.
    overall = max([np.max(np.abs(a), initial=0.0) for _, _, a in checks]
                  + [np.max(np.abs(n), initial=0.0) for n in numerics] + [1e-12])
    report = GradCheckResult(tolerance=tolerance)
    worst_err = -1.0
    for (name, arr, analytic), numeric in zip(checks, numerics):
        diff = np.abs(analytic - numeric)
        scale = max(np.max(np.abs(analytic), initial=0.0), np.max(np.abs(numeric), initial=0.0),
                    SCALE_FLOOR * overall)
        err = float(np.max(diff, initial=0.0) / scale)
        report.errors[name] = err
        if err > worst_err and arr.size:
            worst_err = err
            idx = np.unravel_index(int(np.argmax(diff)), arr.shape)
            report.worst = f"{name}[{', '.join(map(str, idx))}]"
    return report
