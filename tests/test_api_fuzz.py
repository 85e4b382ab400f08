"""Fuzz of the Python API as learners call it from notebooks: Value, Tokenizer, GPTConfig, train.

Every call either works or raises an error of the course's kind (a MicrogptError, whose message says what
is wrong), never a bare TypeError, IndexError or OverflowError from deep inside.
"""

import itertools
import math
import random
import re
from fractions import Fraction

import pytest

from microgpt import GPT, GPTConfig, MicrogptError, Tokenizer, Value, generate, train
from microgpt.errors import DivisionByZero, LossNotFinite, NotANumber, NotARealNumber

try:  # NumPy is optional: its numbers are added to the cases when it is installed
    import numpy as np
except ImportError:  # pragma: no cover
    np = None


# --- Value: the documented table of edge cases (value.py's docstring) ---

def _grad(make, x):
    """The gradient of make(Value(x)) with respect to x."""
    v = Value(x)
    make(v).backward()
    return v.grad


def test_the_documented_edge_cases():
    assert (Value(0.0) ** 0.5).data == 0.0 and _grad(lambda v: v**0.5, 0.0) == math.inf
    assert (Value(0) ** 0).data == 1 and _grad(lambda v: v**0, 0) == 0
    assert Value(1000).exp().data == math.inf and _grad(lambda v: v.exp(), 1000) == math.inf
    assert (Value(1e300) ** 2).data == math.inf == (Value(1e300) * 1e300).data
    assert (Value(-1e300) ** 3).data == -math.inf
    assert (Value(1.0) / 1e-310).data == math.inf
    assert repr(Value(10**400)) == "Value(data=inf, grad=0)" and Value(-(10**400)).data == -math.inf
    assert (Value(3) ** 2).data == 9 and type((Value(3) ** 2).data) is int  # small ints stay exact
    assert (Value(3) ** 1000).data == math.inf  # no 478-digit int: a float, as everywhere else
    assert math.isnan(Value(math.nan).log().data)


@pytest.mark.parametrize("make, kind, words", [
    (lambda: Value(1) / 0, DivisionByZero, "division by zero"),
    (lambda: Value(1) / Value(0.0), DivisionByZero, "division by zero"),
    (lambda: 1 / Value(0), DivisionByZero, "0 ** -1 is undefined"),
    (lambda: Value(0) ** -1, DivisionByZero, "undefined"),
    (lambda: Value(0.0) ** -0.5, DivisionByZero, "undefined"),
    (lambda: Value(-8) ** (1 / 3), NotARealNumber, "not a real number"),
    (lambda: Value(-1.0) ** 0.5, NotARealNumber, "not a real number"),
    (lambda: Value(0).log(), NotARealNumber, "non-positive"),
    (lambda: Value(-1e-300).log(), NotARealNumber, "non-positive"),
    (lambda: Value("3"), NotANumber, "must be a number"),
    (lambda: Value(None), NotANumber, "must be a number"),
    (lambda: Value(1j), NotANumber, "must be a number"),
    (lambda: Value([1.0]), NotANumber, "must be a number"),
    (lambda: Value(1) + "1", NotANumber, "combined with a number"),
    (lambda: Value(1) - "1", NotANumber, "combined with a number"),
    (lambda: "1" - Value(1), NotANumber, "combined with a number"),
    (lambda: Value(1) * None, NotANumber, "combined with a number"),
    (lambda: Value(1) / "2", NotANumber, "what a Value is divided by must be a number"),
    (lambda: [1] * Value(2), NotANumber, "combined with a number"),
    (lambda: Value(2) ** Value(3), NotANumber, "plain number"),
    (lambda: Value(2) ** "3", NotANumber, "exponent"),
])
def test_undefined_math_and_wrong_types_are_course_errors(make, kind, words):
    with pytest.raises(kind, match=re.escape(words)) as err:
        make()
    assert isinstance(err.value, MicrogptError)
    assert isinstance(err.value, (ZeroDivisionError, ValueError, TypeError))  # the built-in kind still catches it


NUMBERS = [0, 0.0, -0.0, 1, -1, 0.5, -8, 3, 1e-320, 1e300, -1e300, 10**400, math.inf, -math.inf, math.nan,
           True, Fraction(1, 3)]
