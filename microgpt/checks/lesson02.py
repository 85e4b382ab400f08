"""Checks for lesson 02: data and tokens."""

import math
import random

from ..data import Tokenizer
from ..value import Value
from .common import _call, _close, _fail, _ok


def check_vocab(build_vocab):
    """build_vocab(docs) must be the sorted list of the distinct characters in the documents."""
    docs = ["emma", "olivia", "ava"]
    got = _call(build_vocab, docs)
    if not isinstance(got, list):
        _fail(f"build_vocab should return a list, but it returned a {type(got).__name__} ({got!r}); "
              "sorted(...) gives a list")
    if any(not isinstance(ch, str) or len(ch) != 1 for ch in got):
        _fail(f"for {docs} you returned {got!r}: each entry should be ONE character. Glue the documents "
              "together with ''.join(docs) and take the characters of that string")
    if len(got) != len(set(got)):
        _fail(f"for {docs} you returned {got!r}, which has repeats: each character should appear once "
              "(a set keeps one of each)")
    pangram = ["the", "quick", "brown", "fox", "jumps", "over", "the", "lazy", "dog"]
    got = _call(build_vocab, pangram)
    if isinstance(got, list) and sorted(got) == list("abcdefghijklmnopqrstuvwxyz") and got != sorted(got):
        _fail(f"for a pangram you returned the 26 letters in the order {''.join(got)!r}: sort them. A token "
              "id is a character's position in this list, so the order must not depend on chance (a set's "
              "order does)")
    for case in (docs, pangram):
        want = Tokenizer.from_docs(case).chars
        got = _call(build_vocab, case)
        if got != want:
            _fail(f"for {case} expected {want!r}, got {got!r}")
    _ok("the vocabulary of ['emma', 'olivia', 'ava'] is ['a', 'e', 'i', 'l', 'm', 'o', 'v']")


def check_encode_doc(encode_doc):
    """encode_doc(doc, chars) must be [BOS] + the characters' ids + [BOS], with BOS = len(chars)."""
    for doc, chars in [("emma", list("abcdefghijklmnopqrstuvwxyz")), ("cab", list("abc")), ("", list("ab"))]:
        want = Tokenizer(chars).encode_doc(doc)
        got = _call(encode_doc, doc, chars)
        what = f"encode_doc({doc!r}, chars) with {len(chars)} characters"
        if not isinstance(got, list):
            _fail(f"{what} should return a list of ids, but it returned {got!r}")
        if got == want:
            continue
        bos = len(chars)
        inner = [chars.index(ch) for ch in doc]
        if got == [bos] + inner:
            _fail(f"{what} gave {got}, expected {want}: BOS also ENDS the document. It is how the model "
                  "learns to stop: add [BOS] at the end too")
        if got == inner + [bos]:
            _fail(f"{what} gave {got}, expected {want}: the document must also START with BOS, the token "
                  "every name is predicted from")
        if got == inner:
            _fail(f"{what} gave {got}, expected {want}: put BOS (id len(chars) = {bos}) at both ends")
        if got[1:-1] == inner and got[:1] == got[-1:] != [bos]:
            _fail(f"{what} gave {got}, expected {want}: BOS is the id after the last character, "
                  f"len(chars) = {bos}, not {got[0]}")
        if got[1:-1] == [i + 1 for i in inner]:
            _fail(f"{what} gave {got}, expected {want}: a character's id is its position in chars, "
                  "chars.index(ch), counting from 0 ('a' is 0 in the full alphabet)")
        _fail(f"{what} gave {got}, expected {want}")
    _ok("encode_doc('emma') = [26, 4, 12, 12, 0, 26]: BOS, e, m, m, a, BOS")


def _two_letter_case():
    """Three tiny documents over the letters a and b (BOS = 2), and their bigram counts worked by hand."""
    docs = ["ab", "a", "abb"]  # BOS a b BOS | BOS a BOS | BOS a b b BOS
    counts = [[0, 2, 1],  # after a: b twice, BOS once
              [0, 1, 2],  # after b: b once, BOS twice
              [3, 0, 0]]  # after BOS: a three times (every name starts with a)
    return docs, Tokenizer(["a", "b"]), counts


