"""Checks for lesson 01: Value."""

import math
import random

from ..value import Value
from .common import (
    add_hints,
    call,
    close,
    exercise,
    expect_number,
    fail,
    ok,
)

__all__ = ["check_backward", "check_exp_local", "check_log_local", "check_mul_local_grads", "check_numerical_grad",
           "check_pow_local", "check_relu_local", "check_topo_sort"]


@exercise("01-numerical-grad")
def check_numerical_grad(numerical_grad):
    """numerical_grad(f, x, h) must be the central difference of f at x with step h. Used in lesson 01."""

    def cube(x):
        """x**3: its central difference is exactly 3x^2 + h^2, so the step size shows in the answer."""
        return x**3

    h = 0.01
    forward = ((2 + h) ** 3 - 2**3) / h
    central_sum = (2 + h) ** 3 - (2 - h) ** 3
    got = call(numerical_grad, cube, 2.0, h=h)
    expect_number(got, 12.0001, "numerical_grad(lambda x: x**3, 2.0, h=0.01)", [
        (forward, "That is the forward difference (f(x + h) - f(x)) / h, whose error shrinks only like h "
                  "(here 0.06). Step to both sides, to x - h and x + h, and divide the change by the distance between "
                  "them, 2h: that error is only h**2."),
        (central_sum / h, "You divided by h, but the two points x - h and x + h are 2*h apart: divide by (2 * h)."),
        (central_sum / 2 * h, "Write / (2 * h) with the parentheses: `/ 2 * h` divides by 2 and then "
                              "multiplies by h."),
        (12.0, "That is the exact slope, 3 * x**2 = 12; here h = 0.01 was given, and the central difference "
               "with that step is 12 + h**2 = 12.0001. Use the h argument."),
    ], tol=1e-7, otherwise="Use the h you are given and step to both sides of x: the change of f from "
                           "x - h to x + h, divided by the distance 2h.")
    got = call(numerical_grad, cube, 2.0, h=0.001)
    expect_number(got, 12.000001, "numerical_grad(lambda x: x**3, 2.0, h=0.001)",
            [(12.0001, "Your answer does not change when h does: use the h argument instead of a fixed step.")],
            tol=1e-8)
    got = call(numerical_grad, math.sin, 1.0)
    expect_number(got, math.cos(1.0), "numerical_grad(math.sin, 1.0) with the default h", tol=1e-7)
    ok("central difference: x**3 at x=2 with h=0.01 gives 12.0001 (exact slope 12, error h**2)")


@exercise("01-mul")
def check_mul_local_grads(mul_local_grads):
    """mul_local_grads(a, b) must return the pair of plain numbers d(a*b)/da, d(a*b)/db. Used in lesson 01."""
    a, b = Value(2.0), Value(-3.0)
    got = call(mul_local_grads, a, b)
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        fail(f"mul_local_grads(Value(2.0), Value(-3.0)) should return a pair (d/da, d/db), but it returned {got!r}.",
             "Return two numbers, like (1, 1) for +.")
    if any(isinstance(g, Value) for g in got):
        fail(f"mul_local_grads(Value(2.0), Value(-3.0)) returned Values ({got[0]!r}, {got[1]!r}).",
             "Return plain numbers (the .data of what you chose), not the Values themselves: the local "
             "derivatives are numbers fixed when the node is made.")
    if list(got) == [a.data, b.data]:
        fail("mul_local_grads(Value(2.0), Value(-3.0)) returned (2.0, -3.0), expected (-3.0, 2.0).",
             "The two are swapped: a nudge of a is multiplied by b, so d(a*b)/da is the number inside b, "
             "and d(a*b)/db is the number inside a.")
    if list(got) == [1, 1]:
        fail("mul_local_grads(Value(2.0), Value(-3.0)) returned (1, 1), expected (-3.0, 2.0).",
             "(1, 1) are the local derivatives of a + b; for a * b a nudge of a is multiplied by b, so the "
             "slope with respect to a is the number inside b (and the other way round).")
    expect_number(got[0], -3.0, "d(a*b)/da for a=2, b=-3")
    expect_number(got[1], 2.0, "d(a*b)/db for a=2, b=-3")
    ok("d(a*b)/da = b = -3.0 and d(a*b)/db = a = 2.0")


