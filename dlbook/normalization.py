"""Normalization layers: BatchNorm1d (over the batch) and LayerNorm (over the features).

Both compute x̂ = (x − mean) / sqrt(var + eps) and return y = weight·x̂ + bias
(γ and β). They differ in which numbers the mean and variance are taken over:

- ``BatchNorm1d``: for each feature, over the samples of the batch (axis 0). A
  sample's output depends on the other samples, and eval mode uses running averages.
- ``LayerNorm``: for each sample, over its own features (the last axes). No batch
  statistics, so training and eval behave the same.

Both use the biased variance (divide by n) for normalizing and put eps inside the
square root, as PyTorch does.
"""
from __future__ import annotations

import numpy as np

from ._checks import as_float_array, check_nonnegative_float, check_positive_int
from .module import Module, Parameter

__all__ = ["BatchNorm1d", "LayerNorm", "normalize_backward"]


def _check_eps(eps: float) -> float:
    """Require eps > 0: with eps = 0 a constant feature (variance 0) would give 0/0 = NaN."""
    eps = check_nonnegative_float(eps, "eps")
    if eps == 0:
        raise ValueError("eps must be > 0 (it keeps 1/sqrt(var + eps) finite when a variance is 0), got 0")
    return eps


def normalize_backward(dxhat: np.ndarray, xhat: np.ndarray, inv_std: np.ndarray,
                        axes: tuple[int, ...]) -> np.ndarray:
    """Gradient through x̂ = (x − mean)/std where mean and var are taken over ``axes``.

    With n numbers per group: dx = inv_std · (dx̂ − mean(dx̂) − x̂ · mean(dx̂ ⊙ x̂)),
    the three terms being the direct path, the path through the mean and the path
    through the variance.
    """
    return inv_std * (dxhat - dxhat.mean(axis=axes, keepdims=True)
                      - xhat * (dxhat * xhat).mean(axis=axes, keepdims=True))


class BatchNorm1d(Module):
    """Batch normalization for inputs of shape (batch, num_features).

    Parameters
    ----------
    num_features : int
    eps : float
        Added to the variance inside the square root (> 0).
    momentum : float
        Weight of the new batch in the running averages, in [0, 1]:
        running = (1 − momentum)·running + momentum·batch (PyTorch's convention;
        Keras calls 1 − momentum its "momentum").
    dtype : numpy dtype

    Attributes
    ----------
    weight, bias : Parameter, shape (num_features,)  (γ, β; start at 1 and 0)
    running_mean, running_var : np.ndarray, shape (num_features,)
        Start at 0 and 1 and are updated in place by every forward in training mode.
        ``running_var`` averages the *unbiased* batch variance (divide by n − 1), as
        PyTorch does; normalizing a training batch uses the biased one (divide by n).
    num_batches_tracked : int
        How many training batches have updated the running statistics.

    Shapes
    ------
    x: (batch, num_features) -> y: the same. Training mode needs batch >= 2.
    (PyTorch's BatchNorm1d also takes (batch, channels, length); this one does not.)
    """

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1,
                 *, dtype: np.dtype | type = np.float32) -> None:
        super().__init__()
        self.num_features = check_positive_int(num_features, "num_features")
        self.eps = _check_eps(eps)
        self.momentum = check_nonnegative_float(momentum, "momentum")
        if self.momentum > 1:
            raise ValueError(f"momentum must be in [0, 1], got {momentum}")
        self.weight = Parameter(np.ones(num_features), dtype=dtype)
        self.bias = Parameter(np.zeros(num_features), dtype=dtype)
        self.running_mean = np.zeros(num_features, dtype=self.weight.dtype)
        self.running_var = np.ones(num_features, dtype=self.weight.dtype)
        self.num_batches_tracked = 0

    def reset_running_stats(self) -> None:
        """Running mean back to 0, running variance to 1, the batch count to 0."""
        self.running_mean[...] = 0
        self.running_var[...] = 1
        self.num_batches_tracked = 0

    def update_running_stats(self, mean: np.ndarray, var: np.ndarray, n: int) -> None:
        """Blend one training batch's statistics into the running ones, in place.

        ``var`` is the batch's biased variance; the running estimate takes the
        unbiased n/(n − 1)·var, as PyTorch does, because at eval time it stands for
        the variance of the whole population, not of these n samples.
        """
        m = self.momentum
        self.running_mean *= 1 - m
        self.running_mean += m * mean
        self.running_var *= 1 - m
        self.running_var += m * var * (n / (n - 1))
        self.num_batches_tracked += 1

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = as_float_array(x, "BatchNorm1d input", dtype=self.weight.dtype)
        if x.ndim != 2 or x.shape[1] != self.num_features:
            raise ValueError(f"BatchNorm1d expects shape (batch, {self.num_features}), got {x.shape}")
        if self.training:
            n = x.shape[0]
            if n < 2:
                raise ValueError(f"BatchNorm1d in training mode needs a batch of at least 2 samples to estimate "
                                 f"a variance, got {n}; use eval() for single samples")
            mean = x.mean(axis=0)
            var = x.var(axis=0)  # biased (divide by n), as PyTorch normalizes
            self.update_running_stats(mean, var, n)
        else:
            mean, var = self.running_mean, self.running_var
        inv_std = 1.0 / np.sqrt(var + self.eps)
        xhat = (x - mean) * inv_std
        self.cache = (xhat, inv_std, self.training)
        return xhat * self.weight.data + self.bias.data

    def backward(self, dy: np.ndarray) -> np.ndarray:
        xhat, inv_std, training = self.saved()
        dy = as_float_array(dy, "dy", dtype=xhat.dtype)
        if dy.shape != xhat.shape:
            raise ValueError(f"dy must have the input's shape {xhat.shape}, got {dy.shape}")
        self.weight.grad += np.sum(dy * xhat, axis=0)
        self.bias.grad += np.sum(dy, axis=0)
        dxhat = dy * self.weight.data
        if not training:  # running statistics are constants: a per-feature affine map
            return dxhat * inv_std
        return normalize_backward(dxhat, xhat, inv_std, (0,))

    def extra_repr(self) -> str:
        return f"{self.num_features}, eps={self.eps:g}, momentum={self.momentum:g}"


