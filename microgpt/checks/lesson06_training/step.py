"""Checks of lesson 06: the learning-rate schedule and one training step (06-lr, 06-step)."""

import math
import random

from ...i18n import N_, _, tr
from ...value import Value
from ..exercise import Edit, exercise
from ..failure import call, fail, ok
from ..numbers import close, expect_number
from .adam import check_adam_update

OFF_STEP_COUNTS_FROM = N_(
    "Off by one: step counts from 0, and the first step (step 0) uses the full base_lr, so the "
    "fraction gone is step / num_steps, not (step + 1) / num_steps.")
MIND_PARENTHESES_COMPUTED_BASE = N_(
    "Mind the parentheses: you computed base_lr * (1 - step) / num_steps, but only step is divided "
    "by num_steps; the fraction left, 1 minus that, multiplies base_lr.")
RATE_RISES_FROM_TOWARDS = N_(
    "Your rate RISES from 0 towards base_lr (that is a warm-up). The decay starts at base_lr and "
    "falls towards 0: multiply base_lr by the fraction of the steps LEFT.")
TOOK_STEP_NUM_STEPS = N_(
    "You took step / num_steps away from base_lr itself, which goes below 0 almost at once; scale "
    "the fraction left by base_lr (multiply, do not subtract).")


LR_NEVER_FALLS = N_("The rate never changes: it should fall from base_lr at step 0 towards 0 at step num_steps.")
LR_ZERO_TOO_EARLY = N_(
    "Your rate reaches 0 at the last step, num_steps - 1, which then learns nothing: divide by num_steps, so "
    "that the line would reach 0 one step after the last.")
LR_COSINE = N_(
    "That is a cosine schedule (slow at both ends). This lesson's schedule is a straight line: it falls by the "
    "same amount at every step.")
LR_BY_A_FACTOR = N_(
    "Your rate shrinks by the same FACTOR at every step (an exponential decay); the lesson's falls by the same "
    "AMOUNT at every step, base_lr / num_steps, and reaches 0.")


def _other_schedules(step, num_steps, base):
    """(the rate a well-known other schedule gives at `step`, its hint): mistakes that are whole schedules."""
    others = [(base, _(LR_NEVER_FALLS)), (base * 0.5 * (1 + math.cos(math.pi * step / num_steps)), _(LR_COSINE)),
              (base * (1 - 1 / num_steps) ** step, _(LR_BY_A_FACTOR))]
    if num_steps > 1:
        others.append((base * (1 - step / (num_steps - 1)), _(LR_ZERO_TOO_EARLY)))
    return others if step else []  # at step 0 every schedule starts at base_lr


@exercise(
    "06-lr", stars=1, minutes=5,
    hints=(
        N_("The learning rate falls in a straight line from base_lr at the first step to 0 at the end."),
        N_("lr = base_lr * (1 - step / num_steps), with step = 0 first."),
        N_("return base_lr * (1 - ...)"),
    ),
    wrong=[
        ("return base_lr * (1 - (step + 1) / num_steps)", OFF_STEP_COUNTS_FROM),
        ("return base_lr", LR_NEVER_FALLS),
        ("return base_lr * (1 - step / (num_steps - 1))", LR_ZERO_TOO_EARLY),
        ("import math\nreturn base_lr * 0.5 * (1 + math.cos(math.pi * step / num_steps))", LR_COSINE),
        ("return base_lr * (1 - 1 / num_steps) ** step", LR_BY_A_FACTOR),
        ("return base_lr * (1 - step) / num_steps", MIND_PARENTHESES_COMPUTED_BASE),
        ("return base_lr * step / num_steps", RATE_RISES_FROM_TOWARDS),
        ("return base_lr - step / num_steps", TOOK_STEP_NUM_STEPS),
    ],
)
def check_lr_at(lr_at):
    """lr_at(step, num_steps, base_lr) must be base_lr * (1 - step / num_steps), step counting from 0 (lesson 06)."""
    from ...optim import linear_decay

    for step, num_steps, base in [(0, 1000, 0.01), (1, 1000, 0.01), (500, 1000, 0.01), (999, 1000, 0.01),
                                  (3, 10, 0.1)]:
        want = base * (1 - step / num_steps)
        mistakes = [
            (base * (1 - (step + 1) / num_steps),
             _(OFF_STEP_COUNTS_FROM)),
            (base * (1 - step) / num_steps,
             _(MIND_PARENTHESES_COMPUTED_BASE)),
            (base * step / num_steps,
             _(RATE_RISES_FROM_TOWARDS)),
            (base - step / num_steps,
             _(TOOK_STEP_NUM_STEPS)),
            *_other_schedules(step, num_steps, base),
        ]
        got = call(lr_at, step, num_steps, base)
        expect_number(got, want, f"lr_at({step}, {num_steps}, {base})", mistakes, tol=1e-12,
                      otherwise=_("It should fall in a straight line from base_lr at step 0 to 0 at step "
                                  "num_steps."))
    for step in range(1000):
        got = call(lr_at, step, 1000, 0.01)
        expect_number(got, linear_decay(0.01, step, 1000), f"lr_at({step}, 1000, 0.01)", tol=1e-12)
    ok(_("0.01 at step 0, 0.005 at step 500, 0.00001 at step 999: a straight line down to 0 at step 1000"))


