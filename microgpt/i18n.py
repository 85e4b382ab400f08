"""The learner's language: English, Simplified or Traditional Chinese, for checks, hints, widgets and figures.

A Chinese notebook's set-up cell calls `use_language("zh-CN")` (or "zh-TW"); the environment variable
MICROGPT_LANG overrides it. Messages are looked up with the standard library's gettext in the catalogs
compiled into microgpt/locale/ (their sources, and the tool that compiles them, are in translations/).
Nothing here needs more than the standard library; figures ask matplotlib for a CJK font only when drawn.

Three ways to mark a message, by when it is translated:
    _("text")                  now, in the language in force (a check's message, a widget's label)
    tr("{n} steps", n=3)       now, then formatted (a message with numbers in it)
    N_("text")                 never: only marked, so the tools find it; translated later with _() (hints
                               kept in a table at import time, shown in the language in force when asked for)
Figures use figure_text(), which stays English when no font can draw Chinese (never boxes).
"""

import functools
import gettext
import os

__all__ = ["LANGUAGES", "N_", "_", "cjk_font", "figure_text", "language", "tr", "use_language"]

LANGUAGES = ("en", "zh-CN", "zh-TW")
DOMAIN = "microgpt"
LOCALE_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "locale")
# Fonts that draw every character the course uses, best first: Debian's fonts-noto-cjk (also what the
# Chinese notebooks install in Colab), then common desktop fonts of Windows, macOS and Linux.
CJK_FONTS = {
    "zh-CN": ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC",
              "WenQuanYi Zen Hei", "Noto Sans CJK TC", "Noto Sans CJK JP"),
    "zh-TW": ("Noto Sans CJK TC", "Noto Sans TC", "Source Han Sans TC", "Microsoft JhengHei", "PingFang TC",
              "Noto Sans CJK SC", "WenQuanYi Zen Hei", "Noto Sans CJK JP"),
}

_chosen = "en"  # set by use_language (a notebook's set-up cell)


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

    Returns the language in force, which is MICROGPT_LANG's when that is set.
    """
    global _chosen
    _chosen = _check_language(lang, "use_language")
    return language()


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


@functools.lru_cache(maxsize=None)
def cjk_font(lang="zh-CN"):
    """The name of an installed font that draws Chinese for `lang`, or None (figures of every lesson)."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS[lang] if name in installed), None)


def figure_text(message):
    """A figure's title or label: Chinese when the language is Chinese and a CJK font is installed, else English.

    Drawing Chinese without such a font would show boxes; English is the honest fallback. When it returns
    Chinese, it also puts the font first in matplotlib's list, so figures drawn from now on use it.
    """
    lang = language()
    if lang == "en":
        return message
    font = cjk_font(lang)
    if font is None:
        return message
    _use_font(font)
    return _(message)


def _use_font(font):
    """Put `font` first in matplotlib's sans-serif list (idempotent), keeping DejaVu Sans after it for symbols."""
    import matplotlib

    families = matplotlib.rcParams["font.sans-serif"]
    if families[:1] != [font]:
        matplotlib.rcParams["font.sans-serif"] = [font] + [f for f in families if f != font]
    if matplotlib.rcParams["font.family"] != ["sans-serif"]:
        matplotlib.rcParams["font.family"] = ["sans-serif"]
