"""The package's messages (checks, hints, widgets, figures): their catalogs and the compiled .mo files.

Every string literal passed to microgpt.i18n's _(), tr(), N_() or figure_text() is a message, found by Babel's
extract_from_file with an ast method (Babel's own python method misses a marker nested in another call inside
_(), as checks.lesson08 writes one). Each module's messages go to translations/messages/zh-CN/<module>.po (for example
checks.lesson03.po), updated by the rules of tools.catalogs like the lessons' catalogs. compile_catalogs() merges
them into microgpt/locale/zh_CN/LC_MESSAGES/microgpt.mo, and converts them with OpenCC (plus the overrides) into
microgpt/locale/zh_TW/LC_MESSAGES/microgpt.mo.
"""

import ast
import string
from pathlib import Path

import polib
from babel.messages.extract import extract_from_file

from tools import catalogs

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "microgpt"
MESSAGES = ROOT / "translations" / "messages"
LOCALE = PACKAGE / "locale"
KEYWORDS = {"_": None, "tr": None, "N_": None, "figure_text": None}  # the message is the first argument


def module_name(path):
    """microgpt/checks/lesson03.py -> checks.lesson03."""
    return ".".join(path.relative_to(PACKAGE).with_suffix("").parts)


def catalog_path(module, lang="zh-CN"):
    """translations/messages/<lang>/<module>.po."""
    return MESSAGES / lang / f"{module}.po"


def markers(fileobj, keywords, comment_tags, options):
    """A Babel extraction method: (line, marker, its string arguments, no comments) for every marker call."""
    for node in ast.walk(ast.parse(fileobj.read())):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in keywords:
            args = tuple(a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None
                         for a in node.args)
            yield node.lineno, node.func.id, args, []


def template(path):
    """The catalog template of one module: its messages in order of line, each once."""
    entries, seen = [], set()
    found = extract_from_file(markers, str(path), keywords=KEYWORDS, strip_comment_tags=True)
    for line, message, _comments, _context in sorted(found, key=lambda item: item[0]):
        if isinstance(message, str) and message not in seen:
            seen.add(message)
            entries.append(polib.POEntry(msgid=message, occurrences=[(f"microgpt/{path.relative_to(PACKAGE)}",
                                                                     str(line))]))
    return entries


def catalogs_now(lang="zh-CN"):
    """[(path, catalog)] of every module with messages, each brought up to date (in memory) by tools.catalogs,
    and the catalogs of modules that are gone (their translations serve as the compendium of the others)."""
    compendium = {}
    for old in sorted((MESSAGES / lang).glob("*.po")):
        compendium.update(catalogs.translations(catalogs.load(old)))
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        entries = template(path)
        if entries:
            target = catalog_path(module_name(path), lang)
            out.append((target, catalogs.merge(catalogs.load(target), entries, lang, compendium)))
    gone = sorted(set((MESSAGES / lang).glob("*.po")) - {target for target, _ in out})
    return out, gone


def fields_problems(po, rel):
    """Lines naming each translation whose {fields} are not the English message's."""
    return [f"{rel}: the translation of {e.msgid[:60]!r} has other {{fields}} than the English"
            for e in po if e.msgstr.strip() and not e.obsolete and _fields(e.msgstr) != _fields(e.msgid)]


def _fields(text):
    """The {name} fields of a message, sorted (a translation must keep them all and add none)."""
    return sorted({name for _, name, _, _ in string.Formatter().parse(text) if name is not None})


def merged(lang, convert=None):
    """One catalog of every module's translated messages of `lang`, converted by `convert` when given."""
    po = catalogs.new_catalog(lang)
    seen = set()
    for target in sorted((MESSAGES / "zh-CN").glob("*.po")):
        for (_, msgid), msgstr in catalogs.translations(catalogs.load(target)).items():
            if msgid not in seen:
                seen.add(msgid)
                po.append(polib.POEntry(msgid=msgid, msgstr=convert(msgstr) if convert else msgstr))
    return po


def compile_catalogs(convert_tw, check=False):
    """Write microgpt/locale/<lang>/LC_MESSAGES/microgpt.mo for zh_CN and zh_TW; return the paths out of date."""
    stale = []
    for lang, convert in (("zh-CN", None), ("zh-TW", convert_tw)):
        target = LOCALE / lang.replace("-", "_") / "LC_MESSAGES" / "microgpt.mo"
        data = catalogs.mo_bytes(merged(lang, convert))
        if not target.exists() or target.read_bytes() != data:
            stale.append(target)
            if not check:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
    return stale
