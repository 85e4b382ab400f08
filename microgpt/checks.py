"""Checks for the exercises: each takes the learner's function, tries it, and says precisely what is wrong.

A check raises AssertionError with a hint aimed at the likely mistake, and prints one short line when
the answer is right. Checks compare against the finished pieces of the package and against small cases
worked out by hand, never against a copy of the answer that could share its bug.
"""

import math

from .value import Value


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
