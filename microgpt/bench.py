"""`python -m microgpt.bench`: how long one training step takes with each engine, at a few model sizes.

A benchmark, not a test: it measures wall-clock seconds per training step (forward, backward and Adam on
one document) for the scalar engine (microgpt.value), the NumPy engine (microgpt.engine_numpy) and the
PyTorch engine (microgpt.engine_torch, float64 and float32), counts the scalar engine's graph nodes per step,
checks that the float64 engines print the same losses, and writes a markdown table to benchmarks/results.md
(``--out``). Every engine trains on the same documents from the same initial weights, so the columns compare
the same work. Used in lessons 08 and 09.

The scalar engine is slow (about 0.3 s a step at the default size), so it runs a few steps per size, and
none at all at the largest size; the array engines repeat those same steps many times, because one of their
steps is too short to time alone. Everything runs on one thread (``--threads``), so that the table compares
the engines and not how well each one splits tiny matrices across cores.
"""

import argparse
import datetime
import os
import platform
import random
import sys
import time

from .data import Tokenizer, load_docs
from .engines import available, load_engine
from .errors import MicrogptError
from .model import GPT, GPTConfig, count_params
from .optim import Adam
from .train import document_loss, train

# name: (n_layer, n_embd); n_head 4 and block_size 16 throughout, as in the reference
SIZES = {
    "default": (1, 16),
    "2 layers": (2, 16),
    "4 layers": (4, 16),
    "wide": (1, 64),
    "4 x 128": (4, 128),
}
SCALAR_LIMIT = 60_000  # parameters; above it a scalar step takes many seconds, and the table shows "-"


def measure_value(config, docs, tokenizer, seed):
    """Seconds per step, mean graph nodes per step and the losses of the scalar engine on `docs`."""
    model = GPT(config, random.Random(seed))
    start = time.perf_counter()
    losses = train(model, docs, tokenizer, len(docs), optimizer=Adam(model.parameters()))
    seconds = (time.perf_counter() - start) / len(docs)
    # The graph's shape depends only on the document's length, not on the weights: count it apart, untimed.
    nodes = [len(document_loss(model, tokenizer.encode_doc(doc)).topological_order()) for doc in docs]
    return seconds, sum(nodes) / len(nodes), losses


def measure_numpy(engine, config, docs, tokenizer, seed, repeats):
    """Seconds per step and the losses of the NumPy engine on the same `docs`, each run `repeats` times."""
    model = engine.NumpyGPT.from_scalar(GPT(config, random.Random(seed)))  # the scalar engine's first weights
    start_weights = model.flat.copy()

    def reset():
        model.flat[...] = start_weights

    return _timed_runs(engine, model, reset, docs, tokenizer, repeats)


def measure_torch(engine, config, docs, tokenizer, seed, repeats, dtype):
    """Seconds per step and the losses of the PyTorch engine (float64 or float32) on the same `docs`."""
    model = engine.TorchGPT.from_scalar(GPT(config, random.Random(seed)), dtype=dtype)
    start_weights = [p.detach().clone() for p in model.parameters()]

    def reset():
        with engine.torch.no_grad():
            for p, w in zip(model.parameters(), start_weights):
                p.copy_(w)

    return _timed_runs(engine, model, reset, docs, tokenizer, repeats)


def _timed_runs(engine, model, reset, docs, tokenizer, repeats):
    """(seconds per step, losses): one warm-up run, whose losses are compared, then `repeats` timed runs.

    `reset()` puts the first weights back before each timed run, so every run repeats the very same steps.
    """
    losses = engine.train(model, docs, tokenizer, len(docs))
    start = time.perf_counter()
    for _ in range(repeats):
        reset()
        engine.train(model, docs, tokenizer, len(docs))
    return (time.perf_counter() - start) / (repeats * len(docs)), losses


def _numpy_engine():
    """The NumPy engine module, or None when NumPy is not installed (the table then has no NumPy column)."""
    return load_engine("numpy") if available("numpy") else None


def _torch_engine():
    """The PyTorch engine module, or None when PyTorch is not installed (the table then has no torch columns)."""
    return load_engine("torch") if available("torch") else None


