"""The mutant test: every check really tells right from wrong, and names the cause its definition declares.

Each exercise is defined once, by `@exercise` in its lesson's check module (microgpt.checks.EXERCISES): its
wrong answers, each with the hint it must draw. This test runs each lesson in one kernel, cell by cell. At
every exercise it first runs the stub the student receives, then each wrong answer of the definition, each
followed by the check cell, which must fail with an AssertionError (the checks' CheckFailure) showing exactly
the declared hint; then the real solution, whose check must pass, and goes on with the lesson. What the kernel
shows for each failure is read as a student would see it: no traceback line from microgpt/checks, no line of
the solution. Each (exercise, variant) pair is its own test, so a check that lets a wrong answer through, or
names the wrong cause, is named in the report.

The same run does what nbval --nbval-lax does for these lessons: every other cell must run without an
error, a cell marked `# NBVAL_CHECK_OUTPUT` must print what the committed lesson shows, and no figure may
warn that a glyph is missing from its fonts (tests/nbval_glyphs.py). So nbval runs only the lessons this
test does not execute (the zh-TW lessons).

The Simplified Chinese lessons (notebooks/zh-CN) go through the same test with fewer variants: the stub of
their own exercise version, the first wrong answer and the solution. There, the failure must be in Chinese,
with the declared hint translated on its `提示：` line. The Traditional lessons are the same code and the same
checks with converted catalogs (tests/test_translation.py checks the conversion and every zh-TW stub's
message). Every test here starts a kernel: all are marked `slow`, which the fast tier leaves out.
"""

import copy
import functools
import gettext
import os
import re

import nbformat
import pytest
from nbval.plugin import coalesce_streams, transform_streams_for_comparison

from microgpt import i18n
from microgpt.checks import EXERCISES

from .nbval_glyphs import missing_glyphs
from .test_exercises import LESSONS, NOTEBOOKS, code_cells, exercise_cells, mx, read

pytestmark = pytest.mark.slow  # every test here starts a kernel
MUTANT_LESSONS = LESSONS + mx.lesson_paths(NOTEBOOKS / "zh-CN")
CJK = re.compile(r"[\u4e00-\u9fff]")
CHECK_FAILURES = ("AssertionError", "CheckFailure")  # what a check raises: an AssertionError
CHECKED_OUTPUT = "NBVAL_CHECK_OUTPUT"
# what nbval leaves out of a comparison (nbval.plugin's skip_compare without nbdime: images and ids differ)
SKIP_COMPARE = ("metadata", "traceback", "prompt_number", "output_type", "name", "execution_count",
                "application/vnd.jupyter.widget-view+json", "image/png", "image/jpeg")


def variants(cell, stub=None):
    """The versions of an exercise cell to try, in order: (name, source, should the check pass?, declared hint).

    With `stub` (the cell of a Chinese exercise version): that stub, the first wrong answer, the solution.
    """
    wrong = EXERCISES[mx.exercise_id(cell)].wrong
    tried = wrong[:1] if stub is not None else wrong
    out = [("stub", mx.stub_source(cell) if stub is None else stub, False, None)]
    for k, answer in enumerate(tried, start=1):
        out.append((f"wrong-{k}", mx.replace_region(cell.source, answer.answer(mx.solution_text(cell.source))), False,
                    answer.hint))
    out.append(("solution", cell.source, True, None))
    return out


def language_of(name):
    """"en" for a lesson file name such as 01_value.ipynb, "zh-CN" for zh-CN/01_value.ipynb."""
    return name.split("/")[0] if "/" in name else "en"


def stubs_of(name):
    """{cell index: the stub source} of a Chinese lesson's exercise version; None for an English lesson."""
    if language_of(name) == "en":
        return None
    path = NOTEBOOKS / name
    student = read(path.parent / "exercises" / path.name)
    return {i: c.source for i, c in exercise_cells(student)}


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


def hint_line(hint, lang="en"):
    """A pattern of the line that shows `hint` (an N_ message) in `lang`: "Hint: ..." or "提示：...".

    A hint with {fields} matches whatever they were filled with; the rest must be exactly its text."""
    catalog = gettext.translation(i18n.DOMAIN, i18n.LOCALE_DIR, languages=[lang.replace("-", "_")], fallback=True)
    text = catalog.gettext(hint).strip()
    parts = re.split(r"(?<!\{)\{[^{}]*\}(?!\})", text)
    body = ".+?".join(re.escape(p.replace("{{", "{").replace("}}", "}")) for p in parts)
    before, after = catalog.gettext("Hint: {hint}").split("{hint}")
    return re.compile(re.escape(before) + body + re.escape(after))


