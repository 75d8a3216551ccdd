"""Measure dlbook's training steps against NumPy's own matmul rate (and PyTorch, if installed).

Usage (from the repository root; ``make bench`` runs it in the project environment)::

    python -m benchmarks.bench                   # everything; writes benchmarks/RESULTS.md
    python -m benchmarks.bench --skip-chapters   # only the training steps
    python -m benchmarks.bench --update-readme   # also copy the table into README.md
    python -m benchmarks.bench --threads 2       # BLAS (and PyTorch) threads; 1 by default

What it measures, all in one run on the machine it runs on:

- the matmul rate NumPy reaches in float32 on a 1024³ product: the machine's practical ceiling;
- one training step (forward, loss, backward, Adam) of dlbook models in float32: chapter 04's
  digits MLP, a 784-256-256-10 MLP at batch 256 on synthetic inputs, and chapter 07's small
  Transformer. For each: its matmul FLOPs per step, counted from the shapes the step used;
  the rate reached, as a share of the 1024³ rate; and the time NumPy needs for *only* that
  step's matmuls (same shapes, nothing else): the step's own limit, and the share of it reached;
- the same models in PyTorch when ``torch`` happens to be importable (it is not a dependency),
  and the time ratio;
- the wall time of each chapter under nbval.

How it measures (see ``benchmarks/README.md`` for why):

- one BLAS thread by default, set before NumPy loads, and the same count for PyTorch;
- medians over many calls; the calls of what one row compares (dlbook, its matmuls alone,
  PyTorch) are interleaved in short rounds, so a burst of load from another process hits
  all of them alike. The load average is printed with the results;
- every 100 steps the model and optimizer start again from their initial state, so each
  step is one of a model in early training, never of one that has memorized its batch
  (whose subnormal gradients would be timed instead of the code);
- the C allocator is first put in the state of a long-running process (see
  :func:`warm_allocator`), as a notebook is;
- each model is checked to be float32 end to end (parameters, gradients, saved arrays).
"""
from __future__ import annotations

import argparse
import copy
import ctypes
import datetime
import math
import os
import platform
import re
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

# NumPy loads here, after benchmarks/__init__.py has set the thread count it will read.
import numpy as np

import dlbook as dl

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
README_START, README_END = "<!-- bench:start -->", "<!-- bench:end -->"


# --- threads ------------------------------------------------------------------------------
def _openblas_libraries() -> list[tuple[str, ctypes.CDLL]]:
    """Every OpenBLAS loaded in this process (NumPy's, and SciPy's own), from the memory map."""
    try:
        maps = Path("/proc/self/maps").read_text()
    except OSError:  # not Linux: the thread count stays what the environment said
        return []
    paths = dict.fromkeys(line.split()[-1] for line in maps.splitlines()
                          if "openblas" in Path(line.split()[-1]).name.lower())
    libs = []
    for path in paths:
        try:
            libs.append((path, ctypes.CDLL(path)))
        except OSError:
            pass
    return libs


def _blas_call(lib: ctypes.CDLL, verb: str) -> Any:
    """``openblas_<verb>_num_threads`` under whichever name this build exports, or None."""
    for name in (f"scipy_openblas_{verb}_num_threads64_", f"scipy_openblas_{verb}_num_threads",
                 f"openblas_{verb}_num_threads64_", f"openblas_{verb}_num_threads"):
        fn = getattr(lib, name, None)
        if fn is not None:
            return fn
    return None


def blas_threads() -> int | None:
    """How many threads NumPy's OpenBLAS uses now (None when it cannot be asked)."""
    libs = _openblas_libraries()
    libs.sort(key=lambda pair: "numpy" not in pair[0])  # NumPy's own first
    for _, lib in libs:
        fn = _blas_call(lib, "get")
        if fn is not None:
            fn.restype = ctypes.c_int
            return int(fn())
    return None


