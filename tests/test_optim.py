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
