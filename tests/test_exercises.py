"""What every exercise check in every chapter must do, found by name.

For each ``dlbook.exercises.<chapter>.check_<name>`` whose solution is
``dlbook.solutions.<chapter>.<name>``: the solution passes; an unfinished stub is
"not done yet"; whatever else it is given (not a function, a function that raises or
returns garbage, an odd predicted value) it returns a verdict and never raises. The
chapter files ``test_exercises_<chapter>.py`` test the mistakes each check must name.
"""
from __future__ import annotations

import ast
import importlib
import pkgutil
import warnings
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

import dlbook.exercises
from dlbook.exercises import Case, Feedback, Mistake, check_function, check_value
from dlbook.exercises.checking import _CHECK_FAILED

CHAPTERS = sorted(info.name for info in pkgutil.iter_modules(dlbook.exercises.__path__) if info.name != "checking")


def _checks() -> list[tuple[str, object, object]]:
    """(key, check, solution or None for a predicted-value check) for every check of every chapter."""
    found = []
    for chapter in CHAPTERS:
        checks = importlib.import_module(f"dlbook.exercises.{chapter}")
        solutions = importlib.import_module(f"dlbook.solutions.{chapter}")
        for name in checks.__all__:
            found.append((f"{chapter}.{name}", getattr(checks, name), getattr(solutions, name[len("check_"):], None)))
    return found


ALL = _checks()
EXERCISES = [e for e in ALL if callable(e[2])]
VALUE_CHECKS = [e for e in ALL if e[2] is None]


def test_every_chapter_has_three_to_five_exercises():
    assert CHAPTERS == ["activations", "dropout", "ffnn", "normalization", "perceptron", "softmax", "structure",
                        "training", "transformer"]
    for chapter in CHAPTERS:
        count = sum(key.startswith(chapter + ".") for key, _, _ in EXERCISES)
        assert 3 <= count <= 5, (chapter, count)
    assert [key for key, _, _ in VALUE_CHECKS] == ["structure.check_weight_shape", "structure.check_num_parameters"]


@pytest.mark.parametrize("key,check,solution", EXERCISES, ids=[e[0] for e in EXERCISES])
def test_the_solution_passes(key, check, solution):
    feedback = check(solution)
    assert feedback.passed is True, feedback
    assert "cases match" in feedback.message  # says what was tried, not just "correct"


@pytest.mark.parametrize("key,check,solution", EXERCISES, ids=[e[0] for e in EXERCISES])
def test_a_stub_is_not_done_yet(key, check, solution):
    def stub(*args, **kwargs):
        raise NotImplementedError

    feedback = check(stub)
    assert feedback.passed is None and "not done yet" in repr(feedback)


# --- a check never raises, whatever it is given ---------------------------------------------------------------
class _Hostile:
    """An object every operation on which fails."""

    def __eq__(self, other):
        raise RuntimeError("no comparing")

    __ne__ = __lt__ = __gt__ = __eq__
    __hash__ = None

    def __array__(self, *args, **kwargs):
        raise RuntimeError("no array")

    def __len__(self):
        raise RuntimeError("no len")

    def __iter__(self):
        raise RuntimeError("no iter")

    def __float__(self):
        raise RuntimeError("no float")

    def __repr__(self):
        raise RuntimeError("no repr")


def _raises(exc):
    def f(*args, **kwargs):
        raise exc
    return f


def _returns(value):
    return lambda *args, **kwargs: value


def _spoils_its_arguments(*args, **kwargs):
    for a in args:
        if isinstance(a, np.ndarray) and a.dtype.kind == "f":
            a[...] = np.nan
    return args[0] if args else None


def _warns(*args, **kwargs):
    warnings.warn("a warning from the learner's code", RuntimeWarning)
    return 1.0