def _same(losses, reference):
    """How many losses print the same as the reference's (4 decimals)."""
    return sum(f"{a:.4f}" == f"{b:.4f}" for a, b in zip(losses, reference))


def run_benchmark(sizes, steps, repeats, seed=42, data=None, log=print):
    """Measure every size; returns a list of dicts, one per size (the table's rows)."""
    engine, torch_engine = _numpy_engine(), _torch_engine()
    docs = load_docs(data)
    random.Random(seed).shuffle(docs)  # the documents the reference's first steps train on
    tokenizer = Tokenizer.from_docs(docs)
    docs = docs[:steps]
    rows = []
    for name in sizes:
        n_layer, n_embd = SIZES[name]
        config = GPTConfig(vocab_size=tokenizer.vocab_size, n_layer=n_layer, n_embd=n_embd)
        row = {"name": name, "n_layer": n_layer, "n_embd": n_embd, "params": count_params(config),
               "nodes": None, "value_s": None, "numpy_s": None, "torch64_s": None, "torch32_s": None, "same": {}}
        reference = None  # the losses every float64 engine is compared with: the scalar engine's, else NumPy's
        if row["params"] <= SCALAR_LIMIT:
            log(f"{name}: {n_layer} layer(s), n_embd {n_embd}: value engine, {steps} steps ...")
            row["value_s"], row["nodes"], reference = measure_value(config, docs, tokenizer, seed)
        if engine is not None:
            log(f"{name}: numpy engine, {steps} x {repeats} steps ...")
            row["numpy_s"], numpy_losses = measure_numpy(engine, config, docs, tokenizer, seed, repeats)
            if reference is None:
                reference = numpy_losses
            else:
                row["same"]["numpy"] = _same(numpy_losses, reference)
        if torch_engine is not None:
            for bits, dtype in [(64, torch_engine.torch.float64), (32, torch_engine.torch.float32)]:
                log(f"{name}: torch engine, float{bits}, {steps} x {repeats} steps ...")
                row[f"torch{bits}_s"], losses = measure_torch(torch_engine, config, docs, tokenizer, seed,
                                                              repeats, dtype)
                if bits == 64 and reference is not None:
                    row["same"]["torch"] = _same(losses, reference)
        rows.append(row)
    return rows


def _ms(seconds, digits=3):
    """Seconds as milliseconds for the table, or '-' when not measured."""
    return "-" if seconds is None else f"{seconds * 1e3:,.{digits}f}"


