"""Checks of lesson 06: the build: the training loop (06-build-train)."""

import random

from ...data import Tokenizer
from ...i18n import N_, _, tr
from ..exercise import Edit, exercise
from ..failure import call, fail, ok
from ..numbers import close, expect_number
from .adam import check_adam_update
from .step import check_lr_at


class _Stop(BaseException):
    """Raised by the check's callback to end a learner's 1,000-step run after its first steps (not an Exception,
    so that call() lets it through)."""


def _reference_losses(kind, docs, tokenizer, num_steps, lr, make_model):
    """The losses of microgpt's training loop written right ('right') or with one named mistake, and its model."""
    from ...optim import Adam, linear_decay
    from ...train import train_step

    model = make_model()
    optimizer = Adam(model.parameters())
    losses = []
    for step in range(num_steps):
        doc = docs[0] if kind == "same-doc" else docs[step % len(docs)]
        tokens = tokenizer.encode(doc) if kind == "no-bos" else tokenizer.encode_doc(doc)
        rate = {"constant": lr, "off-by-one": linear_decay(lr, step + 1, num_steps)}.get(
            kind, linear_decay(lr, step, num_steps))
        if kind == "reset":
            optimizer = Adam(model.parameters())
        losses.append(train_step(model, tokens, optimizer, rate))
    return losses, model


ADAM_MEMORY_WAS_MADE = N_(
    "Adam's memory was made afresh at every step: make it ONCE, before the loop, so that m, v and t "
    "carry over from step to step.")
LEARNING_RATE_NEVER_FELL = N_(
    "The learning rate never fell: use the schedule, lr_at(step, num_steps, lr), at every step.")
SCHEDULE_STEP_AHEAD_STEP = N_(
    "The schedule is one step ahead: step counts from 0 in lr_at, so the first step uses the "
    "full lr.")
DOCUMENT_BECOMES_TRAINING_SEQUENCE = N_(
    "Each document becomes a training sequence with BOS at both ends: use tokenizer.encode_doc, "
    "not tokenizer.encode.")


_LOOP_MISTAKES = {
    "reset": ADAM_MEMORY_WAS_MADE,
    "constant": LEARNING_RATE_NEVER_FELL,
    "off-by-one": SCHEDULE_STEP_AHEAD_STEP,
    "no-bos": DOCUMENT_BECOMES_TRAINING_SEQUENCE,
    "same-doc": N_("Every step trained on the first document: step s takes the document at s, going round the "
                   "list again when the steps outnumber the documents."),
}


INDEX_WENT_PAST_END = N_(
    "An index went past the end of a list: when there are more steps "
    "than documents, go round the list of documents again.")


def _run_loop(train_loop, model, docs, tokenizer, num_steps, lr, stop_after=None):
    """The learner's losses and what their callback received ((step, num_steps, loss) per call)."""
    seen = []

    def callback(step, total, loss):
        """Record each call; stop the run after `stop_after` steps."""
        seen.append((step, total, loss))
        if stop_after is not None and len(seen) >= stop_after:
            raise _Stop

    try:
        losses = call(train_loop, model, docs, tokenizer, num_steps, lr, callback=callback,
                      errors={IndexError: _(INDEX_WENT_PAST_END)})
    except _Stop:
        losses = None
    return losses, seen


