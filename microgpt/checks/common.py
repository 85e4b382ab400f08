"""What every check shares: one short failure message, hints in steps, calling the learner's code safely.

A check that finds a mistake raises CheckFailure, an AssertionError (so pytest and nbgrader see a plain
failed assertion) that IPython shows as its message alone: what was found, with the inputs that show it,
then a `Hint:` line naming the fix. An error raised inside the learner's own code keeps its traceback,
cut to the learner's frames, followed by a hint when the error is a known one. Used by every lesson's
checks (lessons 01 to 08).
"""

import contextlib
import functools
import io
import math
import os
import traceback

from ..i18n import N_, _, tr
from ..value import Value
from .hints import add_hints, hint

__all__ = [
    "CheckFailure", "KNOWN_ERRORS", "add_hints", "as_numbers", "call", "close", "exercise", "expect_number",
    "expect_numbers", "fail", "hint", "known_hint", "ok", "same_numbers", "show", "to_values", "value_data",
]

_CHECKS_DIR = os.path.dirname(os.path.abspath(__file__))
_PACKAGE_DIR = os.path.dirname(_CHECKS_DIR)

# Errors whose message says what the mistake usually is: (exception type, words in its message, hint);
# the hints are translated by known_hint when shown.
KNOWN_ERRORS = [
    (TypeError, "not supported between instances of",
     N_("Values cannot be compared with < or > (and max(), min() and sorted() compare): compare the plain "
        "numbers inside them, their .data.")),
    (TypeError, "must be real number, not Value",
     N_("math.exp, math.log and friends take plain numbers; on a Value use its own methods (.exp(), .log()), "
        "which also record the gradient.")),
    (TypeError, "can't multiply sequence",
     N_("A list was multiplied by a Value. Look at the shapes: a vector is a list of Values; index it to get "
        "one number (values[t] is a whole vector, values[t][j] one number).")),
    (TypeError, "a Value can only be combined with a number",
     N_("A Value was combined with a list (or another non-number). Look at the shapes: a vector is a list of "
        "Values; index it to get one number (values[t] is a whole vector, values[t][j] one number).")),
    (TypeError, "'list' and 'Value'",
     N_("A list was combined with a Value: index the list to get one number, or go over it entry by entry.")),
    (TypeError, "and 'list'",
     N_("Two lists cannot be added up with sum() or +: add their entries one by one, or take a list of the "
        "entries' sums.")),
    (TypeError, "'Value' object is not",
     N_("A single Value was used where a list was expected: look at the shapes of what you pass on.")),
    (TypeError, "'float' object is not",
     N_("A plain number was used where a list was expected: look at the shapes of what you pass on.")),
    (AttributeError, "object has no attribute 'data'",
     N_("That is already a plain number (or a list), not a Value: only a single Value has .data.")),
    (AttributeError, "has no attribute 'exp'",
     N_("Only a Value has .exp(): keep the Value itself (not its .data) so the gradient can flow.")),
    (AttributeError, "has no attribute 'log'",
     N_("Only a Value has .log(): keep the Value itself (not its .data) so the gradient can flow.")),
    (AttributeError, "has no attribute 'relu'",
     N_("Only a Value has .relu(): apply it to each Value of a list, one by one.")),
    (IndexError, "out of range",
     N_("An index went past the end of a list: compare your loops' ranges with the lengths of the lists.")),
    (OverflowError, "",
     N_("exp() of a number above about 709 is too large for a float: subtract the largest number first.")),
    (ZeroDivisionError, "", N_("Something you divided by was 0: look at what the denominator is on these inputs.")),
    (RecursionError, "", N_("A function calls itself without end: make sure every call works on a smaller part.")),
]


class CheckFailure(AssertionError):
    """A check's verdict on a wrong answer, shown as a short message without the check's traceback (all lessons)."""

    def __init__(self, message, hint=None, learner_traceback=()):
        text = message if not (hint and hint.strip()) else f"{message}\n" + tr("Hint: {hint}", hint=hint.strip())
        super().__init__(text)
        hint = hint.strip() if hint else hint
        self.message, self.hint, self.learner_traceback = message, hint, list(learner_traceback)
        self.exercise = None  # set by @exercise: the id whose steps checks.hint() gives

    def _render_traceback_(self):
        """The lines IPython shows instead of a traceback: the learner's own frames (if any), then the message."""
        lines = list(self.learner_traceback)
        lines += str(self).split("\n")
        if self.exercise:
            lines.append(tr('Stuck? checks.hint("{exercise_id}") gives a hint in three steps.',
                            exercise_id=self.exercise))
        return lines


def fail(message, hint=None):
    """Stop with what is wrong (with the inputs that show it) and a hint naming the fix (all lessons)."""
    raise CheckFailure(message, hint)


def ok(message):
    """Say, in one line, that the answer is right (all lessons)."""
    print(tr("Correct: {text}", text=message))


def _name_of(fn):
    """The learner's function's name, for a message ("your function" when it has none)."""
    name = getattr(fn, "__name__", None)
    return _("your function") if name is None else name


