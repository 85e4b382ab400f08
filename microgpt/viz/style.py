"""The look shared by every picture: the palette, font sizes, token labels, and figures without pyplot.

Every viz function returns one of these figures, which a notebook displays when it is the last thing in a cell.
"""

import base64
import io

from matplotlib.figure import Figure

# One palette for the whole course: dark ink, and an orange/blue pair that colour-blind eyes and projectors
# both keep apart.
INK, GREY, LIGHT = "#222222", "#666666", "#eeeeee"
ORANGE, ORANGE_FILL = "#d95f02", "#fdd9b5"
BLUE, BLUE_FILL = "#1f5fa8", "#d2e3f5"
RED, GREEN_FILL, YELLOW_FILL = "#b2182b", "#dff0d8", "#fff1c1"
TICK, LABEL, TITLE = 12, 13, 14  # font sizes in points: legible on a projector
# A notebook column on a laptop (JupyterLab at 1400 px with the file browser open) is about 900 px wide, and
# figures are drawn at matplotlib's 100 dpi (the inline backend's too): every picture fits in 9 inches.
MAX_WIDTH, DPI = 9.0, 100
BOS_SYMBOL = "⟨BOS⟩"  # DejaVu Sans, matplotlib's own font, has these angle brackets


class _Figure(Figure):
    """A Figure that notebooks show as a PNG even when pyplot was never imported."""

    def _ipython_display_(self):
        """Show the figure as a PNG."""
        from IPython.display import display
        data, metadata = display_data(self)
        display(data, raw=True, metadata=metadata)


def new_figure(width, height, layout="constrained", dpi=DPI):
    """A blank figure of `width` x `height` inches, not registered with pyplot. Used by every lesson's pictures."""
    return _Figure(figsize=(width, height), layout=layout, dpi=dpi)


def figure_to_png(fig, dpi=None):
    """The figure rendered as PNG bytes, at the figure's own dpi unless told. Used by viz.LiveLossPlot (00, 06)."""
    dpi = dpi or fig.dpi
    buffer = io.BytesIO()
    # no bbox_inches="tight": constrained layout (or draw_graph's exact sizing) already fits everything, and
    # trimming would draw the figure twice
    fig.savefig(buffer, format="png", dpi=dpi, facecolor="white")
    return buffer.getvalue()


def png_base64(fig):
    """The figure as a base64 PNG string, the form notebook outputs store (the widgets of lessons 01, 04, 07)."""
    return base64.b64encode(figure_to_png(fig)).decode("ascii")


def display_data(fig):
    """The figure as a notebook output's (data, metadata). Used by every figure and widget the lessons show.

    Every picture the lessons show fits a column (MAX_WIDTH); one wider still (a graph of 140 Values) is marked
    "unconfined": it scrolls instead of shrinking to illegible.
    """
    width = fig.get_size_inches()[0]
    data = {"image/png": png_base64(fig), "text/plain": f"<Figure {width:.0f} inches wide>"}
    return data, ({"image/png": {"unconfined": True}} if width * fig.dpi > MAX_WIDTH * DPI + 0.5 else None)


def token_label(token):
    """A token string fit for a tick label: BOS becomes BOS_SYMBOL, a space '␣'. Used in lessons 04-07."""
    return BOS_SYMBOL if token in ("<BOS>", "BOS", BOS_SYMBOL) else ("␣" if token == " " else token)


def token_labels(tokenizer, ids):
    """Tick labels for a list of token ids. Used in lesson 07."""
    return [token_label(tokenizer.token_name(i)) for i in ids]


def fmt_number(x, precision=4):
    """A compact number: 0.8814, -1.5, 2, 1e-05. Used by draw_graph and the backprop stepper (lesson 01)."""
    return f"{x:.{precision}g}"


def as_floats(xs):
    """Plain floats from a list of numbers or Values: the pictures of lessons 03-07 take either."""
    return [float(getattr(x, "data", x)) for x in xs]