def check_count_bigrams(count_bigrams):
    """count_bigrams(docs, tokenizer) must give counts[a][b] = how often token b follows token a."""
    docs, tok, want = _two_letter_case()
    got = _call(count_bigrams, docs, tok)
    what = "count_bigrams(['ab', 'a', 'abb'], tokenizer) (a=0, b=1, BOS=2)"
    if not isinstance(got, list) or len(got) != 3 or any(not isinstance(row, list) or len(row) != 3
                                                           for row in got):
        _fail(f"{what} should be a 3 x 3 list of lists (vocab_size rows of vocab_size counts), got {got!r}")
    if got == want:
        _ok("counts of ['ab', 'a', 'abb']: BOS->a 3 times, a->b twice, b->BOS twice, a->BOS and b->b once")
        return
    if got == [list(col) for col in zip(*want)]:
        _fail(f"{what} gave {got}, expected {want}: rows and columns are swapped. The row is the CURRENT "
              "token and the column the NEXT one: counts[a][b] += 1 when b follows a")
    if got[0] == got[1] == got[2]:
        _fail(f"{what} gave {got}: all rows are equal. [[0] * V] * V makes V references to ONE list, so "
              "adding to one row adds to all; build each row anew: [[0] * V for _ in range(V)]")
    if got[2] == [0, 0, 0] or all(row[2] == 0 for row in got):
        _fail(f"{what} gave {got}, expected {want}: the bigrams with BOS are missing (the first letter "
              "follows BOS, BOS follows the last letter). Count over tokenizer.encode_doc(doc), not encode(doc)")
    _fail(f"{what} gave {got}, expected {want}")


def check_bigram_nll(bigram_nll):
    """bigram_nll(docs, tokenizer, counts) must be the mean of -log P(next | current) over every bigram."""
    docs, tok, counts = _two_letter_case()
    # probabilities per row: after a: b 2/3, BOS 1/3; after b: b 1/3, BOS 2/3; after BOS: a 1
    probs = [1, 2 / 3, 2 / 3,  # BOS a b BOS
             1, 1 / 3,  # BOS a BOS
             1, 2 / 3, 1 / 3, 2 / 3]  # BOS a b b BOS
    logs = [math.log(p) for p in probs]
    want = -sum(logs) / len(logs)
    got = _call(bigram_nll, docs, tok, counts)
    what = "bigram_nll on ['ab', 'a', 'abb']"
    if isinstance(got, Value):
        got = got.data
    if not isinstance(got, (int, float)):
        _fail(f"{what} should be a number, but it is a {type(got).__name__} ({got!r})")
    if _close(got, want):
        _check_nll_other_counts(bigram_nll, tok)
        _ok(f"the bigram NLL of ['ab', 'a', 'abb'] is {want:.4f} nats per token")
        return
    per_doc = [logs[0:3], logs[3:5], logs[5:9]]
    mistakes = [
        (-want, "It is negative: a log-probability is <= 0, and the loss is MINUS the log-probability."),
        (want * len(logs), "That is the total over all 9 bigrams; divide by their number to get the mean."),
        (-sum(sum(d) / len(d) for d in per_doc) / 3,
         "That is the mean of each document's mean. Average over every bigram of every document instead: "
         "one total, divided by the number of bigrams, so long names count for more bigrams."),
        (-(logs[1] + logs[6] + logs[7]) / 3,
         "The bigrams with BOS are missing (BOS -> first letter, last letter -> BOS): go through "
         "tokenizer.encode_doc(doc), which has BOS at both ends, not tokenizer.encode(doc)."),
        (-sum(logs[:2] + logs[3:4] + logs[5:8]) / 6,
         "The bigrams ending in BOS are missing (the prediction that the name is over): BOS goes at the "
         "end of every document too."),
        (-sum(math.log(c) for c in (3, 2, 2, 3, 1, 3, 2, 1, 2)) / 9,
         "You took the log of the counts. A probability is a count divided by its row's total, "
         "counts[a][b] / sum(counts[a])."),
        (want * len(logs) / len(docs),
         "You divided by the number of documents (3). The mean is over the bigrams: divide the total by "
         "how many bigrams you added up (9 here), counting them as you go."),
    ]
    for wrong, hint in mistakes:
        if _close(got, wrong):
            _fail(f"{what} is {got:.4f}, expected {want:.4f}. {hint}")
    _fail(f"{what} is {got:.4f}, expected {want:.4f}. Work it by hand: with counts {counts} (rows and columns "
          "a, b, BOS) the 9 bigrams BOS a b BOS | BOS a BOS | BOS a b b BOS have probabilities "
          "1, 2/3, 2/3 | 1, 1/3 | 1, 2/3, 1/3, 2/3; the answer is the mean of their -log.")


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
    got = _call(bigram_nll, docs, tok, counts)
    got = got.data if isinstance(got, Value) else got
    if not _close(got, want):
        by_column = [1 / 4, 3 / 4, 1 / 3, 1 / 4, 2 / 4, 2 / 3]
        hint = ""
        if _close(got, -sum(math.log(p) for p in by_column) / 6):
            hint = (" You divided by a COLUMN's total. P(next = b | current = a) divides by the total of the "
                    "current token's ROW: counts[a][b] / sum(counts[a]).")
        _fail(f"scoring ['ab', 'ba'] with counts {counts} (made from other names) gave {got:.4f}, expected "
              f"{want:.4f}.{hint}")


