"""Rosenblatt's perceptron, the logic-gate data and the masked (partially connected) linear layer."""
from __future__ import annotations

import numpy as np
import pytest

import dlbook as dl

# --- logic gates ------------------------------------------------------------------------------


@pytest.mark.parametrize("gate, outputs", [("AND", [0, 0, 0, 1]), ("OR", [0, 1, 1, 1]), ("NAND", [1, 1, 1, 0]),
                                           ("XOR", [0, 1, 1, 0])])
def test_logic_gate_truth_tables(gate, outputs):
    X, y = dl.logic_gate(gate)
    assert X.shape == (4, 2) and X.dtype == np.float64
    assert y.dtype == np.int64 and y.tolist() == outputs
    assert X.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert dl.logic_gate(gate.lower(), dtype=np.float32)[0].dtype == np.float32


def test_logic_gate_refuses_bad_arguments():
    with pytest.raises(ValueError, match="one of"):
        dl.logic_gate("NOR")
    with pytest.raises(TypeError, match="str"):
        dl.logic_gate(1)
    with pytest.raises(TypeError, match="floating"):
        dl.logic_gate("AND", dtype=np.int64)


# --- the perceptron -------------------------------------------------------------------------------


@pytest.mark.parametrize("gate", ["AND", "OR", "NAND"])
def test_perceptron_converges_on_separable_gates(gate):
    X, y = dl.logic_gate(gate)
    p = dl.Perceptron(2)
    history = p.fit(X, y, epochs=100)
    assert history.converged
    assert history.errors[-1] == 0 and all(e > 0 for e in history.errors[:-1])
    assert history.epochs < 100 and history.updates > 0
    np.testing.assert_array_equal(p.predict(X), y)
    assert "converged after" in history.summary()


def test_perceptron_never_converges_on_xor():
    X, y = dl.logic_gate("XOR")
    p = dl.Perceptron(2)
    history = p.fit(X, y, epochs=200)
    assert not history.converged
    assert history.epochs == 200
    assert min(history.errors) >= 1  # no line gets all four right
    assert history.updates >= 200  # every epoch still finds a mistake
    assert "not converged after 200 epochs" in repr(history)


def test_updates_respect_novikoffs_bound_on_random_separable_data():
    gen = np.random.default_rng(7)
    w_true, b_true = np.array([1.5, -2.0, 0.5]), 0.3
    X = gen.uniform(-1, 1, (300, 3))
    z = X @ w_true + b_true
    keep = np.abs(z) > 0.2  # a guaranteed margin
    X, y = X[keep], (z[keep] > 0).astype(np.int64)
    p = dl.Perceptron(3)
    history = p.fit(X, y, epochs=1000, shuffle=True, rng=0)
    assert history.converged
    np.testing.assert_array_equal(p.predict(X), y)
    X1 = np.hstack([X, np.ones((len(X), 1))])
    w_star = np.append(w_true, b_true) / np.linalg.norm(np.append(w_true, b_true))
    gamma = np.min((2 * y - 1) * (X1 @ w_star))
    R = np.max(np.linalg.norm(X1, axis=1))
    assert history.updates <= (R / gamma) ** 2


def test_update_is_rosenblatts_rule():
    p = dl.Perceptron.from_weights([0.5, -1.0], 0.0)
    assert p.update(np.array([1.0, 1.0]), 1, lr=0.5)  # z = -0.5: a missed 1, move towards x
    np.testing.assert_allclose(p.weight, [1.0, -0.5])
    assert p.bias == 0.5
    assert p.update(np.array([1.0, 0.0]), 0)  # z = 1.5: a false 1, move away from x
    np.testing.assert_allclose(p.weight, [0.0, -0.5])
    assert p.bias == -0.5
    assert not p.update(np.array([1.0, 0.0]), 0)  # right now: nothing changes
    np.testing.assert_allclose(p.weight, [0.0, -0.5])


def test_zero_counts_as_zero():
    p = dl.Perceptron(2)
    np.testing.assert_array_equal(p.predict(np.zeros((3, 2))), [0, 0, 0])
    np.testing.assert_array_equal(p.decision_function(np.ones((1, 2))), [0.0])
    assert p(np.ones((1, 2))).dtype == np.int64


def test_fit_continues_from_the_current_weights():
    X, y = dl.logic_gate("AND")
    p = dl.Perceptron.from_weights([0.5, 0.5], -0.7)
    history = p.fit(X, y, epochs=10)
    assert history.converged and history.epochs == 1 and history.updates == 0


def test_shuffled_fit_is_reproducible():
    X, y = dl.logic_gate("NAND")
    runs = []
    for _ in range(2):
        p = dl.Perceptron(2)
        history = p.fit(X, y, epochs=50, shuffle=True, rng=3)
        runs.append((p.weight.copy(), p.bias, history.errors))
    np.testing.assert_array_equal(runs[0][0], runs[1][0])
    assert runs[0][1:] == runs[1][1:]


