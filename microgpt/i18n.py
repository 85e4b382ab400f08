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
Figures use figure_text(), which stays English when no font can draw Chinese (never boxes); without such a
font, the Chinese labels of a lesson's own figures are drawn in the English they were translated from
(figure_labels.json, written by tools/translate.py).
"""

import functools
import gettext
import importlib.util
import json
import os
import re

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

    In Chinese, matplotlib is also given a Chinese font when one is installed, so that the lesson's own
    figures can have Chinese titles. Returns the language in force, which is MICROGPT_LANG's when that is set.
    """
    global _chosen
    _chosen = _check_language(lang, "use_language")
    now = language()
    if now != "en" and _matplotlib_here():  # without matplotlib there are no figures either
        font = cjk_font(now)
        if font:
            _use_font(font)
        else:  # no font draws Chinese: a lesson's own Chinese figure labels are drawn in their English
            _draw_english_without_font()
    return now


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


# Where Linux distributions (and Colab, after the set-up cell's apt-get) put Noto CJK: matplotlib's font list is
# cached from before such a font was installed, so these files are added to it when no Chinese font is known.
FONT_DIRS = ("/usr/share/fonts/opentype/noto", "/usr/share/fonts/truetype/noto", "/usr/share/fonts/noto-cjk",
             "/usr/share/fonts/google-noto-cjk")


@functools.lru_cache(maxsize=None)
def cjk_font(lang="zh-CN"):
    """The name of an installed font that draws Chinese for `lang`, or None (figures of every lesson)."""
    from matplotlib import font_manager

    def known():
        installed = {f.name for f in font_manager.fontManager.ttflist}
        return next((name for name in CJK_FONTS[lang] if name in installed), None)

    if known() is None:
        for folder in FONT_DIRS:
            if os.path.isdir(folder):
                for name in sorted(os.listdir(folder)):
                    if "CJK" in name and name.endswith((".ttc", ".otf", ".ttf")) and "Regular" in name:
                        font_manager.fontManager.addfont(os.path.join(folder, name))
    return known()


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
    """Draw text in DejaVu Sans (matplotlib's own font, as in the English figures) falling back to `font`.

    matplotlib falls back glyph by glyph along font.family: Latin letters, digits and symbols such as ⟨BOS⟩
    come from DejaVu Sans, Chinese characters from `font`.
    """
    import matplotlib

    wanted = ["DejaVu Sans", font]
    if matplotlib.rcParams["font.family"] != wanted:
        matplotlib.rcParams["font.family"] = wanted


# --- no Chinese font: a lesson's own figure labels drawn in English ---

CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
FIGURE_LABELS = os.path.join(LOCALE_DIR, "figure_labels.json")


def _matplotlib_here():
    """True when matplotlib is installed (the core never needs it)."""
    return importlib.util.find_spec("matplotlib") is not None


@functools.lru_cache(maxsize=None)
def _label_patterns(lang):
    """[(regex of a Chinese label, its English pieces)] of the lessons' figures, from figure_labels.json."""
    if not os.path.exists(FIGURE_LABELS):
        return []
    with open(FIGURE_LABELS, encoding="utf-8") as f:
        pairs = json.load(f).get(lang, [])
    patterns = []
    for chinese, english in pairs:
        fields = {}
        regex = ""
        for kind, text in chinese:
            if kind == "text":
                regex += re.escape(text)
            elif text in fields:  # the same field twice: the same text twice
                regex += f"(?P={fields[text]})"
            else:
                fields[text] = f"f{len(fields)}"
                regex += f"(?P<{fields[text]}>.*?)"
        if all(kind == "text" or text in fields for kind, text in english):
            literal = sum(len(text) for kind, text in chinese if kind == "text")
            patterns.append((len(fields), -literal, re.compile(regex, re.S),
                             [(kind, fields.get(text, text)) for kind, text in english]))
    # the most specific first: a whole label before an f-string whose field could swallow part of it
    return [(regex, english) for _, _, regex, english in sorted(patterns, key=lambda p: p[:2])]


def english_label(text, lang=None):
    """The English a lesson's Chinese figure text was translated from, or None when it is not one of them."""
    for regex, english in _label_patterns(lang or language()):
        match = regex.fullmatch(text)
        if match:
            return "".join(piece if kind == "text" else match.group(piece) for kind, piece in english)
    return None


def _draw_english_without_font():
    """Make matplotlib keep a Chinese text of a lesson's figure in its English (no font would draw the Chinese).

    The text is replaced when it is set, before any layout measures it.
    """
    from matplotlib import text as mtext

    if getattr(mtext.Text.set_text, "_english_fallback", False):
        return
    set_text = mtext.Text.set_text

    def set_text_in_english(self, s):
        lang = language()
        if lang != "en" and isinstance(s, str) and CJK.search(s) and cjk_font(lang) is None:
            english = english_label(s, lang)
            s = english if english is not None else CJK.sub("?", s)
        return set_text(self, s)

    set_text_in_english._english_fallback = True
    mtext.Text.set_text = set_text_in_english
