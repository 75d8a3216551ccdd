"""Tests for dlbook.data.digits: the shipped UCI digits file, its loader and the split."""
from __future__ import annotations

import hashlib
from importlib import resources

import numpy as np
import pytest

from dlbook.data import digits
from dlbook.data.digits import DIGITS_SHA256, load_digits, train_test_split

EXPECTED_SHA256 = "09f66e6debdee2cd2b5ae59e0d6abbb73fc2b0e0185d2e1957e9ebb51e23aa22"
CLASS_COUNTS = [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
N = 1797
# What train_test_split(X, y) yields with test_size=0.2: round(0.2 * 1797) = 359 test
# samples, shared among the classes by largest remainder.
N_TEST = 359
N_TRAIN = N - N_TEST
TEST_PER_CLASS = [36, 36, 35, 37, 36, 36, 36, 36, 35, 36]


@pytest.fixture(scope="module")
def data() -> tuple[np.ndarray, np.ndarray]:
    return load_digits()


# --- the shipped file -------------------------------------------------------------


def test_shipped_file_sha256() -> None:
    raw = (resources.files("dlbook.data") / "digits.csv.gz").read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    assert digest == DIGITS_SHA256 == EXPECTED_SHA256


def test_license_file_is_shipped() -> None:
    text = (resources.files("dlbook.data") / "DIGITS_LICENSE.md").read_text(encoding="utf-8")
    for fact in ("Optical Recognition of Handwritten Digits", "Alpaydin", "Kaynak",
                 "10.24432/C50P49", "CC BY 4.0", "creativecommons.org/licenses/by/4.0", EXPECTED_SHA256):
        assert fact in text


def test_public_names() -> None:
    assert set(digits.__all__) == {"load_digits", "train_test_split", "DIGITS_SHA256"}


# --- load_digits ------------------------------------------------------------------


def test_shapes_and_dtypes(data: tuple[np.ndarray, np.ndarray]) -> None:
    X, y = data
    assert X.shape == (N, 64)
    assert y.shape == (N,)
    assert X.dtype == np.float32
    assert y.dtype == np.int64


def test_float64_on_request() -> None:
    X64, y = load_digits(dtype=np.float64)
    X32, _ = load_digits()
    assert X64.dtype == np.float64
    assert y.dtype == np.int64
    np.testing.assert_array_equal(X64, X32.astype(np.float64))


def test_values_are_counts_over_16(data: tuple[np.ndarray, np.ndarray]) -> None:
    X, _ = data
    assert X.min() == 0.0
    assert X.max() == 1.0
    counts = X * 16
    np.testing.assert_array_equal(counts, np.round(counts))


def test_class_counts(data: tuple[np.ndarray, np.ndarray]) -> None:
    _, y = data
    assert y.min() == 0 and y.max() == 9
    assert np.bincount(y).tolist() == CLASS_COUNTS
    assert sum(CLASS_COUNTS) == N


def test_first_row_matches_file() -> None:
    X, y = load_digits()
    first = [0, 0, 5, 13, 9, 1, 0, 0, 0, 0, 13, 15, 10, 15, 5, 0]  # first two image rows of sample 0
    np.testing.assert_array_equal(X[0, :16] * 16, first)
    assert y[0] == 0


def test_returns_copies() -> None:
    X, y = load_digits()
    X_before, y_before = X.copy(), y.copy()
    assert X.flags.writeable and y.flags.writeable
    X[:] = -1.0
    y[:] = -1
    X2, y2 = load_digits()
    np.testing.assert_array_equal(X2, X_before)
    np.testing.assert_array_equal(y2, y_before)


def test_bad_dtype() -> None:
    with pytest.raises(TypeError, match="dtype must be a floating-point dtype, got int32"):
        load_digits(dtype=np.int32)


# --- train_test_split -------------------------------------------------------------


def _row_ids(X_part: np.ndarray) -> np.ndarray:
    """Original row indices of a part of the ``tagged`` array (read from its last column)."""
    return X_part[:, -1].astype(np.int64)


@pytest.fixture(scope="module")
def tagged(data: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """The digits with a last column holding each row's index, to track rows through a split."""
    X, y = data
    return np.column_stack([X.astype(np.float64), np.arange(N)]), y


def test_split_sizes(data: tuple[np.ndarray, np.ndarray]) -> None:
    X_tr, X_te, y_tr, y_te = train_test_split(*data)
    assert X_te.shape == (N_TEST, 64) and y_te.shape == (N_TEST,)
    assert X_tr.shape == (N_TRAIN, 64) and y_tr.shape == (N_TRAIN,)
    assert abs(N_TEST - 0.2 * N) <= 1
    assert X_tr.dtype == np.float32 and y_tr.dtype == np.int64


@pytest.mark.parametrize("stratify", [True, False])
def test_split_is_disjoint_and_complete(tagged: tuple[np.ndarray, np.ndarray], stratify: bool) -> None:
    X, y = tagged
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, rng=3, stratify=stratify)
    ids_tr, ids_te = _row_ids(X_tr), _row_ids(X_te)
    assert len(ids_te) == N_TEST
    assert np.intersect1d(ids_tr, ids_te).size == 0
    np.testing.assert_array_equal(np.sort(np.concatenate([ids_tr, ids_te])), np.arange(N))
    # Labels travel with their rows.
    np.testing.assert_array_equal(y_tr, y[ids_tr])
    np.testing.assert_array_equal(y_te, y[ids_te])


def test_split_is_reproducible(tagged: tuple[np.ndarray, np.ndarray]) -> None:
    X, y = tagged
    a = train_test_split(X, y, rng=7)
    b = train_test_split(X, y, rng=7)
    c = train_test_split(X, y, rng=8)
    for u, v in zip(a, b):
        np.testing.assert_array_equal(u, v)
    assert not np.array_equal(a[1], c[1])
    # An int seed and a Generator seeded with it give the same split.
    g = train_test_split(X, y, rng=np.random.default_rng(7))
    for u, v in zip(a, g):
        np.testing.assert_array_equal(u, v)


def test_split_shuffles_within_sets(tagged: tuple[np.ndarray, np.ndarray]) -> None:
    X, y = tagged
    _, X_te, _, y_te = train_test_split(X, y, rng=0)
    ids = _row_ids(X_te)
    assert not np.all(np.diff(ids) > 0)  # not in file order
    assert not np.all(np.diff(y_te) >= 0)  # not grouped by class


def test_split_leaves_global_random_state_alone(data: tuple[np.ndarray, np.ndarray]) -> None:
    np.random.seed(12345)
    before = np.random.get_state()
    train_test_split(*data, rng=1)
    after = np.random.get_state()
    assert before[0] == after[0]
    np.testing.assert_array_equal(before[1], after[1])
    assert before[2:] == after[2:]


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_stratification_keeps_class_shares(data: tuple[np.ndarray, np.ndarray], seed: int) -> None:
    _, y_all = data
    _, _, y_tr, y_te = train_test_split(*data, rng=seed)
    counts = np.asarray(CLASS_COUNTS)
    test_counts = np.bincount(y_te, minlength=10)
    assert test_counts.tolist() == TEST_PER_CLASS
    assert np.all(np.abs(test_counts - 0.2 * counts) <= 1)
    assert np.all(np.abs(np.bincount(y_tr, minlength=10) - 0.8 * counts) <= 1)


def test_stratify_works_with_any_labels() -> None:
    X = np.arange(30.0).reshape(10, 3)
    y = np.array(["b", "a", "b", "b", "a", "b", "b", "a", "b", "b"])  # 3 a, 7 b
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.3, rng=0)
    assert sorted(y_te.tolist()) == ["a", "b", "b"]
    assert len(y_tr) == 7


