"""What crosses from the student's process to the grader: whitelisted data only, references kept (fast, no kernel)."""

import json
import random
import traceback

import pytest

from microgpt.grading import scan
from microgpt.grading.grader import _rebuilt, check_call
from microgpt.grading.wire import Decoder, Encoder, Opaque, dumps
from microgpt.value import Value


def crossing(obj, known=None):
    """`obj` encoded as the student's side would, then decoded as the grader does."""
    text = dumps(Encoder(known=known or {}, handles=[]).message(obj))
    return Decoder(Value).message(json.loads(text))


def test_plain_data_crosses_as_itself():
    """Numbers (NaN and infinities too), text, lists, tuples, dicts and None cross unchanged."""
    data = [1, 2.5, "a", None, True, (1, 2), {"k": [1.0]}, {1: "x"}]
    assert crossing(data) == data
    got = crossing([float("nan"), float("inf")])
    assert got[0] != got[0] and got[1] == float("inf")


def test_a_value_graph_crosses_with_its_edges():
    """A Value comes back as the package's Value with data, grad, children and local grads."""
    a, b = Value(2.0), Value(-3.0)
    c = a * b
    c.grad = 1.0
    got = crossing(c)
    assert type(got) is Value and got.data == -6.0 and got.grad == 1.0
    assert [x.data for x in got._children] == [2.0, -3.0] and list(got._local_grads) == [-3.0, 2.0]


def test_an_object_of_another_kind_is_no_answer():
    """A student's own object (one that claims to equal anything) arrives as an Opaque, equal to nothing else."""

    class Anything(float):
        def __eq__(self, other):
            return True

    got = crossing([Anything(1.0), object()])
    assert all(isinstance(g, Opaque) for g in got) and got[0] != 1.0


@pytest.mark.parametrize("message", [
    {"nodes": {}, "body": {"$o": "x", "text": "y"}},
    {"nodes": {}, "body": {"$c": "AAAA", "module": "os", "closure": [], "defaults": []}},  # code: never here
    {"nodes": {}, "body": {"$b": ["os", "system"]}},
    {"nodes": {}, "body": {"$i": ["os", "PathLike"], "state": {"$d": []}}},
])
def test_the_grader_rebuilds_no_code_and_no_foreign_class(message):
    """Code, builtins by name and classes outside the package arrive as Opaque: nothing of the student's runs."""
    assert isinstance(Decoder(Value).message(message), Opaque)


def test_objects_the_grader_sent_come_back_as_its_own():
    """A node the grader sent comes back as the very same object (topo_sort returns the nodes it was given)."""
    a = Value(1.0)
    sent = Encoder(code=True)
    message = json.loads(dumps(sent.message([a])))
    student = Decoder(Value, code=True)
    (mine,) = student.message(message)
    known = {id(obj): ref for ref, obj in student.received.items()}
    back = json.loads(dumps(Encoder(known=known, handles=[]).message([mine, mine * 2])))
    got = Decoder(Value, known=sent.sent).message(back)
    assert got[0] is a and got[1]._children[0] is a


def test_random_generators_and_package_objects_cross():
    """A random.Random keeps its state; a package object keeps its attributes."""
    from microgpt.model import GPTConfig

    rng = random.Random(5)
    got_rng, got_config = crossing([rng, GPTConfig(vocab_size=27)])
    assert got_rng.random() == rng.random() and got_config == GPTConfig(vocab_size=27)


def test_an_error_of_the_student_keeps_its_kind():
    """A builtin error crosses as its type; a NotImplementedError names the stub that raised it; others are wrapped."""
    assert isinstance(_rebuilt({"type": "ZeroDivisionError", "message": "x"}), ZeroDivisionError)
    stub = _rebuilt({"type": "NotImplementedError", "message": "", "inner": "softmax"})
    assert traceback.extract_tb(stub.__traceback__)[-1].name == "softmax"  # what checks' call() reads
    assert not isinstance(_rebuilt({"type": "SystemExit", "message": "0"}), SystemExit)


def test_check_cells_and_delegations_are_read_from_the_source():
    """Only `checks.check_NAME(a, b)` is a check cell; a plain call of the package's own function is a delegation."""
    assert check_call("checks.check_linear(linear)") == ("check_linear", ["linear"])
    assert check_call("checks.check_linear(linear); x = 1") is None
    assert check_call("import os\nchecks.check_linear(linear)") is None
    assert scan.delegations("def linear(x, w):\n    return microgpt.nn.linear(x, w)", ["linear"]) == ["linear"]
    assert scan.delegations("def backward(root):\n    root.backward()", scan.forbidden(["backward"])) == ["backward"]
    assert scan.delegations("def linear(x, w):\n    return [sum(a * b for a, b in zip(r, x)) for r in w]",
                            ["linear"]) == []
