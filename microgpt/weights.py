"""Weights on disk: JSON with the configuration and the vocabulary inside. Never pickle.

JSON writes each float with repr(), which reads back to the very same float, so a saved model
produces exactly the same numbers after loading. The engines of lessons 08 and 09 keep the same weights as
one flat list: `draw_flat` and `from_flat` convert between that list and a scalar GPT.
"""

import json
from importlib import resources

from .data import Tokenizer
from .files import atomic_write
from .model import GPT, INIT_STD, GPTConfig, count_params, param_shapes
from .weights_checks import WeightsError, check_chars, check_config_entry, check_file, check_numbers

FORMAT = "microgpt-weights"
VERSION = 1


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
    check_file(path)
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
    config = check_config_entry(blob["config"], path)
    check_chars(blob["chars"], config, path)
    check_numbers(blob["state_dict"], param_shapes(config), path)
    return blob


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
    check_numbers(blob["state_dict"], shapes, path)
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
