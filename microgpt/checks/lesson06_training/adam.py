"""Checks of lesson 06: bias correction and Adam's update (06-bias, 06-adam)."""


from ...i18n import N_, _, tr
from ...value import Value
from ..exercise import Edit, exercise
from ..failure import call, fail, ok
from ..numbers import close, expect_number

DIVIDES_ZERO_BETA_COUNTS = N_(
    "At t = 1 that divides by zero, 1 - beta ** 0 = 0. t counts the updates from 1 (the first "
    "update is t = 1), so the correction is 1 - beta ** t.")


_T_FROM_1 = (DIVIDES_ZERO_BETA_COUNTS)


RUNNING_AVERAGE_ITSELF_DIVIDE = N_(
    "That is the running average itself. Divide it by 1 - beta ** t, which makes up for the "
    "average starting at 0.")
MULTIPLIED_BETA_DIVIDE_INSTEAD = N_("You multiplied by 1 - beta ** t: divide by it instead.")
BETA_BETA_POWER_BELONGS = N_("(1 - beta) ** t is not 1 - beta ** t: the power belongs to beta alone.")


@exercise(
    "06-bias", stars=1, minutes=5,
    hints=(
        N_("A running average that starts at 0 is too small at first; dividing by the weight it has gathered so "
           "far corrects that."),
        N_("corrected = avg / (1 - beta ** t), with t = 1 at the first update."),
        N_("return avg / (1 - beta ** ...)"),
    ),
    wrong=[
        ("return avg", RUNNING_AVERAGE_ITSELF_DIVIDE),
        ("return avg / (1 - beta) ** t", BETA_BETA_POWER_BELONGS),
        ("return avg / (1 - beta ** (t - 1))", DIVIDES_ZERO_BETA_COUNTS),
        ("return avg * (1 - beta ** t)", MULTIPLIED_BETA_DIVIDE_INSTEAD),
    ],
)
def check_bias_corrected(bias_corrected):
    """bias_corrected(avg, beta, t) must be avg / (1 - beta ** t), t counting the steps from 1 (lesson 06)."""
    cases = []
    for beta, t in [(0.85, 1), (0.85, 2), (0.85, 5), (0.99, 1), (0.99, 10)]:
        avg = 0.0
        for _step in range(t):  # a gradient of 1 at every step: the average creeps up as 1 - beta ** t
            avg = beta * avg + (1 - beta) * 1.0
        cases.append((avg, beta, t, 1.0))
    cases.append((0.3, 0.9, 3, 0.3 / (1 - 0.9 ** 3)))
    for avg, beta, t, want in cases:
        got = call(bias_corrected, avg, beta, t, errors={ZeroDivisionError: _(_T_FROM_1)})
        mistakes = [
            (avg, _(RUNNING_AVERAGE_ITSELF_DIVIDE)),
            (avg * (1 - beta ** t), _(MULTIPLIED_BETA_DIVIDE_INSTEAD)),
            (avg / (1 - beta) ** t, _(BETA_BETA_POWER_BELONGS)),
            (avg / (1 - beta ** (t + 1)), _("Off by one: use beta ** t, where t = 1 at the first update.")),
        ]
        if t > 1:
            mistakes.append((avg / (1 - beta ** (t - 1)), _("Off by one: use beta ** t (t is already 1 at the "
                                                             "first update), not beta ** (t - 1).")))
        expect_number(got, want, f"bias_corrected({avg:.6g}, beta={beta}, t={t})", mistakes,
                      otherwise=_("Divide the running average by one minus beta to the power t, the number of "
                                  "updates so far."))
    ok(_("a gradient of 1 at every step gives a corrected average of exactly 1, from the very first step"))


def _adam_variant(kind):
    """One Adam update for one number, written right (kind 'right') or with one named mistake."""

    def update(p, grad, m, v, t, lr, beta1=0.85, beta2=0.99, eps=1e-8):
        """(p, m, v) after one update."""
        m = beta1 * m + (1 - beta1) * grad
        v = beta2 * v + (1 - beta2) * grad ** 2
        m_hat, v_hat = (m, v) if kind == "no-correction" else (m / (1 - beta1 ** t), v / (1 - beta2 ** t))
        root = {"no-sqrt": v_hat + eps, "eps-inside": (v_hat + eps) ** 0.5}.get(kind, v_hat ** 0.5 + eps)
        step = lr * m_hat / root
        return (p + step if kind == "ascent" else p - step), m, v

    return update


