"""Checks for lesson 03: building blocks."""

import math

from .. import nn
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
from .recap import check_recap

__all__ = ["check_cross_entropy", "check_linear", "check_recap_03", "check_rmsnorm", "check_sgd_step",
           "check_softmax", "check_stable_softmax", "check_train_tiny"]


def _outputs(got, n, what):
    """The .data of the learner's list of `n` Values (one number per output)."""
    return as_numbers(got, n, what, nested="Each output is ONE number, the sum of the products: add them up "
                                           "with sum().")


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
         "You multiplied by the transpose of w: output i is the dot product of ROW i of w with x, not of "
         "column i."),
        ([sum(row) * sum([1, -1, 2]) for row in w_numbers],
         "You multiplied every weight of a row by EVERY entry of x (two `for`s in one generator). Pair them "
         "up instead, the first weight with the first entry and so on (zip)."),
        (running, "Each output is the running total of all the rows so far: start the total again at 0 for "
                  "every row (set it to 0 inside the loop over the rows, not before it)."),
        ([-v for v in want], "Every output has the wrong sign: add the products, do not subtract them."),
    ]
    expect_numbers(got, want, f"{what} gave", mistakes, "Output i is the sum over j of w[i][j] * x[j].")
    x, w = to_values([0.5, -2.0, 3.0]), [to_values([1, 0, 2]), to_values([-1, 1, 0.5])]
    got = _outputs(call(linear, x, w), 2, "linear(x, w) for a 2 x 3 w (2 outputs, 3 inputs)")
    expect_numbers(got, [v.data for v in nn.linear(x, w)],
                   "linear(x=[0.5, -2, 3], w=[[1, 0, 2], [-1, 1, 0.5]]) gave",
                   otherwise="One output per row of w (2 here), each the dot product of that row with x.")
    out = call(linear, x, w)
    sum(out).backward()
    if [xi.grad for xi in x] != [0.0, 1.0, 2.5]:
        fail("linear(x, w) gives the right numbers, but the gradients do not reach x.",
             "Compute with the Values themselves (not their .data), so backward() can go through.")
    ok("linear(x, w) = [w[i] . x for each row i], and gradients flow back to x")


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
        (exps, "These are just the exponentials: divide each by their total, so the probabilities add up to 1."),
        ([x / sum(numbers) for x in numbers], "You divided the logits by their sum. Take exp() first (it makes "
                                              "every score positive), then divide by the total of the "
                                              "exponentials."),
    ]
    if not close(total, 1.0, 1e-9) and all(close(g / total, w, 1e-9) for g, w in zip(got, want)):
        mistakes.append((got, f"Your numbers are in the right proportions, but they add up to {total:.6g}, not "
                              "1: divide every exponential by the total of ALL the exponentials."))
    expect_numbers(got, want, f"{what} gave", mistakes,
                   "Take exp() of every logit, then divide each by the total of the exponentials.")
    probs = call(softmax, logits)
    probs[0].log().backward()  # d log p0 / d logit_j = 1[j == 0] - p_j
    grads = [lg.grad for lg in logits]
    if not same_numbers(grads, [(j == 0) - p for j, p in enumerate(want)], 1e-9):
        fail(f"{what} gives the right numbers, but its gradients are wrong ({show(grads)}).",
             "You computed on plain numbers (math.exp on .data), so backward() cannot go through: use the "
             "Values' own .exp(), + and /.")


@exercise("03-softmax")
def check_softmax(softmax):
    """softmax(logits) must be exp(l) / total of the exps, on Values (lesson 03)."""
    _check_softmax_small(softmax, "softmax")
    ok("softmax([1, 2, 0.5, -1]) matches microgpt.softmax: positive, adds up to 1, gradients flow")


