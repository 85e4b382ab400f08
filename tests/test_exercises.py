"""The exercises: the fill-in versions are generated and clean, and every check really tells right from wrong.

The mutant test runs each lesson in one kernel, cell by cell. At every exercise it first runs the stub the
student receives, then each wrong answer listed in the cell's metadata, each followed by the check cell,
which must fail with an AssertionError (the checks' CheckFailure); then the real solution, whose check must
pass, and goes on with the lesson. What the kernel shows for each failure is read as a student would see
it: no traceback line from microgpt/checks, no line of the solution, and for a listed wrong answer a
`Hint:` line naming the fix. Each (exercise, variant) pair is its own test, so a check that lets a wrong
answer through is named in the report.
"""

import functools
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
TOOL = ROOT / "tools" / "make_exercises.py"

_spec = importlib.util.spec_from_file_location("make_exercises", TOOL)
mx = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mx)

# The least number of exercises each lesson must have; add a line when a lesson is written.
REQUIRED_EXERCISES = {"01": 10, "02": 7, "03": 8, "04": 6, "05": 6, "06": 6, "07": 5, "08": 7, "09": 5}

LESSONS = mx.lesson_paths(NOTEBOOKS)
CHECK_FAILURES = ("AssertionError", "CheckFailure")  # what a check raises: an AssertionError


def read(path):
    """A notebook, as nbformat's version 4."""
    return nbformat.read(path, as_version=4)


def code_cells(nb):
    """(index, cell) for every code cell of a notebook."""
    return [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]


def exercise_cells(nb):
    """(index, cell) for every exercise cell of a notebook."""
    return [(i, c) for i, c in code_cells(nb) if "exercise" in mx.tags(c)]


def variants(cell):
    """The versions of an exercise cell to try, in order: (name, source, should the check pass?)."""
    out = [("stub", mx.stub_source(cell), False)]
    for k, answer in enumerate(mx.wrong_answers(cell), start=1):
        out.append((f"wrong-{k}", mx.replace_region(cell.source, answer), False))
    out.append(("solution", cell.source, True))
    return out


def _squeeze(text):
    """Text without any whitespace, so that a solution line matches however a message spaces it."""
    return re.sub(r"\s+", "", text)


def solution_lines(cell, variant_source):
    """The lines of the solution a failure message must not show: the region's lines of 8 characters or
    more (without whitespace, comments or a leading `return`) that are not also outside the region or in
    the variant's own source (a wrong answer shares lines with the solution, and its traceback shows them)."""
    start, end, _ = mx.solution_region(cell.source)
    lines = cell.source.split("\n")
    shown = {_squeeze(line) for n, line in enumerate(lines) if not start <= n <= end}
    shown |= {_squeeze(line) for line in variant_source.split("\n")}
    found = []
    for line in mx.solution_text(cell.source).split("\n"):
        code = _squeeze(line.split("  #")[0])
        code = code.removeprefix("return")
        if len(code) >= 8 and code not in shown and _squeeze(line) not in shown:
            found.append(code)
    return found


