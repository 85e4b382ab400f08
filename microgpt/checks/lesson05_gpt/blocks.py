"""Checks of lesson 05: the embedding, the residual block and the MLP (05-embed, 05-residual, 05-mlp)."""


from ... import model, nn
from ...i18n import N_, _, tr
from ..exercise import exercise
from ..failure import VALUES_CANNOT_COMPARED_OR, call, fail, ok
from ..numbers import as_numbers, expect_numbers, same_numbers, show, to_values

LISTS_WTE_TOKEN_ID = N_(
    "With lists, + joins the two rows end to end (a list twice as long); add them entry by entry instead: "
    "entry j of the result is entry j of the token's row plus entry j of the position's row.")
TOKEN_ROW_ALONE_ADD = N_(
    "That is the token's row alone: add the position's row wpe[pos_id], so the model knows "
    "WHERE the token is.")
SWAPPED_TWO_TOKEN_ID = N_("You swapped the two: the token id picks a row of wte, the position a row of wpe.")


@exercise(
    "05-embed", stars=1, minutes=5,
    hints=(
        N_("The model's input for one position says both WHAT the token is and WHERE it is."),
        N_("x = wte[token_id] + wpe[pos_id], added entry by entry (two vectors of n_embd numbers)."),
        N_("return [t + p for t, p in zip(wte[...], wpe[...])]"),
    ),
    wrong=[
        ("return wte[token_id]", TOKEN_ROW_ALONE_ADD),
        ("return wte[token_id] + wpe[pos_id]", LISTS_WTE_TOKEN_ID),
        ("return [t + p for t, p in zip(wte[pos_id], wpe[token_id])]", SWAPPED_TWO_TOKEN_ID),
    ],
)
def check_embed(embed):
    """embed(token_id, pos_id, wte, wpe) must be wte[token_id] + wpe[pos_id], added entry by entry (lesson 05)."""
    wte_numbers = [[1, 2], [3, 4], [5, 6], [7, 8]]
    wpe_numbers = [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]]
    wte, wpe = [to_values(r) for r in wte_numbers], [to_values(r) for r in wpe_numbers]
    want = [v.data for v in model.embed(1, 2, wte, wpe)]  # [3.5, 4.6]: token 1 is [3, 4], position 2 [0.5, 0.6]
    what = f"embed(token_id=1, pos_id=2, wte={wte_numbers}, wpe={wpe_numbers})"
    out = call(embed, 1, 2, wte, wpe)
    if isinstance(out, list) and len(out) == 4:
        fail(tr("{what} returned 4 numbers for an embedding of 2.", what=what),
             _(LISTS_WTE_TOKEN_ID))
    got = as_numbers(out, 2, what)
    mistakes = [
        ([3.0, 4.0], _(TOKEN_ROW_ALONE_ADD)),
        ([5.3, 6.4], _(SWAPPED_TWO_TOKEN_ID)),
        ([0.5, 0.6], _("That is the position's row alone: add the token's row wte[token_id].")),
    ]
    expect_numbers(got, want, tr("{what} gave", what=what), mistakes,
                   _("(= wte[1] + wpe[2], entry by entry)"))
    sum(call(embed, 1, 2, wte, wpe)).backward()
    grads = [[p.grad for p in row] for row in wte + wpe]
    if grads != [[0, 0], [1, 1], [0, 0], [0, 0], [0, 0], [0, 0], [1, 1]]:
        fail(_("the numbers are right, but the gradients do not reach exactly wte[token_id] and wpe[pos_id]:"),
             _("add the Values themselves (not their .data)"))
    ok(_("x = wte[token] + wpe[pos], entry by entry: [3.5, 4.6] for token 1 at position 2"))


F_RMSNORM_X_ALONE = N_(
    "That is f(rmsnorm(x)) alone: add x back, entry by entry. The block "
    "only adds an update to the stream, it does not replace it.")
