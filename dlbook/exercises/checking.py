"""Check a learner's function against a reference on several cases and explain the verdict.

One path for every exercise (:func:`check_function`):

1. run the learner's function on every case (on fresh copies of the arguments);
2. if some case is wrong, first try to *recognise* the mistake: each known
   :class:`Mistake` is computed on every case, and the one whose results match the
   learner's everywhere is named ("It looks like you ...");
3. only when no known mistake matches, fall back to the hint of the first failing case.

A check never raises: whatever the learner's code does (raise, return None, the wrong
shape, NaN, a string), the learner gets a sentence that says which case failed, which
element broke the tolerance (with enough digits to see the difference) and which part
of a tuple result (dx, dW, db) it was. A function that changes the arrays it is given
is told so. A function that still raises ``NotImplementedError`` is "not done yet".
"""
from __future__ import annotations

import inspect
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..display import SourceView, show_source

__all__ = ["Case", "Feedback", "Mistake", "check_function", "check_value", "describe", "not_a_function", "show_solution"]


@dataclass
class Case:
    """One input to try.

    Attributes
    ----------
    label : str
        What the case is about, shown in the feedback ("large logits", "batch of 1").
    args : tuple
        Positional arguments for every function tried (arrays are copied before each call).
    kwargs : dict
    hint : str
        Said when this case is the first to fail and no known mistake matches.
    """

    label: str
    args: tuple = ()
    kwargs: dict = field(default_factory=dict)
    hint: str = ""


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


class Feedback:
    """The verdict of a check: ``passed`` is True, False, or None for "not done yet"."""

    def __init__(self, name: str, passed: bool | None, message: str) -> None:
        self.name = name
        self.passed = passed
        self.message = message

    def __repr__(self) -> str:
        mark = {True: "✅ correct", False: "❌ not yet right", None: "⏳ not done yet"}[self.passed]
        return f"{self.name}: {mark}\n{self.message}"


NOT_DONE = "Replace the `raise NotImplementedError` with your code, then run the cell again."
# Problems that say the values are right (and something else is not): the case's hint is about values, so not said.
_RIGHT_BUT = "right, but"
# Said only if the check itself trips over an answer; the tests make sure no answer gets here.
_CHECK_FAILED = "the check could not judge this answer"


def not_a_function(name: str, answer: Any) -> Feedback:
    """The verdict for an answer that should have been a function (e.g. a forgotten ``def``)."""
    return Feedback(name, False, f"expected a function, got {type(answer).__name__}")


# --- describing values --------------------------------------------------------------------------------------------
def describe(value: Any) -> str:
    """A short, safe description of anything a learner's function may return."""
    try:
        if isinstance(value, np.ndarray):
            body = np.array2string(value, precision=4, threshold=12, edgeitems=2, suppress_small=True)
            text = f"array of shape {value.shape}, dtype {value.dtype}: {body}"
        elif isinstance(value, (bool, np.bool_)):
            text = f"the bool {bool(value)}"
        elif isinstance(value, (float, np.floating)):
            text = f"{float(value):.6g}"
        elif isinstance(value, (int, np.integer)):
            text = str(int(value))
        else:
            text = repr(value)
    except Exception:  # a learner's object whose repr fails
        text = f"a {type(value).__name__} object"
    return text if len(text) <= 300 else text[:300] + " ..."


def _two_numbers(expected: float, got: float) -> tuple[str, str]:
    """Both numbers with the fewest significant digits (at least 6) that show they differ."""
    for digits in range(6, 18):
        e, g = f"{expected:.{digits}g}", f"{got:.{digits}g}"
        if e != g:
            return e, g
    return repr(expected), repr(got)


def _is_whole(value: Any) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))


