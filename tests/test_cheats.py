"""Secure grading against cheats: no code in a submission earns a point it did not solve (slow: nbgrader cycles).

One course folder with lessons 01 and 03 (and one with the Chinese lesson 01) goes through nbgrader's
cycle, as tests/test_nbgrader.py runs it, with one student per cheat. A cheat is applied to the untouched
release (it solved nothing: 0 points), to the solved lesson (a cell that kills, loops, floods or fills
memory costs nothing it did not break: full marks), or to one exercise of the solved lesson (a delegation
costs that exercise only). The instructor's report names what was refused or stopped.
"""

import copy
import csv

import nbformat
import pytest

from tests.test_nbgrader import NBGRADER_STUB, graded, nbgrader, read
from tools import assignments as ma
from tools import exercises as mx

pytestmark = pytest.mark.slow

TIMEOUT = 40  # seconds a cell may take in these tests (the infinite loop waits this long)
MEMORY = 1536 * 2**20  # the student's process's memory in these tests (the memory fill reaches it)

ANYTHING = '''class Anything(float):
    """Equal to anything, and everything done with it gives itself back."""
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __hash__(self): return 0
    def __getattr__(self, name): return self
    def __call__(self, *a, **k): return self
    def __iter__(self): return iter([self, self])
    def __len__(self): return 2
    def __getitem__(self, i): return self
for _op in ("add", "sub", "mul", "truediv", "pow", "radd", "rsub", "rmul", "rtruediv", "neg", "abs", "lt", "gt"):
    setattr(Anything, f"__{_op}__", lambda self, *a: self if not _op in ("lt", "gt") else False)
'''

REPLACE_CHECKS = '''import microgpt.checks as c
for name in dir(c):
    if name.startswith("check_"):
        setattr(c, name, lambda *a, **k: print("Correct"))
'''
HIDE_ERRORS = '''import sys
ip = get_ipython()
ip.set_custom_exc((BaseException,), lambda shell, etype, evalue, tb, tb_offset=None: print("Correct"))
sys.excepthook = lambda *a: None
'''
CHANGE_LATER_CELLS = '''get_ipython().input_transformers_post.append(
    lambda lines: ["pass\\n"] if any("checks." in line for line in lines) else lines)
'''
HOOKS = '''def _say_correct(result):
    if result.error_in_exec is not None:
        result.error_in_exec = None
        print("Correct")
get_ipython().events.register("post_run_cell", _say_correct)
'''
BUILTINS = '''import builtins
builtins.abs = lambda x: 0.0
builtins.isinstance = lambda obj, kinds: True
builtins.len = lambda obj: 2
'''
SYS_EXIT = "import sys\nsys.exit(0)\n"
KILL = "import os\nos._exit(0)\n"
LOOP = "while True:\n    pass\n"
FLOOD = "while True:\n    print('spam ' * 10_000)\n"
MEMORY_FILL = "hog = []\nwhile True:\n    hog.append(bytearray(50_000_000))\n"

# lesson -> (the package's functions patched to agree with wrong answers, the wrong answers)
PATCHES = {
    "01": ("import math\nmath.exp = lambda x: 1.0\nmath.log = lambda x: 1.0\n",
           {"01-exp": "return 1.0", "01-log": "return 1.0"}),
    "03": ("import microgpt, microgpt.nn\nfrom microgpt.value import Value\n"
           "microgpt.nn.linear = lambda x, w: [Value(0.0) for _ in w]\n"
           "microgpt.nn.softmax = lambda logits: [Value(1.0) for _ in logits]\n"
           "Value.exp = lambda self: Value(1.0)\n",
           {"03-linear": "return [Value(0.0) for _ in w]", "03-softmax": "return [Value(1.0) for _ in logits]"}),
}
RECAP_KEY = {"01": "from microgpt.checks.lesson01_value.recap import RECAP_01 as KEY",
             "03": "from microgpt.checks.lesson03_building_blocks.recap import RECAP_03 as KEY"}
# lesson -> (exercise, its answer calling the package's own function, the cell that aliases it first or None,
# the points it loses): lesson 01 sets `Value.backward = backward`, so there `root.backward()` calls itself
# without end and grad_check, which calls .backward(), fails too: the cheat breaks two exercises.
DELEGATION = {"01": ("01-backward", "root.backward()", None, 2),
              "03": ("03-linear", "import microgpt.nn\nreturn microgpt.nn.linear(x, w)", None, 1)}
