"""The optional engines, loaded by name only when asked for: NumPy and PyTorch are extras, not dependencies.

Used by the command line (`--engine numpy`, `--engine torch`: the same weights, data order, Adam, schedule and
sampling draws as the scalar engine, so the same printed lines) and by the benchmark (lessons 08 and 09). The
scalar engine of lessons 01-07 needs no loading: it is the package itself.
"""

import importlib

from .errors import MicrogptError

# engine name -> (module of this package, its model class, the distribution it needs, the extra that installs it)
OPTIONAL = {
    "numpy": ("engine_numpy", "NumpyGPT", "numpy", "numpy"),
    "torch": ("engine_torch", "TorchGPT", "torch", "torch"),
}


def load_engine(name):
    """The engine module for `name`; a MicrogptError saying what to install when its library is missing."""
    if name not in OPTIONAL:
        raise MicrogptError(f"unknown engine {name!r}; choose one of: value, {', '.join(OPTIONAL)}")
    module, _, library, extra = OPTIONAL[name]
    try:
        return importlib.import_module(f"{__package__}.{module}")
    except ImportError as err:
        if (err.name or "").split(".")[0] != library:
            raise  # a bug in the engine itself, not a missing library: keep the traceback
        raise MicrogptError(f"the {name} engine needs {library}: pip install 'microgpt-course[{extra}]'") from None


def on_engine(name, model):
    """The scalar GPT `model` copied onto the engine `name` (its model class's from_scalar). Used by the CLI."""
    return getattr(load_engine(name), OPTIONAL[name][1]).from_scalar(model)


def available(name):
    """True when the engine `name` can be loaded here (its library is installed)."""
    try:
        load_engine(name)
    except MicrogptError:
        return False
    return True
