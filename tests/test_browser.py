"""A real browser: JupyterLab on 127.0.0.1, a lesson with widgets run in headless Chromium.

nbval only sees that cells run; this test sees what a learner sees. It copies a lesson into a temporary
folder, starts JupyterLab there with a random token, opens the lesson in Debian's Chromium driven by
Playwright, runs all cells, and checks: no error outputs, the widget renders (its slider is visible), and
clicking its button or moving its slider changes what is shown; saved, the lesson differs from the committed
file in its outputs only (tools/notebooks.py writes the metadata Jupyter writes). Screenshots go to the test's temporary
folder (their paths are printed; run pytest with -s to see them).

A second test opens the Simplified Chinese lesson as `make lab LAB_LANG=zh-CN` does (JupyterLab's language
setting zh_CN, from the language pack of the notebooks extra): JupyterLab's menus and the lesson's widget
must speak Chinese.

CI installs Chromium (see .ci/run), so there the test must run; elsewhere it is skipped, with the reason,
when Chromium or Playwright is missing.
"""

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # a JupyterLab server and Chromium: make test only
LESSON = "01_value.ipynb"  # its backprop stepper has a slider and two buttons
NOTEBOOKS = Path(__file__).parent.parent / "notebooks"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync",
                  "--disable-background-networking", "--disable-component-update"]


