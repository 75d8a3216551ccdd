"""Draw every figure in ``img/`` with dlbook's own plotting functions (``make figures``).

Usage, from the repository root (``make figures`` runs the first line in the project environment)::

    python -m tools.make_figures                                   # every figure, into img/
    python -m tools.make_figures --only network_mlp,attention_cross  # some of them
    python -m tools.make_figures --out /tmp/figures                # into another folder

``img/`` holds the figures that picture an idea (diagrams, the activation functions,
dropout masks, the trained translator's attention), for the README, the course site and
any chapter that shows one in its text. Each is drawn from the inputs its chapter uses: a
fixed network, seeded dropout masks, the translation set with ``rng=0``, and for the
trained translator the same dlbook functions the chapter calls. The results of a chapter's
own experiments (decision boundaries, training comparisons) stay in the chapter.

Every file is written by :func:`dlbook.plotting.save_figure` in matplotlib's default style
with one BLAS thread, so two runs write byte-identical files, and the command writes
nothing but the PNGs listed in :data:`FIGURES`.
"""
from __future__ import annotations

import os

from tools.notebook_env import NOTEBOOK_ENV

# Before NumPy loads: OpenBLAS reads its thread count once, and the trained translator's
# numbers (hence its figures) depend on the summation order.
os.environ.update(NOTEBOOK_ENV)

import argparse  # noqa: E402
import functools  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable, Iterable  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

import matplotlib  # noqa: E402

matplotlib.use("Agg")  # files only, no window

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

import dlbook as dl  # noqa: E402
from dlbook import plotting, translator  # noqa: E402
from dlbook.data import romanize  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
IMG = ROOT / "img"

#: The source note's example sentence (chapter 07), with the particles natural Korean keeps.
SOURCE_EXAMPLE = tuple("어제 카페에 갔어 . 거기 사람이 많았어 .".split())


@dataclass(frozen=True)
class FigureSpec:
    """One file of ``img/``: ``draw()`` returns the figure; ``trains`` says it trains a model first."""

    name: str
    chapter: str
    draw: Callable[[], Figure]
    trains: bool = False

    @property
    def filename(self) -> str:
        return f"{self.name}.png"


#: Every figure of ``img/``, by name (the file is ``img/<name>.png``).
FIGURES: dict[str, FigureSpec] = {}


def _figure(name: str, chapter: str, *, trains: bool = False) -> Callable[[Callable[[], Figure]], Callable[[], Figure]]:
    def register(draw: Callable[[], Figure]) -> Callable[[], Figure]:
        FIGURES[name] = FigureSpec(name, chapter, draw, trains)
        return draw
    return register


# --- the figures, in chapter order ----------------------------------------------------------------
@_figure("activations", "02_activations")
def _activations() -> Figure:
    return plotting.plot_activations({
        "Sigmoid": dl.Sigmoid(), "Tanh": dl.Tanh(), "ReLU": dl.ReLU(),
        "LeakyReLU(0.1)": dl.LeakyReLU(0.1), "GELU (exact, erf)": dl.GELU(), "GELU (tanh form)": dl.GELU("tanh"),
    })


@_figure("network_mlp", "03_perceptron")
def _network_mlp() -> Figure:
    return plotting.draw_network([4, 5, 5, 3], title="A multilayer perceptron, 4 → 5 → 5 → 3")


@_figure("dropout_networks", "05_dropout")
def _dropout_networks() -> Figure:
    # Dropout(p=0.5) after each hidden layer of a 4-6-6-3 network: the masks of three training steps.
    drops = [dl.Dropout(0.5, rng=1), dl.Dropout(0.5, rng=2)]
    steps = [[_mask_of(drop, 6) for drop in drops] for _ in range(3)]
    return plotting.plot_thinned_networks((4, 6, 6, 3), steps, p=0.5)


@_figure("dropout_masks", "05_dropout")
def _dropout_masks() -> Figure:
    # One row per training step: 8 steps of a 20-unit layer.
    return plotting.plot_dropout_masks(_mask_of(dl.Dropout(p=0.5, rng=3), (8, 20)), p=0.5)


@_figure("norm_axes", "06_normalization")
def _norm_axes() -> Figure:
    return plotting.plot_norm_axes()


@_figure("seq2seq", "07_transformer")
def _seq2seq() -> Figure:
    example = _example(_translation_data())
    return plotting.plot_seq2seq(_stacked_labels(example.ko), example.en)


