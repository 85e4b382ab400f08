"""The one checker behind every lesson's recap: each lesson keeps its answer key, this says what is wrong.

A key holds each answer as a salted hash of its normalised form, never the answer itself, so that code
running next to the checks (a student's notebook) cannot read the answers out of the package. A letter is
normalised to lower case without parentheses; a number to its cell on the grid of its tolerance
(floor(x / tol)), and an answer counts as right when its cell or a neighbour hashes to the key. That
accepts answers up to twice the tolerance away (the grid cannot centre on an answer it does not know).
A small whole-number answer can still be found by trying numbers: the hash hides answers from reading,
not from guessing.
"""

import hashlib
import math

from ..i18n import N_, _, tr
from .failure import fail, ok

SALT = "microgpt-course recap v1"


def _cell(x, tol):
    """The normalised form of an answer: a letter's text, or a number's cell on the tolerance's grid."""
    if tol is None:
        return "letter:" + x.strip().lower().strip("()")
    return f"number:{math.floor(x / tol)}" if tol else f"number:{x:g}"


def answer_hash(lesson, number, cell):
    """The salted hash a key holds for question `number` of `lesson` answered in normalised form `cell`."""
    return hashlib.sha256(f"{SALT}|{lesson}|{number}|{cell}".encode()).hexdigest()[:32]


def hashed_answer(lesson, number, answer, tol):
    """What a key holds for an answer (the keys of the lessons were written with it)."""
    return answer_hash(lesson, number, _cell(answer, tol))


def _is_right(got, want, tol, lesson, number):
    """A letter matches whatever its case and parentheses; a finite number (never a bool) matches its grid cell
    or a neighbour of it."""
    if tol is None:
        return isinstance(got, str) and answer_hash(lesson, number, _cell(got, None)) == want
    if not isinstance(got, (int, float)) or isinstance(got, bool) or not math.isfinite(got):
        return False
    if not tol:
        return answer_hash(lesson, number, _cell(got, 0)) == want
    k = math.floor(got / tol)
    return any(answer_hash(lesson, number, f"number:{k + d}") == want for d in (-1, 0, 1))


REREAD_SECTIONS = N_(
    "Reread those sections of lesson {lesson} and work each answer out again (a line of code in a new "
    "cell helps), then rerun this check.")


def check_recap(answers, key, lesson):
    """Name every wrong or missing answer and the section to reread, never the answer (lessons 01 to 08).

    key = {question number: (hashed answer, tolerance or None for a letter, the section to reread)}; each section
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
        if not _is_right(got, want, tol, lesson, number):
            wrong.append(tr('question {number} (you gave {got!r}, the answer is {kind}; reread "{section}")',
                            number=number, got=got, kind=kind, section=_(section)))
    if wrong:
        fail(tr("{n_wrong} of {n_questions} answers are not right yet: {wrong}.", n_wrong=len(wrong),
                n_questions=len(key), wrong=_("; ").join(wrong)),
             tr(REREAD_SECTIONS, lesson=lesson))
    ok(tr("all {n_questions} recap questions of lesson {lesson} answered correctly", n_questions=len(key),
          lesson=lesson))
