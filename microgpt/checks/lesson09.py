"""Checks for lesson 09: from microgpt to PyTorch. PyTorch is imported only when one of them runs."""

import math

from ..i18n import N_, _, tr
from .common import add_hints, call, exercise, fail, ok

__all__ = ["check_masked_attention", "check_batch_loss", "check_top_k", "check_tie_embeddings",
           "check_validation_loss"]

PAD = -100  # microgpt.engine_torch.PAD, the target of a padded position


def _torch():
    """PyTorch, imported only when a lesson-09 check runs (the rest of the package never needs it)."""
    import torch

    return torch


def _tensor(got, shape, what):
    """`got` as a tensor of `shape`, failing with a clear message when it is not one."""
    torch = _torch()
    if not isinstance(got, torch.Tensor):
        fail(tr("{what} should return a torch tensor, but it returned a {kind}.", what=what,
                kind=type(got).__name__),
             _("Compute with torch operations on the tensors you were given and return the result."))
    if tuple(got.shape) != tuple(shape):
        fail(tr("{what} returned a tensor of shape {got}, expected {want}.", what=what, got=tuple(got.shape),
                want=tuple(shape)))
    return got


def _attention_by_loops(q, k, v, scale=True, mask=True, diagonal=True):
    """Attention query by query over the keys it may see, as lesson 04 computes it (variants for the hints)."""
    torch = _torch()
    out = torch.zeros_like(q)
    B, H, T, D = q.shape
    for b in range(B):
        for h in range(H):
            for t in range(T):
                last = (t + 1 if diagonal else t) if mask else T
                if last == 0:
                    out[b, h, t] = float("nan")
                    continue
                scores = (k[b, h, :last] @ q[b, h, t]) / (math.sqrt(D) if scale else 1.0)
                out[b, h, t] = torch.softmax(scores, dim=0) @ v[b, h, :last]
    return out


@exercise("09-attention")
def check_masked_attention(masked_attention):
    """masked_attention(q, k, v) must be causal attention for (B, n_head, T, head_dim) tensors (lesson 09)."""
    torch = _torch()
    gen = torch.Generator().manual_seed(9)
    q, k, v = (torch.randn(2, 3, 5, 4, generator=gen, dtype=torch.float64) for _i in range(3))
    got = _tensor(call(masked_attention, q, k, v), q.shape,
                  tr("masked_attention(q, k, v) for q, k, v of shape {shape}", shape=tuple(q.shape)))
    want = _attention_by_loops(q, k, v)
    if torch.allclose(got, want, rtol=1e-9, atol=1e-12):
        ok(_("masked_attention equals lesson 04's attention, query by query, for every name and head at once"))
        return
    if torch.isnan(got).any():
        fail(_("masked_attention gives nan at the first position."),
             _("The first query may see only itself: keep the diagonal (torch.triu(..., diagonal=1) masks only "
               "the keys AFTER the query). A row whose scores are all -inf has no softmax."))
    mistakes = [
        (_attention_by_loops(q, k, v, mask=False), _("Every position sees the whole name, the future too: set the "
         "scores above the diagonal to -inf before the softmax (scores.masked_fill(future, float('-inf'))).")),
        (_attention_by_loops(q, k, v, scale=False), _("Divide the scores by sqrt(head_dim) = sqrt(q.shape[-1]), "
         "as lesson 04 does, before the softmax.")),
    ]
    for wrong, hint in mistakes:
        if torch.allclose(got, wrong, rtol=1e-9, atol=1e-12):
            fail(_("masked_attention does not match attention computed query by query."), hint)
    fail(tr("masked_attention does not match attention computed query by query (largest difference {diff:.3g}).",
            diff=float((got - want).abs().max())),
         _("Scores (B, H, T, T) = q @ k.transpose(-2, -1) / sqrt(head_dim); -inf above the diagonal; softmax over "
           "the LAST axis (the keys); then @ v."))


def _loss_case():
    """Logits (3, 4, 5) and targets with padding: rows of 4, 2 and 1 real positions."""
    torch = _torch()
    gen = torch.Generator().manual_seed(3)
    logits = torch.randn(3, 4, 5, generator=gen, dtype=torch.float64, requires_grad=True)
    targets = torch.tensor([[1, 4, 0, 2], [3, 3, PAD, PAD], [0, PAD, PAD, PAD]])
    return logits, targets


