"""Chinese in figures: a font that draws it, or the English a label was translated from (never boxes).

microgpt.i18n knows the language and its messages; this module makes figures follow it. Importing it (every
`from microgpt import viz` does) asks i18n to call `follow` now and whenever `use_language` changes the
language: in Chinese, matplotlib gets a CJK font when one is installed; without one, the Chinese labels of a
lesson's own figures are drawn in the English they were translated from (figure_labels.json in
microgpt/locale, written by the translation tools), and viz's own labels stay English (`figure_text`).
microgpt's __init__ loads viz as soon as a notebook chooses Chinese, so a lesson's first figure is covered too.
"""

import functools
import json
import os
import re

from matplotlib import font_manager, rcParams
from matplotlib import text as mtext

from .. import i18n

# Fonts that draw every character the course uses, best first: Debian's fonts-noto-cjk (also what the
# Chinese notebooks install in Colab), then common desktop fonts of Windows, macOS and Linux.
CJK_FONTS = {
    "zh-CN": ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC",
              "WenQuanYi Zen Hei", "Noto Sans CJK TC", "Noto Sans CJK JP"),
    "zh-TW": ("Noto Sans CJK TC", "Noto Sans TC", "Source Han Sans TC", "Microsoft JhengHei", "PingFang TC",
              "Noto Sans CJK SC", "WenQuanYi Zen Hei", "Noto Sans CJK JP"),
}
# Where Linux distributions (and Colab, after the set-up cell's apt-get) put Noto CJK: matplotlib's font list is
# cached from before such a font was installed, so these files are added to it when no Chinese font is known.
FONT_DIRS = ("/usr/share/fonts/opentype/noto", "/usr/share/fonts/truetype/noto", "/usr/share/fonts/noto-cjk",
             "/usr/share/fonts/google-noto-cjk")
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
FIGURE_LABELS = os.path.join(i18n.LOCALE_DIR, "figure_labels.json")


@functools.lru_cache(maxsize=None)
def cjk_font(lang="zh-CN"):
    """The name of an installed font that draws Chinese for `lang`, or None (figures of every lesson)."""

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
    Chinese, it also puts the font first in matplotlib's list, so figures drawn from now on use it. Every lesson.
    """
    lang = i18n.language()
    if lang == "en":
        return message
    font = cjk_font(lang)
    if font is None:
        return message
    _use_font(font)
    return i18n._(message)


def follow(lang):
    """Make the figures drawn from now on fit `lang`: a CJK font, or English labels without one (lesson set-up)."""
    if lang == "en":
        return
    font = cjk_font(lang)
    if font:
        _use_font(font)
    else:  # no font draws Chinese: a lesson's own Chinese figure labels are drawn in their English
        _draw_english_without_font()


def _use_font(font):
    """Draw text in DejaVu Sans (matplotlib's own font, as in the English figures) falling back to `font`.

    matplotlib falls back glyph by glyph along font.family: Latin letters, digits and symbols such as ⟨BOS⟩
    come from DejaVu Sans, Chinese characters from `font`.
    """
    wanted = ["DejaVu Sans", font]
    if rcParams["font.family"] != wanted:
        rcParams["font.family"] = wanted


@functools.lru_cache(maxsize=None)
def _label_patterns(lang):
    """[(regex of a Chinese label, its English pieces)] of the lessons' figures, from figure_labels.json."""
    if not os.path.exists(FIGURE_LABELS):
        return []
    with open(FIGURE_LABELS, encoding="utf-8") as f:
        pairs = json.load(f).get(lang, [])
    patterns = []
    for chinese, english in pairs:
        fields, regex = {}, ""
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
    """The English a lesson's Chinese figure text was translated from, or None when it is not one (every lesson)."""
    for regex, english in _label_patterns(lang or i18n.language()):
        match = regex.fullmatch(text)
        if match:
            return "".join(piece if kind == "text" else match.group(piece) for kind, piece in english)
    return None


def _draw_english_without_font():
    """Make matplotlib keep a Chinese text of a lesson's figure in its English (no font would draw the Chinese).

    The text is replaced when it is set, before any layout measures it.
    """
    if getattr(mtext.Text.set_text, "_english_fallback", False):
        return
    set_text = mtext.Text.set_text

    def set_text_in_english(self, s):
        lang = i18n.language()
        if lang != "en" and isinstance(s, str) and CJK.search(s) and cjk_font(lang) is None:
            english = english_label(s, lang)
            s = english if english is not None else CJK.sub("?", s)
        return set_text(self, s)

    set_text_in_english._english_fallback = True
    mtext.Text.set_text = set_text_in_english


i18n.follow_language(follow)  # now, for a language chosen before viz was imported, and at every change
