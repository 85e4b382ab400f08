"""Checks of lesson 09: top-k sampling (09-top-k)."""


from ...i18n import N_, _, tr
from ..exercise import exercise
from ..failure import call, fail, ok
from .attention import _tensor, _torch

DROPPED_K_TH_LARGEST = N_("You dropped the k-th largest too: keep every logit >= the k-th largest (use < to drop).")
SET_DROPPED_LOGITS_INF = N_("Set the dropped logits to -inf, not 0: a logit of 0 still has probability exp(0) > 0.")
KEPT_K_SMALLEST_LOGITS = N_("You kept the k SMALLEST logits: torch.topk gives the largest by default.")


@exercise(
    "09-top-k", stars=1, minutes=10,
    hints=(
        N_("Keep the k most likely tokens; every other token gets probability 0, which means a logit of -inf."),
        N_("threshold = the k-th largest logit; logit < threshold -> -inf."),
        N_("kth = torch.topk(logits, k).values[-1]; return logits.masked_fill(logits < kth, float('-inf'))"),
    ),
    wrong=[
        ("kth = torch.topk(logits, k).values[-1]\n"
         "return logits.masked_fill(logits <= kth, float(\"-inf\"))",
         DROPPED_K_TH_LARGEST),
        ("kth = torch.topk(logits, k).values[-1]\n"
         "return logits.masked_fill(logits < kth, 0.0)",
         SET_DROPPED_LOGITS_INF),
        ("kth = torch.topk(logits, k, largest=False).values[-1]\n"
         "return logits.masked_fill(logits > kth, float(\"-inf\"))",
         KEPT_K_SMALLEST_LOGITS),
    ],
)
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
            hint = _(DROPPED_K_TH_LARGEST)
        elif not torch.isinf(got).any() and (got == 0).any():
            hint = _(SET_DROPPED_LOGITS_INF)
        elif kept == k and torch.isfinite(got[torch.argmin(logits)]):
            hint = _(KEPT_K_SMALLEST_LOGITS)
        else:
            hint = _("Find the k-th largest logit (torch.topk gives the k largest, largest first) and set every "
                     "smaller one to -inf.")
        fail(tr("top_k_logits({logits}, {k}) gave {got}, expected {want}.", logits=original.tolist(), k=k,
                got=got.tolist(), want=want.tolist()), hint)
    ok(_("top_k_logits keeps the k most likely tokens and gives the others probability exactly 0"))
