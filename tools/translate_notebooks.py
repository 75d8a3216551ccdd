"""The Korean edition, built from the English chapters and one gettext catalog per chapter.

The English notebook is the only source of code. Its prose (each markdown cell) is one
entry of ``ko/po/<chapter>.po``: ``msgctxt`` is the cell's id, ``msgid`` the English
markdown, ``msgstr`` the Korean. Translators edit the ``.po`` files (Poedit, Weblate or a
text editor); this tool does the rest.

Usage (from the repository root; ``make translations`` and ``make korean`` run it)::

    python -m tools.translate_notebooks update [CHAPTER ...]   # English changed: refresh the catalogs
    python -m tools.translate_notebooks build [CHAPTER ...]    # write ko/chapters/NN_name.ipynb
    python -m tools.translate_notebooks check [CHAPTER ...]    # report every lockstep problem

``update`` adds an entry for each new markdown cell, and when a cell's English changed it
keeps the old translation but marks it ``fuzzy`` (stale), with the English it translated
as ``#| msgid``, so a translator sees what changed. Entries of removed cells become
obsolete (``#~``).

``build`` writes each Korean notebook from its English one: the same cells, ids, order,
code and metadata; each markdown cell is its ``msgstr``, with relative link and image
targets that leave the chapters folder (``../GLOSSARY.md``, ``../img/x.png``) made one level
deeper for ``ko/chapters/``. A code cell keeps the outputs the Korean notebook already has
when its code is unchanged; otherwise it is left unexecuted, for ``tools.execute_notebooks``
(``make korean`` runs both). It refuses, naming the chapter and the cells, while a
translation is missing or stale.

``check`` lists every way the editions are out of step (what ``tests/test_korean_edition.py``
enforces) and exits 1 if there is any.
"""
from __future__ import annotations

import copy
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
import polib

# The Korean chapters' folder holds this marker file: dlbook.i18n reads it in the kernel's directory.
from dlbook.i18n import MARKER_FILE
from tools.notebook_env import never_run

ROOT = Path(__file__).resolve().parent.parent
ENGLISH = ROOT / "chapters"
# Cell metadata that records when a cell last ran (nbclient), not what it is.
RUN_METADATA = ("execution",)

HEADER = {
    "Project-Id-Version": "dlbook",
    "Language": "ko",
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
}


@dataclass(frozen=True)
class Paths:
    """Where one copy of the course keeps each edition (the repository, or a copy in a test)."""

    root: Path = ROOT

    @property
    def english(self) -> Path:
        return self.root / "chapters"

    @property
    def korean(self) -> Path:
        return self.root / "ko" / "chapters"

    @property
    def catalogs(self) -> Path:
        return self.root / "ko" / "po"

    def catalog(self, chapter: Path) -> Path:
        return self.catalogs / f"{chapter.stem}.po"

    def korean_notebook(self, chapter: Path) -> Path:
        return self.korean / chapter.name

    def relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix() if path.is_relative_to(self.root) else str(path)


REPO = Paths()


def chapters(names: list[str] | None = None, paths: Paths = REPO) -> list[Path]:
    """The English chapter notebooks, all or those named (by file name, stem or path)."""
    every = sorted(paths.english.glob("[0-9]*.ipynb"))
    if not names:
        return every
    stems = {Path(n).stem for n in names}
    chosen = [p for p in every if p.stem in stems]
    missing = stems - {p.stem for p in chosen}
    if missing:
        raise ValueError(f"no English chapter named {sorted(missing)}; expected one of {[p.stem for p in every]}")
    return chosen


def prose_cells(chapter: Path) -> list[tuple[str, str]]:
    """(cell id, markdown source) of every markdown cell, in order."""
    nb = nbformat.read(chapter, as_version=4)
    return [(cell["id"], cell["source"]) for cell in nb.cells if cell["cell_type"] == "markdown"]


