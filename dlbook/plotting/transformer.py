"""Figures for chapter 07: attention heatmaps, mask pictures, positional encodings and two diagrams
(a sequence-to-sequence picture and the pre-norm Transformer's layers), all drawn by code.

Korean tokens can be given as they are (``example.ko``): :func:`token_labels` shows them in
Hangul in the Korean edition (whose figures have a Hangul font) and romanized, with their
gloss, in the English edition (``dlbook.data.romanize``). Labels romanized beforehand are
shown as given. Each function returns its ``Figure``.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch, Patch

from ..data.translation import romanize
from ..i18n import gettext as _
from ..i18n import language
from .fonts import edition_font
from .matrices import heatmap

__all__ = ["token_labels", "plot_attention", "plot_attention_heads", "plot_exact_match", "plot_masks",
           "plot_positional_encoding", "plot_seq2seq", "plot_transformer_diagram"]

_HANGUL_START, _HANGUL_END = "\uac00", "\ud7a3"
_STYLES = ("romanized", "gloss", "both")


def _has_hangul(text: str) -> bool:
    return any(_HANGUL_START <= ch <= _HANGUL_END for ch in text)


def token_labels(tokens: Iterable[str], style: str = "both") -> list[str]:
    """Figure labels for tokens that may be Korean: Hangul in the Korean edition, romanized in English.

    In the Korean edition every token is shown as it is. In the English edition (whose figure
    font has no Hangul) each Korean token of the chapter 07 data set becomes Latin letters
    with ``dlbook.data.romanize(tokens, style)``; English words, special tokens such as
    ``<eos>`` and labels romanized beforehand pass through unchanged.

    Parameters
    ----------
    tokens : iterable of str
    style : "romanized", "gloss" or "both"
        ``"usaneul"``, ``"umbrella-OBJ"`` or ``"usaneul (umbrella-OBJ)"`` for 우산을 (English edition).

    Returns
    -------
    list of str
        One label per token.

    Examples
    --------
    >>> plotting.token_labels(["어제", "카페에", "갔어", "."])  # English edition
    ['eoje (yesterday)', 'kapee (cafe-to/at)', 'gasseo (went)', '.']
    """
    if style not in _STYLES:
        raise ValueError(f"style must be 'romanized', 'gloss' or 'both', got {style!r}")
    if isinstance(tokens, str):
        raise TypeError("tokens must be a sequence of tokens, got a single str (split it into words first)")
    labels = [str(t) for t in tokens]
    return labels if language() == "ko" else romanize(labels, style)


def _is_korean(labels: Sequence[str] | None) -> bool:
    """Whether labels are Korean tokens (any Hangul), given as they are rather than romanized."""
    return labels is not None and any(_has_hangul(str(s)) for s in labels)


def _labels(labels: Sequence[str] | None, n: int, what: str, style: str = "both") -> list[str]:
    """Tick labels: the right count, Korean tokens shown as :func:`token_labels` does.

    In the English edition a Hangul token that romanize does not know is refused: the figure
    font cannot draw it (it would print as empty boxes, with a warning).
    """
    if labels is None:
        return [str(i) for i in range(n)]
    labels = token_labels(labels, style)
    if len(labels) != n:
        raise ValueError(f"{what} needs {n} labels, got {len(labels)}")
    if language() != "ko":
        for s in labels:
            if _has_hangul(s):
                raise ValueError(f"{what} label {s!r} contains Hangul that dlbook.data.romanize does not know, and "
                                 "the English edition's figure font cannot draw it: romanize it yourself")
    return labels


def _source_word(style: str) -> str:
    """The axis label for Korean source tokens, saying how the English edition writes them."""
    if style == "romanized":
        return _("source word (romanized)")
    if style == "gloss":
        return _("source word (gloss)")
    return _("source word (romanized, gloss)")


def _attention_axes(query_labels: Sequence[str] | None, key_labels: Sequence[str] | None, xlabel: str | None,
                    ylabel: str | None, style: str) -> tuple[str, str]:
    """Default axis labels: source words for Korean tokens (cross-attention: the target word predicted)."""
    if xlabel is None:
        xlabel = _source_word(style) if _is_korean(key_labels) else _("key (attended to)")
    if ylabel is None:
        if _is_korean(query_labels):
            ylabel = _source_word(style)
        elif _is_korean(key_labels):
            ylabel = _("target word being predicted")
        else:
            ylabel = _("query (attending)")
    return xlabel, ylabel


def _weights_2d(weights: np.ndarray) -> np.ndarray:
    w = np.asarray(weights, dtype=np.float64)
    if w.ndim != 2:
        raise ValueError(f"expected attention weights of shape (len_q, len_k), got {w.shape}")
    return w


@edition_font
def plot_attention(weights: np.ndarray, query_labels: Sequence[str] | None = None,
                   key_labels: Sequence[str] | None = None, *, title: str | None = None,
                   xlabel: str | None = None, ylabel: str | None = None, annotate: bool = True,
                   style: str = "both", ax: Axes | None = None) -> Figure:
    """One attention matrix as a heatmap: row i is how query i spreads its attention over the keys.

    Parameters
    ----------
    weights : np.ndarray, shape (len_q, len_k)
        Rows sum to 1 (or 0 where everything was masked).
    query_labels, key_labels : sequence of str, optional
        Tick labels. Korean tokens may be given as they are: Hangul in the Korean edition,
        romanized in the English one (:func:`token_labels` with ``style``).
    title, xlabel, ylabel : str, optional
        By default "Attention weights", and axis labels that say what the labels are: "source
        word (romanized, gloss)" for Korean keys, and then "target word being predicted" for
        queries that are not Korean (cross-attention); else "key (attended to)" and "query
        (attending)". In the edition's language.
    annotate : bool
        Write each weight in its cell (for small matrices).
    style : "romanized", "gloss" or "both"
        How the English edition writes Korean tokens.
    """
    w = _weights_2d(weights)
    rows = _labels(query_labels, w.shape[0], "query_labels", style)
    cols = _labels(key_labels, w.shape[1], "key_labels", style)
    xlabel, ylabel = _attention_axes(query_labels, key_labels, xlabel, ylabel, style)
    # Weights are shares: one colour scale, 0 to 1, for every plot.
    fig = heatmap(w, rows, cols, title=_("Attention weights") if title is None else title, xlabel=xlabel,
                  ylabel=ylabel, annotate=annotate, fmt="{:.2f}", cmap="Blues", centered=False,
                  colorbar_label=_("attention weight"), vmin=0.0, vmax=1.0, ax=ax)
    (fig.axes[0] if ax is None else ax).tick_params(axis="x", labelrotation=60)
    if ax is None:
        fig.tight_layout()
    return fig


@edition_font
def plot_attention_heads(weights: np.ndarray, query_labels: Sequence[str] | None = None,
                         key_labels: Sequence[str] | None = None, *, title: str | None = None,
                         xlabel: str | None = None, ylabel: str | None = None, ncols: int = 2,
                         style: str = "both") -> Figure:
    """Every head's attention matrix in a grid (``ncols`` panels a row), on one colour scale.

    Sized to be read at notebook width (about 900 pixels): labels at 9 points, two panels a row.

    Parameters
    ----------
    weights : np.ndarray, shape (num_heads, len_q, len_k)
        One sentence's weights, e.g. ``mha.attn_weights[0]``.
    query_labels, key_labels, xlabel, ylabel, style
        As in :func:`plot_attention`.
    title : str, optional
        By default "Attention weights per head", in the edition's language.
    ncols : int
        Panels per row.
    """
    w = np.asarray(weights, dtype=np.float64)
    if w.ndim != 3:
        raise ValueError(f"expected weights of shape (num_heads, len_q, len_k), got {w.shape}")
    heads, nq, nk = w.shape
    rows = _labels(query_labels, nq, "query_labels", style)
    cols = _labels(key_labels, nk, "key_labels", style)
    xlabel, ylabel = _attention_axes(query_labels, key_labels, xlabel, ylabel, style)
    ncols = max(1, min(int(ncols), heads))
    nrows = -(-heads // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(9.0, 0.6 + nrows * (1.4 + 0.22 * nq)), squeeze=False,
                             sharex=True, sharey=True, layout="constrained")
    for h, ax in enumerate(axes.flat):
        if h >= heads:
            ax.axis("off")
            continue
        im = ax.imshow(w[h], cmap="Blues", vmin=0.0, vmax=1.0, aspect="auto")
        ax.set_xticks(range(nk), cols, rotation=90, fontsize=9)
        ax.set_yticks(range(nq), rows, fontsize=9)
        ax.set_title(_("head {h}").format(h=h), fontsize=10)
        if h // ncols == nrows - 1:
            ax.set_xlabel(xlabel)
        if h % ncols == 0:
            ax.set_ylabel(ylabel)
    fig.suptitle(_("Attention weights per head") if title is None else title)
    fig.colorbar(im, ax=axes.ravel().tolist(), label=_("attention weight"), fraction=0.04, pad=0.02)
    return fig


@edition_font
def plot_exact_match(results: Mapping[str, Mapping[str, float]], *, title: str | None = None) -> Figure:
    """Grouped bars: one group per split, one bar per translator, the share of sentences exactly right.

    Parameters
    ----------
    results : mapping from a translator's name to {split name: exact match in [0, 1]}
        Every translator must report the same splits.
    title : str, optional
        By default "Exact match by split", in the edition's language.
    """
    if not results:
        raise ValueError("plot_exact_match needs at least one translator")
    splits = list(next(iter(results.values())))
    for name, r in results.items():
        if list(r) != splits:
            raise ValueError(f"every translator needs the splits {splits}, got {list(r)} for {name!r}")
    fig, ax = plt.subplots(figsize=(9.0, 3.8))
    width = 0.8 / len(results)
    x = np.arange(len(splits))
    for i, (name, r) in enumerate(results.items()):
        values = 100 * np.array([r[s] for s in splits], dtype=float)
        bars = ax.bar(x + (i - (len(results) - 1) / 2) * width, values, width * 0.95, label=name)
        ax.bar_label(bars, labels=[f"{v:.1f}" for v in values], fontsize=7, padding=1)
    ax.set_xticks(x, [s.replace("_", " ") for s in splits])
    ax.set_ylim(0, 112)
    ax.set_ylabel(_("sentences exactly right (%)"))
    ax.set_xlabel(_("split"))
    ax.set_title(_("Exact match by split") if title is None else title)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=len(results), frameon=False)
    fig.tight_layout()
    return fig


@edition_font
def plot_masks(masks: Mapping[str, np.ndarray], query_labels: Sequence[str] | None = None,
               key_labels: Sequence[str] | None = None, *, title: str | None = None) -> Figure:
    """Boolean masks side by side: a filled cell means "this query may attend to this key".

    Parameters
    ----------
    masks : mapping from a panel title to a bool array of shape (len_q, len_k)
    query_labels, key_labels : sequence of str, optional
        Shared by every panel (Korean tokens as in :func:`token_labels`).
    title : str, optional
        By default "Attention masks", in the edition's language.
    """
    if not masks:
        raise ValueError("plot_masks needs at least one mask")
    arrays = {name: np.asarray(m) for name, m in masks.items()}
    for name, m in arrays.items():
        if m.dtype != bool or m.ndim != 2:
            raise ValueError(f"mask {name!r} must be a 2-D boolean array, got dtype {m.dtype} and shape {m.shape}")
    nq, nk = next(iter(arrays.values())).shape
    rows = _labels(query_labels, nq, "query_labels")
    cols = _labels(key_labels, nk, "key_labels")
    cmap = ListedColormap(["#f2f2f2", "#2b6cb0"])
    fig, axes = plt.subplots(1, len(arrays), figsize=(0.6 + (0.36 * nk + 1.1) * len(arrays), 2.4 + 0.34 * nq),
                             squeeze=False)
    for ax, (name, m) in zip(axes[0], arrays.items()):
        if m.shape != (nq, nk):
            raise ValueError(f"every mask must have shape {(nq, nk)}, got {m.shape} for {name!r}")
        ax.imshow(m.astype(int), cmap=cmap, vmin=0, vmax=1)
        ax.set_xticks(np.arange(nk + 1) - 0.5, minor=True)
        ax.set_yticks(np.arange(nq + 1) - 0.5, minor=True)
        ax.grid(which="minor", color="white", lw=1.5)
        ax.tick_params(which="minor", length=0)
        ax.set_xticks(range(nk), cols, rotation=60, fontsize=8)
        ax.set_yticks(range(nq), rows, fontsize=8)
        ax.set_title(name)
        ax.set_xlabel(_("key position"))
        ax.set_ylabel(_("query position"))
    fig.legend(handles=[Patch(color="#2b6cb0", label=_("True: may attend")),
                        Patch(color="#f2f2f2", label=_("False: hidden (weight 0)"))],
               loc="upper center", bbox_to_anchor=(0.5, 0.95), ncol=2, frameon=False)
    fig.suptitle(_("Attention masks") if title is None else title)
    fig.tight_layout(rect=(0, 0, 1, 0.9))
    return fig


@edition_font
def plot_positional_encoding(pe: np.ndarray, *, columns: Sequence[int] = (0, 2, 6, 14),
                             title: str | None = None) -> Figure:
    """The position table as an image (left) and a few of its columns as curves (right).

    Parameters
    ----------
    pe : np.ndarray, shape (max_len, d_model)
    columns : sequence of int
        Columns drawn as curves (even columns are sines, slower as the index grows).
    title : str, optional
        By default "Sinusoidal positional encoding", in the edition's language.
    """
    pe = np.asarray(pe, dtype=np.float64)
    if pe.ndim != 2:
        raise ValueError(f"pe must have shape (max_len, d_model), got {pe.shape}")
    bad = [c for c in columns if not 0 <= c < pe.shape[1]]
    if bad:
        raise ValueError(f"columns must be in [0, {pe.shape[1] - 1}], got {bad}")
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.8), gridspec_kw={"width_ratios": [1.2, 1]})
    im = left.imshow(pe, cmap="RdBu_r", vmin=-1, vmax=1, aspect="auto")
    fig.colorbar(im, ax=left, label=_("value"))
    left.set_xlabel(_("dimension (column of the vector)"))
    left.set_ylabel(_("position in the sentence"))
    left.set_title(_("each row is one position's vector"))
    pos = np.arange(pe.shape[0])
    for c in columns:
        kind = "sin" if c % 2 == 0 else "cos"
        right.plot(pos, pe[:, c], marker="o", ms=3, label=_("column {c} ({kind})").format(c=c, kind=kind))
    right.set_xlabel(_("position in the sentence"))
    right.set_ylabel(_("value"))
    right.set_title(_("columns turn at different speeds"))
    right.grid(alpha=0.3)
    right.set_ylim(-1.15, 1.15)
    # Outside the axes, so no curve is hidden behind it.
    right.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    fig.suptitle(_("Sinusoidal positional encoding") if title is None else title)
    fig.tight_layout()
    return fig


# --- diagrams ----------------------------------------------------------------------------------
def _box(ax: Axes, x: float, y: float, w: float, h: float, text: str, color: str, fontsize: float = 9,
         weight: str = "normal") -> None:
    """A rounded box centred at (x, y)."""
    ax.add_patch(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.02,rounding_size=0.08",
                                fc=color, ec="0.3", lw=1))
    ax.text(x, y, text, ha="center", va="center", fontsize=fontsize, weight=weight)


def _arrow(ax: Axes, start: tuple[float, float], end: tuple[float, float], color: str = "0.35",
           style: str = "-|>", lw: float = 1.2, rad: float = 0.0) -> None:
    ax.annotate("", xy=end, xytext=start,
                arrowprops=dict(arrowstyle=style, color=color, lw=lw, shrinkA=0, shrinkB=0,
                                connectionstyle=f"arc3,rad={rad}"))


@edition_font
def plot_seq2seq(src_labels: Sequence[str], tgt_labels: Sequence[str], *, title: str | None = None) -> Figure:
    """The encoder-decoder picture: the source tokens go into the encoder, the decoder writes the target.

    The encoder (top) reads the source tokens; the decoder (bottom) reads ``<bos>`` and the
    target shifted right, and outputs the target and ``<eos>``: each output is the next
    token. Drawn 9.6 inches wide, so it reads at notebook width (about 900 pixels).

    Parameters
    ----------
    src_labels : sequence of str
        Source tokens. Korean tokens may be given as they are: Hangul in the Korean edition;
        in the English edition each is romanized with its gloss on a second line. Labels
        romanized beforehand are shown as given (a newline may add a gloss under each).
    tgt_labels : sequence of str
        Target tokens, without ``<bos>``/``<eos>`` (they are added).
    title : str, optional
        By default "Sequence to sequence: an encoder reads, a decoder writes", in the
        edition's language.
    """
    src = [str(s) for s in src_labels]
    if language() != "ko":  # romanized, the gloss below where it differs
        src = [r if r == g else f"{r}\n{g}" for r, g in zip(romanize(src), romanize(src, "gloss"))]
    src = _labels(src, len(src), "src_labels")
    tgt = _labels(tgt_labels, len(tgt_labels), "tgt_labels")
    ns, nt = len(src), len(tgt) + 1
    width, left = 9.0, 0.6                        # drawing units: one unit is about one inch
    step_s, step_t = min(1.0, (width - left) / ns), min(0.75, (width - left) / nt)
    fs_t = 8.5 if step_t >= 0.55 else 7.0
    fig, ax = plt.subplots(figsize=(width + 0.6, 6.4))
    # Encoder, top: source tokens above it.
    xs = left + step_s * (np.arange(ns) + 0.5)
    enc_c, enc_w = left + step_s * ns / 2, step_s * ns
    for x, label in zip(xs, src):
        _box(ax, x, 6.0, step_s - 0.08, 0.62, label, "#fde2c8", fontsize=8)
        _arrow(ax, (x, 5.67), (x, 5.2))
    _box(ax, enc_c, 4.8, enc_w, 0.7,
         _("Encoder: {n} token vectors in, {n} context vectors out (the memory)").format(n=ns),
         "#f6ad55", fontsize=9.5, weight="bold")
    # Decoder, bottom: shifted target below it, next tokens above it.
    xt = left + step_t * (np.arange(nt) + 0.5)
    dec_c, dec_w = left + step_t * nt / 2, step_t * nt
    for x, below, above in zip(xt, ["<bos>"] + tgt, tgt + ["<eos>"]):
        _box(ax, x, 0.45, step_t - 0.06, 0.45, below, "#d6ecff", fontsize=fs_t)
        _arrow(ax, (x, 0.68), (x, 1.25))
        _arrow(ax, (x, 2.15), (x, 2.85))
        _box(ax, x, 3.1, step_t - 0.06, 0.45, above, "#c6f6d5", fontsize=fs_t)
    _box(ax, dec_c, 1.7, dec_w, 0.8,
         _("Decoder: reads the memory (cross-attention) and the target so far (causal)"),
         "#63b3ed", fontsize=9.5, weight="bold")
    # Memory: from the encoder, down the left side, into the decoder.
    x_mem = 0.25
    ax.plot([left + 0.05, x_mem, x_mem], [4.8, 4.8, 1.7], color="#c05621", lw=2.2)
    _arrow(ax, (x_mem, 1.7), (left + 0.02, 1.7), color="#c05621", lw=2.2)
    ax.text(x_mem - 0.08, 3.25, _("memory"), rotation=90, ha="right", va="center", fontsize=9, color="#c05621")
    ax.text(enc_c, 6.5, _("source: {n} tokens (Korean, romanized, with a gloss)").format(n=ns), ha="center",
            fontsize=9.5)
    ax.text(dec_c, 3.45, _("decoder output: the next token at every position ({n} words + <eos>)").format(n=nt - 1),
            ha="center", fontsize=9.5)
    ax.text(dec_c, -0.1, _("decoder input: <bos> + target ({n} tokens)").format(n=nt), ha="center", fontsize=9.5)
    ax.set_xlim(-0.2, width + 0.5)
    ax.set_ylim(-0.35, 6.8)
    ax.axis("off")
    ax.set_title(_("Sequence to sequence: an encoder reads, a decoder writes") if title is None else title)
    fig.tight_layout()
    return fig


def _stack(ax: Axes, x: float, y0: float, blocks: Sequence[tuple[str, str]], width: float,
           h: float = 0.5, gap: float = 0.32) -> list[float]:
    """Boxes bottom to top joined by arrows; returns the centre height of each box."""
    ys = []
    y = y0
    for i, (text, color) in enumerate(blocks):
        if text == "+":
            ax.add_patch(plt.Circle((x, y), 0.17, fc="white", ec="0.3", lw=1))
            ax.text(x, y, "+", ha="center", va="center", fontsize=12)
        else:
            _box(ax, x, y, width, h, text, color, fontsize=8.5)
        ys.append(y)
        if i + 1 < len(blocks):
            top = y + (0.17 if text == "+" else h / 2)
            nxt = y + h + gap
            bottom = nxt - (0.17 if blocks[i + 1][0] == "+" else h / 2)
            _arrow(ax, (x, top), (x, bottom))
            y = nxt
    return ys


def _residual(ax: Axes, x: float, width: float, y_from: float, y_plus: float, side: float) -> None:
    """A skip line from below a sub-layer to its '+' circle, drawn beside the column."""
    edge = x + side * (width / 2 + 0.25)
    ax.plot([x, edge, edge], [y_from, y_from, y_plus], color="0.45", lw=1.1)
    _arrow(ax, (edge, y_plus), (x + side * 0.17, y_plus), color="0.45", lw=1.1)


@edition_font
def plot_transformer_diagram(*, num_encoder_layers: int = 1, num_decoder_layers: int = 1,
                             title: str | None = None) -> Figure:
    """The encoder and decoder layers box by box: attention, feed-forward, LayerNorm and residual sums.

    The residual lines (grey) bypass each LayerNorm + sub-layer pair: pre-norm, x + Sublayer(LN(x)).
    ``title`` is by default "The pre-norm Transformer used in this chapter", in the edition's language.
    """
    ln, attn, ffn, emb, out = "#c6f6d5", "#fbd38d", "#bee3f8", "#e2e8f0", "#fed7e2"
    w = 3.2
    feed_forward, final_norm = _("feed-forward: Linear → ReLU → Linear"), _("final LayerNorm")
    enc = [(_("source ids → Embedding\n+ positional encoding"), emb), ("LayerNorm", ln),
           (_("multi-head self-attention\n(padding mask)"), attn), ("+", ""), ("LayerNorm", ln),
           (feed_forward, ffn), ("+", ""), (final_norm, ln)]
    dec = [(_("target ids (<bos> + shifted)\n→ Embedding + positional encoding"), emb), ("LayerNorm", ln),
           (_("masked self-attention\n(causal + padding mask)"), attn), ("+", ""), ("LayerNorm", ln),
           (_("cross-attention\n(queries here, keys/values: memory)"), attn), ("+", ""), ("LayerNorm", ln),
           (feed_forward, ffn), ("+", ""), (final_norm, ln),
           (_("Linear → logits (softmax in the loss)"), out)]
    fig, ax = plt.subplots(figsize=(9.5, 8.2))
    xe, xd = 2.0, 7.2
    ye = _stack(ax, xe, 0.4, enc, w)
    yd = _stack(ax, xd, 0.4, dec, w)
    for y_from, y_plus in ((ye[0] + 0.41, ye[3]), (ye[3] + 0.24, ye[6])):
        _residual(ax, xe, w, y_from, y_plus, side=-1)
    for y_from, y_plus in ((yd[0] + 0.41, yd[3]), (yd[3] + 0.24, yd[6]), (yd[6] + 0.24, yd[9])):
        _residual(ax, xd, w, y_from, y_plus, side=1)
    # Memory: from the encoder's final LayerNorm into the cross-attention.
    _arrow(ax, (xe + w / 2, ye[-1]), (xd - w / 2, yd[5]), color="#c05621", lw=2, rad=-0.25)
    ax.text((xe + xd) / 2, (ye[-1] + yd[5]) / 2 + 0.45, _("memory\n(encoder output)"), ha="center", fontsize=9,
            color="#c05621")
    for x, y_lo, y_hi, n, side in ((xe, ye[1], ye[6], num_encoder_layers, -1),
                                   (xd, yd[1], yd[9], num_decoder_layers, 1)):
        edge = x + side * (w / 2 + 0.6)
        ax.plot([edge, edge], [y_lo - 0.3, y_hi + 0.2], color="0.6", lw=3, solid_capstyle="butt")
        layers = (_("× {n}\nlayers") if n > 1 else _("× {n}\nlayer")).format(n=n)
        ax.text(edge + side * 0.15, (y_lo + y_hi) / 2, layers, ha="right" if side < 0 else "left", va="center",
                fontsize=10)
    ax.text(xe, ye[-1] + 0.6, _("ENCODER"), ha="center", fontsize=11, weight="bold")
    ax.text(xd, yd[-1] + 0.55, _("DECODER"), ha="center", fontsize=11, weight="bold")
    ax.legend(handles=[Patch(fc=attn, ec="0.3", label=_("attention (mixes positions)")),
                       Patch(fc=ffn, ec="0.3", label=_("feed-forward (each position alone)")),
                       Patch(fc=ln, ec="0.3", label="LayerNorm"),
                       Patch(fc="white", ec="0.45", label=_("+ : residual sum (grey lines skip)"))],
              loc="upper left", fontsize=8, frameon=False)
    ax.set_xlim(-0.5, 10.0)
    ax.set_ylim(0.0, yd[-1] + 0.9)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(_("The pre-norm Transformer used in this chapter") if title is None else title)
    fig.tight_layout()
    return fig
