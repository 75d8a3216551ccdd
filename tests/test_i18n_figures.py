"""The Korean edition's figures: Hangul drawn with the bundled Nanum Gothic, dlbook's words in Korean, no box.

Every figure function is drawn in the Korean edition. A character no font has would be an
empty box: matplotlib warns ("Glyph ... missing", an error under the tests' warnings
filter) for ordinary text, and only logs ("substituting with a dummy symbol") for math
text such as a log axis's 10^-3, so matplotlib's log is watched too. The English edition's
figures must come out exactly as before the Korean edition touched matplotlib.
"""
from __future__ import annotations

import io
import logging
import re

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib import font_manager
from matplotlib.text import Text

import dlbook as dl
from dlbook import plotting
from dlbook.data import romanize
from dlbook.i18n import catalog, set_language
from dlbook.plotting.fonts import FONT_FILES, HANGUL_FONT, KOREAN_FONT_FAMILY, use_edition_font

HANGUL = re.compile("[\uac00-\ud7a3]")
SRC = "어제 카페에 갔어 거기 사람이 많았어".split()
TGT = "I went to the cafe yesterday . There were many people there .".split()


@pytest.fixture
def edition(monkeypatch, tmp_path):
    """A function that switches the edition; English and matplotlib's settings restored after the test."""
    monkeypatch.delenv("DLBOOK_LANG", raising=False)
    monkeypatch.chdir(tmp_path)
    family = list(mpl.rcParams["font.family"])

    def switch(lang: str) -> None:
        set_language(lang)
        use_edition_font()

    yield switch
    switch("en")
    set_language(None)
    plt.close("all")
    assert list(mpl.rcParams["font.family"]) == family


def _drawn(fig, caplog) -> bytes:
    """The figure as PNG bytes; fails on anything matplotlib logged while drawing (a dummy glyph, a font fallback)."""
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="matplotlib"):
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=60)
    logged = [r.getMessage() for r in caplog.records if r.name.startswith("matplotlib") and r.levelno >= logging.INFO]
    assert not logged, logged
    return buffer.getvalue()


def _texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


def _english_left(fig) -> list[str]:
    """Texts of the figure that are a catalog message left in English (the Korean edition should have translated it)."""
    translated = {english for english, korean in catalog("ko").items() if korean != english}
    return [t for t in _texts(fig) if t in translated]


def test_the_fonts_are_the_bundled_files_and_cover_what_the_figures_write():
    for path in FONT_FILES.values():
        assert path.is_file() and path.parent.name == "fonts"
        assert (path.parent / "OFL.txt").read_text(encoding="utf-8").startswith(
            "Copyright (c) 2010, NAVER Corporation")
    assert "SIL OPEN FONT LICENSE" in (FONT_FILES[400].parent / "OFL.txt").read_text(encoding="utf-8")
    nanum = font_manager.get_font(str(FONT_FILES[400])).get_charmap()
    # Every Hangul syllable of the Korean messages and the chapter 07 tokens is in Nanum Gothic...
    syllables = {ch for text in list(catalog("ko").values()) + SRC for ch in text if HANGUL.match(ch)}
    assert syllables and all(ord(ch) in nanum for ch in syllables)
    # ...which lacks the minus sign: hence DejaVu Sans first in the list (see dlbook/plotting/fonts.py).
    assert 0x2212 not in nanum
    assert KOREAN_FONT_FAMILY == ["DejaVu Sans", HANGUL_FONT]


def test_no_korean_figure_text_mixes_hangul_with_math(edition):
    """Math text ($...$) uses only the first font of the list, DejaVu Sans: Hangul inside it would be boxes."""
    mixed = [k for k in catalog("ko").values() if "$" in k and HANGUL.search(k)]
    assert not mixed


