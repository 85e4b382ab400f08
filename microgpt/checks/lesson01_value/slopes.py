"""Checks of lesson 01: the local derivatives of *, **, exp, log and relu, and the chain rule through a / b.

Exercises 01-mul, 01-pow, 01-exp, 01-log, 01-relu, 01-div.
"""

import math

from ...i18n import N_, _, tr
from ...value import Value
from ..exercise import exercise
from ..failure import call, fail, ok
from ..numbers import expect_number, expect_numbers, show

RETURN_PLAIN_NUMBERS_DATA = N_(
    "Return plain numbers (the .data of what you chose), not the Values themselves: the local "
    "derivatives are numbers fixed when the node is made.")
TWO_SWAPPED_NUDGE_MULTIPLIED = N_(
    "The two are swapped: a nudge of a is multiplied by b, so d(a*b)/da is the number inside b, "
    "and d(a*b)/db is the number inside a.")
LOCAL_DERIVATIVES_B_B = N_(
    "(1, 1) are the local derivatives of a + b; for a * b a nudge of a is multiplied by b, so the "
    "slope with respect to a is the number inside b (and the other way round).")


@exercise(
    "01-mul", stars=1, minutes=3,
    hints=(
        N_("The local derivative says how much a * b moves when a moves by 1, with b held fixed (and the other "
           "way round)."),
        N_("d(a*b)/da = b and d(a*b)/db = a, as plain numbers."),
        N_("return (<the number inside b>, <the number inside a>): each is a Value's .data."),
    ),
    wrong=[
        ("return (a.data, b.data)", TWO_SWAPPED_NUDGE_MULTIPLIED),
        ("return (1, 1)", LOCAL_DERIVATIVES_B_B),
        ("return (b, a)", RETURN_PLAIN_NUMBERS_DATA),
    ],
)
def check_mul_local_grads(mul_local_grads):
    """mul_local_grads(a, b) must return the pair of plain numbers d(a*b)/da, d(a*b)/db. Used in lesson 01."""
    a, b = Value(2.0), Value(-3.0)
    got = call(mul_local_grads, a, b)
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        fail(tr("mul_local_grads(Value(2.0), Value(-3.0)) should return a pair (d/da, d/db), but it returned "
                "{got!r}.", got=got),
             _("Return two numbers, like (1, 1) for +."))
    if any(isinstance(g, Value) for g in got):
        fail(tr("mul_local_grads(Value(2.0), Value(-3.0)) returned Values ({first!r}, {second!r}).", first=got[0],
                second=got[1]),
             _(RETURN_PLAIN_NUMBERS_DATA))
    if list(got) == [a.data, b.data]:
        fail(_("mul_local_grads(Value(2.0), Value(-3.0)) returned (2.0, -3.0), expected (-3.0, 2.0)."),
             _(TWO_SWAPPED_NUDGE_MULTIPLIED))
    if list(got) == [1, 1]:
        fail(_("mul_local_grads(Value(2.0), Value(-3.0)) returned (1, 1), expected (-3.0, 2.0)."),
             _(LOCAL_DERIVATIVES_B_B))
    expect_number(got[0], -3.0, _("d(a*b)/da for a=2, b=-3"))
    expect_number(got[1], 2.0, _("d(a*b)/db for a=2, b=-3"))
    ok(_("d(a*b)/da = b = -3.0 and d(a*b)/db = a = 2.0"))


FORGOT_FACTOR_K_FRONT = N_("You forgot the factor k in front: d(a**k)/da = k * a**(k - 1).")
POWER_GOES_DOWN_K = N_("The power goes down by one: k * a**(k - 1), not k * a**k.")
BINDS_TIGHTER_THAN_PUT = N_("** binds tighter than -: put the new exponent k - 1 in parentheses.")


@exercise(
    "01-pow", stars=1, minutes=3,
    hints=(
        N_("The power rule: bring the exponent down in front, and lower the exponent by one."),
        N_("d(a**k)/da = k * a**(k - 1)."),
        N_("return k * <the number inside a> ** (...): the new exponent needs parentheses."),
    ),
    wrong=[
        ("return a.data ** (k - 1)", FORGOT_FACTOR_K_FRONT),
        ("return k * a.data ** k - 1", BINDS_TIGHTER_THAN_PUT),
        ("return k * a.data ** k", POWER_GOES_DOWN_K),
    ],
)
def check_pow_local(pow_local):
    """pow_local(a, k) must be the slope of a**k: k * a**(k - 1). Used in lesson 01."""
    for x, k in [(3.0, 2), (2.0, 3), (2.0, -1), (4.0, 0.5)]:
        got = call(pow_local, Value(x), k)
        expect_number(got, k * x ** (k - 1), f"pow_local(Value({x}), {k})", [
            (x ** (k - 1), _(FORGOT_FACTOR_K_FRONT)),
            (k * x**k, _(POWER_GOES_DOWN_K)),
            (k * x**k - 1, _(BINDS_TIGHTER_THAN_PUT)),
            (x**k, _("That is the forward value a**k, not its slope k * a**(k - 1).")),
            ((k - 1) * x**k, _("Bring the old exponent k down in front, then lower it by one: k * a**(k - 1).")),
        ])
    ok(_("d(a**k)/da = k * a**(k-1): 6.0 for a=3, k=2 and -0.25 for a=2, k=-1"))


