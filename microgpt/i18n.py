"""The learner's language: English, Simplified or Traditional Chinese, for checks, hints, widgets and figures.

A Chinese notebook's set-up cell calls `use_language("zh-CN")` (or "zh-TW"); the environment variable
MICROGPT_LANG overrides it. Messages are looked up with the standard library's gettext in the catalogs
compiled into microgpt/locale/ (their sources, and the tool that compiles them, are in translations/).
Nothing here needs more than the standard library: figures follow the language through microgpt.viz.fonts,
which asks to be told of every change (`follow_language`), so this module never imports matplotlib.

Three ways to mark a message, by when it is translated:
    _("text")                  now, in the language in force (a check's message, a widget's label)
    tr("{n} steps", n=3)       now, then formatted (a message with numbers in it)
    N_("text")                 never: only marked, so the tools find it; translated later with _() (hints
                               kept in a table at import time, shown in the language in force when asked for)
"""

import functools
import gettext
import os

__all__ = ["LANGUAGES", "N_", "_", "follow_language", "language", "tr", "use_language"]

LANGUAGES = ("en", "zh-CN", "zh-TW")
DOMAIN = "microgpt"
LOCALE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "locale")
_chosen = "en"  # set by use_language (a notebook's set-up cell)
_followers = []  # called with the language by use_language: microgpt.viz.fonts, to pick the figures' fonts


def _check_language(lang, where):
    """`lang` itself if it is one of LANGUAGES; otherwise a one-line error naming the choices."""
    if lang not in LANGUAGES:
        raise ValueError(f"{where}: unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    return lang


def language():
    """The language in force: MICROGPT_LANG if set, else the notebook's choice, else English (lesson set-up)."""
    override = os.environ.get("MICROGPT_LANG", "").strip()
    if override:
        return _check_language(override, "MICROGPT_LANG")
    return _chosen


def use_language(lang):
    """Speak `lang` ("en", "zh-CN" or "zh-TW") from now on: a Chinese notebook's set-up cell calls this.

    Returns the language in force, which is MICROGPT_LANG's when that is set. Whoever asked with
    follow_language is told (microgpt.viz, whose figures then get a Chinese font or English labels).
    """
    global _chosen
    _chosen = _check_language(lang, "use_language")
    now = language()
    for follower in list(_followers):  # a follower may bring another (microgpt loads viz, which follows)
        follower(now)
    return now


def follow_language(follower, now=True):
    """Call `follower(lang)` at every use_language (and now): how figures follow the language (lesson set-up)."""
    if follower not in _followers:
        _followers.append(follower)
    if now:
        follower(language())


@functools.lru_cache(maxsize=None)
def _catalog(lang):
    """The compiled gettext catalog of `lang` (a NullTranslations, i.e. English, for "en" or a missing file)."""
    if lang == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang.replace("-", "_")], fallback=True)


def _(message):
    """`message` in the language in force (English when its catalog has no translation). Used by every lesson."""
    return _catalog(language()).gettext(message)


def tr(message, **fields):
    """`message` translated, then formatted with `fields`: tr("{n} steps", n=3). Used by every lesson."""
    return _(message).format(**fields)


def N_(message):
    """Mark `message` for translation without translating it now (hint tables, made at import time)."""
    return message