@exercise("09-loss")
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
             _("Stay with torch operations on logits (no .item(), .tolist() or .detach()), so that "
               "loss.backward() can reach the weights."))
    mistakes = [
        (float(nll.sum() / targets.numel()), _("You divided by every position, padding included: divide by the "
         "number of REAL positions, (targets != PAD).sum().")),
        (float((nll.sum(dim=1) / real.sum(dim=1)).mean()), _("That is the mean of each name's mean: a 1-letter "
         "name then weighs as much as a long one. Take the mean over all real positions of the batch at once.")),
        (-want, _("The loss is MINUS the log-probability of the target (log p < 0, the loss > 0).")),
    ]
    if math.isclose(value, want, rel_tol=1e-9, abs_tol=1e-12):
        ok(tr("batch_loss = {value:.4f}, the mean over the 7 real positions of 3 padded names", value=value))
        return
    for wrong, hint in mistakes:
        if math.isclose(value, wrong, rel_tol=1e-9, abs_tol=1e-12):
            fail(tr("batch_loss is {got:.6f}, expected {want:.6f}.", got=value, want=want), hint)
    fail(tr("batch_loss is {got:.6f}, expected {want:.6f}.", got=value, want=want),
         _("log_softmax over the vocabulary (last axis), pick each target's entry, skip PAD, average, negate."))


@exercise("09-top-k")
def check_top_k(top_k_logits):
    """top_k_logits(logits, k) must keep the k largest logits and set the rest to -inf (lesson 09)."""
    torch = _torch()
    logits = torch.tensor([1.5, -0.3, 2.2, 0.7, 3.1, -1.0, 0.0], dtype=torch.float64)
    original = logits.clone()
    for k in (3, 1, 7):
        got = _tensor(call(top_k_logits, logits, k), logits.shape, f"top_k_logits(logits, {k})")
        if not torch.equal(logits, original):
            fail(_("top_k_logits changed the logits it was given (an in-place operation such as masked_fill_)."),
                 _("Return a new tensor: logits.masked_fill(...) without the underscore."))
        keep = logits >= torch.sort(logits, descending=True).values[k - 1]
        want = logits.masked_fill(~keep, float("-inf"))
        if torch.equal(got, want):
            continue
        kept = int(torch.isfinite(got).sum())
        if kept == k - 1:
            hint = _("You dropped the k-th largest too: keep every logit >= the k-th largest (use < to drop).")
        elif not torch.isinf(got).any() and (got == 0).any():
            hint = _("Set the dropped logits to -inf, not 0: a logit of 0 still has probability exp(0) > 0.")
        elif kept == k and torch.isfinite(got[torch.argmin(logits)]):
            hint = _("You kept the k SMALLEST logits: torch.topk gives the largest by default.")
        else:
            hint = _("Find the k-th largest logit (torch.topk(logits, k).values[-1]) and set every smaller one to "
                     "-inf.")
        fail(tr("top_k_logits({logits}, {k}) gave {got}, expected {want}.", logits=original.tolist(), k=k,
                got=got.tolist(), want=want.tolist()), hint)
    ok(_("top_k_logits keeps the k most likely tokens and gives the others probability exactly 0"))


@exercise("09-tied")
def check_tie_embeddings(tie_embeddings):
    """tie_embeddings(model) must make the model's lm_head use the very Parameter of its token embedding (lesson 09)."""
    torch = _torch()
    from ..torch_gpt2 import GPT2, GPT2Config

    model = GPT2(GPT2Config(vocab_size=7, n_layer=1, n_embd=8, n_head=2, block_size=4))
    before = model.num_params()
    call(tie_embeddings, model)
    wte, head = model.wte.weight, model.lm_head.weight
    if head is not wte:
        if isinstance(head, torch.nn.Parameter) and head.data_ptr() == wte.data_ptr():
            fail(_("lm_head's weight shares wte's numbers now, but it is still a Parameter of its own: two "
                   "gradients, two Adam updates, and the two drift apart after the first step."),
                 _("Assign wte's weight Parameter itself to lm_head's weight attribute, without .data."))
        fail(_("model.lm_head.weight is not model.wte.weight: the two matrices are still separate."),
             _("Tying means one Parameter used twice: assign wte's weight Parameter itself to lm_head's weight "
               "attribute (a copy or a clone is a second matrix that only starts equal)."))
    saved = 7 * 8
    if model.num_params() != before - saved:
        fail(tr("the model has {got} parameters, expected {want}.", got=model.num_params(), want=before - saved),
             _("Tie the output layer to the token embedding, nothing else."))
    logits = model(torch.tensor([[0, 3, 2]]))
    logits[0, -1, 5].backward()  # row 5 of the matrix is used only as the output layer here
    if wte.grad is None or not wte.grad[5].abs().sum() > 0:
        fail(_("the output layer's gradient does not reach the embedding matrix."),
             _("Make lm_head's weight the very Parameter of wte, so that both uses add into one gradient."))
    ok(tr("one matrix of {saved} numbers serves as both the input and the output embedding "
          "({before} -> {after} parameters here)", saved=saved, before=before, after=model.num_params()))


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