def test_switching_the_edition_sets_and_restores_matplotlibs_font(edition):
    english = list(mpl.rcParams["font.family"])
    edition("ko")
    assert list(mpl.rcParams["font.family"]) == KOREAN_FONT_FAMILY
    assert {f.fname for f in font_manager.fontManager.ttflist if f.name == HANGUL_FONT} >= {
        str(p) for p in FONT_FILES.values()}
    bold = font_manager.findfont(font_manager.FontProperties(family=HANGUL_FONT, weight="bold"))
    assert bold == str(FONT_FILES[700])
    edition("en")
    assert list(mpl.rcParams["font.family"]) == english


def test_a_korean_attention_figure_shows_hangul_tokens_and_korean_labels(edition, caplog):
    edition("ko")
    w = dl.softmax(np.random.default_rng(0).standard_normal((len(TGT) + 1, len(SRC))))
    fig = plotting.plot_attention(w, TGT + ["<eos>"], SRC)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == SRC
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == ("소스 단어", "예측하는 타깃 단어", "어텐션 가중치")
    assert fig.axes[1].get_ylabel() == "어텐션 가중치"
    # Each Hangul tick label is drawn from Nanum Gothic (DejaVu Sans, first in the list, has no Hangul).
    fonts = font_manager.fontManager._find_fonts_by_props(ax.get_xticklabels()[0].get_fontproperties())
    assert str(FONT_FILES[400]) in fonts
    _drawn(fig, caplog)
    # Romanized labels, as chapter 07 passes them today, are shown as given.
    ax = plotting.plot_attention(w, TGT + ["<eos>"], romanize(SRC, "both"), xlabel="x").axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == romanize(SRC, "both")


def _history() -> dl.History:
    gen = np.random.default_rng(0)
    X = gen.standard_normal((40, 2))
    y = (X[:, 0] > X[:, 1]).astype(np.int64)
    model = dl.Linear(2, 2, rng=0, dtype=np.float64)
    return dl.fit(model, dl.CrossEntropyLoss(), dl.SGD(model.parameters(), lr=0.1), (X, y), 3, 10,
                  val_data=(X[:10], y[:10]), rng=0)


def _masks(rows: int, units: int) -> np.ndarray:
    return np.random.default_rng(rows * 100 + units).random((rows, units)) >= 0.5


