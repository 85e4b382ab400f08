"""Checks of lesson 08: counting the nodes of the graph, and the exponent of growth (08-nodes, 08-growth)."""

import math

from ... import nn
from ...i18n import N_, _, tr
from ..exercise import exercise
from ..failure import call, fail, ok
from ..numbers import expect_number, to_values


def _new_nodes(outputs, inputs):
    """How many Values computing `outputs` created: every node reachable from them, minus `inputs`."""
    given = set(map(id, inputs))
    seen, stack = set(), list(outputs)
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.extend(node._children)
    return len(seen - given)


COUNTS_ONLY_MULTIPLICATIONS_W = N_(
    "That counts only the multiplications w_i * x_i. Each product is then added into the "
    "running sum, and every + makes a new Value too.")
PRODUCTS_ADDITIONS_RIGHT_BUT = N_(
    "Products and additions, right, but one Value per output is missing: sum() "
    "starts from the integer 0, and 0 + Value wraps that 0 in a new constant Value.")
PAPER_NIN_NUMBERS_NEED = N_(
    "On paper nin numbers need nin - 1 additions, but the built-in sum() "
    "starts from 0, so it makes nin additions, and the 0 becomes a Value.")


@exercise(
    "08-nodes", stars=2, minutes=10,
    hints=(
        N_("Count the Values one output of linear creates: its products, its additions, and sum()'s start."),
        N_("per output: nin products + nin additions (sum() starts from 0) + 1 (that 0 as a Value)."),
        N_("return (2 * nin + ...) * nout"),
    ),
    wrong=[
        ("return nin * nout", COUNTS_ONLY_MULTIPLICATIONS_W),
        ("return 2 * nin * nout", PRODUCTS_ADDITIONS_RIGHT_BUT),
        ("return (2 * nin - 1) * nout", PAPER_NIN_NUMBERS_NEED),
    ],
)
def check_linear_nodes(linear_nodes):
    """linear_nodes(nin, nout) must be the number of Values microgpt.linear creates (lesson 08)."""
    for nin, nout in [(16, 16), (16, 64), (64, 16), (3, 2), (1, 1)]:
        x = to_values(range(1, nin + 1))
        w = [to_values(range(nin)) for _ in range(nout)]
        want = _new_nodes(nn.linear(x, w), x + [p for row in w for p in row])
        got = call(linear_nodes, nin, nout)
        what = f"linear_nodes({nin}, {nout})"
        if isinstance(got, bool) or not isinstance(got, int):
            fail(tr("{what} should return a whole number (an int), but it returned {got!r}.", what=what, got=got),
                 _("Count with ints."))
        hints = {
            nin * nout: COUNTS_ONLY_MULTIPLICATIONS_W,
            2 * nin * nout: PRODUCTS_ADDITIONS_RIGHT_BUT,
            (2 * nin - 1) * nout: PAPER_NIN_NUMBERS_NEED,
            2 * nin * nout - 1: N_("Count per output: each of the nout rows gets its own sum, from its own 0."),
        }
        if got != want:
            fail(tr("{what} is {got}, but microgpt.linear creates {want} Values.", what=what, got=got, want=want),
                 _(hints.get(got, N_("For each of the nout outputs count the products, the additions of sum() "
                                     "(it starts from the integer 0) and the constant Value that 0 becomes."))))
    ok(_("linear(x, w) creates 528 Values for a 16 x 16 matrix, for ONE position: 2 * nin + 1 per output"))


UPSIDE_DOWN_TIME_RATIO = N_("Upside down: the log of the time's ratio goes on top, the log of the size's ratio "
                            "below.")
HOW_MANY_TIMES_LONGER = N_(
    "That is how many times longer it took; the exponent p asks: the size grew by "
    "size2 / size1, and time grew by that factor to the power p. Solve with logs.")
DIVIDING_TWO_RATIOS_DOES = N_(
    "Dividing the two ratios does not give a power: the power p turns into a product once you take logs of "
    "both ratios.")
POWERS_SHOW_RATIOS_DIFFERENCES = N_(
    "Powers show in RATIOS, not differences: compare time2 with time1, and size2 with size1, by dividing.")


@exercise(
    "08-growth", stars=1, minutes=5,
    hints=(
        N_("If time grows like size ** p, then the ratio of times is the ratio of sizes to the power p."),
        N_("time2 / time1 = (size2 / size1) ** p, so p = log(time2 / time1) / log(size2 / size1)."),
        N_("return math.log(...) / math.log(...)"),
    ),
    wrong=[
        ("return time2 / time1", HOW_MANY_TIMES_LONGER),
        ("return (time2 / time1) / (size2 / size1)", DIVIDING_TWO_RATIOS_DOES),
        ("return math.log(size2 / size1) / math.log(time2 / time1)", UPSIDE_DOWN_TIME_RATIO),
        ("return math.log(time2 - time1) / math.log(size2 - size1)", POWERS_SHOW_RATIOS_DIFFERENCES),
    ],
)
def check_growth_exponent(growth_exponent):
    """growth_exponent(size1, time1, size2, time2) must be log(time2 / time1) / log(size2 / size1) (lesson 08)."""
    for case, want in [((16, 1.0, 32, 8.0), 3.0), ((16, 1.0, 32, 4.0), 2.0), ((8, 0.5, 64, 4.0), 1.0),
                       ((10, 2.0, 100, 2.0), 0.0), ((2, 3.0, 8, 24.0), 1.5),
                       ((16, 0.3, 64, 6.0), math.log(20) / math.log(4))]:
        s1, t1, s2, t2 = case
        upside_down = _(UPSIDE_DOWN_TIME_RATIO)
        mistakes = [(t2 / t1, _(HOW_MANY_TIMES_LONGER)),
                    ((t2 / t1) / (s2 / s1), _(DIVIDING_TWO_RATIOS_DOES)),
                    (math.log(s2 / s1) / math.log(t2 / t1) if t2 != t1 else math.inf, upside_down)]
        if t2 > t1 and s2 > s1:
            mistakes.append((math.log(t2 - t1) / math.log(s2 - s1),
                             _(POWERS_SHOW_RATIOS_DIFFERENCES)))
        got = call(growth_exponent, *case, errors={
            ZeroDivisionError: upside_down,
            ValueError: _("log of zero or a negative number: use the RATIOS time2 / time1 and size2 / size1.")})
        expect_number(got, want, f"growth_exponent{case}", mistakes, tol=1e-9,
                      otherwise=_("If time = c * size ** p, then time2 / time1 = (size2 / size1) ** p: take the "
                                  "log of both sides and solve for p."))
    ok(_("growth_exponent: 4 times the time for twice the size is p = 2 (time grows like size squared)"))
