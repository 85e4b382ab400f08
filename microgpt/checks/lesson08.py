"""Checks for lesson 08: efficiency."""

import math

from .. import nn
from ..i18n import N_, _, tr
from .common import (
    add_hints,
    call,
    exercise,
    expect_number,
    fail,
    ok,
    to_values,
)

__all__ = ["check_attention_np", "check_causal_mask", "check_growth_exponent", "check_linear_nodes", "check_rmsnorm_np"]


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


@exercise("08-nodes")
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
            nin * nout: N_("That counts only the multiplications w_i * x_i. Each product is then added into the "
                           "running sum, and every + makes a new Value too."),
            2 * nin * nout: N_("Products and additions, right, but one Value per output is missing: sum() "
                               "starts from the integer 0, and 0 + Value wraps that 0 in a new constant Value."),
            (2 * nin - 1) * nout: N_("On paper nin numbers need nin - 1 additions, but the built-in sum() "
                                     "starts from 0, so it makes nin additions, and the 0 becomes a Value."),
            2 * nin * nout - 1: N_("Count per output: each of the nout rows gets its own sum, from its own 0."),
        }
        if got != want:
            fail(tr("{what} is {got}, but microgpt.linear creates {want} Values.", what=what, got=got, want=want),
                 _(hints.get(got, N_("For each of the nout outputs count the products, the additions of sum() "
                                     "(it starts from the integer 0) and the constant Value that 0 becomes."))))
    ok(_("linear(x, w) creates 528 Values for a 16 x 16 matrix, for ONE position: 2 * nin + 1 per output"))


def _np():
    """NumPy, imported only when a lesson-08 check runs (the rest of the package never needs it)."""
    import numpy

    return numpy


def _array(got, shape, what):
    """`got` as a float array of `shape`, failing with a clear message when it is not one."""
    np = _np()
    if not isinstance(got, np.ndarray):
        fail(tr("{what} should return a NumPy array, but it returned a {kind}.", what=what,
                kind=type(got).__name__),
             _("Compute with NumPy operations on the array, which return arrays."))
    if got.shape != shape:
        fail(tr("{what} returned an array of shape {got}, expected {want}.", what=what, got=got.shape, want=shape),
             _("Keep the axes you reduce over with keepdims=True, so that shapes line up."))
    return got


@exercise("08-rmsnorm")
def check_rmsnorm_np(rmsnorm_np):
    """rmsnorm_np(x) must apply microgpt.rmsnorm to every row of a 2-D array (lesson 08)."""
    np = _np()
    rng = np.random.default_rng(8)
    x = np.vstack([rng.normal(0, 1, (2, 5)), [[1.0, -2.0, 3.0, 0.5, 2.0]], 0.002 * rng.normal(0, 1, (1, 5))])
    want = np.array([[v.data for v in nn.rmsnorm(to_values(row))] for row in x.tolist()])
    original = x.copy()
    errors = {ValueError: _("An array that cannot be combined with x usually means the mean square lost its "
                            "axis: take it with keepdims=True, so that it has shape (rows, 1) and scales each "
                            "row.")}
    got = _array(call(rmsnorm_np, x, errors=errors), x.shape,
                 tr("rmsnorm_np(x) for x of shape {shape}", shape=x.shape))
    if not np.array_equal(x, original):
        fail(_("rmsnorm_np changed its input array in place (x *= ... or x /= ...)."),
             _("Compute a new array, because the caller still needs x (the residual connection adds it back "
               "later)."))
    if not np.allclose(got, want, rtol=1e-9, atol=1e-12):
        squares = x * x
        mistakes = [
            (x / np.sqrt(squares.mean(axis=1, keepdims=True)),
             _("You left out the 1e-5: add it to the mean square before the root. In this "
               "row the numbers are small, and there the 1e-5 matters.")),
            (x * (squares.mean(axis=0, keepdims=True) + 1e-5) ** -0.5,
             _("You took the mean over axis 0, down each COLUMN; each row is one position's vector and must be "
               "normalised on its own: mean over axis=1 (the last axis).")),
            (x * (squares.sum(axis=1, keepdims=True) + 1e-5) ** -0.5,
             _("You used the SUM of the squares of each row; rmsnorm uses their MEAN (divide by the row "
               "length).")),
            (x / np.linalg.norm(x, axis=1, keepdims=True),
             _("Dividing by the length (norm) of each row uses the sum of the squares, not their mean, and no "
               "1e-5: take the mean of the squares over axis 1, add 1e-5, then the power -0.5.")),
            (x * (squares.mean(axis=1, keepdims=True) + 1e-5) ** -1,
             _("You divided by the mean square itself; divide by its square ROOT (the power -0.5).")),
        ]
        row = int(np.abs(got - want).max(axis=1).argmax())  # show the row that is most wrong
        what = tr("rmsnorm_np(x) differs from microgpt.rmsnorm applied to each row (row {row} of x: "
                  "{got} instead of {want}).", row=row, got=got[row].round(4).tolist(),
                  want=want[row].round(4).tolist())
        for wrong, hint in mistakes:
            if np.allclose(got, wrong, rtol=1e-9, atol=1e-12):
                fail(what, hint)
        fail(what, _("Each row times (the mean of its squares + 1e-5) ** -0.5, the mean over axis 1."))
    with np.errstate(invalid="ignore", divide="ignore"):
        zeros = call(rmsnorm_np, np.zeros((2, 3)), errors=errors)
    zeros = _array(zeros, (2, 3), "rmsnorm_np(np.zeros((2, 3)))")
    if not np.array_equal(zeros, np.zeros((2, 3))):
        fail(tr("rmsnorm_np(np.zeros((2, 3))) gave {got}: a row of zeros should stay zeros.", got=zeros.tolist()),
             _("Add 1e-5 to the mean square before the root."))
    ok(_("rmsnorm_np normalises every row exactly as microgpt.rmsnorm does, all rows in one go"))


