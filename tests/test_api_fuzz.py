"""Fuzz of the Python API as learners call it from notebooks: Value, Tokenizer, GPTConfig, GPT, nn, train,
generate, Adam, SGD and attention_maps.

Every call either works or raises an error of the course's kind (a MicrogptError, whose one-line message says
what is wrong), never a bare TypeError, IndexError, AttributeError or OverflowError from deep inside.
"""

import itertools
import math
import random
import re
from fractions import Fraction

import pytest

from microgpt import (
    GPT,
    SGD,
    Adam,
    GPTConfig,
    MicrogptError,
    Tokenizer,
    Value,
    attention_maps,
    document_loss,
    generate,
    linear,
    rmsnorm,
    softmax,
    train,
    train_step,
)
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
    with pytest.raises(MicrogptError, match=words) as err:
        call()
    assert "\n" not in str(err.value)


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


# --- GPT, its forward pass, nn, train, generate and the optimizers, misused as a notebook might ---

MODEL = _model()  # read only: these calls fail before they change a weight
V, B = TOKENIZER.vocab_size, MODEL.config.block_size


def _call(token_id=0, pos_id=0, caches=None, **kw):
    """MODEL(token_id, pos_id, keys, values) with fresh caches unless some are given."""
    keys, values = caches if caches is not None else MODEL.new_cache()
    return MODEL(token_id, pos_id, keys, values, **kw)


