"""Checks of lesson 03: the build: training a tiny network (03-build-train)."""

import random

from ...i18n import N_, _, tr
from ...value import Value
from ..exercise import Edit, exercise
from ..failure import call, fail, ok
from ..numbers import close, expect_number, same_numbers, to_values, value_data
from .gradient_descent import check_sgd_step
from .linear import check_linear

# --- the build: a tiny network trained from an empty cell ---

XOR_POINTS = [([1.0, 1.0], -1.0), ([-1.0, -1.0], -1.0), ([1.0, -1.0], 1.0), ([-1.0, 1.0], 1.0)]


def _tiny_run(points, steps, lr, seed, mistake=None):
    """The package's run of the lesson's 2-4-1 net: (losses, w1, w2); `mistake` replays a usual slip."""

    from ...model import mlp  # linear, relu, linear: the lesson's network
    from ...optim import SGD

    rng = random.Random(seed)
    draw = lambda rows, cols: [[Value(rng.gauss(0, 1)) for _ in range(cols)] for _ in range(rows)]  # noqa: E731
    if mistake == "w2 first":
        w2, w1 = draw(1, 4), draw(4, 2)
    else:
        w1, w2 = draw(4, 2), draw(1, 4)
    trained = w1 if mistake == "w1 only" else w1 + w2
    opt = SGD([p for row in trained for p in row], lr)
    losses = []
    for _step in range(steps):
        errors = [(mlp(x, w1, w2)[0] - y) ** 2 for x, y in points]
        loss = sum(errors) / (1 if mistake == "sum" else len(points))
        loss.backward()
        opt.step()
        losses.append(loss.data)
    return losses, w1, w2


APPEND_PLAIN_NUMBER_LOSS = N_("Append the plain number of each loss, its .data.")


def _tiny_result(got, steps, what):
    """The losses and weights of the learner's train_tiny, insisting on their shapes."""
    if not isinstance(got, (tuple, list)) or len(got) != 3:
        fail(tr("{what} should return three things, (losses, w1, w2), but it returned {kind} {start}.", what=what,
                kind=type(got).__name__, start=str(got)[:80]),
             _("End with `return losses, w1, w2`."))
    losses, w1, w2 = got
    if not isinstance(losses, list) or len(losses) != steps:
        fail(tr("{what} returned {n_losses} losses, expected a list of {steps}, one per step.", what=what,
                n_losses=len(losses) if isinstance(losses, list) else type(losses).__name__, steps=steps),
             _("Append one loss to the list at every step."))
    if any(isinstance(v, Value) for v in losses):
        fail(tr("{what} returned Values in its list of losses.", what=what),
             _(APPEND_PLAIN_NUMBER_LOSS))
    shapes = [len(r) if isinstance(r, list) else None for r in (w1 if isinstance(w1, list) else [None])]
    if shapes != [2] * 4 or not isinstance(w2, list) or [len(r) for r in w2] != [4]:
        fail(tr("{what} returned weights of the wrong shape (w1 with rows of {shapes}).", what=what, shapes=shapes),
             _("w1 is 4 rows of 2 Values (4 hidden units, 2 inputs each) and w2 is 1 row of 4 Values."))
    return losses, [[value_data(p, _("each weight")) for p in row] for row in w1 + w2]


WITHOUT_RELU_TWO_LAYERS = N_("Without relu the two layers are one linear map: apply relu to each hidden unit.")


def _check_tiny_net(tiny_net):
    """tiny_net(x, w1, w2) must be the package's mlp(x, w1, w2)[0]: linear, relu, linear, one Value."""
    from ...model import mlp

    w1 = [to_values(row) for row in [[1.0, -1.0], [0.5, 2.0], [-1.0, -0.5], [2.0, 0.0]]]
    w2 = [to_values([1.0, -2.0, 0.5, 1.5])]
    for x in ([1.0, 1.0], [-1.0, 2.0], [0.5, -1.5]):
        what = tr("tiny_net({x}, w1, w2) with w1 = [[1, -1], [0.5, 2], [-1, -0.5], [2, 0]] and "
                  "w2 = [[1, -2, 0.5, 1.5]]", x=x)
        got = call(tiny_net, list(x), w1, w2)
        if isinstance(got, list) and len(got) == 1:
            fail(tr("{what} returned a list of one Value.", what=what),
                 _("Return the output itself, one Value: take item [0] of the last linear's list."))
        got = value_data(got, what)
        hidden = [sum(w * xi for w, xi in zip(row, x)) for row in [[1.0, -1.0], [0.5, 2.0], [-1.0, -0.5], [2.0, 0.0]]]
        expect_number(got, mlp(to_values(x), w1, w2)[0].data, what, [
            (sum(w * h for w, h in zip([1.0, -2.0, 0.5, 1.5], hidden)),
             _(WITHOUT_RELU_TWO_LAYERS)),
        ], otherwise=_("The output is linear(x, w1), relu on each of the 4 hidden units, then linear(..., w2), "
                       "item 0."))


LOSS_TIMES_TOO_BIG = N_(
    "Your loss is 4 times too big: the loss is the MEAN of the squared errors (divide their sum "
    "by the number of points).")
DRAW_WEIGHTS_ORDER_LESSON = N_(
    "Draw the weights in the order the lesson says: first w1 (4 rows of 2, row by row), "
    "then w2 (1 row of 4), all from one random.Random(seed).")
ONLY_FIRST_LAYER_LEARNS = N_("Only the first layer learns: give sgd_step every weight, those of w1 AND of w2.")


