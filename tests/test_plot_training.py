"""Training-curve figures and the live-plot callback (static and live modes)."""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest

import dlbook as dl
from dlbook import plotting
from dlbook.plotting import training as plot_training


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _train(epochs: int = 3, batch_size: int = 10, callback=None, regression: bool = False) -> dl.History:
    gen = np.random.default_rng(0)
    X = gen.standard_normal((40, 2)).astype(np.float32)
    if regression:
        model, loss, y = dl.Linear(2, 1, rng=0), dl.MSELoss(), X[:, :1] - X[:, 1:]
    else:
        model, loss, y = dl.Linear(2, 2, rng=0), dl.CrossEntropyLoss(), (X[:, 0] > X[:, 1]).astype(np.int64)
    return dl.fit(model, loss, dl.SGD(model.parameters(), lr=0.1), (X, y), epochs, batch_size,
                  val_data=(X[:10], y[:10]), rng=0, callback=callback)


class _Display:
    """Stands in for IPython's display machinery: records what would be shown and updated."""

    def __init__(self) -> None:
        self.shown: list[tuple[object, bool]] = []
        self.updates = 0

    def __call__(self, fig, handle=None, *, live):
        if handle is not None:
            self.updates += 1
            return handle
        self.shown.append((fig, live))
        return "handle"


@pytest.fixture
def kernel(monkeypatch) -> _Display:
    """Pretend to run inside a Jupyter kernel."""
    fake = _Display()
    monkeypatch.setattr(plot_training, "_in_kernel", lambda: True)
    monkeypatch.setattr(plot_training, "_show", fake)
    return fake


def test_plot_history_has_loss_and_accuracy_panels_with_epoch_axis():
    h = _train()
    fig = plotting.plot_history(h, title="demo", smooth=2)
    loss_ax, acc_ax = [ax for ax in fig.axes if ax.get_title()]
    assert loss_ax.get_title() == "demo: loss" and acc_ax.get_title() == "demo: accuracy"
    assert loss_ax.get_xlabel().startswith("step") and loss_ax.get_ylabel() == "loss"
    lines = {line.get_label(): line for line in loss_ax.get_lines()}
    per_step = lines["train, per step (mean of 2)"]
    assert len(per_step.get_xdata()) == h.steps
    # Each 2-step mean sits at the middle of the steps it averages (the first one has only step 1).
    np.testing.assert_array_equal(per_step.get_xdata()[:4], [1, 1.5, 2.5, 3.5])
    np.testing.assert_allclose(per_step.get_ydata()[2], np.mean(h.step_loss[1:3]))
    val = lines["validation, after each epoch"]
    np.testing.assert_array_equal(val.get_xdata(), [4, 8, 12])  # 4 steps per epoch: after steps 4, 8, 12
    np.testing.assert_allclose(val.get_ydata(), h.val_loss)
    train = lines["train, per epoch (mean of its steps)"]
    np.testing.assert_array_equal(train.get_xdata(), [2.5, 6.5, 10.5])  # the middle of steps 1-4, 5-8, 9-12
    np.testing.assert_allclose(train.get_ydata(), h.train_loss)
    top = loss_ax.child_axes[0]  # the secondary x axis: the same positions in epochs
    assert top.get_xlabel().startswith("epoch")
    assert top.get_xaxis().get_transform().transform(2.0) == pytest.approx(8.0)  # epoch 2 sits at step 8


def test_plot_history_epoch_means_lie_on_the_per_step_curve_averaged_over_one_epoch():
    h = _train(epochs=3, batch_size=10)  # 4 equal batches per epoch: the epoch mean is the mean of 4 steps
    fig = plotting.plot_history(h, smooth=h.steps_per_epoch)
    loss_ax = fig.axes[0]
    curve, train = loss_ax.get_lines()[:2]
    at_epoch_ends = np.arange(1, h.epochs + 1) * h.steps_per_epoch - 1   # indices of steps 4, 8, 12
    np.testing.assert_array_equal(curve.get_xdata()[at_epoch_ends], train.get_xdata())
    np.testing.assert_allclose(curve.get_ydata()[at_epoch_ends], train.get_ydata())


def test_plot_history_train_at_end_for_eval_train_histories():
    h = _train()
    loss_ax = plotting.plot_history(h, train_at="end").axes[0]
    train = next(line for line in loss_ax.get_lines() if line.get_label().startswith("train, per epoch"))
    assert train.get_label() == "train, per epoch (eval mode, after the epoch)"
    np.testing.assert_array_equal(train.get_xdata(), [4, 8, 12])
    with pytest.raises(ValueError, match="train_at must be 'middle'"):
        plotting.plot_history(h, train_at="start")
    with pytest.raises(ValueError, match="train_at must be 'middle'"):
        plotting.LiveCurves(train_at="")


def test_plot_history_of_a_regression_has_one_panel():
    fig = plotting.plot_history(_train(regression=True))
    assert [ax.get_title() for ax in fig.axes if ax.get_title()] == ["Training curves: loss"]


