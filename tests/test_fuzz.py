"""Fuzz of the command line: well over 100 bad or odd flags, data files, weights files, save targets, signals.

For every case: the exit status (non-zero for bad input, zero for valid-but-odd input), exactly one line
on stderr for an error (none for a success), never a traceback, no file left behind in the target folder,
and the old target file byte-identical unless the run succeeded in replacing it. The CLI runs in-process
(`cli.main`) where it can; signals, the output encoding and a broken pipe need a real process.
"""

import contextlib
import io
import json
import os
import random
import signal
import subprocess
import sys

import pytest

from microgpt import GPT, GPTConfig, Tokenizer, cli, engines
from microgpt.weights import to_dict

NAMES = "emma\nolivia\nava\nisabella\nsophia\nmia\n"
OLD = b"the old weights, which must survive every failed run\n"


class Ctx:
    """The files of one case: inputs in `inputs/`, the --save target (with OLD bytes) in `out/`."""

    def __init__(self, tmp_path):
        self.inputs = tmp_path / "inputs"
        self.out = tmp_path / "out"
        self.inputs.mkdir()
        self.out.mkdir()
        self.data = self.file("names.txt", NAMES.encode())
        self.target = str(self.out / "w.json")
        with open(self.target, "wb") as f:
            f.write(OLD)

    def file(self, name, content):
        """An input file with the given bytes (or text); returns its path."""
        path = self.inputs / name
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return str(path)

    def fifo(self, name="fifo", folder=None):
        """A named pipe, which would block whoever opens it for reading."""
        if not hasattr(os, "mkfifo"):
            pytest.skip("no named pipes on this system")
        path = (folder or self.inputs) / name
        os.mkfifo(path)
        return str(path)

    def weights(self, change=None, text=None):
        """A weights file: the valid document of a small model, changed by `change(doc)`, or raw `text`."""
        if text is None:
            doc = json.loads(json.dumps(VALID))
            if change is not None:
                change(doc)
            text = json.dumps(doc)
        return self.file("weights.json", text)

    def link(self, to, name="link.json"):
        """A symbolic link in the target folder."""
        path = self.out / name
        os.symlink(to, path)
        return str(path)


def _valid_doc():
    """The weights document of a small model whose vocabulary is that of NAMES."""
    tokenizer = Tokenizer.from_docs(NAMES.split())
    model = GPT(GPTConfig(vocab_size=tokenizer.vocab_size, n_embd=8, n_head=2, block_size=8), random.Random(0))
    return to_dict(model, tokenizer)


VALID = _valid_doc()


def _set(*keys_and_value):
    """A change to a weights document: doc[k1][k2]... = value."""
    *keys, value = keys_and_value

    def change(doc):
        for key in keys[:-1]:
            doc = doc[key]
        doc[keys[-1]] = value
    return change


def _drop(key):
    return lambda doc: doc.pop(key)


def _wte(value):
    return _set("state_dict", "wte", 0, 0, value)


