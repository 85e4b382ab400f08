"""Pictures for the course: computation graphs, loss curves, attention maps, next-character charts.

Every function returns a matplotlib Figure, which a notebook displays when it is the last thing in a cell.
Only matplotlib is needed (no graphviz program), so the pictures look the same in JupyterLab, Colab and
Binder. The figures are made without pyplot, so nothing piles up and nothing is shown twice.
"""

import base64
import io
import math
import time
from collections import Counter

from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
from matplotlib.path import Path

from .errors import MicrogptError
from .train import format_seconds

# One palette for the whole course: dark ink, and an orange/blue pair that colour-blind eyes and projectors
# both keep apart.
INK, GREY, LIGHT = "#222222", "#666666", "#eeeeee"
ORANGE, ORANGE_FILL = "#d95f02", "#fdd9b5"
BLUE, BLUE_FILL = "#1f5fa8", "#d2e3f5"
RED, GREEN_FILL, YELLOW_FILL = "#b2182b", "#dff0d8", "#fff1c1"
TICK, LABEL, TITLE = 12, 13, 14  # font sizes in points: legible on a projector
BOS_SYMBOL = "⟨BOS⟩"  # DejaVu Sans, matplotlib's own font, has these angle brackets


class GraphTooLargeError(MicrogptError):
    """A graph with too many nodes to draw legibly."""


class _Figure(Figure):
    """A Figure that notebooks show as a PNG even when pyplot was never imported."""

    def _ipython_display_(self):
        """Show the PNG; a figure wider than a notebook column scrolls instead of shrinking to illegible."""
        from IPython.display import display
        width = self.get_size_inches()[0]
        display({"image/png": png_base64(self), "text/plain": f"<Figure {width:.0f} inches wide>"}, raw=True,
                metadata={"image/png": {"unconfined": True}} if width > 10 else None)


def new_figure(width, height):
    """A blank figure of `width` x `height` inches, not registered with pyplot."""
    return _Figure(figsize=(width, height), layout="constrained")


def figure_to_png(fig, dpi=100):
    """The figure rendered as PNG bytes."""
    buffer = io.BytesIO()
    # no bbox_inches="tight": constrained layout (or draw_graph's exact sizing) already fits everything, and
    # trimming would draw the figure twice
    fig.savefig(buffer, format="png", dpi=dpi, facecolor="white")
    return buffer.getvalue()


def png_base64(fig):
    """The figure as a base64 PNG string, the form notebook outputs store."""
    return base64.b64encode(figure_to_png(fig)).decode("ascii")


def token_label(token):
    """A token string fit for a tick label: BOS becomes BOS_SYMBOL, a space becomes '␣'."""
    return BOS_SYMBOL if token in ("<BOS>", "BOS", BOS_SYMBOL) else ("␣" if token == " " else token)


def token_labels(tokenizer, ids):
    """Tick labels for a list of token ids."""
    return [token_label(tokenizer.token_name(i)) for i in ids]


def _floats(xs):
    """Plain floats from a list of numbers or Values."""
    return [float(getattr(x, "data", x)) for x in xs]


# --- computation graphs -------------------------------------------------------------------------------

def check_drawable(value, max_nodes=150):
    """The set of Values in `value`'s graph; raises GraphTooLargeError as soon as it passes `max_nodes`."""
    seen, stack = {value}, [value]
    while stack:
        for child in stack.pop()._children:
            if child not in seen:
                seen.add(child)
                stack.append(child)
                if len(seen) > max_nodes:
                    raise GraphTooLargeError(
                        f"this graph has more than {max_nodes} nodes, too many to draw legibly; "
                        "summarise it with viz.graph_stats(value) (or viz.plot_graph_stats(value)), "
                        "or pass a larger max_nodes to draw it anyway")
    return seen


