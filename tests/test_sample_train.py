"""Sampling and the training loop: temperature, greedy, prefix, the next-token draw, callback, bad arguments."""

import random

import pytest

from microgpt import Adam, MicrogptError, Value, generate, softmax, train
from microgpt.sample import sample_next_token, token_probs

from .conftest import tiny_model


def test_greedy_is_deterministic_and_uses_no_randomness():
    model, tok = tiny_model()
    rng = random.Random(0)
    state = rng.getstate()
    names = {generate(model, tok, rng, temperature=0) for _ in range(3)}
    assert len(names) == 1 and rng.getstate() == state


def test_negative_or_non_number_temperature_is_an_error():
    model, tok = tiny_model()
    for bad in (-0.1, "hot", None):
        with pytest.raises(MicrogptError, match="temperature"):
            generate(model, tok, random.Random(0), temperature=bad)


def test_prefix_is_kept_and_continued():
    model, tok = tiny_model()
    for seed in range(5):
        out = generate(model, tok, random.Random(seed), temperature=1.0, prefix="em")
        assert out.startswith("em") and len(out) <= model.config.block_size
    with pytest.raises(MicrogptError, match="not in the vocabulary"):
        generate(model, tok, random.Random(0), prefix="xyz")
    with pytest.raises(MicrogptError, match="at most 15"):
        generate(model, tok, random.Random(0), prefix="a" * 16)


def test_samples_never_exceed_the_block_size():
    model, tok = tiny_model(block_size=4)
    assert all(len(generate(model, tok, random.Random(s), temperature=3.0)) <= 4 for s in range(20))


@pytest.mark.slow  # tens of seconds of model work: make test runs it, the edit loop (make check) does not
def test_train_reports_every_step_and_lowers_the_loss():
    model, tok = tiny_model()
    seen = []
    docs = ["emma", "ava", "olivia"] * 10
    losses = train(model, docs, tok, num_steps=30, optimizer=Adam(model.parameters()),
                   callback=lambda s, n, loss: seen.append((s, n, loss)))
    assert [s for s, _, _ in seen] == list(range(1, 31)) and all(n == 30 for _, n, _ in seen)
    assert losses == [loss for _, _, loss in seen]
    assert sum(losses[-5:]) < sum(losses[:5])


def test_train_refuses_bad_arguments():
    model, tok = tiny_model()
    with pytest.raises(MicrogptError, match="whole number >= 0"):
        train(model, ["emma"], tok, num_steps=-1)
    with pytest.raises(MicrogptError, match="no documents"):
        train(model, [], tok, num_steps=1)


def test_token_probs_are_the_value_softmax_at_a_temperature_to_the_last_bit():
    logits = [2.0, 1.0, 0.1, -1.0, 0.5, 1.5, 3.25]
    for temperature in (0.5, 1.0, 1.3, 2.0):
        want = [p.data for p in softmax([Value(x) / temperature for x in logits])]
        assert token_probs(logits, temperature) == want
    assert token_probs([1.0, 3.0, 3.0], 0) == [0.0, 1.0, 0.0]  # greedy: all on the first of the most likely


def test_sample_next_token_draws_with_the_probabilities_as_weights():
    logits = [2.0, 1.0, 0.1, -1.0]
    draws, check = random.Random(5), random.Random(5)
    got = [sample_next_token(logits, draws, 0.7) for _ in range(50)]
    assert got == [check.choices(range(4), weights=token_probs(logits, 0.7))[0] for _ in range(50)]
    assert len(set(got)) > 1
    state = draws.getstate()
    assert sample_next_token(logits, draws, 0) == 0 and draws.getstate() == state  # greedy draws nothing
