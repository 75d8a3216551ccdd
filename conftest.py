"""pytest configuration shared by the unit tests and the notebooks (nbval)."""
from __future__ import annotations

import pytest

from tools.notebook_env import prepare

# At import, before anything loads NumPy: OpenBLAS reads its thread count once, when it
# starts. The kernels nbval starts inherit the same environment.
prepare()


def pytest_configure(config: pytest.Config) -> None:
    # nbval opens the sanitize file relative to the current directory: anchor it at the root.
    sanitize = getattr(config.option, "nbval_sanitize_with", None)
    if sanitize:
        config.option.nbval_sanitize_with = str(config.rootpath / sanitize)