class LayerNorm(Module):
    """Layer normalization over the last axes of each sample.

    Parameters
    ----------
    normalized_shape : int or tuple of int
        The shape of the last axes to normalize over, e.g. ``d_model`` for
        inputs (batch, seq, d_model).
    eps : float
        Added to the variance inside the square root (> 0), as PyTorch does.
    dtype : numpy dtype

    Attributes
    ----------
    weight, bias : Parameter, shape ``normalized_shape`` (γ, β; start at 1 and 0)
    """

    def __init__(self, normalized_shape: int | tuple[int, ...], eps: float = 1e-5,
                 *, dtype: np.dtype | type = np.float32) -> None:
        super().__init__()
        shape = (normalized_shape,) if isinstance(normalized_shape, (int, np.integer)) else normalized_shape
        if not isinstance(shape, (tuple, list)) or not shape:
            raise TypeError(f"normalized_shape must be an int or a non-empty tuple of ints, got {normalized_shape!r}")
        self.normalized_shape = tuple(check_positive_int(s, "normalized_shape") for s in shape)
        self.eps = _check_eps(eps)
        self.weight = Parameter(np.ones(self.normalized_shape), dtype=dtype)
        self.bias = Parameter(np.zeros(self.normalized_shape), dtype=dtype)

    def normalized_axes(self, x: np.ndarray) -> tuple[int, ...]:
        """The last axes of ``x`` that ``normalized_shape`` names (checking that they match)."""
        k = len(self.normalized_shape)
        if x.shape[x.ndim - k:] != self.normalized_shape or x.ndim < k:
            raise ValueError(f"LayerNorm expects shape (..., {', '.join(map(str, self.normalized_shape))}), "
                             f"got {x.shape}")
        return tuple(range(x.ndim - k, x.ndim))

    def forward(self, x: np.ndarray) -> np.ndarray:
        x = as_float_array(x, "LayerNorm input", dtype=self.weight.dtype)
        axes = self.normalized_axes(x)
        mean = x.mean(axis=axes, keepdims=True)
        var = x.var(axis=axes, keepdims=True)
        inv_std = 1.0 / np.sqrt(var + self.eps)
        xhat = (x - mean) * inv_std
        self.cache = (xhat, inv_std, axes)
        return xhat * self.weight.data + self.bias.data

    def backward(self, dy: np.ndarray) -> np.ndarray:
        xhat, inv_std, axes = self.saved()
        dy = as_float_array(dy, "dy", dtype=xhat.dtype)
        if dy.shape != xhat.shape:
            raise ValueError(f"dy must have the input's shape {xhat.shape}, got {dy.shape}")
        lead = tuple(range(xhat.ndim - len(axes)))
        self.weight.grad += np.sum(dy * xhat, axis=lead)
        self.bias.grad += np.sum(dy, axis=lead)
        return normalize_backward(dy * self.weight.data, xhat, inv_std, axes)

    def extra_repr(self) -> str:
        return f"{self.normalized_shape}, eps={self.eps:g}"
