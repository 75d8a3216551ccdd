"""Pictures of networks and of what they compute (chapters 03 and 04).

- ``draw_network``: units as circles, connections as lines, layers labelled;
  fully connected, or partially connected through boolean masks laid out like
  ``Linear.weight`` (in_features, out_features); units that dropout switched off
  greyed out with their connections removed (a thinned network, chapter 05).
- ``plot_decision_boundary`` / ``plot_decision_boundaries``: the regions a 2-D
  classifier assigns to each class, with the data on top.
- ``plot_digits``: a grid of 8x8 digit images with their true (and predicted) labels.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Circle

from ..i18n import gettext as _
from ..module import Module, eval_mode
from .fonts import edition_font
from .lines import scatter_classes

__all__ = ["draw_network", "plot_decision_boundary", "plot_decision_boundaries", "plot_digits"]

_UNIT_RADIUS = 0.32
_LAYER_GAP = 2.2
#: Fill and outline of a unit that dropout switched off (chapter 05).
_DROPPED_FILL, _DROPPED_EDGE = "#d9d9d9", "0.6"
#: Fill of the input, hidden and output units.
_FILLS = {"input": "#dbe9f6", "hidden": "#fde5c8", "output": "#d9f0d3"}


# --- network diagrams -----------------------------------------------------------------
def _per_connection(value: Any, n_links: int, name: str) -> list[Any]:
    """One entry per connection between consecutive layers (None means "not given")."""
    if value is None:
        return [None] * n_links
    if isinstance(value, np.ndarray) and value.ndim == 2:
        value = [value]  # one array for a two-layer diagram
    value = list(value)
    if len(value) != n_links:
        raise ValueError(f"{name} must have one entry per connection between layers ({n_links}), got {len(value)}")
    return value


def _shown_units(n: int, max_units: int) -> list[int]:
    """The unit indices drawn for a layer of n units: all, or the first ones and the last."""
    return list(range(n)) if n <= max_units else list(range(max_units - 1)) + [n - 1]


def _label_size(label: str) -> float:
    """A font size that keeps a unit's label inside its circle ("x_1" 9 pt, "NAND" 7 pt)."""
    visible = len(re.sub(r"[${}^_()\\]", "", label))
    return 9.0 if visible <= 3 else max(5.5, 9.0 - 1.3 * (visible - 3))


def _default_unit_labels(sizes: Sequence[int]) -> list[list[str]]:
    last = len(sizes) - 1
    labels = []
    for layer, n in enumerate(sizes):
        if layer == 0:
            labels.append([f"$x_{{{i + 1}}}$" for i in range(n)])
        elif layer == last:
            labels.append([f"$o_{{{i + 1}}}$" for i in range(n)])
        elif last == 2:
            labels.append([f"$h_{{{i + 1}}}$" for i in range(n)])
        else:
            labels.append([f"$h^{{({layer})}}_{{{i + 1}}}$" for i in range(n)])
    return labels


def _default_layer_names(n_layers: int) -> list[str]:
    hidden = n_layers - 2
    names = [_("input layer")]
    names += [_("hidden layer") if hidden == 1 else _("hidden layer {k}").format(k=k) for k in range(1, hidden + 1)]
    return names + [_("output layer")]


def _check_kept(sizes: list[int], kept: Any) -> list[np.ndarray]:
    """One bool array per layer (True = the unit is on); None, or a None entry, means every unit."""
    if kept is None:
        return [np.ones(n, dtype=bool) for n in sizes]
    kept = list(kept)
    if len(kept) != len(sizes):
        raise ValueError(f"kept must have one entry per layer ({len(sizes)}), got {len(kept)}")
    out = []
    for l, (k, n) in enumerate(zip(kept, sizes)):
        if k is None:
            out.append(np.ones(n, dtype=bool))
            continue
        k = np.asarray(k)
        if k.dtype != bool:
            raise TypeError(f"kept {l} must be a boolean array (True = kept), got dtype {k.dtype}")
        if k.shape != (n,):
            raise ValueError(f"kept {l} must have shape ({n},) (units of layer {l}), got {k.shape}")
        out.append(k)
    return out


