"""Benchmarks of dlbook against the machine's limits (``make bench``, ``python -m benchmarks.bench``).

This runs before ``bench`` imports NumPy: OpenBLAS, OpenMP and MKL read their thread count
once, when they load, so the default of one thread is set here (``--threads`` changes it
later); an environment that already sets them keeps its values.
"""
import os

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
