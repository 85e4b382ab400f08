"""Checks for lesson 03: building blocks."""

import math

from .. import nn
from ..i18n import N_, _, tr
from ..value import Value
from .common import (
    add_hints,
    as_numbers,
    call,
    close,
    exercise,
    expect_number,
    expect_numbers,
    fail,
    ok,
    same_numbers,
    show,
    to_values,
    value_data,
)

__all__ = ["check_cross_entropy", "check_linear", "check_rmsnorm", "check_sgd_step", "check_softmax",
           "check_stable_softmax"]


def _outputs(got, n, what):
    """The .data of the learner's list of `n` Values (one number per output)."""
    return as_numbers(got, n, what, nested=_("Each output is ONE number, the sum of the products: add them up "
                                             "with sum()."))


@exercise("03-linear")
def check_linear(linear):
    """linear(x, w) must be w times x: one output per row of w, the dot product of that row with x (lesson 03)."""
    w_numbers = [[1, 2, 3], [4, 5, 6], [7, 8, 10]]
    x, w = to_values([1, -1, 2]), [to_values(row) for row in w_numbers]
    want = [v.data for v in nn.linear(x, w)]
    what = f"linear(x={show([1, -1, 2])}, w={w_numbers})"
    got = _outputs(call(linear, x, w), 3, what)
    running = [sum(want[:i + 1]) for i in range(len(want))]
    mistakes = [
        ([v.data for v in nn.linear(x, [list(col) for col in zip(*w)])],
         _("You multiplied by the transpose of w: output i is the dot product of ROW i of w with x, not of "
           "column i.")),
        ([sum(row) * sum([1, -1, 2]) for row in w_numbers],
         _("You multiplied every weight of a row by EVERY entry of x (two `for`s in one generator). Pair them "
           "up instead, the first weight with the first entry and so on (zip).")),
        (running, _("Each output is the running total of all the rows so far: start the total again at 0 for "
                    "every row (set it to 0 inside the loop over the rows, not before it).")),
        ([-v for v in want], _("Every output has the wrong sign: add the products, do not subtract them.")),
    ]
    expect_numbers(got, want, tr("{what} gave", what=what), mistakes,
                   _("Output i is the sum over j of w[i][j] * x[j]."))
    x, w = to_values([0.5, -2.0, 3.0]), [to_values([1, 0, 2]), to_values([-1, 1, 0.5])]
    got = _outputs(call(linear, x, w), 2, _("linear(x, w) for a 2 x 3 w (2 outputs, 3 inputs)"))
    expect_numbers(got, [v.data for v in nn.linear(x, w)],
                   tr("{what} gave", what="linear(x=[0.5, -2, 3], w=[[1, 0, 2], [-1, 1, 0.5]])"),
                   otherwise=_("One output per row of w (2 here), each the dot product of that row with x."))
    out = call(linear, x, w)
    sum(out).backward()
    if [xi.grad for xi in x] != [0.0, 1.0, 2.5]:
        fail(_("linear(x, w) gives the right numbers, but the gradients do not reach x."),
             _("Compute with the Values themselves (not their .data), so backward() can go through."))
    ok(_("linear(x, w) = [w[i] . x for each row i], and gradients flow back to x"))