MISUSE = [
    # sizes beyond the package's bounds (the same numbers as the command line's --help), before any allocation
    ("GPTConfig n_embd 100000", lambda: GPTConfig(vocab_size=27, n_embd=100000), "limit of 1024"),
    ("GPTConfig n_layer 65", lambda: GPTConfig(vocab_size=27, n_layer=65), "limit of 64"),
    ("GPTConfig block_size 10**9", lambda: GPTConfig(vocab_size=27, block_size=10**9), "limit of 1024"),
    ("GPTConfig vocab 10001", lambda: GPTConfig(vocab_size=10_001), "limit of 10000"),
    ("GPTConfig 2 million weights", lambda: GPTConfig(vocab_size=27, n_layer=64, n_embd=256), "2,000,000"),
    ("GPTConfig n_head a str", lambda: GPTConfig(vocab_size=27, n_head="4"), "whole number"),
    ("GPTConfig n_layer True", lambda: GPTConfig(vocab_size=27, n_layer=True), "whole number"),
    ("GPT of a str", lambda: GPT("x"), "wants a GPTConfig"),
    ("GPT of a dict", lambda: GPT({"vocab_size": 27}), "wants a GPTConfig"),
    ("GPT of a vocab size", lambda: GPT(27), "wants a GPTConfig"),
    ("GPT rng a seed", lambda: GPT(MODEL.config, rng=3), "random.Random"),
    ("GPT rng a str", lambda: GPT(MODEL.config, "42"), "random.Random"),
    ("GPT.zeros of None", lambda: GPT.zeros(None), "wants a GPTConfig"),
    # the forward pass: the token id and position are whole numbers in range, the caches new_cache()'s
    ("model token 99", lambda: _call(99), "not in this model's vocabulary"),
    ("model token -1", lambda: _call(-1), "not in this model's vocabulary"),
    ("model token a letter", lambda: _call("a"), "tokenizer.encode"),
    ("model token a float", lambda: _call(1.0), "whole number"),
    ("model token None", lambda: _call(None), "whole number"),
    ("model token True", lambda: _call(True), "whole number"),
    ("model token a list", lambda: _call([0, 1]), "whole number"),
    ("model token a Value", lambda: _call(Value(0)), "whole number"),
    ("model position 1.5", lambda: _call(0, 1.5), "whole number"),
    ("model position block size", lambda: _call(0, B), "outside the block size"),
    ("model position -1", lambda: _call(0, -1), "outside the block size"),
    ("model position a str", lambda: _call(0, "0"), "whole number"),
    ("model caches empty", lambda: _call(caches=([], [])), "new_cache"),
    ("model caches None", lambda: _call(caches=(None, None)), "new_cache"),
    ("model caches of ints", lambda: _call(caches=([0], [0])), "new_cache"),
    ("model record a dict", lambda: _call(record={}), "record must be a list"),
    # the building blocks
    ("softmax of nothing", lambda: softmax([]), "at least one"),
    ("softmax of a str", lambda: softmax("abc"), "list of numbers"),
    ("softmax of None", lambda: softmax(None), "list of numbers"),
    ("softmax of strs", lambda: softmax(["a", "b"]), "must be a number"),
    ("rmsnorm of nothing", lambda: rmsnorm([]), "at least one"),
    ("rmsnorm of None", lambda: rmsnorm(None), "list of numbers"),
    ("linear of a short x", lambda: linear([1.0, 2.0], [[1.0, 2.0, 3.0]]), "each as long as x"),
    ("linear of a flat w", lambda: linear([1.0], [1.0, 2.0]), "list of rows"),
    # training
    ("document_loss target 99", lambda: document_loss(MODEL, [0, 99]), "not in this model's vocabulary"),
    ("document_loss of a name", lambda: document_loss(MODEL, "emma"), "encode_doc"),
    ("document_loss of None", lambda: document_loss(MODEL, None), "list of token ids"),
    ("document_loss one token", lambda: document_loss(MODEL, [0]), "at least two tokens"),
    ("document_loss float ids", lambda: document_loss(MODEL, [0.0, 1.0]), "whole number"),
    ("document_loss not a model", lambda: document_loss(TOKENIZER, [0, 1]), "wants a GPT"),
    ("train_step optimizer None", lambda: train_step(_model(), [0, 1], None, 0.01), "Adam(model.parameters())"),
    ("train_step optimizer a str", lambda: train_step(_model(), [0, 1], "adam", 0.01), "Adam(model.parameters())"),
    ("train optimizer a str", lambda: train(_model(), ["emma"], TOKENIZER, 1, optimizer="adam"), "optimizer"),
    ("train start_step -1", lambda: train(_model(), ["emma"], TOKENIZER, 1, start_step=-1), "start_step"),
    ("train start_step 0.5", lambda: train(_model(), ["emma"], TOKENIZER, 1, start_step=0.5), "start_step"),
    ("train steps True", lambda: train(_model(), ["emma"], TOKENIZER, True), "whole number"),
    ("train step_fn None", lambda: train(_model(), ["emma"], TOKENIZER, 1, step_fn=None), "step_fn"),
    # sampling
    ("generate arguments swapped", lambda: generate(TOKENIZER, MODEL, random.Random(0)), "a GPT and a Tokenizer"),
    ("generate model a str", lambda: generate("gpt", TOKENIZER, random.Random(0)), "wants a GPT"),
    ("generate tokenizer a list", lambda: generate(MODEL, ["a", "b"], random.Random(0)), "a GPT and a Tokenizer"),
    ("generate other vocabulary", lambda: generate(MODEL, Tokenizer.from_docs(["xyz"]), random.Random(0)),
     "vocab_size"),
    ("generate temperature None", lambda: generate(MODEL, TOKENIZER, random.Random(0), None), "temperature"),
    ("generate temperature True", lambda: generate(MODEL, TOKENIZER, random.Random(0), True), "temperature"),
    ("generate temperature a list", lambda: generate(MODEL, TOKENIZER, random.Random(0), [0.5]), "temperature"),
    ("generate temperature -inf", lambda: generate(MODEL, TOKENIZER, random.Random(0), -math.inf), "temperature"),
    # the optimizers
    ("Adam lr a str", lambda: Adam(MODEL.parameters(), lr="x"), "lr must be"),
    ("Adam lr nan", lambda: Adam(MODEL.parameters(), lr=math.nan), "lr must be"),
    ("Adam lr negative", lambda: Adam(MODEL.parameters(), lr=-1), "lr must be"),
    ("Adam lr inf", lambda: Adam(MODEL.parameters(), lr=math.inf), "lr must be"),
    ("Adam beta1 1", lambda: Adam(MODEL.parameters(), beta1=1), "beta1 must be"),
    ("Adam beta2 a str", lambda: Adam(MODEL.parameters(), beta2="0.99"), "beta2 must be"),
    ("Adam eps 0", lambda: Adam(MODEL.parameters(), eps=0), "eps must be above 0"),
    ("Adam of the model", lambda: Adam(MODEL), "model.parameters()"),
    ("Adam of None", lambda: Adam(None), "model.parameters()"),
    ("Adam of numbers", lambda: Adam([1.0, 2.0]), "list of Values"),
    ("Adam step lr a str", lambda: Adam([Value(1.0)]).step("0.1"), "lr must be"),
    ("SGD lr a str", lambda: SGD(MODEL.parameters(), lr="x"), "lr must be"),
    ("SGD of the model", lambda: SGD(MODEL), "model.parameters()"),
    ("SGD step lr nan", lambda: SGD([Value(1.0)]).step(math.nan), "lr must be"),
    # attention maps
    ("attention_maps of a name", lambda: attention_maps(MODEL, "emma"), "tokenizer.encode"),
    ("attention_maps of None", lambda: attention_maps(MODEL, None), "list of token ids"),
    ("attention_maps token 99", lambda: attention_maps(MODEL, [0, 99]), "not in this model's vocabulary"),
    ("attention_maps too long", lambda: attention_maps(MODEL, [0] * (B + 1)), "block size"),
    ("attention_maps not a model", lambda: attention_maps(TOKENIZER, [0, 1]), "wants a GPT"),
]


@pytest.mark.parametrize("name, call, words", MISUSE, ids=[case[0] for case in MISUSE])
def test_misuse_of_the_model_and_its_tools_is_a_course_error(name, call, words):
    with pytest.raises(MicrogptError, match=re.escape(words)) as err:
        call()
    assert "\n" not in str(err.value)


