"""One way to turn what a caller passes as ``rng`` into a NumPy ``Generator``.

Everything in dlbook that draws random numbers takes ``rng`` and calls :func:`as_rng`;
nothing touches NumPy's global random state, so a notebook that seeds its own
generators gets the same numbers on every run.
"""
from __future__ import annotations

import numpy as np



def as_rng(rng: np.random.Generator | int | None) -> np.random.Generator:
    """Return a ``Generator``: ``rng`` itself, a new one seeded with an int, or an unseeded one for ``None``.

    An existing generator is returned unchanged (not copied), so consecutive draws
    from different objects that share it continue one reproducible stream.
    """
    if isinstance(rng, np.random.Generator):
        return rng
    if rng is None:
        return np.random.default_rng()
    if isinstance(rng, (int, np.integer)) and not isinstance(rng, (bool, np.bool_)):
        if rng < 0:
            raise ValueError(f"rng seed must be >= 0, got {rng}")
        return np.random.default_rng(int(rng))
    raise TypeError(f"rng must be a numpy.random.Generator, an int seed or None, got {type(rng).__name__}")