def _check_links(sizes: list[int], masks: Any, weights: Any) -> tuple[list[Any], list[Any]]:
    """One mask and one weight matrix (or None) per pair of consecutive layers, shapes checked."""
    n_links = len(sizes) - 1
    masks = _per_connection(masks, n_links, "masks")
    weights = _per_connection(weights, n_links, "weights")
    for l, (m, w) in enumerate(zip(masks, weights)):
        expected = (sizes[l], sizes[l + 1])
        for name, arr in (("mask", m), ("weights", w)):
            if arr is not None and np.shape(arr) != expected:
                raise ValueError(f"{name} {l} must have shape {expected} (units of layer {l}, units of layer "
                                 f"{l + 1}), got {np.shape(arr)}")
        if m is not None and np.asarray(m).dtype != bool:
            raise TypeError(f"mask {l} must be a boolean array, got dtype {np.asarray(m).dtype}")
    return masks, weights


def _unit_heights(sizes: list[int], max_units: int) -> tuple[list[list[int]], list[np.ndarray]]:
    """Which units each layer draws, and their heights: centred, top to bottom, a gap before a last unit."""
    shown = [_shown_units(n, max_units) for n in sizes]
    heights = []
    for s, n in zip(shown, sizes):
        y = np.arange(len(s))[::-1] - (len(s) - 1) / 2
        if n > max_units:
            y[-1] -= 0.6  # room for the "⋮" that stands for the units left out
        heights.append(y)
    return shown, heights


def _edges(shown: list[list[int]], heights: list[np.ndarray], masks: list[Any], weights: list[Any],
           kept: list[np.ndarray]) -> LineCollection:
    """One line per drawn connection between units that are on; coloured by sign and sized by
    magnitude when weights are given."""
    wmax = max((float(np.max(np.abs(w))) for w in weights if w is not None and np.size(w)), default=0.0) or 1.0
    segments, colors, widths = [], [], []
    for l, (m, w) in enumerate(zip(masks, weights)):
        rows, cols = np.ix_(shown[l], shown[l + 1])
        keep = np.ones((len(shown[l]), len(shown[l + 1])), bool) if m is None else np.asarray(m)[rows, cols]
        keep = keep & np.outer(kept[l][shown[l]], kept[l + 1][shown[l + 1]])  # a dropped unit has no connections
        a, b = np.nonzero(keep)
        x0, x1 = l * _LAYER_GAP, (l + 1) * _LAYER_GAP
        segments += [((x0, heights[l][i]), (x1, heights[l + 1][j])) for i, j in zip(a, b)]
        if w is None:
            colors += ["0.45"] * len(a)
            widths += [1.0] * len(a)
        else:
            values = np.asarray(w, dtype=np.float64)[rows, cols][a, b]
            colors += ["C3" if v >= 0 else "C0" for v in values]
            widths += list(0.5 + 3.0 * np.abs(values) / wmax)
    return LineCollection(segments, colors=colors, linewidths=widths, alpha=0.8, zorder=1, capstyle="round")


