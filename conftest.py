"""pytest configuration shared by the unit tests and the notebooks (nbval)."""
from __future__ import annotations

import pytest

from tools.notebook_env import check_forced_kernel, prepare

# At import, before anything loads NumPy: OpenBLAS reads its thread count once, when it
# starts. The kernels nbval starts inherit the same environment.
prepare()

_FORCED_KERNEL = pytest.StashKey[str]()


def pytest_configure(config: pytest.Config) -> None:
    # nbval opens the sanitize file relative to the current directory: anchor it at the root.
    sanitize = getattr(config.option, "nbval_sanitize_with", None)
    if sanitize:
        config.option.nbval_sanitize_with = str(config.rootpath / sanitize)
    # OPENBLAS_CORETYPE=Haswell (make test-kernels) must really reach the notebook kernels:
    # OpenBLAS silently falls back to the CPU's own kernel for a name it cannot use.
    # Under pytest-xdist the main process checks once, before it starts the workers; they, and
    # the kernels they start, inherit its environment.
    if hasattr(config, "workerinput"):
        return
    try:
        config.stash[_FORCED_KERNEL] = check_forced_kernel()
    except RuntimeError as err:
        raise pytest.UsageError(str(err)) from None


def pytest_report_header(config: pytest.Config) -> str | None:
    return config.stash.get(_FORCED_KERNEL, "") or None
