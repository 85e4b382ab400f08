"""Attention maps: which earlier positions each position reads, one head (lesson 04) or every head at once."""

import math

from matplotlib.patches import FancyBboxPatch

from ..i18n import N_
from .fonts import figure_text
from .style import INK, LABEL, LIGHT, MAX_WIDTH, TICK, TITLE, new_figure, token_label

# the default titles, in English here and translated when drawn
ATTENTION, ATTENTION_GRID = N_("attention"), N_("attention of every head")


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


def plot_attention(weights, tokens, title=ATTENTION, annotate=None):
    """One head's attention as a heatmap: row = the position reading, column = the position it reads.

    `weights` is a square list of lists (zeros above the diagonal, as one head of model.attention_maps);
    `tokens` the token strings of the positions ('<BOS>' is shown as BOS_SYMBOL). Used in lesson 04.
    """
    n = len(weights)
    if any(len(row) != n for row in weights) or len(tokens) != n:
        raise ValueError(f"weights must be square and match the {len(tokens)} tokens")
    size = min(MAX_WIDTH - 1.2, 2.6 + 0.5 * n)  # the map grows with the name; 1.2 inches for the colour bar
    fig = new_figure(size + 1.2, size)
    ax = fig.add_subplot()
    image = _heatmap(ax, weights, [token_label(t) for t in tokens], n <= 12 if annotate is None else annotate)
    ax.set_xlabel(figure_text("key: the position attended to"), fontsize=LABEL)
    ax.set_ylabel(figure_text("query: the position reading"), fontsize=LABEL)
    ax.set_title(figure_text(title), fontsize=TITLE)
    bar = fig.colorbar(image, ax=ax, shrink=0.8)
    bar.ax.tick_params(labelsize=TICK)
    return fig


def plot_attention_grid(maps, tokens, title=ATTENTION_GRID):
    """Every layer x head of model.attention_maps on one colour scale, wrapped to fit. Used in lesson 04.

    Each layer starts a new row; a layer with more heads than fit across MAX_WIDTH wraps onto more rows
    (4 heads: 2 x 2), so the picture fits a notebook column instead of needing a sideways scroll.
    """
    n_layer, n_head, n = len(maps), len(maps[0]), len(tokens)
    cell = min(3.6, max(2.4, 0.32 * n + 1.0))  # inches per map: room for the token labels
    fit = max(1, int((MAX_WIDTH - 1.2) // cell))  # maps that fit across, leaving room for the colour bar
    rows_per_layer = math.ceil(n_head / fit)
    cols = math.ceil(n_head / rows_per_layer)  # balanced rows: 4 heads as 2 + 2, not 3 + 1
    fig = new_figure(cell * cols + 1.2, cell * n_layer * rows_per_layer + 0.6)
    axes = fig.subplots(n_layer * rows_per_layer, cols, squeeze=False)
    labels, used = [token_label(t) for t in tokens], []
    for li in range(n_layer):
        for slot in range(rows_per_layer * cols):
            ax = axes[li * rows_per_layer + slot // cols][slot % cols]
            if slot >= n_head:  # the empty end of a wrapped layer's last row
                ax.remove()
                continue
            image = _heatmap(ax, maps[li][slot], labels, annotate=False)
            ax.set_title(figure_text("layer {layer}, head {head}").format(layer=li, head=slot), fontsize=LABEL)
            used.append(ax)
    bar = fig.colorbar(image, ax=used, shrink=0.8)
    bar.ax.tick_params(labelsize=TICK)
    fig.suptitle(figure_text(title), fontsize=TITLE)
    return fig
