"""dlbook's message catalog: find the messages in the code, keep dlbook/locale/ko.po in step with them.

Every piece of prose dlbook prints or draws for a learner is written in English inside
``_("...")`` (``from dlbook.i18n import gettext as _``); the Korean edition looks each one up
in ``dlbook/locale/ko.po`` (msgid = the English, msgstr = the Korean). This tool reads the
code, never imports it:

    python -m tools.messages check      # what the tests check: every message translated, same fields, none unused
    python -m tools.messages update     # add new messages (untranslated), drop messages no code uses

Translators edit ko.po in Poedit, Weblate or a text editor, as the chapters' catalogs. A changed
English message is a new msgid: ``update`` drops the old entry and adds the new one untranslated, so the check fails until
someone translates it.
"""
from __future__ import annotations

import ast
import string
import sys
from dataclasses import dataclass
from pathlib import Path

import polib

from tools.translate_notebooks import HEADER as CHAPTER_HEADER

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "dlbook"
CATALOG = PACKAGE / "locale" / "ko.po"
#: The names a message lookup is called by.
CALLEES = ("_", "gettext")
# The chapters' catalog header, plus Korean's plural rule (one form) for the library's messages.
HEADER = {**CHAPTER_HEADER, "Plural-Forms": "nplurals=1; plural=0;"}


@dataclass(frozen=True)
class Call:
    """One ``_(...)`` call: where it is, and its message (None when the argument is not one string literal)."""

    path: str  # relative to the repository, with /
    line: int
    message: str | None


def calls(package: Path = PACKAGE) -> list[Call]:
    """Every call of ``_`` or ``gettext`` in the package's code, in file and line order."""
    found = []
    for path in sorted(package.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        where = path.relative_to(package.parent).as_posix()
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in CALLEES:
                literal = (len(node.args) == 1 and not node.keywords and isinstance(node.args[0], ast.Constant)
                           and isinstance(node.args[0].value, str))
                found.append(Call(where, node.lineno, node.args[0].value if literal else None))
    return sorted(found, key=lambda c: (c.path, c.line))


def messages(package: Path = PACKAGE) -> dict[str, list[str]]:
    """Each literal message, in order of first appearance, with the files that use it."""
    found: dict[str, list[str]] = {}
    for call in calls(package):
        if call.message is not None:
            files = found.setdefault(call.message, [])
            if call.path not in files:
                files.append(call.path)
    return found


def fields(text: str) -> set[str]:
    """The names of a format string's fields (``{name}``); ValueError if its braces do not pair."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def problems(package: Path = PACKAGE, catalog: Path = CATALOG) -> list[str]:
    """Everything wrong between the code's messages and the catalog; empty when they agree."""
    found = []
    for call in calls(package):
        if call.message is None:
            found.append(f"{call.path}:{call.line}: _() needs one string literal (a catalog lookup of a "
                         "computed string cannot be checked): write _(\"... {field} ...\").format(field=...)")
    used = messages(package)
    po = polib.pofile(str(catalog))
    entries = {e.msgid: e for e in po if not e.obsolete}
    for message, files in used.items():
        entry = entries.get(message)
        if entry is None:
            found.append(f"not in the catalog ({', '.join(files)}): {message!r}")
        elif not entry.msgstr.strip():
            found.append(f"not translated ({', '.join(files)}): {message!r}")
        elif entry.fuzzy:
            found.append(f"marked fuzzy, a stale translation ({', '.join(files)}): {message!r}")
        else:
            try:
                same = fields(entry.msgstr) == fields(message)
            except ValueError as err:
                found.append(f"translation is not a valid format string ({err}): {message!r}")
                continue
            if not same:
                found.append(f"translation has the fields {sorted(fields(entry.msgstr))}, the English "
                             f"{sorted(fields(message))}: {message!r}")
    for message in entries:
        if message not in used:
            found.append(f"in the catalog but used by no code: {message!r}")
    return found


def update(package: Path = PACKAGE, catalog: Path = CATALOG) -> tuple[int, int]:
    """Bring the catalog in step with the code: (messages added, entries removed). Translations are kept."""
    used = messages(package)
    old = polib.pofile(str(catalog)) if catalog.exists() else polib.POFile()
    kept = {e.msgid: e for e in old if not e.obsolete}
    po = polib.POFile(wrapwidth=100)
    po.metadata = dict(HEADER)
    po.header = ("dlbook's messages in Korean: msgid is the English text in the code, msgstr its translation.\n"
                 "Kept in step with the code by `python -m tools.messages update`; checked by tests/test_i18n.py.")
    for message, files in used.items():
        previous = kept.get(message)
        entry = polib.POEntry(msgid=message, msgstr=previous.msgstr if previous else "",
                              occurrences=[(f, "") for f in files])
        if previous is not None and previous.fuzzy:
            entry.flags.append("fuzzy")
        if previous is not None:
            entry.tcomment = previous.tcomment
        entry.flags += ["python-brace-format"] if fields(message) else []
        po.append(entry)
    catalog.parent.mkdir(parents=True, exist_ok=True)
    po.save(str(catalog))
    return sum(m not in kept for m in used), sum(m not in used for m in kept)


def main(argv: list[str]) -> int:
    command = argv[0] if argv else ""
    if command == "check":
        found = problems()
        print("\n".join(found) if found else f"{len(messages())} messages, all translated")
        return 1 if found else 0
    if command == "update":
        added, removed = update()
        print(f"{CATALOG.relative_to(ROOT)}: {added} messages added, {removed} removed")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
