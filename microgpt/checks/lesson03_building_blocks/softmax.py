"""Checks of lesson 03: softmax, its stable form, and cross-entropy (03-softmax, 03-stable-softmax, 03-xent)."""

import math

from ... import nn
from ...i18n import N_, _, tr
from ..exercise import Edit, exercise
from ..failure import MATH_EXP_MATH_LOG, call, fail, ok
from ..numbers import as_numbers, close, expect_number, expect_numbers, same_numbers, show, to_values, value_data

THESE_JUST_EXPONENTIALS_DIVIDE = N_(
    "These are just the exponentials: divide each by their total, so the probabilities add up to "
    "1.")
DIVIDED_LOGITS_THEIR_SUM = N_(
    "You divided the logits by their sum. Take exp() first (it makes "
    "every score positive), then divide by the total of the "
    "exponentials.")
COMPUTED_PLAIN_NUMBERS_MATH = N_(
    "You computed on plain numbers (math.exp on .data), so backward() cannot go through: use the "
    "Values' own .exp(), + and /.")
NUMBERS_RIGHT_PROPORTIONS_BUT = N_(
    "Your numbers are in the right proportions, but they add up to {total:.6g}, not "
    "1: divide every exponential by the total of ALL the exponentials.")


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
        (exps, _(THESE_JUST_EXPONENTIALS_DIVIDE)),
        ([x / sum(numbers) for x in numbers], _(DIVIDED_LOGITS_THEIR_SUM)),
    ]
    if not close(total, 1.0, 1e-9) and all(close(g / total, w, 1e-9) for g, w in zip(got, want)):
        mistakes.append((got, tr(NUMBERS_RIGHT_PROPORTIONS_BUT, total=total)))
    expect_numbers(got, want, tr("{what} gave", what=what), mistakes,
                   _("Take exp() of every logit, then divide each by the total of the exponentials."))
    probs = call(softmax, logits)
    probs[0].log().backward()  # d log p0 / d logit_j = 1[j == 0] - p_j
    grads = [lg.grad for lg in logits]
    if not same_numbers(grads, [(j == 0) - p for j, p in enumerate(want)], 1e-9):
        fail(tr("{what} gives the right numbers, but its gradients are wrong ({grads}).", what=what,
                grads=show(grads)),
             _(COMPUTED_PLAIN_NUMBERS_MATH))


@exercise(
    "03-softmax", stars=1, minutes=5,
    hints=(
        N_("Turn scores into probabilities: make every score positive with exp, then share out 1 in proportion."),
        N_("p_i = exp(l_i) / (exp(l_1) + ... + exp(l_n)), computed on Values so gradients flow."),
        N_("exps = [l.exp() for l in logits]; total = sum(exps); return [e / total for e in ...]"),
    ),
    wrong=[
        ("return [logit.exp() for logit in logits]", THESE_JUST_EXPONENTIALS_DIVIDE),
        ("total = sum(logits)\nreturn [logit / total for logit in logits]", DIVIDED_LOGITS_THEIR_SUM),
        ("exps = [math.exp(logit) for logit in logits]\n"
         "total = sum(exps)\n"
         "return [e / total for e in exps]",
         MATH_EXP_MATH_LOG),
        ("exps = [logit.exp() for logit in logits]\n"
         "total = sum(logits).exp()\n"
         "return [e / total for e in exps]",
         NUMBERS_RIGHT_PROPORTIONS_BUT),
        ("exps = [Value(math.exp(logit.data)) for logit in logits]\n"
         "total = sum(exps)\n"
         "return [e / total for e in exps]",
         COMPUTED_PLAIN_NUMBERS_MATH),
    ],
)
def check_softmax(softmax):
    """softmax(logits) must be exp(l) / total of the exps, on Values (lesson 03)."""
    _check_softmax_small(softmax, "softmax")
    ok(_("softmax([1, 2, 0.5, -1]) matches microgpt.softmax: positive, adds up to 1, gradients flow"))


