"""nbgrader, end to end: the course tree from `make assignments` goes through a whole (secure) grading cycle.

In a fresh course folder (its own gradebook): `nbgrader generate_assignment`, then three students hand in
each of lessons 01, 03 and 06: "solved" (the lesson's own solutions), "untouched" (the released notebook
as it is) and "half" (the first half of the exercises solved, the next one given the first wrong answer
listed in its metadata, the rest untouched); then `nbgrader autograde` and `nbgrader export`, whose
grades.csv must give full marks, 0 and exactly the points of the solved half. The generated config grades
through microgpt.grading (the submission in a process of its own, the checks in nbgrader's). The Chinese
course (`python -m tools.assignments --lang zh-CN`) goes through the same cycle with lesson 01.
"""

import copy
import csv
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from tools import assignments as ma
from tools import exercises as mx

CYCLE_LESSONS = ("01", "03", "06")
CHINESE_CYCLE = ("01",)
STUDENTS = ("solved", "untouched", "half")
NBGRADER_STUB = "# YOUR CODE HERE\nraise NotImplementedError()"  # what nbgrader puts in place of a solution


def read(path):
    """A notebook, as nbformat's version 4."""
    return nbformat.read(path, as_version=4)


def graded(cell, key):
    """The cell's nbgrader flag `key` (solution, grade, locked), False when it has none."""
    return bool(cell.metadata.get("nbgrader", {}).get(key))


# --- the tree, without nbgrader ---

@pytest.mark.parametrize("path", mx.lesson_paths(), ids=lambda p: p.stem)
def test_lessons_carry_nbgrader_metadata(path):
    """Exercise cells are solution cells; each check cell is a locked, graded test named after its exercise."""
    code = [c for c in read(path).cells if c.cell_type == "code"]
    for k, cell in enumerate(code):
        if "exercise" in mx.tags(cell):
            meta = cell.metadata.get("nbgrader", {})
            assert meta.get("solution") and not meta.get("grade"), f"{mx.exercise_id(cell)} is not a solution cell"
            assert meta.get("grade_id") == mx.exercise_id(cell), "run `make exercises`"
            check = code[k + 1].metadata.get("nbgrader", {})
            assert check.get("grade") and check.get("locked") and check.get("points", 0) > 0, \
                f"the check of {mx.exercise_id(cell)} is not a graded, locked cell with points: run `make exercises`"
            assert check.get("grade_id") == f"{mx.exercise_id(cell)}-check"


@pytest.mark.parametrize("path", mx.lesson_paths(), ids=lambda p: p.stem)
def test_exercise_versions_carry_no_nbgrader_metadata(path):
    """With no solution region left, nbgrader would blank a solution cell whole: the fill-in versions are not for it."""
    target = mx.NOTEBOOKS / "exercises" / path.name
    assert target.exists(), f"{path.name} has no exercise version: run `make exercises`"
    student = read(target)
    assert not any("nbgrader" in c.metadata for c in student.cells), "run `make exercises`"


def test_source_notebooks_are_clean(tmp_path):
    """No outputs, widget state, wrong answers or relative links; the set-up read-only; the badge: the exercises."""
    ma.build_classroom(tmp_path)
    with_exercises = [p for p in mx.lesson_paths() if any("exercise" in mx.tags(c) for c in read(p).cells)]
    sources = sorted((tmp_path / "source").glob("lesson*/*.ipynb"))
    assert [p.name for p in sources] == [p.name for p in with_exercises]
    for path in sources:
        nb = read(path)
        assert "widgets" not in nb.metadata, f"{path.name} keeps widget state"
        assert f"notebooks/exercises/{path.name})" in nb.cells[0].source.split("\n")[0], "badge: not the exercises"
        for cell in nb.cells:
            assert "wrong_answers" not in cell.metadata.get("microgpt", {}), f"{path.name} lists wrong answers"
            assert "execution" not in cell.metadata
            assert "](../" not in cell.source, f"{path.name}: a relative link out of the notebook's folder"
            if cell.cell_type == "code":
                assert not cell.outputs and cell.execution_count is None, f"{path.name} has outputs"
        setup = next(c for c in nb.cells if "setup" in mx.tags(c))
        assert graded(setup, "locked") and not graded(setup, "solution")
    config = (tmp_path / "nbgrader_config.py").read_text()
    assert "SecureExecute" in config and f"c.SecureExecute.timeouts = {ma.TIMEOUTS!r}" in config


