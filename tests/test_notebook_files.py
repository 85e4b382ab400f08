"""Committed notebooks are clean (tools/notebooks.py): no run-dependent metadata, the kernel metadata Jupyter writes."""

import shutil
import subprocess

import nbformat
import pytest
from ipykernel.ipkernel import IPythonKernel
from jupyter_client.kernelspec import KernelSpecManager

from tools import notebooks

NOTEBOOKS = notebooks.committed_notebooks()


def test_every_language_and_exercise_version_is_covered():
    """The list the cleanliness test walks holds the lessons, exercise versions and both Chinese courses."""
    names = {str(p.relative_to(notebooks.ROOT)) for p in NOTEBOOKS}
    for folder in ("notebooks", "notebooks/exercises", "notebooks/zh-CN", "notebooks/zh-TW/exercises"):
        assert f"{folder}/01_value.ipynb" in names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(notebooks.ROOT / "notebooks")))
def test_committed_notebook_is_clean(path):
    """No execution timestamps, the fixed kernelspec and language_info, nbformat's own layout."""
    assert notebooks.problems(path) == [], "run `python -m tools.notebooks clean` and commit the notebooks"


def test_a_timestamp_makes_a_notebook_unclean_and_clean_removes_it(tmp_path):
    """The check sees what nbclient leaves behind, and `clean` takes it away again."""
    path = tmp_path / "lesson.ipynb"
    shutil.copy(notebooks.ROOT / "notebooks/02_data.ipynb", path)
    nb = nbformat.read(path, as_version=4)
    code = next(c for c in nb.cells if c.cell_type == "code")
    code.metadata["execution"] = {"iopub.status.busy": "2026-11-27T15:42:40.936875Z"}
    nb.metadata.kernelspec.display_name = "Python 3"
    nbformat.write(nb, path)
    found = notebooks.problems(path)
    assert any("carries execution" in line for line in found) and any("kernelspec" in line for line in found)
    assert notebooks.main(["check", str(path)]) == 1
    assert notebooks.main(["clean", str(path)]) == 0
    assert notebooks.problems(path) == [] and notebooks.main(["check", str(path)]) == 0
    assert notebooks.write(nbformat.read(path, as_version=4), path) is False  # clean twice: nothing to write


def test_fixed_metadata_is_what_jupyter_with_ipykernel_writes(monkeypatch):
    """JupyterLab saves the kernel's spec and its kernel_info language_info: ours are those, so opening is no edit."""
    monkeypatch.delenv("JUPYTER_PATH", raising=False)  # the venv's own spec, not the fast tier's kernel blocker
    spec = KernelSpecManager().get_kernel_spec("python3")
    assert notebooks.KERNELSPEC == {"display_name": spec.display_name, "language": spec.language, "name": "python3"}
    assert notebooks.KERNELSPEC["display_name"] == "Python 3 (ipykernel)"
    ours = dict(notebooks.LANGUAGE_INFO)
    theirs = dict(IPythonKernel.language_info)
    assert ours.pop("version").rsplit(".", 1)[0] == theirs.pop("version").rsplit(".", 1)[0]  # same minor release
    assert ours == theirs


def test_missing_path_is_one_clear_line(capsys):
    """A wrong path gets one line naming it and exit status 2, nothing written."""
    assert notebooks.main(["clean", "notebooks/no_such_lesson.ipynb"]) == 2
    assert "no such notebook: notebooks/no_such_lesson.ipynb" in capsys.readouterr().err


def test_the_working_copy_keeps_the_learners_notebooks_and_git_ignores_it(tmp_path, capsys):
    """`make lab`'s work/: the first run copies every notebook, a later one only those missing; a learner's
    saved notebook is never overwritten; the folder is git-ignored, so a `git pull` never meets it."""
    source, work = tmp_path / "notebooks", tmp_path / "work"
    (source / "exercises").mkdir(parents=True)
    for name in ("01_value.ipynb", "exercises/01_value.ipynb", "glossary.md"):
        (source / name).write_text(f"course {name}")
    assert notebooks.main(["work", str(source), str(work)]) == 0
    assert "copied 2 notebooks" in capsys.readouterr().out
    (work / "01_value.ipynb").write_text("the learner's work")
    (work / "exercises" / "01_value.ipynb").unlink()  # the documented reset of one exercise notebook
    (source / "glossary.md").write_text("course glossary, updated")
    assert [p.name for p in notebooks.work_copy(source, work)] == ["01_value.ipynb"]
    assert (work / "01_value.ipynb").read_text() == "the learner's work"
    assert (work / "exercises" / "01_value.ipynb").read_text() == "course exercises/01_value.ipynb"
    assert (work / "glossary.md").read_text() == "course glossary, updated"
    assert notebooks.work_copy(source, work) == []
    ignored = subprocess.run(["git", "check-ignore", "-q", "work/01_value.ipynb"], cwd=notebooks.ROOT)
    assert ignored.returncode == 0, "work/ must be git-ignored"
