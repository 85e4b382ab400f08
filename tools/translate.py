"""The Chinese course, generated from the English lessons plus the translation files in translations/.

Usage:  python tools/translate.py update     add an entry for every new cell, comment and string to translate
        python tools/translate.py messages   update the package's message catalogs only, and compile them
        python tools/translate.py status     list what is untranslated or outdated; exit 1 if anything is
        python tools/translate.py build      write notebooks/zh-CN/ and notebooks/zh-TW/ (lessons, exercise
                                             versions, glossary) and the package's message catalogs
        python tools/translate.py build --check    change nothing; exit 1 and list what is out of date
        python tools/translate.py run [--lang zh-CN] [01 06]   execute the Chinese lessons at full size, in
                                             place, so that they carry their outputs (build keeps them)

One YAML file per lesson, translations/zh-CN/NN_slug.yaml, lists the lesson's cells in order, each by its
cell id, with the English it was translated from (`en`) next to the Simplified Chinese (`zh`):

* a markdown cell: `en` is the cell's text, `zh` its translation;
* a code cell: `strings` lists its comments and the strings a learner reads, each with `en` (the exact
  text in the English code, quotes and `#` included) and `zh` (what replaces it; the same as `en` keeps it).

An entry is *untranslated* when its `zh` is empty and *outdated* when its `en` is no longer the English
lesson's text: then the English changed after the translation was made, and `status --diff` shows how.
The Traditional Chinese course is never translated by hand: it is the Simplified one converted by OpenCC's
s2twp profile (Taiwan phrasing), then corrected by translations/zh-TW-overrides.yaml.
"""

import argparse
import difflib
import io
import re
import sys
import tokenize
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import make_exercises  # noqa: E402  (the lessons' shared conventions: badge, set-up cell, exercise versions)
import translate_messages  # noqa: E402  (the package's messages)

NOTEBOOKS = ROOT / "notebooks"
TRANSLATIONS = ROOT / "translations"
SOURCE_LANG = "zh-CN"  # translated by hand; zh-TW is converted from it
HEADER = (
    "# {name} in Simplified Chinese: every cell of the English lesson, by cell id, in order.\n"
    "# en: the English the translation was made from (never edit it by hand: `tools/translate.py update`\n"
    "# keeps it); zh: the translation. A code cell lists its comments and learner-facing strings, each\n"
    "# replaced in the code as written (quotes and # included). `tools/translate.py status` lists what\n"
    "# is missing or outdated. The terms follow translations/glossary.yaml.\n"
)

# Comments that are markers for tools, not prose: never translated.
MARKER_COMMENT = re.compile(r"#\s*(NBVAL_\w+|noqa\b.*|type:.*|YOUR CODE HERE|#+ (BEGIN|END) SOLUTION.*|fmt: .*)$")
# A string a learner reads: it has a word and a space, it is one word (a label in a table or a legend, or data:
# the translator keeps data as it is), or it is the argument of a call that labels a picture or a widget.
PROSE = re.compile(r"[A-Za-z]{2,}[^\n]*\s|\s[^\n]*[A-Za-z]{2,}|^[rbfuRBFU]*([\"']{1,3})[A-Za-z][a-z]{2,}\1$")
LABEL_CALL = re.compile(r"(set_title|set_xlabel|set_ylabel|suptitle|title|xlabel|ylabel|label|description|"
                        r"text|annotate|legend|print)\s*[(=]")


# --- what in a lesson needs translating ---

def lesson_paths():
    """The English lessons, in order."""
    return sorted(NOTEBOOKS.glob(make_exercises.LESSON_GLOB))


def tags(cell):
    """The cell's tags."""
    return cell.metadata.get("tags", [])


def markdown_text(cell, first):
    """A markdown cell's text as translated: the first cell without its generated Colab badge line."""
    lines = cell.source.split("\n")
    if first and lines and lines[0].startswith(make_exercises.BADGE_PREFIX):
        lines = lines[1:]
        while lines and not lines[0].strip():
            lines = lines[1:]
    return "\n".join(lines)


