"""The training loop: minibatch iteration (properties over n, batch_size, drop_last, epochs), fit and its History."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dlbook as dl

sizes = st.tuples(st.integers(1, 300), st.integers(1, 320), st.booleans(), st.integers(1, 4)).filter(
    lambda t: not (t[2] and t[1] > t[0]))  # drop_last with a batch larger than the set is refused (tested below)


def _epochs(loader: dl.DataLoader, epochs: int) -> list[list[np.ndarray]]:
    """The sample ids of every batch of every epoch (X holds each sample's id)."""
    return [[xb[:, 0].astype(int) for xb, _ in loader] for _ in range(epochs)]


def _loader(n: int, batch_size: int, drop_last: bool, rng) -> dl.DataLoader:
    ids = np.arange(n, dtype=np.float64)[:, None]
    return dl.DataLoader(ids, np.arange(n), batch_size, drop_last=drop_last, rng=rng)


@settings(max_examples=150, deadline=None)
@given(sizes, st.integers(0, 2**32 - 1))
def test_batches_per_epoch_and_each_sample_once(params, seed):
    n, batch_size, drop_last, epochs = params
    loader = _loader(n, batch_size, drop_last, seed)
    expected_steps = dl.steps_per_epoch(n, batch_size, drop_last)
    assert len(loader) == expected_steps
    assert dl.total_steps(n, batch_size, epochs, drop_last) == epochs * expected_steps
    for batches in _epochs(loader, epochs):
        assert len(batches) == expected_steps
        sizes_seen = [len(b) for b in batches]
        assert all(s == batch_size for s in sizes_seen[:-1])
        used = np.concatenate(batches)
        assert len(np.unique(used)) == len(used)  # no sample twice in one epoch
        if drop_last:
            assert sizes_seen[-1] == batch_size
            assert len(used) == n - n % batch_size
        else:
            np.testing.assert_array_equal(np.sort(used), np.arange(n))  # every sample exactly once
            assert 1 <= sizes_seen[-1] <= batch_size


@settings(max_examples=60, deadline=None)
@given(st.integers(20, 200), st.integers(1, 64), st.booleans(), st.integers(0, 2**32 - 1))
def test_shuffles_reproducible_and_new_each_epoch(n, batch_size, drop_last, seed):
    if drop_last and batch_size > n:
        return
    a = _epochs(_loader(n, batch_size, drop_last, seed), 3)
    b = _epochs(_loader(n, batch_size, drop_last, np.random.default_rng(seed)), 3)
    for ea, eb in zip(a, b):  # same seed, same order, epoch after epoch
        np.testing.assert_array_equal(np.concatenate(ea), np.concatenate(eb))
    # With n >= 20 two equal permutations have probability 1/20! per pair.
    assert not np.array_equal(np.concatenate(a[0]), np.concatenate(a[1]))


def test_without_shuffle_the_order_is_the_data_order():
    loader = dl.DataLoader(np.arange(10.0)[:, None], np.arange(10), 4, shuffle=False)
    assert [yb.tolist() for _, yb in loader] == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]


def test_steps_per_epoch_source_example_and_remainders():
    assert dl.total_steps(1000, 100, 10) == 100           # the source's example
    assert dl.steps_per_epoch(1050, 100) == 11           # the remainder of 50 is a smaller last batch
    assert dl.steps_per_epoch(1050, 100, drop_last=True) == 10
    assert dl.steps_per_epoch(5, 100) == 1


@pytest.mark.parametrize("args, error", [
    ((0, 10), ValueError), ((10, 0), ValueError), ((10.0, 2), TypeError), ((10, True), TypeError),
])
def test_steps_per_epoch_rejects_bad_sizes(args, error):
    with pytest.raises(error, match="must be a positive int"):
        dl.steps_per_epoch(*args)


def test_drop_last_with_a_batch_larger_than_the_set_is_refused():
    with pytest.raises(ValueError, match="leaves no batch"):
        dl.DataLoader(np.zeros((5, 2)), np.zeros(5, dtype=int), 8, drop_last=True)


def test_loader_several_inputs_and_length_mismatch():
    X1, X2, y = np.arange(6.0).reshape(6, 1), np.arange(12.0).reshape(6, 2), np.arange(6)
    (a, b), yb = next(iter(dl.DataLoader((X1, X2), y, 4, shuffle=False)))
    assert a.shape == (4, 1) and b.shape == (4, 2) and yb.tolist() == [0, 1, 2, 3]
    with pytest.raises(ValueError, match="same number of samples"):
        dl.DataLoader((X1, X2[:5]), y, 2)


