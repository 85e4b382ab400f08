"""The front doors' checks: every argument from a notebook or the command line is checked once, where it comes in.

The teaching code (nn, the blocks of model, the loops of train and sample) checks nothing and reads like the
reference. A call from outside comes in through a front door: `GPT(...)` and `model(...)`, `document_loss`,
`train_step`, `train`, `generate`, `Adam`, `SGD`, `attention_maps`, and `microgpt.linear`, `softmax` and
`rmsnorm` (below). Each door calls these checks first, so that a bad argument gets one line saying what is
wrong and what to do (a MicrogptError) instead of an IndexError from deep inside. Used from lesson 02 on.

This module checks the tokenizer, the blocks and the model (lessons 02-05); microgpt.guards_training checks
training, the optimizers and sampling (lessons 06 and 07).
"""

import operator

from . import nn
from .errors import (
    EmptyVector,
    MicrogptError,
    NotANumber,
    NotInVocabulary,
    OutsideTheModel,
    ShapeMismatch,
    WrongArgument,
    shown,
)
from .limits import ConfigError, check_size
from .value import Value

SIZE_NAMES = ("vocab_size", "n_layer", "n_embd", "n_head", "block_size")

# --- the building blocks as a notebook calls them: microgpt.linear, microgpt.softmax, microgpt.rmsnorm ---


def linear(x, w):
    """nn.linear after checking that every row of w is as long as x (zip would drop the rest). Lesson 03."""
    try:
        fits = len(w) == 0 or len(w[0]) == len(x)
    except (TypeError, IndexError, KeyError):
        fits = False
    if not fits:
        raise ShapeMismatch(f"linear(x, w) wants w as a list of rows, each as long as x ({_length(x)} numbers); "
                            f"got w = {shown(w, 50)}")
    return nn.linear(x, w)


def softmax(logits):
    """nn.softmax of a non-empty list; plain numbers are turned into Values first. Lesson 03."""
    if isinstance(logits, (str, bytes)) or not hasattr(logits, "__iter__"):
        raise NotANumber(f"softmax wants a list of numbers, got {shown(logits)}")
    logits = list(logits)
    if not logits:
        raise EmptyVector("softmax needs at least one number, got an empty list")
    return nn.softmax([v if hasattr(v, "grad") else Value(v) for v in logits])  # Value() refuses a non-number


def rmsnorm(x):
    """nn.rmsnorm of a non-empty list of numbers (plain numbers give plain numbers). Lesson 03."""
    if not hasattr(x, "__len__"):
        raise NotANumber(f"rmsnorm wants a list of numbers, got {shown(x)}")
    if not len(x):
        raise EmptyVector("rmsnorm needs at least one number, got an empty list")
    try:
        return nn.rmsnorm(x)
    except TypeError as err:  # e.g. a list of strings; a Value's own errors already say what is wrong
        if isinstance(err, MicrogptError):
            raise
        raise NotANumber(f"rmsnorm wants a list of numbers, got {shown(x)}") from None


def _length(seq):
    """len(seq), or '?' when it has none (for messages only)."""
    try:
        return len(seq)
    except TypeError:
        return "?"


# --- the tokenizer: Tokenizer(chars), Tokenizer.from_docs(docs), encode(text), token_name(i) ---


def check_chars(chars):
    """A Tokenizer's characters: distinct one-letter strings. Used in lesson 02."""
    if not (isinstance(chars, (str, list, tuple)) and all(isinstance(ch, str) and len(ch) == 1 for ch in chars)):
        raise MicrogptError(f"a Tokenizer is built from a list of characters (one-letter strings), got "
                            f"{chars!r:.60}; Tokenizer.from_docs(docs) builds one from the documents")
    if len(set(chars)) != len(chars):
        raise MicrogptError(f"the characters of a Tokenizer must be distinct, got {''.join(chars)!r:.60}")


def check_docs(docs):
    """The documents a tokenizer is made from: a list of strings. Used in lesson 02."""
    if isinstance(docs, str) or not all(isinstance(doc, str) for doc in docs):
        raise MicrogptError(f"the documents must be a list of strings, got {docs!r:.60}")


def check_encodable(text, ids):
    """Only text whose every character has an id (in `ids`) can be encoded. Used in lesson 02."""
    if not isinstance(text, str):
        raise MicrogptError(f"only text (a str) can be encoded, not {type(text).__name__} {text!r:.40}")
    unknown = next((ch for ch in text if ch not in ids), None)
    if unknown is not None:
        raise MicrogptError(f"character {unknown!r} is not in the vocabulary ({''.join(ids)!r})")


def check_token_id(i, bos):
    """A token id as an int from 0 to bos (NumPy and 0-d tensor ints too), else a course error. Lesson 02."""
    try:
        index = operator.index(i)  # a whole number: int, numpy.int64, a 0-d tensor of ints
    except TypeError:
        index = -1
    if not 0 <= index <= bos:
        raise MicrogptError(f"{i!r:.40} is not a token id: ids are whole numbers from 0 to {bos} (BOS)")
    return index


