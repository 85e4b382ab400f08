"""Checks of lesson 04: attention scores, the weighted sum of values, the causal mask.

Exercises 04-scores, 04-attend, 04-causal.
"""

import math

from ...i18n import N_, _, tr
from ..exercise import exercise
from ..failure import call, fail, ok
from ..numbers import COMPUTE_VALUES_THEMSELVES_THEIR, as_numbers, close, expect_numbers, same_numbers, show, to_values

VALUE_MET_WHOLE_LIST = N_(
    "A Value met a whole list: values[t] is the value VECTOR of position t (a list), values[t][j] is one "
    "number of it. Loop over the dimensions j and, inside, add up weights[t] * values[t][j] over t.")


_SHAPES = VALUE_MET_WHOLE_LIST


THESE_PLAIN_DOT_PRODUCTS = N_(
    "These are the plain dot products q . k: divide each by sqrt(head_dim), here sqrt(4) = 2.")
DIVIDED_HEAD_DIM_DIVIDE = N_("You divided by head_dim; divide by its square ROOT.")


@exercise(
    "04-scores", stars=1, minutes=5,
    hints=(
        N_("A key scores high when it points the same way as the query: the dot product measures that."),
        N_("score_t = (q . k_t) / sqrt(head_dim), with q . k = sum over j of q[j] * k[j]."),
        N_("return [sum(q[j] * k[j] for j in range(...)) / head_dim ** 0.5 for k in keys]"),
    ),
    wrong=[
        ("return [sum(q[j] * k[j] for j in range(head_dim)) for k in keys]", THESE_PLAIN_DOT_PRODUCTS),
        ("return [sum(q[j] * k[j] for j in range(head_dim)) / head_dim for k in keys]", DIVIDED_HEAD_DIM_DIVIDE),
        ("return [sum(qj.data * kj.data for qj, kj in zip(q, k)) / head_dim**0.5 for k in keys]",
         COMPUTE_VALUES_THEMSELVES_THEIR),
    ],
)
def check_attention_scores(attention_scores):
    """attention_scores(q, keys, head_dim) must be [q . k / sqrt(head_dim) for each key k], as Values (lesson 04)."""
    q_numbers, key_numbers = [1, 0, 2, -1], [[1, 1, 1, 1], [2, 0, 0, 2], [0, -1, 1, 3]]
    dots = [2.0, 0.0, -1.0]  # worked by hand: 1+0+2-1, 2+0+0-2, 0+0+2-3
    want = [d / 2 for d in dots]  # head_dim 4, so divide by sqrt(4) = 2
    q, keys = to_values(q_numbers), [to_values(k) for k in key_numbers]
    what = f"attention_scores(q={q_numbers}, keys={key_numbers}, head_dim=4)"
    got = as_numbers(call(attention_scores, q, keys, 4), 3, what,
                     wrong_length=_("One score per key: the score of key t is the single number q . keys[t]."),
                     nested=_("Each score is ONE number: add the products q[j] * k[j] up with sum()."))
    mistakes = [
        (dots, _(THESE_PLAIN_DOT_PRODUCTS)),
        ([d / 4 for d in dots], _(DIVIDED_HEAD_DIM_DIVIDE)),
        ([d * 2 for d in dots], _("You multiplied by sqrt(head_dim); divide by it.")),
        ([d / 3**0.5 for d in dots], _("You divided by the square root of the number of keys; the scale "
                                        "depends on the length of the vectors, head_dim.")),
        ([-d / 2 for d in dots], _("Every score has the wrong sign: the dot product adds the products "
                                   "q[j] * k[j].")),
    ]
    expect_numbers(got, want, tr("{what} gave", what=what), mistakes,
                   _("The score of each key is its dot product with q, divided by sqrt(head_dim)."))
    got = as_numbers(call(attention_scores, to_values([1] * 9), [to_values([1] * 9), to_values([-1] * 9)], 9), 2,
                     "attention_scores(q, keys, head_dim=9)")
    expect_numbers(got, [3.0, -3.0],
                   tr("{what} gave", what="attention_scores(q=[1]*9, keys=[[1]*9, [-1]*9], head_dim=9)"),
                   otherwise=_("The dot products are 9 and -9; divide them by sqrt(9) = 3."))
    scores = call(attention_scores, q, keys, 4)
    scores[1].backward()
    if not same_numbers([v.grad for v in q], [1.0, 0.0, 0.0, 1.0]):
        fail(tr("{what} gives the right scores, but no gradient reaches q.", what=what),
             _("Compute them with the Values themselves (not their .data), so that training can change the "
               "weights that made q and k."))
    ok(tr("score = q . k / sqrt(head_dim): {scores} for q = {q} and keys {keys}", scores=show(want), q=q_numbers,
          keys=key_numbers))