def set_threads(n: int) -> None:
    """Use ``n`` threads in every loaded OpenBLAS and, if it is importable, in PyTorch."""
    for _, lib in _openblas_libraries():
        fn = _blas_call(lib, "set")
        if fn is not None:
            fn.argtypes = [ctypes.c_int]
            fn(n)
    torch = _torch()
    if torch is not None:
        torch.set_num_threads(n)


def warm_allocator() -> None:
    """Put the C allocator in the state of a process that has been running a while.

    glibc's malloc gives every new block over 128 KiB fresh pages from the kernel (and
    takes the time to fault them in) until the process frees such a block; from then
    on, blocks up to the size of the largest one freed (at most 32 MiB) come from memory
    it keeps. A notebook reaches that state with its first big array; a fresh benchmark
    would not, and would charge every large temporary its page faults (about 950 a step
    for the 784-256-256-10 MLP before Adam worked in place). Freeing one 16 MiB array
    sets it, whatever ran before.
    """
    np.ones(2**22, dtype=np.float32).sum()


def _torch() -> Any:
    try:
        import torch
    except ImportError:
        return None
    return torch


# --- timing ----------------------------------------------------------------------------
@dataclass
class Timing:
    """Seconds per call: the median and the quartiles over ``n`` timed calls."""

    median: float
    q1: float
    q3: float
    n: int

    @classmethod
    def of(cls, times: Sequence[float]) -> Timing:
        q1, med, q3 = np.percentile(times, [25, 50, 75])
        return cls(float(med), float(q1), float(q3), len(times))


def time_interleaved(fns: dict[str, Callable[[], object]], *, seconds: float = 4.0,
                     rounds: int = 20) -> dict[str, Timing]:
    """Time each function over about ``seconds``, in ``rounds`` interleaved rounds.

    Every round runs each function for ``seconds / rounds`` (at least 3 calls) and records
    each call's duration, so the compared functions see the same machine load.
    """
    for fn in fns.values():  # warm up: first calls allocate, fill caches, start BLAS threads
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < 0.05:
            fn()
    times: dict[str, list[float]] = {name: [] for name in fns}
    slot = seconds / rounds
    for _ in range(rounds):
        for name, fn in fns.items():
            start = time.perf_counter()
            calls = 0
            while calls < 3 or time.perf_counter() - start < slot:
                t0 = time.perf_counter()
                fn()
                times[name].append(time.perf_counter() - t0)
                calls += 1
    return {name: Timing.of(t) for name, t in times.items()}


# --- FLOP counting ---------------------------------------------------------------------
@dataclass(frozen=True)
class Matmul:
    """One (possibly stacked) matrix product ``A @ B``: ``batch`` stacks of (m, k) @ (k, n).

    ``trans_a`` / ``trans_b`` say the operand is a transposed view of a stored array, as in
    ``x.T @ dy`` (the weight gradient) and ``dy @ W.T`` (the input gradient).
    """

    m: int
    k: int
    n: int
    batch: tuple[int, ...] = ()
    trans_a: bool = False
    trans_b: bool = False

    @property
    def flops(self) -> int:
        """2·m·k·n per product (a multiply and an add per term), times the stack size."""
        return 2 * math.prod(self.batch) * self.m * self.k * self.n


def step_matmuls(model: dl.Module) -> list[Matmul]:
    """The matrix products of one training step, read off the shapes of the last forward pass.

    A Linear layer that saw r rows does three products: y = x W (r·in·out), the weight
    gradient xᵀ dy and the input gradient dy Wᵀ (the same size each). Attention does
    S = Q Kᵀ and O = A V forward and four products backward (dV = Aᵀ dO, dA = dO Vᵀ,
    dQ = dS K, dK = dSᵀ Q). Everything else a step does (activations, softmax, LayerNorm,
    Adam) is elementwise: it counts in the time, not in these FLOPs.
    """
    out: list[Matmul] = []
    for m in model.modules():
        if isinstance(m, dl.Linear) and m.cache is not None:
            r, i, o = m.cache.size // m.in_features, m.in_features, m.out_features
            out += [Matmul(r, i, o), Matmul(i, r, o, trans_a=True), Matmul(r, o, i, trans_b=True)]
        cache = getattr(m, "cache", None)
        if getattr(m, "attn_weights", None) is not None and isinstance(cache, tuple) and len(cache) == 4:
            q, _, v, weights = cache  # (..., len_q, d_k), (..., len_k, d_k), (..., len_k, d_v), (..., len_q, len_k)
            *batch, lq, lk = weights.shape
            dk, dv, b = q.shape[-1], v.shape[-1], tuple(batch)
            out += [Matmul(lq, dk, lk, b, trans_b=True), Matmul(lq, lk, dv, b),  # S = Q Kᵀ, O = A V
                    Matmul(lk, lq, dv, b, trans_a=True), Matmul(lq, dv, lk, b, trans_b=True),  # dV, dA
                    Matmul(lq, lk, dk, b), Matmul(lk, lq, dk, b, trans_a=True)]  # dQ, dK
    return out


