"""Checks of lesson 09: masked attention in torch, and tied embeddings (09-attention, 09-tied)."""

import math

from ...i18n import N_, _, tr
from ..exercise import Edit, exercise
from ..failure import call, fail, ok

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
                want=tuple(shape)),
             _("Follow the shapes step by step (print each .shape): which operation changed an axis it should "
               "have kept?"))
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


SCORES_B_H_Q = N_(
    "Scores (B, H, T, T) = q @ k.transpose(-2, -1) / sqrt(head_dim); -inf above the diagonal; softmax over "
    "the LAST axis (the keys); then @ v.")
FIRST_QUERY_MAY_SEE = N_(
    "The first query may see only itself: keep the diagonal (torch.triu(..., diagonal=1) masks only "
    "the keys AFTER the query). A row whose scores are all -inf has no softmax.")
EVERY_POSITION_SEES_WHOLE = N_(
    "Every position sees the whole name, the future too: set the "
    "scores above the diagonal to -inf before the softmax (scores.masked_fill(future, float('-inf'))).")
DIVIDE_SCORES_SQRT_HEAD = N_(
    "Divide the scores by sqrt(head_dim) = sqrt(q.shape[-1]), "
    "as lesson 04 does, before the softmax.")


SOFTMAX_OVER_QUERIES = N_(
    "The softmax ran over the queries: each query's weights over the KEYS must add up to 1, so take it over "
    "the last axis, the keys'.")
MASKED_THE_PAST = N_(
    "Your mask hides the PAST: the lower triangle (tril) holds the keys before each query. The future is "
    "the upper triangle, above the diagonal (triu).")
FUTURE_FILLED_WITH_ZERO = N_(
    "The future's scores were set to 0, but exp(0) = 1 still gives the future a share of the weight: set "
    "them to minus infinity, whose exp is 0.")
# the wrong attentions a learner writes most: each against its hint
OTHER_ATTENTION = {"queries-axis": SOFTMAX_OVER_QUERIES, "past": MASKED_THE_PAST, "zero": FUTURE_FILLED_WITH_ZERO}


def _other_attention(q, k, v, kind):
    """Attention with one known mistake `kind` (a key of OTHER_ATTENTION), all positions at once."""
    torch = _torch()
    T = q.shape[-2]
    ones = torch.ones(T, T, dtype=torch.bool)
    mask = torch.tril(ones, diagonal=-1) if kind == "past" else torch.triu(ones, diagonal=1)
    scores = (q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])).masked_fill(
        mask, 0.0 if kind == "zero" else float("-inf"))
    return torch.softmax(scores, dim=-2 if kind == "queries-axis" else -1) @ v


@exercise(
    "09-attention", stars=2, minutes=15,
    hints=(
        N_("All scores at once, as in lesson 08, but with a batch axis in front; the mask hides the keys after "
           "each query."),
        N_("softmax(q @ k^T / sqrt(head_dim) + mask) @ v, with -inf where the key index > the query index."),
        N_("T = q.shape[-2]; future = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1); "
           "scores = (q @ k.transpose(-2, -1) / ...).masked_fill(future, float('-inf')); "
           "return torch.softmax(scores, dim=-1) @ v"),
    ),
    wrong=[
        ("T = q.shape[-2]\n"
         "scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])\n"
         "return torch.softmax(scores, dim=-1) @ v",
         EVERY_POSITION_SEES_WHOLE),
        (Edit("future = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)  # True where key > query\n"
              "scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])  # (batch, n_head, T, T)\n"
              "scores = scores.masked_fill(future, float(\"-inf\"))  # exp(-inf) = 0: no weight on the future",
              "future = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=0)\n"
              "scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])\n"
              "scores = scores.masked_fill(future, float(\"-inf\"))"),
         FIRST_QUERY_MAY_SEE),
        (Edit("future = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)  # True where key > query\n"
              "scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])  # (batch, n_head, T, T)\n"
              "scores = scores.masked_fill(future, float(\"-inf\"))  # exp(-inf) = 0: no weight on the future",
              "future = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)\n"
              "scores = q @ k.transpose(-2, -1)\n"
              "scores = scores.masked_fill(future, float(\"-inf\"))"),
         DIVIDE_SCORES_SQRT_HEAD),
        ("T = q.shape[-2]\n"
         "future = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)\n"
         "scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])\n"
         "scores = scores.masked_fill(future, float(\"-inf\"))\n"
         "return torch.softmax(scores, dim=-2) @ v",
         SOFTMAX_OVER_QUERIES),
        (Edit("future = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)  # True where key > query\n"
              "scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])  # (batch, n_head, T, T)\n"
              "scores = scores.masked_fill(future, float(\"-inf\"))  # exp(-inf) = 0: no weight on the future",
              "future = torch.tril(torch.ones(T, T, dtype=torch.bool), diagonal=-1)\n"
              "scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])\n"
              "scores = scores.masked_fill(future, float(\"-inf\"))"),
         MASKED_THE_PAST),
        (Edit("future = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)  # True where key > query\n"
              "scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])  # (batch, n_head, T, T)\n"
              "scores = scores.masked_fill(future, float(\"-inf\"))  # exp(-inf) = 0: no weight on the future",
              "future = torch.tril(torch.ones(T, T, dtype=torch.bool), diagonal=1)\n"
              "scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])\n"
              "scores = scores.masked_fill(future, float(\"-inf\"))"),
         MASKED_THE_PAST),
        (Edit("future = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)  # True where key > query\n"
              "scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])  # (batch, n_head, T, T)\n"
              "scores = scores.masked_fill(future, float(\"-inf\"))  # exp(-inf) = 0: no weight on the future",
              "future = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)\n"
              "scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])\n"
              "scores = scores.masked_fill(future, 0)"),
         FUTURE_FILLED_WITH_ZERO),
    ],
)
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
    if torch.isnan(got[..., 0, :]).any():
        fail(_("masked_attention gives nan at the first position."),
             _(FIRST_QUERY_MAY_SEE))
    mistakes = [
        (_attention_by_loops(q, k, v, mask=False), _(EVERY_POSITION_SEES_WHOLE)),
        (_attention_by_loops(q, k, v, scale=False), _(DIVIDE_SCORES_SQRT_HEAD)),
        *((_other_attention(q, k, v, kind), _(hint)) for kind, hint in OTHER_ATTENTION.items()),
    ]
    if torch.isnan(got).any():  # a later row with every key masked: the mask hides the past, not the future
        fail(_("masked_attention does not match attention computed query by query."), _(MASKED_THE_PAST))
    for wrong, hint in mistakes:
        if torch.allclose(got, wrong, rtol=1e-9, atol=1e-12):
            fail(_("masked_attention does not match attention computed query by query."), hint)
    fail(tr("masked_attention does not match attention computed query by query (largest difference {diff:.3g}).",
            diff=float((got - want).abs().max())),
         _(SCORES_B_H_Q))


