"""make_animals: shapes, reproducibility, and features related the way real animals' are."""
from __future__ import annotations

import numpy as np
import pytest

import dlbook as dl

DOG, CAT, CHICKEN = 0, 1, 2


@pytest.fixture(scope="module")
def animals():
    return dl.data.make_animals(3000, rng=0, dtype=np.float64)


def test_shapes_dtypes_balance_and_reproducibility():
    X, y = dl.data.make_animals(300, rng=0)
    assert X.shape == (300, 4) and X.dtype == np.float32 and y.dtype == np.int64
    assert np.bincount(y).tolist() == [100, 100, 100]
    X2, y2 = dl.data.make_animals(300, rng=np.random.default_rng(0))
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    assert not np.array_equal(X, dl.data.make_animals(300, rng=1)[0])
    assert dl.data.make_animals(10, rng=0, dtype=np.float64)[0].dtype == np.float64


@pytest.mark.parametrize("n", [2, 0, -5, 3.0, True, "300"])
def test_bad_n_raises(n):
    with pytest.raises(ValueError, match="n must be an int >= 3"):
        dl.data.make_animals(n)


def test_every_measurement_is_plausible(animals):
    X, y = animals
    weight, height, legs, snout = X.T
    assert np.all(X > 0)
    assert set(np.unique(legs[y == CHICKEN])) <= {1.0, 2.0}
    assert set(np.unique(legs[y != CHICKEN])) <= {3.0, 4.0}
    assert 0.9 < np.mean(legs[y == CHICKEN] == 2) < 0.99  # a few miscounts, not many
    assert 1.5 <= weight[y == DOG].min() and weight[y == DOG].max() <= 90
    assert 2.5 <= weight[y == CAT].min() and weight[y == CAT].max() <= 8
    assert 1.0 <= weight[y == CHICKEN].min() and weight[y == CHICKEN].max() <= 4.5
    # No tiny dog standing tall (the old data drew height independently of weight: a 1.2 kg dog 75 cm tall).
    small = y == DOG
    small &= weight < 3
    assert height[small].max() < 30
    assert 12 < height[y == DOG].min() and height[y == DOG].max() < 110


def test_height_and_snout_grow_with_weight_as_a_power(animals):
    X, y = animals
    for k, exponent in [(DOG, 0.40), (CAT, 0.33), (CHICKEN, 0.33)]:
        logs = np.log(X[y == k])
        for column in (1, 3):  # height, snout: log-log slope near the allometric exponent
            slope = np.polyfit(logs[:, 0], logs[:, column], 1)[0]
            assert abs(slope - exponent) < 0.08, (k, column, slope)
    # Across all dogs height and weight are strongly related (from chihuahua to mastiff).
    dogs = np.log(X[y == DOG])
    assert np.corrcoef(dogs[:, 0], dogs[:, 1])[0, 1] > 0.9


def test_classes_differ_for_real_reasons(animals):
    X, y = animals
    weight, height, legs, snout = X.T
    # Chickens are taller for their weight than cats and dogs of the same weight range.
    light = weight < 4.5
    ratio = height / weight ** (1 / 3)
    assert ratio[(y == CHICKEN) & light].min() > np.percentile(ratio[(y != CHICKEN) & light], 99)
    # At the same weight, most dogs have a longer muzzle than any typical cat ...
    same = (weight > 3) & (weight < 6)
    assert np.median(snout[(y == DOG) & same]) > np.percentile(snout[(y == CAT) & same], 95)
    # ... but not all: the short-faced and the smallest dogs overlap cats, so no rule is perfect.
    assert np.any(snout[(y == DOG) & same] < np.percentile(snout[(y == CAT) & same], 90))


def test_softmax_regression_separates_most_but_not_all():
    X, y = dl.data.make_animals(600, rng=0, dtype=np.float64)
    Z = (X - X.mean(axis=0)) / X.std(axis=0)
    model = dl.Linear(4, 3, rng=0, dtype=np.float64)
    loss_fn = dl.CrossEntropyLoss()
    for _ in range(300):
        model.zero_grad()
        loss_fn(model(Z), y)
        model.backward(loss_fn.backward())
        for p in model.parameters():
            p.data -= 0.5 * p.grad
    acc = dl.accuracy(model(Z), y)
    assert 0.9 < acc < 1.0
    pred = np.argmax(model(Z), axis=1)
    assert np.all(pred[y == CHICKEN] == CHICKEN)  # two legs and a tall, light body: never mistaken
    assert np.sum((y == DOG) & (pred == CAT)) > 0  # small dogs taken for cats
