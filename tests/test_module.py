"""The module protocol: parameters, modes, accumulation, dtype and the two classic backward bugs."""
from __future__ import annotations

import numpy as np
import pytest

import dlbook as dl

ALL_MODULES = {
    "Linear": lambda: dl.Linear(4, 4, rng=0, dtype=np.float64),
    "Sigmoid": dl.Sigmoid, "Tanh": dl.Tanh, "ReLU": dl.ReLU, "LeakyReLU": dl.LeakyReLU,
    "GELU": dl.GELU, "GELU-tanh": lambda: dl.GELU("tanh"), "Softmax": dl.Softmax,
    "LayerNorm": lambda: dl.LayerNorm(4, dtype=np.float64),
    "BatchNorm1d": lambda: dl.BatchNorm1d(4, dtype=np.float64),
    "Sequential": lambda: dl.Sequential(dl.Linear(4, 4, rng=0, dtype=np.float64), dl.ReLU()),
}


@pytest.mark.parametrize("make", ALL_MODULES.values(), ids=ALL_MODULES.keys())
def test_backward_leaves_the_incoming_gradient_unchanged(make, rng):
    m = make()
    m(rng.standard_normal((5, 4)))
    dy = rng.standard_normal((5, 4))
    before = dy.copy()
    m.backward(dy)
    np.testing.assert_array_equal(dy, before)


@pytest.mark.parametrize("make", ALL_MODULES.values(), ids=ALL_MODULES.keys())
def test_backward_twice_adds_twice(make, rng):
    m = make()
    m(rng.standard_normal((5, 4)))
    dy = rng.standard_normal((5, 4))
    dx1 = m.backward(dy)
    once = [p.grad.copy() for p in m.parameters()]
    dx2 = m.backward(dy)
    np.testing.assert_allclose(dx1, dx2)
    for g1, p in zip(once, m.parameters()):
        np.testing.assert_allclose(p.grad, 2 * g1)
    m.zero_grad()
    assert all(np.all(p.grad == 0) for p in m.parameters())


def test_parameters_are_found_in_order_and_once():
    shared = dl.Linear(3, 3, rng=0)
    net = dl.Sequential(shared, dl.ReLU(), shared, dl.Linear(3, 2, rng=1))
    names = [n for n, _ in net.named_parameters()]
    assert names == ["0.weight", "0.bias", "3.weight", "3.bias"]
    assert net.num_parameters() == 3 * 3 + 3 + 3 * 2 + 2


def test_train_and_eval_reach_every_submodule():
    net = dl.Sequential(dl.Linear(2, 2, rng=0), dl.Sequential(dl.ReLU(), dl.BatchNorm1d(2)))
    net.eval()
    assert all(not m.training for m in net.modules())
    net.train()
    assert all(m.training for m in net.modules())


def test_weight_layout_is_in_by_out():
    layer = dl.Linear(4, 3, rng=0, dtype=np.float64)
    x = np.array([[1.0, 0.0, 0.0, 0.0]])
    # Input unit 0 reaches output j through weight[0, j]: w_ij runs from input i to output j.
    np.testing.assert_allclose(layer(x), layer.weight.data[[0]] + layer.bias.data)
    assert layer.weight.shape == (4, 3)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_a_module_computes_in_its_parameters_dtype(dtype, rng):
    net = dl.Sequential(dl.Linear(4, 8, rng=0, dtype=dtype), dl.GELU(), dl.LayerNorm(8, dtype=dtype),
                        dl.Linear(8, 3, rng=1, dtype=dtype), dl.Softmax())
    y = net(rng.standard_normal((2, 4)))  # float64 input, cast to the parameters' dtype
    assert y.dtype == dtype
    assert net.backward(np.ones_like(y)).dtype == dtype
    assert all(p.grad.dtype == dtype for p in net.parameters())


def test_parameter_keeps_array_dtype():
    assert dl.Parameter(np.zeros(2, dtype=np.float64)).dtype == np.float64
    assert dl.Parameter([1.0, 2.0]).dtype == np.float32


def test_randomness_is_reproducible_and_leaves_global_state_alone():
    state = np.random.get_state()[1].copy()
    a, b = dl.Linear(5, 5, rng=7), dl.Linear(5, 5, rng=7)
    np.testing.assert_array_equal(a.weight.data, b.weight.data)
    assert not np.array_equal(a.weight.data, dl.Linear(5, 5, rng=8).weight.data)
    np.testing.assert_array_equal(np.random.get_state()[1], state)


def test_gelu_exact_matches_erf_to_float64_precision():
    import math

    x = np.linspace(-8, 8, 101)
    expected = np.array([0.5 * v * (1 + math.erf(v / math.sqrt(2))) for v in x])
    np.testing.assert_allclose(dl.gelu(x), expected, rtol=1e-14, atol=1e-300)
    # The tanh form is an approximation: close, not equal.
    assert 1e-5 < np.max(np.abs(dl.gelu(x, "tanh") - expected)) < 1e-3


def test_show_source_displays_library_code_without_machine_paths():
    view = dl.show_source(dl.Linear.backward)
    text = repr(view)
    assert text.startswith("# dlbook/layers.py: def Linear.backward\n")
    assert "def backward(self, dy" in text and "/work" not in text
    assert "<details>" in dl.show_source(dl.relu, folded=True)._repr_html_()


def test_eval_mode_switches_to_eval_and_restores_the_previous_mode():
    net = dl.Sequential(dl.Linear(2, 2, rng=0), dl.Dropout(0.5, rng=0))
    with dl.eval_mode(net) as inside:
        assert inside is net and not net.training and not net[1].training
    assert net.training and net[1].training
    net.eval()
    with dl.eval_mode(net):
        pass
    assert not net.training  # a model that was in eval mode stays there


def test_eval_mode_restores_the_mode_when_the_block_raises():
    net = dl.Sequential(dl.Linear(2, 2, rng=0))
    with pytest.raises(ZeroDivisionError), dl.eval_mode(net):
        1 / 0
    assert net.training
