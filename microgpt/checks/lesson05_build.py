"""Checks for lesson 05's build (gpt(), from an empty cell) and its recap."""

import random

from .. import model, nn
from ..i18n import N_, _, tr
from .common import (
    add_hints,
    as_numbers,
    call,
    exercise,
    fail,
    ok,
    same_numbers,
)
from .lesson05 import check_embed, check_mlp, check_residual_block
from .recap import check_recap

__all__ = ["check_gpt", "check_recap_05"]


def _variant_logits(kind, tokens, state_dict, config):
    """The logits at every position of `tokens` from the GPT written right ('right') or with one named mistake."""
    sd, (keys, values) = state_dict, ([[] for _ in range(config.n_layer)], [[] for _ in range(config.n_layer)])
    out = []
    for pos, token in enumerate(tokens):
        x = model.embed(token, pos, sd["wte"], sd["wpe"])
        x = x if kind == "no-first-norm" else nn.rmsnorm(x)
        for li in range(1 if kind == "one-layer" else config.n_layer):
            if kind != "no-attention":
                x = model.residual_block(x, lambda xn, li=li: model.attention(xn, keys[li], values[li], sd, li, config))
            if kind != "no-mlp":
                x = model.residual_block(x, lambda xn, li=li: model.mlp(xn, sd[f"layer{li}.mlp_fc1"],
                                                                 sd[f"layer{li}.mlp_fc2"]))
        x = nn.rmsnorm(x) if kind == "final-norm" else x
        logits = nn.linear(x, sd["lm_head"])
        out.append([v.data for v in (nn.softmax(logits) if kind == "softmax" else logits)])
    return out


_GPT_MISTAKES = {
    "no-first-norm": N_("The sum of the two embeddings goes through rmsnorm before it joins the stream (the section "
                        "on rmsnorm), and only then do the blocks read it."),
    "final-norm": N_("This GPT has no rmsnorm between the last block and lm_head: the head reads the stream as it is."),
    "softmax": N_("Return the logits, the scores straight from lm_head: the softmax comes later, in the loss and "
                  "in sampling."),
    "no-attention": N_("Each layer has TWO residual blocks: attention first (over the cache), then the MLP."),
    "no-mlp": N_("Each layer has TWO residual blocks: after attention comes the MLP, with that layer's fc1 and fc2."),
    "one-layer": N_("The reference has one layer, this model has two: loop over range(config.n_layer), each layer "
                    "with its own weights (layer{li}.attn_wq, ...) and its own caches keys[li] and values[li]."),
}


def _gpt_run(gpt, tokens, state_dict, config, what):
    """The learner's logits (plain numbers) at every position of `tokens`, fed one position at a time."""
    keys, values = [[] for _ in range(config.n_layer)], [[] for _ in range(config.n_layer)]
    out = []
    for pos, token in enumerate(tokens):
        got = call(gpt, token, pos, keys, values, state_dict, config)
        out.append(as_numbers(got, config.vocab_size, tr("{what} at position {pos}", what=what, pos=pos),
                              wrong_length=_("Return one logit per token of the vocabulary: lm_head times the "
                                             "final stream vector.")))
        sizes = [len(k) for k in keys] + [len(v) for v in values]
        if sizes != [pos + 1] * (2 * config.n_layer):
            if len(keys[0]) == len(values[0]) == pos + 1:
                fail(tr("{what}: after positions 0 to {pos} the caches of layers 1 and up are empty.",
                        what=what, pos=pos),
                     _(_GPT_MISTAKES["one-layer"]))
            fail(tr("after {what} at positions 0 to {pos}, the caches hold {n_keys} keys and {n_values} values "
                    "per layer, expected {n} in each.", what=what, pos=pos, n_keys=[len(k) for k in keys],
                    n_values=[len(v) for v in values], n=pos + 1),
                 _("Use the caches you are given: layer li's attention appends to keys[li] and values[li], once "
                   "per position, so that later positions can look back at this one."))
    return out


