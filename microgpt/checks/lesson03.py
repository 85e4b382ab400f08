"""Checks for lesson 03: building blocks."""

import math

from .. import nn
from ..value import Value
from .common import (
    add_hints,
    call,
    close,
    exercise,
    fail,
    ok,
    same_numbers,
    show,
    to_values,
    value_data,
)

__all__ = ["check_cross_entropy", "check_linear", "check_rmsnorm", "check_sgd_step", "check_softmax",
           "check_stable_softmax"]


def _as_numbers(got, n, what):
    """The .data of a list of `n` Values, failing with a clear message when it is not one."""
    if not isinstance(got, list):
        fail(f"{what} should return a list of Values, but it returned a {type(got).__name__} ({got!r})")
    if len(got) != n:
        fail(f"{what} should return {n} numbers, but it returned {len(got)}: {got!r}")
    if any(isinstance(g, list) for g in got):
        fail(f"{what} returned a list of lists ({got[0]!r}, ...): each output is ONE number, the sum of "
              "the products; add them up with sum()")
    return [value_data(g, f"each output of {what}") for g in got]


@exercise("03-linear")
def check_linear(linear):
    """linear(x, w) must be w times x: one output per row of w, the dot product of that row with x."""
    w_numbers = [[1, 2, 3], [4, 5, 6], [7, 8, 10]]
    x, w = to_values([1, -1, 2]), [to_values(row) for row in w_numbers]
    want = [v.data for v in nn.linear(x, w)]
    got = _as_numbers(call(linear, x, w), 3, "linear(x, w) for a 3 x 3 w")
    if not same_numbers(got, want):
        transposed = [v.data for v in nn.linear(x, [list(col) for col in zip(*w)])]
        all_pairs = [sum(row) * sum([1, -1, 2]) for row in w_numbers]
        hint = ""
        if same_numbers(got, transposed):
            hint = (" You multiplied by the transpose of w: output i is the dot product of ROW i of w (w[i]) "
                    "with x, not of column i.")
        elif same_numbers(got, all_pairs):
            hint = (" You multiplied every weight of a row by EVERY entry of x (two `for`s in one generator). "
                    "Pair them up instead, the first weight with the first entry and so on: zip(row, x).")
        fail(f"linear(x={show([1, -1, 2])}, w={w_numbers}) gave {show(got)}, expected {show(want)}.{hint}")
    x, w = to_values([0.5, -2.0, 3.0]), [to_values([1, 0, 2]), to_values([-1, 1, 0.5])]
    got = _as_numbers(call(linear, x, w), 2, "linear(x, w) for a 2 x 3 w (2 outputs, 3 inputs)")
    if not same_numbers(got, [v.data for v in nn.linear(x, w)]):
        fail(f"for a 2 x 3 w you gave {show(got)}, expected {show([v.data for v in nn.linear(x, w)])}")
    out = call(linear, x, w)
    sum(out).backward()
    if [xi.grad for xi in x] != [0.0, 1.0, 2.5]:
        fail("the outputs are right but the gradients do not reach x: compute with the Values themselves "
              "(not their .data), so backward() can go through")
    ok("linear(x, w) = [w[i] . x for each row i], and gradients flow back to x")


def _check_softmax_small(softmax, name):
    """Compare a softmax with the package's on small logits; name the usual slips."""
    numbers = [1.0, 2.0, 0.5, -1.0]
    logits = to_values(numbers)
    want = [p.data for p in nn.softmax(to_values(numbers))]
    got = _as_numbers(call(softmax, logits), 4, f"{name}(logits)")
    if same_numbers(got, want):
        probs = call(softmax, logits)
        probs[0].log().backward()  # d log p0 / d logit_j = 1[j == 0] - p_j
        grads = [lg.grad for lg in logits]
        if not same_numbers(grads, [(j == 0) - p for j, p in enumerate(want)], 1e-9):
            fail(f"{name} gives the right numbers, but its gradients are wrong ({show(grads)}): compute with "
                  "Values (l.exp(), +, /), not with math.exp on .data, so backward() can go through")
        return
    exps = [math.exp(x) for x in numbers]
    if same_numbers(got, exps):
        fail(f"{name}({show(numbers)}) gave {show(got)}, which are just the exponentials: divide each by "
              "their total, so the probabilities add up to 1")
    if same_numbers(got, [x / sum(numbers) for x in numbers]):
        fail(f"{name}({show(numbers)}) gave {show(got)}: you divided the logits by their sum. Take exp() "
              "first (it makes every score positive), then divide by the total of the exponentials")
    fail(f"{name}({show(numbers)}) gave {show(got)} (total {sum(got):.6g}), expected {show(want)}")


@exercise("03-softmax")
def check_softmax(softmax):
    """softmax(logits) must be exp(l) / total of the exps, on Values."""
    _check_softmax_small(softmax, "softmax")
    ok("softmax([1, 2, 0.5, -1]) matches microgpt.softmax: positive, adds up to 1, gradients flow")