@exercise("08-mask")
def check_causal_mask(causal_mask):
    """causal_mask(n) must be an (n, n) array: 0 where key <= query, -inf where the key is later (lesson 08)."""
    np = _np()
    for n in (4, 1, 6):
        want = np.array([[0.0 if key <= query else -np.inf for key in range(n)] for query in range(n)])
        got = call(causal_mask, n)
        got = _array(got, (n, n), f"causal_mask({n})")
        if got.dtype == bool or (np.isin(got, [0.0, 1.0]).all() and (got == 1).any()):
            fail(tr("causal_mask({n}) holds only 0s and 1s (or True/False).", n=n),
                 _("This mask is ADDED to the scores before the softmax: it must be 0 where a position may look "
                   "(the score is kept) and -np.inf where it may not (exp(-inf) = 0, so that key gets no "
                   "weight)."))
        if np.array_equal(got, want):
            continue
        if np.array_equal(got, want.T):
            fail(tr("causal_mask({n}) is upside down.", n=n),
                 _("Row q is the query, column k the key, and position q may see keys k <= q (the past and "
                   "itself): -inf goes ABOVE the diagonal (np.triu), not below it."))
        if np.array_equal(got, np.triu(np.full((n, n), -np.inf))):
            fail(tr("causal_mask({n}) hides the diagonal too.", n=n),
                 _("A position may attend to itself (position 0 has nothing else to look at: with its only score "
                   "at -inf its softmax would be nan). Start the -inf one diagonal ABOVE the main one (np.triu's "
                   "k)."))
        if not got.any():
            fail(tr("causal_mask({n}) is all zeros: it hides nothing, so every position would see the future.", n=n),
                 _("Put -np.inf above the diagonal, where the key comes after the query."))
        if np.isfinite(got).all() and (got[np.triu_indices(n, 1)] < -1e3).all():
            fail(tr("causal_mask({n}) uses a large negative number above the diagonal.", n=n),
                 _("Use -np.inf, so that exp() gives exactly 0 for the future whatever the scores are."))
        fail(tr("causal_mask({n}) is\n{got}\nexpected\n{want}", n=n, got=got, want=want),
             _("0 on and below the diagonal, -inf above it."))
    ok(_("causal_mask: 0 on and below the diagonal (the past and itself), -inf above it (the future)"))


def _attention_loops(q, k, v):
    """Causal attention query by query, with microgpt.model's own attention_scores and attend: lesson 04's way."""
    from ..model import attend, attention_scores  # imported here, as in the other lessons' checks

    out = []
    for q_h, k_h, v_h in zip(q, k, v):  # one head at a time: each (n, head_dim)
        rows = []
        for t, query in enumerate(q_h):  # position t sees the keys and values 0..t
            scores = attention_scores(to_values(query), [to_values(key) for key in k_h[:t + 1]], len(query))
            rows.append([x.data for x in attend(nn.softmax(scores), [to_values(val) for val in v_h[:t + 1]])])
        out.append(rows)
    return out


