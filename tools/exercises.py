"""Keep every exercise in its one standard form, and generate the fill-in versions of the lessons.

Usage:  python -m tools.exercises            normalise the lessons' exercises, write every exercise version
        python -m tools.exercises --check    change nothing; exit 1 and list the files that are out of date
        python -m tools.exercises notebooks/02_data.ipynb    only these lessons (no orphan clean-up)

An exercise is defined once, in its lesson's check module (microgpt/checks/lessonNN_*/), by `@exercise`
above its check: hints, wrong answers with the hint each must draw, stars and minutes, whether it is a build.
The lesson holds only its solution: a code cell with one line `### BEGIN SOLUTION` and one line
`### END SOLUTION`, defining the name the check takes first (`def pow_local`, or `answers =`). From the two,
this script writes in each lesson the exercise cell's tag "exercise" and metadata
`{"microgpt": {"exercise": "01-pow"}}` (the tie to the definition; a new cell is recognised by the name it
defines); the check cell after it (tag "check", `checks.check_pow_local(pow_local)`), inserted if absent; the
label "**Exercise 01-pow** · ★ · about 3 min" opening the markdown above; nbgrader's metadata (schema 3): the
exercise is a solution cell, its check an autograder test, locked, one point (grade_id <id>-check); and, from
pyproject.toml's address and version, the set-up cell and Colab badge (tools.lesson_setup).

The exercise version (notebooks/exercises/) is the lesson with each solution region, markers included,
replaced at the marker's indentation by `# YOUR CODE HERE` and `raise NotImplementedError("...")`; outputs,
execution counts and run-time metadata dropped; no nbgrader metadata (instructors generate assignments from
the lessons, with tools.make_assignments); check cells "editable": false and "deletable": false.

In a lesson, those are the only things this script rewrites; a lesson already in standard form is not
written, and running the script twice changes nothing the second time (tools.notebooks writes the files).
"""

import argparse
import copy
import re
import sys
from pathlib import Path

import nbformat

from microgpt.checks import EXERCISES as DEFINITIONS  # exercise id -> its one definition
from tools import notebooks as notebook_files
from tools.lesson_setup import (  # noqa: F401 (the other tools use these as exercises.X too)
    BADGE_IMAGE,
    BADGE_PREFIX,
    README,
    TABLE_END,
    TABLE_START,
    colab_url,
    lesson_title,
    project_info,
    report,
    setup_source,
    standardize,
    tags,
    update_readme,
)

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
EXERCISES = NOTEBOOKS / "exercises"
LESSON_GLOB = "[0-9][0-9]_*.ipynb"

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
# cell metadata written by executing a notebook, which has no place in a clean exercise version
RUNTIME_CELL_METADATA = ("execution", "collapsed", "scrolled")


# --- the pieces of a notebook this script cares about ---

def exercise_id(cell):
    """The id of an exercise cell, from its metadata (e.g. '02-vocab')."""
    info = cell.metadata.get("microgpt", {})
    if "exercise" not in info:
        raise SystemExit(f"an exercise cell has no metadata microgpt.exercise id:\n{cell.source[:200]}")
    return info["exercise"]


def solution_region(source):
    """(start, end, indent) of the one solution region of a cell's source: line indices, both markers included."""
    lines = source.split("\n")
    begins = [i for i, line in enumerate(lines) if line.strip() == BEGIN]
    ends = [i for i, line in enumerate(lines) if line.strip() == END]
    if len(begins) != 1 or len(ends) != 1 or ends[0] < begins[0]:
        raise ValueError(f"an exercise cell needs exactly one '{BEGIN}' line followed by one '{END}' line:\n"
                         f"{source[:300]}")
    start, end = begins[0], ends[0]
    indent = lines[start][: len(lines[start]) - len(lines[start].lstrip())]
    return start, end, indent


def replace_region(source, replacement):
    """The source with its solution region (markers included) replaced by `replacement`, re-indented."""
    start, end, indent = solution_region(source)
    lines = source.split("\n")
    new = [indent + line if line.strip() else line for line in replacement.split("\n")]
    return "\n".join(lines[:start] + new + lines[end + 1:])


STUB_WORDS = {"en": "exercise {id}: write your code here", "zh-CN": "练习 {id}：在这里写你的代码"}


def stub_text(ex_id, lang="en"):
    """What the student finds in place of the solution (without indentation), in the lesson's language."""
    words = STUB_WORDS[lang].format(id=ex_id)
    return f'# YOUR CODE HERE\nraise NotImplementedError("{words}")'


