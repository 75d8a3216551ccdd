"""BatchNorm1d and LayerNorm: the statistics PyTorch uses, running averages, train/eval, batch
independence, gradients, clear errors."""
from __future__ import annotations

import numpy as np
import pytest

import dlbook as dl

F64 = np.float64


def _manual(x, mean, var, eps, gamma=1.0, beta=0.0):
    return (x - mean) / np.sqrt(var + eps) * gamma + beta


# --- BatchNorm1d: training mode -------------------------------------------------------------------
def test_batch_norm_normalizes_each_feature_over_the_batch(rng):
    bn = dl.BatchNorm1d(4, dtype=F64)
    x = rng.normal(3.0, 2.0, (32, 4)) * np.array([1, 10, 0.1, 5])
    y = bn(x)
    np.testing.assert_allclose(y.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(y.var(axis=0), x.var(axis=0) / (x.var(axis=0) + 1e-5), rtol=1e-12)


def test_batch_norm_uses_the_biased_variance_with_eps_inside_the_root(rng):
    eps = 0.5  # large, so putting it in the wrong place changes the numbers a lot
    bn = dl.BatchNorm1d(3, eps=eps, dtype=F64)
    bn.weight.data[:] = [1.0, 2.0, -1.0]
    bn.bias.data[:] = [0.0, 0.5, 1.0]
    x = rng.standard_normal((5, 3))
    expected = _manual(x, x.mean(0), x.var(0), eps, bn.weight.data, bn.bias.data)  # var(0): divide by n
    np.testing.assert_allclose(bn(x), expected, rtol=1e-12)


def test_batch_norm_running_statistics_over_three_steps_by_hand():
    bn = dl.BatchNorm1d(2, momentum=0.1, dtype=F64)
    running_mean, running_var = bn.running_mean, bn.running_var
    # Step 1: means (2, 2); unbiased variances (2, 8) (biased 1 and 4, times n/(n-1) = 2).
    bn(np.array([[1.0, 0.0], [3.0, 4.0]]))
    np.testing.assert_allclose(bn.running_mean, [0.2, 0.2], rtol=1e-12)   # 0.9·0 + 0.1·2
    np.testing.assert_allclose(bn.running_var, [1.1, 1.7], rtol=1e-12)    # 0.9·1 + 0.1·(2, 8)
    # Step 2: means (2, 1); unbiased variances (4, 0): the second feature is constant.
    y = bn(np.array([[0.0, 1.0], [2.0, 1.0], [4.0, 1.0]]))
    np.testing.assert_allclose(bn.running_mean, [0.38, 0.28], rtol=1e-12)
    np.testing.assert_allclose(bn.running_var, [1.39, 1.53], rtol=1e-12)
    np.testing.assert_array_equal(y[:, 1], 0.0)  # a constant feature normalizes to β, not NaN
    # Step 3: means (0, 4); unbiased variances (2, 8).
    bn(np.array([[-1.0, 2.0], [1.0, 6.0]]))
    np.testing.assert_allclose(bn.running_mean, [0.342, 0.652], rtol=1e-12)
    np.testing.assert_allclose(bn.running_var, [1.451, 2.177], rtol=1e-12)
    assert bn.num_batches_tracked == 3
    # Updated in place: arrays taken before training see the new values.
    assert running_mean is bn.running_mean and running_var is bn.running_var


def test_batch_norm_eval_uses_the_running_statistics(rng):
    bn = dl.BatchNorm1d(3, dtype=F64)
    bn.weight.data[:] = [2.0, 1.0, 0.5]
    bn.bias.data[:] = [0.1, 0.2, 0.3]
    for _ in range(5):
        bn(rng.normal(4.0, 3.0, (16, 3)))
    mean, var = bn.running_mean.copy(), bn.running_var.copy()
    bn.eval()
    x = rng.standard_normal((7, 3))
    np.testing.assert_allclose(bn(x), _manual(x, mean, var, 1e-5, bn.weight.data, bn.bias.data), rtol=1e-12)
    np.testing.assert_array_equal(bn.running_mean, mean)  # eval does not update them
    np.testing.assert_array_equal(bn.running_var, var)
    np.testing.assert_allclose(bn(x[2:3]), bn(x)[2:3], rtol=1e-12)  # a single sample is fine in eval mode


def test_batch_norm_train_and_eval_differ_until_the_running_stats_converge(rng):
    bn = dl.BatchNorm1d(2, dtype=F64)
    x = rng.normal(5.0, 2.0, (64, 2))
    train_out = bn(x)
    gap_early = np.abs(bn.eval()(x) - train_out).max()
    bn.train()
    for _ in range(200):
        bn(x)
    gap_late = np.abs(bn.eval()(x) - train_out).max()
    assert gap_early > 1.0 and gap_late < 0.02  # late gap: only the unbiased n/(n-1) factor remains


@pytest.mark.parametrize("momentum", [0.0, 1.0])
def test_batch_norm_momentum_extremes(rng, momentum):
    bn = dl.BatchNorm1d(2, momentum=momentum, dtype=F64)
    x = rng.standard_normal((10, 2))
    bn(x)
    if momentum == 0:
        np.testing.assert_array_equal(bn.running_mean, 0)
        np.testing.assert_array_equal(bn.running_var, 1)
    else:
        np.testing.assert_allclose(bn.running_mean, x.mean(0), rtol=1e-12)
        np.testing.assert_allclose(bn.running_var, x.var(0, ddof=1), rtol=1e-12)


def test_batch_norm_reset_running_stats(rng):
    bn = dl.BatchNorm1d(2)
    bn(rng.standard_normal((4, 2)))
    bn.reset_running_stats()
    np.testing.assert_array_equal(bn.running_mean, 0)
    np.testing.assert_array_equal(bn.running_var, 1)
    assert bn.num_batches_tracked == 0


def test_batch_norm_refuses_a_training_batch_of_one(rng):
    bn = dl.BatchNorm1d(3)
    with pytest.raises(ValueError, match="at least 2 samples.*got 1"):
        bn(rng.standard_normal((1, 3)).astype(np.float32))
    assert bn.num_batches_tracked == 0  # nothing was updated


def test_batch_norm_output_depends_on_the_rest_of_the_batch(rng):
    bn = dl.BatchNorm1d(3, dtype=F64)
    x = rng.standard_normal((8, 3))
    other = np.vstack([x[:1], rng.standard_normal((7, 3))])
    assert not np.allclose(bn(x)[0], bn(other)[0])


def test_batch_norm_dtype(rng):
    bn = dl.BatchNorm1d(3)
    y = bn(rng.standard_normal((4, 3)))  # float64 input, float32 module: computes in float32
    assert y.dtype == np.float32 and bn.running_mean.dtype == np.float32 and bn.running_var.dtype == np.float32
    assert bn.backward(np.ones((4, 3))).dtype == np.float32


# Not n = 2 in training: x̂ is then ±1 whatever x is, the input gradient is ~eps-sized
# and finite differences only see round-off. (Chapter 06 shows that batch of 2.)
@pytest.mark.parametrize("n,training", [(3, True), (5, True), (8, True), (16, True),
                                        (1, False), (2, False), (5, False), (6, False)])
def test_batch_norm_gradient_check(rng, n, training):
    bn = dl.BatchNorm1d(4, dtype=F64)
    bn.weight.data[:] = rng.standard_normal(4)
    bn.bias.data[:] = rng.standard_normal(4)
    bn.running_mean[:] = rng.standard_normal(4)
    bn.running_var[:] = rng.uniform(0.5, 2.0, 4)
    bn.train(training)
    result = dl.gradcheck(bn, rng.standard_normal((n, 4)))
    assert result.passed, result
    assert set(result.errors) == {"input 0", "weight", "bias"}


def test_gradient_check_of_an_mlp_with_batch_norm(rng):
    # No bias before BatchNorm: the batch mean removes it, its gradient is exactly 0 and a
    # relative error of two round-off-sized numbers means nothing (see the next test).
    net = dl.Sequential(dl.Linear(5, 6, bias=False, rng=0, dtype=F64), dl.BatchNorm1d(6, dtype=F64), dl.Tanh(),
                        dl.Linear(6, 3, rng=1, dtype=F64))
    result = dl.gradcheck(net, rng.standard_normal((7, 5)))
    assert result.passed, result


def test_a_bias_before_batch_norm_gets_no_gradient(rng):
    net = dl.Sequential(dl.Linear(5, 6, rng=0, dtype=F64), dl.BatchNorm1d(6, dtype=F64), dl.Tanh())
    net(rng.standard_normal((7, 5)))
    net.backward(rng.standard_normal((7, 6)))
    assert np.abs(net[0].bias.grad).max() < 1e-14
    assert np.abs(net[0].weight.grad).max() > 1e-3


def test_batch_norm_backward_is_wrong_without_the_mean_and_variance_paths(rng):
    # The full gradient differs from the one that treats the batch statistics as constants.
    bn = dl.BatchNorm1d(3, dtype=F64)
    x, dy = rng.standard_normal((6, 3)), rng.standard_normal((6, 3))
    bn(x)
    naive = dy / np.sqrt(x.var(0) + bn.eps)
    assert not np.allclose(bn.backward(dy), naive)


# --- LayerNorm --------------------------------------------------------------------------------------
def test_layer_norm_normalizes_each_sample_over_its_features(rng):
    ln = dl.LayerNorm(6, eps=0.25, dtype=F64)
    ln.weight.data[:] = rng.standard_normal(6)
    ln.bias.data[:] = rng.standard_normal(6)
    x = rng.normal(2.0, 3.0, (4, 6))
    mean, var = x.mean(-1, keepdims=True), x.var(-1, keepdims=True)  # biased variance
    np.testing.assert_allclose(ln(x), _manual(x, mean, var, 0.25, ln.weight.data, ln.bias.data), rtol=1e-12)


def test_layer_norm_over_the_last_two_axes(rng):
    ln = dl.LayerNorm((3, 4), dtype=F64)
    x = rng.normal(1.0, 2.0, (5, 3, 4))
    y = ln(x)
    np.testing.assert_allclose(y.mean(axis=(1, 2)), 0, atol=1e-12)
    var = x.var(axis=(1, 2))
    np.testing.assert_allclose(y.var(axis=(1, 2)), var / (var + 1e-5), rtol=1e-10)
    assert ln.weight.shape == (3, 4) and ln.bias.shape == (3, 4)


def test_layer_norm_is_independent_of_the_batch(rng):
    ln = dl.LayerNorm(8, dtype=F64)
    ln.weight.data[:] = rng.standard_normal(8)
    x = rng.standard_normal((16, 8))
    full = ln(x)
    for i in (0, 5, 15):
        np.testing.assert_allclose(ln(x[i:i + 1]), full[i:i + 1], rtol=1e-13, atol=1e-15)
        np.testing.assert_allclose(ln(x[i]), full[i], rtol=1e-13, atol=1e-15)  # no batch axis at all
    perm = rng.permutation(16)
    np.testing.assert_allclose(ln(x[perm]), full[perm], rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(ln(np.vstack([x, 100 * x]))[:16], full, rtol=1e-13, atol=1e-15)


def test_layer_norm_is_the_same_in_train_and_eval(rng):
    ln = dl.LayerNorm(5, dtype=F64)
    x = rng.standard_normal((3, 5))
    np.testing.assert_array_equal(ln.train()(x), ln.eval()(x))


def test_layer_norm_on_sequences_normalizes_each_token(rng):
    ln = dl.LayerNorm(4, dtype=F64)
    x = rng.standard_normal((2, 5, 4))
    padded = np.concatenate([x, np.zeros((2, 3, 4))], axis=1)  # padding tokens do not leak in
    np.testing.assert_allclose(ln(padded)[:, :5], ln(x), rtol=1e-13)


@pytest.mark.parametrize("shape,normalized", [((6, 4), 4), ((2, 3, 4), 4), ((2, 3, 4), (3, 4)), ((4,), 4)])
def test_layer_norm_gradient_check(rng, shape, normalized):
    ln = dl.LayerNorm(normalized, dtype=F64)
    ln.weight.data[:] = rng.standard_normal(ln.weight.shape)
    ln.bias.data[:] = rng.standard_normal(ln.bias.shape)
    result = dl.gradcheck(ln, rng.standard_normal(shape))
    assert result.passed, result


def test_layer_norm_dtype(rng):
    ln = dl.LayerNorm(3)
    assert ln(rng.standard_normal((2, 3))).dtype == np.float32
    assert ln.backward(np.ones((2, 3))).dtype == np.float32


def test_reprs():
    assert repr(dl.BatchNorm1d(3)) == "BatchNorm1d(3, eps=1e-05, momentum=0.1)"
    assert repr(dl.LayerNorm((2, 3))) == "LayerNorm((2, 3), eps=1e-05)"


# --- bad arguments ------------------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs,error,match", [
    (dict(num_features=0), ValueError, "num_features"),
    (dict(num_features=2.0), TypeError, "num_features"),
    (dict(num_features=3, eps=0.0), ValueError, "eps must be > 0"),
    (dict(num_features=3, eps=-1e-5), ValueError, "eps"),
    (dict(num_features=3, momentum=1.5), ValueError, r"momentum must be in \[0, 1\]"),
    (dict(num_features=3, momentum=-0.1), ValueError, "momentum"),
    (dict(num_features=3, momentum="0.1"), TypeError, "momentum"),
])
def test_batch_norm_bad_arguments(kwargs, error, match):
    with pytest.raises(error, match=match):
        dl.BatchNorm1d(**kwargs)


