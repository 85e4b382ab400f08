"""Traditional Chinese (Taiwan) from Simplified: OpenCC's s2twp profile, then translations/zh-TW-overrides.yaml.

The Traditional course is never translated by hand. Used by tools.translate_build and tools.translate_messages.
"""

import functools
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
OVERRIDES = ROOT / "translations" / "zh-TW-overrides.yaml"
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
# What names the Simplified course and must name the Traditional one once converted: its folder, its language.
SELF_REFERENCES = (("notebooks/zh-CN/", "notebooks/zh-TW/"), ('use_language("zh-CN")', 'use_language("zh-TW")'),
                   ("LAB_LANG=zh-CN", "LAB_LANG=zh-TW"))


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
