"""Rosenblatt's perceptron (퍼셉트론), logic-gate data, and layers that are not fully connected.

A perceptron is one unit with a hard threshold: it outputs 1 when w·x + b > 0 and 0
otherwise. Rosenblatt's learning rule nudges w and b towards every sample it gets
wrong and leaves them alone otherwise. On linearly separable data it stops after a
finite number of updates (Novikoff's theorem); on XOR it never does.

``MaskedLinear`` is a ``Linear`` layer in which only some input-output pairs are
connected: a fixed boolean mask, laid out like ``Linear.weight``, says which.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._checks import as_float_array, as_int_array, check_nonnegative_float, check_positive_int
from .i18n import gettext as _
from .layers import Linear
from .rng import as_rng

__all__ = ["LOGIC_GATES", "logic_gate", "Perceptron", "MaskedLinear"]

#: The gates :func:`logic_gate` knows, in the order the chapter meets them.
LOGIC_GATES: tuple[str, ...] = ("AND", "OR", "NAND", "XOR")

_GATE_INPUTS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
_GATE_OUTPUTS = {
    "AND": (0, 0, 0, 1),
    "OR": (0, 1, 1, 1),
    "NAND": (1, 1, 1, 0),
    "XOR": (0, 1, 1, 0),
}


def logic_gate(name: str, dtype: Any = np.float64) -> tuple[np.ndarray, np.ndarray]:
    """The truth table of a two-input logic gate as a tiny data set.

    Parameters
    ----------
    name : {"AND", "OR", "NAND", "XOR"} (any letter case)
    dtype : floating dtype of X

    Returns
    -------
    X : np.ndarray, shape (4, 2)
        The inputs (0, 0), (0, 1), (1, 0), (1, 1), one per row.
    y : np.ndarray of int64, shape (4,)
        The gate's output for each row, 0 or 1.
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a str such as 'AND', got {type(name).__name__}")
    key = name.upper()
    if key not in _GATE_OUTPUTS:
        raise ValueError(f"name must be one of {LOGIC_GATES}, got {name!r}")
    dt = np.dtype(dtype)
    if not np.issubdtype(dt, np.floating):
        raise TypeError(f"dtype must be a floating-point dtype, got {dt}")
    return _GATE_INPUTS.astype(dt), np.array(_GATE_OUTPUTS[key], dtype=np.int64)


@dataclass
class PerceptronHistory:
    """What :meth:`Perceptron.fit` did.

    Attributes
    ----------
    converged : bool
        True when an epoch ended with every training sample classified correctly.
    updates : int
        How many times the weights changed (one per misclassified sample met).
    errors : list of int
        Misclassified training samples after each epoch, with that epoch's final weights.
    """

    converged: bool = False
    updates: int = 0
    errors: list[int] = field(default_factory=list)

    @property
    def epochs(self) -> int:
        """How many epochs ran (fewer than the budget when training converged)."""
        return len(self.errors)

    def summary(self) -> str:
        """One line with the verdict, the epochs and the updates (the details in parentheses after the verdict)."""
        if self.converged:
            return _("converged after {epochs} epochs ({updates} updates)").format(epochs=self.epochs,
                                                                                  updates=self.updates)
        last = self.errors[-1] if self.errors else "?"
        return _("not converged after {epochs} epochs ({updates} updates, {errors} errors left)").format(
            epochs=self.epochs, updates=self.updates, errors=last)

    def __repr__(self) -> str:
        return f"PerceptronHistory({self.summary()})"