# (id, flags as a function of the Ctx, expected exit status: 0, 1 or 2; a piece of the message)
FLAGS = [
    ("steps negative", lambda c: ["--steps", "-1"], 2, ">= 0"),
    ("steps word", lambda c: ["--steps", "ten"], 2, "whole number"),
    ("steps float", lambda c: ["--steps", "1.5"], 2, "whole number"),
    ("steps empty", lambda c: ["--steps", ""], 2, "whole number"),
    ("steps exponent", lambda c: ["--steps", "1e3"], 2, "whole number"),
    ("steps 5000 digits", lambda c: ["--steps", "9" * 5000], 2, "whole number"),
    ("steps nan", lambda c: ["--steps", "nan"], 2, "whole number"),
    ("steps missing value", lambda c: ["--steps"], 2, "expected one argument"),
    ("seed word", lambda c: ["--seed", "abc"], 2, "whole number"),
    ("seed float", lambda c: ["--seed", "1.0"], 2, "whole number"),
    ("n-layer 0", lambda c: ["--n-layer", "0"], 2, ">= 1"),
    ("n-layer negative", lambda c: ["--n-layer", "-3"], 2, ">= 1"),
    ("n-layer 65", lambda c: ["--n-layer", "65"], 2, "at most 64"),
    ("n-layer 1000000", lambda c: ["--n-layer", "1000000"], 2, "at most"),
    ("n-layer word", lambda c: ["--n-layer", "two"], 2, "whole number"),
    ("n-embd 0", lambda c: ["--n-embd", "0"], 2, ">= 1"),
    ("n-embd 100000", lambda c: ["--n-embd", "100000"], 2, "at most 1024"),
    ("n-embd float", lambda c: ["--n-embd", "16.5"], 2, "whole number"),
    ("n-embd not divisible", lambda c: ["--n-embd", "10", "--n-head", "4"], 1, "divisible"),
    ("n-head 0", lambda c: ["--n-head", "0"], 2, ">= 1"),
    ("n-head 3", lambda c: ["--n-head", "3"], 1, "divisible"),
    ("n-head 5000", lambda c: ["--n-head", "5000"], 2, "at most"),
    ("block-size 0", lambda c: ["--block-size", "0"], 2, ">= 1"),
    ("block-size 1e9", lambda c: ["--block-size", "1000000000"], 2, "at most 1024"),
    ("block-size 1025", lambda c: ["--block-size", "1025"], 2, "at most 1024"),
    ("too many weights", lambda c: ["--n-layer", "64", "--n-embd", "1024"], 1, "limit of 2,000,000"),
    ("lr 0", lambda c: ["--lr", "0"], 2, "> 0"),
    ("lr negative", lambda c: ["--lr", "-0.01"], 2, "> 0"),
    ("lr inf", lambda c: ["--lr", "inf"], 2, "finite"),
    ("lr -inf", lambda c: ["--lr=-inf"], 2, "finite"),
    ("lr nan", lambda c: ["--lr", "nan"], 2, "finite"),
    ("lr underflows to 0", lambda c: ["--lr", "1e-400"], 2, "> 0"),
    ("lr word", lambda c: ["--lr", "fast"], 2, "a number"),
    ("lr 1e6 diverges", lambda c: ["--lr", "1e6", "--steps", "5"], 1, "smaller one"),
    ("lr 1e300 diverges", lambda c: ["--lr", "1e300", "--steps", "5"], 1, "smaller one"),
    ("temperature negative", lambda c: ["--temperature", "-0.5"], 2, ">= 0"),
    ("temperature word", lambda c: ["--temperature", "warm"], 2, "a number"),
    ("temperature inf", lambda c: ["--temperature", "inf"], 2, "finite"),
    ("temperature nan", lambda c: ["--temperature", "nan"], 2, "finite"),
    ("samples negative", lambda c: ["--samples", "-2"], 2, ">= 0"),
    ("samples word", lambda c: ["--samples", "many"], 2, "whole number"),
    ("engine unknown", lambda c: ["--engine", "gpu"], 2, "invalid choice"),
    ("unknown flag", lambda c: ["--bogus"], 2, "unrecognized"),
    ("positional", lambda c: ["names.txt"], 2, "unrecognized"),
    # valid but odd: these must simply work
    ("steps 0 and samples 0", lambda c: ["--steps", "0", "--samples", "0"], 0, None),
    ("temperature 0", lambda c: ["--temperature", "0"], 0, None),
    ("temperature 1e-310", lambda c: ["--temperature", "1e-310", "--samples", "3"], 0, None),
    ("temperature 1e300", lambda c: ["--temperature", "1e300"], 0, None),
    ("seed negative and huge", lambda c: ["--seed", "-" + "7" * 300], 0, None),
    ("block-size 1", lambda c: ["--block-size", "1"], 0, None),
    ("n-head equals n-embd", lambda c: ["--n-embd", "4", "--n-head", "4"], 0, None),
    ("lr tiny", lambda c: ["--lr", "1e-300"], 0, None),
    ("steps with underscores", lambda c: ["--steps", "0_1"], 0, None),
]