def test_each_language_has_its_own_course_folder():
    """classroom/ for English, classroom-zh-CN/ and classroom-zh-TW/: one course never overwrites another's sources."""
    folders = {lang: ma.course_folder(lang) for lang in ("en", "zh-CN", "zh-TW")}
    assert len(set(folders.values())) == 3 and folders["en"] == ma.CLASSROOM


def test_timeouts_follow_the_measured_times():
    """Each lesson's time-out is at least twice its longest cell at full size (lesson 06: 697.5 s measured)."""
    assert all(ma.TIMEOUTS[f"lesson{n}"] >= 2 * t for n, t in ma.LONGEST_CELL.items())
    assert ma.TIMEOUTS["lesson06"] == 1400


@pytest.mark.parametrize("lang", ["zh-CN", "zh-TW"])
def test_chinese_source_notebooks_are_the_chinese_lessons(tmp_path, lang):
    """--lang takes notebooks/<lang>/: Chinese prose, the Chinese set-up cell locked, links made absolute."""
    ma.build_classroom(tmp_path, lang=lang)
    sources = sorted((tmp_path / "source").glob("lesson*/*.ipynb"))
    assert len(sources) == 9
    for path in sources:
        nb = read(path)
        assert f"notebooks/{lang}/exercises/{path.name})" in nb.cells[0].source.split("\n")[0], "badge"
        assert "](../" not in "".join(c.source for c in nb.cells), f"{path.name}: a relative link"
        setup = next(c for c in nb.cells if "setup" in mx.tags(c))
        assert f'use_language("{lang}")' in setup.source and graded(setup, "locked")
        grade_ids = [c.metadata.nbgrader.grade_id for c in nb.cells if graded(c, "grade")]
        english = read(mx.NOTEBOOKS / path.name)
        assert grade_ids == [c.metadata.nbgrader.grade_id for c in english.cells if graded(c, "grade")]


def test_config_grades_shrunk_with_a_long_timeout(tmp_path):
    """Loaded as nbgrader loads it, the config sets MICROGPT_QUICK=1 (unless set) and the cell timeout."""
    ma.build_classroom(tmp_path, only=["01"])
    (tmp_path / "nbgrader_config_local.py").write_text("c.Execute.interrupt_on_timeout = False\n")
    code = ("import os; from traitlets.config.loader import PyFileConfigLoader as L\n"
            "c = L('nbgrader_config.py', path='.').load_config()\n"
            "print(os.environ['MICROGPT_QUICK'], c.SecureExecute.timeouts['lesson06'], c.Execute.interrupt_on_timeout)")
    env = {k: v for k, v in os.environ.items() if k != "MICROGPT_QUICK"}
    run = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert run.stdout.split() == ["1", str(ma.TIMEOUTS["lesson06"]), "False"], run.stderr
    env["MICROGPT_QUICK"] = "0"  # an instructor grading at full size
    run = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert run.stdout.split()[0] == "0", run.stderr


# --- the cycle, through nbgrader's command line ---

def nbgrader(course, *args):
    """Run `nbgrader ARGS` in the course folder, as an instructor would; fail with its log if it fails."""
    env = {k: v for k, v in os.environ.items() if k != "MICROGPT_QUICK"}  # the course's config must set it
    env.update(JUPYTER_CONFIG_DIR=str(course / ".jupyter-config"),  # no personal nbgrader settings
               # nbgrader runs the `alembic` program of its own environment to set up the gradebook
               PATH=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    result = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}"
    return result.stdout + result.stderr