def step_matmul_flops(model: dl.Module) -> int:
    """Matmul FLOPs of one training step (see :func:`step_matmuls`)."""
    return sum(mm.flops for mm in step_matmuls(model))


def matmuls_only(matmuls: Sequence[Matmul], dtype: np.dtype | type = np.float32) -> Callable[[], None]:
    """A function that does exactly these products, into preallocated outputs, and nothing else.

    Its time is the step's limit: what the step would take if everything but its matmuls
    were free. Operands are laid out as in the step (a transposed operand is a view).
    """
    rng = np.random.default_rng(0)
    jobs = []
    for mm in matmuls:
        a_shape = mm.batch + ((mm.k, mm.m) if mm.trans_a else (mm.m, mm.k))
        b_shape = mm.batch + ((mm.n, mm.k) if mm.trans_b else (mm.k, mm.n))
        a = rng.standard_normal(a_shape).astype(dtype)
        b = rng.standard_normal(b_shape).astype(dtype)
        a = np.swapaxes(a, -1, -2) if mm.trans_a else a
        b = np.swapaxes(b, -1, -2) if mm.trans_b else b
        jobs.append((a, b, np.empty(mm.batch + (mm.m, mm.n), dtype=dtype)))

    def run() -> None:
        for a, b, c in jobs:
            np.matmul(a, b, out=c)

    return run


def matmul_gflops(n: int = 1024, *, seconds: float = 2.0) -> float:
    """GFLOP/s NumPy reaches on a float32 (n, n) @ (n, n) product here, now."""
    t = time_interleaved({"matmul": matmuls_only([Matmul(n, n, n)])}, seconds=seconds, rounds=5)
    return 2 * n**3 / t["matmul"].median / 1e9


def torch_matmul_gflops(n: int = 1024, *, seconds: float = 2.0) -> float | None:
    """The same for PyTorch's float32 matmul, if PyTorch is importable."""
    torch = _torch()
    if torch is None:
        return None
    gen = torch.Generator().manual_seed(0)
    a, b = torch.randn(n, n, generator=gen), torch.randn(n, n, generator=gen)
    c = torch.empty(n, n)
    t = time_interleaved({"matmul": lambda: torch.matmul(a, b, out=c)}, seconds=seconds, rounds=5)
    return 2 * n**3 / t["matmul"].median / 1e9


# --- the models ---------------------------------------------------------------------------
@dataclass
class Case:
    """A model and one batch, ready to be stepped."""

    name: str
    model: dl.Module
    inputs: tuple[np.ndarray, ...]
    targets: np.ndarray
    loss_fn: dl.Loss
    torch_step: Callable[[], None] | None = None
    torch_note: str = ""


# Every RESET_EVERY calls a timed step puts the model and its optimizer back to where they
# started. Stepped thousands of times on one batch, a model memorizes it; its gradients
# become so small (or exactly 0 for dead units, whose Adam moments then decay by β1 a
# step) that they underflow into subnormal floats, which the CPU handles many times more
# slowly. That would time an artifact of the benchmark, not the code: so every number here
# is a step of a model in early training. The one slow call in RESET_EVERY that does the
# reset does not move a median.
RESET_EVERY = 100