@exercise("03-stable-softmax")
def check_stable_softmax(softmax):
    """stable_softmax(logits) must subtract the largest logit before exp, so big logits do not overflow (lesson 03)."""
    _check_softmax_small(softmax, "stable_softmax")
    overflow = ("exp() of a number above about 709 is too big for a float. Subtract the LARGEST logit (as a "
                "plain number) from every logit first (not the smallest, not the mean): then the biggest "
                "exponent is exp(0) = 1 and nothing can overflow.")
    for numbers in ([1000.0, 1001.0, 1002.0], [-1000.0, 0.0, 1000.0], [-5.0, 800.0, 799.0]):
        what = f"stable_softmax({numbers})"
        got = as_numbers(call(softmax, to_values(numbers), errors={OverflowError: overflow}), 3, what)
        want = [p.data for p in nn.softmax(to_values(numbers))]
        hint = overflow if any(math.isnan(g) or math.isinf(g) for g in got) else None
        expect_numbers(got, want, f"{what} gave", otherwise=hint, tol=1e-9)
    ok("stable_softmax([1000, 1001, 1002]) = [0.0900, 0.2447, 0.6652], no overflow")


@exercise("03-rmsnorm")
def check_rmsnorm(rmsnorm):
    """rmsnorm(x) must be x * (mean(x**2) + 1e-5) ** -0.5, as microgpt.rmsnorm (lesson 03)."""
    numbers = [1.0, -2.0, 3.0, 0.5]
    want = [v.data for v in nn.rmsnorm(to_values(numbers))]
    zero_division = "Something was 0 where you divided: add 1e-5 to the mean square before the root."
    got = as_numbers(call(rmsnorm, to_values(numbers), errors={ZeroDivisionError: zero_division}), 4,
                     f"rmsnorm({show(numbers)})")
    n, squares, mean = len(numbers), sum(v * v for v in numbers), sum(numbers) / len(numbers)
    var = sum((v - mean) ** 2 for v in numbers) / n
    mistakes = [
        ([v * (squares / n) ** -0.5 for v in numbers],
         "You left out the 1e-5: add it to the mean square before the root. It changes the numbers only a "
         "little, but it keeps a vector of zeros from dividing by zero."),
        ([v * (squares + 1e-5) ** -0.5 for v in numbers],
         "You used the SUM of the squares; rmsnorm uses their MEAN (divide the sum by the length of x)."),
        ([v * (squares / n + 1e-5) ** -1 for v in numbers],
         "You divided by the mean square itself; divide by its square ROOT (the exponent is -0.5)."),
        ([v * (squares / n + 1e-5) ** 0.5 for v in numbers],
         "You multiplied by the root mean square; DIVIDE by it: the exponent is -0.5, not 0.5."),
        ([(v - mean) * (var + 1e-5) ** -0.5 for v in numbers],
         "That is layer norm: rmsnorm does not subtract the mean, it only rescales x."),
    ]
    expect_numbers(got, want, f"rmsnorm({show(numbers)}) gave", mistakes,
                   "Multiply every entry by (mean of the squares + 1e-5) ** -0.5.", tol=1e-9)
    zeros = as_numbers(call(rmsnorm, to_values([0, 0, 0]), errors={ZeroDivisionError: zero_division}), 3,
                       "rmsnorm([0, 0, 0])")
    expect_numbers(zeros, [0.0, 0.0, 0.0], "rmsnorm([0, 0, 0]) gave",
                   otherwise="A vector of zeros must stay zeros.")
    x = to_values(numbers)
    sum(call(rmsnorm, x)).backward()
    ref = to_values(numbers)
    sum(nn.rmsnorm(ref)).backward()
    if not same_numbers([v.grad for v in x], [v.grad for v in ref], 1e-9):
        fail(f"rmsnorm({show(numbers)}) gives the right numbers but the wrong gradients.",
             "Compute the scale from the Values themselves (not their .data), because the scale depends on x too.")
    ok("rmsnorm matches microgpt.rmsnorm: the output's root-mean-square is 1 (almost: the 1e-5)")


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
        (-want, "It is negative, the sign is wrong: log p is <= 0 for a probability, so the loss is MINUS log p."),
        (-probs[target], "Take the log: the loss is -log(p), not -p."),
        (probs[target], "That is the probability itself; the loss is -log of it."),
        (1 - probs[target], "1 - p also falls as p rises, but the loss is -log(p): it punishes a confident "
                            "wrong answer without limit."),
        (-math.log(probs[1]), "You took the probability of the wrong token: pick the target's probability."),
        (-sum(math.log(p) for p in probs), "Only the target's probability counts, not all of them."),
    ], otherwise="The loss is -log of softmax(logits)[target].")
    loss.backward()
    grads = [lg.grad for lg in logits]
    expected = [p - (i == target) for i, p in enumerate(probs)]
    if not same_numbers(grads, expected, 1e-9):
        fail(f"{what} is right, but the gradients on the logits are {show(grads)}, expected {show(expected)} "
             "(p - 1 for the target, p for the others).", "Build the loss from Values, not from their .data.")
    uniform = value_data(call(cross_entropy, to_values([0.0] * 27), 5), "cross_entropy of 27 equal logits")
    expect_number(uniform, math.log(27), "cross_entropy([0.0] * 27, target=5)",
                  otherwise="27 equal logits give every token 1/27, and -log(1/27) = ln 27 = 3.2958.")
    ok(f"cross-entropy = -log p(target): {want:.4f} here, ln 27 = 3.2958 for a uniform guess over 27 tokens")


