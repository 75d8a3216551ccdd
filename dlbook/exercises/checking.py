"""Check a learner's function against the reference on several cases and explain the verdict.

A check never raises: whatever the learner's code does (raise, return the wrong
shape, return NaN), the learner gets a sentence that says which case failed, what was
expected and what came, and a hint where a typical mistake is recognisable. A
function that still raises ``NotImplementedError`` is reported as "not done yet".
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..display import SourceView, show_source

__all__ = ["Case", "Feedback", "Mistake", "check_function", "check_value", "check_with_mistakes", "not_a_function", "show_solution"]


@dataclass
class Case:
    """One input to try.

    Attributes
    ----------
    label : str
        What the case is about, shown in the feedback ("large logits", "batch of 1").
    args : tuple
        Positional arguments for both functions (copied before each call).
    kwargs : dict
    hint : str
        Said when this case fails: the mistake it was designed to catch.
    """

    label: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    hint: str = ""


class Feedback:
    """The verdict of a check: ``passed`` is True, False, or None for "not done yet"."""

    def __init__(self, name: str, passed: bool | None, message: str) -> None:
        self.name = name
        self.passed = passed
        self.message = message

    def __repr__(self) -> str:
        mark = {True: "✅ correct", False: "❌ not yet right", None: "⏳ not done yet"}[self.passed]
        return f"{self.name}: {mark}\n{self.message}"


def _copy(value: Any) -> Any:
    return value.copy() if isinstance(value, np.ndarray) else value


# Floating-point trouble is reported in the feedback, never as a warning: either quietly
# (inf/nan are then compared like any wrong value) or raised, for "stable" exercises.
_QUIET = dict(all="ignore")
_OVERFLOW_RAISES = dict(over="raise", invalid="raise", divide="ignore", under="ignore")


def _call(f: Callable[..., Any], case: Case, errstate: dict[str, str] = _QUIET) -> Any:
    """``f`` on fresh copies of the case's arguments, under the given floating-point error handling."""
    with np.errstate(**errstate):
        return f(*map(_copy, case.args), **case.kwargs)


def _failed(name: str, case: Case, problem: str) -> Feedback:
    """A failure on ``case``, with the hint the case carries for its typical mistake."""
    return Feedback(name, False, f"case '{case.label}': {problem}" + (f"\nHint: {case.hint}" if case.hint else ""))


def _describe(value: Any) -> str:
    if isinstance(value, np.ndarray):
        body = np.array2string(value, precision=4, threshold=12, edgeitems=2, suppress_small=True)
        return f"array of shape {value.shape}, dtype {value.dtype}: {body}"
    if isinstance(value, float):
        return f"{value:.6g}"
    return repr(value)


def _numbers_match(got: Any, expected: Any, rtol: float, atol: float) -> bool:
    """Equal, or both real numbers within tolerance (integers must match exactly)."""
    if isinstance(expected, (float, np.floating)) and isinstance(got, (int, float, np.integer, np.floating)) \
            and not isinstance(got, bool):
        return bool(np.isclose(got, expected, rtol=rtol, atol=atol))
    return bool(got == expected)


def _compare(got: Any, expected: Any, rtol: float, atol: float) -> str:
    """'' when ``got`` matches ``expected``, else what differs."""
    if isinstance(expected, tuple) and not any(isinstance(e, np.ndarray) for e in expected):
        # A tuple of plain values (a shape, a pair of statistics) is judged whole; numbers within tolerance.
        same = (isinstance(got, tuple) and len(got) == len(expected)
                and all(_numbers_match(g, e, rtol, atol) for g, e in zip(got, expected)))
        return "" if same else f"expected {expected!r}, got {_describe(got)}"
    if isinstance(expected, tuple):
        if not isinstance(got, tuple) or len(got) != len(expected):
            return f"expected a tuple of {len(expected)} values, got {_describe(got)}"
        for i, (g, e) in enumerate(zip(got, expected)):
            problem = _compare(g, e, rtol, atol)
            if problem:
                return f"item {i}: {problem}"
        return ""
    if isinstance(expected, (np.ndarray, float, np.floating)) or (
            isinstance(expected, (int, np.integer)) and isinstance(got, np.ndarray)):
        try:
            g = np.asarray(got, dtype=np.float64)
        except (TypeError, ValueError):
            return f"expected {_describe(expected)}, got {_describe(got)}"
        e = np.asarray(expected, dtype=np.float64)
        if g.shape != e.shape:
            return f"expected shape {e.shape}, got shape {g.shape}"
        if not np.all(np.isfinite(g)) and np.all(np.isfinite(e)):
            return f"the result contains nan or inf: {_describe(got)}"
        if not np.allclose(g, e, rtol=rtol, atol=atol, equal_nan=True):
            worst = np.unravel_index(np.argmax(np.abs(g - e)), g.shape) if g.shape else ()
            at = f" at index {tuple(int(i) for i in worst)}" if g.shape else ""
            if not g.shape:
                return f"expected {_describe(e.item())}, got {_describe(g.item())}"
            return (f"values differ{at}: expected {_describe(e[worst].item())}, got {_describe(g[worst].item())}; "
                    f"expected overall {_describe(expected)}")
        return ""
    if got != expected:
        return f"expected {_describe(expected)}, got {_describe(got)}"
    return ""


