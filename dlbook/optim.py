"""Optimizers: turn the gradients in ``.grad`` into one update of ``.data`` (one step).

The update rules are PyTorch's, so numbers and habits carry over:
``optimizer.zero_grad(); loss = ...; model.backward(...); optimizer.step()``.
"""
from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from ._checks import check_nonnegative_float
from .module import Parameter

__all__ = ["Optimizer", "SGD", "Adam"]


class Optimizer:
    """Holds the parameters to update and counts the steps taken.

    Attributes
    ----------
    params : list of Parameter
    lr : float
        Learning rate; may be changed between steps (a schedule).
    steps : int
        How many times ``step`` has run: one step is one parameter update.
    """

    def __init__(self, params: Iterable[Parameter], lr: float) -> None:
        self.params: list[Parameter] = list(params)
        if not self.params:
            raise ValueError("the optimizer got an empty parameter list")
        for i, p in enumerate(self.params):
            if not isinstance(p, Parameter):
                raise TypeError(f"params must be Parameters (e.g. model.parameters()), got {type(p).__name__} at {i}")
        self.lr = check_nonnegative_float(lr, "lr")
        if self.lr == 0:
            raise ValueError("lr must be > 0, got 0")
        self.steps = 0

    def zero_grad(self) -> None:
        """Clear every parameter's gradient."""
        for p in self.params:
            p.zero_grad()

    def step(self) -> None:
        """Update every parameter once from its current ``.grad``."""
        self.steps += 1
        for i, p in enumerate(self.params):
            self._update(i, p)

    def _update(self, i: int, p: Parameter) -> None:
        raise NotImplementedError


class SGD(Optimizer):
    """Stochastic gradient descent with optional momentum (PyTorch's form).

    v ← momentum·v + g  (v = g on the first step),  θ ← θ − lr·v.
    With ``weight_decay`` w, g is replaced by g + w·θ first.
    """

    def __init__(self, params: Iterable[Parameter], lr: float, momentum: float = 0.0,
                 weight_decay: float = 0.0) -> None:
        super().__init__(params, lr)
        self.momentum = check_nonnegative_float(momentum, "momentum")
        if self.momentum >= 1:
            raise ValueError(f"momentum must be in [0, 1), got {momentum}")
        self.weight_decay = check_nonnegative_float(weight_decay, "weight_decay")
        self._velocity: list[np.ndarray | None] = [None] * len(self.params)

    def _update(self, i: int, p: Parameter) -> None:
        g = p.grad + self.weight_decay * p.data if self.weight_decay else p.grad
        if self.momentum:
            v = self._velocity[i]
            if v is None:
                v = self._velocity[i] = np.array(g, dtype=p.dtype)
            else:
                v *= self.momentum
                v += g
            g = v
        p.data -= (self.lr * g).astype(p.dtype, copy=False)


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015), as PyTorch implements it.

    m ← β1·m + (1−β1)·g,  v ← β2·v + (1−β2)·g²,
    θ ← θ − lr · m̂ / (√v̂ + ε)  with m̂ = m/(1−β1^t), v̂ = v/(1−β2^t) (bias correction).

    The moments of the small parameters (of one dtype) live in one flat array, so their
    update is a dozen NumPy operations in all rather than a dozen per parameter: for the
    many small arrays of a small model, the cost of each call is most of the work.
    (PyTorch's "foreach" Adam groups its tensors for the same reason.)
    """

    def __init__(self, params: Iterable[Parameter], lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0.0) -> None:
        super().__init__(params, lr)
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise TypeError(f"betas must be a pair (beta1, beta2), got {betas!r}")
        for name, b in zip(("beta1", "beta2"), betas):
            if not 0 <= check_nonnegative_float(b, name) < 1:
                raise ValueError(f"{name} must be in [0, 1), got {b}")
        self.betas = (float(betas[0]), float(betas[1]))
        self.eps = check_nonnegative_float(eps, "eps")
        self.weight_decay = check_nonnegative_float(weight_decay, "weight_decay")
        # Small parameters of one dtype share flat arrays; a large one is a group of its own,
        # updated where it lies (gathering it would cost a copy and save no calls).
        small: dict[np.dtype, list[Parameter]] = {}
        self._groups: list[_FlatGroup] = []
        for p in self.params:
            if p.data.size < _POOL_BELOW:
                small.setdefault(p.dtype, []).append(p)
            else:
                self._groups.append(_FlatGroup([p]))
        self._groups += [_FlatGroup(group) for group in small.values()]

    def step(self) -> None:
        """Update every parameter once from its current ``.grad``."""
        self.steps += 1
        for group in self._groups:
            self._update_group(group)

    def _update_group(self, group: _FlatGroup) -> None:
        b1, b2 = self.betas
        m, v, buf = group.m, group.v, group.buf
        g = group.gather("grad", out=group.g)
        if self.weight_decay:  # g + wd·θ, never written into p.grad itself
            g = np.add(g, np.multiply(group.gather("data", out=buf), self.weight_decay, out=buf), out=group.g)
        # Everything in place, into arrays made once: a large temporary per operation
        # would cost more than the arithmetic. Python-float factors keep float32 float32.
        m *= b1
        m += np.multiply(g, 1 - b1, out=buf)          # m ← β1·m + (1−β1)·g
        v *= b2
        np.multiply(g, g, out=buf)
        v += np.multiply(buf, 1 - b2, out=buf)        # v ← β2·v + (1−β2)·g²
        # lr·m̂/(√v̂ + ε) with m̂ = m/c1, v̂ = v/c2 equals (lr·√c2/c1)·m/(√v + ε·√c2):
        # the bias corrections become two scalars instead of two array divisions.
        c1, c2 = 1 - b1**self.steps, 1 - b2**self.steps
        np.sqrt(v, out=buf)
        buf += self.eps * math.sqrt(c2)
        np.divide(m, buf, out=buf)
        buf *= self.lr * math.sqrt(c2) / c1
        group.scatter_subtract(buf)


# Parameters with fewer numbers than this share one set of flat arrays in Adam.
_POOL_BELOW = 2**15


class _FlatGroup:
    """Parameters of one dtype laid end to end: Adam's state as flat arrays, and where each parameter sits."""

    def __init__(self, params: list[Parameter]) -> None:
        self.params = params
        ends = np.cumsum([p.data.size for p in params])
        self.slices = [slice(int(end) - p.data.size, int(end)) for p, end in zip(params, ends)]
        self.m, self.v, self.g, self.buf = (np.zeros(int(ends[-1]), dtype=params[0].dtype) for _ in range(4))

    def gather(self, attr: str, *, out: np.ndarray) -> np.ndarray:
        """Every parameter's ``.grad`` (or ``.data``) flattened, one after another, in ``out``
        (a lone parameter's own array is returned as it is, flattened: read it, never write)."""
        arrays = [getattr(p, attr).reshape(-1) for p in self.params]
        return arrays[0] if len(arrays) == 1 else np.concatenate(arrays, out=out)

    def scatter_subtract(self, update: np.ndarray) -> None:
        """θ ← θ − update, each parameter taking its own slice."""
        for p, part in zip(self.params, self.slices):
            p.data -= update[part].reshape(p.shape)
