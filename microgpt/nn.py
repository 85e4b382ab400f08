"""The three building blocks of the network, on lists of Values: linear, softmax, rmsnorm. Built in lesson 03.

Each is written exactly as the reference writes it (the built-in sum, the same order of operations),
because floating point addition is not associative: a different order gives different last digits,
and after a thousand training steps different digits become different names.

They run thousands of times a training step and check nothing: the model calls them with the vectors it
made itself. A notebook that calls `microgpt.linear`, `softmax` or `rmsnorm` goes through the front door
in microgpt.guards, which says in one line what is wrong with a bad argument (and lets plain numbers in).
"""


def linear(x, w):
    """Matrix times vector: one output per row of `w`, the dot product of that row with `x`. Built in lesson 03."""
    # sum() starts from the integer 0 and adds left to right, the reference's order
    return [sum(wi * xi for wi, xi in zip(row, x)) for row in w]  # (len(w),)


def softmax(logits):
    """Turn scores (Values) into probabilities that are positive and add up to 1. Built in lesson 03."""
    # Subtracting the largest score changes nothing mathematically (it cancels in the division)
    # but keeps exp() from overflowing when a score is large.
    max_val = max(val.data for val in logits)
    exps = [(val - max_val).exp() for val in logits]
    total = sum(exps)
    return [e / total for e in exps]  # (len(logits),), adds up to 1


def rmsnorm(x):
    """Rescale a vector so that its root-mean-square is 1 (no mean subtraction, no learned gain). Built in lesson 03."""
    ms = sum(xi * xi for xi in x) / len(x)
    scale = (ms + 1e-5) ** -0.5  # the small 1e-5 keeps a zero vector from dividing by zero
    return [xi * scale for xi in x]  # (len(x),)