def dlbook_step(model: dl.Module, inputs: tuple[np.ndarray, ...], targets: np.ndarray,
                loss_fn: dl.Loss) -> Callable[[], None]:
    """One training step as the chapters take it: zero_grad, forward, loss, backward, Adam."""
    params = model.parameters()
    initial = [p.data.copy() for p in params]
    optimizer = dl.Adam(params, lr=1e-3)
    calls = 0

    def step() -> None:
        nonlocal optimizer, calls
        if calls % RESET_EVERY == 0 and calls:
            for p, value in zip(params, initial):
                p.data[...] = value
            optimizer = dl.Adam(params, lr=1e-3)
        calls += 1
        optimizer.zero_grad()
        loss_fn(model(*inputs), targets)
        model.backward(loss_fn.backward())
        optimizer.step()

    return step


def torch_training_step(net: Any, loss: Callable[[], Any], before: Callable[[], None] | None = None) -> Callable[[], None]:
    """A PyTorch training step with Adam on ``net``, ``loss()`` computing the loss, reset as above."""
    torch = _torch()
    initial = copy.deepcopy(net.state_dict())
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    calls = 0

    def step() -> None:
        nonlocal opt, calls
        if calls % RESET_EVERY == 0 and calls:
            net.load_state_dict(initial)
            opt = torch.optim.Adam(net.parameters(), lr=1e-3)
        calls += 1
        opt.zero_grad()
        if before is not None:
            before()
        loss().backward()
        opt.step()

    return step


def mlp(sizes: Sequence[int], seed: int = 0) -> dl.Sequential:
    """Linear, ReLU, Linear, ..., Linear with the given widths."""
    layers: list[dl.Module] = []
    for i, (a, b) in enumerate(pairwise(sizes)):
        layers.append(dl.Linear(a, b, rng=seed + i))
        if i < len(sizes) - 2:
            layers.append(dl.ReLU())
    return dl.Sequential(*layers)


def torch_mlp_step(sizes: Sequence[int], x: np.ndarray, y: np.ndarray) -> Callable[[], None] | None:
    """The same MLP step in PyTorch, or None without PyTorch.

    The input asks for a gradient, as dlbook's first Linear always computes one (its
    backward returns dx), so both do the same FLOPs.
    """
    torch = _torch()
    if torch is None:
        return None
    torch.manual_seed(0)
    layers: list[Any] = []
    for i, (a, b) in enumerate(pairwise(sizes)):
        layers.append(torch.nn.Linear(a, b))
        if i < len(sizes) - 2:
            layers.append(torch.nn.ReLU())
    net = torch.nn.Sequential(*layers)
    loss_fn = torch.nn.CrossEntropyLoss()
    xt, yt = torch.from_numpy(x).requires_grad_(True), torch.from_numpy(y.astype(np.int64))

    def clear_input_grad() -> None:
        xt.grad = None

    return torch_training_step(net, lambda: loss_fn(net(xt), yt), clear_input_grad)


def mlp_case(name: str, sizes: Sequence[int], x: np.ndarray, y: np.ndarray) -> Case:
    return Case(name, mlp(sizes), (x,), y, dl.CrossEntropyLoss(), torch_mlp_step(sizes, x, y),
                "nn.Sequential of nn.Linear and nn.ReLU, the input requiring a gradient")


