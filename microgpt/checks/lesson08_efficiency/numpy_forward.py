"""Checks of lesson 08: rmsnorm and the causal mask with NumPy (08-rmsnorm, 08-mask)."""


from ... import nn
from ...i18n import N_, _, tr
from ..exercise import exercise
from ..failure import call, fail, ok
from ..numbers import to_values


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


ARRAY_CANNOT_COMBINED_X = N_(
    "An array that cannot be combined with x usually means the mean square lost its "
    "axis: take it with keepdims=True, so that it has shape (rows, 1) and scales each "
    "row.")
LEFT_OUT_ADD_MEAN = N_(
    "You left out the 1e-5: add it to the mean square before the root. In this "
    "row the numbers are small, and there the 1e-5 matters.")
TOOK_MEAN_OVER_AXIS = N_(
    "You took the mean over axis 0, down each COLUMN; each row is one position's vector and must be "
    "normalised on its own: mean over axis=1 (the last axis).")
USED_SUM_SQUARES_ROW = N_(
    "You used the SUM of the squares of each row; rmsnorm uses their MEAN (divide by the row "
    "length).")
DIVIDED_MEAN_SQUARE_ITSELF = N_("You divided by the mean square itself; divide by its square ROOT (the power -0.5).")


@exercise(
    "08-rmsnorm", stars=1, minutes=5,
    hints=(
        N_("Do rmsnorm on every row at once: one mean square per row, kept as a column so it scales its row."),
        N_("ms = mean of x**2 along axis 1 (keepdims); out = x * (ms + 1e-5) ** -0.5."),
        N_("ms = (x * x).mean(axis=1, keepdims=True); return x * (...) ** -0.5"),
    ),
    wrong=[
        ("ms = (x * x).mean(axis=1, keepdims=True)\nreturn x / np.sqrt(ms)", LEFT_OUT_ADD_MEAN),
        ("ms = (x * x).mean(axis=0, keepdims=True)\nreturn x * (ms + 1e-5) ** -0.5", TOOK_MEAN_OVER_AXIS),
        ("ms = (x * x).mean(axis=1)\nreturn x * (ms + 1e-5) ** -0.5", ARRAY_CANNOT_COMBINED_X),
        ("ms = (x * x).sum(axis=1, keepdims=True)\nreturn x * (ms + 1e-5) ** -0.5", USED_SUM_SQUARES_ROW),
        ("ms = (x * x).mean(axis=1, keepdims=True)\nreturn x * (ms + 1e-5) ** -1", DIVIDED_MEAN_SQUARE_ITSELF),
    ],
)
def check_rmsnorm_np(rmsnorm_np):
    """rmsnorm_np(x) must apply microgpt.rmsnorm to every row of a 2-D array (lesson 08)."""
    np = _np()
    rng = np.random.default_rng(8)
    x = np.vstack([rng.normal(0, 1, (2, 5)), [[1.0, -2.0, 3.0, 0.5, 2.0]], 0.002 * rng.normal(0, 1, (1, 5))])
    want = np.array([[v.data for v in nn.rmsnorm(to_values(row))] for row in x.tolist()])
    original = x.copy()
    errors = {ValueError: _(ARRAY_CANNOT_COMBINED_X)}
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
             _(LEFT_OUT_ADD_MEAN)),
            (x * (squares.mean(axis=0, keepdims=True) + 1e-5) ** -0.5,
             _(TOOK_MEAN_OVER_AXIS)),
            (x * (squares.sum(axis=1, keepdims=True) + 1e-5) ** -0.5,
             _(USED_SUM_SQUARES_ROW)),
            (x / np.linalg.norm(x, axis=1, keepdims=True),
             _("Dividing by the length (norm) of each row uses the sum of the squares, not their mean, and no "
               "1e-5: take the mean of the squares over axis 1, add 1e-5, then the power -0.5.")),
            (x * (squares.mean(axis=1, keepdims=True) + 1e-5) ** -1,
             _(DIVIDED_MEAN_SQUARE_ITSELF)),
        ]
        row = int(np.abs(got - want).max(axis=1).argmax())  # show the row that is most wrong
        what = tr("rmsnorm_np(x) differs from microgpt.rmsnorm applied to each row (row {row} of x: "
                  "{got} instead of {want}).", row=row, got=got[row].round(4).tolist(),
                  want=want[row].round(4).tolist())
        for wrong, hint in mistakes:
            if np.allclose(got, wrong, rtol=1e-9, atol=1e-12):
                fail(what, hint)
        fail(what, _("Each row is one position: scale it by its own mean square, taken along the row, as lesson "
                     "03's rmsnorm does for one vector."))
    with np.errstate(invalid="ignore", divide="ignore"):
        zeros = call(rmsnorm_np, np.zeros((2, 3)), errors=errors)
    zeros = _array(zeros, (2, 3), "rmsnorm_np(np.zeros((2, 3)))")
    if not np.array_equal(zeros, np.zeros((2, 3))):
        fail(tr("rmsnorm_np(np.zeros((2, 3))) gave {got}: a row of zeros should stay zeros.", got=zeros.tolist()),
             _("Add 1e-5 to the mean square before the root."))
    ok(_("rmsnorm_np normalises every row exactly as microgpt.rmsnorm does, all rows in one go"))


