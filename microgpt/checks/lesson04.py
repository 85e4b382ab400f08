"""Checks for lesson 04: attention."""

import math
import random

from .common import (
    add_hints,
    as_numbers,
    call,
    close,
    exercise,
    expect_numbers,
    fail,
    ok,
    same_numbers,
    show,
    to_values,
)

__all__ = ["check_attend", "check_attention_scores", "check_causal_weights",
           "check_head_slice", "check_multi_head"]


def _grid_numbers(got, n, what):
    """A square n x n list of lists of numbers (plain floats or Values) returned by the learner."""
    if not isinstance(got, (list, tuple)) or len(got) != n:
        fail(f"{what} should return {n} rows (one per query position), but it returned {got!r}")
    rows = []
    for q, row in enumerate(got):
        if not isinstance(row, (list, tuple)) or len(row) != n:
            fail(f"{what}: row {q} should hold {n} weights (one per key position, 0 for the future), "
                  f"but it is {row!r}. Pad each row with zeros up to the full length")
        rows.append([float(getattr(w, "data", w)) for w in row])
    return rows


@exercise("04-scores")
def check_attention_scores(attention_scores):
    """attention_scores(q, keys, head_dim) must be [q . k / sqrt(head_dim) for each key k], as Values."""
    q_numbers, key_numbers = [1, 0, 2, -1], [[1, 1, 1, 1], [2, 0, 0, 2], [0, -1, 1, 3]]
    dots = [2.0, 0.0, -1.0]  # worked by hand: 1+0+2-1, 2+0+0-2, 0+0+2-3
    want = [d / 2 for d in dots]  # head_dim 4, so divide by sqrt(4) = 2
    q, keys = to_values(q_numbers), [to_values(k) for k in key_numbers]
    what = "attention_scores(q, keys, head_dim=4) with 3 keys"
    got = as_numbers(call(attention_scores, q, keys, 4), 3, what,
                        wrong_length="One score per key: the score of key t is the single number q . keys[t].",
                        nested="Each score is ONE number: add the products up, sum(q[j] * k[j] for j in ...).")
    mistakes = [
        (dots, "These are the plain dot products q . k: divide each by sqrt(head_dim), here sqrt(4) = 2."),
        ([d / 4 for d in dots], "You divided by head_dim; divide by its square ROOT, head_dim ** 0.5."),
        ([d * 2 for d in dots], "You multiplied by sqrt(head_dim); divide by it."),
        ([d / 3**0.5 for d in dots], "You divided by the square root of the number of keys; the scale "
                                      "depends on the length of the vectors, head_dim."),
    ]
    expect_numbers(got, want, f"for q = {q_numbers} and keys {key_numbers} you gave", mistakes,
             ": the score of each key is sum(q[j] * k[j]) / head_dim ** 0.5")
    got = as_numbers(call(attention_scores, to_values([1] * 9), [to_values([1] * 9), to_values([-1] * 9)], 9), 2,
                        "attention_scores(q, keys, head_dim=9)")
    if not same_numbers(got, [3.0, -3.0]):
        fail(f"for head_dim = 9, q = [1]*9 and keys [1]*9, [-1]*9 you gave {show(got)}, expected [3, -3] "
              "(dot products 9 and -9, divided by sqrt(9) = 3)")
    scores = call(attention_scores, q, keys, 4)
    scores[1].backward()
    if not same_numbers([v.grad for v in q], [1.0, 0.0, 0.0, 1.0]):
        fail("the scores are right, but no gradient reaches q: compute them with the Values themselves "
              "(not their .data), so that training can change the weights that made q and k")
    ok("score = q . k / sqrt(head_dim): [1, 0, -0.5] for the worked example")


