"""Probability distributions as bars: the next character (lessons 05 and 07), and histograms of numbers."""

import math

from ..i18n import N_
from .fonts import figure_text
from .style import BLUE, INK, LABEL, MAX_WIDTH, ORANGE, TICK, TITLE, as_floats, new_figure, token_labels

# the default titles and labels, in English here and translated when drawn
NEXT_CHARACTER, TEMPERATURE_1 = N_("probability of the next character"), N_("temperature 1")
HISTOGRAM, VALUE = N_("histogram"), N_("value")


def plot_probs(probs, tokenizer, title=NEXT_CHARACTER, top=None, mark=None, baseline=None,
               baseline_label=TEMPERATURE_1):
    """The next-token distribution as bars, one per token of the vocabulary (or the `top` most likely).

    `probs` are floats or Values in token-id order; `mark` is a token id to draw in orange (e.g. the truth);
    `baseline` another distribution drawn as outlines, for comparison. Used in lessons 05 and 07.
    """
    probs = as_floats(probs)
    ids = list(range(len(probs)))
    if top:
        ids = sorted(ids, key=lambda i: -probs[i])[:top]
    fig = new_figure(min(MAX_WIDTH, max(6.0, 0.36 * len(ids) + 2.0)), 4.2)  # 27 bars: 9 inches, labels at 12 pt
    ax = fig.add_subplot()
    ax.bar(range(len(ids)), [probs[i] for i in ids], color=[ORANGE if i == mark else BLUE for i in ids])
    if baseline is not None:
        baseline = as_floats(baseline)
        ax.bar(range(len(ids)), [baseline[i] for i in ids], fill=False, edgecolor=INK, lw=1.5, ls="--",
               label=figure_text(baseline_label))
        ax.legend(fontsize=TICK - 1, loc="upper right")
        probs = probs + baseline  # so that the y range fits both
    ax.set_xticks(range(len(ids)), token_labels(tokenizer, ids), fontsize=TICK)
    slot = (fig.get_size_inches()[0] - 1.0) / len(ids)  # inches per bar, less the y axis's labels
    for tick in ax.get_xticklabels():
        if len(tick.get_text()) * 0.62 * TICK / 72 > slot:  # ⟨BOS⟩ among 27 bars: stand it up, not overlap
            tick.set_rotation(90)
    ax.set_xlim(-0.7, len(ids) - 0.3)
    ax.set_ylim(0, max(0.05, max(probs) * 1.12))
    ax.tick_params(axis="y", labelsize=TICK)
    ax.set_xlabel(figure_text("next character"), fontsize=LABEL)
    ax.set_ylabel(figure_text("probability"), fontsize=LABEL)
    ax.set_title(figure_text(title), fontsize=TITLE)
    ax.grid(axis="y", alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    return fig


def plot_hist(values, bins=40, title=HISTOGRAM, xlabel=VALUE):
    """A histogram of numbers or Values (weights, gradients, activations), with their mean and spread.

    No lesson needs it yet: it is there for your own look at a model's weights or gradients after lesson 06.
    """
    xs = as_floats(values)
    fig = new_figure(8, 4.2)
    ax = fig.add_subplot()
    ax.hist(xs, bins=bins, color=BLUE, edgecolor="white")
    mean = sum(xs) / len(xs) if xs else 0.0
    std = math.sqrt(sum((x - mean) ** 2 for x in xs) / len(xs)) if xs else 0.0
    ax.set_title(figure_text("{title}  (n = {n:,}, mean {mean:.3g}, std {std:.3g})").format(
        title=figure_text(title), n=len(xs), mean=mean, std=std), fontsize=TITLE)
    ax.set_xlabel(figure_text(xlabel), fontsize=LABEL)
    ax.set_ylabel(figure_text("count"), fontsize=LABEL)
    ax.tick_params(labelsize=TICK)
    ax.spines[["top", "right"]].set_visible(False)
    return fig
