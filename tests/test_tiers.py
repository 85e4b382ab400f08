"""The Makefile's promises: `make lab` light, `make check` fast, `make test` whole with each lesson run once.

These read what make would run (`make -n -B`, nothing is executed) and the test modules' lesson lists.
"""

import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest

from tests import conftest

from .test_packaging import _name, pyproject

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"


def make_dry_run(target, *assignments):
    """The commands `make TARGET` would run from scratch (every stamp out of date), in a scratch venv path."""
    env = {k: v for k, v in os.environ.items() if k != "TORCH_INDEX"}  # .ci/run empties it: see the Makefile's default
    run = subprocess.run(["make", "-n", "-B", target, "VENV=/nonexistent/venv", *assignments], cwd=ROOT,
                         capture_output=True, text=True, check=True, env=env)
    return run.stdout.splitlines()


def pip_installs(lines):
    """The requirement names each `pip install` line asks for, extras expanded through pyproject.toml."""
    extras = pyproject()["project"]["optional-dependencies"]
    asked = []
    for line in lines:
        if "pip install" not in line:
            continue
        words = shlex.split(line.split("pip install", 1)[1])
        for word in (w for w in words if not w.startswith("-")):
            if word.startswith(".["):
                asked += [_name(spec) for extra in word[2:-1].split(",") for spec in extras[extra]]
            elif word != "pip" and not word.startswith("http"):
                asked.append(_name(word))
    return set(asked)


def test_make_lab_installs_neither_torch_nor_pytest():
    """`make lab` asks pip for the notebooks extra only; torch only with TORCH=1, pinned, from the CPU index."""
    light = pip_installs(make_dry_run("lab"))
    assert light, "make lab installs nothing?"
    assert not {"torch", "pytest", "nbval", "playwright", "nbgrader"} & light, light
    assert {"jupyterlab", "matplotlib", "ipywidgets", "numpy", "ipykernel"} <= light
    with_torch = make_dry_run("lab", "TORCH=1")
    assert pip_installs(with_torch) - light == {"torch"}
    line = next(line for line in with_torch if "torch==" in line)
    assert "'torch==2.13.0'" in line and "--extra-index-url https://download.pytorch.org/whl/cpu" in line


def test_make_test_installs_everything_and_make_check_runs_the_fast_tier():
    """`make test` installs torch and the test and classroom extras, lints, and runs every test; `make check`
    runs the same tests without the slow ones, and nothing else."""
    full = make_dry_run("test")
    assert {"torch", "pytest", "nbval", "nbgrader", "playwright"} <= pip_installs(full)
    pytest_runs = [line for line in full if "-m pytest" in line]
    assert len(pytest_runs) == 1 and " -m 'not" not in pytest_runs[0] and "--nbval" not in pytest_runs[0]
    assert any("ruff check" in line for line in full)
    check = [line for line in make_dry_run("check") if "-m pytest" in line]
    assert len(check) == 1 and "-m 'not slow'" in check[0] and " tests " in check[0] + " "


def test_each_lesson_is_executed_once_per_make_test():
    """The mutant test runs the English and zh-CN lessons, the Colab test the others: every lesson in every
    language exactly once."""
    from . import test_colab, test_mutants

    mutants = [p.relative_to(NOTEBOOKS).as_posix() for p in test_mutants.MUTANT_LESSONS]
    every = sorted(p.relative_to(NOTEBOOKS).as_posix() for lang in ("", "zh-CN", "zh-TW")
                   for p in (NOTEBOOKS / lang).glob("[0-9][0-9]_*.ipynb"))
    assert len(every) == 30
    assert sorted(mutants + test_colab.LESSONS) == every


def test_in_the_fast_tier_a_kernel_refuses_to_start(tmp_path, monkeypatch):
    """The kernel spec the fast tier puts first on Jupyter's path exits at once, saying which mark is missing."""
    from jupyter_client.kernelspec import KernelSpecManager

    monkeypatch.setenv("JUPYTER_PATH", conftest.kernel_blocker(tmp_path))
    argv = KernelSpecManager().get_kernel_spec("python3").argv
    run = subprocess.run([a.replace("{connection_file}", str(tmp_path / "c.json")) for a in argv],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 1 and conftest.NO_KERNEL in run.stderr


@pytest.mark.parametrize("expr, fast", [("not slow", True), ("not  slow", True), ("", False), ("slow", False)])
def test_the_fast_tier_is_the_run_without_slow_tests(expr, fast):
    """Only a run that leaves the slow tests out blocks kernels."""
    class Config:
        def getoption(self, name, default=None):
            return expr
    assert conftest.fast_tier(Config()) is fast


def test_slow_marks_are_registered():
    """`slow` is a registered marker (pyproject.toml), so that `-m 'not slow'` is no typo."""
    markers = pyproject()["tool"]["pytest"]["ini_options"]["markers"]
    assert any(re.match(r"slow\b", m) for m in markers)
