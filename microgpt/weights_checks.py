"""The checks of a weights file: the file itself, its configuration, its vocabulary and every number. Lesson 06.

microgpt.weights reads a file written by `save` (or by anyone): before a model is built from it, the whole
document is checked here, so that a damaged or foreign file gives one line saying what is wrong with it.
"""

import math
import os
import stat

from .errors import MicrogptError
from .limits import MAX_WEIGHTS_FILE_BYTES, ConfigError
from .model import GPTConfig, check_config


class WeightsError(MicrogptError):
    """A weights file that is missing, corrupt, or of another shape. Used in lesson 06."""


def check_file(path):
    """Refuse a path that is missing, not a regular file (a folder, a FIFO, a device), or too large."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):  # ValueError: a path with a NUL character
        raise WeightsError(f"weights file not found: {path}") from None
    if not stat.S_ISREG(info.st_mode):
        raise WeightsError(f"{path} is not a regular file (a folder, a pipe or a device); give a weights file "
                           "saved with --save")
    if info.st_size > MAX_WEIGHTS_FILE_BYTES:
        raise WeightsError(f"weights file {path} is {info.st_size:,} bytes, more than any model this package "
                           f"builds ({MAX_WEIGHTS_FILE_BYTES:,} bytes at most)")


def check_config_entry(stored, path):
    """The GPTConfig of a document's "config" entry, with whole-number sizes within the package's bounds."""
    if not isinstance(stored, dict):
        raise WeightsError(f"weights file {path} has a bad configuration: expected an object, got {stored!r:.60}")
    try:
        config = GPTConfig(**stored)
        check_config(config)
    except (TypeError, ConfigError) as err:
        raise WeightsError(f"weights file {path} has a bad configuration: {err}") from None
    return config


def check_chars(chars, config, path):
    """The vocabulary: a list of distinct one-character strings, one fewer than vocab_size (BOS is the last)."""
    if not isinstance(chars, list) or not all(isinstance(ch, str) and len(ch) == 1 for ch in chars):
        raise WeightsError(f"weights file {path}: \"chars\" must be a list of one-character strings")
    if len(set(chars)) != len(chars):
        raise WeightsError(f"weights file {path}: \"chars\" lists a character twice")
    if len(chars) + 1 != config.vocab_size:
        raise WeightsError(f"weights file {path}: {len(chars)} characters do not match vocab_size {config.vocab_size}")


def check_numbers(stored, shapes, path):
    """Every matrix of `shapes` (name -> (rows, cols)) present, of that shape, and made of finite numbers."""
    if not isinstance(stored, dict) or set(stored) != set(shapes):
        names = set(stored) if isinstance(stored, dict) else set()
        raise WeightsError(f"{path} does not fit this model: missing {sorted(set(shapes) - names) or 'nothing'}, "
                           f"unexpected {sorted(names - set(shapes)) or 'nothing'}")
    for name, (n_rows, n_cols) in shapes.items():
        rows = stored[name]
        ok = isinstance(rows, list) and all(isinstance(r, list) for r in rows)
        shape = (len(rows), len(rows[0]) if rows else 0) if ok else ("?", "?")
        if not ok or shape != (n_rows, n_cols) or any(len(r) != n_cols for r in rows):
            raise WeightsError(f"{path} does not fit this model: {name} is {shape[0]}x{shape[1]} in the file "
                               f"but {n_rows}x{n_cols} in the model")
        for row in rows:
            for x in row:
                if isinstance(x, bool) or not isinstance(x, (int, float)) or not _finite(x):
                    raise WeightsError(f"{path}: {name} holds {x!r:.40}, which is not a number (or not a finite "
                                       "one); save the weights again with --save")


def _finite(x):
    """True for a number that is a finite float (an int too large for a float is not)."""
    try:
        return math.isfinite(x)
    except OverflowError:
        return False
