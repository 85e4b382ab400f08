"""Toys for the notebooks, made of plain ipywidgets: a backprop stepper, an attention explorer, a sampler.

Each toy is a VBox of ordinary controls (buttons, sliders, a text box) above an Output area. Their controls
are attributes (`slider`, `next_button`, `output`, ...), so Python code and tests can drive them exactly as a
click does. Each redraw writes the Output's `outputs` directly, so it works with or without a running kernel.
"""

import html
import random

import ipywidgets as widgets

from . import viz
from .errors import MicrogptError
from .i18n import _, tr
from .model import attention_maps
from .sample import generate, token_probs
from .viz.fonts import figure_text
from .viz.graph_layout import children_of, local_grads_of


def _figure(fig):
    """A notebook output holding the figure as a PNG, as a notebook would show it."""
    data, metadata = viz.display_data(fig)
    return {"output_type": "display_data", "metadata": metadata or {}, "data": data}


def _text(markup, plain=None):
    """A notebook output holding a line of HTML (and a plain-text version for consoles)."""
    return {"output_type": "display_data", "metadata": {},
            "data": {"text/html": markup, "text/plain": plain or html.unescape(markup)}}


def _message(text):
    """A friendly message in place of a picture, for input the toy cannot use."""
    return _text(f'<p style="color:{viz.RED}; font-size:1.1em">{html.escape(text)}</p>', text)


def _show(output, *items):
    """Replace what `output` shows with `items` (figures become PNGs, strings become messages)."""
    output.outputs = tuple(_figure(item) if hasattr(item, "savefig") else item for item in items)


def _name(v):
    """How a Value is called in a caption: its label, or its data in brackets."""
    return html.escape(v.label) if v.label else f"[{viz.fmt_number(v.data)}]"


class BackpropStepper(widgets.VBox):
    """Walk through backward() one node at a time, in reverse topological order, with the graph redrawn.

    It never changes the graph's own `.grad`: it computes the gradients in a dict of its own, replaying the
    chain-rule updates of the first k steps on every redraw, in exactly the order backward() uses them, so
    that after the last step the numbers shown are those value.backward() would give. Used in lesson 01.
    """

    def __init__(self, value, max_nodes=150):
        """Prepare the steps of `value`'s graph; graphs larger than `max_nodes` are refused at once."""
        viz.check_drawable(value, max_nodes)
        self.value = value
        self.nodes = value.topological_order()
        self.steps = [v for v in reversed(self.nodes) if children_of(v)]  # leaves have nothing to pass on
        self.slider = widgets.IntSlider(value=0, min=0, max=len(self.steps), description=_("step"),
                                        continuous_update=False)
        self.prev_button = widgets.Button(description=_("◀ back"), tooltip=_("undo the last step"))
        self.next_button = widgets.Button(description=_("next ▶"), tooltip=_("process the next node"),
                                          button_style="primary")
        self.caption = widgets.HTML()
        self.output = widgets.Output()
        super().__init__([widgets.HBox([self.prev_button, self.slider, self.next_button]), self.caption,
                          self.output])
        self.slider.observe(lambda change: self.redraw(), names="value")
        self.prev_button.on_click(lambda button: self.go(self.slider.value - 1))
        self.next_button.on_click(lambda button: self.go(self.slider.value + 1))
        self.redraw()

    def go(self, k):
        """Jump to step `k` (clamped to the first and last step)."""
        self.slider.value = max(0, min(len(self.steps), k))

    def grads_at(self, k):
        """The gradients known after the first `k` steps, as a dict {Value: grad}."""
        grads = {v: 0 for v in self.nodes}
        grads[self.value] = 1  # d(output)/d(output): where backward starts
        for node in self.steps[:k]:
            for child, local_grad in zip(children_of(node), local_grads_of(node)):
                grads[child] += local_grad * grads[node]
        return grads

    def redraw(self):
        """Draw the graph at the slider's step, the processed node in orange and its inputs in blue."""
        k, n = self.slider.value, len(self.steps)
        grads = self.grads_at(k)
        if k == 0:
            marks = {self.value: viz.ORANGE}
            self.caption.value = tr("<b>Step 0 of {n}.</b> Before backward every grad is 0; backward starts by "
                                    "setting the output's grad to 1 (d output / d output = 1). Press next ▶.", n=n)
        else:
            node = self.steps[k - 1]
            marks = {child: viz.BLUE for child in children_of(node)}
            marks[node] = viz.ORANGE
            g = viz.fmt_number(grads[node])
            update = _("<li>{child}.grad += {local} × {g}, so it is now {grad}</li>")
            updates = "".join(update.format(child=_name(child), local=viz.fmt_number(local), g=g,
                                            grad=viz.fmt_number(grads[child]))
                              for child, local in zip(children_of(node), local_grads_of(node)))
            done = _(" <b>Every gradient is now known.</b>") if k == n else ""
            self.caption.value = tr("<b>Step {k} of {n}:</b> the <code>{op}</code> node {node} passes its grad {g} "
                                    "back to its inputs: each input's grad += local derivative × {g} (the chain "
                                    "rule).{done}<ul>{updates}</ul>", k=k, n=n, op=html.escape(node.op),
                                    node=_name(node), g=g, done=done, updates=updates)
        _show(self.output, viz.draw_graph(self.value, highlight=marks, grads=grads, max_nodes=len(self.nodes)))


def backprop_stepper(value, max_nodes=150):
    """A BackpropStepper for the graph of `value`. Used in lesson 01."""
    return BackpropStepper(value, max_nodes=max_nodes)


