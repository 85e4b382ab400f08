"""Checks for lesson 02: data and tokens."""

import math

from ..data import Tokenizer
from ..i18n import N_, _, tr
from ..value import Value
from .common import (
    add_hints,
    call,
    close,
    exercise,
    fail,
    ok,
)
from .lesson02_sample import check_sample_from_row, check_sample_name
from .recap import check_recap

__all__ = ["check_bigram_nll", "check_count_bigrams", "check_encode_doc", "check_recap_02", "check_sample_from_row",
           "check_sample_name", "check_vocab"]


@exercise("02-vocab")
def check_vocab(build_vocab):
    """build_vocab(docs) must be the sorted list of the distinct characters in the documents (lesson 02)."""
    docs = ["emma", "olivia", "ava"]
    got = call(build_vocab, docs)
    if not isinstance(got, list):
        fail(tr("build_vocab({docs}) should return a list, but it returned a {kind} ({got!r}).", docs=docs,
                kind=type(got).__name__, got=got),
             _("sorted(...) gives a list."))
    if any(not isinstance(ch, str) or len(ch) != 1 for ch in got):
        fail(tr("build_vocab({docs}) returned {got!r}: each entry should be ONE character.", docs=docs, got=got),
             _("Glue the documents together into one string first, and take the characters of that string."))
    if len(got) != len(set(got)):
        fail(tr("build_vocab({docs}) returned {got!r}, which has repeats.", docs=docs, got=got),
             _("Each character should appear once: a set keeps one of each."))
    pangram = ["the", "quick", "brown", "fox", "jumps", "over", "the", "lazy", "dog"]
    got = call(build_vocab, pangram)
    if isinstance(got, list) and sorted(got) == list("abcdefghijklmnopqrstuvwxyz") and got != sorted(got):
        fail(tr("build_vocab({docs}) returned the 26 letters in the order {order!r}.", docs=pangram,
                order="".join(got)),
             _("Sort them. A token id is a character's position in this list, so the order must not depend on "
               "chance (a set's order does)."))
    for case in (docs, pangram):
        want = Tokenizer.from_docs(case).chars
        got = call(build_vocab, case)
        if got != want:
            fail(tr("build_vocab({docs}) returned {got!r}, expected {want!r}.", docs=case, got=got, want=want),
                 _("The sorted list of the distinct characters of all the documents."))
    ok(_("the vocabulary of ['emma', 'olivia', 'ava'] is ['a', 'e', 'i', 'l', 'm', 'o', 'v']"))


@exercise("02-encode")
def check_encode_doc(encode_doc):
    """encode_doc(doc, chars) must be [BOS] + the characters' ids + [BOS], with BOS = len(chars) (lesson 02)."""
    for doc, chars in [("emma", list("abcdefghijklmnopqrstuvwxyz")), ("cab", list("abc")), ("", list("ab"))]:
        want = Tokenizer(chars).encode_doc(doc)
        got = call(encode_doc, doc, chars)
        what = tr("encode_doc({doc!r}, chars) with {n_chars} characters", doc=doc, n_chars=len(chars))
        if not isinstance(got, list):
            fail(tr("{what} should return a list of ids, but it returned {got!r}.", what=what, got=got),
                 _("Return a list of ints."))
        if got == want:
            continue
        bos = len(chars)
        inner = [chars.index(ch) for ch in doc]
        message = tr("{what} gave {got}, expected {want}.", what=what, got=got, want=want)
        if got == [bos] + inner:
            fail(message, _("BOS also ENDS the document. It is how the model learns to stop: add BOS at the end "
                            "too."))
        if got == inner + [bos]:
            fail(message, _("The document must also START with BOS, the token every name is predicted from."))
        if got == inner:
            fail(message, tr("Put BOS (the id {bos}, one past the last character) at both ends.", bos=bos))
        if got[1:-1] == inner and got[:1] == got[-1:] != [bos]:
            fail(message, tr("BOS is the id after the last character, the number of characters ({bos}), not "
                             "{first}.", bos=bos, first=got[0]))
        if got[1:-1] == [i + 1 for i in inner]:
            fail(message, _("A character's id is its position in chars, counting from 0 ('a' is 0 in the full "
                            "alphabet)."))
        fail(message, _("BOS, then each character's position in chars, then BOS."))
    ok(_("encode_doc('emma') = [26, 4, 12, 12, 0, 26]: BOS, e, m, m, a, BOS"))


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


@exercise("02-count")
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
         _("Rows and columns are swapped. The row is the CURRENT token and the column the NEXT one: when b "
           "follows a, add one to row a, column b.")),
        (_count(docs, tok, lambda ids: zip(ids[1:-1], ids[2:-1])),
         _("The bigrams with BOS are missing (the first letter follows BOS, BOS follows the last letter): count "
           "over tokenizer.encode_doc(doc), which puts BOS at both ends, not tokenizer.encode(doc).")),
        (_count(docs, tok, lambda ids: [(ids[i], ids[i + 1]) for i in range(len(ids) - 2)]),
         _("The last bigram of every document (last letter -> BOS) is missing, but the first is there: your "
           "loop stops one pair too early. A document of n ids has n - 1 bigrams; zip(ids, ids[1:]) gives them "
           "all.")),
        (_count(docs, tok, lambda ids: [(ids[i], ids[i + 1]) for i in range(1, len(ids) - 1)]),
         _("The first bigram of every document (BOS -> first letter) is missing: your loop starts one pair too "
           "late. A document of n ids has n - 1 bigrams, starting at position 0.")),
    ]
    for wrong, hint in mistakes:
        if got == wrong:
            fail(message, hint)
    if got[0] == got[1] == got[2]:
        fail(tr("{what} gave {got}, expected {want}. All rows are equal.", what=what, got=got, want=want),
             _("[[0] * V] * V makes V references to ONE list, so adding to one row adds to all: build each row "
               "anew, one new list per row (a list comprehension)."))
    fail(message, _("For each document, go over its pairs of neighbours in tokenizer.encode_doc(doc) and add one "
                    "to the count of (current, next)."))


