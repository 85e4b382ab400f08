"""Checks of lesson 07: the build: generating a name, and the novelty of the samples (07-build-generate, 07-novelty)."""

import random

from ...i18n import N_, _, tr
from ..exercise import Edit, exercise
from ..failure import call, fail, ok
from ..numbers import expect_number
from .tokens import _check_block_size_stop, _check_reference_names, check_sample_token

MODEL_READS_MOST_BLOCK = N_(
    "The model reads at most block_size = {block_size} positions: stop the loop there even "
    "if BOS was never drawn (loop over the positions 0 to block_size - 1).")
BOS_MARKS_END_NAME = N_(
    "BOS marks the end of the name and is not part of it: when it is drawn, stop without "
    "adding it.")
BREAK_OUT_LOOP_SOON = N_("Break out of the loop as soon as the token drawn is BOS.")
DRAW_TOKEN_RANDOM_SAMPLE = N_(
    "Draw each token at random with sample_token(logits, temperature, rng), not the most "
    "likely one.")
FEED_TOKEN_DREW_BACK = N_(
    "Feed the token you drew back in at the next position (pos + 1), with ONE keys/values "
    "cache for the whole name, made before the loop: that cache is how each position sees the "
    "letters before it.")


@exercise(
    "07-build-generate", needs=[("sample_token", check_sample_token)], stars=3, minutes=20, build=True,
    hints=(
        N_("Start from BOS, feed each drawn token back in at the next position, and stop at BOS or at the block "
           "size."),
        N_("for pos in 0 .. block_size - 1: logits = model(token, pos, cache); token = sample_token(...); stop if "
           "token is BOS; else keep its letter."),
        N_("def generate_name(model, tokenizer, rng, temperature): keys, values = model.new_cache(); token_id = "
           "tokenizer.bos; for pos_id in range(model.config.block_size): ...; if token_id == tokenizer.bos: break; "
           "letters.append(...); after the loop return \"\".join(letters)"),
    ),
    wrong=[
        ("def generate_name(model, tokenizer, rng, temperature):\n"
         "    keys, values = model.new_cache()\n"
         "    token_id, letters = tokenizer.bos, []\n"
         "    for pos_id in range(model.config.block_size):\n"
         "        logits = model(token_id, pos_id, keys, values)\n"
         "        token_id = sample_token(logits, temperature, rng)\n"
         "        letters.append(tokenizer.decode([token_id]))\n"
         "    return \"\".join(letters)",
         BREAK_OUT_LOOP_SOON),
        ("def generate_name(model, tokenizer, rng, temperature):\n"
         "    keys, values = model.new_cache()\n"
         "    token_id, letters = tokenizer.bos, []\n"
         "    for pos_id in range(model.config.block_size):\n"
         "        logits = model(token_id, pos_id, keys, values)\n"
         "        token_id = sample_token(logits, temperature, rng)\n"
         "        letters.append(tokenizer.token_name(token_id))\n"
         "        if token_id == tokenizer.bos:\n"
         "            break\n"
         "    return \"\".join(letters)",
         BOS_MARKS_END_NAME),
        (Edit("    keys, values = model.new_cache()\n"
              "    token_id, letters = tokenizer.bos, []\n"
              "    for pos_id in range(model.config.block_size):",
              "    token_id, letters = tokenizer.bos, []\n"
              "    for pos_id in range(model.config.block_size):\n"
              "        keys, values = model.new_cache()"),
         FEED_TOKEN_DREW_BACK),
        ("def generate_name(model, tokenizer, rng, temperature):\n"
         "    keys, values = model.new_cache()\n"
         "    token_id, letters, pos_id = tokenizer.bos, [], 0\n"
         "    while True:\n"
         "        logits = model(token_id, pos_id, keys, values)\n"
         "        token_id = sample_token(logits, temperature, rng)\n"
         "        if token_id == tokenizer.bos:\n"
         "            break\n"
         "        letters.append(tokenizer.chars[token_id])\n"
         "        pos_id += 1\n"
         "    return \"\".join(letters)",
         MODEL_READS_MOST_BLOCK),
        (Edit("    keys, values = model.new_cache()\n"
              "    token_id, letters = tokenizer.bos, []\n"
              "    for pos_id in range(model.config.block_size):\n"
              "        logits = model(token_id, pos_id, keys, values)\n"
              "        token_id = sample_token(logits, temperature, rng)",
              "    keys, values = model.new_cache()\n"
              "    token_id, letters = tokenizer.bos, []\n"
              "    for pos_id in range(model.config.block_size):\n"
              "        logits = model(token_id, pos_id, keys, values)\n"
              "        token_id = max(range(len(logits)), key=lambda j: logits[j].data)"),
         DRAW_TOKEN_RANDOM_SAMPLE),
    ],
)
def check_generate_name(generate_name):
    """generate_name(model, tokenizer, rng, temperature) must write the names microgpt.generate writes (lesson 07)."""
    from ...errors import MicrogptError
    from ...sample import generate
    from ...weights import load_pretrained

    model, tok = load_pretrained()
    errors = {
        IndexError: _("BOS (id 26) is the last id and has no character: when the token drawn is BOS, stop "
                      "(break) before looking a character up."),
        MicrogptError: tr(MODEL_READS_MOST_BLOCK,
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
                     _(BOS_MARKS_END_NAME))
            if got.startswith(want):
                fail(tr("{what}: yours goes on where BOS was drawn.", what=what),
                     _(BREAK_OUT_LOOP_SOON))
            if got == generate(model, tok, None, temperature=0):
                fail(tr("{what}: yours is the greedy name, the same at every call.", what=what),
                     _(DRAW_TOKEN_RANDOM_SAMPLE))
            if got[:1] == want[:1]:
                fail(tr("{what}: the first letters agree, then they part.", what=what),
                     _(FEED_TOKEN_DREW_BACK))
            fail(tr("{what}.", what=what), _("Start from BOS at position 0 with a fresh cache, and draw each token "
                                             "with sample_token(logits, temperature, rng)."))
    _check_block_size_stop(generate_name, model, tok, generate, errors)
    _check_reference_names(generate_name, model, tok, errors)
    ok(_("8 names drawn at temperatures 0.5 and 1 are the very ones microgpt.generate writes, the block size "
         "stops a name, and the reference's random stream gives kamon, ann, karai"))


SHARE_COPIES_SAMPLES_TRAINING = N_(
    "That is the share of COPIES (samples that are training names); novelty is the share of "
    "samples that are NOT training names.")
COUNTED_NEW_NAME_ONCE = N_(
    "You counted each new name once (zyx, qq, lo), but there are 6 new samples: count every "
    "sample, repeats included, and divide by the number of samples.")
MADE_SET_SAMPLES_FIRST = N_(
    "You made a set of the samples first: the question is what share of the samples DRAWN are "
    "new, so every draw counts, repeats included.")


@exercise(
    "07-novelty", stars=1, minutes=5,
    hints=(
        N_("How many of the names the model wrote are new, i.e. not copied from the training names?"),
        N_("novelty = (number of samples not in the training names, repeats counted) / (number of samples)."),
        N_("known = set(training_names); return sum(name not in known for name in samples) / ..."),
    ),
    wrong=[
        ("known = set(training_names)\n"
         "return sum(name in known for name in samples) / len(samples)",
         SHARE_COPIES_SAMPLES_TRAINING),
        ("return len(set(samples) - set(training_names)) / len(samples)", COUNTED_NEW_NAME_ONCE),
        ("return len(set(samples) - set(training_names)) / len(set(samples))", MADE_SET_SAMPLES_FIRST),
    ],
)
def check_novelty(novelty):
    """novelty(samples, training_names): the share of samples (repeats counted) not in training_names (lesson 07)."""
    samples = ["anna", "zyx", "zyx", "zyx", "qq", "emma", "qq", "lo"]
    names = ["anna", "bob", "emma"]
    what = f"novelty({samples}, {names})"
    got = call(novelty, samples, names)
    expect_number(got, 0.75, what, [
        (0.25, _(SHARE_COPIES_SAMPLES_TRAINING)),
        (3 / 8, _(COUNTED_NEW_NAME_ONCE)),
        (3 / 5, _(MADE_SET_SAMPLES_FIRST)),
        (6, _("That is the number of new samples; divide it by the number of samples to get a share.")),
        (75, _("Return a share between 0 and 1 (0.75), not a percentage.")),
    ], otherwise=_("6 of the 8 samples are not in the training names, so the answer is 6 / 8."))
    for case, want in [((["anna", "emma"], names), 0.0), ((["x", "y"], names), 1.0),
                       ((samples, set(names)), 0.75), ((samples, tuple(names)), 0.75)]:
        expect_number(call(novelty, *case), want, f"novelty{case}",
                      otherwise=_("It should work whether the training names come as a list, a set or a tuple."))
    ok(_("6 of the 8 samples are new: novelty 0.75 (repeats count every time)"))
