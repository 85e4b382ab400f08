"""Checks for lesson 01: Value."""

import math

from ..i18n import N_, _, tr
from ..value import Value
from .common import add_hints, call, exercise, expect_number, fail, ok
from .lesson01_graph import check_backward, check_topo_sort
from .recap import check_recap

__all__ = ["check_backward", "check_exp_local", "check_grad_check", "check_log_local", "check_mul_local_grads",
           "check_numerical_grad", "check_pow_local", "check_recap_01", "check_relu_local", "check_topo_sort"]


@exercise("01-numerical-grad")
def check_numerical_grad(numerical_grad):
    """numerical_grad(f, x, h) must be the central difference of f at x with step h. Used in lesson 01."""

    def cube(x):
        """x**3: its central difference is exactly 3x^2 + h^2, so the step size shows in the answer."""
        return x**3

    h = 0.01
    forward = ((2 + h) ** 3 - 2**3) / h
    central_sum = (2 + h) ** 3 - (2 - h) ** 3
    got = call(numerical_grad, cube, 2.0, h=h)
    expect_number(got, 12.0001, "numerical_grad(lambda x: x**3, 2.0, h=0.01)", [
        (forward, _("That is the forward difference (f(x + h) - f(x)) / h, whose error shrinks only like h "
                    "(here 0.06). Step to both sides, to x - h and x + h, and divide the change by the distance "
                    "between them, 2h: that error is only h**2.")),
        (central_sum / h, _("You divided by h, but the two points x - h and x + h are 2*h apart: divide by "
                            "(2 * h).")),
        (central_sum / 2 * h, _("Write / (2 * h) with the parentheses: `/ 2 * h` divides by 2 and then "
                                "multiplies by h.")),
        (12.0, _("That is the exact slope, 3 * x**2 = 12; here h = 0.01 was given, and the central difference "
                 "with that step is 12 + h**2 = 12.0001. Use the h argument.")),
    ], tol=1e-7, otherwise=_("Use the h you are given and step to both sides of x: the change of f from "
                             "x - h to x + h, divided by the distance 2h."))
    got = call(numerical_grad, cube, 2.0, h=0.001)
    expect_number(got, 12.000001, "numerical_grad(lambda x: x**3, 2.0, h=0.001)",
            [(12.0001, _("Your answer does not change when h does: use the h argument instead of a fixed step."))],
            tol=1e-8)
    got = call(numerical_grad, math.sin, 1.0)
    expect_number(got, math.cos(1.0), _("numerical_grad(math.sin, 1.0) with the default h"), tol=1e-7)
    ok(_("central difference: x**3 at x=2 with h=0.01 gives 12.0001 (exact slope 12, error h**2)"))


@exercise("01-mul")
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
             _("Return plain numbers (the .data of what you chose), not the Values themselves: the local "
               "derivatives are numbers fixed when the node is made."))
    if list(got) == [a.data, b.data]:
        fail(_("mul_local_grads(Value(2.0), Value(-3.0)) returned (2.0, -3.0), expected (-3.0, 2.0)."),
             _("The two are swapped: a nudge of a is multiplied by b, so d(a*b)/da is the number inside b, "
               "and d(a*b)/db is the number inside a."))
    if list(got) == [1, 1]:
        fail(_("mul_local_grads(Value(2.0), Value(-3.0)) returned (1, 1), expected (-3.0, 2.0)."),
             _("(1, 1) are the local derivatives of a + b; for a * b a nudge of a is multiplied by b, so the "
               "slope with respect to a is the number inside b (and the other way round)."))
    expect_number(got[0], -3.0, _("d(a*b)/da for a=2, b=-3"))
    expect_number(got[1], 2.0, _("d(a*b)/db for a=2, b=-3"))
    ok(_("d(a*b)/da = b = -3.0 and d(a*b)/db = a = 2.0"))


@exercise("01-pow")
def check_pow_local(pow_local):
    """pow_local(a, k) must be the slope of a**k: k * a**(k - 1). Used in lesson 01."""
    for x, k in [(3.0, 2), (2.0, 3), (2.0, -1), (4.0, 0.5)]:
        got = call(pow_local, Value(x), k)
        expect_number(got, k * x ** (k - 1), f"pow_local(Value({x}), {k})", [
            (x ** (k - 1), _("You forgot the factor k in front: d(a**k)/da = k * a**(k - 1).")),
            (k * x**k, _("The power goes down by one: k * a**(k - 1), not k * a**k.")),
            (k * x**k - 1, _("** binds tighter than -: put the new exponent k - 1 in parentheses.")),
            (x**k, _("That is the forward value a**k, not its slope k * a**(k - 1).")),
            ((k - 1) * x**k, _("Bring the old exponent k down in front, then lower it by one: k * a**(k - 1).")),
        ])
    ok(_("d(a**k)/da = k * a**(k-1): 6.0 for a=3, k=2 and -0.25 for a=2, k=-1"))