def test_unstratified_split_size(data: tuple[np.ndarray, np.ndarray]) -> None:
    X_tr, X_te, _, _ = train_test_split(*data, test_size=0.25, stratify=False)
    assert len(X_te) == round(0.25 * N) == 449
    assert len(X_tr) == N - 449


@pytest.mark.parametrize("bad", [0.0, 1.0, -0.1, 1.5, float("nan"), 1, 0, "0.2", None, True])
def test_bad_test_size(data: tuple[np.ndarray, np.ndarray], bad: object) -> None:
    with pytest.raises(ValueError, match=r"test_size must be a float in the open interval \(0, 1\), got"):
        train_test_split(*data, test_size=bad)  # type: ignore[arg-type]


def test_test_size_message_names_the_value(data: tuple[np.ndarray, np.ndarray]) -> None:
    with pytest.raises(ValueError, match=r"got 1\.5$"):
        train_test_split(*data, test_size=1.5)


def test_length_mismatch(data: tuple[np.ndarray, np.ndarray]) -> None:
    X, y = data
    with pytest.raises(ValueError, match="X and y must have the same number of samples, got 1797 and 1796"):
        train_test_split(X, y[:-1])


def test_y_must_be_1d(data: tuple[np.ndarray, np.ndarray]) -> None:
    X, y = data
    with pytest.raises(ValueError, match=r"y must be 1-D .*got shape \(1797, 1\)"):
        train_test_split(X, y[:, None])


@pytest.mark.parametrize("bad", [1.0, "0", True, np.random.RandomState(0)])
def test_bad_rng_type(data: tuple[np.ndarray, np.ndarray], bad: object) -> None:
    with pytest.raises(TypeError, match=f"rng must be a numpy.random.Generator, an int seed or None, got {type(bad).__name__}"):
        train_test_split(*data, rng=bad)  # type: ignore[arg-type]


def test_negative_seed(data: tuple[np.ndarray, np.ndarray]) -> None:
    with pytest.raises(ValueError, match="rng seed must be >= 0, got -1"):
        train_test_split(*data, rng=-1)


def test_empty_set_is_refused() -> None:
    X = np.zeros((3, 2))
    y = np.array([0, 1, 2])
    with pytest.raises(ValueError, match="leaves an empty test set"):
        train_test_split(X, y, test_size=0.1)
    with pytest.raises(ValueError, match="leaves an empty train set"):
        train_test_split(X, y, test_size=0.9, stratify=False)
