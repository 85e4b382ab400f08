"""A pytest plugin for the nbval run of the Chinese lessons: a cell whose figure lacks a glyph fails.

matplotlib warns "Glyph 25439 (...) missing from font(s) DejaVu Sans." when it draws a character that no
font in its list has: the reader would see a box. The Chinese lessons' figures must be in Chinese with a CJK
font and in English without one, never in boxes. `make test` runs each lesson once, in the mutant test
(English, zh-CN) or the Colab test (zh-TW), and both read `missing_glyphs`; to run lessons under nbval by
hand: `MICROGPT_QUICK=1 pytest --nbval-lax --nbval-current-env -p tests.nbval_glyphs notebooks/zh-TW/*.ipynb`.
"""

import pytest

SIGN = "missing from font"


def missing_glyphs(outputs):
    """The lines of a cell's outputs in which matplotlib says a glyph is missing."""
    lines = []
    for out in outputs or []:
        if out.get("output_type") == "stream":
            lines += [line.strip() for line in out.get("text", "").split("\n") if "Glyph" in line and SIGN in line]
    return lines


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Turn a passed nbval cell into a failure when its outputs report a missing glyph."""
    outcome = yield
    report = outcome.get_result()
    if call.when != "call" or not report.passed:
        return
    lines = missing_glyphs(getattr(item, "test_outputs", None))
    if lines:
        report.outcome = "failed"
        report.longrepr = "a figure of this cell has characters no installed font can draw:\n  " + "\n  ".join(lines)