DATA = [
    ("data missing", lambda c: ["--data", str(c.inputs / "none.txt")], 1, "not found"),
    ("data empty path", lambda c: ["--data", ""], 1, "empty"),
    ("data folder", lambda c: ["--data", str(c.inputs)], 1, "folder"),
    ("data fifo", lambda c: ["--data", c.fifo()], 1, "not a regular file"),
    ("data /dev/null", lambda c: ["--data", os.devnull], 1, "not a regular file"),
    ("data NUL in path", lambda c: ["--data", "a\x00b"], 1, "not found"),
    ("data empty file", lambda c: ["--data", c.file("e.txt", b"")], 1, "no documents"),
    ("data blank lines", lambda c: ["--data", c.file("b.txt", b"\n \n\t\r\n")], 1, "no documents"),
    ("data only a BOM", lambda c: ["--data", c.file("bom.txt", b"\xef\xbb\xbf\n")], 1, "no documents"),
    ("data binary", lambda c: ["--data", c.file("b.bin", bytes(range(256)))], 1, "not UTF-8"),
    ("data utf-16", lambda c: ["--data", c.file("u16.txt", "anna\n".encode("utf-16"))], 1, "not UTF-8"),
    ("data latin-1", lambda c: ["--data", c.file("l1.txt", b"caf\xe9\n")], 1, "not UTF-8"),
    ("data NUL byte", lambda c: ["--data", c.file("nul.txt", b"an\x00na\n")], 1, "not UTF-8"),
    ("data 10001 characters", lambda c: ["--data", c.file("cjk.txt", "\n".join(chr(0x4E00 + i) for i in range(10001)))],
     1, "vocab_size 10002 is above"),
    ("data with a BOM", lambda c: ["--data", c.file("bom2.txt", b"\xef\xbb\xbf" + NAMES.encode())], 0, None),
    ("data CRLF", lambda c: ["--data", c.file("crlf.txt", NAMES.replace("\n", "\r\n"))], 0, None),
    ("data U+2028 inside a name", lambda c: ["--data", c.file("ls.txt", "an\u2028na\nbob\n")], 0, None),
    ("data one character", lambda c: ["--data", c.file("one.txt", "a")], 0, None),
    ("data emoji and CJK", lambda c: ["--data", c.file("emoji.txt", "zoë😀\n李娜\n")], 0, None),
    ("data long line", lambda c: ["--data", c.file("long.txt", "ab" * 5000)], 0, None),
]

BIG_INT = "9" * 4000  # under Python's 4300-digit limit, but no float can hold it

