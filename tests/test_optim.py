"""Optimizer steps against values computed by hand (PyTorch's update rules)."""
from __future__ import annotations

import numpy as np
import pytest

import dlbook as dl


def _param(value, grad):
    p = dl.Parameter(np.array(value, dtype=np.float64))
    p.grad[...] = grad
    return p


def test_plain_sgd():
    p = _param([1.0, -2.0], [0.5, -1.0])
    opt = dl.SGD([p], lr=0.1)
    opt.step()
    np.testing.assert_allclose(p.data, [0.95, -1.9])
    assert opt.steps == 1


def test_sgd_momentum_three_steps():
    # Constant gradient g = 1, lr = 0.1, momentum = 0.9:
    # v1 = 1, v2 = 0.9 + 1 = 1.9, v3 = 1.71 + 1 = 2.71; θ = 0 − 0.1·(1 + 1.9 + 2.71) = −0.561.
    p = _param([0.0], [1.0])
    opt = dl.SGD([p], lr=0.1, momentum=0.9)
    expected = [-0.1, -0.29, -0.561]
    for want in expected:
        opt.step()
        np.testing.assert_allclose(p.data, [want], rtol=1e-12)
    assert opt.steps == 3


def test_sgd_weight_decay():
    p = _param([2.0], [0.0])
    dl.SGD([p], lr=0.1, weight_decay=0.5).step()
    np.testing.assert_allclose(p.data, [2.0 - 0.1 * 0.5 * 2.0])


def test_adam_bias_correction_three_steps():
    # Gradients 1, 2, 3 with β1 = 0.9, β2 = 0.999, lr = 0.1, eps = 1e-8, by hand:
    g = [1.0, 2.0, 3.0]
    m = v = 0.0
    theta = 0.0
    expected = []
    for t, gt in enumerate(g, start=1):
        m = 0.9 * m + 0.1 * gt
        v = 0.999 * v + 0.001 * gt * gt
        m_hat, v_hat = m / (1 - 0.9**t), v / (1 - 0.999**t)
        theta -= 0.1 * m_hat / (np.sqrt(v_hat) + 1e-8)
        expected.append(theta)
    # Step 1 is a pure sign step of size lr: m̂ = g and v̂ = g², so the update is lr·g/|g|.
    assert expected[0] == pytest.approx(-0.1, rel=1e-7)
    p = _param([0.0], [0.0])
    opt = dl.Adam([p], lr=0.1)
    for gt, want in zip(g, expected):
        p.grad[...] = gt
        opt.step()
        np.testing.assert_allclose(p.data, [want], rtol=1e-12)


def test_adam_numbers_written_out():
    # The same three steps as literal numbers worked out on paper, so a change in the rule cannot
    # hide in code the test shares with the optimizer:
    # t=2: m = 0.29, v = 0.004999, m̂ = 0.29/0.19 = 1.526316, v̂ = 0.004999/0.001999 = 2.500750,
    #      θ = −0.1 − 0.1·1.526316/1.581376 = −0.196518;
    # t=3: m = 0.561, v = 0.013994, m̂ = 0.561/0.271 = 2.070111, v̂ = 0.013994/0.002997 = 4.669336,
    #      θ = −0.196518 − 0.1·2.070111/2.160865 = −0.292318.
    p = _param([0.0], [0.0])
    opt = dl.Adam([p], lr=0.1)
    for gt, want in zip([1.0, 2.0, 3.0], [-0.1, -0.196518, -0.292318]):
        p.grad[...] = gt
        opt.step()
        assert p.data[0] == pytest.approx(want, abs=2e-6)


def test_step_keeps_float32():
    layer = dl.Linear(3, 2, rng=0)
    layer(np.ones((4, 3), dtype=np.float32))
    layer.backward(np.ones((4, 2), dtype=np.float32))
    for opt in (dl.SGD(layer.parameters(), lr=0.1, momentum=0.9), dl.Adam(layer.parameters())):
        opt.step()
        assert all(p.data.dtype == np.float32 for p in layer.parameters())


def test_zero_grad_clears_every_parameter():
    layer = dl.Linear(3, 2, rng=0)
    layer(np.ones((1, 3), dtype=np.float32))
    layer.backward(np.ones((1, 2), dtype=np.float32))
    opt = dl.SGD(layer.parameters(), lr=0.1)
    opt.zero_grad()
    assert all(np.all(p.grad == 0) for p in layer.parameters())


def test_sgd_update_is_the_rule_for_one_parameter_with_its_own_state():
    p = _param([1.0, 2.0], [0.5, 0.5])
    opt = dl.SGD([p], lr=0.1, momentum=0.9)
    state: dict = {}
    opt.update(p, state)       # v = g
    opt.update(p, state)       # v = 0.9·g + g
    np.testing.assert_allclose(state["velocity"], [0.95, 0.95])
    np.testing.assert_allclose(p.data, [1.0 - 0.1 * (0.5 + 0.95), 2.0 - 0.1 * (0.5 + 0.95)])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_adam_updates_every_parameter_by_the_formula_whatever_its_size(dtype):
    # Parameters from one number to 70 000 (the sizes of a small model and beyond), each
    # against the paper's formula written out here, over five steps with new gradients.
    rng = np.random.default_rng(0)
    shapes = [(1,), (3,), (4, 5), (300, 256), (70_000,)]
    params = [dl.Parameter(rng.standard_normal(s), dtype=dtype) for s in shapes]
    want = [p.data.astype(np.float64) for p in params]
    m = [np.zeros(s) for s in shapes]
    v = [np.zeros(s) for s in shapes]
    opt = dl.Adam(params, lr=0.01, weight_decay=0.1)
    for t in range(1, 6):
        for i, p in enumerate(params):
            p.grad[...] = rng.standard_normal(p.shape)
            g = p.grad.astype(np.float64) + 0.1 * want[i]
            m[i] = 0.9 * m[i] + 0.1 * g
            v[i] = 0.999 * v[i] + 0.001 * g * g
            want[i] = want[i] - 0.01 * (m[i] / (1 - 0.9**t)) / (np.sqrt(v[i] / (1 - 0.999**t)) + 1e-8)
        opt.step()
    for p, w in zip(params, want):
        assert p.data.dtype == dtype
        np.testing.assert_allclose(p.data, w, rtol=1e-5 if dtype == np.float32 else 1e-12, atol=1e-6)


def test_adam_update_keeps_state_per_parameter():
    a, b = _param([0.0], [1.0]), _param([0.0, 0.0], [2.0, -2.0])
    opt = dl.Adam([a, b], lr=0.1)
    opt.step()
    assert set(opt.state[0]) == {"m", "v"} and opt.state[1]["m"].shape == (2,)
    np.testing.assert_allclose(b.data, [-0.1, 0.1])  # the first step is lr·sign(g) for every number
