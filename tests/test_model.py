"""The model: configuration checks, parameter count and order, gradients, causality, attention maps."""

import random

import pytest

from microgpt import GPT, Adam, GPTConfig, attention_maps, count_params, document_loss, train_step
from microgpt.model import ConfigError

from .conftest import tiny_model


@pytest.mark.parametrize("sizes, message", [
    (dict(n_embd=10, n_head=4), "divisible by n_head"),
    (dict(block_size=0), "block_size must be at least 1"),
    (dict(n_layer=-1), "n_layer must be at least 1"),
    (dict(n_head=0), "n_head must be at least 1"),
    (dict(n_embd=16.0), "n_embd must be a whole number"),
    (dict(vocab_size=1), "vocab_size must be at least 2"),
])
def test_impossible_configurations_are_refused(sizes, message):
    with pytest.raises(ConfigError, match=message):
        GPTConfig(**{"vocab_size": 27, **sizes})


def test_parameter_count_is_4192_for_the_reference_model():
    config = GPTConfig(vocab_size=27)
    assert count_params(config) == 4192
    model = GPT(config, random.Random(42))
    assert len(model.parameters()) == model.num_params() == 4192


def test_weights_are_drawn_row_by_row_in_the_reference_order():
    config = GPTConfig(vocab_size=5, n_embd=4, n_head=2, block_size=3)
    model = GPT(config, random.Random(7))
    rng = random.Random(7)
    expected = [rng.gauss(0, 0.08) for _ in range(count_params(config))]
    assert [p.data for p in model.parameters()] == expected
    assert list(model.state_dict)[:4] == ["wte", "wpe", "lm_head", "layer0.attn_wq"]


def test_model_gradients_match_finite_differences():
    model, tok = tiny_model(n_embd=8, n_head=2, block_size=8)
    tokens = tok.encode_doc("emma")
    loss = document_loss(model, tokens)
    loss.backward()
    params = model.parameters()
    rng = random.Random(3)
    for p in rng.sample(params, 12) + [model.state_dict["wte"][tokens[1]][0], model.state_dict["lm_head"][0][0]]:
        analytic, old, h = p.grad, p.data, 1e-5
        p.data = old + h
        up = document_loss(model, tokens).data
        p.data = old - h
        down = document_loss(model, tokens).data
        p.data = old
        assert analytic == pytest.approx((up - down) / (2 * h), rel=1e-4, abs=1e-7)


def test_twelve_layers_train_without_recursion_error():
    # The reference's recursive topological sort overflows Python's stack from about 10 layers.
    model, tok = tiny_model(n_layer=12)
    opt = Adam(model.parameters())
    before = train_step(model, tok.encode_doc("olivia"), opt, 0.01)
    after = document_loss(model, tok.encode_doc("olivia")).data
    assert after < before


def test_a_position_never_sees_the_future():
    model, tok = tiny_model()
    a, b = tok.encode_doc("emma"), tok.encode_doc("emva")  # differ at position 3 only
    def logits_up_to(tokens, n):
        keys, values = model.new_cache()
        return [[v.data for v in model(t, pos, keys, values)] for pos, t in enumerate(tokens[:n])]
    assert logits_up_to(a, 3) == logits_up_to(b, 3)
    assert logits_up_to(a, 4)[3] != logits_up_to(b, 4)[3]


def test_attention_maps_are_causal_distributions():
    model, tok = tiny_model(n_layer=2)
    ids = tok.encode_doc("olivia")[:6]
    maps = attention_maps(model, ids)
    assert len(maps) == 2 and len(maps[0]) == 4
    for layer in maps:
        for head in layer:
            for q, row in enumerate(head):
                assert sum(row) == pytest.approx(1.0)
                assert all(w == 0.0 for w in row[q + 1:])


def test_long_document_is_cut_at_the_block_size():
    model, tok = tiny_model(docs=("abcdefghij",), block_size=4)
    loss = document_loss(model, tok.encode_doc("abcdefghijabcdefghij"))
    assert loss.data > 0
