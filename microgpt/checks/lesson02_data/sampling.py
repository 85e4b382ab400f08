"""Checks of lesson 02: drawing a token from a row of counts, and a whole name (02-sample, 02-sample-name)."""

import random

from ...data import Tokenizer
from ...i18n import N_, _, tr
from ..exercise import Edit, exercise
from ..failure import call, fail, ok

RETURN_INDEX_TOKEN_DREW = N_(
    "Return the index of the token you drew, not its count: draw from the indices 0 to len(row) - 1, "
    "with the counts as weights.")
WEIGHT_INDEX_COUNT_RNG = N_(
    "Weight each index by its count: rng.choices draws with weights (its `weights=` argument).")
ALWAYS_PICK_MOST_FREQUENT = N_(
    "You always pick the most frequent token: that is greedy decoding, not sampling; draw at "
    "random with the counts as weights.")


@exercise(
    "02-sample", stars=1, minutes=5,
    hints=(
        N_("Draw a token at random, each as likely as its count says: a count of 3 is three times as likely as 1."),
        N_("P(token i) = row[i] / sum(row): exactly what weighted drawing does."),
        N_("return rng.choices(<the token ids, 0 to len(row) - 1>, weights=...)[0]"),
    ),
    wrong=[
        ("return row.index(max(row))", ALWAYS_PICK_MOST_FREQUENT),
        ("return rng.randrange(len(row))", WEIGHT_INDEX_COUNT_RNG),
        ("return rng.choices(row)[0]", RETURN_INDEX_TOKEN_DREW),
    ],
)
def check_sample_from_row(sample_from_row):
    """sample_from_row(row, rng) must draw index i with probability row[i] / sum(row), from `rng` (lesson 02)."""
    row = [0, 0, 5, 0]
    draws = [call(sample_from_row, row, random.Random(seed)) for seed in range(20)]
    if any(not isinstance(d, int) or isinstance(d, bool) for d in draws):
        fail(tr("sample_from_row([0, 0, 5, 0], rng) should return a token id (an int), but it returned "
                "{got!r}.", got=draws[0]),
             _("Return the index of the token drawn."))
    if any(not 0 <= d < len(row) for d in draws):
        fail(tr("sample_from_row({row}, rng) returned {drawn}, but the token ids of a row of 4 counts are 0 to 3.",
                row=row, drawn=sorted(set(draws))),
             _(RETURN_INDEX_TOKEN_DREW))
    if set(draws) != {2}:
        fail(tr("sample_from_row({row}, Random(seed)) for seeds 0 to 19: only token 2 has a count, so every draw "
                "must be 2; you drew {drawn}.", row=row, drawn=sorted(set(draws))),
             _(WEIGHT_INDEX_COUNT_RNG))
    row = [1, 3, 0, 0]
    rng = random.Random(0)
    draws = [call(sample_from_row, row, rng) for _draw in range(4000)]
    if any(not isinstance(d, int) or not 0 <= d < len(row) for d in draws):
        fail(tr("sample_from_row({row}, rng): every draw should be an index 0..{last}, but you returned {drawn}.",
                row=row, last=len(row) - 1, drawn=sorted(set(draws))),
             _("Return the index of the token drawn, not its count."))
    zero = sorted({d for d in draws if row[d] == 0})
    if zero:
        fail(tr("sample_from_row({row}, rng) drew token(s) {zero}, whose count is 0.", row=row, zero=zero),
             _("They never followed this token, so they must never be drawn. Pass the counts as weights, and "
               "return the index, not the count."))
    share = draws.count(0) / len(draws)
    if not 0.2 < share < 0.3:
        hint = (_(ALWAYS_PICK_MOST_FREQUENT) if share == 0 else
                _("Draw each index with probability count / total: pass the counts as the weights."))
        fail(tr("sample_from_row({row}, Random(0)): token 0 should come up in about 1 draw out of 4, but it came "
                "up in {share:.0%} of 4000 draws.", row=row, share=share), hint)
    again = [call(sample_from_row, row, random.Random(7)) for _draw in range(20)]
    if again != [call(sample_from_row, row, random.Random(7)) for _draw in range(20)]:
        fail(tr("sample_from_row({row}, Random(7)) twice gave different draws.", row=row),
             _("Use the `rng` you are given (rng.choices), not the module `random`, so that results can be "
               "reproduced."))
    ok(_("token 0 drawn about 25% of the time from the counts [1, 3, 0, 0], zero counts never"))


def _ab_tokenizer():
    """The letters a and b (ids 0 and 1) and BOS (id 2)."""
    return Tokenizer(["a", "b"])


FIRST_LETTER_DRAWN_FROM = N_(
    "The first letter is drawn from the row of token 0 ('a'): a name starts from BOS, tokenizer.bos.")
NAME_LOST_LAST_LETTER = N_(
    "The name lost its last letter: append each token you draw (unless it is BOS), not the token you "
    "drew it from.")