# --- the model: its configuration, GPT(...) and model(token_id, pos_id, keys, values) ---


def check_sizes(config):
    """Refuse sizes that cannot make a model, or would not fit in memory, naming the setting. Used in lesson 05."""
    for name in SIZE_NAMES:
        value = getattr(config, name)
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{name} must be a whole number, got {shown(value)}")
        if value <= 0:
            raise ConfigError(f"{name} must be at least 1, got {value}")
        check_size(name, value)
    if config.vocab_size < 2:
        raise ConfigError(f"vocab_size must be at least 2 (one character and BOS), got {config.vocab_size}")
    if config.n_embd % config.n_head:
        raise ConfigError(f"n_embd ({config.n_embd}) must be divisible by n_head ({config.n_head}), "
                          "because each head gets an equal slice of the embedding")


def check_gpt(config, rng):
    """GPT(config, rng) wants a GPTConfig and a random.Random (or None). Used in lesson 05."""
    if not all(hasattr(config, name) for name in SIZE_NAMES):
        raise WrongArgument(f"GPT(config) wants a GPTConfig, e.g. GPT(GPTConfig(vocab_size=27)), "
                            f"got {type(config).__name__} {shown(config)}")
    if rng is not None and not hasattr(rng, "gauss"):
        raise WrongArgument(f"rng must be a random number generator such as random.Random(42), got {shown(rng)}")


def check_forward(token_id, pos_id, keys, values, config, record=None):
    """model(token_id, pos_id, keys, values, record): the ids as ints, or a course error. Used in lesson 05."""
    if record is not None and not isinstance(record, list):
        raise WrongArgument(f"record must be a list (or None), got {shown(record)}")
    # cheap, once per position: the usual call passes this first test
    if (type(token_id) is int and 0 <= token_id < config.vocab_size and type(pos_id) is int
            and 0 <= pos_id < config.block_size and type(keys) is list and len(keys) == config.n_layer
            and type(values) is list and len(values) == config.n_layer
            and all(type(k) is list and type(v) is list for k, v in zip(keys, values))):
        return token_id, pos_id
    token_id = check_token(token_id, config.vocab_size)
    pos_id = check_position(pos_id, config.block_size)
    for cache in (keys, values):
        if not (isinstance(cache, (list, tuple)) and len(cache) == config.n_layer
                and all(isinstance(layer, list) for layer in cache)):
            raise WrongArgument(f"keys and values must be the caches of model.new_cache() (one list per layer, "
                                f"{config.n_layer} here), got {shown(cache)}")
    return token_id, pos_id


def _whole_number(value, what, most):
    """`value` as an int (NumPy integers too), or NotANumber saying what was expected instead."""
    if not isinstance(value, (bool, str, float)):
        try:
            return operator.index(value)
        except TypeError:
            pass
    hint = "; tokenizer.encode turns text into token ids" if isinstance(value, str) else ""
    raise NotANumber(f"{what} must be a whole number from 0 to {most}, got {shown(value)}{hint}")


def check_token(token_id, vocab_size):
    """The token id as an int, or a course error if it is not one of the model's ids. Used in lessons 05 and 06."""
    token_id = _whole_number(token_id, "a token id", vocab_size - 1)
    if not 0 <= token_id < vocab_size:
        raise NotInVocabulary(f"token id {token_id} is not in this model's vocabulary (ids 0 to {vocab_size - 1}); "
                              "encode with the tokenizer the model was built for")
    return token_id


def check_position(pos_id, block_size):
    """The position as an int, or a course error if it is outside the block size. Used in lesson 05."""
    pos_id = _whole_number(pos_id, "a position", block_size - 1)
    if not 0 <= pos_id < block_size:
        raise OutsideTheModel(f"position {pos_id} is outside the block size {block_size}: positions go from 0 "
                              f"to {block_size - 1}")
    return pos_id


def check_model(model, call):
    """Refuse a `model` that is not a GPT (or an engine's model), naming the call. Used in lessons 04, 06 and 07."""
    if not (hasattr(model, "config") and hasattr(model, "new_cache")):
        raise WrongArgument(f"{call} wants a GPT as its model (e.g. GPT(GPTConfig(vocab_size=27))), "
                            f"got {type(model).__name__} {shown(model, 30)}")


def check_token_list(token_ids, block_size):
    """attention_maps' token ids: a list or tuple that fits the block size. Used in lesson 04."""
    if isinstance(token_ids, str) or not isinstance(token_ids, (list, tuple)):
        raise WrongArgument(f"token_ids must be a list of token ids, got {shown(token_ids)}; "
                            "tokenizer.encode turns text into token ids")
    if len(token_ids) > block_size:
        raise MicrogptError(f"{len(token_ids)} tokens do not fit the block size {block_size}")
