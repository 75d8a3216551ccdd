"""Network diagrams, decision boundaries and digit grids: what they draw and what they refuse."""
from __future__ import annotations

import io
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.patches import Circle

import dlbook as dl
from dlbook import plotting


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _circles(fig: Figure) -> list[Circle]:
    return [p for p in fig.axes[0].patches if isinstance(p, Circle)]


def _edges(fig: Figure):
    return fig.axes[0].collections[0]


def _texts(fig: Figure) -> str:
    return " | ".join(t.get_text() for ax in fig.axes for t in ax.texts)


# --- draw_network --------------------------------------------------------------------------------------


def test_fully_connected_diagram():
    fig = plotting.draw_network([4, 5, 5, 3], title="MLP")
    ax = fig.axes[0]
    assert len(_circles(fig)) == 17
    assert len(_edges(fig).get_segments()) == 4 * 5 + 5 * 5 + 5 * 3  # one line per weight
    text = _texts(fig)
    for label in ("input layer", "hidden layer 1", "hidden layer 2", "output layer", "(4 units)", "$x_{1}$", "$o_{3}$"):
        assert label in text
    assert ax.get_title() == "MLP"


def test_masked_diagram_draws_only_the_connections():
    mask = np.array([[1, 0], [1, 1], [0, 1]], dtype=bool)
    fig = plotting.draw_network([3, 2, 1], masks=[mask, None])
    assert len(_edges(fig).get_segments()) == mask.sum() + 2
    fig = plotting.draw_network([3, 2], masks=mask)  # one array for a two-layer diagram
    segments = _edges(fig).get_segments()
    assert len(segments) == mask.sum()
    # the missing connection is unit 0 -> unit 1 (and 2 -> 0): no segment from the top input to the lower unit
    starts_ends = {(round(float(seg[0][1]), 3), round(float(seg[1][1]), 3)) for seg in segments}
    assert (1.0, -0.5) not in starts_ends and (1.0, 0.5) in starts_ends
    assert "hidden" not in _texts(fig)


def test_weights_set_colour_and_width():
    W = np.array([[2.0, -1.0]])
    fig = plotting.draw_network([1, 2], weights=W, unit_labels=[["in"], ["a", "b"]], layer_names=["x", "h"])
    edges = _edges(fig)
    widths, colors = edges.get_linewidths(), edges.get_colors()
    assert widths[0] > widths[1]  # |2| > |-1|
    assert not np.allclose(colors[0], colors[1])  # the sign
    assert fig.axes[0].get_legend() is not None
    assert "in" in _texts(fig) and "x\n(1 unit)" in _texts(fig)


def test_large_layers_are_abbreviated():
    fig = plotting.draw_network([64, 128, 10], max_units=8)
    assert len(_circles(fig)) == 8 + 8 + 8
    assert len(_edges(fig).get_segments()) == 8 * 8 * 2
    assert "⋮" in _texts(fig) and "(128 units)" in _texts(fig) and "$h_{128}$" in _texts(fig)


def test_draw_network_refuses_bad_arguments():
    with pytest.raises(ValueError, match="at least two"):
        plotting.draw_network([3])
    with pytest.raises(ValueError, match=r"\(3, 2\)"):
        plotting.draw_network([3, 2], masks=np.ones((2, 3), dtype=bool))
    with pytest.raises(TypeError, match="boolean"):
        plotting.draw_network([3, 2], masks=np.ones((3, 2)))
    with pytest.raises(ValueError, match="one entry per connection"):
        plotting.draw_network([3, 2, 1], masks=[None])
    with pytest.raises(ValueError, match="unit_labels"):
        plotting.draw_network([2, 1], unit_labels=[["a"], ["b"]])
    with pytest.raises(ValueError, match="layer_names"):
        plotting.draw_network([2, 1], layer_names=["only one"])


def test_saved_diagram_is_byte_for_byte_reproducible():
    def png() -> bytes:
        buf = io.BytesIO()
        fig = plotting.draw_network([2, 3, 1], masks=[np.eye(2, 3, dtype=bool), None])
        fig.savefig(buf, format="png", dpi=60, metadata={"Software": None})
        plt.close(fig)
        return buf.getvalue()

    assert png() == png()