@exercise("03-sgd")
def check_sgd_step(sgd_step):
    """sgd_step(params, lr) must move each p.data by -lr * p.grad, in place, and then zero p.grad (lesson 03)."""
    params = [Value(1.0), Value(-2.0), Value(0.5)]
    for p, g in zip(params, [0.5, -1.0, 0.0]):
        p.grad = g
    call(sgd_step, params, 0.1)
    got, want = [p.data for p in params], [0.95, -1.9, 0.5]
    grads = [p.grad for p in params]
    what = "sgd_step on parameters with data [1.0, -2.0, 0.5] and grads [0.5, -1.0, 0.0], lr 0.1,"
    if not same_numbers(got, want):
        if got == [1.0, -2.0, 0.5] and grads == [0, 0, 0]:
            fail(f"{what} left the data unchanged and the grads at 0.",
                 "You set the gradient to 0 BEFORE the update, so the update moved each parameter by lr * 0. "
                 "Zero the gradient after moving p.data.")
        expect_numbers(got, want, f"{what} gave the data", [
            ([1.05, -2.1, 0.5], "The parameters went UP the gradient, a sign error: to make the loss smaller, "
                                "step AGAINST the gradient (subtract lr times it)."),
            ([1.0, -2.0, 0.5], "The parameters did not change. Change each p.data in place (with -=); "
                               "`p = ...` only gives the loop variable a new value and leaves the parameter alone."),
        ], "Subtract lr times the gradient from each p.data.")
    if grads != [0, 0, 0]:
        fail(f"{what} moved the data correctly, but the gradients are still {grads}.",
             "Set each p.grad back to 0 after its update, because the next backward() ADDS into grad.")
    ok("every parameter moved against its gradient by lr * grad, then its grad was set back to 0")


# --- the build: a tiny network trained from an empty cell ---

XOR_POINTS = [([1.0, 1.0], -1.0), ([-1.0, -1.0], -1.0), ([1.0, -1.0], 1.0), ([-1.0, 1.0], 1.0)]


def _tiny_run(points, steps, lr, seed, mistake=None):
    """The package's run of the lesson's 2-4-1 net: (losses, w1, w2); `mistake` replays a usual slip."""
    import random

    from ..model import mlp  # linear, relu, linear: the lesson's network
    from ..optim import SGD

    rng = random.Random(seed)
    draw = lambda rows, cols: [[Value(rng.gauss(0, 1)) for _ in range(cols)] for _ in range(rows)]  # noqa: E731
    if mistake == "w2 first":
        w2, w1 = draw(1, 4), draw(4, 2)
    else:
        w1, w2 = draw(4, 2), draw(1, 4)
    trained = w1 if mistake == "w1 only" else w1 + w2
    opt = SGD([p for row in trained for p in row], lr)
    losses = []
    for _ in range(steps):
        errors = [(mlp(x, w1, w2)[0] - y) ** 2 for x, y in points]
        loss = sum(errors) / (1 if mistake == "sum" else len(points))
        loss.backward()
        opt.step()
        losses.append(loss.data)
    return losses, w1, w2


