"""Pictures: every figure renders with real ink and no graphviz; graphs are laid out cleanly and big ones refused."""

import base64
import io
import math
import random
import shutil
import struct
import subprocess
import sys
import time

import matplotlib
import matplotlib.image
import pytest
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font
from matplotlib.patches import FancyBboxPatch

from microgpt import (
    GPT,
    GPTConfig,
    Tokenizer,
    Value,
    attention_maps,
    document_loss,
    load_pretrained,
    softmax,
    train,
    viz,
)

from .conftest import tiny_model

LETTERS = Tokenizer(list("abcdefghijklmnopqrstuvwxyz"))


@pytest.fixture(autouse=True)
def no_dot_on_path(monkeypatch, tmp_path):
    """Every picture must be drawn with matplotlib alone: hide any graphviz `dot` program."""
    monkeypatch.setenv("PATH", str(tmp_path))
    assert shutil.which("dot") is None


def ink(fig):
    """The fraction of the figure's PNG pixels that are not (nearly) white."""
    pixels = matplotlib.image.imread(io.BytesIO(viz.figure_to_png(fig)))
    return float((pixels[..., :3] < 0.9).any(axis=-1).mean())


def neuron():
    """relu(x1*w1 + x2*w2 + b) with labels: a graph of 10 Values."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2, b = Value(-3.0, label="w1"), Value(1.0, label="w2"), Value(6.88, label="b")
    n = x1 * w1 + x2 * w2 + b
    n.label = "n"
    return n.relu()


def network_loss(hidden=4):
    """The squared error of a 2-`hidden`-1 relu network on one example: 62 Values for hidden=4."""
    rng = random.Random(1)
    x = [Value(1.0, label="x1"), Value(-2.0, label="x2")]
    h = []
    for i in range(hidden):
        w = [Value(rng.uniform(-1, 1), label=f"w{i}{j}") for j in range(2)]
        h.append((sum(wi * xi for wi, xi in zip(w, x)) + Value(0.1, label=f"b{i}")).relu())
    v = [Value(rng.uniform(-1, 1), label=f"v{j}") for j in range(hidden)]
    out = sum(vi * hi for vi, hi in zip(v, h)) + Value(0.2, label="c")
    return (out - Value(1.0, label="y")) ** 2


def training_step_graph():
    """The loss graph of one training step of the reference-sized model: tens of thousands of nodes."""
    model = GPT(GPTConfig(vocab_size=LETTERS.vocab_size), random.Random(42))
    return model, document_loss(model, LETTERS.encode_doc("isabella"))


def boxes(fig):
    """(x0, y0, x1, y1) of every box and operation tag drawn by draw_graph."""
    patches = [a for a in fig.axes[0].get_children() if isinstance(a, FancyBboxPatch)]
    return [(p.get_x(), p.get_y(), p.get_x() + p.get_width(), p.get_y() + p.get_height()) for p in patches]


# --- draw_graph -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("direction", ["LR", "TB"])
def test_draw_graph_draws_one_box_per_value_and_one_tag_per_operation(direction):
    out = neuron()
    out.backward()
    fig = viz.draw_graph(out, direction=direction)
    values = out.topological_order()
    assert len(boxes(fig)) == len(values) + sum(1 for v in values if v.children)
    assert ink(fig) > 0.03
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert {"x1", "w1", "b", "n", "relu", "×", "+"} <= set(texts)
    assert "grad -3" in texts and "data 0.88" in texts  # x1's gradient and the output's value


def test_no_two_nodes_of_a_60_node_graph_overlap():
    loss = network_loss()
    loss.backward()
    assert 55 <= len(loss.topological_order()) <= 70
    for direction in ("LR", "TB"):
        rects = boxes(viz.draw_graph(loss, direction=direction))
        for i, (ax0, ay0, ax1, ay1) in enumerate(rects):
            for bx0, by0, bx1, by1 in rects[:i]:
                assert ax1 <= bx0 or bx1 <= ax0 or ay1 <= by0 or by1 <= ay0, "two nodes overlap"


def test_the_output_comes_last_in_the_direction_of_flow():
    out = neuron()
    for direction, axis in (("LR", 0), ("TB", 1)):  # y grows downwards in the drawing
        patches = [p for p in viz.draw_graph(out, direction=direction).axes[0].get_children()
                   if isinstance(p, FancyBboxPatch)]
        centres = [(p.get_x() + p.get_width() / 2, p.get_y() + p.get_height() / 2)[axis] for p in patches]
        roots = [c for p, c in zip(patches, centres) if matplotlib.colors.to_hex(p.get_facecolor()) == viz.GREEN_FILL]
        assert len(roots) == 1 and roots[0] == max(centres)


def test_a_60_node_graph_draws_in_under_a_second():
    loss = network_loss()
    loss.backward()
    seconds = []
    for _ in range(2):  # CPU time of this process, the better of two, so a busy machine does not decide
        start = time.process_time()
        viz.figure_to_png(viz.draw_graph(loss, title="a 2-4-1 network"))
        seconds.append(time.process_time() - start)
    assert min(seconds) < 1.0, f"drawing a 60-node graph took {min(seconds):.2f} s of CPU"


def test_a_training_step_graph_is_refused_at_once_with_a_pointer_to_graph_stats():
    _, loss = training_step_graph()
    start = time.perf_counter()
    with pytest.raises(viz.GraphTooLargeError, match="graph_stats"):
        viz.draw_graph(loss)
    assert time.perf_counter() - start < 0.1
    with pytest.raises(viz.GraphTooLargeError, match="more than 20 nodes"):
        viz.draw_graph(network_loss(), max_nodes=20)


def test_highlight_colours_the_chosen_boxes_and_grads_override_what_is_shown():
    out = neuron()
    plain = viz.draw_graph(out)
    marked = viz.draw_graph(out, highlight={out: viz.ORANGE})
    edge_colours = {matplotlib.colors.to_hex(p.get_edgecolor()) for p in marked.axes[0].get_children()
                    if isinstance(p, FancyBboxPatch)}
    assert viz.ORANGE in edge_colours
    assert viz.ORANGE not in {matplotlib.colors.to_hex(p.get_edgecolor()) for p in plain.axes[0].get_children()
                              if isinstance(p, FancyBboxPatch)}
    assert viz.draw_graph(out, highlight=[out]) is not None  # a plain iterable works too
    shown = [t.get_text() for t in viz.draw_graph(out, grads={out: 7}).axes[0].texts]
    assert "grad 7" in shown and out.grad == 0


def test_a_single_value_and_a_shared_input_draw():
    assert ink(viz.draw_graph(Value(3.0, label="alone"))) > 0.005
    x = Value(3.0, label="x")
    assert len(boxes(viz.draw_graph(x * x))) == 3  # x, the product, and one * tag


def test_draw_graph_rejects_an_unknown_direction():
    with pytest.raises(ValueError, match="direction"):
        viz.draw_graph(neuron(), direction="RL")


# --- graph_stats ----------------------------------------------------------------------------------------

def test_graph_stats_counts_a_small_graph_by_hand():
    a, b = Value(2.0), Value(3.0)
    c = (a * b + a).exp()
    stats = viz.graph_stats(c)
    assert stats == {"nodes": 5, "edges": 5, "depth": 3, "leaves": 2, "ops": {"*": 1, "+": 1, "exp": 1}}


def test_graph_stats_handles_the_graph_of_a_training_step():
    model, loss = training_step_graph()
    stats = viz.graph_stats(loss, params=model.parameters())
    assert stats["nodes"] > 50_000
    assert stats["nodes"] == stats["leaves"] + sum(stats["ops"].values())
    assert stats["parameters"] + stats["constants"] == stats["leaves"]
    assert 0 < stats["parameters"] <= model.num_params()
    assert {"+", "*", "exp", "log", "relu", "**-1", "**-0.5"} <= set(stats["ops"])
    assert stats["depth"] > 100
    assert ink(viz.plot_graph_stats(stats)) > 0.02
    assert ink(viz.plot_graph_stats(neuron())) > 0.02  # a Value works too


# --- losses ---------------------------------------------------------------------------------------------

def fake_losses(n=300):
    """A noisy falling curve like a training run's."""
    rng = random.Random(0)
    return [3.3 - (1 - math.exp(-i / 80)) + rng.gauss(0, 0.3) for i in range(n)]