OUTPUT_HAS_NUMBER_PER = N_(
    "The output has one number per DIMENSION of a value vector (2 here), not "
    "one per position (3): for each j, add weights[t] * values[t][j] over the "
    "positions t.")
ADDED_UP_VALUE_VECTORS = N_(
    "You added up the value vectors without their weights: multiply each by its weight, "
    "weights[t] * values[t][j].")
PLAIN_AVERAGE_VALUES_WEIGHT = N_(
    "That is the plain average of the values; weight each position by its attention weight.")


@exercise(
    "04-attend", stars=1, minutes=10,
    hints=(
        N_("The output is a blend of the value vectors, each weighted by its position's attention weight."),
        N_("out[j] = sum over positions t of weights[t] * values[t][j], for each dimension j."),
        N_("return [sum(<weight of position t> * <number j of the value of t> for t in ...) for j in range(<length "
           "of one value vector>)]"),
    ),
    wrong=[
        ("return [sum(weights[t] * values[t][j] for j in range(len(values[0]))) for t in range(len(values))]",
         OUTPUT_HAS_NUMBER_PER),
        ("return [sum(values[t][j] for t in range(len(values))) for j in range(len(values[0]))]",
         ADDED_UP_VALUE_VECTORS),
        ("return [sum(values[t][j] for t in range(len(values))) / len(values) for j in range(len(values[0]))]",
         PLAIN_AVERAGE_VALUES_WEIGHT),
        ("return [sum(weights[t] * values[t] for t in range(len(values))) for j in range(len(values[0]))]",
         VALUE_MET_WHOLE_LIST),
    ],
)
def check_attend(attend):
    """attend(weights, values) must be out[j] = sum over t of weights[t] * values[t][j] (lesson 04)."""
    w_numbers, v_numbers = [0.5, 0.25, 0.25], [[2, 0], [0, 4], [4, 8]]
    want = [2.0, 3.0]  # 0.5*2 + 0.25*0 + 0.25*4 and 0.5*0 + 0.25*4 + 0.25*8
    weights, values = to_values(w_numbers), [to_values(v) for v in v_numbers]
    what = f"attend(weights={w_numbers}, values={v_numbers})"
    got = as_numbers(call(attend, weights, values, errors={TypeError: _SHAPES}), 2, what,
                        wrong_length=_(OUTPUT_HAS_NUMBER_PER),
                        nested=_("Each output number is one sum over the positions: "
                                 "sum(weights[t] * values[t][j] for t in range(len(values)))."))
    mistakes = [
        ([6.0, 12.0], _(ADDED_UP_VALUE_VECTORS)),
        ([2.0, 4.0], _(PLAIN_AVERAGE_VALUES_WEIGHT)),
        ([3.0, 3.0], _("You picked the weight by the dimension j (weights[j]); each position t has one weight "
                       "for its whole value vector: weights[t] * values[t][j], the same t twice.")),
    ]
    expect_numbers(got, want, tr("{what} gave", what=what), mistakes,
                   _("out[j] = sum over the positions t of weights[t] * values[t][j]."))
    # as many positions as dimensions, so that summing over the wrong index gives the right length
    square = [to_values([1, 2]), to_values([3, 4])]
    got = as_numbers(call(attend, to_values([0.9, 0.1]), square, errors={TypeError: _SHAPES}), 2,
                        _("attend(weights, values) for 2 positions with values of 2 numbers"))
    if not same_numbers(got, [1.2, 2.2]):
        hint = (_("You summed over the dimensions j instead of over the positions t: out[j] mixes the j-th number "
                  "of every position's value.") if same_numbers(got, [2.7, 0.7]) else
                _("out[j] = sum over the positions t of weights[t] * values[t][j]."))
        fail(tr("attend(weights=[0.9, 0.1], values=[[1, 2], [3, 4]]) gave {got}, expected "
                "[1.2, 2.2] (0.9 * [1, 2] + 0.1 * [3, 4]).", got=show(got)), hint)
    out = call(attend, weights, values)
    sum(out).backward()
    if not same_numbers([w.grad for w in weights], [2.0, 4.0, 12.0]):
        fail(tr("{what} gives the right numbers, but no gradient reaches the weights.", what=what),
             _("Multiply the Values themselves (not their .data)."))
    ok(tr("out[j] = sum over t of weights[t] * values[t][j]: [2, 3] for weights {weights} and values {values}",
          weights=w_numbers, values=v_numbers))


