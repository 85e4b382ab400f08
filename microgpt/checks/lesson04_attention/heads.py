"""Checks of lesson 04: a head's slice, and the build: multi-head attention (04-heads, 04-build-multihead)."""

import math
import random

from ...i18n import N_, _, tr
from ..exercise import Edit, exercise
from ..failure import call, fail, ok
from ..numbers import as_numbers, same_numbers, show, to_values
from .weights import check_attend, check_attention_scores

NUMBER_SHORT_END_PYTHON = N_(
    "It is one number short: the end of a Python slice is NOT included, so the slice of "
    "head h ends where head h + 1 starts.")
STARTED_H_HEAD_H = N_(
    "You started at h; head h starts at h * head_dim, because each head before it takes "
    "head_dim numbers.")
EVERY_HEAD_GETS_EXACTLY = N_(
    "Every head gets exactly head_dim numbers: the end of the slice is its start plus "
    "head_dim, not h + head_dim.")


@exercise(
    "04-heads", stars=1, minutes=5,
    hints=(
        N_("The n_embd numbers are cut into n_head consecutive pieces of head_dim numbers, one per head."),
        N_("head h gets the numbers from h * head_dim up to (but not including) (h + 1) * head_dim."),
        N_("return vec[<start>:<end>] with start = h * head_dim (Python slices exclude their end)."),
    ),
    wrong=[
        ("return vec[h:h + head_dim]", STARTED_H_HEAD_H),
        ("return vec[h * head_dim:(h + 1) * head_dim - 1]", NUMBER_SHORT_END_PYTHON),
        ("return vec[h * head_dim:h + head_dim]", EVERY_HEAD_GETS_EXACTLY),
    ],
)
def check_head_slice(head_slice):
    """head_slice(vec, h, head_dim) must be the head_dim numbers of head h (lesson 04)."""
    vec = list(range(16))  # each number is its own index, so a wrong slice shows where it went
    for head_dim in (4, 2, 8):
        for h in range(16 // head_dim):
            want = vec[h * head_dim:(h + 1) * head_dim]
            got = call(head_slice, vec, h, head_dim)
            what = f"head_slice(list(range(16)), h={h}, head_dim={head_dim})"
            if not isinstance(got, list):
                fail(tr("{what} should return a list (a slice of vec), but it returned {got!r}.", what=what, got=got),
                     _("Slice vec."))
            if got == want:
                continue
            if len(got) == head_dim - 1:
                hint = _(NUMBER_SHORT_END_PYTHON)
            elif len(got) == head_dim + 1:
                hint = _("It is one number too long: every head gets exactly head_dim numbers.")
            elif got == vec[h:h + head_dim]:
                hint = _(STARTED_H_HEAD_H)
            elif len(got) != head_dim:
                hint = _(EVERY_HEAD_GETS_EXACTLY)
            else:
                hint = _("Head h takes the numbers from h * head_dim up to (but not including) (h + 1) * head_dim.")
            fail(tr("{what} gave {got}, expected {want}.", what=what, got=got, want=want), hint)
    ok(_("head h gets the head_dim numbers starting at h * head_dim: 4 heads of 4 tile the 16 numbers exactly"))


CONCATENATE_HEADS_N_HEAD = N_(
    "Concatenate the heads: n_head outputs of head_dim = len(q) // n_head "
    "numbers each.")
JOIN_HEADS_OUTPUTS_INTO = N_(
    "Join the heads' outputs into ONE flat list: out.extend(head_out), not "
    "out.append.")
HEAD_WEIGHTS_MUST_ADD = N_(
    "Each head's weights must add up to 1: turn the scores into weights with softmax before "
    "attend.")


def _check_one_position(attention):
    """With one position every head gives it weight 1: the output must be that position's value vector."""
    one = to_values([0.5, -1.0, 2.0, 0.25, 1.5, -0.5])
    got = as_numbers(attention(to_values([1, 2, 3, 4, 5, 6]), [one], [one], 2), 6,
                        _("multi_head_attention with one position, 6 numbers and 2 heads"),
                        wrong_length=_(CONCATENATE_HEADS_N_HEAD),
                        nested=_(JOIN_HEADS_OUTPUTS_INTO))
    if not same_numbers(got, [v.data for v in one]):
        ratio = [g / v.data for g, v in zip(got, one)]
        hint = (_(HEAD_WEIGHTS_MUST_ADD)
                if not same_numbers(ratio, [1.0] * 6, 1e-9) and same_numbers(ratio[:3], [ratio[0]] * 3, 1e-9)
                else _("Each head takes its own slice of the values (and of q and the keys); the heads' outputs "
                       "are joined in order h = 0, 1, ..."))
        fail(tr("multi_head_attention(q=[1, 2, 3, 4, 5, 6], keys=[v], values=[v], n_head=2) with one position "
                "v = {v} gave {got}; with one position every head gives it weight 1, so the output must be v "
                "itself.", v=show([v.data for v in one]), got=show(got)), hint)


def _scaled_heads(q, keys, values, n_head, scale):
    """Multi-head attention with the scores divided by `scale`: what a wrong scale gives (plain numbers)."""
    d = len(q) // n_head
    out = []
    for h in range(n_head):
        sl = slice(h * d, (h + 1) * d)
        scores = [sum(a.data * b.data for a, b in zip(q[sl], k[sl])) / scale for k in keys]
        exps = [math.exp(x - max(scores)) for x in scores]
        out += [sum(e / sum(exps) * v[sl][j].data for e, v in zip(exps, values)) for j in range(d)]
    return out


HEAD_H_USES_OWN = N_(
    "Each head h uses its own slice of q, of EVERY key and of EVERY value (head_dim = len(q) // "
    "n_head numbers from h * head_dim); softmax of the scaled scores; the weighted sum of its value "
    "slices.")


SCALED_BY_HEAD_DIM = N_("The scores are divided by head_dim itself; divide them by its square root, head_dim ** 0.5.")
NOT_SCALED = N_("The scores are not scaled: divide each dot product by the square root of head_dim.")
SCALED_BY_WHOLE_Q = N_(
    "The scores are divided by the square root of len(q), the whole vector's size; use the head's own size, "
    "head_dim = len(q) // n_head.")


def _check_heads_on_the_cache(plugged):
    """Head by head, the learner's output against model.multi_head_attention on the trained model's cache."""
    from ...model import gpt as forward
    from ...model import multi_head_attention
    from ...weights import load_pretrained

    model, tok = load_pretrained()
    seen = []  # (q, keys, values) of the attention at each position: the trained model's cache
    cache = model.new_cache()
    for pos, token in enumerate([tok.bos] + tok.encode("emma")):
        forward(token, pos, *cache, model.state_dict, model.config,
                heads=lambda q, k, v, n: seen.append((q, list(k), list(v))) or multi_head_attention(q, k, v, n))
    q, keys, values = seen[-1]  # the a of emma, reading 5 cached positions
    want = [v.data for v in multi_head_attention(q, keys, values, 4)]
    got = [v.data for v in plugged(q, keys, values, 4)]
    d = len(q) // 4
    for scale, hint in [(d, _(SCALED_BY_HEAD_DIM)), (1, _(NOT_SCALED)), (len(q) ** 0.5, _(SCALED_BY_WHOLE_Q))]:
        if same_numbers(got, _scaled_heads(q, keys, values, 4, scale), 1e-9):
            if scale == len(q) ** 0.5:  # 4 heads of 4: head_dim and sqrt(len(q)) are both 4; 2 heads of 8 tell
                two = [v.data for v in plugged(q, keys, values, 2)]
                by_q = same_numbers(two, _scaled_heads(q, keys, values, 2, len(q) ** 0.5), 1e-9)
                hint = _(SCALED_BY_WHOLE_Q) if by_q else hint
            fail(tr("On the trained model's cache (the a of BOS, e, m, m, a), your output starts {got}, "
                    "expected {want}.", got=show(got[:4]), want=show(want[:4])), hint)
    for h in range(4):
        if not same_numbers(got[h * d:(h + 1) * d], want[h * d:(h + 1) * d]):
            fields = {"h": h, "first": h * d, "last": (h + 1) * d - 1, "got": show(got[h * d:(h + 1) * d]),
                      "want": show(want[h * d:(h + 1) * d])}
            fail(tr("On the trained model's cache (the a of BOS, e, m, m, a: 5 keys and values of 16 numbers, 4 "
                    "heads), head {h}'s part of your output, numbers {first} to {last}, is {got}, expected {want} "
                    "(the heads before it are right).", **fields) if h else
                 tr("On the trained model's cache (the a of BOS, e, m, m, a: 5 keys and values of 16 numbers, 4 "
                    "heads), head {h}'s part of your output, numbers {first} to {last}, is {got}, expected "
                    "{want}.", **fields),
                 _(HEAD_H_USES_OWN))


IF_CALLS_HEAD_SLICE = N_(
    "If it calls your head_slice, attention_scores and attend and their checks pass, look at what "
    "you give them. Each head works on vectors of head_dim = len(q) // n_head numbers, so that is the "
    "size to pass, not len(q).")


@exercise(
    "04-build-multihead",
    needs=[("head_slice", check_head_slice), ("attention_scores", check_attention_scores),
                                      ("attend", check_attend)],
    stars=3, minutes=20, build=True,
    hints=(
        N_("Each head runs the single-head attention of this lesson on its own slice of q, of every key and of "
           "every value; the heads' outputs are joined end to end."),
        N_("for head h: q_h, k_h, v_h = the h-th slices; out_h = attend(softmax(attention_scores(q_h, k_h, "
           "head_dim)), v_h); out = out_0 + out_1 + ..."),
        N_("q_h = head_slice(q, h, head_dim); k_h = [head_slice(k, ...) for k in keys]; v_h likewise; "
           "weights = softmax(...); out.extend(attend(...))"),
    ),
    wrong=[
        (Edit("        out.extend(attend(weights, v_h))  # head_dim numbers more",
              "        out.append(attend(weights, v_h))  # head_dim numbers more"),
         JOIN_HEADS_OUTPUTS_INTO),
        (Edit("        weights = softmax(attention_scores(q_h, k_h, head_dim))  # one weight per position, "
              "adding up to 1",
              "        weights = softmax(attention_scores(q_h, k_h, len(q)))  # one weight per position, "
              "adding up to 1"),
         IF_CALLS_HEAD_SLICE),
        (Edit("        weights = softmax(attention_scores(q_h, k_h, head_dim))  # one weight per position, "
              "adding up to 1",
              "        weights = attention_scores(q_h, k_h, head_dim)  # one weight per position, adding up to "
              "1"),
         HEAD_WEIGHTS_MUST_ADD),
        (Edit("        out.extend(attend(weights, v_h))  # head_dim numbers more",
              "        out.extend(attend(weights, values))  # head_dim numbers more"),
         CONCATENATE_HEADS_N_HEAD),
        (Edit("        k_h = [head_slice(k, h, head_dim) for k in keys]  # and of every cached key",
              "        k_h = [head_slice(k, 0, head_dim) for k in keys]  # and of every cached key"),
         HEAD_H_USES_OWN),
    ],
)
def check_multi_head(multi_head_attention):
    """multi_head_attention(q, keys, values, n_head), plugged into a GPT, must give microgpt's logits (lesson 04)."""
    from ...model import (  # imported here: the checks of the early lessons need no model
        GPT,
        GPTConfig,
    )
    from ...model import gpt as forward
    from ...weights import load_pretrained

    def attention(q, keys, values, n_head):
        """The learner's function; a crash inside it becomes a hint under the learner's own traceback."""
        crash = _(IF_CALLS_HEAD_SLICE)
        return call(multi_head_attention, q, keys, values, n_head, errors={Exception: crash})

    def plugged(q, keys, values, n_head):
        """The learner's function as microgpt.model.gpt's attention, its output checked before the model uses it."""
        out, n_embd = attention(q, keys, values, n_head), len(q)
        as_numbers(out, n_embd, tr("multi_head_attention(q, keys, values, n_head={n_head}) with {n_embd} numbers "
                                   "in q", n_head=n_head, n_embd=n_embd),
                   wrong_length=tr("Concatenate the {n_head} heads' outputs of head_dim = {head_dim} numbers each "
                                   "into one list of {n_embd} (head_dim is len(q) // n_head).", n_head=n_head,
                                   head_dim=n_embd // n_head, n_embd=n_embd),
                   nested=_(JOIN_HEADS_OUTPUTS_INTO))
        return out

    _check_one_position(attention)
    _check_heads_on_the_cache(plugged)
    small = GPT(GPTConfig(vocab_size=6, n_embd=12, n_head=3, block_size=8), random.Random(1))
    model, tok = load_pretrained()
    cases = [(small, [5, 0, 1, 2, 1], _("a small random GPT with 3 heads of 4")),
             (model, [tok.bos] + tok.encode("emma"), _("the trained model (4 heads of 4) reading BOS, e, m, m, a"))]
    for gpt, ids, name in cases:
        want_cache, got_cache = gpt.new_cache(), gpt.new_cache()
        for pos, token in enumerate(ids):
            want = [v.data for v in gpt(token, pos, *want_cache)]
            got = [v.data for v in forward(token, pos, *got_cache, gpt.state_dict, gpt.config, heads=plugged)]
            if not same_numbers(got, want, 1e-9):
                where = (_("at position 0, where there is one key and each head's output is just its slice of the "
                           "value") if pos == 0 else tr("at position {pos} (earlier positions were right)", pos=pos))
                fail(tr("in {name}, the logits differ from microgpt's {where}: for example {got:.6f} instead of "
                        "{want:.6f}.", name=name, where=where, got=got[0], want=want[0]),
                     _("Each head h uses its own slice (head_slice with h and head_dim = len(q) // n_head) of q, "
                       "of EVERY key and of EVERY value; its scores are scaled by the head's own size head_dim, "
                       "not len(q); the heads' outputs are joined in order h = 0, 1, ..."))
    ok(_("head by head equal to microgpt's multi_head_attention on the trained model's cache, and plugged into two "
         "GPTs it gives their logits"))
