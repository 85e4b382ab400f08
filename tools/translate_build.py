"""Write the Chinese course: notebooks/zh-CN/ and notebooks/zh-TW/ from the English lessons and their catalogs.

Used by tools.translate (build) and tools.regenerate; see tools.translate for the files and the rules.
"""

import copy
import re
import sys
from pathlib import Path

import nbformat

from tools import catalogs, exercises, lesson_text, notebooks, translate_messages, translate_pages
from tools.translate_pages import LANGS, README_CN, relpath
from tools.zh_tw import CJK, zh_tw  # noqa: F401  (zh_tw: the converter, also reached from here)

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
LESSONS = ROOT / "translations" / "zh-CN"
GLOSSARY_LINK = "**术语表**：本课程的中英术语对照在 [glossary.md]({url})，每一课都用同样的词。"


class Incomplete(Exception):
    """A translation cannot be used: the lines say where."""


def catalog_path(lesson):
    """translations/zh-CN/<lesson name>.po."""
    return LESSONS / (lesson.stem + ".po")


def _glossary_url(url, version, lang):
    """The glossary page of `lang` at the pinned tag (Colab opens one notebook: a relative link would not work)."""
    return f"{url}/blob/v{version}/notebooks/{lang}/glossary.md"


def _clean(nb):
    """Outputs, execution counts and run-time metadata removed: a generated lesson is run by its reader."""
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        for key in exercises.RUNTIME_CELL_METADATA:
            cell.metadata.pop(key, None)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None


def _translate_code(cell, lesson, done):
    """A code cell's comments and strings replaced by their translations; Incomplete if that changed the code."""
    ctxt = lesson_text.context(lesson, cell.id)
    english = cell.source
    cell.source = lesson_text.replace_tokens(english, lambda kind, text: done.get((ctxt, text)))
    if lesson_text.code_shape(cell.source) != lesson_text.code_shape(english):
        raise Incomplete(f"{catalog_path(lesson).relative_to(ROOT)}: {ctxt}: a translated comment or string "
                         "changed the code around it (quotes, a # or a line break): keep each msgstr the same "
                         "kind of token as its msgid")


def chinese_lesson(path, url, version, po):
    """The Simplified Chinese lesson made from the English lesson at `path` and its catalog `po`.

    A fuzzy or untranslated entry is not used: its cell, comment or string stays English.
    """
    nb = nbformat.read(path, as_version=4)
    done = catalogs.translations(po)
    _clean(nb)
    first = True
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            original = lesson_text.markdown_text(cell, first)
            zh = done.get((lesson_text.context(path, cell.id), original))
            text = join_chinese_lines(zh) if zh else original
            text = text.replace("](../", "](../../")  # one folder deeper than the English lessons
            if first:
                text += "\n\n" + GLOSSARY_LINK.format(url=_glossary_url(url, version, "zh-CN"))
            cell.source = text
            first = False
        elif cell.cell_type == "code" and "setup" not in lesson_text.tags(cell):
            _translate_code(cell, path, done)
    exercises.standardize(nb, url, version, relpath("zh-CN", path.name), "zh-CN")
    return nb


# A soft line break between two Chinese characters: Markdown renders it as a space, which Chinese text must not
# have. The lines of a paragraph are joined there (never in code blocks, math blocks, tables or before a list item).
_ENDS_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]$")
_STARTS_CJK = re.compile(r"^[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")


def join_chinese_lines(text):
    """Markdown `text` with the soft line breaks between two Chinese characters removed."""
    out, fenced = [], False
    for line in text.split("\n"):
        bare = line.strip()
        one_line_math = len(bare) > 4 and bare.startswith("$$") and bare.endswith("$$")
        opens_or_closes = bare.startswith("```") or (bare.startswith("$$") and not one_line_math)
        joinable = (out and not fenced and not opens_or_closes and _ENDS_CJK.search(out[-1])
                    and _STARTS_CJK.search(line) and not out[-1].lstrip().startswith(("|", "#")))
        if joinable:
            out[-1] += line
        else:
            out.append(line)
        if opens_or_closes:
            fenced = not fenced
    return "\n".join(out)