def feedback_problem(rendered, cell, variant, source, lang="en", hint=None):
    """What is wrong with a failure as the student sees it (the kernel's error output), or None.

    `hint`: the N_ message the definition says this variant must draw (its line must show exactly that)."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", "\n".join(rendered))
    if "microgpt/checks" in text:
        return f"the failure shows the checks' source:\n{text}"
    own = {_squeeze(line) for line in source.split("\n")}  # the learner's own lines, quoted by the traceback
    visible = "\n".join(_squeeze(line) for line in text.split("\n") if _squeeze(line) not in own)
    for line in solution_lines(cell, source):
        if line in visible:
            return f"the failure message gives away the solution line {line!r}:\n{text}"
    if lang != "en" and (re.search(r"^Hint: ", text, re.M) or not CJK.search(text.split("\n")[-1])):
        return f"the failure is not in Chinese:\n{text}"
    if hint is not None and not any(hint_line(hint, lang).fullmatch(line) for line in text.split("\n")):
        return f"the failure should show the hint declared for {variant}, {hint!r}; it shows:\n{text}"
    return None


def output_problem(cell, reference):
    """What nbval --nbval-lax would say about a lesson cell just executed (None when it would pass).

    `reference` is the cell as committed: a cell marked NBVAL_CHECK_OUTPUT must show its outputs again
    (streams merged, images and ids left out, as nbval compares them); no output may report a missing glyph."""
    glyphs = missing_glyphs(cell.outputs)
    if glyphs:
        return "a figure has characters no installed font can draw:\n  " + "\n  ".join(glyphs)
    if CHECKED_OUTPUT not in cell.source or reference.execution_count is None:
        return None
    got, want = (_comparable(outputs) for outputs in (cell.outputs, reference.outputs))
    if got != want:
        return f"the outputs differ from the committed lesson's:\n  committed: {want}\n  now:       {got}"
    return None


def _comparable(outputs):
    """{output key: [values]} of a cell's outputs, the way nbval's compare_outputs flattens them."""
    flat = {}
    for out in transform_streams_for_comparison(coalesce_streams(copy.deepcopy(outputs))):
        for key, value in out.items():
            items = value.items() if key == "data" else [(key, value)]
            for k, v in items:
                if k not in SKIP_COMPARE:
                    flat.setdefault(k, []).append(v)
    return flat


def _collect_cases():
    """(lesson file name, exercise id, variant) for every variant of every exercise, read at import time."""
    cases = []
    for path in MUTANT_LESSONS:
        name = path.relative_to(NOTEBOOKS).as_posix()
        stubs = stubs_of(name)
        for i, cell in exercise_cells(read(path)):
            for variant, *_ in variants(cell, stubs and stubs.get(i, "")):
                cases.append(pytest.param(name, mx.exercise_id(cell), variant,
                                          id=f"{name.removesuffix('.ipynb')}:{mx.exercise_id(cell)}:{variant}"))
    return cases


# --- the mutant test, which also runs each lesson the way nbval --nbval-lax would ---

@functools.cache
def run_lesson(name):
    """Run a lesson in one kernel, trying every variant of every exercise.

    Returns {(exercise id, variant): problem} and {("cell", index): problem} for the other cells. A problem
    is None when all went as it should, otherwise a sentence saying what went wrong.
    """
    from nbclient import NotebookClient

    nb = read(NOTEBOOKS / name)
    committed = copy.deepcopy(nb)
    client = NotebookClient(nb, timeout=900, kernel_name="python3",
                            resources={"metadata": {"path": str((NOTEBOOKS / name).parent)}})
    results = {}
    with client.setup_kernel(env=dict(os.environ, MICROGPT_QUICK="1")):
        cells = code_cells(nb)
        broken = None  # once a plain cell of the lesson fails, every later exercise reports that
        for k, (i, cell) in enumerate(cells):
            if "check" in mx.tags(cell):
                continue  # run with its exercise
            if "exercise" not in mx.tags(cell):
                err = _run(client, cell, i)
                problem = err and f"cell {i} raised {err[0]}: {err[1]}"
                results["cell", i] = problem or output_problem(cell, committed.cells[i])
                broken = broken or (problem and f"cell {i} of {name} failed before this exercise: {problem}")
                continue
            check = cells[k + 1] if k + 1 < len(cells) and "check" in mx.tags(cells[k + 1][1]) else None
            results.update(_try_exercise(client, name, i, cell, check, broken))
    return results


def _run(client, cell, index):
    """Execute one cell; None on success, else (error name, error message, the lines the student sees)."""
    from nbclient.exceptions import CellExecutionError

    try:
        client.execute_cell(cell, index)
        return None
    except CellExecutionError as err:
        shown = [line for out in cell.outputs if out.output_type == "error" for line in out.traceback]
        return err.ename, err.evalue, shown


def _try_exercise(client, name, i, cell, check, broken):
    """{(exercise id, variant): problem} for each variant of the exercise cell `i`, its check cell after it."""
    ex_id, lang, stubs = mx.exercise_id(cell), language_of(name), stubs_of(name)
    results = {}
    for variant, source, should_pass, hint in variants(cell, stubs and stubs.get(i, "")):
        if broken or check is None:
            results[ex_id, variant] = broken or f"{ex_id} has no check cell after it"
            continue
        trial = nbformat.v4.new_code_cell(source, metadata=cell.metadata)
        if err := _run(client, trial, i):
            # a build from a blank cell (the whole cell is the region) has a stub that raises at once,
            # in the student's own cell, saying what to do: that is the stub's expected failure
            stub_says_so = variant == "stub" and err[0] == "NotImplementedError" and ex_id in err[1]
            results[ex_id, variant] = None if stub_says_so else (
                f"the {variant} cell itself failed: {err[0]}: {err[1]}\n{source}")
            continue
        checked = nbformat.v4.new_code_cell(check[1].source)
        err = _run(client, checked, check[0])
        if should_pass:
            glyphs = missing_glyphs(trial.outputs) + missing_glyphs(checked.outputs)
            results[ex_id, variant] = (err and f"the check rejects the solution: {err[0]}: {err[1]}") or (
                glyphs and "a figure has characters no installed font can draw:\n  " + "\n  ".join(glyphs)) or None
        elif err is None:
            results[ex_id, variant] = f"the check PASSED a {variant} answer; it should have failed:\n{source}"
        elif err[0] not in CHECK_FAILURES:
            results[ex_id, variant] = (f"the check failed the {variant} answer with {err[0]} instead of "
                                       f"AssertionError: {err[1]}")
        else:
            results[ex_id, variant] = feedback_problem(err[2], cell, variant, source, lang, hint)
    return results


def _mutant_test_class(lesson, cases):
    """A class holding one lesson's tests in a kernel: pytest-xdist's --dist loadscope keeps a class on one
    worker, so each lesson runs once, in one kernel, while the lessons spread over the workers."""

    @pytest.mark.parametrize("lesson,ex_id,variant", cases)
    def test_check_tells_right_from_wrong(self, lesson, ex_id, variant):
        """The check fails the stub and each wrong answer with AssertionError and its declared hint, and
        passes the solution."""
        problem = run_lesson(lesson).get((ex_id, variant), f"{ex_id} {variant} was never run")
        assert problem is None, problem

    def test_lesson_runs_as_nbval_would(self):
        """Every other cell runs, prints what the committed lesson shows where checked, and draws every glyph."""
        problems = [f"cell {key[1]}: {p}" for key, p in run_lesson(lesson).items() if key[0] == "cell" and p]
        assert not problems, "\n".join(problems)

    tests = {"test_lesson_runs_as_nbval_would": test_lesson_runs_as_nbval_would}
    if cases:
        tests["test_check_tells_right_from_wrong"] = test_check_tells_right_from_wrong
    return tests


def _mutant_test_classes():
    """{class name: class} with one class per lesson (TestMutants_01_value, TestMutants_zh_CN_01_value, ...)."""
    by_lesson = {path.relative_to(NOTEBOOKS).as_posix(): [] for path in MUTANT_LESSONS}
    for case in _collect_cases():
        by_lesson[case.values[0]].append(case)
    classes = {}
    for lesson, cases in by_lesson.items():
        name = "TestMutants_" + re.sub(r"\W", "_", lesson.removesuffix(".ipynb"))
        body = {"__doc__": f"The mutant test of {lesson}, and its run as nbval would do it.",
                **_mutant_test_class(lesson, cases)}
        classes[name] = type(name, (), body)
    return classes


globals().update(_mutant_test_classes())