@exercise("09-validation")
def check_validation_loss(validation_loss):
    """validation_loss(model, inputs, targets, batch_size): the mean per real token, eval mode, no grad (lesson 09)."""
    torch = _torch()
    from ..data import Tokenizer
    from ..torch_gpt2 import GPT2, GPT2Config, tensors

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
             _("Run the loop inside a torch.no_grad() block, a `with` statement (it saves the memory and time "
               "of the graph)."))
    if any(training for _grad, training, _size in spy.calls):
        fail(_("model.loss ran in training mode, so dropout zeroed random activations during validation."),
             _("Switch the model to evaluation mode before the loop (its eval method), and back to training mode "
               "after it (its train method)."))
    if not model.training:
        fail(_("after validation_loss the model is still in eval mode: the next training steps would run "
               "without dropout."), _("Switch it back to training mode at the end (its train method)."))
    sizes = [size for _grad, _mode, size in spy.calls]
    if sorted(sizes) != [1, 3, 3]:
        fail(tr("validation_loss called model.loss on batches of {sizes} names, expected 3, 3 and 1 for 7 names "
                "in batches of 3.", sizes=sizes), "for start in range(0, len(inputs), batch_size)")
    plain_mean = sum(loss for loss, _n in per_batch) / len(per_batch)
    if isinstance(got, (int, float)) and math.isclose(got, plain_mean, rel_tol=1e-9):
        fail(tr("validation_loss is {got:.6f}, the plain mean of the batches' losses; expected {want:.6f}.",
                got=got, want=want),
             _("Each batch's loss is a mean over its own real tokens, and the batches hold different numbers of "
               "them: weigh each by (targets != PAD).sum() and divide by the total."))
    if not isinstance(got, (int, float)) or not math.isclose(got, want, rel_tol=1e-9):
        fail(tr("validation_loss is {got!r}, expected {want:.6f}.", got=got, want=want),
             _("sum of loss.item() * tokens over the batches, divided by the total number of tokens"))
    ok(tr("validation_loss = {got:.4f}: every real token once, dropout off, no graph", got=got))


HINTS = {
    "09-attention": (
        N_("All scores at once, as in lesson 08, but with a batch axis in front; the mask hides the keys after "
           "each query."),
        N_("softmax(q @ k^T / sqrt(head_dim) + mask) @ v, with -inf where the key index > the query index."),
        N_("T = q.shape[-2]; future = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1); "
           "scores = (q @ k.transpose(-2, -1) / ...).masked_fill(future, float('-inf')); "
           "return torch.softmax(scores, dim=-1) @ v"),
    ),
    "09-loss": (
        N_("The loss of a batch is the mean of -log p(target) over the positions that hold a real target."),
        N_("loss = -sum(log_softmax(logits)[b, t, targets[b, t]] for real (b, t)) / (number of real positions)"),
        N_("logp = torch.log_softmax(logits, dim=-1); real = targets != PAD; "
           "picked = logp.gather(-1, targets.clamp(min=0).unsqueeze(-1)).squeeze(-1); "
           "return -(picked * real).sum() / real.sum()"),
    ),
    "09-top-k": (
        N_("Keep the k most likely tokens; every other token gets probability 0, which means a logit of -inf."),
        N_("threshold = the k-th largest logit; logit < threshold -> -inf."),
        N_("kth = torch.topk(logits, k).values[-1]; return logits.masked_fill(logits < kth, float('-inf'))"),
    ),
    "09-tied": (
        N_("Tied embeddings are ONE matrix used twice: to look tokens up, and to score them at the output."),
        N_("lm_head.weight and wte.weight must be the same Parameter object (both are vocab_size x n_embd)."),
        N_("model.lm_head.weight = model.wte.weight"),
    ),
    "09-validation": (
        N_("Measure, do not train: dropout off, no graph, every validation token counted once."),
        N_("loss = sum(batch loss * tokens in batch) / total tokens, with model.eval() and torch.no_grad()."),
        N_("model.eval(); with torch.no_grad(): for start in range(0, len(inputs), batch_size): ... "
           "total += model.loss(x, y).item() * n; count += n; then model.train(); return total / count"),
    ),
}

add_hints(HINTS)
