"""Publish the course at a tag: `make release VERSION=X.Y.Z [REPO=https://github.com/OWNER/NAME]`.

Usage:  python -m tools.release --version X.Y.Z [--repo https://github.com/OWNER/NAME] [--no-run]

In a clean checkout, in this order:
1. refuses, with one line, exit status 2 and nothing changed, a malformed version, an address that is not a
   GitHub repository's (Colab and Binder open only those), uncommitted or untracked files, or an existing tag;
2. writes the address (default: the one already there) and the version into pyproject.toml
   ([project.urls] Repository, version): the one setting the badges, the READMEs' lesson tables and every
   lesson's Colab set-up cell are generated from;
3. regenerates every generated file (`python -m tools.regenerate`, which `make generate` runs): that executes at
   full size any Chinese lesson whose code changed since its last run (set MICROGPT_DATA offline); --no-run
   leaves such a lesson without outputs, for a trial release in a scratch clone (tests/test_release.py);
4. checks that every badge and set-up cell names that repository and tag and a file of the tree to be tagged
   (tools.links, which tests/test_links.py runs on every commit);
5. builds the sdist and the wheel into dist/;
6. commits the changes ("Release vX.Y.Z"; nothing, if the setting was already there) and creates the annotated
   tag vX.Y.Z.
If step 3, 4 or 5 fails, the checkout is put back as it was (it was clean) and no commit or tag is made.
Nothing is pushed: the last line prints the command that publishes the tag, after which the badges work.
"""

import argparse
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

from tools import links

ROOT = Path(__file__).resolve().parent.parent
VERSION = re.compile(r"(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)")


class Refused(Exception):
    """A reason not to release, said in one line."""


def git(root, *args):
    """Run git in `root`; return its stdout, or raise Refused with git's own complaint."""
    run = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
    if run.returncode:
        raise Refused(f"git {args[0]} failed: {(run.stderr.strip() or run.stdout.strip()).splitlines()[-1]}")
    return run.stdout


def refusal(root, repo, version):
    """Why this release cannot start (one line), or None: checked before anything is written."""
    if not VERSION.fullmatch(version):
        return f"the version must be three numbers like 1.2.0, not {version!r}"
    if not links.GITHUB.fullmatch(repo) or repo.endswith((".git", "/")):
        return f"--repo must be a GitHub repository's address, https://github.com/OWNER/NAME, not {repo!r}"
    try:
        dirty = git(root, "status", "--porcelain", "--untracked-files=normal")
    except Refused as error:
        return f"{root} is not a git checkout ({error})"
    if dirty:
        return f"uncommitted or untracked files ({dirty.splitlines()[0][3:]}, ...): commit or remove them first"
    if subprocess.run(["git", "rev-parse", "-q", "--verify", f"refs/tags/v{version}"], cwd=root,
                      capture_output=True).returncode == 0:
        return f"the tag v{version} exists already: choose a new version"
    return None


def set_project(root, repo, version):
    """Write the repository address and the version into pyproject.toml, changing those two lines only."""
    path = Path(root) / "pyproject.toml"
    text = path.read_text(encoding="utf-8")
    text, versions = re.subn(r'^version = "[^"]*"$', f'version = "{version}"', text, count=1, flags=re.M)
    text, repos = re.subn(r'^Repository = "[^"]*"$', f'Repository = "{repo}"', text, count=1, flags=re.M)
    if (versions, repos) != (1, 1):
        raise Refused('pyproject.toml has no line version = "..." or Repository = "..." to set')
    path.write_text(text, encoding="utf-8")
    if links.declared(root) != (repo, f"v{version}"):
        raise Refused(f"pyproject.toml does not read back as {repo} v{version}")


def run(root, command, what, show=False):
    """Run one step's command in `root` (its stdout shown as it goes if `show`); raise Refused with its last
    line of complaint if it fails."""
    done = subprocess.run(command, cwd=root, stdout=None if show else subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True)
    if done.returncode:
        said = (done.stderr.strip() or (done.stdout or "").strip() or f"exit {done.returncode}").splitlines()[-1]
        raise Refused(f"{what} failed ({' '.join(command[1:])}): {said}")
    return done.stdout