def _layered_graph(value):
    """Nodes (Values, operations, and bends of long edges) in columns, and the edges between them."""
    order = value.topological_order()
    col = {value: 0}
    for v in reversed(order):  # parents before children: every input sits just left of its first use
        for child in v._children:
            col[child] = min(col.get(child, 0), col[v] - 2)
    shift = -min(col.values())
    nodes, index = [], {}  # each node: [kind, value, column]; kind is "value", "op" or "bend"
    for v in order:
        index[v] = len(nodes)
        nodes.append(["value", v, col[v] + shift])
        if v._children:
            index[(v, "op")] = len(nodes)
            nodes.append(["op", v, col[v] + shift - 1])
    chains = []  # each drawn edge as the list of nodes it passes through
    for v in order:
        if not v._children:
            continue
        op = index[(v, "op")]
        for child in dict.fromkeys(v._children):  # x * x draws one edge, not two on top of each other
            chain = [index[child]]
            for c in range(nodes[index[child]][2] + 1, nodes[op][2]):  # a bend in every column it crosses
                chain.append(len(nodes))
                nodes.append(["bend", None, c])
            chains.append(chain + [op])
        chains.append([op, index[v]])
    layers = [[] for _ in range(max(n[2] for n in nodes) + 1)]
    for i, n in enumerate(nodes):
        layers[n[2]].append(i)
    left, right = [[] for _ in nodes], [[] for _ in nodes]
    for chain in chains:
        for a, b in zip(chain, chain[1:]):
            right[a].append(b)
            left[b].append(a)
    return nodes, layers, chains, left, right


def _crossings(layers, right, pos):
    """How many pairs of edges cross between neighbouring columns."""
    total = 0
    for layer in layers:
        edges = [(pos[a], pos[b]) for a in layer for b in right[a]]
        total += sum(1 for i, (a1, b1) in enumerate(edges) for a2, b2 in edges[:i] if (a1 - a2) * (b1 - b2) < 0)
    return total


def _order_layers(layers, left, right, sweeps=8):
    """Reorder each column by the mean position of its neighbours (fewer crossings), keep the best."""
    pos = {n: (i + 0.5) / len(layer) for layer in layers for i, n in enumerate(layer)}
    best, best_crossings = [list(layer) for layer in layers], _crossings(layers, right, pos)
    for sweep in range(sweeps):
        if best_crossings == 0:
            break
        forward = sweep % 2 == 0
        neighbours = left if forward else right
        for layer in (layers[1:] if forward else layers[-2::-1]):
            layer.sort(key=lambda n: sum(pos[m] for m in neighbours[n]) / len(neighbours[n])
                       if neighbours[n] else pos[n])
            pos.update({n: (i + 0.5) / len(layer) for i, n in enumerate(layer)})
        crossings = _crossings(layers, right, pos)
        if crossings < best_crossings:
            best, best_crossings = [list(layer) for layer in layers], crossings
    return best


def _spread(desired, gaps):
    """Positions closest to `desired` (least squares) that keep their order and at least `gaps` apart."""
    offsets = [0.0]
    for g in gaps:
        offsets.append(offsets[-1] + g)
    blocks = []  # pool adjacent violators: runs of nodes pushed together, as [sum, count]
    for d, o in zip(desired, offsets):
        blocks.append([d - o, 1])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            s, c = blocks.pop()
            blocks[-1][0] += s
            blocks[-1][1] += c
    flat = [s / c for s, c in blocks for _ in range(c)]
    return [z + o for z, o in zip(flat, offsets)]


def _place_rows(layers, left, right, heights, passes=6):
    """Vertical centres: each node near its neighbours' mean, never overlapping in its column."""
    y = {}
    for layer in layers:
        y.update(zip(layer, _spread([0.0] * len(layer), _gaps(layer, heights))))
    for _ in range(passes):
        for layer in layers + layers[::-1]:
            desired = [sum(y[m] for m in left[n] + right[n]) / len(left[n] + right[n]) if left[n] + right[n]
                       else y[n] for n in layer]
            y.update(zip(layer, _spread(desired, _gaps(layer, heights))))
    return y


