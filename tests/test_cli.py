"""The command line: the reference's output format, every bad input as one line, save and load."""

import os
import subprocess
import sys

import pytest


def run_cli(*args, env_data=None):
    """Run `python -m microgpt` with the given flags; returns the CompletedProcess."""
    env = dict(os.environ)
    if env_data is not None:
        env["MICROGPT_DATA"] = env_data
    return subprocess.run([sys.executable, "-m", "microgpt", *args], capture_output=True, text=True, env=env,
                          timeout=300)


def test_output_format_matches_the_reference(small_data):
    r = run_cli("--data", small_data, "--steps", "3", "--samples", "2")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "num docs: 6"
    assert lines[1] == "vocab size: 12"
    assert lines[2].startswith("num params: ")
    for i, line in enumerate(lines[3:6], start=1):
        assert line.startswith(f"step {i:4d} /    3 | loss ") and len(line.split("loss ")[1]) == 6
    assert lines[6] == "" and lines[7] == "--- inference (new, hallucinated names) ---"
    assert [line[:11] for line in lines[8:]] == ["sample  1: ", "sample  2: "]


def test_same_seed_same_output_and_another_seed_differs(small_data):
    a = run_cli("--data", small_data, "--steps", "2", "--samples", "3").stdout
    assert a == run_cli("--data", small_data, "--steps", "2", "--samples", "3").stdout
    assert a != run_cli("--data", small_data, "--steps", "2", "--samples", "3", "--seed", "1").stdout


def write(tmp_path, name, content):
    """A file with the given bytes; returns its path as a string."""
    p = tmp_path / name
    p.write_bytes(content)
    return str(p)


BAD = [
    (lambda t: ["--data", str(t / "missing.txt")], "dataset file not found"),
    (lambda t: ["--data", write(t, "empty.txt", b"")], "no documents"),
    (lambda t: ["--data", write(t, "blank.txt", b"\n \n\t\n")], "no documents"),
    (lambda t: ["--data", write(t, "bin.dat", bytes(range(256)))], "not UTF-8 text"),
    (lambda t: ["--steps", "-5"], "must be >= 0"),
    (lambda t: ["--steps", "ten"], "expected a whole number"),
    (lambda t: ["--steps", "1.5"], "expected a whole number"),
    (lambda t: ["--temperature", "-0.5"], "must be >= 0"),
    (lambda t: ["--temperature", "warm"], "expected a number"),
    (lambda t: ["--n-embd", "10", "--n-head", "4"], "n_embd (10) must be divisible by n_head (4)"),
    (lambda t: ["--block-size", "0"], "argument --block-size: must be >= 1"),
    (lambda t: ["--n-layer", "0"], "argument --n-layer: must be >= 1"),
    (lambda t: ["--lr", "0"], "must be > 0"),
    (lambda t: ["--load", str(t / "none.json")], "weights file not found"),
    (lambda t: ["--load", write(t, "corrupt.json", b'{"format": "microgpt-we')], "not valid JSON"),
    (lambda t: ["--load", write(t, "other.json", b'{"a": 1}')], "not a microgpt weights file"),
    (lambda t: ["--save", str(t / "no" / "such" / "dir" / "w.json")], "does not exist"),
    (lambda t: ["--bogus"], "unrecognized arguments"),
]


@pytest.mark.parametrize("make_args, message", BAD, ids=[m for _, m in BAD])
def test_bad_input_is_one_clear_line(tmp_path, small_data, make_args, message):
    r = run_cli("--steps", "1", "--samples", "1", *make_args(tmp_path), env_data=small_data)
    assert r.returncode != 0
    assert "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert message in r.stderr and r.stderr.startswith("microgpt: error: ")
    assert "step" not in r.stdout  # refused before any training work was done


