"""Checks for lesson 07: sampling."""

import random

from ..i18n import N_, _, tr
from ..value import Value
from .common import (
    add_hints,
    call,
    exercise,
    expect_number,
    fail,
    ok,
    to_values,
)
from .recap import check_recap

__all__ = ["check_generate_name", "check_greedy_token", "check_novelty", "check_recap_07", "check_sample_token"]

REFERENCE_FIRST = ["kamon", "ann", "karai"]  # the reference's first names: seed 42, temperature 0.5


def _draws(pick, numbers, temperature, seeds, errors=None):
    """The token drawn by pick(logits, temperature, rng) for each seed, with fresh logits and Random(seed)."""
    return [call(pick, to_values(numbers), temperature, random.Random(seed), errors=errors)
            for seed in seeds]


def _token_variant(kind):
    """A sample_token written right (kind 'right') or with one named mistake."""
    from ..sample import sample_next_token

    def pick(logits, temperature, rng):
        """Draw one token id."""
        if kind == "no-softmax":
            return rng.choices(range(len(logits)), weights=[lg.data / temperature for lg in logits])[0]
        scaled = {"right": [lg / temperature for lg in logits], "times": [lg * temperature for lg in logits],
                  "no-temperature": list(logits)}[kind]
        return sample_next_token([lg.data for lg in scaled], rng, 1)

    return pick


@exercise("07-token")
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
            "times": _("You MULTIPLIED the logits by the temperature; divide them: a temperature below 1 must "
                       "sharpen the distribution."),
            "no-temperature": _("The temperature made no difference: divide every logit by it before the "
                                "softmax."),
            "no-softmax": _("You used the scaled logits themselves as weights: turn them into probabilities "
                            "with softmax first (a logit can be negative; a probability cannot)."),
        }
        differ = tr("with the logits {numbers} at temperature {temperature}, your draws (seeds 0 to 199) differ "
                    "from microgpt's.", **what)
        for kind, hint in hints.items():
            if got == _draws(_token_variant(kind), numbers, temperature, seeds):
                fail(differ, hint)
        fail(differ, _("Divide every logit by the temperature, take the softmax, and draw one id with "
                       "rng.choices, the probabilities' .data as weights."))
    ok(_("200 draws at temperatures 0.5, 1 and 2 match microgpt's sampler draw for draw"))


@exercise("07-build-generate", needs=[("sample_token", check_sample_token)])
def check_generate_name(generate_name):
    """generate_name(model, tokenizer, rng, temperature) must write the names microgpt.generate writes (lesson 07)."""
    from ..errors import MicrogptError
    from ..sample import generate
    from ..weights import load_pretrained

    model, tok = load_pretrained()
    errors = {
        IndexError: _("BOS (id 26) is the last id and has no character: when the token drawn is BOS, stop "
                      "(break) before looking a character up."),
        MicrogptError: tr("The model reads at most block_size = {block_size} positions: stop the loop there even "
                          "if BOS was never drawn (loop over the positions 0 to block_size - 1).",
                          block_size=model.config.block_size),
    }
    for temperature, seed, count in [(0.5, 1, 5), (1.0, 2, 3)]:
        mine, ref = random.Random(seed), random.Random(seed)
        for i in range(count):
            want = generate(model, tok, ref, temperature)
            got = call(generate_name, model, tok, mine, temperature, errors=errors)
            if isinstance(got, list):
                fail(tr("generate_name returned a list ({got!r}).", got=got), _("Join the letters into one string."))
            if not isinstance(got, str):
                fail(tr("generate_name should return the name as a string, but it returned {got!r}.", got=got),
                     _("Return the letters joined into one string."))
            if got == want:
                continue
            what = tr("name {i} drawn with Random({seed}) at temperature {temperature} is {got!r}, but "
                      "microgpt.generate writes {want!r}", i=i + 1, seed=seed, temperature=temperature, got=got,
                      want=want)
            if "BOS" in got or "⟨" in got:
                fail(tr("{what}.", what=what),
                     _("BOS marks the end of the name and is not part of it: when it is drawn, stop without "
                       "adding it."))
            if got.startswith(want):
                fail(tr("{what}: yours goes on where BOS was drawn.", what=what),
                     _("Break out of the loop as soon as the token drawn is BOS."))
            if got == generate(model, tok, None, temperature=0):
                fail(tr("{what}: yours is the greedy name, the same at every call.", what=what),
                     _("Draw each token at random with sample_token(logits, temperature, rng), not the most "
                       "likely one."))
            if got[:1] == want[:1]:
                fail(tr("{what}: the first letters agree, then they part.", what=what),
                     _("Feed the token you drew back in at the next position (pos + 1), with ONE keys/values "
                       "cache for the whole name, made before the loop: that cache is how each position sees the "
                       "letters before it."))
            fail(tr("{what}.", what=what), _("Start from BOS at position 0 with a fresh cache, and draw each token "
                                             "with sample_token(logits, temperature, rng)."))
    _check_block_size_stop(generate_name, model, tok, generate, errors)
    _check_reference_names(generate_name, model, tok, errors)
    ok(_("8 names drawn at temperatures 0.5 and 1 are the very ones microgpt.generate writes, the block size "
         "stops a name, and the reference's random stream gives kamon, ann, karai"))


def _check_reference_names(generate_name, model, tok, errors):
    """From the reference's stream (seed 42: the shuffle, the initial weights), the first 3 names it writes."""
    from ..data import load_docs
    from ..model import GPT, GPTConfig

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


