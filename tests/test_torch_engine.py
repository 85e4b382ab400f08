"""The PyTorch engine computes what the scalar engine computes; batching, top-k/top-p and the GPT-2 switches."""

import base64
import io
import random
import struct

import pytest

torch = pytest.importorskip("torch")

# after the importorskip, so that without PyTorch the module is skipped instead of failing to import
from microgpt import GPT, GPTConfig, Tokenizer, cli, document_loss, generate, load_pretrained, train, weights  # noqa: E402
from microgpt import engine_torch as et  # noqa: E402
from microgpt import torch_gpt2 as g2  # noqa: E402
from microgpt.data import DatasetError, dataset_path  # noqa: E402
from microgpt.engines import load_engine  # noqa: E402
from microgpt.errors import MicrogptError  # noqa: E402

torch.set_num_threads(1)  # tiny tensors: a second thread only adds hand-offs, and the machine may be shared

TOKENIZER = Tokenizer("abcdefghijklmnopqrstuvwxyz")
DOCS = ["emma", "olivia", "x", "bartholomewjonesy", "ava", "isabella", "mia", "zoe"]  # one longer than a block


def _scalar_logits(model, tokens):
    """The scalar model's logits, position by position with its cache, as a float64 tensor."""
    keys, values = model.new_cache()
    return torch.tensor([[x.data for x in model(t, pos, keys, values)] for pos, t in enumerate(tokens)],
                        dtype=torch.float64)


def test_load_engine_finds_it():
    assert load_engine("torch") is et


@pytest.mark.parametrize("sizes", [dict(), dict(n_layer=2), dict(n_embd=12, n_head=3, block_size=5)])
def test_logits_and_gradients_equal_the_scalar_engine(sizes):
    model = GPT(GPTConfig(vocab_size=TOKENIZER.vocab_size, **sizes), random.Random(1))
    fast = et.TorchGPT.from_scalar(model)
    for doc in DOCS[:4]:
        tokens = TOKENIZER.encode_doc(doc)[:model.config.block_size]
        assert (fast.logits(tokens) - _scalar_logits(model, tokens)).abs().max() <= 1e-12
        loss = document_loss(model, TOKENIZER.encode_doc(doc))
        loss.backward()
        mine = fast.document_loss(TOKENIZER.encode_doc(doc))
        mine.backward()
        want = torch.tensor([p.grad for p in model.parameters()], dtype=torch.float64)
        assert abs(mine.item() - loss.data) <= 1e-12
        assert (fast.flat_grad() - want).abs().max() <= 1e-12
        for p in model.parameters():
            p.grad = 0
        for p in fast.parameters():
            p.grad = None


def test_the_pretrained_model_and_the_same_weights_back():
    model, tok = load_pretrained()
    fast = et.TorchGPT.from_scalar(model)
    tokens = [tok.bos] + tok.encode("emma")
    assert (fast.logits(tokens) - _scalar_logits(model, tokens)).abs().max() <= 1e-12
    assert [p.data for p in fast.to_scalar().parameters()] == [p.data for p in model.parameters()]


def test_a_flat_list_of_the_wrong_length_is_refused():
    with pytest.raises(weights.WeightsError, match="expected 4192 weights"):
        weights.from_flat(GPTConfig(vocab_size=27), [0.0] * 3)


def test_same_random_stream_draws_the_same_weights():
    config = GPTConfig(vocab_size=TOKENIZER.vocab_size)
    fast = et.TorchGPT(config, random.Random(5))
    assert fast.flat().tolist() == [p.data for p in GPT(config, random.Random(5)).parameters()]
    with pytest.raises(MicrogptError):
        et.TorchGPT(config)


def test_a_padded_batch_equals_one_name_at_a_time():
    model = GPT(GPTConfig(vocab_size=TOKENIZER.vocab_size, n_layer=2), random.Random(2))
    fast = et.TorchGPT.from_scalar(model)
    docs = [TOKENIZER.encode_doc(d) for d in DOCS]
    inputs, targets = et.pad_batch(docs, model.config.block_size)
    assert inputs.shape == targets.shape == (len(DOCS), model.config.block_size)
    logits = fast.logits(inputs)
    per_doc = fast.batch_loss(inputs, targets, per_document=True)
    for row, tokens in enumerate(docs):
        n = min(model.config.block_size, len(tokens) - 1)
        assert (logits[row, :n] - _scalar_logits(model, tokens[:n])).abs().max() <= 1e-12
        assert (targets[row, n:] == et.PAD).all()
        assert abs(per_doc[row].item() - document_loss(model, tokens).data) <= 1e-12
    n_real = (targets != et.PAD).sum()
    whole = sum(per_doc[r] * (targets[r] != et.PAD).sum() for r in range(len(docs))) / n_real
    assert abs(fast.batch_loss(inputs, targets).item() - whole.item()) <= 1e-12
    with pytest.raises(MicrogptError):
        et.pad_batch([[TOKENIZER.bos]], 16)


