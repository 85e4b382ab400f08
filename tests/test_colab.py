"""Open a lesson the way Colab does: alone, with nothing of the repository beside it.

Builds the wheel, installs it with the notebook extras (and torch, which Colab has preinstalled) into a fresh
virtual environment (the set-up cell does the same in Colab, from the repository), copies each lesson alone
into an empty folder and runs it top to bottom with nbclient in that environment. The dataset comes through
the package (MICROGPT_DATA here, since there is no network; in Colab the package downloads and caches it).
MICROGPT_QUICK=1 keeps it short.

Each lesson is executed once per `make test`: the mutant test (tests/test_mutants.py) runs the English and
zh-CN lessons, so this test runs the Traditional Chinese ones, whose code is the English code (a test of
tests/test_translation.py holds that), and does for them what nbval --nbval-lax did: every cell runs, a cell
marked NBVAL_CHECK_OUTPUT prints what the committed lesson shows, no figure lacks a glyph. Their check
messages must come from the catalogs shipped in the wheel, in Chinese.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

pytestmark = pytest.mark.slow  # a fresh venv and a kernel per lesson: make test only
ROOT = Path(__file__).parent.parent
NOTEBOOKS = ROOT / "notebooks"
# the lessons the mutant test does not run (tests/test_tiers.py checks that each lesson runs once)
LESSONS = sorted(p.relative_to(NOTEBOOKS).as_posix() for p in (NOTEBOOKS / "zh-TW").glob("[0-9][0-9]_*.ipynb"))

RUNNER = r'''
import sys, nbformat
from nbclient import NotebookClient
nb = nbformat.read(sys.argv[1], as_version=4)
NotebookClient(nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": "."}}).execute()
nbformat.write(nb, sys.argv[2])
print("ran", sum(c.cell_type == "code" for c in nb.cells), "code cells")
checked = [o.get("text", "") for c in nb.cells if "check" in c.metadata.get("tags", []) for o in c.outputs]
print("checks said:", " | ".join(t.strip() for t in checked))
'''


@pytest.fixture(scope="module")
def colab_env(tmp_path_factory):
    """A fresh virtual environment with only the wheel and its notebook extras (plus nbclient to drive it)."""
    base = tmp_path_factory.mktemp("colab")
    wheels = base / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(wheels), str(ROOT)],
                   check=True, capture_output=True)
    wheel = next(wheels.glob("microgpt_course-*.whl"))
    venv = base / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    # torch too, because Colab has it preinstalled (lesson 09 needs it); pinned to the CPU build the Makefile uses
    install = subprocess.run([str(python), "-m", "pip", "install", "--quiet", f"{wheel}[notebooks]", "nbclient",
                              "torch==2.13.0"],
                             capture_output=True, text=True)
    assert install.returncode == 0, install.stderr[-3000:]
    # nothing of the repository may leak in: the package must come from the wheel
    where = subprocess.run([str(python), "-c", "import microgpt; print(microgpt.__file__)"], cwd=base,
                           capture_output=True, text=True, check=True).stdout
    assert str(venv) in where and str(ROOT) not in where
    return python


@pytest.mark.parametrize("lesson", LESSONS)
def test_lesson_runs_alone_from_the_installed_wheel(colab_env, lesson, tmp_path, names_path):
    folder = tmp_path / "content"  # Colab's working folder, empty but for the notebook
    folder.mkdir()
    name = Path(lesson).name
    shutil.copy(ROOT / "notebooks" / lesson, folder / name)
    skipped = ("PYTHON", "VIRTUAL_ENV", "JUPYTER", "MICROGPT_LANG")
    env = {k: v for k, v in os.environ.items() if not k.startswith(skipped)}
    env.update(MICROGPT_QUICK="1", MICROGPT_DATA=names_path, MICROGPT_CACHE=str(tmp_path / "cache"),
               MPLBACKEND="module://matplotlib_inline.backend_inline", HOME=str(tmp_path))
    env["PATH"] = f"{colab_env.parent}{os.pathsep}{env.get('PATH', '')}"
    ran = tmp_path / "ran.ipynb"
    run = subprocess.run([str(colab_env), "-c", RUNNER, name, str(ran)], cwd=folder, env=env, capture_output=True,
                         text=True, timeout=1200)
    assert run.returncode == 0, f"{lesson} failed when run alone:\n{run.stderr[-4000:]}"
    assert "ran" in run.stdout
    from .test_mutants import output_problem  # nbval's comparison, as the mutant test makes it

    committed = nbformat.read(NOTEBOOKS / lesson, as_version=4)
    problems = [f"cell {i}: {problem}" for i, (cell, reference) in
                enumerate(zip(nbformat.read(ran, as_version=4).cells, committed.cells))
                if cell.cell_type == "code" and (problem := output_problem(cell, reference))]
    assert not problems, "\n".join(problems)
    said = run.stdout.split("checks said:", 1)[1].strip()
    if lesson.startswith("zh-"):  # the set-up cell chose Chinese; the wheel's catalog answers
        checks = sum("check" in c.metadata.get("tags", []) for c in committed.cells)
        assert said.count("正確：") == checks and "Correct" not in said, said