def _softmax_np(scores, axis):
    """softmax of `scores` along `axis` (nan where a whole slice is -inf), for naming a learner's mistake."""
    np = _np()
    with np.errstate(invalid="ignore", over="ignore"):
        weights = np.exp(scores - scores.max(axis=axis, keepdims=True))
        return weights / weights.sum(axis=axis, keepdims=True)


def _attempt_attention(attention_np, q, k, v, mask):
    """Call the learner's attention_np; a shape error becomes a failure with the hint its message suggests."""

    def shapes(err):
        """The hint for a ValueError about shapes."""
        if "matmul" in str(err):  # a product whose inner sizes differ: almost always the transpose of k
            return _("The sizes of a matrix product do not fit. k is (n_head, n, head_dim), and k.T reverses "
                     "ALL three axes; swap only the last two (swapaxes), so that q times k's transpose is "
                     "(n_head, n, n) and the weights times v is (n_head, n, head_dim).")
        return _("Two arrays of different shapes could not be combined. A max or a sum over the last "
                 "axis of the (n_head, n, n) scores must keep that axis, keepdims=True, to give "
                 "(n_head, n, 1), which subtracts from (or divides) each row of scores.")

    return call(attention_np, q, k, v, mask, errors={ValueError: shapes})


@exercise("08-attention")
def check_attention_np(attention_np):
    """attention_np(q, k, v, mask) must be causal attention for every head and position, as in lesson 04."""
    np = _np()
    rng = np.random.default_rng(4)
    n_head, n, d = 2, 5, 4
    q, k, v = (rng.normal(0, 1.5, (n_head, n, d)) for _i in range(3))
    mask = np.array([[0.0 if key <= query else -np.inf for key in range(n)] for query in range(n)])
    want = np.array(_attention_loops(q.tolist(), k.tolist(), v.tolist()))
    what = tr("attention_np for q, k, v of shape {shape}", shape=q.shape)
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        got = _array(_attempt_attention(attention_np, q, k, v, mask), q.shape, what)
    if not np.allclose(got, want, rtol=1e-9, atol=1e-12):
        raw = q @ k.swapaxes(-1, -2)  # (n_head, queries, keys)
        variants = [
            (_softmax_np(raw + mask, -1),
             _("You forgot the scale: divide the scores q . k by sqrt(head_dim) (the square root of "
               "q.shape[-1]) before the softmax, as the model does.")),
            (_softmax_np(raw / d + mask, -1),
             _("You divided the scores by head_dim; divide by its square root.")),
            (_softmax_np(raw / np.sqrt(d), -1),
             _("The future leaks in: add the mask to the scores before the softmax, so that each position sees "
               "only itself and the past.")),
            (_softmax_np(raw / np.sqrt(d) + mask, 1),
             _("The softmax runs over the wrong axis. The scores are (n_head, queries, keys): each query's "
               "weights over the KEYS must add up to 1, so normalise over the last axis (axis=-1).")),
            (_softmax_np(raw / np.sqrt(d) + mask, 0),
             _("The softmax runs over the heads (axis 0). Each query's weights over the KEYS must add up to 1: "
               "normalise over the last axis (axis=-1).")),
        ]
        for weights, hint in variants:
            if np.allclose(got, weights @ v, equal_nan=True):
                fail(tr("{what} differs from attention computed query by query.", what=what), hint)
        if np.isnan(got).any():
            fail(tr("{what} contains nan.", what=what),
                 _("Add the mask to the scores (0 keeps a score, -inf removes it): multiplying by it gives "
                   "0 * -inf = nan."))
        fail(tr("{what} differs from attention computed query by query (largest difference {diff:.3g}).",
                what=what, diff=np.abs(got - want).max()),
             _("Scores q k^T / sqrt(head_dim) + mask, a softmax over the last axis (the keys), then the weights "
               "times v."))
    # large scores: exp overflows unless the largest score of each row is subtracted first
    big_q = q * 500
    want = np.array(_attention_loops(big_q.tolist(), k.tolist(), v.tolist()))
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        got = _array(_attempt_attention(attention_np, big_q, k, v, mask), q.shape, what)
    if not np.allclose(got, want, rtol=1e-9, atol=1e-12):
        fail(_("with large scores (q 500 times bigger) attention_np gives nan: exp() overflows.")
             if np.isnan(got).any() else
             _("with large scores (q 500 times bigger) attention_np gives wrong numbers: exp() overflows."),
             _("Subtract each row's largest score (the max over the last axis, keepdims=True) before exp, as the "
               "stable softmax of lesson 03 does; it changes nothing else."))
    ok(_("attention_np matches attention computed query by query, for every head at once"))


