"""The 2-D toy sets: shapes, labels, geometry, reproducibility, argument checks, NumPy only."""
from __future__ import annotations

import ast
import inspect

import numpy as np
import pytest

import dlbook as dl
from dlbook.data import toy2d

GENERATORS = [dl.data.make_xor, dl.data.make_moons, dl.data.make_spirals]


@pytest.mark.parametrize("make", GENERATORS)
@pytest.mark.parametrize("n", [4, 7, 201])
def test_shapes_dtypes_and_balanced_labels(make, n):
    X, y = make(n, rng=0)
    assert X.shape == (n, 2) and X.dtype == np.float32
    assert y.shape == (n,) and y.dtype == np.int64
    counts = np.bincount(y)
    assert counts.max() - counts.min() <= 1
    assert np.all(np.isfinite(X))
    assert make(n, rng=0, dtype=np.float64)[0].dtype == np.float64


@pytest.mark.parametrize("make", GENERATORS)
def test_reproducible_and_global_state_untouched(make):
    state = np.random.get_state()[1].copy()
    X1, y1 = make(50, rng=3)
    X2, y2 = make(50, rng=3)
    X3, _ = make(50, rng=4)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.array_equal(X1, X3)
    gen = np.random.default_rng(5)
    first, second = make(50, rng=gen)[0], make(50, rng=gen)[0]
    assert not np.array_equal(first, second)  # a shared Generator advances
    np.testing.assert_array_equal(np.random.get_state()[1], state)


def test_xor_without_noise_is_the_truth_table():
    X, y = dl.data.make_xor(40, noise=0.0, rng=0, dtype=np.float64)
    corners = X.astype(np.int64)
    np.testing.assert_array_equal(X, corners)
    np.testing.assert_array_equal(y, corners[:, 0] ^ corners[:, 1])
    assert len(np.unique(corners, axis=0)) == 4


def test_xor_is_not_linearly_separable():
    X, y = dl.data.make_xor(200, noise=0.1, rng=1, dtype=np.float64)
    history = dl.Perceptron(2).fit(X, y, epochs=50)
    assert not history.converged and min(history.errors) >= 40  # far from separable


def test_moons_without_noise_lie_on_their_half_circles():
    X, y = dl.data.make_moons(100, noise=0.0, rng=0, dtype=np.float64)
    upper, lower = X[y == 0], X[y == 1]
    np.testing.assert_allclose(np.hypot(upper[:, 0], upper[:, 1]), 1.0)
    assert np.all(upper[:, 1] >= 0)
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1.0, lower[:, 1] - 0.5), 1.0)
    assert np.all(lower[:, 1] <= 0.5)


def test_spirals_without_noise_follow_their_arms():
    X, y = dl.data.make_spirals(300, n_classes=3, noise=0.0, turns=1.25, rng=0, dtype=np.float64)
    assert set(np.unique(y)) == {0, 1, 2}
    r = np.hypot(X[:, 0], X[:, 1])
    assert np.all((r >= 0.05) & (r <= 1.0))
    angle = 2 * np.pi * (1.25 * r + y / 3)
    np.testing.assert_allclose(X, r[:, None] * np.stack([np.cos(angle), np.sin(angle)], axis=1), atol=1e-12)


def test_noise_spreads_the_points():
    clean, _ = dl.data.make_moons(200, noise=0.0, rng=0, dtype=np.float64)
    noisy, _ = dl.data.make_moons(200, noise=0.3, rng=0, dtype=np.float64)
    spread = np.std(noisy - clean)
    assert 0.2 < spread < 0.4


@pytest.mark.parametrize("make", GENERATORS)
def test_bad_arguments(make):
    with pytest.raises(ValueError, match="at least"):
        make(1)
    with pytest.raises(TypeError, match="n must be an int"):
        make(10.0)
    with pytest.raises(ValueError, match="noise"):
        make(10, noise=-0.1)
    with pytest.raises(ValueError, match="noise"):
        make(10, noise=float("nan"))
    with pytest.raises(TypeError, match="noise"):
        make(10, noise="0.1")
    with pytest.raises(TypeError, match="floating"):
        make(10, dtype=np.int32)


def test_spiral_arguments():
    with pytest.raises(ValueError, match="n_classes"):
        dl.data.make_spirals(10, n_classes=1)
    with pytest.raises(TypeError, match="n_classes"):
        dl.data.make_spirals(10, n_classes=2.0)
    with pytest.raises(ValueError, match="turns"):
        dl.data.make_spirals(10, turns=0)


def test_public_names():
    assert set(toy2d.__all__) == {"make_xor", "make_moons", "make_spirals"}


def test_depends_on_numpy_only():
    tree = ast.parse(inspect.getsource(toy2d))
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree)
                 if isinstance(node, ast.ImportFrom) and node.module and node.level == 0}
    # The one relative import is dlbook.rng (the library's one way to make a generator, NumPy only).
    relative = [(node.level, node.module) for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.level > 0]
    assert imported <= {"numpy", "__future__", "typing"} and relative == [(2, "rng")]