if np is not None:
    NUMBERS += [np.float32(1.5), np.int64(-2), np.float64(2.0)]
EXPONENTS = [0, 1, 2, 3, -1, -2, 0.5, -0.5, 1 / 3, 2.5, 1000, -1000]
OPERATIONS = {
    "+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b, "/": lambda a, b: a / b,
    "r+": lambda a, b: b + a, "r-": lambda a, b: b - a, "r*": lambda a, b: b * a, "r/": lambda a, b: b / a,
    "V+V": lambda a, b: a + Value(b), "V/V": lambda a, b: a / Value(b),
}


def _outcome(compute):
    """'value' when compute() gives a Value whose repr and backward work, 'error' for a MicrogptError."""
    try:
        out = compute()
    except MicrogptError:
        return "error"
    assert isinstance(out, Value)
    repr(out)
    out.backward()
    return "value"


def _calls(x):
    """Every operation of a Value holding x with every number, every exponent, and the unary ones."""
    for y, op in itertools.product(NUMBERS, OPERATIONS.values()):
        yield lambda op=op, y=y: op(Value(x), y)
    for k in EXPONENTS:
        yield lambda k=k: Value(x) ** k
    for unary in (Value.exp, Value.log, Value.relu, Value.__neg__):
        yield lambda unary=unary: unary(Value(x))


@pytest.mark.parametrize("x", NUMBERS, ids=repr)
def test_every_number_through_every_operation(x):
    outcomes = [_outcome(call) for call in _calls(x)]  # anything but a Value or a MicrogptError fails here
    assert "value" in outcomes


@pytest.mark.skipif(np is None, reason="NumPy is not installed")
def test_numpy_numbers_are_plain_numbers_inside():
    v = Value(np.float32(1.5)) * np.int64(2) + np.float64(0.5)
    assert type(v.data) is float and v.data == 3.5  # not numpy.float64, whose ** warns instead of raising
    assert type(Value(np.int64(3)).data) is int
    assert (Value(2.0) ** np.float32(2)).data == 4.0


# --- Tokenizer, GPTConfig and train as notebooks call them ---

TOKENIZER = Tokenizer.from_docs(["emma", "ava"])


def _model():
    return GPT(GPTConfig(vocab_size=TOKENIZER.vocab_size, n_embd=8, n_head=2, block_size=8), random.Random(0))