BIAS_CORRECTION_DIVIDED_BETA = N_(
    "The bias correction divided by 1 - beta ** 0 = 0: state['t'] must already count this update "
    "when adam_update is called (t = 1 at the first step), so add 1 to state['t'] before the "
    "updates.")
RETURN_PLAIN_NUMBER_INSIDE = N_(
    "Return the plain number inside it (the loop prints and plots numbers, and a Value would "
    "keep its whole graph alive).")
RUN_BACKWARD_LOSS_BEFORE = N_(
    "Run backward on the loss before the updates, and zero a parameter's grad only AFTER its "
    "update (never between backward and the update).")
SET_PARAMETER_GRAD_BACK = N_("Set each parameter's grad back to 0 once it is updated.")


@exercise(
    "06-step", needs=[("adam_update", check_adam_update)], stars=2, minutes=15,
    hints=(
        N_("One step: the loss of one document, its gradients, an Adam update of every parameter, clean "
           "gradients for the next step."),
        N_("loss = document_loss; loss.backward(); t += 1; for each parameter i: (p, m_i, v_i) = adam_update(...); "
           "p.grad = 0; return the loss as a number."),
        N_("loss = document_loss(model, tokens); loss.backward(); state['t'] += 1; for i, p in "
           "enumerate(model.parameters()): p.data, state['m'][i], state['v'][i] = adam_update(...); p.grad = 0; "
           "return loss.data"),
    ),
    wrong=[
        (Edit("    p.grad = 0\n"
              "",
              ""),
         SET_PARAMETER_GRAD_BACK),
        (Edit("loss.backward()\n"
              "",
              ""),
         RUN_BACKWARD_LOSS_BEFORE),
        ("loss = document_loss(model, tokens)\n"
         "loss.backward()\n"
         "for i, p in enumerate(model.parameters()):\n"
         "    p.data, state[\"m\"][i], state[\"v\"][i] = adam_update(p.data, p.grad, state[\"m\"][i], "
         "state[\"v\"][i],\n"
         "                                                        state[\"t\"], lr)\n"
         "    p.grad = 0\n"
         "state[\"t\"] += 1\n"
         "return loss.data",
         BIAS_CORRECTION_DIVIDED_BETA),
        (Edit("return loss.data",
              "return loss"),
         RETURN_PLAIN_NUMBER_INSIDE),
    ],
)
def check_training_step(training_step, new_adam_state):
    """training_step(model, tokens, state, lr) must match microgpt.train_step with Adam, step by step (lesson 06)."""
    from ...model import GPT, GPTConfig
    from ...optim import Adam
    from ...train import train_step

    config = GPTConfig(vocab_size=5, n_embd=8, n_head=2, block_size=6)  # small, so the check is quick
    mine, ref = GPT(config, random.Random(3)), GPT(config, random.Random(3))
    state, optimizer = new_adam_state(mine), Adam(ref.parameters())
    docs = [[4, 0, 1, 2, 4], [4, 3, 3, 4], [4, 2, 0, 1, 3, 4]]
    zero = _(BIAS_CORRECTION_DIVIDED_BETA)
    grads_left = False
    for k, (tokens, lr) in enumerate(zip(docs, [0.01, 0.009, 0.008]), start=1):
        before = [p.data for p in mine.parameters()]
        got = call(training_step, mine, tokens, state, lr, errors={ZeroDivisionError: zero})
        want = train_step(ref, tokens, optimizer, lr)
        if isinstance(got, Value):
            fail(tr("training_step returned the loss at step {k} as a Value ({got!r}).", k=k, got=got),
                 _(RETURN_PLAIN_NUMBER_INSIDE))
        expect_number(got, want, tr("the loss returned at step {k}", k=k),
                      otherwise=_("Return the loss of THIS document, computed with document_loss(model, tokens) "
                                  "before the parameters change."))
        params = mine.parameters()
        if all(p.data == b for p, b in zip(params, before)):
            if all(p.grad == 0 for p in params):
                fail(tr("no parameter moved at step {k}: every p.grad was 0 when the updates ran, so Adam had "
                        "no gradient to follow.", k=k),
                     _(RUN_BACKWARD_LOSS_BEFORE))
            fail(tr("no parameter moved at step {k}.", k=k), _("Write adam_update's new p back into p.data."))
        if state.get("t") != k:
            fail(tr("after {k} calls state['t'] is {t!r}.", k=k, t=state.get("t")),
                 _("Add 1 to it at every step, before the updates."))
        if not all(close(a.data, b.data, 1e-12) for a, b in zip(params, ref.parameters())):
            if grads_left:
                fail(tr("step 1 was right, but step {k} is not: the gradients of step {previous} were still in "
                        "p.grad, and backward() ADDS to them, so they piled up.", k=k, previous=k - 1),
                     _(SET_PARAMETER_GRAD_BACK))
            fail(tr("after step {k} the parameters differ from microgpt's Adam.", k=k),
                 _("For every parameter i of model.parameters(), call adam_update with p.data, p.grad, "
                   "state['m'][i], state['v'][i], state['t'] and lr, and store its three results back (into "
                   "p.data, state['m'][i], state['v'][i])."))
        grads_left = any(p.grad != 0 for p in params)
    ok(_("3 steps agree with microgpt.train_step and Adam to the last digit; no gradient piles up"))