def test_plot_histories_axes_and_smoothing_capped_at_one_epoch():
    h_small, h_full = _train(batch_size=5), _train(batch_size=40)
    fig = plotting.plot_histories({"small": h_small, "full": h_full}, metric="step_loss", per="step", smooth=50,
                                  logx=True)
    ax = fig.axes[0]
    assert ax.get_xscale() == "log" and ax.get_xlabel() == "step"
    small, full = ax.get_lines()
    np.testing.assert_allclose(full.get_ydata(), h_full.step_loss)  # 1 step per epoch: never smoothed
    np.testing.assert_allclose(small.get_ydata()[:8], np.cumsum(h_small.step_loss[:8]) / np.arange(1, 9))
    fig2, ax2 = plt.subplots()
    assert plotting.plot_histories({"a": h_small}, metric="val_loss", ax=ax2) is fig2
    np.testing.assert_array_equal(ax2.get_lines()[0].get_xdata(), [1, 2, 3])


@pytest.mark.parametrize("kwargs, match", [
    (dict(metric="nope"), "metric must be a History list"),
    (dict(per="batch"), "per must be 'epoch' or 'step'"),
    (dict(smooth=0), "smooth must be an int >= 1"),
])
def test_plot_histories_rejects_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        plotting.plot_histories({"a": _train(epochs=1)}, **kwargs)


def test_plot_steps_and_epochs_draws_both_views():
    fig = plotting.plot_steps_and_epochs({"a": _train(batch_size=5), "b": _train(batch_size=20)}, smooth=3)
    left, right = fig.axes
    assert left.get_xscale() == "log" and right.get_xlabel() == "epoch"
    assert [line.get_label() for line in right.get_lines()] == ["a", "b"]


def test_live_curves_static_mode_shows_one_final_figure(monkeypatch, kernel):
    monkeypatch.setenv("DLBOOK_STATIC_PLOTS", "1")
    before = plt.get_fignums()
    live = plotting.LiveCurves(smooth=2, min_interval=0)
    h = _train(epochs=4, callback=live)
    assert live.frames == 1 and kernel.updates == 0
    assert kernel.shown == [(live.fig, False)]
    assert plt.get_fignums() == before  # not a pyplot figure: the inline backend cannot show it twice
    loss_ax = next(ax for ax in live.fig.axes if ax.get_title().endswith("loss"))
    assert len(loss_ax.get_lines()[0].get_xdata()) == h.steps  # the final figure holds every step


def test_live_curves_live_mode_updates_one_output_in_place(monkeypatch, kernel):
    monkeypatch.delenv("DLBOOK_STATIC_PLOTS", raising=False)
    class Peek(plotting.LiveCurves):
        def on_step_end(self, history):
            super().on_step_end(history)
            if history.steps == 1:
                self.first_xlim = self.fig.axes[0].get_xlim()

    live = Peek(min_interval=0)
    h = _train(epochs=2, callback=live)
    assert len(kernel.shown) == 1 and kernel.shown[0][1] is True  # one output, with a display id
    assert live.frames == h.steps + h.epochs + 1 and kernel.updates == live.frames - 1
    # While training the x axis already spans the planned 2 x 4 steps, so curves grow from the left.
    assert live.first_xlim == pytest.approx((0, 8 * 1.02))


def test_live_curves_throttles_redraws(monkeypatch, kernel):
    monkeypatch.delenv("DLBOOK_STATIC_PLOTS", raising=False)
    live = plotting.LiveCurves(min_interval=3600)
    _train(epochs=3, callback=live)
    assert live.frames == 2  # the first step, then the final frame


@pytest.mark.parametrize("static", [True, False])
def test_live_curves_outside_jupyter_draws_the_final_figure_only(monkeypatch, static):
    monkeypatch.setattr(plot_training, "_show", lambda *a, **k: pytest.fail("nothing to show outside Jupyter"))
    live = plotting.LiveCurves(static=static, min_interval=0)
    _train(callback=live)
    assert live.frames == 1 and live.fig is not None and len(live.fig.axes) == 2


def test_live_curves_argument_checks():
    with pytest.raises(ValueError, match="min_interval"):
        plotting.LiveCurves(min_interval=-1)
    with pytest.raises(TypeError, match="static must be"):
        plotting.LiveCurves(static="yes")
    with pytest.raises(ValueError, match="smooth"):
        plotting.LiveCurves(smooth=0)


@pytest.mark.parametrize("value, expected", [("1", True), ("true", True), ("0", False), ("", False)])
def test_static_mode_follows_the_environment(monkeypatch, value, expected):
    monkeypatch.setenv("DLBOOK_STATIC_PLOTS", value)
    assert plot_training._static_plots() is expected


def test_show_sends_a_png_bundle_with_stable_text_and_updates_in_place(monkeypatch):
    import base64

    import IPython.display

    sent = []

    class Handle:
        def update(self, obj, **kwargs):
            sent.append(("update", obj, kwargs))

    def fake_display(obj, **kwargs):
        sent.append(("display", obj, kwargs))
        return Handle() if kwargs.get("display_id") else None

    monkeypatch.setattr(IPython.display, "display", fake_display)
    live = plotting.LiveCurves(static=True)
    _train(callback=live)
    assert plot_training._show(live.fig, live=False) is None
    handle = plot_training._show(live.fig, live=True)
    assert plot_training._show(live.fig, handle, live=True) is handle
    (kind0, bundle, kw0), (kind1, _, kw1), (kind2, _, kw2) = sent
    assert (kind0, kw0) == ("display", {"raw": True})
    assert (kind1, kw1) == ("display", {"raw": True, "display_id": True})
    assert (kind2, kw2) == ("update", {"raw": True})
    assert bundle["text/plain"] == "<Figure size 1100x380 with 2 Axes>"  # what nbval compares
    assert base64.b64decode(bundle["image/png"]).startswith(b"\x89PNG")
