"""`python -m microgpt`: train and sample from the command line, printing what the reference prints.

With the default flags the output matches microgpt.py line for line, so the two can be diffed.
Every mistake in the input is reported as one line on stderr with a non-zero exit, never a traceback.
"""

import argparse
import os
import random
import sys

from . import weights
from .data import Tokenizer, load_docs
from .engines import load_engine
from .errors import MicrogptError
from .model import GPT, GPTConfig
from .optim import Adam
from .sample import generate
from .train import Progress, train


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are a single line."""

    def error(self, message):
        """Print one line on stderr and exit with status 2."""
        self.exit(2, f"microgpt: error: {message} (see python -m microgpt --help)\n")


def _count(text):
    """A whole number >= 0 (for steps and sample counts)."""
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if n < 0:
        raise argparse.ArgumentTypeError(f"must not be negative, got {n}")
    return n


def _non_negative_float(text):
    """A float >= 0 (for the temperature)."""
    try:
        x = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not x >= 0:  # also refuses nan
        raise argparse.ArgumentTypeError(f"must be >= 0 (0 means greedy), got {text}")
    return x


def _positive_float(text):
    """A float > 0 (for the learning rate)."""
    try:
        x = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    if not x > 0:
        raise argparse.ArgumentTypeError(f"must be > 0, got {text}")
    return x


def _int(text):
    """Any whole number (sizes are checked by GPTConfig, which names the setting)."""
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None


def build_parser():
    """The command line's flags (see CONVENTIONS.md)."""
    p = _Parser(prog="python -m microgpt", description="Train a tiny GPT on a list of names and sample new ones.")
    p.add_argument("--data", metavar="PATH", help="dataset, one document a line (default: $MICROGPT_DATA or "
                   "the cached names.txt)")
    p.add_argument("--steps", type=_count, default=None, help="training steps (default 1000; 0 with --load)")
    p.add_argument("--seed", type=_int, default=42, help="random seed (default 42)")
    # the shape flags default to None so that, with --load, only a size given explicitly is compared
    p.add_argument("--n-layer", type=_int, default=None, help="transformer layers (default 1)")
    p.add_argument("--n-embd", type=_int, default=None, help="embedding size (default 16)")
    p.add_argument("--n-head", type=_int, default=None, help="attention heads (default 4)")
    p.add_argument("--block-size", type=_int, default=None, help="longest context in tokens (default 16)")
    p.add_argument("--lr", type=_positive_float, default=0.01, help="peak learning rate (default 0.01)")
    p.add_argument("--temperature", type=_non_negative_float, default=0.5, help="sampling temperature, "
                   "0 = greedy (default 0.5)")
    p.add_argument("--samples", type=_count, default=20, help="names to sample (default 20)")
    p.add_argument("--save", metavar="PATH", help="write the trained weights to PATH (JSON)")
    p.add_argument("--load", metavar="PATH", help="start from weights saved with --save instead of random ones")
    p.add_argument("--engine", choices=("value", "numpy"), default="value", help="value: the scalar autograd "
                   "of the course (default); numpy: the same numbers, computed with NumPy arrays, much faster")
    return p


SHAPE_DEFAULTS = {"n_layer": 1, "n_embd": 16, "n_head": 4, "block_size": 16}


def _check_loaded_shape(args, config):
    """Refuse shape flags that contradict the shape stored in a weights file."""
    for name in SHAPE_DEFAULTS:
        given = getattr(args, name)
        if given is not None and given != getattr(config, name):
            flag = "--" + name.replace("_", "-")
            raise MicrogptError(f"the weights in {args.load} have {name} {getattr(config, name)}, "
                                f"but {flag} {given} was given; drop {flag} or load weights of that shape")


def _is_terminal(stream):
    """True when the stream is an interactive terminal (not a file or a pipe)."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _check_writable(path):
    """Refuse a --save path whose folder does not exist or cannot be written, before training."""
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise MicrogptError(f"--save {path} is a folder; give a file name such as {os.path.join(path, 'weights.json')}")
    if not os.path.isdir(folder):
        raise MicrogptError(f"--save {path}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise MicrogptError(f"--save {path}: the folder {folder} is not writable")


def run(args, out=sys.stdout):
    """Train and sample as the flags say, printing the reference's lines to `out`."""
    sizes = {name: default if getattr(args, name) is None else getattr(args, name)
             for name, default in SHAPE_DEFAULTS.items()}
    # Check everything that can be checked before the (slow) training starts, so no work is lost.
    loaded = weights.load(args.load) if args.load else None
    if loaded:
        _check_loaded_shape(args, loaded[0].config)
    else:
        GPTConfig(vocab_size=2, **sizes)  # refuse an impossible shape before reading any data
    if args.save:
        _check_writable(args.save)
    engine = load_engine(args.engine) if args.engine != "value" else None
    rng = random.Random(args.seed)
    steps = args.steps if args.steps is not None else (0 if args.load else 1000)
    docs = None
    if steps > 0 or not args.load:
        docs = load_docs(args.data)
        rng.shuffle(docs)  # the first use of the random stream, as in the reference
        print(f"num docs: {len(docs)}", file=out)
    if loaded:
        model, tokenizer = loaded
        if docs is not None:
            unknown = sorted(set("".join(docs)) - set(tokenizer.chars))
            if unknown:
                raise MicrogptError(f"the dataset has characters the loaded model does not know: {''.join(unknown)!r}")
    else:
        tokenizer = Tokenizer.from_docs(docs)
        config = GPTConfig(vocab_size=tokenizer.vocab_size, **sizes)
        model = GPT(config, rng)  # the second use of the stream: every initial weight
    if engine:  # the same weights, computed on NumPy arrays from here on
        model = engine.NumpyGPT.from_scalar(model)
    print(f"vocab size: {tokenizer.vocab_size}", file=out)
    print(f"num params: {model.num_params()}", file=out)

    # On a terminal, a progress line with the time left goes to stderr; stdout stays the reference's lines.
    progress = Progress(sys.stderr, keep_last=not _is_terminal(out)) if _is_terminal(sys.stderr) else None

    def report(step, num_steps, loss):
        if progress and _is_terminal(out):
            progress.clear()  # both streams share the screen: print the step line on a clean line
        print(f"step {step:4d} / {num_steps:4d} | loss {loss:.4f}", file=out, flush=True)
        if progress:
            progress(step, num_steps, loss)

    if steps > 0 and engine:
        engine.train(model, docs, tokenizer, steps, optimizer=engine.Adam(model, lr=args.lr), lr=args.lr,
                     callback=report)
    elif steps > 0:
        train(model, docs, tokenizer, steps, optimizer=Adam(model.parameters(), lr=args.lr), lr=args.lr,
              callback=report)
    if args.save:
        weights.save(model.to_scalar() if engine else model, tokenizer, args.save)
    print("\n--- inference (new, hallucinated names) ---", file=out)
    for i in range(args.samples):  # the third use of the stream: the samples
        name = (engine.generate if engine else generate)(model, tokenizer, rng, temperature=args.temperature)
        print(f"sample {i + 1:2d}: {name}", file=out)


def main(argv=None):
    """Entry point: parse the flags, run, and turn any input error into one line and exit status 1."""
    args = build_parser().parse_args(argv)
    try:
        run(args)
    except MicrogptError as err:
        print(f"microgpt: error: {err}", file=sys.stderr)
        return 1
    except OSError as err:  # e.g. a disk that filled up while saving
        print(f"microgpt: error: {err.strerror or err}: {err.filename or ''}".rstrip(": "), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("microgpt: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. piped into head: not an error worth a traceback
        return 0
    return 0