MASK_ADDED_SCORES_BEFORE = N_(
    "This mask is ADDED to the scores before the softmax: it must be 0 where a position may look "
    "(the score is kept) and -np.inf where it may not (exp(-inf) = 0, so that key gets no "
    "weight).")
ROW_Q_QUERY_COLUMN = N_(
    "Row q is the query, column k the key, and position q may see keys k <= q (the past and "
    "itself): -inf goes ABOVE the diagonal (np.triu), not below it.")
POSITION_MAY_ATTEND_ITSELF = N_(
    "A position may attend to itself (position 0 has nothing else to look at: with its only score "
    "at -inf its softmax would be nan). Start the -inf one diagonal ABOVE the main one (np.triu's "
    "k).")


@exercise(
    "08-mask", stars=1, minutes=5,
    hints=(
        N_("The mask is added to the scores: 0 keeps a score, -inf removes it (exp(-inf) = 0)."),
        N_("mask[q][k] = 0 if k <= q else -inf: -inf strictly above the diagonal."),
        N_("return np.triu(np.full((n, n), -np.inf), k=...)"),
    ),
    wrong=[
        ("return np.tril(np.full((n, n), -np.inf), k=-1)", ROW_Q_QUERY_COLUMN),
        ("return np.triu(np.full((n, n), -np.inf))", POSITION_MAY_ATTEND_ITSELF),
        ("return np.tril(np.ones((n, n)))", MASK_ADDED_SCORES_BEFORE),
    ],
)
def check_causal_mask(causal_mask):
    """causal_mask(n) must be an (n, n) array: 0 where key <= query, -inf where the key is later (lesson 08)."""
    np = _np()
    for n in (4, 1, 6):
        want = np.array([[0.0 if key <= query else -np.inf for key in range(n)] for query in range(n)])
        got = call(causal_mask, n)
        got = _array(got, (n, n), f"causal_mask({n})")
        if got.dtype == bool or (np.isin(got, [0.0, 1.0]).all() and (got == 1).any()):
            fail(tr("causal_mask({n}) holds only 0s and 1s (or True/False).", n=n),
                 _(MASK_ADDED_SCORES_BEFORE))
        if np.array_equal(got, want):
            continue
        if np.array_equal(got, want.T):
            fail(tr("causal_mask({n}) is upside down.", n=n),
                 _(ROW_Q_QUERY_COLUMN))
        if np.array_equal(got, np.triu(np.full((n, n), -np.inf))):
            fail(tr("causal_mask({n}) hides the diagonal too.", n=n),
                 _(POSITION_MAY_ATTEND_ITSELF))
        if not got.any():
            fail(tr("causal_mask({n}) is all zeros: it hides nothing, so every position would see the future.", n=n),
                 _("Put -np.inf above the diagonal, where the key comes after the query."))
        if np.isfinite(got).all() and (got[np.triu_indices(n, 1)] < -1e3).all():
            fail(tr("causal_mask({n}) uses a large negative number above the diagonal.", n=n),
                 _("Use -np.inf, so that exp() gives exactly 0 for the future whatever the scores are."))
        fail(tr("causal_mask({n}) is\n{got}\nexpected\n{want}", n=n, got=got, want=want),
             _("0 on and below the diagonal, -inf above it."))
    ok(_("causal_mask: 0 on and below the diagonal (the past and itself), -inf above it (the future)"))
