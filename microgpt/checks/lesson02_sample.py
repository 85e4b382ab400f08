"""Checks for lesson 02, "Making up names": drawing a token from a row of counts, and a whole name."""

import random

from ..data import Tokenizer
from ..i18n import N_, _, tr
from .common import add_hints, call, exercise, fail, ok

__all__ = ["check_sample_from_row", "check_sample_name"]


@exercise("02-sample")
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
             _("Return the index of the token you drew, not its count: draw from the indices 0 to len(row) - 1, "
               "with the counts as weights."))
    if set(draws) != {2}:
        fail(tr("sample_from_row({row}, Random(seed)) for seeds 0 to 19: only token 2 has a count, so every draw "
                "must be 2; you drew {drawn}.", row=row, drawn=sorted(set(draws))),
             _("Weight each index by its count: rng.choices draws with weights (its `weights=` argument)."))
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
        hint = (_("You always pick the most frequent token: that is greedy decoding, not sampling; draw at "
                  "random with the counts as weights.") if share == 0 else
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


@exercise("02-sample-name", needs=[("sample_from_row", check_sample_from_row)])
def check_sample_name(sample_name):
    """sample_name(counts, tokenizer, rng) must write one name, from BOS to the next BOS, with rng (lesson 02)."""
    tok = _ab_tokenizer()
    counts = [[0, 1, 0],  # after a: always b
              [0, 0, 1],  # after b: always BOS
              [1, 0, 0]]  # after BOS: always a
    what = _("sample_name(counts, tokenizer, rng) with a table where BOS -> a -> b -> BOS always")
    got = call(sample_name, counts, tok, random.Random(0))
    if isinstance(got, list):
        fail(tr("{what} returned the list {got!r}, not a string.", what=what, got=got),
             _("Turn the token ids into text with tokenizer.decode before returning them."))
    if not isinstance(got, str):
        fail(tr("{what} returned {got!r}, not a string.", what=what, got=got), _("Return the name as a str."))
    mistakes = {
        "b": _("The first letter is drawn from the row of token 0 ('a'): a name starts from BOS, tokenizer.bos."),
        "a": _("The name lost its last letter: append each token you draw (unless it is BOS), not the token you "
               "drew it from."),
        "ba": _("You drew from a column of counts: the row counts[current] holds what follows the current token."),
        "": _("The name came back empty: keep drawing, appending each token, until the token drawn is BOS."),
    }
    if got != "ab":
        fail(tr("{what} returned {got!r}, expected 'ab'.", what=what, got=got),
             mistakes.get(got, _("Start at BOS; draw the next token from the row of the current one; stop when BOS "
                                 "comes up; return the letters drawn before it.")))
    counts = [[1, 1, 2],  # after a: a, b or BOS
              [1, 1, 2],  # after b: the same
              [1, 1, 0]]  # after BOS: a or b
    names = [call(sample_name, counts, tok, random.Random(seed)) for seed in range(200)]
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


HINTS = {
    "02-sample": (
        N_("Draw a token at random, each as likely as its count says: a count of 3 is three times as likely as 1."),
        N_("P(token i) = row[i] / sum(row): exactly what weighted drawing does."),
        N_("return rng.choices(<the token ids, 0 to len(row) - 1>, weights=...)[0]"),
    ),
    "02-sample-name": (
        N_("Write the name one token at a time: start at BOS, draw what follows the current token, and stop when "
           "the model draws BOS again."),
        N_("token = BOS; repeat: token = a draw from counts[token]; stop at BOS; keep every letter drawn before it."),
        N_("token, out = tokenizer.bos, []; while True: token = sample_from_row(...); if token == ...: return "
           "tokenizer.decode(out); out.append(...)"),
    ),
}
add_hints(HINTS)