ALIASED = {"01": ("01-backward", "_finished(root)", "import microgpt\n_finished = microgpt.Value.backward\n", 1),
           "03": ("03-linear", "return _finished(x, w)", "from microgpt import nn\n_finished = nn.linear\n", 1)}


def answer(nb, ex_id, code):
    """Put `code` in place of exercise `ex_id`'s stub (indented as the stub is)."""
    for cell in nb.cells:
        if graded(cell, "solution") and cell.metadata.nbgrader.grade_id == ex_id:
            indent = next(ln for ln in cell.source.split("\n") if "YOUR CODE HERE" in ln).split("#")[0]
            body = "\n".join(indent + ln for ln in code.strip("\n").split("\n"))
            cell.source = cell.source.replace(indent + NBGRADER_STUB.replace("\n", "\n" + indent), body)
            return nb
    raise KeyError(ex_id)


def insert(nb, source, after_setup=True):
    """A new code cell right after the set-up cell (or at the end)."""
    cell = nbformat.v4.new_code_cell(source)
    index = 1 + next(i for i, c in enumerate(nb.cells) if "setup" in mx.tags(c)) if after_setup else len(nb.cells)
    nb.cells.insert(index, cell)
    return nb


def solve(nb, lesson):
    """Every exercise answered with the lesson's own solution."""
    answers = {mx.exercise_id(c): c for c in lesson.cells if "exercise" in mx.tags(c)}
    for cell in nb.cells:
        if graded(cell, "solution"):
            source = answers[cell.metadata.nbgrader.grade_id].source
            cell.source = mx.replace_region(source, mx.solution_text(source))
    return nb


def total(nb):
    """The points of a notebook's checks."""
    return sum(c.metadata.nbgrader.points for c in nb.cells if graded(c, "grade"))


def first_exercise(nb):
    """The id of the first exercise."""
    return next(c.metadata.nbgrader.grade_id for c in nb.cells if graded(c, "solution"))


def recap_id(nb):
    """The id of the recap exercise."""
    return next(c.metadata.nbgrader.grade_id for c in nb.cells if graded(c, "solution") and "recap" in
                c.metadata.nbgrader.grade_id)


def submissions(release, lesson, number):
    """{student: (notebook, expected points)}: the controls and every cheat of this suite for one lesson."""
    full = total(release)
    fresh, solved = (lambda: copy.deepcopy(release)), (lambda: solve(copy.deepcopy(release), lesson))
    patch, wrong = PATCHES[number]
    patched = insert(fresh(), patch)
    for ex_id, code in wrong.items():
        answer(patched, ex_id, code)
    anything = insert(fresh(), ANYTHING)
    for cell in anything.cells:
        if graded(cell, "solution"):
            is_recap = "recap" in cell.metadata.nbgrader.grade_id
            answer(anything, cell.metadata.nbgrader.grade_id,
                   "answers = {i: Anything() for i in range(1, 7)}" if is_recap else "return Anything()")
    subs = {
        "solved": (solved(), full), "untouched": (fresh(), 0),
        "replace-checks": (answer(fresh(), first_exercise(release), REPLACE_CHECKS), 0),
        "hide-errors": (insert(fresh(), HIDE_ERRORS), 0),
        "change-later-cells": (insert(fresh(), CHANGE_LATER_CELLS), 0),
        "ipython-hook": (insert(fresh(), HOOKS), 0),
        "equal-to-anything": (anything, 0),
        "patch-package": (patched, 0),
        "replace-builtins": (insert(fresh(), BUILTINS), 0),
        "read-recap-key": (answer(fresh(), recap_id(release), RECAP_KEY[number] +
                                  "\nanswers = {k: v[0] for k, v in KEY.items()}"), 0),
        "sys-exit": (insert(fresh(), SYS_EXIT), 0),
        "kill-kernel": (insert(fresh(), KILL), 0),
        "solved+kill-kernel": (insert(solved(), KILL), full),
        "solved+infinite-loop": (insert(solved(), LOOP), full),
        "solved+output-flood": (insert(solved(), FLOOD), full),
        "solved+memory-fill": (insert(solved(), MEMORY_FILL), full),
    }
    for kind, table in (("delegation", DELEGATION), ("delegation-aliased", ALIASED)):
        ex_id, code, alias, lost = table[number]
        nb = answer(solved_except(release, lesson, ex_id), ex_id, code)
        subs[kind] = (insert(nb, alias) if alias else nb, full - lost)
    return subs


