"""Checks for the exercises: each takes the learner's function, tries it, and says precisely what is wrong.

A check that finds a mistake raises CheckFailure (an AssertionError) whose message shows the inputs it
tried, what came back, and a hint naming the fix; IPython shows that message alone, without the checks'
source. When the answer is right it prints one short "Correct: ..." line. Checks compare against the
finished pieces of the package and against small cases worked out by hand, never against a copy of the
answer that could share its bug. `checks.hint("04-scores")` gives help in three steps (the idea, the
formula, the shape of the code). One module per lesson; `common` holds what they share.
Use them as `from microgpt import checks; checks.check_mul_local_grads(f)`.
"""

from . import (
    lesson01,
    lesson02,
    lesson03,
    lesson03_build,
    lesson04,
    lesson04_build,
    lesson05,
    lesson05_build,
    lesson06,
    lesson06_build,
    lesson07,
    lesson08,
    lesson08_build,
    lesson09,
)
from .common import CheckFailure
from .hints import hint
from .lesson01 import *  # noqa: F403 (each lesson module lists its checks in __all__)
from .lesson02 import *  # noqa: F403
from .lesson03 import *  # noqa: F403
from .lesson03_build import *  # noqa: F403
from .lesson04 import *  # noqa: F403
from .lesson04_build import *  # noqa: F403
from .lesson05 import *  # noqa: F403
from .lesson05_build import *  # noqa: F403
from .lesson06 import *  # noqa: F403
from .lesson06_build import *  # noqa: F403
from .lesson07 import *  # noqa: F403
from .lesson08 import *  # noqa: F403
from .lesson08_build import *  # noqa: F403
from .lesson09 import *  # noqa: F403
from .recap import check_recap

# one module per lesson, in order; then the modules a long lesson's checks continue in
LESSON_MODULES = (lesson01, lesson02, lesson03, lesson04, lesson05, lesson06, lesson07, lesson08, lesson09,
                  lesson03_build, lesson04_build, lesson05_build, lesson06_build, lesson08_build)

__all__ = ["CheckFailure", "check_recap", "hint", *(name for module in LESSON_MODULES for name in module.__all__)]