def _compare_gpt(gpt, tokens, state_dict, config, what):
    """Fail, naming the mistake when it is a known one, unless the learner's logits equal the package's exactly."""
    got = _gpt_run(gpt, tokens, state_dict, config, what)
    want = _variant_logits("right", tokens, state_dict, config)
    bad = [pos for pos in range(len(tokens)) if got[pos] != want[pos]]
    if not bad:
        return
    pos = bad[0]
    j = max(range(config.vocab_size), key=lambda i: abs(got[pos][i] - want[pos][i]))
    message = tr("{what}: at position {pos} logit {j} is {got:.10g}, expected {want:.10g} "
                 "({n_bad} of {n} positions differ).", what=what, pos=pos, j=j, got=got[pos][j],
                 want=want[pos][j], n_bad=len(bad), n=len(tokens))
    if all(same_numbers(g, w, 1e-9) for g, w in zip(got, want)):
        fail(message, _("Nearly equal but not exactly: do the same operations in the same order as the lesson's "
                        "pieces (embed, rmsnorm, residual_block with attention, then with mlp, linear with "
                        "lm_head)."))
    for kind, hint_text in _GPT_MISTAKES.items():
        if all(same_numbers(g, w, 1e-9) for g, w in zip(got, _variant_logits(kind, tokens, state_dict, config))):
            fail(message, _(hint_text))
    if bad[0] > 0:
        fail(message, _("Position 0 is right but later ones are not: position pos must see the keys and values "
                        "of positions 0 to pos, which the caches keys[li] and values[li] collect."))
    fail(message, _("Follow the picture at the top of the lesson: embed, rmsnorm, then for each layer the "
                    "attention block and the MLP block on the residual stream, then lm_head."))


@exercise("05-build-gpt", needs=[("embed", check_embed), ("residual_block", check_residual_block),
                                 ("mlp", check_mlp)])
def check_gpt(gpt):
    """gpt(token_id, pos_id, keys, values, state_dict, config) gives microgpt.model.gpt's logits exactly (lesson 05)."""
    from ..model import GPT, GPTConfig
    from ..weights import load_pretrained

    trained, tok = load_pretrained()
    tokens = tok.encode_doc("emma")
    _compare_gpt(gpt, tokens, trained.state_dict, trained.config,
                 _("gpt() with the shipped weights (load_pretrained()) reading <BOS>emma<BOS>"))
    two = GPT(GPTConfig(vocab_size=tok.vocab_size, n_layer=2), random.Random(5))
    tokens = tok.encode_doc("olivia")
    _compare_gpt(gpt, tokens, two.state_dict, two.config,
                 _("gpt() with a random 2-layer model reading <BOS>olivia<BOS>"))
    keys, values = two.new_cache()
    logits = call(gpt, tokens[0], 0, keys, values, two.state_dict, two.config)
    logits[3].backward()
    if all(p.grad == 0 for p in two.state_dict["wte"][tokens[0]]):
        fail(_("the logits are right, but no gradient reaches the token's row of wte."),
             _("Compute with the Values themselves (never their .data), so that training can follow the graph "
               "back to every weight."))
    ok(tr("identical to microgpt.model.gpt, bit for bit, at all {n} positions of <BOS>emma<BOS> with the shipped "
          "weights, and on a 2-layer model", n=len(tok.encode_doc("emma"))))


# --- the recap ---

RECAP_05 = {  # question: (answer, tolerance or None for a letter, the section to reread)
    1: (16, 0, N_("Token and position embeddings")),
    2: ("b", None, N_("The residual stream")),
    3: (0, 0, N_("Counting the parameters")),
    4: (64, 0, N_("The MLP")),
    5: (5, 0, N_("Assembling gpt()")),
    6: ("c", None, N_("The first loss is about ln 27")),
}


@exercise("05-recap")
def check_recap_05(answers):
    """The recap of lesson 05: a dict {question number: answer} (lesson 05)."""
    check_recap(answers, RECAP_05, "05")


HINTS = {
    "05-build-gpt": (
        N_("Follow the picture at the top of the lesson from the token id to the logits: the pieces of this lesson "
           "(embed, rmsnorm, residual_block, attention, mlp, linear) each do one step."),
        N_("x = rmsnorm(wte[token] + wpe[pos]); for each layer li: x = x + attention(rmsnorm(x)) over keys[li], "
           "values[li]; x = x + mlp(rmsnorm(x)); logits = lm_head x."),
        N_("def gpt(token_id, pos_id, keys, values, sd, config): x = rmsnorm(embed(...)); for li in "
           "range(config.n_layer): x = residual_block(x, lambda xn: attention(xn, keys[li], values[li], sd, li, "
           "config)); x = residual_block(x, lambda xn: mlp(xn, sd[f'layer{li}.mlp_fc1'], ...)); "
           "return linear(x, sd['lm_head'])"),
    ),
    "05-recap": (
        N_("Each question names the section that answers it; most can be tested with one line of code."),
        N_("Sizes: wpe has one row per position; the MLP widens n_embd four times; heads slice the same matrices; "
           "each position appends one key to its layer's cache."),
        N_("answers = {1: <a number>, 2: '<a letter>', 3: <a number>, 4: <a number>, 5: <a number>, "
           "6: '<a letter>'}"),
    ),
}
add_hints(HINTS)
