"""Bad input fails early, with the documented error and a message that names the problem."""
from __future__ import annotations

import numpy as np
import pytest

import dlbook as dl

X = np.ones((2, 4), dtype=np.float32)


def _fresh_backward(module, dy):
    return module.backward(dy)


CASES = [
    # (description, callable, error type, message pattern)
    ("Linear: wrong number of input features", lambda: dl.Linear(4, 3, rng=0)(np.ones((2, 5))),
     ValueError, r"shape \(\.\.\., 4\).*got shape \(2, 5\)"),
    ("Linear: integer input", lambda: dl.Linear(4, 3, rng=0)(np.ones((2, 4), dtype=int)),
     TypeError, "floating-point.*int64"),
    ("Linear: non-int size", lambda: dl.Linear(4.0, 3), TypeError, "in_features must be a positive int, got float"),
    ("Linear: zero size", lambda: dl.Linear(4, 0), ValueError, "out_features must be a positive int, got 0"),
    ("Linear: dy of the wrong shape", lambda: _backward_after(dl.Linear(4, 3, rng=0), X, np.ones((2, 4))),
     ValueError, r"dy must have shape \(2, 3\), got \(2, 4\)"),
    ("Linear: backward before forward", lambda: dl.Linear(4, 3, rng=0).backward(np.ones((2, 3))),
     RuntimeError, "backward was called before forward"),
    ("ReLU: backward before forward", lambda: dl.ReLU().backward(X), RuntimeError, "before forward"),
    ("Sigmoid: string input", lambda: dl.Sigmoid()(np.array(["a"])), TypeError, "floating-point"),
    ("Tanh: dy of the wrong shape", lambda: _backward_after(dl.Tanh(), X, np.ones((4, 2))),
     ValueError, r"input's shape \(2, 4\), got \(4, 2\)"),
    ("GELU: unknown approximation", lambda: dl.GELU("fast"), ValueError, r"approximate must be one of \('none', 'tanh'\), got 'fast'"),
    ("LeakyReLU: negative slope as a string", lambda: dl.LeakyReLU("0.1"), TypeError, "negative_slope must be a number"),
    ("softmax: axis out of range", lambda: dl.softmax(X, axis=2), ValueError, r"axis must be in \[-2, 1\].*got 2"),
    ("softmax: integer input", lambda: dl.softmax(np.arange(3)), TypeError, "floating-point"),
    ("cross_entropy: float targets", lambda: dl.cross_entropy(X, np.array([0.0, 1.0])), TypeError,
     "integer array of class indices"),
    ("cross_entropy: target out of range", lambda: dl.cross_entropy(X, np.array([0, 4])), ValueError,
     r"class indices in \[0, 3\].*got 4"),
    ("cross_entropy: targets of the wrong shape", lambda: dl.cross_entropy(X, np.array([0, 1, 2])), ValueError,
     r"targets must have shape \(2,\).*got \(3,\)"),
    ("cross_entropy: every target ignored", lambda: dl.cross_entropy(X, np.array([-100, -100])), ValueError,
     "every target equals ignore_index"),
    ("CrossEntropyLoss: backward before the loss", lambda: dl.CrossEntropyLoss().backward(), RuntimeError,
     "before the loss was computed"),
    ("MSELoss: shapes differ", lambda: dl.MSELoss()(np.ones(3), np.ones(4)), ValueError,
     r"same shape, got \(3,\) and \(4,\)"),
    ("SGD: negative learning rate", lambda: dl.SGD(dl.Linear(2, 2, rng=0).parameters(), lr=-0.1), ValueError,
     "lr must be a finite number >= 0, got -0.1"),
    ("SGD: momentum of 1", lambda: dl.SGD(dl.Linear(2, 2, rng=0).parameters(), lr=0.1, momentum=1.0), ValueError,
     r"momentum must be in \[0, 1\)"),
    ("SGD: arrays instead of parameters", lambda: dl.SGD([np.ones(3)], lr=0.1), TypeError,
     "params must be Parameters.*ndarray"),
    ("Adam: empty parameter list", lambda: dl.Adam([], lr=0.1), ValueError, "empty parameter list"),
    ("Adam: beta of 1", lambda: dl.Adam(dl.Linear(2, 2, rng=0).parameters(), betas=(0.9, 1.0)), ValueError,
     r"beta2 must be in \[0, 1\), got 1.0"),
    ("Sequential: a function instead of a module", lambda: dl.Sequential(dl.ReLU(), np.tanh), TypeError,
     "Sequential takes Modules, got ufunc at position 1"),
    ("Parameter: integer data", lambda: dl.Parameter(np.arange(3)), TypeError, "floating-point, got dtype int64"),
    ("rng: a float seed", lambda: dl.Linear(2, 2, rng=1.5), TypeError,
     "rng must be a numpy.random.Generator, an int seed or None, got float"),
    ("LayerNorm: wrong last axis", lambda: dl.LayerNorm(4)(np.ones((2, 3))), ValueError,
     r"shape \(\.\.\., 4\), got \(2, 3\)"),
    ("BatchNorm1d: one sample in training", lambda: dl.BatchNorm1d(4)(np.ones((1, 4))), ValueError,
     "at least 2 samples"),
    ("BatchNorm1d: 3-D input", lambda: dl.BatchNorm1d(4)(np.ones((2, 3, 4))), ValueError,
     r"shape \(batch, 4\), got \(2, 3, 4\)"),
    ("gradcheck: float32 module", lambda: dl.gradcheck(dl.Linear(2, 2, rng=0), np.ones((1, 2))), TypeError,
     "gradcheck runs in float64"),
    ("gradcheck: not a module", lambda: dl.gradcheck(np.tanh, np.ones(2)), TypeError, "needs a Module or a Loss"),
    ("show_source: a number", lambda: dl.show_source(3), TypeError, "needs a Python function, class"),
]


def _backward_after(module, x, dy):
    module(x)
    return module.backward(dy)


@pytest.mark.parametrize("make_error,error,pattern", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_raises_a_clear_error(make_error, error, pattern):
    with pytest.raises(error, match=pattern):
        make_error()


def test_there_are_at_least_fifteen_cases():
    assert len(CASES) >= 15