WEIGHTS = [
    ("load missing", lambda c: ["--load", str(c.inputs / "none.json")], 1, "not found"),
    ("load folder", lambda c: ["--load", str(c.inputs)], 1, "not a regular file"),
    ("load fifo", lambda c: ["--load", c.fifo()], 1, "not a regular file"),
    ("load /dev/null", lambda c: ["--load", os.devnull], 1, "not a regular file"),
    ("load empty", lambda c: ["--load", c.weights(text="")], 1, "not valid JSON"),
    ("load truncated", lambda c: ["--load", c.weights(text='{"format": "microgpt-we')], 1, "not valid JSON"),
    ("load trailing garbage", lambda c: ["--load", c.weights(text=json.dumps(VALID) + "x")], 1, "not valid JSON"),
    ("load not UTF-8", lambda c: ["--load", c.file("w.json", b"\xff\xfe{")], 1, "not valid JSON"),
    ("load 100000 [", lambda c: ["--load", c.weights(text="[" * 100_000)], 1, "nested too deeply"),
    ("load 5000 digits", lambda c: ["--load", c.weights(text='{"format": ' + "9" * 5000 + "}")], 1, "digits"),
    ("load a list", lambda c: ["--load", c.weights(text="[1, 2]")], 1, "not a microgpt weights file"),
    ("load null", lambda c: ["--load", c.weights(text="null")], 1, "not a microgpt weights file"),
    ("load a string", lambda c: ["--load", c.weights(text='"weights"')], 1, "not a microgpt weights file"),
    ("load other format", lambda c: ["--load", c.weights(_set("format", "pickle"))], 1, "not a microgpt"),
    ("load version 2", lambda c: ["--load", c.weights(_set("version", 2))], 1, "version 2"),
    ("load no version", lambda c: ["--load", c.weights(_drop("version"))], 1, "version None"),
    ("load no config", lambda c: ["--load", c.weights(_drop("config"))], 1, "no 'config'"),
    ("load no chars", lambda c: ["--load", c.weights(_drop("chars"))], 1, "no 'chars'"),
    ("load no state_dict", lambda c: ["--load", c.weights(_drop("state_dict"))], 1, "no 'state_dict'"),
    ("load config null", lambda c: ["--load", c.weights(_set("config", None))], 1, "bad configuration"),
    ("load config list", lambda c: ["--load", c.weights(_set("config", [1, 2]))], 1, "bad configuration"),
    ("load config unknown key", lambda c: ["--load", c.weights(_set("config", "dropout", 0.1))], 1, "configuration"),
    ("load n_embd 100000", lambda c: ["--load", c.weights(_set("config", "n_embd", 100000))], 1, "limit of 1024"),
    ("load block_size 1e9", lambda c: ["--load", c.weights(_set("config", "block_size", 10**9))], 1, "limit"),
    ("load n_layer 1e6", lambda c: ["--load", c.weights(_set("config", "n_layer", 10**6))], 1, "limit"),
    ("load vocab_size 1e6", lambda c: ["--load", c.weights(_set("config", "vocab_size", 10**6))], 1, "limit"),
    ("load n_embd float", lambda c: ["--load", c.weights(_set("config", "n_embd", 8.0))], 1, "whole number"),
    ("load n_embd true", lambda c: ["--load", c.weights(_set("config", "n_embd", True))], 1, "whole number"),
    ("load n_embd string", lambda c: ["--load", c.weights(_set("config", "n_embd", "8"))], 1, "whole number"),
    ("load n_layer negative", lambda c: ["--load", c.weights(_set("config", "n_layer", -1))], 1, "at least 1"),
    ("load n_head not dividing", lambda c: ["--load", c.weights(_set("config", "n_head", 3))], 1, "divisible"),
    ("load chars null", lambda c: ["--load", c.weights(_set("chars", None))], 1, "one-character strings"),
    ("load chars a string", lambda c: ["--load", c.weights(_set("chars", "abcdefghijk"))], 1, "one-character"),
    ("load chars numbers", lambda c: ["--load", c.weights(_set("chars", list(range(11))))], 1, "one-character"),
    ("load chars of two letters", lambda c: ["--load", c.weights(_set("chars", 0, "ab"))], 1, "one-character"),
    ("load chars duplicated", lambda c: ["--load", c.weights(_set("chars", 1, VALID["chars"][0]))], 1, "twice"),
    ("load chars too few", lambda c: ["--load", c.weights(lambda d: d["chars"].pop())], 1, "do not match"),
    ("load state_dict list", lambda c: ["--load", c.weights(_set("state_dict", []))], 1, "does not fit"),
    ("load state_dict null", lambda c: ["--load", c.weights(_set("state_dict", None))], 1, "does not fit"),
    ("load matrix missing", lambda c: ["--load", c.weights(lambda d: d["state_dict"].pop("wpe"))], 1, "missing"),
    ("load matrix extra", lambda c: ["--load", c.weights(_set("state_dict", "extra", [[1.0]]))], 1, "unexpected"),
    ("load matrix a number", lambda c: ["--load", c.weights(_set("state_dict", "wte", 1.0))], 1, "does not fit"),
    ("load row a number", lambda c: ["--load", c.weights(_set("state_dict", "wte", 0, 1.0))], 1, "does not fit"),
    ("load row too short", lambda c: ["--load", c.weights(lambda d: d["state_dict"]["wte"][0].pop())], 1, "fit"),
    ("load matrix empty", lambda c: ["--load", c.weights(_set("state_dict", "wte", []))], 1, "does not fit"),
    ("load weight string", lambda c: ["--load", c.weights(_wte("0.1"))], 1, "not a number"),
    ("load weight null", lambda c: ["--load", c.weights(_wte(None))], 1, "not a number"),
    ("load weight true", lambda c: ["--load", c.weights(_wte(True))], 1, "not a number"),
    ("load weight list", lambda c: ["--load", c.weights(_wte([0.1]))], 1, "not a number"),
    ("load weight NaN", lambda c: ["--load", c.weights(_wte(float("nan")))], 1, "finite"),
    ("load weight Infinity", lambda c: ["--load", c.weights(_wte(float("inf")))], 1, "finite"),
    ("load weight -Infinity", lambda c: ["--load", c.weights(_wte(float("-inf")))], 1, "finite"),
    ("load weight 1e400", lambda c: ["--load", c.weights(text=json.dumps(VALID).replace(
        json.dumps(VALID["state_dict"]["wte"][0][0]), "1e400", 1))], 1, "finite"),
    ("load weight 4000 digits", lambda c: ["--load", c.weights(text=json.dumps(VALID).replace(
        json.dumps(VALID["state_dict"]["wte"][0][0]), BIG_INT, 1))], 1, "finite"),
    ("load 200 MB (sparse)", lambda c: ["--load", _sparse(c, 200_000_000)], 1, "bytes"),
    ("load shape flag differs", lambda c: ["--load", c.weights(), "--n-embd", "16"], 1, "have n_embd 8"),
    ("load data unknown chars", lambda c: ["--load", c.weights(), "--data", c.file("x.txt", "xyz\n")], 1,
     "does not know"),
    ("load and sample", lambda c: ["--load", c.weights(), "--steps", "0", "--samples", "2"], 0, None),
    ("load and train on", lambda c: ["--load", c.weights(), "--steps", "1", "--samples", "0"], 0, None),
    ("load integer weights", lambda c: ["--load", c.weights(_wte(1))], 0, None),
]