def update_catalog(chapter: Path, paths: Paths = REPO) -> polib.POFile:
    """Bring ``ko/po/<chapter>.po`` in line with the English chapter; return it (saved)."""
    path = paths.catalog(chapter)
    old = polib.pofile(str(path)) if path.exists() else polib.POFile()
    by_id = {entry.msgctxt: entry for entry in old if not entry.obsolete}
    po = polib.POFile(wrapwidth=0)
    po.metadata = dict(HEADER)
    for index, (cell_id, english) in enumerate(prose_cells(chapter)):
        entry = polib.POEntry(msgctxt=cell_id, msgid=english, msgstr="")
        entry.comment = f"{chapter.name}, markdown cell {index + 1}"
        previous = by_id.pop(cell_id, None)
        if previous is not None and previous.tcomment:
            entry.tcomment = previous.tcomment  # the translator's notes stay with the cell
        if previous is not None and previous.msgstr:
            entry.msgstr = previous.msgstr
            if previous.msgid != english:
                entry.flags.append("fuzzy")
                entry.previous_msgid = previous.previous_msgid or previous.msgid
            elif "fuzzy" in previous.flags:
                entry.flags.append("fuzzy")
                entry.previous_msgid = previous.previous_msgid
        po.append(entry)
    for gone in by_id.values():
        if gone.msgstr:
            gone.obsolete = True
            po.append(gone)
    path.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(path))
    return po


# --- links --------------------------------------------------------------------------------------------
# A relative target that leaves the chapters folder, where markdown or HTML names one: a link or image
# ](../x), a reference definition [x]: ../x, an attribute src="../x" / href='../x'.
_LEAVING = re.compile(r"""(\]\(\s*<?|^[ ]{0,3}\[[^\]\n]+\]:[ \t]*<?|\b(?:src|href)\s*=\s*["'])(\.\./)""", re.M)


def deeper(markdown: str) -> str:
    """Rewrite relative targets that leave ``chapters/`` for a notebook one folder deeper.

    ``../GLOSSARY.md`` and ``../img/x.png`` become ``../../GLOSSARY.md`` and ``../../img/x.png``;
    chapter links (``02_activations.ipynb``), anchors and absolute URLs are unchanged.
    """
    return _LEAVING.sub(lambda m: m.group(1) + "../" + m.group(2), markdown)


# --- what the English holds and the Korean must keep ---------------------------------------------------
_LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]+)|\b(?:src|href)\s*=\s*[\"']([^\"']+)")
_CODE_SPAN = re.compile(r"`[^`\n]+`")
_DISPLAY_MATH = re.compile(r"\$\$.+?\$\$", re.S)
_INLINE_MATH = re.compile(r"(?<![\\$])\$(?!\$)[^$\n]+?(?<!\\)\$")
_NUMBER = re.compile(r"(?<![\w.])\d+(?:,\d{3})*(?:\.\d+)?")


def link_targets(markdown: str) -> set[str]:
    return {a or b for a, b in _LINK_TARGET.findall(markdown)}


def code_spans(markdown: str) -> set[str]:
    return set(_CODE_SPAN.findall(markdown))


def math_spans(markdown: str) -> set[str]:
    """Every ``$$…$$`` block and ``$…$`` span, outside code spans."""
    text = _CODE_SPAN.sub(" ", markdown)
    display = _DISPLAY_MATH.findall(text)
    return set(display) | set(_INLINE_MATH.findall(_DISPLAY_MATH.sub(" ", text)))


def numbers(markdown: str) -> set[str]:
    """The numbers of the prose (outside link targets), as written: ``1,797``, ``0.5``, ``97``."""
    return set(_NUMBER.findall(re.sub(r"\]\([^)]*\)", "", markdown)))


# A translator comment line "lockstep-ok: <item>" accepts that one number, link target, code span
# or math span of the English is deliberately written otherwise in the Korean (say why beside it).
EXEMPT = "lockstep-ok:"


def exemptions(translator_comment: str) -> set[str]:
    """The items a catalog entry's translator comment accepts as written otherwise."""
    found = set()
    for line in translator_comment.splitlines():
        line = line.strip()
        if line.startswith(EXEMPT):
            found.add(line[len(EXEMPT):].strip())
    return found


_LARGE = re.compile(r"(?<![\w.])(\d+(?:,\d{3})*(?:\.\d+)?)\s+(million|billion)\b")
_SCALE = {"million": 10**6, "billion": 10**9}


def korean_amounts(value: int) -> set[str]:
    """Ways Korean writes a large round number: 4500000 -> 4,500,000, 450만; 500000000 -> 5억."""
    forms = {str(value), f"{value:,}"}
    if value % 10**4 == 0:
        forms |= {f"{value // 10**4}만", f"{value // 10**4:,}만"}
    if value % 10**8 == 0:
        forms |= {f"{value // 10**8}억", f"{value // 10**8:,}억"}
    elif value > 10**8 and value % 10**4 == 0:
        rest = (value % 10**8) // 10**4
        forms |= {f"{value // 10**8}억 {rest}만", f"{value // 10**8}억 {rest:,}만"}
    return forms


