"""The environment every notebook runs in, under nbval and when its outputs are stored.

Kernels inherit the environment of the process that starts them, so setting it
here (from ``conftest.py`` for the tests, from ``tools.execute_notebooks`` for the
stored outputs) makes both runs see the same thing.

``OPENBLAS_CORETYPE`` is left as the caller sets it: ``make test-kernels`` sets it to run
the chapters on another OpenBLAS kernel (``Haswell``, the AVX2 kernel most laptops
select), and :func:`blas_in_kernel` shows which kernel a notebook's kernel really runs.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

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
    # Each notebook's edition comes from the folder its kernel starts in (ko/chapters holds
    # .dlbook-language), never from the shell that runs the tests or stores the outputs.
    os.environ.pop("DLBOOK_LANG", None)
    import matplotlib.font_manager  # noqa: F401  (building the cache is the side effect we want)


def never_run(nb: Any) -> list[str]:
    """The ids of a notebook's code cells that have no execution count (new, changed or never run)."""
    return [c["id"] for c in nb.cells if c["cell_type"] == "code" and c.get("execution_count") is None]


# Run inside the kernel: NumPy loads its BLAS, threadpoolctl reports what was loaded.
_BLAS_PROBE = "import json, numpy, threadpoolctl; print(json.dumps(threadpoolctl.threadpool_info()))"


def blas_in_kernel(timeout: float = 60) -> list[dict[str, Any]]:
    """Return ``threadpoolctl.threadpool_info()`` as computed inside a notebook kernel.

    The kernel is started the way nbval (``--nbval-current-env``) and
    ``tools.execute_notebooks`` start theirs: this interpreter, this process's
    environment. So the answer is the BLAS kernel the chapters' cells run on, which
    OpenBLAS picks from the CPU unless ``OPENBLAS_CORETYPE`` forces one.

    Returns
    -------
    list of dict
        One dict per BLAS/OpenMP library NumPy loaded; OpenBLAS's has
        ``internal_api == "openblas"``, ``architecture`` (e.g. ``"Haswell"``),
        ``version`` and ``num_threads``.
    """
    from jupyter_client.manager import KernelManager
    from nbval.kernel import CURRENT_ENV_KERNEL_NAME, NbvalKernelspecManager

    km = KernelManager(kernel_name=CURRENT_ENV_KERNEL_NAME, kernel_spec_manager=NbvalKernelspecManager())
    km.start_kernel()
    printed: list[str] = []
    errors: list[str] = []

    def collect(msg: dict[str, Any]) -> None:
        if msg["msg_type"] == "stream" and msg["content"]["name"] == "stdout":
            printed.append(msg["content"]["text"])
        elif msg["msg_type"] == "error":
            errors.append(f"{msg['content']['ename']}: {msg['content']['evalue']}")

    try:
        client = km.client()
        client.start_channels()
        try:
            client.wait_for_ready(timeout=timeout)
            client.execute_interactive(_BLAS_PROBE, output_hook=collect, timeout=timeout)
        finally:
            client.stop_channels()
    finally:
        km.shutdown_kernel(now=True)
    if errors:
        raise RuntimeError(f"probing the kernel's BLAS failed: {errors[0]}")
    return json.loads("".join(printed))


def _native_kernel() -> str | None:
    """The OpenBLAS kernel a plain process picks on this CPU without ``OPENBLAS_CORETYPE``."""
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_CORETYPE"}
    probe = subprocess.run([sys.executable, "-c", _BLAS_PROBE], env=env, capture_output=True, text=True)
    if probe.returncode != 0:
        return None
    names = {lib.get("architecture") for lib in json.loads(probe.stdout) if lib.get("internal_api") == "openblas"}
    return names.pop() if len(names) == 1 else None


def check_forced_kernel() -> str:
    """If ``OPENBLAS_CORETYPE`` is set, check that notebook kernels really run another kernel.

    OpenBLAS falls back to the CPU's own kernel for a name it does not know or a kernel
    the CPU cannot run, which would make a run "on Haswell" silently test the native
    kernel again. A build may also stand one kernel in for another (scipy-openblas runs
    ``Katmai`` for ``Prescott``); that still tests a kernel other than the native one.

    Returns
    -------
    str
        A one-line description for the test report ("" when the variable is unset).

    Raises
    ------
    RuntimeError
        If the kernels run no OpenBLAS, or the CPU's own kernel where another was asked for.
    """
    wanted = os.environ.get("OPENBLAS_CORETYPE", "")
    if not wanted:
        return ""
    openblas = [lib for lib in blas_in_kernel() if lib.get("internal_api") == "openblas"]
    if not openblas:
        raise RuntimeError(
            f"OPENBLAS_CORETYPE={wanted} is set, but NumPy in the notebook kernels does not use "
            "OpenBLAS, so the variable changes nothing: unset it")
    running = sorted({str(lib.get("architecture")) for lib in openblas})
    versions = ", ".join(sorted({str(lib.get("version")) for lib in openblas}))
    report = f"notebook kernels run OpenBLAS {versions} with its {', '.join(running)} kernel"
    if [name.lower() for name in running] == [wanted.lower()]:
        return f"{report} (OPENBLAS_CORETYPE={wanted})"
    native = _native_kernel()
    if native is not None and native not in running:
        return f"{report}, which this build runs for OPENBLAS_CORETYPE={wanted} (the CPU's own: {native})"
    raise RuntimeError(
        f"OPENBLAS_CORETYPE={wanted} is set, but the notebook kernels run OpenBLAS's "
        f"{', '.join(running)} kernel, the CPU's own: OpenBLAS does not know that name or this CPU "
        "cannot run it (x86 kernel names: Haswell = AVX2, Sandybridge = AVX, Prescott = SSE3)")
