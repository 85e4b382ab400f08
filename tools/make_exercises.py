"""Generate the fill-in versions of the lessons: notebooks/NN_x.ipynb -> notebooks/exercises/NN_x.ipynb.

Usage:  python tools/make_exercises.py            write every exercise version (and the lessons' set-up, nbgrader)
        python tools/make_exercises.py --check    change nothing; exit 1 and list the files that are out of date
        python tools/make_exercises.py notebooks/02_data.ipynb    only these lessons (no orphan clean-up)

In a lesson, an exercise is a code cell tagged "exercise" whose solution sits between a line
`### BEGIN SOLUTION` and a line `### END SOLUTION`. Its metadata holds
`{"microgpt": {"exercise": "02-vocab", "wrong_answers": [...]}}`. The exercise version of the lesson
is the same notebook with:

* each solution region (both marker lines included) replaced, at the marker's indentation, by
  `# YOUR CODE HERE` and `raise NotImplementedError("...")`;
* every output and execution count cleared, and run-time metadata (timings, widget state) dropped;
* the wrong answers removed from the metadata (they would hint at the answer); the exercise id stays;
* no nbgrader metadata (a cell with no markers left would be blanked whole by nbgrader: instructors
  generate assignments from the lessons, with tools/make_assignments.py); check cells are marked
  "editable": false and "deletable": false, which plain Jupyter respects.

Three things are kept in one standard form in every lesson, written by this script:

* nbgrader's cell metadata (schema version 3), so nbgrader can generate an assignment from a lesson:
  an exercise cell is a solution cell {"solution": true, "grade": false, "locked": false, "grade_id": <id>};
  its check cell is an autograder test {"solution": false, "grade": true, "locked": true, "points": 1,
  "grade_id": <id>-check};

and, generated from the repository address in pyproject.toml ([project.urls] Repository) and the package
version (the git tag v<version> is the pinned ref), in every exercise version too:

* the set-up cell (the first code cell, tagged "setup"), which installs the course package in Colab;
* an "Open in Colab" badge as the first line of the first markdown cell.

In a lesson, those three are the only things this script ever rewrites; everything else (code, prose,
outputs) is left exactly as it is, and a lesson whose set-up, badge and nbgrader metadata are already right
is not written at all. The output is deterministic (nbformat's own JSON layout), so running the script
twice changes nothing the second time.
"""

import argparse
import copy
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
EXERCISES = NOTEBOOKS / "exercises"
LESSON_GLOB = "[0-9][0-9]_*.ipynb"

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
BADGE_IMAGE = "https://colab.research.google.com/assets/colab-badge.svg"
BADGE_PREFIX = "[![Open In Colab]"
# cell metadata written by executing a notebook, which has no place in a clean exercise version
RUNTIME_CELL_METADATA = ("execution", "collapsed", "scrolled")


# --- where the course lives: read once from pyproject.toml ---

def project_info(pyproject=ROOT / "pyproject.toml"):
    """The repository address and version declared in pyproject.toml, as (url, version)."""
    try:
        import tomllib
    except ImportError:  # Python 3.10: no tomllib, but these two keys are simple enough to find
        tomllib = None
    text = Path(pyproject).read_text(encoding="utf-8")
    if tomllib is not None:
        project = tomllib.loads(text)["project"]
        return project["urls"]["Repository"].rstrip("/"), project["version"]
    url = re.search(r'^Repository\s*=\s*"([^"]+)"', text, re.M).group(1)
    version = re.search(r'^version\s*=\s*"([^"]+)"', text, re.M).group(1)
    return url.rstrip("/"), version


def github_path(url):
    """'owner/name' of a GitHub address like https://github.com/owner/name."""
    match = re.fullmatch(r"https://github\.com/([^/]+/[^/]+?)(\.git)?", url)
    if not match:
        raise SystemExit(f"pyproject.toml: [project.urls] Repository must be a GitHub address, got {url!r}")
    return match.group(1)


def setup_source(url, version, lang="en"):
    """The text of the standard set-up cell: in Colab, pip-install the package at the pinned tag.

    Only the package, not its [notebooks] extra: Colab already has matplotlib, ipywidgets and numpy, and
    replacing its ipywidgets 7 by 8 has broken Colab's widget display before (googlecolab/colabtools#3020).
    A Chinese lesson's set-up (lang "zh-CN"; zh-TW is converted from it) also installs a Chinese font in
    Colab and sets the language of checks, hints, widgets and figures.
    """
    spec = f"microgpt-course @ git+{url}@v{version}"
    if lang == "en":
        return (
            "# Set-up: in Colab this installs the course package; anywhere else it does nothing.\n"
            "# (Colab already has matplotlib, ipywidgets and numpy; the dataset is downloaded on first use.)\n"
            "import sys\n"
            "\n"
            'if "google.colab" in sys.modules:\n'
            f"    get_ipython().run_line_magic(\"pip\", \"install -q '{spec}'\")"
        )
    return (
        "# 设置：在 Colab 中安装课程包和一种中文字体（图片里的中文要用它）；在别处什么也不做。\n"
        "# （Colab 已经有 matplotlib、ipywidgets 和 numpy；数据集在第一次用到时下载。）\n"
        "import sys\n"
        "\n"
        'if "google.colab" in sys.modules:\n'
        f"    get_ipython().run_line_magic(\"pip\", \"install -q '{spec}'\")\n"
        '    get_ipython().system("apt-get -qq install -y fonts-noto-cjk > /dev/null")\n'
        "\n"
        "from microgpt.i18n import use_language\n"
        "\n"
        f'use_language("{lang}")  # 检查、提示、交互控件和图片都说中文（环境变量 MICROGPT_LANG 可以改掉它）'
    )