TYING_MEANS_PARAMETER_USED = N_(
    "Tying means one Parameter used twice: assign wte's weight Parameter itself to lm_head's weight "
    "attribute (a copy or a clone is a second matrix that only starts equal).")
ASSIGN_WTE_WEIGHT_PARAMETER = N_("Assign wte's weight Parameter itself to lm_head's weight attribute, without .data.")


TIE_IN_PLACE = N_(
    "Change the model you are given, in place, and return nothing: a copy you tie and return is not the model "
    "the caller goes on training.")


@exercise(
    "09-tied", stars=1, minutes=5,
    hints=(
        N_("Tied embeddings are ONE matrix used twice: to look tokens up, and to score them at the output."),
        N_("lm_head.weight and wte.weight must be the same Parameter object (both are vocab_size x n_embd)."),
        N_("model.lm_head.weight = model.wte.weight"),
    ),
    wrong=[
        ("model.lm_head.weight = torch.nn.Parameter(model.wte.weight.clone())", TYING_MEANS_PARAMETER_USED),
        ("model.lm_head.weight.data = model.wte.weight.data", ASSIGN_WTE_WEIGHT_PARAMETER),
        ("with torch.no_grad():\n    model.lm_head.weight.copy_(model.wte.weight)", TYING_MEANS_PARAMETER_USED),
        ("import copy\nmodel = copy.deepcopy(model)\nmodel.lm_head.weight = model.wte.weight\nreturn model",
         TIE_IN_PLACE),
    ],
)
def check_tie_embeddings(tie_embeddings):
    """tie_embeddings(model) must make the model's lm_head use the very Parameter of its token embedding (lesson 09)."""
    torch = _torch()
    from ...torch_gpt2 import GPT2, GPT2Config

    model = GPT2(GPT2Config(vocab_size=7, n_layer=1, n_embd=8, n_head=2, block_size=4))
    before, untouched = model.num_params(), model.lm_head.weight
    original = untouched.detach().clone()
    call(tie_embeddings, model)
    wte, head = model.wte.weight, model.lm_head.weight
    if head is untouched and head.data_ptr() != wte.data_ptr() and torch.equal(head.detach(), original):
        fail(_("tie_embeddings(model) left the model it was given as it was: its lm_head has its own weight."),
             _(TIE_IN_PLACE))
    if head is not wte:
        if isinstance(head, torch.nn.Parameter) and head.data_ptr() == wte.data_ptr():
            fail(_("lm_head's weight shares wte's numbers now, but it is still a Parameter of its own: two "
                   "gradients, two Adam updates, and the two drift apart after the first step."),
                 _(ASSIGN_WTE_WEIGHT_PARAMETER))
        fail(_("model.lm_head.weight is not model.wte.weight: the two matrices are still separate."),
             _(TYING_MEANS_PARAMETER_USED))
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
