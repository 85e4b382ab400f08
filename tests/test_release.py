"""`make release` (tools/release.py): refusals change nothing; a release tags a tree whose links all hold.

Fast: a made-up course in a temporary git repository, with a stand-in for `python -m tools.regenerate`.
Slow: the real tool in a clone of this repository, published to a local bare repository; then a lesson's own
Colab set-up command installs the package from that tag into a fresh virtual environment.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tools import links, release

ROOT = Path(__file__).resolve().parent.parent
OLD = "https://github.com/owner/course"
# stands in for tools.regenerate: points every badge and set-up cell at pyproject.toml's address and tag
REGENERATE = r'''
import pathlib, re, sys
text = pathlib.Path("pyproject.toml").read_text()
repo = re.search(r'Repository = "https://github.com/(.*)"', text).group(1)
tag = "v" + re.search(r'^version = "(.*)"', text, re.M).group(1)
for path in map(pathlib.Path, ["README.md", "notebooks/01_x.ipynb"]):
    new = re.sub(r"github/[^/]+/[^/]+/blob/[^/]+/", f"github/{repo}/blob/{tag}/", path.read_text())
    path.write_text(re.sub(r"git\+https://github.com/[^@]+@[^'\\]+", f"git+https://github.com/{repo}@{tag}", new))
sys.exit(int(pathlib.Path("FAIL").exists()))
'''
IDENTITY = {"GIT_AUTHOR_NAME": "Release Test", "GIT_AUTHOR_EMAIL": "release@example.org",
            "GIT_COMMITTER_NAME": "Release Test", "GIT_COMMITTER_EMAIL": "release@example.org"}


def git(root, *args):
    """git's stdout in `root`."""
    return subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, check=True,
                          env={**os.environ, **IDENTITY}).stdout


