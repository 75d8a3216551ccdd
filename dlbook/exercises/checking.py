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

Every sentence of the feedback goes through :func:`dlbook.i18n._`, so the Korean edition
reads it in Korean (``dlbook/locale/ko.po``). The chapters' checks build their cases and
mistakes when they run, not at import, so their texts follow the edition too.
"""
from __future__ import annotations

import inspect
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..display import SourceView, show_source
from ..i18n import gettext as _

__all__ = ["Case", "Feedback", "Mistake", "check_function", "check_value", "describe", "not_a_function", "show_solution"]


@dataclass
class Case:
    """One input to try.

    Attributes
    ----------
    label : str
        What the case is about, shown in the feedback ("large logits", "batch of 1"),
        already translated: ``Case(_("large logits"), ...)``.
    args : tuple
        Positional arguments for every function tried (arrays are copied before each call).
    kwargs : dict
    hint : str
        Said when this case is the first to fail and no known mistake matches (translated, like the label).
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
        Completes "It looks like ...", e.g. "you divided by p instead of 1 − p" (translated:
        ``Mistake(_("you divided by p instead of 1 − p"), ...)``).
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
        if self.passed is True:
            mark = _("✅ correct")
        elif self.passed is False:
            mark = _("❌ not yet right")
        else:
            mark = _("⏳ not done yet")
        return f"{self.name}: {mark}\n{self.message}"


# Said only if the check itself trips over an answer; the tests make sure no answer gets here.
_CHECK_FAILED = "the check could not judge this answer"


class _ValuesRight(str):
    """A problem that says the values are right and something else is not (dtype, int, input changed).

    The case's hint is about values, so it is not added to such a problem.
    """


def _prefixed(prefix: str, problem: str) -> str:
    """``prefix: problem``, still a :class:`_ValuesRight` if ``problem`` was one."""
    return type(problem)(f"{prefix}: {problem}")


def not_a_function(name: str, answer: Any) -> Feedback:
    """The verdict for an answer that should have been a function (e.g. a forgotten ``def``)."""
    return Feedback(name, False, _("expected a function, got {kind}").format(kind=type(answer).__name__))


# --- describing values --------------------------------------------------------------------------------------------
def describe(value: Any) -> str:
    """A short, safe description of anything a learner's function may return."""
    try:
        if isinstance(value, np.ndarray):
            body = np.array2string(value, precision=4, threshold=12, edgeitems=2, suppress_small=True)
            text = _("array of shape {shape}, dtype {dtype}: {values}").format(shape=value.shape, dtype=value.dtype,
                                                                              values=body)
        elif isinstance(value, (bool, np.bool_)):
            text = _("the bool {value}").format(value=bool(value))
        elif isinstance(value, (float, np.floating)):
            text = f"{float(value):.6g}"
        elif isinstance(value, (int, np.integer)):
            text = str(int(value))
        else:
            text = repr(value)
    except Exception:  # a learner's object whose repr fails
        text = _("a {kind} object").format(kind=type(value).__name__)
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


def _expected_got(expected: str, got: str) -> str:
    return _("expected {expected}, got {got}").format(expected=expected, got=got)


def _returned_none(names: str = "") -> str:
    if names:
        return _("your function returned None: did you forget `return {names}`?").format(names=names)
    return _("your function returned None: did you forget `return`?")