@exercise("03-stable-softmax")
def check_stable_softmax(softmax):
    """stable_softmax(logits) must subtract the largest logit before exp, so that big logits do not overflow."""
    _check_softmax_small(softmax, "stable_softmax")
    for numbers in ([1000.0, 1001.0, 1002.0], [-1000.0, 0.0, 1000.0], [-5.0, 800.0, 799.0]):
        try:
            got = _as_numbers(call(softmax, to_values(numbers)), 3, f"stable_softmax({numbers})")
        except OverflowError:
            fail(f"stable_softmax({numbers}) overflowed: exp() of a number above about 709 is too big for a "
                  "float. Subtract the LARGEST logit (max of the .data) from every logit first; then the "
                  "biggest exponent is exp(0) = 1 and nothing can overflow")
        want = [p.data for p in nn.softmax(to_values(numbers))]
        if not same_numbers(got, want, 1e-9):
            fail(f"stable_softmax({numbers}) gave {show(got)}, expected {show(want)}")
    ok("stable_softmax([1000, 1001, 1002]) = [0.0900, 0.2447, 0.6652], no overflow")


@exercise("03-rmsnorm")
def check_rmsnorm(rmsnorm):
    """rmsnorm(x) must be x * (mean(x**2) + 1e-5) ** -0.5, as microgpt.rmsnorm."""
    numbers = [1.0, -2.0, 3.0, 0.5]
    want = [v.data for v in nn.rmsnorm(to_values(numbers))]
    try:
        got = _as_numbers(call(rmsnorm, to_values(numbers)), 4, "rmsnorm(x)")
    except ZeroDivisionError:
        got = None
    if got is None or not same_numbers(got, want):
        n, squares, mean = len(numbers), sum(v * v for v in numbers), sum(numbers) / len(numbers)
        var = sum((v - mean) ** 2 for v in numbers) / n
        mistakes = [
            ([v * (squares / n) ** -0.5 for v in numbers],
             "You left out the 1e-5: add it to the mean square before the root, (ms + 1e-5) ** -0.5. It "
             "changes the numbers only a little, but it keeps a vector of zeros from dividing by zero."),
            ([v * (squares + 1e-5) ** -0.5 for v in numbers],
             "You used the SUM of the squares; rmsnorm uses their MEAN, sum / len(x)."),
            ([v * (squares / n + 1e-5) ** -1 for v in numbers],
             "You divided by the mean square itself; divide by its square ROOT: (ms + 1e-5) ** -0.5."),
            ([v * (squares / n + 1e-5) ** 0.5 for v in numbers],
             "You multiplied by the root mean square; DIVIDE by it: the exponent is -0.5, not 0.5."),
            ([(v - mean) * (var + 1e-5) ** -0.5 for v in numbers],
             "That is layer norm: rmsnorm does not subtract the mean, it only rescales x."),
        ]
        for wrong, hint in mistakes:
            if got is not None and same_numbers(got, wrong, 1e-9):
                fail(f"rmsnorm({show(numbers)}) gave {show(got)}, expected {show(want)}. {hint}")
        if got is not None:
            fail(f"rmsnorm({show(numbers)}) gave {show(got)}, expected {show(want)}")
    try:
        zeros = _as_numbers(call(rmsnorm, to_values([0, 0, 0])), 3, "rmsnorm([0, 0, 0])")
    except ZeroDivisionError:
        fail("rmsnorm([0, 0, 0]) divided by zero: add 1e-5 to the mean square before taking ** -0.5")
    if zeros != [0.0, 0.0, 0.0]:
        fail(f"rmsnorm([0, 0, 0]) should stay [0, 0, 0], got {zeros}")
    x = to_values(numbers)
    sum(call(rmsnorm, x)).backward()
    ref = to_values(numbers)
    sum(nn.rmsnorm(ref)).backward()
    if not same_numbers([v.grad for v in x], [v.grad for v in ref], 1e-9):
        fail("rmsnorm gives the right numbers but the wrong gradients: compute the scale from the Values "
              "themselves (not their .data), because the scale depends on x too")
    ok("rmsnorm matches microgpt.rmsnorm: the output's root-mean-square is 1 (almost: the 1e-5)")


