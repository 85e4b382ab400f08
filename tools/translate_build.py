"""Write the Chinese course: notebooks/zh-CN/ and notebooks/zh-TW/ from the English lessons and translations/.

Used by tools/translate.py build (see its docstring for the files and the rules).
"""

import functools
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
OVERRIDES = ROOT / "translations" / "zh-TW-overrides.yaml"


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
    """Simplified Chinese `text` in Traditional Chinese with Taiwan phrasing: OpenCC s2twp, then the overrides."""
    text = _converter().convert(text)
    for wrong, right in overrides():
        text = text.replace(wrong, right)
    return text.replace("zh-CN", "zh-TW")