POWER_RULE_FIXED_EXPONENT = N_(
    "The power rule is for a fixed exponent (a**k); here the exponent is the "
    "variable. e**a is its own derivative: the slope is e**a again (math.exp "
    "of the number in a).")
ITSELF_DERIVATIVE_AGAIN_MATH = N_(
    "That is a itself; the derivative of e**a is e**a again (math.exp of the number in a).")


@exercise(
    "01-exp", stars=1, minutes=2,
    hints=(
        N_("e**a is the function that is its own slope."),
        N_("d(e**a)/da = e**a."),
        N_("return math.exp(<the number inside a>)."),
    ),
    wrong=[
        ("return a.data * math.exp(a.data - 1)", POWER_RULE_FIXED_EXPONENT),
        ("return a.data", ITSELF_DERIVATIVE_AGAIN_MATH),
    ],
)
def check_exp_local(exp_local):
    """exp_local(a) must be the slope of e**a, which is e**a itself. Used in lesson 01."""
    for x in [2.0, 0.0, -1.0, 0.5]:
        got = call(exp_local, Value(x))
        expect_number(got, math.exp(x), f"exp_local(Value({x}))", [
            (x * math.exp(x - 1), _(POWER_RULE_FIXED_EXPONENT)),
            (x, _(ITSELF_DERIVATIVE_AGAIN_MATH)),
            (1.0, _("The slope of e**a is not constant: it equals e**a (math.exp of the number in a).")),
        ])
    ok(_("d(e**a)/da = e**a: 1.0 at a=0, 7.3891 at a=2"))


FORWARD_VALUE_LOG_SLOPE = N_("That is the forward value log(a); its slope is 1 / a (with a's number).")
SLOPE_LOG_LOG = N_("The slope of log(a) is 1 / a, not 1 / log(a).")
SLOPE_SLOPE_LOG_ITSELF = N_("-1 / a**2 is the slope of 1 / a; the slope of log(a) is 1 / a itself.")


@exercise(
    "01-log", stars=1, minutes=2,
    hints=(
        N_("The natural log grows more and more slowly: its slope shrinks as a grows."),
        N_("d(log a)/da = 1 / a."),
        N_("return 1 / <the number inside a>."),
    ),
    wrong=[
        ("return math.log(a.data)", FORWARD_VALUE_LOG_SLOPE),
        ("return 1 / math.log(a.data)", SLOPE_LOG_LOG),
        ("return -1 / a.data ** 2", SLOPE_SLOPE_LOG_ITSELF),
    ],
)
def check_log_local(log_local):
    """log_local(a) must be the slope of log(a), 1 / a. Used in lesson 01."""
    for x in [2.0, 0.25, 10.0]:
        got = call(log_local, Value(x))
        expect_number(got, 1 / x, f"log_local(Value({x}))", [
            (math.log(x), _(FORWARD_VALUE_LOG_SLOPE)),
            (1 / math.log(x), _(SLOPE_LOG_LOG)),
            (-1 / x**2, _(SLOPE_SLOPE_LOG_ITSELF)),
            (math.exp(x), _("exp is the inverse of log, but not its derivative: d(log a)/da = 1 / a.")),
        ])
    ok(_("d(log a)/da = 1/a: 0.5 at a=2, 4.0 at a=0.25"))


RELU_OUTPUT_MAX_SLOPE = N_(
    "That is relu's output max(0, a), not its slope: the slope is 1 where a > 0 "
    "and 0 elsewhere.")
WHERE_RELU_OUTPUT_WHATEVER = N_("Where a < 0, relu's output is 0 whatever a is, so its slope there is 0.")
EXACTLY_USE_SLOPE_CONDITION = N_(
    "At exactly a = 0 use slope 0 (the condition is strictly greater than 0, "
    "not >=), as the reference and the package do.")


