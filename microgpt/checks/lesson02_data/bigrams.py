"""Checks of lesson 02: counting bigrams and their loss (02-count, 02-nll)."""

import math

from ...data import Tokenizer
from ...i18n import N_, _, tr
from ...value import Value
from ..exercise import Edit, exercise
from ..failure import call, fail, ok
from ..numbers import close
from .recap import DIVIDED_COLUMN_TOTAL_P, _check_nll_other_counts


def _two_letter_case():
    """Three tiny documents over the letters a and b (BOS = 2), and their bigram counts worked by hand."""
    docs = ["ab", "a", "abb"]  # BOS a b BOS | BOS a BOS | BOS a b b BOS
    counts = [[0, 2, 1],  # after a: b twice, BOS once
              [0, 1, 2],  # after b: b once, BOS twice
              [3, 0, 0]]  # after BOS: a three times (every name starts with a)
    return docs, Tokenizer(["a", "b"]), counts


def _count(docs, tok, pairs):
    """Bigram counts of `docs` made from the id pairs `pairs(ids)` picks, to recognise a learner's slip."""
    counts = [[0] * tok.vocab_size for _ in range(tok.vocab_size)]
    for doc in docs:
        for a, b in pairs(tok.encode_doc(doc)):
            counts[a][b] += 1
    return counts


ROWS_COLUMNS_SWAPPED_ROW = N_(
    "Rows and columns are swapped. The row is the CURRENT token and the column the NEXT one: when b "
    "follows a, add one to row a, column b.")
BIGRAMS_BOS_MISSING_FIRST = N_(
    "The bigrams with BOS are missing (the first letter follows BOS, BOS follows the last letter): count "
    "over tokenizer.encode_doc(doc), which puts BOS at both ends, not tokenizer.encode(doc).")
LAST_BIGRAM_EVERY_DOCUMENT = N_(
    "The last bigram of every document (last letter -> BOS) is missing, but the first is there: your "
    "loop stops one pair too early. A document of n ids has n - 1 bigrams; zip(ids, ids[1:]) gives them "
    "all.")
V_V_MAKES_V = N_(
    "[[0] * V] * V makes V references to ONE list, so adding to one row adds to all: build each row "
    "anew, one new list per row (a list comprehension).")


@exercise(
    "02-count", stars=2, minutes=10,
    hints=(
        N_("Walk over every pair of neighbours (current, next) of every encoded document and tally it."),
        N_("counts[current][next] += 1 for each neighbouring pair of tokenizer.encode_doc(doc)."),
        N_("counts = [[0] * V for _ in range(V)]; for doc in docs: ids = ...; for a, b in zip(ids, ids[1:]): ..."),
    ),
    wrong=[
        (Edit("counts = [[0] * V for _ in range(V)]",
              "counts = [[0] * V] * V"),
         V_V_MAKES_V),
        (Edit("        counts[a][b] += 1",
              "        counts[b][a] += 1"),
         ROWS_COLUMNS_SWAPPED_ROW),
        (Edit("    ids = tokenizer.encode_doc(doc)",
              "    ids = tokenizer.encode(doc)"),
         BIGRAMS_BOS_MISSING_FIRST),
        (Edit("    for a, b in zip(ids, ids[1:]):\n"
              "        counts[a][b] += 1",
              "    for i in range(len(ids) - 2):\n"
              "        counts[ids[i]][ids[i + 1]] += 1"),
         LAST_BIGRAM_EVERY_DOCUMENT),
    ],
)
def check_count_bigrams(count_bigrams):
    """count_bigrams(docs, tokenizer) must give counts[a][b] = how often token b follows token a (lesson 02)."""
    docs, tok, want = _two_letter_case()
    got = call(count_bigrams, docs, tok)
    what = "count_bigrams(['ab', 'a', 'abb'], tokenizer) (a=0, b=1, BOS=2)"
    if not isinstance(got, list) or len(got) != 3 or any(not isinstance(row, list) or len(row) != 3
                                                           for row in got):
        fail(tr("{what} should be a 3 x 3 list of lists, got {got!r}.", what=what, got=got),
             _("Make vocab_size rows of vocab_size counts, one row per current token."))
    if got == want:
        ok(_("counts of ['ab', 'a', 'abb']: BOS->a 3 times, a->b twice, b->BOS twice, a->BOS and b->b once"))
        return
    message = tr("{what} gave {got}, expected {want}.", what=what, got=got, want=want)
    mistakes = [
        ([list(col) for col in zip(*want)],
         _(ROWS_COLUMNS_SWAPPED_ROW)),
        (_count(docs, tok, lambda ids: zip(ids[1:-1], ids[2:-1])),
         _(BIGRAMS_BOS_MISSING_FIRST)),
        (_count(docs, tok, lambda ids: [(ids[i], ids[i + 1]) for i in range(len(ids) - 2)]),
         _(LAST_BIGRAM_EVERY_DOCUMENT)),
        (_count(docs, tok, lambda ids: [(ids[i], ids[i + 1]) for i in range(1, len(ids) - 1)]),
         _("The first bigram of every document (BOS -> first letter) is missing: your loop starts one pair too "
           "late. A document of n ids has n - 1 bigrams, starting at position 0.")),
    ]
    for wrong, hint in mistakes:
        if got == wrong:
            fail(message, hint)
    if got[0] == got[1] == got[2]:
        fail(tr("{what} gave {got}, expected {want}. All rows are equal.", what=what, got=got, want=want),
             _(V_V_MAKES_V))
    fail(message, _("For each document, go over its pairs of neighbours in tokenizer.encode_doc(doc) and add one "
                    "to the count of (current, next)."))