@exercise("01-pow")
def check_pow_local(pow_local):
    """pow_local(a, k) must be the slope of a**k: k * a**(k - 1). Used in lesson 01."""
    for x, k in [(3.0, 2), (2.0, 3), (2.0, -1), (4.0, 0.5)]:
        got = call(pow_local, Value(x), k)
        expect_number(got, k * x ** (k - 1), f"pow_local(Value({x}), {k})", [
            (x ** (k - 1), "You forgot the factor k in front: d(a**k)/da = k * a**(k - 1)."),
            (k * x**k, "The power goes down by one: k * a**(k - 1), not k * a**k."),
            (k * x**k - 1, "** binds tighter than -: put the new exponent k - 1 in parentheses."),
            (x**k, "That is the forward value a**k, not its slope k * a**(k - 1)."),
            ((k - 1) * x**k, "Bring the old exponent k down in front, then lower it by one: k * a**(k - 1)."),
        ])
    ok("d(a**k)/da = k * a**(k-1): 6.0 for a=3, k=2 and -0.25 for a=2, k=-1")


@exercise("01-exp")
def check_exp_local(exp_local):
    """exp_local(a) must be the slope of e**a, which is e**a itself. Used in lesson 01."""
    for x in [2.0, 0.0, -1.0, 0.5]:
        got = call(exp_local, Value(x))
        expect_number(got, math.exp(x), f"exp_local(Value({x}))", [
            (x * math.exp(x - 1), "The power rule is for a fixed exponent (a**k); here the exponent is the "
                                  "variable. e**a is its own derivative: the slope is e**a again (math.exp "
                                  "of the number in a)."),
            (x, "That is a itself; the derivative of e**a is e**a again (math.exp of the number in a)."),
            (1.0, "The slope of e**a is not constant: it equals e**a (math.exp of the number in a)."),
        ])
    ok("d(e**a)/da = e**a: 1.0 at a=0, 7.3891 at a=2")


@exercise("01-log")
def check_log_local(log_local):
    """log_local(a) must be the slope of log(a), 1 / a. Used in lesson 01."""
    for x in [2.0, 0.25, 10.0]:
        got = call(log_local, Value(x))
        expect_number(got, 1 / x, f"log_local(Value({x}))", [
            (math.log(x), "That is the forward value log(a); its slope is 1 / a (with a's number)."),
            (1 / math.log(x), "The slope of log(a) is 1 / a, not 1 / log(a)."),
            (-1 / x**2, "-1 / a**2 is the slope of 1 / a; the slope of log(a) is 1 / a itself."),
            (math.exp(x), "exp is the inverse of log, but not its derivative: d(log a)/da = 1 / a."),
        ])
    ok("d(log a)/da = 1/a: 0.5 at a=2, 4.0 at a=0.25")


@exercise("01-relu")
def check_relu_local(relu_local):
    """relu_local(a) must be 1.0 where a > 0 and 0.0 elsewhere (also at exactly 0). Used in lesson 01."""
    for x in [3.0, 0.5, -2.0, 0.0]:
        got = call(relu_local, Value(x))
        want = 1.0 if x > 0 else 0.0
        mistakes = [(max(0.0, x), "That is relu's output max(0, a), not its slope: the slope is 1 where a > 0 "
                                  "and 0 elsewhere.")]
        if x < 0:
            mistakes.append((1.0, "Where a < 0, relu's output is 0 whatever a is, so its slope there is 0."))
        if x == 0:
            mistakes.append((1.0, "At exactly a = 0 use slope 0 (the condition is strictly greater than 0, "
                                  "not >=), as the reference and the package do."))
        expect_number(got, want, f"relu_local(Value({x}))", mistakes)
    ok("relu's slope: 1.0 for a > 0, 0.0 for a <= 0")


def _worked_example():
    """L = (a*b + c) * f with a=2, b=-3, c=10, f=-2, every node labelled; returns (L, nodes by label)."""
    a, b, c, f = Value(2.0, label="a"), Value(-3.0, label="b"), Value(10.0, label="c"), Value(-2.0, label="f")
    e = a * b
    e.label = "e"
    d = e + c
    d.label = "d"
    L = d * f
    L.label = "L"
    return L, {"a": a, "b": b, "c": c, "d": d, "e": e, "f": f, "L": L}


def _name(node):
    """A node's label, or its repr when it has none."""
    return node.label or repr(node)


