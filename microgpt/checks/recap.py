"""The one checker behind every lesson's recap: each lesson keeps its answer key, this says what is wrong."""

from ..i18n import N_, _, tr
from .failure import fail, ok


def _is_right(got, want, tol):
    """A letter matches whatever its case and parentheses; a number (never a bool) matches within `tol`."""
    if tol is None:
        return isinstance(got, str) and got.strip().lower().strip("()") == want
    return isinstance(got, (int, float)) and not isinstance(got, bool) and abs(got - want) <= tol


REREAD_SECTIONS = N_(
    "Reread those sections of lesson {lesson} and work each answer out again (a line of code in a new "
    "cell helps), then rerun this check.")


def check_recap(answers, key, lesson):
    """Name every wrong or missing answer and the section to reread, never the answer (lessons 01 to 08).

    key = {question number: (answer, tolerance or None for a letter, the section to reread)}; each section
    is marked with N_ in the lesson's module and translated here.
    """
    if not isinstance(answers, dict):
        fail(tr("answers should be a dict {{question number: answer}}, but it is a {kind}.",
                kind=type(answers).__name__),
             _("Write answers = {1: ..., 2: ..., ...} with one entry per question."))
    wrong = []
    for number, (want, tol, section) in key.items():
        got = answers.get(number)
        kind = _("one letter, as a string") if tol is None else _("a number")
        if got is None or got is ...:
            fail(tr("question {number} has no answer yet.", number=number),
                 tr("Add an entry {number}: ... to the dict, {kind}.", number=number, kind=kind))
        if not _is_right(got, want, tol):
            wrong.append(tr('question {number} (you gave {got!r}, the answer is {kind}; reread "{section}")',
                            number=number, got=got, kind=kind, section=_(section)))
    if wrong:
        fail(tr("{n_wrong} of {n_questions} answers are not right yet: {wrong}.", n_wrong=len(wrong),
                n_questions=len(key), wrong=_("; ").join(wrong)),
             tr(REREAD_SECTIONS, lesson=lesson))
    ok(tr("all {n_questions} recap questions of lesson {lesson} answered correctly", n_questions=len(key),
          lesson=lesson))