@exercise("04-attend")
def check_attend(attend):
    """attend(weights, values) must be the weighted sum: out[j] = sum over t of weights[t] * values[t][j]."""
    w_numbers, v_numbers = [0.5, 0.25, 0.25], [[2, 0], [0, 4], [4, 8]]
    want = [2.0, 3.0]  # 0.5*2 + 0.25*0 + 0.25*4 and 0.5*0 + 0.25*4 + 0.25*8
    weights, values = to_values(w_numbers), [to_values(v) for v in v_numbers]
    what = "attend(weights, values) for 3 positions with values of 2 numbers"
    got = as_numbers(call(attend, weights, values), 2, what,
                        wrong_length="The output has one number per DIMENSION of a value vector (2 here), not "
                                     "one per position (3): for each j, add weights[t] * values[t][j] over the "
                                     "positions t.",
                        nested="Each output number is one sum over the positions: "
                               "sum(weights[t] * values[t][j] for t in range(len(values))).")
    mistakes = [
        ([6.0, 12.0], "You added up the value vectors without their weights: multiply each by its weight, "
                      "weights[t] * values[t][j]."),
        ([2.0, 4.0], "That is the plain average of the values; weight each position by its attention weight."),
        ([3.0, 3.0], "You picked the weight by the dimension j (weights[j]); each position t has one weight "
                     "for its whole value vector: weights[t] * values[t][j], the same t twice."),
    ]
    expect_numbers(got, want, f"with weights {w_numbers} and values {v_numbers} you gave", mistakes,
             ": out[j] = sum over the positions t of weights[t] * values[t][j]")
    # as many positions as dimensions, so that summing over the wrong index gives the right length
    got = as_numbers(call(attend, to_values([0.9, 0.1]), [to_values([1, 2]), to_values([3, 4])]), 2,
                        "attend(weights, values) for 2 positions with values of 2 numbers")
    if not same_numbers(got, [1.2, 2.2]):
        hint = (" You summed over the dimensions j instead of over the positions t: out[j] mixes the j-th number "
                "of every position's value." if same_numbers(got, [2.7, 0.7]) else "")
        fail(f"with weights [0.9, 0.1] and values [[1, 2], [3, 4]] you gave {show(got)}, expected "
              f"[1.2, 2.2] (0.9 * [1, 2] + 0.1 * [3, 4]).{hint}")
    out = call(attend, weights, values)
    sum(out).backward()
    if not same_numbers([w.grad for w in weights], [2.0, 4.0, 12.0]):
        fail("the numbers are right but no gradient reaches the weights: multiply the Values themselves "
              "(not their .data)")
    ok("out[j] = sum over t of weights[t] * values[t][j]: [2, 3] for the worked example")


@exercise("04-causal")
def check_causal_weights(causal_weights):
    """causal_weights(scores) must give row q the softmax of scores[q][:q + 1], then zeros for the future."""
    scores = [[0.0, 5.0, 5.0], [1.0, 1.0, 9.0], [0.0, math.log(2), 0.0]]
    want = [[1.0, 0.0, 0.0], [0.5, 0.5, 0.0], [0.25, 0.5, 0.25]]
    what = "causal_weights(scores) for 3 positions"
    try:
        got = call(causal_weights, [row[:] for row in scores])
    except (ValueError, ZeroDivisionError) as err:
        fail(f"causal_weights crashed with {type(err).__name__}: {err}. Is a row empty? Position q sees the "
              "keys 0 to q, itself included, so even position 0 has one key: scores[q][:q + 1]")
    rows = _grid_numbers(got, 3, what)
    if all(same_numbers(r, w) for r, w in zip(rows, want)):
        got = _grid_numbers(call(causal_weights, [[2.0]]), 1, "causal_weights([[2.0]])")
        if not same_numbers(got[0], [1.0]):
            fail(f"a single position must put all its weight on itself: causal_weights([[2.0]]) should be "
                  f"[[1.0]], got {got}")
        ok("row q is the softmax of scores[q][:q + 1], then zeros: the future gets no weight")
        return
    shown = "[" + ", ".join(show(r) for r in rows) + "]"
    prefix = f"for scores {scores} you gave {shown}, expected {want}."
    zero_masked = [[math.exp(s) / (sum(math.exp(x) for x in row[:q + 1]) + len(row) - q - 1) if k <= q else 0.0
                    for k, s in enumerate(row)] for q, row in enumerate(scores)]
    future = [(q, k) for q in range(3) for k in range(q + 1, 3) if abs(rows[q][k]) > 1e-12]
    if future:
        q, k = future[0]
        fail(f"{prefix} Position {q} gives weight {rows[q][k]:.3g} to position {k}, which comes AFTER it: a "
              "position may only look at itself and the past. Take the softmax of scores[q][:q + 1] only, and "
              "fill the rest of the row with 0.")
    if all(same_numbers(r, w) for r, w in zip(rows, zero_masked)):
        fail(f"{prefix} You gave the future a score of 0, but exp(0) = 1 still takes a share of the total. "
              "Leave the future out of the softmax altogether (or give it a score of minus infinity).")
    sums = [sum(r) for r in rows]
    if not all(close(s, 1.0) for s in sums):
        fail(f"{prefix} Your rows add up to {show(sums)}, not 1. Did you take the softmax of the whole row and "
              "then set the future to 0? Cut the row first, scores[q][:q + 1], then take the softmax.")
    fail(f"{prefix} Row q is the softmax of the scores of the keys 0..q, followed by zeros.")


