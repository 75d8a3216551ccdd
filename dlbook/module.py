"""The module protocol every layer, activation and model in dlbook follows.

A module is called like a function, ``y = m(x)``, and remembers what its backward
pass needs. ``dx = m.backward(dy)`` returns the gradient for the input and *adds*
the gradient of every parameter into its ``.grad`` (so two backward calls add twice;
``zero_grad`` clears them). The names follow PyTorch so the vocabulary carries over.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np


class Parameter:
    """A trainable array and its gradient.

    Parameters
    ----------
    data : array_like
        The initial values. An ndarray keeps its dtype unless ``dtype`` is given;
        other inputs become float32.
    dtype : numpy dtype, optional
        A floating dtype to cast ``data`` to.

    Attributes
    ----------
    data : np.ndarray
        The values; optimizers update it in place.
    grad : np.ndarray
        Same shape and dtype as ``data``; backward passes add into it.
    """

    def __init__(self, data: Any, dtype: np.dtype | type | None = None) -> None:
        if dtype is None:
            dtype = data.dtype if isinstance(data, np.ndarray) else np.float32
        dtype = np.dtype(dtype)
        if not np.issubdtype(dtype, np.floating):
            raise TypeError(f"a Parameter must be floating-point, got dtype {dtype}")
        self.data: np.ndarray = np.array(data, dtype=dtype)  # always a copy we own
        self.grad: np.ndarray = np.zeros_like(self.data)

    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    @property
    def dtype(self) -> np.dtype:
        return self.data.dtype

    def zero_grad(self) -> None:
        """Set the gradient to zero in place."""
        self.grad[...] = 0

    def __repr__(self) -> str:
        return f"Parameter(shape={self.data.shape}, dtype={self.data.dtype})"


class Module:
    """Base class: subclasses implement ``forward`` and ``backward``.

    Parameters and sub-modules are found by looking at the instance's attributes
    (also inside lists and tuples), in the order they were assigned.
    """

    def __init__(self) -> None:
        self.training: bool = True
        self.cache: Any = None  # what forward keeps for backward (inputs, masks, ...)

    # --- calling -----------------------------------------------------------------
    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.forward(*args, **kwargs)

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} does not implement forward")

    def backward(self, dy: np.ndarray) -> Any:
        raise NotImplementedError(f"{type(self).__name__} does not implement backward")

    def saved(self) -> Any:
        """Return what forward kept in ``self.cache`` for backward, or explain that forward has not run."""
        if self.cache is None:
            raise RuntimeError(f"{type(self).__name__}.backward was called before forward")
        return self.cache

    # --- walking the tree ------------------------------------------------------------
    def named_members(self) -> Iterator[tuple[str, Any]]:
        """Each sub-module and parameter held directly, with its attribute name (list items as ``name.i``)."""
        for name, value in vars(self).items():
            if isinstance(value, (list, tuple)):
                for i, item in enumerate(value):
                    if isinstance(item, (Parameter, Module)):
                        yield f"{name}.{i}", item
            elif isinstance(value, (Parameter, Module)):
                yield name, value

    def named_parameters(self, prefix: str = "") -> list[tuple[str, Parameter]]:
        """Every parameter with a dotted name such as ``"layers.0.weight"``, each once."""
        seen: set[int] = set()
        out: list[tuple[str, Parameter]] = []
        for name, member in self.named_members():
            full = f"{prefix}{name}"
            pairs = [(full, member)] if isinstance(member, Parameter) else member.named_parameters(full + ".")
            for pname, p in pairs:
                if id(p) not in seen:
                    seen.add(id(p))
                    out.append((pname, p))
        return out

    def parameters(self) -> list[Parameter]:
        """Every parameter of this module and its sub-modules, each once."""
        return [p for _, p in self.named_parameters()]

    def children(self) -> list[Module]:
        """The direct sub-modules."""
        return [m for _, m in self.named_members() if isinstance(m, Module)]

    def modules(self) -> list[Module]:
        """This module and all modules below it, depth first."""
        out: list[Module] = [self]
        for child in self.children():
            out.extend(child.modules())
        return out

    # --- modes and gradients -----------------------------------------------------------
    def train(self, mode: bool = True) -> Module:
        """Put this module and every sub-module in training mode (or eval mode for ``False``)."""
        for m in self.modules():
            m.training = bool(mode)
        return self

    def eval(self) -> Module:
        """Evaluation mode: dropout off, batch norm uses its running statistics."""
        return self.train(False)

    def zero_grad(self) -> None:
        """Clear the gradient of every parameter."""
        for p in self.parameters():
            p.zero_grad()

    def num_parameters(self) -> int:
        """How many numbers the parameters hold in all."""
        return sum(p.data.size for p in self.parameters())

    def extra_repr(self) -> str:
        return ""

    def __repr__(self) -> str:
        kids = [f"  ({name}): " + repr(m).replace("\n", "\n  ") for name, m in self.named_members() if isinstance(m, Module)]
        head = f"{type(self).__name__}({self.extra_repr()}"
        return head + ("\n" + "\n".join(kids) + "\n)" if kids else ")")


class Sequential(Module):
    """Modules applied one after another; backward runs them in reverse.

    Examples
    --------
    >>> net = Sequential(Linear(4, 8, rng=0), ReLU(), Linear(8, 3, rng=1))
    >>> logits = net(x)                      # (batch, 3)
    >>> dx = net.backward(dlogits)           # (batch, 4)
    """

    def __init__(self, *layers: Module) -> None:
        super().__init__()
        for i, layer in enumerate(layers):
            if not isinstance(layer, Module):
                raise TypeError(f"Sequential takes Modules, got {type(layer).__name__} at position {i}")
        self.layers: list[Module] = list(layers)

    def forward(self, x: np.ndarray) -> np.ndarray:
        for layer in self.layers:
            x = layer(x)
        return x

    def backward(self, dy: np.ndarray) -> np.ndarray:
        for layer in reversed(self.layers):
            dy = layer.backward(dy)
        return dy

    def __getitem__(self, i: int) -> Module:
        return self.layers[i]

    def __len__(self) -> int:
        return len(self.layers)

    def __iter__(self) -> Iterator[Module]:
        return iter(self.layers)

    def named_members(self) -> Iterator[tuple[str, Any]]:
        # Name sub-modules "0", "1", ... as PyTorch does, not "layers.0".
        for i, layer in enumerate(self.layers):
            yield str(i), layer



class Identity(Module):
    """y = x and dx = dy: a placeholder where a model may leave a layer out (as ``nn.Identity``)."""

    def forward(self, x: np.ndarray) -> np.ndarray:
        return x

    def backward(self, dy: np.ndarray) -> np.ndarray:
        return dy


@contextmanager
def eval_mode(model: Module) -> Iterator[Module]:
    """Run a block with ``model`` in eval mode, then put back the mode it had.

    Examples
    --------
    >>> with eval_mode(model):
    ...     logits = model(X_test)      # dropout off, batch norm on its running statistics
    >>> model.training                  # as before the block, even if the block raised
    """
    was_training = model.training
    model.eval()
    try:
        yield model
    finally:
        model.train(was_training)
