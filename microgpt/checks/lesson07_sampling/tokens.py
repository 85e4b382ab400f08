"""Checks of lesson 07: a token drawn at a temperature, and the greedy one (07-token, 07-greedy)."""

import random

from ...i18n import N_, _, tr
from ...value import Value
from ..exercise import exercise
from ..failure import call, fail, ok
from ..numbers import to_values

REFERENCE_FIRST = ["kamon", "ann", "karai"]  # the reference's first names: seed 42, temperature 0.5


def _draws(pick, numbers, temperature, seeds, errors=None):
    """The token drawn by pick(logits, temperature, rng) for each seed, with fresh logits and Random(seed)."""
    return [call(pick, to_values(numbers), temperature, random.Random(seed), errors=errors)
            for seed in seeds]


def _token_variant(kind):
    """A sample_token written right (kind 'right') or with one named mistake."""
    from ...sample import sample_next_token

    def pick(logits, temperature, rng):
        """Draw one token id."""
        if kind == "no-softmax":
            return rng.choices(range(len(logits)), weights=[lg.data / temperature for lg in logits])[0]
        scaled = {"right": [lg / temperature for lg in logits], "times": [lg * temperature for lg in logits],
                  "no-temperature": list(logits)}[kind]
        return sample_next_token([lg.data for lg in scaled], rng, 1)

    return pick


MULTIPLIED_LOGITS_TEMPERATURE_DIVIDE = N_(
    "You MULTIPLIED the logits by the temperature; divide them: a temperature below 1 must "
    "sharpen the distribution.")
TEMPERATURE_MADE_NO_DIFFERENCE = N_(
    "The temperature made no difference: divide every logit by it before the "
    "softmax.")
USED_SCALED_LOGITS_THEMSELVES = N_(
    "You used the scaled logits themselves as weights: turn them into probabilities "
    "with softmax first (a logit can be negative; a probability cannot).")


@exercise(
    "07-token", stars=2, minutes=5,
    hints=(
        N_("The temperature sharpens (below 1) or flattens (above 1) the distribution before we draw from it."),
        N_("probs = softmax(logits / temperature); draw id i with probability probs[i]."),
        N_("probs = softmax([l / temperature for l in logits]); return rng.choices(range(len(probs)), "
           "weights=[...])[0]"),
    ),
    wrong=[
        ("probs = softmax([logit * temperature for logit in logits])\n"
         "return rng.choices(range(len(probs)), weights=[p.data for p in probs])[0]",
         MULTIPLIED_LOGITS_TEMPERATURE_DIVIDE),
        ("return rng.choices(range(len(logits)), weights=[logit.data / temperature for logit in logits])[0]",
         USED_SCALED_LOGITS_THEMSELVES),
        ("probs = softmax(logits)\n"
         "return rng.choices(range(len(probs)), weights=[p.data for p in probs])[0]",
         TEMPERATURE_MADE_NO_DIFFERENCE),
    ],
)
def check_sample_token(sample_token):
    """sample_token(logits, temperature, rng) must draw from softmax(logits / temperature) (lesson 07)."""
    numbers, seeds = [2.0, 1.0, 0.1, -1.0, 0.5, 1.5], range(200)
    errors = {TypeError: _("rng.choices wants plain numbers as weights: pass [p.data for p in probs].")}
    first = call(sample_token, to_values(numbers), 0.5, random.Random(0), errors=errors)
    if isinstance(first, bool) or not isinstance(first, int):
        fail(tr("sample_token(logits, 0.5, Random(0)) should return a token id (an int), but it returned "
                "{first!r}.", first=first),
             _("Return the index drawn (rng.choices returns a list: take its one item)."))
    for temperature in (0.5, 2.0, 1.0):
        got = _draws(sample_token, numbers, temperature, seeds, errors)
        if got == _draws(_token_variant("right"), numbers, temperature, seeds):
            continue
        what = dict(numbers=numbers, temperature=temperature)
        if got != _draws(sample_token, numbers, temperature, seeds, errors):
            fail(tr("with the logits {numbers} at temperature {temperature}, your draws (seeds 0 to 199) change "
                    "when repeated with the same seeds.", **what),
                 _("Draw with the `rng` you are given (rng.choices), not the module `random`, so that a run can "
                   "be reproduced."))
        if set(got) == {numbers.index(max(numbers))}:
            fail(tr("with the logits {numbers} at temperature {temperature}, your draws (seeds 0 to 199) are "
                    "always token 0, the most likely one.", **what),
                 _("That is greedy decoding. Draw at random, with the probabilities as weights (rng.choices and "
                   "its `weights=`)."))
        hints = {
            "times": _(MULTIPLIED_LOGITS_TEMPERATURE_DIVIDE),
            "no-temperature": _(TEMPERATURE_MADE_NO_DIFFERENCE),
            "no-softmax": _(USED_SCALED_LOGITS_THEMSELVES),
        }
        differ = tr("with the logits {numbers} at temperature {temperature}, your draws (seeds 0 to 199) differ "
                    "from microgpt's.", **what)
        for kind, hint in hints.items():
            if got == _draws(_token_variant(kind), numbers, temperature, seeds):
                fail(differ, hint)
        fail(differ, _("Divide every logit by the temperature, take the softmax, and draw one id with "
                       "rng.choices, the probabilities' .data as weights."))
    ok(_("200 draws at temperatures 0.5, 1 and 2 match microgpt's sampler draw for draw"))


