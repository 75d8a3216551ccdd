"""Softmax, log-softmax and cross-entropy: properties (hypothesis) and stability at ±1e4."""
from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import dlbook as dl

finite = st.floats(-50, 50, allow_nan=False, width=64)
logit_arrays = arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(1, 7)), elements=finite)


@settings(max_examples=200, deadline=None)
@given(logit_arrays, st.floats(-1e3, 1e3))
def test_softmax_rows_sum_to_one_and_ignore_shifts(x, c):
    p = dl.softmax(x)
    assert np.all((p >= 0) & (p <= 1))
    np.testing.assert_allclose(p.sum(axis=-1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(dl.softmax(x + c), p, atol=1e-12)


@settings(max_examples=200, deadline=None)
@given(logit_arrays)
def test_log_softmax_is_log_of_softmax_where_finite(x):
    p = dl.softmax(x)
    keep = p > 1e-300
    np.testing.assert_allclose(dl.log_softmax(x)[keep], np.log(p[keep]), rtol=1e-10, atol=1e-12)


@settings(max_examples=200, deadline=None)
@given(logit_arrays, st.data())
def test_cross_entropy_is_minus_log_p_of_target(x, data):
    targets = np.array([data.draw(st.integers(0, x.shape[1] - 1)) for _ in range(x.shape[0])])
    loss = dl.cross_entropy(x, targets)
    assert loss >= 0
    expected = -np.mean(np.log(dl.softmax(x)[np.arange(len(targets)), targets]))
    if np.isfinite(expected):
        assert loss == pytest.approx(expected, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_huge_logits_stay_finite_without_warnings(dtype):
    x = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4], [1e4, 1e4, 1e4 - 1]], dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = dl.softmax(x)
        logp = dl.log_softmax(x)
        loss = dl.cross_entropy(x, np.array([1, 0, 2]))
        crit = dl.CrossEntropyLoss()
        crit(x, np.array([0, 1, 2]))
        grad = crit.backward()
        s = dl.sigmoid(x)
        for module in (dl.Sigmoid(), dl.Tanh(), dl.GELU(), dl.GELU("tanh"), dl.Softmax()):
            y = module(x)
            dx = module.backward(np.ones_like(x))
            assert np.all(np.isfinite(y)) and np.all(np.isfinite(dx))
    for arr in (p, logp, grad, s):
        assert np.all(np.isfinite(arr))
        assert arr.dtype == dtype
    assert np.isfinite(loss) and loss > 1e3  # the first target scores 2e4 below the best: a huge but finite loss
    np.testing.assert_allclose(p.sum(axis=-1), 1.0, rtol=1e-6)


def test_two_class_softmax_is_a_sigmoid():
    z = np.linspace(-30, 30, 61)
    logits = np.stack([np.zeros_like(z), z], axis=-1)
    np.testing.assert_allclose(dl.softmax(logits)[:, 1], dl.sigmoid(z), rtol=1e-12)


def test_cross_entropy_gradient_is_p_minus_y():
    x = np.array([[2.0, 1.0, 0.1], [0.5, 0.5, 3.0]])
    t = np.array([0, 2])
    crit = dl.CrossEntropyLoss()
    crit(x, t)
    expected = (dl.softmax(x) - np.eye(3)[t]) / 2
    np.testing.assert_allclose(crit.backward(), expected, rtol=1e-12)