# --- comparing a result with the expected one ---------------------------------------------------------------------
def _compare_arrays(got: Any, expected: Any, rtol: float, atol: float) -> str:
    if got is None or (isinstance(got, (list, tuple)) and any(v is None for v in got)):
        return _returned_none()
    try:
        if np.iscomplexobj(got):
            return _("expected real numbers, got complex ones: {got}").format(got=describe(got))
        g = np.asarray(got, dtype=np.float64)
    except Exception:  # a string, a ragged list, an object NumPy cannot read as numbers
        return _expected_got(describe(expected), describe(got))
    e = np.asarray(expected, dtype=np.float64)
    if g.shape != e.shape:
        return _("expected shape {expected}, got shape {got}").format(expected=e.shape, got=g.shape)
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
        fields = dict(expected=exp_s, got=got_s, index=where)
        if not np.isfinite(g[where]):
            message = (_("the result contains {got} at index {index} (expected {expected})") if g.shape
                       else _("the result contains {got} (expected {expected})")).format(**fields)
        else:
            message = (_("expected {expected}, got {got} at index {index}") if g.shape
                       else _("expected {expected}, got {got}")).format(**fields)
        if g.size > 1:
            message += _("; {wrong} of {size} entries differ").format(wrong=int(wrong.sum()), size=g.size)
            # As the learner gave them (a bool mask shown as bool, not as the float64 it was compared in).
            shown_e, shown_g = describe(np.asarray(expected)), describe(np.asarray(got))
            if shown_e != shown_g:  # the whole arrays, unless they look alike at 4 digits
                message += _("\n  expected {expected}\n  got      {got}").format(expected=shown_e, got=shown_g)
        return message
    if isinstance(expected, np.ndarray) and expected.dtype == bool and np.asarray(got).dtype != bool:
        return _ValuesRight(_("the values are right, but the dtype is {dtype}: return booleans (dtype bool), as a "
                              "comparison such as i >= j gives, which is what masks and np.where expect")
                            .format(dtype=np.asarray(got).dtype))
    return ""


def _compare(got: Any, expected: Any, rtol: float, atol: float, parts: Sequence[str] | None = None) -> str:
    """'' when ``got`` matches ``expected``, else what differs (never raises)."""
    if isinstance(expected, tuple) and parts is None and not any(isinstance(e, np.ndarray) for e in expected):
        # A tuple of plain values (a shape) is judged whole; numbers within tolerance, whole numbers exactly.
        same = (isinstance(got, tuple) and len(got) == len(expected)
                and all(not _compare(g, e, rtol, atol) for g, e in zip(got, expected)))
        return "" if same else _expected_got(repr(expected), describe(got))
    if isinstance(expected, tuple):
        names = list(parts) if parts is not None else [_("item {i}").format(i=i) for i in range(len(expected))]
        if got is None:
            return _returned_none(", ".join(names))
        sequence = isinstance(got, (tuple, list)) or (isinstance(got, np.ndarray) and got.ndim >= 1)
        if not sequence or len(got) != len(expected):
            return _("expected {count} results ({names}), got {got}").format(count=len(expected),
                                                                             names=", ".join(names), got=describe(got))
        for name, g, e in zip(names, got, expected):
            problem = _compare(g, e, rtol, atol)
            if problem:
                return _prefixed(name, problem)
        return ""
    if _is_whole(expected) and not isinstance(got, np.ndarray):
        if _is_whole(got):
            return "" if int(got) == int(expected) else _expected_got(str(int(expected)), str(int(got)))
        if isinstance(got, (float, np.floating)) and float(got) == int(expected):
            return _ValuesRight(_("the value is right, but it is the float {got}, not the int {expected}: a count is a "
                                  "whole number, so return an int (e.g. int(...) of your result; / always gives a "
                                  "float)").format(got=repr(float(got)), expected=int(expected)))
        if got is None:
            return _returned_none()
        return _("expected {expected} (an int), got {got}").format(expected=int(expected), got=describe(got))
    if isinstance(expected, (np.ndarray, float, np.floating)) or (_is_whole(expected) and isinstance(got, np.ndarray)):
        return _compare_arrays(got, expected, rtol, atol)
    try:
        same = bool(got == expected)
    except Exception:  # an array compared with a plain value, or an object whose == fails
        same = False
    return "" if same else _expected_got(describe(expected), describe(got))


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
        return _("`{name}` now has shape {shape} and dtype {dtype}").format(name=name, shape=after.shape,
                                                                          dtype=after.dtype)
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
    text = _("{name} was {was} and is {now} after the call").format(name=f"{name}{index}", was=was, now=now)
    if before.dtype.kind == "f" and np.isclose(after[where], before[where], rtol=1e-12, atol=0.0):
        text += _(" (adding a number and subtracting it again does not always give back the same float: save "
                  "old = {item} before and set {item} = old after)").format(item=f"{name}[i]")
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
        names = [n if n else _("argument {i}").format(i=i + 1)
                 for i, n in enumerate(names or _argument_names(f, len(case.args)))]
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
        return _("your function overflowed ({error})").format(error=exc)
    return _("your function raised {kind}: {error}").format(kind=type(exc).__name__, error=exc)


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
        return Feedback(name, False, _("the check could not judge this answer ({kind}: {error}); look at what your "
                                       "function returns.").format(kind=type(exc).__name__, error=exc))


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
            return Feedback(name, None, _("Replace the `raise NotImplementedError` with your code, then run the cell "
                                          "again."))
        outcomes.append(outcome)
    failing = None
    right = []  # whether the learner's values are right on each case
    for case, outcome in zip(cases, outcomes):
        with np.errstate(**_QUIET):
            expected = reference(*map(_copy, case.args), **case.kwargs)
        problem = problem_of(outcome, expected)
        right.append(not problem)
        if not problem and outcome.changed:
            problem = _ValuesRight(_("the result is right, but your function changed its input in place: {change}. "
                                     "Leave the arrays you are given as you found them (work on a copy, or put back "
                                     "exactly what you changed)").format(change=outcome.changed))
        if problem and failing is None:
            failing = (case, problem)
    if failing is None:
        return Feedback(name, True, _("all {count} cases match, including: {labels}.").format(
            count=len(cases), labels=", ".join(c.label for c in cases)))
    case, problem = failing
    message = _("case '{label}': {problem}").format(label=case.label, problem=problem)
    for mistake in mistakes:
        # The mistake must explain the learner's result on every case where it says anything,
        # including at least one case the learner gets wrong.
        verdicts = [_matches(outcome, _run(mistake.does, c, errstate), rtol, atol) for c, outcome in zip(cases, outcomes)]
        if False not in verdicts and any(v and not ok for v, ok in zip(verdicts, right)):
            return Feedback(name, False, _looks_like(message, mistake.says))
    return Feedback(name, False, _with_hint(message, case.hint, problem))


