"""The course's exceptions: a user's mistake, said in one line, so the command line can print it as such.

Every one of them is a MicrogptError. The ones a learner meets in arithmetic are also the built-in
exception of that kind (ZeroDivisionError, ValueError, TypeError), so `except ZeroDivisionError:`
still catches them. Used from lesson 01 on.
"""


class MicrogptError(Exception):
    """Bad input (data, configuration, weights file): the message says what is wrong and what to do."""


class DivisionByZero(MicrogptError, ZeroDivisionError):
    """Dividing by a Value that is 0, or raising 0 to a negative power. Built in lesson 01."""


class NotARealNumber(MicrogptError, ValueError):
    """Math with no real answer: the log of a number <= 0, a negative number to a fractional power."""


class NotANumber(MicrogptError, TypeError):
    """Something that is not a number where a number belongs (a string, a list, None, ...)."""


class LossNotFinite(MicrogptError, ArithmeticError):
    """Training stopped because the loss became inf or nan (the learning rate is usually too high)."""
