"""Computation graphs: draw a small one box by box (lesson 01), or count the nodes of a big one (lessons 05, 08).

Where each box goes is worked out in graph_layout; this module only turns those positions into matplotlib
patches. Nothing needs the graphviz program, so the graphs look the same in JupyterLab, Colab and Binder.
"""

from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
from matplotlib.path import Path

from ..errors import MicrogptError
from .fonts import figure_text
from .graph_layout import children_of, edge_path, layered_graph, place
from .style import (
    BLUE,
    BLUE_FILL,
    DPI,
    GREEN_FILL,
    GREY,
    INK,
    LIGHT,
    MAX_WIDTH,
    ORANGE,
    ORANGE_FILL,
    RED,
    TITLE,
    YELLOW_FILL,
    fmt_number,
    new_figure,
)

FONT_SIZE, CHAR_WIDTH, LINE_HEIGHT = 10, 0.602 * 10 / 72, 0.19  # box text: 10pt monospace, sizes in inches


class GraphTooLargeError(MicrogptError):
    """A graph with too many nodes to draw legibly (lesson 01 shows it on a training step's graph)."""


def check_drawable(value, max_nodes=150):
    """The set of Values in `value`'s graph; raises GraphTooLargeError as soon as it passes `max_nodes`.

    Used by draw_graph and the backprop stepper (lesson 01).
    """
    seen, stack = {value}, [value]
    while stack:
        for child in children_of(stack.pop()):
            if child not in seen:
                seen.add(child)
                stack.append(child)
                if len(seen) > max_nodes:
                    raise GraphTooLargeError(
                        f"this graph has more than {max_nodes} nodes, too many to draw legibly; "
                        "summarise it with viz.graph_stats(value) (or viz.plot_graph_stats(value)), "
                        "or pass a larger max_nodes to draw it anyway")
    return seen


def draw_graph(value, highlight=None, grads=None, title=None, max_nodes=150, precision=4, show_grad=True,
               direction="auto"):
    """The computation graph of `value`, left to right: a box per Value, a small node per operation. Lesson 01.

    `highlight`: Values to emphasise, an iterable (all orange) or a dict {value: colour}; `grads`: a dict
    {value: grad} to show instead of each node's own .grad (the backprop stepper uses both).
    `direction="TB"` draws top to bottom instead, which suits deep graphs in a narrow notebook column; the
    default, "auto", is left to right if that fits a notebook column (MAX_WIDTH), else the narrower of the two.
    A graph still too wide is shrunk to fit, down to 70 % (smaller text is illegible; beyond that it scrolls).
    A graph with more than `max_nodes` Values is refused at once: use graph_stats for big graphs.
    """
    if direction not in ("auto", "LR", "TB"):
        raise ValueError(f"direction must be 'auto', 'LR' (left to right) or 'TB' (top to bottom), not {direction!r}")
    check_drawable(value, max_nodes)
    marks = dict(highlight) if isinstance(highlight, dict) else {v: ORANGE for v in (highlight or ())}
    nodes, layers, chains, left, right = layered_graph(value)
    texts, widths, heights = _node_boxes(nodes, grads, precision, show_grad)
    layouts = {d: _layout(d, layers, left, right, widths, heights, title)
               for d in (("LR", "TB") if direction == "auto" else (direction,))}
    if direction == "auto":  # compare the widths (the last item of a layout is its (width, height))
        lr_width, tb_width = layouts["LR"][-1][0], layouts["TB"][-1][0]
        direction = "LR" if lr_width <= MAX_WIDTH or lr_width <= tb_width else "TB"
    along, cross, rank, rank_size, bounds, size = layouts[direction]
    ax, to_xy = _canvas(direction, bounds, size, title)
    for chain in chains:
        verts, kinds = edge_path(chain, nodes, cross, along, rank, rank_size)
        _draw_edge(ax, [to_xy(a, c) for a, c in verts], kinds, _edge_colour(chain, nodes, marks))
    for i, (kind, v, c) in enumerate(nodes):
        if kind != "bend":
            x, y = to_xy(rank[c], cross[i])
            _draw_node(ax, kind, v, (x, y, widths[i], heights[i]), texts[i], marks, v is value)
    return ax.get_figure()


def _node_boxes(nodes, grads, precision, show_grad):
    """The lines of text in each node, and each node's width and height in inches."""
    texts, widths, heights = {}, [], []
    for i, (kind, v, _) in enumerate(nodes):
        if kind == "value":
            grad = grads.get(v, 0) if grads is not None else v.grad
            lines = [f"data {fmt_number(v.data, precision)}"]
            if show_grad:
                lines.append(f"grad {fmt_number(grad, precision)}")
            texts[i] = ([v.label] if v.label else []) + lines
            widths.append(max(len(s) for s in texts[i]) * CHAR_WIDTH + 0.16)
            heights.append(len(texts[i]) * LINE_HEIGHT + 0.1)
        elif kind == "op":
            texts[i] = ["×" if v.op == "*" else v.op]
            widths.append(max(0.32, len(texts[i][0]) * CHAR_WIDTH * 1.1 + 0.14))
            heights.append(0.32)
        else:  # a bend: a point the edge passes through, with a little room around it
            widths.append(0.0)
            heights.append(0.04)
    return texts, widths, heights