def stub_source(cell, lang="en"):
    """The source of an exercise cell as the student receives it."""
    return replace_region(cell.source, stub_text(exercise_id(cell), lang))


def solution_text(source):
    """The lines strictly between the markers, without their common indentation (the model answer)."""
    start, end, indent = solution_region(source)
    return "\n".join(line[len(indent):] if line.startswith(indent) else line
                     for line in source.split("\n")[start + 1:end])


def wrong_answers(cell):
    """The plausible wrong answers of an exercise cell, from its definition: the code of each, in order."""
    return [wrong.answer(solution_text(cell.source)) for wrong in DEFINITIONS[exercise_id(cell)].wrong]


def lesson_paths(notebooks=NOTEBOOKS):
    """Every lesson, in order: notebooks/NN_slug.ipynb."""
    return sorted(Path(notebooks).glob(LESSON_GLOB))


# --- the exercises, written from their one definition in microgpt.checks ---

LABEL = re.compile(r"\*\*Exercise (?P<id>[0-9]{2}-[a-z0-9-]+)\*\* · (?P<stars>★{1,3}) · about (?P<min>[0-9]+) min")


def defined_names(source):
    """The names a cell defines at its top level: its functions, classes and assigned names."""
    return {a or b for a, b in re.findall(r"^(?:def|class) (\w+)|^(\w+)\s*=", source, re.M)}


def find_exercise(cell, relpath):
    """The definition of an exercise cell: by the id in its metadata, else by the name it defines."""
    lesson = Path(relpath).name[:2]
    known = cell.metadata.get("microgpt", {}).get("exercise")
    if known:
        if known not in DEFINITIONS:
            raise SystemExit(f"{relpath}: exercise {known} has no definition: add @exercise(\"{known}\", ...) above "
                             f"its check in microgpt/checks/lesson{lesson}_*/")
        return DEFINITIONS[known]
    names = defined_names(cell.source)
    found = [ex for ex in DEFINITIONS.values() if ex.lesson == lesson and ex.arguments[0] in names]
    if len(found) != 1:
        raise SystemExit(f"{relpath}: a cell with a solution region defines {sorted(names)}, the first argument of "
                         f"{len(found)} exercises of lesson {lesson}; it should be one (an @exercise in "
                         f"microgpt/checks/lesson{lesson}_*/ whose check takes that name first)")
    return found[0]


def _label(nb, index, ex):
    """Open the markdown above exercise cell `index` with the exercise's label (in place); the cells inserted."""
    above = next((k for k in range(index - 1, -1, -1) if nb.cells[k].cell_type == "markdown"), None)
    found = LABEL.search(nb.cells[above].source) if above is not None else None
    if found and found["id"] == ex.id:
        cell = nb.cells[above]
        new = cell.source[:found.start()] + ex.label + cell.source[found.end():]
        cell.source = new
        return 0
    if above is not None and not found and above == index - 1:
        nb.cells[above].source = f"{ex.label}\n\n{nb.cells[above].source}"
        return 0
    nb.cells.insert(index, nbformat.v4.new_markdown_cell(ex.label))
    return 1


def normalise_exercises(nb, relpath):
    """Write each exercise's tag, metadata id, label and check cell from its definition (in place).

    Returns True if anything changed. Fails when a definition of the lesson has no solution cell.
    """
    before = nbformat.writes(nb)
    seen, index = [], 0
    while index < len(nb.cells):
        cell = nb.cells[index]
        if cell.cell_type != "code" or BEGIN not in cell.source:
            index += 1
            continue
        ex = find_exercise(cell, relpath)
        seen.append(ex.id)
        index += _label(nb, index, ex)
        cell.metadata["microgpt"] = {"exercise": ex.id}  # the tie to the definition; all else is read from it
        if "exercise" not in tags(cell):
            cell.metadata["tags"] = tags(cell) + ["exercise"]
        after = next((k for k in range(index + 1, len(nb.cells)) if nb.cells[k].cell_type == "code"), None)
        if after is None or "check" not in tags(nb.cells[after]):
            after = index + 1
            nb.cells.insert(after, nbformat.v4.new_code_cell(metadata={"tags": ["check"]}))
        nb.cells[after].source = ex.check_source
        index = after + 1
    missing = [ex.id for ex in DEFINITIONS.values() if ex.lesson == Path(relpath).name[:2] and ex.id not in seen]
    if missing:
        raise SystemExit(f"{relpath}: no solution cell for {', '.join(missing)} (defined in microgpt/checks): write "
                         "a code cell with its ### BEGIN SOLUTION / ### END SOLUTION region in the lesson")
    return nbformat.writes(nb) != before