@exercise("02-nll")
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
        (-want, _("It is negative: a log-probability is <= 0, and the loss is MINUS the log-probability.")),
        (want * len(logs), _("That is the total over all 9 bigrams; divide by their number to get the mean.")),
        (-sum(sum(d) / len(d) for d in per_doc) / 3,
         _("That is the mean of each document's mean. Average over every bigram of every document instead: "
           "one total, divided by the number of bigrams, so long names count for more bigrams.")),
        (-(logs[1] + logs[6] + logs[7]) / 3,
         _("The bigrams with BOS are missing (BOS -> first letter, last letter -> BOS): go through "
           "tokenizer.encode_doc(doc), which has BOS at both ends, not tokenizer.encode(doc).")),
        (-sum(logs[:2] + logs[3:4] + logs[5:8]) / 6,
         _("The bigrams ending in BOS are missing (the prediction that the name is over): BOS goes at the "
           "end of every document too.")),
        (-sum(math.log(c) for c in (3, 2, 2, 3, 1, 3, 2, 1, 2)) / 9,
         _("You took the log of the counts. A probability is a count divided by the total of its row (the "
           "row of the current token).")),
        (want * len(logs) / len(docs),
         _("You divided by the number of documents (3). The mean is over the bigrams: divide the total by "
           "how many bigrams you added up (9 here), counting them as you go.")),
    ]
    message = tr("{what} with counts {counts} is {got:.4f}, expected {want:.4f}.", what=what, counts=counts,
                 got=got, want=want)
    for wrong, hint in mistakes:
        if close(got, wrong):
            fail(message, hint)
    fail(message,
         _("Work it by hand: (rows and columns a, b, BOS) the 9 bigrams BOS a b BOS | BOS a BOS | BOS a b b BOS "
           "have probabilities 1, 2/3, 2/3 | 1, 1/3 | 1, 2/3, 1/3, 2/3; the answer is the mean of their -log."))


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
            hint = _("You divided by a COLUMN's total. P(next = b | current = a) divides by the total of the "
                     "current token's ROW.")
        fail(tr("bigram_nll(['ab', 'ba'], tokenizer, counts) with counts {counts} (made from other names) gave "
                "{got:.4f}, expected {want:.4f}.", counts=counts, got=got, want=want), hint)


# --- the recap ---

# question: (answer, tolerance, the section to reread)
RECAP_02 = {
    1: (3, 0, N_("BOS, the boundary token")),
    2: (5, 0, N_("The bigram model: counting what follows what")),
    3: (0.75, 0.005, N_("Making up names")),
    4: (2 * math.log(2), 0.005, N_("From counts to probabilities, and the loss")),
    5: (0.25, 0.005, N_("From counts to probabilities, and the loss")),
    6: (0.2, 0.005, N_("From counts to probabilities, and the loss (smoothing)")),
}


@exercise("02-recap")
def check_recap_02(answers):
    """The recap of lesson 02: answers = {question number: a number}, questions 1 to 6 (lesson 02)."""
    check_recap(answers, RECAP_02, "02")


HINTS = {
    "02-vocab": (
        N_("The vocabulary is every character that occurs anywhere in the names, each once, in a fixed order."),
        N_("vocab = sorted(the set of the characters of all the documents glued together)."),
        N_("return sorted(set(<one string made of all docs>)): ''.join(...) glues a list of strings."),
    ),
    "02-encode": (
        N_("A training sequence is the name's characters as ids, wrapped in the special token BOS at both ends."),
        N_("ids = [BOS] + [position of each character in chars] + [BOS], with BOS = len(chars)."),
        N_("bos = len(chars); return [bos] + [chars.index(...) for ch in doc] + [...]"),
    ),
    "02-count": (
        N_("Walk over every pair of neighbours (current, next) of every encoded document and tally it."),
        N_("counts[current][next] += 1 for each neighbouring pair of tokenizer.encode_doc(doc)."),
        N_("counts = [[0] * V for _ in range(V)]; for doc in docs: ids = ...; for a, b in zip(ids, ids[1:]): ..."),
    ),
    "02-nll": (
        N_("Score every bigram by how surprised the counts are by it, -log P(next | current), and average."),
        N_("P(b | a) = counts[a][b] / (total of row a); loss = (sum of -log P over all bigrams) / (number of "
           "bigrams)."),
        N_("total, n = 0.0, 0; for each doc, for a, b in zip(ids, ids[1:]): total -= math.log(...); n += 1; "
           "return total / n"),
    ),
    "02-recap": (
        N_("Each answer is a number: work it out by hand, or with a line of code in a new cell (the lesson's "
           "functions and microgpt.Tokenizer are there to try)."),
        N_("BOS is the id after the last character; a name of n letters gives n + 1 bigrams; P = count / row total; "
           "the loss is the mean of -log p, and exp(-loss) undoes the mean of the logs."),
        N_("answers = {1: <an id>, 2: <a count>, 3: <a probability>, 4: <nats>, 5: <a probability>, "
           "6: <a probability>}"),
    ),
}
add_hints(HINTS)
