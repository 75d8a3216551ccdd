"""Figures for the chapters (the only part of dlbook that imports matplotlib).

Every helper returns the matplotlib ``Figure`` it drew, with a title, axis labels
and a legend, sized for a notebook. In a notebook assign the result
(``fig = plot_activation(...)``) so the figure is shown once.
Figure text is English or romanized: matplotlib's default font has no Hangul.
"""
from .attention import *  # noqa: F401,F403
from .curves import *  # noqa: F401,F403
from .dropout import *  # noqa: F401,F403
from .files import *  # noqa: F401,F403
from .functions import *  # noqa: F401,F403
from .lines import *  # noqa: F401,F403
from .matrices import *  # noqa: F401,F403
from .networks import *  # noqa: F401,F403
from .normalization import *  # noqa: F401,F403