@pytest.mark.slow  # tens of seconds of model work: make test runs it, the edit loop (make check) does not
def test_thirty_training_steps_print_the_scalar_engines_losses():
    docs = ["emma", "olivia", "ava", "isabella", "sophia", "mia", "charlotte", "amelia", "harper", "evelyn"]
    tok = Tokenizer.from_docs(docs)
    config = GPTConfig(vocab_size=tok.vocab_size)
    scalar = GPT(config, random.Random(42))
    fast = et.TorchGPT.from_scalar(scalar)
    want = train(scalar, docs, tok, 30)
    got = et.train(fast, docs, tok, 30)
    assert [f"{x:.4f}" for x in got] == [f"{x:.4f}" for x in want]
    assert max(abs(a - b) for a, b in zip(got, want)) < 1e-12
    assert (fast.flat() - torch.tensor([p.data for p in scalar.parameters()], dtype=torch.float64)).abs().max() < 1e-12
    rng_a, rng_b = random.Random(7), random.Random(7)
    assert [et.generate(fast, tok, rng_a) for _ in range(5)] == [generate(scalar, tok, rng_b) for _ in range(5)]
    assert et.generate(fast, tok, rng_a, temperature=0) == generate(scalar, tok, rng_b, temperature=0)


def test_a_wrong_sequence_is_refused_clearly():
    fast = et.TorchGPT(GPTConfig(vocab_size=5, block_size=4), random.Random(0))
    with pytest.raises(MicrogptError, match="block size"):
        fast.logits([0, 1, 2, 3, 4])
    with pytest.raises(MicrogptError, match="at least two tokens"):
        fast.document_loss([4])


# --- top-k and top-p ---

def test_top_k_keeps_the_k_largest():
    logits = torch.tensor([1.0, 3.0, -2.0, 2.0, 0.5])
    kept = g2.top_k_filter(logits, 2)
    assert torch.isfinite(kept).tolist() == [False, True, False, True, False]
    assert torch.equal(g2.top_k_filter(logits, 5), logits)
    assert torch.isfinite(g2.top_k_filter(logits, 1)).sum() == 1


def test_top_p_keeps_the_smallest_set_reaching_p():
    probs = torch.tensor([0.5, 0.05, 0.3, 0.15])
    logits = probs.log()
    assert torch.isfinite(g2.top_p_filter(logits, 0.75)).tolist() == [True, False, True, False]
    assert torch.isfinite(g2.top_p_filter(logits, 0.8)).tolist() == [True, False, True, False]
    assert torch.isfinite(g2.top_p_filter(logits, 0.81)).tolist() == [True, False, True, True]
    assert torch.isfinite(g2.top_p_filter(logits, 0.1)).tolist() == [True, False, False, False]  # never empty
    assert torch.isfinite(g2.top_p_filter(logits, 1.0)).all()
    p = g2.next_probs(logits, top_k=3, top_p=0.7)
    assert abs(p.sum().item() - 1) < 1e-6 and (p > 0).tolist() == [True, False, True, False]
    with pytest.raises(MicrogptError):
        g2.next_probs(logits, temperature=0)


# --- the GPT-2 steps ---

def test_microgpt_switches_give_microgpts_model():
    """With every switch off, GPT2 computes TorchGPT's function once given the same weights."""
    config = GPTConfig(vocab_size=TOKENIZER.vocab_size, n_layer=2, n_embd=16)
    fast = et.TorchGPT(config, random.Random(3))
    model = g2.GPT2(g2.GPT2Config(vocab_size=config.vocab_size, n_layer=2, n_embd=16)).double()
    sd = fast.state_dict
    with torch.no_grad():
        model.wte.weight.copy_(sd["wte"])
        model.wpe.weight.copy_(sd["wpe"])
        model.lm_head.weight.copy_(sd["lm_head"])
        for i, block in enumerate(model.blocks):
            block.qkv.weight.copy_(torch.cat([sd[f"layer{i}.attn_w{m}"] for m in "qkv"]))
            block.proj.weight.copy_(sd[f"layer{i}.attn_wo"])
            block.fc1.weight.copy_(sd[f"layer{i}.mlp_fc1"])
            block.fc2.weight.copy_(sd[f"layer{i}.mlp_fc2"])
    inputs, _ = et.pad_batch([TOKENIZER.encode_doc(d) for d in DOCS], config.block_size)
    assert (model(inputs) - fast.logits(inputs)).abs().max() <= 1e-12


def test_each_switch_changes_the_parameters_as_expected():
    base = g2.GPT2Config(vocab_size=27, n_layer=1, n_embd=16)
    n = g2.GPT2(base).num_params()
    assert g2.GPT2(base.but(tied=True)).num_params() == n - 27 * 16
    assert g2.GPT2(base.but(layernorm=True)).num_params() == n + 4 * 2 * 16  # 4 norms, gain and bias each
    assert g2.GPT2(base.but(bias=True)).num_params() == n + 3 * 16 + 16 + 4 * 16 + 16
    tied = g2.GPT2(base.but(tied=True))
    assert tied.lm_head.weight is tied.wte.weight


