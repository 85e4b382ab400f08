"""A class of 30 generated submissions of lesson 03, graded securely: each scores exactly what it solved (slow).

Student k solves a seeded random subset of the exercises (the others stay as released), so the class spans 0
to full marks. The time `nbgrader autograde` takes is printed (run with -s to see it), next to the time of
nbgrader's plain autograde of the same class when MICROGPT_COMPARE_PLAIN=1; tests never assert timings.
"""

import copy
import os
import random
import time

import nbformat
import pytest

from tests.test_cheats import solve
from tests.test_nbgrader import graded, nbgrader, read
from tools import assignments as ma
from tools import exercises as mx

pytestmark = pytest.mark.slow

LESSON, CLASS_SIZE = "03", 30
PLAIN = """\
from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, Execute, IgnorePattern, LimitOutput,
                                    SaveAutoGrades)
c.Autograde.autograde_preprocessors = [Execute, IgnorePattern, ClearMetadataPreprocessor, LimitOutput,
                                       SaveAutoGrades, AssignLatePenalties, CheckCellMetadata]
"""  # nbgrader's own autograde (the checks in the student's kernel), for comparison


def hand_in(course, seed=0):
    """Write the class's submissions; {student: expected points}."""
    release_path = next((course / "release").glob(f"lesson{LESSON}/*.ipynb"))
    release, lesson = read(release_path), read(mx.NOTEBOOKS / release_path.name)
    solved = solve(copy.deepcopy(release), lesson)
    ids = [c.metadata.nbgrader.grade_id for c in release.cells if graded(c, "solution")]
    rng, expected = random.Random(seed), {}
    for k in range(CLASS_SIZE):
        chosen = set(rng.sample(ids, rng.randint(0, len(ids))))
        nb = copy.deepcopy(release)
        for cell, answer in zip(nb.cells, solved.cells):
            if graded(cell, "solution") and cell.metadata.nbgrader.grade_id in chosen:
                cell.source = answer.source
        points = {c.metadata.nbgrader.grade_id: c.metadata.nbgrader.points for c in nb.cells if graded(c, "grade")}
        # an exercise counts when it and every earlier one its check calls by name are solved
        expected[f"s{k:02d}"] = sum(points[f"{i}-check"] for i in chosen if _needs(i) <= chosen)
        target = course / "submitted" / f"s{k:02d}" / f"lesson{LESSON}" / release_path.name
        target.parent.mkdir(parents=True)
        nbformat.write(nb, target)
    return expected


def _needs(ex_id):
    """The earlier exercises of lesson 03 whose functions exercise `ex_id`'s solution calls."""
    return {"03-xent": {"03-stable-softmax"}, "03-build-train": {"03-linear", "03-sgd"}}.get(ex_id, set())


def grade_class(course, plain=False):
    """Autograde the class; (seconds, {student: score})."""
    if plain:
        (course / "nbgrader_config_local.py").write_text(PLAIN)
    start = time.monotonic()
    nbgrader(course, "autograde", f"lesson{LESSON}", "--force")
    seconds = time.monotonic() - start
    nbgrader(course, "export")
    import csv

    with open(course / "grades.csv", newline="") as f:
        return seconds, {r["student_id"]: float(r["score"]) for r in csv.DictReader(f)}


def test_a_class_of_30_scores_what_each_solved(tmp_path):
    """30 submissions, each its exact points; the time is printed (and plain autograde's, when asked)."""
    pytest.importorskip("nbgrader", reason="nbgrader is not installed (pip install -e '.[classroom]')")
    ma.build_classroom(tmp_path, only=[LESSON])
    nbgrader(tmp_path, "generate_assignment", f"lesson{LESSON}")
    expected = hand_in(tmp_path)
    seconds, scores = grade_class(tmp_path)
    assert scores == expected
    print(f"\nsecure autograde of {CLASS_SIZE} submissions of lesson {LESSON}: {seconds:.0f} s")
    if os.environ.get("MICROGPT_COMPARE_PLAIN") == "1":
        plain_seconds, _ = grade_class(tmp_path, plain=True)
        print(f"plain autograde of the same class: {plain_seconds:.0f} s")