def feedback_problem(rendered, cell, variant, source):
    """What is wrong with a failure as the student sees it (the kernel's error output), or None."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(rendered))
    if "microgpt/checks" in text or "checks/lesson" in text or "checks/common" in text:
        return f"the failure shows the checks' source:\n{text}"
    for line in solution_lines(cell, source):
        if line in _squeeze(text):
            return f"the failure message gives away the solution line {line!r}:\n{text}"
    if variant.startswith("wrong") and not re.search(r"^Hint: \S", text, re.M):
        return f"the failure names no fix (no `Hint:` line):\n{text}"
    return None


def _collect_cases():
    """(lesson file name, exercise id, variant) for every variant of every exercise, read at import time."""
    cases = []
    for path in LESSONS:
        for _, cell in exercise_cells(read(path)):
            for name, _, _ in variants(cell):
                cases.append(pytest.param(path.name, mx.exercise_id(cell), name,
                                          id=f"{path.stem}:{mx.exercise_id(cell)}:{name}"))
    return cases


# --- the generated versions ---

def test_exercise_versions_are_up_to_date():
    """`make_exercises.py --check` finds nothing to regenerate."""
    result = subprocess.run([sys.executable, str(TOOL), "--check"], capture_output=True, text=True)
    assert result.returncode == 0, f"run `make exercises`:\n{result.stdout}{result.stderr}"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_exercise_version_leaks_nothing(path):
    """No outputs, no solution markers, no line of a solution, no wrong answers in the student's version."""
    lesson = read(path)
    target = NOTEBOOKS / "exercises" / path.name
    assert target.exists(), f"{path.name} has no exercise version: run `make exercises`"
    student = read(target)
    for i, cell in code_cells(student):
        assert not cell.outputs and cell.execution_count is None, f"cell {i} of the exercise version has output"
        assert mx.BEGIN not in cell.source and mx.END not in cell.source, f"cell {i} still has solution markers"
        assert "wrong_answers" not in cell.metadata.get("microgpt", {}), f"cell {i} still lists wrong answers"
    for i, cell in exercise_cells(lesson):
        given = student.cells[i].source
        start, end, _ = mx.solution_region(cell.source)
        outside = {line.strip() for n, line in enumerate(cell.source.split("\n")) if not start <= n <= end}
        for line in mx.solution_text(cell.source).split("\n"):
            if line.strip() and line.strip() not in outside:
                assert line.strip() not in given, f"{mx.exercise_id(cell)}: solution line {line.strip()!r} leaked"
        assert "raise NotImplementedError" in given, f"{mx.exercise_id(cell)}: the stub is missing"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_relative_links_lead_to_a_file_from_the_lesson_and_its_exercise_version(path):
    """A link such as [microgpt/model.py](../microgpt/model.py) works from notebooks/ and notebooks/exercises/."""
    for notebook in (path, NOTEBOOKS / "exercises" / path.name):
        for cell in read(notebook).cells:
            if cell.cell_type != "markdown":
                continue
            for target in re.findall(r"\]\((?![a-z]+:|#)([^)\s]+)\)", cell.source):  # not https:, attachment:, #
                assert (notebook.parent / target).exists(), f"{notebook.name}: the link {target} leads nowhere"


def test_generator_is_idempotent_on_a_copy(tmp_path):
    """Generating into a fresh folder twice writes the same bytes and then reports nothing to do."""
    for path in LESSONS:
        (tmp_path / path.name).write_bytes(path.read_bytes())
    (tmp_path / "exercises").mkdir()
    mx.build(tmp_path)
    first = {p.name: p.read_bytes() for p in sorted(tmp_path.rglob("*.ipynb"))}
    assert mx.build(tmp_path) == []
    assert {p.name: p.read_bytes() for p in sorted(tmp_path.rglob("*.ipynb"))} == first


def test_stub_replaces_region_at_its_indentation():
    """The region, markers included, becomes two lines at the marker's indentation; the rest is kept."""
    source = "def f(x):\n    y = 1\n    ### BEGIN SOLUTION\n    return x + y\n    ### END SOLUTION\n"
    cell = nbformat.v4.new_code_cell(source, metadata={"microgpt": {"exercise": "00-demo"}})
    assert mx.stub_source(cell) == ("def f(x):\n    y = 1\n    # YOUR CODE HERE\n"
                                    '    raise NotImplementedError("exercise 00-demo: write your code here")\n')
    assert mx.replace_region(source, "a = x\nreturn a") == "def f(x):\n    y = 1\n    a = x\n    return a\n"
    assert mx.solution_text(source) == "return x + y"


# --- the shape of the exercises ---

