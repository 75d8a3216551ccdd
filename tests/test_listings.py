"""Every listing a chapter shows with ``dl.show_source(...)`` is public and plain.

A chapter displays library code so that the text and the code cannot disagree; what it
displays is the form a textbook would print. So each name a chapter passes to
``show_source`` must resolve, have no private (underscore) part, and its source must
neither use a private name of the library nor call one of its speed paths (``dlbook.fast``).
"""
from __future__ import annotations

import ast
import inspect
import json
import re
from pathlib import Path

import pytest

import dlbook as dl

CHAPTERS = Path(__file__).resolve().parent.parent / "chapters"
# `dl.X` or a dlbook module a chapter imported by name (`from dlbook import translator`: `translator.X`).
SHOW = re.compile(r"show_source\(((?:dl|translator)\.[\w.]+)")


def shown_names() -> list[tuple[str, str]]:
    """(chapter, dotted name under ``dl``) for every ``show_source(…)`` of library code in a code cell's source."""
    found = []
    for nb in sorted(CHAPTERS.glob("[0-9][0-9]_*.ipynb")):
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        for cell in cells:
            if cell["cell_type"] == "code":
                found += [(nb.stem, name if name.startswith("dl.") else f"dl.{name}")
                          for name in SHOW.findall("".join(cell["source"]))]
    return found


SHOWN = shown_names()


def resolve(dotted: str) -> object:
    obj: object = dl
    for part in dotted.split(".")[1:]:
        obj = getattr(obj, part)
    return obj


def private_names(source: str) -> set[str]:
    """Identifiers with a leading underscore (dunders and the throwaway ``_`` aside) used or defined in ``source``."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        ident = (node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute)
                 else node.name if isinstance(node, (ast.FunctionDef, ast.ClassDef)) else None)
        if ident and ident.startswith("_") and ident != "_" and not (ident.startswith("__") and ident.endswith("__")):
            names.add(ident)
    return names


def test_the_chapters_show_library_code():
    assert len(SHOWN) >= 30
    assert {chapter for chapter, _ in SHOWN} == {nb.stem for nb in CHAPTERS.glob("[0-9][0-9]_*.ipynb")}


@pytest.mark.parametrize(("chapter", "name"), SHOWN, ids=[f"{c}:{n}" for c, n in SHOWN])
def test_every_shown_name_resolves_and_is_public(chapter, name):
    assert not any(part.startswith("_") for part in name.split(".")), f"{chapter} shows a private name: {name}"
    obj = resolve(name)
    assert inspect.getmodule(obj).__name__.startswith("dlbook.")


@pytest.mark.parametrize(("chapter", "name"), SHOWN, ids=[f"{c}:{n}" for c, n in SHOWN])
def test_every_listing_is_plain(chapter, name):
    source = dl.show_source(resolve(name)).code
    assert not private_names(source), f"{chapter}'s listing of {name} uses private names {private_names(source)}"
    assert "fast." not in source and "dlbook.fast" not in source, f"{name} calls a speed path"
    tricks = [trick for trick, pattern in SPEED_TRICKS.items() if re.search(pattern, source)]
    assert not tricks, f"{chapter}'s listing of {name} uses speed tricks: {tricks}"


# The forms issue 11 took out of the listings, and their kin: each computes a plain reduction or
# update in a roundabout way for speed, which a chapter would have to explain.
SPEED_TRICKS = {
    "a sum as a product with a vector of ones": r"np\.ones\(.*?\)\s*@|@\s*np\.ones\(",
    "a transposed copy to reduce over the first axis": r"moveaxis\(",
    "np.add.at on a flattened table": r"np\.add\.at\([^)]*reshape\(-1\)",
    "a NumPy call writing into out=": r"\bout=",
    "einsum in place of a matrix product": r"einsum\(",
}


@pytest.mark.parametrize(("source", "trick"), [
    ("b = np.ones(len(dy)) @ dy", "a sum as a product with a vector of ones"),
    ("m = np.moveaxis(x, -1, 0).copy().max(axis=0)", "a transposed copy to reduce over the first axis"),
    ("np.add.at(g.reshape(-1), flat, dy.reshape(-1))", "np.add.at on a flattened table"),
    ("np.exp(e, out=e)", "a NumPy call writing into out="),
])
def test_the_trick_patterns_find_the_old_listings(source, trick):
    assert re.search(SPEED_TRICKS[trick], source)
    assert not any(re.search(p, "bias.grad += dy2.sum(axis=0)\nnp.add.at(grad, ids, dy)") for p in SPEED_TRICKS.values())


def test_private_names_finds_calls_attributes_and_definitions():
    assert private_names("def f(self):\n    x = self._saved()\n    return _helper(x)\n") == {"_saved", "_helper"}
    assert private_names("class A(_Base):\n    def _f(self): return self.__class__\n") == {"_Base", "_f"}
    assert private_names("y = x.sum(axis=0)\n") == set()


def test_every_show_source_call_is_a_checked_listing():
    # A listing written some other way (a local alias, a variable) would escape the checks above.
    calls = 0
    for nb in sorted(CHAPTERS.glob("[0-9][0-9]_*.ipynb")):
        for cell in json.loads(nb.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "code":
                calls += len(re.findall(r"show_source\(", "".join(cell["source"])))
    assert calls == len(SHOWN)
