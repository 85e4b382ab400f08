"""Checks of lesson 03: linear and rmsnorm (03-linear, 03-rmsnorm)."""


from ... import nn
from ...i18n import N_, _, tr
from ..exercise import exercise
from ..failure import call, fail, ok
from ..numbers import as_numbers, expect_numbers, same_numbers, show, to_values

OUTPUT_NUMBER_SUM_PRODUCTS = N_(
    "Each output is ONE number, the sum of the products: add them up "
    "with sum().")


def _outputs(got, n, what):
    """The .data of the learner's list of `n` Values (one number per output)."""
    return as_numbers(got, n, what, nested=_(OUTPUT_NUMBER_SUM_PRODUCTS))


MULTIPLIED_TRANSPOSE_W_OUTPUT = N_(
    "You multiplied by the transpose of w: output i is the dot product of ROW i of w with x, not of "
    "column i.")
MULTIPLIED_EVERY_WEIGHT_ROW = N_(
    "You multiplied every weight of a row by EVERY entry of x (two `for`s in one generator). Pair them "
    "up instead, the first weight with the first entry and so on (zip).")
OUTPUT_RUNNING_TOTAL_ROWS = N_(
    "Each output is the running total of all the rows so far: start the total again at 0 for "
    "every row (set it to 0 inside the loop over the rows, not before it).")


@exercise(
    "03-linear", stars=1, minutes=5,
    hints=(
        N_("Each output is one row of w combined with x: multiply them entry by entry and add the products up."),
        N_("out[i] = sum over j of w[i][j] * x[j], one output per row i of w."),
        N_("return [sum(wi * xi for wi, xi in zip(row, x)) for row in ...]: one sum per row, not one list."),
    ),
    wrong=[
        ("return [sum(w[j][i] * x[j] for j in range(len(x))) for i in range(len(w))]", MULTIPLIED_TRANSPOSE_W_OUTPUT),
        ("return [[wi * xi for wi, xi in zip(row, x)] for row in w]", OUTPUT_NUMBER_SUM_PRODUCTS),
        ("return [sum(wi * xi for wi in row for xi in x) for row in w]", MULTIPLIED_EVERY_WEIGHT_ROW),
        ("out = []\n"
         "total = 0\n"
         "for row in w:\n"
         "    for wi, xi in zip(row, x):\n"
         "        total = total + wi * xi\n"
         "    out.append(total)\n"
         "return out",
         OUTPUT_RUNNING_TOTAL_ROWS),
    ],
)
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
         _(MULTIPLIED_TRANSPOSE_W_OUTPUT)),
        ([sum(row) * sum([1, -1, 2]) for row in w_numbers],
         _(MULTIPLIED_EVERY_WEIGHT_ROW)),
        (running, _(OUTPUT_RUNNING_TOTAL_ROWS)),
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


LEFT_OUT_ADD_MEAN = N_(
    "You left out the 1e-5: add it to the mean square before the root. It changes the numbers only a "
    "little, but it keeps a vector of zeros from dividing by zero.")
USED_SUM_SQUARES_RMSNORM = N_(
    "You used the SUM of the squares; rmsnorm uses their MEAN (divide the sum by the length of x).")
DIVIDED_MEAN_SQUARE_ITSELF = N_(
    "You divided by the mean square itself; divide by its square ROOT (the exponent is -0.5).")
LAYER_NORM_RMSNORM_DOES = N_("That is layer norm: rmsnorm does not subtract the mean, it only rescales x.")


@exercise(
    "03-rmsnorm", stars=1, minutes=5,
    hints=(
        N_("Rescale the vector so that its root-mean-square is 1, without shifting it."),
        N_("scale = (mean of x_i**2 + 1e-5) ** -0.5; out_i = x_i * scale."),
        N_("ms = sum(xi * xi for xi in x) / len(x); scale = (...) ** -0.5; return [xi * scale for xi in x]"),
    ),
    wrong=[
        ("ms = sum(xi * xi for xi in x) / len(x)\n"
         "scale = ms ** -0.5\n"
         "return [xi * scale for xi in x]",
         LEFT_OUT_ADD_MEAN),
        ("ms = sum(xi * xi for xi in x)\n"
         "scale = (ms + 1e-5) ** -0.5\n"
         "return [xi * scale for xi in x]",
         USED_SUM_SQUARES_RMSNORM),
        ("ms = sum(xi * xi for xi in x) / len(x)\n"
         "scale = (ms + 1e-5) ** -1\n"
         "return [xi * scale for xi in x]",
         DIVIDED_MEAN_SQUARE_ITSELF),
        ("mean = sum(x) / len(x)\n"
         "var = sum((xi - mean) ** 2 for xi in x) / len(x)\n"
         "return [(xi - mean) * (var + 1e-5) ** -0.5 for xi in x]",
         LAYER_NORM_RMSNORM_DOES),
    ],
)
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
         _(LEFT_OUT_ADD_MEAN)),
        ([v * (squares + 1e-5) ** -0.5 for v in numbers],
         _(USED_SUM_SQUARES_RMSNORM)),
        ([v * (squares / n + 1e-5) ** -1 for v in numbers],
         _(DIVIDED_MEAN_SQUARE_ITSELF)),
        ([v * (squares / n + 1e-5) ** 0.5 for v in numbers],
         _("You multiplied by the root mean square; DIVIDE by it: the exponent is -0.5, not 0.5.")),
        ([(v - mean) * (var + 1e-5) ** -0.5 for v in numbers],
         _(LAYER_NORM_RMSNORM_DOES)),
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
