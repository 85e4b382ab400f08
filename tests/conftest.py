"""Shared fixtures (the real dataset through MICROGPT_DATA, small hand-made ones) and the two test tiers.

`make check` runs `pytest -m "not slow"`: the package and structure tests, in minutes at most. A test that starts
a kernel, a browser, a fresh venv, nbgrader or a full-size training run is marked `slow` (`pytestmark` or
`@pytest.mark.slow` where it is written) and runs in `make test` only. In a run without the slow tests, a
kernel cannot start: its spec is replaced by one that exits with a message, so that an unmarked test that
starts one fails at once instead of slowing the fast tier down.
"""

import json
import os
import random
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

from microgpt import GPT, GPTConfig, Tokenizer

NO_KERNEL = "this test starts a Jupyter kernel, which the fast tier (make check) does not: mark it @pytest.mark.slow"


def fast_tier(config):
    """True when the run leaves out the slow tests (`-m "not slow"`, as `make check` runs)."""
    return config.getoption("markexpr", "").replace(" ", "") == "notslow"


def kernel_blocker(folder):
    """A Jupyter data folder whose `python3` kernel exits at once with NO_KERNEL; returns it."""
    spec = Path(folder) / "kernels" / "python3"
    spec.mkdir(parents=True, exist_ok=True)
    argv = [sys.executable, "-c", f"import sys; sys.exit({NO_KERNEL!r})", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "no kernel", "language": "python"}))
    return str(folder)


def pytest_configure(config):
    """In the fast tier, put the kernel blocker first on Jupyter's path (for this process and its children)."""
    if fast_tier(config) and not hasattr(config, "_kernel_blocker"):
        config._kernel_blocker = kernel_blocker(tempfile.mkdtemp(prefix="no-kernel-"))
        os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [config._kernel_blocker,
                                                                   os.environ.get("JUPYTER_PATH")]))


def pytest_unconfigure(config):
    """Remove the kernel blocker's folder."""
    if hasattr(config, "_kernel_blocker"):
        shutil.rmtree(config._kernel_blocker, ignore_errors=True)


@pytest.fixture(scope="session")
def names_path():
    """Path of names.txt, from MICROGPT_DATA (CI points it at ../shared/data/names.txt)."""
    path = os.environ.get("MICROGPT_DATA")
    if not path or not os.path.isfile(path):
        pytest.fail("set MICROGPT_DATA to the path of names.txt (e.g. ../shared/data/names.txt) to run the tests")
    return path


@pytest.fixture
def small_data(tmp_path):
    """A tiny dataset file of a few names."""
    path = tmp_path / "names.txt"
    path.write_text("emma\nolivia\nava\nisabella\nsophia\nmia\n", encoding="utf-8")
    return str(path)


def tiny_model(docs=("emma", "olivia", "ava"), seed=0, **sizes):
    """A small random model and its tokenizer, for tests that need any model at all."""
    tokenizer = Tokenizer.from_docs(docs)
    config = GPTConfig(vocab_size=tokenizer.vocab_size, **sizes)
    return GPT(config, random.Random(seed)), tokenizer