def _check_order(order, root, what):
    """Fail with a precise hint unless `order` is a topological order of root's graph (root last)."""
    if not isinstance(order, list):
        fail(f"topo_sort on {what} should return a list of nodes, but it returned {order!r}.",
             "Did you forget to return the list at the end?")
    nodes = root.topological_order()  # the package's order: used only for the set of nodes
    for node in order:
        if sum(n is node for n in order) > 1:
            fail(f"topo_sort on {what}: node {_name(node)} appears {sum(n is node for n in order)} times.",
                 "It is used more than once in the expression; remember each node in `visited` the first "
                 "time you see it, and skip nodes that are already there.")
    if not any(n is root for n in order):
        fail(f"topo_sort on {what}: the root {_name(root)} itself is missing from the order.",
             "After visiting a node's children, append the node ITSELF to the order (not its children).")
    missing = [n for n in nodes if not any(n is m for m in order)]
    if missing:
        fail(f"topo_sort on {what} returned {len(order)} nodes, but the graph has {len(nodes)}; missing: "
             f"{', '.join(_name(n) for n in missing)}.", "Visit every child of every node (recursively).")
    if len(order) != len(nodes):
        fail(f"topo_sort on {what} returned {len(order)} items, but the graph has {len(nodes)} nodes.",
             "Each node goes into the order exactly once.")
    if order[0] is root and len(order) > 1:
        fail(f"topo_sort on {what} puts the root {_name(root)} first.",
             "Append a node to the order only AFTER all its children have been visited (post-order), so "
             "inputs come first and the root last.")
    position = {id(n): i for i, n in enumerate(order)}
    for node in order:
        for child in node._children:
            if position[id(child)] > position[id(node)]:
                fail(f"topo_sort on {what}: node {_name(node)} comes before its child {_name(child)}.",
                     "Visit the children first, then append the node.")
    if order[-1] is not root:
        fail(f"topo_sort on {what} should end with the root {_name(root)}, but it ends with {_name(order[-1])}.",
             "The root is appended last, once everything below it is in the order.")


@exercise("01-topo-sort")
def check_topo_sort(topo_sort):
    """topo_sort(root) must list every node of the graph once, each after its children, the root last (lesson 01)."""
    a = Value(1.0, label="a")
    _check_order(call(topo_sort, a), a, "a single input a")
    L, _ = _worked_example()
    _check_order(call(topo_sort, L), L, "L = (a*b + c) * f")
    a = Value(3.0, label="a")
    b = a + a
    b.label = "b"
    y = b * a
    y.label = "y"
    _check_order(call(topo_sort, y), y, "y = (a + a) * a")
    deep = Value(0.5, label="x")
    for _ in range(10):  # every node is used twice: without `visited` the work would double at each level
        deep = deep * deep + 1
    _check_order(call(topo_sort, deep), deep, "a 10-level chain of x*x + 1")
    ok("every node once, each after its children, the root last")


def _backward_hint(grads, want):
    """Name the likely mistake of a backward pass from the gradients it produced on the worked example."""
    if grads["L"] == 0:
        return ("L.grad is still 0: set the root's grad to 1 before the loop. dL/dL = 1 is where the chain rule "
                "starts; everything else is a multiple of it.")
    if grads["L"] == 1 and all(grads[k] == 0 for k in "abcdef"):
        return ("Nothing reached the nodes below L. The gradient flows down each edge, from a node to its "
                "child: add into the CHILD's grad (the local gradient times the node's grad), not into the "
                "node's own grad.")
    if all(grads[k] == want[k] for k in "Ldf") and all(grads[k] == 0 for k in "abce"):
        return ("Only the root's own children got gradients: walk the order backwards, from the root to the "
                "inputs (reversed), so a node's grad is complete before it is passed on.")
    if grads["a"] == -3.0 and grads["b"] == 2.0:
        return ("a.grad is -3 = the local derivative alone. Chain rule: multiply it by the grad of the node "
                "above before adding it into the child.")
    if grads["a"] == 1 and grads["b"] == 1:
        return ("every input got 1 = the node's grad alone. Chain rule: multiply it by the local derivative "
                "before adding it into the child.")
    return ("For every node, from the root back to the inputs, and every (child, local_grad) pair of it: "
            "ADD the local gradient times the node's grad into the child's grad.")


