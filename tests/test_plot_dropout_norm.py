"""Figures of chapters 05 and 06: labelled, English-only, reproducible PNGs, clear errors."""
from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import dlbook as dl  # noqa: E402
from dlbook import plotting  # noqa: E402

HANGUL = re.compile(r"[\uac00-\ud7a3]")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _history(seed: int, epochs: int = 4) -> dl.History:
    gen = np.random.default_rng(seed)
    h = dl.History(steps_per_epoch=3)
    h.train_loss = list(np.exp(-np.arange(epochs)) + gen.uniform(0, 0.1, epochs))
    h.val_loss = list(np.exp(-np.arange(epochs) / 2) + 0.2)
    h.train_accuracy = list(np.linspace(0.5, 1.0, epochs))
    h.val_accuracy = list(np.linspace(0.4, 0.9, epochs))
    return h


def _masks(rows: int, units: int, p: float = 0.5) -> np.ndarray:
    drop = dl.Dropout(p, rng=0)
    drop(np.ones((rows, units)))
    return drop.mask


FIGURES = {
    "thinned_networks": lambda: plotting.plot_thinned_networks(
        (4, 6, 6, 3), [[_masks(1, 6)[0], _masks(1, 6)[0]] for _ in range(2)], p=0.5),
    "masks": lambda: plotting.plot_dropout_masks(_masks(6, 12), p=0.5),
    "batch_masks": lambda: plotting.plot_batch_masks(_masks(6, 8), p=0.5),
    "counts": lambda: plotting.plot_dropped_counts((~_masks(500, 20)).sum(axis=1), 20, 0.5),
    "train_test": lambda: plotting.plot_train_test({"a": _history(0), "b": _history(1)}),
    "ensemble": lambda: plotting.plot_ensemble_gap(np.array([1, 2, 4]), {"x": np.array([1.0, 0.7, 0.5])}),
    "norm_axes": lambda: plotting.plot_norm_axes(),
    "running_stats": lambda: plotting.plot_running_stats(np.array([0.4, 0.5, 0.45]), np.array([0.04, 0.086, 0.122]),
                                                         0.45, momentum=0.1),
    "batch_dependence": lambda: plotting.plot_batch_dependence(
        {"batch of 2": np.array([-1.0, 1.0, 1.0]), "batch of 64": np.array([0.1, 0.2, 0.15])}, 0.3),
    "activation_scales": lambda: plotting.plot_activation_scales(
        {"none": np.array([0.1, 0.01]), "BatchNorm": np.array([0.6, 0.6])}),
}


def _texts(fig) -> list[str]:
    texts = [t.get_text() for t in fig.findobj(matplotlib.text.Text)]
    return [t for t in texts if t]


@pytest.mark.parametrize("name", FIGURES)
def test_every_axes_has_a_title_and_labels(name):
    fig = FIGURES[name]()
    axes = [ax for ax in fig.axes if ax.get_visible()]
    assert axes
    for ax in axes:
        assert ax.get_title() or fig.get_suptitle(), name
        assert ax.get_xlabel() or ax.get_xticklabels(), name
    assert not any(HANGUL.search(t) for t in _texts(fig)), "no Hangul in figures: the default font has no glyphs"


@pytest.mark.parametrize("name", ["counts", "train_test", "ensemble", "running_stats", "batch_dependence",
                                  "activation_scales", "masks", "batch_masks"])
def test_figures_with_several_series_have_a_legend(name):
    fig = FIGURES[name]()
    assert fig.legends or any(ax.get_legend() is not None for ax in fig.axes)


@pytest.mark.parametrize("name", FIGURES)
def test_saved_png_bytes_are_reproducible(tmp_path, name):
    first, second = tmp_path / "a.png", tmp_path / "b.png"
    plotting.save_figure(FIGURES[name](), first)
    plt.close("all")
    plotting.save_figure(FIGURES[name](), second)
    data = first.read_bytes()
    assert data.startswith(b"\x89PNG") and data == second.read_bytes()
    assert b"matplotlib" not in data.lower()  # no software version in the metadata