def _gaps(layer, heights):
    """The smallest allowed distance between the centres of neighbouring nodes of a column."""
    return [(heights[a] + heights[b]) / 2 + (0.18 if min(heights[a], heights[b]) > 0.1 else 0.1)
            for a, b in zip(layer, layer[1:])]


def fmt_number(x, precision=4):
    """A compact number: 0.8814, -1.5, 2, 1e-05."""
    return f"{x:.{precision}g}"


def draw_graph(value, highlight=None, grads=None, title=None, max_nodes=150, precision=4, show_grad=True,
               direction="LR"):
    """The computation graph of `value`, left to right: a box per Value, a small node per operation.

    `highlight`: Values to emphasise, an iterable (all orange) or a dict {value: colour}; `grads`: a dict
    {value: grad} to show instead of each node's own .grad (the backprop stepper uses both).
    `direction="TB"` draws top to bottom instead, which suits deep graphs in a narrow notebook column.
    A graph with more than `max_nodes` Values is refused at once: use graph_stats for big graphs.
    """
    if direction not in ("LR", "TB"):
        raise ValueError(f"direction must be 'LR' (left to right) or 'TB' (top to bottom), not {direction!r}")
    check_drawable(value, max_nodes)
    marks = dict(highlight) if isinstance(highlight, dict) else {v: ORANGE for v in (highlight or ())}
    fs, char_w, line_h = 10, 0.602 * 10 / 72, 0.19  # box text: 10pt monospace, in inches
    nodes, layers, chains, left, right = _layered_graph(value)
    texts, widths, heights = {}, [], []
    for i, (kind, v, _) in enumerate(nodes):
        if kind == "value":
            grad = grads.get(v, 0) if grads is not None else v.grad
            lines = [f"data {fmt_number(v.data, precision)}"]
            if show_grad:
                lines.append(f"grad {fmt_number(grad, precision)}")
            texts[i] = ([v.label] if v.label else []) + lines
            widths.append(max(len(s) for s in texts[i]) * char_w + 0.16)
            heights.append(len(texts[i]) * line_h + 0.1)
        elif kind == "op":
            texts[i] = ["×" if v.op == "*" else v.op]
            widths.append(max(0.32, len(texts[i][0]) * char_w * 1.1 + 0.14))
            heights.append(0.32)
        else:
            widths.append(0.0)
            heights.append(0.04)
    # "along" is the size in the direction the graph flows, "across" the size that columns stack
    along, across = (widths, heights) if direction == "LR" else (heights, widths)
    layers = _order_layers(layers, left, right)
    cross = _place_rows(layers, left, right, across)
    rank_size = [max([along[n] for n in layer] + [0.1]) for layer in layers]
    rank, r, gap = [], 0.0, 0.3
    for size in rank_size:  # the centre of each column, with room for the edges' curves in between
        rank.append(r + size / 2)
        r += size + gap
    low = min(cross[n] - across[n] / 2 for n in cross) - 0.15
    high = max(cross[n] + across[n] / 2 for n in cross) + 0.15
    head = 0.45 if title else 0.0
    to_xy = (lambda a, c: (a, c)) if direction == "LR" else (lambda a, c: (c - low, a + head))
    if direction == "LR":
        width, height, x0, y0 = r - gap + 0.3, high - low + head, -0.15, low - head
    else:
        width, height, x0, y0 = high - low, r - gap + 0.3 + head, 0.0, -0.15
    width, height = max(width, 2.0), max(height, 1.0)
    fig = _Figure(figsize=(width, height))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(x0, x0 + width)  # one unit is one inch, so text and boxes keep their size
    ax.set_ylim(y0 + height, y0)  # y grows downwards, like reading
    ax.axis("off")
    if title:
        ax.text(x0 + 0.15, y0 + 0.3, title, fontsize=TITLE, va="center", ha="left", color=INK)
    for chain in chains:
        _draw_edge(ax, chain, nodes, cross, along, rank, rank_size, marks, to_xy)
    for i, (kind, v, c) in enumerate(nodes):
        if kind != "bend":
            x, y = to_xy(rank[c], cross[i])
            _draw_node(ax, kind, v, x, y, widths[i], heights[i], texts[i], marks, v is value, fs)
    return fig