def token_spans(source):
    """[(kind, text, start, end)] of the comments and strings of Python source, an f-string whole.

    kind is "comment" or "string"; start and end are (row, column) as tokenize counts them. IPython's
    %magic and !shell lines are skipped; source that does not tokenize has none.
    """
    lines = [("" if line.lstrip().startswith(("%", "!")) else line) for line in source.split("\n")]
    found = []
    depth, start = 0, None
    try:
        for tok in tokenize.generate_tokens(io.StringIO("\n".join(lines) + "\n").readline):
            name = tokenize.tok_name[tok.type]
            if name == "FSTRING_START":  # Python 3.12+: an f-string comes in pieces
                depth += 1
                start = start or tok.start
            elif name == "FSTRING_END":
                depth -= 1
                if depth == 0:
                    found.append(("string", _span(lines, start, tok.end), start, tok.end))
                    start = None
            elif depth:
                continue
            elif name in ("COMMENT", "STRING"):
                found.append(("comment" if name == "COMMENT" else "string", tok.string, tok.start, tok.end))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return []
    return found


def _tokens(source):
    """(kind, text, the line it starts on) of the comments and strings of Python source."""
    lines = source.split("\n")
    return [(kind, text, lines[start[0] - 1]) for kind, text, start, _end in token_spans(source)]


def replace_tokens(source, replace):
    """`source` with each comment or string token replaced by replace(kind, text) (None: left as it is)."""
    lines = source.split("\n")
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line) + 1)
    out = source
    for kind, text, (r0, c0), (r1, c1) in reversed(token_spans(source)):
        new = replace(kind, text)
        if new is not None and new != text:
            out = out[:offsets[r0 - 1] + c0] + new + out[offsets[r1 - 1] + c1:]
    return out


def _span(lines, start, end):
    """The text between two (row, col) positions of `lines`."""
    (r0, c0), (r1, c1) = start, end
    if r0 == r1:
        return lines[r0 - 1][c0:c1]
    return "\n".join([lines[r0 - 1][c0:]] + lines[r0:r1 - 1] + [lines[r1 - 1][:c1]])


def code_strings(cell):
    """The comments and strings of a code cell that a learner reads, in order, each once."""
    found = []
    for kind, text, line in _tokens(cell.source):
        if kind == "comment":
            if MARKER_COMMENT.match(text) or text.startswith("#!"):
                continue
        elif not (PROSE.search(text) or LABEL_CALL.search(line)) or not re.search(r"[A-Za-z]{2,}", text):
            continue
        if text not in found:
            found.append(text)
    return found


def translatable(nb):
    """[(cell id, kind, English)] of a lesson: markdown text, or the list of a code cell's strings."""
    items, first_markdown = [], True
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            items.append((cell.id, "markdown", markdown_text(cell, first_markdown)))
            first_markdown = False
        elif cell.cell_type == "code" and "setup" not in tags(cell):
            strings = code_strings(cell)
            if strings:
                items.append((cell.id, "code", strings))
    return items


# --- the translation files ---

class _Dumper(yaml.SafeDumper):
    """YAML with multi-line text as literal blocks, so a translator reads it as written."""


def _str(dumper, text):
    """Multi-line strings as | blocks."""
    style = "|" if "\n" in text and not re.search(r"[ \t]\n|\t", text) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _str)


def translation_path(lesson, lang=SOURCE_LANG):
    """translations/<lang>/<lesson name>.yaml."""
    return TRANSLATIONS / lang / (lesson.stem + ".yaml")


def load_translation(path):
    """The cells of a translation file, by cell id ({} when the file does not exist)."""
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {entry["id"]: entry for entry in data.get("cells", [])}


def _block(text):
    """Text as stored: a multi-line text ends with a newline, so YAML keeps it as a clean | block."""
    return text + "\n" if "\n" in text and not text.endswith("\n") else text


def _unblock(text):
    """Text as stored, back to the cell's text (the newline _block added removed again)."""
    return text[:-1] if text.endswith("\n") else text