def _require_browser():
    """Skip (or, in CI, fail) when the browser or its driver is not installed."""
    missing = []
    if not CHROMIUM:
        missing.append("Chromium (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("Playwright for Python (pip install playwright)")
    if missing:
        reason = "the browser test needs " + " and ".join(missing)
        if os.environ.get("CI"):
            pytest.fail(reason + "; .ci/run installs them in CI")
        pytest.skip(reason)


def _free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def jupyterlab(tmp_path):
    """JupyterLab serving a copy of the lesson from an empty folder; yields (base URL, token)."""
    yield from _jupyterlab(tmp_path, NOTEBOOKS / LESSON)


@pytest.fixture
def jupyterlab_zh(tmp_path):
    """JupyterLab in Simplified Chinese serving a copy of the zh-CN lesson; yields (base URL, token)."""
    yield from _jupyterlab(tmp_path, NOTEBOOKS / "zh-CN" / LESSON, locale="zh_CN")


def _jupyterlab(tmp_path, lesson, locale=None):
    """Start JupyterLab on a copy of `lesson` (with JupyterLab's language set to `locale`, as `make lab
    LAB_LANG=...` sets it); yield (base URL, token); stop it."""
    _require_browser()
    root = tmp_path / "lab"
    root.mkdir()
    shutil.copy(lesson, root / LESSON)
    # no "notified about Jupyter news?" toast over the page: the overrides `make lab` writes into the venv
    (tmp_path / "app-settings").mkdir()
    (tmp_path / "app-settings" / "overrides.json").write_text(_lab_overrides())
    if locale:
        language = tmp_path / "settings" / "@jupyterlab" / "translation-extension"
        language.mkdir(parents=True)
        (language / "plugin.jupyterlab-settings").write_text(json.dumps({"locale": locale}))
    port, token = _free_port(), secrets.token_hex(16)
    env = {**os.environ, "MICROGPT_QUICK": "1"}
    env.pop("MPLBACKEND", None)  # the kernel should use the notebook's inline backend
    cmd = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root", "--ServerApp.ip=127.0.0.1",
           f"--ServerApp.port={port}", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
           f"--LabApp.user_settings_dir={tmp_path / 'settings'}",
           f"--LabApp.app_settings_dir={tmp_path / 'app-settings'}",
           f"--LabApp.workspaces_dir={tmp_path / 'workspaces'}", "--LabApp.expose_app_in_browser=True"]
    log = open(tmp_path / "jupyterlab.log", "w")
    server = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 600  # a busy 2-core machine may take minutes
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.time() > deadline:
                    pytest.fail("JupyterLab did not start: " + (tmp_path / "jupyterlab.log").read_text()[-2000:])
                time.sleep(0.5)
        yield base, token
    finally:
        server.terminate()
        try:
            server.wait(20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def _lab_overrides():
    """The JupyterLab settings overrides (overrides.json) that `make lab` writes into the venv."""
    makefile = (NOTEBOOKS.parent / "Makefile").read_text()
    found = re.search(r"echo '(\{\"@jupyterlab/apputils-extension:notification\".*?\})'", makefile)
    assert found, "the Makefile's lab target no longer writes overrides.json"
    return found.group(1)


def _open_lesson(browser, base, token):
    """A page of `browser` showing the lesson in JupyterLab, its kernel chosen."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(300_000)  # a busy 2-core machine is slow, not wrong
    page.goto(f"{base}/lab/tree/{LESSON}?token={token}")
    page.wait_for_selector(".jp-Notebook", timeout=120_000)
    try:  # JupyterLab may ask which kernel to start
        page.locator(".jp-Dialog .jp-mod-accept").click(timeout=10_000)
    except Exception:
        pass
    return page


def _run_all_cells(page, through_menu=True):
    """Run > Run All Cells (or its command, whatever the menus' language), then wait until every cell has finished."""
    if through_menu:
        page.locator(".lm-MenuBar-itemLabel", has_text=re.compile("^Run$")).click()
        page.locator(".lm-Menu-itemLabel", has_text=re.compile("^Run All Cells$")).click()
    else:
        page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
    # done when no prompt shows [*] and the last code cell has an execution count
    page.wait_for_function(
        """() => {
            const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputPrompt')];
            return prompts.length > 0 && prompts.every(p => !p.textContent.includes('*'))
                && /\\[\\d+\\]/.test(prompts[prompts.length - 1].textContent);
        }""",
        timeout=600_000,
    )


def test_lesson_widgets_work_in_a_real_browser(jupyterlab, tmp_path):
    from playwright.sync_api import sync_playwright

    base, token = jupyterlab
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            page = _open_lesson(browser, base, token)
            page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=120_000)
            _run_all_cells(page)

            errors = [t for t in page.locator(
                ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").all_inner_texts()
                if re.search(r"Traceback|\w+Error\b", t)]
            assert not errors, "error outputs in the lesson:\n" + "\n".join(e[:500] for e in errors)

            next_button = page.locator(".jupyter-button", has_text="next").first
            stepper = next_button.locator("xpath=ancestor::div[contains(@class, 'widget-vbox')][1]")
            stepper.scroll_into_view_if_needed()
            slider = stepper.locator(".widget-slider").first
            assert slider.is_visible(), "the stepper's slider is not visible"
            shot = tmp_path / "stepper-before.png"
            stepper.screenshot(path=str(shot))
            print(f"\nscreenshot: {shot}")

            before = stepper.inner_html()
            next_button.click()
            page.wait_for_function("([el, old]) => el.innerHTML !== old", arg=[stepper.element_handle(), before],
                                   timeout=30_000)
            after_click = stepper.inner_html()

            stepper.locator(".noUi-handle").first.focus()
            page.keyboard.press("End")  # the slider to its last step: every gradient known
            page.wait_for_function("([el, old]) => el.innerHTML !== old",
                                   arg=[stepper.element_handle(), after_click], timeout=30_000)
            shot = tmp_path / "stepper-after.png"
            stepper.screenshot(path=str(shot))
            page.screenshot(path=str(tmp_path / "page.png"))
            print(f"screenshot: {shot}")

            news = page.locator(".Toastify__toast", has_text=re.compile("news", re.I))
            assert news.count() == 0, "JupyterLab asks about its news: make lab's overrides.json did not apply"
            saved = _save(page, tmp_path / "lab" / LESSON)
        finally:
            browser.close()
    _assert_only_outputs_changed(NOTEBOOKS / LESSON, saved)


def _save(page, path):
    """File > Save as a learner does (the command behind Ctrl+S); the notebook as JupyterLab wrote it."""
    before = path.stat().st_mtime_ns
    page.evaluate("window.jupyterapp.commands.execute('docmanager:save')")
    deadline = time.time() + 60
    while path.stat().st_mtime_ns == before and time.time() < deadline:
        time.sleep(0.2)
    assert path.stat().st_mtime_ns != before, "JupyterLab did not save the lesson"
    return json.loads(path.read_text(encoding="utf-8"))


def _assert_only_outputs_changed(committed_path, saved):
    """A lesson run and saved in JupyterLab keeps the committed metadata, cell for cell (tools/notebooks.py writes
    what Jupyter writes), so that opening a lesson changes nothing; what a run does change is its outputs, which
    is why `make lab` opens a git-ignored working copy (work/) rather than the tracked lessons."""
    committed = json.loads(committed_path.read_text(encoding="utf-8"))
    meta = {k: v for k, v in saved["metadata"].items() if k != "widgets"}  # widget state: the outputs' models
    assert meta == {k: v for k, v in committed["metadata"].items() if k != "widgets"}, \
        "JupyterLab rewrote the notebook's metadata: make tools/notebooks.py write what it writes"
    assert (saved["nbformat"], saved["nbformat_minor"]) == (committed["nbformat"], committed["nbformat_minor"])
    assert len(saved["cells"]) == len(committed["cells"])
    for ours, theirs in zip(committed["cells"], saved["cells"]):
        same = {k: v for k, v in ours.items() if k not in ("outputs", "execution_count")}
        assert {k: v for k, v in theirs.items() if k not in ("outputs", "execution_count")} == same, \
            f"cell {ours.get('id')}: JupyterLab changed more than its outputs"
    assert any(o.get("outputs") != t.get("outputs") for o, t in zip(committed["cells"], saved["cells"])), \
        "a run in JupyterLab left every output as committed: the working copy would not be needed"


def test_the_chinese_lesson_speaks_chinese_in_a_real_browser(jupyterlab_zh, tmp_path):
    """JupyterLab's menus in Chinese (its language pack), the lesson runs clean, its widget's buttons in Chinese."""
    from playwright.sync_api import sync_playwright

    base, token = jupyterlab_zh
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            page = _open_lesson(browser, base, token)
            menus = page.locator(".lm-MenuBar-itemLabel").all_inner_texts()
            assert "文件" in menus and "File" not in menus, f"JupyterLab's menus are not in Chinese: {menus}"
            page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=120_000)
            _run_all_cells(page, through_menu=False)
            errors = [t for t in page.locator(
                ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']").all_inner_texts()
                if re.search(r"Traceback|\w+Error\b|missing from font", t)]
            assert not errors, "error outputs in the lesson:\n" + "\n".join(e[:500] for e in errors)
            next_button = page.locator(".jupyter-button", has_text="下一步").first
            next_button.scroll_into_view_if_needed()
            assert next_button.is_visible(), "the stepper's button is not in Chinese"
            page.screenshot(path=str(tmp_path / "page-zh.png"))
            print(f"\nscreenshot: {tmp_path / 'page-zh.png'}")
        finally:
            browser.close()