# --- comparing a result with the expected one ---------------------------------------------------------------------
def _compare_arrays(got: Any, expected: Any, rtol: float, atol: float) -> str:
    if got is None or (isinstance(got, (list, tuple)) and any(v is None for v in got)):
        return "your function returned None: did you forget `return`?"
    try:
        if np.iscomplexobj(got):
            return f"expected real numbers, got complex ones: {describe(got)}"
        g = np.asarray(got, dtype=np.float64)
    except Exception:  # a string, a ragged list, an object NumPy cannot read as numbers
        return f"expected {describe(expected)}, got {describe(got)}"
    e = np.asarray(expected, dtype=np.float64)
    if g.shape != e.shape:
        return f"expected shape {e.shape}, got shape {g.shape}"
    close = np.isclose(g, e, rtol=rtol, atol=atol, equal_nan=True)
    if not close.all():
        wrong = ~close
        nonfinite = wrong & ~np.isfinite(g)
        if nonfinite.any():  # nan or inf where a number was expected: show the first one
            where = np.argwhere(nonfinite)[0]
        else:  # the entry furthest outside the tolerance
            excess = np.where(wrong, np.abs(g - e) / (atol + rtol * np.abs(e)), -1.0)
            where = np.unravel_index(int(np.argmax(excess)), g.shape)
        where = tuple(int(i) for i in where)
        if isinstance(expected, np.ndarray) and expected.dtype == bool:
            got_item = np.asarray(got)[where]
            exp_s, got_s = str(bool(e[where])), str(bool(got_item)) if got_item.dtype == bool else describe(got_item)
        else:
            exp_s, got_s = _two_numbers(float(e[where]), float(g[where]))
        at = f" at index {where}" if g.shape else ""
        message = f"expected {exp_s}, got {got_s}{at}"
        if not np.isfinite(g[where]):
            message = f"the result contains {got_s}{at} (expected {exp_s})"
        if g.size > 1:
            message += f"; {int(wrong.sum())} of {g.size} entries differ"
            # As the learner gave them (a bool mask shown as bool, not as the float64 it was compared in).
            shown_e, shown_g = describe(np.asarray(expected)), describe(np.asarray(got))
            if shown_e != shown_g:  # the whole arrays, unless they look alike at 4 digits
                message += f"\n  expected {shown_e}\n  got      {shown_g}"
        return message
    if isinstance(expected, np.ndarray) and expected.dtype == bool and np.asarray(got).dtype != bool:
        return (f"the values are right, but the dtype is {np.asarray(got).dtype}: return booleans (dtype bool), "
                "as a comparison such as i >= j gives, which is what masks and np.where expect")
    return ""


def _compare(got: Any, expected: Any, rtol: float, atol: float, parts: Sequence[str] | None = None) -> str:
    """'' when ``got`` matches ``expected``, else what differs (never raises)."""
    if isinstance(expected, tuple) and parts is None and not any(isinstance(e, np.ndarray) for e in expected):
        # A tuple of plain values (a shape) is judged whole; numbers within tolerance, whole numbers exactly.
        same = (isinstance(got, tuple) and len(got) == len(expected)
                and all(not _compare(g, e, rtol, atol) for g, e in zip(got, expected)))
        return "" if same else f"expected {expected!r}, got {describe(got)}"
    if isinstance(expected, tuple):
        names = list(parts) if parts is not None else [f"item {i}" for i in range(len(expected))]
        what = f"({', '.join(names)})"
        if got is None:
            return f"your function returned None: did you forget `return {', '.join(names)}`?"
        sequence = isinstance(got, (tuple, list)) or (isinstance(got, np.ndarray) and got.ndim >= 1)
        if not sequence or len(got) != len(expected):
            return f"expected {len(expected)} results {what}, got {describe(got)}"
        for name, g, e in zip(names, got, expected):
            problem = _compare(g, e, rtol, atol)
            if problem:
                return f"{name}: {problem}"
        return ""
    if _is_whole(expected) and not isinstance(got, np.ndarray):
        if _is_whole(got):
            return "" if int(got) == int(expected) else f"expected {int(expected)}, got {int(got)}"
        if isinstance(got, (float, np.floating)) and float(got) == int(expected):
            return (f"the value is right, but it is the float {float(got)!r}, not the int {int(expected)}: "
                    "a count is a whole number, so return an int (e.g. int(...) of your result; / always gives a float)")
        if got is None:
            return "your function returned None: did you forget `return`?"
        return f"expected {int(expected)} (an int), got {describe(got)}"
    if isinstance(expected, (np.ndarray, float, np.floating)) or (_is_whole(expected) and isinstance(got, np.ndarray)):
        return _compare_arrays(got, expected, rtol, atol)
    try:
        same = bool(got == expected)
    except Exception:  # an array compared with a plain value, or an object whose == fails
        same = False
    return "" if same else f"expected {describe(expected)}, got {describe(got)}"


# --- running functions ----------------------------------------------------------------------------------------------
# Floating-point trouble is reported in the feedback, never as a warning: either quietly
# (inf/nan are then compared like any wrong value) or raised, for "stable" exercises.
_QUIET = dict(all="ignore")
_OVERFLOW_RAISES = dict(over="raise", invalid="raise", divide="ignore", under="ignore")


def _copy(value: Any) -> Any:
    return value.copy() if isinstance(value, np.ndarray) else value


@dataclass
class _Outcome:
    value: Any = None
    error: BaseException | None = None
    changed: str = ""  # which argument the call changed in place, if any


