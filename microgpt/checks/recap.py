"""The one checker behind every lesson's recap: each lesson keeps its answer key, this says what is wrong."""

from .common import fail, ok

__all__ = ["check_recap"]


def _is_right(got, want, tol):
    """A letter matches whatever its case and parentheses; a number (never a bool) matches within `tol`."""
    if tol is None:
        return isinstance(got, str) and got.strip().lower().strip("()") == want
    return isinstance(got, (int, float)) and not isinstance(got, bool) and abs(got - want) <= tol


def check_recap(answers, key, lesson):
    """Name every wrong or missing answer and the section to reread, never the answer (lessons 01 to 08).

    key = {question number: (answer, tolerance or None for a letter, the section to reread)}.
    """
    if not isinstance(answers, dict):
        fail(f"answers should be a dict {{question number: answer}}, but it is a {type(answers).__name__}.",
             "Write answers = {1: ..., 2: ..., ...} with one entry per question.")
    wrong = []
    for number, (want, tol, section) in key.items():
        got = answers.get(number)
        kind = "one letter, as a string" if tol is None else "a number"
        if got is None or got is ...:
            fail(f"question {number} has no answer yet.", f"Add an entry {number}: ... to the dict, {kind}.")
        if not _is_right(got, want, tol):
            wrong.append(f"question {number} (you gave {got!r}, the answer is {kind}; reread \"{section}\")")
    if wrong:
        fail(f"{len(wrong)} of {len(key)} answers are not right yet: " + "; ".join(wrong) + ".",
             f"Reread those sections of lesson {lesson} and work each answer out again (a line of code in a new "
             "cell helps), then rerun this check.")
    ok(f"all {len(key)} recap questions of lesson {lesson} answered correctly")
