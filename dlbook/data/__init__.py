"""Data sets, all offline: generated in code or shipped inside the package (NumPy only)."""
from .animals import *  # noqa: F401,F403
from .digits import *  # noqa: F401,F403
from .toy2d import *  # noqa: F401,F403
from .translation import *  # noqa: F401,F403
