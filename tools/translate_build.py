"""Write the Chinese course: notebooks/zh-CN/ and notebooks/zh-TW/ from the English lessons and translations/.

Used by tools/translate.py build (see its docstring for the files and the rules).
"""

import copy
import functools
import re
import sys
from pathlib import Path

import make_exercises
import nbformat
import translate
import translate_messages
import yaml

ROOT = Path(__file__).resolve().parent.parent
OVERRIDES = ROOT / "translations" / "zh-TW-overrides.yaml"


@functools.lru_cache(maxsize=None)
def _converter():
    """OpenCC's Simplified -> Traditional (Taiwan, with Taiwan phrasing) converter."""
    import opencc
    return opencc.OpenCC("s2twp")


@functools.lru_cache(maxsize=None)
def overrides():
    """[(what OpenCC writes, what Taiwan's readers expect)] from translations/zh-TW-overrides.yaml."""
    if not OVERRIDES.exists():
        return []
    data = yaml.safe_load(OVERRIDES.read_text(encoding="utf-8")) or {}
    return [(item["opencc"], item["zh-TW"]) for item in data.get("overrides", [])]


# What names the Simplified course and must name the Traditional one once converted: its folder, its language.
SELF_REFERENCES = (("notebooks/zh-CN/", "notebooks/zh-TW/"), ('use_language("zh-CN")', 'use_language("zh-TW")'),
                   ("LAB_LANG=zh-CN", "LAB_LANG=zh-TW"))


def zh_tw(text):
    """Simplified Chinese `text` in Traditional Chinese with Taiwan phrasing: OpenCC s2twp, then the overrides.

    A path into notebooks/zh-CN/ and the language a set-up cell sets become zh-TW's; every other mention of
    zh-CN (a list of the languages, the translation files) stays.
    """
    text = _converter().convert(text)
    for wrong, right in overrides():
        text = text.replace(wrong, right)
    for simplified, traditional in SELF_REFERENCES:
        text = text.replace(simplified, traditional)
    return text


# --- the notebooks ---

LANGS = ("zh-CN", "zh-TW")
NOTEBOOKS = ROOT / "notebooks"
GLOSSARY = ROOT / "translations" / "glossary.yaml"
README_CN = ROOT / "README.zh-CN.md"
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
GLOSSARY_LINK = "**术语表**：本课程的中英术语对照在 [glossary.md]({url})，每一课都用同样的词。"


class Incomplete(Exception):
    """A translation is missing or outdated: the lines say where."""


def _relpath(lang, name, exercises=False):
    """notebooks/<lang>/[exercises/]<name>."""
    return f"notebooks/{lang}/" + ("exercises/" if exercises else "") + name


def _glossary_url(url, version, lang):
    """The glossary page of `lang` at the pinned tag (Colab opens one notebook: a relative link would not work)."""
    return f"{url}/blob/v{version}/notebooks/{lang}/glossary.md"


def _clean(nb):
    """Outputs, execution counts and run-time metadata removed: a generated lesson is run by its reader."""
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        for key in make_exercises.RUNTIME_CELL_METADATA:
            cell.metadata.pop(key, None)
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None


