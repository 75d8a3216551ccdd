"""dlbook: the small NumPy deep-learning library the course's chapters teach from.

``import dlbook as dl`` gives the layers, activations, losses, optimizers and
helpers under PyTorch's names. Figures live in ``dlbook.plotting`` (imported on
demand, so a model runs without matplotlib), data sets in ``dlbook.data``.
"""
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
