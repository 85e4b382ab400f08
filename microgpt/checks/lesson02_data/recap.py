"""Checks of lesson 02: the recap (02-recap)."""

import math

from ...data import Tokenizer
from ...i18n import N_, _, tr
from ...value import Value
from ..exercise import Answers, exercise
from ..failure import call, fail
from ..numbers import close
from ..recap import REREAD_SECTIONS, check_recap, hashed_answer

# --- the recap ---

# question: (salted hash of the answer, tolerance or None for a letter, the section to reread); question 1's
# answer is computed, as the question asks it, by the package's own tokenizer
RECAP_02 = {
    1: (hashed_answer("02", 1, Tokenizer.from_docs(["bob", "cab"]).bos, 0), 0, N_("BOS, the boundary token")),
    2: ("77d89b67e60a18954f84894e43dd5ccd", 0, N_("The bigram model: counting what follows what")),
    3: ("4bbf6ec7b3ad354f87bf293dc5266c2d", 0.005, N_("Making up names")),
    4: ("80cb69bc46094f4264d0ace432e5fa10", 0.005, N_("From counts to probabilities, and the loss")),
    5: ("f87b8a9f3ab36651e034bf891cdf72ca", 0.005, N_("From counts to probabilities, and the loss")),
    6: ("f6fc735e5a91f0352a46e0503163d8eb", 0.005, N_("From counts to probabilities, and the loss (smoothing)")),
}


DIVIDED_COLUMN_TOTAL_P = N_(
    "You divided by a COLUMN's total. P(next = b | current = a) divides by the total of the "
    "current token's ROW.")


def _check_nll_other_counts(bigram_nll, tok):
    """Score names with counts made from OTHER names, where a row's total and a column's total differ.

    On the very names that were counted, every token is as often the current one as the next one, so
    dividing by a column's total instead of a row's gives the same average by coincidence; here it does not.
    """
    counts = [[1, 3, 2],  # after a: row total 6
              [2, 0, 1],  # after b: row total 3
              [1, 1, 0]]  # after BOS: row total 2
    docs = ["ab", "ba"]  # BOS a b BOS | BOS b a BOS
    probs = [1 / 2, 3 / 6, 1 / 3, 1 / 2, 2 / 3, 2 / 6]
    want = -sum(math.log(p) for p in probs) / len(probs)
    got = call(bigram_nll, docs, tok, counts)
    got = got.data if isinstance(got, Value) else got
    if not close(got, want):
        by_column = [1 / 4, 3 / 4, 1 / 3, 1 / 4, 2 / 4, 2 / 3]
        hint = _("P(next = b | current = a) is counts[a][b] divided by the total of row a.")
        if close(got, -sum(math.log(p) for p in by_column) / 6):
            hint = _(DIVIDED_COLUMN_TOTAL_P)
        fail(tr("bigram_nll(['ab', 'ba'], tokenizer, counts) with counts {counts} (made from other names) gave "
                "{got:.4f}, expected {want:.4f}.", counts=counts, got=got, want=want), hint)


@exercise(
    "02-recap", stars=1, minutes=5,
    hints=(
        N_("Each answer is a number: work it out by hand, or with a line of code in a new cell (the lesson's "
           "functions and microgpt.Tokenizer are there to try)."),
        N_("BOS is the id after the last character; a name of n letters gives n + 1 bigrams; P = count / row total; "
           "the loss is the mean of -log p, and exp(-loss) undoes the mean of the logs."),
        N_("answers = {1: <an id>, 2: <a count>, 3: <a probability>, 4: <nats>, 5: <a probability>, "
           "6: <a probability>}"),
    ),
    wrong=[
        (Answers({1: 0}), REREAD_SECTIONS),
        (Answers({1: 3, 2: 4, 5: 0.2917}), REREAD_SECTIONS),
        (Answers({1: 3, 4: 4.159, 6: 0.0}), REREAD_SECTIONS),
        (Answers({1: 3}), REREAD_SECTIONS),  # BOS as the last letter's id
    ],
)
def check_recap_02(answers):
    """The recap of lesson 02: answers = {question number: a number}, questions 1 to 6 (lesson 02)."""
    check_recap(answers, RECAP_02, "02")