def _in_korean_units(english: str, korean: str) -> set[str]:
    """Numbers of "N million/billion" in the English that the Korean writes in 만 or 억."""
    found = set()
    for number, scale in _LARGE.findall(english):
        value = round(float(number.replace(",", "")) * _SCALE[scale])
        if any(form in korean for form in korean_amounts(value)):
            found.add(number)
    return found


def kept_problems(english: str, korean: str, exempt: set[str] = frozenset()) -> list[str]:
    """What of the English a translation must keep but lost: numbers, links, code spans, math.

    Numbers quote printed outputs, so each must appear in the Korean, as written or, for
    "4.5 million", in Korean units (450만); link targets, code spans and math spans must appear
    exactly as in the English (a translation may add some). Items in ``exempt`` are accepted
    (see :data:`EXEMPT`).
    """
    problems = []
    exempt = set(exempt) | _in_korean_units(english, korean)
    lost = sorted(n for n in numbers(english) if n not in korean and n not in exempt)
    if lost:
        problems.append(f"numbers of the English missing from the Korean: {lost}")
    for what, find in (("link targets", link_targets), ("code spans", code_spans), ("math", math_spans)):
        lost = sorted(find(english) - find(korean) - exempt)
        if lost:
            problems.append(f"{what} of the English missing from the Korean: {lost}")
    return problems


# --- the lockstep check -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Problem:
    """One way a Korean chapter is out of step with its English chapter."""

    chapter: str  # the chapter's stem, "01_structure"
    kind: str     # "missing", "stale", "catalog", "notebook", "cells", "code", "metadata",
    #               "markdown", "kept", "unexecuted"
    cells: tuple[str, ...]  # the English cell ids concerned (none for a whole-notebook problem)
    text: str

    def __str__(self) -> str:
        many = self.kind == "unexecuted" and len(self.cells) > 8  # every code cell of a new build
        shown = ", ".join(self.cells[:8]) + f" and {len(self.cells) - 8} more" if many else ", ".join(self.cells)
        where = f" (cell{'s' if len(self.cells) > 1 else ''} {shown})" if self.cells else ""
        return f"{self.chapter}: {self.kind}{where}: {self.text}"


def _entries(chapter: Path, paths: Paths) -> dict[str, polib.POEntry]:
    path = paths.catalog(chapter)
    if not path.exists():
        return {}
    return {e.msgctxt: e for e in polib.pofile(str(path)) if not e.obsolete}


def translation_problems(chapter: Path, paths: Paths = REPO) -> list[Problem]:
    """Missing and stale translations, and catalog entries the English no longer has.

    Every English markdown cell needs a non-fuzzy entry with a ``msgstr`` whose ``msgid`` is
    the cell's current source: a fuzzy entry, or one translating an older English, is stale.
    """
    name = chapter.stem
    entries = _entries(chapter, paths)
    prose = prose_cells(chapter)
    missing, stale = [], []
    for cell_id, english in prose:
        entry = entries.get(cell_id)
        if entry is None or not entry.msgstr:
            missing.append(cell_id)
        elif "fuzzy" in entry.flags or entry.msgid != english:
            stale.append(cell_id)
    problems = []
    catalog = paths.relative(paths.catalog(chapter))
    if missing:
        problems.append(Problem(name, "missing", tuple(missing),
                                f"{len(missing)} of {len(prose)} markdown cells have no translation in {catalog}"))
    if stale:
        problems.append(Problem(name, "stale", tuple(stale),
                                f"{len(stale)} translation(s) in {catalog} are fuzzy or translate an older English: "
                                "run `make translations`, revise them and clear the fuzzy flag"))
    extra = sorted(set(entries) - {cell_id for cell_id, _ in prose})
    if extra:
        problems.append(Problem(name, "catalog", tuple(extra),
                                f"{catalog} has entries for cells the English chapter no longer has: "
                                "run `make translations`"))
    return problems


def _without_run_metadata(metadata: dict) -> dict:
    return {k: v for k, v in metadata.items() if k not in RUN_METADATA}


def expected_markdown(chapter: Path, paths: Paths = REPO) -> dict[str, str]:
    """Cell id -> the Korean markdown the catalog gives it (translated entries only)."""
    return {cell_id: deeper(e.msgstr) for cell_id, e in _entries(chapter, paths).items() if e.msgstr}