@pytest.fixture
def course(tmp_path, monkeypatch):
    """A made-up course at version 1.2.3 of OLD, committed in a fresh git repository."""
    monkeypatch.setattr(release, "build", lambda root, version: [Path(root) / "dist" / f"x-{version}.whl"])
    for key, value in IDENTITY.items():
        monkeypatch.setenv(key, value)
    badge = "[![Open In Colab](x.svg)](https://colab.research.google.com/github/owner/course/blob/v1.2.3/{})"
    files = {
        "pyproject.toml": f'[project]\nname = "x"\nversion = "1.2.3"\n\n[project.urls]\nRepository = "{OLD}"\n',
        "README.md": badge.format("notebooks/01_x.ipynb") + "\n",
        "environment.yml": "name: x\n",
        ".gitignore": "dist/\n",
        "tools/regenerate.py": REGENERATE,
        "notebooks/01_x.ipynb": json.dumps({"cells": [
            {"cell_type": "markdown", "metadata": {}, "source": badge.format("notebooks/01_x.ipynb")},
            {"cell_type": "code", "metadata": {"tags": ["setup"]},
             "source": f"%pip install -q 'microgpt-course @ git+{OLD}@v1.2.3'"}]}),
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    git(tmp_path, "init", "--quiet", "--initial-branch=main")
    git(tmp_path, "add", "--all")
    git(tmp_path, "commit", "--quiet", "-m", "course")
    return tmp_path


def state(root):
    """Everything a refusal must leave alone: the commit, the tags, the status, every tracked file's text."""
    return (git(root, "rev-parse", "HEAD"), git(root, "tag"), git(root, "status", "--porcelain"),
            {path: (root / path).read_text() for path in links.tracked_files(root) if (root / path).exists()})


def refused(root, argv, capsys):
    """Run the tool expecting a refusal; return its one line."""
    before = state(root)
    assert release.main(argv, root=root) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and err.startswith("release: "), err
    assert state(root) == before
    return err


@pytest.mark.parametrize("version", ["1.3", "v1.3.0", "1.3.0rc1", "01.3.0", "1.3.0 ", ""])
def test_a_malformed_version_is_refused(course, capsys, version):
    assert "three numbers like 1.2.0" in refused(course, ["--version", version], capsys)


@pytest.mark.parametrize("repo", ["https://gitlab.com/a/b", "git@github.com:a/b.git", "https://github.com/a/b.git",
                                  "https://github.com/a", "file:///tmp/remote.git"])
def test_an_address_colab_cannot_open_is_refused(course, capsys, repo):
    assert "GitHub repository's address" in refused(course, ["--version", "1.3.0", "--repo", repo], capsys)


def test_a_dirty_checkout_is_refused_and_kept(course, capsys):
    (course / "README.md").write_text("work in progress\n")
    assert "README.md" in refused(course, ["--version", "1.3.0"], capsys)
    (course / "README.md").write_text(git(course, "show", "HEAD:README.md"))
    (course / "notes.txt").write_text("mine\n")
    assert "untracked" in refused(course, ["--version", "1.3.0"], capsys)
    assert (course / "notes.txt").read_text() == "mine\n"


def test_a_pyproject_without_the_address_is_refused(course, capsys):
    (course / "pyproject.toml").write_text('[project]\nversion = "1.2.3"\n')
    git(course, "commit", "--quiet", "-am", "no address")
    assert "does not say where the course lives" in refused(course, ["--version", "1.3.0"], capsys)


def test_an_existing_tag_is_refused(course, capsys):
    git(course, "tag", "v1.3.0")
    assert "v1.3.0 exists already" in refused(course, ["--version", "1.3.0"], capsys)


def test_a_failed_step_puts_the_checkout_back(course, capsys):
    (course / "FAIL").write_text("")  # the stand-in regenerates, then fails
    git(course, "add", "FAIL")
    git(course, "commit", "--quiet", "-m", "fail")
    assert "regenerating failed" in refused(course, ["--version", "1.3.0", "--repo", "https://github.com/me/c"],
                                            capsys)


def test_a_link_left_behind_stops_the_release(course, capsys):
    (course / "tools" / "regenerate.py").write_text("")  # regenerates nothing: the links keep v1.2.3
    git(course, "commit", "--quiet", "-am", "no regeneration")
    err = refused(course, ["--version", "1.3.0"], capsys)
    assert "links are wrong" in err and "pyproject.toml says owner/course@v1.3.0" in err


def test_a_release_commits_the_new_setting_and_tags_it(course, capsys):
    assert release.main(["--version", "2.0.0", "--repo", "https://github.com/me/c"], root=course) == 0
    out = capsys.readouterr().out
    assert "point at https://github.com/me/c v2.0.0" in out and out.endswith("git push https://github.com/me/c "
                                                                             "main v2.0.0\n")
    assert git(course, "status", "--porcelain") == ""
    assert git(course, "cat-file", "-t", "v2.0.0").strip() == "tag"  # annotated
    assert git(course, "rev-parse", "v2.0.0^{commit}") == git(course, "rev-parse", "HEAD")
    assert links.declared(course) == ("https://github.com/me/c", "v2.0.0")
    assert links.problems(course, links.tracked_files(course, "v2.0.0")) == ([], 3)
    assert "v2.0.0/notebooks/01_x.ipynb" in git(course, "show", "v2.0.0:README.md")
    assert release.main(["--version", "2.0.0"], root=course) == 2  # once only


@pytest.mark.slow
def test_released_from_a_clone_the_colab_set_up_cell_installs_the_tag(tmp_path):
    """Release a clone of this repository at a made-up GitHub address that git rewrites to a local bare
    repository (url.<base>.insteadOf), push it there, then run a lesson's own set-up command in a fresh venv.
    --no-run: this test is about the tag and the install, not the full-size runs of Chinese lessons whose code
    changed since they were last executed (the translation tests hold those)."""
    remote, clone, address = tmp_path / "remote.git", tmp_path / "course", "https://github.com/test-owner/course"
    env = {**os.environ, **IDENTITY, "GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": f"url.{remote.as_uri()}.insteadOf",
           "GIT_CONFIG_VALUE_0": address}
    subprocess.run(["git", "init", "--quiet", "--bare", "--initial-branch=main", str(remote)], check=True)
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
    done = subprocess.run([sys.executable, "-m", "tools.release", "--repo", address, "--version", "9.8.7", "--no-run"],
                          cwd=clone, env=env, capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (clone / "dist").iterdir()) == [
        "microgpt_course-9.8.7-py3-none-any.whl", "microgpt_course-9.8.7.tar.gz"]
    push = done.stdout.splitlines()[-1].split()
    assert push[:3] == ["git", "push", address]
    subprocess.run(push, cwd=clone, env=env, check=True, capture_output=True)

    setup = next(c for c in json.loads((clone / "notebooks" / "01_value.ipynb").read_text())["cells"]
                 if "setup" in c["metadata"].get("tags", []))
    spec = re.search(r"install -q '([^']+)'", "".join(setup["source"])).group(1)
    assert spec == f"microgpt-course @ git+{address}@v9.8.7"
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    install = subprocess.run([str(python), "-m", "pip", "install", "-q", spec], env=env, cwd=tmp_path,
                             capture_output=True, text=True, timeout=900)
    assert install.returncode == 0, install.stderr[-3000:]
    where = subprocess.run([str(python), "-c", "import importlib.metadata as m, microgpt; "
                            "print(m.version('microgpt-course'), microgpt.__file__)"],
                           cwd=tmp_path, capture_output=True, text=True, check=True).stdout.split()
    assert where[0] == "9.8.7" and where[1].startswith(str(venv))
