"""One exercise, one definition: `@exercise` registers a check with its hints, its wrong answers and its label.

Everything about an exercise except its solution sits in the decorator above its check, in the lesson's
check module: the three-step hints, the plausible wrong answers each with the hint it must draw (the same
N_ constant the check shows), its difficulty and time, whether it is a build from a blank cell. EXERCISES
is read by `checks.__all__`, by tools/exercises.py (which writes the lesson's exercise metadata, check cell
and label from it) and by the mutant test (which tries every wrong answer). Used by every lesson.
"""

import ast
import contextlib
import functools
import inspect
import io
from dataclasses import dataclass

from ..i18n import tr
from .failure import CheckFailure, _from_error, _name_of
from .hints import add_hints

EXERCISES = {}  # exercise id -> Exercise, in the order the check modules define them


@dataclass(frozen=True)
class Edit:
    """A wrong answer written as a change of the solution: its lines `old` (found once) become `new`."""

    old: str
    new: str


@dataclass(frozen=True)
class Answers:
    """A recap's wrong answer: the solution's `answers` with these questions answered otherwise.

    Only the wrong values are written down, so the package a student installs never spells out a key."""

    changes: tuple  # ((question, the wrong answer), ...), from the dict it is given

    def __init__(self, changes):
        """Answers({question: wrong answer, ...})."""
        object.__setattr__(self, "changes", tuple(sorted(changes.items())))


@dataclass(frozen=True)
class Wrong:
    """A plausible wrong answer (the code that replaces the solution region, or an Edit of the solution) and
    the hint it must draw."""

    code: object  # str, an Edit of the lesson's solution (a long build, one line wrong), or a recap's Answers
    hint: str  # the N_-marked message the check shows for it, untranslated

    def answer(self, solution):
        """The code of this wrong answer, given the lesson's solution (the lines between its markers).

        An Edit's lines are found by their code alone, so a translated lesson's comments do not matter."""
        if isinstance(self.code, str):
            return self.code
        if isinstance(self.code, Answers):
            tree = ast.parse(solution).body[-1]  # the solution's last line: answers = {...}
            return f"answers = {ast.literal_eval(tree.value) | dict(self.code.changes)!r}"
        lines, old = solution.split("\n"), self.code.old.rstrip("\n").split("\n")
        new = self.code.new.split("\n") if self.code.new else []
        spots = [i for i in range(len(lines) - len(old) + 1)
                 if [_bare(line) for line in lines[i:i + len(old)]] == [_bare(line) for line in old]]
        if len(spots) != 1:
            raise ValueError(f"the edit of a wrong answer needs {self.code.old!r} once in the solution:\n{solution}")
        return "\n".join(lines[:spots[0]] + new + lines[spots[0] + len(old):])


def _bare(line):
    """A line of code without its comment."""
    return line.split("  #")[0].rstrip()


@dataclass(frozen=True)
class Exercise:
    """Everything about one exercise except its solution, which stays in the lesson (all lessons)."""

    id: str
    check: object  # the decorated check, as `checks.<name>`
    stars: int  # 1 short, 2 needs some thought, 3 a build
    minutes: int
    hints: tuple  # (the idea, the formula, the shape of the code), each marked with N_
    wrong: tuple  # Wrong answers, each with the hint it must draw
    build: bool = False  # a build from a blank cell: the whole cell is the learner's

    @property
    def lesson(self):
        """The lesson number, '01' to '09'."""
        return self.id[:2]

    @property
    def arguments(self):
        """The names the check cell passes: the learner's functions (or `answers`), as the check names them."""
        return list(inspect.signature(self.check).parameters)

    @property
    def check_source(self):
        """The source of the exercise's check cell in a lesson."""
        return f"checks.{self.check.__name__}({', '.join(self.arguments)})"

    @property
    def label(self):
        """The label the markdown above the exercise opens with."""
        return f"**Exercise {self.id}** · {'★' * self.stars} · about {self.minutes} min"


def exercise(exercise_id, needs=(), *, stars, minutes, hints, wrong, build=False):
    """Register a check as exercise `exercise_id`: failures name it, and a wrong earlier answer gets the blame.

    `needs` lists (name, check) pairs: the learner's functions this exercise calls by name. When the
    check fails and one of them, found in the learner's notebook, fails its own check, the message says
    that one is wrong instead. Any error escaping the check becomes a CheckFailure. `hints` are the three
    steps checks.hint() gives; `wrong` lists (code, the hint it must draw). Used by all lessons.
    """
    if exercise_id in EXERCISES:
        raise ValueError(f"exercise {exercise_id} is defined twice")
    add_hints({exercise_id: hints})

    def decorate(check):
        """The check, wrapped and registered."""

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
                blame = _blame_earlier(fn, needs) or _from_error(err, _name_of(fn), checking=True)
                blame.exercise = blame.exercise or exercise_id
                raise blame from None

        wrapped.exercise_id = exercise_id
        EXERCISES[exercise_id] = Exercise(exercise_id, wrapped, stars, minutes, tuple(hints),
                                          tuple(Wrong(code, hint) for code, hint in wrong), build)
        return wrapped

    return decorate


def _global_names(code):
    """The global names a function's code (and the lambdas and functions inside it) refers to."""
    names = set(code.co_names)
    for const in code.co_consts:
        if hasattr(const, "co_names"):
            names |= _global_names(const)
    return names


def _blame_earlier(fn, needs):
    """A CheckFailure naming the first earlier exercise (called by `fn`) that fails its own check, or None."""
    namespace = getattr(fn, "__globals__", {})
    used = _global_names(fn.__code__) if hasattr(fn, "__code__") else set()
    for name, check in needs:
        if name not in used:
            continue  # `fn` never calls it: a wrong one elsewhere in the notebook is not the cause
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

