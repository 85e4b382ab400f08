"""Checks of lesson 05: the build: the whole GPT, and counting its parameters (05-params, 05-build-gpt)."""

import random

from ... import model, nn
from ...i18n import N_, _, tr
from ..exercise import Edit, exercise
from ..failure import call, fail, ok
from ..numbers import as_numbers, same_numbers
from .blocks import check_embed, check_mlp, check_residual_block

LEFT_OUT_LM_HEAD = N_(
    "You left out lm_head, the vocab_size x n_embd matrix that turns the final vector into one score "
    "per token.")
EVERY_LAYER_HAS_OWN = N_(
    "Every layer has its own attention and MLP matrices: multiply the count of one layer by n_layer.")
MLP_FOUR_TIMES_WIDER = N_(
    "The MLP is four times wider than the stream: fc1 is (4 * n_embd) x n_embd and fc2 is "
    "n_embd x (4 * n_embd), 8 * n_embd**2 together.")
LEFT_OUT_WPE_BLOCK = N_("You left out wpe, the block_size x n_embd table of position embeddings.")


@exercise(
    "05-params", stars=2, minutes=15,
    hints=(
        N_("Every weight matrix has rows x columns parameters: add up the sizes of all the matrices."),
        N_("wte V*E + wpe B*E + lm_head V*E + n_layer * (4 attention matrices E*E + fc1 4E*E + fc2 E*4E)."),
        N_("embeddings = ...; head = ...; per_layer = 4 * E * E + 2 * (4 * E) * E; return embeddings + head + "
           "n_layer * per_layer"),
    ),
    wrong=[
        ("embeddings = vocab_size * n_embd + block_size * n_embd\n"
         "per_layer = 4 * n_embd * n_embd + 2 * (4 * n_embd) * n_embd\n"
         "return embeddings + n_layer * per_layer",
         LEFT_OUT_LM_HEAD),
        ("embeddings = vocab_size * n_embd + block_size * n_embd\n"
         "head = vocab_size * n_embd\n"
         "per_layer = 4 * n_embd * n_embd + 2 * n_embd * n_embd\n"
         "return embeddings + head + n_layer * per_layer",
         MLP_FOUR_TIMES_WIDER),
        ("embeddings = vocab_size * n_embd + block_size * n_embd\n"
         "head = vocab_size * n_embd\n"
         "per_layer = 4 * n_embd * n_embd + 2 * (4 * n_embd) * n_embd\n"
         "return embeddings + head + per_layer",
         EVERY_LAYER_HAS_OWN),
        ("embeddings = vocab_size * n_embd + block_size * n_embd\n"
         "head = vocab_size * n_embd\n"
         "per_layer = 3 * n_embd * n_embd + 2 * (4 * n_embd) * n_embd\n"
         "return embeddings + head + n_layer * per_layer",
         LEFT_OUT_WPE_BLOCK),
    ],
)
def check_num_params(num_params):
    """num_params(vocab_size, n_embd, block_size, n_layer) must equal microgpt.count_params (lesson 05)."""
    from ...model import (  # imported here: the checks of the early lessons need no model
        GPTConfig,
        count_params,
    )

    mistakes = [
        (lambda V, E, B, L: V * E + B * E + 12 * L * E * E,
         _(LEFT_OUT_LM_HEAD)),
        (lambda V, E, B, L: 2 * V * E + B * E + 12 * E * E,  # before the MLP's: they agree at n_layer = 2
         _(EVERY_LAYER_HAS_OWN)),
        (lambda V, E, B, L: 2 * V * E + B * E + 6 * L * E * E,
         _(MLP_FOUR_TIMES_WIDER)),
        (lambda V, E, B, L: 2 * V * E + 12 * L * E * E,
         _(LEFT_OUT_WPE_BLOCK)),
        (lambda V, E, B, L: 2 * V * E + B * E + 11 * L * E * E,
         _("Attention has FOUR n_embd x n_embd matrices: wq, wk, wv and the output projection wo.")),
    ]
    shapes = [(27, 16, 16, 1), (27, 16, 16, 2), (50, 32, 8, 3), (10, 8, 20, 4)]
    for V, E, B, L in shapes:
        want = count_params(GPTConfig(vocab_size=V, n_embd=E, block_size=B, n_layer=L, n_head=2))
        got = call(num_params, V, E, B, L)
        what = f"num_params(vocab_size={V}, n_embd={E}, block_size={B}, n_layer={L})"
        if isinstance(got, bool) or not isinstance(got, int):
            fail(tr("{what} should be a whole number (an int), but it is {got!r}.", what=what, got=got),
                 _("Count with ints only."))
        if got == want:
            continue
        for formula, hint in mistakes:
            if got == formula(V, E, B, L):
                fail(tr("{what} is {got:,}, expected {want:,}.", what=what, got=got, want=want), hint)
        fail(tr("{what} is {got:,}, expected {want:,}.", what=what, got=got, want=want),
             _("Add up the sizes (rows x columns) of wte, wpe, lm_head, and per layer wq, wk, wv, wo, fc1, fc2"))
    ok(_("4,192 for the reference model (27 tokens, 16 dimensions, 16 positions, 1 layer), and right for "
         "other shapes too"))


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


SUM_TWO_EMBEDDINGS_GOES = N_(
    "The sum of the two embeddings goes through rmsnorm before it joins the stream (the section "
    "on rmsnorm), and only then do the blocks read it.")
