"""Numbers at the edges of Value: conversion, overflow, and the errors of math that has no answer. Lesson 01.

value.py reads like the reference; what it does at the edges lives here (its docstring has the table): a
NumPy number or an int beyond the float range is converted, a power or exp that overflows becomes inf, and
the log of 0, 0 to a negative power or a string where a number belongs raise an error in the course's words.
"""

import math
import sys
from numbers import Integral, Real

from .errors import DivisionByZero, NotANumber, NotARealNumber

_LARGEST = int(sys.float_info.max)  # an int beyond this has no float: it becomes inf, like any overflow


def number(x, what="a Value"):
    """x as a plain int or float (NumPy's numbers included); anything else is a NotANumber naming `what`."""
    cls = type(x)
    if cls is float:
        return x
    if cls is not int:
        if isinstance(x, Integral):  # bool, numpy.int64, ...
            x = int(x)
        elif isinstance(x, Real):  # numpy.float32, numpy.float64, fractions.Fraction, ...
            return float(x)
        else:
            raise NotANumber(f"{what} must be a number (int or float), not {cls.__name__} {x!r:.60}")
    return x if -_LARGEST <= x <= _LARGEST else (math.inf if x > 0 else -math.inf)


def operand(x):
    """A plain number that a Value is combined with (+, -, *), or a NotANumber saying what it is instead."""
    try:
        return number(x, "Value data")
    except NotANumber:
        raise NotANumber(f"a Value can only be combined with a number or another Value, not "
                         f"{type(x).__name__} {x!r}") from None


def negated(x):
    """-x for what a Value is subtracted from or by: a number or a Value, else a NotANumber."""
    try:
        return -x
    except TypeError:
        raise NotANumber(f"a Value can only be combined with a number or another Value, not "
                         f"{type(x).__name__} {x!r}") from None


def exponent(k, is_value):
    """The exponent of a Value: a plain number (`is_value`: k is a Value, which is refused)."""
    if is_value:
        raise NotANumber("the exponent of a Value must be a plain number: Value ** Value is not "
                         "supported (write (a.log() * b).exp() to raise to a Value power)")
    return number(k, "the exponent")


def power(x, k):
    """x ** k and its derivative k * x ** (k - 1), with inf for an overflow and a clear error for no answer."""
    exact = type(x) is int  # rare in training: an int's powers stay exact only while they stay small
    if exact and type(k) is int and k > 64:
        x, exact = float(x), False
    try:
        out, grad = x**k, k * x ** (k - 1)
    except (ZeroDivisionError, OverflowError):
        out, grad = _pow_edge(x, k)
    if type(out) is complex:  # Python's answer for a negative number to a fractional power
        raise NotARealNumber(f"({x:g}) ** {k:g} is not a real number: a negative number has no real "
                             f"fractional power (for an odd root of a negative x, write -((-x) ** {k:g}))")
    if exact:  # an int grad beyond the float range becomes inf (out is converted by Value itself)
        grad = number(grad)
    return out, grad


def _pow_edge(x, k):
    """x ** k and its derivative where the plain formula raises: at x = 0, or when the result overflows."""
    if x == 0:
        if k < 0:
            raise DivisionByZero(f"0 ** {k:g} is undefined: a Value that is 0 is divided by, or raised to a "
                                 "negative power (check what made it 0)")
        return x**k, (0 if k == 0 else math.inf)  # x**0 is constant; x**k (0<k<1) is vertical at 0
    return _overflowing_pow(x, k), k * _overflowing_pow(x, k - 1)


def _overflowing_pow(x, k):
    """x ** k where Python raises OverflowError: the signed inf that float * would give."""
    try:
        return x**k
    except OverflowError:
        return -math.inf if x < 0 and k % 2 == 1 else math.inf


def inverse(dividend, divisor):
    """divisor ** -1 for dividend / divisor (a number or a Value); a DivisionByZero naming both for 0."""
    try:
        return divisor**-1
    except ZeroDivisionError:
        raise DivisionByZero(f"division by zero: {dividend!r} / {divisor!r} (check what made the divisor 0)") from None
    except OverflowError:  # a divisor so close to 0 that its inverse is beyond any float
        return _overflowing_pow(divisor, -1)


def log(x):
    """math.log(x), or a NotARealNumber for x <= 0 (nan stays nan, as in float math)."""
    if not x > 0 and x == x:
        raise NotARealNumber(f"log of a non-positive number ({x!r}) is undefined; a probability "
                             "that reached 0 usually means the logits overflowed")
    return math.log(x)


def exp(x):
    """math.exp(x), or inf when that is too large for a float (x > 709.78)."""
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


def format_number(x):
    """A number in 6 significant digits; also for an int too large to become a float (a gradient, say)."""
    try:
        return f"{x:.6g}"
    except (OverflowError, ValueError):
        return "a whole number too large for a float"