def test_split_is_of_distinct_names_and_training_lowers_validation_loss():
    docs = ["emma", "olivia", "ava", "emma", "mia", "zoe", "ava", "liam", "noah", "lucas"] * 3
    train_names, val_names = g2.split_names(docs, fraction=0.25)
    assert not set(train_names) & set(val_names)
    assert sorted(train_names + val_names) == sorted(set(docs))
    tok = Tokenizer.from_docs(docs)
    model = g2.GPT2(g2.GPT2Config(vocab_size=tok.vocab_size, n_layer=1, n_embd=16, dropout=0.1))
    data, val = g2.tensors(train_names, tok), g2.tensors(val_names, tok)
    before = g2.validation_loss(model, *val)
    assert g2.validation_loss(model, *val) == before  # eval mode: dropout off, deterministic
    history = g2.train_model(model, data, data, 60, batch_size=4, lr=0.01, eval_every=20)
    assert history["step"] == [20, 40, 60] and model.training
    assert history["val"][-1] < g2.validation_loss(g2.GPT2(model.config), *data)


def test_packed_rows_hold_names_end_to_end():
    tok = Tokenizer.from_docs(["ab", "c"])
    inputs, targets = g2.tensors(["ab", "c", "ab"], tok, block_size=4, packed=True)
    bos = tok.bos
    stream = [bos, 0, 1, bos, 2, bos, 0, 1, bos]
    assert inputs.tolist() == [stream[0:4], stream[4:8]]
    assert targets.tolist() == [stream[1:5], stream[5:9]]


def test_sampling_with_filters_gives_names():
    tok = Tokenizer("abc")
    model = g2.GPT2(g2.GPT2Config(vocab_size=tok.vocab_size, n_layer=1, n_embd=8, n_head=2, block_size=6))
    names = [g2.sample(model, tok, random.Random(i), top_k=2, top_p=0.9) for i in range(5)]
    assert all(set(n) <= set("abc") and len(n) <= 6 for n in names)


def test_the_filter_sampler_widget_draws_and_samples():
    pytest.importorskip("ipywidgets")
    from microgpt.widgets_torch import filter_sampler

    tok = Tokenizer("abc")
    model = g2.GPT2(g2.GPT2Config(vocab_size=tok.vocab_size, n_layer=1, n_embd=8, n_head=2, block_size=6))
    toy = filter_sampler(model, tok, num_samples=3)
    toy.top_k.value = 2
    assert sum(p > 0 for p in toy.first_probs()) == 2
    toy.sample_button.click()
    assert len(toy.samples) == 3 and "top-k 2" in toy.output.outputs[0]["data"]["text/html"]


def test_the_filter_sampler_chart_fits_a_notebook_at_the_lessons_size():
    pytest.importorskip("ipywidgets")
    from microgpt.widgets_torch import filter_sampler

    tok = Tokenizer("abcdefghijklmnopqrstuvwxyz")  # 27 bars, as in lesson 09
    model = g2.GPT2(g2.GPT2Config(vocab_size=tok.vocab_size, n_layer=1, n_embd=8, n_head=2, block_size=6))
    toy = filter_sampler(model, tok, num_samples=2)
    pngs = [base64.b64decode(o["data"]["image/png"]) for o in toy.output.outputs if "image/png" in o.get("data", {})]
    assert len(pngs) == 1
    assert struct.unpack(">I", pngs[0][16:20])[0] <= 900  # pixels: no sideways scroll in a 900 px column


# --- the command line ---

def _cli(argv):
    """Run `python -m microgpt` in this process; returns the lines it prints."""
    out = io.StringIO()
    cli.run(cli.build_parser().parse_args(argv), out=out)
    return out.getvalue().splitlines()


@pytest.fixture(scope="module")
def data_path():
    """names.txt (from MICROGPT_DATA or the cache); skips when it cannot be had."""
    try:
        return dataset_path()
    except DatasetError as err:
        pytest.skip(f"names.txt is not available: {err}")


@pytest.mark.slow  # tens of seconds of model work: make test runs it, the edit loop (make check) does not
def test_thirty_steps_on_the_command_line_print_the_value_engines_lines(data_path):
    argv = ["--data", data_path, "--steps", "30"]
    expected = _cli(argv)
    got = _cli(argv + ["--engine", "torch"])
    assert len(expected) == 3 + 30 + 2 + 20
    assert got == expected  # every line: sizes, the 30 losses and the 20 names


def test_the_command_line_saves_the_weights_the_value_engine_trains(data_path, tmp_path):
    argv = ["--data", data_path, "--steps", "3", "--samples", "0", "--save"]
    _cli(argv + [str(tmp_path / "t.json"), "--engine", "torch"])
    _cli(argv + [str(tmp_path / "v.json")])
    (from_torch, _), (from_value, _) = weights.load(str(tmp_path / "t.json")), weights.load(str(tmp_path / "v.json"))
    assert max(abs(a.data - b.data) for a, b in zip(from_torch.parameters(), from_value.parameters())) < 1e-12
    with_torch = _cli(["--load", str(tmp_path / "t.json"), "--samples", "5", "--engine", "torch"])
    assert with_torch == _cli(["--load", str(tmp_path / "t.json"), "--samples", "5"])
