"""The NumPy engine computes what the scalar engine computes: weights, gradients, losses, samples, files."""

import io
import os
import random
import subprocess
import sys

import pytest

np = pytest.importorskip("numpy")

# after the importorskip, so that without NumPy the module is skipped instead of failing to import
from microgpt import GPT, GPTConfig, Tokenizer, bench, cli, document_loss, generate, train, weights  # noqa: E402
from microgpt import model as scalar_blocks  # noqa: E402
from microgpt import numpy_blocks as nb  # noqa: E402
from microgpt.data import DatasetError, dataset_path  # noqa: E402
from microgpt.engine_numpy import Adam, NumpyGPT  # noqa: E402
from microgpt.engine_numpy import generate as np_generate  # noqa: E402
from microgpt.engine_numpy import train as np_train  # noqa: E402
from microgpt.errors import MicrogptError  # noqa: E402
from microgpt.value import Value  # noqa: E402

GOLDEN = os.path.join(os.path.dirname(__file__), "golden", "reference_run.txt")
TOKENIZER = Tokenizer("abcdefghijklmnopqrstuvwxyz")
DOCS = ["emma", "olivia", "x", "bartholomewjonesy", "ava", "isabella", "mia", "zoe"]  # one longer than a block

CONFIGS = {
    "default": dict(),
    "2 layers": dict(n_layer=2),
    "odd shape": dict(n_layer=1, n_embd=12, n_head=3, block_size=5),  # 3 heads; documents cut at 5
}


def _config(name):
    """A GPTConfig for the synthetic tokenizer."""
    return GPTConfig(vocab_size=TOKENIZER.vocab_size, **CONFIGS[name])


def _scalar_grads(model):
    """The scalar model's gradients as arrays, by matrix name."""
    return {name: np.array([[p.grad for p in row] for row in mat], dtype=float)
            for name, mat in model.state_dict.items()}


@pytest.fixture(scope="module")
def data_path():
    """names.txt (from MICROGPT_DATA or the cache); skips when it cannot be had."""
    try:
        return dataset_path()
    except DatasetError as err:
        pytest.skip(f"names.txt is not available: {err}")


def _cli(argv):
    """Run the command line in this process; returns the lines it prints."""
    out = io.StringIO()
    args = cli.build_parser().parse_args(argv)
    cli.run(args, out=out)
    return out.getvalue().splitlines()


def _same(a, b):
    """How many lines are equal, position by position."""
    return sum(x == y for x, y in zip(a, b))


# --- the model itself ---

@pytest.mark.parametrize("name", list(CONFIGS))
def test_initial_weights_come_from_the_same_random_draws(name):
    rng_scalar, rng_numpy = random.Random(7), random.Random(7)
    scalar = GPT(_config(name), rng_scalar)
    model = NumpyGPT(_config(name), rng_numpy)
    assert model.flat.tolist() == [p.data for p in scalar.parameters()]
    assert rng_numpy.getstate() == rng_scalar.getstate()  # the same number of draws: the stream goes on alike
    for key, mat in scalar.state_dict.items():
        assert model.state_dict[key].tolist() == [[p.data for p in row] for row in mat]


def test_to_scalar_and_from_scalar_copy_every_weight_exactly():
    model = NumpyGPT(_config("2 layers"), random.Random(3))
    back = NumpyGPT.from_scalar(model.to_scalar())
    assert back.flat.tolist() == model.flat.tolist()
    back.state_dict["wte"][0, 0] = 99.0  # a copy, not a view of the same memory
    assert model.state_dict["wte"][0, 0] != 99.0


@pytest.mark.parametrize("name", list(CONFIGS))
def test_gradients_equal_the_scalar_engines(name):
    scalar = GPT(_config(name), random.Random(1))
    for p in scalar.parameters():  # move away from the tiny initial weights, so every path carries gradient
        p.data *= 6
    model = NumpyGPT.from_scalar(scalar)
    for doc in DOCS[:4]:
        tokens = TOKENIZER.encode_doc(doc)
        loss = document_loss(scalar, tokens)
        loss.backward()
        assert model.loss_and_grads(tokens) == pytest.approx(loss.data, rel=1e-12)
        expected = _scalar_grads(scalar)
        for key, grad in expected.items():
            assert np.abs(grad).max() > 0 or key == "wpe", key
            np.testing.assert_allclose(model.grads[key], grad, rtol=1e-9, atol=1e-12, err_msg=f"{name}: {key}")
        for p in scalar.parameters():
            p.grad = 0


def test_a_document_needs_two_tokens():
    model = NumpyGPT(_config("default"), random.Random(0))
    with pytest.raises(MicrogptError, match="two tokens"):
        model.loss_and_grads([TOKENIZER.bos])


@pytest.mark.parametrize("name", ["default", "odd shape"])
def test_training_follows_the_scalar_engine(name):
    scalar = GPT(_config(name), random.Random(5))
    model = NumpyGPT.from_scalar(scalar)
    expected = train(scalar, DOCS, TOKENIZER, num_steps=6)
    got = np_train(model, DOCS, TOKENIZER, num_steps=6, optimizer=Adam(model))
    assert got == pytest.approx(expected, rel=1e-12)
    np.testing.assert_allclose(model.flat, [p.data for p in scalar.parameters()], rtol=0, atol=1e-12)


