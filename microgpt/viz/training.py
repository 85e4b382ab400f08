"""Loss curves: a finished run's (lessons 03 and 06) and one that redraws in place while training runs (00, 06)."""

import math
import time

from ..i18n import N_
from ..train import format_seconds, time_left
from .fonts import figure_text
from .style import BLUE, GREY, INK, LABEL, ORANGE, RED, TICK, TITLE, as_floats, figure_to_png, new_figure

TRAINING_LOSS = N_("training loss")  # the default title, in English here and translated when drawn


def smooth(xs, window):
    """The running mean of the last `window` values at every step (shorter at the start). Lessons 06 and 08."""
    out, total = [], 0.0
    for i, x in enumerate(xs):
        total += x
        if i >= window:
            total -= xs[i - window]
        out.append(total / min(i + 1, window))
    return out


def plot_losses(losses, window=None, vocab_size=None, bigram=None, references=None, steps=None,
                num_steps=None, title=TRAINING_LOSS):
    """The loss at every step (thin) and its running mean (thick), with optional reference lines. Lessons 03, 06.

    `vocab_size` draws the uniform guess ln(vocab_size); `bigram` the bigram model's loss; `references`
    any other {label: loss}. `steps` are the x values (default 1, 2, ...); `num_steps` fixes the x range.
    """
    losses = as_floats(losses)
    steps = list(steps) if steps is not None else list(range(1, len(losses) + 1))
    window = window or max(1, min(100, len(losses) // 20))
    fig = new_figure(9, 4.8)
    ax = fig.add_subplot()
    ax.plot(steps, losses, color=BLUE, alpha=0.35, lw=1, label=figure_text("loss at each step"))
    if losses:
        ax.plot(steps, smooth(losses, window), color=BLUE, lw=2.5,
                label=figure_text("mean of the last {window} steps").format(window=window))
    lines = {figure_text(label): level for label, level in (references or {}).items()}
    if vocab_size:
        label = figure_text("uniform guess ln {vocab_size} = {loss:.3f}")
        lines[label.format(vocab_size=vocab_size, loss=math.log(vocab_size))] = math.log(vocab_size)
    if bigram is not None:
        lines[figure_text("bigram baseline {loss:.3f}").format(loss=bigram)] = bigram
    for (label, level), style, colour in zip(lines.items(), ["--", ":", "-.", (0, (5, 1, 1, 1))] * 4,
                                             [ORANGE, INK, RED, GREY] * 4):
        ax.axhline(level, ls=style, color=colour, lw=2, label=label)
    if num_steps:
        ax.set_xlim(0, num_steps)
    ax.set_xlabel(figure_text("step"), fontsize=LABEL)
    ax.set_ylabel(figure_text("loss (nats)"), fontsize=LABEL)
    ax.tick_params(labelsize=TICK)
    ax.set_title(figure_text(title), fontsize=TITLE)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=TICK - 1, loc="upper right")
    return fig


class LiveLossPlot:
    """A loss curve that redraws in place during training: `train(..., callback=LiveLossPlot())`. Lessons 00, 06.

    It redraws every `every` steps (and after the last one), and skips a redraw whenever drawing has
    already taken more than `max_overhead` of the time since training began. Outside a notebook it only
    records the losses; `figure()` draws them at any time.
    """

    def __init__(self, every=25, max_overhead=0.04, clock=time.perf_counter, **plot_options):
        """Keep the options for plot_losses (vocab_size, bigram, references, window, title)."""
        self.every, self.max_overhead, self.plot_options = max(1, int(every)), max_overhead, plot_options
        self.clock = clock
        self.steps, self.losses, self.num_steps = [], [], None
        self.draw_seconds, self.redraws = 0.0, 0
        self._start, self._handle = None, None

    def __call__(self, step, num_steps, loss):
        """The train() callback: record the loss, and redraw when it is time."""
        now = self.clock()
        if self._start is None:  # the clock starts when the first step has finished
            self._start = now
        self.steps.append(step)
        self.losses.append(float(loss))
        self.num_steps = num_steps
        due = step % self.every == 0 and self.draw_seconds <= self.max_overhead * (now - self._start)
        if due or step == num_steps:
            self.redraw()

    def status(self):
        """Where training is and how long is left, e.g. 'step 250 / 1000, 1 min 02 s so far, about 3 min 06 s left'."""
        if not self.steps:
            return ""
        step, total = self.steps[-1], self.num_steps or self.steps[-1]
        elapsed = self.clock() - self._start
        if step >= total:
            return figure_text("{total} steps in {elapsed}").format(total=total,
                                                                     elapsed=format_seconds(elapsed, figure_text))
        # the steps timed: those finished after the first one, when the clock started (a run may resume midway)
        timing = time_left(elapsed, step - self.steps[0], total - step, figure_text)
        return figure_text("step {step} / {total}, {timing}").format(step=step, total=total, timing=timing)

    def figure(self):
        """The curve so far, with the progress under the title, as a Figure."""
        options = dict(self.plot_options)
        title = figure_text(options.pop("title", TRAINING_LOSS))
        status = self.status()
        return plot_losses(self.losses, steps=self.steps, num_steps=self.num_steps,
                           title=f"{title}\n{status}" if status else title, **options)

    def redraw(self):
        """Replace the displayed picture with the current curve (nothing to show outside a notebook)."""
        if getattr(_ipython(), "kernel", None) is None:  # a script or a terminal: nowhere to draw in place
            return
        from IPython.display import Image, display
        start = self.clock()
        image = Image(data=figure_to_png(self.figure()), format="png")
        if self._handle is None:
            self._handle = display(image, display_id=True)
        else:
            self._handle.update(image)
        self.draw_seconds += self.clock() - start
        self.redraws += 1


def _ipython():
    """The running IPython shell, or None in a plain script."""
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()