def notebook_problems(chapter: Path, paths: Paths = REPO) -> list[Problem]:
    """How ``ko/chapters/<chapter>`` differs from what the English and the catalog make.

    Cells (ids, order, types), code sources, metadata (less nbclient's run timing),
    markdown against the catalog, and code cells never executed.
    """
    name = chapter.stem
    korean_path = paths.korean_notebook(chapter)
    if not korean_path.exists():
        return [Problem(name, "notebook", (), f"no Korean notebook {paths.relative(korean_path)}: run `make korean`")]
    en = nbformat.read(chapter, as_version=4)
    ko = nbformat.read(korean_path, as_version=4)
    problems = []
    en_cells = [(c["id"], c["cell_type"]) for c in en.cells]
    ko_cells = [(c["id"], c["cell_type"]) for c in ko.cells]
    if en_cells != ko_cells:
        only_en = [i for i, _ in en_cells if i not in dict(ko_cells)]
        only_ko = [i for i, _ in ko_cells if i not in dict(en_cells)]
        retyped = [i for i, t in en_cells if i in dict(ko_cells) and dict(ko_cells)[i] != t]
        detail = []
        if only_en:
            detail.append(f"only in the English: {only_en}")
        if only_ko:
            detail.append(f"only in the Korean: {only_ko}")
        if retyped:
            detail.append(f"another cell type: {retyped}")
        if not detail:
            detail.append("the same cells in another order")
        problems.append(Problem(name, "cells", tuple(only_en + only_ko + retyped),
                                "the cells differ from the English (" + "; ".join(detail) + "): run `make korean`"))
    ko_by_id = {c["id"]: c for c in ko.cells}
    code_differs = [c["id"] for c in en.cells if c["cell_type"] == "code" and c["id"] in ko_by_id
                    and ko_by_id[c["id"]]["source"] != c["source"]]
    if code_differs:
        problems.append(Problem(name, "code", tuple(code_differs),
                                "code differs from the English chapter's: run `make korean`"))
    metadata_differs = [c["id"] for c in en.cells if c["id"] in ko_by_id and
                        _without_run_metadata(ko_by_id[c["id"]].get("metadata", {}))
                        != _without_run_metadata(c.get("metadata", {}))]
    if metadata_differs:
        problems.append(Problem(name, "metadata", tuple(metadata_differs),
                                "cell metadata differs from the English: run `make korean`"))
    if dict(ko.metadata) != dict(en.metadata):
        problems.append(Problem(name, "metadata", (), "notebook metadata differs from the English: run `make korean`"))
    expected = expected_markdown(chapter, paths)
    markdown_differs = [c["id"] for c in ko.cells if c["cell_type"] == "markdown"
                        and c["id"] in expected and c["source"] != expected[c["id"]]]
    if markdown_differs:
        problems.append(Problem(name, "markdown", tuple(markdown_differs),
                                f"markdown differs from {paths.relative(paths.catalog(chapter))}: "
                                "edit the catalog, never the Korean notebook, then run `make korean`"))
    unexecuted = never_run(ko)
    if unexecuted:
        problems.append(Problem(name, "unexecuted", tuple(unexecuted),
                                "code cells without stored outputs: run `make korean`"))
    return problems


def kept_content_problems(chapter: Path, paths: Paths = REPO) -> list[Problem]:
    """Translated entries that lost a number, link target, code span or math of the English cell."""
    en = dict(prose_cells(chapter))
    problems = []
    for cell_id, entry in _entries(chapter, paths).items():
        if entry.msgstr and cell_id in en:
            for text in kept_problems(en[cell_id], entry.msgstr, exemptions(entry.tcomment or "")):
                problems.append(Problem(chapter.stem, "kept", (cell_id,), text))
    return problems


def edition_problems(paths: Paths = REPO) -> list[Problem]:
    """Problems of the Korean edition as a whole: its language marker and chapters without an English one."""
    problems = []
    marker = paths.korean / MARKER_FILE
    if not marker.is_file() or marker.read_text(encoding="utf-8").split()[:1] != ["ko"]:
        problems.append(Problem("ko/chapters", "notebook", (),
                                f"{paths.relative(marker)} must hold `ko`: the kernel's edition comes from it"))
    english = {p.name for p in chapters(paths=paths)}
    for orphan in sorted(paths.korean.glob("[0-9]*.ipynb")):
        if orphan.name not in english:
            problems.append(Problem(orphan.stem, "notebook", (),
                                    f"{paths.relative(orphan)} has no English chapter: delete it"))
    for orphan in sorted(paths.catalogs.glob("*.po")):
        if orphan.stem + ".ipynb" not in english:
            problems.append(Problem(orphan.stem, "catalog", (), f"{paths.relative(orphan)} has no English chapter"))
    return problems