@exercise("01-exp")
def check_exp_local(exp_local):
    """exp_local(a) must be the slope of e**a, which is e**a itself. Used in lesson 01."""
    for x in [2.0, 0.0, -1.0, 0.5]:
        got = call(exp_local, Value(x))
        expect_number(got, math.exp(x), f"exp_local(Value({x}))", [
            (x * math.exp(x - 1), _("The power rule is for a fixed exponent (a**k); here the exponent is the "
                                    "variable. e**a is its own derivative: the slope is e**a again (math.exp "
                                    "of the number in a).")),
            (x, _("That is a itself; the derivative of e**a is e**a again (math.exp of the number in a).")),
            (1.0, _("The slope of e**a is not constant: it equals e**a (math.exp of the number in a).")),
        ])
    ok(_("d(e**a)/da = e**a: 1.0 at a=0, 7.3891 at a=2"))


@exercise("01-log")
def check_log_local(log_local):
    """log_local(a) must be the slope of log(a), 1 / a. Used in lesson 01."""
    for x in [2.0, 0.25, 10.0]:
        got = call(log_local, Value(x))
        expect_number(got, 1 / x, f"log_local(Value({x}))", [
            (math.log(x), _("That is the forward value log(a); its slope is 1 / a (with a's number).")),
            (1 / math.log(x), _("The slope of log(a) is 1 / a, not 1 / log(a).")),
            (-1 / x**2, _("-1 / a**2 is the slope of 1 / a; the slope of log(a) is 1 / a itself.")),
            (math.exp(x), _("exp is the inverse of log, but not its derivative: d(log a)/da = 1 / a.")),
        ])
    ok(_("d(log a)/da = 1/a: 0.5 at a=2, 4.0 at a=0.25"))


@exercise("01-relu")
def check_relu_local(relu_local):
    """relu_local(a) must be 1.0 where a > 0 and 0.0 elsewhere (also at exactly 0). Used in lesson 01."""
    for x in [3.0, 0.5, -2.0, 0.0]:
        got = call(relu_local, Value(x))
        want = 1.0 if x > 0 else 0.0
        mistakes = [(max(0.0, x), _("That is relu's output max(0, a), not its slope: the slope is 1 where a > 0 "
                                    "and 0 elsewhere."))]
        if x < 0:
            mistakes.append((1.0, _("Where a < 0, relu's output is 0 whatever a is, so its slope there is 0.")))
        if x == 0:
            mistakes.append((1.0, _("At exactly a = 0 use slope 0 (the condition is strictly greater than 0, "
                                    "not >=), as the reference and the package do.")))
        expect_number(got, want, f"relu_local(Value({x}))", mistakes)
    ok(_("relu's slope: 1.0 for a > 0, 0.0 for a <= 0"))


def _bad_square(a):
    """a ** 2 with a planted bug: its local derivative is 1 instead of 2a (built with the learner's own class)."""
    return type(a)(a.data**2, (a,), (1.0,), "bad**2")


@exercise("01-grad-check", needs=[("numerical_grad", check_numerical_grad)])
def check_grad_check(grad_check):
    """grad_check(expression, point) must be the largest |backward's gradient - measured slope| (lesson 01)."""
    got = call(grad_check, lambda x, y: _bad_square(x) + _bad_square(y), {"x": 3.0, "y": 2.0})
    what = _("grad_check on bad_square(x) + bad_square(y) at x=3, y=2, where bad_square is x**2 with the local "
             "derivative 1 planted instead of 2x (backward: 1 and 1; measured: 6 and 4)")
    expect_number(got, 5.0, what, [
        (8.0, _("That is the sum of the two differences (5 + 3); return the largest one.")),
        (6.0, _("That is the largest measured slope alone: every .grad was still 0. Call backward() on the "
                "expression built from Values before reading the gradients.")),
        (1.0, _("That is the size of the gradients alone: the slopes you measured are 0, so the function you gave "
                "numerical_grad ignores its argument. Give it a function of one plain number t that computes the "
                "expression with that one input replaced by a Value holding t.")),
        (-3.0, _("The differences are negative here (1 - 6, 1 - 4): compare their sizes, with abs().")),
        (3.0, _("That is only the last input's difference: keep the largest over all the inputs.")),
    ], tol=1e-5, otherwise=_("For each input: the size of (its .grad after backward) minus (the slope "
                             "numerical_grad measures for it); return the largest."))
    right = call(grad_check, lambda x, y: (x * y).exp() + y.log() - x / y, {"x": 0.5, "y": 1.5})
    what = _("grad_check(lambda x, y: (x * y).exp() + y.log() - x / y, {'x': 0.5, 'y': 1.5}), an expression with "
             "no bug,")
    if isinstance(right, bool) or not isinstance(right, (int, float)):
        fail(tr("{what} returned {right!r}, not a plain number.", what=what, right=right),
             _("Return a float: the largest difference (a Value's number is its .data)."))
    if not 0 <= right < 1e-6:
        fail(tr("{what} is {right:.6g}; backward and the measured slopes should agree there to about 1e-9.",
                what=what, right=right),
             _("Compare each input's .grad after one backward() with the slope numerical_grad measures for that "
               "input, the others held at their values in point; return the size of the largest difference."))
    got = call(grad_check, lambda a, b, c: a + b * _bad_square(c), {"a": 1.0, "b": 2.0, "c": 3.0})
    expect_number(got, 10.0, _("grad_check on a + b * bad_square(c) at a=1, b=2, c=3 (c's gradient is 2 by "
                               "backward, 12 measured)"),
                  [(0.0, _("Only the first inputs were checked: go over every input."))],
                  tol=1e-5, otherwise=_("Go over every input of point, and keep the largest difference."))
    ok(_("grad_check finds no bug in a correct expression (under 1e-6) and a planted one: 5 and 10"))


