"""How a check fails: one short message with a hint, and the learner's code called safely (all lessons).

A check that finds a mistake raises CheckFailure, an AssertionError (so pytest and nbgrader see a plain
failed assertion) that IPython shows as its message alone: what was found, with the inputs that show it,
then a `Hint:` line naming the fix. An error raised inside the learner's own code keeps its traceback,
cut to the learner's frames, followed by a hint when the error is a known one. Used by every lesson's
checks (lessons 01 to 08).
"""

import os
import traceback

from ..i18n import N_, _, tr
from .budget import DEFAULT_SECONDS, RunAway, budget

_CHECKS_DIR = os.path.dirname(os.path.abspath(__file__))
_PACKAGE_DIR = os.path.dirname(_CHECKS_DIR)

# Errors whose message says what the mistake usually is: (exception type, words in its message, hint);
# the hints are translated by known_hint when shown.
VALUES_CANNOT_COMPARED_OR = N_(
    "Values cannot be compared with < or > (and max(), min() and sorted() compare): compare the plain "
    "numbers inside them, their .data.")
MATH_EXP_MATH_LOG = N_(
    "math.exp, math.log and friends take plain numbers; on a Value use its own methods (.exp(), .log()), "
    "which also record the gradient.")


MATMUL_SHAPES = N_(
    "The sizes of a matrix product do not fit: in a @ b the last axis of a must be as long as the second-to-last "
    "of b. Print the .shape of both just before that line (.T reverses ALL the axes of a tensor with more than "
    "two; transpose swaps just two).")
BROADCAST_SHAPES = N_(
    "Two arrays whose shapes do not fit were combined entry by entry: print their .shape just before that line. "
    "An axis of size 1 (keepdims=True, or unsqueeze) lets one of them repeat along the other's axis.")
GATHER_AXES = N_(
    "gather picks with an index that has as many axes as the tensor it picks from: give the targets a last "
    "axis of size 1 first, and drop it afterwards.")
OUT_OF_BOUNDS_ID = N_(
    "An index does not fit its axis: the padding id -100 is not a token id. Leave the padded positions out, or "
    "give them any real id and mask their loss afterwards.")
KNOWN_ERRORS = [
    (TypeError, "not supported between instances of",
     VALUES_CANNOT_COMPARED_OR),
    (TypeError, "must be real number, not Value",
     MATH_EXP_MATH_LOG),
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
    # NumPy and torch (lessons 08 and 09)
    (ValueError, "matmul: Input operand", MATMUL_SHAPES),
    (RuntimeError, "shapes cannot be multiplied", MATMUL_SHAPES),
    (RuntimeError, "Expected size for first two dimensions of batch2 tensor", MATMUL_SHAPES),
    (ValueError, "could not be broadcast together", BROADCAST_SHAPES),
    (RuntimeError, "must match the size of tensor", BROADCAST_SHAPES),
    (RuntimeError, "Index tensor must have the same number of dimensions", GATHER_AXES),
    (RuntimeError, "is out of bounds for dimension", OUT_OF_BOUNDS_ID),
    (IndexError, "Target -100 is out of bounds", OUT_OF_BOUNDS_ID),
]
# the hint of an error no entry above knows: every failure names a next step
READ_THE_ERROR = N_("Read the error's last line above: it says what went wrong, on the line of your code shown. Print "
                    "the values that line uses (their .shape, for arrays) to see why.")


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
    """The hint for an error raised by the learner's code: `errors` first, then KNOWN_ERRORS, else a general one."""
    for kind, text in (errors or {}).items():
        found = (text(err) if callable(text) else _shown(text)) if isinstance(err, kind) else None
        if found:
            return found
    for kind, words, text in KNOWN_ERRORS:
        if isinstance(err, kind) and words in str(err):
            return _(text)
    return _(READ_THE_ERROR)


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


RAN_AWAY = N_("Look at that loop: what should end it, and does that ever happen on this input?")


def call(fn, *args, errors=None, seconds=DEFAULT_SECONDS, looping=None, **kwargs):
    """Call the learner's function; a stub, an error inside it or a run-away loop becomes a CheckFailure.

    `errors` maps exception types to the hint for the mistake that usually raises them (or to a function
    of the error that returns the hint). The function gets `seconds` to return; `looping` is the hint when
    it does not (all lessons).
    """
    name = _name_of(fn)
    try:
        with budget(seconds):
            return fn(*args, **kwargs)
    except RunAway as err:
        where = [line for line in _learner_frames(err.__traceback__) if "budget.py" not in line]
        raise CheckFailure(tr("{name} was still running after {seconds} s, where it should take a moment: it "
                              "seems to loop forever, at the line shown above.", name=name, seconds=seconds),
                           _shown(looping) or _(RAN_AWAY), where) from None
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