def check_sample_from_row(sample_from_row):
    """sample_from_row(row, rng) must draw index i with probability row[i] / sum(row), from `rng`."""
    row = [0, 0, 5, 0]
    draws = [_call(sample_from_row, row, random.Random(seed)) for seed in range(20)]
    if any(not isinstance(d, int) or isinstance(d, bool) for d in draws):
        _fail(f"sample_from_row should return a token id (an int), but it returned {draws[0]!r}")
    if any(not 0 <= d < len(row) for d in draws):
        _fail(f"with row {row} you returned {sorted(set(draws))}, but the token ids of a row of 4 counts are "
              "0 to 3: return the index of the token you drew, not its count. Draw from range(len(row)) "
              "with the counts as weights")
    if set(draws) != {2}:
        _fail(f"with row {row} only token 2 has a count, so every draw must be 2; you drew {sorted(set(draws))}. "
              "Weight each index by its count: rng.choices(range(len(row)), weights=row)[0]")
    row = [1, 3, 0, 0]
    rng = random.Random(0)
    draws = [_call(sample_from_row, row, rng) for _ in range(4000)]
    if any(not isinstance(d, int) or not 0 <= d < len(row) for d in draws):
        _fail(f"every draw should be an index 0..{len(row) - 1}, but you returned {sorted(set(draws))}")
    zero = sorted({d for d in draws if row[d] == 0})
    if zero:
        _fail(f"with row {row} you drew token(s) {zero}, whose count is 0: they never followed this token, "
              "so they must never be drawn. Pass the counts as weights, and return the index, not the count")
    share = draws.count(0) / len(draws)
    if not 0.2 < share < 0.3:
        hint = (" You always pick the most frequent token: that is greedy decoding, not sampling; draw at "
                "random with the counts as weights." if share == 0 else "")
        _fail(f"with row {row} token 0 should come up in about 1 draw out of 4, but it came up in "
              f"{share:.0%} of 4000 draws.{hint}")
    again = [_call(sample_from_row, row, random.Random(7)) for _ in range(20)]
    if again != [_call(sample_from_row, row, random.Random(7)) for _ in range(20)]:
        _fail("the same rng seed gave different draws: use the `rng` you are given (rng.choices), not the "
              "module `random`, so that results can be reproduced")
    _ok("token 0 drawn about 25% of the time from the counts [1, 3, 0, 0], zero counts never")
