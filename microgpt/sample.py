"""Sampling: let the trained model write new documents, one token at a time. Built in lesson 07.

`sample_next_token` is the one place where logits become the next token (a softmax at a temperature, then
a weighted draw): the scalar sampler here, the NumPy engine and the temperature widget all use it.
"""

import math

from .guards_training import check_pair, check_prefix, check_rng, check_temperature


def token_probs(logits, temperature=1.0):
    """The next token's probabilities (plain floats) from plain-float logits at `temperature`. Built in lesson 07.

    Temperature 0 puts all the probability on the first of the most likely tokens (greedy).
    """
    if temperature == 0:
        best = logits.index(max(logits))
        return [float(i == best) for i in range(len(logits))]
    # The arithmetic of softmax([logit / temperature for logit in logits]) on Values, to the last bit: a Value
    # divides as x * t**-1, and so on; the same numbers give the same draws as the reference.
    try:
        scaled = [logit * temperature**-1 for logit in logits]
    except OverflowError:  # 1 / temperature is beyond any float (temperature < 5.6e-309)
        scaled = [math.inf]
    top = max(scaled)
    if not all(math.isfinite(s) for s in scaled):  # so cold that the scores overflow: the limit, as t -> 0
        best = max(logits)
        return [float(logit == best) / logits.count(best) for logit in logits]
    exps = [math.exp(s - top) for s in scaled]
    total = sum(exps)
    return [e * total**-1 for e in exps]


def sample_next_token(logits, rng, temperature):
    """A token id drawn from softmax(logits / temperature) with `rng`; greedy at temperature 0. Built in lesson 07.

    `logits` are plain floats. Greedy draws nothing from `rng`, so the result is the same every time.
    """
    probs = token_probs(logits, temperature)
    if temperature == 0:
        return probs.index(1.0)
    return rng.choices(range(len(probs)), weights=probs)[0]


def start_tokens(tokenizer, rng, temperature, prefix, block_size):
    """The front door of every engine's generate: check the arguments; return BOS + the prefix's tokens. Lesson 07."""
    check_temperature(temperature)
    check_prefix(tokenizer, prefix, block_size)
    if temperature != 0:  # greedy draws nothing
        check_rng(rng)
    return [tokenizer.bos] + tokenizer.encode(prefix)


def generate(model, tokenizer, rng, temperature=0.5, prefix=""):
    """One new document: start from BOS (and `prefix`), sample until BOS or the block size. Built in lesson 07.

    The temperature divides the logits before the softmax: below 1 it sharpens the distribution (safer,
    more typical names), above 1 it flattens it (stranger ones). Temperature 0 means greedy: always the
    single most likely token, so the result is the same every time and `rng` is not used.
    """
    check_pair(model, tokenizer)
    temperature = check_temperature(temperature)  # a float: NumPy's float32 would round differently
    block_size = model.config.block_size
    prompt = start_tokens(tokenizer, rng, temperature, prefix, block_size)
    keys, values = model.new_cache()
    out = list(prefix)
    token_id = prompt[0]
    for pos_id in range(block_size):
        logits = model(token_id, pos_id, keys, values)
        if pos_id + 1 < len(prompt):  # still reading the prefix: its next character is given, not sampled
            token_id = prompt[pos_id + 1]
            continue
        token_id = sample_next_token([logit.data for logit in logits], rng, temperature)
        if token_id == tokenizer.bos:  # the model says the document is over
            break
        out.append(tokenizer.chars[token_id])
    return "".join(out)