def regenerate(root, execute=True):
    """Bring every generated file up to date from pyproject.toml's new setting."""
    if (Path(root) / "tools" / "regenerate.py").exists():  # its steps and any full-size runs, timed, as they go
        run(root, [sys.executable, "-m", "tools.regenerate", *([] if execute else ["--no-run"])], "regenerating",
            show=True)
    else:  # until tools.regenerate exists: what `make exercises` and `make translations` run
        run(root, [sys.executable, "-m", "tools.exercises"], "regenerating the exercise versions")
        run(root, [sys.executable, "-m", "tools.translate", "build"], "regenerating the Chinese course")


def check_links(root):
    """Every badge and set-up cell must point at the new tag and a file of the tree about to be committed."""
    git(root, "add", "--all")  # the checkout was clean: what is new or changed now is the regeneration's
    found, checked = links.problems(root, links.tracked_files(root))
    if found:
        raise Refused(f"{len(found)} of {checked} links are wrong, first: {found[0]}")
    return checked


def build(root, version):
    """Build the sdist and the wheel into dist/; return their paths."""
    dist = Path(root) / "dist"
    front_end = importlib.util.find_spec("build")
    if front_end and front_end.origin:  # pypa's build, not setuptools' build/ folder seen as a namespace package
        run(root, [sys.executable, "-m", "build", "--outdir", str(dist), "."], "building")
    else:  # PEP 517 through the build backend the project declares (setuptools), without the `build` front end
        # (read the folder first: setuptools rewrites sys.argv as it builds)
        hooks = "import sys, setuptools.build_meta as b; out = sys.argv[1]; b.build_sdist(out); b.build_wheel(out)"
        run(root, [sys.executable, "-c", hooks, str(dist)], "building")
    made = [dist / f"microgpt_course-{version}.tar.gz", dist / f"microgpt_course-{version}-py3-none-any.whl"]
    missing = [path.name for path in made if not path.exists()]
    if missing:
        raise Refused(f"building made no {', '.join(missing)} in dist/")
    return made


def release(root, repo, version, execute=True):
    """Steps 2 to 6 (see the module's docstring); return the lines that report them."""
    tag = f"v{version}"
    try:
        set_project(root, repo, version)
        regenerate(root, execute)
        checked = check_links(root)
        made = build(root, version)
    except Refused:
        git(root, "reset", "--quiet", "--hard", "HEAD")  # the checkout was clean: this puts it back exactly
        raise
    if git(root, "status", "--porcelain"):
        git(root, "commit", "--quiet", "-m", f"Release {tag}: {repo}")
    git(root, "tag", "-a", tag, "-m", f"microgpt course {tag}")
    return [f"{checked} badges and set-up cells point at {repo} {tag} and files of its tree",
            f"built {', '.join(path.relative_to(root).as_posix() for path in made)}",
            f"tagged {tag} at {git(root, 'rev-parse', '--short', 'HEAD').strip()}; publish it with:",
            f"  git push {repo} {git(root, 'branch', '--show-current').strip() or 'HEAD'} {tag}"]


def main(argv=None, root=ROOT):
    """Command line: refuse in one line (exit 2) or release and say what was done."""
    parser = argparse.ArgumentParser(prog="python -m tools.release", description=__doc__.splitlines()[0])
    parser.add_argument("--version", required=True, help="the new version, X.Y.Z (the tag is vX.Y.Z)")
    parser.add_argument("--repo", help="the GitHub address to publish at (default: pyproject.toml's)")
    parser.add_argument("--no-run", action="store_true",
                        help="do not execute Chinese lessons whose code changed (a trial release in a scratch clone)")
    args = parser.parse_args(argv)
    try:
        repo = args.repo or links.declared(root)[0]
        reason = refusal(root, repo, args.version)
    except (OSError, KeyError, ValueError) as error:  # no pyproject.toml, or one without [project.urls] Repository
        reason = f"pyproject.toml does not say where the course lives ({type(error).__name__}: {error})"
    if reason is None:
        try:
            print("\n".join(release(root, repo, args.version, execute=not args.no_run)))
            return 0
        except Refused as error:
            reason = f"{error} (the checkout is as it was: no commit, no tag)"
    print(f"release: {reason}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