@exercise("08-growth")
def check_growth_exponent(growth_exponent):
    """growth_exponent(size1, time1, size2, time2) must be log(time2 / time1) / log(size2 / size1) (lesson 08)."""
    for case, want in [((16, 1.0, 32, 8.0), 3.0), ((16, 1.0, 32, 4.0), 2.0), ((8, 0.5, 64, 4.0), 1.0),
                       ((10, 2.0, 100, 2.0), 0.0), ((2, 3.0, 8, 24.0), 1.5),
                       ((16, 0.3, 64, 6.0), math.log(20) / math.log(4))]:
        s1, t1, s2, t2 = case
        upside_down = _("Upside down: the time's ratio goes on top, log(time2 / time1) / log(size2 / size1).")
        mistakes = [(t2 / t1, _("That is how many times longer it took; the exponent p asks: the size grew by "
                                "size2 / size1, and time grew by that factor to the power p. Solve with logs.")),
                    ((t2 / t1) / (s2 / s1), _("Dividing the two ratios does not give a power: take logs, "
                                              "log(time2 / time1) / log(size2 / size1).")),
                    (math.log(s2 / s1) / math.log(t2 / t1) if t2 != t1 else math.inf, upside_down)]
        if t2 > t1 and s2 > s1:
            mistakes.append((math.log(t2 - t1) / math.log(s2 - s1),
                             _("Powers show in RATIOS, not differences: log(time2 / time1) / "
                               "log(size2 / size1).")))
        got = call(growth_exponent, *case, errors={
            ZeroDivisionError: upside_down,
            ValueError: _("log of zero or a negative number: use the RATIOS time2 / time1 and size2 / size1.")})
        expect_number(got, want, f"growth_exponent{case}", mistakes, tol=1e-9,
                      otherwise=_("If time = c * size ** p, then time2 / time1 = (size2 / size1) ** p: take the "
                                  "log of both sides and solve for p."))
    ok(_("growth_exponent: 4 times the time for twice the size is p = 2 (time grows like size squared)"))


HINTS = {
    "08-nodes": (
        N_("Count the Values one output of linear creates: its products, its additions, and sum()'s start."),
        N_("per output: nin products + nin additions (sum() starts from 0) + 1 (that 0 as a Value)."),
        N_("return (2 * nin + ...) * nout"),
    ),
    "08-rmsnorm": (
        N_("Do rmsnorm on every row at once: one mean square per row, kept as a column so it scales its row."),
        N_("ms = mean of x**2 along axis 1 (keepdims); out = x * (ms + 1e-5) ** -0.5."),
        N_("ms = (x * x).mean(axis=1, keepdims=True); return x * (...) ** -0.5"),
    ),
    "08-mask": (
        N_("The mask is added to the scores: 0 keeps a score, -inf removes it (exp(-inf) = 0)."),
        N_("mask[q][k] = 0 if k <= q else -inf: -inf strictly above the diagonal."),
        N_("return np.triu(np.full((n, n), -np.inf), k=...)"),
    ),
    "08-attention": (
        N_("Lesson 04's attention for all heads and positions at once, with matrix products and the mask."),
        N_("weights = softmax(q k^T / sqrt(head_dim) + mask) over the keys (last axis); out = weights v."),
        N_("scores = q @ k.swapaxes(-1, -2) / ... + mask; subtract scores.max(axis=-1, keepdims=True); exp; "
           "divide by the sum over axis -1; return weights @ v"),
    ),
    "08-growth": (
        N_("If time grows like size ** p, then the ratio of times is the ratio of sizes to the power p."),
        N_("time2 / time1 = (size2 / size1) ** p, so p = log(time2 / time1) / log(size2 / size1)."),
        N_("return math.log(...) / math.log(...)"),
    ),
}
add_hints(HINTS)
