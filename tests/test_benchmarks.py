"""The benchmark's arithmetic and its report (``benchmarks/bench.py``); nothing here is timed."""
from __future__ import annotations

import numpy as np
import pytest

import dlbook as dl
from benchmarks import bench


def test_flops_of_an_mlp_step_are_six_per_weight_per_row():
    net = dl.Sequential(dl.Linear(4, 8, rng=0), dl.ReLU(), dl.Linear(8, 3, rng=1))
    net(np.zeros((5, 4), dtype=np.float32))
    # forward x·W, weight gradient xᵀ·dy, input gradient dy·Wᵀ: 3 products of 2·rows·in·out FLOPs each
    assert bench.step_matmul_flops(net) == 3 * 2 * 5 * (4 * 8 + 8 * 3) == 1680
    net(np.zeros((2, 5, 4), dtype=np.float32))  # leading axes are rows too: 10 of them
    assert bench.step_matmul_flops(net) == 3360


def test_flops_of_multi_head_attention_count_projections_and_both_attention_products():
    mha = dl.MultiHeadAttention(8, 2, rng=0)
    query, memory = np.zeros((2, 3, 8), dtype=np.float32), np.zeros((2, 4, 8), dtype=np.float32)
    mha(query, memory, memory)
    projections = 3 * 2 * 8 * 8 * (6 + 8 + 8 + 6)  # q_proj and out_proj see 2·3 rows, k_proj and v_proj 2·4
    # QKᵀ and AV forward, four products backward: 6 × 2·(batch·heads·len_q·len_k·d_head)
    attention = 6 * 2 * (2 * 2 * 3 * 4 * 4)
    assert bench.step_matmul_flops(mha) == projections + attention == 10752 + 2304


def test_matmul_shapes_and_the_limit_function_that_runs_them():
    mm = bench.Matmul(3, 4, 5, batch=(2,), trans_a=True)
    assert mm.flops == 2 * 2 * 3 * 4 * 5
    net = dl.Sequential(dl.Linear(4, 8, rng=0))
    net(np.zeros((5, 4), dtype=np.float32))
    shapes = bench.step_matmuls(net)
    assert [(m.m, m.k, m.n, m.trans_a, m.trans_b) for m in shapes] == [
        (5, 4, 8, False, False), (4, 5, 8, True, False), (5, 8, 4, False, True)]
    bench.matmuls_only(shapes)()  # runs every product once, into preallocated outputs


def test_every_benchmarked_model_is_float32_end_to_end():
    for case in bench.cases():
        bench.dlbook_step(case.model, case.inputs, case.targets, case.loss_fn)()
        assert bench.non_float32(case.model) == [], case.name
        assert bench.step_matmul_flops(case.model) > 0


def test_non_float32_names_what_is_not():
    net = dl.Sequential(dl.Linear(2, 3, rng=0, dtype=np.float64))
    net(np.zeros((1, 2)))
    assert bench.non_float32(net) == ["Linear.cache: float64", "Linear.weight.data: float64",
                                      "Linear.weight.grad: float64", "Linear.bias.data: float64",
                                      "Linear.bias.grad: float64"]


def _result(name: str, ms: float, torch_ms: float | None) -> bench.StepResult:
    timing = bench.Timing.of([ms / 1e3] * 5)
    torch = bench.Timing.of([torch_ms / 1e3] * 5) if torch_ms else None
    return bench.StepResult(name, timing, bench.Timing.of([ms / 2e3] * 5), int(2e9 * ms / 1e3), torch, "a twin")


def test_report_renders_the_table_the_ratios_and_the_chapters():
    steps = [_result("model A", 4.0, 2.0), _result("model B", 1.0, None)]
    text = bench.report(100.0, steps, [("01_structure", 12.34, True), ("02_activations", 5.0, False)],
                        machine_line="a CPU", load=(1.25, 0.5), date="2025-01-01")
    lines = text.splitlines()
    assert lines[0] == ("Machine: a CPU. Measured 2025-01-01. "
                        "Load average (1 min) 1.2 at the start, 0.5 at the end.")
    assert "**100.0 GFLOP/s**" in text
    # 2 GFLOP/s of work per second of step = 2% of 100 GFLOP/s; the matmuls take half the step
    assert "| model A | 4.00 [4.00–4.00] | 0.008 | 2.0 | 2% | 2.00 | 50% | 2.00 [2.00–2.00] | 2.00× |" in lines
    assert "| model B | 1.00 [1.00–1.00] | 0.002 | 2.0 | 2% | 0.500 | 50% | — | — |" in lines
    assert "PyTorch twins: a twin." in lines
    assert "| 01_structure | 12.3 | yes |" in lines and "| 02_activations | 5.0 | NO |" in lines
    assert "outputs as stored" in text
    assert lines[-1] == "| all chapters, one after another | 17.3 | |"


def test_timing_takes_the_median_and_quartiles():
    t = bench.Timing.of([1.0, 2.0, 3.0, 4.0, 100.0])
    assert (t.median, t.q1, t.q3, t.n) == (3.0, 2.0, 4.0, 5)


def test_update_readme_replaces_only_the_text_between_the_markers(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"intro\n{bench.README_START}\nold\n{bench.README_END}\nafter\n", encoding="utf-8")
    bench.update_readme("new table\n", readme)
    assert readme.read_text(encoding="utf-8") == f"intro\n{bench.README_START}\nnew table\n{bench.README_END}\nafter\n"
    readme.write_text("no markers\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="markers"):
        bench.update_readme("x\n", readme)


@pytest.mark.parametrize("make", [dl.Sigmoid, dl.Tanh, dl.ReLU, dl.LeakyReLU, dl.GELU, lambda: dl.GELU("tanh"),
                                  dl.Softmax], ids=["sigmoid", "tanh", "relu", "leaky", "gelu", "gelu-tanh", "softmax"])
def test_activations_keep_float32_float32(make):
    module = make()
    x = np.linspace(-3, 3, 12, dtype=np.float32).reshape(3, 4)
    assert module(x).dtype == np.float32
    assert module.backward(np.ones_like(x)).dtype == np.float32
    assert bench.non_float32(module) == []