def _active(v, marks):
    """The colour of v's operation: v's own, if v and at least one of its inputs are highlighted."""
    return marks.get(v) if v in marks and any(c in marks for c in v._children) else None


def _edge_colour(chain, nodes, marks):
    """An edge into or out of an active operation takes its colour (if its input is highlighted too)."""
    source, target = nodes[chain[0]][1], nodes[chain[-1]][1]
    if nodes[chain[0]][0] == "op":  # operation -> its result
        return _active(target, marks)
    return _active(target, marks) if source in marks else None


def _draw_edge(ax, chain, nodes, cross, along, rank, rank_size, marks, to_xy):
    """One edge as smooth curves between columns and straight runs through the columns it crosses."""
    first, last = chain[0], chain[-1]
    points = [(rank[nodes[first][2]] + along[first] / 2, cross[first])]
    for bend in chain[1:-1]:
        c = nodes[bend][2]
        points += [(rank[c] - rank_size[c] / 2, cross[bend]), (rank[c] + rank_size[c] / 2, cross[bend])]
    points.append((rank[nodes[last][2]] - along[last] / 2, cross[last]))
    verts, codes = [to_xy(*points[0])], [Path.MOVETO]
    for k, ((a0, c0), (a1, c1)) in enumerate(zip(points, points[1:])):
        if k % 2:  # straight through a column
            verts.append(to_xy(a1, c1))
            codes.append(Path.LINETO)
        else:  # an S-curve that leaves and arrives along the flow
            mid = (a0 + a1) / 2
            verts += [to_xy(mid, c0), to_xy(mid, c1), to_xy(a1, c1)]
            codes += [Path.CURVE4] * 3
    colour = _edge_colour(chain, nodes, marks)
    ax.add_artist(FancyArrowPatch(path=Path(verts, codes), arrowstyle="-|>,head_length=0.5,head_width=0.25",
                                  mutation_scale=12, color=colour or GREY, lw=2.6 if colour else 1.2,
                                  zorder=3 if colour else 1))


def _draw_node(ax, kind, v, x, y, w, h, lines, marks, is_root, fs):
    """A Value as a box of label/data/grad lines, or an operation as a small rounded tag."""
    colour = _active(v, marks) if kind == "op" else marks.get(v)
    fill = {ORANGE: ORANGE_FILL, BLUE: BLUE_FILL}.get(colour, "white" if colour else None)
    if kind == "op":
        ax.add_artist(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0,rounding_size=0.16",
                                    fc=fill or YELLOW_FILL, ec=colour or INK, lw=2.2 if colour else 1.0, zorder=4))
        ax.text(x, y, lines[0], ha="center", va="center", fontsize=fs + 1, fontweight="bold", color=INK, zorder=5)
        return
    base = GREEN_FILL if is_root else (LIGHT if not v._children else "white")
    ax.add_artist(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0,rounding_size=0.05",
                                fc=fill or base, ec=colour or INK, lw=3.0 if colour else (1.8 if is_root else 1.0),
                                zorder=4))
    line_h = (h - 0.1) / len(lines)
    for k, text in enumerate(lines):
        is_label = k == 0 and v.label
        ax.text(x - w / 2 + 0.08, y - h / 2 + 0.05 + (k + 0.5) * line_h, text, ha="left", va="center",
                fontsize=fs, family="sans-serif" if is_label else "monospace",
                fontweight="bold" if is_label else "normal",
                color=RED if text.startswith("grad") and not is_label else INK, zorder=5)