def to_tw(nb):
    """A Simplified Chinese notebook in Traditional Chinese: prose, comments and strings converted, code untouched."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = zh_tw(cell.source)
        elif cell.cell_type == "code":
            if "setup" in lesson_text.tags(cell):
                cell.source = zh_tw(cell.source)
            else:
                cell.source = lesson_text.replace_tokens(
                    cell.source, lambda kind, text: zh_tw(text) if CJK.search(text) or "zh-CN" in text else None)
    return nb


def _write(path, text, check, stale):
    """Write `text` to `path` unless it is already there; in check mode only note that it is not."""
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return
    stale.append(path)
    if not check:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def keep_outputs(nb, path):
    """Carry the outputs of the lesson already at `path` over to `nb` (in place), cell by cell, where the code
    computes the same (lesson_text.runs_the_same): a lesson executed at full size keeps its run through a rebuild.

    Returns the ids of the code cells to execute: changed, new, or never executed (no execution count and no
    outputs; outputs carried in without a count, as a maintainer may paste them, are kept).
    """
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    if not path.exists():
        return [cell.id for cell in code]
    executed = nbformat.read(path, as_version=4)
    old = {cell.id: cell for cell in executed.cells if cell.cell_type == "code"}
    changed = []
    for cell in code:
        before = old.get(cell.id)
        if before is None or not lesson_text.runs_the_same(before.source, cell.source,
                                                           "setup" in lesson_text.tags(cell)):
            changed.append(cell.id)
            continue
        cell.outputs, cell.execution_count = before.outputs, before.execution_count
        if before.execution_count is None and not before.outputs:
            changed.append(cell.id)
    widgets = executed.metadata.get("widgets")
    if not changed and widgets:  # saved widget views belong to the outputs they are shown in
        nb.metadata["widgets"] = widgets
    return changed


def _lessons(check, stale, url, version, changed):
    """Write every Chinese lesson and exercise version; return {lang: [(name, lesson)]} and the catalogs used.

    changed: filled with {lesson path: ids of its code cells that lost their outputs}, for those that did.
    """
    made, used = {lang: [] for lang in LANGS}, []
    for path in lesson_text.lesson_paths():
        po = catalogs.load(catalog_path(path))
        used.append((path, po))
        cn = chinese_lesson(path, url, version, po)
        exercise = exercises.exercise_version(cn, url, version, relpath("zh-CN", path.name, True), "zh-CN")
        for lang, lesson, ex in (("zh-CN", cn, exercise), ("zh-TW", to_tw(cn), to_tw(exercise))):
            made[lang].append((path.name, lesson))
            lost = keep_outputs(lesson, NOTEBOOKS / lang / path.name)
            if lost:
                changed[NOTEBOOKS / lang / path.name] = lost
            _write(NOTEBOOKS / lang / path.name, notebooks.writes(lesson), check, stale)
            _write(NOTEBOOKS / lang / "exercises" / path.name, notebooks.writes(ex), check, stale)
    return made, used


def _pages(made, check, stale, url, version):
    """Write the glossary pages and READMEs of both scripts; remove a Chinese lesson whose English one is gone."""
    for lang in LANGS:
        _write(NOTEBOOKS / lang / "glossary.md", translate_pages.glossary_page(lang), check, stale)
        if README_CN.exists():  # zh-CN's is the hand-written source itself: only its generated lines change
            _write(ROOT / f"README.{lang}.md", translate_pages.readme(lang, made[lang], url, version), check, stale)
        names = {name for name, _ in made[lang]}
        for orphan in sorted((NOTEBOOKS / lang).rglob(exercises.LESSON_GLOB)):
            if orphan.name not in names:
                stale.append(orphan)
                if not check:
                    orphan.unlink()


def build(check=False, changed=None):
    """Write (or, with `check`, compare) every generated file of the Chinese course; return an exit status.

    changed: a dict to fill with {lesson path: ids of the code cells that need executing} (see keep_outputs).
    """
    url, version = exercises.project_info()
    stale = []
    try:
        made, used = _lessons(check, stale, url, version, {} if changed is None else changed)
    except Incomplete as err:
        print(err, file=sys.stderr)
        return 1
    _pages(made, check, stale, url, version)
    stale += translate_messages.compile_catalogs(zh_tw, check)
    _write(translate_pages.FIGURE_LABELS, translate_pages.figure_labels(used), check, stale)
    return exercises.report(stale, check, "make translations", "the Chinese course is up to date")
