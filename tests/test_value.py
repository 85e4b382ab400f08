"""Value: forward values, gradients against finite differences, node reuse, depth, and wrong use."""

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microgpt import Value


def finite_difference(f, xs, i, h=1e-6):
    """Central difference of f (a function of plain floats) with respect to xs[i]."""
    up = list(xs)
    down = list(xs)
    up[i] += h
    down[i] -= h
    return (f(up) - f(down)) / (2 * h)


def test_forward_values_and_local_gradients():
    a, b = Value(2.0), Value(-3.0)
    assert (a + b).data == -1.0 and (a * b).data == -6.0
    c = a * b
    c.backward()
    assert a.grad == -3.0 and b.grad == 2.0  # d(ab)/da = b, d(ab)/db = a
    x = Value(3.0)
    y = x**2
    y.backward()
    assert y.data == 9.0 and x.grad == 6.0
    for op, expected in [(lambda v: v.exp(), math.exp(0.5)), (lambda v: v.log(), 2.0),
                         (lambda v: v.relu(), 1.0)]:
        v = Value(0.5)
        op(v).backward()
        assert v.grad == pytest.approx(expected)


def test_children_and_local_grads_are_public_and_read_only():
    a, b = Value(2.0), Value(-3.0)
    c = a * b
    assert c.children == (a, b) and c.local_grads == (-3.0, 2.0)
    assert a.children == () and a.local_grads == ()
    for name in ("children", "local_grads"):
        with pytest.raises(AttributeError):
            setattr(c, name, ())


def test_relu_at_and_below_zero_has_zero_gradient():
    for x in (0.0, -1.5):
        v = Value(x)
        out = v.relu()
        out.backward()
        assert out.data == 0.0 and v.grad == 0.0


def test_derived_operations_follow_the_reference_forms():
    a = Value(3.0)
    assert (a - 1).data == 2.0 and (1 - a).data == -2.0
    assert (-a).op == "*"  # -a is a * -1
    assert (a / 2).op == "*"  # a / 2 is a * 2**-1
    assert (2 / a).data == pytest.approx(2 / 3)
    assert (a / 4).data == 3.0 * 4**-1


def test_worked_example_matches_the_chain_rule_by_hand():
    # L = (a*b + c) * f: dL/da = b*f, dL/db = a*f, dL/dc = f, dL/df = a*b + c
    a, b, c, f = Value(2.0), Value(-3.0), Value(10.0), Value(-2.0)
    L = (a * b + c) * f
    L.backward()
    assert (L.data, a.grad, b.grad, c.grad, f.grad) == (-8.0, 6.0, -4.0, -2.0, 4.0)


def test_reused_node_accumulates_its_gradient():
    a = Value(3.0)
    b = a + a  # a is used twice: db/da = 2
    b.backward()
    assert a.grad == 2.0
    a2 = Value(3.0)
    (a2 * a2).backward()
    assert a2.grad == 6.0


def test_backward_twice_accumulates_as_documented():
    a = Value(2.0)
    b = a * 3
    b.backward()
    b.backward()
    assert a.grad == 6.0  # 3 from each call: grads are added, not replaced


def test_deep_graph_does_not_hit_the_recursion_limit():
    x = Value(1.0)
    y = x
    for _ in range(20_000):
        y = y + 0.001
    y.backward()
    assert x.grad == 1.0


# random expressions over three inputs, checked against finite differences
_UNARY = [
    ("exp", lambda v: v.exp() if isinstance(v, Value) else math.exp(v)),
    ("relu", lambda v: v.relu() if isinstance(v, Value) else max(0.0, v)),
    ("square", lambda v: v**2),
    ("neg", lambda v: -v),
    ("logsq", lambda v: (v * v + 1).log() if isinstance(v, Value) else math.log(v * v + 1)),
    ("inv", lambda v: 1 / (v * v + 1)),
]
_BINARY = [("+", lambda a, b: a + b), ("*", lambda a, b: a * b), ("-", lambda a, b: a - b),
           ("/", lambda a, b: a / (b * b + 1))]


def build(program, xs):
    """Evaluate a little program (a list of ops over a growing stack of values) on inputs xs."""
    stack = list(xs)
    for kind, index, i, j in program:
        if kind == "u":
            stack.append(_UNARY[index % len(_UNARY)][1](stack[i % len(stack)]))
        else:
            stack.append(_BINARY[index % len(_BINARY)][1](stack[i % len(stack)], stack[j % len(stack)]))
    return stack[-1]


programs = st.lists(st.tuples(st.sampled_from("ub"), st.integers(0, 10), st.integers(0, 20), st.integers(0, 20)),
                    min_size=1, max_size=8)


@settings(max_examples=150, deadline=None)
@given(programs, st.lists(st.floats(-1.5, 1.5), min_size=3, max_size=3))
def test_gradients_match_finite_differences(program, xs):
    def f(vals):
        out = build(program, vals)
        return out.data if isinstance(out, Value) else out

    inputs = [Value(x) for x in xs]
    out = build(program, inputs)
    if not isinstance(out, Value):
        return
    if any(abs(x) < 1e-3 for x in xs):  # relu's kink: the finite difference is meaningless there
        return
    if max(abs(out.data), 1.0) > 1e6:
        return
    out.backward()
    for i, v in enumerate(inputs):
        numeric = finite_difference(f, xs, i)
        assert v.grad == pytest.approx(numeric, rel=1e-4, abs=1e-4), (program, xs, i)


def test_random_expression_gradients_are_deterministic():
    rng = random.Random(1)
    xs = [rng.uniform(-1, 1) for _ in range(3)]
    a, b, c = (Value(x) for x in xs)
    out = ((a * b).exp() + (c - a) ** 2).log() / (b * b + 1)
    out.backward()
    g = [v.grad for v in (a, b, c)]
    a, b, c = (Value(x) for x in xs)
    out = ((a * b).exp() + (c - a) ** 2).log() / (b * b + 1)
    out.backward()
    assert g == [v.grad for v in (a, b, c)]


@pytest.mark.parametrize("bad", [0.0, -1.0])
def test_log_of_non_positive_is_a_clear_error(bad):
    with pytest.raises(ValueError, match="log of a non-positive number"):
        Value(bad).log()


def test_value_exponent_is_refused():
    with pytest.raises(TypeError, match="exponent of a Value must be a plain number"):
        Value(2.0) ** Value(3.0)


@pytest.mark.parametrize("bad", ["3", None, [1.0], 1j])
def test_non_number_operands_are_refused(bad):
    with pytest.raises(TypeError, match="number"):
        Value(1.0) + bad
    with pytest.raises(TypeError, match="number"):
        Value(1.0) * bad
    with pytest.raises(TypeError, match="number"):
        Value(bad)


def test_zero_to_a_negative_power_is_a_clear_error():
    with pytest.raises(ZeroDivisionError, match="undefined"):
        Value(0.0) ** -1


def test_repr_shows_data_grad_and_label():
    v = Value(1.5, label="w")
    assert repr(v) == "Value(data=1.5, grad=0, label='w')"
    assert (v * 2).op == "*" and (v**3).op == "**3" and v.exp().op == "exp"