def not_a_function(name: str, answer: Any) -> Feedback:
    """The verdict for an answer that should have been a function (e.g. a forgotten ``def``)."""
    return Feedback(name, False, f"expected a function, got {type(answer).__name__}")


def check_function(name: str, learner: Callable[..., Any], reference: Callable[..., Any],
                   cases: Sequence[Case], *, rtol: float = 1e-6, atol: float = 1e-8,
                   overflow_is_error: bool = False) -> Feedback:
    """Run ``learner`` and ``reference`` on every case and compare the results.

    Parameters
    ----------
    name : str
        The exercise's name, shown in the feedback.
    learner : callable
        The reader's function.
    reference : callable
        dlbook's own implementation (or a solution) that defines the right answer.
    cases : sequence of Case
        Ordered from simple to tricky: the first failing case is reported.
    rtol, atol : float
        Tolerances for numbers and arrays.
    overflow_is_error : bool
        Treat an overflow or an invalid operation (inf − inf, 0/0) inside the learner's
        code as a failure even when the returned values happen to be right: the lesson
        of a "stable" exercise is to never overflow.
    """
    if not callable(learner):
        return not_a_function(name, learner)
    for case in cases:
        expected = _call(reference, case)
        try:
            got = _call(learner, case, _OVERFLOW_RAISES if overflow_is_error else _QUIET)
        except NotImplementedError:
            return Feedback(name, None, "Replace the `raise NotImplementedError` with your code, then run the cell again.")
        except FloatingPointError as exc:
            return _failed(name, case, f"your function overflowed ({exc})")
        except Exception as exc:  # the learner's bug is the message, not a crash
            return _failed(name, case, f"your function raised {type(exc).__name__}: {exc}")
        problem = _compare(got, expected, rtol, atol)
        if problem:
            return _failed(name, case, problem)
    return Feedback(name, True, f"all {len(cases)} cases match, including: {', '.join(c.label for c in cases)}.")


def check_value(name: str, answer: Any, expected: Any, *, hint: str = "", rtol: float = 1e-6,
                atol: float = 1e-8) -> Feedback:
    """Check a single predicted number or array (for "predict, then check" exercises).

    ``answer`` left as ``None`` or ``...`` counts as not done yet.
    """
    if answer is None or answer is Ellipsis:
        return Feedback(name, None, "Fill in your answer, then run the cell again.")
    problem = _compare(answer, expected, rtol, atol)
    if problem:
        return Feedback(name, False, problem + (f"\nHint: {hint}" if hint else ""))
    return Feedback(name, True, f"{_describe(expected)} is right.")


# --- recognising typical mistakes (a wrong answer named by computing it) -----------------------------------------------------------------
@dataclass(frozen=True)
class Mistake:
    """A typical wrong answer, recognised by computing it.

    Attributes
    ----------
    says : str
        Completes "It looks like ...", e.g. "you divided by p instead of 1 − p".
    does : callable
        The wrong computation, with the exercise's signature.
    """

    says: str
    does: Callable[..., Any]


def _recognise(learner: Callable[..., Any], reference: Callable[..., Any], cases: Sequence[Case],
               mistakes: Sequence[Mistake], rtol: float, atol: float) -> str:
    """What the first failing case's answer looks like, or '' if it matches no known mistake."""
    for case in cases:
        try:
            got = _call(learner, case)
        except Exception:  # the feedback already reports the exception
            return ""
        if not _compare(got, _call(reference, case), rtol, atol):
            continue
        for mistake in mistakes:
            if not _compare(got, _call(mistake.does, case), rtol, atol):
                return mistake.says
        return ""
    return ""


def check_with_mistakes(name: str, learner: Callable[..., Any], reference: Callable[..., Any],
                        cases: Sequence[Case], mistakes: Sequence[Mistake], *, rtol: float = 1e-6,
                        atol: float = 1e-8) -> Feedback:
    """:func:`~dlbook.exercises.checking.check_function`, plus the name of a recognised mistake.

    Parameters
    ----------
    name, learner, reference, cases, rtol, atol
        As for ``check_function``.
    mistakes : sequence of Mistake
        Tried in order on the first failing case; the first one the learner's answer
        matches is named in the feedback ("It looks like you ...").
    """
    feedback = check_function(name, learner, reference, cases, rtol=rtol, atol=atol)
    if feedback.passed is False and callable(learner):
        says = _recognise(learner, reference, cases, mistakes, rtol, atol)
        if says:
            feedback.message += f"\nIt looks like {says}."
    return feedback


def show_solution(solution: Callable[..., Any]) -> SourceView:
    """A solution's source, folded: the reader clicks to open it."""
    return show_source(solution, folded=True)
