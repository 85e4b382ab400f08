"""Checks of lesson 08: attention of all positions at once with NumPy (08-attention)."""


from ... import nn
from ...i18n import N_, _, tr
from ..exercise import exercise
from ..failure import call, fail, ok
from ..numbers import to_values
from .numpy_forward import _array, _np


def _attention_loops(q, k, v):
    """Causal attention query by query, with microgpt.model's own attention_scores and attend: lesson 04's way."""
    from ...model import attend, attention_scores  # imported here, as in the other lessons' checks

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


SIZES_MATRIX_PRODUCT_DO = N_(
    "The sizes of a matrix product do not fit. k is (n_head, n, head_dim), and k.T reverses "
    "ALL three axes; swap only the last two (swapaxes), so that q times k's transpose is "
    "(n_head, n, n) and the weights times v is (n_head, n, head_dim).")


def _attempt_attention(attention_np, q, k, v, mask):
    """Call the learner's attention_np; a shape error becomes a failure with the hint its message suggests."""

    def shapes(err):
        """The hint for a ValueError about shapes."""
        if "matmul" in str(err):  # a product whose inner sizes differ: almost always the transpose of k
            return _(SIZES_MATRIX_PRODUCT_DO)
        return _("Two arrays of different shapes could not be combined. A max or a sum over the last "
                 "axis of the (n_head, n, n) scores must keep that axis, keepdims=True, to give "
                 "(n_head, n, 1), which subtracts from (or divides) each row of scores.")

    return call(attention_np, q, k, v, mask, errors={ValueError: shapes})


SUBTRACT_ROW_LARGEST_SCORE = N_(
    "Subtract each row's largest score (the max over the last axis, keepdims=True) before exp, as the "
    "stable softmax of lesson 03 does; it changes nothing else.")
FORGOT_SCALE_DIVIDE_SCORES = N_(
    "You forgot the scale: divide the scores q . k by sqrt(head_dim) (the square root of "
    "q.shape[-1]) before the softmax, as the model does.")
FUTURE_LEAKS_ADD_MASK = N_(
    "The future leaks in: add the mask to the scores before the softmax, so that each position sees "
    "only itself and the past.")
SOFTMAX_RUNS_OVER_WRONG = N_(
    "The softmax runs over the wrong axis. The scores are (n_head, queries, keys): each query's "
    "weights over the KEYS must add up to 1, so normalise over the last axis (axis=-1).")


@exercise(
    "08-attention", stars=2, minutes=15,
    hints=(
        N_("Lesson 04's attention for all heads and positions at once, with matrix products and the mask."),
        N_("weights = softmax(q k^T / sqrt(head_dim) + mask) over the keys (last axis); out = weights v."),
        N_("scores = q @ k.swapaxes(-1, -2) / ... + mask; subtract scores.max(axis=-1, keepdims=True); exp; "
           "divide by the sum over axis -1; return weights @ v"),
    ),
    wrong=[
        ("scores = q @ k.swapaxes(-1, -2) + mask\n"
         "scores = scores - scores.max(axis=-1, keepdims=True)\n"
         "weights = np.exp(scores)\n"
         "weights = weights / weights.sum(axis=-1, keepdims=True)\n"
         "return weights @ v",
         FORGOT_SCALE_DIVIDE_SCORES),
        ("scores = q @ k.swapaxes(-1, -2) / math.sqrt(q.shape[-1]) + mask\n"
         "scores = scores - scores.max(axis=1, keepdims=True)\n"
         "weights = np.exp(scores)\n"
         "weights = weights / weights.sum(axis=1, keepdims=True)\n"
         "return weights @ v",
         SOFTMAX_RUNS_OVER_WRONG),
        ("scores = q @ k.T / math.sqrt(q.shape[-1]) + mask\n"
         "scores = scores - scores.max(axis=-1, keepdims=True)\n"
         "weights = np.exp(scores)\n"
         "weights = weights / weights.sum(axis=-1, keepdims=True)\n"
         "return weights @ v",
         SIZES_MATRIX_PRODUCT_DO),
        ("scores = q @ k.swapaxes(-1, -2) / math.sqrt(q.shape[-1])\n"
         "scores = scores - scores.max(axis=-1, keepdims=True)\n"
         "weights = np.exp(scores)\n"
         "weights = weights / weights.sum(axis=-1, keepdims=True)\n"
         "return weights @ v",
         FUTURE_LEAKS_ADD_MASK),
        ("scores = q @ k.swapaxes(-1, -2) / math.sqrt(q.shape[-1]) + mask\n"
         "weights = np.exp(scores)\n"
         "weights = weights / weights.sum(axis=-1, keepdims=True)\n"
         "return weights @ v",
         SUBTRACT_ROW_LARGEST_SCORE),
    ],
)
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
             _(FORGOT_SCALE_DIVIDE_SCORES)),
            (_softmax_np(raw / d + mask, -1),
             _("You divided the scores by head_dim; divide by its square root.")),
            (_softmax_np(raw / np.sqrt(d), -1),
             _(FUTURE_LEAKS_ADD_MASK)),
            (_softmax_np(raw / np.sqrt(d) + mask, 1),
             _(SOFTMAX_RUNS_OVER_WRONG)),
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
             _(SUBTRACT_ROW_LARGEST_SCORE))
    ok(_("attention_np matches attention computed query by query, for every head at once"))
