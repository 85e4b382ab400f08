"""The package's messages (checks, hints, widgets, figures): extract them for translation, compile the catalogs.

Every string literal passed to microgpt.i18n's _(), tr(), N_() or figure_text() is a message. Each module's
messages go to translations/messages/zh-CN/<module>.po (for example checks.lesson03.po), a gettext catalog
whose msgid is the English and msgstr the Simplified Chinese; a translator edits it with any .po editor.
compile() merges them into microgpt/locale/zh_CN/LC_MESSAGES/microgpt.mo, and converts them with OpenCC (plus
the overrides) into microgpt/locale/zh_TW/LC_MESSAGES/microgpt.mo. Used by tools/translate.py.
"""

import ast
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "microgpt"
MESSAGES = ROOT / "translations" / "messages"
LOCALE = PACKAGE / "locale"
MARKERS = {"_", "tr", "N_", "figure_text"}
FIELDS = ("Project-Id-Version", "Language", "MIME-Version", "Content-Type", "Content-Transfer-Encoding")


def module_name(path):
    """microgpt/checks/lesson03.py -> checks.lesson03."""
    return ".".join(path.relative_to(PACKAGE).with_suffix("").parts)


def extract(path):
    """[(message, line)] of one module, in order, each message once."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found, seen = [], set()
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in MARKERS
                and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            text = node.args[0].value
            if text not in seen:
                seen.add(text)
                found.append((text, node.lineno))
    return sorted(found, key=lambda item: item[1])


def catalog_path(module, lang="zh-CN"):
    """translations/messages/<lang>/<module>.po."""
    return MESSAGES / lang / f"{module}.po"


def new_catalog(lang):
    """An empty catalog with the standard header."""
    po = polib.POFile(wrapwidth=0)
    po.metadata = {"Project-Id-Version": "microgpt-course", "Language": lang.replace("-", "_"),
                   "MIME-Version": "1.0", "Content-Type": "text/plain; charset=UTF-8",
                   "Content-Transfer-Encoding": "8bit"}
    return po


def update(lang="zh-CN"):
    """Write each module's catalog: new messages added untranslated, translations kept, vanished ones dropped.

    Returns the paths written.
    """
    written = []
    for path in sorted(PACKAGE.rglob("*.py")):
        messages = extract(path)
        module = module_name(path)
        target = catalog_path(module, lang)
        if not messages:
            continue
        old = {e.msgid: e for e in polib.pofile(str(target), wrapwidth=0)} if target.exists() else {}
        po = new_catalog(lang)
        for text, line in messages:
            entry = polib.POEntry(msgid=text, msgstr=old[text].msgstr if text in old else "",
                                  occurrences=[(f"microgpt/{path.relative_to(PACKAGE)}", str(line))])
            po.append(entry)
        text = str(po) + "\n"
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
            written.append(target)
    return written


def problems(lang="zh-CN"):
    """Lines naming each message in the code that its catalog lacks or leaves untranslated."""
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        messages = extract(path)
        if not messages:
            continue
        target = catalog_path(module_name(path), lang)
        rel = target.relative_to(ROOT)
        have = {e.msgid: e for e in polib.pofile(str(target), wrapwidth=0)} if target.exists() else {}
        for text, line in messages:
            if text not in have:
                out.append(f"{rel}: no entry for {text[:60]!r} (microgpt/{path.relative_to(PACKAGE)}:{line}; "
                           "run tools/translate.py update)")
            elif not have[text].msgstr.strip():
                out.append(f"{rel}: untranslated {text[:60]!r}")
            elif _fields(have[text].msgstr) != _fields(text):
                out.append(f"{rel}: the translation of {text[:60]!r} has other {{fields}} than the English")
    return out


def _fields(text):
    """The {name} fields of a message, sorted (a translation must keep them all and add none)."""
    import string
    return sorted({name for _, name, _, _ in string.Formatter().parse(text) if name is not None})


def merged(lang, convert=None):
    """One catalog of every module's translated messages of `lang`, converted by `convert` when given."""
    po = new_catalog(lang)
    seen = set()
    for target in sorted((MESSAGES / "zh-CN").glob("*.po")):
        for entry in polib.pofile(str(target), wrapwidth=0):
            if entry.msgstr.strip() and entry.msgid not in seen:
                seen.add(entry.msgid)
                po.append(polib.POEntry(msgid=entry.msgid,
                                        msgstr=convert(entry.msgstr) if convert else entry.msgstr))
    return po


def compile_catalogs(convert_tw, check=False):
    """Write microgpt/locale/<lang>/LC_MESSAGES/microgpt.mo for zh_CN and zh_TW; return the paths out of date."""
    stale = []
    for lang, convert in (("zh-CN", None), ("zh-TW", convert_tw)):
        target = LOCALE / lang.replace("-", "_") / "LC_MESSAGES" / "microgpt.mo"
        po = merged(lang, convert)
        import tempfile
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "microgpt.mo"
            po.save_as_mofile(str(out))
            data = out.read_bytes()
        if not target.exists() or target.read_bytes() != data:
            stale.append(target)
            if not check:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
    return stale