def test_plot_losses_draws_raw_smoothed_and_reference_lines():
    fig = viz.plot_losses(fake_losses(), vocab_size=27, bigram=2.454, references={"trained": 2.3})
    ax = fig.axes[0]
    labels = [line.get_label() for line in ax.get_lines()]
    assert len(labels) == 5
    assert any("ln 27 = 3.296" in label for label in labels) and any("2.454" in label for label in labels)
    assert ax.get_xlabel() == "step" and "loss" in ax.get_ylabel()
    assert ink(fig) > 0.03


def test_plot_losses_accepts_values_and_nothing_at_all():
    assert ink(viz.plot_losses([Value(3.0), Value(2.5)])) > 0.01
    assert ink(viz.plot_losses([])) > 0.01


def test_smooth_is_a_running_mean():
    assert viz.smooth([1, 2, 3, 4, 5], 2) == [1, 1.5, 2.5, 3.5, 4.5]
    assert viz.smooth([4.0], 10) == [4.0]


def test_live_loss_plot_records_outside_a_notebook_without_drawing():
    model, tokenizer = tiny_model(n_embd=8, n_head=2)
    live = viz.LiveLossPlot(every=1, vocab_size=tokenizer.vocab_size)
    losses = train(model, ["emma", "ava"], tokenizer, num_steps=3, callback=live)
    assert live.losses == losses and live.steps == [1, 2, 3] and live.redraws == 0
    assert ink(live.figure()) > 0.02


