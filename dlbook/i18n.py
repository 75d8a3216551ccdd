"""The course's two editions: which language dlbook speaks, and its message catalog.

The English and the Korean edition run the same code. What differs is the prose dlbook
prints (exercise feedback, explanations) and the script of Korean words in figures. Each
message is written in English in the code, wrapped in :func:`_`, and the Korean edition
looks it up in ``dlbook/locale/ko.po``, a gettext catalog whose ``msgid`` is the English
text and whose ``msgstr`` is its Korean translation.

Which edition a kernel speaks, first match wins:

1. :func:`set_language` (for a script or a learner's own notebook);
2. the environment variable ``DLBOOK_LANG`` (``en`` or ``ko``);
3. a file named ``.dlbook-language`` in the current directory, holding ``ko``: the Korean
   chapters' folder has one, and Jupyter starts a notebook's kernel in the notebook's folder;
4. English.

How the code writes a message (``tools/messages.py`` finds them; ``tests/test_i18n.py`` checks them)::

    from dlbook.i18n import gettext as _          # relative inside dlbook: from ..i18n import gettext as _

    _("the values are right")                                        # one string literal, in English
    _("expected shape {expected}, got {got}").format(expected=e, got=g)   # fields, never an f-string

The argument is always one literal, so the catalog can be checked against the code: the Korean
entry must exist, be translated and use the same field names. A message is looked up when the
code runs, not at import, so that it follows :func:`set_language`; a function that calls ``_``
does not use ``_`` as a throwaway name too (``for _ in ...`` would hide the lookup). Errors
raised by dlbook stay in English. ``python -m tools.messages update`` adds new messages to
``ko.po`` (untranslated) and drops those no code uses.
"""
from __future__ import annotations

import os
import stat
from functools import lru_cache
from pathlib import Path

__all__ = ["LANGUAGES", "MARKER_FILE", "language", "set_language", "catalog", "gettext", "_"]

LANGUAGES = ("en", "ko")
MARKER_FILE = ".dlbook-language"
_LOCALE_DIR = Path(__file__).resolve().parent / "locale"

_chosen: str | None = None


def _checked(lang: str, where: str) -> str:
    """``lang`` trimmed and lower-cased, or a ValueError saying where the bad value came from."""
    code = lang.strip().lower()
    if code not in LANGUAGES:
        raise ValueError(f"{where}: expected one of {', '.join(map(repr, LANGUAGES))}, got {lang!r}")
    return code


def set_language(lang: str | None) -> None:
    """Make dlbook speak ``lang`` ("en" or "ko") from now on; ``None`` goes back to detecting it.

    Parameters
    ----------
    lang : {"en", "ko"} or None
        Case and surrounding spaces are ignored.

    Raises
    ------
    TypeError
        If ``lang`` is neither a str nor None.
    ValueError
        If ``lang`` names no edition.
    """
    global _chosen
    if lang is not None and not isinstance(lang, str):
        raise TypeError(f"set_language: lang must be a str or None, got {type(lang).__name__}")
    _chosen = None if lang is None else _checked(lang, "set_language")


def language() -> str:
    """The language of this edition: "en" or "ko" (see the module docstring for the order)."""
    if _chosen is not None:
        return _chosen
    env = os.environ.get("DLBOOK_LANG")
    if env:
        return _checked(env, "DLBOOK_LANG")
    # Every message looks the language up, so the marker file is read only when it changed.
    try:
        marker = os.path.join(os.getcwd(), MARKER_FILE)
        info = os.stat(marker)
    except OSError:  # no marker file (or a current directory that no longer exists)
        return "en"
    if not stat.S_ISREG(info.st_mode):
        return "en"
    return _marker_language(marker, (info.st_ino, info.st_mtime_ns, info.st_size))


@lru_cache(maxsize=4)
def _marker_language(marker: str, version: tuple[int, int, int]) -> str:
    """The language a marker file names; cached per file and version (inode, mtime, size), so it is read once."""
    # Its first word; the folder's path stays out of the message (no machine paths in outputs).
    words = Path(marker).read_text(encoding="utf-8", errors="replace").split()
    return _checked(words[0] if words else "", f"{MARKER_FILE} in the current directory")


@lru_cache(maxsize=None)
def catalog(lang: str) -> dict[str, str]:
    """English message → translation, for every translated entry of ``locale/<lang>.po``.

    Untranslated, fuzzy (stale) and obsolete entries are left out, so their English is
    shown. Read once per language and kept (``catalog.cache_clear()`` reads it again).

    Parameters
    ----------
    lang : {"en", "ko"}
        "en" gives an empty catalog: the messages are English already.
    """
    if not isinstance(lang, str):
        raise TypeError(f"catalog: lang must be a str, got {type(lang).__name__}")
    lang = _checked(lang, "catalog")
    if lang == "en":
        return {}
    import polib  # only the Korean edition needs it

    po = polib.pofile(str(_LOCALE_DIR / f"{lang}.po"))
    return {entry.msgid: entry.msgstr for entry in po.translated_entries()}


def gettext(message: str) -> str:
    """``message`` in the current edition's language (the English itself when it has no translation).

    Parameters
    ----------
    message : str
        The English text, exactly as written in the code (a format string's fields
        unfilled: ``_("{n} steps").format(n=3)``).
    """
    if not isinstance(message, str):
        raise TypeError(f"gettext: message must be a str, got {type(message).__name__}")
    lang = language()
    if lang == "en":
        return message
    return catalog(lang).get(message, message)


_ = gettext
