"""Weights on disk: exact round trip, shape mismatches named, corrupt files refused, the shipped model."""

import json
import os
import random
from pathlib import Path

import pytest

from microgpt import load_pretrained
from microgpt.model import GPT, GPTConfig
from microgpt.sample import generate
from microgpt.weights import WeightsError, load, load_into, read, save

from .conftest import tiny_model


def logits(model, token=0):
    """The first position's logits as floats."""
    keys, values = model.new_cache()
    return [v.data for v in model(token, 0, keys, values)]


def test_round_trip_is_exact(tmp_path):
    model, tok = tiny_model(n_layer=2)
    path = tmp_path / "w.json"
    save(model, tok, str(path))
    loaded, tok2 = load(str(path))
    assert tok2.chars == tok.chars and loaded.config == model.config
    assert [p.data for p in loaded.parameters()] == [p.data for p in model.parameters()]
    assert logits(loaded) == logits(model)
    assert path.stat().st_mode & 0o044  # readable by others, like any file the user writes


def test_loading_into_another_shape_names_the_mismatch(tmp_path):
    model, tok = tiny_model(n_embd=16)
    path = tmp_path / "w.json"
    save(model, tok, str(path))
    other = GPT(GPTConfig(vocab_size=tok.vocab_size, n_embd=8, n_head=4), random.Random(0))
    with pytest.raises(WeightsError, match=r"wte is 8x16 in the file but 8x8 in the model"):
        load_into(other, read(str(path)), str(path))
    deeper = GPT(GPTConfig(vocab_size=tok.vocab_size, n_layer=2), random.Random(0))
    with pytest.raises(WeightsError, match=r"missing \['layer1\.attn_wk'"):
        load_into(deeper, read(str(path)), str(path))


@pytest.mark.parametrize("content, message", [
    ("{not json", "not valid JSON"),
    ("[1, 2]", "not a microgpt weights file"),
    ('{"format": "microgpt-weights", "version": 99}', "version 99"),
    ('{"format": "microgpt-weights", "version": 1, "config": {}}', "no 'chars' entry"),
])
def test_corrupt_files_are_refused(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(WeightsError, match=message):
        load(str(path))


def test_non_numbers_and_bad_configs_inside_are_refused(tmp_path):
    model, tok = tiny_model()
    path = tmp_path / "w.json"
    save(model, tok, str(path))
    blob = json.loads(path.read_text())
    blob["state_dict"]["wte"][0][0] = "x"
    path.write_text(json.dumps(blob))
    with pytest.raises(WeightsError, match="not a number"):
        load(str(path))
    blob["config"]["n_head"] = 5
    path.write_text(json.dumps(blob))
    with pytest.raises(WeightsError, match="divisible"):
        load(str(path))


def test_missing_file(tmp_path):
    with pytest.raises(WeightsError, match="not found"):
        load(str(tmp_path / "none.json"))


def test_the_package_never_pickles():
    for source in (Path(__file__).parent.parent / "microgpt").rglob("*.py"):
        text = source.read_text()
        assert "import pickle" not in text and "pickle.load" not in text, source


def test_shipped_weights_sample_the_reference_names():
    model, tok = load_pretrained()
    assert model.num_params() == 4192 and tok.vocab_size == 27
    # the stream as the reference leaves it after training: one shuffle, then 4192 draws for the weights
    rng = random.Random(42)
    rng.shuffle(list(range(32033)))
    for _ in range(4192):
        rng.gauss(0, 0.08)
    names = [generate(model, tok, rng, temperature=0.5) for _ in range(3)]
    assert names == ["kamon", "ann", "karai"]


@pytest.mark.parametrize("text, message", [
    ("[" * 100_000, "nested too deeply"),
    ('{"format": ' + "9" * 5000 + "}", "thousands of digits"),
])
def test_hostile_json_is_a_clear_error(tmp_path, text, message):
    path = tmp_path / "w.json"
    path.write_text(text)
    with pytest.raises(WeightsError, match=message):
        load(str(path))


@pytest.mark.parametrize("key, value, message", [
    ("n_embd", 100_000, "limit of 1024"),
    ("block_size", 10**9, "limit of 1024"),
    ("n_layer", 10**6, "limit of 64"),
])
def test_sizes_beyond_the_bounds_are_refused_before_allocating(tmp_path, key, value, message):
    model, tok = tiny_model()
    path = tmp_path / "w.json"
    save(model, tok, str(path))
    blob = json.loads(path.read_text())
    blob["config"][key] = value  # the matrices no longer fit either: the configuration is checked first
    path.write_text(json.dumps(blob))
    with pytest.raises(WeightsError, match=message):
        load(str(path))


def test_save_refuses_what_is_not_a_regular_file(tmp_path):
    from microgpt.files import TargetError

    model, tok = tiny_model()
    os.symlink(tmp_path / "elsewhere.json", tmp_path / "link.json")
    for target, message in [(os.devnull, "not a regular file"), (tmp_path, "folder"),
                            (tmp_path / "link.json", "symbolic link")]:
        with pytest.raises(TargetError, match=message):
            save(model, tok, str(target))
    assert sorted(os.listdir(tmp_path)) == ["link.json"]