@edition_font
def draw_network(layer_sizes: Sequence[int], masks: Any = None, *, weights: Any = None, kept: Any = None,
                 unit_labels: Sequence[Sequence[str]] | None = None, layer_names: Sequence[str] | None = None,
                 title: str | None = None, max_units: int = 10,
                 ax: Axes | None = None) -> Figure:
    """Draw a layered network: units as circles, connections as lines, data flowing left to right.

    Parameters
    ----------
    layer_sizes : sequence of int
        Units per layer, input first, e.g. ``[4, 5, 3]``.
    masks : None, a bool array, or a sequence with one entry per pair of consecutive layers
        Entry l is None (fully connected) or a bool array of shape
        (layer_sizes[l], layer_sizes[l + 1]): ``mask[i, j]`` connects unit i to unit j,
        the layout of ``Linear.weight`` and ``MaskedLinear.mask``.
    weights : None, an array, or a sequence with one entry per pair of layers
        Weight matrices of the same shapes: a line's colour shows the sign
        (red positive, blue negative) and its width the size.
    kept : None, or a sequence with one entry per layer
        Entry l is None (every unit on) or a bool array of shape (layer_sizes[l],), like
        a ``Dropout`` mask: False marks a unit switched off for this step, drawn grey and
        crossed out, with its connections left out (the thinned network).
    unit_labels : sequence of sequences of str, optional
        Text in each circle (default x_i, h_i, o_i).
    layer_names : sequence of str, optional
        Text under each layer (default input / hidden / output layer); the unit count is added.
    title : str, optional
        By default "A fully connected network", in the edition's language.
    max_units : int
        A larger layer is drawn as its first ``max_units − 1`` units, a gap, and its last unit.
    ax : Axes, optional

    Returns
    -------
    Figure
        The connections are one ``LineCollection`` (``ax.collections[0]``), one segment per line.
    """
    sizes = [int(n) for n in layer_sizes]
    if len(sizes) < 2 or any(n < 1 for n in sizes):
        raise ValueError(f"layer_sizes must list at least two positive sizes, got {list(layer_sizes)}")
    if max_units < 3:
        raise ValueError(f"max_units must be at least 3, got {max_units}")
    masks, weights = _check_links(sizes, masks, weights)
    kept = _check_kept(sizes, kept)
    labels = _default_unit_labels(sizes) if unit_labels is None else [list(u) for u in unit_labels]
    names = _default_layer_names(len(sizes)) if layer_names is None else list(layer_names)
    if len(labels) != len(sizes) or any(len(u) != n for u, n in zip(labels, sizes)):
        raise ValueError("unit_labels must hold one label per unit of every layer")
    if len(names) != len(sizes):
        raise ValueError(f"layer_names must name each of the {len(sizes)} layers, got {len(names)}")

    shown, heights = _unit_heights(sizes, max_units)
    tallest = max(len(s) for s in shown)
    lowest = min(float(y.min()) for y in heights)
    has_weights = any(w is not None for w in weights)
    # Room above for the title, below for the layer names (and the colour legend).
    top, bottom = (tallest - 1) / 2 + 0.5, lowest - 1.5 - (0.6 if has_weights else 0.0)
    left, right = -0.9, (len(sizes) - 1) * _LAYER_GAP + 0.9
    if ax is None:
        # Size the figure to the drawing (0.6 inch per unit of data) so no space is wasted.
        fig, ax = plt.subplots(figsize=(0.6 * (right - left), 0.6 * (top - bottom) + 0.4))
        ax.set_position((0.02, 0.02, 0.96, 0.96 - 0.4 / fig.get_figheight()))
    else:
        fig = ax.figure

    ax.add_collection(_edges(shown, heights, masks, weights, kept))
    fills = [_FILLS["input"]] + [_FILLS["hidden"]] * (len(sizes) - 2) + [_FILLS["output"]]
    crosses = []
    for l, (s, y) in enumerate(zip(shown, heights)):
        x = l * _LAYER_GAP
        for i, yy in zip(s, y):
            on = kept[l][i]
            ax.add_patch(Circle((x, yy), _UNIT_RADIUS, facecolor=fills[l] if on else _DROPPED_FILL,
                                edgecolor="0.2" if on else _DROPPED_EDGE, lw=1.2, zorder=2))
            ax.text(x, yy, labels[l][i], ha="center", va="center", fontsize=_label_size(labels[l][i]), zorder=3,
                    color="black" if on else "0.5")
            if not on:
                r = 0.6 * _UNIT_RADIUS
                crosses += [((x - r, yy - r), (x + r, yy + r)), ((x - r, yy + r), (x + r, yy - r))]
        if sizes[l] > max_units:
            ax.text(x, (y[-2] + y[-1]) / 2, "⋮", ha="center", va="center", fontsize=14)
        count = (_("({n} unit)") if sizes[l] == 1 else _("({n} units)")).format(n=sizes[l])
        ax.text(x, lowest - 0.55, f"{names[l]}\n{count}", ha="center", va="top", fontsize=9)

    if crosses:
        ax.add_collection(LineCollection(crosses, colors="0.35", linewidths=1.2, zorder=3))
    if has_weights:
        ax.legend(handles=[Line2D([], [], color="C3", lw=2, label=_("positive weight")),
                           Line2D([], [], color="C0", lw=2, label=_("negative weight"))],
                  loc="lower center", ncol=2, fontsize=8, frameon=False)
    ax.set_xlim(left, right)
    ax.set_ylim(bottom, top)
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_title(_("A fully connected network") if title is None else title)
    return fig


# --- decision boundaries -------------------------------------------------------------
def _model_output(model: Module | Callable[[np.ndarray], Any], points: np.ndarray) -> np.ndarray:
    """What the model returns for points of shape (n, 2); a Module runs in eval mode, its mode restored."""
    if isinstance(model, Module):
        with eval_mode(model):
            return np.asarray(model(points))
    if callable(model):
        return np.asarray(model(points))
    raise TypeError(f"model must be a Module or a function of X, got {type(model).__name__}")


