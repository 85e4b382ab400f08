"""Weights on disk: JSON with the configuration and the vocabulary inside. Never pickle.

JSON writes each float with repr(), which reads back to the very same float, so a saved model
produces exactly the same numbers after loading.
"""

import json
import os
from importlib import resources

from .data import Tokenizer
from .errors import MicrogptError
from .files import atomic_write
from .model import GPT, ConfigError, GPTConfig

FORMAT = "microgpt-weights"
VERSION = 1


class WeightsError(MicrogptError):
    """A weights file that is missing, corrupt, or of another shape."""


def to_dict(model, tokenizer):
    """The model, its configuration and the tokenizer's characters as plain JSON-able data."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "config": model.config.to_dict(),
        "chars": tokenizer.chars,
        "state_dict": {name: [[p.data for p in row] for row in mat] for name, mat in model.state_dict.items()},
    }


def save(model, tokenizer, path):
    """Write the weights to `path` as JSON, atomically (a crash never leaves a half-written file)."""
    atomic_write(path, json.dumps(to_dict(model, tokenizer)).encode("utf-8"))


def read(path):
    """Read and check a weights file; returns its dict. Every problem is a WeightsError naming the file."""
    if not os.path.isfile(path):
        raise WeightsError(f"weights file not found: {path}")
    try:
        with open(path, encoding="utf-8") as f:
            blob = json.load(f)
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise WeightsError(f"weights file is not valid JSON ({err}): {path}; save it again with --save") from None
    if not isinstance(blob, dict) or blob.get("format") != FORMAT:
        raise WeightsError(f"{path} is not a microgpt weights file (no \"format\": \"{FORMAT}\")")
    if blob.get("version") != VERSION:
        raise WeightsError(f"{path} has weights format version {blob.get('version')!r}; this microgpt reads {VERSION}")
    for key in ("config", "chars", "state_dict"):
        if key not in blob:
            raise WeightsError(f"weights file {path} has no {key!r} entry")
    return blob


def load(path):
    """Load a model and its tokenizer from a weights file."""
    blob = read(path)
    try:
        config = GPTConfig(**blob["config"])
    except (TypeError, ConfigError) as err:
        raise WeightsError(f"weights file {path} has a bad configuration: {err}") from None
    tokenizer = Tokenizer(blob["chars"])
    if tokenizer.vocab_size != config.vocab_size:
        raise WeightsError(f"weights file {path}: {len(blob['chars'])} characters do not match "
                           f"vocab_size {config.vocab_size}")
    model = GPT(config, rng=_NoRandom())
    load_into(model, blob, path)
    return model, tokenizer


def load_into(model, blob, path="weights"):
    """Copy the numbers of a weights dict into an existing model; refuse any difference in shape."""
    stored = blob["state_dict"]
    if set(stored) != set(model.state_dict):
        missing = sorted(set(model.state_dict) - set(stored))
        extra = sorted(set(stored) - set(model.state_dict))
        raise WeightsError(f"{path} does not fit this model: missing {missing or 'nothing'}, "
                           f"unexpected {extra or 'nothing'}")
    for name, mat in model.state_dict.items():
        rows = stored[name]
        shape = (len(rows), len(rows[0]) if rows else 0)
        if shape != (len(mat), len(mat[0])) or any(len(r) != shape[1] for r in rows):
            raise WeightsError(f"{path} does not fit this model: {name} is {shape[0]}x{shape[1]} in the file "
                               f"but {len(mat)}x{len(mat[0])} in the model")
        for row, values in zip(mat, rows):
            for p, x in zip(row, values):
                if isinstance(x, bool) or not isinstance(x, (int, float)):
                    raise WeightsError(f"{path}: {name} holds {x!r}, which is not a number")
                p.data = float(x)
                p.grad = 0


class _NoRandom:
    """Stands in for a random.Random when the weights are about to be overwritten by loaded ones."""

    def gauss(self, mu, sigma):
        """Always 0.0: a placeholder weight."""
        return 0.0


def load_pretrained():
    """The model of our own 1000-step run of the reference configuration (shipped with the package).

    `make weights` reproduces the file bit for bit: `python -m microgpt --samples 0 --save ...` with the
    default flags. Its samples at temperature 0.5, drawn right after training, are kamon, ann, karai, ...
    """
    path = resources.files("microgpt") / "pretrained.json"
    with resources.as_file(path) as real_path:
        return load(str(real_path))