def check(names: list[str] | None = None, paths: Paths = REPO) -> list[Problem]:
    """Every lockstep problem of the chapters named (all by default)."""
    problems = [] if names else edition_problems(paths)
    for chapter in chapters(names, paths):
        problems += translation_problems(chapter, paths)
        problems += notebook_problems(chapter, paths)
        problems += kept_content_problems(chapter, paths)
    return problems


# --- the build ----------------------------------------------------------------------------------------
class BuildRefused(RuntimeError):
    """A Korean notebook cannot be built: some translation is missing or stale."""


def korean_notebook(chapter: Path, paths: Paths = REPO) -> nbformat.NotebookNode:
    """The Korean notebook of ``chapter`` as the English and the catalog make it (not written).

    Raises
    ------
    BuildRefused
        If a markdown cell has no translation, or a stale one, naming the chapter and the cells.
    """
    refused = [p for p in translation_problems(chapter, paths) if p.kind in ("missing", "stale")]
    if refused:
        raise BuildRefused("\n".join(str(p) for p in refused))
    korean = expected_markdown(chapter, paths)
    en = nbformat.read(chapter, as_version=4)
    old_path = paths.korean_notebook(chapter)
    old = {c["id"]: c for c in nbformat.read(old_path, as_version=4).cells} if old_path.exists() else {}
    nb = copy.deepcopy(en)
    for cell in nb.cells:
        if cell["cell_type"] == "markdown":
            cell["source"] = korean[cell["id"]]
        elif cell["cell_type"] == "code":
            before = old.get(cell["id"])
            metadata = _without_run_metadata(cell.get("metadata", {}))
            if before is not None and before["cell_type"] == "code" and before["source"] == cell["source"]:
                cell["outputs"] = before["outputs"]
                cell["execution_count"] = before["execution_count"]
                metadata.update({k: v for k, v in before.get("metadata", {}).items() if k in RUN_METADATA})
            else:
                cell["outputs"] = []
                cell["execution_count"] = None
            cell["metadata"] = nbformat.from_dict(metadata)
    return nb


def build(names: list[str] | None = None, paths: Paths = REPO) -> list[tuple[Path, str]]:
    """Write the Korean notebooks of the chapters named (all by default).

    Checks every chapter first and writes nothing if any is refused. Returns
    (Korean notebook, "written" | "unchanged") pairs.

    Raises
    ------
    BuildRefused
        Naming every chapter and cell whose translation is missing or stale.
    """
    selected = chapters(names, paths)
    built, refusals = [], []
    for chapter in selected:
        try:
            built.append((chapter, korean_notebook(chapter, paths)))
        except BuildRefused as err:
            refusals.append(str(err))
    if refusals:
        raise BuildRefused("\n".join(refusals))
    paths.korean.mkdir(parents=True, exist_ok=True)
    marker = paths.korean / MARKER_FILE
    if not marker.exists():
        marker.write_text("ko\n", encoding="utf-8")
    results = []
    for chapter, nb in built:
        target = paths.korean_notebook(chapter)
        text = nbformat.writes(nb)
        text += "" if text.endswith("\n") else "\n"  # as nbformat.write ends a file
        if target.exists() and target.read_text(encoding="utf-8") == text:
            results.append((target, "unchanged"))
        else:
            target.write_text(text, encoding="utf-8")
            results.append((target, "written"))
    return results


def main(argv: list[str]) -> int:
    commands = {"update", "build", "check"}
    if not argv or argv[0] not in commands:
        print(__doc__)
        return 2
    command, names = argv[0], argv[1:]
    if command == "update":
        for chapter in chapters(names):
            po = update_catalog(chapter)
            stale = sum("fuzzy" in e.flags for e in po)
            missing = sum(not e.msgstr for e in po if not e.obsolete)
            print(f"{REPO.relative(REPO.catalog(chapter))}: {len(po)} entries, {stale} stale, {missing} untranslated")
        return 0
    if command == "build":
        try:
            results = build(names)
        except BuildRefused as err:
            print(f"not built, nothing written: translations are missing or stale\n{err}\n"
                  "Translate them in ko/po/*.po (make translations first if the English changed).", file=sys.stderr)
            return 1
        for path, what in results:
            todo = ", to execute" if never_run(nbformat.read(path, as_version=4)) else ""
            print(f"{REPO.relative(path)}: {what}{todo}")
        return 0
    problems = check(names)
    for problem in problems:
        print(problem)
    print(f"{len(problems)} lockstep problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