def test_training_can_continue_where_it_stopped():
    scalar = GPT(_config("default"), random.Random(2))
    model = NumpyGPT.from_scalar(scalar)
    calls_scalar, calls_numpy = [], []
    expected = train(scalar, DOCS, TOKENIZER, num_steps=6, start_step=3, callback=lambda *a: calls_scalar.append(a))
    got = np_train(model, DOCS, TOKENIZER, num_steps=6, start_step=3, callback=lambda *a: calls_numpy.append(a))
    assert got == pytest.approx(expected, rel=1e-12) and len(got) == 3
    assert [c[:2] for c in calls_numpy] == [c[:2] for c in calls_scalar] == [(4, 6), (5, 6), (6, 6)]


@pytest.fixture(scope="module")
def trained_scalar():
    """A scalar GPT after a few training steps (so that its samples are not all equally likely)."""
    scalar = GPT(_config("default"), random.Random(4))
    train(scalar, DOCS, TOKENIZER, num_steps=4)
    return scalar


@pytest.mark.parametrize("temperature, prefix", [(0.5, ""), (0, ""), (1.3, "ka")])
def test_samples_are_the_scalar_engines(trained_scalar, temperature, prefix):
    scalar = trained_scalar
    model = NumpyGPT.from_scalar(scalar)
    rng_scalar, rng_numpy = random.Random(9), random.Random(9)
    expected = [generate(scalar, TOKENIZER, rng_scalar, temperature, prefix) for _ in range(6)]
    got = [np_generate(model, TOKENIZER, rng_numpy, temperature, prefix) for _ in range(6)]
    assert got == expected
    assert rng_numpy.getstate() == rng_scalar.getstate()


def test_generate_refuses_what_the_scalar_engine_refuses():
    model = NumpyGPT(_config("odd shape"), random.Random(0))
    with pytest.raises(MicrogptError, match="temperature"):
        np_generate(model, TOKENIZER, random.Random(0), temperature=-1)
    with pytest.raises(MicrogptError, match="prefix"):
        np_generate(model, TOKENIZER, random.Random(0), prefix="abcde")
    assert len(np_generate(model, TOKENIZER, random.Random(0), temperature=3.0)) <= 5


# --- the blocks, one by one ---

def _random_layer(rng, C):
    """A Layer of random weights for width C, and a Layer of zeros for its gradients."""
    layer = nb.Layer(*(rng.normal(0, 0.5, shape) for shape in [(3 * C, C), (C, C), (4 * C, C), (C, 4 * C)]))
    return layer, nb.Layer(*(np.zeros_like(w) for w in layer))


def _numerical_grad(f, x, dout, h=1e-6):
    """d sum(f(x) * dout) / dx by central differences, entry by entry (x is changed and restored in place)."""
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        up = (f() * dout).sum()
        x[i] = old - h
        down = (f() * dout).sum()
        x[i] = old
        grad[i] = (up - down) / (2 * h)
    return grad


def test_each_backward_is_the_derivative_of_its_forward():
    rng = np.random.default_rng(0)
    T, C, n_head = 4, 8, 2
    layer, grad = _random_layer(rng, C)
    mask = np.triu(np.full((T, T), -np.inf), k=1)
    x, dout = rng.normal(0, 1, (T, C)), rng.normal(0, 1, (T, C))
    pairs = {
        "rmsnorm": (lambda: nb.rmsnorm(x)[0], lambda: nb.rmsnorm_backward(x, nb.rmsnorm(x)[1], dout)),
        "attention": (lambda: nb.attention(x, layer, n_head, mask)[0],
                      lambda: nb.attention_backward(dout, nb.attention(x, layer, n_head, mask)[1], layer, grad)),
        "mlp": (lambda: nb.mlp(x, layer)[0], lambda: nb.mlp_backward(dout, nb.mlp(x, layer)[1], layer, grad)),
        "block": (lambda: nb.block(x, layer, n_head, mask)[0],
                  lambda: nb.block_backward(dout, nb.block(x, layer, n_head, mask)[1], layer, grad)),
    }
    for name, (forward, backward) in pairs.items():
        np.testing.assert_allclose(backward(), _numerical_grad(forward, x, dout), rtol=1e-6, atol=1e-8,
                                   err_msg=name)
    # block_backward (just run above) wrote the gradient of every weight of the layer
    for name, matrix, analytic in zip(nb.Layer._fields, layer, grad):
        numerical = _numerical_grad(lambda: nb.block(x, layer, n_head, mask)[0], matrix, dout)
        np.testing.assert_allclose(analytic, numerical, rtol=1e-6, atol=1e-8, err_msg=name)