GPT_HAS_NO_RMSNORM = N_(
    "This GPT has no rmsnorm between the last block and lm_head: the head reads the stream as it is.")
RETURN_LOGITS_SCORES_STRAIGHT = N_(
    "Return the logits, the scores straight from lm_head: the softmax comes later, in the loss and "
    "in sampling.")
REFERENCE_HAS_LAYER_MODEL = N_(
    "The reference has one layer, this model has two: loop over range(config.n_layer), each layer "
    "with its own weights (layer{li}.attn_wq, ...) and its own caches keys[li] and values[li].")


_GPT_MISTAKES = {
    "no-first-norm": SUM_TWO_EMBEDDINGS_GOES,
    "final-norm": GPT_HAS_NO_RMSNORM,
    "softmax": RETURN_LOGITS_SCORES_STRAIGHT,
    "no-attention": N_("Each layer has TWO residual blocks: attention first (over the cache), then the MLP."),
    "no-mlp": N_("Each layer has TWO residual blocks: after attention comes the MLP, with that layer's fc1 and fc2."),
    "one-layer": REFERENCE_HAS_LAYER_MODEL,
}


USE_CACHES_GIVEN_LAYER = N_(
    "Use the caches you are given: layer li's attention appends to keys[li] and values[li], once "
    "per position, so that later positions can look back at this one.")


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
                 _(USE_CACHES_GIVEN_LAYER))
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
    message = tr("{what}: at position {pos} logit {j} is {got!r}, expected {want!r} "
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


@exercise(
    "05-build-gpt",
    needs=[("embed", check_embed), ("residual_block", check_residual_block),
                                 ("mlp", check_mlp)],
    stars=3, minutes=30, build=True,
    hints=(
        N_("Follow the picture at the top of the lesson from the token id to the logits: the pieces of this lesson "
           "(embed, rmsnorm, residual_block, attention, mlp, linear) each do one step."),
        N_("x = rmsnorm(wte[token] + wpe[pos]); for each layer li: x = x + attention(rmsnorm(x)) over keys[li], "
           "values[li]; x = x + mlp(rmsnorm(x)); logits = lm_head x."),
        N_("def gpt(token_id, pos_id, keys, values, sd, config): x = rmsnorm(embed(...)); for li in "
           "range(config.n_layer): x = residual_block(x, lambda xn: attention(xn, keys[li], values[li], sd, li, "
           "config)); x = residual_block(x, lambda xn: mlp(xn, sd[f'layer{li}.mlp_fc1'], ...)); "
           "return linear(x, sd['lm_head'])"),
    ),
    wrong=[
        (Edit("    x = rmsnorm(embed(token_id, pos_id, sd[\"wte\"], sd[\"wpe\"]))",
              "    x = embed(token_id, pos_id, sd[\"wte\"], sd[\"wpe\"])"),
         SUM_TWO_EMBEDDINGS_GOES),
        ("def gpt(token_id, pos_id, keys, values, sd, config):\n"
         "    x = rmsnorm(embed(token_id, pos_id, sd[\"wte\"], sd[\"wpe\"]))\n"
         "    x = residual_block(x, lambda xn: attention(xn, keys[0], values[0], sd, 0, config))\n"
         "    x = residual_block(x, lambda xn: mlp(xn, sd[\"layer0.mlp_fc1\"], sd[\"layer0.mlp_fc2\"]))\n"
         "    return linear(x, sd[\"lm_head\"])",
         REFERENCE_HAS_LAYER_MODEL),
        ("def gpt(token_id, pos_id, keys, values, sd, config):\n"
         "    x = rmsnorm(embed(token_id, pos_id, sd[\"wte\"], sd[\"wpe\"]))\n"
         "    for li in range(config.n_layer):\n"
         "        x = residual_block(x, lambda xn: attention(xn, keys[li], values[li], sd, li, config))\n"
         "        x = residual_block(x, lambda xn: mlp(xn, sd[f\"layer{li}.mlp_fc1\"], "
         "sd[f\"layer{li}.mlp_fc2\"]))\n"
         "    return softmax(linear(x, sd[\"lm_head\"]))",
         RETURN_LOGITS_SCORES_STRAIGHT),
        ("def gpt(token_id, pos_id, keys, values, sd, config):\n"
         "    x = rmsnorm(embed(token_id, pos_id, sd[\"wte\"], sd[\"wpe\"]))\n"
         "    for li in range(config.n_layer):\n"
         "        x = residual_block(x, lambda xn: attention(xn, keys[li], values[li], sd, li, config))\n"
         "        x = residual_block(x, lambda xn: mlp(xn, sd[f\"layer{li}.mlp_fc1\"], "
         "sd[f\"layer{li}.mlp_fc2\"]))\n"
         "    return linear(rmsnorm(x), sd[\"lm_head\"])",
         GPT_HAS_NO_RMSNORM),
        (Edit("    x = rmsnorm(embed(token_id, pos_id, sd[\"wte\"], sd[\"wpe\"]))",
              "    keys, values = [[] for _ in keys], [[] for _ in values]\n"
              "    x = rmsnorm(embed(token_id, pos_id, sd[\"wte\"], sd[\"wpe\"]))"),
         USE_CACHES_GIVEN_LAYER),
    ],
)
def check_gpt(gpt):
    """gpt(token_id, pos_id, keys, values, state_dict, config) gives microgpt.model.gpt's logits exactly (lesson 05)."""
    from ...model import GPT, GPTConfig
    from ...weights import load_pretrained

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