def _tiny_result(got, steps, what):
    """The losses and weights of the learner's train_tiny, insisting on their shapes."""
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        fail(f"{what} should return three things, (losses, w1, w2), but it returned {type(got).__name__} "
             f"{str(got)[:80]}.", "End with `return losses, w1, w2`.")
    losses, w1, w2 = got
    if not isinstance(losses, list) or len(losses) != steps:
        fail(f"{what} returned {len(losses) if isinstance(losses, list) else type(losses).__name__} losses, "
             f"expected a list of {steps}, one per step.", "Append one loss to the list at every step.")
    if any(isinstance(v, Value) for v in losses):
        fail(f"{what} returned Values in its list of losses.", "Append the plain number of each loss, its .data.")
    shapes = [len(r) if isinstance(r, list) else None for r in (w1 if isinstance(w1, list) else [None])]
    if shapes != [2] * 4 or not isinstance(w2, list) or [len(r) for r in w2] != [4]:
        fail(f"{what} returned weights of the wrong shape (w1 with rows of {shapes}).",
             "w1 is 4 rows of 2 Values (4 hidden units, 2 inputs each) and w2 is 1 row of 4 Values.")
    return losses, [[value_data(p, "each weight") for p in row] for row in w1 + w2]


def _check_tiny_net(tiny_net):
    """tiny_net(x, w1, w2) must be the package's mlp(x, w1, w2)[0]: linear, relu, linear, one Value."""
    from ..model import mlp

    w1 = [to_values(row) for row in [[1.0, -1.0], [0.5, 2.0], [-1.0, -0.5], [2.0, 0.0]]]
    w2 = [to_values([1.0, -2.0, 0.5, 1.5])]
    for x in ([1.0, 1.0], [-1.0, 2.0], [0.5, -1.5]):
        what = f"tiny_net({x}, w1, w2) with w1 = [[1, -1], [0.5, 2], [-1, -0.5], [2, 0]] and w2 = [[1, -2, 0.5, 1.5]]"
        got = call(tiny_net, list(x), w1, w2)
        if isinstance(got, list) and len(got) == 1:
            fail(f"{what} returned a list of one Value.", "Return the output itself, one Value: take item [0] of "
                 "the last linear's list.")
        got = value_data(got, what)
        hidden = [sum(w * xi for w, xi in zip(row, x)) for row in [[1.0, -1.0], [0.5, 2.0], [-1.0, -0.5], [2.0, 0.0]]]
        expect_number(got, mlp(to_values(x), w1, w2)[0].data, what, [
            (sum(w * h for w, h in zip([1.0, -2.0, 0.5, 1.5], hidden)),
             "Without relu the two layers are one linear map: apply relu to each hidden unit."),
        ], otherwise="The output is linear(x, w1), relu on each of the 4 hidden units, then linear(..., w2), item 0.")