def _learner_frames(tb):
    """The traceback lines of the frames outside microgpt (the learner's code), plus where it ended inside."""
    frames = traceback.extract_tb(tb)
    mine = [f for f in frames if not os.path.abspath(f.filename).startswith(_PACKAGE_DIR)]
    lines = [_("Traceback (your code):")] + [line.rstrip("\n") for line in traceback.format_list(mine)]
    last = frames[-1] if frames else None
    if last is not None and last not in mine:
        where = os.path.relpath(last.filename, os.path.dirname(_PACKAGE_DIR))
        lines.append(tr("  (raised inside {where}, in {function})", where=where, function=last.name))
    return lines


def known_hint(err, errors=None):
    """The hint for an error raised by the learner's code: from `errors` first, then KNOWN_ERRORS (all lessons)."""
    for kind, text in (errors or {}).items():
        if isinstance(err, kind):
            return text(err) if callable(text) else _shown(text)
    for kind, words, text in KNOWN_ERRORS:
        if isinstance(err, kind) and words in str(err):
            return _(text)
    return None


def _shown(text):
    """`text` in the language in force: a hint marked with N_ (translated here) or already translated.

    Translating an already translated hint leaves it as it is; an empty or missing hint stays as it is.
    """
    return _(text) if text else text


def _from_error(err, name, errors=None, checking=False):
    """A CheckFailure that reports an error raised by the learner's code, cut to the learner's frames.

    `checking`: the error escaped the check itself while it was checking the function `name`.
    """
    summary = str(err).strip().split("\n")[0]
    fields = {"name": name, "error": type(err).__name__, "summary": summary}
    message = (tr("checking {name} raised {error}: {summary}", **fields) if checking
               else tr("{name} raised {error}: {summary}", **fields))
    failure = CheckFailure(message, known_hint(err, errors), _learner_frames(err.__traceback__))
    return failure


def call(fn, *args, errors=None, **kwargs):
    """Call the learner's function; a stub or an error inside it becomes a CheckFailure (all lessons).

    `errors` maps exception types to the hint for the mistake that usually raises them (or to a function
    of the error that returns the hint).
    """
    name = _name_of(fn)
    try:
        return fn(*args, **kwargs)
    except NotImplementedError as err:
        inner = traceback.extract_tb(err.__traceback__)[-1].name  # the stub that raised: maybe an earlier one
        if inner not in (name, "<module>"):
            raise CheckFailure(tr("{name} calls {inner}, which is not written yet.", name=name, inner=inner),
                               tr("Write {inner} first (its exercise comes earlier in the lesson), run its cell, "
                                  "then this one.", inner=inner)) from None
        raise CheckFailure(tr("{name} is not written yet.", name=name),
                           _("Replace the `raise NotImplementedError` in the cell above with your code, run that "
                             "cell, then run this check.")) from None
    except CheckFailure:
        raise
    except Exception as err:  # any error in the learner's code is a wrong answer, reported as such
        raise _from_error(err, name, errors) from None


def exercise(exercise_id, needs=()):
    """Decorate a check of exercise `exercise_id`: failures name it, and a wrong earlier answer gets the blame.

    `needs` lists (name, check) pairs: the learner's functions this exercise calls by name. When the
    check fails and one of them, found in the learner's notebook, fails its own check, the message says
    that one is wrong instead. Any error escaping the check becomes a CheckFailure. Used by all lessons.
    """

    def decorate(check):
        """The check, wrapped."""

        @functools.wraps(check)
        def wrapped(fn, *args, **kwargs):
            """Run the check; turn every failure into one short message."""
            try:
                return check(fn, *args, **kwargs)
            except CheckFailure as failure:
                blame = _blame_earlier(fn, needs) or failure
                blame.exercise = blame.exercise or exercise_id
                raise blame from None
            except Exception as err:  # the learner's answer broke the check itself (a wrong type or shape)
                blame = _blame_earlier(fn, needs) or _from_error(
                    err, _name_of(fn), checking=True)
                blame.exercise = blame.exercise or exercise_id
                raise blame from None

        wrapped.exercise_id = exercise_id
        return wrapped

    return decorate


def _blame_earlier(fn, needs):
    """A CheckFailure naming the first earlier exercise (called by `fn`) that fails its own check, or None."""
    namespace = getattr(fn, "__globals__", {})
    for name, check in needs:
        earlier = namespace.get(name)
        if not callable(earlier) or (getattr(earlier, "__module__", None) or "").startswith("microgpt"):
            continue  # not the learner's own (e.g. imported from the package): nothing to blame
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                check(earlier)
        except CheckFailure as failure:
            mine = _name_of(fn)
            fields = {"mine": mine, "name": name, "hint": failure.hint}
            blamed = CheckFailure(
                tr("{mine} calls your {name}, and {name} is not right yet: {problem}", problem=failure.message,
                   **fields),
                tr("Fix {name} first (and run its check), then come back to {mine}. For {name}: {hint}", **fields)
                if failure.hint else tr("Fix {name} first (and run its check), then come back to {mine}.", **fields))
            blamed.exercise = failure.exercise
            return blamed
    return None


# --- numbers ---

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


def value_data(x, what):
    """The number inside `x`, insisting that it is a Value (all lessons)."""
    if not isinstance(x, Value):
        hint = (_("Compute with the Values themselves (not their .data), so the gradient can flow back.")
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
