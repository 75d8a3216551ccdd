"""The figure fonts of each edition: matplotlib's default in English, plus Nanum Gothic for Hangul in Korean.

Matplotlib's default font, DejaVu Sans, has no Hangul: a Korean label would print as empty
boxes, with a "Glyph missing" warning. The Korean edition's figures take their Hangul from
Nanum Gothic, bundled in ``dlbook/fonts/`` (SIL Open Font Licence, see ``OFL.txt`` there):
:func:`use_edition_font` registers its regular and bold faces with matplotlib's font manager
and sets the font list to DejaVu Sans, then Nanum Gothic. Matplotlib draws each character in
the first font of the list that has it, so every Hangul syllable comes from Nanum Gothic and
everything else (Latin letters, digits, Greek, arrows) looks exactly as in the English figures.

Why DejaVu Sans first and not Nanum Gothic: Nanum Gothic has no minus sign (U+2212), and
matplotlib's math text, which writes the exponents of log-scale ticks ($10^{-3}$), uses only
the first font of the list, without falling back; with Nanum Gothic first those minus signs
would be drawn as boxes (matplotlib logs "substituting with a dummy symbol", no warning). The
price: Hangul inside ``$...$`` math text cannot be drawn, so no Korean label mixes the two.

In the English edition nothing is registered and matplotlib's settings stay as they were
(as they were before the Korean edition changed them, after a switch back), so the English
figures stay exactly the same. Every figure function of :mod:`dlbook.plotting` calls
:func:`use_edition_font` before drawing (through :func:`edition_font`), so the edition can
change at any time (``dlbook.i18n.set_language``) and the next figure follows.
"""
from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import matplotlib as mpl
from matplotlib import font_manager

from ..i18n import language

__all__ = ["FONT_FILES", "HANGUL_FONT", "KOREAN_FONT_FAMILY", "use_edition_font"]

_FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
#: The bundled faces of the Hangul font, by the weight matplotlib asks for; unmodified copies
#: of Debian's fonts-nanum (see ``dlbook/fonts/README.md``).
FONT_FILES = {400: _FONT_DIR / "NanumGothic.ttf", 700: _FONT_DIR / "NanumGothicBold.ttf"}
#: The Hangul font's family name, as matplotlib knows it once registered.
HANGUL_FONT = "NanumGothic"
#: ``rcParams["font.family"]`` in the Korean edition: matplotlib's own font, then the Hangul one.
KOREAN_FONT_FAMILY = ["DejaVu Sans", HANGUL_FONT]

_saved_family: list[str] | None = None  # font.family before the Korean edition replaced it

F = TypeVar("F", bound=Callable[..., Any])


@functools.cache
def _register() -> None:
    """Add Nanum Gothic's two faces to matplotlib's font manager (once: the call is cached)."""
    for weight, path in FONT_FILES.items():
        if not path.is_file():
            raise FileNotFoundError(f"the Korean edition's font is missing: expected dlbook/fonts/{path.name} "
                                    "inside the installed package (reinstall dlbook)")
        font_manager.fontManager.addfont(str(path))
        # NanumGothicBold.ttf reads as weight 600; figures ask for "bold" (700). Without this,
        # every bold text (whose font list includes Nanum Gothic) logs "Failed to find font
        # weight bold". No font was looked up since addfont cleared the cache, so none is stale.
        entry = font_manager.fontManager.ttflist[-1]
        if entry.fname == str(path) and entry.weight != weight:
            font_manager.fontManager.ttflist[-1] = dataclasses.replace(entry, weight=weight)


def use_edition_font() -> list[str]:
    """Set matplotlib's fonts for the current edition; return ``rcParams["font.family"]`` as it now is.

    Korean: :data:`KOREAN_FONT_FAMILY` (DejaVu Sans, then Nanum Gothic for Hangul), the bundled
    font registered on first use. English: the font family in force before the Korean edition
    changed it, or matplotlib's own setting if it never did.
    """
    global _saved_family
    current = list(mpl.rcParams["font.family"])
    if language() == "ko":
        _register()
        if current != KOREAN_FONT_FAMILY:
            if _saved_family is None:
                _saved_family = current
            mpl.rcParams["font.family"] = list(KOREAN_FONT_FAMILY)
    elif _saved_family is not None:
        if current == KOREAN_FONT_FAMILY:  # nobody changed it since: give back what was there
            mpl.rcParams["font.family"] = _saved_family
        _saved_family = None
    return list(mpl.rcParams["font.family"])


def edition_font(function: F) -> F:
    """Decorate a figure function so that it draws in the current edition's fonts."""
    @functools.wraps(function)
    def drawn_in_the_edition_font(*args: Any, **kwargs: Any) -> Any:
        use_edition_font()
        return function(*args, **kwargs)

    return drawn_in_the_edition_font  # type: ignore[return-value]
