"""The package's layers (CONTRIBUTING.md, "Architecture"): imports only point down."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "dlbook"
PLUMBING = {"rng", "_checks", "display", "i18n"}
CORE = {"module", "losses", "layers", "optim", "gradcheck", "fast"}
CHAPTER_MODULES = {"activations", "softmax", "perceptron", "dropout", "normalization", "attention", "transformer",
                   "training", "translator"}


def imports(path: Path) -> tuple[set[str], set[str]]:
    """(dlbook modules imported, by their first name under dlbook; other top-level packages imported)."""
    inner, outer = set(), set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level > 0:
            depth = len(path.relative_to(PACKAGE).parts) - 1  # 0 for dlbook/x.py, 1 for dlbook/data/x.py
            parts = (node.module or "").split(".")
            if node.level - 1 == depth and parts[0]:
                inner.add(parts[0])
            elif node.level - 1 < depth:
                inner.add(path.parent.name)
        elif isinstance(node, ast.ImportFrom):
            outer.add(node.module.split(".")[0])
        elif isinstance(node, ast.Import):
            outer |= {alias.name.split(".")[0] for alias in node.names}
    return inner, outer


@pytest.mark.parametrize("name", sorted(PLUMBING | CORE))
def test_plumbing_and_core_know_no_chapter_module(name):
    inner, outer = imports(PACKAGE / f"{name}.py")
    allowed = PLUMBING if name in PLUMBING else PLUMBING | CORE
    assert inner <= allowed, f"{name} imports {sorted(inner - allowed)}"
    assert not outer & {"matplotlib", "IPython"}


@pytest.mark.parametrize("name", sorted(CHAPTER_MODULES))
def test_chapter_modules_never_import_figures_exercises_or_solutions(name):
    inner, outer = imports(PACKAGE / f"{name}.py")
    assert not inner & {"plotting", "exercises", "solutions"}
    assert not outer & {"matplotlib", "IPython"}


# The imports between chapter modules that CONTRIBUTING.md allows, and no others.
CHAPTER_IMPORTS = {"translator": {"transformer", "attention", "training", "softmax"},
                   "transformer": {"attention", "normalization", "activations"},
                   "activations": {"softmax"}}


@pytest.mark.parametrize("name", sorted(CHAPTER_MODULES))
def test_chapter_modules_import_each_other_only_as_documented(name):
    inner, _ = imports(PACKAGE / f"{name}.py")
    assert inner & CHAPTER_MODULES <= CHAPTER_IMPORTS.get(name, set()), \
        f"{name} imports {sorted(inner & CHAPTER_MODULES - CHAPTER_IMPORTS.get(name, set()))}"


@pytest.mark.parametrize("path", sorted((PACKAGE / "data").glob("*.py")), ids=lambda p: p.name)
def test_data_sets_need_numpy_and_rng_only(path):
    inner, outer = imports(path)
    assert inner <= {"rng", "data"} and outer <= {"numpy", "__future__", "typing", "collections", "dataclasses",
                                                    "itertools", "gzip", "hashlib", "io", "importlib"}


CHAPTERS = sorted(p.stem.split("_", 1)[1] for p in (PACKAGE.parent / "chapters").glob("[0-9][0-9]_*.ipynb"))
GENERAL_FIGURES = {"files", "fonts", "lines", "matrices", "networks"}


def modules(folder: str) -> set[str]:
    return {p.stem for p in (PACKAGE / folder).glob("*.py") if p.stem != "__init__"}


def test_one_name_per_chapter_across_exercises_solutions_and_figures():
    # A chapter's exercises and solutions share a name, which is the chapter's library module
    # (chapter 09 "epochs" is `training`) or, for a chapter built on the core alone, the chapter's own.
    exercises = modules("exercises") - {"checking"}
    assert exercises == modules("solutions")
    assert exercises <= CHAPTER_MODULES | set(CHAPTERS), sorted(exercises - CHAPTER_MODULES - set(CHAPTERS))
    # A figure module is general or named like the chapter module whose figures it draws.
    chapter_figures = modules("plotting") - GENERAL_FIGURES
    assert chapter_figures <= exercises, f"plotting modules named after no chapter: {sorted(chapter_figures - exercises)}"


def test_no_exercise_or_solution_makes_its_own_generator():
    # One way to make a random generator: dlbook.rng.as_rng (data sets, exercises and solutions included).
    for folder in ("exercises", "solutions", "data", "plotting"):
        for path in (PACKAGE / folder).glob("*.py"):
            assert "default_rng" not in path.read_text(encoding="utf-8"), f"{path.name} calls default_rng; use as_rng"


def test_dl_offers_learners_names_not_plumbing():
    import dlbook as dl

    offered = set(dir(dl))
    assert not offered & {"fast", "i18n", "rng", "_checks", "display", "ModuleType"}
    assert {"Linear", "fit", "train_step", "data", "translator", "attention"} <= offered
    assert all(hasattr(dl, name) for name in dl.__all__)
    assert not [name for name in offered if "bench" in name.lower()]
    from dlbook import fast  # still importable for who wants it
    assert fast.ENABLED