def _labels_and_margin(model: Module | Callable[[np.ndarray], Any],
                       points: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """Class labels for points of shape (n, 2), and for a two-class model a continuous margin.

    The labels come from labels (n,), scores (n, C) (the largest wins) or one score (n, 1)
    (positive means class 1). The margin is > 0 exactly where the label is 1: score 1 minus
    score 0, the single score, or a perceptron's ``decision_function`` w·x + b. A boundary
    drawn as the margin's zero level is a smooth curve; one drawn from labels on a grid is a
    staircase of grid cells. None when only labels are known or there are more than two classes.
    """
    decision = getattr(model, "decision_function", None)
    if not isinstance(model, Module) and callable(decision):  # a Perceptron: labels from z > 0
        z = np.asarray(decision(points), dtype=np.float64)
        if z.shape == (len(points),):
            return (z > 0).astype(np.int64), z
    out = _model_output(model, points)
    if out.ndim == 2 and out.shape == (len(points), 2):
        # argmax picks class 0 on a tie, and so does "margin > 0".
        return np.argmax(out, axis=1), out[:, 1].astype(np.float64) - out[:, 0]
    if out.ndim == 2 and out.shape[0] == len(points) and out.shape[1] > 2:
        return np.argmax(out, axis=1), None
    if out.ndim == 2 and out.shape == (len(points), 1):
        return (out[:, 0] > 0).astype(np.int64), out[:, 0].astype(np.float64)  # one score: positive means class 1
    if out.shape == (len(points),) and np.all(out == np.round(out)):
        return out.astype(np.int64), None
    raise ValueError(f"the model must return class labels (n,) or scores (n, C) for n = {len(points)} points, "
                     f"got shape {out.shape}" + (" with non-integer values" if out.ndim == 1 else ""))


@edition_font
def plot_decision_boundary(model: Module | Callable[[np.ndarray], Any], X: np.ndarray, y: np.ndarray, *,
                           class_names: Sequence[str] | None = None, title: str | None = None,
                           xlabel: str = "$x_1$", ylabel: str = "$x_2$", resolution: int = 200,
                           margin: float = 0.5, show_errors: bool = True, legend: bool = True,
                           ax: Axes | None = None) -> Figure:
    """Colour the plane by the class a 2-D classifier predicts, and draw the data on top.

    For a two-class model that returns scores (or a perceptron, through its
    ``decision_function``) the boundary is the zero level of the continuous margin
    (score 1 − score 0), interpolated between grid points: a smooth curve at any
    resolution. A model that returns only labels, or more than two scores, is drawn
    from the labels on the grid, so its boundary follows the grid cells.

    Parameters
    ----------
    model : Module or callable
        A dlbook module (evaluated in eval mode, its mode restored afterwards), a
        ``Perceptron``, or any function of an array of shape (n, 2) that returns class
        labels (n,) or scores (n, C), of which the largest wins (a single score column:
        > 0 means class 1).
    X : np.ndarray, shape (n, 2)
    y : np.ndarray of int, shape (n,)
    class_names : sequence of str, optional
        Legend labels (default "class 0", "class 1", ..., in the edition's language).
    title : str, optional
        By default "Decision boundary", in the edition's language.
    xlabel, ylabel : str
    resolution : int
        Grid points per axis.
    margin : float
        How far the plotted area extends beyond the data.
    show_errors : bool
        Ring the points the model gets wrong.
    legend : bool
        Draw the legend (classes, boundary, errors) inside the axes.
    ax : Axes, optional

    Returns
    -------
    Figure
    """
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"X must have shape (n, 2), got {X.shape}")
    if y.shape != (len(X),) or not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"y must be integer labels of shape ({len(X)},), got shape {y.shape}, dtype {y.dtype}")
    lo, hi = X.min(axis=0) - margin, X.max(axis=0) + margin
    g0, g1 = np.meshgrid(np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution))
    grid = np.column_stack([g0.ravel(), g1.ravel()])
    labels, score = _labels_and_margin(model, grid)
    regions = labels.reshape(g0.shape)
    n_classes = int(max(y.max(), regions.max())) + 1
    names = list(class_names) if class_names is not None else [_("class {k}").format(k=k) for k in range(n_classes)]
    if len(names) < n_classes:
        raise ValueError(f"class_names must name all {n_classes} classes, got {len(names)}")

    if ax is None:
        fig, ax = plt.subplots(figsize=(5.5, 4.4))
    else:
        fig = ax.figure
    fills = [to_rgba(f"C{k}", 0.22) for k in range(n_classes)]
    if score is not None:
        # Two bands of the margin: (lowest, 0] is class 0 (matplotlib closes bands at the top,
        # as "margin > 0 means class 1" needs), (0, highest] is class 1.
        field = score.reshape(g0.shape)
        low, high = min(float(field.min()), 0.0) - 1.0, max(float(field.max()), 0.0) + 1.0
        ax.contourf(g0, g1, field, levels=[low, 0.0, high], colors=fills[:2])
        if field.min() < 0 < field.max():
            ax.contour(g0, g1, field, levels=[0.0], colors="k", linewidths=1.2)
    else:
        levels = np.arange(n_classes + 1) - 0.5
        ax.contourf(g0, g1, regions, levels=levels, colors=fills)
        if regions.min() != regions.max():
            ax.contour(g0, g1, regions, levels=levels[1:-1], colors="k", linewidths=1.2)
    ax.plot([], [], color="k", lw=1.2, label=_("decision boundary"))
    if show_errors:
        wrong = _labels_and_margin(model, X)[0] != y
        ax.scatter(X[wrong, 0], X[wrong, 1], s=110, facecolors="none", edgecolors="k", lw=1.3,
                   label=_("misclassified ({n})").format(n=int(wrong.sum())))
    drawn = len(ax.collections)
    scatter_classes(X, y, names[:n_classes], title=_("Decision boundary") if title is None else title,
                    xlabel=xlabel, ylabel=ylabel, ax=ax)
    if len(X) <= 20:  # a truth table: four points deserve bigger markers
        for points in ax.collections[drawn:]:
            points.set_sizes([60])
    if legend:
        ax.legend(fontsize=8, framealpha=0.9)
    else:
        ax.get_legend().remove()
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    return fig