# --- the recap ---

# question: (answer, tolerance, or None for a letter, the section to reread)
RECAP_01 = {
    1: (27.0, 1e-6, N_("6. Every operation the GPT needs")),
    2: (0.0, 1e-6, N_("6. Every operation the GPT needs")),
    3: (4, 0, N_("4. `backward`: the chain rule, automated")),
    4: (2, 0, N_("6. Every operation the GPT needs")),
    5: (100, 1, N_("1. A derivative, measured")),
    6: (10.0, 1e-6, N_("5. Why `+=`: a number used twice")),
}


@exercise("01-recap")
def check_recap_01(answers):
    """The recap of lesson 01: answers = {question number: a number}, questions 1 to 6 (lesson 01)."""
    check_recap(answers, RECAP_01, "01")


HINTS = {
    "01-numerical-grad": (
        N_("Measure the slope: nudge x a little to both sides and see how much f changes per unit of x."),
        N_("slope ~ (f(x + h) - f(x - h)) / (distance between x - h and x + h), and that distance is 2h."),
        N_("One line: return (f(...) - f(...)) / (...), with the parentheses around the whole denominator."),
    ),
    "01-mul": (
        N_("The local derivative says how much a * b moves when a moves by 1, with b held fixed (and the other "
           "way round)."),
        N_("d(a*b)/da = b and d(a*b)/db = a, as plain numbers."),
        N_("return (<the number inside b>, <the number inside a>): each is a Value's .data."),
    ),
    "01-pow": (
        N_("The power rule: bring the exponent down in front, and lower the exponent by one."),
        N_("d(a**k)/da = k * a**(k - 1)."),
        N_("return k * <the number inside a> ** (...): the new exponent needs parentheses."),
    ),
    "01-exp": (
        N_("e**a is the function that is its own slope."),
        N_("d(e**a)/da = e**a."),
        N_("return math.exp(<the number inside a>)."),
    ),
    "01-log": (
        N_("The natural log grows more and more slowly: its slope shrinks as a grows."),
        N_("d(log a)/da = 1 / a."),
        N_("return 1 / <the number inside a>."),
    ),
    "01-relu": (
        N_("relu is flat (slope 0) left of 0 and the identity (slope 1) right of 0."),
        N_("slope = 1 if a > 0, else 0 (also at exactly a = 0)."),
        N_("return 1.0 if <the number inside a> > 0 else ..."),
    ),
    "01-grad-check": (
        N_("Two routes to the same gradients: run backward once on the expression built from Values, and measure "
           "each input's slope by nudging that input alone; report the worst disagreement."),
        N_("for each input name: |values[name].grad - numerical_grad(f, point[name])|, where f(t) is the "
           "expression's .data with that one input replaced by Value(t); return the largest."),
        N_("values = {name: Value(v) for ...}; expression(**values).backward(); for name, v in point.items(): "
           "measured = numerical_grad(lambda t: <expression's .data, with Value(t) in place of input name>, v); "
           "keep the max of abs(...)"),
    ),
    "01-recap": (
        N_("Each answer is a number: work it out by hand from the rules of the lesson, or build the expression "
           "with Values in a new cell and look."),
        N_("Local derivatives: a**k gives k * a**(k - 1), relu gives 0 left of 0; gradients ADD up over every use; "
           "the central difference's error shrinks like h**2."),
        N_("answers = {1: <a number>, 2: <a number>, 3: <a count>, 4: <a count>, 5: <a factor>, 6: <a number>}"),
    ),
}
add_hints(HINTS)