def chinese_lesson(path, url, version, partial=False):
    """The Simplified Chinese lesson made from the English lesson at `path` and its translation file.

    Raises Incomplete when a cell is untranslated or outdated (with `partial`, such a cell stays English).
    """
    found = translate.problems(path)
    if found and not partial:
        raise Incomplete("\n".join(found))
    english = {cell.id: cell.source for cell in nbformat.read(path, as_version=4).cells}
    nb = nbformat.read(path, as_version=4)
    entries = translate.load_translation(translate.translation_path(path))
    _clean(nb)
    first = True
    for cell in nb.cells:
        entry = entries.get(cell.id, {})
        if cell.cell_type == "markdown":
            original = translate.markdown_text(cell, first)
            zh = translate._unblock(entry.get("zh") or "")
            ok = zh.strip() and translate._unblock(entry.get("en") or "") == original
            text = join_chinese_lines(zh) if ok else original
            text = text.replace("](../", "](../../")  # one folder deeper than the English lessons
            if first:
                text += "\n\n" + GLOSSARY_LINK.format(url=_glossary_url(url, version, "zh-CN"))
            cell.source = text
            first = False
        elif cell.cell_type == "code" and "setup" not in translate.tags(cell):
            mapping = {translate._unblock(s["en"]): translate._unblock(s["zh"])
                       for s in entry.get("strings", []) if (s.get("zh") or "").strip()}
            cell.source = translate.replace_tokens(cell.source, lambda kind, text, m=mapping: m.get(text))
            if code_shape(cell.source) != code_shape(english[cell.id]):
                raise Incomplete(f"{translate.translation_path(path).relative_to(ROOT)}: cell {cell.id}: a "
                                 "translated comment or string changed the code around it (quotes, a # or a "
                                 "line break): keep each zh the same kind of token as its en")
    make_exercises.standardize(nb, url, version, _relpath("zh-CN", path.name), "zh-CN")
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


def code_shape(source):
    """The tokens of Python source other than comments and strings: what a translation must leave alone."""
    import io
    import tokenize
    lines = [("" if line.lstrip().startswith(("%", "!")) else line) for line in source.split("\n")]
    shape, depth = [], 0
    try:
        for tok in tokenize.generate_tokens(io.StringIO("\n".join(lines) + "\n").readline):
            name = tokenize.tok_name[tok.type]
            depth += name == "FSTRING_START"
            depth -= name == "FSTRING_END"
            if depth or name in ("COMMENT", "STRING", "FSTRING_END", "NL"):
                continue
            shape.append((name, tok.string))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return [("UNPARSED", source)]
    return shape


def to_tw(nb):
    """A Simplified Chinese notebook in Traditional Chinese: prose, comments and strings converted, code untouched."""
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = zh_tw(cell.source)
        elif cell.cell_type == "code":
            if "setup" in translate.tags(cell):
                cell.source = zh_tw(cell.source)
            else:
                cell.source = translate.replace_tokens(
                    cell.source, lambda kind, text: zh_tw(text) if CJK.search(text) or "zh-CN" in text else None)
    return nb


# --- the figures' fallback: back to English where no font draws Chinese ---

FIGURE_LABELS = ROOT / "microgpt" / "locale" / "figure_labels.json"
# A cell that draws: its strings may end up in a figure.
DRAWS = re.compile(r"\b(ax|axes|plt|fig|figure)\b|set_title|set_xlabel|set_ylabel|suptitle|annotate|legend|"
                   r"ticklabels|\.text\(|viz\.")


def _pattern(token):
    """A string literal as [kind, text] pieces ("text" or "field" with the field's code), or None."""
    import ast
    try:
        node = ast.parse(token.strip(), mode="eval").body
    except SyntaxError:
        return None
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [["text", node.value]]
    if not isinstance(node, ast.JoinedStr):
        return None
    pieces = []
    for part in node.values:
        if isinstance(part, ast.Constant):
            pieces.append(["text", part.value])
        else:
            pieces.append(["field", ast.unparse(part)])
    return pieces


