"""Dropout: inverted scaling, train/eval, the same mask in backward, the binomial count, clear errors."""
from __future__ import annotations

import math

import numpy as np
import pytest

import dlbook as dl

F64 = np.float64


def test_eval_mode_is_the_identity(rng):
    drop = dl.Dropout(0.5, rng=0).eval()
    x = rng.standard_normal((4, 7))
    np.testing.assert_array_equal(drop(x), x)
    dy = rng.standard_normal((4, 7))
    np.testing.assert_array_equal(drop.backward(dy), dy)


def test_p_zero_is_the_identity_in_training(rng):
    drop = dl.Dropout(0.0, rng=0)
    x = rng.standard_normal((3, 5))
    np.testing.assert_array_equal(drop(x), x)
    np.testing.assert_array_equal(drop.backward(x), x)


@pytest.mark.parametrize("p", [0.1, 0.5, 0.8])
def test_kept_units_are_scaled_by_one_over_keep_probability(rng, p):
    drop = dl.Dropout(p, rng=1)
    x = rng.uniform(1, 2, (50, 40))
    y = drop(x)
    keep = drop.mask
    assert keep.dtype == bool and keep.shape == x.shape
    np.testing.assert_allclose(y[keep], x[keep] / (1 - p), rtol=1e-12)
    assert np.all(y[~keep] == 0)
    assert 0 < keep.sum() < keep.size  # some dropped, some kept


@pytest.mark.parametrize("p", [0.2, 0.5, 0.9])
def test_expected_value_is_kept_over_many_units(p):
    n = 400_000
    y = dl.Dropout(p, rng=3)(np.ones(n))
    # Each output is 0 or 1/(1-p): mean 1, variance p/(1-p). Allow 5 standard errors.
    tolerance = 5 * math.sqrt(p / (1 - p) / n)
    assert abs(y.mean() - 1.0) < tolerance


@pytest.mark.parametrize("n_units,p", [(20, 0.5), (50, 0.2)])
def test_the_number_dropped_follows_the_binomial_law(n_units, p):
    masks = 20_000
    drop = dl.Dropout(p, rng=7)
    drop(np.ones((masks, n_units)))
    counts = (~drop.mask).sum(axis=1)
    assert len(np.unique(counts)) > 5  # a probability per unit, not a fixed count
    mean_se = math.sqrt(n_units * p * (1 - p) / masks)
    assert abs(counts.mean() - n_units * p) < 5 * mean_se
    assert counts.var() == pytest.approx(n_units * p * (1 - p), rel=0.05)
    share = np.bincount(counts, minlength=n_units + 1) / masks
    total_variation = 0.5 * np.abs(share - dl.dropped_count_pmf(n_units, p)).sum()
    assert total_variation < 0.03


def test_backward_uses_the_mask_of_the_forward(rng):
    drop = dl.Dropout(0.3, rng=2)
    x = rng.standard_normal((6, 8))
    drop(x)
    keep = drop.mask.copy()
    dy = rng.standard_normal((6, 8))
    np.testing.assert_allclose(drop.backward(dy), dy * keep / 0.7, rtol=1e-12)


def test_each_call_draws_a_new_mask_reproducibly(rng):
    x = np.ones((10, 10))
    a, b = dl.Dropout(0.5, rng=5), dl.Dropout(0.5, rng=5)
    first, second = a(x), a(x)
    assert not np.array_equal(first, second)
    np.testing.assert_array_equal(b(x), first)
    np.testing.assert_array_equal(b(x), second)


def test_a_given_mask_is_used_and_copied(rng):
    drop = dl.Dropout(0.25, rng=0)
    x = rng.standard_normal((3, 4))
    mask = rng.random((3, 4)) > 0.5
    y = drop(x, mask=mask)
    np.testing.assert_allclose(y, np.where(mask, x / 0.75, 0.0), rtol=1e-12)
    expected_dx = np.where(mask, 1 / 0.75, 0.0)
    mask[:] = True  # the caller reuses its array: backward must still use the mask of the forward
    np.testing.assert_allclose(drop.backward(np.ones((3, 4))), expected_dx, rtol=1e-12)


@pytest.mark.parametrize("shape", [(5, 6), (2, 3, 4), (7,)])
def test_gradient_check_with_the_mask_fixed(rng, shape):
    drop = dl.Dropout(0.4, rng=0)
    mask = rng.random(shape) > 0.4
    result = dl.gradcheck(drop, rng.standard_normal(shape), mask=mask)
    assert result.passed, result


def test_gradient_check_in_eval_mode(rng):
    assert dl.gradcheck(dl.Dropout(0.4, rng=0).eval(), rng.standard_normal((3, 4))).passed


def test_gradient_check_without_a_fixed_mask_fails(rng):
    # A new mask at every call is a different function at every call: this is why the mask is fixed.
    result = dl.gradcheck(dl.Dropout(0.5, rng=0), rng.standard_normal((4, 5)))
    assert not result.passed


def test_gradient_check_of_an_mlp_with_dropout(rng):
    drop = dl.Dropout(0.5, rng=0)
    net = dl.Sequential(dl.Linear(4, 6, rng=1, dtype=F64), dl.ReLU(), drop, dl.Linear(6, 3, rng=2, dtype=F64))
    net.eval()
    x = rng.standard_normal((5, 4))
    assert dl.gradcheck(net, x).passed
    net.train()
    # In training mode every forward draws a new mask; replay one mask by wrapping the module.
    mask = rng.random((5, 6)) > 0.5
    original = drop.forward
    drop.forward = lambda h: original(h, mask=mask)
    assert dl.gradcheck(net, x).passed


