"""Checks of lesson 01: a slope measured by the central difference, and the gradient check.

Exercises 01-numerical-grad, 01-grad-check.
"""

import math

from ...i18n import N_, _, tr
from ...value import Value
from ..exercise import Edit, exercise
from ..failure import call, fail, ok
from ..numbers import close, expect_number

USE_H_GIVEN_STEP = N_(
    "Use the h you are given and step to both sides of x: the change of f from "
    "x - h to x + h, divided by the distance 2h.")
FORWARD_DIFFERENCE_F_X = N_(
    "That is the forward difference (f(x + h) - f(x)) / h, whose error shrinks only like h "
    "(here 0.06). Step to both sides, to x - h and x + h, and divide the change by the distance "
    "between them, 2h: that error is only h**2.")
DIVIDED_H_BUT_TWO = N_(
    "You divided by h, but the two points x - h and x + h are 2*h apart: divide by "
    "(2 * h).")
WRITE_H_PARENTHESES_H = N_(
    "Write / (2 * h) with the parentheses: `/ 2 * h` divides by 2 and then "
    "multiplies by h.")


@exercise(
    "01-numerical-grad", stars=1, minutes=5,
    hints=(
        N_("Measure the slope: nudge x a little to both sides and see how much f changes per unit of x."),
        N_("slope ~ (f(x + h) - f(x - h)) / (distance between x - h and x + h), and that distance is 2h."),
        N_("One line: return (f(...) - f(...)) / (...), with the parentheses around the whole denominator."),
    ),
    wrong=[
        ("return (f(x + h) - f(x)) / h", FORWARD_DIFFERENCE_F_X),
        ("return (f(x + h) - f(x - h)) / h", DIVIDED_H_BUT_TWO),
        ("return (f(x + h) - f(x - h)) / 2 * h", WRITE_H_PARENTHESES_H),
        ("return (f(x + 0.1) - f(x)) / 0.1", USE_H_GIVEN_STEP),
    ],
)
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
        (forward, _(FORWARD_DIFFERENCE_F_X)),
        (central_sum / h, _(DIVIDED_H_BUT_TWO)),
        (central_sum / 2 * h, _(WRITE_H_PARENTHESES_H)),
        (12.0, _("That is the exact slope, 3 * x**2 = 12; here h = 0.01 was given, and the central difference "
                 "with that step is 12 + h**2 = 12.0001. Use the h argument.")),
    ], tol=1e-7, otherwise=_(USE_H_GIVEN_STEP))
    got = call(numerical_grad, cube, 2.0, h=0.001)
    expect_number(got, 12.000001, "numerical_grad(lambda x: x**3, 2.0, h=0.001)",
            [(12.0001, _("Your answer does not change when h does: use the h argument instead of a fixed step."))],
            tol=1e-8)
    got = call(numerical_grad, math.sin, 1.0)
    expect_number(got, math.cos(1.0), _("numerical_grad(math.sin, 1.0) with the default h"), tol=1e-7)
    ok(_("central difference: x**3 at x=2 with h=0.01 gives 12.0001 (exact slope 12, error h**2)"))


def _bad_square(a):
    """a ** 2 with a planted bug: its local derivative is 1 instead of 2a (built with the learner's own class)."""
    return type(a)(a.data**2, (a,), (1.0,), "bad**2")


SUM_TWO_DIFFERENCES_RETURN = N_("That is the sum of the two differences (5 + 3); return the largest one.")
LARGEST_MEASURED_SLOPE_ALONE = N_(
    "That is the largest measured slope alone: every .grad was still 0. Call backward() on the "
    "expression built from Values before reading the gradients.")
SIZE_GRADIENTS_ALONE_SLOPES = N_(
    "That is the size of the gradients alone: the slopes you measured are 0, so the function you gave "
    "numerical_grad ignores its argument. Give it a function of one plain number t that computes the "
    "expression with that one input replaced by a Value holding t.")


COMPARE_AFTER_ONE_BACKWARD = N_(
    "Compare each input's .grad after one backward() with the slope numerical_grad measures for that input, the "
    "others held at their values in point; return the size of the largest difference.")
BACKWARD_ONCE_PER_INPUT = N_(
    "backward() ran once per input on the same Values, and every run ADDS to .grad: from the second input on, "
    "the gradients are counted more than once. Run backward() once, before going over the inputs.")


GIVE_A_FUNCTION_OF_ONE_NUMBER = N_(
    "numerical_grad measures the slope of a function of ONE plain number: give it a function of t that builds "
    "the expression with Value(t) in place of one input (the others as they are) and returns its .data.")


