"""Exercises with automatic feedback: one module of checks per chapter.

In a chapter: ``from dlbook.exercises import activations as ex`` then
``ex.check_leaky_relu(my_leaky_relu)``; the solutions live once, in ``dlbook.solutions``,
and ``show_solution`` displays one folded.
"""
from .checking import Case, Feedback, Mistake, check_function, check_value, check_with_mistakes, show_solution

__all__ = ["Case", "Feedback", "Mistake", "check_function", "check_value", "check_with_mistakes", "show_solution"]
