"""`python -m microgpt.bench`: how long one training step takes with each engine, at a few model sizes.

A benchmark, not a test: it measures wall-clock seconds per training step (forward, backward and Adam on
one document) for the scalar engine (microgpt.value) and the NumPy engine (microgpt.engine_numpy), counts
the scalar engine's graph nodes per step, checks that both engines print the same losses, and writes a
markdown table to benchmarks/results.md (``--out``). Both engines train on the same documents from the same
initial weights, so the speedup compares the same work.

The scalar engine is slow (about 0.3 s a step at the default size), so it runs a few steps per size; the
NumPy engine repeats those same steps many times, because one of its steps is too short to time alone.
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
}


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
    first = GPT(config, random.Random(seed))  # the very weights the scalar engine starts from
    model = engine.NumpyGPT.from_scalar(first)
    start_weights = model.flat.copy()
    losses = engine.train(model, docs, tokenizer, len(docs))  # a warm-up, and the losses to compare
    start = time.perf_counter()
    for _ in range(repeats):
        model.flat[...] = start_weights  # the same steps again, from the same start
        engine.train(model, docs, tokenizer, len(docs))
    seconds = (time.perf_counter() - start) / (repeats * len(docs))
    return seconds, losses


def _numpy_engine():
    """The NumPy engine module, or None when NumPy is not installed (the table then has the scalar engine only)."""
    return load_engine("numpy") if available("numpy") else None


def run_benchmark(sizes, steps, repeats, seed=42, data=None, log=print):
    """Measure every size; returns a list of dicts, one per size (the table's rows)."""
    engine = _numpy_engine()
    docs = load_docs(data)
    random.Random(seed).shuffle(docs)  # the documents the reference's first steps train on
    tokenizer = Tokenizer.from_docs(docs)
    docs = docs[:steps]
    rows = []
    for name in sizes:
        n_layer, n_embd = SIZES[name]
        config = GPTConfig(vocab_size=tokenizer.vocab_size, n_layer=n_layer, n_embd=n_embd)
        log(f"{name}: {n_layer} layer(s), n_embd {n_embd}: value engine, {steps} steps ...")
        value_s, nodes, value_losses = measure_value(config, docs, tokenizer, seed)
        row = {"name": name, "n_layer": n_layer, "n_embd": n_embd, "params": count_params(config),
               "nodes": nodes, "value_s": value_s, "numpy_s": None, "same": None}
        if engine is not None:
            log(f"{name}: numpy engine, {steps} x {repeats} steps ...")
            row["numpy_s"], numpy_losses = measure_numpy(engine, config, docs, tokenizer, seed, repeats)
            row["same"] = sum(f"{a:.4f}" == f"{b:.4f}" for a, b in zip(value_losses, numpy_losses))
        rows.append(row)
    return rows


def render(rows, steps, repeats):
    """The results as a markdown page: what was measured, on what, and the table."""
    engine = _numpy_engine()
    numpy_version = engine.np.__version__ if engine else "not installed"
    # how many processes were running or waiting over the last minute: above the core count means sharing
    load = f"{os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "unknown"
    lines = [
        "# Benchmark: seconds per training step",
        "",
        f"Written by `python -m microgpt.bench` on {datetime.date.today().isoformat()}. One training step is the "
        "forward pass, the backward pass and the Adam update on one document. Both engines start from the same "
        f"weights and train on the same {steps} documents (the first of the shuffled names.txt); the scalar engine "
        f"runs them once, the NumPy engine {repeats} times over. Times are wall-clock on a machine with "
        f"{os.cpu_count()} cores that may be shared with other work (see the load average), so take them as "
        "rough: a load above the core count can make both engines twice as slow, and the speedups move too.",
        "",
        f"Machine: {platform.system()} {platform.machine()}, {os.cpu_count()} cores, load average {load} when "
        f"it finished; Python {platform.python_version()}; NumPy {numpy_version}.",
        "",
        "| model | layers | n_embd | params | graph nodes / step | value engine (ms / step) "
        "| numpy engine (ms / step) | speedup | same printed losses |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        if r["numpy_s"] is None:
            numpy_ms = speedup = same = "-"
        else:
            numpy_ms = f"{r['numpy_s'] * 1e3:.3f}"
            speedup = f"{r['value_s'] / r['numpy_s']:,.0f}x"
            same = f"{r['same']} / {steps}"
        lines.append(f"| {r['name']} | {r['n_layer']} | {r['n_embd']} | {r['params']:,} | {r['nodes']:,.0f} "
                     f"| {r['value_s'] * 1e3:,.0f} | {numpy_ms} | {speedup} | {same} |")
    lines += [
        "",
        "Graph nodes / step: `len(loss.topological_order())`, the Values the scalar engine creates and walks "
        "back for one document, averaged over the documents. The NumPy engine builds no graph: a few dozen "
        "array operations per layer do the same arithmetic for every position at once.",
        "",
        "Same printed losses: how many of the measured steps print the same loss (4 decimals) with both engines.",
        "",
    ]
    return "\n".join(lines)


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
    p.add_argument("--data", metavar="PATH", help="dataset (default: $MICROGPT_DATA or the cached names.txt)")
    p.add_argument("--out", default=os.path.join("benchmarks", "results.md"),
                   help="markdown file to write, '-' for none (default benchmarks/results.md)")
    args = p.parse_args(argv)
    if args.steps < 1 or args.repeats < 1:
        p.error("--steps and --repeats must be at least 1")
    if _numpy_engine() is None:
        _log("numpy is not installed: measuring the value engine only (pip install 'microgpt-course[numpy]')")
    try:
        rows = run_benchmark(args.size or list(SIZES), args.steps, args.repeats, data=args.data, log=_log)
    except MicrogptError as err:
        print(f"microgpt.bench: error: {err}", file=sys.stderr)
        return 1
    page = render(rows, args.steps, args.repeats)
    print(page)
    if args.out != "-":
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(page)
        _log(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