class Perceptron:
    """One threshold unit: ŷ = 1 if x·w + b > 0 else 0, trained with Rosenblatt's rule.

    Parameters
    ----------
    n_features : int
        Length of an input vector x.

    Attributes
    ----------
    weight : np.ndarray of float64, shape (n_features,)
        Starts at zero. (With zero initial weights the learning rate only rescales w
        and b, so it never changes what the perceptron predicts.)
    bias : float
        Starts at zero.

    Notes
    -----
    This is not a :class:`dlbook.Module`: its step output has derivative 0 almost
    everywhere, so it has no useful backward pass. That is exactly why multilayer
    networks use smooth activations and gradient descent instead.
    """

    def __init__(self, n_features: int) -> None:
        self.n_features = check_positive_int(n_features, "n_features")
        self.weight = np.zeros(self.n_features)
        self.bias = 0.0

    @classmethod
    def from_weights(cls, weight: Any, bias: float) -> Perceptron:
        """A perceptron with weights set by hand, e.g. ``Perceptron.from_weights([0.5, 0.5], -0.7)`` for AND."""
        w = np.array(weight, dtype=np.float64)
        if w.ndim != 1 or w.size == 0:
            raise ValueError(f"weight must be a non-empty 1-D sequence of numbers, got shape {w.shape}")
        p = cls(w.size)
        p.weight = w
        p.bias = float(bias)
        return p

    # --- predicting ------------------------------------------------------------------
    def check_input(self, X: Any) -> np.ndarray:
        """``X`` as a float array of shape (n, n_features), or a ValueError saying what came."""
        X = as_float_array(X, "X")
        if X.ndim != 2 or X.shape[1] != self.n_features:
            raise ValueError(f"X must have shape (n, {self.n_features}), got shape {X.shape}")
        return X

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        """The weighted sum z = X @ weight + bias, shape (n,) for X of shape (n, n_features)."""
        return self.check_input(X) @ self.weight + self.bias

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Step of z: 1 where z > 0, else 0 (int64, shape (n,)). z = 0 counts as 0."""
        return (self.decision_function(X) > 0).astype(np.int64)

    __call__ = predict

    def errors(self, X: np.ndarray, y: np.ndarray) -> int:
        """How many samples of (X, y) are misclassified."""
        return int(np.count_nonzero(self.predict(X) != y))

    # --- learning --------------------------------------------------------------------
    def update(self, x: np.ndarray, y: int, lr: float = 1.0) -> bool:
        """Rosenblatt's rule for one sample: w ← w + lr·(y − ŷ)·x, b ← b + lr·(y − ŷ).

        y − ŷ is 0 when the prediction is right (nothing changes), +1 for a missed 1
        (w moves towards x) and −1 for a false 1 (w moves away from x).
        Returns whether the weights changed.
        """
        x = np.asarray(x, dtype=np.float64)
        if x.shape != (self.n_features,):
            raise ValueError(f"x must be one sample of shape ({self.n_features},), got shape {x.shape}")
        delta = int(y) - int(x @ self.weight + self.bias > 0)
        if delta == 0:
            return False
        self.weight += lr * delta * x
        self.bias += lr * delta
        return True

    def fit(self, X: np.ndarray, y: np.ndarray, *, epochs: int = 100, lr: float = 1.0, shuffle: bool = False,
            rng: np.random.Generator | int | None = None) -> PerceptronHistory:
        """Apply :meth:`update` to every sample, epoch after epoch, from the current weights.

        Stops after the first epoch that ends with zero training errors, or after
        ``epochs`` epochs, whichever comes first.

        Parameters
        ----------
        X : np.ndarray, floating, shape (n, n_features)
        y : np.ndarray of int, shape (n,), values 0 or 1
        epochs : int
            The budget: at most this many passes over the data.
        lr : float
            Learning rate η > 0.
        shuffle : bool
            Visit the samples in a new random order each epoch (drawn from ``rng``).
        rng : Generator or int, optional

        Returns
        -------
        PerceptronHistory
        """
        X = self.check_input(X)
        y = as_int_array(y, "y")
        if y.shape != (X.shape[0],):
            raise ValueError(f"y must have shape ({X.shape[0]},), one label per row of X, got {y.shape}")
        if not np.all((y == 0) | (y == 1)):
            raise ValueError(f"y must hold only 0 and 1, got the values {np.unique(y).tolist()}")
        epochs = check_positive_int(epochs, "epochs")
        lr = check_nonnegative_float(lr, "lr")
        if lr == 0:
            raise ValueError("lr must be > 0, got 0")
        gen = as_rng(rng) if shuffle else None
        history = PerceptronHistory()
        for _ in range(epochs):
            order = gen.permutation(len(y)) if gen is not None else range(len(y))
            # Rosenblatt's rule is online: each update changes the prediction for the
            # next sample, so the samples of an epoch are visited one by one. (Each
            # update is a vector operation; the error count below is vectorised.)
            for i in order:
                history.updates += self.update(X[i], y[i], lr)
            history.errors.append(self.errors(X, y))
            if history.errors[-1] == 0:
                history.converged = True
                break
        return history

    def __repr__(self) -> str:
        w = np.array2string(self.weight, precision=3, separator=", ")
        return f"Perceptron(weight={w}, bias={self.bias:.3g})"


class MaskedLinear(Linear):
    """A linear layer in which only the input-output pairs marked in ``mask`` are connected.

    y = x @ (weight ⊙ mask) + bias. A weight whose mask entry is False does not exist:
    it is zero at initialisation, its gradient is always zero, and the forward pass
    sets it back to zero, so it stays exactly zero through any number of optimizer
    steps (SGD, momentum, weight decay and Adam all leave a zero with a zero gradient
    at zero).

    Parameters
    ----------
    in_features, out_features : int
    mask : array_like of bool, shape (in_features, out_features)
        ``mask[i, j]`` is True when input unit i feeds output unit j, the layout of
        ``Linear.weight``.
    bias : bool
    rng, dtype
        As for :class:`dlbook.Linear`.
    """

    def __init__(self, in_features: int, out_features: int, mask: Any, bias: bool = True, *,
                 rng: np.random.Generator | int | None = None, dtype: np.dtype | type = np.float32) -> None:
        super().__init__(in_features, out_features, bias, rng=rng, dtype=dtype)
        m = np.asarray(mask)
        if m.dtype != bool:
            raise TypeError(f"mask must be a boolean array, got dtype {m.dtype}")
        if m.shape != (self.in_features, self.out_features):
            raise ValueError(f"mask must have shape (in_features, out_features) = "
                             f"({self.in_features}, {self.out_features}), got {m.shape}")
        self.mask = m.copy()
        self.mask.flags.writeable = False
        self.weight.data[~self.mask] = 0  # assign 0 rather than multiply by the mask: -w·False is -0.0

    @property
    def connections(self) -> int:
        """How many weights exist (True entries of the mask)."""
        return int(np.count_nonzero(self.mask))

    def forward(self, x: np.ndarray) -> np.ndarray:
        # Project onto the mask first, so the output never depends on a missing
        # weight, even one someone wrote into weight.data by hand.
        self.weight.data[~self.mask] = 0
        return super().forward(x)

    def backward(self, dy: np.ndarray) -> np.ndarray:
        # Linear's backward is right for the existing weights, and dx = dy @ weight.T
        # already ignores the missing ones (they are zero). A missing weight has no
        # gradient: clear what Linear added there.
        dx = super().backward(dy)
        self.weight.grad[~self.mask] = 0
        return dx

    def extra_repr(self) -> str:
        return f"{super().extra_repr()}, connections={self.connections}/{self.mask.size}"
