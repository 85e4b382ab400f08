"""The translation workflow: a lesson's catalog, an English change turning its entry fuzzy (the previous English
kept), a fuzzy entry falling back to English, a moved message keeping its translation, a translation that would
change the code refused, and a rebuild keeping the outputs of the code cells that compute the same.
"""

import nbformat
import polib
import pytest

from tools import catalogs, lesson_text, translate_build


def _lesson(tmp_path, markdown, code):
    """A two-cell English lesson (set-up cell first) in tmp_path/notebooks/01_demo.ipynb."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(markdown, id="md1"),
                nbformat.v4.new_code_cell("", id="setup", metadata={"tags": ["setup"]}),
                nbformat.v4.new_code_cell(code, id="code1")]
    path = tmp_path / "notebooks" / "01_demo.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def _translated(path, zh):
    """The lesson's catalog with each entry translated as {msgid: msgstr} says."""
    po = catalogs.merge([], lesson_text.template(path), "zh-CN")
    for entry in po:
        entry.msgstr = zh[entry.msgid]
    return po


def test_a_changed_english_turns_its_entry_fuzzy_with_the_previous_english(tmp_path):
    """A new cell is untranslated; after the English changes, its translation is fuzzy with the old English kept
    (#| msgid), a removed string is obsolete, and a fuzzy entry falls back to English in the built lesson."""
    path = _lesson(tmp_path, "# Title\n\nSome prose.", 'print("the loss is low")  # say it')
    fresh = catalogs.merge([], lesson_text.template(path), "zh-CN")
    found = catalogs.problems(fresh, "demo")
    assert len(found) == 3 and all("untranslated" in line for line in found)
    po = _translated(path, {"# Title\n\nSome prose.": "# 标题\n\n一些文字。", "# say it": "# 说出来",
                            '"the loss is low"': '"损失很低"'})
    assert catalogs.problems(po, "demo") == []
    assert [e.msgctxt for e in po] == ["01_demo:md1", "01_demo:code1", "01_demo:code1"]
    _lesson(tmp_path, "# Title\n\nSome other prose.", 'print("the loss is lower")\nx = 1')
    po = polib.pofile(catalogs.text(catalogs.merge(po, lesson_text.template(path), "zh-CN")))
    fuzzy = {e.msgid: e for e in po if e.fuzzy}
    assert fuzzy["# Title\n\nSome other prose."].previous_msgid == "# Title\n\nSome prose."
    assert fuzzy['"the loss is lower"'].msgstr == '"损失很低"'
    assert [e.msgid for e in po if e.obsolete] == ["# say it"]
    assert sum("fuzzy" in p for p in catalogs.problems(po, "demo")) == 2
    nb = translate_build.chinese_lesson(path, "https://github.com/o/r", "0.1.0", po)
    assert nb.cells[0].source.split("\n")[2:4] == ["# Title", ""] and "损失" not in nb.cells[2].source


def test_a_message_moved_to_another_module_keeps_its_translation():
    """The compendium: a new entry whose English another catalog translated takes that translation, not fuzzy."""
    template = [polib.POEntry(msgid="moved here")]
    po = catalogs.merge([], template, "zh-CN", compendium={(None, "moved here"): "搬到这里"})
    assert po[0].msgstr == "搬到这里" and not po[0].fuzzy


def test_a_translation_that_breaks_the_code_is_refused(tmp_path, monkeypatch):
    """A msgstr that turns a comment into code (a line break) stops the build, naming the cell."""
    monkeypatch.setattr(translate_build, "ROOT", tmp_path)
    monkeypatch.setattr(translate_build, "LESSONS", tmp_path / "translations")
    path = _lesson(tmp_path, "# Title", "x = 1  # one\n")
    po = _translated(path, {"# Title": "# 标题", "# one": "# 一\ny = 2"})
    with pytest.raises(translate_build.Incomplete, match="code1"):
        translate_build.chinese_lesson(path, "https://github.com/o/r", "0.1.0", po)


def test_a_rebuild_keeps_the_outputs_of_cells_that_compute_the_same_only(tmp_path):
    """An executed Chinese lesson keeps its outputs through `build` where a cell's code is unchanged or only its
    comments or docstrings changed; a cell whose code or other string changed loses them, and is named for
    tools.regenerate to run."""
    said = [nbformat.v4.new_output("stream", name="stdout", text="一\n")]
    ran = nbformat.v4.new_notebook()
    ran.cells = [nbformat.v4.new_code_cell('print("一")', id="c1", execution_count=1, outputs=said),
                 nbformat.v4.new_code_cell('print("二")', id="c2", execution_count=2, outputs=said),
                 nbformat.v4.new_code_cell('x = 1  # 一', id="c3", execution_count=3, outputs=said),
                 nbformat.v4.new_code_cell('def f():\n    "一"\n    return "一"', id="c4", execution_count=4),
                 nbformat.v4.new_code_cell('print(5)', id="c5", outputs=said),  # outputs pasted in, no count
                 nbformat.v4.new_code_cell('print(6)', id="c6")]  # never executed
    path = tmp_path / "01_demo.ipynb"
    nbformat.write(ran, path)
    rebuilt = nbformat.v4.new_notebook()
    rebuilt.cells = [nbformat.v4.new_code_cell('print("一")', id="c1"),
                     nbformat.v4.new_code_cell('print("两")', id="c2"),
                     nbformat.v4.new_code_cell('x = 1  # one\n# two', id="c3"),
                     nbformat.v4.new_code_cell('def f():\n    "one"\n    return "二"', id="c4"),
                     nbformat.v4.new_code_cell('print(5)', id="c5"), nbformat.v4.new_code_cell('print(6)', id="c6")]
    assert translate_build.keep_outputs(rebuilt, path) == ["c2", "c4", "c6"]  # c4: only a docstring may change
    assert rebuilt.cells[0].outputs[0]["text"] == "一\n" and rebuilt.cells[0].execution_count == 1
    assert rebuilt.cells[1].outputs == [] and rebuilt.cells[1].execution_count is None
    assert rebuilt.cells[2].execution_count == 3 and rebuilt.cells[4].outputs == said
    assert translate_build.keep_outputs(rebuilt, tmp_path / "never_run.ipynb") == ["c1", "c2", "c3", "c4", "c5", "c6"]