def graph_stats(value, params=None):
    """Facts about a (possibly huge) graph: nodes, edges, depth, leaves, and nodes per operation.

    Pass the model's `params` to split the leaves into parameters and constants.
    """
    order = value.topological_order()  # iterative: fine for the ~50,000 nodes of a training step
    depth, ops, leaves, edges = {}, Counter(), 0, 0
    for v in order:
        if v._children:
            depth[v] = 1 + max(depth[c] for c in v._children)
            ops[v.op] += 1
            edges += len(v._children)
        else:
            depth[v] = 0
            leaves += 1
    stats = {"nodes": len(order), "edges": edges, "depth": depth[value], "leaves": leaves,
             "ops": dict(ops.most_common())}
    if params is not None:
        wanted = set(map(id, params))
        stats["parameters"] = sum(1 for v in order if not v._children and id(v) in wanted)
        stats["constants"] = leaves - stats["parameters"]
    return stats


def plot_graph_stats(stats, title=None):
    """A bar chart of how many nodes each operation makes (`stats` from graph_stats, or a Value)."""
    if not isinstance(stats, dict):
        stats = graph_stats(stats)
    names, counts = [f"{op}" for op in stats["ops"]], list(stats["ops"].values())
    if "parameters" in stats:
        names += ["leaves: parameters", "leaves: constants"]
        counts += [stats["parameters"], stats["constants"]]
    else:
        names.append("leaves (inputs)")
        counts.append(stats["leaves"])
    colours = [BLUE] * len(stats["ops"]) + [GREY] * (len(names) - len(stats["ops"]))
    fig = new_figure(8, 0.45 * len(names) + 1.4)
    ax = fig.add_subplot()
    bars = ax.barh(range(len(names)), counts, color=colours)
    ax.bar_label(bars, [f"{c:,}" for c in counts], padding=4, fontsize=TICK)
    ax.xaxis.set_major_formatter("{x:,.0f}")
    ax.set_yticks(range(len(names)), names, fontsize=TICK)
    ax.invert_yaxis()
    ax.set_xlim(0, max(counts) * 1.2)
    ax.tick_params(axis="x", labelsize=TICK)
    ax.set_xlabel("number of nodes", fontsize=LABEL)
    ax.set_title(title or f"{stats['nodes']:,} nodes, {stats['edges']:,} edges, depth {stats['depth']:,}",
                 fontsize=TITLE)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


# --- losses -------------------------------------------------------------------------------------------

def smooth(xs, window):
    """The running mean of the last `window` values at every step (shorter at the start)."""
    out, total = [], 0.0
    for i, x in enumerate(xs):
        total += x
        if i >= window:
            total -= xs[i - window]
        out.append(total / min(i + 1, window))
    return out


