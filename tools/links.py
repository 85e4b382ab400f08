"""Where the course's badges and Colab set-up cells point, checked against the files of one tree.

Every Colab and Binder link in README*.md and in the notebooks, and every lesson's set-up cell (its
`pip install 'microgpt-course @ git+<repository>@<tag>'`), must name the repository and the tag that
pyproject.toml declares ([project.urls] Repository; the tag is v<version>) and a path that exists in the tree:
the tracked files on every commit (tests/test_links.py), the tree it is about to tag in `make release`.
`python -m tools.links` prints what is wrong with the tracked files, one line each. index_installs() finds
the pages that tell a reader to `pip install microgpt-course` from the package index, where it is not.
"""

import json
import re
import subprocess
import sys
from pathlib import Path

try:
    import tomllib
except ImportError:  # Python 3.10 (the test extra brings tomli)
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
GITHUB = re.compile(r"https://github\.com/([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+?)(?:\.git)?/?")
COLAB = re.compile(r"https://colab\.research\.google\.com/github/([^/\s)]+/[^/\s)]+)/blob/([^/\s)]+)/([^\s)\"'?#]+)")
BINDER = re.compile(r"https://mybinder\.org/v2/gh/([^/\s)]+/[^/\s)]+)/([^/?\s)\"']+)(?:\?urlpath=lab/tree/([^\s)\"'&]+))?")
INSTALL = re.compile(r"microgpt-course @ git\+([^\s'\"]+)@([^\s'\"@/]+)")
LESSON = re.compile(r"(.*/)?\d\d_[^/]*\.ipynb")
# `pip install 'microgpt-course[torch]'`: from the package index, where the course is not (only `@ git+...` works)
INDEX_INSTALL = re.compile(r"pip install\s+(?:-\S+\s+)*['\"]?microgpt-course(?:\[[\w,{}]*\])?(?![\w\[-]|\s*@)")
READER_FACING = re.compile(r"README[^/]*\.md|notebooks/.*\.(ipynb|md)|microgpt/.*\.py")


def declared(root=ROOT):
    """(repository address, tag) that pyproject.toml declares: [project.urls] Repository and v<version>."""
    project = tomllib.loads((Path(root) / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return project["urls"]["Repository"].rstrip("/"), f"v{project['version']}"


def tracked_files(root=ROOT, commit=None):
    """The paths git holds: in the index (commit None) or in the tree of `commit`."""
    command = ["git", "ls-tree", "-r", "-z", "--name-only", commit] if commit else ["git", "ls-files", "-z"]
    out = subprocess.run(command, cwd=root, capture_output=True, text=True, check=True).stdout
    return {path for path in out.split("\0") if path}


def documents(root, files):
    """[(path, [(cell tags, text)])] of every README*.md and notebook among `files`, read from `root`."""
    docs = []
    for path in sorted(files):
        if re.fullmatch(r"README[^/]*\.md", path):
            docs.append((path, [((), (Path(root) / path).read_text(encoding="utf-8"))]))
        elif path.startswith("notebooks/") and path.endswith(".ipynb"):
            cells = json.loads((Path(root) / path).read_text(encoding="utf-8"))["cells"]
            docs.append((path, [(tuple(c.get("metadata", {}).get("tags", ())), "".join(c["source"])) for c in cells]))
    return docs


def problems(root=ROOT, files=None):
    """(one line per link that is wrong, how many links were checked) for the tree whose paths are `files`."""
    files = tracked_files(root) if files is None else set(files)
    url, tag = declared(root)
    match = GITHUB.fullmatch(url)
    if not match:
        return [f"pyproject.toml: [project.urls] Repository is not a GitHub address: {url!r}"], 0
    repo, found, checked = match.group(1), [], 0

    def check(doc, link, named, path, expected=(repo, tag)):
        """Note what is wrong with one link: the (repository, tag) it names, the path it opens."""
        nonlocal checked
        checked += 1
        if named != expected:
            found.append(f"{doc}: {link} names {'@'.join(named)}, pyproject.toml says {'@'.join(expected)}")
        elif path is not None and path not in files and not any(f.startswith(path + "/") for f in files):
            found.append(f"{doc}: {link} points at {path}, which is not in the tree")

    for doc, cells in documents(root, files):
        badges = []
        for tags, text in cells:
            for m in COLAB.finditer(text):
                check(doc, m.group(0), m.group(1, 2), m.group(3))
                badges.append(m.group(3))
            for m in BINDER.finditer(text):
                check(doc, m.group(0), m.group(1, 2), m.group(3))  # no urlpath: the root
                check(doc, m.group(0), m.group(1, 2), "environment.yml")  # what Binder builds from
            if "setup" in tags:
                for m in INSTALL.finditer(text):
                    check(doc, m.group(0), m.group(1, 2), "pyproject.toml", expected=(url, tag))
        if LESSON.fullmatch(doc):
            setup = [text for tags, text in cells if "setup" in tags]
            if not setup or not INSTALL.search(setup[0]):
                found.append(f"{doc}: no set-up cell (tagged 'setup') that installs microgpt-course from git")
            if badges[:1] != [doc]:
                found.append(f"{doc}: its first Colab badge opens {badges[:1] or 'nothing'}, not the notebook itself")
    return found, checked


def index_installs(root=ROOT, files=None):
    """[(path, line number)] where a page, lesson or message tells a reader to install the course from the
    package index, which it is not on (README, notebooks, the package's own messages)."""
    files = tracked_files(root) if files is None else files
    found = []
    for path in sorted(p for p in files if READER_FACING.fullmatch(p) and (Path(root) / p).exists()):
        for number, line in enumerate((Path(root) / path).read_text(encoding="utf-8").splitlines(), 1):
            if INDEX_INSTALL.search(line):
                found.append((path, number))
    return found


def main():
    """Print what is wrong with the tracked files' badges and set-up cells; exit 1 if anything is."""
    found, checked = problems()
    print("\n".join(found) or f"{checked} links name pyproject.toml's repository and tag and files of the tree")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
