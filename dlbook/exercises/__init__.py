"""Exercises with automatic feedback: one module of checks per chapter.

In a chapter: ``from dlbook.exercises import activations as ex`` then
``ex.check_leaky_relu(my_leaky_relu)``; the solutions live once, in ``dlbook.solutions``,
and ``show_solution`` displays one folded. Every check goes through
:func:`~dlbook.exercises.checking.check_function` (or ``check_value`` for a predicted value).
"""
from .checking import Case, Feedback, Mistake, check_function, check_value, not_a_function, show_solution

__all__ = ["Case", "Feedback", "Mistake", "check_function", "check_value", "not_a_function", "show_solution"]
