"""The Korean edition stays in lockstep with the English one.

``ko/chapters/NN_name.ipynb`` is built from ``chapters/NN_name.ipynb`` and ``ko/po/NN_name.po``
by ``make korean`` (``tools/translate_notebooks.py``). These tests fail when:

- an English markdown cell has no translation, or a stale one (fuzzy, or translating an older
  English than the cell's current source);
- the Korean notebook's cells (ids, order, types), code or metadata differ from the English;
- its markdown differs from what the catalog gives (someone edited the notebook, not the catalog);
- a translation lost a number, link target, code span or math of the English;
- a Korean code cell has never run.

nbval re-executes the Korean chapters like the English ones (``ko/chapters`` is a testpath), so
their stored outputs are checked too. The last tests run the checker on a copy of a real
chapter in a temporary folder and show it failing on a stale entry and on a changed code cell.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import polib
import pytest

from tools import translate_notebooks as tn

CHAPTERS = tn.chapters()
CODE_KINDS = ("notebook", "cells", "code", "metadata")


def _report(problems: list[tn.Problem]) -> str:
    return "\n".join(str(p) for p in problems)


def test_there_is_a_catalog_for_every_chapter():
    assert CHAPTERS, "no English chapters found"
    missing = [tn.REPO.relative(tn.REPO.catalog(c)) for c in CHAPTERS if not tn.REPO.catalog(c).exists()]
    assert not missing, f"no catalog {missing}: run `make translations`"


def test_the_edition_has_its_language_marker_and_no_orphans():
    problems = tn.edition_problems()
    assert not problems, _report(problems)


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_every_english_markdown_cell_has_a_current_translation(chapter):
    problems = tn.translation_problems(chapter)
    assert not problems, _report(problems)


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_korean_notebook_has_the_english_cells_code_and_metadata(chapter):
    problems = [p for p in tn.notebook_problems(chapter) if p.kind in CODE_KINDS]
    assert not problems, _report(problems)


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_korean_markdown_is_the_catalogs(chapter):
    problems = [p for p in tn.notebook_problems(chapter) if p.kind == "markdown"]
    assert not problems, _report(problems)


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_korean_notebook_is_executed(chapter):
    problems = [p for p in tn.notebook_problems(chapter) if p.kind == "unexecuted"]
    assert not problems, _report(problems)


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_translations_keep_numbers_links_code_and_math(chapter):
    problems = tn.kept_content_problems(chapter)
    assert not problems, _report(problems)


def test_korean_readme_lists_every_chapter_by_its_korean_title():
    """ko/README.md's course map links each Korean chapter with the Korean title of its heading."""
    readme = (tn.ROOT / "ko" / "README.md").read_text(encoding="utf-8")
    rows = dict((target, text) for text, target in re.findall(r"^\| \d\d \| \[([^\]]+)\]\(([^)]+)\)", readme, re.M))
    expected = {}
    for chapter in CHAPTERS:
        built = tn.REPO.korean_notebook(chapter)
        if not built.exists():
            pytest.fail(f"no Korean notebook {tn.REPO.relative(built)}: run `make korean`")
        heading = nbformat.read(built, as_version=4).cells[0]["source"].splitlines()[0]
        match = re.fullmatch(r"# \d\d · (.+?) — .+", heading)
        assert match, f"{chapter.stem}: the Korean heading is not '# NN · 한국어 제목 — English title': {heading!r}"
        expected[f"chapters/{chapter.name}"] = match[1]
    assert rows == expected


# --- the checker itself, on a copy of a real chapter --------------------------------------------------
CHAPTER = "01_structure"


def _translate_everything(po_path: Path) -> None:
    """A stand-in translation: every entry's msgstr is its English, marked (never committed)."""
    po = polib.pofile(str(po_path), wrapwidth=0)
    for entry in po:
        entry.msgstr = "[ko] " + entry.msgid
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = None
    po.save(str(po_path))


def _as_if_executed(paths: tn.Paths, chapter: Path) -> None:
    """Give the Korean notebook the English outputs, as if make korean had executed it."""
    en = {c["id"]: c for c in nbformat.read(chapter, as_version=4).cells}
    target = paths.korean_notebook(chapter)
    ko = nbformat.read(target, as_version=4)
    for cell in ko.cells:
        if cell["cell_type"] == "code":
            cell["outputs"] = en[cell["id"]]["outputs"]
            cell["execution_count"] = en[cell["id"]]["execution_count"]
    nbformat.write(ko, target)


