"""Shared fixtures: the real dataset (through MICROGPT_DATA) and small hand-made ones."""

import os
import random

import pytest

from microgpt import GPT, GPTConfig, Tokenizer


@pytest.fixture(scope="session")
def names_path():
    """Path of names.txt, from MICROGPT_DATA (CI points it at ../shared/data/names.txt)."""
    path = os.environ.get("MICROGPT_DATA")
    if not path or not os.path.isfile(path):
        pytest.fail("set MICROGPT_DATA to the path of names.txt (e.g. ../shared/data/names.txt) to run the tests")
    return path


@pytest.fixture
def small_data(tmp_path):
    """A tiny dataset file of a few names."""
    path = tmp_path / "names.txt"
    path.write_text("emma\nolivia\nava\nisabella\nsophia\nmia\n", encoding="utf-8")
    return str(path)


def tiny_model(docs=("emma", "olivia", "ava"), seed=0, **sizes):
    """A small random model and its tokenizer, for tests that need any model at all."""
    tokenizer = Tokenizer.from_docs(docs)
    config = GPTConfig(vocab_size=tokenizer.vocab_size, **sizes)
    return GPT(config, random.Random(seed)), tokenizer
