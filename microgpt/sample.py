"""Sampling: let the trained model write new documents, one token at a time."""

from .errors import MicrogptError
from .nn import softmax


def next_token(probs, rng, temperature):
    """Pick a token id from a list of probability Values: a weighted draw, or the most likely if greedy."""
    if temperature == 0:
        weights = [p.data for p in probs]
        return weights.index(max(weights))  # the first of the most likely tokens; draws nothing from rng
    return rng.choices(range(len(probs)), weights=[p.data for p in probs])[0]


def start_tokens(tokenizer, temperature, prefix, block_size):
    """Check the temperature and the prefix, and return the tokens generation starts from: BOS + prefix."""
    if isinstance(temperature, bool) or not isinstance(temperature, (int, float)) or temperature < 0:
        raise MicrogptError(f"temperature must be a number >= 0 (0 means greedy), got {temperature!r}")
    tokens = [tokenizer.bos] + tokenizer.encode(prefix)
    if len(tokens) > block_size:
        raise MicrogptError(f"the prefix is {len(prefix)} characters, but the block size leaves room for "
                            f"at most {block_size - 1}")
    return tokens


def generate(model, tokenizer, rng, temperature=0.5, prefix=""):
    """One new document: start from BOS (and `prefix`), sample until BOS or the block size is reached.

    The temperature divides the logits before the softmax: below 1 it sharpens the distribution (safer,
    more typical names), above 1 it flattens it (stranger ones). Temperature 0 means greedy: always the
    single most likely token, so the result is the same every time and `rng` is not used.
    """
    block_size = model.config.block_size
    prompt = start_tokens(tokenizer, temperature, prefix, block_size)
    keys, values = model.new_cache()
    out = list(prefix)
    token_id = prompt[0]
    for pos_id in range(block_size):
        logits = model(token_id, pos_id, keys, values)
        if pos_id + 1 < len(prompt):  # still reading the prefix: its next character is given, not sampled
            token_id = prompt[pos_id + 1]
            continue
        if temperature == 0:
            probs = softmax(logits)
        else:
            probs = softmax([logit / temperature for logit in logits])
        token_id = next_token(probs, rng, temperature)
        if token_id == tokenizer.bos:  # the model says the document is over
            break
        out.append(tokenizer.chars[token_id])
    return "".join(out)
