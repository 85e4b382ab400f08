"""The one way the course writes a notebook: no run-dependent metadata, the metadata Jupyter itself writes.

A committed notebook keeps only what a run cannot change by itself: no execution timestamps (nbclient's
`execution`, the ExecuteTime extension's), and the kernelspec and language_info that JupyterLab with ipykernel
writes when a learner opens and saves a lesson, so that opening one does not mark it changed. Outputs (and the
widget state their widget views refer to) stay: they are the lesson's printed numbers.

    python -m tools.notebooks clean [paths]   # rewrite the given notebooks (default: all of notebooks/) cleanly
    python -m tools.notebooks check [paths]   # list the notebooks that are not clean; exit 1 if any
    python -m tools.notebooks work notebooks work   # copy into work/ every lesson missing there (make lab)
"""

import argparse
import shutil
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent

# what ipykernel's kernel spec and kernel_info reply put there; the version is the course's pinned Python
# (environment.yml) as CI runs it: a learner's kernel on another patch release would write its own, which is one
# reason `make lab` opens a git-ignored working copy rather than the tracked lessons
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LANGUAGE_INFO = {
    "codemirror_mode": {"name": "ipython", "version": 3},
    "file_extension": ".py",
    "mimetype": "text/x-python",
    "name": "python",
    "nbconvert_exporter": "python",
    "pygments_lexer": "ipython3",
    "version": "3.11.7",
}
# cell metadata a run writes: nbclient's timestamps, and those of the jupyterlab-execute-time extension
RUN_METADATA = ("execution", "ExecuteTime")


def clean(nb):
    """Strip run-dependent metadata from `nb` in place and set the fixed kernel metadata; returns nb."""
    nb.metadata["kernelspec"] = nbformat.from_dict(KERNELSPEC)
    nb.metadata["language_info"] = nbformat.from_dict(LANGUAGE_INFO)
    for cell in nb.cells:
        for key in RUN_METADATA:
            cell.metadata.pop(key, None)
    return nb


def writes(nb):
    """The text of `nb` as the course commits it: cleaned, then as nbformat (and so Jupyter) writes it."""
    text = nbformat.writes(clean(nb))
    return text if text.endswith("\n") else text + "\n"


def write(nb, path):
    """Write `nb` cleanly to `path`, only if the file's text changes; returns True when it did."""
    path = Path(path)
    text = writes(nb)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True


def problems(path):
    """What keeps the notebook at `path` from being clean (empty when it is clean)."""
    text = Path(path).read_text(encoding="utf-8")
    nb = nbformat.reads(text, as_version=4)
    found = []
    if nb.metadata.get("kernelspec") != KERNELSPEC:
        found.append(f"kernelspec is {nb.metadata.get('kernelspec')}, not {KERNELSPEC}")
    if nb.metadata.get("language_info") != LANGUAGE_INFO:
        found.append(f"language_info is {nb.metadata.get('language_info')}, not {LANGUAGE_INFO}")
    for i, cell in enumerate(nb.cells):
        stale = [key for key in RUN_METADATA if key in cell.metadata]
        if stale:
            found.append(f"cell {i} ({cell.get('id', '?')}) carries {', '.join(stale)}")
    if not found and writes(nb) != text:
        found.append("not written as nbformat writes it (run `python -m tools.notebooks clean`)")
    return found


def committed_notebooks():
    """Every notebook of the course: the lessons, their exercise versions, in every language."""
    return sorted((ROOT / "notebooks").rglob("*.ipynb"))


def work_copy(source, target):
    """Copy into `target` every notebook of `source` it lacks (the learner's copy that `make lab` opens, never
    overwritten) and every other file (glossary pages: not the learner's to edit); returns the notebooks copied."""
    copied = []
    for path in sorted(Path(source).rglob("*")):
        dest = Path(target) / path.relative_to(source)
        if path.is_dir() or path.name.startswith(".") or ".ipynb_checkpoints" in path.parts:
            continue
        if path.suffix != ".ipynb" or not dest.exists():
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dest)
            copied += [dest] if path.suffix == ".ipynb" else []
    return copied


def main(argv=None):
    """`python -m tools.notebooks clean|check [paths]`: see the module docstring."""
    parser = argparse.ArgumentParser(prog="python -m tools.notebooks", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["clean", "check", "work"])
    parser.add_argument("paths", nargs="*", type=Path, help="notebooks (default: every one under notebooks/); "
                        "for work: the course's folder and the working copy's")
    args = parser.parse_args(argv)
    if args.command == "work":
        return work(*args.paths)
    paths = args.paths or committed_notebooks()
    missing = [p for p in paths if not p.is_file()]
    if missing:
        print(f"no such notebook: {missing[0]} (give paths of .ipynb files)", file=sys.stderr)
        return 2
    if args.command == "clean":
        changed = [p for p in paths if write(nbformat.read(p, as_version=4), p)]
        print(f"cleaned {len(changed)} of {len(paths)} notebooks")
        return 0
    dirty = {p: problems(p) for p in paths}
    dirty = {p: found for p, found in dirty.items() if found}
    for p, found in dirty.items():
        print(f"{p}: {found[0]}")
    return 1 if dirty else 0


def work(source=Path("notebooks"), target=Path("work")):
    """`work SOURCE TARGET`: make or complete the working copy, saying what it copied."""
    if not Path(source).is_dir():
        print(f"no folder {source}: run this from the course's top folder", file=sys.stderr)
        return 2
    copied = work_copy(source, target)
    if copied:
        print(f"copied {len(copied)} notebooks into {target}/, your working copy (git ignores it); delete a "
              f"notebook there to get it fresh from {source}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
