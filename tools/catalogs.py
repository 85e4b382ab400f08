"""The one gettext workflow of the course's translations, lessons and package messages alike (polib).

A catalog is brought up to date from a template (the entries the English sources have now) as msgmerge does:

* an entry whose msgctxt and msgid are both in the template keeps its translation; a new entry whose English
  another catalog has translated (the compendium: a message moved to another module) takes that translation;
* an entry whose English changed keeps its translation, marked fuzzy, with the English it was translated from
  kept as the previous msgid (`#| msgid`): it is paired with the vanished entry of the same msgctxt whose English
  is closest (difflib ratio >= 0.6), or with the only one when the msgctxt names one entry (a markdown cell);
* a new entry comes in untranslated; a vanished translated entry stays as obsolete (`#~`), for reuse.

Fuzzy and untranslated entries are not used: the English shows instead, and tools.translate status lists them.
"""

import difflib
from pathlib import Path

import polib


def new_catalog(lang):
    """An empty catalog of `lang` (zh-CN) with the standard header."""
    po = polib.POFile(wrapwidth=0)
    po.metadata = {"Project-Id-Version": "microgpt-course", "Language": lang.replace("-", "_"),
                   "MIME-Version": "1.0", "Content-Type": "text/plain; charset=UTF-8",
                   "Content-Transfer-Encoding": "8bit"}
    return po


def load(path):
    """The catalog at `path` (an empty list when there is none yet)."""
    return polib.pofile(str(path), wrapwidth=0) if Path(path).exists() else []


def _keep(new, old, fuzzy):
    """`new` given `old`'s translation; marked fuzzy, with the English it was made from, when `fuzzy`."""
    new.msgstr = old.msgstr
    if fuzzy or old.fuzzy:
        new.flags.append("fuzzy")
        new.previous_msgid = old.previous_msgid or (old.msgid if old.msgid != new.msgid else None)
    return new


def _closest(entry, vanished):
    """The vanished entry of `entry`'s msgctxt its translation carries over from (None when none is close)."""
    same = [old for old in vanished if old.msgctxt == entry.msgctxt]
    if entry.msgctxt is not None and len(same) == 1 and same[0].comment == entry.comment:
        return same[0]
    texts = difflib.get_close_matches(entry.msgid, [old.msgid for old in same], n=1, cutoff=0.6)
    return next(old for old in same if old.msgid == texts[0]) if texts else None


def merge(catalog, template, lang, compendium=None):
    """A new catalog of `lang`: `template`'s entries, in order, with the translations of `catalog` (msgmerge).

    compendium: {(msgctxt, msgid): msgstr} of translations made elsewhere, for an entry `catalog` does not have.
    """
    old = {(e.msgctxt, e.msgid): e for e in catalog if not e.obsolete}
    out, unmatched = new_catalog(lang), []
    for entry in template:
        found = old.pop((entry.msgctxt, entry.msgid), None)
        out.append(_keep(entry, found, False) if found else entry)
        if not found and (entry.msgctxt, entry.msgid) in (compendium or {}):
            entry.msgstr = compendium[entry.msgctxt, entry.msgid]
        elif not found:
            unmatched.append(entry)
    vanished = [e for e in old.values() if e.msgstr.strip()]
    for entry in unmatched:
        source = _closest(entry, vanished)
        if source is not None:
            vanished.remove(source)
            _keep(entry, source, True)
    for entry in vanished + [e for e in catalog if e.obsolete]:
        entry.obsolete = True
        out.append(entry)
    return out


def text(po):
    """A catalog as written to disk."""
    return str(po) + "\n"


def save(po, path):
    """Write `po` to `path` when it differs from what is there; True when written."""
    path = Path(path)
    if path.exists() and path.read_text(encoding="utf-8") == text(po):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text(po), encoding="utf-8")
    return True


def translations(po):
    """{(msgctxt, msgid): msgstr} of the entries in use: translated, not fuzzy, not obsolete."""
    return {(e.msgctxt, e.msgid): e.msgstr for e in po if e.msgstr.strip() and not e.fuzzy and not e.obsolete}


def problems(po, rel, diff=False):
    """Lines naming each fuzzy or untranslated entry of a catalog (with `diff`, how a fuzzy one's English changed)."""
    out = []
    for e in po:
        where = f"{rel}: {e.msgctxt + ': ' if e.msgctxt else ''}"
        if e.obsolete:
            continue
        if e.fuzzy:
            out.append(f"{where}fuzzy, the English changed since it was translated: {e.msgid[:60]!r}")
            if diff and e.previous_msgid:
                out += ["    " + line for line in difflib.unified_diff(
                    e.previous_msgid.split("\n"), e.msgid.split("\n"), "translated from", "English now", lineterm="")]
        elif not e.msgstr.strip():
            out.append(f"{where}untranslated {e.msgid[:60]!r}")
    return out


def mo_bytes(po):
    """The compiled form (.mo) of a catalog."""
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "catalog.mo"
        po.save_as_mofile(str(out))
        return out.read_bytes()
