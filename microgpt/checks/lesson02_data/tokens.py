"""Checks of lesson 02: the vocabulary and encoding a name (02-vocab, 02-encode)."""


from ...data import Tokenizer
from ...i18n import N_, _, tr
from ..exercise import exercise
from ..failure import call, fail, ok

GLUE_DOCUMENTS_TOGETHER_INTO = N_(
    "Glue the documents together into one string first, and take the characters of that string.")
CHARACTER_SHOULD_APPEAR_ONCE = N_("Each character should appear once: a set keeps one of each.")
SORT_THEM_TOKEN_ID = N_(
    "Sort them. A token id is a character's position in this list, so the order must not depend on "
    "chance (a set's order does).")


@exercise(
    "02-vocab", stars=1, minutes=3,
    hints=(
        N_("The vocabulary is every character that occurs anywhere in the names, each once, in a fixed order."),
        N_("vocab = sorted(the set of the characters of all the documents glued together)."),
        N_("return sorted(set(<one string made of all docs>)): ''.join(...) glues a list of strings."),
    ),
    wrong=[
        ("return list(set(\"\".join(docs)))", SORT_THEM_TOKEN_ID),
        ("return sorted(set(docs))", GLUE_DOCUMENTS_TOGETHER_INTO),
        ("return sorted(\"\".join(docs))", CHARACTER_SHOULD_APPEAR_ONCE),
    ],
)
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
             _(GLUE_DOCUMENTS_TOGETHER_INTO))
    if len(got) != len(set(got)):
        fail(tr("build_vocab({docs}) returned {got!r}, which has repeats.", docs=docs, got=got),
             _(CHARACTER_SHOULD_APPEAR_ONCE))
    pangram = ["the", "quick", "brown", "fox", "jumps", "over", "the", "lazy", "dog"]
    got = call(build_vocab, pangram)
    if isinstance(got, list) and sorted(got) == list("abcdefghijklmnopqrstuvwxyz") and got != sorted(got):
        fail(tr("build_vocab({docs}) returned the 26 letters in the order {order!r}.", docs=pangram,
                order="".join(got)),
             _(SORT_THEM_TOKEN_ID))
    for case in (docs, pangram):
        want = Tokenizer.from_docs(case).chars
        got = call(build_vocab, case)
        if got != want:
            fail(tr("build_vocab({docs}) returned {got!r}, expected {want!r}.", docs=case, got=got, want=want),
                 _("The sorted list of the distinct characters of all the documents."))
    ok(_("the vocabulary of ['emma', 'olivia', 'ava'] is ['a', 'e', 'i', 'l', 'm', 'o', 'v']"))


BOS_ALSO_ENDS_DOCUMENT = N_(
    "BOS also ENDS the document. It is how the model learns to stop: add BOS at the end "
    "too.")
BOS_ID_AFTER_LAST = N_(
    "BOS is the id after the last character, the number of characters ({bos}), not "
    "{first}.")
CHARACTER_ID_POSITION_CHARS = N_(
    "A character's id is its position in chars, counting from 0 ('a' is 0 in the full "
    "alphabet).")


ID_IS_POSITION_IN_CHARS = N_(
    "A character's id is its position in chars, whatever the characters are: here chars holds only b and o, so "
    "b is 0 and o is 1 (counting letters from a works only when chars is the whole alphabet).")


@exercise(
    "02-encode", stars=1, minutes=5,
    hints=(
        N_("A training sequence is the name's characters as ids, wrapped in the special token BOS at both ends."),
        N_("ids = [BOS] + [position of each character in chars] + [BOS], with BOS = len(chars)."),
        N_("bos = len(chars); return [bos] + [chars.index(...) for ch in doc] + [...]"),
    ),
    wrong=[
        ("bos = len(chars)\nreturn [bos] + [chars.index(ch) for ch in doc]", BOS_ALSO_ENDS_DOCUMENT),
        ("return [0] + [chars.index(ch) for ch in doc] + [0]", BOS_ID_AFTER_LAST),
        ("bos = len(chars)\nreturn [bos] + [chars.index(ch) + 1 for ch in doc] + [bos]", CHARACTER_ID_POSITION_CHARS),
        ("bos = len(chars)\nreturn [bos] + [ord(ch) - ord(\"a\") for ch in doc] + [bos]", ID_IS_POSITION_IN_CHARS),
    ],
)
def check_encode_doc(encode_doc):
    """encode_doc(doc, chars) must be [BOS] + the characters' ids + [BOS], with BOS = len(chars) (lesson 02)."""
    for doc, chars in [("emma", list("abcdefghijklmnopqrstuvwxyz")), ("cab", list("abc")), ("", list("ab")),
                       ("bob", list("bo"))]:
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
            fail(message, _(BOS_ALSO_ENDS_DOCUMENT))
        if got == inner + [bos]:
            fail(message, _("The document must also START with BOS, the token every name is predicted from."))
        if got == inner:
            fail(message, tr("Put BOS (the id {bos}, one past the last character) at both ends.", bos=bos))
        if got[1:-1] == inner and got[:1] == got[-1:] != [bos]:
            fail(message, tr(BOS_ID_AFTER_LAST, bos=bos, first=got[0]))
        if got[1:-1] == [i + 1 for i in inner]:
            fail(message, _(CHARACTER_ID_POSITION_CHARS))
        if got[1:-1] == [ord(ch) - ord("a") for ch in doc]:
            fail(message, _(ID_IS_POSITION_IN_CHARS))
        fail(message, _("BOS, then each character's position in chars, then BOS."))
    ok(_("encode_doc('emma') = [26, 4, 12, 12, 0, 26]: BOS, e, m, m, a, BOS"))
