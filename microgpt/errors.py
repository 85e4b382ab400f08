"""The course's exceptions: a user's mistake, said in one line, so the command line can print it as such.

Every one of them is a MicrogptError. The ones a learner meets in arithmetic are also the built-in
exception of that kind (ZeroDivisionError, ValueError, TypeError), so `except ZeroDivisionError:`
still catches them. Used from lesson 01 on.
"""


class MicrogptError(Exception):
    """Bad input (data, configuration, weights file): the message says what is wrong and what to do. Lesson 01."""


class DivisionByZero(MicrogptError, ZeroDivisionError):
    """Dividing by a Value that is 0, or raising 0 to a negative power. Built in lesson 01."""


class NotARealNumber(MicrogptError, ValueError):
    """Math with no real answer: the log of a number <= 0, a negative number to a fractional power. Lesson 01."""


class NotANumber(MicrogptError, TypeError):
    """Something that is not a number where a number belongs (a string, a list, None, ...). Lesson 01."""


class LossNotFinite(MicrogptError, ArithmeticError):
    """Training stopped because the loss became inf or nan (the learning rate is usually too high). Lesson 06."""


class WrongArgument(MicrogptError, TypeError):
    """An argument of the wrong kind (a string for a model, a seed for a random.Random, ...). Used in lesson 05."""


class OutsideTheModel(MicrogptError):
    """A position beyond the block size: a course error only (lesson 07's checks tell it from an IndexError)."""


class NotInVocabulary(OutsideTheModel, IndexError):
    """A token id beyond the vocabulary: also the IndexError that indexing wte used to raise. Used in lesson 05."""


class EmptyVector(MicrogptError, ValueError):
    """softmax or rmsnorm of an empty list: there is nothing to normalise. Used in lesson 03."""


class ShapeMismatch(MicrogptError, ValueError):
    """linear(x, w) whose rows of w are not as long as x. Used in lesson 03."""


def shown(value, width=40):
    """repr(value) on one line, cut to `width` characters: what a one-line error message quotes. Used in lesson 05."""
    text = " ".join(repr(value).split())  # a NumPy array's repr spans several lines
    return text if len(text) <= width else text[:width - 3] + "..."
