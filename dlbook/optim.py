"""Optimizers: turn the gradients in ``.grad`` into one update of ``.data`` (one step).

The update rules are PyTorch's, so numbers and habits carry over:
``optimizer.zero_grad(); loss = ...; model.backward(...); optimizer.step()``.
"""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from ._checks import check_nonnegative_float
from .fast import FusedAdam
from .module import Parameter

__all__ = ["Optimizer", "SGD", "Adam"]


class Optimizer:
    """Holds the parameters to update, one state per parameter, and counts the steps taken.

    A subclass writes the rule for one parameter, ``update(p, state)``; ``step`` applies
    it to every parameter.

    Attributes
    ----------
    params : list of Parameter
    lr : float
        Learning rate; may be changed between steps (a schedule).
    steps : int
        How many times ``step`` has run: one step is one parameter update.
    state : list of dict
        What the rule keeps for each parameter between steps (momentum, moments), in
        ``params`` order; empty dicts until the first step.
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
        self.state: list[dict[str, np.ndarray]] = [{} for _ in self.params]

    def zero_grad(self) -> None:
        """Clear every parameter's gradient."""
        for p in self.params:
            p.zero_grad()

    def step(self) -> None:
        """Update every parameter once from its current ``.grad``."""
        self.steps += 1
        for p, state in zip(self.params, self.state):
            self.update(p, state)

    def update(self, p: Parameter, state: dict[str, np.ndarray]) -> None:
        """Change ``p.data`` in place from ``p.grad``; ``state`` is this parameter's own memory."""
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

    def update(self, p: Parameter, state: dict[str, np.ndarray]) -> None:
        g = p.grad + self.weight_decay * p.data if self.weight_decay else p.grad
        if self.momentum:
            if "velocity" not in state:
                state["velocity"] = g.copy()                              # v = g on the first step
            else:
                state["velocity"] = self.momentum * state["velocity"] + g  # v ← momentum·v + g
            g = state["velocity"]
        p.data -= self.lr * g                                             # θ ← θ − lr·v


class Adam(Optimizer):
    """Adam (Kingma & Ba, 2015), as PyTorch implements it.

    For each parameter θ with gradient g, at step t = 1, 2, …:

    m ← β1·m + (1−β1)·g          (moving average of the gradient)
    v ← β2·v + (1−β2)·g²         (moving average of its square)
    m̂ = m / (1−β1^t),  v̂ = v / (1−β2^t)     (bias correction: m and v start at 0)
    θ ← θ − lr · m̂ / (√v̂ + ε)

    With ``weight_decay`` w, g is replaced by g + w·θ first (PyTorch's Adam, not AdamW).

    :meth:`update` is the rule for one parameter. With ``foreach=True`` (the default) ``step``
    runs the same arithmetic on all parameters at once (``dlbook/fast.py``, bit for bit
    the same numbers): a small model has dozens of small arrays, and a dozen NumPy calls
    for each would cost more than the arithmetic.
    """

    def __init__(self, params: Iterable[Parameter], lr: float = 1e-3, betas: tuple[float, float] = (0.9, 0.999),
                 eps: float = 1e-8, weight_decay: float = 0.0, foreach: bool = True) -> None:
        super().__init__(params, lr)
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise TypeError(f"betas must be a pair (beta1, beta2), got {betas!r}")
        for name, b in zip(("beta1", "beta2"), betas):
            if not 0 <= check_nonnegative_float(b, name) < 1:
                raise ValueError(f"{name} must be in [0, 1), got {b}")
        self.betas = (float(betas[0]), float(betas[1]))
        self.eps = check_nonnegative_float(eps, "eps")
        self.weight_decay = check_nonnegative_float(weight_decay, "weight_decay")
        self.foreach = bool(foreach)
        self.fused = FusedAdam(self) if self.foreach else None

    def update(self, p: Parameter, state: dict[str, np.ndarray]) -> None:
        beta1, beta2 = self.betas
        t = self.steps                               # 1 at the first step
        g = p.grad + self.weight_decay * p.data if self.weight_decay else p.grad
        if not state:                                # both moments start at 0
            state["m"] = np.zeros_like(p.data)
            state["v"] = np.zeros_like(p.data)
        m = state["m"] = beta1 * state["m"] + (1 - beta1) * g
        v = state["v"] = beta2 * state["v"] + (1 - beta2) * g**2
        m_hat = m / (1 - beta1**t)
        v_hat = v / (1 - beta2**t)
        p.data -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)

    def step(self) -> None:
        """Update every parameter once from its current ``.grad``."""
        if self.fused is None:
            super().step()                           # update() on each parameter in turn
        else:                                        # update()'s arithmetic on all at once (fast.py)
            self.steps += 1
            self.fused.step()
