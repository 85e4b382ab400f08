"""Training: the loss of one document, one optimisation step, and the loop over many steps. Built in lesson 06.

Also the time a long run has left, said the same way by the command line's progress line and the notebooks'
live loss plot. The arguments are checked once at each front door (microgpt.guards), not inside the loops.
"""

import math

from .errors import DivisionByZero, LossNotFinite, NotARealNumber
from .guards_training import check_document, check_optimizer, check_training
from .i18n import N_
from .nn import softmax
from .optim import Adam, linear_decay


def document_loss(model, tokens):
    """Mean cross-entropy of predicting each next token of `tokens` (a Value, ready for backward). Lesson 06."""
    check_document(model, tokens)
    n = min(model.config.block_size, len(tokens) - 1)  # longer documents are cut at the block size
    keys, values = model.new_cache()
    losses = []
    for pos_id in range(n):
        token_id, target_id = tokens[pos_id], tokens[pos_id + 1]
        probs = softmax(model(token_id, pos_id, keys, values))
        losses.append(-probs[target_id].log())  # cross-entropy: -log of the probability of the truth
    return (1 / n) * sum(losses)


def train_step(model, tokens, optimizer, lr):
    """Forward, backward and one optimizer step on one document; returns the loss as a float. Built in lesson 06."""
    check_optimizer(optimizer)
    loss = document_loss(model, tokens)
    loss.backward()
    optimizer.step(lr)
    return loss.data


def train(model, docs, tokenizer, num_steps=1000, optimizer=None, lr=0.01, callback=None, start_step=0,
          step_fn=train_step):
    """Train on documents in order, one per step, with linear learning-rate decay; returns the losses. Lesson 06.

    `callback(step, num_steps, loss)` is called after every step (step counts from 1), which is how
    the command line prints and notebooks draw live loss curves. `start_step` continues a run that was
    stopped after that many steps (the schedule and the document order pick up where they left off).
    `step_fn(model, tokens, optimizer, lr)` does one step; the NumPy engine passes its own.
    """
    check_training(model, docs, tokenizer, num_steps, optimizer, lr, callback, start_step, step_fn)
    optimizer = optimizer or Adam(model.parameters(), lr=lr)
    losses = []
    for step in range(start_step, num_steps):
        doc = docs[step % len(docs)]
        try:
            loss = step_fn(model, tokenizer.encode_doc(doc), optimizer, linear_decay(lr, step, num_steps))
        except (DivisionByZero, NotARealNumber) as err:  # e.g. the log of a probability that reached 0
            raise _not_finite(step + 1, lr, str(err).split(";")[0]) from None
        if not _finite(loss):  # inf or nan: every later step would be nan too, and the weights are lost
            raise _not_finite(step + 1, lr, f"loss {loss}")
        losses.append(loss)
        if callback is not None:
            callback(step + 1, num_steps, loss)
    return losses


def _finite(loss):
    """False for a loss of inf or nan; True for any finite number (and anything that is not a number)."""
    try:
        return math.isfinite(loss)
    except TypeError:  # e.g. a learner's step_fn that returns a Value: not this guard's business
        return True


def _not_finite(step, lr, what):
    """The one error for a run whose loss stopped being finite (shared by every engine's training)."""
    return LossNotFinite(f"training stopped at step {step}: the loss is no longer a finite number ({what}); "
                         f"the learning rate {lr:g} is probably too high: try a smaller one, e.g. --lr {lr / 10:g}")


def _english(message):
    """The message itself: the command line speaks English whatever the notebooks' language."""
    return message


def format_seconds(seconds, text=_english):
    """A duration for people: '42 s', '3 min 05 s', '1 h 02 min'; time_left and LiveLossPlot use it (lessons 00, 06).

    `text` translates the words (LiveLossPlot passes microgpt.viz.fonts.figure_text); the command line's stay English.
    """
    seconds = int(round(seconds))
    if seconds < 60:
        return text(N_("{seconds} s")).format(seconds=seconds)
    if seconds < 3600:
        return text(N_("{minutes} min {seconds:02d} s")).format(minutes=seconds // 60, seconds=seconds % 60)
    return text(N_("{hours} h {minutes:02d} min")).format(hours=seconds // 3600, minutes=seconds % 3600 // 60)


def time_left(elapsed, steps_done, steps_to_go, text=_english):
    """'1 min 02 s so far, about 3 min 06 s left': the steps to go at the mean pace of the `steps_done` steps.

    The one estimate of the time left, shared by Progress (the command line) and viz.LiveLossPlot (lessons 00
    and 06). With no step timed yet there is no pace to go by, so only the time so far is given. `text`
    translates the words, as for format_seconds.
    """
    so_far = text(N_("{elapsed} so far")).format(elapsed=format_seconds(elapsed, text))
    if steps_done <= 0:
        return so_far
    left = format_seconds(elapsed / steps_done * max(steps_to_go, 0), text)
    return text(N_("{so_far}, about {left} left")).format(so_far=so_far, left=left)


class Progress:
    """Where a long run is and how long is left, as one line redrawn in place (e.g. on a terminal's stderr).

    Call it as a train() callback: progress(step, num_steps, loss). It redraws at most every
    `min_interval` seconds, so even a fast engine spends almost no time on it. Used by the command line
    (`python -m microgpt`, met in lesson 06).
    """

    def __init__(self, stream, min_interval=0.1, clock=None, keep_last=True, start_step=0):
        """Write to `stream` (a text file such as sys.stderr); `keep_last=False` erases the line at the end.

        Make it just before training starts, at `start_step` (as train's), so that the clock times the steps run.
        """
        import time  # here, not at the top: only progress reporting needs a clock

        self.stream = stream
        self.min_interval = min_interval
        self.clock = clock or time.monotonic
        self.start = self.clock()
        self.start_step = start_step
        self.last_draw = None
        self.shown = False
        self.keep_last = keep_last

    def text(self, step, num_steps, loss):
        """The status line: step, loss, time so far and an estimate of the time left (lesson 06's command line)."""
        timing = time_left(self.clock() - self.start, step - self.start_step, num_steps - step)
        return f"step {step}/{num_steps} ({100 * step // max(num_steps, 1)}%) | loss {loss:.4f} | {timing}"

    def __call__(self, step, num_steps, loss):
        """Redraw the line (throttled); on the last step, keep it (a newline) or erase it."""
        now = self.clock()
        if step < num_steps and self.last_draw is not None and now - self.last_draw < self.min_interval:
            return
        self.last_draw = now
        self.stream.write("\r\033[K" + self.text(step, num_steps, loss))
        self.shown = True
        if step >= num_steps:
            self.stream.write("\n" if self.keep_last else "\r\033[K")
            self.shown = False
        self.stream.flush()

    def clear(self):
        """Erase the line, so that other output written to the same screen starts clean (lesson 06's CLI)."""
        if self.shown:
            self.stream.write("\r\033[K")
            self.stream.flush()