@exercise("07-greedy")
def check_greedy_token(greedy_token):
    """greedy_token(logits) must return the id of the largest logit (lesson 07)."""
    errors = {TypeError: _("Values cannot be compared: compare the numbers inside them (their .data).")}
    for numbers in ([0.1, 2.5, -1.0, 2.4], [-3.0, -1.0, -2.0, -5.0], [4.0, 1.0, 3.9], [0.0, 0.5, 1.0, 7.0]):
        want = numbers.index(max(numbers))
        got = call(greedy_token, to_values(numbers), errors=errors)
        what = f"greedy_token({numbers})"
        if isinstance(got, Value) or (isinstance(got, float) and got in numbers):
            fail(tr("{what} returned the largest logit itself ({got!r}).", what=what, got=got),
                 tr("Return its token id, the index {want}: take the max over the indices, comparing the logits' "
                    "numbers.", want=want))
        if isinstance(got, bool) or not isinstance(got, int):
            fail(tr("{what} should return a token id (an int), but it returned {got!r}.", what=what, got=got),
                 _("Return an index."))
        if got == numbers.index(min(numbers)):
            fail(tr("{what} is {got}, the token with the SMALLEST logit.", what=what, got=got),
                 tr("Greedy picks the largest, {want}: max, not min.", want=want))
        if got != want:
            fail(tr("{what} is {got}, expected {want}.", what=what, got=got, want=want),
                 _("Return the index of the largest logit."))
    ok(_("greedy_token picks the index of the largest logit: no randomness at all"))


@exercise("07-novelty")
def check_novelty(novelty):
    """novelty(samples, training_names): the share of samples (repeats counted) not in training_names (lesson 07)."""
    samples = ["anna", "zyx", "zyx", "zyx", "qq", "emma", "qq", "lo"]
    names = ["anna", "bob", "emma"]
    what = f"novelty({samples}, {names})"
    got = call(novelty, samples, names)
    expect_number(got, 0.75, what, [
        (0.25, _("That is the share of COPIES (samples that are training names); novelty is the share of "
                 "samples that are NOT training names.")),
        (3 / 8, _("You counted each new name once (zyx, qq, lo), but there are 6 new samples: count every "
                  "sample, repeats included, and divide by the number of samples.")),
        (3 / 5, _("You made a set of the samples first: the question is what share of the samples DRAWN are "
                  "new, so every draw counts, repeats included.")),
        (6, _("That is the number of new samples; divide it by the number of samples to get a share.")),
        (75, _("Return a share between 0 and 1 (0.75), not a percentage.")),
    ], otherwise=_("6 of the 8 samples are not in the training names, so the answer is 6 / 8."))
    for case, want in [((["anna", "emma"], names), 0.0), ((["x", "y"], names), 1.0),
                       ((samples, set(names)), 0.75), ((samples, tuple(names)), 0.75)]:
        expect_number(call(novelty, *case), want, f"novelty{case}",
                      otherwise=_("It should work whether the training names come as a list, a set or a tuple."))
    ok(_("6 of the 8 samples are new: novelty 0.75 (repeats count every time)"))


HINTS = {
    "07-token": (
        N_("The temperature sharpens (below 1) or flattens (above 1) the distribution before we draw from it."),
        N_("probs = softmax(logits / temperature); draw id i with probability probs[i]."),
        N_("probs = softmax([l / temperature for l in logits]); return rng.choices(range(len(probs)), "
           "weights=[...])[0]"),
    ),
    "07-build-generate": (
        N_("Start from BOS, feed each drawn token back in at the next position, and stop at BOS or at the block "
           "size."),
        N_("for pos in 0 .. block_size - 1: logits = model(token, pos, cache); token = sample_token(...); stop if "
           "token is BOS; else keep its letter."),
        N_("def generate_name(model, tokenizer, rng, temperature): keys, values = model.new_cache(); token_id = "
           "tokenizer.bos; for pos_id in range(model.config.block_size): ...; if token_id == tokenizer.bos: break; "
           "letters.append(...); after the loop return \"\".join(letters)"),
    ),
    "07-greedy": (
        N_("Greedy decoding takes no chances: it always picks the most likely token."),
        N_("the id i whose logit (its .data) is the largest."),
        N_("return max(range(len(logits)), key=lambda i: ...)"),
    ),
    "07-novelty": (
        N_("How many of the names the model wrote are new, i.e. not copied from the training names?"),
        N_("novelty = (number of samples not in the training names, repeats counted) / (number of samples)."),
        N_("known = set(training_names); return sum(name not in known for name in samples) / ..."),
    ),
    "07-recap": (
        N_("Each question has a number, a letter or a short word as its answer: work it out by hand, or with a "
           "line of code in a new cell."),
        N_("The check names the section to reread for a wrong answer; numbers to 2 decimals are enough."),
        N_("answers = {1: \"<a letter>\", 2: <a number>, 3: <a number>, 4: <a number>, 5: \"<a letter>\"}"),
    ),
}


# --- the recap ---

RECAP_07 = {  # question: (answer, tolerance or None for a letter, the section to reread)
    1: ("c", None, N_("Drawing one token at a temperature")),
    2: (5, 0, N_("Writing a name, letter by letter")),
    3: (1, 0, N_("Greedy versus sampled")),
    4: (0.25, 0.005, N_("How many names are new?")),
    5: ("b", None, N_("The generation loop")),
}


@exercise("07-recap")
def check_recap_07(answers):
    """The recap of lesson 07: a dict {question number: answer} (lesson 07)."""
    check_recap(answers, RECAP_07, "07")


add_hints(HINTS)