ADDED_FIRST_NORMALISED_SUM = N_(
    "You added first and normalised the sum. In this GPT the norm comes first, on the block's input "
    "only: x + f(rmsnorm(x)), and the stream x itself is never normalised.")
ADDED_NORMALISED_X_BACK = N_(
    "You added the NORMALISED x back. Add the original x: rmsnorm only "
    "prepares the block's input; the stream carries x on untouched.")
FORGOT_NORM_BLOCK_READS = N_("You forgot the norm: the block reads rmsnorm(x), not x.")


RESIDUAL_NEW_LIST = N_(
    "Return a new list and leave x as it is: x is the residual stream, which the caller still holds and adds "
    "to again.")


@exercise(
    "05-residual", stars=1, minutes=5,
    hints=(
        N_("A block does not replace the stream; it reads a normalised copy and adds its update to the stream."),
        N_("out = x + f(rmsnorm(x)), entry by entry."),
        N_("return [a + b for a, b in zip(f(rmsnorm(...)), ...)]"),
    ),
    wrong=[
        ("return f(rmsnorm(x))", F_RMSNORM_X_ALONE),
        ("return rmsnorm([a + b for a, b in zip(f(x), x)])", ADDED_FIRST_NORMALISED_SUM),
        ("xn = rmsnorm(x)\nreturn [a + b for a, b in zip(f(xn), xn)]", ADDED_NORMALISED_X_BACK),
        ("return [a + b for a, b in zip(f(x), x)]", FORGOT_NORM_BLOCK_READS),
        ("for i, b in enumerate(f(rmsnorm(x))):\n    x[i] = x[i] + b\nreturn x", RESIDUAL_NEW_LIST),
    ],
)
def check_residual_block(residual_block):
    """residual_block(x, f) must be x + f(rmsnorm(x)), entry by entry: a pre-norm residual connection (lesson 05)."""
    x_numbers = [3.0, -4.0, 1.0]

    def block(v):
        """A stand-in for attention or the MLP: any function from a vector to a vector of the same size."""
        return [2 * vi + 1 for vi in v]

    def norm(numbers):
        """rmsnorm on plain numbers."""
        return [v.data for v in nn.rmsnorm(to_values(numbers))]

    n = norm(x_numbers)
    want = [v.data for v in model.residual_block(to_values(x_numbers), block)]  # x + 2 * rmsnorm(x) + 1
    got = as_numbers(call(residual_block, to_values(x_numbers), block), 3,
                        f"residual_block(x={x_numbers}, f=lambda v: [2 * vi + 1 for vi in v])")
    mistakes = [
        ([2 * b + 1 for b in n], _(F_RMSNORM_X_ALONE)),
        (norm([3 * a + 1 for a in x_numbers]),
         _(ADDED_FIRST_NORMALISED_SUM)),
        ([3 * b + 1 for b in n], _(ADDED_NORMALISED_X_BACK)),
        ([3 * a + 1 for a in x_numbers], _(FORGOT_NORM_BLOCK_READS)),
    ]
    expect_numbers(got, want, tr("residual_block(x={x}, f) with f(v) = 2v + 1 gave", x=x_numbers), mistakes,
                   _("The block's output is x + f(rmsnorm(x)), entry by entry."), tol=1e-9)
    x = to_values(x_numbers)
    out = call(residual_block, x, lambda v: [0 * vi for vi in v])
    if out is x or [v.data for v in x] != x_numbers:
        fail(_("residual_block(x, f) changed the list x it was given, where a new list is asked for."),
             _(RESIDUAL_NEW_LIST))
    if [o.data for o in out] != x_numbers:
        fail(tr("with a block that outputs zeros, x must pass through unchanged, but {x} became {got}",
                x=x_numbers, got=show([o.data for o in out])),
             _("The block adds f's output to x: when f gives zeros, what comes out is x itself."))
    sum(out).backward()
    if [v.grad for v in x] != [1.0, 1.0, 1.0]:
        fail(tr("with a block that outputs zeros, d(sum of outputs)/dx should be 1 for every entry (the + passes "
                "the gradient straight through), got {grads}: compute with the Values themselves",
                grads=[v.grad for v in x]),
             _("Add the Values themselves (not their .data), so that the gradient reaches x."))
    ok(_("x + f(rmsnorm(x)): with a block that outputs zeros, x and its gradient pass straight through"))