def badge_line(url, version, relpath):
    """Markdown for an "Open in Colab" badge that opens `relpath` (e.g. notebooks/02_data.ipynb) at the tag."""
    return f"{BADGE_PREFIX}({BADGE_IMAGE})]({colab_url(url, version, relpath)})"


README = ROOT / "README.md"
TABLE_START = "<!-- lessons-table:start (generated by tools/make_exercises.py) -->"
TABLE_END = "<!-- lessons-table:end -->"
BINDER_IMAGE = "https://mybinder.org/badge_logo.svg"


def colab_url(url, version, relpath):
    """The address that opens `relpath` of the repository, at the pinned tag, in Colab."""
    return f"https://colab.research.google.com/github/{github_path(url)}/blob/v{version}/{relpath}"


def binder_url(url, version, relpath=None):
    """The address that starts the repository at the pinned tag on Binder (in JupyterLab, at `relpath`)."""
    path = f"?urlpath=lab/tree/{relpath}" if relpath else ""
    return f"https://mybinder.org/v2/gh/{github_path(url)}/v{version}{path}"


def lesson_title(nb):
    """The first heading of a notebook's first markdown cell, without the '#'s."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    return line.lstrip("#").strip()
    return ""


def readme_table(lessons, url, version):
    """The README's table of lessons: each with its Colab badges (lesson and exercises) and a Binder link."""
    colab = f"![Open in Colab]({BADGE_IMAGE})"
    rows = [
        f"[![Launch Binder]({BINDER_IMAGE})]({binder_url(url, version, 'notebooks')})",
        "",
        "| lesson | open the lesson | open the exercises |",
        "|---|---|---|",
    ]
    for path in lessons:
        title = lesson_title(nbformat.read(path, as_version=4)).replace("|", "\\|")
        lesson, exercise = f"notebooks/{path.name}", f"notebooks/exercises/{path.name}"
        rows.append(f"| [{title}]({lesson}) | [{colab}]({colab_url(url, version, lesson)}) "
                    f"| [{colab}]({colab_url(url, version, exercise)}) |")
    return "\n".join(rows)


def update_readme(lessons, url, version, check):
    """Rewrite the table between the README's markers; return True when it was (or would be) changed."""
    if not README.exists():
        return False
    text = README.read_text(encoding="utf-8")
    if TABLE_START not in text or TABLE_END not in text:
        raise SystemExit(f"README.md must hold the lines {TABLE_START!r} and {TABLE_END!r}")
    head, rest = text.split(TABLE_START, 1)
    _, tail = rest.split(TABLE_END, 1)
    new = f"{head}{TABLE_START}\n{readme_table(lessons, url, version)}\n{TABLE_END}{tail}"
    if new == text:
        return False
    if not check:
        README.write_text(new, encoding="utf-8")
    return True


# --- the pieces of a notebook this script cares about ---

def tags(cell):
    """The cell's tags, as a list (empty when it has none)."""
    return list(cell.get("metadata", {}).get("tags", []))


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
    """The plausible wrong answers listed in an exercise cell's metadata."""
    return list(cell.metadata.get("microgpt", {}).get("wrong_answers", []))


def lesson_paths(notebooks=NOTEBOOKS):
    """Every lesson, in order: notebooks/NN_slug.ipynb."""
    return sorted(Path(notebooks).glob(LESSON_GLOB))


# --- the two generated things shared by lessons and exercise versions ---

def standardize(nb, url, version, relpath, lang="en"):
    """Put the standard set-up cell and Colab badge into `nb` (in place); return True if anything changed."""
    changed = False
    code = [c for c in nb.cells if c.cell_type == "code"]
    if not code or "setup" not in tags(code[0]):
        raise SystemExit(f"{relpath}: the first code cell must be the set-up cell, tagged 'setup'")
    wanted = setup_source(url, version, lang)
    if code[0].source != wanted:
        code[0].source = wanted
        changed = True
    markdown = [c for c in nb.cells if c.cell_type == "markdown"]
    if not markdown:
        raise SystemExit(f"{relpath}: a lesson starts with a markdown cell (title); it has none")
    first = markdown[0]
    lines = first.source.split("\n")
    badge = badge_line(url, version, relpath)
    if lines[0].startswith(BADGE_PREFIX):
        new_source = "\n".join([badge] + lines[1:])
    else:  # no badge yet: add it with a blank line, so the title stays a heading
        new_source = "\n".join([badge, ""] + lines)
    if new_source != first.source:
        first.source = new_source
        changed = True
    return changed


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
        graded = grading_metadata(lesson, rel_lesson)
        if standardize(lesson, url, version, rel_lesson) or graded:
            stale.append(path)
            if not check:
                nbformat.write(lesson, path)
        target = exercises / path.name
        text = nbformat.writes(exercise_version(lesson, url, version, f"notebooks/exercises/{path.name}"))
        text = text if text.endswith("\n") else text + "\n"  # as nbformat.write leaves a file
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


def report(stale, check, command, up_to_date):
    """Say what was written, or in check mode what is out of date (then exit status 1); the exit status."""
    rel = [str(p.relative_to(ROOT)) for p in stale]
    if check:
        if rel:
            print(f"out of date (run `{command}`):\n  " + "\n  ".join(rel), file=sys.stderr)
            return 1
        print(up_to_date)
        return 0
    print("\n".join(f"wrote {r}" for r in rel) if rel else "nothing to do: everything is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
