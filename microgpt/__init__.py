"""microgpt: the finished pieces of the course, a tiny GPT in pure Python (standard library only).

Each module is one idea of the course, in reading order: value (autograd), data (documents and
tokens), nn (linear, softmax, rmsnorm), model (the GPT), optim (Adam), train, sample, weights (JSON
on disk). viz and widgets (pictures, ipywidgets) need matplotlib and ipywidgets and are imported
only when asked for. Each public function's docstring names the lesson that builds or uses it.

The teaching code checks no arguments; the names exported here are the front doors, and microgpt.guards
holds their checks, so a bad argument from a notebook gets one clear line.
"""

from .data import Tokenizer, load_docs
from .errors import MicrogptError
from .guards import linear, rmsnorm, softmax  # microgpt.nn's blocks behind a front door that checks arguments
from .model import GPT, GPTConfig, attention_maps, count_params
from .optim import SGD, Adam, linear_decay
from .sample import generate
from .train import document_loss, train, train_step
from .value import Value
from .weights import load_pretrained

__all__ = [
    "Value", "Tokenizer", "load_docs", "MicrogptError", "GPT", "GPTConfig", "attention_maps", "count_params",
    "linear", "rmsnorm", "softmax", "Adam", "SGD", "linear_decay", "generate", "document_loss", "train",
    "train_step", "load_pretrained",
]