def _one_number_hint(err):
    """The hint when the expression itself (a function of several Values) was handed to numerical_grad."""
    return _(GIVE_A_FUNCTION_OF_ONE_NUMBER) if "positional argument" in str(err) else None


def _backward_per_input(expression, point):
    """What grad_check returns when backward() runs again for each input on the same Values (the grads add up)."""
    values = {name: Value(v) for name, v in point.items()}
    worst = 0.0
    for name, v in point.items():
        expression(**values).backward()
        step = 1e-6
        measured = (expression(**{**values, name: Value(v + step)}).data
                    - expression(**{**values, name: Value(v - step)}).data) / (2 * step)
        worst = max(worst, abs(values[name].grad - measured))
    return worst


@exercise(
    "01-grad-check", needs=[("numerical_grad", check_numerical_grad)], stars=2, minutes=15,
    hints=(
        N_("Two routes to the same gradients: run backward once on the expression built from Values, and measure "
           "each input's slope by nudging that input alone; report the worst disagreement."),
        N_("for each input name: |values[name].grad - numerical_grad(f, point[name])|, where f(t) is the "
           "expression's .data with that one input replaced by Value(t); return the largest."),
        N_("values = {name: Value(v) for ...}; expression(**values).backward(); for name, v in point.items(): "
           "measured = numerical_grad(lambda t: <expression's .data, with Value(t) in place of input name>, v); "
           "keep the max of abs(...)"),
    ),
    wrong=[
        (Edit("expression(**values).backward()\n"
              "",
              ""),
         LARGEST_MEASURED_SLOPE_ALONE),
        (Edit("    measured = numerical_grad(lambda t: expression(**{**values, name: Value(t)}).data, v)",
              "    measured = numerical_grad(lambda t: expression(**values).data, v)"),
         SIZE_GRADIENTS_ALONE_SLOPES),
        (Edit("    worst = max(worst, abs(values[name].grad - measured))",
              "    worst += abs(values[name].grad - measured)"),
         SUM_TWO_DIFFERENCES_RETURN),
        (Edit("expression(**values).backward()\n"
              "worst = 0.0\n"
              "for name, v in point.items():",
              "worst = 0.0\n"
              "for name, v in point.items():\n"
              "    expression(**values).backward()"),
         BACKWARD_ONCE_PER_INPUT),
        (Edit("    measured = numerical_grad(lambda t: expression(**{**values, name: Value(t)}).data, v)",
              "    measured = numerical_grad(expression, v)"),
         GIVE_A_FUNCTION_OF_ONE_NUMBER),
    ],
)
def check_grad_check(grad_check):
    """grad_check(expression, point) must be the largest |backward's gradient - measured slope| (lesson 01)."""
    got = call(grad_check, lambda x, y: _bad_square(x) + _bad_square(y), {"x": 3.0, "y": 2.0},
               errors={TypeError: _one_number_hint})
    what = _("grad_check on bad_square(x) + bad_square(y) at x=3, y=2, where bad_square is x**2 with the local "
              "derivative 1 planted instead of 2x (backward: 1 and 1; measured: 6 and 4)")
    expect_number(got, 5.0, what, [
        (8.0, _(SUM_TWO_DIFFERENCES_RETURN)),
        (6.0, _(LARGEST_MEASURED_SLOPE_ALONE)),
        (1.0, _(SIZE_GRADIENTS_ALONE_SLOPES)),
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
        expression = lambda x, y: (x * y).exp() + y.log() - x / y  # noqa: E731 (the expression shown above)
        twice = close(right, _backward_per_input(expression, {"x": 0.5, "y": 1.5}), 1e-5)
        fail(tr("{what} is {right:.6g}; backward and the measured slopes should agree there to about 1e-9.",
                what=what, right=right),
             _(BACKWARD_ONCE_PER_INPUT) if twice else _(COMPARE_AFTER_ONE_BACKWARD))
    got = call(grad_check, lambda a, b, c: a + b * _bad_square(c), {"a": 1.0, "b": 2.0, "c": 3.0})
    expect_number(got, 10.0, _("grad_check on a + b * bad_square(c) at a=1, b=2, c=3 (c's gradient is 2 by "
                               "backward, 12 measured)"),
                  [(0.0, _("Only the first inputs were checked: go over every input."))],
                  tol=1e-5, otherwise=_("Go over every input of point, and keep the largest difference."))
    ok(_("grad_check finds no bug in a correct expression (under 1e-6) and a planted one: 5 and 10"))
