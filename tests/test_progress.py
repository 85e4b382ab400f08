"""microgpt.progress: the long cells' bars report from the first steps, with tqdm and (mocked away) without it."""

import io
import random
import re
import sys
import time

import pytest

from microgpt import GPT, GPTConfig, Tokenizer, progress, train
from microgpt.train import Progress

TIME_LEFT_TQDM = re.compile(r"\[\d\d:\d\d<\d\d:\d\d")  # tqdm's [elapsed<left
DOCS = ["emma", "olivia", "ava", "isabella", "sophia"]


def tiny_run(callback, num_steps=3):
    """A few real training steps of a small GPT, with `callback` as train()'s callback."""
    tok = Tokenizer.from_docs(DOCS)
    model = GPT(GPTConfig(vocab_size=tok.vocab_size, n_layer=1, n_embd=4, n_head=2, block_size=8), random.Random(0))
    return train(model, DOCS, tok, num_steps=num_steps, callback=callback)


@pytest.fixture(autouse=True)
def console_tqdm(monkeypatch):
    """tqdm.auto as in a terminal: once another test of the same worker has imported IPython, tqdm.auto picks
    its notebook bar, which draws a widget instead of writing to the stream these tests read."""
    try:
        import tqdm.auto
        import tqdm.std
    except ImportError:
        return
    monkeypatch.setattr(tqdm.auto, "tqdm", tqdm.std.tqdm)


@pytest.fixture
def no_tqdm(monkeypatch):
    """As if tqdm were not installed: importing it raises ImportError."""
    for name in ("tqdm", "tqdm.auto", "tqdm.autonotebook", "tqdm.std"):
        monkeypatch.setitem(sys.modules, name, None)


def test_bar_shows_time_left_after_the_first_steps_with_tqdm():
    pytest.importorskip("tqdm")
    stream = io.StringIO()
    bar = progress.Bar(10, "training", stream=stream, min_interval=0)
    assert bar.bar is not None, "tqdm is installed, so the bar should be tqdm's"
    assert "0/10" in stream.getvalue(), "the bar should be shown before the first step has finished"
    tiny_run(bar, num_steps=2)
    text = stream.getvalue()
    assert "2/10" in text and TIME_LEFT_TQDM.search(text), text
    assert re.search(r"loss \d\.\d{4}", text), text


def test_one_bar_counts_the_steps_of_several_runs_and_calls_the_next_callback():
    pytest.importorskip("tqdm")
    seen = []
    bar = progress.Bar(6, stream=io.StringIO(), then=lambda *args: seen.append(args[:2]))
    tiny_run(bar)
    tiny_run(bar)
    assert bar.done == 6 and bar.bar.n == 6
    assert seen == [(1, 3), (2, 3), (3, 3)] * 2, "the next callback gets train's own step and num_steps"


def test_without_tqdm_the_core_progress_line_reports_from_the_first_step(no_tqdm):
    stream = io.StringIO()
    bar = progress.Bar(10, "training", stream=stream, min_interval=0)
    assert bar.bar is None and isinstance(bar.line, Progress)
    tiny_run(bar, num_steps=2)
    text = stream.getvalue()
    assert "training 0/10" in text, "the line should be shown before the first step has finished"
    assert re.search(r"training 2/10 \(20%\) \| loss \d\.\d{4} \| \d+ s so far, about \d+ s left", text), text


@pytest.mark.parametrize("with_tqdm", [True, False])
def test_track_yields_every_item_and_reports_time_left(with_tqdm, monkeypatch):
    if with_tqdm:
        pytest.importorskip("tqdm")
    else:
        for name in ("tqdm", "tqdm.auto"):
            monkeypatch.setitem(sys.modules, name, None)
    stream = io.StringIO()
    items = iter(range(5))  # an iterator has no len(): the total is given
    assert list(progress.track(items, "scoring", total=5, stream=stream, min_interval=0)) == list(range(5))
    text = stream.getvalue()
    if with_tqdm:
        assert "5/5" in text and TIME_LEFT_TQDM.search(text), text
    else:
        assert "scoring 0/5" in text and "scoring 2/5 (40%) |" in text and "left" in text, text


def test_advance_counts_work_that_is_not_a_training_step(no_tqdm):
    stream = io.StringIO()
    bar = progress.Bar(2, "graphs", stream=stream, min_interval=0)
    bar.advance()
    assert "graphs 1/2 (50%) | 0 s so far, about 0 s left" in stream.getvalue()
    bar.advance()
    assert stream.getvalue().endswith("\n"), "the line is kept, on its own line, after the last piece of work"


@pytest.mark.parametrize("with_tqdm", [True, False])
def test_ticking_moves_while_a_long_call_runs_and_ends_when_it_returns(with_tqdm, monkeypatch):
    if with_tqdm:
        pytest.importorskip("tqdm")
    else:
        for name in ("tqdm", "tqdm.auto"):
            monkeypatch.setitem(sys.modules, name, None)
    stream = io.StringIO()
    with progress.ticking("one step", 5, stream=stream, interval=0.01):
        time.sleep(0.2)  # a call that reports nothing by itself
        during = stream.getvalue()
    assert during.count("one step") >= 3, "the bar should be redrawn by the clock while the call runs"
    assert re.search(r"<00:0\d\]" if with_tqdm else r"about \d s left", during), during
    after = stream.getvalue()
    assert after[len(during):], "the bar should be drawn once more, full, when the call returns"
