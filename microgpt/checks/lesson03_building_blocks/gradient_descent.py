"""Checks of lesson 03: a step of gradient descent (03-sgd)."""


from ...i18n import N_, _, tr
from ...value import Value
from ..exercise import exercise
from ..failure import call, fail, ok
from ..numbers import expect_numbers, same_numbers

SET_P_GRAD_BACK = N_("Set each p.grad back to 0 after its update, because the next backward() ADDS into grad.")
SET_GRADIENT_BEFORE_UPDATE = N_(
    "You set the gradient to 0 BEFORE the update, so the update moved each parameter by lr * 0. "
    "Zero the gradient after moving p.data.")
PARAMETERS_WENT_UP_GRADIENT = N_(
    "The parameters went UP the gradient, a sign error: to make the loss smaller, "
    "step AGAINST the gradient (subtract lr times it).")
PARAMETERS_DID_CHANGE_CHANGE = N_(
    "The parameters did not change. Change each p.data in place (with -=); "
    "`p = ...` only gives the loop variable a new value and leaves the parameter "
    "alone.")


@exercise(
    "03-sgd", stars=1, minutes=5,
    hints=(
        N_("Move every parameter a small step downhill, against its gradient, then clear the gradient for the "
           "next backward()."),
        N_("p.data <- p.data - lr * p.grad; then p.grad <- 0."),
        N_("for p in params: change p.data in place (-=), then set p.grad to 0 (after the update)."),
    ),
    wrong=[
        ("for p in params:\n    p.data += lr * p.grad\n    p.grad = 0", PARAMETERS_WENT_UP_GRADIENT),
        ("for p in params:\n    p.data -= lr * p.grad", SET_P_GRAD_BACK),
        ("for p in params:\n    p = p - lr * p.grad", PARAMETERS_DID_CHANGE_CHANGE),
        ("for p in params:\n    p.grad = 0\n    p.data -= lr * p.grad", SET_GRADIENT_BEFORE_UPDATE),
    ],
)
def check_sgd_step(sgd_step):
    """sgd_step(params, lr) must move each p.data by -lr * p.grad, in place, and then zero p.grad (lesson 03)."""
    params = [Value(1.0), Value(-2.0), Value(0.5)]
    for p, g in zip(params, [0.5, -1.0, 0.0]):
        p.grad = g
    call(sgd_step, params, 0.1)
    got, want = [p.data for p in params], [0.95, -1.9, 0.5]
    grads = [p.grad for p in params]
    what = _("sgd_step on parameters with data [1.0, -2.0, 0.5] and grads [0.5, -1.0, 0.0], lr 0.1,")
    if not same_numbers(got, want):
        if got == [1.0, -2.0, 0.5] and grads == [0, 0, 0]:
            fail(tr("{what} left the data unchanged and the grads at 0.", what=what),
                 _(SET_GRADIENT_BEFORE_UPDATE))
        expect_numbers(got, want, tr("{what} gave the data", what=what), [
            ([1.05, -2.1, 0.5], _(PARAMETERS_WENT_UP_GRADIENT)),
            ([1.0, -2.0, 0.5], _(PARAMETERS_DID_CHANGE_CHANGE)),
        ], _("Subtract lr times the gradient from each p.data."))
    if grads != [0, 0, 0]:
        fail(tr("{what} moved the data correctly, but the gradients are still {grads}.", what=what, grads=grads),
             _(SET_P_GRAD_BACK))
    ok(_("every parameter moved against its gradient by lr * grad, then its grad was set back to 0"))