LEFT_OUT_RELU_BETWEEN = N_(
    "You left out the relu between the two layers. Without it, two linear maps in a row "
    "are just one linear map, and the MLP could learn nothing more than one layer.")
RELU_GOES_ONLY_BETWEEN = N_(
    "The relu goes only between fc1 and fc2, not after fc2: the MLP's output must be able "
    "to push the stream down as well as up.")
RELU_GOES_AFTER_FC = N_("The relu goes after fc1 (on the hidden layer), not on the input x.")


@exercise(
    "05-mlp", stars=1, minutes=5,
    hints=(
        N_("Widen, switch off the negative units, narrow back: two linear layers with a relu between them."),
        N_("out = fc2 . relu(fc1 . x)."),
        N_("hidden = [h.relu() for h in linear(x, fc1)]; return linear(hidden, ...)"),
    ),
    wrong=[
        ("return linear(linear(x, fc1), fc2)", LEFT_OUT_RELU_BETWEEN),
        ("hidden = [h.relu() for h in linear(x, fc1)]\n"
         "return [o.relu() for o in linear(hidden, fc2)]",
         RELU_GOES_ONLY_BETWEEN),
        ("return linear(linear([xi.relu() for xi in x], fc1), fc2)", RELU_GOES_AFTER_FC),
        ("hidden = [max(h, 0) for h in linear(x, fc1)]\nreturn linear(hidden, fc2)", VALUES_CANNOT_COMPARED_OR),
    ],
)
def check_mlp(mlp):
    """mlp(x, fc1, fc2) must be linear(relu(linear(x, fc1)), fc2) (lesson 05)."""
    x_numbers, fc1_numbers, fc2_numbers = [1, -1], [[1, 0], [0, 1], [1, 1]], [[1, 1, 1], [-2, 1, 3]]
    # by hand: fc1 x = [1, -1, 0]; relu -> [1, 0, 0]; fc2 -> [1, -2]
    x, fc1, fc2 = to_values(x_numbers), [to_values(r) for r in fc1_numbers], [to_values(r) for r in fc2_numbers]
    want = [v.data for v in model.mlp(x, fc1, fc2)]  # [1, -2]
    what = f"mlp(x={x_numbers}, fc1={fc1_numbers}, fc2={fc2_numbers})"
    got = as_numbers(call(mlp, x, fc1, fc2), 2, what,
                     wrong_length=_("The MLP goes n_embd -> 4 * n_embd -> n_embd: fc1 widens, fc2 narrows back."))
    mistakes = [
        ([0.0, -3.0], _(LEFT_OUT_RELU_BETWEEN)),
        ([1.0, 0.0], _(RELU_GOES_ONLY_BETWEEN)),
        ([2.0, 1.0], _(RELU_GOES_AFTER_FC)),
    ]
    expect_numbers(got, want, tr("{what} gave", what=what), mistakes,
                   _("The MLP is fc1, then relu on each hidden number, then fc2."))
    sum(call(mlp, x, fc1, fc2)).backward()
    if not same_numbers([v.grad for v in x], [-1.0, 0.0]):
        fail(tr("the numbers are right but the gradient on x is {grads}, expected [-1, 0]:",
                grads=[v.grad for v in x]),
             _("use linear() and .relu() on the Values, not their .data"))
    ok(tr("mlp = fc2(relu(fc1(x))): [1, -2] for x = {x}, fc1 = {fc1}, fc2 = {fc2}",
          x=x_numbers, fc1=fc1_numbers, fc2=fc2_numbers))