@exercise("03-xent")
def check_cross_entropy(cross_entropy):
    """cross_entropy(logits, target) must be -log(softmax(logits)[target]), a Value."""
    numbers, target = [2.0, 1.0, 0.1], 0
    probs = [p.data for p in nn.softmax(to_values(numbers))]
    want = -math.log(probs[target])
    logits = to_values(numbers)
    loss = call(cross_entropy, logits, target)
    got = value_data(loss, "cross_entropy(logits, target)")
    what = f"cross_entropy({numbers}, target={target})"
    if not close(got, want):
        mistakes = [
            (-want, "It is negative: log p is <= 0 for a probability, so the loss is MINUS log p."),
            (-probs[target], "Take the log: the loss is -log(p), not -p."),
            (probs[target], "That is the probability itself; the loss is -log of it."),
            (1 - probs[target], "1 - p also falls as p rises, but the loss is -log(p): it punishes a "
                                "confident wrong answer without limit."),
            (-math.log(probs[1]), "You took the probability of the wrong token: index the probabilities "
                                  "with target, probs[target]."),
            (-sum(math.log(p) for p in probs), "Only the target's probability counts: -log(probs[target])."),
        ]
        for wrong, hint in mistakes:
            if close(got, wrong):
                fail(f"{what} is {got:.6g}, expected {want:.6g}. {hint}")
        fail(f"{what} is {got:.6g}, expected {want:.6g} (= -log of softmax(logits)[target])")
    loss.backward()
    grads = [lg.grad for lg in logits]
    expected = [p - (i == target) for i, p in enumerate(probs)]
    if not same_numbers(grads, expected, 1e-9):
        fail(f"{what} is right, but the gradients on the logits are {show(grads)}, expected "
              f"{show(expected)} (p - 1 for the target, p for the others): build it from Values")
    uniform = value_data(call(cross_entropy, to_values([0.0] * 27), 5), "cross_entropy of 27 equal logits")
    if not close(uniform, math.log(27)):
        fail(f"27 equal logits should give -log(1/27) = ln 27 = 3.2958, you gave {uniform:.6g}")
    ok(f"cross-entropy = -log p(target): {want:.4f} here, ln 27 = 3.2958 for a uniform guess over 27 tokens")


@exercise("03-sgd")
def check_sgd_step(sgd_step):
    """sgd_step(params, lr) must move each p.data by -lr * p.grad, in place, and then zero p.grad."""
    params = [Value(1.0), Value(-2.0), Value(0.5)]
    for p, g in zip(params, [0.5, -1.0, 0.0]):
        p.grad = g
    call(sgd_step, params, 0.1)
    got, want = [p.data for p in params], [0.95, -1.9, 0.5]
    if not same_numbers(got, want):
        if same_numbers(got, [1.05, -2.1, 0.5]):
            fail(f"the parameters went UP the gradient ({show(got)}, expected {show(want)}): to make the "
                  "loss smaller, step against it, p.data -= lr * p.grad")
        if got == [1.0, -2.0, 0.5]:
            fail("the parameters did not change. Change each p.data in place (p.data -= lr * p.grad); "
                  "`p = ...` only gives the loop variable a new value and leaves the parameter alone")
        fail(f"with grads [0.5, -1.0, 0.0] and lr 0.1 the data should become {show(want)}, got {show(got)}")
    if [p.grad for p in params] != [0, 0, 0]:
        fail(f"the data moved correctly, but the gradients are still {[p.grad for p in params]}: set "
              "p.grad = 0 after the update, because the next backward() ADDS into grad")
    ok("p.data -= lr * p.grad for every parameter, then p.grad = 0")


HINTS = {
    "03-linear": (
        "Each output is one row of w combined with x: multiply them entry by entry and add the products up.",
        "out[i] = sum over j of w[i][j] * x[j], one output per row i of w.",
        "return [sum(wi * xi for wi, xi in zip(row, x)) for row in ...]: one sum per row, not one list.",
    ),
    "03-softmax": (
        "Turn scores into probabilities: make every score positive with exp, then share out 1 in proportion.",
        "p_i = exp(l_i) / (exp(l_1) + ... + exp(l_n)), computed on Values so gradients flow.",
        "exps = [l.exp() for l in logits]; total = sum(exps); return [e / total for e in ...]",
    ),
    "03-stable-softmax": (
        "Shifting every logit by the same amount does not change the softmax, but it can keep exp() small.",
        "p_i = exp(l_i - m) / sum_j exp(l_j - m), with m = the LARGEST logit (as a plain number).",
        "m = max(l.data for l in logits); exps = [(l - m).exp() for l in logits]; then divide by their total.",
    ),
    "03-rmsnorm": (
        "Rescale the vector so that its root-mean-square is 1, without shifting it.",
        "scale = (mean of x_i**2 + 1e-5) ** -0.5; out_i = x_i * scale.",
        "ms = sum(xi * xi for xi in x) / len(x); scale = (...) ** -0.5; return [xi * scale for xi in x]",
    ),
    "03-xent": (
        "The loss is how surprised the model is by the right answer: small when it gave the target a high "
        "probability.",
        "loss = -log(p[target]), with p = softmax(logits).",
        "probs = stable_softmax(logits); return -(probs[...]).log()",
    ),
    "03-sgd": (
        "Move every parameter a small step downhill, against its gradient, then clear the gradient for the "
        "next backward().",
        "p.data <- p.data - lr * p.grad; then p.grad <- 0.",
        "for p in params: change p.data in place (-=), then set p.grad to 0 (after the update).",
    ),
}
add_hints(HINTS)
