"""What every check shares: failing with a hint, saying "Correct", calling the learner's function."""

import math

from ..value import Value


def _fail(message):
    """Stop with a hint for the learner."""
    raise AssertionError(message)


def _ok(message):
    """Say, in one line, that the answer is right."""
    print(f"Correct: {message}")


def _call(fn, *args, **kwargs):
    """Call the learner's function; a stub that is still NotImplemented becomes a clear failure."""
    try:
        return fn(*args, **kwargs)
    except NotImplementedError:
        _fail(f"{getattr(fn, '__name__', 'your function')} is not written yet: replace the "
              "`raise NotImplementedError` in the cell above with your code, run it, then run this check")


def _close(a, b, tol=1e-9):
    """True when two numbers agree to a relative and absolute tolerance."""
    return math.isclose(a, b, rel_tol=tol, abs_tol=tol)


def _value_data(x, what):
    """The number inside `x`, insisting that it is a Value."""
    if not isinstance(x, Value):
        _fail(f"{what} should be a Value, but it is a {type(x).__name__} ({x!r})")
    return x.data


def _values(numbers):
    """Fresh Values holding `numbers`."""
    return [Value(float(n)) for n in numbers]



def _same_numbers(got, want, tol=1e-12):
    """True when two lists of numbers agree entry by entry."""
    return len(got) == len(want) and all(_close(a, b, tol) for a, b in zip(got, want))



def _show(numbers):
    """A list of numbers, short enough for a message."""
    return "[" + ", ".join(f"{x:.6g}" for x in numbers) + "]"



def _flat_numbers(got, n, what, wrong_length="", nested=""):
    """The .data of a flat list of `n` Values returned by the learner; fail with a hint when it is not one."""
    if not isinstance(got, (list, tuple)):
        _fail(f"{what} should return a list of Values, but it returned a {type(got).__name__} ({got!r})")
    if any(isinstance(g, (list, tuple)) for g in got):
        _fail(f"{what} returned a list of lists (its first item is {got[0]!r}). {nested}".rstrip())
    if len(got) != n:
        _fail(f"{what} should return {n} numbers, but it returned {len(got)}. {wrong_length}".rstrip())
    return [_value_data(g, f"each number returned by {what}") for g in got]



def _number(got, want, what, mistakes=(), tol=1e-9, otherwise=""):
    """Fail unless `got` is a plain number close to `want`; name the mistake if it matches a known one.

    `mistakes` is a list of (value a wrong answer gives, hint for that mistake); `otherwise` is the hint
    for any other wrong number.
    """
    if isinstance(got, Value):
        _fail(f"{what} should be a plain number, but it is a Value ({got!r}): use .data to get the number")
    if not isinstance(got, (int, float)):
        _fail(f"{what} should be a plain number, but it is a {type(got).__name__} ({got!r})")
    if _close(got, want, tol):
        return
    for wrong, hint in mistakes:
        if _close(got, wrong, tol):
            _fail(f"{what} is {got:.10g}, expected {want:.10g}. {hint}")
    _fail(f"{what} is {got:.10g}, expected {want:.10g}. {otherwise}".rstrip())



def _numbers(got, want, given, mistakes, rule, tol=1e-12):
    """Fail unless the list `got` equals `want`; name the mistake if it matches a known one (_number for lists).

    `given` opens the message ("for x = [1, 2] you gave"); `mistakes` is a list of (the numbers a wrong
    answer gives, hint for that mistake); `rule` ends the message when no known mistake matches.
    """
    if _same_numbers(got, want, tol):
        return
    for wrong, hint in mistakes:
        if _same_numbers(got, wrong, tol):
            _fail(f"{given} {_show(got)}, expected {_show(want)}. {hint}")
    _fail(f"{given} {_show(got)}, expected {_show(want)}{rule}")


def _attempt(fn, *args, errors=None, **kwargs):
    """Call the learner's function; an exception from it becomes a failure naming it, with a hint if known.

    `errors` maps exception types to the hint for the mistake that usually raises them.
    """
    try:
        return _call(fn, *args, **kwargs)
    except AssertionError:
        raise
    except Exception as err:  # any error in the learner's code is a wrong answer, reported as such
        hint = next((h for kind, h in (errors or {}).items() if isinstance(err, kind)), "")
        name = getattr(fn, "__name__", "your function")
        _fail(f"{name} raised {type(err).__name__}: {err}. {hint}".rstrip())
