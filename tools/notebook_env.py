"""The environment every notebook runs in, under nbval and when its outputs are stored.

Kernels inherit the environment of the process that starts them, so setting it
here (from ``conftest.py`` for the tests, from ``tools.execute_notebooks`` for the
stored outputs) makes both runs see the same thing.
"""
from __future__ import annotations

import os

NOTEBOOK_ENV: dict[str, str] = {
    # Printing a set or dict of strings depends on hash randomisation.
    "PYTHONHASHSEED": "0",
    # A BLAS with 1 or 2 threads sums in a different order: the last digits change.
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    # Live training plots draw only their final frame, so stored outputs are stable.
    "DLBOOK_STATIC_PLOTS": "1",
}


def prepare() -> None:
    """Set :data:`NOTEBOOK_ENV` and build matplotlib's font cache once.

    On a fresh machine the first ``import matplotlib.pyplot`` prints "Matplotlib is
    building the font cache" to stderr, which would fail the first notebook that plots.
    """
    os.environ.update(NOTEBOOK_ENV)
    import matplotlib.font_manager  # noqa: F401  (building the cache is the side effect we want)
