"""A time budget for the learner's code, so that a loop that never ends becomes a message (all lessons).

A check calls the learner's function through failure.call, which runs it under a budget of seconds: an alarm
signal (Unix, main thread, as a notebook cell runs) stops it when the budget is spent, and the check says the
function was still running and where, in the learner's own code, it was. Elsewhere (Windows, a thread) the
code runs without a budget, as before.
"""

import contextlib
import signal
import threading

DEFAULT_SECONDS = 300  # far above what any learner call of a check takes, even on a busy 2-core machine


class RunAway(Exception):
    """The learner's code was still running when its budget was spent."""


def _can_interrupt():
    """True when an alarm can stop this thread: Unix, the main thread, no other alarm already set."""
    return (hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
            and signal.getitimer(signal.ITIMER_REAL)[0] == 0)


@contextlib.contextmanager
def budget(seconds=DEFAULT_SECONDS):
    """Run the block for at most `seconds`, then raise RunAway inside it (where it allows that)."""
    if not seconds or not _can_interrupt():
        yield
        return

    def stop(signum, frame):
        """The alarm: stop the learner's code wherever it is."""
        raise RunAway

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
