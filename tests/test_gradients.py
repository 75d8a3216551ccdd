"""Every core module's backward pass against central differences, in float64, on several shapes."""
from __future__ import annotations

import numpy as np
import pytest

import dlbook as dl

F64 = np.float64
SHAPES = [(3, 4), (2, 5, 4), (1, 4)]


def _input(rng, shape, avoid_kink=False):
    x = rng.standard_normal(shape)
    if avoid_kink:  # finite differences are meaningless within eps of a kink at 0
        x = np.where(np.abs(x) < 1e-3, 0.5, x)
    return x


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("bias", [True, False])
def test_linear(rng, shape, bias):
    layer = dl.Linear(4, 3, bias=bias, rng=0, dtype=F64)
    result = dl.gradcheck(layer, _input(rng, shape))
    assert result.passed, result
    assert set(result.errors) == {"input 0", "weight"} | ({"bias"} if bias else set())


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("make", [dl.Sigmoid, dl.Tanh, dl.ReLU, lambda: dl.LeakyReLU(0.1),
                                  lambda: dl.GELU("none"), lambda: dl.GELU("tanh"), dl.Softmax,
                                  lambda: dl.Softmax(axis=0)],
                         ids=["sigmoid", "tanh", "relu", "leaky", "gelu", "gelu-tanh", "softmax", "softmax-axis0"])
def test_activations(rng, shape, make):
    result = dl.gradcheck(make(), _input(rng, shape, avoid_kink=True) * 2)
    assert result.passed, result


@pytest.mark.parametrize("shape", [(6, 4), (2, 3, 4)])
def test_layer_norm(rng, shape):
    ln = dl.LayerNorm(4, dtype=F64)
    ln.weight.data[:] = rng.standard_normal(4)
    ln.bias.data[:] = rng.standard_normal(4)
    assert dl.gradcheck(ln, _input(rng, shape)).passed


def test_layer_norm_over_two_axes(rng):
    ln = dl.LayerNorm((3, 4), dtype=F64)
    ln.weight.data[:] = rng.standard_normal((3, 4))
    assert dl.gradcheck(ln, _input(rng, (2, 3, 4))).passed


# BatchNorm1d's gradient check lives in tests/test_normalization.py with the rest of its tests.


def test_sequential_mlp(rng):
    net = dl.Sequential(dl.Linear(4, 6, rng=1, dtype=F64), dl.Tanh(), dl.Linear(6, 6, rng=2, dtype=F64),
                        dl.GELU(), dl.LayerNorm(6, dtype=F64), dl.Linear(6, 3, rng=3, dtype=F64))
    result = dl.gradcheck(net, _input(rng, (5, 4)))
    assert result.passed, result
    assert len(result.errors) == 1 + 2 * 4  # the input, then weight and bias of 3 Linear and 1 LayerNorm


@pytest.mark.parametrize("shape", [(4, 3), (2, 3, 5)])
def test_cross_entropy(rng, shape):
    logits = 3 * _input(rng, shape)
    targets = rng.integers(0, shape[-1], shape[:-1])
    assert dl.gradcheck(dl.CrossEntropyLoss(), logits, targets).passed


def test_cross_entropy_with_ignored_targets(rng):
    logits = _input(rng, (2, 4, 5))
    targets = rng.integers(0, 5, (2, 4))
    targets[0, 2:] = -100
    crit = dl.CrossEntropyLoss()
    assert dl.gradcheck(crit, logits, targets).passed
    crit(logits, targets)
    assert np.all(crit.backward()[0, 2:] == 0)


def test_mse(rng):
    pred, target = _input(rng, (4, 3)), _input(rng, (4, 3))
    assert dl.gradcheck(dl.MSELoss(), pred, target).passed


def test_gradcheck_catches_a_wrong_backward(rng):
    class WrongSigmoid(dl.Sigmoid):
        def df(self, x, y):
            return y  # forgot the (1 - y) factor

    result = dl.gradcheck(WrongSigmoid(), _input(rng, (3, 4)))
    assert not result.passed
    assert "FAILED" in repr(result) and result.worst.startswith("input 0[")


def test_gradcheck_reports_where(rng):
    class WrongLinear(dl.Linear):
        def backward(self, dy):
            dx = super().backward(dy)
            self.weight.grad[1, 2] += 1.0
            return dx

    result = dl.gradcheck(WrongLinear(4, 3, rng=0, dtype=F64), _input(rng, (5, 4)))
    assert not result.passed and result.worst == "weight[1, 2]"


def test_gradcheck_requires_float64(rng):
    with pytest.raises(TypeError, match="float64"):
        dl.gradcheck(dl.Linear(4, 3, rng=0), _input(rng, (2, 4)))


def test_an_exactly_zero_gradient_passes(rng):
    # The bias of a Linear right before BatchNorm cannot matter: BatchNorm subtracts the batch
    # mean. Its true gradient is exactly 0, and finite differences only see round-off.
    net = dl.Sequential(dl.Linear(4, 3, rng=0, dtype=F64), dl.BatchNorm1d(3, dtype=F64))
    result = dl.gradcheck(net, _input(rng, (6, 4)))
    assert result.passed, result
    assert np.max(np.abs(net[0].bias.grad)) < 1e-12


def test_a_wrong_small_gradient_still_fails(rng):
    class SlightlyWrongLinear(dl.Linear):
        def backward(self, dy):
            dx = super().backward(dy)
            self.bias.grad *= 1.01  # 1 % too large
            return dx

    assert not dl.gradcheck(SlightlyWrongLinear(4, 3, rng=0, dtype=F64), _input(rng, (5, 4))).passed


def test_numeric_gradient_of_a_known_function_and_x_unchanged():
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    original = x.copy()
    grad = dl.numeric_gradient(lambda a: float(np.sum(a**3)), x)
    np.testing.assert_allclose(grad, 3 * original**2, rtol=1e-8)
    assert np.array_equal(x, original)


def test_numeric_gradient_through_a_layer_weight_nudged_in_place():
    layer = dl.Linear(3, 2, rng=0, dtype=np.float64)
    x = np.random.default_rng(1).standard_normal((4, 3))
    numeric = dl.numeric_gradient(lambda _: float(np.sum(layer(x))), layer.weight.data)
    layer.zero_grad()
    layer(x)
    layer.backward(np.ones((4, 2)))
    np.testing.assert_allclose(numeric, layer.weight.grad, rtol=1e-7)


def test_numeric_gradient_refuses_float32():
    with pytest.raises(TypeError, match="float64"):
        dl.numeric_gradient(lambda a: float(a.sum()), np.ones(3, dtype=np.float32))