def _check_reference_names(generate_name, model, tok, errors):
    """From the reference's stream (seed 42: the shuffle, the initial weights), the first 3 names it writes."""
    from ...data import load_docs
    from ...model import GPT, GPTConfig

    rng = random.Random(42)
    rng.shuffle(load_docs())
    GPT(GPTConfig(vocab_size=tok.vocab_size), rng)
    got = [call(generate_name, model, tok, rng, 0.5, errors=errors) for _ in REFERENCE_FIRST]
    if got != REFERENCE_FIRST:
        fail(tr("from the reference's random stream (Random(42) after the shuffle and the initial weights), three "
                "calls at temperature 0.5 wrote {got!r}, expected {want!r}.", got=got, want=REFERENCE_FIRST),
             _("Draw from the rng you are given only, one token per position, and nothing else from it."))


class _NeverEnds:
    """The trained model with BOS made almost impossible: a name only ends at the block size."""

    def __init__(self, model, bos):
        self.model, self.bos, self.config = model, bos, model.config

    def new_cache(self):
        """The wrapped model's empty cache."""
        return self.model.new_cache()

    def __call__(self, token_id, pos_id, keys, values):
        """The wrapped model's logits, BOS pushed down by 1000."""
        logits = self.model(token_id, pos_id, keys, values)
        logits[self.bos] = logits[self.bos] - 1000
        return logits


def _check_block_size_stop(generate_name, model, tok, generate, errors):
    """With a model that never draws BOS, the name must stop at the block size, as microgpt.generate's does."""
    never = _NeverEnds(model, tok.bos)
    want = generate(never, tok, random.Random(3), 1.0)
    got = call(generate_name, never, tok, random.Random(3), 1.0, errors=errors)
    if got != want:
        fail(tr("with a model that never draws BOS, generate_name(model, tokenizer, Random(3), 1.0) gave {got!r}, "
                "expected the {n} letters {want!r}.", got=got, n=len(want), want=want),
             tr("Stop after block_size = {block_size} positions even if BOS never comes: the model cannot read "
                "further.", block_size=model.config.block_size))


VALUES_CANNOT_COMPARED_COMPARE = N_("Values cannot be compared: compare the numbers inside them (their .data).")
RETURN_TOKEN_ID_INDEX = N_(
    "Return its token id, the index {want}: take the max over the indices, comparing the logits' "
    "numbers.")
GREEDY_PICKS_LARGEST_MAX = N_("Greedy picks the largest, {want}: max, not min.")


@exercise(
    "07-greedy", stars=1, minutes=3,
    hints=(
        N_("Greedy decoding takes no chances: it always picks the most likely token."),
        N_("the id i whose logit (its .data) is the largest."),
        N_("return max(range(len(logits)), key=lambda i: ...)"),
    ),
    wrong=[
        ("return max(logit.data for logit in logits)", RETURN_TOKEN_ID_INDEX),
        ("return max(range(len(logits)), key=lambda i: logits[i])", VALUES_CANNOT_COMPARED_COMPARE),
        ("return min(range(len(logits)), key=lambda i: logits[i].data)", GREEDY_PICKS_LARGEST_MAX),
    ],
)
def check_greedy_token(greedy_token):
    """greedy_token(logits) must return the id of the largest logit (lesson 07)."""
    errors = {TypeError: _(VALUES_CANNOT_COMPARED_COMPARE)}
    for numbers in ([0.1, 2.5, -1.0, 2.4], [-3.0, -1.0, -2.0, -5.0], [4.0, 1.0, 3.9], [0.0, 0.5, 1.0, 7.0]):
        want = numbers.index(max(numbers))
        got = call(greedy_token, to_values(numbers), errors=errors)
        what = f"greedy_token({numbers})"
        if isinstance(got, Value) or (isinstance(got, float) and got in numbers):
            fail(tr("{what} returned the largest logit itself ({got!r}).", what=what, got=got),
                 tr(RETURN_TOKEN_ID_INDEX, want=want))
        if isinstance(got, bool) or not isinstance(got, int):
            fail(tr("{what} should return a token id (an int), but it returned {got!r}.", what=what, got=got),
                 _("Return an index."))
        if got == numbers.index(min(numbers)):
            fail(tr("{what} is {got}, the token with the SMALLEST logit.", what=what, got=got),
                 tr(GREEDY_PICKS_LARGEST_MAX, want=want))
        if got != want:
            fail(tr("{what} is {got}, expected {want}.", what=what, got=got, want=want),
                 _("Return the index of the largest logit."))
    ok(_("greedy_token picks the index of the largest logit: no randomness at all"))
