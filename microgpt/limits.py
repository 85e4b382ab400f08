"""How large a model this package will build: bounds checked before a single weight is allocated.

Every weight of the course's model is a Value of about 100 bytes, and the pure-Python engine touches
each one many times a step, so a size typed by mistake (an extra zero or three) would otherwise fill the
memory before anything is printed. The bounds are far above anything the lessons train. Used by the
command line's size flags and by `weights.load` (lessons 05, 07 and 08 build and load models).
"""

from .model import ConfigError, count_params

# the largest value of each size setting (n_head is bounded by n_embd, which it must divide)
MAX_SIZE = {"vocab_size": 10_000, "n_layer": 64, "n_embd": 1024, "block_size": 1024}
MAX_PARAMS = 2_000_000  # about 200 MB of Values
MAX_WEIGHTS_FILE_BYTES = 100_000_000  # 2 million weights written as JSON take about 40 MB


def check_size(name, value):
    """Refuse one size setting above its bound, naming the setting and the bound. Used in lessons 05 and 08."""
    most = MAX_SIZE.get(name)
    if most is not None and isinstance(value, int) and value > most:
        raise ConfigError(f"{name} {value} is above this package's limit of {most}: a pure-Python model that "
                          "large would not fit in memory; choose a smaller size")


def check_config(config):
    """Refuse a GPTConfig whose sizes or number of weights are beyond the bounds above. Used in lesson 07."""
    for name in MAX_SIZE:
        check_size(name, getattr(config, name))
    params = count_params(config)
    if params > MAX_PARAMS:
        raise ConfigError(f"this model would have {params:,} weights, above this package's limit of "
                          f"{MAX_PARAMS:,} (about 100 bytes each in pure Python); choose fewer layers or a "
                          "smaller n_embd")