# --- decision boundaries ---------------------------------------------------------------------------------


def test_decision_boundary_of_a_module_restores_its_mode():
    X, y = dl.data.make_moons(60, noise=0.1, rng=0)
    model = dl.Sequential(dl.Linear(2, 8, rng=0), dl.ReLU(), dl.Linear(8, 2, rng=1))
    assert model.training
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = plotting.plot_decision_boundary(model, X, y, class_names=["a", "b"], title="moons", resolution=50)
    ax = fig.axes[0]
    assert model.training
    assert ax.get_title() == "moons" and ax.get_xlabel() and ax.get_ylabel()
    labels = ax.get_legend_handles_labels()[1]
    assert {"a", "b", "decision boundary"} <= set(labels)
    wrong = int(np.sum(np.argmax(model.eval()(X), axis=1) != y))
    assert f"misclassified ({wrong})" in labels


def test_decision_boundary_of_functions_and_scores():
    X, y = dl.logic_gate("AND")
    p = dl.Perceptron.from_weights([0.5, 0.5], -0.7)
    fig = plotting.plot_decision_boundary(p, X, y, resolution=20)
    assert "misclassified (0)" in fig.axes[0].get_legend_handles_labels()[1]
    one_score = lambda Z: (Z @ np.array([1.0, 1.0]) - 1.5)[:, None]  # (n, 1): positive means class 1
    fig = plotting.plot_decision_boundary(one_score, X, y, resolution=20, legend=False)
    assert fig.axes[0].get_legend() is None
    constant = lambda Z: np.zeros(len(Z), dtype=np.int64)  # one region only: no boundary to draw
    plotting.plot_decision_boundary(constant, X, y, resolution=20)


def test_decision_boundary_refuses_bad_arguments():
    X, y = dl.logic_gate("OR")
    with pytest.raises(ValueError, match=r"shape \(n, 2\)"):
        plotting.plot_decision_boundary(lambda Z: Z[:, 0] > 0, np.zeros((4, 3)), y)
    with pytest.raises(ValueError, match="integer labels"):
        plotting.plot_decision_boundary(lambda Z: Z[:, 0] > 0, X, y.astype(float))
    with pytest.raises(ValueError, match="non-integer"):
        plotting.plot_decision_boundary(lambda Z: Z[:, 0] + 0.5, X, y, resolution=10)
    with pytest.raises(TypeError, match="Module or a function"):
        plotting.plot_decision_boundary("model", X, y)
    with pytest.raises(ValueError, match="class_names"):
        plotting.plot_decision_boundary(dl.Perceptron.from_weights([1.0, 1.0], -0.5), X, y, class_names=["one"],
                                        resolution=10)


def test_decision_boundaries_grid_shares_one_legend():
    panels = {gate: (dl.Perceptron(2), *dl.logic_gate(gate)) for gate in ("AND", "OR", "XOR")}
    for p, X, y in panels.values():
        p.fit(X, y, epochs=10)
    fig = plotting.plot_decision_boundaries(panels, ncols=2, resolution=20)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in visible] == ["AND", "OR", "XOR"]
    assert all(ax.get_legend() is None for ax in visible)
    assert len(fig.legends) == 1
    assert "misclassified" in [t.get_text() for t in fig.legends[0].get_texts()]
    with pytest.raises(ValueError, match="empty"):
        plotting.plot_decision_boundaries({})


# --- digits -----------------------------------------------------------------------------------------------


def test_plot_digits_titles_mark_mistakes():
    X, y = dl.data.load_digits()
    pred = y[:5].copy()
    pred[2] = (pred[2] + 1) % 10
    fig = plotting.plot_digits(X[:5], y[:5], pred, title="five", ncols=3)
    shown = [ax for ax in fig.axes if ax.images]
    assert len(shown) == 5
    assert shown[2].get_title() == f"true {y[2]} / pred {pred[2]}"
    assert shown[2].title.get_color() != shown[0].title.get_color()
    assert fig._suptitle.get_text() == "five"
    fig = plotting.plot_digits(X[:3].reshape(3, 8, 8), y[:3])
    assert [ax.get_title() for ax in fig.axes if ax.images] == [str(d) for d in y[:3]]