def torch_transformer_step(model: Any, src: np.ndarray, tgt_in: np.ndarray, tgt_out: np.ndarray,
                           ignore_index: int) -> Callable[[], None] | None:
    """A PyTorch twin of a dlbook ``Seq2SeqTransformer`` (same sizes and masks), or None without PyTorch.

    Built from ``nn.TransformerEncoderLayer`` / ``nn.TransformerDecoderLayer`` with
    ``norm_first=True`` (dlbook's pre-norm), ReLU, no dropout, a final LayerNorm on each
    stack, ``nn.Embedding`` tables, the same fixed sinusoidal positions and a Linear output
    layer: what ``nn.Transformer(..., norm_first=True)`` builds, plus the embeddings.
    """
    torch = _torch()
    if torch is None:
        return None
    nn = torch.nn
    enc0 = model.encoder.layers[0]
    d_model, heads, d_ff = model.src_embed.embedding_dim, enc0.self_attn.num_heads, enc0.ffn[0].out_features
    pad = model.pad_id

    class Twin(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.src_embed = nn.Embedding(model.src_embed.num_embeddings, d_model)
            self.tgt_embed = nn.Embedding(model.tgt_embed.num_embeddings, d_model)
            max_len = getattr(model.src_pos, "max_len", 64)
            self.register_buffer("pe", torch.from_numpy(dl.sinusoidal_positional_encoding(max_len, d_model)))
            layer = {"d_model": d_model, "nhead": heads, "dim_feedforward": d_ff, "dropout": 0.0, "batch_first": True,
                     "norm_first": True}
            self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(**layer), len(model.encoder.layers),
                                                 norm=nn.LayerNorm(d_model), enable_nested_tensor=False)
            self.decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(**layer), len(model.decoder.layers),
                                                 norm=nn.LayerNorm(d_model))
            self.generator = nn.Linear(d_model, model.generator.out_features)

        def forward(self, src: Any, tgt: Any) -> Any:
            # PyTorch's boolean masks say True = may NOT attend (dlbook's say True = may attend).
            src_pad, tgt_pad = src == pad, tgt == pad
            causal = torch.triu(torch.ones(tgt.shape[1], tgt.shape[1], dtype=torch.bool), diagonal=1)
            memory = self.encoder(self.src_embed(src) + self.pe[:src.shape[1]], src_key_padding_mask=src_pad)
            y = self.decoder(self.tgt_embed(tgt) + self.pe[:tgt.shape[1]], memory, tgt_mask=causal,
                             tgt_key_padding_mask=tgt_pad, memory_key_padding_mask=src_pad)
            return self.generator(y)

    torch.manual_seed(0)
    net = Twin()
    loss_fn = nn.CrossEntropyLoss(ignore_index=ignore_index)
    s, t, o = (torch.from_numpy(a.astype(np.int64)) for a in (src, tgt_in, tgt_out))

    def loss() -> Any:
        logits = net(s, t)
        return loss_fn(logits.reshape(-1, logits.shape[-1]), o.reshape(-1))

    return torch_training_step(net, loss)


def transformer_case(batch_size: int = 64) -> Case:
    """Chapter 07's translator on the first batch of the chapter's training data.

    The model of ``dl.translator.make_translator`` (d_model 32, 4 heads, one encoder and one
    decoder layer, d_ff 64) for the vocabularies of ``dl.data.make_translation(rng=0)``
    (63 Korean and 71 English tokens), on sentences padded as the chapter's training split:
    11 source and 22 target positions. In float32, like every row here; the chapter trains
    the same model in float64, so that its printed numbers do not depend on the BLAS kernel.
    """
    data = dl.data.make_translation(rng=0)
    model = dl.translator.make_translator(data, rng=0)
    train = data.train
    inputs, targets = (train.src[:batch_size], train.tgt_in[:batch_size]), train.tgt_out[:batch_size]
    loss_fn = dl.CrossEntropyLoss(ignore_index=data.tgt_vocab.pad_id)
    src_len, tgt_len = inputs[0].shape[1], inputs[1].shape[1]
    return Case(f"Transformer (chapter 07), batch {batch_size}, {src_len}→{tgt_len} tokens", model, inputs, targets,
                loss_fn, torch_transformer_step(model, *inputs, targets, loss_fn.ignore_index),
                "nn.TransformerEncoderLayer/DecoderLayer, norm_first, same sizes and masks")


def cases() -> list[Case]:
    X, y = dl.data.load_digits()
    rng = np.random.default_rng(0)
    out = [mlp_case("digits MLP 64-256-10 (chapter 04), batch 32", [64, 256, 10], X[:32], y[:32]),
           mlp_case("MLP 784-256-256-10, batch 256 (synthetic)", [784, 256, 256, 10],
                    rng.standard_normal((256, 784)).astype(np.float32), rng.integers(0, 10, 256))]
    out.append(transformer_case())
    return out


