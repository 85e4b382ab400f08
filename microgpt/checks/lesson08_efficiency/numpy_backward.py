"""Checks of lesson 08: the build: the MLP's backward pass by hand with NumPy (08-build-mlp-backward)."""


from ...i18n import N_, _, tr
from ...nn import linear
from ...value import Value
from ..exercise import exercise
from ..failure import MATMUL_SHAPES, call, fail, ok


def _scalar_mlp_grads(xn, w1, w2, dout):
    """The scalar engine's gradients of sum(mlp(xn) * dout) for xn, w1 and w2, as arrays (lesson 08)."""
    import numpy as np

    values = [[[Value(float(number)) for number in row] for row in a] for a in (xn, w1, w2)]
    x_rows, w1_rows, w2_rows = values
    total = Value(0.0)
    for x_t, d_t in zip(x_rows, dout):  # one position at a time, as the scalar model runs
        out = linear([h.relu() for h in linear(x_t, w1_rows)], w2_rows)  # (C,)
        total = total + sum(o * float(d) for o, d in zip(out, d_t))
    total.backward()  # d total / d out = dout: the gradient arriving at the MLP's output
    return tuple(np.array([[v.grad for v in row] for row in a]) for a in values)


def _inputs(rows, width, seed):
    """A random MLP's input (rows, width), weights fc1 (4 width, width), fc2 (width, 4 width), and dout."""
    import numpy as np

    rng = np.random.default_rng(seed)
    return (rng.normal(size=(rows, width)), rng.normal(0, 0.5, size=(4 * width, width)),
            rng.normal(0, 0.5, size=(width, 4 * width)), rng.normal(size=(rows, width)))


def _variants(xn, w1, w2, dout):
    """Named mistakes: what each would return, to recognise them."""
    import numpy as np

    h = xn @ w1.T
    r = np.maximum(h, 0)
    dr = dout @ w2
    dh = dr * (h > 0)
    return {  # (dxn, dw1, dw2) of each mistake
        "no-relu": (dr @ w1, dr.T @ xn, dout.T @ r),
        "relu-of-h": ((dr * r) @ w1, (dr * r).T @ xn, dout.T @ r),
        "before-relu": (dh @ w1, dh.T @ xn, dout.T @ h),
    }


RELU_LETS_GRADIENT_THROUGH = N_(
    "relu lets the gradient through only where its input h was positive (its derivative is 1 there "
    "and 0 elsewhere): multiply the gradient arriving at relu's output by a mask of h > 0.")
RELU_DERIVATIVE_WHERE_H = N_(
    "relu's derivative is 1 where h > 0 and 0 elsewhere; you multiplied by relu's output instead "
    "of by that 0/1 mask.")
FC_READS_RELU_OUTPUT = N_(
    "fc2 reads relu's OUTPUT, so its weight gradient pairs dout with the activations after "
    "the relu, not before it.")


_HINTS = {
    "no-relu": RELU_LETS_GRADIENT_THROUGH,
    "relu-of-h": RELU_DERIVATIVE_WHERE_H,
    "before-relu": FC_READS_RELU_OUTPUT,
}


WEIGHT_GRADIENT_HAS_WEIGHT = N_(
    "A weight's gradient has the weight's shape; for y = x @ w.T, that is (outputs, inputs): "
    "transpose the other factor of the product.")


def _compare(got, want, xn, w1, w2, dout, what):
    """Fail on the first of dxn, dw1, dw2 that differs from the scalar engine's, naming the likely mistake."""
    import numpy as np

    names = ("dxn", "dw1", "dw2")
    for name, mine, right, shape_of in zip(names, got, want, ("xn", "w1", "w2")):
        if not isinstance(mine, np.ndarray):
            fail(tr("{what}: {name} is a {kind}, not a NumPy array.", what=what, name=name,
                    kind=type(mine).__name__),
                 _("Compute with array operations."))
        if mine.shape != right.shape:
            hint = (_(WEIGHT_GRADIENT_HAS_WEIGHT) if name != "dxn" else
                    _("The input's gradient has the input's shape, (positions, n_embd)."))
            fail(tr("{what}: {name} has shape {got}, expected {want}, the shape of {shape_of}.", what=what,
                    name=name, got=mine.shape, want=right.shape, shape_of=shape_of), hint)
    for kind, wrong in _variants(xn, w1, w2, dout).items():
        if all(np.allclose(mine, other) for mine, other in zip(got, wrong)):
            fail(tr("{what}: your gradients differ from the scalar engine's.", what=what), _(_HINTS[kind]))
    for name, mine, right in zip(names, got, want):
        if not np.allclose(mine, right, rtol=0, atol=1e-12):
            fail(tr("{what}: {name} differs from the scalar engine's gradient by up to {diff:.3g}.", what=what,
                    name=name, diff=np.abs(mine - right).max()),
                 _("Go back through the MLP step by step: fc2's product, then the relu, then fc1's product; at "
                   "each product y = x @ w.T, the weight gets dy.T @ x and the input dy @ w."))


