"""Pictures for the course: computation graphs, loss curves, attention maps, next-character charts.

Every function returns a matplotlib Figure, which a notebook displays when it is the last thing in a cell.
Only matplotlib is needed (no graphviz program), so the pictures look the same in JupyterLab, Colab and
Binder. The figures are made without pyplot, so nothing piles up and nothing is shown twice.

One module per kind of picture: style (palette, figures), graph and graph_layout (drawing a small
computation graph), big_graphs (counting a big one), training (loss curves), attention, distributions
(next-character bars, histograms) and embeddings; fonts makes every figure follow the learner's language.
"""

from .attention import plot_attention, plot_attention_grid
from .big_graphs import graph_stats, plot_graph_stats
from .distributions import plot_hist, plot_probs
from .embeddings import plot_embeddings
from .fonts import figure_text
from .graph import GraphTooLargeError, check_drawable, draw_graph
from .style import (
    BLUE,
    BLUE_FILL,
    BOS_SYMBOL,
    GREEN_FILL,
    GREY,
    INK,
    LABEL,
    LIGHT,
    MAX_WIDTH,
    ORANGE,
    ORANGE_FILL,
    RED,
    TICK,
    TITLE,
    YELLOW_FILL,
    display_data,
    figure_to_png,
    fmt_number,
    new_figure,
    png_base64,
    token_label,
    token_labels,
)
from .training import LiveLossPlot, plot_losses, smooth

__all__ = [
    "BLUE", "BLUE_FILL", "BOS_SYMBOL", "GREEN_FILL", "GREY", "INK", "LABEL", "LIGHT", "MAX_WIDTH", "ORANGE",
    "ORANGE_FILL", "RED", "TICK", "TITLE", "YELLOW_FILL", "GraphTooLargeError", "LiveLossPlot", "check_drawable",
    "display_data", "draw_graph", "figure_text", "figure_to_png", "fmt_number", "graph_stats", "new_figure",
    "plot_attention", "plot_attention_grid", "plot_embeddings", "plot_graph_stats", "plot_hist", "plot_losses",
    "plot_probs", "png_base64", "smooth", "token_label", "token_labels",
]
