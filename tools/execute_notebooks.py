"""Re-execute notebooks top to bottom in a fresh kernel and store them with their outputs.

Usage (from the repository root; ``make notebooks`` runs it in the project environment)::

    python -m tools.execute_notebooks                  # every chapter
    python -m tools.execute_notebooks chapters/02_activations.ipynb

It uses the same kernel (this Python environment) and the same environment
variables as the tests, so what it stores is what nbval will compare against.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbval.kernel import CURRENT_ENV_KERNEL_NAME, NbvalKernelspecManager

from tools.notebook_env import prepare

ROOT = Path(__file__).resolve().parent.parent
KERNELSPEC = {"name": "dlbook", "display_name": "Python (dlbook)", "language": "python"}


def execute(path: Path, timeout: int = 300) -> float:
    """Execute one notebook in place; return the seconds it took."""
    nb = nbformat.read(path, as_version=4)
    # The kernel nbval --nbval-current-env starts: this interpreter, whatever the notebook names.
    km = KernelManager(kernel_name=CURRENT_ENV_KERNEL_NAME, kernel_spec_manager=NbvalKernelspecManager())
    client = NotebookClient(nb, km=km, timeout=timeout, resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    try:
        client.execute()
    finally:
        if km.has_kernel:
            km.shutdown_kernel(now=True)
    seconds = time.perf_counter() - start
    nb.metadata["kernelspec"] = KERNELSPEC
    nb.metadata.get("language_info", {}).pop("version", None)  # differs between machines; not compared
    nbformat.write(nb, path)
    return seconds


def main(argv: list[str]) -> int:
    prepare()
    paths = [Path(a) for a in argv] or sorted((ROOT / "chapters").glob("[0-9]*.ipynb"))
    total = 0.0
    for path in paths:
        seconds = execute(path)
        total += seconds
        print(f"{path.name}: {seconds:.1f} s")
    print(f"{len(paths)} notebook(s) executed and stored in {total:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