@exercise(
    "08-build-mlp-backward", stars=3, minutes=25, build=True,
    hints=(
        N_("Run the MLP forward again to get what the backward pass needs (h before the relu, r after it), then "
           "go back through it in reverse: fc2's product, the relu, fc1's product."),
        N_("For y = x @ w.T: dw = dy.T @ x and dx = dy @ w. relu passes dy where h > 0 and 0 elsewhere. The MLP is "
           "h = xn @ w1.T, r = relu(h), out = r @ w2.T."),
        N_("def mlp_backward_np(xn, w1, w2, dout): h = ...; r = np.maximum(h, 0); dw2 = ...; dr = ...; "
           "dh = dr * (h > 0); dw1 = ...; dxn = ...; return dxn, dw1, dw2"),
    ),
    wrong=[
        ("def mlp_backward_np(xn, w1, w2, dout):\n"
         "    h = xn @ w1.T\n"
         "    r = np.maximum(h, 0)\n"
         "    dw2 = dout.T @ r\n"
         "    dh = dout @ w2\n"
         "    dw1 = dh.T @ xn\n"
         "    dxn = dh @ w1\n"
         "    return dxn, dw1, dw2",
         RELU_LETS_GRADIENT_THROUGH),
        ("def mlp_backward_np(xn, w1, w2, dout):\n"
         "    h = xn @ w1.T\n"
         "    r = np.maximum(h, 0)\n"
         "    dw2 = dout.T @ r\n"
         "    dh = (dout @ w2) * (h > 0)\n"
         "    dw1 = xn.T @ dh\n"
         "    dxn = dh @ w1\n"
         "    return dxn, dw1, dw2",
         WEIGHT_GRADIENT_HAS_WEIGHT),
        ("def mlp_backward_np(xn, w1, w2, dout):\n"
         "    h = xn @ w1.T\n"
         "    r = np.maximum(h, 0)\n"
         "    dw2 = dout.T @ h\n"
         "    dh = (dout @ w2) * (h > 0)\n"
         "    dw1 = dh.T @ xn\n"
         "    dxn = dh @ w1\n"
         "    return dxn, dw1, dw2",
         FC_READS_RELU_OUTPUT),
        ("def mlp_backward_np(xn, w1, w2, dout):\n"
         "    h = xn @ w1.T\n"
         "    r = np.maximum(h, 0)\n"
         "    dw2 = dout.T @ r\n"
         "    dh = (dout @ w2) * r\n"
         "    dw1 = dh.T @ xn\n"
         "    dxn = dh @ w1\n"
         "    return dxn, dw1, dw2",
         RELU_DERIVATIVE_WHERE_H),
        ("def mlp_backward_np(xn, w1, w2, dout):\n"
         "    h = xn @ w1.T\n"
         "    r = np.maximum(h, 0)\n"
         "    dw2 = dout.T @ r\n"
         "    dh = (dout @ w2) * (h > 0)\n"
         "    dw1 = dh.T @ xn\n"
         "    dxn = dh @ w1.T\n"
         "    return dxn, dw1, dw2",
         MATMUL_SHAPES),
    ],
)
def check_mlp_backward_np(mlp_backward_np):
    """mlp_backward_np(xn, w1, w2, dout) -> (dxn, dw1, dw2), equal to the scalar engine's (lesson 08)."""
    for rows, width, seed in [(5, 4, 0), (3, 8, 1), (1, 2, 2)]:
        xn, w1, w2, dout = _inputs(rows, width, seed)
        what = tr("mlp_backward_np on {rows} positions of width {width}", rows=rows, width=width)
        got = call(mlp_backward_np, xn.copy(), w1.copy(), w2.copy(), dout.copy())
        if not isinstance(got, (tuple, list)) or len(got) != 3:
            fail(tr("{what} returned {kind} {got}, expected a tuple (dxn, dw1, dw2).", what=what,
                    kind=type(got).__name__, got=str(got)[:60]),
                 _("Return the three gradients together: return dxn, dw1, dw2."))
        want = _scalar_mlp_grads(xn, w1, w2, dout)
        _compare(tuple(got), want, xn, w1, w2, dout, what)
    ok(_("dxn, dw1 and dw2 equal the scalar engine's backward() to 1e-12, on 3 random MLPs (5 x 4, 3 x 8, 1 x 2)"))