class FakeHandle:
    """Stands in for IPython's DisplayHandle: counts updates."""

    def __init__(self):
        """No updates yet."""
        self.updates = 0

    def update(self, image):
        """Count an in-place redraw."""
        self.updates += 1


@pytest.fixture
def fake_notebook(monkeypatch):
    """Pretend to run in IPython; record what is displayed."""
    import IPython.display
    shown = []

    def display(obj, display_id=False):
        """Record what would be shown."""
        shown.append(obj)
        return FakeHandle()

    monkeypatch.setattr(viz.training, "_ipython", lambda: type("Kernel", (), {"kernel": object()})())
    monkeypatch.setattr(IPython.display, "display", display)
    return shown


def test_live_loss_plot_redraws_one_picture_in_place(fake_notebook):
    live = viz.LiveLossPlot(every=5, max_overhead=float("inf"))
    for step in range(1, 13):
        live(step, 12, 3.0 - step / 10)
    assert len(fake_notebook) == 1  # one picture displayed, then updated: no pile of figures
    assert live._handle.updates == 2 and live.redraws == 3  # steps 5, 10 and the last one
    assert fake_notebook[0].data[:4] == b"\x89PNG"


def test_live_loss_plot_skips_redraws_beyond_its_time_budget(fake_notebook):
    live = viz.LiveLossPlot(every=1, max_overhead=0.0)
    for step in range(1, 21):
        live(step, 20, 3.0)
    assert live.redraws == 2  # the first due one (nothing spent yet) and the final one


# --- attention, probabilities, extras -------------------------------------------------------------------

def test_plot_attention_shows_tokens_bos_symbol_and_the_hidden_future():
    model = GPT(GPTConfig(vocab_size=LETTERS.vocab_size), random.Random(42))
    ids = [LETTERS.bos] + LETTERS.encode("emma")
    maps = attention_maps(model, ids)
    tokens = [LETTERS.token_name(i) for i in ids]
    fig = viz.plot_attention(maps[0][1], tokens)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == [viz.BOS_SYMBOL, "e", "m", "m", "a"]
    shown = ax.images[0].get_array()
    assert shown.mask[0][4] and not shown.mask[4][0]  # above the diagonal is masked, below is drawn
    assert ink(fig) > 0.1
    grid = viz.plot_attention_grid(maps, tokens)
    assert len([a for a in grid.axes if a.images]) == model.config.n_layer * model.config.n_head
    assert ink(grid) > 0.05


def test_plot_attention_refuses_a_matrix_that_does_not_match_the_tokens():
    with pytest.raises(ValueError, match="square"):
        viz.plot_attention([[1.0, 0.0]], ["a", "b"])


def test_the_bos_symbol_exists_in_matplotlibs_font():
    charmap = FT2Font(font_manager.findfont("DejaVu Sans")).get_charmap()
    assert all(ord(ch) in charmap for ch in viz.BOS_SYMBOL + "×␣")
    assert viz.token_label("<BOS>") == viz.BOS_SYMBOL and viz.token_label("a") == "a"


def test_plot_probs_draws_a_bar_per_token():
    model, tokenizer = tiny_model()
    keys, values = model.new_cache()
    probs = softmax(model(tokenizer.bos, 0, keys, values))
    fig = viz.plot_probs(probs, tokenizer, mark=0, baseline=[1 / len(probs)] * len(probs))
    ax = fig.axes[0]
    assert len(ax.patches) == 2 * tokenizer.vocab_size  # the bars and the baseline's outlines
    assert ax.get_xticklabels()[-1].get_text() == viz.BOS_SYMBOL
    assert len(viz.plot_probs([p.data for p in probs], tokenizer, top=3).axes[0].patches) == 3
    assert ink(fig) > 0.05