@exercise("03-build-train", needs=[("linear", check_linear), ("sgd_step", check_sgd_step)])
def check_train_tiny(tiny_net, train_tiny):
    """tiny_net must be linear, relu, linear; train_tiny must give the package's losses and weights (lesson 03)."""
    _check_tiny_net(tiny_net)
    other = [([0.5, 2.0], 1.0), ([-1.0, 0.5], -0.5), ([2.0, -1.0], 0.0)]
    for points, steps, lr, seed, name in [(XOR_POINTS, 60, 0.1, 1, "the four XOR points"),
                                          (XOR_POINTS, 20, 0.05, 0, "the four XOR points"),
                                          (other, 15, 0.02, 7, f"the points {other}")]:
        what = f"train_tiny(points, steps={steps}, lr={lr}, seed={seed}) on {name}"
        losses, weights = _tiny_result(call(train_tiny, [(list(x), y) for x, y in points], steps, lr, seed),
                                       steps, what)
        want, w1, w2 = _tiny_run(points, steps, lr, seed)
        if same_numbers(losses, want) and same_numbers(sum(weights, []), [p.data for row in w1 + w2 for p in row]):
            continue
        k = next((i for i, (a, b) in enumerate(zip(losses, want)) if not close(a, b, 1e-12)), steps)
        first = f"{what}: loss {k} is {losses[k]:.10g}, expected {want[k]:.10g}" if k < steps else \
            f"{what}: the losses are right but the returned weights are not the trained ones"
        if k == steps:
            fail(first + ".", "Return the very lists w1 and w2 that the steps trained.")
        for mistake, hint_text in [
            ("sum", "Your loss is 4 times too big: the loss is the MEAN of the squared errors (divide their sum "
                    "by the number of points)."),
            ("w2 first", "Draw the weights in the order the lesson says: first w1 (4 rows of 2, row by row), then "
                         "w2 (1 row of 4), all from one random.Random(seed)."),
            ("w1 only", "Only the first layer learns: give sgd_step every weight, those of w1 AND of w2."),
        ]:
            if same_numbers(losses, _tiny_run(points, steps, lr, seed, mistake)[0]):
                fail(first + ".", hint_text)
        if k == 0:
            fail(first + " (the very first loss, before any update).",
                 "Check the start: weights from random.Random(seed).gauss(0, 1), w1 then w2; the output of a point "
                 "is linear, relu on each hidden unit, linear; the loss is the mean of (output - y) ** 2.")
        fail(first + f" (losses 0 to {k - 1} were right, so the start is right and an update is wrong).",
             "At every step: a fresh loss from the current weights, loss.backward(), then sgd_step(params, lr) "
             "with all 12 weights; no other change to the weights or their gradients.")
    ok("tiny_net is the package's network, and train_tiny gives its losses and weights (to 1e-12) for three runs, "
       "seeds 1, 0 and 7")


# --- the recap ---

RECAP_03 = {  # question: (answer, tolerance or None for a letter, the section to reread)
    1: (0.75, 0.005, "`softmax`: from scores to probabilities"),
    2: (1.0, 0.005, "`rmsnorm`: keeping the numbers a sensible size"),
    3: (math.log(4), 0.005, "Cross-entropy: the loss is `-log p`"),
    4: (-0.75, 0.005, "The gradient of cross-entropy on the logits"),
    5: ("b", None, "When training gets stuck"),
    6: (math.exp(-2), 0.005, "Cross-entropy: the loss is `-log p`"),
}


@exercise("03-recap")
def check_recap_03(answers):
    """The recap of lesson 03: a dict {question number: answer} (lesson 03)."""
    check_recap(answers, RECAP_03, "03")


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
    "03-build-train": (
        "tiny_net is the forward pass of one point. train_tiny has three parts: make the weights (w1 then w2, "
        "from one random.Random(seed)); then, at every step, the loss, backward(), and an update; collect the "
        "losses as plain numbers.",
        "tiny_net(x, w1, w2) = linear([relu of each entry of linear(x, w1)], w2)[0]; loss = mean over the points of "
        "(output(x) - y) ** 2; then loss.backward() and sgd_step over all 12 weights.",
        "rng = random.Random(seed); w1 = [[Value(rng.gauss(0, 1)) for _ in range(2)] for _ in range(4)]; w2 likewise "
        "(1 row of 4); params = every weight of w1 + w2; for each step: loss = sum((tiny_net(x, w1, w2) - y) ** 2 "
        "for x, y in points) / ...; loss.backward(); "
        "sgd_step(params, lr); losses.append(...); finally return losses, w1, w2",
    ),
    "03-recap": (
        "Each question has a number or a letter as its answer: work it out by hand, or with a line of code in a "
        "new cell.",
        "The check names the section to reread for a wrong answer; numbers to 2 or 3 decimals are enough.",
        "answers = {1: <a number>, 2: <a number>, 3: <a number>, 4: <a number>, 5: \"<a letter>\", 6: <a number>}",
    ),
}
add_hints(HINTS)