def test_a_numpy_block_is_the_scalar_block_at_every_position():
    scalar = GPT(_config("odd shape"), random.Random(1))
    model = NumpyGPT.from_scalar(scalar)
    x = np.random.default_rng(1).normal(0, 1, (5, 12))
    got, _ = nb.block(x, model.layers[0], 3, model.mask)
    keys, values = [], []  # the scalar block reads one position at a time, over its cache
    for t in range(5):
        want = scalar_blocks.block([Value(v) for v in x[t]], keys, values, scalar.state_dict, 0, scalar.config)
        np.testing.assert_allclose(got[t], [v.data for v in want], rtol=1e-12, atol=1e-14)


def test_the_forward_pass_keeps_a_named_cache():
    model = NumpyGPT(_config("2 layers"), random.Random(0))
    tokens = TOKENIZER.encode_doc("emma")
    logits, cache = model.forward(tokens)
    assert logits.shape == (len(tokens), TOKENIZER.vocab_size) and len(cache.blocks) == 2
    probs = cache.blocks[1].attn.probs  # (n_head, T, T)
    assert probs.shape == (4, len(tokens), len(tokens))
    np.testing.assert_allclose(probs.sum(axis=2), 1.0)
    assert not np.triu(probs, k=1).any()  # no weight on the future
    with pytest.raises(MicrogptError, match="do not fit the block size"):
        model.logits(TOKENIZER.encode_doc("bartholomewjonesy"))


# --- the command line ---

@pytest.mark.slow  # tens of seconds of model work: make test runs it, the edit loop (make check) does not
def test_thirty_steps_print_the_scalar_engines_lines(data_path):
    argv = ["--data", data_path, "--steps", "30"]
    expected = _cli(argv)
    got = _cli(argv + ["--engine", "numpy"])
    assert len(got) == len(expected) == 3 + 30 + 2 + 20
    assert got[:3] == expected[:3]  # num docs, vocab size, num params
    assert _same(got[3:33], expected[3:33]) >= 29
    assert got[33:35] == expected[33:35]
    assert _same(got[35:], expected[35:]) >= 18


def test_the_full_default_run_prints_the_reference(data_path):
    # the numpy engine takes well under a second for the whole reference run
    with open(GOLDEN, encoding="utf-8") as f:
        expected = f.read().splitlines()
    got = _cli(["--data", data_path, "--engine", "numpy"])
    assert len(got) == len(expected)
    assert got[:3] == expected[:3]
    assert _same(got[3:1003], expected[3:1003]) >= 990
    assert _same(got[1005:], expected[1005:]) >= 18


def test_save_and_load_work_with_the_numpy_engine(data_path, tmp_path):
    path = str(tmp_path / "w.json")
    _cli(["--data", data_path, "--steps", "4", "--samples", "0", "--engine", "numpy", "--save", path])
    model, tokenizer = weights.load(path)  # a normal weights file
    assert tokenizer.vocab_size == 27 and model.num_params() == 4192
    with_numpy = _cli(["--load", path, "--samples", "5", "--engine", "numpy"])
    with_value = _cli(["--load", path, "--samples", "5"])
    assert with_numpy == with_value
    assert sum(line.startswith("sample ") for line in with_numpy) == 5
    # and the weights the scalar engine trains in those 4 steps are the same, to the last digits
    scalar_path = str(tmp_path / "s.json")
    _cli(["--data", data_path, "--steps", "4", "--samples", "0", "--save", scalar_path])
    scalar, _ = weights.load(scalar_path)
    np.testing.assert_allclose([p.data for p in model.parameters()], [p.data for p in scalar.parameters()],
                               rtol=0, atol=1e-12)


def test_a_missing_numpy_is_one_line_with_the_fix(tmp_path):
    code = ("import sys; sys.modules['numpy'] = None\n"  # makes `import numpy` fail, as if not installed
            "from microgpt.cli import main\n"
            "sys.exit(main(['--engine', 'numpy', '--steps', '1', '--samples', '0']))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr == ("microgpt: error: the numpy engine needs numpy: "
                           "pip install 'microgpt-course[numpy]'\n")
    assert done.stdout == ""


def test_the_core_never_imports_numpy(tmp_path):
    code = ("import io, sys\n"
            "import microgpt, microgpt.cli, microgpt.bench\n"
            "from microgpt.cli import build_parser, run\n"
            "open('d.txt', 'w').write('ab\\nba\\nabba\\n')\n"
            "run(build_parser().parse_args(['--data', 'd.txt', '--steps', '2', '--samples', '2']), out=io.StringIO())\n"
            "assert 'numpy' not in sys.modules, 'numpy was imported'\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr


def test_the_engine_flag_refuses_other_engines(capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.build_parser().parse_args(["--engine", "jax"])
    assert exit_info.value.code == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


# --- the benchmark runs (its numbers are not checked: it is not a test) ---

def test_the_benchmark_writes_its_table(data_path, tmp_path):
    out = tmp_path / "results.md"
    assert bench.main(["--size", "default", "--steps", "2", "--repeats", "1", "--data", data_path,
                       "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    row = [line for line in text.splitlines() if line.startswith("| default |")]
    assert len(row) == 1 and "| 4,192 |" in row[0] and row[0].endswith("| 2 / 2 |")