@pytest.fixture
def course(tmp_path: Path) -> tuple[tn.Paths, Path]:
    """A copy of one English chapter with a complete (stand-in) catalog and its built Korean notebook."""
    paths = tn.Paths(tmp_path)
    paths.english.mkdir(parents=True)
    chapter = paths.english / f"{CHAPTER}.ipynb"
    shutil.copy(tn.ENGLISH / chapter.name, chapter)
    tn.update_catalog(chapter, paths)
    _translate_everything(paths.catalog(chapter))
    assert tn.build([CHAPTER], paths) == [(paths.korean_notebook(chapter), "written")]
    _as_if_executed(paths, chapter)
    return paths, chapter


def _cells(path: Path) -> list[nbformat.NotebookNode]:
    return nbformat.read(path, as_version=4).cells


def _edit_english(chapter: Path, kind: str, edit) -> str:
    """Apply ``edit`` to the source of the first cell of ``kind`` after the title; return its id."""
    nb = nbformat.read(chapter, as_version=4)
    cell = next(c for c in nb.cells[1:] if c["cell_type"] == kind)
    cell["source"] = edit(cell["source"])
    nbformat.write(nb, chapter)
    return cell["id"]


def test_checker_passes_a_complete_edition(course):
    paths, chapter = course
    assert tn.check(paths=paths) == []
    ko = _cells(paths.korean_notebook(chapter))
    en = _cells(chapter)
    assert [(c["id"], c["cell_type"]) for c in ko] == [(c["id"], c["cell_type"]) for c in en]
    title = ko[0]["source"]
    assert title.startswith("[ko] # 01") and "](../../GLOSSARY.md)" in title  # one folder deeper
    # rebuilding changes nothing and keeps the outputs of unchanged code
    assert tn.build([CHAPTER], paths) == [(paths.korean_notebook(chapter), "unchanged")]


def test_checker_fails_on_a_stale_translation(course):
    paths, chapter = course
    cell_id = _edit_english(chapter, "markdown", lambda s: s.replace("The source's example", "The note's example", 1)
                            if "The source's example" in s else s + "\nOne more sentence.")
    # before `make translations`: the entry translates an older English
    stale = [p for p in tn.check(paths=paths) if p.kind == "stale"]
    assert [(p.chapter, p.cells) for p in stale] == [(CHAPTER, (cell_id,))]
    # after it: the entry is fuzzy, still stale, and the build refuses naming chapter and cell
    tn.update_catalog(chapter, paths)
    entry = next(e for e in polib.pofile(str(paths.catalog(chapter))) if e.msgctxt == cell_id)
    assert "fuzzy" in entry.flags and entry.previous_msgid
    assert [p.cells for p in tn.check(paths=paths) if p.kind == "stale"] == [(cell_id,)]
    with pytest.raises(tn.BuildRefused, match=rf"{CHAPTER}: stale \(cell {cell_id}\)"):
        tn.build([CHAPTER], paths)


def test_checker_fails_on_a_missing_translation(course):
    paths, chapter = course
    nb = nbformat.read(chapter, as_version=4)
    nb.cells.insert(3, nbformat.v4.new_markdown_cell("A new paragraph of 3 sentences.", id="newcell1"))
    nbformat.write(nb, chapter)
    tn.update_catalog(chapter, paths)
    problems = tn.check(paths=paths)
    assert ("missing", ("newcell1",)) in [(p.kind, p.cells) for p in problems]
    assert ("cells", ("newcell1",)) in [(p.kind, p.cells) for p in problems]  # not in the Korean notebook yet
    with pytest.raises(tn.BuildRefused, match=rf"{CHAPTER}: missing \(cell newcell1\)"):
        tn.build([CHAPTER], paths)


def test_checker_fails_on_a_changed_code_cell(course):
    paths, chapter = course
    cell_id = _edit_english(chapter, "code", lambda s: s + "\n# changed in the English only")
    problems = tn.check(paths=paths)
    assert [(p.kind, p.cells) for p in problems] == [("code", (cell_id,))]
    # the build brings the code over and leaves that cell (only) to be executed
    tn.build([CHAPTER], paths)
    assert [(p.kind, p.cells) for p in tn.check(paths=paths)] == [("unexecuted", (cell_id,))]
    kept = [c for c in _cells(paths.korean_notebook(chapter)) if c["cell_type"] == "code" and c["outputs"]]
    assert kept, "the unchanged code cells keep their outputs"