def _argument_names(f: Callable[..., Any], count: int) -> list[str]:
    """The names of ``f``'s first ``count`` positional parameters ('' where it has none, as with ``*args``)."""
    try:
        names = [p.name for p in inspect.signature(f).parameters.values()
                 if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        names = []
    return (names + [""] * count)[:count]


def _change(before: np.ndarray, after: np.ndarray, name: str) -> str:
    """'' if ``after`` still equals ``before`` exactly, else where it changed."""
    if after.shape != before.shape or after.dtype != before.dtype:
        return f"`{name}` now has shape {after.shape} and dtype {after.dtype}"
    try:
        same = np.asarray(after == before) | (np.isnan(after) & np.isnan(before) if after.dtype.kind in "fc" else False)
    except Exception:  # arrays of objects that cannot be compared: nothing we can say
        return ""
    if same.all():
        return ""
    where = tuple(int(i) for i in np.argwhere(~same)[0])
    index = f"[{', '.join(map(str, where))}]" if where else ""
    if before.dtype.kind == "f":
        was, now = repr(float(before[where])), repr(float(after[where]))
    else:
        was, now = repr(before[where].item()), repr(after[where].item())
    text = f"{name}{index} was {was} and is {now} after the call"
    if before.dtype.kind == "f" and np.isclose(after[where], before[where], rtol=1e-12, atol=0.0):
        text += (" (adding a number and subtracting it again does not always give back the same float: "
                 "save old = w[i] before and set w[i] = old after)").replace("w[i]", f"{name}[i]")
    return text


def _run(f: Callable[..., Any], case: Case, errstate: dict[str, str], names: Sequence[str] = ()) -> _Outcome:
    """``f`` on fresh copies of the case's arguments; what it returned or raised, and what it changed."""
    args = tuple(map(_copy, case.args))
    try:
        with np.errstate(**errstate):
            value = f(*args, **case.kwargs)
    except NotImplementedError as exc:
        return _Outcome(error=exc)
    except Exception as exc:  # the learner's bug is the message, not a crash
        return _Outcome(error=exc)
    changed = ""
    arrays = [(i, a) for i, a in enumerate(case.args) if isinstance(a, np.ndarray)]
    if arrays:
        names = [n if n else f"argument {i + 1}" for i, n in enumerate(names or _argument_names(f, len(case.args)))]
        for i, original in arrays:
            if isinstance(args[i], np.ndarray):
                changed = _change(original, args[i], names[i])
                if changed:
                    break
    return _Outcome(value=value, changed=changed)


def _has_nonfinite(value: Any) -> bool:
    """Whether a result holds nan or inf (anywhere, tuples included)."""
    parts = value if isinstance(value, (tuple, list)) else (value,)
    for part in parts:
        try:
            if not np.all(np.isfinite(np.asarray(part, dtype=np.float64))):
                return True
        except Exception:  # not numbers at all
            continue
    return False


def _matches(learner: _Outcome, mistake: _Outcome, rtol: float, atol: float) -> bool | None:
    """Whether the learner's outcome on a case is the mistake's: True, False, or None (no evidence).

    A mistake written plainly may overflow where the learner's version of the same
    mistake does not (a softmax over the whole batch, with or without the max shift):
    where the mistake's own result holds nan or inf and the learner's differs, the case
    says nothing either way. An error must be the same error.
    """
    if mistake.error is not None:
        return (learner.error is not None and type(learner.error) is type(mistake.error)
                and str(learner.error) == str(mistake.error))
    if learner.error is not None:
        return False
    if not _compare(learner.value, mistake.value, rtol, atol):
        return True
    return None if _has_nonfinite(mistake.value) else False


def _error_text(exc: BaseException) -> str:
    if isinstance(exc, FloatingPointError):
        return f"your function overflowed ({exc})"
    return f"your function raised {type(exc).__name__}: {exc}"


# --- the checks -----------------------------------------------------------------------------------------------------
def check_function(name: str, learner: Callable[..., Any], reference: Callable[..., Any], cases: Sequence[Case], *,
                   mistakes: Sequence[Mistake] = (), parts: Sequence[str] | None = None,
                   judge: Callable[[Any, Any], str] | None = None, rtol: float = 1e-6, atol: float = 1e-8,
                   overflow_is_error: bool = False) -> Feedback:
    """Run ``learner`` and ``reference`` on every case, compare, and name the mistake if one is recognised.

    Parameters
    ----------
    name : str
        The exercise's name, shown in the feedback.
    learner : callable
        The reader's function.
    reference : callable
        The right answer, computed from dlbook's own modules or from the definition
        (never from ``dlbook.solutions``).
    cases : sequence of Case
        Ordered from simple to tricky: the first failing case is reported.
    mistakes : sequence of Mistake
        Typical wrong answers, tried in order. The first one that explains the learner's
        result on every case (the same values, or the same error) is named, in place of
        the failing case's hint. A case where the mistake's own result holds nan or inf
        and the learner's differs counts neither way, so a plainly written mistake also
        recognises the learner's overflow-safe version of it.
    parts : sequence of str, optional
        Names of the parts of a tuple result, e.g. ``("dx", "dW", "db")``.
    judge : callable, optional
        ``judge(got, expected) -> problem`` ('' if right) in place of comparing values,
        for answers that can be right in many ways (any XOR network, any shuffle).
    rtol, atol : float
        Tolerances for numbers and arrays.
    overflow_is_error : bool
        Treat an overflow or an invalid operation (inf − inf, 0/0) inside the learner's
        code as a failure even when the returned values happen to be right: the lesson
        of a "stable" exercise is to never overflow.

    Returns
    -------
    Feedback
        Never raises, whatever ``learner`` is or does.
    """
    if not callable(learner):
        return not_a_function(name, learner)
    errstate = _OVERFLOW_RAISES if overflow_is_error else _QUIET
    try:
        with warnings.catch_warnings():
            # Comparing whatever came back (strings, objects) must not warn; the learner's own
            # floating-point trouble is handled by errstate above.
            warnings.simplefilter("ignore")
            return _check(name, learner, reference, cases, mistakes, parts, judge, rtol, atol, errstate)
    except Exception as exc:  # a safety net: the tests make sure no answer reaches it
        return Feedback(name, False, f"{_CHECK_FAILED} ({type(exc).__name__}: {exc}); look at what your function returns.")


def _check(name, learner, reference, cases, mistakes, parts, judge, rtol, atol, errstate) -> Feedback:
    def problem_of(outcome: _Outcome, expected: Any) -> str:
        if outcome.error is not None:
            return _error_text(outcome.error)
        if judge is not None:
            return judge(outcome.value, expected)
        return _compare(outcome.value, expected, rtol, atol, parts)

    outcomes = []
    for case in cases:
        # Name an argument the learner changed by the learner's own name for it, else the reference's.
        count = len(case.args)
        names = [a or b for a, b in zip(_argument_names(learner, count), _argument_names(reference, count))]
        outcome = _run(learner, case, errstate, names)
        if isinstance(outcome.error, NotImplementedError):
            return Feedback(name, None, NOT_DONE)
        outcomes.append(outcome)
    failing = None
    right = []  # whether the learner's values are right on each case
    for case, outcome in zip(cases, outcomes):
        with np.errstate(**_QUIET):
            expected = reference(*map(_copy, case.args), **case.kwargs)
        problem = problem_of(outcome, expected)
        right.append(not problem)
        if not problem and outcome.changed:
            problem = (f"the result is right, but your function changed its input in place: {outcome.changed}. "
                       "Leave the arrays you are given as you found them (work on a copy, or put back exactly "
                       "what you changed)")
        if problem and failing is None:
            failing = (case, problem)
    if failing is None:
        return Feedback(name, True, f"all {len(cases)} cases match, including: {', '.join(c.label for c in cases)}.")
    case, problem = failing
    message = f"case '{case.label}': {problem}"
    for mistake in mistakes:
        # The mistake must explain the learner's result on every case where it says anything,
        # including at least one case the learner gets wrong.
        verdicts = [_matches(outcome, _run(mistake.does, c, errstate), rtol, atol) for c, outcome in zip(cases, outcomes)]
        if False not in verdicts and any(v and not ok for v, ok in zip(verdicts, right)):
            return Feedback(name, False, f"{message}\nIt looks like {mistake.says}.")
    return Feedback(name, False, message + (f"\nHint: {case.hint}" if case.hint and _RIGHT_BUT not in problem else ""))


def check_value(name: str, answer: Any, expected: Any, *, mistakes: Sequence[tuple[Any, str]] = (), hint: str = "",
                rtol: float = 1e-6, atol: float = 1e-8) -> Feedback:
    """Check a single predicted number, shape or array (for "predict, then check" exercises).

    ``answer`` left as ``None`` or ``...`` counts as not done yet. ``mistakes`` pairs a
    typical wrong answer with what it says ("It looks like ..."); ``hint`` is said when
    none matches.
    """
    if answer is None or answer is Ellipsis:
        return Feedback(name, None, "Fill in your answer, then run the cell again.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            problem = _compare(answer, expected, rtol, atol)
            if not problem:
                return Feedback(name, True, f"{describe(expected)} is right.")
            for wrong, says in mistakes:
                if not _compare(answer, wrong, rtol, atol):
                    return Feedback(name, False, f"{problem}\nIt looks like {says}.")
    except Exception as exc:  # a safety net: the tests make sure no answer reaches it
        return Feedback(name, False, f"{_CHECK_FAILED} ({type(exc).__name__}: {exc}).")
    return Feedback(name, False, problem + (f"\nHint: {hint}" if hint and _RIGHT_BUT not in problem else ""))


def show_solution(solution: Callable[..., Any]) -> SourceView:
    """A solution's source, folded: the reader clicks to open it."""
    return show_source(solution, folded=True)
