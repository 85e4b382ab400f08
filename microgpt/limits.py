"""How large a model this package will build: bounds checked before a single weight is allocated.

Every weight of the course's model is a Value of about 100 bytes, and the pure-Python engine touches
each one many times a step, so a size typed by mistake (an extra zero or three) would otherwise fill the
memory before anything is printed. The bounds are far above anything the lessons train. `GPTConfig`
enforces them when it is made (so a notebook's `GPTConfig(vocab_size=27, n_embd=100000)` is refused at
once); the command line's --help and `weights.load` state and use the same numbers (`model.check_config`).
This module imports nothing of the model, so that model.py can import it. Used in lessons 05, 07 and 08.
"""

from .errors import MicrogptError

# the largest value of each size setting (n_head is bounded by n_embd, which it must divide)
MAX_SIZE = {"vocab_size": 10_000, "n_layer": 64, "n_embd": 1024, "block_size": 1024}
MAX_PARAMS = 2_000_000  # about 200 MB of Values
MAX_WEIGHTS_FILE_BYTES = 100_000_000  # 2 million weights written as JSON take about 40 MB


class ConfigError(MicrogptError):
    """A model configuration that cannot be built (also importable from microgpt.model). Used in lesson 05."""


def check_size(name, value):
    """Refuse one size setting above its bound, naming the setting and the bound. Used in lessons 05 and 08."""
    most = MAX_SIZE.get(name)
    if most is not None and isinstance(value, int) and value > most:
        raise ConfigError(f"{name} {value} is above this package's limit of {most}: a pure-Python model that "
                          "large would not fit in memory; choose a smaller size")


def check_params(params):
    """Refuse a model of more than MAX_PARAMS weights, before any is allocated. Used in lesson 05."""
    if params > MAX_PARAMS:
        raise ConfigError(f"this model would have {params:,} weights, above this package's limit of "
                          f"{MAX_PARAMS:,} (about 100 bytes each in pure Python); choose fewer layers or a "
                          "smaller n_embd")