def _check_reference_start(train_loop):
    """The first three losses of a 1,000-step run on the reference's model and names, checked and returned."""
    from ...data import load_docs
    from ...model import GPT, GPTConfig

    rng = random.Random(42)
    names = load_docs()
    rng.shuffle(names)
    tok = Tokenizer.from_docs(names)
    state = rng.getstate()

    def reference_model():
        """The reference's initial model, drawn from the stream where the reference draws it."""
        stream = random.Random()
        stream.setstate(state)
        return GPT(GPTConfig(vocab_size=tok.vocab_size), stream)

    _losses, seen = _run_loop(train_loop, reference_model(), names, tok, 1000, 0.01, stop_after=3)
    got = [x for _step, _total, x in seen]
    from ...optim import Adam, linear_decay
    from ...train import train_step

    ref = reference_model()
    optimizer = Adam(ref.parameters())
    want = [train_step(ref, tok.encode_doc(names[s]), optimizer, linear_decay(0.01, s, 1000)) for s in range(3)]
    if got != want:
        fail(tr("on the reference's model and names, the first three losses of a 1,000-step run are {got}, "
                "expected {want}.", got=", ".join(f"{x:.4f}" for x in got),
                want=", ".join(f"{x:.4f}" for x in want)),
             _("Start from the model you are given and train on the documents in their order."))
    return got


AFTER_EVERY_STEP_CALL = N_(
    "After every step call callback(step, num_steps, loss) with step counting from 1, when a callback "
    "is given.")