def test_train_and_eval_switch_through_sequential(rng):
    net = dl.Sequential(dl.Linear(3, 3, rng=0, dtype=F64), dl.Dropout(0.9, rng=1))
    x = rng.standard_normal((200, 3))
    net.eval()
    np.testing.assert_allclose(net(x), net.layers[0](x))
    net.train()
    assert np.mean(net(x) == 0) > 0.5


def test_dtype_is_preserved(rng):
    drop = dl.Dropout(0.5, rng=0)
    x = rng.standard_normal((3, 4)).astype(np.float32)
    assert drop(x).dtype == np.float32
    assert drop.backward(np.ones((3, 4), np.float32)).dtype == np.float32


def test_repr():
    assert repr(dl.Dropout(0.25)) == "Dropout(p=0.25)"


@pytest.mark.parametrize("p", [1.0, 1.5, -0.1, float("nan"), float("inf")])
def test_p_outside_the_unit_interval_is_refused(p):
    with pytest.raises(ValueError, match=r"p \(the probability of dropping each unit\)"):
        dl.Dropout(p)


@pytest.mark.parametrize("p", ["0.5", None, True])
def test_p_of_the_wrong_type_is_refused(p):
    with pytest.raises(TypeError, match="must be a number"):
        dl.Dropout(p)


def test_bad_rng_is_refused():
    with pytest.raises(TypeError, match="rng"):
        dl.Dropout(0.5, rng="seed")


def test_bad_masks_are_refused(rng):
    drop = dl.Dropout(0.5, rng=0)
    x = rng.standard_normal((2, 3))
    with pytest.raises(TypeError, match="boolean"):
        drop(x, mask=np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"shape \(2, 3\)"):
        drop(x, mask=np.ones((3, 2), dtype=bool))
    with pytest.raises(ValueError, match="eval mode"):
        drop.eval()(x, mask=np.ones((2, 3), dtype=bool))


def test_backward_before_forward_and_bad_inputs(rng):
    drop = dl.Dropout(0.5, rng=0)
    with pytest.raises(RuntimeError, match="before forward"):
        drop.backward(np.ones(3))
    with pytest.raises(TypeError, match="floating-point"):
        drop(np.ones(3, dtype=int))
    drop(np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"input's shape \(2, 3\)"):
        drop.backward(np.ones((3, 2)))


def test_dropped_count_pmf_is_the_binomial_law():
    pmf = dl.dropped_count_pmf(6, 0.3)
    exact = [math.comb(6, k) * 0.3**k * 0.7 ** (6 - k) for k in range(7)]
    np.testing.assert_allclose(pmf, exact, rtol=1e-12)
    np.testing.assert_allclose(dl.dropped_count_pmf(3, 0.0), [1, 0, 0, 0])
    big = dl.dropped_count_pmf(5000, 0.5)  # no overflow, no warning
    assert big.sum() == pytest.approx(1.0) and np.all(np.isfinite(big))


def test_dropped_count_pmf_bad_arguments():
    with pytest.raises(ValueError, match="n_units"):
        dl.dropped_count_pmf(0, 0.5)
    with pytest.raises(ValueError, match="probability"):
        dl.dropped_count_pmf(5, 1.0)


def test_all_keep_masks_enumerates_every_thinned_network():
    masks = dl.all_keep_masks(4)
    assert masks.dtype == bool and masks.shape == (16, 4)
    assert len({tuple(row) for row in masks}) == 16
    with pytest.raises(ValueError, match="at most 20"):
        dl.all_keep_masks(21)


@pytest.mark.parametrize("p", [0.0, 0.3, 0.5])
def test_mask_probabilities_sum_to_one_and_match_sampling(p):
    masks = dl.all_keep_masks(3)
    probs = dl.mask_probability(masks, p)
    assert probs.sum() == pytest.approx(1.0)
    np.testing.assert_allclose(probs[-1], (1 - p) ** 3)  # every unit kept
    if p == 0:
        return  # p = 0 is the identity: no mask is drawn
    drop = dl.Dropout(p, rng=11)
    drop(np.ones((50_000, 3)))
    index = drop.mask @ (1 << np.arange(3))  # row r of all_keep_masks has bit j set when unit j is kept
    np.testing.assert_allclose(np.bincount(index, minlength=8) / 50_000, probs, atol=0.01)


def test_exact_average_of_a_linear_layer_over_all_masks_is_the_eval_pass(rng):
    # The ensemble view, exactly: for a linear map, E[dropout(x)] @ W = x @ W.
    x, weight = rng.standard_normal(5), rng.standard_normal((5, 2))
    masks = dl.all_keep_masks(5)
    outputs = dl.Dropout(0.3)(np.broadcast_to(x, masks.shape), mask=masks) @ weight
    np.testing.assert_allclose(dl.mask_probability(masks, 0.3) @ outputs, x @ weight, rtol=1e-12)


def test_mask_probability_bad_arguments():
    with pytest.raises(TypeError, match="boolean"):
        dl.mask_probability(np.ones((2, 3)), 0.5)
    with pytest.raises(ValueError, match="probability"):
        dl.mask_probability(np.ones((2, 3), dtype=bool), 1.0)
