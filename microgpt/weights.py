"""Weights on disk: JSON with the configuration and the vocabulary inside. Never pickle.

JSON writes each float with repr(), which reads back to the very same float, so a saved model
produces exactly the same numbers after loading. The engines of lessons 08 and 09 keep the same weights as
one flat list: `draw_flat` and `from_flat` convert between that list and a scalar GPT.
"""

import json
import math
import os
import stat
from importlib import resources

from .data import Tokenizer
from .errors import MicrogptError
from .files import atomic_write
from .limits import MAX_WEIGHTS_FILE_BYTES, ConfigError
from .model import GPT, INIT_STD, GPTConfig, check_config, count_params, param_shapes

FORMAT = "microgpt-weights"
VERSION = 1


class WeightsError(MicrogptError):
    """A weights file that is missing, corrupt, or of another shape. Used in lesson 06."""


def to_dict(model, tokenizer):
    """The model, its configuration and the tokenizer's characters as plain JSON-able data. Lesson 06."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "config": model.config.to_dict(),
        "chars": tokenizer.chars,
        "state_dict": {name: [[p.data for p in row] for row in mat] for name, mat in model.state_dict.items()},
    }


def save(model, tokenizer, path):
    """Write the weights to `path` as JSON, atomically (never a half-written file). Used in lessons 06 and 07."""
    atomic_write(path, json.dumps(to_dict(model, tokenizer)).encode("utf-8"))


def read(path):
    """Read a weights file and check the whole document; returns its dict (a WeightsError if bad). Lesson 06."""
    _check_file(path)
    try:
        with open(path, encoding="utf-8") as f:
            blob = json.load(f)
    except (UnicodeDecodeError, ValueError, RecursionError) as err:  # ValueError: JSON errors, 5000-digit ints
        reason = ("nested too deeply" if isinstance(err, RecursionError) else
                  str(err) if isinstance(err, (json.JSONDecodeError, UnicodeDecodeError)) else
                  "a number with thousands of digits")  # Python refuses to read ints over 4300 digits
        raise WeightsError(f"weights file is not valid JSON ({reason}): {path}; save it again with --save") from None
    if not isinstance(blob, dict) or blob.get("format") != FORMAT:
        raise WeightsError(f"{path} is not a microgpt weights file (no \"format\": \"{FORMAT}\")")
    if blob.get("version") != VERSION:
        raise WeightsError(f"{path} has weights format version {blob.get('version')!r}; this microgpt reads {VERSION}")
    for key in ("config", "chars", "state_dict"):
        if key not in blob:
            raise WeightsError(f"weights file {path} has no {key!r} entry")
    config = _config(blob["config"], path)
    _check_chars(blob["chars"], config, path)
    _check_numbers(blob["state_dict"], param_shapes(config), path)
    return blob


def _check_file(path):
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


def _config(stored, path):
    """The GPTConfig of a document's "config" entry, with whole-number sizes within the package's bounds."""
    if not isinstance(stored, dict):
        raise WeightsError(f"weights file {path} has a bad configuration: expected an object, got {stored!r:.60}")
    try:
        config = GPTConfig(**stored)
        check_config(config)
    except (TypeError, ConfigError) as err:
        raise WeightsError(f"weights file {path} has a bad configuration: {err}") from None
    return config


def _check_chars(chars, config, path):
    """The vocabulary: a list of distinct one-character strings, one fewer than vocab_size (BOS is the last)."""
    if not isinstance(chars, list) or not all(isinstance(ch, str) and len(ch) == 1 for ch in chars):
        raise WeightsError(f"weights file {path}: \"chars\" must be a list of one-character strings")
    if len(set(chars)) != len(chars):
        raise WeightsError(f"weights file {path}: \"chars\" lists a character twice")
    if len(chars) + 1 != config.vocab_size:
        raise WeightsError(f"weights file {path}: {len(chars)} characters do not match vocab_size {config.vocab_size}")


def _check_numbers(stored, shapes, path):
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


def load(path):
    """Load a model and its tokenizer from a weights file (checked whole first). Used in lessons 06 and 07."""
    blob = read(path)
    config = GPTConfig(**blob["config"])
    tokenizer = Tokenizer(blob["chars"])
    model = GPT.zeros(config)  # draws no random numbers: every weight is copied in next
    load_into(model, blob, path)
    return model, tokenizer


def load_into(model, blob, path="weights"):
    """Copy the numbers of a weights dict into an existing model; refuse any difference in shape. Lesson 06."""
    shapes = {name: (len(mat), len(mat[0])) for name, mat in model.state_dict.items()}
    _check_numbers(blob["state_dict"], shapes, path)
    for name, mat in model.state_dict.items():
        for row, values in zip(mat, blob["state_dict"][name]):
            for p, x in zip(row, values):
                p.data = float(x)
                p.grad = 0


def draw_flat(config, rng):
    """The weights GPT(config, rng) draws, as one flat list of floats (no Values). Used in lessons 08 and 09."""
    # one gauss() per weight, matrix by matrix, row by row: model.matrix's order, so the same numbers
    return [rng.gauss(0, INIT_STD) for _ in range(count_params(config))]


def from_flat(config, flat):
    """A scalar GPT holding `flat` (floats in GPT.parameters() order). Used by the engines of lessons 08 and 09."""
    model = GPT.zeros(config)  # draws no random numbers: every weight is copied in next
    params = model.parameters()
    if len(flat) != len(params):
        raise WeightsError(f"expected {len(params)} weights for this configuration, got {len(flat)}")
    for p, x in zip(params, flat):
        p.data = float(x)
    return model


def load_pretrained():
    """The model of our own 1000-step run of the reference configuration (shipped). Used in lessons 04 to 09.

    `make weights` reproduces the file bit for bit: `python -m microgpt --samples 0 --save ...` with the
    default flags. Its samples at temperature 0.5, drawn right after training, are kamon, ann, karai, ...
    """
    path = resources.files("microgpt") / "pretrained.json"
    with resources.as_file(path) as real_path:
        return load(str(real_path))
