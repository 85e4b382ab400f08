"""What every lesson promises a learner: objectives first, labelled exercises, a blank-cell build, a checked recap,
open "go further" exercises at the end, and pictures that fit a laptop's notebook.

Read from the committed lessons (no kernel): the format is the one tools/exercises.py documents.
"""

import base64
import re
import struct

import nbformat
import pytest

import tools.exercises as mx
from microgpt.checks import EXERCISES

NOTEBOOKS = mx.NOTEBOOKS

# lessons 01-08 teach with exercises, objectives and a recap; 00 is the overview, and 09 (the bridge to PyTorch)
# has exercises, labelled like the others, but its own issue's structure
TAUGHT = [p for p in mx.lesson_paths(NOTEBOOKS) if "01" <= p.name[:2] <= "08"]
WITH_EXERCISES = [p for p in mx.lesson_paths(NOTEBOOKS) if p.name[:2] >= "01"]
# from lesson 03 on, each lesson has at least one build from a blank cell
BUILDS_FROM = "03"
# a notebook 900 px wide (JupyterLab on a laptop with the file browser open) shows a picture this wide whole
MAX_PICTURE_PX = 900
# "**Exercise 03-linear** · ★★ · about 10 min": the label above every exercise
LABEL = mx.LABEL


def read(path):
    """A lesson as nbformat version 4."""
    return nbformat.read(path, as_version=4)


def exercises(nb):
    """(index, cell) of every exercise cell."""
    return [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code" and "exercise" in mx.tags(c)]


def markdown_before(nb, index):
    """The text of the nearest markdown cell above cell `index`."""
    for cell in reversed(nb.cells[:index]):
        if cell.cell_type == "markdown":
            return cell.source
    return ""


@pytest.mark.parametrize("path", TAUGHT, ids=lambda p: p.stem)
def test_objectives_open_the_lesson(path):
    """Among the first three markdown cells: 'After this lesson you can' and 3 to 5 bullets."""
    firsts = [c.source for c in read(path).cells if c.cell_type == "markdown"][:3]
    text = next((t for t in firsts if "After this lesson you can" in t), None)
    assert text, f"{path.name}: no 'After this lesson you can' list near the top"
    after = text.split("After this lesson you can", 1)[1]
    bullets = [line for line in after.splitlines() if re.match(r"\s*[-*] ", line)]
    assert 3 <= len(bullets) <= 5, f"{path.name}: {len(bullets)} objectives, expected 3 to 5"


@pytest.mark.parametrize("path", WITH_EXERCISES, ids=lambda p: p.stem)
def test_every_exercise_is_labelled(path):
    """The markdown above each exercise names it with its difficulty (★ to ★★★) and a time estimate."""
    nb = read(path)
    for i, cell in exercises(nb):
        ex_id = mx.exercise_id(cell)
        label = LABEL.search(markdown_before(nb, i))
        assert label, f"{path.name}: exercise {ex_id} has no label like '**Exercise {ex_id}** · ★★ · about 10 min'"
        assert label["id"] == ex_id, f"{path.name}: the label above {ex_id} names {label['id']}"
        assert 1 <= int(label["min"]) <= 60, f"{path.name}: {ex_id} says about {label['min']} min"


@pytest.mark.parametrize("path", WITH_EXERCISES, ids=lambda p: p.stem)
def test_every_exercise_has_two_wrong_answers(path):
    """Each exercise declares at least two plausible mistakes, so the mutant test proves its check catches them."""
    for _, cell in exercises(read(path)):
        ex = EXERCISES[mx.exercise_id(cell)]
        assert len(ex.wrong) >= 2, f"{path.name}: {ex.id} declares fewer than 2 mistakes"


@pytest.mark.parametrize("path", TAUGHT, ids=lambda p: p.stem)
def test_recap_is_checked(path):
    """A '## Recap' section near the end with an exercise '<NN>-recap' answering 4 to 6 questions."""
    nb = read(path)
    lesson = path.name[:2]
    recap = [i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and c.source.startswith("## Recap")]
    assert recap, f"{path.name}: no '## Recap' section"
    questions = re.findall(r"^\s*[0-9]+\. ", nb.cells[recap[0]].source, re.M)
    assert 4 <= len(questions) <= 6, f"{path.name}: the recap asks {len(questions)} questions, expected 4 to 6"
    ids = [mx.exercise_id(c) for i, c in exercises(nb) if i > recap[0]]
    assert f"{lesson}-recap" in ids, f"{path.name}: no exercise {lesson}-recap after the recap's questions"


@pytest.mark.parametrize("path", [p for p in TAUGHT if p.name[:2] >= BUILDS_FROM], ids=lambda p: p.stem)
def test_a_build_from_a_blank_cell(path):
    """At least one exercise defined as a build: its whole cell is the learner's (nothing before the region)."""
    builds = [c for _, c in exercises(read(path)) if EXERCISES[mx.exercise_id(c)].build]
    assert builds, f"{path.name}: no exercise defined with @exercise(..., build=True)"
    for cell in builds:
        before = cell.source.split(mx.BEGIN, 1)[0]
        code = [line for line in before.splitlines() if line.strip() and not line.lstrip().startswith("#")]
        assert not code, f"{path.name}: build {mx.exercise_id(cell)} hands over code before its region: {code}"


@pytest.mark.parametrize("path", TAUGHT, ids=lambda p: p.stem)
def test_go_further_closes_the_lesson(path):
    """A '## Go further' section with open exercises, after the recap."""
    nb = read(path)
    heads = [c.source.splitlines()[0] for c in nb.cells if c.cell_type == "markdown" and c.source.startswith("## ")]
    assert any(h.startswith("## Go further") for h in heads), f"{path.name}: no '## Go further' section"
    assert heads.index(next(h for h in heads if h.startswith("## Go further"))) > heads.index(
        next(h for h in heads if h.startswith("## Recap"))), f"{path.name}: 'Go further' should come after the recap"


def png_width(data):
    """The width in pixels of a base64 PNG."""
    raw = base64.b64decode(data)
    return struct.unpack(">I", raw[16:20])[0]


@pytest.mark.parametrize("path", mx.lesson_paths(NOTEBOOKS), ids=lambda p: p.stem)
def test_pictures_fit_a_laptop_notebook(path):
    """Every picture a lesson shows is at most 900 px wide, so no chart needs a sideways scroll."""
    too_wide = []
    for i, cell in enumerate(read(path).cells):
        for out in cell.get("outputs", []):
            png = out.get("data", {}).get("image/png")
            if png and png_width(png) > MAX_PICTURE_PX:
                too_wide.append(f"cell {i}: {png_width(png)} px")
    assert not too_wide, f"{path.name}: pictures wider than {MAX_PICTURE_PX} px: {', '.join(too_wide)}"
