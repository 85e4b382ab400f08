"""The model: configuration checks, parameter count and order, gradients, causality, attention maps, and each
named block of the forward pass on its own."""

import random

import pytest

from microgpt import (
    GPT,
    Adam,
    GPTConfig,
    MicrogptError,
    Value,
    attention_maps,
    count_params,
    document_loss,
    model,
    train_step,
)
from microgpt.model import ConfigError
from microgpt.nn import linear, rmsnorm

from .conftest import tiny_model


@pytest.mark.parametrize("sizes, message", [
    (dict(n_embd=10, n_head=4), "divisible by n_head"),
    (dict(block_size=0), "block_size must be at least 1"),
    (dict(n_layer=-1), "n_layer must be at least 1"),
    (dict(n_head=0), "n_head must be at least 1"),
    (dict(n_embd=16.0), "n_embd must be a whole number"),
    (dict(vocab_size=1), "vocab_size must be at least 2"),
    (dict(n_embd=100_000), "n_embd 100000 is above this package's limit of 1024"),
    (dict(block_size=1025), "block_size 1025 is above this package's limit of 1024"),
    (dict(n_layer=65), "n_layer 65 is above this package's limit of 64"),
    (dict(vocab_size=10_001), "vocab_size 10001 is above this package's limit of 10000"),
    (dict(n_layer=64, n_embd=256), "above this package's limit of 2,000,000"),
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


@pytest.mark.slow  # tens of seconds of model work: make test runs it, the edit loop (make check) does not
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


# --- the named blocks of the forward pass, each on a case small enough to check by hand ---

def _values(numbers):
    return [Value(float(n)) for n in numbers]


def _data(vec):
    return [v.data for v in vec]


def test_embed_adds_the_token_row_and_the_position_row():
    wte, wpe = [_values([1, 2]), _values([3, 4])], [_values([0.5, 0.25]), _values([10, 20])]
    assert _data(model.embed(1, 0, wte, wpe)) == [3.5, 4.25]


def test_head_slice_takes_head_dim_numbers_from_h_times_head_dim():
    assert model.head_slice(list(range(8)), 1, 4) == [4, 5, 6, 7]
    assert model.head_slice(list(range(8)), 3, 2) == [6, 7]


def test_attention_scores_and_attend_on_a_worked_example():
    q, keys = _values([1, 0, 2, -1]), [_values([1, 1, 1, 1]), _values([2, 0, 0, 2]), _values([0, -1, 1, 3])]
    assert _data(model.attention_scores(q, keys, 4)) == [1.0, 0.0, -0.5]  # dot products 2, 0, -1 over sqrt(4)
    weights, values = _values([0.5, 0.25, 0.25]), [_values([2, 0]), _values([0, 4]), _values([4, 8])]
    assert _data(model.attend(weights, values)) == [2.0, 3.0]


def test_multi_head_attention_over_one_position_returns_its_value_and_records_each_head():
    value = _values([0.5, -1, 2, 0.25, 1.5, -0.5])
    record = []
    out = model.multi_head_attention(_values([1, 2, 3, 4, 5, 6]), [value], [value], 3, record=record)
    assert _data(out) == _data(value)  # one key: every head gives it weight 1
    assert record == [[1.0], [1.0], [1.0]]


def test_mlp_is_fc1_relu_fc2():
    fc1, fc2 = [_values([1, 0]), _values([0, 1]), _values([1, 1])], [_values([1, 1, 1]), _values([-2, 1, 3])]
    assert _data(model.mlp(_values([1, -1]), fc1, fc2)) == [1.0, -2.0]  # fc1 x = [1, -1, 0], relu [1, 0, 0]


def test_residual_block_adds_f_of_the_normalised_input_to_the_input():
    x = _values([3, -4, 1])
    assert _data(model.residual_block(x, lambda xn: [0 * v for v in xn])) == [3.0, -4.0, 1.0]
    doubled = model.residual_block(x, lambda xn: [2 * v for v in xn])
    assert _data(doubled) == [a + 2 * b for a, b in zip(_data(x), _data(rmsnorm(x)))]


def test_the_named_blocks_composed_by_hand_are_the_model_to_the_last_bit():
    net, tok = tiny_model(n_layer=2)
    sd, c = net.state_dict, net.config
    ours, theirs = net.new_cache(), net.new_cache()
    for pos, token in enumerate(tok.encode_doc("olivia")[:8]):
        x = rmsnorm(model.embed(token, pos, sd["wte"], sd["wpe"]))
        for li in range(c.n_layer):
            keys, values, fc1, fc2 = ours[0][li], ours[1][li], sd[f"layer{li}.mlp_fc1"], sd[f"layer{li}.mlp_fc2"]
            x = model.residual_block(x, lambda xn: model.attention(xn, keys, values, sd, li, c))  # noqa: B023
            x = model.residual_block(x, lambda xn: model.mlp(xn, fc1, fc2))  # noqa: B023
        by_hand = _data(linear(x, sd["lm_head"]))
        assert by_hand == _data(net(token, pos, *theirs))
        assert len(ours[0][0]) == len(theirs[0][0]) == pos + 1  # each layer cached one key per position


def test_gpt_uses_the_heads_function_it_is_given():
    net, tok = tiny_model()
    calls = []

    def heads(q, keys, values, n_head):
        calls.append((len(q), len(keys), n_head))
        return model.multi_head_attention(q, keys, values, n_head)

    keys, values = net.new_cache()
    want = _data(net(tok.bos, 0, *net.new_cache()))
    assert _data(model.gpt(tok.bos, 0, keys, values, net.state_dict, net.config, heads=heads)) == want
    assert calls == [(16, 1, 4)]


def test_zeros_builds_a_model_without_drawing_random_numbers():
    net = GPT.zeros(GPTConfig(vocab_size=5, n_embd=4, n_head=2, block_size=3))
    assert net.num_params() == len(net.parameters()) and {p.data for p in net.parameters()} == {0.0}


def test_a_position_past_the_block_size_is_one_clear_error():
    net, tok = tiny_model(block_size=2)
    with pytest.raises(MicrogptError, match="outside the block size 2"):
        net(tok.bos, 2, *net.new_cache())


def test_the_bounds_are_one_set_of_numbers_shared_with_the_command_line():
    from microgpt import limits
    from microgpt.cli import build_parser

    assert limits.ConfigError is ConfigError  # GPTConfig raises the limits' error: one place for the bounds
    helps = build_parser().format_help()
    for name, most in limits.MAX_SIZE.items():
        if name != "vocab_size":
            assert f"at most {most}" in helps
    assert f"{limits.MAX_PARAMS:,} weights" in helps and f"{limits.MAX_SIZE['vocab_size']:,} distinct" in helps
    largest = GPTConfig(vocab_size=27, n_layer=8, n_embd=128)  # under the bounds: built, and check_config agrees
    model.check_config(largest)