def test_the_course_errors_are_still_the_built_in_kinds():
    """Code written against the bare errors (`except IndexError:`, `except ValueError:`) still catches them."""
    with pytest.raises(IndexError):
        _call(99)
    with pytest.raises(MicrogptError) as err:  # lesson 07's checks tell a position past the end from an IndexError
        _call(0, B)
    assert not isinstance(err.value, IndexError)
    with pytest.raises(TypeError):
        _call("a")
    with pytest.raises(TypeError):
        GPT("x")
    with pytest.raises(ValueError):
        softmax([])
    with pytest.raises(ValueError):
        rmsnorm([])
    with pytest.raises(TypeError):
        Adam(MODEL.parameters(), lr="x")


# every odd value in every argument of the forward pass, sampling and the optimizers: works, or a course error
ODD = [None, True, "a", "", 1.5, -1, 0, 1, 10**9, math.nan, math.inf, [], [0], {}, (), object(), Value(1.0)]
if np is not None:
    ODD += [np.int64(1), np.float32(0.5), np.array([0, 1]), np.zeros((3, 3))]  # the last one prints on 3 lines
SLOTS = {
    "model token": lambda x: _call(x),
    "model position": lambda x: _call(0, x),
    "model keys": lambda x: MODEL(0, 0, x, MODEL.new_cache()[1]),
    "document_loss": lambda x: document_loss(MODEL, x),
    "document_loss targets": lambda x: document_loss(MODEL, [0, x]),
    "generate temperature": lambda x: generate(MODEL, TOKENIZER, random.Random(0), x),
    "generate rng": lambda x: generate(MODEL, TOKENIZER, x, 0.5),
    "generate prefix": lambda x: generate(MODEL, TOKENIZER, random.Random(0), 0.5, x),
    "train docs": lambda x: train(_model(), x, TOKENIZER, 1),
    "train steps": lambda x: None if type(x) is int and x > 1 else train(_model(), ["emma"], TOKENIZER, x),
    "train lr": lambda x: train(_model(), ["emma"], TOKENIZER, 1, lr=x),
    "train callback": lambda x: train(_model(), ["emma"], TOKENIZER, 1, callback=x),
    "train_step lr": lambda x: train_step(_model(), [0, 1], SGD([Value(1.0)]), x),
    "GPT config": lambda x: GPT(x),
    "GPT rng": lambda x: GPT(MODEL.config, x),
    "Adam params": lambda x: Adam(x),
    "Adam lr": lambda x: Adam([Value(1.0)], lr=x).step(),
    "SGD lr": lambda x: SGD([Value(1.0)], lr=x).step(),
    "softmax": lambda x: softmax(x),
    "rmsnorm": lambda x: rmsnorm(x),
    "attention_maps": lambda x: attention_maps(MODEL, x),
}


@pytest.mark.parametrize("slot", SLOTS)
def test_every_odd_value_in_every_argument(slot):
    for x in ODD:
        try:
            SLOTS[slot](x)
        except MicrogptError as err:
            assert str(err) and "\n" not in str(err), (slot, x)


@pytest.mark.parametrize("call", [
    lambda: softmax([1.0, 2.0, 3.0]),  # plain floats: turned into Values
    lambda: softmax([Value(1.0), 2.0]),  # a mix
    lambda: rmsnorm([3.0, 4.0]),  # plain floats stay plain
    lambda: linear([1.0, 2.0], [[3.0, 4.0]]),
    lambda: linear([1.0], []),  # no rows: no outputs
    lambda: _call(0, B - 1),  # the last position
    lambda: attention_maps(MODEL, []),  # nothing to show
    lambda: attention_maps(MODEL, (0, 1)),  # a tuple of ids
    lambda: Adam((p for p in _model().parameters()), lr=0),  # a generator of parameters; lr 0
    lambda: SGD([Value(1.0)], lr=1).step(),  # a whole-number learning rate
    lambda: GPTConfig(vocab_size=10_000, n_layer=64, block_size=1024),  # every size at its bound
])
def test_valid_calls_at_the_edges_work(call):
    call()


def test_plain_floats_and_numpy_numbers_work_like_python_ones():
    probs = softmax([1.0, 2.0])
    assert all(isinstance(p, Value) for p in probs) and math.isclose(sum(p.data for p in probs), 1.0)
    assert rmsnorm([3.0, 4.0]) == pytest.approx([3 / 12.5**0.5, 4 / 12.5**0.5], rel=1e-5)
    if np is None:
        return
    same = [logit.data for logit in _call(np.int64(3), np.int64(1))]
    assert same == [logit.data for logit in _call(3, 1)]
    assert (generate(MODEL, TOKENIZER, random.Random(5), np.float32(0.5))
            == generate(MODEL, TOKENIZER, random.Random(5), 0.5))
    opt = Adam([Value(1.0)], lr=np.float32(0.5))
    assert type(opt.lr) is float