def test_perceptron_refuses_bad_input():
    X, y = dl.logic_gate("AND")
    p = dl.Perceptron(2)
    with pytest.raises(ValueError, match=r"shape \(n, 2\)"):
        p.fit(X[:, :1], y)
    with pytest.raises(TypeError, match="floating"):
        p.fit(X.astype(np.int64), y)
    with pytest.raises(TypeError, match="integer"):
        p.fit(X, y.astype(np.float64))
    with pytest.raises(ValueError, match="only 0 and 1"):
        p.fit(X, np.array([0, 1, 2, 1]))
    with pytest.raises(ValueError, match="one label per row"):
        p.fit(X, y[:3])
    with pytest.raises(ValueError, match="epochs"):
        p.fit(X, y, epochs=0)
    with pytest.raises(ValueError, match="lr"):
        p.fit(X, y, lr=0.0)
    with pytest.raises(ValueError, match="lr"):
        p.fit(X, y, lr=-1.0)
    with pytest.raises(ValueError, match="1-D"):
        dl.Perceptron.from_weights([[1.0, 2.0]], 0.0)
    with pytest.raises(TypeError):
        dl.Perceptron(2.5)
    with pytest.raises(ValueError, match=r"one sample of shape \(2,\)"):
        p.update(X, 1)


def test_perceptron_repr():
    assert repr(dl.Perceptron.from_weights([1.0, -2.0], 0.5)) == "Perceptron(weight=[ 1., -2.], bias=0.5)"


# --- MaskedLinear ------------------------------------------------------------------------------------

BAND = np.array([[1, 0, 0], [1, 1, 0], [0, 1, 1], [0, 0, 1]], dtype=bool)  # 4 inputs -> 3 units


def test_masked_weights_are_zero_at_init_and_the_rest_match_linear():
    layer = dl.MaskedLinear(4, 3, BAND, rng=5)
    plain = dl.Linear(4, 3, rng=5)
    assert isinstance(layer, dl.Linear)
    assert np.all(layer.weight.data[~BAND] == 0)
    np.testing.assert_array_equal(layer.weight.data[BAND], plain.weight.data[BAND])
    assert layer.connections == 6
    assert "connections=6/12" in repr(layer)
    assert not np.signbit(layer.weight.data[~BAND]).any()  # +0.0, never -0.0


@pytest.mark.parametrize("bias", [True, False])
def test_masked_linear_gradcheck(bias):
    layer = dl.MaskedLinear(4, 3, BAND, bias=bias, rng=0, dtype=np.float64)
    x = np.random.default_rng(1).standard_normal((5, 4))
    result = dl.gradcheck(layer, x)
    assert result.passed, result
    x3 = np.random.default_rng(2).standard_normal((2, 5, 4))  # leading axes (batch, sequence)
    assert dl.gradcheck(layer, x3).passed


def test_masked_backward_gives_zero_gradient_to_missing_weights():
    layer = dl.MaskedLinear(4, 3, BAND, rng=0, dtype=np.float64)
    x = np.random.default_rng(3).standard_normal((6, 4))
    y = layer(x)
    dx = layer.backward(np.ones_like(y))
    assert np.all(layer.weight.grad[~BAND] == 0)
    assert np.all(layer.weight.grad[BAND] != 0)
    np.testing.assert_allclose(dx, np.ones_like(y) @ (layer.weight.data * BAND).T)


def test_forward_ignores_values_written_into_missing_weights():
    layer = dl.MaskedLinear(4, 3, BAND, rng=0, dtype=np.float64)
    layer.weight.data[~BAND] = 99.0
    x = np.random.default_rng(4).standard_normal((2, 4))
    expected = x @ np.where(BAND, layer.weight.data, 0.0) + layer.bias.data
    np.testing.assert_allclose(layer(x), expected)
    assert np.all(layer.weight.data[~BAND] == 0)


@pytest.mark.parametrize("make_optimizer", [
    lambda params: dl.SGD(params, lr=0.1, momentum=0.9, weight_decay=0.01),
    lambda params: dl.Adam(params, lr=0.01, weight_decay=0.01),
])
def test_missing_weights_stay_exactly_zero_through_training(make_optimizer):
    X, y = dl.data.make_moons(120, noise=0.1, rng=0)
    mask = np.array([[1, 1, 0, 0, 1, 0], [0, 0, 1, 1, 1, 0]], dtype=bool)  # unit 5 sees nothing
    first = dl.MaskedLinear(2, 6, mask, rng=1)
    model = dl.Sequential(first, dl.Tanh(), dl.Linear(6, 2, rng=2))
    before = first.weight.data.copy()
    optimizer = make_optimizer(model.parameters())
    history = dl.fit(model, dl.CrossEntropyLoss(), optimizer, (X, y), epochs=15, batch_size=16, rng=3)
    assert optimizer.steps == history.steps == 15 * 8
    assert np.all(first.weight.data[~mask] == 0)
    assert np.all(first.weight.grad[~mask] == 0)
    assert np.all(first.weight.data[mask] != before[mask])  # the connected weights did learn
    assert history.train_loss[-1] < history.train_loss[0]


def test_masked_linear_refuses_bad_masks():
    with pytest.raises(TypeError, match="boolean"):
        dl.MaskedLinear(4, 3, BAND.astype(int))
    with pytest.raises(ValueError, match=r"\(4, 3\)"):
        dl.MaskedLinear(4, 3, BAND.T)
    with pytest.raises(RuntimeError, match="before forward"):
        dl.MaskedLinear(4, 3, BAND).backward(np.ones((1, 3)))


def test_mask_is_a_private_copy():
    mask = BAND.copy()
    layer = dl.MaskedLinear(4, 3, mask, rng=0)
    mask[:] = True
    assert layer.connections == 6
    with pytest.raises(ValueError):
        layer.mask[0, 0] = False  # read-only
