"""Checks of lesson 09: the batch loss over padded names, and the validation loss (09-loss, 09-validation)."""

import math

from ...data import Tokenizer
from ...i18n import N_, _, tr
from ..exercise import Edit, exercise
from ..failure import GATHER_AXES, OUT_OF_BOUNDS_ID, call, fail, ok
from .attention import PAD, _tensor, _torch


def _loss_case():
    """Logits (3, 4, 5) and targets with padding: rows of 4, 2 and 1 real positions."""
    torch = _torch()
    gen = torch.Generator().manual_seed(3)
    logits = torch.randn(3, 4, 5, generator=gen, dtype=torch.float64, requires_grad=True)
    targets = torch.tensor([[1, 4, 0, 2], [3, 3, PAD, PAD], [0, PAD, PAD, PAD]])
    return logits, targets


STAY_TORCH_OPERATIONS_LOGITS = N_(
    "Stay with torch operations on logits (no .item(), .tolist() or .detach()), so that "
    "loss.backward() can reach the weights.")
DIVIDED_EVERY_POSITION_PADDING = N_(
    "You divided by every position, padding included: divide by the "
    "number of REAL positions, (targets != PAD).sum().")
MEAN_NAME_MEAN_LETTER = N_(
    "That is the mean of each name's mean: a 1-letter "
    "name then weighs as much as a long one. Take the mean over all real positions of the batch at once.")
LOSS_MINUS_LOG_PROBABILITY = N_("The loss is MINUS the log-probability of the target (log p < 0, the loss > 0).")


@exercise(
    "09-loss", stars=2, minutes=10,
    hints=(
        N_("The loss of a batch is the mean of -log p(target) over the positions that hold a real target."),
        N_("loss = -sum(log_softmax(logits)[b, t, targets[b, t]] for real (b, t)) / (number of real positions)"),
        N_("logp = torch.log_softmax(logits, dim=-1); real = targets != PAD; "
           "picked = logp.gather(-1, targets.clamp(min=0).unsqueeze(-1)).squeeze(-1); "
           "return -(picked * real).sum() / real.sum()"),
    ),
    wrong=[
        ("logp = torch.log_softmax(logits, dim=-1)\n"
         "picked = logp.gather(-1, targets.clamp(min=0).unsqueeze(-1)).squeeze(-1)\n"
         "real = targets != PAD\n"
         "return -(picked * real).sum() / targets.numel()",
         DIVIDED_EVERY_POSITION_PADDING),
        ("logp = torch.log_softmax(logits, dim=-1)\n"
         "picked = logp.gather(-1, targets.clamp(min=0).unsqueeze(-1)).squeeze(-1)\n"
         "real = targets != PAD\n"
         "return (-(picked * real).sum(dim=1) / real.sum(dim=1)).mean()",
         MEAN_NAME_MEAN_LETTER),
        ("logp = torch.log_softmax(logits, dim=-1)\n"
         "picked = logp.gather(-1, targets.clamp(min=0).unsqueeze(-1)).squeeze(-1)\n"
         "real = targets != PAD\n"
         "return (picked * real).sum() / real.sum()",
         LOSS_MINUS_LOG_PROBABILITY),
        (Edit("logp = torch.log_softmax(logits, dim=-1)  # (B, T, vocab)\n"
              "picked = logp.gather(-1, targets.clamp(min=0).unsqueeze(-1)).squeeze(-1)  # (B, T): log "
              "p(target)",
              "logp = torch.log_softmax(logits, dim=-1).detach()\n"
              "picked = logp.gather(-1, targets.clamp(min=0).unsqueeze(-1)).squeeze(-1)"),
         STAY_TORCH_OPERATIONS_LOGITS),
        (Edit("logp = torch.log_softmax(logits, dim=-1)  # (B, T, vocab)\n"
              "picked = logp.gather(-1, targets.clamp(min=0).unsqueeze(-1)).squeeze(-1)  # (B, T): log "
              "p(target)",
              "logp = torch.log_softmax(logits, dim=-1)\n"
              "picked = logp.gather(-1, targets.unsqueeze(-1)).squeeze(-1)"),
         OUT_OF_BOUNDS_ID),
        (Edit("logp = torch.log_softmax(logits, dim=-1)  # (B, T, vocab)\n"
              "picked = logp.gather(-1, targets.clamp(min=0).unsqueeze(-1)).squeeze(-1)  # (B, T): log "
              "p(target)",
              "logp = torch.log_softmax(logits, dim=-1)\n"
              "picked = logp.gather(-1, targets.clamp(min=0))"),
         GATHER_AXES),
    ],
)
def check_batch_loss(batch_loss):
    """batch_loss(logits, targets) must be the mean cross-entropy over the real (not PAD) positions (lesson 09)."""
    torch = _torch()
    logits, targets = _loss_case()
    got = call(batch_loss, logits, targets)
    _tensor(got, (), "batch_loss(logits, targets)")
    logp = torch.log_softmax(logits.detach(), dim=-1)
    real = targets != PAD
    nll = -logp.gather(-1, targets.clamp(min=0)[..., None])[..., 0] * real  # (B, T), 0 at padding
    want = float(nll.sum() / real.sum())
    value = float(got.detach())
    if not got.requires_grad:
        fail(_("batch_loss returns a tensor with no gradient: it was computed outside autograd."),
             _(STAY_TORCH_OPERATIONS_LOGITS))
    mistakes = [
        (float(nll.sum() / targets.numel()), _(DIVIDED_EVERY_POSITION_PADDING)),
        (float((nll.sum(dim=1) / real.sum(dim=1)).mean()), _(MEAN_NAME_MEAN_LETTER)),
        (-want, _(LOSS_MINUS_LOG_PROBABILITY)),
    ]
    if math.isclose(value, want, rel_tol=1e-9, abs_tol=1e-12):
        ok(tr("batch_loss = {value:.4f}, the mean over the 7 real positions of 3 padded names", value=value))
        return
    for wrong, hint in mistakes:
        if math.isclose(value, wrong, rel_tol=1e-9, abs_tol=1e-12):
            fail(tr("batch_loss is {got:.6f}, expected {want:.6f}.", got=value, want=want), hint)
    fail(tr("batch_loss is {got:.6f}, expected {want:.6f}.", got=value, want=want),
         _("log_softmax over the vocabulary (last axis), pick each target's entry, skip PAD, average, negate."))