class AttentionExplorer(widgets.VBox):
    """Type a name, pick a layer and a head, and see where each position of the name looks. Used in lesson 04."""

    def __init__(self, model, tokenizer, initial_name="emma"):
        """Controls for the name, layer and head, above the heatmap."""
        self.model, self.tokenizer, self._maps = model, tokenizer, {}
        c = model.config
        self.name = widgets.Text(value=initial_name, description=_("name"), continuous_update=True)
        self.layer = widgets.Dropdown(options=list(range(c.n_layer)), value=0, description=_("layer"))
        self.head = widgets.Dropdown(options=[(str(h), h) for h in range(c.n_head)] + [(_("all"), "all")], value=0,
                                     description=_("head"))
        self.output = widgets.Output()
        super().__init__([widgets.HBox([self.name, self.layer, self.head]), self.output])
        for control in (self.name, self.layer, self.head):
            control.observe(lambda change: self.redraw(), names="value")
        self.redraw()

    def maps(self, name):
        """The attention maps of BOS + `name` (computed once per name)."""
        if name not in self._maps:
            ids = [self.tokenizer.bos] + self.tokenizer.encode(name)
            self._maps = {name: (ids, attention_maps(self.model, ids))}  # keep one: names come and go
        return self._maps[name]

    def redraw(self):
        """Show the heatmap of the chosen head (or every head), or say what is wrong with the name."""
        name, limit = self.name.value.strip(), self.model.config.block_size - 1
        if not name:
            return _show(self.output, _message(_("Type a name to see where the model looks.")))
        if len(name) > limit:
            return _show(self.output, _message(tr("'{name}' has {n} characters; the model reads at most {limit} "
                                                  "after BOS (its block size is {block_size}).", name=name,
                                                  n=len(name), limit=limit, block_size=limit + 1)))
        try:
            ids, maps = self.maps(name)
        except MicrogptError as err:
            return _show(self.output, _message(tr("{error}. Try a name made of these characters.", error=err)))
        tokens = [self.tokenizer.token_name(i) for i in ids]
        if self.head.value == "all":
            title = figure_text("attention over {name}").format(name=viz.BOS_SYMBOL + name)
            fig = viz.plot_attention_grid(maps, tokens, title=title)
        else:
            layer, head = self.layer.value, self.head.value
            title = figure_text("layer {layer}, head {head}").format(layer=layer, head=head)
            fig = viz.plot_attention(maps[layer][head], tokens, title=title)
        _show(self.output, fig)


def attention_explorer(model, tokenizer, initial_name="emma"):
    """An AttentionExplorer for `model`. Used in lesson 04."""
    return AttentionExplorer(model, tokenizer, initial_name=initial_name)


class TemperatureSampler(widgets.VBox):
    """A temperature slider and a sample button: new names, and the distribution of their first letter.

    Used in lesson 07.
    """

    def __init__(self, model, tokenizer, rng=None, num_samples=10, temperature=0.5, max_temperature=2.0):
        """Controls above the samples and the chart; `rng` defaults to random.Random(42)."""
        self.model, self.tokenizer, self.num_samples = model, tokenizer, num_samples
        self.rng = rng if rng is not None else random.Random(42)
        keys, values = model.new_cache()
        self.first_logits = [logit.data for logit in model(tokenizer.bos, 0, keys, values)]
        self.samples, self.samples_temperature = [], None
        self.slider = widgets.FloatSlider(value=temperature, min=0.0, max=max_temperature, step=0.05,
                                          description=_("temperature"), readout_format=".2f",
                                          continuous_update=False, style={"description_width": "initial"})
        self.sample_button = widgets.Button(description=tr("sample {n} names", n=num_samples),
                                            button_style="primary")
        self.output = widgets.Output()
        super().__init__([widgets.HBox([self.slider, self.sample_button]), self.output])
        self.slider.observe(lambda change: self.redraw(), names="value")
        self.sample_button.on_click(lambda button: self.sample())
        self.redraw()

    def first_probs(self, temperature):
        """The probability of each first character at `temperature` (0: all on the most likely one)."""
        return token_probs(self.first_logits, temperature)

    def sample(self):
        """Draw new names at the slider's temperature and show them."""
        temperature = self.slider.value
        try:
            self.samples = [generate(self.model, self.tokenizer, self.rng, temperature=temperature)
                            for _i in range(self.num_samples)]
        except MicrogptError as err:
            return _show(self.output, _message(str(err)))
        self.samples_temperature = temperature
        self.redraw()

    def redraw(self):
        """Show the latest samples and the first-character chart at the slider's temperature."""
        temperature = self.slider.value
        if self.samples:
            empty = _("<i>(empty)</i>")
            names = ", ".join(html.escape(s) if s else empty for s in self.samples)
            stale = ("" if self.samples_temperature == temperature else
                     _(" (press sample for names at the new temperature)"))
            line = tr("<p><b>at temperature {temperature:.2f}:</b> {names}{stale}</p>",
                      temperature=self.samples_temperature, names=names, stale=stale)
        else:
            line = _("<p>Press <b>sample</b> to draw names at this temperature.</p>")
        fig = viz.plot_probs(self.first_probs(temperature), self.tokenizer, baseline=self.first_probs(1.0),
                             title=figure_text("the first character at temperature {temperature:.2f}").format(
                                 temperature=temperature))
        _show(self.output, _text(line), fig)


def temperature_sampler(model, tokenizer, rng=None, num_samples=10, temperature=0.5):
    """A TemperatureSampler for `model`. Used in lesson 07."""
    return TemperatureSampler(model, tokenizer, rng=rng, num_samples=num_samples, temperature=temperature)