POINTS_PER_CHECK = 1


def grading_metadata(nb, relpath):
    """Put nbgrader's metadata on the exercise and check cells of a lesson (in place); True if anything changed."""
    changed = False
    code = [c for c in nb.cells if c.cell_type == "code"]
    for k, cell in enumerate(code):
        if "exercise" in tags(cell):
            wanted = {"grade": False, "grade_id": exercise_id(cell), "locked": False,
                      "schema_version": 3, "solution": True, "task": False}
        elif "check" in tags(cell):
            if k == 0 or "exercise" not in tags(code[k - 1]):
                raise SystemExit(f"{relpath}: a cell tagged 'check' must follow a cell tagged 'exercise'")
            wanted = {"grade": True, "grade_id": f"{exercise_id(code[k - 1])}-check", "locked": True,
                      "points": POINTS_PER_CHECK, "schema_version": 3, "solution": False, "task": False}
        else:
            continue
        if cell.metadata.get("nbgrader") != wanted:
            cell.metadata["nbgrader"] = wanted
            changed = True
    return changed


def exercise_version(lesson, url, version, relpath, lang="en"):
    """The fill-in notebook made from a lesson notebook (the lesson itself is not modified)."""
    nb = copy.deepcopy(lesson)
    nb.metadata.pop("widgets", None)  # saved widget state is output, too
    for cell in nb.cells:
        for key in RUNTIME_CELL_METADATA:
            cell.metadata.pop(key, None)
        if cell.cell_type == "markdown":  # one folder deeper: a link to ../microgpt/model.py needs one more ../
            cell.source = cell.source.replace("](../", "](../../")
        if cell.cell_type != "code":
            continue
        cell.outputs = []
        cell.execution_count = None
        cell.metadata.pop("nbgrader", None)
        if "exercise" in tags(cell):
            cell.source = stub_source(cell, lang)
            cell.metadata["microgpt"] = {"exercise": exercise_id(cell)}
        elif "check" in tags(cell):
            cell.metadata["editable"] = False
            cell.metadata["deletable"] = False
    standardize(nb, url, version, relpath, lang)
    return nb


# --- the command ---

def build(notebooks=NOTEBOOKS, check=False, only=None):
    """Bring every lesson's set-up and every exercise version up to date; return the paths that were (or
    in check mode, would be) changed. `only`: a list of lesson paths, to process just those."""
    notebooks = Path(notebooks)
    exercises = notebooks / "exercises"
    url, version = project_info()
    stale = []
    lessons = lesson_paths(notebooks)
    selected = lessons if only is None else [p for p in lessons if p.resolve() in {Path(o).resolve() for o in only}]
    if only is not None and len(selected) != len(only):
        raise SystemExit(f"not a lesson (notebooks/NN_slug.ipynb): {', '.join(map(str, only))}")
    for path in selected:
        rel_lesson = f"notebooks/{path.name}"
        lesson = nbformat.read(path, as_version=4)
        graded = normalise_exercises(lesson, rel_lesson) | grading_metadata(lesson, rel_lesson)
        if standardize(lesson, url, version, rel_lesson) or graded:
            stale.append(path)
            if not check:
                notebook_files.write(lesson, path)
        target = exercises / path.name
        text = notebook_files.writes(exercise_version(lesson, url, version, f"notebooks/exercises/{path.name}"))
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            stale.append(target)
            if not check:
                exercises.mkdir(exist_ok=True)
                target.write_text(text, encoding="utf-8")
    if only is None and notebooks.resolve() == NOTEBOOKS.resolve() and update_readme(lessons, url, version, check):
        stale.append(README)
    # an exercise version whose lesson is gone is stale too
    names = {p.name for p in lessons}
    for orphan in sorted(exercises.glob(LESSON_GLOB)) if only is None else []:
        if orphan.name not in names:
            stale.append(orphan)
            if not check:
                orphan.unlink()
    return stale


def main(argv=None):
    """Parse the command line, build, and report what changed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if any lesson set-up or exercise version is out of date")
    parser.add_argument("lessons", nargs="*", help="lesson notebooks to process (default: all of them)")
    args = parser.parse_args(argv)
    stale = build(check=args.check, only=args.lessons or None)
    return report(stale, args.check, "make exercises", "exercise versions are up to date")


if __name__ == "__main__":
    sys.exit(main())
