"""Chapter 07's figures: they draw, carry titles and labels, romanize Korean tokens (English edition), save stable PNGs.

The Korean edition's figures (Hangul through the bundled font) are tested in tests/test_i18n_figures.py.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

import dlbook as dl
from dlbook import plotting
from dlbook.data import romanize


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


SRC = "어제 카페에 갔어 거기 사람이 많았어".split()
TGT = "I went to the cafe yesterday . There were many people there .".split()


def test_plot_attention(rng):
    w = dl.softmax(rng.standard_normal((3, 6)))
    fig = plotting.plot_attention(w, ["a", "b", "c"], romanize(SRC), title="cross")
    ax = fig.axes[0]
    assert ax.get_title() == "cross" and ax.get_xlabel() and ax.get_ylabel()
    assert [t.get_text() for t in ax.get_xticklabels()] == romanize(SRC)
    assert len(ax.texts) == 18  # one annotation per cell
    with pytest.raises(ValueError, match="6 labels"):
        plotting.plot_attention(w, ["a", "b", "c"], ["x"])
    with pytest.raises(ValueError, match="len_q, len_k"):
        plotting.plot_attention(w[None])


def test_korean_tokens_are_romanized_with_their_gloss(rng):
    assert plotting.token_labels(SRC) == romanize(SRC, "both")
    assert plotting.token_labels(SRC, "gloss") == romanize(SRC, "gloss")
    assert plotting.token_labels(romanize(SRC)) == romanize(SRC)  # romanized labels pass through
    assert plotting.token_labels(["<bos>", "I", "."]) == ["<bos>", "I", "."]
    w = dl.softmax(rng.standard_normal((3, 6)))
    fig = plotting.plot_attention(w, TGT[:3], SRC)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == romanize(SRC, "both")
    # Korean keys: the axis says so; queries that are not Korean are the target words predicted.
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("source word (romanized, gloss)", "target word being predicted")
    assert ax.get_title() == "Attention weights"
    ax = plotting.plot_attention(w, TGT[:3], SRC, style="romanized").axes[0]
    assert ax.get_xlabel() == "source word (romanized)"
    assert [t.get_text() for t in ax.get_xticklabels()] == romanize(SRC)
    ax = plotting.plot_attention(dl.softmax(rng.standard_normal((6, 6))), SRC, SRC).axes[0]
    assert ax.get_xlabel() == ax.get_ylabel() == "source word (romanized, gloss)"  # self-attention
    ax = plotting.plot_attention(w, ["a", "b", "c"], romanize(SRC, "both")).axes[0]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("key (attended to)", "query (attending)")
    heads = plotting.plot_attention_heads(np.stack([w, w]), TGT[:3], SRC)
    assert [t.get_text() for t in heads.axes[0].get_xticklabels()] == romanize(SRC, "both")
    assert heads.axes[0].get_ylabel() == "target word being predicted"


def test_tokens_the_english_figures_cannot_draw_are_refused(rng):
    w = dl.softmax(rng.standard_normal((1, 2)))
    with pytest.raises(ValueError, match="Hangul that dlbook.data.romanize does not know"):
        plotting.plot_attention(w, ["a"], ["어제", "한글"])
    with pytest.raises(ValueError, match="style must be"):
        plotting.token_labels(SRC, "hangul")
    with pytest.raises(TypeError, match="single str"):
        plotting.token_labels("어제 카페에")


def test_chapter_07s_romanized_labels_draw_the_same_figure_as_korean_tokens(rng, tmp_path):
    rows = TGT + ["<eos>"]  # position t predicts word t
    w = dl.softmax(rng.standard_normal((4, len(rows), 6)))
    given = dict(title="Cross-attention", xlabel="source word (romanized, gloss)",
                 ylabel="target word being predicted")
    for draw, weights in ((plotting.plot_attention, w[0]), (plotting.plot_attention_heads, w)):
        romanized = plotting.save_figure(draw(weights, rows, romanize(SRC, "both"), **given), tmp_path / "r.png")
        korean = plotting.save_figure(draw(weights, rows, SRC, title="Cross-attention"), tmp_path / "k.png")
        assert romanized.read_bytes() == korean.read_bytes()


def test_plot_attention_heads(rng):
    w = dl.softmax(rng.standard_normal((4, 3, 6)))
    fig = plotting.plot_attention_heads(w, ["a", "b", "c"], romanize(SRC))
    titles = [ax.get_title() for ax in fig.axes[:4]]
    assert titles == ["head 0", "head 1", "head 2", "head 3"]
    assert fig._suptitle.get_text()
    assert fig.get_size_inches()[0] <= 9.5  # two panels a row: readable at notebook width
    assert [t.get_fontsize() for t in fig.axes[2].get_xticklabels()] == [9] * 6
    with pytest.raises(ValueError, match="num_heads"):
        plotting.plot_attention_heads(w[0])


def test_plot_exact_match():
    results = {"dictionary": {"train": 0.5, "test": 0.25}, "Transformer": {"train": 1.0, "test": 0.99}}
    fig = plotting.plot_exact_match(results, title="t")
    ax = fig.axes[0]
    assert ax.get_title() == "t" and ax.get_xlabel() and ax.get_ylabel()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["dictionary", "Transformer"]
    assert len(ax.patches) == 4
    with pytest.raises(ValueError, match="splits"):
        plotting.plot_exact_match({"a": {"train": 1.0}, "b": {"test": 1.0}})
    with pytest.raises(ValueError, match="at least one"):
        plotting.plot_exact_match({})


def test_plot_masks():
    m = dl.causal_mask(4)
    fig = plotting.plot_masks({"causal": m, "none": np.ones((4, 4), bool)}, list("abcd"), list("abcd"))
    assert [ax.get_title() for ax in fig.axes] == ["causal", "none"]
    assert len(fig.legends) == 1
    with pytest.raises(ValueError, match="boolean"):
        plotting.plot_masks({"ints": m.astype(int)})
    with pytest.raises(ValueError, match="shape"):
        plotting.plot_masks({"a": m, "b": np.ones((3, 4), bool)})
    with pytest.raises(ValueError, match="at least one"):
        plotting.plot_masks({})


def test_plot_positional_encoding():
    fig = plotting.plot_positional_encoding(dl.sinusoidal_positional_encoding(16, 16))
    assert fig.axes[1].get_legend() is not None and fig.axes[0].get_xlabel()
    fig.canvas.draw()  # the legend stands beside the curves, not over them
    legend, curves = fig.axes[1].get_legend().get_window_extent(), fig.axes[1].get_window_extent()
    assert legend.x0 >= curves.x1
    with pytest.raises(ValueError, match="columns"):
        plotting.plot_positional_encoding(dl.sinusoidal_positional_encoding(16, 8), columns=(9,))


def test_diagrams_draw_and_save_identical_pngs(tmp_path):
    labels = [f"{r}\n{g}" for r, g in zip(romanize(SRC), romanize(SRC, "gloss"))]
    paths = []
    for i in range(2):
        p1, p2 = tmp_path / f"s{i}.png", tmp_path / f"t{i}.png"
        fig = plotting.plot_seq2seq(labels, TGT)
        assert fig.axes[0].get_title()
        plotting.save_figure(fig, p1)
        plotting.save_figure(plotting.plot_transformer_diagram(), p2)
        paths.append((p1.read_bytes(), p2.read_bytes()))
    assert paths[0] == paths[1]
    assert paths[0][0][:8] == b"\x89PNG\r\n\x1a\n"
    # Korean tokens as they are draw the figure chapter 07 draws from its romanized labels.
    plotting.save_figure(plotting.plot_seq2seq(SRC, TGT), tmp_path / "korean.png")
    assert (tmp_path / "korean.png").read_bytes() == paths[0][0]