@exercise(
    "06-build-train", needs=[("lr_at", check_lr_at), ("adam_update", check_adam_update)], stars=3, minutes=20,
    build=True,
    hints=(
        N_("A training run is the training step in a loop: one document per step, in order, with one Adam memory "
           "for the whole run and the learning rate of the schedule."),
        N_("state = new_adam_state(model) once; for step in range(num_steps): tokens = encode_doc(docs[step % "
           "len(docs)]); loss = training_step(..., lr_at(step, num_steps, lr)); callback(step + 1, num_steps, loss)."),
        N_("def train_loop(model, docs, tokenizer, num_steps, lr, callback=None): state = ...; losses = []; for step "
           "in range(num_steps): ...; losses.append(loss); if callback is not None: callback(...); return losses"),
    ),
    wrong=[
        (Edit("    state = new_adam_state(model)  # one memory for the whole run\n"
              "    losses = []\n"
              "    for step in range(num_steps):",
              "    losses = []\n"
              "    for step in range(num_steps):\n"
              "        state = new_adam_state(model)"),
         ADAM_MEMORY_WAS_MADE),
        (Edit("    state = new_adam_state(model)  # one memory for the whole run\n"
              "    losses = []\n"
              "    for step in range(num_steps):\n"
              "        tokens = tokenizer.encode_doc(docs[step % len(docs)])\n"
              "        loss = training_step(model, tokens, state, lr_at(step, num_steps, lr))",
              "    state = new_adam_state(model)\n"
              "    losses = []\n"
              "    for step in range(num_steps):\n"
              "        tokens = tokenizer.encode_doc(docs[step % len(docs)])\n"
              "        loss = training_step(model, tokens, state, lr)"),
         LEARNING_RATE_NEVER_FELL),
        (Edit("    state = new_adam_state(model)  # one memory for the whole run\n"
              "    losses = []\n"
              "    for step in range(num_steps):\n"
              "        tokens = tokenizer.encode_doc(docs[step % len(docs)])",
              "    state = new_adam_state(model)\n"
              "    losses = []\n"
              "    for step in range(num_steps):\n"
              "        tokens = tokenizer.encode(docs[step % len(docs)])"),
         DOCUMENT_BECOMES_TRAINING_SEQUENCE),
        (Edit("    state = new_adam_state(model)  # one memory for the whole run\n"
              "    losses = []\n"
              "    for step in range(num_steps):\n"
              "        tokens = tokenizer.encode_doc(docs[step % len(docs)])",
              "    state = new_adam_state(model)\n"
              "    losses = []\n"
              "    for step in range(num_steps):\n"
              "        tokens = tokenizer.encode_doc(docs[step])"),
         INDEX_WENT_PAST_END),
        (Edit("    state = new_adam_state(model)  # one memory for the whole run\n"
              "    losses = []\n"
              "    for step in range(num_steps):\n"
              "        tokens = tokenizer.encode_doc(docs[step % len(docs)])\n"
              "        loss = training_step(model, tokens, state, lr_at(step, num_steps, lr))",
              "    state = new_adam_state(model)\n"
              "    losses = []\n"
              "    for step in range(num_steps):\n"
              "        tokens = tokenizer.encode_doc(docs[step % len(docs)])\n"
              "        loss = training_step(model, tokens, state, lr_at(step + 1, num_steps, lr))"),
         SCHEDULE_STEP_AHEAD_STEP),
        ("def train_loop(model, docs, tokenizer, num_steps, lr, callback=None):\n"
         "    state = new_adam_state(model)\n"
         "    losses = []\n"
         "    for step in range(num_steps):\n"
         "        tokens = tokenizer.encode_doc(docs[step % len(docs)])\n"
         "        loss = training_step(model, tokens, state, lr_at(step, num_steps, lr))\n"
         "        losses.append(loss)\n"
         "    return losses",
         AFTER_EVERY_STEP_CALL),
    ],
)
def check_train_loop(train_loop):
    """train_loop(model, docs, tokenizer, num_steps, lr, callback) must train like microgpt.train (lesson 06)."""
    from ...model import GPT, GPTConfig

    docs, lr, num_steps = ["anna", "bob", "carla"], 0.02, 5
    tokenizer = Tokenizer.from_docs(docs)
    config = GPTConfig(vocab_size=tokenizer.vocab_size, n_embd=8, n_head=2, block_size=8)
    what = f"train_loop(model, {docs}, tokenizer, num_steps={num_steps}, lr={lr}, callback)"
    mine = GPT(config, random.Random(3))
    losses, seen = _run_loop(train_loop, mine, docs, tokenizer, num_steps, lr)
    if not isinstance(losses, list) or len(losses) != num_steps:
        fail(tr("{what} returned {losses!r:.80}, expected a list of {num_steps} losses.", what=what,
                losses=losses, num_steps=num_steps),
             _("Collect the loss of every step in a list and return it after the loop."))
    for k, loss in enumerate(losses, start=1):
        expect_number(loss, loss if isinstance(loss, float) else 0.0,
                      tr("the loss of step {k} returned by {what}", k=k, what=what))
    calls = [(s, t) for s, t, _loss in seen]
    if calls != [(k, num_steps) for k in range(1, num_steps + 1)] or [x for _s, _t, x in seen] != losses:
        fail(tr("{what} called callback with {calls} as (step, num_steps), expected {want}.", what=what,
                calls=calls, want=[(k, num_steps) for k in range(1, num_steps + 1)]),
             _(AFTER_EVERY_STEP_CALL))
    want, ref = _reference_losses("right", docs, tokenizer, num_steps, lr, lambda: GPT(config, random.Random(3)))
    if not all(close(a, b, 1e-12) for a, b in zip(losses, want)):
        k = next(k for k, (a, b) in enumerate(zip(losses, want), start=1) if not close(a, b, 1e-12))
        message = tr("{what}: the loss of step {k} is {got:.10g}, expected {want:.10g}.", what=what, k=k,
                     got=losses[k - 1], want=want[k - 1])
        for kind, hint_text in _LOOP_MISTAKES.items():
            wrong, _model = _reference_losses(kind, docs, tokenizer, num_steps, lr,
                                              lambda: GPT(config, random.Random(3)))
            if all(close(a, b, 1e-9) for a, b in zip(losses, wrong)):
                fail(message, _(hint_text))
        fail(message, _("One step per document, in order, with Adam's memory kept from step to step and the "
                        "learning rate of lr_at(step, num_steps, lr) at each step."))
    if not all(close(a.data, b.data, 1e-12) for a, b in zip(mine.parameters(), ref.parameters())):
        fail(tr("after {what} the losses are right but the final weights differ from microgpt.train's.", what=what),
             _("Every step, the last one included, must update the weights."))
    got = _check_reference_start(train_loop)
    ok(tr("{num_steps} steps identical to microgpt.train; on the reference's start the first three losses are "
          "{losses}, as the reference prints", num_steps=num_steps, losses=", ".join(f"{x:.4f}" for x in got)))
