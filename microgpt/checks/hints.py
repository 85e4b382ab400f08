"""Hints on demand, in three steps per exercise: the idea, then the formula, then the shape of the code.

Each lesson's check module registers its exercises' steps with add_hints (each step marked with N_, so
that it is translated when shown); a learner calls `checks.hint("04-scores")` once per step. Used by every
lesson (01 to 08).
"""

from ..i18n import N_, _, tr

STEP_NAMES = (N_("the idea"), N_("the formula"), N_("the shape of the code"))
_hints = {}  # exercise id -> its three steps
_asked = {}  # exercise id -> how many steps were shown so far


class Shown(str):
    """A text already printed: returned for code that wants it, while a notebook shows no Out[] echo of it."""

    def _ipython_display_(self):
        """IPython calls this instead of echoing the value: the text is on the screen already."""


def add_hints(steps):
    """Register {exercise id: (idea, formula, shape of the code)}; each lesson's module calls it (all lessons)."""
    for exercise_id, three in steps.items():
        if len(three) != 3:
            raise ValueError(f"hints for {exercise_id} must be three steps (idea, formula, code), got {len(three)}")
        _hints[exercise_id] = tuple(three)


def hint(exercise_id, step=None):
    """Print the next hint for an exercise: the idea, then the formula, then the shape of the code (all lessons).

    `step` (1, 2 or 3) shows that step instead of the next one. Returns the text shown (which a notebook does
    not echo a second time).
    """
    if exercise_id not in _hints:
        known = ", ".join(sorted(_hints))
        text = tr("There is no exercise {exercise_id!r}: the id is in the exercise's `raise NotImplementedError` "
                  "line. Known ids: {known}", exercise_id=exercise_id, known=known)
        print(text)
        return Shown(text)
    if step is None:
        step = min(_asked.get(exercise_id, 0) + 1, 3)
    if step not in (1, 2, 3):
        raise ValueError(f"step must be 1, 2 or 3, not {step!r}")
    _asked[exercise_id] = max(_asked.get(exercise_id, 0), step)
    fields = {"step": step, "exercise_id": exercise_id, "step_name": _(STEP_NAMES[step - 1]),
              "text": _(_hints[exercise_id][step - 1])}
    if step < 3:
        text = tr('Hint {step}/3 for {exercise_id}, {step_name}: {text} Run checks.hint("{exercise_id}") again for '
                  'the next step.', **fields)
    else:
        text = tr("Hint {step}/3 for {exercise_id}, {step_name}: {text}", **fields)
    print(text)
    return Shown(text)