class _Spy:
    """Wraps a GPT2 model: records, at every loss() call, whether autograd recorded and whether dropout was on."""

    def __init__(self, model):
        """Wrap `model`."""
        self.model, self.calls = model, []

    def __getattr__(self, name):
        """Everything else (eval, train, training, parameters...) is the model's."""
        return getattr(self.model, name)

    def loss(self, inputs, targets):
        """The model's loss, noting the state it was computed in."""
        self.calls.append((_torch().is_grad_enabled(), self.model.training, len(inputs)))
        return self.model.loss(inputs, targets)


RUN_LOOP_INSIDE_TORCH = N_(
    "Run the loop inside a torch.no_grad() block, a `with` statement (it saves the memory and time "
    "of the graph).")
SWITCH_MODEL_EVALUATION_MODE = N_(
    "Switch the model to evaluation mode before the loop (its eval method), and back to training mode "
    "after it (its train method).")
SWITCH_BACK_TRAINING_MODE = N_("Switch it back to training mode at the end (its train method).")
BATCH_LOSS_MEAN_OVER = N_(
    "Each batch's loss is a mean over its own real tokens, and the batches hold different numbers of "
    "them: weigh each by (targets != PAD).sum() and divide by the total.")


@exercise(
    "09-validation", stars=2, minutes=15,
    hints=(
        N_("Measure, do not train: dropout off, no graph, every validation token counted once."),
        N_("loss = sum(batch loss * tokens in batch) / total tokens, with model.eval() and torch.no_grad()."),
        N_("model.eval(); with torch.no_grad(): for start in range(0, len(inputs), batch_size): ... "
           "total += model.loss(x, y).item() * n; count += n; then model.train(); return total / count"),
    ),
    wrong=[
        ("model.eval()\n"
         "losses = []\n"
         "with torch.no_grad():\n"
         "    for start in range(0, len(inputs), batch_size):\n"
         "        losses.append(model.loss(inputs[start:start + batch_size], targets[start:start + "
         "batch_size]).item())\n"
         "model.train()\n"
         "return sum(losses) / len(losses)",
         BATCH_LOSS_MEAN_OVER),
        ("total, count = 0.0, 0\n"
         "with torch.no_grad():\n"
         "    for start in range(0, len(inputs), batch_size):\n"
         "        x, y = inputs[start:start + batch_size], targets[start:start + batch_size]\n"
         "        n = int((y != PAD).sum())\n"
         "        total += model.loss(x, y).item() * n\n"
         "        count += n\n"
         "return total / count",
         SWITCH_MODEL_EVALUATION_MODE),
        (Edit("with torch.no_grad():\n"
              "    for start in range(0, len(inputs), batch_size):\n"
              "        x, y = inputs[start:start + batch_size], targets[start:start + batch_size]\n"
              "        n = int((y != PAD).sum())\n"
              "        total += model.loss(x, y).item() * n\n"
              "        count += n",
              "for start in range(0, len(inputs), batch_size):\n"
              "    x, y = inputs[start:start + batch_size], targets[start:start + batch_size]\n"
              "    n = int((y != PAD).sum())\n"
              "    total += model.loss(x, y).item() * n\n"
              "    count += n"),
         RUN_LOOP_INSIDE_TORCH),
        (Edit("model.train()\n"
              "",
              ""),
         SWITCH_BACK_TRAINING_MODE),
    ],
)
def check_validation_loss(validation_loss):
    """validation_loss(model, inputs, targets, batch_size): the mean per real token, eval mode, no grad (lesson 09)."""
    torch = _torch()
    from ...torch_gpt2 import GPT2, GPT2Config, tensors

    tokenizer = Tokenizer("abcdefghijklmnopqrstuvwxyz")
    names = ["emma", "bob", "alexandrina", "jo", "mia", "christopher", "ava"]  # 7 names: batches of 3, 3, 1
    inputs, targets = tensors(names, tokenizer)
    model = GPT2(GPT2Config(vocab_size=tokenizer.vocab_size, n_layer=1, n_embd=16, n_head=2, dropout=0.5))
    model.train()
    with torch.no_grad():
        model.eval()
        per_batch = [(float(model.loss(inputs[s:s + 3], targets[s:s + 3])), int((targets[s:s + 3] != PAD).sum()))
                     for s in range(0, 7, 3)]
        model.train()
    want = sum(loss * n for loss, n in per_batch) / sum(n for _, n in per_batch)
    spy = _Spy(model)
    got = call(validation_loss, spy, inputs, targets, 3)
    if isinstance(got, torch.Tensor):
        fail(tr("validation_loss returned a tensor ({got!r}).", got=got),
             _("Return a plain float: add up loss.item() values."))
    if not spy.calls:
        fail(_("validation_loss never called model.loss(inputs, targets)."),
             _("Loop over the set in batches and call model.loss on each."))
    if any(grad for grad, _mode, _size in spy.calls):
        fail(_("model.loss ran with autograd recording a graph that nobody will call backward() on."),
             _(RUN_LOOP_INSIDE_TORCH))
    if any(training for _grad, training, _size in spy.calls):
        fail(_("model.loss ran in training mode, so dropout zeroed random activations during validation."),
             _(SWITCH_MODEL_EVALUATION_MODE))
    if not model.training:
        fail(_("after validation_loss the model is still in eval mode: the next training steps would run "
               "without dropout."), _(SWITCH_BACK_TRAINING_MODE))
    sizes = [size for _grad, _mode, size in spy.calls]
    if sorted(sizes) != [1, 3, 3]:
        fail(tr("validation_loss called model.loss on batches of {sizes} names, expected 3, 3 and 1 for 7 names "
                "in batches of 3.", sizes=sizes), "for start in range(0, len(inputs), batch_size)")
    plain_mean = sum(loss for loss, _n in per_batch) / len(per_batch)
    if isinstance(got, (int, float)) and math.isclose(got, plain_mean, rel_tol=1e-9):
        fail(tr("validation_loss is {got:.6f}, the plain mean of the batches' losses; expected {want:.6f}.",
                got=got, want=want),
             _(BATCH_LOSS_MEAN_OVER))
    if not isinstance(got, (int, float)) or not math.isclose(got, want, rel_tol=1e-9):
        fail(tr("validation_loss is {got!r}, expected {want:.6f}.", got=got, want=want),
             _("Every real token of the set should count once: weigh each batch's mean loss by its number of real "
               "tokens, and return a float."))
    ok(tr("validation_loss = {got:.4f}: every real token once, dropout off, no graph", got=got))