EXP_NUMBER_ABOVE_ABOUT = N_(
    "exp() of a number above about 709 is too big for a float. Subtract the LARGEST logit (as a "
    "plain number) from every logit first (not the smallest, not the mean): then the biggest "
    "exponent is exp(0) = 1 and nothing can overflow.")


@exercise(
    "03-stable-softmax", stars=1, minutes=5,
    hints=(
        N_("Shifting every logit by the same amount does not change the softmax, but it can keep exp() small."),
        N_("p_i = exp(l_i - m) / sum_j exp(l_j - m), with m = the LARGEST logit (as a plain number)."),
        N_("m = max(l.data for l in logits); exps = [(l - m).exp() for l in logits]; then divide by their total."),
    ),
    wrong=[
        ("exps = [logit.exp() for logit in logits]\n"
         "total = sum(exps)\n"
         "return [e / total for e in exps]",
         EXP_NUMBER_ABOVE_ABOUT),
        (Edit("max_val = max(logit.data for logit in logits)\n"
              "exps = [(logit - max_val).exp() for logit in logits]",
              "min_val = min(logit.data for logit in logits)\n"
              "exps = [(logit - min_val).exp() for logit in logits]"),
         EXP_NUMBER_ABOVE_ABOUT),
        (Edit("max_val = max(logit.data for logit in logits)\n"
              "exps = [(logit - max_val).exp() for logit in logits]",
              "mean = sum(logit.data for logit in logits) / len(logits)\n"
              "exps = [(logit - mean).exp() for logit in logits]"),
         EXP_NUMBER_ABOVE_ABOUT),
    ],
)
def check_stable_softmax(stable_softmax):
    """stable_softmax(logits) must subtract the largest logit before exp, so big logits do not overflow (lesson 03)."""
    _check_softmax_small(stable_softmax, "stable_softmax")
    overflow = _(EXP_NUMBER_ABOVE_ABOUT)
    for numbers in ([1000.0, 1001.0, 1002.0], [-1000.0, 0.0, 1000.0], [-5.0, 800.0, 799.0]):
        what = f"stable_softmax({numbers})"
        got = as_numbers(call(stable_softmax, to_values(numbers), errors={OverflowError: overflow}), 3, what)
        want = [p.data for p in nn.softmax(to_values(numbers))]
        hint = overflow if any(math.isnan(g) or math.isinf(g) for g in got) else None
        expect_numbers(got, want, tr("{what} gave", what=what), otherwise=hint, tol=1e-9)
    ok(_("stable_softmax([1000, 1001, 1002]) = [0.0900, 0.2447, 0.6652], no overflow"))


NEGATIVE_SIGN_WRONG_LOG = N_(
    "It is negative, the sign is wrong: log p is <= 0 for a probability, so the loss is MINUS "
    "log p.")
TAKE_LOG_LOSS_LOG = N_("Take the log: the loss is -log(p), not -p.")
P_ALSO_FALLS_P = N_(
    "1 - p also falls as p rises, but the loss is -log(p): it punishes a confident "
    "wrong answer without limit.")


@exercise(
    "03-xent", needs=[("stable_softmax", check_stable_softmax), ("softmax", check_softmax)], stars=1, minutes=5,
    hints=(
        N_("The loss is how surprised the model is by the right answer: small when it gave the target a high "
           "probability."),
        N_("loss = -log(p[target]), with p = softmax(logits)."),
        N_("probs = stable_softmax(logits); return -(probs[...]).log()"),
    ),
    wrong=[
        ("probs = stable_softmax(logits)\nreturn probs[target].log()", NEGATIVE_SIGN_WRONG_LOG),
        ("probs = stable_softmax(logits)\nreturn -probs[target]", TAKE_LOG_LOSS_LOG),
        ("probs = stable_softmax(logits)\nreturn 1 - probs[target]", P_ALSO_FALLS_P),
    ],
)
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
        (-want, _(NEGATIVE_SIGN_WRONG_LOG)),
        (-probs[target], _(TAKE_LOG_LOSS_LOG)),
        (probs[target], _("That is the probability itself; the loss is -log of it.")),
        (1 - probs[target], _(P_ALSO_FALLS_P)),
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
