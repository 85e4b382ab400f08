"""Widgets, driven from Python as a click would drive them: each control changes what the output shows."""

import base64
import random
import struct

import pytest

from microgpt import GPT, GPTConfig, Tokenizer, Value, viz, widgets

LETTERS = Tokenizer(list("abcdefghijklmnopqrstuvwxyz"))


@pytest.fixture(scope="module")
def model():
    """An untrained model of the reference's shape over a-z (its weights do not matter here)."""
    return GPT(GPTConfig(vocab_size=LETTERS.vocab_size), random.Random(42))


@pytest.fixture(scope="module")
def small_model():
    """A smaller untrained model with a short block, so that sampling in tests is quick."""
    return GPT(GPTConfig(vocab_size=LETTERS.vocab_size, n_embd=8, n_head=2, block_size=8), random.Random(0))


def images(output):
    """The PNGs an Output widget shows (base64 strings)."""
    return [o["data"]["image/png"] for o in output.outputs if "image/png" in o.get("data", {})]


def widths(output):
    """The width in pixels of each picture an Output widget shows (a notebook column is 900 px on a laptop)."""
    return [struct.unpack(">I", base64.b64decode(png)[16:20])[0] for png in images(output)]


def texts(output):
    """The plain text an Output widget shows."""
    return " ".join(o["data"]["text/plain"] for o in output.outputs if "image/png" not in o.get("data", {}))


def expression():
    """L = (a*b + c) * f with labels: the worked example of lesson 1 (7 Values, 3 operations)."""
    a, b, c, f = Value(2.0, label="a"), Value(-3.0, label="b"), Value(10.0, label="c"), Value(-2.0, label="f")
    e = a * b
    e.label = "e"
    d = e + c
    d.label = "d"
    out = d * f
    out.label = "L"
    return out


# --- backprop stepper -----------------------------------------------------------------------------------

def test_stepper_buttons_and_slider_change_the_picture_and_the_caption():
    stepper = widgets.backprop_stepper(expression())
    assert stepper.slider.max == 3 and "Step 0 of 3" in stepper.caption.value
    first = images(stepper.output)
    assert len(first) == 1
    stepper.next_button.click()
    assert stepper.slider.value == 1 and "Step 1 of 3" in stepper.caption.value
    assert "d.grad += -2 × 1" in stepper.caption.value and "f.grad += 4 × 1" in stepper.caption.value
    assert images(stepper.output) != first
    stepper.slider.value = 3
    assert "Every gradient is now known" in stepper.caption.value
    stepper.next_button.click()  # past the end: stays at the last step
    assert stepper.slider.value == 3
    stepper.prev_button.click()
    assert stepper.slider.value == 2
    stepper.go(-5)
    assert stepper.slider.value == 0 and images(stepper.output) == first


def test_stepper_ends_with_backwards_gradients_and_leaves_the_graph_alone():
    out = expression()
    stepper = widgets.backprop_stepper(out)
    stepper.slider.value = stepper.slider.max
    assert all(v.grad == 0 for v in out.topological_order())  # the learner's .grad is untouched
    replayed = stepper.grads_at(stepper.slider.max)
    out.backward()
    assert {v.label: replayed[v] for v in out.topological_order()} == \
        {v.label: v.grad for v in out.topological_order()} == {"a": 6, "b": -4, "e": -2, "c": -2, "d": -2,
                                                               "f": 4, "L": 1}


def test_stepper_partial_gradients_accumulate_for_a_value_used_twice():
    x = Value(3.0, label="x")
    y = x * x + x  # x feeds two operations: its grad arrives in two parts
    stepper = widgets.backprop_stepper(y)
    grads = [stepper.grads_at(k)[x] for k in range(stepper.slider.max + 1)]
    assert grads == [0, 1, 7]


def test_stepper_refuses_a_graph_too_big_to_draw():
    big = sum(Value(float(i)) for i in range(200))
    with pytest.raises(viz.GraphTooLargeError):
        widgets.backprop_stepper(big)


# --- attention explorer ---------------------------------------------------------------------------------