NEGATIVE_LOG_PROBABILITY_LOSS = N_(
    "It is negative: a log-probability is <= 0, and the loss is MINUS the log-probability.")
TOTAL_OVER_BIGRAMS_DIVIDE = N_("That is the total over all 9 bigrams; divide by their number to get the mean.")
MEAN_DOCUMENT_MEAN_AVERAGE = N_(
    "That is the mean of each document's mean. Average over every bigram of every document instead: "
    "one total, divided by the number of bigrams, so long names count for more bigrams.")
TOOK_LOG_COUNTS_PROBABILITY = N_(
    "You took the log of the counts. A probability is a count divided by the total of its row (the "
    "row of the current token).")
DIVIDED_NUMBER_DOCUMENTS_MEAN = N_(
    "You divided by the number of documents (3). The mean is over the bigrams: divide the total by "
    "how many bigrams you added up (9 here), counting them as you go.")


@exercise(
    "02-nll", stars=2, minutes=10,
    hints=(
        N_("Score every bigram by how surprised the counts are by it, -log P(next | current), and average."),
        N_("P(b | a) = counts[a][b] / (total of row a); loss = (sum of -log P over all bigrams) / (number of "
           "bigrams)."),
        N_("total, n = 0.0, 0; for each doc, for a, b in zip(ids, ids[1:]): total -= math.log(...); n += 1; "
           "return total / n"),
    ),
    wrong=[
        (Edit("        total -= math.log(counts[a][b] / row_totals[a])",
              "        total += math.log(counts[a][b] / row_totals[a])"),
         NEGATIVE_LOG_PROBABILITY_LOSS),
        ("row_totals = [sum(row) for row in counts]\n"
         "per_doc = []\n"
         "for doc in docs:\n"
         "    ids = tokenizer.encode_doc(doc)\n"
         "    logs = [math.log(counts[a][b] / row_totals[a]) for a, b in zip(ids, ids[1:])]\n"
         "    per_doc.append(-sum(logs) / len(logs))\n"
         "return sum(per_doc) / len(per_doc)",
         MEAN_DOCUMENT_MEAN_AVERAGE),
        ("total, n = 0.0, 0\n"
         "for doc in docs:\n"
         "    ids = tokenizer.encode_doc(doc)\n"
         "    for a, b in zip(ids, ids[1:]):\n"
         "        total -= math.log(counts[a][b])\n"
         "        n += 1\n"
         "return total / n",
         TOOK_LOG_COUNTS_PROBABILITY),
        ("total = 0.0\n"
         "for doc in docs:\n"
         "    ids = tokenizer.encode_doc(doc)\n"
         "    for a, b in zip(ids, ids[1:]):\n"
         "        total -= math.log(counts[a][b] / sum(counts[a]))\n"
         "return total / len(docs)",
         DIVIDED_NUMBER_DOCUMENTS_MEAN),
        ("total, n = 0.0, 0\n"
         "for doc in docs:\n"
         "    ids = tokenizer.encode_doc(doc)\n"
         "    for a, b in zip(ids, ids[1:]):\n"
         "        total -= math.log(counts[a][b] / sum(row[b] for row in counts))\n"
         "        n += 1\n"
         "return total / n",
         DIVIDED_COLUMN_TOTAL_P),
        ("row_totals = [sum(row) for row in counts]\n"
         "total = 0.0\n"
         "for doc in docs:\n"
         "    ids = tokenizer.encode_doc(doc)\n"
         "    for a, b in zip(ids, ids[1:]):\n"
         "        total -= math.log(counts[a][b] / row_totals[a])\n"
         "return total",
         TOTAL_OVER_BIGRAMS_DIVIDE),
    ],
)
def check_bigram_nll(bigram_nll):
    """bigram_nll(docs, tokenizer, counts) must be the mean of -log P(next | current) over every bigram (lesson 02)."""
    docs, tok, counts = _two_letter_case()
    # probabilities per row: after a: b 2/3, BOS 1/3; after b: b 1/3, BOS 2/3; after BOS: a 1
    probs = [1, 2 / 3, 2 / 3,  # BOS a b BOS
             1, 1 / 3,  # BOS a BOS
             1, 2 / 3, 1 / 3, 2 / 3]  # BOS a b b BOS
    logs = [math.log(p) for p in probs]
    want = -sum(logs) / len(logs)
    got = call(bigram_nll, docs, tok, counts)
    what = _("bigram_nll on ['ab', 'a', 'abb']")
    if isinstance(got, Value):
        got = got.data
    if not isinstance(got, (int, float)):
        fail(tr("{what} should be a number, but it is a {kind} ({got!r}).", what=what, kind=type(got).__name__,
                got=got),
             _("Return one number."))
    if close(got, want):
        _check_nll_other_counts(bigram_nll, tok)
        ok(tr("the bigram NLL of ['ab', 'a', 'abb'] is {want:.4f} nats per token", want=want))
        return
    per_doc = [logs[0:3], logs[3:5], logs[5:9]]
    mistakes = [
        (-want, _(NEGATIVE_LOG_PROBABILITY_LOSS)),
        (want * len(logs), _(TOTAL_OVER_BIGRAMS_DIVIDE)),
        (-sum(sum(d) / len(d) for d in per_doc) / 3,
         _(MEAN_DOCUMENT_MEAN_AVERAGE)),
        (-(logs[1] + logs[6] + logs[7]) / 3,
         _("The bigrams with BOS are missing (BOS -> first letter, last letter -> BOS): go through "
           "tokenizer.encode_doc(doc), which has BOS at both ends, not tokenizer.encode(doc).")),
        (-sum(logs[:2] + logs[3:4] + logs[5:8]) / 6,
         _("The bigrams ending in BOS are missing (the prediction that the name is over): BOS goes at the "
           "end of every document too.")),
        (-sum(math.log(c) for c in (3, 2, 2, 3, 1, 3, 2, 1, 2)) / 9,
         _(TOOK_LOG_COUNTS_PROBABILITY)),
        (want * len(logs) / len(docs),
         _(DIVIDED_NUMBER_DOCUMENTS_MEAN)),
    ]
    message = tr("{what} with counts {counts} is {got:.4f}, expected {want:.4f}.", what=what, counts=counts,
                 got=got, want=want)
    for wrong, hint in mistakes:
        if close(got, wrong):
            fail(message, hint)
    fail(message,
         _("Work it by hand: (rows and columns a, b, BOS) the 9 bigrams BOS a b BOS | BOS a BOS | BOS a b b BOS "
           "have probabilities 1, 2/3, 2/3 | 1, 1/3 | 1, 2/3, 1/3, 2/3; the answer is the mean of their -log."))