def test_checker_fails_on_code_edited_in_the_korean_notebook(course):
    paths, _ = course
    target = paths.korean_notebook(paths.english / f"{CHAPTER}.ipynb")
    nb = nbformat.read(target, as_version=4)
    code = next(c for c in nb.cells if c["cell_type"] == "code")
    code["source"] = code["source"].replace("dl", "dlbook", 1) + " "
    moved = nb.cells.pop(0)
    nb.cells.insert(1, moved)
    nbformat.write(nb, target)
    kinds = {p.kind: p for p in tn.check(paths=paths)}
    assert kinds["code"].cells == (code["id"],)
    assert "another order" in kinds["cells"].text


def test_checker_fails_on_markdown_edited_in_the_korean_notebook(course):
    paths, chapter = course
    target = paths.korean_notebook(chapter)
    nb = nbformat.read(target, as_version=4)
    nb.cells[0]["source"] += " 손으로 고친 문장."
    nbformat.write(nb, target)
    assert [(p.kind, p.cells) for p in tn.check(paths=paths)] == [("markdown", (nb.cells[0]["id"],))]


def test_checker_fails_on_a_translation_that_lost_a_number_a_link_code_or_math(course):
    paths, chapter = course
    po = polib.pofile(str(paths.catalog(chapter)), wrapwidth=0)
    title = po[0]
    title.msgstr = (title.msgstr.replace("(../GLOSSARY.md)", "(GLOSSARY.md)").replace("`dl.Linear`", "dl.Linear")
                    .replace("$o = xW + b$", "$o = Wx + b$").replace("01", "첫"))
    po.save(str(paths.catalog(chapter)))
    kept = [p.text for p in tn.check(paths=paths) if p.kind == "kept"]
    assert len(kept) == 4, kept
    assert "numbers of the English missing from the Korean: ['01']" in kept
    assert "link targets of the English missing from the Korean: ['../GLOSSARY.md']" in kept
    assert "code spans of the English missing from the Korean: ['`dl.Linear`']" in kept
    assert "math of the English missing from the Korean: ['$o = xW + b$']" in kept


def test_a_translator_comment_accepts_a_number_written_otherwise(course):
    paths, chapter = course
    po = polib.pofile(str(paths.catalog(chapter)), wrapwidth=0)
    title = po[0]
    title.msgstr = title.msgstr.replace("01", "첫")
    title.tcomment = "lockstep-ok: 01\nthe heading says 첫 장 (a test of the exemption)"
    po.save(str(paths.catalog(chapter)))
    tn.build([CHAPTER], paths)
    assert tn.check(paths=paths) == []
    # the comment stays with its cell when the catalog is refreshed
    tn.update_catalog(chapter, paths)
    entry = next(e for e in polib.pofile(str(paths.catalog(chapter))) if e.msgctxt == title.msgctxt)
    assert entry.tcomment.startswith("lockstep-ok: 01") and "fuzzy" not in entry.flags


def test_checker_fails_without_a_korean_notebook_or_language_marker(course):
    paths, chapter = course
    paths.korean_notebook(chapter).unlink()
    (paths.korean / tn.MARKER_FILE).unlink()
    assert sorted(p.kind for p in tn.check(paths=paths)) == ["notebook", "notebook"]


def test_millions_may_be_written_in_korean_units():
    assert tn.kept_problems("trained on 4.5 million pairs, 500 million times finer", "450만 쌍, 5억 배") == []
    assert tn.kept_problems("1,250 steps on 4.5 million pairs", "스텝 1,250번, 쌍 45만 개") == [
        "numbers of the English missing from the Korean: ['4.5']"]
    assert tn.korean_amounts(2_300_000_000) >= {"23억", "2,300,000,000"}


def test_links_that_leave_the_chapters_folder_go_one_level_deeper():
    markdown = ("See the [glossary](../GLOSSARY.md), ![net](../img/net.png \"a net\"), "
                '<img src="../img/a.png" width="40%">, <a href=\'../README.md\'>x</a>, '
                "[the next chapter](02_activations.ipynb), [a section](#1-one-block), "
                "[elsewhere](https://example.org/../x) and `../not/a/link`.\n"
                "[ref]: ../CONTRIBUTING.md")
    assert tn.deeper(markdown) == (
        "See the [glossary](../../GLOSSARY.md), ![net](../../img/net.png \"a net\"), "
        '<img src="../../img/a.png" width="40%">, <a href=\'../../README.md\'>x</a>, '
        "[the next chapter](02_activations.ipynb), [a section](#1-one-block), "
        "[elsewhere](https://example.org/../x) and `../not/a/link`.\n"
        "[ref]: ../../CONTRIBUTING.md")