def test_plot_digits_refuses_bad_shapes():
    X, y = dl.data.load_digits()
    with pytest.raises(ValueError, match=r"\(n, 64\)"):
        plotting.plot_digits(X[:2, :60], y[:2])
    with pytest.raises(ValueError, match="one per image"):
        plotting.plot_digits(X[:2], y[:3])
    with pytest.raises(ValueError, match="empty"):
        plotting.plot_digits(X[:0], y[:0])


def test_dropped_units_lose_their_connections():
    kept = [None, np.array([True, False, True]), None]
    fig = plotting.draw_network([2, 3, 1], kept=kept)
    # Unit 1 of the hidden layer is off: 2 inputs x 2 kept units + 2 kept units x 1 output.
    assert len(_edges(fig).get_segments()) == 2 * 2 + 2 * 1
    circles = _circles(fig)
    assert len(circles) == 6
    grey = [c for c in circles if np.allclose(c.get_facecolor()[:3], (0.851, 0.851, 0.851), atol=0.01)]
    assert len(grey) == 1 and grey[0].center[0] > 0  # the dropped hidden unit, not an input
    assert len(fig.axes[0].collections) == 2  # the connections, then the crosses over dropped units
    assert len(fig.axes[0].collections[1].get_segments()) == 2  # one cross: two strokes
    with pytest.raises(ValueError, match="one entry per layer"):
        plotting.draw_network([2, 3, 1], kept=[None, None])
    with pytest.raises(ValueError, match=r"shape \(3,\)"):
        plotting.draw_network([2, 3, 1], kept=[None, np.ones(2, dtype=bool), None])
    with pytest.raises(TypeError, match="boolean"):
        plotting.draw_network([2, 3, 1], kept=[None, np.ones(3), None])


def test_two_class_boundary_is_the_zero_level_of_the_margin_not_a_staircase():
    # A perceptron's boundary w·x + b = 0 is a straight line: drawn from the continuous margin,
    # every vertex of the contour lies on it (a contour of grid labels would zigzag by a cell).
    X, y = dl.logic_gate("AND")
    p = dl.Perceptron.from_weights([2.0, 1.0], -2.0)
    fig = plotting.plot_decision_boundary(p, X, y, resolution=30)
    boundary = fig.axes[0].collections[1]  # contourf, then the contour of the zero level
    vertices = np.concatenate([path.vertices for path in boundary.get_paths()])
    assert len(vertices) > 10
    np.testing.assert_allclose(vertices @ p.weight + p.bias, 0.0, atol=1e-9)
    # The same for a module with two scores: the line where score 1 = score 0.
    net = dl.Linear(2, 2, rng=0, dtype=np.float64)
    fig = plotting.plot_decision_boundary(net, X, y, resolution=30)
    vertices = np.concatenate([path.vertices for path in fig.axes[0].collections[1].get_paths()])
    scores = net.eval()(vertices)
    np.testing.assert_allclose(scores[:, 1] - scores[:, 0], 0.0, atol=1e-9)


def test_margin_ties_go_to_class_0_as_the_labels_do():
    # z = 0 exactly on (1, 0): the perceptron says 0 there, and the filled region must agree.
    X, y = dl.logic_gate("AND")
    p = dl.Perceptron.from_weights([2.0, 1.0], -2.0)
    fig = plotting.plot_decision_boundary(p, X, y, resolution=30)
    assert "misclassified (0)" in fig.axes[0].get_legend_handles_labels()[1]
    zero = dl.Perceptron(2)  # z = 0 everywhere: one region, class 0, no boundary line, no warning
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = plotting.plot_decision_boundary(zero, X, y, resolution=10)
    assert "misclassified (1)" in fig.axes[0].get_legend_handles_labels()[1]


def test_three_class_scores_still_draw_from_labels():
    X, y = dl.data.make_spirals(60, n_classes=3, rng=0)
    net = dl.Linear(2, 3, rng=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = plotting.plot_decision_boundary(net, X, y, resolution=25)
    assert {"class 0", "class 1", "class 2"} <= set(fig.axes[0].get_legend_handles_labels()[1])
