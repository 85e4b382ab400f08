"""Checks for lesson 06: training."""

import random

from ..i18n import N_, _, tr
from ..value import Value
from .common import (
    add_hints,
    call,
    close,
    exercise,
    expect_number,
    fail,
    ok,
)

__all__ = ["check_adam_update", "check_bias_corrected", "check_lr_at", "check_training_step"]

_T_FROM_1 = (N_("At t = 1 that divides by zero, 1 - beta ** 0 = 0. t counts the updates from 1 (the first "
                "update is t = 1), so the correction is 1 - beta ** t."))


@exercise("06-bias")
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
            (avg, _("That is the running average itself. Divide it by 1 - beta ** t, which makes up for the "
                    "average starting at 0.")),
            (avg * (1 - beta ** t), _("You multiplied by 1 - beta ** t: divide by it instead.")),
            (avg / (1 - beta) ** t, _("(1 - beta) ** t is not 1 - beta ** t: the power belongs to beta alone.")),
            (avg / (1 - beta ** (t + 1)), _("Off by one: use beta ** t, where t = 1 at the first update.")),
        ]
        if t > 1:
            mistakes.append((avg / (1 - beta ** (t - 1)), _("Off by one: use beta ** t (t is already 1 at the "
                                                             "first update), not beta ** (t - 1).")))
        expect_number(got, want, f"bias_corrected({avg:.6g}, beta={beta}, t={t})", mistakes,
                      otherwise=_("It should be avg / (1 - beta ** t)."))
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
    from ..optim import Adam

    param = Value(p)
    optimizer = Adam([param], lr=lr, **betas)
    out = []
    for grad in grads:
        param.grad = grad
        optimizer.step(lr)
        out.append((param.data, optimizer.m[0], optimizer.v[0]))
    return out


@exercise("06-adam", needs=[("bias_corrected", check_bias_corrected)])
def check_adam_update(adam_update):
    """adam_update(p, grad, m, v, t, lr, ...) must return Adam's new (p, m, v), like microgpt.optim.Adam (lesson 06)."""
    grads, lr = [0.5, -0.2, 0.3, 1.0, -0.7], 0.01
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
    expect_number(m, 0.075, tr("the m returned by {name}", name=name), [
        (0.425, _("The new gradient gets the SMALL weight, 1 - beta1; the old average keeps beta1.")),
        (0.5, _("m is a running average of the gradients (beta1 of the old m plus 1 - beta1 of grad), not the "
                "gradient itself.")),
    ])
    expect_number(v, 0.0025, tr("the v returned by {name}", name=name), [
        (0.005, _("v averages the SQUARED gradient: mix in (1 - beta2) times grad squared, not grad.")),
        (0.2475, _("The new squared gradient gets the SMALL weight, 1 - beta2; the old v keeps beta2.")),
    ])
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
            "no-correction": _("Correct the bias of both averages before using them, with your bias_corrected "
                               "(m with beta1, v with beta2, both at step t). Without it "
                               "the first steps are too big, because v starts even further below its true size "
                               "than m."),
            "no-sqrt": _("Divide by the square ROOT of v_hat: v is a squared gradient, and its "
                         "root brings the step back to the size of lr."),
            "ascent": _("The parameter went UP the gradient, a sign error: SUBTRACT the step from p."),
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


@exercise("06-lr")
def check_lr_at(lr_at):
    """lr_at(step, num_steps, base_lr) must be base_lr * (1 - step / num_steps), step counting from 0 (lesson 06)."""
    from ..optim import linear_decay

    for step, num_steps, base in [(0, 1000, 0.01), (1, 1000, 0.01), (500, 1000, 0.01), (999, 1000, 0.01),
                                  (3, 10, 0.1)]:
        want = base * (1 - step / num_steps)
        mistakes = [
            (base * (1 - (step + 1) / num_steps),
             _("Off by one: step counts from 0, and the first step (step 0) uses the full base_lr, so the "
               "fraction gone is step / num_steps, not (step + 1) / num_steps.")),
            (base * (1 - step) / num_steps,
             _("Mind the parentheses: you computed base_lr * (1 - step) / num_steps, but only step is divided "
               "by num_steps; the fraction left, 1 minus that, multiplies base_lr.")),
            (base * step / num_steps,
             _("Your rate RISES from 0 towards base_lr (that is a warm-up). The decay starts at base_lr and "
               "falls towards 0: multiply base_lr by the fraction of the steps LEFT.")),
            (base - step / num_steps,
             _("You took step / num_steps away from base_lr itself, which goes below 0 almost at once; scale "
               "the fraction left by base_lr (multiply, do not subtract).")),
        ]
        got = call(lr_at, step, num_steps, base)
        expect_number(got, want, f"lr_at({step}, {num_steps}, {base})", mistakes, tol=1e-12,
                      otherwise=_("It should fall in a straight line from base_lr at step 0 to 0 at step "
                                  "num_steps."))
    for step in range(1000):
        got = call(lr_at, step, 1000, 0.01)
        expect_number(got, linear_decay(0.01, step, 1000), f"lr_at({step}, 1000, 0.01)", tol=1e-12)
    ok(_("0.01 at step 0, 0.005 at step 500, 0.00001 at step 999: a straight line down to 0 at step 1000"))


