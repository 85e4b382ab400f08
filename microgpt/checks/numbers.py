"""Comparing the learner's numbers with the right ones, and saying how they differ (all lessons)."""

import math

from ..i18n import N_, _, tr
from ..value import Value
from .failure import _shown, fail


def close(a, b, tol=1e-9):
    """True when two numbers agree to a relative and absolute tolerance (all lessons)."""
    return math.isclose(a, b, rel_tol=tol, abs_tol=tol)


def same_numbers(got, want, tol=1e-12):
    """True when two lists of numbers agree entry by entry (all lessons)."""
    return len(got) == len(want) and all(close(a, b, tol) for a, b in zip(got, want))


def to_values(numbers):
    """Fresh Values holding `numbers` (all lessons)."""
    return [Value(float(n)) for n in numbers]


def show(numbers):
    """A list of numbers (or of lists of numbers), short enough for a message (all lessons)."""
    if numbers and isinstance(numbers[0], (list, tuple)):
        return "[" + ", ".join(show(row) for row in numbers) + "]"
    return "[" + ", ".join(f"{x:.6g}" for x in numbers) + "]"


COMPUTE_VALUES_THEMSELVES_THEIR = N_(
    "Compute with the Values themselves (not their .data), so the gradient can flow back.")


def value_data(x, what):
    """The number inside `x`, insisting that it is a Value (all lessons)."""
    if not isinstance(x, Value):
        hint = (_(COMPUTE_VALUES_THEMSELVES_THEIR)
                if isinstance(x, (int, float)) else _("Return one Value here."))
        fail(tr("{what} should be a Value, but it is a {kind} ({x!r}).", what=what, kind=type(x).__name__, x=x),
             hint)
    return x.data


def as_numbers(got, n, what, wrong_length=None, nested=None, rows=None, plain_ok=False):
    """The numbers of the learner's answer: a list of `n` Values, or `rows` lists of `n` (all lessons).

    Fails with a message saying how the answer's shape differs; `wrong_length` and `nested` are the hints
    for a list of the wrong length and for a list of lists (translated here when marked with N_). With
    `plain_ok`, plain numbers are accepted too.
    """
    if rows is not None:
        if not isinstance(got, (list, tuple)) or len(got) != rows:
            fail(tr("{what} should return {rows} rows, but it returned {got!r}.", what=what, rows=rows, got=got),
                 _("Return one row per position."))
        return [as_numbers(row, n, tr("row {i} of {what}", i=i, what=what), wrong_length, nested, plain_ok=plain_ok)
                for i, row in enumerate(got)]
    if not isinstance(got, (list, tuple)):
        fail(tr("{what} should return a list of Values, but it returned a {kind} ({got!r}).", what=what,
                kind=type(got).__name__, got=got),
             _("Return a list, with one entry per output number."))
    if any(isinstance(g, (list, tuple)) for g in got):
        fail(tr("{what} returned a list of lists (its first item is {first!r}).", what=what, first=got[0]),
             _shown(nested) or _("Each output is ONE number: add the products up with sum()."))
    if len(got) != n:
        fail(tr("{what} should return {n} numbers, but it returned {n_got}.", what=what, n=n, n_got=len(got)),
             _shown(wrong_length) or _("Make one output per entry the lesson asks for."))
    if plain_ok:
        return [float(getattr(g, "data", g)) for g in got]
    return [value_data(g, tr("each number returned by {what}", what=what)) for g in got]


def expect_number(got, want, what, mistakes=(), tol=1e-9, otherwise=None):
    """Fail unless `got` is a plain number close to `want`; name the mistake if it matches a known one.

    `mistakes` is a list of (the value a wrong answer gives, hint for that mistake); `otherwise` is the
    hint for any other wrong number (hints marked with N_ are translated here). Used by all lessons.
    """
    if isinstance(got, Value):
        fail(tr("{what} should be a plain number, but it is a Value ({got!r}).", what=what, got=got),
             _("Use .data to get the number."))
    if isinstance(got, bool) or not isinstance(got, (int, float)):
        fail(tr("{what} should be a plain number, but it is a {kind} ({got!r}).", what=what,
                kind=type(got).__name__, got=got),
             _("Return a single number."))
    if close(got, want, tol):
        return
    message = tr("{what} is {got:.10g}, expected {want:.10g}.", what=what, got=got, want=want)
    for wrong, hint_text in mistakes:
        if close(got, wrong, tol):
            fail(message, _shown(hint_text))
    fail(message, _shown(otherwise))


def expect_numbers(got, want, given, mistakes=(), otherwise=None, tol=1e-12):
    """Fail unless the list `got` equals `want`; name the mistake if it matches a known one (all lessons).

    `given` opens the message ("for x = [1, 2] you gave"); `mistakes` is a list of (the numbers a wrong
    answer gives, hint for that mistake); `otherwise` is the hint when no known mistake matches (hints
    marked with N_ are translated here).
    """
    if same_numbers(got, want, tol):
        return
    message = tr("{given} {got}, expected {want}.", given=given, got=show(got), want=show(want))
    for wrong, hint_text in mistakes:
        if same_numbers(got, wrong, tol):
            fail(message, _shown(hint_text))
    fail(message, _shown(otherwise))