def _adam_run(update, grads, lr, p=1.0, **betas):
    """The (p, m, v) after each update of a parameter that starts at `p` and sees `grads`."""
    m = v = 0.0
    out = []
    for t, grad in enumerate(grads, start=1):
        p, m, v = call(update, p, grad, m, v, t, lr, errors={ZeroDivisionError: _(_T_FROM_1)}, **betas)
        out.append((p, m, v))
    return out


def _package_adam_run(grads, lr, p=1.0, **betas):
    """The same, with microgpt.optim.Adam moving a Value."""
    from ...optim import Adam

    param = Value(p)
    optimizer = Adam([param], lr=lr, **betas)
    out = []
    for grad in grads:
        param.grad = grad
        optimizer.step(lr)
        out.append((param.data, optimizer.m[0], optimizer.v[0]))
    return out


CORRECT_BIAS_BOTH_AVERAGES = N_(
    "Correct the bias of both averages before using them, with your bias_corrected "
    "(m with beta1, v with beta2, both at step t). Without it "
    "the first steps are too big, because v starts even further below its true size "
    "than m.")
DIVIDE_SQUARE_ROOT_V = N_(
    "Divide by the square ROOT of v_hat: v is a squared gradient, and its "
    "root brings the step back to the size of lr.")
PARAMETER_WENT_UP_GRADIENT = N_("The parameter went UP the gradient, a sign error: SUBTRACT the step from p.")
V_AVERAGES_SQUARED_GRADIENT = N_("v averages the SQUARED gradient: mix in (1 - beta2) times grad squared, not grad.")


ADAM_RETURNED_CORRECTED = N_(
    "Those are the bias-corrected m_hat and v_hat (at t = 1 they equal the gradient and its square). Return "
    "the running averages m and v themselves: the next step builds on them, and corrects them afresh.")


def _check_first_update(adam_update):
    """The first update from p=1, grad=0.5: three plain numbers, m and v the new running averages; returns it."""
    name = "adam_update(p=1.0, grad=0.5, m=0.0, v=0.0, t=1, lr=0.01)"
    first = call(adam_update, 1.0, 0.5, 0.0, 0.0, 1, 0.01, errors={ZeroDivisionError: _(_T_FROM_1)})
    if not isinstance(first, (tuple, list)) or len(first) != 3:
        fail(tr("{name} should return the three new numbers (p, m, v), but it returned {first!r}.",
                name=name, first=first),
             _("Return p, m, v (the cell's last line does, once your code sets them)."))
    for x, what in zip(first, "pmv"):
        if isinstance(x, bool) or not isinstance(x, (int, float)):
            fail(tr("the {what} returned by {name} should be a plain number, but it is {x!r}.",
                    what=what, name=name, x=x),
                 _("Adam works on the plain numbers p.data and p.grad here."))
    p, m, v = first
    if close(m, 0.5) and close(v, 0.25):  # m_hat and v_hat at t = 1: not the gradient itself, m is right
        fail(tr("{name} returned m = {m!r} and v = {v!r}, expected 0.075 and 0.0025.", name=name, m=m, v=v),
             _(ADAM_RETURNED_CORRECTED))
    expect_number(m, 0.075, tr("the m returned by {name}", name=name), [
        (0.425, _("The new gradient gets the SMALL weight, 1 - beta1; the old average keeps beta1.")),
        (0.5, _("m is a running average of the gradients (beta1 of the old m plus 1 - beta1 of grad), not the "
                "gradient itself.")),
    ])
    expect_number(v, 0.0025, tr("the v returned by {name}", name=name), [
        (0.005, _(V_AVERAGES_SQUARED_GRADIENT)),
        (0.2475, _("The new squared gradient gets the SMALL weight, 1 - beta2; the old v keeps beta2.")),
    ])
    return first


