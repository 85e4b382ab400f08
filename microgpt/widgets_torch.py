"""A sampler toy for lesson 09, in lesson 07's style: temperature, top-k and top-p sliders over a GPT2 model.

Like the toys of `microgpt.widgets` it is a VBox of plain ipywidgets controls above an Output area; its
controls are attributes (`temperature`, `top_k`, `top_p`, `sample_button`, `output`), so code and tests can
drive it exactly as a click does. Used in lesson 09.
"""

import html
import random

import ipywidgets as widgets
import torch

from . import viz
from .i18n import _, tr
from .torch_gpt2 import next_probs, sample
from .viz.fonts import figure_text
from .widgets import _show, _text


class FilterSampler(widgets.VBox):
    """Temperature, top-k and top-p sliders; the first letter's distribution before and after; names. Lesson 09."""

    def __init__(self, model, tokenizer, rng=None, num_samples=10):
        """Controls above the chart and the samples; `rng` defaults to random.Random(42)."""
        self.model, self.tokenizer, self.num_samples = model, tokenizer, num_samples
        self.rng = rng if rng is not None else random.Random(42)
        model.eval()
        with torch.no_grad():
            self.first_logits = model(torch.tensor([[tokenizer.bos]]))[0, -1]
        vocab = tokenizer.vocab_size
        style = {"description_width": "initial"}
        self.temperature = widgets.FloatSlider(value=1.0, min=0.1, max=2.0, step=0.05, description=_("temperature"),
                                               continuous_update=False, style=style)
        self.top_k = widgets.IntSlider(value=vocab, min=1, max=vocab, description="top-k", continuous_update=False,
                                       style=style)
        self.top_p = widgets.FloatSlider(value=1.0, min=0.05, max=1.0, step=0.05, description="top-p",
                                         continuous_update=False, style=style)
        self.sample_button = widgets.Button(description=tr("sample {n} names", n=num_samples),
                                            button_style="primary")
        self.output = widgets.Output()
        self.samples, self.samples_settings = [], None
        super().__init__([widgets.HBox([self.temperature, self.top_k, self.top_p]), self.sample_button,
                          self.output])
        for slider in (self.temperature, self.top_k, self.top_p):
            slider.observe(lambda change: self.redraw(), names="value")
        self.sample_button.on_click(lambda button: self.sample())
        self.redraw()

    def settings(self):
        """(temperature, top_k, top_p) as the sliders say."""
        return self.temperature.value, self.top_k.value, self.top_p.value

    def first_probs(self):
        """The probability of each first letter with the sliders' settings."""
        temperature, top_k, top_p = self.settings()
        return next_probs(self.first_logits, temperature, top_k, top_p).tolist()

    def sample(self):
        """Draw new names with the sliders' settings and show them."""
        temperature, top_k, top_p = self.settings()
        self.samples = [sample(self.model, self.tokenizer, self.rng, temperature, top_k, top_p)
                        for _i in range(self.num_samples)]
        self.samples_settings = self.settings()
        self.redraw()

    def redraw(self):
        """Show the latest samples and the first letter's distribution, filtered and not."""
        temperature, top_k, top_p = self.settings()
        probs = self.first_probs()
        kept = sum(p > 0 for p in probs)
        if self.samples:
            empty = _("<i>(empty)</i>")
            names = ", ".join(html.escape(s) if s else empty for s in self.samples)
            t, k, p = self.samples_settings
            stale = "" if self.samples_settings == self.settings() else _(" (press sample for the new settings)")
            line = tr("<p><b>temperature {t:.2f}, top-k {k}, top-p {p:.2f}:</b> {names}{stale}</p>", t=t, k=k, p=p,
                      names=names, stale=stale)
        else:
            line = _("<p>Press <b>sample</b> to draw names with these settings.</p>")
        full = next_probs(self.first_logits, temperature).tolist()
        fig = viz.plot_probs(probs, self.tokenizer, baseline=full, baseline_label=figure_text("no filter"),
                             title=figure_text("the first letter: {kept} of {n} tokens can still be drawn").format(
                                 kept=kept, n=len(probs)))
        _show(self.output, _text(line), fig)


def filter_sampler(model, tokenizer, rng=None, num_samples=10):
    """A FilterSampler for a torch_gpt2.GPT2 `model`. Lesson 09."""
    return FilterSampler(model, tokenizer, rng=rng, num_samples=num_samples)
