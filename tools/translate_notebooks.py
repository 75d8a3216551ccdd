"""The Korean edition, built from the English chapters and one gettext catalog per chapter.

The English notebook is the only source of code. Its prose (each markdown cell) is one
entry of ``ko/po/<chapter>.po``: ``msgctxt`` is the cell's id, ``msgid`` the English
markdown, ``msgstr`` the Korean. Translators edit the ``.po`` files (Poedit, Weblate or a
text editor); this tool does the rest.

Usage (from the repository root)::

    python -m tools.translate_notebooks update [CHAPTER ...]   # English changed: refresh the catalogs

``update`` adds an entry for each new markdown cell, and when a cell's English changed it
keeps the old translation but marks it ``fuzzy`` (stale), with the English it translated
as ``#| msgid``, so a translator sees what changed. Entries of removed cells become
obsolete (``#~``).
"""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat
import polib

ROOT = Path(__file__).resolve().parent.parent
ENGLISH = ROOT / "chapters"
CATALOGS = ROOT / "ko" / "po"

HEADER = {
    "Project-Id-Version": "dlbook",
    "Language": "ko",
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
}


def chapters(names: list[str] | None = None) -> list[Path]:
    """The English chapter notebooks, all or those named (by file name, stem or path)."""
    every = sorted(ENGLISH.glob("[0-9]*.ipynb"))
    if not names:
        return every
    stems = {Path(n).stem for n in names}
    chosen = [p for p in every if p.stem in stems]
    missing = stems - {p.stem for p in chosen}
    if missing:
        raise ValueError(f"no English chapter named {sorted(missing)}; expected one of {[p.stem for p in every]}")
    return chosen


def catalog_path(chapter: Path) -> Path:
    return CATALOGS / f"{chapter.stem}.po"


def prose_cells(chapter: Path) -> list[tuple[str, str]]:
    """(cell id, markdown source) of every markdown cell, in order."""
    nb = nbformat.read(chapter, as_version=4)
    return [(cell["id"], cell["source"]) for cell in nb.cells if cell["cell_type"] == "markdown"]


def update_catalog(chapter: Path) -> polib.POFile:
    """Bring ``ko/po/<chapter>.po`` in line with the English chapter; return it (saved)."""
    path = catalog_path(chapter)
    old = polib.pofile(str(path)) if path.exists() else polib.POFile()
    by_id = {entry.msgctxt: entry for entry in old if not entry.obsolete}
    po = polib.POFile(wrapwidth=0)
    po.metadata = dict(HEADER)
    for index, (cell_id, english) in enumerate(prose_cells(chapter)):
        entry = polib.POEntry(msgctxt=cell_id, msgid=english, msgstr="")
        entry.comment = f"{chapter.name}, markdown cell {index + 1}"
        previous = by_id.pop(cell_id, None)
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


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in {"update"}:
        print(__doc__)
        return 2
    for chapter in chapters(argv[1:]):
        po = update_catalog(chapter)
        stale = sum("fuzzy" in e.flags for e in po)
        missing = sum(not e.msgstr for e in po if not e.obsolete)
        print(f"{catalog_path(chapter).relative_to(ROOT)}: {len(po)} entries, {stale} stale, {missing} untranslated")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
