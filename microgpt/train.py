"""Training: the loss of one document, one optimisation step, and the loop over many steps."""

from .errors import MicrogptError
from .nn import softmax
from .optim import Adam, linear_decay


def document_loss(model, tokens):
    """Mean cross-entropy of predicting each next token of `tokens` (a Value, ready for backward)."""
    n = min(model.config.block_size, len(tokens) - 1)  # longer documents are cut at the block size
    if n < 1:
        raise MicrogptError("a training sequence needs at least two tokens")
    keys, values = model.new_cache()
    losses = []
    for pos_id in range(n):
        token_id, target_id = tokens[pos_id], tokens[pos_id + 1]
        probs = softmax(model(token_id, pos_id, keys, values))
        losses.append(-probs[target_id].log())  # cross-entropy: -log of the probability of the truth
    return (1 / n) * sum(losses)


def train_step(model, tokens, optimizer, lr):
    """Forward, backward and one optimizer step on one document; returns the loss as a float."""
    loss = document_loss(model, tokens)
    loss.backward()
    optimizer.step(lr)
    return loss.data


def train(model, docs, tokenizer, num_steps=1000, optimizer=None, lr=0.01, callback=None, start_step=0):
    """Train on documents in order, one per step, with linear learning-rate decay; returns the losses.

    `callback(step, num_steps, loss)` is called after every step (step counts from 1), which is how
    the command line prints and notebooks draw live loss curves. `start_step` continues a run that was
    stopped after that many steps (the schedule and the document order pick up where they left off).
    """
    if not isinstance(num_steps, int) or num_steps < 0:
        raise MicrogptError(f"the number of steps must be a whole number >= 0, got {num_steps!r}")
    if not docs:
        raise MicrogptError("there are no documents to train on")
    optimizer = optimizer or Adam(model.parameters(), lr=lr)
    losses = []
    for step in range(start_step, num_steps):
        doc = docs[step % len(docs)]
        loss = train_step(model, tokenizer.encode_doc(doc), optimizer, linear_decay(lr, step, num_steps))
        losses.append(loss)
        if callback is not None:
            callback(step + 1, num_steps, loss)
    return losses