ODD_VALUES = [0, 640, -1, 3.5, np.nan, np.inf, 10**400, True, "abc", "", b"x", [1, 2], [], (1, 2, 3), (), {"a": 1},
              {1, 2}, object(), _Hostile(), np.zeros(3), np.zeros((7, 7)), np.array([]), np.ones(3) * 1j,
              np.array(["a", "b"]), np.array([object()] * 3), np.float64(np.inf), [None, None], [np.zeros(2), np.zeros(3)],
              (np.zeros(2), "x", None), (x for x in range(3)), range(5), slice(1)]
ODD_FUNCTIONS = ([_returns(v) for v in ODD_VALUES + [None]]
                 + [_raises(e) for e in (ValueError("v"), TypeError("t"), RuntimeError("r"), ZeroDivisionError("z"),
                                         KeyError("k"), IndexError("i"), FloatingPointError("f"), AttributeError("a"),
                                         StopIteration(), RecursionError("deep"), MemoryError())]
                 + [lambda: 1.0, lambda x: x, lambda *a: a, lambda *a, **k: k, _spoils_its_arguments, _warns,
                    lambda *a: _returns(1.0), type, print, np.sum])


def _assert_verdict(feedback, allow_not_done=False):
    assert isinstance(feedback, Feedback)
    assert feedback.passed is False or (allow_not_done and feedback.passed is None), feedback
    assert isinstance(feedback.message, str) and feedback.message
    assert _CHECK_FAILED not in feedback.message, feedback.message  # the safety net is never needed
    assert repr(feedback)


@pytest.mark.parametrize("key,check,solution", EXERCISES, ids=[e[0] for e in EXERCISES])
def test_a_function_check_never_raises(key, check, solution):
    for answer in ODD_VALUES:
        fb = check(answer)
        _assert_verdict(fb)
        assert "expected a function" in fb.message
    for answer in ODD_FUNCTIONS:
        _assert_verdict(check(answer))
    raising = check(lambda *args, **kwargs: 1 / 0)
    assert raising.passed is False and "your function raised ZeroDivisionError: division by zero" in raising.message


@pytest.mark.parametrize("key,check,solution", VALUE_CHECKS, ids=[e[0] for e in VALUE_CHECKS])
def test_a_value_check_never_raises(key, check, solution):
    for answer in ODD_VALUES + ODD_FUNCTIONS:
        _assert_verdict(check(answer))
    assert check(None).passed is None and check(...).passed is None