def render(rows, steps, repeats, threads=1):
    """The results as a markdown page: what was measured, on what, and the table."""
    engine, torch_engine = _numpy_engine(), _torch_engine()
    numpy_version = engine.np.__version__ if engine else "not installed"
    torch_version = torch_engine.torch.__version__ if torch_engine else "not installed"
    # how many processes were running or waiting over the last minute: above the core count means sharing
    load = f"{os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "unknown"
    lines = [
        "# Benchmark: seconds per training step",
        "",
        f"Written by `python -m microgpt.bench` on {datetime.date.today().isoformat()}. One training step is the "
        "forward pass, the backward pass and the Adam update on one document. Every engine starts from the same "
        f"weights and trains on the same {steps} documents (the first of the shuffled names.txt); the scalar "
        f"engine runs them once (and not at all above {SCALAR_LIMIT:,} parameters, where a step takes many "
        f"seconds), the array engines {repeats} times over, on {threads} thread(s). Times are wall-clock on a "
        f"machine with {os.cpu_count()} cores that may be shared with other work (see the load average), so "
        "take them as rough: a load above the core count can make every engine twice as slow.",
        "",
        f"Machine: {platform.system()} {platform.machine()}, {os.cpu_count()} cores, load average {load} when "
        f"it finished; Python {platform.python_version()}; NumPy {numpy_version}; PyTorch {torch_version}.",
        "",
        "| model | layers | n_embd | params | graph nodes / step | value engine (ms / step) "
        "| numpy float64 | torch float64 | torch float32 | numpy vs value | same losses: numpy | same losses: torch |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [_table_row(r, steps) for r in rows]
    lines += [
        "",
        "The engine columns are milliseconds per step. Graph nodes / step: `len(loss.topological_order())`, the "
        "Values the scalar engine creates and walks back for one document, averaged over the documents. The "
        "array engines build no graph of numbers: NumPy runs a few dozen array operations per layer with a "
        "backward pass written by hand; PyTorch records one autograd node per tensor operation.",
        "",
        "Same losses: how many of the measured steps print the same loss (4 decimals) with NumPy, and with "
        "PyTorch float64, as with the scalar engine (where it was not run, PyTorch is compared with NumPy).",
        "",
        "Why PyTorch is slower than NumPy on the small models and faster on the largest: each PyTorch operation "
        "costs several microseconds of dispatch and autograd bookkeeping whatever its size, several times "
        "NumPy's per-call cost, and a step of these models is a few hundred tiny operations; at 4 x 128 the "
        "matrix products dominate, and there float32 moves half the bytes and does twice the arithmetic per "
        "vector instruction. Lesson 09 measures both effects.",
        "",
    ]
    return "\n".join(lines)


def _table_row(r, steps):
    """One model's line of the benchmark table (lessons 08 and 09)."""
    nodes = "-" if r["nodes"] is None else f"{r['nodes']:,.0f}"
    speedup = (f"{r['value_s'] / r['numpy_s']:,.0f}x" if r["value_s"] is not None and r["numpy_s"] is not None
               else "-")
    same = {key: f"{r['same'][key]} / {steps}" if key in r["same"] else "-" for key in ("numpy", "torch")}
    return (f"| {r['name']} | {r['n_layer']} | {r['n_embd']} | {r['params']:,} | {nodes} "
            f"| {_ms(r['value_s'], 0)} | {_ms(r['numpy_s'])} | {_ms(r['torch64_s'])} "
            f"| {_ms(r['torch32_s'])} | {speedup} | {same['numpy']} | {same['torch']} |")


def set_threads(n):
    """Use `n` threads in NumPy's BLAS (read when NumPy loads, so call this first) and in PyTorch."""
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[name] = str(n)
    if available("torch"):
        load_engine("torch").torch.set_num_threads(n)


def _log(text):
    """Progress on stderr, so that stdout holds only the table."""
    print(text, file=sys.stderr, flush=True)


def main(argv=None):
    """Parse the options, measure, print the table and write it to --out."""
    p = argparse.ArgumentParser(prog="python -m microgpt.bench", description=__doc__.splitlines()[0])
    p.add_argument("--size", action="append", choices=list(SIZES), help="a model size to measure (repeatable; "
                   "default: all of " + ", ".join(SIZES) + ")")
    p.add_argument("--steps", type=int, default=10, help="documents (training steps) per size (default 10)")
    p.add_argument("--repeats", type=int, default=30, help="times the NumPy engine repeats them (default 30)")
    p.add_argument("--threads", type=int, default=1, help="threads for NumPy's BLAS and PyTorch (default 1)")
    p.add_argument("--data", metavar="PATH", help="dataset (default: $MICROGPT_DATA or the cached names.txt)")
    p.add_argument("--out", default=os.path.join("benchmarks", "results.md"),
                   help="markdown file to write, '-' for none (default benchmarks/results.md)")
    args = p.parse_args(argv)
    if args.steps < 1 or args.repeats < 1 or args.threads < 1:
        p.error("--steps, --repeats and --threads must be at least 1")
    set_threads(args.threads)
    if _numpy_engine() is None:
        _log("numpy is not installed: measuring the value engine only (pip install 'microgpt-course[numpy]')")
    try:
        rows = run_benchmark(args.size or list(SIZES), args.steps, args.repeats, data=args.data, log=_log)
    except MicrogptError as err:
        print(f"microgpt.bench: error: {err}", file=sys.stderr)
        return 1
    page = render(rows, args.steps, args.repeats, args.threads)
    print(page)
    if args.out != "-":
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(page)
        _log(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
