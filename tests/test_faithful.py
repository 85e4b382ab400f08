"""Faithfulness: the package prints the reference's numbers (as kept in tests/golden/reference_run.txt)."""

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from microgpt import GPT, Adam, GPTConfig, Tokenizer, linear_decay, load_docs, train_step

GOLDEN = Path(__file__).parent / "golden" / "reference_run.txt"
PRETRAINED = Path(__file__).parent.parent / "microgpt" / "pretrained.json"


def reference_setup(path):
    """Docs shuffled and a model initialised from one Random(42) stream, as the reference does."""
    rng = random.Random(42)
    docs = load_docs(path)
    rng.shuffle(docs)
    tok = Tokenizer.from_docs(docs)
    return rng, docs, tok, GPT(GPTConfig(vocab_size=tok.vocab_size), rng)


def test_first_three_losses_from_the_api(names_path):
    rng, docs, tok, model = reference_setup(names_path)
    assert (len(docs), tok.vocab_size, model.num_params()) == (32033, 27, 4192)
    opt = Adam(model.parameters())
    losses = [train_step(model, tok.encode_doc(docs[s]), opt, linear_decay(0.01, s, 1000)) for s in range(3)]
    assert [f"{x:.4f}" for x in losses] == ["3.3660", "3.4243", "3.1778"]


@pytest.mark.slow  # a full-size run, about 90 s: make test only
def test_the_full_default_run_prints_the_reference_lines(names_path, tmp_path):
    """All 1000 steps and 20 samples, line for line (about 90 s), and the shipped weights bit for bit."""
    saved = tmp_path / "w.json"
    env = {**os.environ, "MICROGPT_DATA": names_path}
    out = subprocess.run([sys.executable, "-m", "microgpt", "--save", str(saved)], capture_output=True,
                         text=True, env=env, check=True).stdout
    lines = out.splitlines()
    golden = GOLDEN.read_text().splitlines()
    assert lines[:6] == ["num docs: 32033", "vocab size: 27", "num params: 4192", "step    1 / 1000 | loss 3.3660",
                         "step    2 / 1000 | loss 3.4243", "step    3 / 1000 | loss 3.1778"]
    assert lines[1002] == "step 1000 / 1000 | loss 2.6497"
    assert lines[1004:1007] == ["--- inference (new, hallucinated names) ---", "sample  1: kamon", "sample  2: ann"]
    assert lines == golden
    if PRETRAINED.exists():  # `make weights` must reproduce the shipped file exactly
        assert json.loads(saved.read_text()) == json.loads(PRETRAINED.read_text())