def test_train_test_draws_train_solid_and_test_dashed():
    fig = plotting.plot_train_test({"a": _history(0)})
    styles = {line.get_label(): line.get_linestyle() for line in fig.axes[0].get_lines()}
    assert styles == {"a: train": "-", "a: test": "--"}


def test_train_test_names_the_held_out_set():
    fig = plotting.plot_train_test({"a": _history(0)}, val_name="validation")
    assert [line.get_label() for line in fig.axes[0].get_lines()] == ["a: train", "a: validation"]


def test_batch_masks_show_one_row_per_sample_and_count_the_samples_keeping_each_unit():
    masks = np.array([[True, False, True], [False, False, True]])
    fig = plotting.plot_batch_masks(masks, p=0.5)
    ax = fig.axes[0]
    assert np.array_equal(ax.images[0].get_array(), masks)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["sample 1: 1 dropped", "sample 2: 2 dropped"]
    top = [child for child in ax.get_children() if type(child).__name__ == "SecondaryAxis"][0]
    assert [t.get_text() for t in top.get_xticklabels()] == ["1/2", "0/2", "2/2"]


def test_thinned_networks_titles_say_each_panel_is_one_sample():
    fig = FIGURES["thinned_networks"]()
    titles = [ax.get_title() for ax in fig.axes]
    assert titles[0] == "eval mode: every unit"
    assert all(t.startswith(f"step {k}, one sample:") for k, t in enumerate(titles[1:], start=1))


def test_binomial_histogram_sums_to_one():
    counts = (~_masks(1000, 10)).sum(axis=1)
    fig = plotting.plot_dropped_counts(counts, 10, 0.5)
    heights = [patch.get_height() for patch in fig.axes[0].patches]
    assert sum(heights) == pytest.approx(1.0)


def test_norm_axes_highlights_one_column_and_one_row():
    fig = plotting.plot_norm_axes(batch=4, features=3)
    batch_ax, layer_ax = fig.axes
    coloured = [[p for p in ax.patches if p.get_fill() and p.get_facecolor()[:3] != (1.0, 1.0, 1.0)]
                for ax in (batch_ax, layer_ax)]
    assert len(coloured[0]) == 4  # one feature over the 4 samples
    assert len(coloured[1]) == 3  # one sample over its 3 features
    assert {p.get_x() for p in coloured[0]} == {1}  # a single column
    assert {p.get_y() for p in coloured[1]} == {1}  # a single row


def test_bad_inputs_are_refused():
    with pytest.raises(ValueError, match="boolean"):
        plotting.plot_dropout_masks(np.ones((3, 4)), p=0.5)
    with pytest.raises(ValueError, match="boolean"):
        plotting.plot_batch_masks(np.ones((3, 4), dtype=bool)[0], p=0.5)
    with pytest.raises(ValueError, match="2 x 2"):
        plotting.plot_norm_axes(batch=1)
    with pytest.raises(ValueError, match="do not match layer_sizes"):
        plotting.plot_thinned_networks((4, 6, 3), [[np.ones(5, dtype=bool)]], p=0.5)


def test_train_test_has_one_legend_below_both_panels():
    fig = plotting.plot_train_test({"a": _history(0), "b": _history(1)})
    assert all(ax.get_legend() is None for ax in fig.axes)  # none inside a panel, over a curve
    (legend,) = fig.legends
    assert [t.get_text() for t in legend.get_texts()] == ["a: train", "a: test", "b: train", "b: test"]


def test_train_test_zooms_the_accuracy_axis_on_request():
    fig = plotting.plot_train_test({"a": _history(0)}, accuracy_range=(0.8, 1.0))
    assert fig.axes[1].get_ylim() == (0.8, 1.0)
