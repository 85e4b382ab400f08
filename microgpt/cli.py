"""`python -m microgpt`: train and sample from the command line, printing what the reference prints.

With the default flags the output matches microgpt.py line for line, so the two can be diffed.
Every mistake in the input is reported as one line on stderr with a non-zero exit, never a traceback;
`python -m microgpt --help` lists the flags, their defaults and their bounds. Used in lessons 06-08.
"""

import argparse
import dataclasses
import math
import os
import random
import signal
import sys
import threading
import warnings

from . import weights
from .data import CLI_OFFLINE_HINT, Tokenizer, dataset_path, load_docs
from .engines import OPTIONAL, load_engine, on_engine
from .errors import MicrogptError
from .files import check_target
from .limits import MAX_PARAMS, MAX_SIZE
from .model import GPT, GPTConfig, check_config
from .optim import Adam
from .sample import generate
from .train import Progress, train

# the model's shape flags and their defaults, taken from GPTConfig (which holds the reference's values)
SHAPE_DEFAULTS = {f.name: f.default for f in dataclasses.fields(GPTConfig) if f.name != "vocab_size"}
SHAPE_HELP = {"n_layer": "transformer layers", "n_embd": "embedding size",
              "n_head": "attention heads (must divide n_embd)", "block_size": "longest context in tokens"}