def _check_softmax_small(softmax, name):
    """Compare a softmax with the package's on small logits; name the usual slips."""
    numbers = [1.0, 2.0, 0.5, -1.0]
    logits = to_values(numbers)
    want = [p.data for p in nn.softmax(to_values(numbers))]
    what = f"{name}({show(numbers)})"
    got = as_numbers(call(softmax, logits), 4, what)
    exps = [math.exp(x) for x in numbers]
    total = sum(got)
    mistakes = [
        (exps, _("These are just the exponentials: divide each by their total, so the probabilities add up to "
                 "1.")),
        ([x / sum(numbers) for x in numbers], _("You divided the logits by their sum. Take exp() first (it makes "
                                                "every score positive), then divide by the total of the "
                                                "exponentials.")),
    ]
    if not close(total, 1.0, 1e-9) and all(close(g / total, w, 1e-9) for g, w in zip(got, want)):
        mistakes.append((got, tr("Your numbers are in the right proportions, but they add up to {total:.6g}, not "
                                 "1: divide every exponential by the total of ALL the exponentials.", total=total)))
    expect_numbers(got, want, tr("{what} gave", what=what), mistakes,
                   _("Take exp() of every logit, then divide each by the total of the exponentials."))
    probs = call(softmax, logits)
    probs[0].log().backward()  # d log p0 / d logit_j = 1[j == 0] - p_j
    grads = [lg.grad for lg in logits]
    if not same_numbers(grads, [(j == 0) - p for j, p in enumerate(want)], 1e-9):
        fail(tr("{what} gives the right numbers, but its gradients are wrong ({grads}).", what=what,
                grads=show(grads)),
             _("You computed on plain numbers (math.exp on .data), so backward() cannot go through: use the "
               "Values' own .exp(), + and /."))


@exercise("03-softmax")
def check_softmax(softmax):
    """softmax(logits) must be exp(l) / total of the exps, on Values (lesson 03)."""
    _check_softmax_small(softmax, "softmax")
    ok(_("softmax([1, 2, 0.5, -1]) matches microgpt.softmax: positive, adds up to 1, gradients flow"))


@exercise("03-stable-softmax")
def check_stable_softmax(softmax):
    """stable_softmax(logits) must subtract the largest logit before exp, so big logits do not overflow (lesson 03)."""
    _check_softmax_small(softmax, "stable_softmax")
    overflow = _("exp() of a number above about 709 is too big for a float. Subtract the LARGEST logit (as a "
                 "plain number) from every logit first (not the smallest, not the mean): then the biggest "
                 "exponent is exp(0) = 1 and nothing can overflow.")
    for numbers in ([1000.0, 1001.0, 1002.0], [-1000.0, 0.0, 1000.0], [-5.0, 800.0, 799.0]):
        what = f"stable_softmax({numbers})"
        got = as_numbers(call(softmax, to_values(numbers), errors={OverflowError: overflow}), 3, what)
        want = [p.data for p in nn.softmax(to_values(numbers))]
        hint = overflow if any(math.isnan(g) or math.isinf(g) for g in got) else None
        expect_numbers(got, want, tr("{what} gave", what=what), otherwise=hint, tol=1e-9)
    ok(_("stable_softmax([1000, 1001, 1002]) = [0.0900, 0.2447, 0.6652], no overflow"))