# --- measuring ---------------------------------------------------------------------------
@dataclass
class StepResult:
    name: str
    step: Timing
    matmuls: Timing  # the step's matmuls alone
    flops: int
    torch: Timing | None = None
    torch_note: str = ""

    @property
    def gflops(self) -> float:
        return self.flops / self.step.median / 1e9


def non_float32(model: dl.Module) -> list[str]:
    """Names of the floating arrays a module tree holds (parameters, gradients, what forward
    saved for backward) that are not float32: empty when the model is float32 end to end."""
    found = []
    for m in model.modules():
        for name, value in vars(m).items():
            items = value if isinstance(value, (tuple, list)) else (value,)
            for i, item in enumerate(items):
                arrays = {"data": item.data, "grad": item.grad} if isinstance(item, dl.Parameter) else {"": item}
                for part, a in arrays.items():
                    if isinstance(a, np.ndarray) and a.dtype.kind == "f" and a.dtype != np.float32:
                        where = f"{name}[{i}]" if isinstance(value, (tuple, list)) else name
                        found.append(f"{type(m).__name__}.{where}{'.' + part if part else ''}: {a.dtype}")
    return found


def measure(case: Case, *, seconds: float) -> StepResult:
    step = dlbook_step(case.model, case.inputs, case.targets, case.loss_fn)
    step()  # one step fills the caches the matmuls are read from
    wrong = non_float32(case.model)
    if wrong:
        raise TypeError(f"{case.name} is not float32 end to end: {', '.join(wrong)}")
    matmuls = step_matmuls(case.model)
    fns = {"dlbook": step, "matmuls": matmuls_only(matmuls)}
    if case.torch_step is not None:
        fns["torch"] = case.torch_step
    t = time_interleaved(fns, seconds=seconds * len(fns))
    return StepResult(case.name, t["dlbook"], t["matmuls"], sum(mm.flops for mm in matmuls), t.get("torch"),
                      case.torch_note)


def chapter_seconds() -> list[tuple[str, float, bool]]:
    """Wall time of ``pytest <chapter>`` (nbval) for each chapter, as a reader of the README would run it."""
    out = []
    for nb in sorted((ROOT / "chapters").glob("[0-9][0-9]_*.ipynb")):
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "pytest", "-q", str(nb.relative_to(ROOT))], cwd=ROOT,
                              capture_output=True, text=True, check=False)
        out.append((nb.stem, time.perf_counter() - t0, proc.returncode == 0))
    return out


# --- report ----------------------------------------------------------------------------
def machine(threads: int | None) -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    blas = "BLAS"
    try:
        info = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        blas = f"{info['name']} {info['version']}"
    except (KeyError, TypeError):  # NumPy < 1.25, or a config laid out otherwise: keep the plain label
        pass
    torch = _torch()
    torch_part = (f"; PyTorch {torch.__version__}, {torch.get_num_threads()} thread(s)" if torch is not None
                  else "; PyTorch not installed")
    shown = "?" if threads is None else str(threads)
    return (f"{cpu}, {os.cpu_count()} cores; Python {platform.python_version()}, NumPy {np.__version__} "
            f"({blas}, {shown} thread(s)){torch_part}")


def _ms(t: Timing) -> str:
    """The median, and the middle half of the timed calls in brackets."""
    return f"{1e3 * t.median:#.3g} [{1e3 * t.q1:#.3g}–{1e3 * t.q3:#.3g}]"