@pytest.mark.parametrize("shape,error,match", [
    ((), TypeError, "non-empty tuple"),
    ("4", TypeError, "normalized_shape"),
    (0, ValueError, "normalized_shape"),
    ((3, 0), ValueError, "normalized_shape"),
    ((3, 2.0), TypeError, "normalized_shape"),
])
def test_layer_norm_bad_normalized_shape(shape, error, match):
    with pytest.raises(error, match=match):
        dl.LayerNorm(shape)


def test_layer_norm_bad_eps():
    with pytest.raises(ValueError, match="eps must be > 0"):
        dl.LayerNorm(4, eps=0)


def test_wrong_input_shapes_and_dtypes(rng):
    with pytest.raises(ValueError, match=r"expects shape \(batch, 3\), got \(4, 5\)"):
        dl.BatchNorm1d(3)(rng.standard_normal((4, 5)))
    with pytest.raises(ValueError, match=r"expects shape \(batch, 3\), got \(2, 4, 3\)"):
        dl.BatchNorm1d(3)(rng.standard_normal((2, 4, 3)))
    with pytest.raises(ValueError, match=r"expects shape \(\.\.\., 3, 4\), got \(2, 4, 3\)"):
        dl.LayerNorm((3, 4))(rng.standard_normal((2, 4, 3)))
    with pytest.raises(ValueError, match=r"expects shape \(\.\.\., 3, 4\), got \(4,\)"):
        dl.LayerNorm((3, 4))(rng.standard_normal(4))
    with pytest.raises(TypeError, match="floating-point"):
        dl.BatchNorm1d(3)(np.ones((4, 3), dtype=int))
    with pytest.raises(TypeError, match="floating-point"):
        dl.LayerNorm(3)(np.ones((4, 3), dtype=int))


@pytest.mark.parametrize("make", [lambda: dl.BatchNorm1d(3), lambda: dl.LayerNorm(3)], ids=["batch", "layer"])
def test_backward_before_forward_and_wrong_dy(rng, make):
    norm = make()
    with pytest.raises(RuntimeError, match="before forward"):
        norm.backward(np.ones((4, 3)))
    norm(rng.standard_normal((4, 3)))
    with pytest.raises(ValueError, match=r"input's shape \(4, 3\)"):
        norm.backward(np.ones((3, 4)))