@exercise(
    "06-adam", needs=[("bias_corrected", check_bias_corrected)], stars=2, minutes=15,
    hints=(
        N_("Adam keeps two running averages per parameter, of the gradient (m) and of its square (v), and steps "
           "by m divided by the root of v."),
        N_("m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g**2; m_hat, v_hat = bias-corrected; "
           "p = p - lr * m_hat / (sqrt(v_hat) + eps)."),
        N_("m = ...; v = ...; m_hat = bias_corrected(m, ...); v_hat = bias_corrected(v, ...); "
           "p = p - lr * m_hat / (<the root of v_hat> + ...)"),
    ),
    wrong=[
        ("m = beta1 * m + (1 - beta1) * grad\n"
         "v = beta2 * v + (1 - beta2) * grad ** 2\n"
         "p = p - lr * m / (v ** 0.5 + eps)",
         CORRECT_BIAS_BOTH_AVERAGES),
        ("m = bias_corrected(beta1 * m + (1 - beta1) * grad, beta1, t)\n"
         "v = bias_corrected(beta2 * v + (1 - beta2) * grad ** 2, beta2, t)\n"
         "p = p - lr * m / (v ** 0.5 + eps)",
         ADAM_RETURNED_CORRECTED),
        (Edit("p = p - lr * m_hat / (v_hat ** 0.5 + eps)",
              "p = p - lr * m_hat / (v_hat + eps)"),
         DIVIDE_SQUARE_ROOT_V),
        (Edit("v = beta2 * v + (1 - beta2) * grad ** 2",
              "v = beta2 * v + (1 - beta2) * grad"),
         V_AVERAGES_SQUARED_GRADIENT),
        (Edit("p = p - lr * m_hat / (v_hat ** 0.5 + eps)",
              "p = p + lr * m_hat / (v_hat ** 0.5 + eps)"),
         PARAMETER_WENT_UP_GRADIENT),
    ],
)
def check_adam_update(adam_update):
    """adam_update(p, grad, m, v, t, lr, ...) must return Adam's new (p, m, v), like microgpt.optim.Adam (lesson 06)."""
    grads, lr = [0.5, -0.2, 0.3, 1.0, -0.7], 0.01
    first = _check_first_update(adam_update)
    mine = _adam_run(adam_update, grads, lr)
    want = _package_adam_run(grads, lr)
    for k, ((p, m, v), (wp, wm, wv)) in enumerate(zip(mine, want), start=1):
        if close(p, wp, 1e-12) and close(m, wm, 1e-12) and close(v, wv, 1e-12):
            continue
        if k == 1:
            context = tr("after 1 update with the gradients {grads} and lr {lr}, p is {p!r}, expected {wp!r}.",
                         grads=grads[:k], lr=lr, p=p, wp=wp)
        else:
            context = tr("after {k} updates with the gradients {grads} and lr {lr}, p is {p!r}, expected {wp!r}.",
                         k=k, grads=grads[:k], lr=lr, p=p, wp=wp)
        hints = {
            "no-correction": _(CORRECT_BIAS_BOTH_AVERAGES),
            "no-sqrt": _(DIVIDE_SQUARE_ROOT_V),
            "ascent": _(PARAMETER_WENT_UP_GRADIENT),
            "eps-inside": _("Almost: eps goes OUTSIDE the root (root of v_hat, then + eps), not under it."),
        }
        for kind, hint in hints.items():
            wrong = _adam_run(_adam_variant(kind), grads, lr)
            if all(close(a[0], b[0], 1e-9) for a, b in zip(mine, wrong)):
                fail(context, hint)
        fail(context, _("The step is lr * m_hat / (sqrt(v_hat) + eps), subtracted from p, with m_hat and v_hat "
                        "the bias-corrected averages."))
    betas = {"beta1": 0.9, "beta2": 0.999, "eps": 1e-6}
    got = _adam_run(adam_update, grads, lr, **betas)[-1]
    if not all(close(a, b, 1e-12) for a, b in zip(got, _package_adam_run(grads, lr, **betas)[-1])):
        fail(_("with the default betas your update is right, but with beta1=0.9, beta2=0.999, eps=1e-6 it is "
               "not."), _("Use the arguments beta1, beta2 and eps, not the numbers 0.85, 0.99, 1e-8."))
    ok(tr("5 updates agree with microgpt.optim.Adam; the first one moved p by lr * sign(grad) ({moved:+.6f})",
          moved=first[0] - 1.0))
