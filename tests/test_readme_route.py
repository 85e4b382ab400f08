"""The README's route without make, run as written: a fresh venv, the notebooks extra, the working copy, JupyterLab.

The Linux lines of "Without make" run in bash, one after the other, in a copy of the repository's tracked
files (as a clone has them), with the system's `python3`. The last one, `jupyter lab work`, serves until
stopped; Jupyter's own configuration folder (JUPYTER_CONFIG_DIR, a variable, so the README's words stay as they
are) gives it a port, a token and no browser. It must serve the working copy's lessons, and the venv must hold
neither torch nor pytest: the notebooks extra is all a learner of lessons 00-08 needs. pip's cache makes a
second run quick.
"""

import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from .test_browser import _free_port

pytestmark = pytest.mark.slow  # a fresh venv and JupyterLab: make test only
ROOT = Path(__file__).resolve().parent.parent


def readme_lines():
    """The commands of the first bash block under "## Without make" in README.md."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Without make", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```bash\n(.*?)```", section, re.S).group(1)
    return [line for line in block.splitlines() if line.strip() and not line.startswith("#")]


def clone_of_the_tracked_files(target):
    """The tracked files of the working tree, copied to `target` (what a fresh clone holds, uncommitted edits
    included)."""
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    for name in filter(None, files.decode().split("\0")):
        if (ROOT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target / name)


def test_the_readme_route_without_make_serves_the_lessons_without_torch_or_pytest(tmp_path):
    lines = readme_lines()
    assert lines[0].startswith("python3 -m venv") and lines[-1].startswith("jupyter lab")
    assert any('pip install -e ".[notebooks]"' in line for line in lines)
    course = tmp_path / "course"
    course.mkdir()
    clone_of_the_tracked_files(course)
    port, token = _free_port(), secrets.token_hex(16)
    config = tmp_path / "jupyter-config"
    config.mkdir()
    (config / "jupyter_server_config.json").write_text(json.dumps({
        "ServerApp": {"ip": "127.0.0.1", "port": port, "open_browser": False, "allow_root": True},
        "IdentityProvider": {"token": token}}))
    skipped = ("PYTHON", "VIRTUAL_ENV", "JUPYTER", "MICROGPT_LANG")
    env = {k: v for k, v in os.environ.items() if not k.startswith(skipped)}
    env["PATH"] = os.pathsep.join(p for p in env["PATH"].split(os.pathsep) if not p.startswith(str(ROOT)))
    env.update(JUPYTER_CONFIG_DIR=str(config), JUPYTERLAB_SETTINGS_DIR=str(tmp_path / "lab-settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp_path / "lab-workspaces"))
    log = open(tmp_path / "route.log", "w")
    route = subprocess.Popen(["bash", "-e", "-c", "\n".join(lines)], cwd=course, env=env, stdout=log,
                             stderr=subprocess.STDOUT, start_new_session=True)
    try:
        lesson = _wait_for(f"http://127.0.0.1:{port}/api/contents/exercises/01_value.ipynb?token={token}",
                           route, tmp_path / "route.log")
        assert lesson["type"] == "notebook" and lesson["content"]["cells"]
        copied = course / "work" / "00_overview.ipynb"
        assert copied.read_bytes() == (ROOT / "notebooks" / "00_overview.ipynb").read_bytes()
        python = course / ".venv" / "bin" / "python"
        found = subprocess.run([str(python), "-c", "import importlib.util as u; "
                                "print([m for m in ('torch', 'pytest', 'microgpt') if u.find_spec(m)])"],
                               cwd=tmp_path, capture_output=True, text=True, check=True).stdout.strip()
        assert found == "['microgpt']", f"the notebooks extra installed {found}"
    finally:
        os.killpg(route.pid, signal.SIGTERM)
        try:
            route.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(route.pid, signal.SIGKILL)
        log.close()


def _wait_for(url, process, log, limit=1800):
    """The JSON at `url` once the server answers; fails with the log's end if the route stops or takes too long."""
    deadline = time.time() + limit
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                return json.loads(answer.read())
        except OSError:
            if process.poll() is not None or time.time() > deadline:
                pytest.fail("the README's route did not serve the lessons:\n" + log.read_text()[-3000:])
            time.sleep(1)