def test_principal_axes_find_the_direction_of_most_spread():
    rows = [[t, 2 * t, 0.0] for t in (-2.0, -1.0, 0.0, 1.0, 2.0)]
    (axis, _), (variance, second) = viz.embeddings._principal_axes(rows)
    assert axis == pytest.approx([1 / math.sqrt(5), 2 / math.sqrt(5), 0.0], abs=1e-6)
    assert variance == pytest.approx(10.0) and second == pytest.approx(0.0, abs=1e-9)


def test_embeddings_and_histogram_render():
    model, tokenizer = tiny_model()
    assert ink(viz.plot_embeddings(model, tokenizer)) > 0.02
    positions = viz.plot_embeddings(model, tokenizer, matrix="wpe")
    assert {t.get_text() for t in positions.axes[0].texts} == {str(i) for i in range(model.config.block_size)}
    assert ink(viz.plot_hist(model.parameters(), title="weights")) > 0.05


# --- how the figures behave -----------------------------------------------------------------------------

def test_figures_do_not_pile_up_in_pyplot():
    import matplotlib.pyplot as plt
    before = plt.get_fignums()
    viz.draw_graph(neuron())
    viz.plot_losses(fake_losses(20))
    assert plt.get_fignums() == before


def test_only_a_figure_wider_than_a_column_is_shown_unconfined(fake_notebook, monkeypatch):
    import IPython.display
    calls = []
    monkeypatch.setattr(IPython.display, "display", lambda *args, **kwargs: calls.append(kwargs))
    viz.draw_graph(network_loss(hidden=10))._ipython_display_()  # 140 Values: too wide even shrunk to 70 %
    viz.draw_graph(network_loss())._ipython_display_()  # 62 Values: top to bottom, shrunk to fit
    viz.draw_graph(neuron(), direction="TB")._ipython_display_()
    assert calls[0]["metadata"] == {"image/png": {"unconfined": True}}
    assert calls[1]["metadata"] is None and calls[2]["metadata"] is None


def test_the_core_package_does_not_import_matplotlib():
    code = "import sys, microgpt; sys.exit(any(m in sys.modules for m in ('matplotlib', 'ipywidgets')))"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_live_loss_plot_says_where_training_is_and_how_long_is_left():
    clock = iter(float(t) for t in range(1000))
    live = viz.LiveLossPlot(every=1000, clock=lambda: next(clock))
    live(1, 100, 3.0)
    assert live.status() == "step 1 / 100, 1 s so far"  # the clock starts after step 1: no pace to go by yet
    for step in range(2, 11):  # one tick of the clock per call
        live(step, 100, 3.0)
    # steps 2-10 timed in 11 ticks (status() reads the clock too), 90 steps to go: 11 / 9 * 90 = 110 s
    assert live.status() == "step 10 / 100, 11 s so far, about 1 min 50 s left"
    assert "step 10 / 100" in live.figure().axes[0].get_title()
    for step in range(11, 101):
        live(step, 100, 2.5)
    assert live.status().startswith("100 steps in ")


def test_the_live_plot_and_the_command_line_share_one_estimate_of_the_time_left():
    import io

    from microgpt.train import Progress, time_left

    assert time_left(10.0, 10, 90) == "10 s so far, about 1 min 30 s left"
    assert time_left(3.0, 0, 90) == "3 s so far"
    stream = io.StringIO()
    ticks = iter([0.0, 10.0, 10.0])
    resumed = Progress(stream, min_interval=0, clock=lambda: next(ticks), start_step=50)
    resumed(51, 100, 2.0)  # a run resumed after step 50: one step timed in 10 s, 49 to go
    assert stream.getvalue().endswith("10 s so far, about 8 min 10 s left")


def test_the_graph_layout_is_pure_python():
    import ast
    from pathlib import Path

    source = Path(viz.__file__).with_name("graph_layout.py").read_text()
    imported = {a.name for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Import) for a in node.names}
    imported |= {node.module for node in ast.walk(ast.parse(source)) if isinstance(node, ast.ImportFrom)}
    assert not imported, f"graph_layout imports {imported}: it should only compute positions"


# --- every picture fits a notebook column 900 px wide (a laptop's JupyterLab with the file browser open) -

COLUMN = 900  # pixels


def shown_width(fig):
    """The width in pixels of the PNG a notebook shows for `fig` (its own dpi: 100, matplotlib's and inline's)."""
    png = base64.b64decode(viz.display_data(fig)[0]["image/png"])
    width = struct.unpack(">I", png[16:20])[0]
    assert abs(width - fig.get_size_inches()[0] * fig.dpi) <= 1
    return width


def overlaps(texts):
    """The pairs of drawn texts (tick labels) closer than 4 px: labels that run into each other ("z⟨BOS⟩")."""
    boxes = [t.get_window_extent().padded(2) for t in texts]  # as drawn at the figure's dpi, rotation included
    return [(texts[i].get_text(), texts[j].get_text())
            for i in range(len(texts)) for j in range(i) if boxes[i].overlaps(boxes[j])]


