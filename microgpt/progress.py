"""Progress bars for the lessons' long cells: tqdm's bar when tqdm is installed, the core's progress line otherwise.

tqdm comes with the `notebooks` extra (Colab has it too); tqdm.auto draws its notebook widget in Jupyter and a
text bar elsewhere. The package's core stays standard-library only, so tqdm is imported here, when a bar is made.
Used by the long cells of lessons 06-09.
"""

import sys
import threading
import time
from contextlib import contextmanager

from .train import Progress, time_left


def _tqdm():
    """tqdm.auto's bar class, or None when tqdm is not installed."""
    try:
        from tqdm.auto import tqdm
    except ImportError:
        return None
    return tqdm


class Bar:
    """One bar for a cell's work, `total` steps in all, moved one step per call: a train() callback.

    Pass the same bar to several runs one after the other (e.g. total = 3 runs x 300 steps) and it shows the
    whole cell's time left. `then` is a further callback(step, num_steps, loss), e.g. a viz.LiveLossPlot, called
    after the bar with train's own arguments. Without tqdm it draws microgpt.train.Progress's line on `stream`.
    """

    def __init__(self, total, description="", then=None, stream=None, min_interval=0.1):
        """Show the bar at once (at 0 of `total`), so that it appears before the first step has finished."""
        self.total, self.then, self.done = total, then, 0
        tqdm = _tqdm()
        if tqdm is None:
            self.bar, self.line = None, _Line(stream or sys.stderr, description, min_interval)
            self.line(0, total, None)
        else:
            self.line = None
            self.bar = tqdm(total=total, desc=description or None, unit="step", file=stream,
                            mininterval=min_interval, dynamic_ncols=True)

    def __call__(self, step, num_steps, loss):
        """The train() callback: one more step done; then the next callback, with train's own arguments."""
        self.advance(loss)
        if self.then is not None:
            self.then(step, num_steps, loss)

    def advance(self, loss=None):
        """One more step (or piece of work) done: move the bar, show `loss` if given, close it after the last."""
        self.done += 1
        if self.bar is None:
            self.line(self.done, self.total, loss)
            return
        if loss is not None:
            self.bar.set_postfix_str(f"loss {loss:.4f}", refresh=False)
        self.bar.update(1)
        if self.done >= self.total:
            self.bar.close()


class _Line(Progress):
    """Progress's line with a description and maybe no loss: 'scoring 40/200 (20%) | 3 s so far, about 12 s left'."""

    def __init__(self, stream, description, min_interval):
        """As Progress, with a description in front of the count."""
        super().__init__(stream, min_interval=min_interval)
        self.description = description

    def text(self, step, num_steps, loss):
        """The status line: what, how far, the loss if there is one, time so far and time left."""
        timing = time_left(self.clock() - self.start, step, num_steps - step)
        loss = "" if loss is None else f" | loss {loss:.4f}"
        done = f"{step:.0f}/{num_steps:.0f} ({int(100 * step // max(num_steps, 1))}%)"  # ticking's are seconds
        return f"{self.description} {done}{loss} | {timing}".lstrip()


def track(items, description="", total=None, stream=None, min_interval=0.1):
    """The items of `items`, one by one, with a bar of how many are done and the time left (lessons 07-09)."""
    total = len(items) if total is None else total
    tqdm = _tqdm()
    if tqdm is not None:
        yield from tqdm(items, total=total, desc=description or None, file=stream, mininterval=min_interval,
                        dynamic_ncols=True)
        return
    line = _Line(stream or sys.stderr, description, min_interval)
    line(0, total, None)
    for done, item in enumerate(items, start=1):
        yield item
        line(done, total, None)


@contextmanager
def ticking(description, expected_seconds, stream=None, interval=0.5):
    """A bar for one long call that cannot report by itself, moved by the clock towards `expected_seconds`.

    `with progress.ticking("one step", 20): ...` shows the seconds so far and the estimate's time left while
    the block runs (lesson 08 times a single step of a big scalar model: its estimate comes from the step
    times measured before). A block that outlasts the estimate stretches the bar rather than stopping it.
    """
    total = max(1, round(expected_seconds))
    tqdm = _tqdm()
    if tqdm is None:
        line = _Line(stream or sys.stderr, description, interval)

        def draw(seconds):
            line(min(seconds, total), total, None)

    else:
        bar = tqdm(total=total, desc=description or None, unit="s", file=stream, mininterval=0,
                   bar_format="{l_bar}{bar}| {n:.0f}/{total:.0f} s [{elapsed}<{remaining}]")

        def draw(seconds):
            bar.total = max(total, round(seconds) + 1)  # past the estimate: stretch the bar, keep it moving
            bar.n = seconds
            bar.refresh()

    start, done = time.monotonic(), threading.Event()

    def tick():
        """Redraw every `interval` seconds until the block is over."""
        while not done.wait(interval):
            draw(time.monotonic() - start)

    thread = threading.Thread(target=tick, daemon=True)  # the block runs here, in the main thread
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()
        seconds = time.monotonic() - start
        if tqdm is None:
            line(total, total, None)  # the last line: done
        else:
            bar.total = bar.n = round(seconds, 1)  # the bar ends full, at the time the block took
            bar.refresh()
            bar.close()