API = [
    ("Tokenizer(None)", lambda: Tokenizer(None), "list of characters"),
    ("Tokenizer of words", lambda: Tokenizer(["ab", "c"]), "one-letter"),
    ("Tokenizer of ints", lambda: Tokenizer([1, 2]), "one-letter"),
    ("Tokenizer with a repeat", lambda: Tokenizer(["a", "a"]), "distinct"),
    ("from_docs of ints", lambda: Tokenizer.from_docs([1, 2]), "list of strings"),
    ("from_docs of one string", lambda: Tokenizer.from_docs("emma"), "list of strings"),
    ("encode an int", lambda: TOKENIZER.encode(5), "only text"),
    ("encode None", lambda: TOKENIZER.encode(None), "only text"),
    ("encode unknown", lambda: TOKENIZER.encode("xyz"), "not in the vocabulary"),
    ("decode id too big", lambda: TOKENIZER.decode([99]), "not a token id"),
    ("decode negative id", lambda: TOKENIZER.decode([-1]), "not a token id"),
    ("decode a float", lambda: TOKENIZER.decode([1.5]), "not a token id"),
    ("token_name of a str", lambda: TOKENIZER.token_name("a"), "not a token id"),
    ("GPTConfig str size", lambda: GPTConfig(vocab_size="27"), "whole number"),
    ("GPTConfig float size", lambda: GPTConfig(vocab_size=27, n_embd=16.0), "whole number"),
    ("GPTConfig zero layers", lambda: GPTConfig(vocab_size=27, n_layer=0), "at least 1"),
    ("GPTConfig vocab 1", lambda: GPTConfig(vocab_size=1), "at least 2"),
    ("GPTConfig not divisible", lambda: GPTConfig(vocab_size=27, n_head=3), "divisible"),
    ("train no docs", lambda: train(_model(), [], TOKENIZER, 1), "no documents"),
    ("train docs None", lambda: train(_model(), None, TOKENIZER, 1), "no documents"),
    ("train one string", lambda: train(_model(), "emma", TOKENIZER, 1), "list of documents"),
    ("train a set of docs", lambda: train(_model(), {"emma"}, TOKENIZER, 1), "list of documents"),
    ("train docs of ints", lambda: train(_model(), [1, 2], TOKENIZER, 1), "only text"),
    ("train unknown chars", lambda: train(_model(), ["zzz"], TOKENIZER, 1), "not in the vocabulary"),
    ("train steps negative", lambda: train(_model(), ["emma"], TOKENIZER, -1), "whole number >= 0"),
    ("train steps float", lambda: train(_model(), ["emma"], TOKENIZER, 1.5), "whole number >= 0"),
    ("train lr str", lambda: train(_model(), ["emma"], TOKENIZER, 1, lr="0.1"), "learning rate"),
    ("train lr nan", lambda: train(_model(), ["emma"], TOKENIZER, 1, lr=math.nan), "learning rate"),
    ("train lr inf", lambda: train(_model(), ["emma"], TOKENIZER, 1, lr=math.inf), "learning rate"),
    ("train lr negative", lambda: train(_model(), ["emma"], TOKENIZER, 1, lr=-0.1), "learning rate"),
    ("train lr 1e6", lambda: train(_model(), ["emma", "ava"], TOKENIZER, 10, lr=1e6), "smaller one"),
    ("train tokenizer a list", lambda: train(_model(), ["emma"], ["e", "m"], 1), "a GPT and a Tokenizer"),
    ("train model a str", lambda: train("gpt", ["emma"], TOKENIZER, 1), "a GPT and a Tokenizer"),
    ("train arguments swapped", lambda: train(_model(), TOKENIZER, ["emma"], 1), "list of documents"),
    ("train callback not callable", lambda: train(_model(), ["emma"], TOKENIZER, 1, callback=3), "callback"),
    ("generate temperature nan", lambda: generate(_model(), TOKENIZER, random.Random(0), math.nan), "temperature"),
    ("generate temperature str", lambda: generate(_model(), TOKENIZER, random.Random(0), "hot"), "temperature"),
    ("generate temperature negative", lambda: generate(_model(), TOKENIZER, random.Random(0), -1), "temperature"),
    ("generate rng None", lambda: generate(_model(), TOKENIZER, None), "random number generator"),
    ("generate rng a seed", lambda: generate(_model(), TOKENIZER, 42), "random number generator"),
    ("generate prefix an int", lambda: generate(_model(), TOKENIZER, random.Random(0), prefix=5), "only text"),
    ("generate prefix unknown", lambda: generate(_model(), TOKENIZER, random.Random(0), prefix="xyz"), "vocabulary"),
    ("generate prefix too long", lambda: generate(_model(), TOKENIZER, random.Random(0), prefix="emma" * 3), "prefix"),
]


@pytest.mark.parametrize("name, call, words", API, ids=[case[0] for case in API])
def test_api_mistakes_are_course_errors(name, call, words):
    with pytest.raises(MicrogptError, match=words):
        call()


def test_a_diverging_run_says_so_and_the_error_is_an_arithmetic_one():
    with pytest.raises(LossNotFinite, match="step 2") as err:
        train(_model(), ["emma", "ava"], TOKENIZER, 10, lr=1e6)
    assert isinstance(err.value, ArithmeticError)


@pytest.mark.parametrize("call", [
    lambda: train(_model(), [""], TOKENIZER, 1),  # an empty document: BOS then BOS
    lambda: train(_model(), ("emma", "ava"), TOKENIZER, 2),  # a tuple of documents
    lambda: train(_model(), ["emma"], TOKENIZER, 1, lr=0),  # no learning at all
    lambda: train(_model(), ["emma"], TOKENIZER, 0),  # no steps
    lambda: Tokenizer("abc").decode([0, 1, 3]),
    lambda: generate(_model(), TOKENIZER, random.Random(0), temperature=1e-310),  # the limit: the likeliest
    lambda: generate(_model(), TOKENIZER, random.Random(0), temperature=math.inf),  # the limit: uniform
    lambda: generate(_model(), TOKENIZER, random.Random(0), temperature=1e300),
])
def test_valid_but_odd_calls_work(call):
    call()