def update(lesson):
    """Add an entry for each new cell and string of `lesson` to its translation file; keep every translation."""
    nb = nbformat.read(lesson, as_version=4)
    path = translation_path(lesson)
    old = load_translation(path)
    cells = []
    for cell_id, kind, english in translatable(nb):
        entry = old.get(cell_id)
        if kind == "markdown":
            cells.append(entry or {"id": cell_id, "en": _block(english), "zh": ""})
            continue
        known = {_unblock(s["en"]): s for s in (entry or {}).get("strings", [])}
        strings = [known.pop(text, {"en": _block(text), "zh": ""}) for text in english]
        strings += known.values()  # translated strings no longer in the code: kept, reported as outdated
        cells.append({"id": cell_id, "strings": strings})
    path.parent.mkdir(parents=True, exist_ok=True)
    text = HEADER.format(name=lesson.name) + yaml.dump({"cells": cells}, Dumper=_Dumper, allow_unicode=True,
                                                       sort_keys=False, width=120)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
        return True
    return False


def problems(lesson, diff=False):
    """Lines naming each untranslated or outdated entry of `lesson`'s translation (empty when complete)."""
    nb = nbformat.read(lesson, as_version=4)
    path = translation_path(lesson)
    entries = load_translation(path)
    rel = path.relative_to(ROOT)
    out = []
    for cell_id, kind, english in translatable(nb):
        entry = entries.get(cell_id)
        if entry is None:
            out.append(f"{rel}: cell {cell_id}: no entry (run tools/translate.py update)")
            continue
        if kind == "markdown":
            if _unblock(entry.get("en") or "") != english:
                out.append(f"{rel}: cell {cell_id}: outdated, the English changed since it was translated")
                if diff:
                    out += ["    " + line for line in difflib.unified_diff(
                        _unblock(entry.get("en") or "").split("\n"), english.split("\n"), "translated from",
                        "English now", lineterm="")]
            elif not (entry.get("zh") or "").strip():
                out.append(f"{rel}: cell {cell_id}: untranslated")
            continue
        strings = entry.get("strings", [])
        have = {_unblock(s["en"]): s for s in strings}
        for text in english:
            if text not in have:
                out.append(f"{rel}: cell {cell_id}: no entry for {text[:60]!r} (run tools/translate.py update)")
            elif not (have[text].get("zh") or "").strip():
                out.append(f"{rel}: cell {cell_id}: untranslated {text[:60]!r}")
        for text in have:
            if text not in english:
                out.append(f"{rel}: cell {cell_id}: outdated, {text[:60]!r} is no longer in the English code")
    return out


def main(argv=None):
    """Run one command (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=["update", "status", "build", "messages", "run"])
    parser.add_argument("--lang", choices=["zh-CN", "zh-TW"], action="append",
                        help="run: only this script (default: both)")
    parser.add_argument("lessons", nargs="*", help="run: only these lesson numbers, e.g. 01 06 (default: all)")
    parser.add_argument("--diff", action="store_true", help="status: show how the English changed")
    parser.add_argument("--check", action="store_true", help="build: change nothing, exit 1 if out of date")
    parser.add_argument("--partial", action="store_true",
                        help="build: keep the English of untranslated cells (for trying a translation in progress)")
    args = parser.parse_intermixed_args(argv)
    if args.command in ("update", "messages"):
        for lesson in lesson_paths() if args.command == "update" else []:
            if update(lesson):
                print(f"updated {translation_path(lesson).relative_to(ROOT)}")
        for path in translate_messages.update():
            print(f"updated {path.relative_to(ROOT)}")
        if args.command == "messages":  # compile too, so a translator can try the messages at once
            from translate_build import zh_tw
            for path in translate_messages.compile_catalogs(zh_tw):
                print(f"compiled {path.relative_to(ROOT)}")
        return 0
    if args.command == "status":
        found = [line for lesson in lesson_paths() for line in problems(lesson, args.diff)]
        found += translate_messages.problems()
        print("\n".join(found) if found else "every cell is translated and up to date")
        return 1 if found else 0
    import translate_build  # the generator, kept in its own file
    if args.command == "run":
        return translate_build.run(tuple(args.lang or translate_build.LANGS), args.lessons or None)
    return translate_build.build(check=args.check, partial=args.partial)


if __name__ == "__main__":
    sys.exit(main())
