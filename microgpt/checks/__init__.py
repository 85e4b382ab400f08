"""Checks for the exercises: each takes the learner's function, tries it, and says precisely what is wrong.

A check that finds a mistake raises CheckFailure (an AssertionError) whose message shows the inputs it
tried, what came back, and a hint naming the fix; IPython shows that message alone, without the checks'
source. When the answer is right it prints one short "Correct: ..." line. Checks compare against the
finished pieces of the package and against small cases worked out by hand, never against a copy of the
answer that could share its bug. `checks.hint("04-scores")` gives help in three steps (the idea, the
formula, the shape of the code).

One subpackage per lesson (lesson03_building_blocks, ...), one module per idea in it; each check is defined
once, with its hints and wrong answers, by `@exercise` (exercise.py), and EXERCISES lists them all.
Use them as `from microgpt import checks; checks.check_mul_local_grads(f)`.
"""

from . import (  # noqa: F401 (importing a lesson's checks registers its exercises)
    lesson01_value,
    lesson02_data,
    lesson03_building_blocks,
    lesson04_attention,
    lesson05_gpt,
    lesson06_training,
    lesson07_sampling,
    lesson08_efficiency,
    lesson09_pytorch,
)
from .exercise import EXERCISES
from .failure import CheckFailure
from .hints import hint
from .recap import check_recap

globals().update({ex.check.__name__: ex.check for ex in EXERCISES.values()})
__all__ = ["EXERCISES", "CheckFailure", "check_recap", "hint", *(ex.check.__name__ for ex in EXERCISES.values())]