@exercise("04-heads")
def check_head_slice(head_slice):
    """head_slice(vec, h, head_dim) must be vec[h * head_dim:(h + 1) * head_dim]."""
    vec = list(range(16))  # each number is its own index, so a wrong slice shows where it went
    for head_dim in (4, 2, 8):
        for h in range(16 // head_dim):
            want = vec[h * head_dim:(h + 1) * head_dim]
            got = call(head_slice, vec, h, head_dim)
            if not isinstance(got, list):
                fail(f"head_slice should return a list (a slice of vec), but it returned {got!r}")
            if got == want:
                continue
            if len(got) == head_dim - 1:
                hint = ("It is one number short: the end of a Python slice is NOT included, so head h ends at "
                        "(h + 1) * head_dim, not (h + 1) * head_dim - 1.")
            elif len(got) == head_dim + 1:
                hint = "It is one number too long: every head gets exactly head_dim numbers."
            elif got == vec[h:h + head_dim]:
                hint = ("You started at h; head h starts at h * head_dim, because each head before it takes "
                        "head_dim numbers.")
            elif len(got) != head_dim:
                hint = "Every head gets exactly head_dim numbers."
            else:
                hint = "Head h takes the numbers from h * head_dim up to (but not including) (h + 1) * head_dim."
            fail(f"head_slice(list(range(16)), h={h}, head_dim={head_dim}) gave {got}, expected {want}. {hint}")
    ok("head h gets vec[h * head_dim:(h + 1) * head_dim]: 4 heads of 4 tile the 16 numbers exactly")


@exercise("04-multihead")
def check_multi_head(multi_head_attention):
    """multi_head_attention(q, keys, values, n_head), plugged into a GPT, must give microgpt's own logits."""
    from ..model import (  # imported here: the checks of the early lessons need no model
        GPT,
        GPTConfig,
    )
    from ..model import gpt as forward
    from ..weights import load_pretrained

    def attention(q, keys, values, n_head):
        """The learner's function; a crash inside it becomes a hint (the cause stays in the traceback)."""
        try:
            return call(multi_head_attention, q, keys, values, n_head)
        except AssertionError:
            raise
        except Exception as err:
            raise AssertionError(
                f"multi_head_attention crashed with {type(err).__name__}: {err}. It calls your head_slice, "
                "attention_scores and attend: if their checks pass, look at what you give them. Each head works "
                "on vectors of head_dim = len(q) // n_head numbers, so that is the size to pass, not len(q) "
                "(the traceback above shows the line that failed)") from err

    def plugged(q, keys, values, n_head):
        """The learner's function as microgpt.model.gpt's attention, its output checked before the model uses it."""
        out, n_embd = attention(q, keys, values, n_head), len(q)
        as_numbers(out, n_embd, f"multi_head_attention(q, keys, values, n_head={n_head}) with {n_embd} numbers in q",
                   wrong_length=f"Concatenate the {n_head} heads' outputs of head_dim = {n_embd // n_head} "
                                f"numbers each into one list of {n_embd} (head_dim is len(q) // n_head).",
                   nested="Join the heads' outputs into ONE flat list: out.extend(head_out), not out.append.")
        return out

    one = to_values([0.5, -1.0, 2.0, 0.25, 1.5, -0.5])
    got = as_numbers(attention(to_values([1, 2, 3, 4, 5, 6]), [one], [one], 2), 6,
                        "multi_head_attention with one position, 6 numbers and 2 heads",
                        wrong_length="Concatenate the heads: n_head outputs of head_dim = len(q) // n_head "
                                     "numbers each.",
                        nested="Join the heads' outputs into ONE flat list: out.extend(head_out), not out.append.")
    if not same_numbers(got, [v.data for v in one]):
        fail(f"with a single position every head gives it weight 1, so the output must be that position's "
              f"value vector {show([v.data for v in one])}, but you gave {show(got)}. Are the weights the "
              "softmax of the scores? Does each head take its own slice of the values?")
    small = GPT(GPTConfig(vocab_size=6, n_embd=12, n_head=3, block_size=8), random.Random(1))
    model, tok = load_pretrained()
    cases = [(small, [5, 0, 1, 2, 1], "a small random GPT with 3 heads of 4"),
             (model, [tok.bos] + tok.encode("emma"), "the trained model (4 heads of 4) reading BOS, e, m, m, a")]
    for gpt, ids, name in cases:
        want_cache, got_cache = gpt.new_cache(), gpt.new_cache()
        for pos, token in enumerate(ids):
            want = [v.data for v in gpt(token, pos, *want_cache)]
            got = [v.data for v in forward(token, pos, *got_cache, gpt.state_dict, gpt.config, heads=plugged)]
            if not same_numbers(got, want, 1e-9):
                where = ("at position 0, where there is one key and each head's output is just its slice of the "
                         "value" if pos == 0 else f"at position {pos} (earlier positions were right)")
                fail(f"in {name}, the logits differ from microgpt's {where}: for example "
                      f"{got[0]:.6f} instead of {want[0]:.6f}. Each head h must use its own slice "
                      "head_slice(..., h, head_dim) of q, of EVERY key and of EVERY value, with head_dim = "
                      "len(q) // n_head; its weights are softmax(attention_scores(q_h, k_h, head_dim)), scaled "
                      "by the head's own size head_dim, not len(q); the heads' outputs are concatenated in order "
                      "h = 0, 1, ...")
    ok("plugged into the trained model, your multi-head attention gives exactly microgpt's logits")


HINTS = {
    "04-scores": (
        "A key scores high when it points the same way as the query: the dot product measures that.",
        "score_t = (q . k_t) / sqrt(head_dim), with q . k = sum over j of q[j] * k[j].",
        "return [sum(q[j] * k[j] for j in range(...)) / head_dim ** 0.5 for k in keys]",
    ),
    "04-attend": (
        "The output is a blend of the value vectors, each weighted by its position's attention weight.",
        "out[j] = sum over positions t of weights[t] * values[t][j], for each dimension j.",
        "return [sum(weights[t] * values[t][j] for t in range(len(values))) for j in range(len(values[0]))]",
    ),
    "04-causal": (
        "Position q may only look at itself and the past: the keys 0 to q. The future gets weight 0.",
        "row q = softmax(scores[q][0..q]) followed by n - q - 1 zeros.",
        "seen = softmax_floats(scores[q][:q + 1]); weights.append(seen + [0.0] * (...))",
    ),
    "04-heads": (
        "The n_embd numbers are cut into n_head consecutive pieces of head_dim numbers, one per head.",
        "head h gets the numbers from h * head_dim up to (but not including) (h + 1) * head_dim.",
        "return vec[<start>:<end>] with start = h * head_dim (Python slices exclude their end).",
    ),
    "04-multihead": (
        "Each head runs the single-head attention of this lesson on its own slice of q, of every key and of "
        "every value; the heads' outputs are joined end to end.",
        "for head h: q_h, k_h, v_h = the h-th slices; out_h = attend(softmax(attention_scores(q_h, k_h, "
        "head_dim)), v_h); out = out_0 + out_1 + ...",
        "q_h = head_slice(q, h, head_dim); k_h = [head_slice(k, ...) for k in keys]; v_h likewise; "
        "weights = softmax(...); out.extend(attend(...))",
    ),
}
add_hints(HINTS)