def submission(release, lesson, student):
    """The released notebook as `student` hands it in, and the points they should get for it."""
    nb = copy.deepcopy(release)
    answers = {mx.exercise_id(c): c for c in lesson.cells if "exercise" in mx.tags(c)}
    points = {c.metadata.nbgrader.grade_id: c.metadata.nbgrader.points for c in nb.cells if graded(c, "grade")}
    order = [c.metadata.nbgrader.grade_id for c in nb.cells if graded(c, "solution")]
    half = len(order) // 2
    expected = 0
    for cell in nb.cells:
        if not graded(cell, "solution"):
            continue
        ex_id = cell.metadata.nbgrader.grade_id
        source = answers[ex_id].source
        assert cell.source == mx.replace_region(source, NBGRADER_STUB), f"{ex_id}: nbgrader blanked more than that"
        k = order.index(ex_id)
        if student == "solved" or (student == "half" and k < half):
            cell.source = mx.replace_region(source, mx.solution_text(source))
            expected += points[f"{ex_id}-check"]
        elif student == "half" and k == half:
            cell.source = mx.replace_region(source, mx.wrong_answers(answers[ex_id])[0])
    return nb, expected


def run_cycle(course, lessons, lang="en"):
    """Run the whole cycle in `course`; {(assignment, student): (score, max score, expected score)}."""
    pytest.importorskip("nbgrader", reason="nbgrader is not installed (pip install -e '.[classroom]')")
    ma.build_classroom(course, only=lessons, lang=lang)
    nbgrader(course, "generate_assignment", "lesson*")
    expected = {}
    folder = mx.NOTEBOOKS if lang == "en" else mx.NOTEBOOKS / lang
    for release_path in sorted((course / "release").glob("lesson*/*.ipynb")):
        assignment = release_path.parent.name
        lesson = read(folder / release_path.name)
        for student in STUDENTS:
            nb, expected[assignment, student] = submission(read(release_path), lesson, student)
            target = course / "submitted" / student / assignment / release_path.name
            target.parent.mkdir(parents=True)
            nbformat.write(nb, target)
    nbgrader(course, "autograde", "lesson*")
    nbgrader(course, "export")
    with open(course / "grades.csv", newline="") as f:
        rows = {(r["assignment"], r["student_id"]): r for r in csv.DictReader(f)}
    scores = {}
    for key, want in expected.items():
        row = rows.get(key)
        scores[key] = (float(row["score"]), float(row["max_score"]), want) if row else (None, None, want)
    return scores


@pytest.fixture(scope="module")
def cycle(tmp_path_factory):
    """The cycle of the English lessons 01, 03 and 06, run once."""
    return run_cycle(tmp_path_factory.mktemp("classroom"), CYCLE_LESSONS)


@pytest.fixture(scope="module")
def chinese_cycle(tmp_path_factory):
    """The cycle of the Chinese (zh-CN) lesson 01, run once."""
    return run_cycle(tmp_path_factory.mktemp("classroom-zh"), CHINESE_CYCLE, "zh-CN")


@pytest.mark.slow  # nbgrader and its kernels: make test only
@pytest.mark.parametrize("number", CYCLE_LESSONS)
def test_nbgrader_cycle_scores(cycle, number):
    """Solved: full marks; untouched: 0; half solved with one wrong: the points of the solved half."""
    assert_scores(cycle, number)


@pytest.mark.slow
@pytest.mark.parametrize("number", CHINESE_CYCLE)
def test_nbgrader_cycle_scores_in_chinese(chinese_cycle, number):
    """The same scores for the Chinese lesson: its checks grade the same answers the same way."""
    assert_scores(chinese_cycle, number)


def assert_scores(cycle, number):
    """Solved: full marks; untouched: 0; half solved with one wrong: the points of the solved half."""
    assignment = f"lesson{number}"
    scores = {student: cycle[assignment, student] for student in STUDENTS}
    full = scores["solved"][2]
    assert full > 0, f"{assignment}: no graded cells"
    for student, (score, max_score, want) in scores.items():
        assert score is not None, f"{assignment}: grades.csv has no row for {student}"
        assert max_score == full, f"{assignment}: max score {max_score}, the checks are worth {full}"
        assert score == want, f"{assignment}: {student} scored {score}/{max_score}, expected {want}"
    assert scores["untouched"][2] == 0 and 0 < scores["half"][2] < full