def _figures() -> dict[str, object]:
    """Every figure function of dlbook.plotting, on small inputs, with dlbook's default words."""
    gen = np.random.default_rng(3)
    X = gen.standard_normal((20, 2))
    y = (X[:, 0] > 0).astype(np.int64)
    digits, labels = dl.data.load_digits()
    h = _history()
    net = dl.Sequential(dl.Linear(2, 3, rng=0), dl.ReLU(), dl.Linear(3, 2, rng=1))
    heads = dl.softmax(gen.standard_normal((4, len(TGT), len(SRC))))
    return {
        "activation": lambda: plotting.plot_activation(dl.Tanh()),
        "activations": lambda: plotting.plot_activations({"ReLU": dl.ReLU(), "GELU": dl.GELU()}),
        "lines (log y)": lambda: plotting.plot_lines({"a": [1.0, 1e-3, 1e-5]}, title="기울기 크기", xlabel="층", ylabel="y",
                                                     logy=True),
        "heatmap": lambda: plotting.heatmap(gen.standard_normal((2, 3))),
        "network": lambda: plotting.draw_network([3, 4, 4, 2], weights=[gen.standard_normal((3, 4)), None, None]),
        "network of one unit": lambda: plotting.draw_network([1, 2]),
        "decision boundary": lambda: plotting.plot_decision_boundary(net, X, y, resolution=20),
        "decision boundaries": lambda: plotting.plot_decision_boundaries({"a": (net, X, y)}, resolution=20),
        "digits": lambda: plotting.plot_digits(digits[:4], labels[:4], labels[:4][::-1]),
        "thinned networks": lambda: plotting.plot_thinned_networks((4, 6, 3), [[_masks(1, 6)[0]]], p=0.5),
        "batch masks": lambda: plotting.plot_batch_masks(_masks(4, 6), p=0.5),
        "dropout masks": lambda: plotting.plot_dropout_masks(_masks(4, 12), p=0.5),
        "dropped counts": lambda: plotting.plot_dropped_counts((~_masks(200, 10)).sum(axis=1), 10, 0.5),
        "train test": lambda: plotting.plot_train_test({"a": h}),
        "ensemble gap": lambda: plotting.plot_ensemble_gap(np.array([1, 4, 16]), {"x": np.array([1.0, 0.5, 0.25])}),
        "norm axes": lambda: plotting.plot_norm_axes(),
        "running stats": lambda: plotting.plot_running_stats(np.array([0.4, 0.5]), np.array([0.04, 0.09]), 0.45,
                                                             momentum=0.1),
        "batch dependence": lambda: plotting.plot_batch_dependence({"a": np.array([-1.0, 1.0])}, 0.3),
        "activation scales": lambda: plotting.plot_activation_scales({"a": np.array([1.0, 1e-4])}),
        "history": lambda: plotting.plot_history(h),
        "history (smoothed, end)": lambda: plotting.plot_history(h, smooth=2, train_at="end"),
        "histories": lambda: plotting.plot_histories({"a": h}),
        "histories per step": lambda: plotting.plot_histories({"a": h}, metric="step_loss", per="step", logx=True),
        "steps and epochs": lambda: plotting.plot_steps_and_epochs({"a": h}, smooth=2),
        "attention": lambda: plotting.plot_attention(heads[0], TGT, SRC),
        "attention heads": lambda: plotting.plot_attention_heads(heads, TGT, SRC),
        "self-attention": lambda: plotting.plot_attention(dl.softmax(gen.standard_normal((6, 6))), SRC, SRC),
        "exact match": lambda: plotting.plot_exact_match({"a": {"seen": 0.5, "new_words": 0.25}}),
        "masks": lambda: plotting.plot_masks({"causal": dl.causal_mask(6)}, SRC, SRC),
        "positional encoding": lambda: plotting.plot_positional_encoding(dl.sinusoidal_positional_encoding(16, 16)),
        "seq2seq": lambda: plotting.plot_seq2seq(SRC, TGT),
        "transformer diagram": lambda: plotting.plot_transformer_diagram(num_encoder_layers=2),
    }


@pytest.mark.parametrize("name", list(_figures()))
def test_every_korean_figure_draws_in_korean_without_a_missing_glyph(name, edition, caplog):
    edition("ko")
    fig = _figures()[name]()
    _drawn(fig, caplog)
    texts = _texts(fig)
    assert any(HANGUL.search(t) for t in texts), texts
    assert not _english_left(fig)


def test_live_curves_in_korean(edition, caplog):
    edition("ko")
    live = plotting.LiveCurves(static=True)
    gen = np.random.default_rng(0)
    X = gen.standard_normal((20, 2))
    model = dl.Linear(2, 2, rng=0, dtype=np.float64)
    dl.fit(model, dl.CrossEntropyLoss(), dl.SGD(model.parameters(), lr=0.1), (X, (X[:, 0] > 0).astype(np.int64)), 2,
           10, rng=0, callback=live)
    assert live.fig.axes[0].get_title() == "학습 곡선: 손실"
    _drawn(live.fig, caplog)


def test_english_figures_are_unchanged_by_a_korean_one(edition, caplog):
    w = dl.softmax(np.random.default_rng(1).standard_normal((len(TGT), len(SRC))))

    def english_pngs() -> list[bytes]:
        return [_drawn(plotting.plot_attention(w, TGT, SRC), caplog), _drawn(plotting.plot_history(_history()), caplog)]

    edition("en")
    before = english_pngs()
    edition("ko")
    korean = _drawn(plotting.plot_attention(w, TGT, SRC), caplog)
    edition("en")
    assert english_pngs() == before and korean != before[0]
