"""The shape of the notebooks: valid files, the standard set-up cell, lessons executed, exercise versions clean.

Running the lessons is nbval's job (`make test-notebooks`); these tests only read the committed files.
"""

import importlib.util
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"

_spec = importlib.util.spec_from_file_location("make_exercises", ROOT / "tools" / "make_exercises.py")
mx = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mx)

LESSONS = mx.lesson_paths(NOTEBOOKS)
EXERCISE_VERSIONS = sorted((NOTEBOOKS / "exercises").glob(mx.LESSON_GLOB))
ALL = LESSONS + EXERCISE_VERSIONS


def ident(path):
    """A short test id: 02_data or exercises/02_data."""
    return path.stem if path.parent == NOTEBOOKS else f"exercises/{path.stem}"


def code_cells(nb):
    """The code cells of a notebook."""
    return [c for c in nb.cells if c.cell_type == "code"]


@pytest.mark.parametrize("path", ALL, ids=ident)
def test_is_valid_nbformat(path):
    """Every notebook is a valid version-4 notebook."""
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.nbformat == 4


@pytest.mark.parametrize("path", ALL, ids=ident)
def test_starts_with_title_and_setup_cell(path):
    """The first cell is markdown; the first code cell is the standard set-up cell, tagged 'setup'."""
    nb = nbformat.read(path, as_version=4)
    assert nb.cells and nb.cells[0].cell_type == "markdown", "the first cell should be the title, in markdown"
    first = code_cells(nb)[0]
    assert "setup" in mx.tags(first), "the first code cell should be tagged 'setup'"
    assert first.source == mx.setup_source(*mx.project_info()), "non-standard set-up cell: run `make exercises`"


@pytest.mark.parametrize("path", LESSONS, ids=ident)
def test_lesson_is_committed_executed_without_errors(path):
    """A lesson is committed executed (every code cell has run) and shows no error."""
    for i, cell in enumerate(nbformat.read(path, as_version=4).cells):
        if cell.cell_type != "code":
            continue
        assert cell.execution_count is not None, f"cell {i} was not executed: run the lesson and save it"
        errors = [o for o in cell.outputs if o.output_type == "error"]
        assert not errors, f"cell {i} shows an error: {errors[0].ename}: {errors[0].evalue}"
        streams = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
        assert "Traceback (most recent call last)" not in streams, f"cell {i} printed a traceback"


@pytest.mark.parametrize("path", EXERCISE_VERSIONS, ids=ident)
def test_exercise_version_has_no_outputs(path):
    """An exercise version is committed clean: no outputs, no execution counts."""
    for i, cell in enumerate(code_cells(nbformat.read(path, as_version=4))):
        assert not cell.outputs and cell.execution_count is None, f"code cell {i} has outputs"


def test_every_lesson_has_an_exercise_version():
    """Each lesson has its fill-in version, and each fill-in version has its lesson."""
    assert {p.name for p in LESSONS} == {p.name for p in EXERCISE_VERSIONS}


@pytest.mark.parametrize("path", ALL, ids=ident)
def test_exercise_and_check_tags_pair_up(path):
    """Every 'exercise' code cell is followed by a 'check' code cell, and every 'check' follows an exercise."""
    cells = code_cells(nbformat.read(path, as_version=4))
    for k, cell in enumerate(cells):
        tags = mx.tags(cell)
        if "exercise" in tags:
            assert k + 1 < len(cells) and "check" in mx.tags(cells[k + 1]), \
                f"exercise {mx.exercise_id(cell)} is not followed by a check cell"
        if "check" in tags:
            assert k > 0 and "exercise" in mx.tags(cells[k - 1]), f"check cell {k} does not follow an exercise"
            assert "checks." in cell.source, f"check cell {k} should call a function of microgpt.checks"


def test_exercise_ids_are_unique():
    """No two exercises in the course share an id (the ids name tests and nbgrader cells)."""
    ids = [mx.exercise_id(c) for p in LESSONS for c in code_cells(nbformat.read(p, as_version=4))
           if "exercise" in mx.tags(c)]
    assert len(ids) == len(set(ids)), f"repeated exercise ids: {sorted(i for i in ids if ids.count(i) > 1)}"