DREW_FROM_COLUMN_COUNTS = N_(
    "You drew from a column of counts: the row counts[current] holds what follows the current token.")
TURN_TOKEN_IDS_INTO = N_("Turn the token ids into text with tokenizer.decode before returning them.")


NAME_NEVER_ENDS = N_(
    "With this table a name ends after two letters (BOS -> a -> b -> BOS): draw each token from the row of the "
    "token drawn just before it, and stop as soon as BOS comes up.")


@exercise(
    "02-sample-name", needs=[("sample_from_row", check_sample_from_row)], stars=2, minutes=10,
    hints=(
        N_("Write the name one token at a time: start at BOS, draw what follows the current token, and stop when "
           "the model draws BOS again."),
        N_("token = BOS; repeat: token = a draw from counts[token]; stop at BOS; keep every letter drawn before it."),
        N_("token, out = tokenizer.bos, []; while True: token = sample_from_row(...); if token == ...: return "
           "tokenizer.decode(out); out.append(...)"),
    ),
    wrong=[
        (Edit("token, out = tokenizer.bos, []",
              "token, out = 0, []"),
         FIRST_LETTER_DRAWN_FROM),
        (Edit("        return tokenizer.decode(out)",
              "        return out"),
         TURN_TOKEN_IDS_INTO),
        ("token, out = tokenizer.bos, []\n"
         "while True:\n"
         "    nxt = sample_from_row(counts[token], rng)\n"
         "    if nxt == tokenizer.bos:\n"
         "        return tokenizer.decode(out)\n"
         "    out.append(token)\n"
         "    token = nxt",
         NAME_LOST_LAST_LETTER),
        (Edit("    token = sample_from_row(counts[token], rng)",
              "    token = sample_from_row([row[token] for row in counts], rng)"),
         DREW_FROM_COLUMN_COUNTS),
        ("token, out = tokenizer.bos, []\n"
         "while True:\n"
         "    drawn = sample_from_row(counts[tokenizer.bos], rng)\n"
         "    if drawn == tokenizer.bos:\n"
         "        return tokenizer.decode(out)\n"
         "    out.append(drawn)",
         NAME_NEVER_ENDS),
    ],
)
def check_sample_name(sample_name):
    """sample_name(counts, tokenizer, rng) must write one name, from BOS to the next BOS, with rng (lesson 02)."""
    tok = _ab_tokenizer()
    counts = [[0, 1, 0],  # after a: always b
              [0, 0, 1],  # after b: always BOS
              [1, 0, 0]]  # after BOS: always a
    what = _("sample_name(counts, tokenizer, rng) with a table where BOS -> a -> b -> BOS always")
    got = call(sample_name, counts, tok, random.Random(0), seconds=3, looping=_(NAME_NEVER_ENDS))
    if isinstance(got, list):
        fail(tr("{what} returned the list {got!r}, not a string.", what=what, got=got),
             _(TURN_TOKEN_IDS_INTO))
    if not isinstance(got, str):
        fail(tr("{what} returned {got!r}, not a string.", what=what, got=got), _("Return the name as a str."))
    mistakes = {
        "b": _(FIRST_LETTER_DRAWN_FROM),
        "a": _(NAME_LOST_LAST_LETTER),
        "ba": _(DREW_FROM_COLUMN_COUNTS),
        "": _("The name came back empty: keep drawing, appending each token, until the token drawn is BOS."),
    }
    if got != "ab":
        fail(tr("{what} returned {got!r}, expected 'ab'.", what=what, got=got),
             mistakes.get(got, _("Start at BOS; draw the next token from the row of the current one; stop when BOS "
                                 "comes up; return the letters drawn before it.")))
    counts = [[1, 1, 2],  # after a: a, b or BOS
              [1, 1, 2],  # after b: the same
              [1, 1, 0]]  # after BOS: a or b
    names = [call(sample_name, counts, tok, random.Random(seed), seconds=3, looping=_(NAME_NEVER_ENDS))
             for seed in range(200)]
    if any(not name or set(name) - {"a", "b"} for name in names):
        odd = next(name for name in names if not name or set(name) - {"a", "b"})
        fail(tr("sample_name with a table over a, b and BOS returned {odd!r}.", odd=odd),
             _("A name holds one letter or more (BOS never follows BOS here) and no BOS: decode what you drew."))
    if len(set(names)) < 10:
        fail(tr("sample_name with 200 different seeds wrote only {n_names} different names.",
                n_names=len(set(names))),
             _("Draw every token with the rng you are given (pass it on to sample_from_row)."))
    if names[:20] != [call(sample_name, counts, tok, random.Random(seed)) for seed in range(20)]:
        fail(_("sample_name with the same seed twice wrote different names."),
             _("Use only the rng you are given, so that a seed gives the same names every time."))
    ok(_("sample_name writes 'ab' from the table BOS -> a -> b -> BOS, and different names for different seeds"))
