"""Solutions of chapter 06's exercises (normalization). Each is checked by ``dlbook.exercises.normalization``."""
from __future__ import annotations

import numpy as np

__all__ = ["batch_norm_forward", "layer_norm_forward", "update_running_stats", "batch_norm_backward"]


def batch_norm_forward(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float = 1e-5) -> np.ndarray:
    """BatchNorm in training mode on x of shape (batch, features): statistics per feature, over axis 0."""
    mean = x.mean(axis=0)
    var = x.var(axis=0)                       # biased: divide by the batch size
    return gamma * (x - mean) / np.sqrt(var + eps) + beta


def layer_norm_forward(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float = 1e-5) -> np.ndarray:
    """LayerNorm over the last axis of x (..., features): statistics per sample (or token)."""
    mean = x.mean(axis=-1, keepdims=True)
    var = x.var(axis=-1, keepdims=True)
    return gamma * (x - mean) / np.sqrt(var + eps) + beta


def update_running_stats(running_mean: np.ndarray, running_var: np.ndarray, x: np.ndarray,
                         momentum: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    """BatchNorm's running statistics after one training batch x (batch, features), as PyTorch.

    The new batch gets the weight ``momentum``; the variance is the unbiased one (divide by n − 1).
    """
    new_mean = (1 - momentum) * running_mean + momentum * x.mean(axis=0)
    new_var = (1 - momentum) * running_var + momentum * x.var(axis=0, ddof=1)
    return new_mean, new_var


def batch_norm_backward(dy: np.ndarray, x: np.ndarray, gamma: np.ndarray,
                        eps: float = 1e-5) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Gradients (dx, dgamma, dbeta) of training-mode BatchNorm for the upstream gradient dy.

    x̂ depends on x directly and through the batch mean and variance, which every
    sample shares: dx = (dx̂ − mean(dx̂) − x̂·mean(dx̂·x̂)) / sqrt(var + eps), with dx̂ = dy·γ.
    """
    mean, var = x.mean(axis=0), x.var(axis=0)
    inv_std = 1.0 / np.sqrt(var + eps)
    xhat = (x - mean) * inv_std
    dxhat = dy * gamma
    dx = inv_std * (dxhat - dxhat.mean(axis=0) - xhat * (dxhat * xhat).mean(axis=0))
    return dx, (dy * xhat).sum(axis=0), dy.sum(axis=0)