@exercise(
    "01-relu", stars=1, minutes=2,
    hints=(
        N_("relu is flat (slope 0) left of 0 and the identity (slope 1) right of 0."),
        N_("slope = 1 if a > 0, else 0 (also at exactly a = 0)."),
        N_("return 1.0 if <the number inside a> > 0 else ..."),
    ),
    wrong=[
        ("return max(0.0, a.data)", RELU_OUTPUT_MAX_SLOPE),
        ("return 1.0 if a.data >= 0 else 0.0", EXACTLY_USE_SLOPE_CONDITION),
        ("return 1.0", WHERE_RELU_OUTPUT_WHATEVER),
    ],
)
def check_relu_local(relu_local):
    """relu_local(a) must be 1.0 where a > 0 and 0.0 elsewhere (also at exactly 0). Used in lesson 01."""
    for x in [3.0, 0.5, -2.0, 0.0]:
        got = call(relu_local, Value(x))
        want = 1.0 if x > 0 else 0.0
        mistakes = [(max(0.0, x), _(RELU_OUTPUT_MAX_SLOPE))]
        if x < 0:
            mistakes.append((1.0, _(WHERE_RELU_OUTPUT_WHATEVER)))
        if x == 0:
            mistakes.append((1.0, _(EXACTLY_USE_SLOPE_CONDITION)))
        expect_number(got, want, f"relu_local(Value({x}))", mistakes)
    ok(_("relu's slope: 1.0 for a > 0, 0.0 for a <= 0"))


DIV_SLOPE_OF_B_NEGATIVE = N_(
    "A bigger b makes a / b smaller, so the slope with respect to b is negative: the power rule on b**-1 "
    "gives -1 times b**-2.")
DIV_TIMES_A = N_(
    "Multiply along the whole path: b**-1 has the slope -b**-2, and the * then multiplies it by the number "
    "inside a.")
DIV_NOT_MUL = N_(
    "Those are the local derivatives of a * b. Here b goes through **-1 first: d(a/b)/da is the number "
    "inside b**-1, and b's slope comes from the power rule, times a.")
DIV_RETURN_NUMBERS = N_("Return plain numbers (each Value's .data), not Values.")


@exercise(
    "01-div", stars=2, minutes=5,
    hints=(
        N_("a / b is a * b**-1: a's slope is the other factor, and b's slope goes through the power first."),
        N_("d(a/b)/da = 1/b; d(a/b)/db = (the slope of b**-1) times a = -a / b**2."),
        N_("return (1 / <the number inside b>, -<the number inside a> / <the number inside b> ** 2)"),
    ),
    wrong=[
        ("return (1 / b.data, a.data / b.data**2)", DIV_SLOPE_OF_B_NEGATIVE),
        ("return (1 / b.data, -1 / b.data**2)", DIV_TIMES_A),
        ("return (b.data, a.data)", DIV_NOT_MUL),
    ],
)
def check_div_local_grads(div_local_grads):
    """div_local_grads(a, b) must return the gradients of a / b, worked out by the chain rule (lesson 01)."""
    for x, y in [(6.0, 4.0), (-1.0, 0.5), (3.0, -2.0)]:
        a, b = Value(x), Value(y)
        got = call(div_local_grads, Value(x), Value(y))
        if not isinstance(got, (tuple, list)) or len(got) != 2:
            fail(tr("div_local_grads(Value({x}), Value({y})) should return a pair (d/da, d/db), but it returned "
                    "{got!r}.", x=x, y=y, got=got),
                 _("Return two numbers, one for a and one for b."))
        if any(isinstance(g, Value) for g in got):
            fail(tr("div_local_grads(Value({x}), Value({y})) returned Values.", x=x, y=y), _(DIV_RETURN_NUMBERS))
        (a / b).backward()  # the package's own division, a * b**-1: the gradients to compare with
        expect_numbers(list(got), [a.grad, b.grad], tr("for a = {x}, b = {y} you gave", x=x, y=y), [
            ([1 / y, x / y**2], _(DIV_SLOPE_OF_B_NEGATIVE)),
            ([1 / y, -1 / y**2], _(DIV_TIMES_A)),
            ([y, x], _(DIV_NOT_MUL)),
        ], otherwise=_("Follow b through **-1, then through the * with a, and multiply the local derivatives "
                       "along the way."), tol=1e-12)
    ok(tr("the chain rule through a * b**-1 gives d(a/b)/da = 1/b and d(a/b)/db = -a/b**2: {pair} at a = 6, "
          "b = 4", pair=show([0.25, -0.375])))
