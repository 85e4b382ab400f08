"""The three building blocks of the network, on lists of Values: linear, softmax, rmsnorm. Built in lesson 03.

Each is written exactly as the reference writes it (the built-in sum, the same order of operations),
because floating point addition is not associative: a different order gives different last digits,
and after a thousand training steps different digits become different names.

They run thousands of times a training step, so they check only what costs (almost) nothing: that
a vector is not empty and that linear's shapes agree. Plain numbers work too: linear and rmsnorm
compute with them directly (returning plain numbers), softmax turns them into Values first.
"""

from .errors import MicrogptError, NotANumber
from .limits import shown
from .value import Value


class EmptyVector(MicrogptError, ValueError):
    """softmax or rmsnorm of an empty list: there is nothing to normalise. Used in lesson 03."""


class ShapeMismatch(MicrogptError, ValueError):
    """linear(x, w) whose rows of w are not as long as x. Used in lesson 03."""


def linear(x, w):
    """Matrix times vector: one output per row of `w`, the dot product of that row with `x`. Built in lesson 03."""
    try:  # one length check per call: zip would silently drop the numbers that do not pair up
        fits = len(w) == 0 or len(w[0]) == len(x)
    except (TypeError, IndexError, KeyError):
        fits = False
    if not fits:
        raise ShapeMismatch(f"linear(x, w) wants w as a list of rows, each as long as x ({_length(x)} numbers); "
                            f"got w = {shown(w, 50)}")
    # sum() starts from the integer 0 and adds left to right, the reference's order
    return [sum(wi * xi for wi, xi in zip(row, x)) for row in w]


def softmax(logits):
    """Turn scores into probabilities that are positive and add up to 1. Built in lesson 03.

    Plain numbers are turned into Values first, so the result is always a list of Values.
    """
    try:
        max_val = max(val.data for val in logits)
        if not isinstance(max_val, (int, float)):  # e.g. a NumPy number's .data, which is its bytes
            raise TypeError
    except (AttributeError, ValueError, TypeError):  # plain numbers, or an empty list: the slow path
        logits = _as_values(logits, "softmax")
        max_val = max(val.data for val in logits)
    # Subtracting the largest score changes nothing mathematically (it cancels in the division)
    # but keeps exp() from overflowing when a score is large.
    exps = [(val - max_val).exp() for val in logits]
    total = sum(exps)
    return [e / total for e in exps]


def rmsnorm(x):
    """Rescale a vector so that its root-mean-square is 1 (no mean subtraction, no learned gain). Built in lesson 03."""
    try:
        n = len(x)
    except TypeError:
        raise NotANumber(f"rmsnorm wants a list of numbers, got {shown(x)}") from None
    if not n:
        raise EmptyVector("rmsnorm needs at least one number, got an empty list")
    try:
        ms = sum(xi * xi for xi in x) / n
    except TypeError as err:  # e.g. a list of strings; a Value's own errors already say what is wrong
        if isinstance(err, MicrogptError):
            raise
        raise NotANumber(f"rmsnorm wants a list of numbers, got {shown(x)}") from None
    scale = (ms + 1e-5) ** -0.5  # the small 1e-5 keeps a zero vector from dividing by zero
    return [xi * scale for xi in x]


def _as_values(numbers, what):
    """A non-empty list of Values (plain numbers wrapped), or a course error naming `what` needed it."""
    if isinstance(numbers, (str, bytes)) or not hasattr(numbers, "__iter__"):
        raise NotANumber(f"{what} wants a list of numbers, got {shown(numbers)}")
    numbers = list(numbers)
    if not numbers:
        raise EmptyVector(f"{what} needs at least one number, got an empty list")
    return [v if hasattr(v, "grad") else Value(v) for v in numbers]  # Value() refuses what is not a number


def _length(seq):
    """len(seq), or '?' when it has none (for messages only)."""
    try:
        return len(seq)
    except TypeError:
        return "?"