@exercise(
    "03-build-train", needs=[("linear", check_linear), ("sgd_step", check_sgd_step)], stars=3, minutes=20,
    build=True,
    hints=(
        N_("tiny_net is the forward pass of one point. train_tiny has three parts: make the weights (w1 then w2, "
           "from one random.Random(seed)); then, at every step, the loss, backward(), and an update; collect the "
           "losses as plain numbers."),
        N_("tiny_net(x, w1, w2) = linear([relu of each entry of linear(x, w1)], w2)[0]; loss = mean over the "
           "points of (output(x) - y) ** 2; then loss.backward() and sgd_step over all 12 weights."),
        N_("rng = random.Random(seed); w1 = [[Value(rng.gauss(0, 1)) for _ in range(2)] for _ in range(4)]; "
           "w2 likewise (1 row of 4); params = every weight of w1 + w2; for each step: loss = "
           "sum((tiny_net(x, w1, w2) - y) ** 2 for x, y in points) / ...; loss.backward(); "
           "sgd_step(params, lr); losses.append(...); finally return losses, w1, w2"),
    ),
    wrong=[
        (Edit("        loss = sum((tiny_net(x, w1, w2) - y) ** 2 for x, y in points) / len(points)",
              "        loss = sum((tiny_net(x, w1, w2) - y) ** 2 for x, y in points)"),
         LOSS_TIMES_TOO_BIG),
        (Edit("    w1 = [[Value(rng.gauss(0, 1)) for _ in range(2)] for _ in range(4)]  # 4 hidden units, 2 "
              "inputs each\n"
              "    w2 = [[Value(rng.gauss(0, 1)) for _ in range(4)]]  # 1 output from the 4 hidden units",
              "    w2 = [[Value(rng.gauss(0, 1)) for _ in range(4)]]\n"
              "    w1 = [[Value(rng.gauss(0, 1)) for _ in range(2)] for _ in range(4)]"),
         DRAW_WEIGHTS_ORDER_LESSON),
        (Edit("    hidden = [h.relu() for h in linear(x, w1)]  # 4 hidden units, each switched on or off by "
              "relu",
              "    hidden = linear(x, w1)  # 4 hidden units, each switched on or off by relu"),
         WITHOUT_RELU_TWO_LAYERS),
        (Edit("    params = [p for row in w1 + w2 for p in row]",
              "    params = [p for row in w1 for p in row]"),
         ONLY_FIRST_LAYER_LEARNS),
        (Edit("        losses.append(loss.data)",
              "        losses.append(loss)"),
         APPEND_PLAIN_NUMBER_LOSS),
    ],
)
def check_train_tiny(tiny_net, train_tiny):
    """tiny_net must be linear, relu, linear; train_tiny must give the package's losses and weights (lesson 03)."""
    _check_tiny_net(tiny_net)
    other = [([0.5, 2.0], 1.0), ([-1.0, 0.5], -0.5), ([2.0, -1.0], 0.0)]
    for points, steps, lr, seed, name in [(XOR_POINTS, 60, 0.1, 1, _("the four XOR points")),
                                          (XOR_POINTS, 20, 0.05, 0, _("the four XOR points")),
                                          (other, 15, 0.02, 7, tr("the points {points}", points=other))]:
        what = tr("train_tiny(points, steps={steps}, lr={lr}, seed={seed}) on {name}", steps=steps, lr=lr,
                  seed=seed, name=name)
        losses, weights = _tiny_result(call(train_tiny, [(list(x), y) for x, y in points], steps, lr, seed),
                                       steps, what)
        want, w1, w2 = _tiny_run(points, steps, lr, seed)
        if same_numbers(losses, want) and same_numbers(sum(weights, []), [p.data for row in w1 + w2 for p in row]):
            continue
        k = next((i for i, (a, b) in enumerate(zip(losses, want)) if not close(a, b, 1e-12)), steps)
        if k == steps:
            fail(tr("{what}: the losses are right but the returned weights are not the trained ones.", what=what),
                 _("Return the very lists w1 and w2 that the steps trained."))
        fields = {"what": what, "k": k, "got": losses[k], "want": want[k]}
        for mistake, hint_text in [
            ("sum", _(LOSS_TIMES_TOO_BIG)),
            ("w2 first", _(DRAW_WEIGHTS_ORDER_LESSON)),
            ("w1 only", _(ONLY_FIRST_LAYER_LEARNS)),
        ]:
            if same_numbers(losses, _tiny_run(points, steps, lr, seed, mistake)[0]):
                fail(tr("{what}: loss {k} is {got:.10g}, expected {want:.10g}.", **fields), hint_text)
        if k == 0:
            fail(tr("{what}: loss {k} is {got:.10g}, expected {want:.10g} (the very first loss, before any "
                    "update).", **fields),
                 _("Check the start: weights from random.Random(seed).gauss(0, 1), w1 then w2; the output of a "
                   "point is linear, relu on each hidden unit, linear; the loss is the mean of (output - y) ** 2."))
        fail(tr("{what}: loss {k} is {got:.10g}, expected {want:.10g} (losses 0 to {last_right} were right, so the "
                "start is right and an update is wrong).", last_right=k - 1, **fields),
             _("At every step: a fresh loss from the current weights, loss.backward(), then sgd_step(params, lr) "
               "with all 12 weights; no other change to the weights or their gradients."))
    ok(_("tiny_net is the package's network, and train_tiny gives its losses and weights (to 1e-12) for three "
         "runs, seeds 1, 0 and 7"))