def solved_except(release, lesson, ex_id):
    """The solved lesson with exercise `ex_id` back to its stub."""
    nb = solve(copy.deepcopy(release), lesson)
    stub = next(c for c in release.cells if graded(c, "solution") and c.metadata.nbgrader.grade_id == ex_id)
    next(c for c in nb.cells if graded(c, "solution") and c.metadata.nbgrader.grade_id == ex_id).source = stub.source
    return nb


def run_course(course, lessons, lang="en", only=None):
    """Hand in every submission, autograde, export: {(assignment, student): (score, expected)}."""
    pytest.importorskip("nbgrader", reason="nbgrader is not installed (pip install -e '.[classroom]')")
    ma.build_classroom(course, only=lessons, lang=lang)
    (course / "nbgrader_config_local.py").write_text(
        f"c.SecureExecute.timeouts = {{}}\nc.SecureExecute.timeout = {TIMEOUT}\nc.SecureExecute.memory = {MEMORY}\n")
    nbgrader(course, "generate_assignment", "lesson*")
    folder = mx.NOTEBOOKS if lang == "en" else mx.NOTEBOOKS / lang
    expected = {}
    for release_path in sorted((course / "release").glob("lesson*/*.ipynb")):
        assignment, release = release_path.parent.name, read(release_path)
        subs = submissions(release, read(folder / release_path.name), release_path.name[:2])
        for student, (nb, points) in subs.items():
            if only is not None and student not in only:
                continue
            expected[assignment, student] = points
            target = course / "submitted" / student / assignment / release_path.name
            target.parent.mkdir(parents=True)
            nbformat.write(nb, target)
    nbgrader(course, "autograde", "lesson*")
    nbgrader(course, "export")
    with open(course / "grades.csv", newline="") as f:
        rows = {(r["assignment"], r["student_id"]): float(r["score"]) for r in csv.DictReader(f)}
    return {key: (rows.get(key), want) for key, want in expected.items()}


@pytest.fixture(scope="module")
def english(tmp_path_factory):
    """Lessons 01 and 03, every cheat, graded once."""
    course = tmp_path_factory.mktemp("cheats")
    return course, run_course(course, ["01", "03"])


@pytest.fixture(scope="module")
def chinese(tmp_path_factory):
    """The Chinese lesson 01: the controls and the cheats that reach the checks or the answers."""
    course = tmp_path_factory.mktemp("cheats-zh")
    only = {"solved", "untouched", "replace-checks", "equal-to-anything", "read-recap-key", "delegation"}
    return course, run_course(course, ["01"], "zh-CN", only)


def test_no_cheat_earns_a_point(english):
    """Every cheat earns exactly what it solved: 0 on the release, full marks or one exercise less when solved."""
    _, scores = english
    wrong = {key: got for key, (got, want) in scores.items() if got != want}
    assert len(scores) >= 2 * 18 and not wrong, f"scores (got) that differ from what was solved: {wrong}"


def test_no_cheat_earns_a_point_in_chinese(chinese):
    """The same in the Chinese course; the delegation is named in Chinese in the feedback."""
    course, scores = chinese
    assert not {key: got for key, (got, want) in scores.items() if got != want}
    graded_nb = next((course / "autograded" / "delegation" / "lesson01").glob("*.ipynb"))
    assert "自己写" in graded_nb.read_text(encoding="utf-8")


def test_the_report_names_what_was_refused_or_stopped(english):
    """The instructor's report of each submission names the delegation, the kill, the time-out, the hooks."""
    course, _ = english
    report = {p.stem: p.read_text() for p in (course / "reports" / "lesson01").glob("*.txt")}
    assert "delegation: calls microgpt's own backward" in report["delegation"]
    assert "killed" in report["solved+kill-kernel"] and "time-out" in report["solved+infinite-loop"]
    assert "IPython hook" in report["ipython-hook"] and "replaced microgpt.checks" in report["replace-checks"]
    assert "replaced builtin" in report["replace-builtins"] or "replaced the builtin" in report["replace-builtins"]
    graded_nb = next((course / "autograded" / "delegation" / "lesson01").glob("*.ipynb")).read_text()
    assert "write it yourself: this calls microgpt's own backward" in graded_nb
