"""Embedding tables in 2-D: each row projected on its two main directions, so similar tokens land close (lesson 05)."""

import math

from .fonts import figure_text
from .style import BLUE, BOS_SYMBOL, INK, LABEL, ORANGE, TICK, TITLE, as_floats, new_figure, token_labels


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
    """Each row of an embedding table projected to 2-D (principal components): similar rows land close.

    Used in lesson 05.
    """
    rows = [as_floats(row) for row in model.state_dict[matrix]]
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
    ax.set_xlabel(figure_text("direction 1 ({percent:.0f}% of the spread)").format(percent=100 * va / total),
                  fontsize=LABEL)
    ax.set_ylabel(figure_text("direction 2 ({percent:.0f}% of the spread)").format(percent=100 * vb / total),
                  fontsize=LABEL)
    ax.tick_params(labelsize=TICK)
    ax.set_title(figure_text(title) if title else
                 figure_text("the rows of {matrix}, projected to 2-D").format(matrix=matrix), fontsize=TITLE)
    ax.grid(alpha=0.3)
    return fig