def _sparse(c, size):
    """A file that claims `size` bytes without taking the disk space."""
    path = c.inputs / "huge.json"
    with open(path, "wb") as f:
        f.truncate(size)
    return str(path)


SAVE = [
    ("save /dev/null", lambda c: ["--save", os.devnull], 1, "not a regular file"),
    ("save a folder", lambda c: ["--save", str(c.out)], 1, "is a folder"),
    ("save folder with slash", lambda c: ["--save", str(c.out / "new") + "/"], 1, "names a folder"),
    ("save missing folder", lambda c: ["--save", str(c.out / "no" / "w.json")], 1, "does not exist"),
    ("save under a file", lambda c: ["--save", c.target + "/w.json"], 1, "--save"),
    ("save empty path", lambda c: ["--save", ""], 1, "empty"),
    ("save NUL in path", lambda c: ["--save", "w\x00.json"], 1, "cannot write"),
    ("save a fifo", lambda c: ["--save", c.fifo("p.json", c.out)], 1, "not a regular file"),
    ("save a symlink", lambda c: ["--save", c.link(c.target)], 1, "symbolic link"),
    ("save a symlink to /dev/null", lambda c: ["--save", c.link(os.devnull)], 1, "symbolic link"),
    ("save a dangling symlink", lambda c: ["--save", c.link(str(c.out / "nowhere"))], 1, "symbolic link"),
    ("save read-only", lambda c: [_read_only(c.target), "--save", c.target][1:], 1, "read-only"),
    ("save then diverge", lambda c: ["--save", c.target, "--lr", "1e6", "--steps", "5"], 1, "smaller one"),
    ("save replaces a regular file", lambda c: ["--save", c.target], 0, None),
    ("save a new file", lambda c: ["--save", str(c.out / "new.json")], 0, None),
]


def _read_only(path):
    os.chmod(path, 0o444)
    return path


CASES = FLAGS + DATA + WEIGHTS + SAVE
if engines.available("numpy"):
    CASES += [
        ("numpy lr 1e6 diverges", lambda c: ["--engine", "numpy", "--lr", "1e6", "--steps", "5"], 1, "smaller one"),
        ("numpy temperature 1e-310", lambda c: ["--engine", "numpy", "--temperature", "1e-310"], 0, None),
    ]