@edition_font
def plot_decision_boundaries(panels: Mapping[str, tuple[Any, np.ndarray, np.ndarray]], *, ncols: int = 4,
                             **kwargs: Any) -> Figure:
    """One :func:`plot_decision_boundary` panel per named (model, X, y), side by side.

    Extra keyword arguments (``class_names``, ``margin``, ...) go to every panel.
    One legend below the panels serves them all (the first panel's classes and lines).
    """
    n = len(panels)
    if n == 0:
        raise ValueError("panels is empty: give at least one (model, X, y)")
    ncols = min(ncols, n)
    nrows = -(-n // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.6 * ncols, 3.4 * nrows + 0.5), squeeze=False)
    for ax, (name, (model, X, y)) in zip(axes.flat, panels.items()):
        plot_decision_boundary(model, X, y, title=name, legend=False, ax=ax, **kwargs)
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    handles, labels = axes[0, 0].get_legend_handles_labels()
    # The error count differs between panels: name the ring without a number.
    ring = _("misclassified ({n})").split("{n}")[0]
    labels = [_("misclassified") if label.startswith(ring) else label for label in labels]
    fig.legend(handles, labels, loc="lower center", ncol=len(labels), fontsize=9, frameon=False)
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    return fig


# --- digit images -----------------------------------------------------------------------
@edition_font
def plot_digits(images: np.ndarray, labels: np.ndarray, predictions: np.ndarray | None = None, *,
                title: str | None = None, ncols: int = 8) -> Figure:
    """A grid of 8x8 digit images, each titled with its label (and the prediction, red when wrong).

    Parameters
    ----------
    images : np.ndarray, shape (n, 64) or (n, 8, 8), values in [0, 1]
    labels : np.ndarray of int, shape (n,)
        The true digits.
    predictions : np.ndarray of int, shape (n,), optional
        What a model said; titles then read "true 3 / pred 8".
    title : str, optional
        By default "Handwritten digits", in the edition's language.
    ncols : int
    """
    images = np.asarray(images, dtype=np.float64)
    if images.ndim == 2 and images.shape[1] == 64:
        images = images.reshape(-1, 8, 8)
    if images.ndim != 3 or images.shape[1:] != (8, 8):
        raise ValueError(f"images must have shape (n, 64) or (n, 8, 8), got {images.shape}")
    n = len(images)
    if n == 0:
        raise ValueError("images is empty: nothing to draw")
    labels = np.asarray(labels)
    if labels.shape != (n,) or (predictions is not None and np.shape(predictions) != (n,)):
        raise ValueError(f"labels (and predictions) must have shape ({n},), one per image")
    ncols = min(ncols, n)
    nrows = -(-n // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(1.25 * ncols, 1.45 * nrows + 0.5), squeeze=False)
    for k, ax in enumerate(axes.flat):
        ax.set_axis_off()
        if k >= n:
            continue
        ax.imshow(images[k], cmap="gray_r", vmin=0.0, vmax=1.0)
        if predictions is None:
            ax.set_title(f"{labels[k]}", fontsize=10)
        else:
            wrong = predictions[k] != labels[k]
            ax.set_title(_("true {label} / pred {prediction}").format(label=labels[k], prediction=predictions[k]),
                         fontsize=8, color="C3" if wrong else "k")
    fig.suptitle(_("Handwritten digits") if title is None else title)
    fig.tight_layout()
    return fig
