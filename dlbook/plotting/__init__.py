"""Figures for the chapters (the only part of dlbook that imports matplotlib).

Every helper returns the matplotlib ``Figure`` it drew, with a title, axis labels
and a legend, sized for a notebook. In a notebook assign the result
(``fig = plot_activation(...)``) so the figure is shown once.

The words dlbook writes into a figure (default titles, axis labels, legends) are in the
edition's language (:mod:`dlbook.i18n`). The Korean edition's figures draw Hangul with the
bundled Nanum Gothic (:mod:`.fonts`), set up when this package is imported and again by
every figure function; the English edition keeps matplotlib's default font, which has no
Hangul, so Korean tokens appear romanized there (:func:`token_labels`).
"""
# The general figures, then one module per chapter that draws its own, named like the chapter's
# library module: activations (02), dropout (05), normalization (06), transformer (07), training
# (09's curves of a History, which chapters 04 and 05 draw too); networks are chapters 03 and 04's.
from .files import *  # noqa: F401,F403
from .fonts import *  # noqa: F401,F403
from .lines import *  # noqa: F401,F403
from .matrices import *  # noqa: F401,F403
from .networks import *  # noqa: F401,F403
from .activations import *  # noqa: F401,F403
from .dropout import *  # noqa: F401,F403
from .normalization import *  # noqa: F401,F403
from .transformer import *  # noqa: F401,F403
from .training import *  # noqa: F401,F403

# Now too, not only when dlbook draws: a learner's own figures in the Korean edition draw Hangul as well.
use_edition_font()  # noqa: F405 (from .fonts)