def _layout(direction, layers, left, right, widths, heights, title):
    """Every node placed for `direction`: (along, cross, rank, rank_size, (low, head, length), (width, height))."""
    # "along" is the size in the direction the graph flows, "across" the size that columns stack
    along, across = (widths, heights) if direction == "LR" else (heights, widths)
    cross, rank, rank_size, length = place(layers, left, right, along, across)
    low = min(cross[n] - across[n] / 2 for n in cross) - 0.15
    high = max(cross[n] + across[n] / 2 for n in cross) + 0.15
    head = 0.45 if title else 0.0
    width, height = (length + 0.3, high - low + head) if direction == "LR" else (high - low, length + 0.3 + head)
    return along, cross, rank, rank_size, (low, head), (max(width, 2.0), max(height, 1.0))


def _canvas(direction, bounds, size, title):
    """Axes sized so that one unit is one inch, and the map from (along, cross) to its (x, y)."""
    (low, head), (width, height) = bounds, size
    if direction == "LR":
        x0, y0 = -0.15, low - head
        to_xy = lambda a, c: (a, c)  # noqa: E731
    else:
        x0, y0 = 0.0, -0.15
        to_xy = lambda a, c: (c - low, a + head)  # noqa: E731
    # too wide for a notebook column: draw at fewer dots per inch, so the picture (text too) shrinks to fit
    dpi = DPI * max(0.7, min(1.0, MAX_WIDTH / width))
    ax = new_figure(width, height, layout=None, dpi=dpi).add_axes((0, 0, 1, 1))
    ax.set_xlim(x0, x0 + width)  # one unit is one inch, so text and boxes keep their size
    ax.set_ylim(y0 + height, y0)  # y grows downwards, like reading
    ax.axis("off")
    if title:
        ax.text(x0 + 0.15, y0 + 0.3, figure_text(title), fontsize=TITLE, va="center", ha="left", color=INK)
    return ax, to_xy


def _active(v, marks):
    """The colour of v's operation: v's own, if v and at least one of its inputs are highlighted."""
    return marks.get(v) if v in marks and any(c in marks for c in children_of(v)) else None


def _edge_colour(chain, nodes, marks):
    """An edge into or out of an active operation takes its colour (if its input is highlighted too)."""
    source, target = nodes[chain[0]][1], nodes[chain[-1]][1]
    if nodes[chain[0]][0] == "op":  # operation -> its result
        return _active(target, marks)
    return _active(target, marks) if source in marks else None


def _draw_edge(ax, verts, kinds, colour):
    """One edge along the path `verts` (x, y), in `colour` if it is highlighted, else thin and grey."""
    codes = [{"move": Path.MOVETO, "line": Path.LINETO, "curve": Path.CURVE4}[kind] for kind in kinds]
    ax.add_artist(FancyArrowPatch(path=Path(verts, codes), arrowstyle="-|>,head_length=0.5,head_width=0.25",
                                  mutation_scale=12, color=colour or GREY, lw=2.6 if colour else 1.2,
                                  zorder=3 if colour else 1))


def _draw_node(ax, kind, v, box, lines, marks, is_root):
    """A Value as a box of label/data/grad lines, or an operation as a small rounded tag; `box` is (x, y, w, h)."""
    x, y, w, h = box
    colour = _active(v, marks) if kind == "op" else marks.get(v)
    fill = {ORANGE: ORANGE_FILL, BLUE: BLUE_FILL}.get(colour, "white" if colour else None)
    if kind == "op":
        ax.add_artist(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0,rounding_size=0.16",
                                    fc=fill or YELLOW_FILL, ec=colour or INK, lw=2.2 if colour else 1.0, zorder=4))
        ax.text(x, y, lines[0], ha="center", va="center", fontsize=FONT_SIZE + 1, fontweight="bold", color=INK,
                zorder=5)
        return
    base = GREEN_FILL if is_root else (LIGHT if not children_of(v) else "white")
    ax.add_artist(FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0,rounding_size=0.05",
                                fc=fill or base, ec=colour or INK, lw=3.0 if colour else (1.8 if is_root else 1.0),
                                zorder=4))
    line_h = (h - 0.1) / len(lines)
    for k, text in enumerate(lines):
        is_label = k == 0 and v.label
        ax.text(x - w / 2 + 0.08, y - h / 2 + 0.05 + (k + 0.5) * line_h, text, ha="left", va="center",
                fontsize=FONT_SIZE, family="sans-serif" if is_label else "monospace",
                fontweight="bold" if is_label else "normal",
                color=RED if text.startswith("grad") and not is_label else INK, zorder=5)