@exercise("01-backward", needs=[("topo_sort", check_topo_sort)])
def check_backward(backward):
    """backward(root) must fill in every node's grad by the chain rule, adding up over reused nodes (lesson 01)."""
    L, nodes = _worked_example()
    want = {"a": 6.0, "b": -4.0, "c": -2.0, "d": -2.0, "e": -2.0, "f": 4.0, "L": 1.0}
    call(backward, L)
    grads = {k: n.grad for k, n in nodes.items()}
    if any(not close(grads[k], want[k]) for k in want):
        shown = ", ".join(f"{k}.grad={grads[k]:g}" for k in "abcdefL")
        fail(f"on the lesson's L = (a*b + c) * f with a=2, b=-3, c=10, f=-2 you got {shown}; expected a.grad=6, "
             "b.grad=-4, c.grad=-2, d.grad=-2, e.grad=-2, f.grad=4, L.grad=1.", _backward_hint(grads, want))
    for text, make, want_grad in [
        ("b = a + a", lambda a: a + a, 2.0),
        ("y = a * a", lambda a: a * a, 6.0),
    ]:
        a = Value(3.0)
        call(backward, make(a))
        if not close(a.grad, want_grad):
            hint = None
            if a.grad in (1.0, 3.0):
                hint = ("a is used twice, so it gets a contribution from each use: ADD each one into the "
                        "child's grad (+=); with `=` the second use overwrites the first.")
            fail(f"for {text} with a=3, a.grad should be {want_grad:g}, but it is {a.grad!r}.", hint)
    # random expressions: the learner's backward against the package's, on two copies of the same graph
    rng = random.Random(1)
    for _ in range(20):
        seed = rng.random()
        mine_inputs, mine = _random_expression(random.Random(seed))
        ref_inputs, ref = _random_expression(random.Random(seed))
        call(backward, mine)
        ref.backward()
        for x, y in zip(mine_inputs, ref_inputs):
            if not close(x.grad, y.grad, 1e-9):
                fail(f"on a random expression an input's grad is {x.grad!r}, but the package says {y.grad!r}.",
                     "Check that every edge adds the local gradient times the node's grad into the child's "
                     "grad, walking the order backwards.")
    ok("a.grad=6, b.grad=-4, c.grad=-2, f.grad=4 on the lesson's worked example, reused nodes add up")


def _random_expression(rng, value_class=Value, n_inputs=4, n_ops=12):
    """A random expression of package Values (or `value_class`) using every operation; returns (inputs, output)."""
    inputs = [value_class(rng.uniform(0.5, 2.0)) for _ in range(n_inputs)]
    nodes = list(inputs)
    for _ in range(n_ops):
        x, y = rng.choice(nodes), rng.choice(nodes)
        op = rng.choice(["+", "*", "-", "/", "**", "exp", "log", "relu"])
        if op == "+":
            z = x + y
        elif op == "*":
            z = x * y if abs(x.data * y.data) < 100 else x + y  # keep the numbers small: no overflow
        elif op == "-":
            z = x - y
        elif op == "/":
            z = x / y if abs(y.data) > 0.1 else x * y
        elif op == "**":
            z = x ** 2 if abs(x.data) < 5 else x ** 0.5 if x.data > 0 else x * 0.5
        elif op == "exp":
            z = x.exp() if x.data < 3 else x.relu()
        elif op == "log":
            z = x.log() if x.data > 0.1 else x + 1
        else:
            z = (x - 1).relu()
        nodes.append(z)
    return inputs, sum(nodes[n_inputs:])


HINTS = {
    "01-numerical-grad": (
        "Measure the slope: nudge x a little to both sides and see how much f changes per unit of x.",
        "slope ~ (f(x + h) - f(x - h)) / (distance between x - h and x + h), and that distance is 2h.",
        "One line: return (f(...) - f(...)) / (...), with the parentheses around the whole denominator.",
    ),
    "01-mul": (
        "The local derivative says how much a * b moves when a moves by 1, with b held fixed (and the other "
        "way round).",
        "d(a*b)/da = b and d(a*b)/db = a, as plain numbers.",
        "return (<the number inside b>, <the number inside a>): each is a Value's .data.",
    ),
    "01-topo-sort": (
        "A node may only come after everything it was computed from: visit the children first, then the node "
        "(a post-order walk), and visit each node only once.",
        "visit(node): if node is new, remember it, visit each of its children, then append the node.",
        "if node not in visited: / visited.add(...) / for child in node._children: visit(...) / then "
        "order.append(...) after the loop.",
    ),
    "01-backward": (
        "Start at the root with gradient 1, and pass gradients down the graph, from each node to its "
        "children, in the reverse of topo_sort's order.",
        "For each edge node -> child: child.grad increases by (local gradient of that edge) * node.grad.",
        "Set the root's grad; then for node in reversed(...): for child, local_grad in zip(node._children, "
        "node._local_grads): child.grad += ...",
    ),
    "01-pow": (
        "The power rule: bring the exponent down in front, and lower the exponent by one.",
        "d(a**k)/da = k * a**(k - 1).",
        "return k * <the number inside a> ** (...): the new exponent needs parentheses.",
    ),
    "01-exp": (
        "e**a is the function that is its own slope.",
        "d(e**a)/da = e**a.",
        "return math.exp(<the number inside a>).",
    ),
    "01-log": (
        "The natural log grows more and more slowly: its slope shrinks as a grows.",
        "d(log a)/da = 1 / a.",
        "return 1 / <the number inside a>.",
    ),
    "01-relu": (
        "relu is flat (slope 0) left of 0 and the identity (slope 1) right of 0.",
        "slope = 1 if a > 0, else 0 (also at exactly a = 0).",
        "return 1.0 if <the number inside a> > 0 else ...",
    ),
}
add_hints(HINTS)