def test_save_then_load_and_weights_of_another_shape(tmp_path, small_data):
    w = str(tmp_path / "w.json")
    trained = run_cli("--data", small_data, "--steps", "2", "--samples", "3", "--save", w)
    assert trained.returncode == 0 and os.path.exists(w)
    loaded = run_cli("--load", w, "--samples", "3", "--seed", "5")
    assert loaded.returncode == 0, loaded.stderr
    assert "step" not in loaded.stdout and loaded.stdout.count("sample ") == 3
    more = run_cli("--load", w, "--data", small_data, "--steps", "1", "--samples", "1")
    assert more.returncode == 0 and "step    1 /    1" in more.stdout
    wrong = run_cli("--load", w, "--n-layer", "2", "--samples", "1")
    assert wrong.returncode == 1 and wrong.stderr.count("\n") == 1
    assert "have n_layer 1, but --n-layer 2 was given" in wrong.stderr


def test_loaded_model_refuses_a_dataset_with_unknown_characters(tmp_path, small_data):
    w = str(tmp_path / "w.json")
    run_cli("--data", small_data, "--steps", "1", "--samples", "0", "--save", w)
    other = write(tmp_path, "x.txt", b"xyz\n")
    r = run_cli("--load", w, "--data", other, "--steps", "1")
    assert r.returncode == 1 and "does not know: 'xyz'" in r.stderr


def test_unicode_and_names_longer_than_the_block_size_just_work(tmp_path):
    data = write(tmp_path, "u.txt", "zoë\nbjörk\n李娜\nmaximilianaalexandrina\n".encode("utf-8"))
    r = run_cli("--data", data, "--steps", "4", "--samples", "3", "--block-size", "8")
    assert r.returncode == 0, r.stderr
    assert "vocab size: " in r.stdout and r.stdout.count("sample ") == 3


def test_temperature_zero_is_greedy_and_repeatable(small_data):
    r = run_cli("--data", small_data, "--steps", "5", "--samples", "3", "--temperature", "0")
    names = [line.split(": ", 1)[1] for line in r.stdout.splitlines() if line.startswith("sample")]
    assert r.returncode == 0 and len(set(names)) == 1


def test_progress_goes_to_a_terminal_stderr_and_stdout_stays_the_references(small_data):
    import pty
    import select

    leader, follower = pty.openpty()  # stderr is a terminal, stdout a pipe, as in `python -m microgpt > run.txt`
    proc = subprocess.Popen([sys.executable, "-m", "microgpt", "--data", small_data, "--steps", "5", "--samples", "1"],
                            stdout=subprocess.PIPE, stderr=follower, text=True)
    os.close(follower)
    stdout = proc.stdout.read()
    proc.wait(timeout=60)
    chunks = []
    while select.select([leader], [], [], 0.5)[0]:
        try:
            data = os.read(leader, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.close(leader)
    terminal = b"".join(chunks).decode()
    assert proc.returncode == 0
    assert "step 5/5 (100%)" in terminal and "left" in terminal
    assert [line for line in stdout.splitlines() if line.startswith("step")] == [
        line for line in stdout.splitlines() if line.startswith("step ") and " / " in line]
    assert "left" not in stdout and "\r" not in stdout


def test_progress_line_estimates_the_time_left():
    import io

    from microgpt.train import Progress, format_seconds

    ticks = iter([0.0, 10.0, 10.0, 100.0, 100.0])
    stream = io.StringIO()
    progress = Progress(stream, min_interval=0, clock=lambda: next(ticks))
    progress(10, 100, 2.5)  # 10 s for 10 steps: 90 steps left take about 90 s
    assert "step 10/100 (10%) | loss 2.5000 | 10 s so far, about 1 min 30 s left" in stream.getvalue()
    progress(100, 100, 2.0)
    assert stream.getvalue().endswith("\n")
    assert format_seconds(3725) == "1 h 02 min"


def test_help_states_the_defaults_bounds_and_exit_statuses():
    r = run_cli("--help")
    text = " ".join(r.stdout.split())
    assert r.returncode == 0
    for phrase in ("(default 16, at most 1024)", "(default 1, at most 64)", "143 by SIGTERM", "symbolic links",
                   "at most 2,000,000 weights"):
        assert phrase in text, phrase
    assert "CONVENTIONS" not in r.stdout