def _looks_like(problem: str, says: str) -> str:
    return _("{problem}\nIt looks like {says}.").format(problem=problem, says=says)


def _with_hint(message: str, hint: str, problem: str) -> str:
    """``message`` and the hint, unless there is none or the problem says the values are right."""
    if not hint or isinstance(problem, _ValuesRight):
        return message
    return _("{problem}\nHint: {hint}").format(problem=message, hint=hint)


def check_value(name: str, answer: Any, expected: Any, *, mistakes: Sequence[tuple[Any, str]] = (), hint: str = "",
                rtol: float = 1e-6, atol: float = 1e-8) -> Feedback:
    """Check a single predicted number, shape or array (for "predict, then check" exercises).

    ``answer`` left as ``None`` or ``...`` counts as not done yet. ``mistakes`` pairs a
    typical wrong answer with what it says ("It looks like ..."); ``hint`` is said when
    none matches.
    """
    if answer is None or answer is Ellipsis:
        return Feedback(name, None, _("Fill in your answer, then run the cell again."))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            problem = _compare(answer, expected, rtol, atol)
            if not problem:
                return Feedback(name, True, _("{expected} is right.").format(expected=describe(expected)))
            for wrong, says in mistakes:
                if not _compare(answer, wrong, rtol, atol):
                    return Feedback(name, False, _looks_like(problem, says))
    except Exception as exc:  # a safety net: the tests make sure no answer reaches it
        return Feedback(name, False, _("the check could not judge this answer ({kind}: {error}).").format(
            kind=type(exc).__name__, error=exc))
    return Feedback(name, False, _with_hint(problem, hint, problem))


def show_solution(solution: Callable[..., Any]) -> SourceView:
    """A solution's source, folded: the reader clicks to open it."""
    return show_source(solution, folded=True)
