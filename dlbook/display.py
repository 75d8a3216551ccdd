"""Show a dlbook object's source code in a notebook, highlighted.

Chapters display the library's code with ``dl.show_source(dl.Linear)`` instead of
pasting a copy, so the code the reader studies is the code the tests check.
"""
from __future__ import annotations

import html
import inspect
from typing import Any

from .i18n import gettext as _

__all__ = ["show_source", "SourceView"]


class SourceView:
    """Source code that renders as highlighted HTML in Jupyter and as plain text elsewhere.

    Parameters
    ----------
    code : str
        The source text.
    title : str
        A heading such as ``"dlbook/layers.py: class Linear"`` (a path inside the package, never a machine path).
    folded : bool
        Render inside a closed ``<details>`` element the reader opens with a click
        (used for exercise solutions).
    """

    def __init__(self, code: str, title: str, folded: bool = False) -> None:
        self.code = code
        self.title = title
        self.folded = folded

    def __repr__(self) -> str:
        return f"# {self.title}\n{self.code}"

    def _repr_html_(self) -> str:
        try:
            from pygments import highlight
            from pygments.formatters import HtmlFormatter
            from pygments.lexers import PythonLexer

            body = highlight(self.code, PythonLexer(), HtmlFormatter(noclasses=True, style="default", nowrap=False))
        except ImportError:  # pygments comes with Jupyter; plain text is a fine fallback
            body = f"<pre>{html.escape(self.code)}</pre>"
        title = html.escape(self.title)
        if self.folded:
            hint = html.escape(_("(click to open)"))
            return f"<details><summary><b>{title}</b> {hint}</summary>{body}</details>"
        return f"<div><p style='margin:0'><code>{title}</code></p>{body}</div>"


def _where(obj: Any) -> str:
    """``dlbook/layers.py``-style location of an object, relative to the package."""
    module = inspect.getmodule(obj)
    name = module.__name__ if module is not None else "?"
    path = name.replace(".", "/") + ".py"
    return path


def show_source(obj: Any, folded: bool = False) -> SourceView:
    """Return the source of a dlbook function, class or method for display.

    Parameters
    ----------
    obj : function, class, method or module
    folded : bool
        Hide the code behind a click (for solutions).

    Examples
    --------
    >>> dl.show_source(dl.Linear.backward)
    """
    target = obj.fget if isinstance(obj, property) else obj
    try:
        lines, start = inspect.getsourcelines(target)
    except (TypeError, OSError) as exc:
        raise TypeError(f"show_source needs a Python function, class, method or module, got {type(obj).__name__}") from exc
    # A method is indented inside its class: remove the common indentation.
    indent = min((len(line) - len(line.lstrip()) for line in lines if line.strip()), default=0)
    code = "".join(line[indent:] if line.strip() else "\n" for line in lines)
    kind = "class" if inspect.isclass(target) else "module" if inspect.ismodule(target) else "def"
    label = getattr(target, "__qualname__", getattr(target, "__name__", ""))
    # No line numbers in the title: they would change the stored output of every notebook
    # that shows this object whenever code above it moves.
    title = f"{_where(target)}: {kind} {label}" if start else _where(target)
    return SourceView(code.rstrip() + "\n", title, folded)