def test_explorer_redraws_for_a_new_name_and_a_new_head(model):
    explorer = widgets.attention_explorer(model, LETTERS, initial_name="emma")
    emma = images(explorer.output)
    assert len(emma) == 1
    explorer.name.value = "olivia"
    olivia = images(explorer.output)
    assert len(olivia) == 1 and olivia != emma
    explorer.head.value = 3
    assert images(explorer.output) not in ([], olivia)
    explorer.head.value = "all"
    assert len(images(explorer.output)) == 1


@pytest.mark.parametrize("name, message", [
    ("Emma!", "not in the vocabulary"),
    ("abcdefghijklmnopqrstuvwxyz", "at most 15"),
    ("   ", "Type a name"),
])
def test_explorer_answers_bad_names_with_a_message_not_an_error(model, name, message):
    explorer = widgets.attention_explorer(model, LETTERS)
    explorer.name.value = name
    assert images(explorer.output) == [] and message in texts(explorer.output)
    explorer.name.value = "ava"  # and it recovers
    assert len(images(explorer.output)) == 1


# --- temperature sampler --------------------------------------------------------------------------------

def test_sampler_button_draws_names_and_slider_redraws_the_chart(small_model):
    sampler = widgets.temperature_sampler(small_model, LETTERS, rng=random.Random(0), num_samples=3)
    chart = images(sampler.output)
    assert len(chart) == 1 and "Press" in texts(sampler.output)
    sampler.sample_button.click()
    assert len(sampler.samples) == 3 and "at temperature 0.50" in texts(sampler.output)
    assert sampler.samples[0] in texts(sampler.output)
    sampler.slider.value = 1.5
    assert images(sampler.output) != chart
    assert "press sample" in texts(sampler.output)  # the names shown were drawn at the old temperature


def test_sampler_is_greedy_at_zero_and_reproducible_with_a_seed(small_model):
    sampler = widgets.temperature_sampler(small_model, LETTERS, rng=random.Random(0), num_samples=3, temperature=0.0)
    sampler.sample_button.click()
    assert len(set(sampler.samples)) == 1
    assert sum(sampler.first_probs(0.0)) == 1 and max(sampler.first_probs(0.0)) == 1
    assert sum(sampler.first_probs(0.7)) == pytest.approx(1.0)
    again = widgets.temperature_sampler(small_model, LETTERS, rng=random.Random(0), num_samples=3)
    other = widgets.temperature_sampler(small_model, LETTERS, rng=random.Random(0), num_samples=3)
    again.sample_button.click()
    other.sample_button.click()
    assert again.samples == other.samples


# --- every toy's picture fits a notebook column 900 px wide ---------------------------------------------

def test_the_stepper_graph_fits_at_every_step():
    stepper = widgets.backprop_stepper(expression())  # lesson 01's worked example
    for k in range(len(stepper.steps) + 1):
        stepper.go(k)
        assert widths(stepper.output) and max(widths(stepper.output)) <= 900


@pytest.mark.parametrize("name", ["emma", "abcdefghijklmno"])  # lesson 04's start, and the longest name allowed
def test_the_explorer_picture_fits_for_one_head_and_for_all(model, name):
    explorer = widgets.attention_explorer(model, LETTERS, initial_name=name)
    for head in [0, 3, "all"]:
        explorer.head.value = head
        assert len(widths(explorer.output)) == 1 and widths(explorer.output)[0] <= 900


def test_the_sampler_chart_fits_with_all_27_bars(model, monkeypatch):
    drawn = []
    plot_probs = viz.plot_probs
    monkeypatch.setattr(viz, "plot_probs", lambda *args, **kwargs: drawn.append(plot_probs(*args, **kwargs))
                        or drawn[-1])
    sampler = widgets.temperature_sampler(model, LETTERS, rng=random.Random(0), num_samples=2)
    for temperature in (0.0, 0.5, 2.0):
        sampler.slider.value = temperature
        assert widths(sampler.output) and widths(sampler.output)[0] <= 900
    assert len(drawn) == 4 and all(len(fig.axes[0].get_xticklabels()) == 27 for fig in drawn)  # every bar
