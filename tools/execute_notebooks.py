"""Re-execute notebooks top to bottom in a fresh kernel and store them with their outputs.

Usage (from the repository root; ``make notebooks`` and ``make korean`` run it in the project
environment)::

    python -m tools.execute_notebooks                  # every English chapter
    python -m tools.execute_notebooks chapters/02_activations.ipynb
    python -m tools.execute_notebooks ko/chapters      # every Korean chapter (a folder: its NN_*.ipynb)
    python -m tools.execute_notebooks --unexecuted ko/chapters   # only those with a code cell never run

It uses the same kernel (this Python environment) and the same environment
variables as the tests, so what it stores is what nbval will compare against. Each
kernel starts in its notebook's folder, as nbval's and JupyterLab's do: in ``ko/chapters``
the file ``.dlbook-language`` makes it the Korean edition (``dlbook.i18n.language()``).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import nbformat
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbval.kernel import CURRENT_ENV_KERNEL_NAME, NbvalKernelspecManager

from tools.notebook_env import never_run, prepare

ROOT = Path(__file__).resolve().parent.parent
KERNELSPEC = {"name": "dlbook", "display_name": "Python (dlbook)", "language": "python"}
CHAPTER_GLOB = "[0-9][0-9]_*.ipynb"


def execute(path: Path, timeout: int = 300) -> float:
    """Execute one notebook in place, its kernel started in the notebook's folder; return the seconds."""
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


def notebooks(args: list[str]) -> list[Path]:
    """The notebooks named: files as given, folders as their chapters; by default the English chapters."""
    if not args:
        return sorted((ROOT / "chapters").glob(CHAPTER_GLOB))
    found: list[Path] = []
    for arg in args:
        path = Path(arg)
        if path.is_dir():
            found += sorted(path.glob(CHAPTER_GLOB))
        elif path.suffix == ".ipynb" and path.is_file():
            found.append(path)
        else:
            raise SystemExit(f"not a notebook or a folder of chapters: {arg}")
    return found


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="notebooks or folders of chapters (default: chapters/)")
    parser.add_argument("--unexecuted", action="store_true",
                        help="only the notebooks with a code cell that has never run")
    args = parser.parse_args(argv)
    prepare()
    paths = notebooks(args.paths)
    if args.unexecuted:
        stale = {p: bool(never_run(nbformat.read(p, as_version=4))) for p in paths}
        skipped = [p for p in paths if not stale[p]]
        paths = [p for p in paths if stale[p]]
        if skipped:
            print(f"{len(skipped)} notebook(s) already executed with their current code: not run again")
    total = 0.0
    for path in paths:
        seconds = execute(path)
        total += seconds
        print(f"{path.as_posix()}: {seconds:.1f} s")
    print(f"{len(paths)} notebook(s) executed and stored in {total:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