EPILOG = """\
exit status: 0 done (also when the output is piped into a program that stops reading, such as head);
1 bad input (one line on stderr); 2 bad flags; 130 interrupted by Ctrl-C (SIGINT), 143 by SIGTERM.
An interrupted run writes nothing: a file named by --save is replaced only by complete weights.
--save replaces a regular file only: folders, devices (such as /dev/null), pipes, symbolic links and
read-only files are refused before training starts, and the old file stays as it was.
Size limits (flags, datasets and --load alike): at most {params:,} weights and {vocab:,} distinct characters.""".format(
    params=MAX_PARAMS, vocab=MAX_SIZE["vocab_size"])


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are a single line."""

    def error(self, message):
        """Print one line on stderr and exit with status 2."""
        self.exit(2, f"microgpt: error: {message} (see python -m microgpt --help)\n")


def _number(kind, low, high=None, low_allowed=True, note=""):
    """An argparse type: a finite number of `kind` (int or float) with low <= x <= high (low < x if not allowed)."""
    what = "a whole number" if kind is int else "a number"

    def parse(text):
        try:
            x = kind(text)
        except ValueError:  # also an int of thousands of digits
            raise argparse.ArgumentTypeError(f"expected {what}, got {text[:40]!r}") from None
        if kind is float and not math.isfinite(x):
            raise argparse.ArgumentTypeError(f"expected a finite number, got {text!r}")
        if x < low or (x == low and not low_allowed):
            raise argparse.ArgumentTypeError(f"must be {'>=' if low_allowed else '>'} {low}{note}, got {text}")
        if high is not None and x > high:
            raise argparse.ArgumentTypeError(f"must be at most {high} (this package's limit), got {text}")
        return x

    return parse


def build_parser():
    """The command line's flags, with their defaults and bounds (--help shows them). Used in lesson 06."""
    p = _Parser(prog="python -m microgpt", description="Train a tiny GPT on a list of names and sample new ones.",
                epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data", metavar="PATH", help="dataset: a UTF-8 text file, one document a line (default: "
                   "$MICROGPT_DATA or the cached names.txt)")
    p.add_argument("--steps", type=_number(int, 0), default=None, help="training steps (default 1000; 0 with --load)")
    p.add_argument("--seed", type=_number(int, -math.inf), default=42, help="random seed (default 42)")
    # the shape flags default to None so that, with --load, only a size given explicitly is compared
    for name, default in SHAPE_DEFAULTS.items():
        most = MAX_SIZE.get(name, MAX_SIZE["n_embd"])  # n_head is bounded by the n_embd it divides
        p.add_argument("--" + name.replace("_", "-"), type=_number(int, 1, most), default=None,
                       help=f"{SHAPE_HELP[name]} (default {default}, at most {most})")
    p.add_argument("--lr", type=_number(float, 0, low_allowed=False), default=0.01,
                   help="peak learning rate (default 0.01); a run whose loss stops being finite stops and says so")
    p.add_argument("--temperature", type=_number(float, 0, note=" (0 means greedy)"), default=0.5,
                   help="sampling temperature, 0 = greedy (default 0.5)")
    p.add_argument("--samples", type=_number(int, 0), default=20, help="names to sample (default 20)")
    p.add_argument("--save", metavar="PATH", help="write the trained weights to PATH (JSON; a regular file)")
    p.add_argument("--load", metavar="PATH", help="start from weights saved with --save instead of random ones")
    p.add_argument("--engine", choices=("value", *OPTIONAL), default="value", help="value: the scalar autograd "
                   "of the course (default); numpy: the same numbers, computed with NumPy arrays, much faster; "
                   "torch: the same numbers, computed with PyTorch tensors (float64)")
    return p


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


def _check_save(path):
    """Refuse a --save path that cannot or must not be written, before training."""
    try:
        check_target(path)
    except MicrogptError as err:
        raise MicrogptError(f"--save: {err}") from None
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise MicrogptError(f"--save {path}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK):
        raise MicrogptError(f"--save {path}: the folder {folder} is not writable")


def _config(vocab_size, sizes):
    """A GPTConfig within the package's bounds (checked before any weight is allocated)."""
    config = GPTConfig(vocab_size=vocab_size, **sizes)
    check_config(config)
    return config


def run(args, out=None):
    """Train and sample as the flags say, printing the reference's lines to `out`. Used in lesson 06."""
    out = out or sys.stdout
    sizes = {name: default if getattr(args, name) is None else getattr(args, name)
             for name, default in SHAPE_DEFAULTS.items()}
    # Check everything that can be checked before the (slow) training starts, so no work is lost.
    loaded = weights.load(args.load) if args.load is not None else None
    if loaded:
        _check_loaded_shape(args, loaded[0].config)
    else:
        _config(2, sizes)  # refuse an impossible or oversized shape before reading any data
    if args.save is not None:
        _check_save(args.save)
    engine = load_engine(args.engine) if args.engine != "value" else None
    rng = random.Random(args.seed)
    steps = args.steps if args.steps is not None else (0 if loaded else 1000)
    docs = None
    if steps > 0 or not loaded:
        docs = load_docs(dataset_path(args.data, hint=CLI_OFFLINE_HINT))
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
        model = GPT(_config(tokenizer.vocab_size, sizes), rng)  # the second use of the stream: every weight
    if engine:  # the same weights, computed on NumPy arrays or torch tensors from here on
        model = on_engine(args.engine, model)
    print(f"vocab size: {tokenizer.vocab_size}", file=out)
    print(f"num params: {model.num_params()}", file=out)
    _train(args, model, docs, tokenizer, steps, engine, out)
    if args.save is not None:
        weights.save(model.to_scalar() if engine else model, tokenizer, args.save)
    print("\n--- inference (new, hallucinated names) ---", file=out)
    for i in range(args.samples):  # the third use of the stream: the samples
        name = (engine.generate if engine else generate)(model, tokenizer, rng, temperature=args.temperature)
        print(f"sample {i + 1:2d}: {name}", file=out)


def _train(args, model, docs, tokenizer, steps, engine, out):
    """The training steps, one reference line each on `out` (and a progress line when stderr is a terminal)."""
    if steps == 0:
        return
    # On a terminal, a progress line with the time left goes to stderr; stdout stays the reference's lines.
    progress = Progress(sys.stderr, keep_last=not _is_terminal(out)) if _is_terminal(sys.stderr) else None

    def report(step, num_steps, loss):
        if progress and _is_terminal(out):
            progress.clear()  # both streams share the screen: print the step line on a clean line
        print(f"step {step:4d} / {num_steps:4d} | loss {loss:.4f}", file=out, flush=True)
        if progress:
            progress(step, num_steps, loss)

    if engine:
        with warnings.catch_warnings():  # NumPy warns about log(0); the non-finite loss guard says it in one line
            warnings.simplefilter("ignore", RuntimeWarning)
            engine.train(model, docs, tokenizer, steps, optimizer=engine.Adam(model, lr=args.lr), lr=args.lr,
                         callback=report)
    else:
        train(model, docs, tokenizer, steps, optimizer=Adam(model.parameters(), lr=args.lr), lr=args.lr,
              callback=report)


class Interrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM arrived: unwind like Ctrl-C (files are cleaned up), then exit with 128 + signal."""

    def __init__(self, signum):
        super().__init__(signum)
        self.signum = signum


def _on_signal(signum, frame):
    """The one signal policy: the first SIGINT/SIGTERM stops the run; later ones are ignored while it stops."""
    if _stopping:
        return
    _stopping.append(signum)
    raise Interrupted(signum)


_STOP_SIGNALS = [signal.SIGINT] + ([signal.SIGTERM] if hasattr(signal, "SIGTERM") else [])
_stopping = []  # the signal that is stopping the run, once one has come


def _install_signal_handlers():
    """Route SIGINT and SIGTERM to _on_signal; returns the previous handlers (empty off the main thread)."""
    _stopping.clear()
    if threading.current_thread() is not threading.main_thread():
        return {}
    return {sig: signal.signal(sig, _on_signal) for sig in _STOP_SIGNALS}


def _quiet_broken_stdout():
    """After a broken pipe, point stdout at /dev/null so that Python's final flush stays quiet too."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # not a real file (e.g. captured by a test)
        pass


def main(argv=None, program=False):
    """Entry point: parse the flags, run, and turn any input error into one line and an exit status.

    `program=True` (python -m microgpt) keeps the signal handler once a signal came, so that one more SIGTERM
    on the way out cannot kill the process untidily; called in-process, the caller's handlers come back.
    """
    if hasattr(sys.stdout, "reconfigure"):  # a terminal that is not UTF-8 shows \U0001f600 instead of crashing
        sys.stdout.reconfigure(errors="backslashreplace")
    previous = _install_signal_handlers()
    try:
        args = build_parser().parse_args(argv)
        run(args, out=sys.stdout)
    except BrokenPipeError:  # e.g. piped into head, which stops reading: not an error (before OSError!)
        _quiet_broken_stdout()
        return 0
    except MicrogptError as err:
        print(f"microgpt: error: {err}", file=sys.stderr)
        return 1
    except OSError as err:  # e.g. a disk that filled up while saving
        print(f"microgpt: error: {err.strerror or err}: {err.filename or ''}".rstrip(": "), file=sys.stderr)
        return 1
    except MemoryError:
        print("microgpt: error: out of memory; choose a smaller model (--n-embd, --n-layer)", file=sys.stderr)
        return 1
    except KeyboardInterrupt as err:
        signum = getattr(err, "signum", signal.SIGINT)
        print(f"microgpt: interrupted by {signal.Signals(signum).name}", file=sys.stderr)
        return 128 + signum
    finally:
        for sig, handler in previous.items() if not (_stopping and program) else ():
            signal.signal(sig, handler)
    return 0
