"""microgpt.i18n: the learner's language for checks, hints, widgets and figures, from gettext catalogs.

The language follows use_language() (a Chinese notebook's set-up cell) unless MICROGPT_LANG overrides it;
the compiled catalogs in microgpt/locale/ answer every message in Chinese; figures stay English when no
font can draw Chinese.
"""

import gettext
import re

import polib
import pytest

from microgpt import checks, i18n
from microgpt.viz import fonts
from tools import translate_build, translate_messages

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def english_afterwards(monkeypatch):
    """Every test starts and ends in English, whatever the environment says."""
    monkeypatch.delenv("MICROGPT_LANG", raising=False)
    i18n.use_language("en")
    yield
    monkeypatch.delenv("MICROGPT_LANG", raising=False)
    i18n.use_language("en")


def catalog_entries():
    """(English, Simplified Chinese) of every translated message in the source catalogs."""
    return [(e.msgid, e.msgstr) for po in sorted((translate_messages.MESSAGES / "zh-CN").glob("*.po"))
            for e in polib.pofile(str(po)) if e.msgstr]


def test_the_language_is_english_by_default_and_follows_use_language():
    assert i18n.language() == "en"
    assert i18n.use_language("zh-TW") == "zh-TW" and i18n.language() == "zh-TW"


def test_microgpt_lang_overrides_the_notebook(monkeypatch):
    monkeypatch.setenv("MICROGPT_LANG", "zh-CN")
    assert i18n.use_language("en") == "zh-CN"
    monkeypatch.setenv("MICROGPT_LANG", "en")
    i18n.use_language("zh-TW")
    assert i18n.language() == "en"


@pytest.mark.parametrize("bad", ["zh", "fr", "ZH-cn", "zh_CN"])
def test_an_unknown_language_is_one_clear_error(bad, monkeypatch):
    with pytest.raises(ValueError, match=r"unknown language .* choose one of en, zh-CN, zh-TW"):
        i18n.use_language(bad)
    monkeypatch.setenv("MICROGPT_LANG", bad)
    with pytest.raises(ValueError, match="MICROGPT_LANG"):
        i18n.language()


def test_the_compiled_catalogs_answer_every_message_in_both_scripts():
    """Each message of the .po sources comes back from the shipped .mo: Simplified as written, Traditional converted."""
    entries = catalog_entries()
    assert len(entries) > 500, "the package's messages are not translated yet"
    for lang in ("zh-CN", "zh-TW"):
        compiled = gettext.translation("microgpt", i18n.LOCALE_DIR, languages=[lang.replace("-", "_")])
        for english, chinese in entries:
            want = chinese if lang == "zh-CN" else translate_build.zh_tw(chinese)
            assert compiled.gettext(english) == want, english


def test_messages_are_english_in_english_and_chinese_in_chinese():
    english, chinese = catalog_entries()[0]
    assert i18n._(english) == english
    i18n.use_language("zh-CN")
    assert i18n._(english) == chinese
    i18n.use_language("zh-TW")
    assert i18n._(english) == translate_build.zh_tw(chinese)


def test_tr_fills_the_fields_of_the_translation():
    with_fields = [(e, c) for e, c in catalog_entries() if re.search(r"\{[a-z_]+\}", e)]
    english, chinese = with_fields[0]
    fields = {name: f"<{name}>" for name in re.findall(r"\{([a-z_]+)\}", english)}
    i18n.use_language("zh-CN")
    assert i18n.tr(english, **fields) == chinese.format(**fields)


def test_figure_text_is_english_without_a_chinese_font(monkeypatch):
    english, chinese = catalog_entries()[0]
    i18n.use_language("zh-CN")
    monkeypatch.setattr(fonts, "cjk_font", lambda lang="zh-CN": None)
    assert fonts.figure_text(english) == english
    monkeypatch.setattr(fonts, "cjk_font", lambda lang="zh-CN": "Noto Sans CJK SC")
    assert fonts.figure_text(english) == chinese


def test_i18n_needs_no_matplotlib_and_figures_follow_the_language(monkeypatch):
    """i18n imports nothing of viz or matplotlib; viz asked to follow it, so use_language reaches the figures."""
    import ast
    import inspect

    nodes = list(ast.walk(ast.parse(inspect.getsource(i18n))))
    imported = {node.module or "" for node in nodes if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in nodes if isinstance(node, ast.Import) for alias in node.names}
    assert not {name for name in imported if "matplotlib" in name or "viz" in name}, imported
    seen = []
    monkeypatch.setattr(fonts, "cjk_font", lambda lang="zh-CN": seen.append(lang))
    i18n.use_language("zh-TW")
    assert seen == ["zh-TW"]  # viz.fonts.follow was told, and looked for a font for Traditional Chinese


def test_a_chinese_set_up_cell_covers_the_lessons_own_figures():
    """The set-up cell's use_language alone (no viz imported yet) gives plt's figures a CJK font or English labels;
    importing microgpt loads no matplotlib."""
    import subprocess
    import sys

    code = ("import sys\nfrom microgpt.i18n import use_language\nassert 'matplotlib' not in sys.modules\n"
            "use_language('zh-CN')\nfrom matplotlib import rcParams, text\n"
            "print(getattr(text.Text.set_text, '_english_fallback', False) or len(rcParams['font.family']) == 2)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "True", out.stderr


def test_a_failed_check_speaks_the_notebooks_language():
    """The same wrong answer: English with `Hint:`, then Chinese with `提示：`, never the English hint."""
    def wrong(x, w):
        return [sum(wi.data for wi in row) * 0 for row in w]

    with pytest.raises(AssertionError) as english:
        checks.check_linear(wrong)
    assert "Hint:" in str(english.value) and not CJK.search(str(english.value))
    i18n.use_language("zh-CN")
    with pytest.raises(AssertionError) as chinese:
        checks.check_linear(wrong)
    text = str(chinese.value)
    assert CJK.search(text) and "Hint:" not in text and "提示：" in text


def test_hints_speak_the_notebooks_language(capsys):
    i18n.use_language("zh-CN")
    text = checks.hint("03-linear", step=1)
    assert CJK.search(text) and "Hint 1/3" not in text
    i18n.use_language("en")
    assert checks.hint("03-linear", step=1).startswith("Hint 1/3 for 03-linear")


def test_without_a_chinese_font_a_lessons_figure_is_drawn_in_english(monkeypatch, recwarn):
    """Each Chinese label of the lessons' own figures maps back to its English; drawing one warns of no glyph."""
    import json
    import warnings

    from microgpt.viz.style import figure_to_png, new_figure

    with open(fonts.FIGURE_LABELS, encoding="utf-8") as f:
        labels = json.load(f)
    for lang in ("zh-CN", "zh-TW"):
        assert labels[lang], "no label of a lesson's figure was translated"
        for chinese, english in labels[lang]:
            if all(kind == "text" for kind, _ in chinese):
                text = "".join(piece for _, piece in chinese)
                assert fonts.english_label(text, lang) == "".join(piece for _, piece in english)
    monkeypatch.setattr(fonts, "cjk_font", lambda lang="zh-CN": None)
    i18n.use_language("zh-CN")
    chinese, english = next((c, e) for c, e in labels["zh-CN"] if all(k == "text" for k, _ in c))
    fig = new_figure(4, 3)
    ax = fig.add_subplot()
    title = ax.set_title("".join(p for _, p in chinese))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a missing glyph would raise
        figure_to_png(fig)
    assert title.get_text() == "".join(p for _, p in english)