@pytest.mark.parametrize("number,required", sorted(REQUIRED_EXERCISES.items()))
def test_lesson_has_enough_exercises(number, required):
    """Each lesson in the table exists and has at least its number of exercises."""
    found = [p for p in LESSONS if p.name.startswith(f"{number}_")]
    assert found, f"lesson {number} (notebooks/{number}_*.ipynb) does not exist yet"
    count = len(exercise_cells(read(found[0])))
    assert count >= required, f"{found[0].name} has {count} exercises, it needs at least {required}"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_exercise_has_wrong_answers_and_a_check(path):
    """Each exercise lists a wrong answer or more, has one solution region, and the next code cell checks it."""
    nb = read(path)
    cells = code_cells(nb)
    for k, (_, cell) in enumerate(cells):
        if "exercise" not in mx.tags(cell):
            continue
        ex_id = mx.exercise_id(cell)
        prefix = path.name[:2] + "-"
        assert ex_id.startswith(prefix), f"exercise id {ex_id!r} should start with the lesson number, {prefix!r}"
        mx.solution_region(cell.source)  # raises unless there is exactly one region
        assert mx.wrong_answers(cell), f"{ex_id} lists no wrong answers"
        assert k + 1 < len(cells) and "check" in mx.tags(cells[k + 1][1]), f"{ex_id} is not followed by a check"


# --- the mutant test ---

@functools.cache
def run_lesson(name):
    """Run a lesson in one kernel, trying every variant of every exercise; {(exercise id, variant): problem}.

    A problem is None when the check behaved as it should (failed with AssertionError on a stub or a wrong
    answer, passed on the solution), otherwise a sentence saying what went wrong.
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = read(NOTEBOOKS / name)
    client = NotebookClient(nb, timeout=900, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}})
    results = {}
    broken = None  # once a plain cell of the lesson fails, every later exercise reports that

    def run(cell, index):
        """Execute one cell; None on success, else (error name, error message, the lines the student sees)."""
        try:
            client.execute_cell(cell, index)
            return None
        except CellExecutionError as err:
            shown = [line for out in cell.outputs if out.output_type == "error" for line in out.traceback]
            return err.ename, err.evalue, shown

    env = dict(os.environ, MICROGPT_QUICK="1")
    with client.setup_kernel(env=env):
        cells = code_cells(nb)
        for k, (i, cell) in enumerate(cells):
            tags = mx.tags(cell)
            if "check" in tags:
                continue  # run with its exercise
            if "exercise" not in tags:
                if broken is None and (err := run(cell, i)):
                    broken = f"cell {i} of {name} failed before this exercise: {err[0]}: {err[1]}"
                continue
            ex_id = mx.exercise_id(cell)
            check = cells[k + 1] if k + 1 < len(cells) and "check" in mx.tags(cells[k + 1][1]) else None
            for variant, source, should_pass in variants(cell):
                if broken or check is None:
                    results[ex_id, variant] = broken or f"{ex_id} has no check cell after it"
                    continue
                trial = nbformat.v4.new_code_cell(source, metadata=cell.metadata)
                if err := run(trial, i):
                    # a build from a blank cell (the whole cell is the region) has a stub that raises at once,
                    # in the student's own cell, saying what to do: that is the stub's expected failure
                    stub_says_so = variant == "stub" and err[0] == "NotImplementedError" and ex_id in err[1]
                    results[ex_id, variant] = None if stub_says_so else (
                        f"the {variant} cell itself failed: {err[0]}: {err[1]}\n{source}")
                    continue
                err = run(nbformat.v4.new_code_cell(check[1].source), check[0])
                if err and err[0] in CHECK_FAILURES and not should_pass:
                    results[ex_id, variant] = feedback_problem(err[2], cell, variant, source)
                    continue
                if should_pass:
                    results[ex_id, variant] = err and f"the check rejects the solution: {err[0]}: {err[1]}"
                elif err is None:
                    results[ex_id, variant] = f"the check PASSED a {variant} answer; it should have failed:\n{source}"
                elif err[0] not in CHECK_FAILURES:
                    results[ex_id, variant] = (f"the check failed the {variant} answer with {err[0]} instead of "
                                               f"AssertionError: {err[1]}")
                else:
                    results[ex_id, variant] = None
    return results


@pytest.mark.parametrize("lesson,ex_id,variant", _collect_cases())
def test_check_tells_right_from_wrong(lesson, ex_id, variant):
    """The check fails the stub and each wrong answer with AssertionError, and passes the solution."""
    problem = run_lesson(lesson).get((ex_id, variant), f"{ex_id} {variant} was never run")
    assert problem is None, problem