def run_main(argv):
    """cli.main in this process with captured streams; returns (status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = cli.main(argv)
        except SystemExit as exit_:  # argparse's errors (status 2) and --help
            status = exit_.code
    return status, out.getvalue(), err.getvalue()


@pytest.fixture(autouse=True)
def no_download(tmp_path, monkeypatch):
    """Make sure no case ever reaches the network or the user's cache."""
    monkeypatch.setenv("MICROGPT_DATA_URL", "http://127.0.0.1:9/names.txt")
    monkeypatch.setenv("MICROGPT_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("MICROGPT_DATA", raising=False)


def test_there_are_more_than_100_cases():
    assert len(CASES) >= 100 and len({case[0] for case in CASES}) == len(CASES)


@pytest.mark.parametrize("name, make_args, status, message", CASES, ids=[case[0] for case in CASES])
def test_cli_case(tmp_path, name, make_args, status, message):
    c = Ctx(tmp_path)
    args = make_args(c)
    before = sorted(os.listdir(c.out))
    code, out, err = run_main(["--data", c.data, "--steps", "1", "--samples", "1", *args])
    assert code == status, (code, err)
    assert "Traceback" not in err and "Traceback" not in out
    if status:
        assert len(err.splitlines()) == 1 and err.startswith("microgpt: error: "), err
        assert message in err, err
        assert sorted(os.listdir(c.out)) == before, "a failed run left or removed a file in the target folder"
        assert "step" not in out or "diverge" in name, "a bad input must be refused before training"
    else:
        assert err == ""
        new = sorted(set(os.listdir(c.out)) - set(before))
        assert new in ([], [os.path.basename(args[args.index("--save") + 1])] if "--save" in args else [])
    saved = "--save" in args and status == 0 and args[args.index("--save") + 1] == c.target
    if os.path.lexists(c.target) and not os.path.islink(c.target):
        with open(c.target, "rb") as f:
            assert (f.read() != OLD) if saved else (f.read() == OLD)
    if saved:
        code, _, err = run_main(["--load", c.target, "--samples", "1"])  # and the new file is complete
        assert code == 0, err


# --- what needs a real process: signals, a broken pipe, a stdout that is not UTF-8 ---

def _popen(args, **kw):
    return subprocess.Popen([sys.executable, "-m", "microgpt", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kw)


def _wait_for_training(proc):
    """Read stdout until the first step line: training is under way."""
    for line in proc.stdout:
        if line.startswith("step"):
            return


@pytest.mark.parametrize("signals, status", [
    ([signal.SIGTERM], 143), ([signal.SIGINT], 130), ([signal.SIGTERM, signal.SIGTERM], 143),
    ([signal.SIGINT, signal.SIGTERM], 130),
])
def test_signal_during_training_leaves_the_old_file(tmp_path, signals, status):
    c = Ctx(tmp_path)
    proc = _popen(["--data", c.data, "--steps", "100000", "--save", c.target])
    _wait_for_training(proc)
    for sig in signals:
        proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == status
    assert err.splitlines() == [f"microgpt: interrupted by {signal.Signals(signals[0]).name}"]
    assert os.listdir(c.out) == ["w.json"] and open(c.target, "rb").read() == OLD


WHILE_SAVING = """
import os, signal, sys
from microgpt import cli, files
real_replace = os.replace
def replace(src, dst):  # two SIGTERMs (or a SIGINT and a SIGTERM) arrive just before the rename
    for name in sys.argv[1].split(","):
        os.kill(os.getpid(), getattr(signal, name))
    real_replace(src, dst)
files.os.replace = replace
sys.exit(cli.main(sys.argv[2:], program=True))
"""


@pytest.mark.parametrize("signals", ["SIGTERM,SIGTERM", "SIGINT,SIGTERM", "SIGTERM"])
def test_signals_while_saving_leave_no_part_file(tmp_path, signals):
    c = Ctx(tmp_path)
    r = subprocess.run([sys.executable, "-c", WHILE_SAVING, signals, "--data", c.data, "--steps", "1", "--save",
                        c.target], capture_output=True, text=True, timeout=120)
    first = signals.split(",")[0]
    assert r.returncode == 128 + getattr(signal, first) and r.stderr == f"microgpt: interrupted by {first}\n"
    assert os.listdir(c.out) == ["w.json"]  # no .microgpt-*.part
    with open(c.target, "rb") as f:
        content = f.read()
    assert content == OLD or json.loads(content)["format"] == "microgpt-weights"  # old, or complete


def test_broken_pipe_is_quiet(tmp_path):
    c = Ctx(tmp_path)
    proc = _popen(["--data", c.data, "--steps", "30", "--samples", "5000"])
    first = proc.stdout.readline()
    proc.stdout.close()  # as `| head -1` does
    err = proc.stderr.read()
    proc.wait(timeout=120)
    assert first == "num docs: 6\n" and proc.returncode == 0 and err == ""


def test_samples_survive_an_ascii_stdout(tmp_path):
    c = Ctx(tmp_path)
    data = c.file("emoji.txt", "😀😀\n李娜\nzoë\n")
    env = dict(os.environ, PYTHONIOENCODING="ascii")
    r = subprocess.run([sys.executable, "-m", "microgpt", "--data", data, "--steps", "5", "--samples", "10",
                        "--temperature", "3"], capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 0 and r.stderr == ""
    assert "vocab size: 7" in r.stdout and "\\" in r.stdout  # the characters shown as escapes, not a crash


def test_in_process_callers_get_their_signal_handlers_back(tmp_path):
    before = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)
    run_main(["--data", Ctx(tmp_path).data, "--steps", "0", "--samples", "0"])
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == before