@_figure("transformer_architecture", "07_transformer")
def _transformer_architecture() -> Figure:
    return plotting.plot_transformer_diagram()


@_figure("transformer_training", "07_transformer", trains=True)
def _transformer_training() -> Figure:
    _, history = _trained_translator()
    return plotting.plot_history(history, title="Transformer on the translation set")


@_figure("attention_cross", "07_transformer", trains=True)
def _attention_cross() -> Figure:
    data = _translation_data()
    model, _ = _trained_translator()
    example = _example(data)
    V = data.tgt_vocab
    ids, cross = translator.translate_with_attention(model, np.array(data.src_vocab.encode(example.ko)), V.bos_id,
                                                     V.eos_id, max_len=data.train.tgt_out.shape[1])
    return plotting.plot_attention(cross.mean(axis=0), V.decode(ids) + ["<eos>"], romanize(example.ko, "both"),
                                   title=f"Cross-attention, mean over the {len(cross)} heads",
                                   xlabel="source word (romanized, gloss)", ylabel="target word being predicted")


# --- the chapters' data and models ----------------------------------------------------------------
def _mask_of(drop: dl.Dropout, shape: int | tuple[int, ...]) -> np.ndarray:
    """The keep-mask (True = kept) ``drop`` draws for an input of this shape in training mode."""
    drop(np.ones(shape))  # only which units are kept matters, not the values
    return drop.mask


@functools.cache
def _translation_data() -> dl.data.TranslationData:
    return dl.data.make_translation(rng=0)


def _example(data: dl.data.TranslationData) -> dl.data.SentencePair:
    return next(p for p in dl.data.translation_pairs() if p.ko == SOURCE_EXAMPLE)


def _stacked_labels(ko: tuple[str, ...]) -> list[str]:
    """Each Korean token romanized, with its gloss on a second line (once where they are the same)."""
    return [r if r == g else f"{r}\n{g}" for r, g in zip(romanize(ko), romanize(ko, "gloss"))]


@functools.cache
def _trained_translator() -> tuple[dl.Seq2SeqTransformer, dl.History]:
    """Chapter 07's translator, built and trained with the chapter's calls; trained once per run."""
    data = _translation_data()
    model = translator.make_translator(data, rng=0, dtype=np.float64)
    return model, translator.train_translator(model, data, epochs=6, rng=0)  # the chapter's call


# --- writing ----------------------------------------------------------------------------------------
def _selected(only: Iterable[str] | None) -> list[FigureSpec]:
    if only is None:
        return list(FIGURES.values())
    names = [n.strip() for item in only for n in item.split(",") if n.strip()]
    unknown = [n for n in names if n not in FIGURES]
    if unknown:
        raise ValueError(f"no figure named {', '.join(unknown)}; the figures are: {', '.join(FIGURES)}")
    return [FIGURES[n] for n in names]


def write_figures(out: Path = IMG, only: Iterable[str] | None = None, *, log: Callable[[str], None] = print) -> list[Path]:
    """Draw the figures (all, or those named in ``only``) into ``out``; return the paths written."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for spec in _selected(only):
        start = time.perf_counter()
        with plt.style.context("default"):  # matplotlib's own defaults, whatever a matplotlibrc says
            fig = spec.draw()
            path = plotting.save_figure(fig, out / spec.filename)
        plt.close(fig)
        written.append(path)
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        log(f"{shown}  ({path.stat().st_size / 1024:.0f} KB, chapter {spec.chapter}, "
            f"{time.perf_counter() - start:.1f} s)")
    return written


def stale_files(folder: Path = IMG) -> list[Path]:
    """PNGs in ``folder`` that no entry of :data:`FIGURES` draws."""
    return sorted(p for p in Path(folder).glob("*.png") if p.stem not in FIGURES)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.make_figures", description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", metavar="NAME[,NAME]",
                        help=f"draw only these figures (of: {', '.join(FIGURES)})")
    parser.add_argument("--out", type=Path, default=IMG, help="folder to write into (default: img/)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    try:
        written = write_figures(args.out, args.only)
    except ValueError as exc:
        parser.error(str(exc))
    print(f"{len(written)} figure(s) written in {time.perf_counter() - start:.1f} s")
    stale = stale_files(args.out) if args.only is None else []
    for path in stale:
        print(f"not drawn by this command: {path.name} (delete it, or add it to tools/make_figures.py)")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
