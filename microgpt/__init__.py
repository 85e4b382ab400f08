"""microgpt: the finished pieces of the course, a tiny GPT in pure Python (standard library only).

Each module is one idea of the course, in reading order: value (autograd), data (documents and
tokens), nn (linear, softmax, rmsnorm), model (the GPT), optim (Adam), train, sample, weights (JSON
on disk). viz and widgets (pictures, ipywidgets) need matplotlib and ipywidgets and are imported
only when asked for. Each public function's docstring names the lesson that builds or uses it.

The teaching code checks no arguments; the names exported here are the front doors, and microgpt.guards
holds their checks, so a bad argument from a notebook gets one clear line.

Here, where every part is known, the figures are tied to the language: once a notebook chooses Chinese
(i18n.use_language), viz is loaded if matplotlib is installed, and viz.fonts gives every figure drawn from
then on a Chinese font, or English labels without one. i18n itself knows nothing of fonts or matplotlib.
"""

import importlib.util

from . import i18n
from .data import Tokenizer, load_docs
from .errors import MicrogptError
from .guards import linear, rmsnorm, softmax  # microgpt.nn's blocks behind a front door that checks arguments
from .model import GPT, GPTConfig, attention_maps, count_params
from .optim import SGD, Adam, linear_decay
from .sample import generate
from .train import document_loss, train, train_step
from .value import Value
from .weights import load_pretrained


def _figures_follow(lang):
    """Load viz (whose fonts follow the language from then on) when Chinese is chosen and matplotlib is here."""
    if lang != "en" and importlib.util.find_spec("matplotlib") is not None:
        from . import viz  # noqa: F401 (importing viz.fonts asks i18n to tell it the language, now and later)


i18n.follow_language(_figures_follow, now=False)  # a notebook chooses with use_language

__all__ = [
    "Value", "Tokenizer", "load_docs", "MicrogptError", "GPT", "GPTConfig", "attention_maps", "count_params",
    "linear", "rmsnorm", "softmax", "Adam", "SGD", "linear_decay", "generate", "document_loss", "train",
    "train_step", "load_pretrained",
]