@pytest.fixture(scope="module")
def shipped():
    """The shipped model (1 layer, 4 heads, block 16, 27 tokens): the pictures of lessons 04, 05 and 07."""
    return load_pretrained()


@pytest.mark.parametrize("name", ["emma", "olivia", "isabella", "abcdefghijklmno"])  # lesson 04, the longest
def test_the_all_heads_grid_wraps_onto_rows_to_fit_and_shows_every_head(shipped, name):
    model, tok = shipped
    ids = [tok.bos] + tok.encode(name)
    fig = viz.plot_attention_grid(attention_maps(model, ids), [tok.token_name(i) for i in ids])
    assert shown_width(fig) <= COLUMN
    maps = [a for a in fig.axes if a.images]
    assert [a.get_title() for a in maps] == [f"layer 0, head {h}" for h in range(4)]
    fig.draw_without_rendering()
    rows = sorted({round(a.get_position().y0, 3) for a in maps})
    assert len(rows) == 2  # 4 heads as 2 x 2
    bar = [a for a in fig.axes if a not in maps]
    assert len(bar) == 1 and bar[0].get_position().x1 <= 1.0  # the colour bar, inside the picture
    assert all(a.get_position().x1 <= bar[0].get_position().x0 for a in maps)


def test_a_grid_with_more_layers_and_heads_wraps_each_layer_and_keeps_every_map():
    model, tok = tiny_model(n_layer=2, n_head=8, n_embd=16)
    ids = [tok.bos] + tok.encode("olivia")
    fig = viz.plot_attention_grid(attention_maps(model, ids), [tok.token_name(i) for i in ids])
    assert shown_width(fig) <= COLUMN
    titles = [a.get_title() for a in fig.axes if a.images]
    assert titles == [f"layer {li}, head {h}" for li in range(2) for h in range(8)]


@pytest.mark.parametrize("n", range(1, 17))  # one head, BOS + up to 15 characters (lesson 04, the explorer)
def test_one_heads_map_fits_at_every_length(n):
    weights = [[1.0 / (q + 1) if k <= q else 0.0 for k in range(n)] for q in range(n)]
    assert shown_width(viz.plot_attention(weights, ["<BOS>"] + ["a"] * (n - 1))) <= COLUMN


def test_27_bars_fit_with_every_label_legible(shipped):
    model, tok = shipped
    keys, values = model.new_cache()
    probs = softmax(model(tok.bos, 0, keys, values))
    for fig in (viz.plot_probs(probs, tok), viz.plot_probs(probs, tok, baseline=probs, mark=0)):  # 05, 07
        assert shown_width(fig) <= COLUMN
        ax = fig.axes[0]
        ticks = ax.get_xticklabels()
        assert len(ax.patches) in (27, 54) and len(ticks) == 27 and ticks[-1].get_text() == viz.BOS_SYMBOL
        assert min(t.get_fontsize() for t in ticks) >= 12  # legible on a projector
        fig.draw_without_rendering()
        assert overlaps(ticks) == []


def test_the_other_pictures_fit_at_the_lessons_sizes(shipped):
    model, tok = shipped
    live = viz.LiveLossPlot(vocab_size=27, bigram=2.45, title="training loss (live)")
    for step, loss in enumerate(fake_losses(200)):
        live(step, 1000, loss)
    figures = [viz.plot_losses(fake_losses(1000), window=100, vocab_size=27, bigram=2.45), live.figure(),
               viz.plot_embeddings(model, tok), viz.plot_hist(model.parameters()),
               viz.plot_graph_stats(viz.graph_stats(network_loss())), viz.draw_graph(neuron())]
    assert all(shown_width(fig) <= COLUMN for fig in figures)


def test_a_wide_graph_turns_top_to_bottom_and_shrinks_to_fit_but_keeps_every_box():
    loss = network_loss()  # 62 Values: 20 inches left to right
    assert viz.draw_graph(loss, direction="LR").get_size_inches()[0] > 2 * viz.MAX_WIDTH
    fig = viz.draw_graph(loss)
    assert shown_width(fig) <= COLUMN
    assert len(boxes(fig)) == len(boxes(viz.draw_graph(loss, direction="LR")))
    assert fig.dpi >= 70  # text at least 70 % of its size: 7 pt
    small = viz.draw_graph(neuron())  # fits left to right: drawn that way, full size
    assert small.dpi == 100 and small.get_size_inches()[0] > small.get_size_inches()[1]
