"""The Chinese course, generated from the English lessons plus the gettext catalogs in translations/.

Usage (from the repository root):
    python -m tools.translate update    bring every catalog up to date with the English sources
    python -m tools.translate status [--diff]   list fuzzy and untranslated entries; exit 1 if there is any
    python -m tools.translate build [--check]   write notebooks/zh-CN/ and notebooks/zh-TW/ (lessons, exercise
                                        versions, glossary pages), the Chinese READMEs and the compiled catalogs
                                        (--check: change nothing, exit 1 and list what is out of date)
    python -m tools.translate run [--lang zh-CN] [01 06]   execute the Chinese lessons at full size, in place
    python -m tools.regenerate          all of it after an English edit (`make generate`): see tools.regenerate

One catalog workflow for everything a reader sees (tools.catalogs, polib): translations/zh-CN/NN_slug.po holds a
lesson, translations/messages/zh-CN/<module>.po the package's messages (checks, hints, widgets, figures). A
lesson's catalog has one entry per markdown cell and one per comment or learner-facing string of a code cell,
the msgctxt naming lesson and cell id (01_value:2a2a1e51); a code entry's msgid is the text as written in the
code (quotes and # included) and its msgstr replaces it (the same text keeps it). Edit them with any .po editor
(Poedit, Weblate, a text editor). When the English changes, `update` marks the entry fuzzy and keeps the English
it was translated from (#| msgid); a fuzzy or untranslated entry is not used (the English shows) until a
translator updates it and removes the fuzzy flag. The Traditional course is never translated by hand: the
Simplified one converted by OpenCC's s2twp profile, then corrected by translations/zh-TW-overrides.yaml.
"""

import argparse
import sys
from pathlib import Path

from tools import catalogs, lesson_text, translate_build, translate_messages, translate_run

ROOT = Path(__file__).resolve().parent.parent
SOURCE_LANG = "zh-CN"  # translated by hand; zh-TW is converted from it


def catalogs_now():
    """[(path, catalog, is a lesson's)] of every catalog brought up to date in memory, lessons first, and the
    catalogs no module or lesson uses any more."""
    out = []
    for lesson in lesson_text.lesson_paths():
        path = translate_build.catalog_path(lesson)
        out.append((path, catalogs.merge(catalogs.load(path), lesson_text.template(lesson), SOURCE_LANG), True))
    messages, gone = translate_messages.catalogs_now(SOURCE_LANG)
    lessons = {path for path, _, _ in out}
    gone += sorted(set(translate_build.LESSONS.glob("*.po")) - lessons)
    return out + [(path, po, False) for path, po in messages], gone


def update():
    """Write every catalog that the English sources changed, remove those of vanished sources; the paths."""
    now, gone = catalogs_now()
    for path in gone:
        path.unlink()
    return [path for path, po, _ in now if catalogs.save(po, path)] + gone


def problems(diff=False):
    """Lines naming each catalog out of date and each fuzzy, untranslated or broken entry (empty: all done)."""
    now, gone = catalogs_now()
    out = [f"{path.relative_to(ROOT)}: no lesson or module uses it (run `python -m tools.translate update`)"
           for path in gone]
    for path, po, lesson in now:
        rel = path.relative_to(ROOT)
        if not path.exists() or path.read_text(encoding="utf-8") != catalogs.text(po):
            out.append(f"{rel}: out of date with the English (run `python -m tools.translate update`)")
        out += catalogs.problems(po, rel, diff)
        if not lesson:
            out += translate_messages.fields_problems(po, rel)
    return out


def main(argv=None):
    """Run one command (see the module docstring)."""
    parser = argparse.ArgumentParser(prog="python -m tools.translate", description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=["update", "status", "build", "run"])
    parser.add_argument("--lang", choices=["zh-CN", "zh-TW"], action="append",
                        help="run: only this script (default: both)")
    parser.add_argument("lessons", nargs="*", help="run: only these lesson numbers, e.g. 01 06 (default: all)")
    parser.add_argument("--diff", action="store_true", help="status: show how the English of fuzzy entries changed")
    parser.add_argument("--check", action="store_true", help="build: change nothing, exit 1 if out of date")
    args = parser.parse_intermixed_args(argv)
    if args.command == "update":
        for path in update():
            print(f"{'updated' if path.exists() else 'removed'} {path.relative_to(ROOT)}")
        return 0
    if args.command == "status":
        found = problems(args.diff)
        print("\n".join(found) if found else "every entry is translated and up to date")
        return 1 if found else 0
    if args.command == "run":
        return translate_run.run(tuple(args.lang or translate_build.LANGS), args.lessons or None)
    return translate_build.build(check=args.check)


if __name__ == "__main__":
    sys.exit(main())