# --- one checking path, independent references, public names only --------------------------------------------------
def _tree(module_name: str) -> ast.Module:
    path = Path(importlib.import_module(module_name).__file__)
    return ast.parse(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_checks_use_no_solution_and_no_private_library_name(chapter):
    for node in ast.walk(_tree(f"dlbook.exercises.{chapter}")):
        if isinstance(node, ast.ImportFrom):
            assert "solutions" not in (node.module or ""), "a reference must not come from the solutions"
            private = [alias.name for alias in node.names if alias.name.startswith("_")]
            assert not private, f"private names imported: {private}"
        if isinstance(node, ast.Import):
            assert not any("solutions" in alias.name for alias in node.names)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_one_checking_path(chapter):
    """No chapter keeps a checking loop of its own: every check goes through checking.check_function/check_value."""
    defined = {node.name for node in ast.walk(_tree(f"dlbook.exercises.{chapter}"))
               if isinstance(node, ast.FunctionDef)}
    assert not defined & {"_check", "_run", "_same", "_compare", "not_a_function", "_not_a_function",
                          "check_with_mistakes", "check_function", "check_value"}, defined
    assert not hasattr(dlbook.exercises, "check_with_mistakes")


# --- the shared checking module itself ------------------------------------------------------------------------------
def test_a_failing_element_is_shown_with_the_digits_that_differ():
    tiny = np.array([3.72008e-44, 1.0])
    fb = check_function("tiny", lambda x: x * np.array([1 + 1e-7, 1.0]), lambda x: x, [Case("tiny numbers", (tiny,))],
                        rtol=1e-9, atol=1e-300)
    assert "expected 3.72008e-44, got 3.7200804e-44 at index (0,)" in fb.message, fb.message
    fb = check_function("close", lambda: 0.1 + 0.2 + 1e-9, lambda: 0.3, [Case("a sum", ())], rtol=1e-12, atol=0.0)
    assert "expected 0.3, got 0.300000001" in fb.message, fb.message


def test_the_parts_of_a_tuple_are_named_and_counted():
    def reference(x):
        return x, 2 * x, 3 * x

    case = [Case("three parts", (np.ones(2),))]
    fb = check_function("parts", lambda x: (x, 2 * x, 4 * x), reference, case, parts=("dx", "dW", "db"))
    assert fb.message.startswith("case 'three parts': db: expected 3, got 4 at index (0,)"), fb.message
    fb = check_function("parts", lambda x: (x, 2 * x), reference, case, parts=("dx", "dW", "db"))
    assert "expected 3 results (dx, dW, db), got" in fb.message


def test_a_mistake_is_named_only_if_it_explains_every_case():
    cases = [Case("first", (1.0,), hint="the first case's hint"), Case("second", (2.0,), hint="the second case's hint")]
    square = Mistake("you squared x", lambda x: x * x)  # agrees with "x + x" on the first case only... (2 vs 2)
    double = Mistake("you doubled x", lambda x: 2 * x)
    fb = check_function("f", lambda x: x * x, lambda x: x + 1.0, cases, mistakes=[double, square])
    assert fb.message.endswith("It looks like you squared x.") and "Hint" not in fb.message
    fb = check_function("f", lambda x: x ** 3, lambda x: x + 1.0, cases, mistakes=[double, square])
    assert fb.message.endswith("Hint: the first case's hint") and "It looks like" not in fb.message


def test_an_argument_changed_in_place_is_reported():
    def mutate(w):
        w[1] += 1.0
        return 0.0

    fb = check_function("keep", mutate, lambda w: 0.0, [Case("an array", (np.zeros(3),))])
    assert fb.passed is False and "changed its input in place: w[1] was 0.0 and is 1.0 after the call" in fb.message


def test_whole_numbers_must_be_ints():
    fb = check_value("count", 650.0, 650)
    assert fb.passed is False and "the float 650.0, not the int 650" in fb.message
    assert check_value("count", np.int64(650), 650).passed
    assert check_value("count", True, 1).passed is False


# --- every chapter's plausible wrong answers (the WRONG lists of tests/test_exercises_<chapter>.py) ---------
CHAPTER_TESTS = [importlib.import_module(p.stem) for p in sorted(Path(__file__).parent.glob("test_exercises_*.py"))]
WRONG = [(module.__name__, *row) for module in CHAPTER_TESTS for row in module.WRONG]


@pytest.mark.parametrize("chapter, check, wrong, case, words", WRONG,
                         ids=[f"{c}:{check.__name__}:{i}" for i, (c, check, *_) in enumerate(WRONG)])
def test_wrong_answers_are_rejected_and_named(chapter, check, wrong, case, words):
    fb = check(wrong)
    assert fb.passed is False
    assert fb.message.startswith(f"case '{case}") and words in fb.message, fb.message


@pytest.mark.parametrize("module", CHAPTER_TESTS, ids=lambda m: m.__name__)
def test_every_check_has_two_wrong_answers(module):
    # Value checks (chapter 01) list theirs in VALUES, judged by their own test in that file.
    counts = Counter(check.__name__ for check, *_ in module.WRONG + getattr(module, "VALUES", []))
    assert all(counts[name] >= 2 for name in module.ex.__all__), counts


def test_every_chapter_has_its_wrong_answers_here():
    assert len(CHAPTER_TESTS) == 9 and all(module.WRONG for module in CHAPTER_TESTS)