ROW_EMPTY_POSITION_Q = N_(
    "Is a row empty? Position q sees the keys 0 to q, itself included, so even position 0 has one "
    "key: cut each row just after position q.")
POSITION_MAY_ONLY_LOOK = N_(
    "A position may only look at itself and the past: take the softmax of the scores of keys 0..q "
    "only, and fill the rest of the row with 0.")
DID_TAKE_SOFTMAX_WHOLE = N_(
    "Did you take the softmax of the whole row and then set the future to 0? Cut the row first "
    "(keys 0..q), then take the softmax.")


@exercise(
    "04-causal", stars=2, minutes=10,
    hints=(
        N_("Position q may only look at itself and the past: the keys 0 to q. The future gets weight 0."),
        N_("row q = softmax(scores[q][0..q]) followed by n - q - 1 zeros."),
        N_("seen = softmax_floats(scores[q][:q + 1]); weights.append(seen + [0.0] * (...))"),
    ),
    wrong=[
        ("weights.append(softmax_floats(scores[q]))", POSITION_MAY_ONLY_LOOK),
        ("weights.append(softmax_floats(scores[q])[:q + 1] + [0.0] * (n - q - 1))", DID_TAKE_SOFTMAX_WHOLE),
        ("weights.append(softmax_floats(scores[q][:q + 1] + [0.0] * (n - q - 1)))", POSITION_MAY_ONLY_LOOK),
        ("seen = softmax_floats(scores[q][:q])\nweights.append(seen + [0.0] * (n - q))", ROW_EMPTY_POSITION_Q),
    ],
)
def check_causal_weights(causal_weights):
    """causal_weights(scores) must give row q the softmax of scores[q][:q + 1], then zeros (lesson 04)."""
    scores = [[0.0, 5.0, 5.0], [1.0, 1.0, 9.0], [0.0, math.log(2), 0.0]]
    want = [[1.0, 0.0, 0.0], [0.5, 0.5, 0.0], [0.25, 0.5, 0.25]]
    empty = _(ROW_EMPTY_POSITION_Q)
    got = call(causal_weights, [row[:] for row in scores], errors={ValueError: empty, ZeroDivisionError: empty})
    shown_scores = "[[0, 5, 5], [1, 1, 9], [0, log 2, 0]]"
    rows = as_numbers(got, 3, f"causal_weights({shown_scores})", rows=3, plain_ok=True,
                      wrong_length=_("Each row holds one weight per key position, 0 for the future: pad it with "
                                     "zeros up to the full length."))
    if all(same_numbers(r, w) for r, w in zip(rows, want)):
        got = as_numbers(call(causal_weights, [[2.0]]), 1, "causal_weights([[2.0]])", rows=1, plain_ok=True)
        expect_numbers(got[0], [1.0], _("causal_weights([[2.0]]) gave the row"),
                       otherwise=_("A single position must put all its weight on itself."))
        ok(_("row q is the softmax of the scores of keys 0..q, then zeros: the future gets no weight"))
        return
    fields = {"scores": shown_scores, "got": show(rows), "want": show(want)}
    message = tr("causal_weights({scores}) gave {got}, expected {want}.", **fields)
    zero_masked = [[math.exp(s) / (sum(math.exp(x) for x in row[:q + 1]) + len(row) - q - 1) if k <= q else 0.0
                    for k, s in enumerate(row)] for q, row in enumerate(scores)]
    future = [(q, k) for q in range(3) for k in range(q + 1, 3) if abs(rows[q][k]) > 1e-12]
    if future:
        q, k = future[0]
        fail(tr("causal_weights({scores}) gave {got}, expected {want}. Position {q} gives weight {weight:.3g} to "
                "position {k}, which comes AFTER it.", q=q, k=k, weight=rows[q][k], **fields),
             _(POSITION_MAY_ONLY_LOOK))
    if all(same_numbers(r, w) for r, w in zip(rows, zero_masked)):
        fail(message, _("You gave the future a score of 0, but exp(0) = 1 still takes a share of the total. "
                        "Leave the future out of the softmax altogether (or give it a score of minus infinity)."))
    if all(abs(rows[q][q]) < 1e-12 for q in range(3)):  # the diagonal left out: row 0 has no key at all
        fail(message, _(ROW_EMPTY_POSITION_Q))
    sums = [sum(r) for r in rows]
    if not all(close(s, 1.0) for s in sums):
        fail(tr("causal_weights({scores}) gave {got}, expected {want}. Your rows add up to {sums}, not 1.",
                sums=show(sums), **fields),
             _(DID_TAKE_SOFTMAX_WHOLE))
    fail(message, _("Row q is the softmax of the scores of the keys 0..q, followed by zeros."))
