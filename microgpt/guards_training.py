"""The front doors' checks of training, the optimizers and sampling (lessons 06 and 07); see microgpt.guards.

`document_loss`, `train_step`, `train`, `Adam`, `SGD`, `optimizer.step` and every engine's `generate` call
these first, so that a bad argument gets one line saying what is wrong and what to do.
"""

import math
from numbers import Real

from .errors import MicrogptError, NotANumber, WrongArgument, shown
from .guards import check_model, check_token

# --- training: document_loss, train_step, train ---


def check_document(model, tokens):
    """document_loss(model, tokens): a GPT and at least two of its token ids. Used in lesson 06."""
    check_model(model, "document_loss(model, tokens)")
    if isinstance(tokens, str) or not isinstance(tokens, (list, tuple)):
        raise WrongArgument(f"tokens must be a list of token ids such as tokenizer.encode_doc('emma'), "
                            f"got {shown(tokens)}")
    n = min(model.config.block_size, len(tokens) - 1)
    if n < 1:
        raise MicrogptError("a training sequence needs at least two tokens")
    for token_id in tokens[:n + 1]:  # once a document: the targets are never given to the model itself
        check_token(token_id, model.config.vocab_size)


def check_optimizer(optimizer):
    """train_step's optimizer must have a step(lr). Used in lesson 06."""
    if not callable(getattr(optimizer, "step", None)):
        raise WrongArgument(f"optimizer must be an optimizer such as Adam(model.parameters()), got {shown(optimizer)}")


def check_training(model, docs, tokenizer, num_steps, optimizer, lr, callback, start_step, step_fn):
    """Every argument of train(), in the order a learner is most likely to get wrong. Used in lesson 06."""
    if isinstance(lr, bool) or not isinstance(lr, Real) or not 0 <= lr < math.inf:
        raise MicrogptError(f"the learning rate must be a finite number >= 0, got {shown(lr)}")
    for name, value in (("number of steps", num_steps), ("start_step", start_step)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise MicrogptError(f"the {name} must be a whole number >= 0, got {shown(value)}")
    sized = hasattr(docs, "__len__") and hasattr(docs, "__getitem__")
    if docs is None or (sized and len(docs) == 0):  # len(): a NumPy array has no single truth value
        raise MicrogptError("there are no documents to train on")
    if isinstance(docs, str) or not sized:
        raise MicrogptError(f"docs must be a list of documents (strings), got {shown(docs)}; for one name "
                            "write [name]")
    if not hasattr(tokenizer, "encode_doc") or not hasattr(model, "config"):
        raise MicrogptError(f"train(model, docs, tokenizer, ...) wants a GPT and a Tokenizer, got "
                            f"{type(model).__name__} and {type(tokenizer).__name__}")
    if callback is not None and not callable(callback):
        raise MicrogptError(f"callback must be a function callback(step, num_steps, loss), got {shown(callback)}")
    if not callable(step_fn) or (optimizer is not None and not hasattr(optimizer, "step")):
        raise WrongArgument(f"optimizer must be an optimizer such as Adam(model.parameters()) and step_fn a "
                            f"function, got {shown(optimizer, 30)} and {shown(step_fn, 30)}")


# --- the optimizers: Adam(params, lr, ...), SGD(params, lr), optimizer.step(lr) ---


def check_parameters(params, name):
    """The parameters as a list of Values, or a course error saying what to pass (model.parameters()). Lesson 06."""
    if hasattr(params, "parameters"):
        raise WrongArgument(f"{name}(params) wants the model's weights: write {name}(model.parameters())")
    if isinstance(params, (str, bytes)) or not hasattr(params, "__iter__"):
        raise WrongArgument(f"{name}(params) wants a list of Values such as model.parameters(), got {shown(params)}")
    params = list(params)
    for p in params:
        if not (hasattr(p, "data") and hasattr(p, "grad")):
            raise WrongArgument(f"{name}(params) wants a list of Values such as model.parameters(), but it "
                                f"holds {shown(p)}")
    return params


def check_setting(name, value, below=math.inf):
    """`value` as a float if it is a number from 0 (up to `below`, excluded), else a course error. Lesson 06."""
    most = "below 1" if below == 1 else "finite"
    if isinstance(value, bool) or not isinstance(value, Real):
        raise NotANumber(f"{name} must be a {most} number >= 0 such as 0.01, got {shown(value)}")
    if not 0 <= value < below:  # False for nan too
        raise MicrogptError(f"{name} must be a {most} number >= 0, got {shown(value)}")
    return float(value)  # NumPy's float32 would make every weight a NumPy number


# --- sampling: generate(model, tokenizer, rng, temperature, prefix) and the engines' generate ---


def check_temperature(temperature):
    """The temperature as a float (NumPy numbers too), or a course error unless it is >= 0. Used in lesson 07."""
    if isinstance(temperature, Real) and not isinstance(temperature, bool):
        temperature = float(temperature)
        if temperature >= 0:  # False for nan as well
            return temperature
    raise MicrogptError(f"temperature must be a number >= 0 (0 means greedy), got {shown(temperature)}")


def check_rng(rng):
    """A sampler's rng must draw with choices(), like random.Random. Used in lesson 07."""
    if not hasattr(rng, "choices"):
        raise MicrogptError(f"rng must be a random number generator such as random.Random(42), got {shown(rng)}")


def check_prefix(tokenizer, prefix, block_size):
    """The prefix is text in the tokenizer's vocabulary, and BOS plus the prefix fit the block size. Lesson 07."""
    if not isinstance(prefix, str):
        raise MicrogptError(f"only text (a str) can start a name as its prefix, got {shown(prefix)}")
    if 1 + len(tokenizer.encode(prefix)) > block_size:  # encode names a character the vocabulary lacks
        raise MicrogptError(f"the prefix is {len(prefix)} characters, but the block size leaves room for "
                            f"at most {block_size - 1}")


def check_pair(model, tokenizer):
    """generate's model and tokenizer: a GPT and a Tokenizer of the same vocabulary. Used in lesson 07."""
    if not all(hasattr(tokenizer, name) for name in ("bos", "encode", "chars", "vocab_size")):
        raise WrongArgument(f"generate(model, tokenizer, rng, ...) wants a GPT and a Tokenizer, got "
                            f"{type(model).__name__} and {type(tokenizer).__name__}")
    check_model(model, "generate(model, tokenizer, rng, ...)")
    if model.config.vocab_size != tokenizer.vocab_size:
        raise MicrogptError(f"the model has vocab_size {model.config.vocab_size} but the tokenizer has "
                            f"{tokenizer.vocab_size} tokens; generate with the tokenizer the model was trained with")