@exercise("03-rmsnorm")
def check_rmsnorm(rmsnorm):
    """rmsnorm(x) must be x * (mean(x**2) + 1e-5) ** -0.5, as microgpt.rmsnorm (lesson 03)."""
    numbers = [1.0, -2.0, 3.0, 0.5]
    want = [v.data for v in nn.rmsnorm(to_values(numbers))]
    zero_division = _("Something was 0 where you divided: add 1e-5 to the mean square before the root.")
    got = as_numbers(call(rmsnorm, to_values(numbers), errors={ZeroDivisionError: zero_division}), 4,
                     f"rmsnorm({show(numbers)})")
    n, squares, mean = len(numbers), sum(v * v for v in numbers), sum(numbers) / len(numbers)
    var = sum((v - mean) ** 2 for v in numbers) / n
    mistakes = [
        ([v * (squares / n) ** -0.5 for v in numbers],
         _("You left out the 1e-5: add it to the mean square before the root. It changes the numbers only a "
           "little, but it keeps a vector of zeros from dividing by zero.")),
        ([v * (squares + 1e-5) ** -0.5 for v in numbers],
         _("You used the SUM of the squares; rmsnorm uses their MEAN (divide the sum by the length of x).")),
        ([v * (squares / n + 1e-5) ** -1 for v in numbers],
         _("You divided by the mean square itself; divide by its square ROOT (the exponent is -0.5).")),
        ([v * (squares / n + 1e-5) ** 0.5 for v in numbers],
         _("You multiplied by the root mean square; DIVIDE by it: the exponent is -0.5, not 0.5.")),
        ([(v - mean) * (var + 1e-5) ** -0.5 for v in numbers],
         _("That is layer norm: rmsnorm does not subtract the mean, it only rescales x.")),
    ]
    expect_numbers(got, want, tr("{what} gave", what=f"rmsnorm({show(numbers)})"), mistakes,
                   _("Multiply every entry by (mean of the squares + 1e-5) ** -0.5."), tol=1e-9)
    zeros = as_numbers(call(rmsnorm, to_values([0, 0, 0]), errors={ZeroDivisionError: zero_division}), 3,
                       "rmsnorm([0, 0, 0])")
    expect_numbers(zeros, [0.0, 0.0, 0.0], tr("{what} gave", what="rmsnorm([0, 0, 0])"),
                   otherwise=_("A vector of zeros must stay zeros."))
    x = to_values(numbers)
    sum(call(rmsnorm, x)).backward()
    ref = to_values(numbers)
    sum(nn.rmsnorm(ref)).backward()
    if not same_numbers([v.grad for v in x], [v.grad for v in ref], 1e-9):
        fail(tr("rmsnorm({numbers}) gives the right numbers but the wrong gradients.", numbers=show(numbers)),
             _("Compute the scale from the Values themselves (not their .data), because the scale depends on x "
               "too."))
    ok(_("rmsnorm matches microgpt.rmsnorm: the output's root-mean-square is 1 (almost: the 1e-5)"))


@exercise("03-xent", needs=[("stable_softmax", check_stable_softmax), ("softmax", check_softmax)])
def check_cross_entropy(cross_entropy):
    """cross_entropy(logits, target) must be -log(softmax(logits)[target]), a Value (lesson 03)."""
    numbers, target = [2.0, 1.0, 0.1], 0
    probs = [p.data for p in nn.softmax(to_values(numbers))]
    want = -math.log(probs[target])
    logits = to_values(numbers)
    loss = call(cross_entropy, logits, target)
    what = f"cross_entropy({numbers}, target={target})"
    got = value_data(loss, what)
    expect_number(got, want, what, [
        (-want, _("It is negative, the sign is wrong: log p is <= 0 for a probability, so the loss is MINUS "
                  "log p.")),
        (-probs[target], _("Take the log: the loss is -log(p), not -p.")),
        (probs[target], _("That is the probability itself; the loss is -log of it.")),
        (1 - probs[target], _("1 - p also falls as p rises, but the loss is -log(p): it punishes a confident "
                              "wrong answer without limit.")),
        (-math.log(probs[1]), _("You took the probability of the wrong token: pick the target's probability.")),
        (-sum(math.log(p) for p in probs), _("Only the target's probability counts, not all of them.")),
    ], otherwise=_("The loss is -log of softmax(logits)[target]."))
    loss.backward()
    grads = [lg.grad for lg in logits]
    expected = [p - (i == target) for i, p in enumerate(probs)]
    if not same_numbers(grads, expected, 1e-9):
        fail(tr("{what} is right, but the gradients on the logits are {grads}, expected {expected} (p - 1 for the "
                "target, p for the others).", what=what, grads=show(grads), expected=show(expected)),
             _("Build the loss from Values, not from their .data."))
    uniform = value_data(call(cross_entropy, to_values([0.0] * 27), 5), _("cross_entropy of 27 equal logits"))
    expect_number(uniform, math.log(27), "cross_entropy([0.0] * 27, target=5)",
                  otherwise=_("27 equal logits give every token 1/27, and -log(1/27) = ln 27 = 3.2958."))
    ok(tr("cross-entropy = -log p(target): {want:.4f} here, ln 27 = 3.2958 for a uniform guess over 27 tokens",
          want=want))