def plot_losses(losses, window=None, vocab_size=None, bigram=None, references=None, steps=None,
                num_steps=None, title="training loss"):
    """The loss at every step (thin) and its running mean (thick), with optional reference lines.

    `vocab_size` draws the uniform guess ln(vocab_size); `bigram` the bigram model's loss; `references`
    any other {label: loss}. `steps` are the x values (default 1, 2, ...); `num_steps` fixes the x range.
    """
    losses = _floats(losses)
    steps = list(steps) if steps is not None else list(range(1, len(losses) + 1))
    window = window or max(1, min(100, len(losses) // 20))
    fig = new_figure(9, 4.8)
    ax = fig.add_subplot()
    ax.plot(steps, losses, color=BLUE, alpha=0.35, lw=1, label="loss at each step")
    if losses:
        ax.plot(steps, smooth(losses, window), color=BLUE, lw=2.5, label=f"mean of the last {window} steps")
    lines = dict(references or {})
    if vocab_size:
        lines[f"uniform guess ln {vocab_size} = {math.log(vocab_size):.3f}"] = math.log(vocab_size)
    if bigram is not None:
        lines[f"bigram baseline {bigram:.3f}"] = bigram
    for (label, level), style, colour in zip(lines.items(), ["--", ":", "-.", (0, (5, 1, 1, 1))] * 4,
                                             [ORANGE, INK, RED, GREY] * 4):
        ax.axhline(level, ls=style, color=colour, lw=2, label=label)
    if num_steps:
        ax.set_xlim(0, num_steps)
    ax.set_xlabel("step", fontsize=LABEL)
    ax.set_ylabel("loss (nats)", fontsize=LABEL)
    ax.tick_params(labelsize=TICK)
    ax.set_title(title, fontsize=TITLE)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=TICK - 1, loc="upper right")
    return fig


class LiveLossPlot:
    """A loss curve that redraws in place during training: `train(..., callback=LiveLossPlot())`.

    It redraws every `every` steps (and after the last one), and skips a redraw whenever drawing has
    already taken more than `max_overhead` of the time since training began. Outside a notebook it only
    records the losses; `figure()` draws them at any time.
    """

    def __init__(self, every=25, max_overhead=0.04, **plot_options):
        """Keep the options for plot_losses (vocab_size, bigram, references, window, title)."""
        self.every, self.max_overhead, self.plot_options = max(1, int(every)), max_overhead, plot_options
        self.steps, self.losses, self.num_steps = [], [], None
        self.draw_seconds, self.redraws = 0.0, 0
        self._start, self._handle = None, None

    def __call__(self, step, num_steps, loss):
        """The train() callback: record the loss, and redraw when it is time."""
        now = time.perf_counter()
        if self._start is None:
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
        elapsed = time.perf_counter() - self._start
        if step >= total:
            return f"{total} steps in {format_seconds(elapsed)}"
        done = step - self.steps[0] + 1  # steps timed since this plot started (training may resume midway)
        left = elapsed / done * (total - step)
        return f"step {step} / {total}, {format_seconds(elapsed)} so far, about {format_seconds(left)} left"

    def figure(self):
        """The curve so far, with the progress under the title, as a Figure."""
        options = dict(self.plot_options)
        title = options.pop("title", "training loss")
        status = self.status()
        return plot_losses(self.losses, steps=self.steps, num_steps=self.num_steps,
                           title=f"{title}\n{status}" if status else title, **options)

    def redraw(self):
        """Replace the displayed picture with the current curve (nothing to show outside a notebook)."""
        if getattr(_ipython(), "kernel", None) is None:  # a script or a terminal: nowhere to draw in place
            return
        from IPython.display import Image, display
        start = time.perf_counter()
        image = Image(data=figure_to_png(self.figure()), format="png")
        if self._handle is None:
            self._handle = display(image, display_id=True)
        else:
            self._handle.update(image)
        self.draw_seconds += time.perf_counter() - start
        self.redraws += 1


def _ipython():
    """The running IPython shell, or None in a plain script."""
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    return get_ipython()


# --- attention and predictions ------------------------------------------------------------------------

def _heatmap(ax, weights, labels, annotate):
    """Draw one attention map on `ax`: the future (above the diagonal) hatched, weights in blue."""
    n = len(weights)
    masked = [[w if k <= q else float("nan") for k, w in enumerate(row)] for q, row in enumerate(weights)]
    ax.set_facecolor(LIGHT)
    ax.add_patch(FancyBboxPatch((-0.5, -0.5), n, n, boxstyle="square,pad=0", fc=LIGHT, ec="none", hatch="//",
                                hatchcolor="#b0b0b0", lw=0, zorder=0))
    image = ax.imshow(masked, cmap="Blues", vmin=0, vmax=1, zorder=1)
    ax.set_xticks(range(n), labels, fontsize=TICK)
    ax.set_yticks(range(n), labels, fontsize=TICK)
    ax.tick_params(length=0)
    cell = ax.get_position().width * ax.get_figure().get_size_inches()[0] / max(n, 1)  # inches per column
    for tick in ax.get_xticklabels():
        if len(tick.get_text()) * 0.62 * TICK / 72 > 1.6 * cell:  # a label wider than its room: stand it up
            tick.set_rotation(90)
    if annotate:
        for q in range(n):
            for k in range(q + 1):
                w = weights[q][k]
                ax.text(k, q, f"{w:.2f}", ha="center", va="center",
                        fontsize=TICK - 3 if n > 8 else TICK - 1, color="white" if w > 0.55 else INK)
    return image


def plot_attention(weights, tokens, title="attention", annotate=None):
    """One head's attention as a heatmap: row = the position reading, column = the position it reads.

    `weights` is a square list of lists (zeros above the diagonal, as one head of model.attention_maps);
    `tokens` the token strings of the positions ('<BOS>' is shown as BOS_SYMBOL).
    """
    n = len(weights)
    if any(len(row) != n for row in weights) or len(tokens) != n:
        raise ValueError(f"weights must be square and match the {len(tokens)} tokens")
    size = min(9.0, 2.6 + 0.5 * n)
    fig = new_figure(size + 1.2, size)
    ax = fig.add_subplot()
    image = _heatmap(ax, weights, [token_label(t) for t in tokens], n <= 12 if annotate is None else annotate)
    ax.set_xlabel("key: the position attended to", fontsize=LABEL)
    ax.set_ylabel("query: the position reading", fontsize=LABEL)
    ax.set_title(title, fontsize=TITLE)
    bar = fig.colorbar(image, ax=ax, shrink=0.8)
    bar.ax.tick_params(labelsize=TICK)
    return fig


def plot_attention_grid(maps, tokens, title="attention of every head"):
    """Every layer (rows) x head (columns) of model.attention_maps as heatmaps on one colour scale."""
    n_layer, n_head, n = len(maps), len(maps[0]), len(tokens)
    cell = min(3.6, max(2.4, 0.32 * n + 1.0))
    fig = new_figure(cell * n_head + 1.0, cell * n_layer + 0.6)
    axes = fig.subplots(n_layer, n_head, squeeze=False)
    labels = [token_label(t) for t in tokens]
    for li in range(n_layer):
        for h in range(n_head):
            image = _heatmap(axes[li][h], maps[li][h], labels, annotate=False)
            axes[li][h].set_title(f"layer {li}, head {h}", fontsize=LABEL)
    bar = fig.colorbar(image, ax=axes, shrink=0.8)
    bar.ax.tick_params(labelsize=TICK)
    fig.suptitle(title, fontsize=TITLE)
    return fig


def plot_probs(probs, tokenizer, title="probability of the next character", top=None, mark=None, baseline=None,
               baseline_label="temperature 1"):
    """The next-token distribution as bars, one per token of the vocabulary (or the `top` most likely).

    `probs` are floats or Values in token-id order; `mark` is a token id to draw in orange (e.g. the truth);
    `baseline` another distribution drawn as outlines, for comparison.
    """
    probs = _floats(probs)
    ids = list(range(len(probs)))
    if top:
        ids = sorted(ids, key=lambda i: -probs[i])[:top]
    fig = new_figure(max(6.0, 0.36 * len(ids) + 2.0), 4.2)
    ax = fig.add_subplot()
    ax.bar(range(len(ids)), [probs[i] for i in ids], color=[ORANGE if i == mark else BLUE for i in ids])
    if baseline is not None:
        baseline = _floats(baseline)
        ax.bar(range(len(ids)), [baseline[i] for i in ids], fill=False, edgecolor=INK, lw=1.5, ls="--",
               label=baseline_label)
        ax.legend(fontsize=TICK - 1, loc="upper right")
        probs = probs + baseline  # so that the y range fits both
    ax.set_xticks(range(len(ids)), token_labels(tokenizer, ids), fontsize=TICK)
    ax.set_xlim(-0.7, len(ids) - 0.3)
    ax.set_ylim(0, max(0.05, max(probs) * 1.12))
    ax.tick_params(axis="y", labelsize=TICK)
    ax.set_xlabel("next character", fontsize=LABEL)
    ax.set_ylabel("probability", fontsize=LABEL)
    ax.set_title(title, fontsize=TITLE)
    ax.grid(axis="y", alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


# --- extras -------------------------------------------------------------------------------------------

def _principal_axes(rows, k=2, iterations=300):
    """The top `k` principal directions of `rows` and their variances, by power iteration (no numpy)."""
    n, d = len(rows), len(rows[0])
    cov = [[sum(r[i] * r[j] for r in rows) / n for j in range(d)] for i in range(d)]
    axes, variances = [], []
    for _ in range(k):
        v = [1.0 + 0.01 * j for j in range(d)]
        for _ in range(iterations):
            w = [sum(cov[i][j] * v[j] for j in range(d)) for i in range(d)]
            norm = math.sqrt(sum(x * x for x in w)) or 1.0
            v = [x / norm for x in w]
        if max(v, key=abs) < 0:  # a direction and its opposite are equally good: pick one for good
            v = [-x for x in v]
        var = sum(v[i] * cov[i][j] * v[j] for i in range(d) for j in range(d))
        axes.append(v)
        variances.append(var)
        cov = [[cov[i][j] - var * v[i] * v[j] for j in range(d)] for i in range(d)]  # remove it, find the next
    return axes, variances


def plot_embeddings(model, tokenizer, matrix="wte", title=None):
    """Each row of an embedding table projected to 2-D (principal components): similar rows land close."""
    rows = [_floats(row) for row in model.state_dict[matrix]]
    mean = [sum(col) / len(rows) for col in zip(*rows)]
    centred = [[x - m for x, m in zip(row, mean)] for row in rows]
    (a, b), (va, vb) = _principal_axes(centred)
    total = sum(x * x for row in centred for x in row) / len(rows)
    xs = [sum(p * q for p, q in zip(row, a)) for row in centred]
    ys = [sum(p * q for p, q in zip(row, b)) for row in centred]
    fig = new_figure(7.5, 6.5)
    ax = fig.add_subplot()
    by_token = len(rows) == tokenizer.vocab_size and matrix != "wpe"  # wpe's rows are positions, not tokens
    labels = token_labels(tokenizer, range(len(rows))) if by_token else [str(i) for i in range(len(rows))]
    colours = [ORANGE if label == BOS_SYMBOL else BLUE for label in labels]
    ax.scatter(xs, ys, s=36, color=colours, zorder=2)
    for x, y, label, colour in zip(xs, ys, labels, colours):  # the label just above and right of its dot
        ax.annotate(label, (x, y), xytext=(4, 3), textcoords="offset points", fontsize=TICK + 2,
                    fontweight="bold", color=INK if colour == BLUE else ORANGE, zorder=3)
    ax.margins(0.08)
    ax.set_xlabel(f"direction 1 ({100 * va / total:.0f}% of the spread)", fontsize=LABEL)
    ax.set_ylabel(f"direction 2 ({100 * vb / total:.0f}% of the spread)", fontsize=LABEL)
    ax.tick_params(labelsize=TICK)
    ax.set_title(title or f"the rows of {matrix}, projected to 2-D", fontsize=TITLE)
    ax.grid(alpha=0.3)
    return fig


def plot_hist(values, bins=40, title="histogram", xlabel="value"):
    """A histogram of numbers or Values (weights, gradients, activations), with their mean and spread."""
    xs = _floats(values)
    fig = new_figure(8, 4.2)
    ax = fig.add_subplot()
    ax.hist(xs, bins=bins, color=BLUE, edgecolor="white")
    mean = sum(xs) / len(xs) if xs else 0.0
    std = math.sqrt(sum((x - mean) ** 2 for x in xs) / len(xs)) if xs else 0.0
    ax.set_title(f"{title}  (n = {len(xs):,}, mean {mean:.3g}, std {std:.3g})", fontsize=TITLE)
    ax.set_xlabel(xlabel, fontsize=LABEL)
    ax.set_ylabel("count", fontsize=LABEL)
    ax.tick_params(labelsize=TICK)
    ax.spines[["top", "right"]].set_visible(False)
    return fig