def figure_labels():
    """{language: [[Chinese pieces, English pieces]]} for every string literal the Chinese lessons translated.

    microgpt.i18n uses it when no installed font draws Chinese: a text of a lesson's own figure is drawn in
    the English it was translated from (the fields of an f-string carried over), never as boxes.
    """
    import json
    out = {}
    for lang in LANGS:
        pairs, seen = [], set()
        for path in translate.lesson_paths():
            draws = {c.id for c in nbformat.read(path, as_version=4).cells
                     if c.cell_type == "code" and DRAWS.search(c.source)}
            for entry in translate.load_translation(translate.translation_path(path)).values():
                if entry["id"] not in draws:
                    continue  # no figure in this cell: its strings are printed, and a terminal has the glyphs
                for item in entry.get("strings", []):
                    en, zh = translate._unblock(item["en"]), translate._unblock(item.get("zh") or "")
                    if not CJK.search(zh):
                        continue
                    zh = zh if lang == "zh-CN" else zh_tw(zh)
                    chinese, english = _pattern(zh), _pattern(en)
                    if chinese and english and zh not in seen:
                        seen.add(zh)
                        pairs.append([chinese, english])
        out[lang] = pairs
    return json.dumps(out, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


def glossary_terms():
    """The glossary's terms: dicts with en, match, zh-CN, avoid, and zh-TW (converted)."""
    terms = yaml.safe_load(GLOSSARY.read_text(encoding="utf-8"))["terms"]
    for term in terms:
        term["zh-TW"] = zh_tw(term["zh-CN"])
        term.setdefault("avoid", [])
    return terms


GLOSSARY_PAGE = """# 术语表：English ↔ 简体中文 ↔ 繁體中文

本课程（microgpt，从零开始重建一个 GPT）的每一课、每条检查信息和每个提示，都用下表里的词来说这些概念。
表格由 `translations/glossary.yaml` 生成；繁体一栏由 OpenCC（s2twp，台湾用语）转换，个别词由
`translations/zh-TW-overrides.yaml` 校正。

"""


def glossary_page(lang):
    """notebooks/<lang>/glossary.md: the three-language table, introduced in `lang`."""
    intro = GLOSSARY_PAGE if lang == "zh-CN" else zh_tw(GLOSSARY_PAGE)
    rows = ["| English | 简体中文 | 繁體中文 |", "|---|---|---|"]
    rows += [f"| {t['en']} | {t['zh-CN']} | {t['zh-TW']} |" for t in glossary_terms()]
    return intro + "\n".join(rows) + "\n"


def _write(path, text, check, stale):
    """Write `text` to `path` unless it is already there; in check mode only note that it is not."""
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return
    stale.append(path)
    if not check:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def keep_outputs(nb, path):
    """Carry the outputs of the lesson already at `path` over to `nb` (in place), cell by cell, where the code is
    unchanged: a lesson executed at full size (`make translations-run`) keeps its run through a rebuild."""
    if not path.exists():
        return
    executed = nbformat.read(path, as_version=4)
    old = {cell.id: cell for cell in executed.cells}
    unchanged = True
    for cell in nb.cells:
        before = old.get(cell.id)
        if cell.cell_type != "code" or before is None or before.source != cell.source:
            unchanged = unchanged and before is not None and before.source == cell.source
            continue
        cell.outputs, cell.execution_count = before.outputs, before.execution_count
        if "execution" in before.metadata:
            cell.metadata["execution"] = before.metadata["execution"]
    widgets = executed.metadata.get("widgets")
    if unchanged and widgets:  # saved widget views belong to the outputs they are shown in
        nb.metadata["widgets"] = widgets


def _notebook_text(nb):
    """A notebook as nbformat.write leaves it on disk."""
    text = nbformat.writes(nb)
    return text if text.endswith("\n") else text + "\n"


LANGUAGE_LINE = {
    "zh-CN": "[English](README.md) · 简体中文 · [繁體中文](README.zh-TW.md)",
    "zh-TW": "[English](README.md) · [简体中文](README.zh-CN.md) · 繁體中文",
}
LANGUAGE_MARK = "<!-- languages -->"
TABLE_START = "<!-- lessons-table:start (generated by tools/translate.py) -->"


def readme_tables(lessons, url, version, lang):
    """The Chinese README's table of lessons, with Colab links to the lesson and its exercise version."""
    colab = f"![Open in Colab]({make_exercises.BADGE_IMAGE})"
    rows = ["| 课 | 打开课程 | 打开练习 |", "|---|---|---|"]
    for name, nb in lessons:
        title = make_exercises.lesson_title(nb).replace("|", "\\|")
        lesson, exercise = _relpath(lang, name), _relpath(lang, name, exercises=True)
        rows.append(f"| [{title}]({lesson}) | [{colab}]({make_exercises.colab_url(url, version, lesson)}) "
                    f"| [{colab}]({make_exercises.colab_url(url, version, exercise)}) |")
    return "\n".join(rows)


def readme(lang, lessons, url, version):
    """README.<lang>.md: the hand-written Simplified README, its languages line and lesson table filled in."""
    text = README_CN.read_text(encoding="utf-8")
    if lang == "zh-TW":
        text = zh_tw(text)
    lines = [LANGUAGE_LINE[lang] + "  " + LANGUAGE_MARK if line.endswith(LANGUAGE_MARK) else line
             for line in text.split("\n")]
    text = "\n".join(lines)
    start, end = TABLE_START, make_exercises.TABLE_END
    if start in text and end in text:
        head, rest = text.split(start, 1)
        _, tail = rest.split(end, 1)
        text = f"{head}{start}\n{readme_tables(lessons, url, version, lang)}\n{end}{tail}"
    return text


def build(check=False, partial=False):
    """Write (or, with `check`, compare) every generated file of the Chinese course; return an exit status."""
    url, version = make_exercises.project_info()
    stale, missing = [], []
    made = {"zh-CN": [], "zh-TW": []}
    for path in translate.lesson_paths():
        try:
            cn = chinese_lesson(path, url, version, partial)
        except Incomplete as err:
            missing.append(str(err))
            continue
        exercise = make_exercises.exercise_version(cn, url, version, _relpath("zh-CN", path.name, True), "zh-CN")
        for lang, lesson, ex in (("zh-CN", cn, exercise), ("zh-TW", to_tw(cn), to_tw(exercise))):
            made[lang].append((path.name, lesson))
            keep_outputs(lesson, NOTEBOOKS / lang / path.name)
            _write(NOTEBOOKS / lang / path.name, _notebook_text(lesson), check, stale)
            _write(NOTEBOOKS / lang / "exercises" / path.name, _notebook_text(ex), check, stale)
    if missing:
        print("untranslated or outdated (see `python tools/translate.py status --diff`):\n"
              + "\n".join(missing), file=sys.stderr)
        return 1
    for lang in LANGS:
        _write(NOTEBOOKS / lang / "glossary.md", glossary_page(lang), check, stale)
        if README_CN.exists():
            target = ROOT / f"README.{lang}.md"
            new = readme(lang, made[lang], url, version)
            if lang == "zh-CN":  # the hand-written source itself: only its generated lines are rewritten
                target = README_CN
            _write(target, new, check, stale)
        names = {name for name, _ in made[lang]}
        for orphan in sorted((NOTEBOOKS / lang).rglob(make_exercises.LESSON_GLOB)):
            if orphan.name not in names:
                stale.append(orphan)
                if not check:
                    orphan.unlink()
    stale += translate_messages.compile_catalogs(zh_tw, check)
    _write(FIGURE_LABELS, figure_labels(), check, stale)
    return make_exercises.report(stale, check, "make translations", "the Chinese course is up to date")


def run(langs=LANGS, lessons=None):
    """Execute the Chinese lessons at full size, in place (their outputs are then kept by `build`)."""
    import os

    from nbclient import NotebookClient

    env_quick = os.environ.pop("MICROGPT_QUICK", None)  # full size: the outputs must match the prose
    try:
        for lang in langs:
            for path in translate.lesson_paths():
                if lessons and path.stem[:2] not in lessons:
                    continue
                target = NOTEBOOKS / lang / path.name
                nb = nbformat.read(target, as_version=4)
                NotebookClient(nb, timeout=None, kernel_name="python3",
                               resources={"metadata": {"path": str(target.parent)}}).execute()
                nbformat.write(nb, target)
                print(f"ran {target.relative_to(ROOT)}", flush=True)
    finally:
        if env_quick is not None:
            os.environ["MICROGPT_QUICK"] = env_quick
    return 0
