"""Fast paths: the same arithmetic as the plain code the chapters show, arranged for speed.

The chapters read the plain form (``Adam.update``, ``np.max(x, axis=-1)``); these do the
same computations with fewer NumPy calls, in place, or through BLAS, where a measurement
showed it matters (``benchmarks/README.md``). ``tests/test_fast.py`` checks each against
its plain twin on many shapes, dtypes and sizes, on both sides of every size threshold:
the Adam path gives bit-identical numbers, the reductions equal ones up to the order of
a sum's additions.

Nothing here is needed to understand the course; a reader can skip this file.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .module import Parameter
    from .optim import Adam

__all__ = ["ENABLED", "row_max", "row_sum", "softmax_rows", "softmax_rows_backward", "FusedAdam", "POOL_BELOW"]

# Whether the library takes the fast paths where it has them (the plain code runs when False:
# tests/test_fast.py runs both and compares).
ENABLED = True


# --- reductions along a short last axis --------------------------------------------------
# NumPy's reductions pay a fixed cost per row reduced, so np.max and np.sum along a short
# last axis (10 classes, 21 keys, 32 features) cost more than the arithmetic.
def row_max(x: np.ndarray) -> np.ndarray:
    """``np.max(x, axis=-1, keepdims=True)``, exactly, faster for many short rows."""
    n = x.shape[-1]
    if n <= 64 and x.size >= 64 * n:
        # Bring the last axis to the front (one contiguous copy); the maximum over it is
        # then an elementwise maximum of long slices, at full speed.
        return np.moveaxis(x, -1, 0).copy().max(axis=0)[..., None]
    return np.max(x, axis=-1, keepdims=True)


def row_sum(x: np.ndarray) -> np.ndarray:
    """``np.sum(x, axis=-1, keepdims=True)`` as a product with a vector of ones, which BLAS
    computes several times faster than NumPy's reduce for short rows (the additions come in
    another order, so the last bit may differ)."""
    return (x @ np.ones(x.shape[-1], dtype=x.dtype))[..., None]


# --- the attention's softmax ----------------------------------------------------------------
# The attention softmaxes of a Transformer step reduce thousands of rows of 8 to 22 keys; with
# these the chapter's training step takes about 10 % less time (benchmarks/README.md).
def softmax_rows(scores: np.ndarray) -> np.ndarray:
    """The plain lines of :func:`dlbook.attention.masked_softmax` after masking, with
    :func:`row_max` and :func:`row_sum` for the reductions and the exponentials in place."""
    m = row_max(scores)
    m[~np.isfinite(m)] = 0
    e = scores - m
    np.exp(e, out=e)
    total = row_sum(e)
    total[total == 0] = 1
    e /= total
    return e


def softmax_rows_backward(weights: np.ndarray, dy: np.ndarray) -> np.ndarray:
    """:func:`dlbook.attention.masked_softmax_backward` with :func:`row_sum` for the sum."""
    return weights * (dy - row_sum(dy * weights))


# --- Adam on many parameters at once --------------------------------------------------------
# Parameters with fewer numbers than this share one set of flat arrays.
POOL_BELOW = 2**15


class FusedAdam:
    """:meth:`dlbook.Adam.update` for every parameter of an optimizer, in a dozen NumPy calls.

    The small parameters of one dtype are laid end to end in flat arrays, so their update
    is a dozen calls in all rather than a dozen per parameter (PyTorch's "foreach" Adam
    groups its tensors for the same reason); every operation writes into buffers made once.
    The operations and their order are those of ``Adam.update``, elementwise, so every
    number comes out bit for bit the same. Each parameter's ``state["m"]`` and
    ``state["v"]`` are views into the flat moments, so the optimizer's state reads as usual.
    """

    def __init__(self, optimizer: Adam) -> None:
        self.optimizer = optimizer
        small: dict[np.dtype, list[int]] = {}
        self.groups: list[_Group] = []
        for i, p in enumerate(optimizer.params):
            if p.data.size < POOL_BELOW:
                small.setdefault(p.dtype, []).append(i)
            else:
                self.groups.append(_Group(optimizer, [i]))
        self.groups += [_Group(optimizer, idx) for idx in small.values()]

    def step(self) -> None:
        """One update of every parameter (the optimizer has already counted the step)."""
        opt = self.optimizer
        beta1, beta2 = opt.betas
        t = opt.steps
        for group in self.groups:
            m, v, g, buf, buf2 = group.m, group.v, group.g, group.buf, group.buf2
            grad = group.gather("grad", out=g)
            if opt.weight_decay:                                   # g = grad + wd·θ
                np.multiply(group.gather("data", out=buf), opt.weight_decay, out=buf)
                grad = np.add(grad, buf, out=g)
            m *= beta1                                             # m = β1·m + (1−β1)·g
            m += np.multiply(grad, 1 - beta1, out=buf)
            np.square(grad, out=buf)                               # v = β2·v + (1−β2)·g²
            buf *= 1 - beta2
            v *= beta2
            v += buf
            np.divide(m, 1 - beta1**t, out=buf)                    # m̂
            buf *= opt.lr                                          # lr·m̂
            np.divide(v, 1 - beta2**t, out=buf2)                   # v̂
            np.sqrt(buf2, out=buf2)
            buf2 += opt.eps                                        # √v̂ + ε
            buf /= buf2
            group.subtract(buf)                                    # θ = θ − lr·m̂/(√v̂ + ε)


class _Group:
    """Parameters of one dtype laid end to end: their moments as flat arrays, and where each one sits."""

    def __init__(self, optimizer: Adam, indices: list[int]) -> None:
        self.params: list[Parameter] = [optimizer.params[i] for i in indices]
        ends = np.cumsum([p.data.size for p in self.params])
        self.slices = [slice(int(end) - p.data.size, int(end)) for p, end in zip(self.params, ends)]
        size, dtype = int(ends[-1]), self.params[0].dtype
        self.m, self.v, self.g, self.buf, self.buf2 = (np.zeros(size, dtype=dtype) for _ in range(5))
        for i, p, part in zip(indices, self.params, self.slices):
            state = optimizer.state[i]
            state["m"] = self.m[part].reshape(p.shape)
            state["v"] = self.v[part].reshape(p.shape)

    def gather(self, attr: str, *, out: np.ndarray) -> np.ndarray:
        """Every parameter's ``.grad`` (or ``.data``) flattened, one after another, in ``out``
        (a lone parameter's own array is returned as it is, flattened: read it, never write)."""
        arrays = [getattr(p, attr).reshape(-1) for p in self.params]
        return arrays[0] if len(arrays) == 1 else np.concatenate(arrays, out=out)

    def subtract(self, update: np.ndarray) -> None:
        """θ ← θ − update, each parameter taking its own slice."""
        for p, part in zip(self.params, self.slices):
            p.data -= update[part].reshape(p.shape)