@exercise("03-sgd")
def check_sgd_step(sgd_step):
    """sgd_step(params, lr) must move each p.data by -lr * p.grad, in place, and then zero p.grad (lesson 03)."""
    params = [Value(1.0), Value(-2.0), Value(0.5)]
    for p, g in zip(params, [0.5, -1.0, 0.0]):
        p.grad = g
    call(sgd_step, params, 0.1)
    got, want = [p.data for p in params], [0.95, -1.9, 0.5]
    grads = [p.grad for p in params]
    what = _("sgd_step on parameters with data [1.0, -2.0, 0.5] and grads [0.5, -1.0, 0.0], lr 0.1,")
    if not same_numbers(got, want):
        if got == [1.0, -2.0, 0.5] and grads == [0, 0, 0]:
            fail(tr("{what} left the data unchanged and the grads at 0.", what=what),
                 _("You set the gradient to 0 BEFORE the update, so the update moved each parameter by lr * 0. "
                   "Zero the gradient after moving p.data."))
        expect_numbers(got, want, tr("{what} gave the data", what=what), [
            ([1.05, -2.1, 0.5], _("The parameters went UP the gradient, a sign error: to make the loss smaller, "
                                  "step AGAINST the gradient (subtract lr times it).")),
            ([1.0, -2.0, 0.5], _("The parameters did not change. Change each p.data in place (with -=); "
                                 "`p = ...` only gives the loop variable a new value and leaves the parameter "
                                 "alone.")),
        ], _("Subtract lr times the gradient from each p.data."))
    if grads != [0, 0, 0]:
        fail(tr("{what} moved the data correctly, but the gradients are still {grads}.", what=what, grads=grads),
             _("Set each p.grad back to 0 after its update, because the next backward() ADDS into grad."))
    ok(_("every parameter moved against its gradient by lr * grad, then its grad was set back to 0"))


HINTS = {
    "03-linear": (
        N_("Each output is one row of w combined with x: multiply them entry by entry and add the products up."),
        N_("out[i] = sum over j of w[i][j] * x[j], one output per row i of w."),
        N_("return [sum(wi * xi for wi, xi in zip(row, x)) for row in ...]: one sum per row, not one list."),
    ),
    "03-softmax": (
        N_("Turn scores into probabilities: make every score positive with exp, then share out 1 in proportion."),
        N_("p_i = exp(l_i) / (exp(l_1) + ... + exp(l_n)), computed on Values so gradients flow."),
        N_("exps = [l.exp() for l in logits]; total = sum(exps); return [e / total for e in ...]"),
    ),
    "03-stable-softmax": (
        N_("Shifting every logit by the same amount does not change the softmax, but it can keep exp() small."),
        N_("p_i = exp(l_i - m) / sum_j exp(l_j - m), with m = the LARGEST logit (as a plain number)."),
        N_("m = max(l.data for l in logits); exps = [(l - m).exp() for l in logits]; then divide by their total."),
    ),
    "03-rmsnorm": (
        N_("Rescale the vector so that its root-mean-square is 1, without shifting it."),
        N_("scale = (mean of x_i**2 + 1e-5) ** -0.5; out_i = x_i * scale."),
        N_("ms = sum(xi * xi for xi in x) / len(x); scale = (...) ** -0.5; return [xi * scale for xi in x]"),
    ),
    "03-xent": (
        N_("The loss is how surprised the model is by the right answer: small when it gave the target a high "
           "probability."),
        N_("loss = -log(p[target]), with p = softmax(logits)."),
        N_("probs = stable_softmax(logits); return -(probs[...]).log()"),
    ),
    "03-sgd": (
        N_("Move every parameter a small step downhill, against its gradient, then clear the gradient for the "
           "next backward()."),
        N_("p.data <- p.data - lr * p.grad; then p.grad <- 0."),
        N_("for p in params: change p.data in place (-=), then set p.grad to 0 (after the update)."),
    ),
}
add_hints(HINTS)