def report(peak: float, steps: list[StepResult], chapters: list[tuple[str, float, bool]], *,
           machine_line: str = "", load: tuple[float, float] | None = None, torch_peak: float | None = None,
           date: str = "") -> str:
    """The results as Markdown: a header, the steps' table, notes, and the chapters' table."""
    head = f"Machine: {machine_line}." if machine_line else ""
    if date:
        head += f" Measured {date}."
    if load is not None:
        head += f" Load average (1 min) {load[0]:.1f} at the start, {load[1]:.1f} at the end."
    rates = f"NumPy float32 matmul, 1024×1024 @ 1024×1024: **{peak:.1f} GFLOP/s** (the machine's ceiling below)"
    if torch_peak is not None:
        rates += f"; PyTorch: {torch_peak:.1f} GFLOP/s"
    lines = [head.strip(), "", rates + ".", "",
             ("| training step (float32, Adam) | ms / step | matmul GFLOP / step | GFLOP/s | of the 1024³ rate "
              "| its matmuls alone, ms | of that limit | PyTorch ms / step | dlbook ÷ PyTorch |"),
             "|---|---|---|---|---|---|---|---|---|"]
    for s in steps:
        torch_ms = _ms(s.torch) if s.torch else "—"
        ratio = f"{s.step.median / s.torch.median:.2f}×" if s.torch else "—"
        lines.append(f"| {s.name} | {_ms(s.step)} | {s.flops / 1e9:.3g} | {s.gflops:.1f} | {s.gflops / peak:.0%} "
                     f"| {1e3 * s.matmuls.median:#.3g} | {s.matmuls.median / s.step.median:.0%} | {torch_ms} | {ratio} |")
    lines += ["", ("Times: median [middle half] of many steps, interleaved with the other timings of the same row. "
                   "\"Its matmuls alone\": the step's matrix products (same shapes) and nothing else, "
                   "its practical limit; \"of that limit\" = that time ÷ the step's time.")]
    notes = sorted({s.torch_note for s in steps if s.torch and s.torch_note})
    if notes:
        lines.append("PyTorch twins: " + "; ".join(notes) + ".")
    if chapters:
        lines += ["", "| chapter under nbval (`pytest chapters/NN_*.ipynb`, one BLAS thread) | seconds | outputs as stored |",
                  "|---|---|---|"]
        lines += [f"| {name} | {sec:.1f} | {'yes' if ok else 'NO'} |" for name, sec, ok in chapters]
        lines.append(f"| all chapters, one after another | {sum(s for _, s, _ in chapters):.1f} | |")
    return "\n".join(lines) + "\n"


def update_readme(text: str, readme: Path = ROOT / "README.md") -> None:
    """Replace what stands between the README's bench markers with ``text``."""
    content = readme.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(README_START) + ".*?" + re.escape(README_END), re.DOTALL)
    if not pattern.search(content):
        raise SystemExit(f"{readme.name} has no {README_START} … {README_END} markers: nothing updated")
    readme.write_text(pattern.sub(lambda _: f"{README_START}\n{text}{README_END}", content), encoding="utf-8")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="dlbook benchmarks")
    parser.add_argument("--skip-chapters", action="store_true", help="do not time the chapters under nbval")
    parser.add_argument("--update-readme", action="store_true", help="copy the table into README.md")
    parser.add_argument("--threads", type=int, default=1, help="BLAS and PyTorch threads (default 1)")
    parser.add_argument("--seconds", type=float, default=4.0,
                        help="seconds of timing per measured function (default 4)")
    parser.add_argument("--output", type=Path, default=RESULTS, help=f"where to write the table (default {RESULTS.name})")
    args = parser.parse_args(argv)

    if blas_threads() != args.threads:
        set_threads(args.threads)
    warm_allocator()
    load_start = os.getloadavg()[0]
    peak = matmul_gflops()
    torch_peak = torch_matmul_gflops()
    steps = []
    for case in cases():
        steps.append(measure(case, seconds=args.seconds))
        print(f"measured: {case.name}", file=sys.stderr)
    chapters = [] if args.skip_chapters else chapter_seconds()
    text = report(peak, steps, chapters, machine_line=machine(blas_threads()),
                  load=(load_start, os.getloadavg()[0]), torch_peak=torch_peak,
                  date=datetime.date.today().isoformat())
    print(text)
    args.output.write_text("# Benchmark results\n\nWritten by `make bench` (`python -m benchmarks.bench`); "
                       "see `benchmarks/README.md` for the method.\n\n" + text, encoding="utf-8")
    if args.update_readme:
        update_readme(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