@exercise("06-step", needs=[("adam_update", check_adam_update)])
def check_training_step(training_step, new_adam_state):
    """training_step(model, tokens, state, lr) must match microgpt.train_step with Adam, step by step (lesson 06)."""
    from ..model import GPT, GPTConfig
    from ..optim import Adam
    from ..train import train_step

    config = GPTConfig(vocab_size=5, n_embd=8, n_head=2, block_size=6)  # small, so the check is quick
    mine, ref = GPT(config, random.Random(3)), GPT(config, random.Random(3))
    state, optimizer = new_adam_state(mine), Adam(ref.parameters())
    docs = [[4, 0, 1, 2, 4], [4, 3, 3, 4], [4, 2, 0, 1, 3, 4]]
    zero = _("The bias correction divided by 1 - beta ** 0 = 0: state['t'] must already count this update "
             "when adam_update is called (t = 1 at the first step), so add 1 to state['t'] before the "
             "updates.")
    grads_left = False
    for k, (tokens, lr) in enumerate(zip(docs, [0.01, 0.009, 0.008]), start=1):
        before = [p.data for p in mine.parameters()]
        got = call(training_step, mine, tokens, state, lr, errors={ZeroDivisionError: zero})
        want = train_step(ref, tokens, optimizer, lr)
        if isinstance(got, Value):
            fail(tr("training_step returned the loss at step {k} as a Value ({got!r}).", k=k, got=got),
                 _("Return the plain number inside it (the loop prints and plots numbers, and a Value would "
                   "keep its whole graph alive)."))
        expect_number(got, want, tr("the loss returned at step {k}", k=k),
                      otherwise=_("Return the loss of THIS document, computed with document_loss(model, tokens) "
                                  "before the parameters change."))
        params = mine.parameters()
        if all(p.data == b for p, b in zip(params, before)):
            if all(p.grad == 0 for p in params):
                fail(tr("no parameter moved at step {k}: every p.grad was 0 when the updates ran, so Adam had "
                        "no gradient to follow.", k=k),
                     _("Run backward on the loss before the updates, and zero a parameter's grad only AFTER its "
                       "update (never between backward and the update)."))
            fail(tr("no parameter moved at step {k}.", k=k), _("Write adam_update's new p back into p.data."))
        if state.get("t") != k:
            fail(tr("after {k} calls state['t'] is {t!r}.", k=k, t=state.get("t")),
                 _("Add 1 to it at every step, before the updates."))
        if not all(close(a.data, b.data, 1e-12) for a, b in zip(params, ref.parameters())):
            if grads_left:
                fail(tr("step 1 was right, but step {k} is not: the gradients of step {previous} were still in "
                        "p.grad, and backward() ADDS to them, so they piled up.", k=k, previous=k - 1),
                     _("Set each parameter's grad back to 0 once it is updated."))
            fail(tr("after step {k} the parameters differ from microgpt's Adam.", k=k),
                 _("For every parameter i of model.parameters(), call adam_update with p.data, p.grad, "
                   "state['m'][i], state['v'][i], state['t'] and lr, and store its three results back (into "
                   "p.data, state['m'][i], state['v'][i])."))
        grads_left = any(p.grad != 0 for p in params)
    ok(_("3 steps agree with microgpt.train_step and Adam to the last digit; no gradient piles up"))


HINTS = {
    "06-bias": (
        N_("A running average that starts at 0 is too small at first; dividing by the weight it has gathered so "
           "far corrects that."),
        N_("corrected = avg / (1 - beta ** t), with t = 1 at the first update."),
        N_("return avg / (1 - beta ** ...)"),
    ),
    "06-adam": (
        N_("Adam keeps two running averages per parameter, of the gradient (m) and of its square (v), and steps "
           "by m divided by the root of v."),
        N_("m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g**2; m_hat, v_hat = bias-corrected; "
           "p = p - lr * m_hat / (sqrt(v_hat) + eps)."),
        N_("m = ...; v = ...; m_hat = bias_corrected(m, ...); v_hat = bias_corrected(v, ...); "
           "p = p - lr * m_hat / (<the root of v_hat> + ...)"),
    ),
    "06-lr": (
        N_("The learning rate falls in a straight line from base_lr at the first step to 0 at the end."),
        N_("lr = base_lr * (1 - step / num_steps), with step = 0 first."),
        N_("return base_lr * (1 - ...)"),
    ),
    "06-step": (
        N_("One step: the loss of one document, its gradients, an Adam update of every parameter, clean "
           "gradients for the next step."),
        N_("loss = document_loss; loss.backward(); t += 1; for each parameter i: (p, m_i, v_i) = adam_update(...); "
           "p.grad = 0; return the loss as a number."),
        N_("loss = document_loss(model, tokens); loss.backward(); state['t'] += 1; for i, p in "
           "enumerate(model.parameters()): p.data, state['m'][i], state['v'][i] = adam_update(...); p.grad = 0; "
           "return loss.data"),
    ),
}
add_hints(HINTS)
