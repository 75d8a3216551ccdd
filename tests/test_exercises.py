"""What every exercise check in every chapter must do, found by name.

For each ``dlbook.exercises.<chapter>.check_<name>`` whose solution is
``dlbook.solutions.<chapter>.<name>``: the solution passes; an unfinished stub is
"not done yet"; something that is not a function, or a function that raises,
gets a verdict of failure that says why and never an exception. The chapter files
``test_exercises_<chapter>.py`` test the mistakes each check must recognise.
"""
from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import dlbook.exercises


def _exercises() -> list[tuple[str, object, object]]:
    found = []
    for info in pkgutil.iter_modules(dlbook.exercises.__path__):
        if info.name == "checking":
            continue
        checks = importlib.import_module(f"dlbook.exercises.{info.name}")
        solutions = importlib.import_module(f"dlbook.solutions.{info.name}")
        for name, check in inspect.getmembers(checks, inspect.isfunction):
            if name.startswith("check_") and check.__module__ == checks.__name__:
                solution = getattr(solutions, name[len("check_"):], None)
                if callable(solution):  # value checks (predict, then check) are tested per chapter
                    found.append((f"{info.name}.{name}", check, solution))
    return found


EXERCISES = _exercises()


def test_every_chapter_has_three_to_five_exercises():
    chapters = {key.split(".")[0] for key, _, _ in EXERCISES}
    assert len(chapters) == 9, sorted(chapters)
    for chapter in chapters:
        count = sum(key.startswith(chapter + ".") for key, _, _ in EXERCISES)
        # structure has two more, value checks: 3 + 2
        assert 3 <= count <= 5, (chapter, count)


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


@pytest.mark.parametrize("key,check,solution", EXERCISES, ids=[e[0] for e in EXERCISES])
def test_bad_answers_get_a_verdict_not_an_exception(key, check, solution):
    not_a_function = check(42)
    assert not_a_function.passed is False and "expected a function" in not_a_function.message
    raising = check(lambda *args, **kwargs: 1 / 0)
    assert raising.passed is False and "ZeroDivisionError" in raising.message
