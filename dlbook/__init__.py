"""dlbook: the small NumPy deep-learning library the course's chapters teach from.

``import dlbook as dl`` gives the layers, activations, losses, optimizers and
helpers under PyTorch's names. Figures live in ``dlbook.plotting`` (imported on
demand, so a model runs without matplotlib), data sets in ``dlbook.data``.
"""
from types import ModuleType as _ModuleType

from . import data, translator
from .activations import *  # noqa: F401,F403
from .attention import *  # noqa: F401,F403
from .display import show_source
from .dropout import *  # noqa: F401,F403
from .gradcheck import gradcheck, numeric_gradient
from .layers import Linear
from .losses import Loss, MSELoss
from .module import Module, Parameter, Sequential, eval_mode
from .normalization import BatchNorm1d, LayerNorm
from .optim import SGD, Adam, Optimizer
from .perceptron import *  # noqa: F401,F403
from .softmax import CrossEntropyLoss, cross_entropy, log_softmax, logsumexp, softmax
from .training import *  # noqa: F401,F403
from .transformer import *  # noqa: F401,F403

__version__ = "0.1.0"

# What `dir(dl)` and a notebook's tab completion offer: the names above, and the modules the
# chapters read from. The plumbing (_checks, rng, i18n, display) and the speed paths (fast)
# stay importable (`from dlbook import fast`) without crowding a learner's `dl.`.
__all__ = sorted(name for name, value in globals().items()
                 if not name.startswith("_") and not isinstance(value, _ModuleType)) + ["__version__"]
# (dl.softmax and dl.gradcheck are the functions; their modules share the names.)
_MODULES = ["activations", "attention", "data", "dropout", "layers", "losses", "module", "normalization", "optim",
            "perceptron", "training", "transformer", "translator"]


def __dir__() -> list[str]:
    return sorted(set(__all__) | set(_MODULES))
