"""Graphs too big to draw: count their nodes, edges and depth, and chart how many nodes each operation makes.

A training step of the GPT builds tens of thousands of Values (lesson 05 counts them, lesson 08 asks where
the time goes); draw_graph refuses such graphs and points here.
"""

from collections import Counter

from .fonts import figure_text
from .graph_layout import children_of
from .style import BLUE, GREY, LABEL, TICK, TITLE, new_figure


def graph_stats(value, params=None):
    """Facts about a (possibly huge) graph: nodes, edges, depth, leaves, and nodes per operation.

    Pass the model's `params` to split the leaves into parameters and constants. Used in lessons 05, 06 and 08.
    """
    order = value.topological_order()  # iterative: fine for the ~50,000 nodes of a training step
    depth, ops, leaves, edges = {}, Counter(), 0, 0
    for v in order:
        if children_of(v):
            depth[v] = 1 + max(depth[c] for c in children_of(v))
            ops[v.op] += 1
            edges += len(children_of(v))
        else:
            depth[v] = 0
            leaves += 1
    stats = {"nodes": len(order), "edges": edges, "depth": depth[value], "leaves": leaves,
             "ops": dict(ops.most_common())}
    if params is not None:
        wanted = set(map(id, params))
        stats["parameters"] = sum(1 for v in order if not children_of(v) and id(v) in wanted)
        stats["constants"] = leaves - stats["parameters"]
    return stats


def plot_graph_stats(stats, title=None):
    """A bar chart of how many nodes each operation makes (`stats` from graph_stats, or a Value). Lessons 05, 08."""
    if not isinstance(stats, dict):
        stats = graph_stats(stats)
    names, counts = [f"{op}" for op in stats["ops"]], list(stats["ops"].values())
    if "parameters" in stats:
        names += [figure_text("leaves: parameters"), figure_text("leaves: constants")]
        counts += [stats["parameters"], stats["constants"]]
    else:
        names.append(figure_text("leaves (inputs)"))
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
    ax.set_xlabel(figure_text("number of nodes"), fontsize=LABEL)
    if title:
        title = figure_text(title)
    else:
        title = figure_text("{nodes:,} nodes, {edges:,} edges, depth {depth:,}").format(
            nodes=stats["nodes"], edges=stats["edges"], depth=stats["depth"])
    ax.set_title(title, fontsize=TITLE)
    ax.spines[["top", "right"]].set_visible(False)
    return fig