# --- fit ------------------------------------------------------------------------------------------
def _blobs(n: int = 240, rng: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Three Gaussian blobs in 2-D: a problem a small MLP learns in a few epochs."""
    gen = np.random.default_rng(rng)
    y = gen.integers(0, 3, n)
    centers = np.array([[0.0, 2.0], [2.0, -1.0], [-2.0, -1.0]])
    return (centers[y] + 0.7 * gen.standard_normal((n, 2))).astype(np.float32), y


def _mlp(seed: int = 0) -> dl.Sequential:
    return dl.Sequential(dl.Linear(2, 16, rng=seed), dl.ReLU(), dl.Linear(16, 3, rng=seed + 1))


@settings(max_examples=25, deadline=None)
@given(st.integers(3, 120), st.integers(1, 50), st.booleans(), st.integers(1, 3))
def test_fit_history_has_one_entry_per_step_and_per_epoch(n, batch_size, drop_last, epochs):
    if drop_last and batch_size > n:
        return
    X, y = _blobs(n)
    model = _mlp()
    opt = dl.SGD(model.parameters(), lr=0.1)
    h = dl.fit(model, dl.CrossEntropyLoss(), opt, (X, y), epochs, batch_size, drop_last=drop_last,
               val_data=(X[:7], y[:7]), rng=1)
    steps = dl.total_steps(n, batch_size, epochs, drop_last)
    assert h.steps == len(h.step_loss) == len(h.step_accuracy) == opt.steps == steps
    assert h.epochs == len(h.train_accuracy) == len(h.val_loss) == len(h.val_accuracy) == len(h.epoch_seconds) == epochs
    assert h.steps_per_epoch == dl.steps_per_epoch(n, batch_size, drop_last) and h.planned_epochs == epochs


def test_fit_lowers_the_loss_and_learns():
    X, y = _blobs(300)
    model = _mlp()
    before = dl.evaluate(model, dl.CrossEntropyLoss(), X, y)
    h = dl.fit(model, dl.CrossEntropyLoss(), dl.Adam(model.parameters(), lr=0.02), (X, y), 15, 32, rng=0)
    after = dl.evaluate(model, dl.CrossEntropyLoss(), X, y)
    assert after[0] < 0.5 * before[0]
    assert after[1] > 0.9
    assert h.train_loss[-1] < h.train_loss[0]
    assert np.mean(h.step_loss[-10:]) < np.mean(h.step_loss[:10])


def test_fit_is_reproducible_with_a_seed():
    X, y = _blobs(100)
    runs = []
    for _ in range(2):
        model = _mlp()
        runs.append(dl.fit(model, dl.CrossEntropyLoss(), dl.SGD(model.parameters(), lr=0.1), (X, y), 2, 16, rng=3))
    assert runs[0].step_loss == runs[1].step_loss


def test_epoch_mean_weights_batches_by_their_size():
    # 10 samples in batches of 4, 4, 2: the epoch mean counts each sample once, so the
    # smaller last batch weighs half as much as a full one.
    X, y = _blobs(10)
    model = _mlp()
    h = dl.fit(model, dl.CrossEntropyLoss(), dl.SGD(model.parameters(), lr=0.1), (X, y), 1, 4, shuffle=False)
    expected = np.average(h.step_loss, weights=[4, 4, 2])
    assert h.train_loss[0] == pytest.approx(expected, rel=1e-12)
    assert h.train_accuracy[0] == pytest.approx(np.average(h.step_accuracy, weights=[4, 4, 2]), rel=1e-12)


def test_fit_regression_records_no_accuracy_and_eval_train_evaluates():
    gen = np.random.default_rng(0)
    X = gen.standard_normal((64, 3)).astype(np.float32)
    y = (X @ np.array([[1.0], [-2.0], [0.5]], dtype=np.float32))
    model = dl.Linear(3, 1, rng=0)
    h = dl.fit(model, dl.MSELoss(), dl.SGD(model.parameters(), lr=0.05), (X, y), 5, 8, eval_train=True, rng=0)
    assert h.step_accuracy == [] and h.train_accuracy == [] and h.val_loss == []
    assert h.train_loss[-1] == pytest.approx(dl.evaluate(model, dl.MSELoss(), X, y)[0])
    assert h.train_loss[-1] < h.train_loss[0]
    assert "accuracy" not in h.summary()


class _Recorder(dl.Callback):
    def __init__(self) -> None:
        self.events: list[tuple[str, int]] = []

    def on_train_begin(self, history):
        self.events.append(("begin", history.steps))

    def on_step_end(self, history):
        self.events.append(("step", history.steps))

    def on_epoch_end(self, history):
        self.events.append(("epoch", history.epochs))

    def on_train_end(self, history):
        self.events.append(("end", history.steps))


def test_callback_hooks_run_in_order_and_plain_functions_after_each_epoch():
    X, y = _blobs(10)
    rec = _Recorder()
    model = _mlp()
    dl.fit(model, dl.CrossEntropyLoss(), dl.SGD(model.parameters(), lr=0.1), (X, y), 2, 5, rng=0, callback=rec)
    assert rec.events == [("begin", 0), ("step", 1), ("step", 2), ("epoch", 1), ("step", 3), ("step", 4),
                          ("epoch", 2), ("end", 4)]
    seen = []
    dl.fit(model, dl.CrossEntropyLoss(), dl.SGD(model.parameters(), lr=0.1), (X, y), 3, 5, rng=0,
           callback=lambda h: seen.append(h.epochs))
    assert seen == [1, 2, 3]


def test_train_end_runs_when_training_stops_early():
    class Stop(_Recorder):
        def on_step_end(self, history):
            super().on_step_end(history)
            if history.steps == 3:
                raise KeyboardInterrupt  # what an interrupted notebook cell raises

    X, y = _blobs(20)
    rec = Stop()
    model = _mlp()
    with pytest.raises(KeyboardInterrupt):
        dl.fit(model, dl.CrossEntropyLoss(), dl.SGD(model.parameters(), lr=0.1), (X, y), 5, 5, callback=rec, rng=0)
    assert rec.events[-1] == ("end", 3)


@pytest.mark.parametrize("kwargs, error, match", [
    (dict(train_data=np.zeros((4, 2))), TypeError, "train_data must be a pair"),
    (dict(val_data=(np.zeros((4, 2)),)), TypeError, "val_data must be a pair"),
    (dict(callback=3), TypeError, "callback must be a Callback"),
    (dict(epochs=0), ValueError, "epochs must be a positive int"),
    (dict(loss_fn=dl.ReLU()), TypeError, "loss_fn must be a Loss"),
])
def test_fit_rejects_bad_arguments(kwargs, error, match):
    X, y = _blobs(8)
    model = _mlp()
    args = dict(model=model, loss_fn=dl.CrossEntropyLoss(), optimizer=dl.SGD(model.parameters(), lr=0.1),
                train_data=(X, y), epochs=1, batch_size=4)
    args.update(kwargs)
    with pytest.raises(error, match=match):
        dl.fit(**args)


def test_history_summary_is_rounded_text():
    h = dl.History(step_loss=[1.0], train_loss=[0.123456], train_accuracy=[0.98765], val_loss=[0.2],
                   val_accuracy=[0.5], steps_per_epoch=1)
    assert h.summary() == ("1 epochs, 1 steps, train loss 0.123, train accuracy 98.8 %, val loss 0.200, "
                           "val accuracy 50.0 %")
    assert repr(h) == f"History({h.summary()})"


# --- gradient noise ----------------------------------------------------------------------------------
def test_flat_gradient_matches_the_parameters_grads_and_leaves_them_zero():
    X, y = _blobs(30)
    model = _mlp()
    g = dl.flat_gradient(model, dl.CrossEntropyLoss(), X, y)
    assert g.shape == (model.num_parameters(),) and g.dtype == np.float64
    assert all(not p.grad.any() for p in model.parameters())
    crit = dl.CrossEntropyLoss()
    crit(model(X), y)
    model.backward(crit.backward())
    np.testing.assert_allclose(g, np.concatenate([p.grad.ravel() for p in model.parameters()]))


def test_gradient_noise_falls_like_one_over_batch_size_and_vanishes_at_full_batch():
    X, y = _blobs(400)
    model = _mlp()
    crit = dl.CrossEntropyLoss()
    n1 = dl.gradient_noise(model, crit, X, y, 1, n_batches=400, rng=0)
    n16 = dl.gradient_noise(model, crit, X, y, 16, n_batches=400, rng=1)
    expected = n1 / 16 * (400 - 16) / (400 - 1)  # sampling without replacement
    assert n16 == pytest.approx(expected, rel=0.25)
    assert dl.gradient_noise(model, crit, X, y, 400, n_batches=2, rng=0) < 1e-10
    with pytest.raises(ValueError, match="at most the number of samples"):
        dl.gradient_noise(model, crit, X, y, 401)


def test_train_step_is_one_update_and_returns_the_loss_and_predictions_before_it():
    net = dl.Sequential(dl.Linear(3, 2, rng=0, dtype=np.float64))
    x, y = np.random.default_rng(0).standard_normal((5, 3)), np.array([0, 1, 1, 0, 1])
    loss_fn = dl.CrossEntropyLoss()
    before_out = net(x)
    before_loss = loss_fn(before_out, y)
    opt = dl.SGD(net.parameters(), lr=0.1)
    loss, out = dl.train_step(net, loss_fn, opt, x, y)
    assert loss == before_loss and np.array_equal(out, before_out)
    assert opt.steps == 1 and loss_fn(net(x), y) < before_loss


def test_fit_takes_its_steps_with_train_step(monkeypatch):
    calls = []
    real = dl.training.train_step

    def counting(*args):
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(dl.training, "train_step", counting)
    net = dl.Sequential(dl.Linear(3, 2, rng=0))
    X, y = np.zeros((10, 3), dtype=np.float32), np.zeros(10, dtype=np.int64)
    history = dl.fit(net, dl.CrossEntropyLoss(), dl.SGD(net.parameters(), lr=0.1), (X, y), epochs=2, batch_size=4)
    assert len(calls) == history.steps == 6
