"""Checks for the exercises: each takes the learner's function, tries it, and says precisely what is wrong.

A check raises AssertionError with a hint aimed at the likely mistake, and prints one short line when
the answer is right. Checks compare against the finished pieces of the package and against small cases
worked out by hand, never against a copy of the answer that could share its bug.
"""

import math
import random

from . import nn
from .data import Tokenizer
from .value import Value


def _fail(message):
    """Stop with a hint for the learner."""
    raise AssertionError(message)


def _ok(message):
    """Say, in one line, that the answer is right."""
    print(f"Correct: {message}")


def _call(fn, *args, **kwargs):
    """Call the learner's function; a stub that is still NotImplemented becomes a clear failure."""
    try:
        return fn(*args, **kwargs)
    except NotImplementedError:
        _fail(f"{getattr(fn, '__name__', 'your function')} is not written yet: replace the "
              "`raise NotImplementedError` in the cell above with your code, run it, then run this check")


def _close(a, b, tol=1e-9):
    """True when two numbers agree to a relative and absolute tolerance."""
    return math.isclose(a, b, rel_tol=tol, abs_tol=tol)


def _value_data(x, what):
    """The number inside `x`, insisting that it is a Value."""
    if not isinstance(x, Value):
        _fail(f"{what} should be a Value, but it is a {type(x).__name__} ({x!r})")
    return x.data


# --- lesson 01: Value ---


def _number(got, want, what, mistakes=(), tol=1e-9, otherwise=""):
    """Fail unless `got` is a plain number close to `want`; name the mistake if it matches a known one.

    `mistakes` is a list of (value a wrong answer gives, hint for that mistake); `otherwise` is the hint
    for any other wrong number.
    """
    if isinstance(got, Value):
        _fail(f"{what} should be a plain number, but it is a Value ({got!r}): use .data to get the number")
    if not isinstance(got, (int, float)):
        _fail(f"{what} should be a plain number, but it is a {type(got).__name__} ({got!r})")
    if _close(got, want, tol):
        return
    for wrong, hint in mistakes:
        if _close(got, wrong, tol):
            _fail(f"{what} is {got:.10g}, expected {want:.10g}. {hint}")
    _fail(f"{what} is {got:.10g}, expected {want:.10g}. {otherwise}".rstrip())


def check_numerical_grad(numerical_grad):
    """numerical_grad(f, x, h) must be the central difference (f(x + h) - f(x - h)) / (2 * h)."""

    def cube(x):
        """x**3: its central difference is exactly 3x^2 + h^2, so the step size shows in the answer."""
        return x**3

    h = 0.01
    forward = ((2 + h) ** 3 - 2**3) / h
    central_sum = (2 + h) ** 3 - (2 - h) ** 3
    got = _call(numerical_grad, cube, 2.0, h=h)
    _number(got, 12.0001, "numerical_grad(lambda x: x**3, 2.0, h=0.01)", [
        (forward, "That is the forward difference (f(x + h) - f(x)) / h, whose error shrinks only like h "
                  "(here 0.06). Step to both sides: (f(x + h) - f(x - h)) / (2 * h), whose error is h**2."),
        (central_sum / h, "You divided by h, but the two points x - h and x + h are 2*h apart: divide by (2 * h)."),
        (central_sum / 2 * h, "Write / (2 * h) with the parentheses: `/ 2 * h` divides by 2 and then "
                              "multiplies by h."),
        (12.0, "That is the exact slope, 3 * x**2 = 12; here h = 0.01 was given, and the central difference "
               "with that step is 12 + h**2 = 12.0001. Use the h argument."),
    ], tol=1e-7, otherwise="Use the h you are given and step to both sides of x: "
                           "(f(x + h) - f(x - h)) / (2 * h).")
    got = _call(numerical_grad, cube, 2.0, h=0.001)
    _number(got, 12.000001, "numerical_grad(lambda x: x**3, 2.0, h=0.001)",
            [(12.0001, "Your answer does not change when h does: use the h argument instead of a fixed step.")],
            tol=1e-8)
    got = _call(numerical_grad, math.sin, 1.0)
    _number(got, math.cos(1.0), "numerical_grad(math.sin, 1.0) with the default h", tol=1e-7)
    _ok("central difference: x**3 at x=2 with h=0.01 gives 12.0001 (exact slope 12, error h**2)")


def check_mul_local_grads(mul_local_grads):
    """mul_local_grads(a, b) must return (b.data, a.data): d(a*b)/da = b and d(a*b)/db = a."""
    a, b = Value(2.0), Value(-3.0)
    got = _call(mul_local_grads, a, b)
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        _fail(f"mul_local_grads should return a pair (d/da, d/db), like (1, 1) for +, but it returned {got!r}")
    if any(isinstance(g, Value) for g in got):
        _fail("return plain numbers (b.data, a.data), not the Values themselves: the local derivatives are "
              "numbers fixed when the node is made")
    if list(got) == [a.data, b.data]:
        _fail("for a=2, b=-3 you returned (2.0, -3.0). The local derivative of a*b with respect to a is "
              "b.data (a nudge of a is multiplied by b), and with respect to b it is a.data: (b.data, a.data)")
    if list(got) == [1, 1]:
        _fail("(1, 1) are the local derivatives of a + b; for a * b a nudge of a is multiplied by b: "
              "(b.data, a.data)")
    _number(got[0], -3.0, "d(a*b)/da for a=2, b=-3")
    _number(got[1], 2.0, "d(a*b)/db for a=2, b=-3")
    _ok("d(a*b)/da = b = -3.0 and d(a*b)/db = a = 2.0")


def check_pow_local(pow_local):
    """pow_local(a, k) must be k * a.data**(k - 1)."""
    for x, k in [(3.0, 2), (2.0, 3), (2.0, -1), (4.0, 0.5)]:
        got = _call(pow_local, Value(x), k)
        _number(got, k * x ** (k - 1), f"pow_local(Value({x}), {k})", [
            (x ** (k - 1), "You forgot the factor k in front: d(a**k)/da = k * a**(k - 1)."),
            (k * x**k, "The power goes down by one: k * a.data ** (k - 1), not k * a.data ** k."),
            (k * x**k - 1, "** binds tighter than -: write a.data ** (k - 1) with the parentheses."),
            (x**k, "That is the forward value a**k, not its slope k * a**(k - 1)."),
            ((k - 1) * x**k, "Bring the old exponent k down in front, then lower it by one: k * a**(k - 1)."),
        ])
    _ok("d(a**k)/da = k * a**(k-1): 6.0 for a=3, k=2 and -0.25 for a=2, k=-1")


def check_exp_local(exp_local):
    """exp_local(a) must be math.exp(a.data): e**a is its own derivative."""
    for x in [2.0, 0.0, -1.0, 0.5]:
        got = _call(exp_local, Value(x))
        _number(got, math.exp(x), f"exp_local(Value({x}))", [
            (x * math.exp(x - 1), "The power rule is for a fixed exponent (a**k); here the exponent is the "
                                  "variable. e**a is its own derivative: math.exp(a.data)."),
            (x, "That is a itself; the derivative of e**a is e**a again: math.exp(a.data)."),
            (1.0, "The slope of e**a is not constant: it equals e**a, math.exp(a.data)."),
        ])
    _ok("d(e**a)/da = e**a: 1.0 at a=0, 7.3891 at a=2")


def check_log_local(log_local):
    """log_local(a) must be 1 / a.data."""
    for x in [2.0, 0.25, 10.0]:
        got = _call(log_local, Value(x))
        _number(got, 1 / x, f"log_local(Value({x}))", [
            (math.log(x), "That is the forward value log(a); its slope is 1 / a.data."),
            (1 / math.log(x), "The slope of log(a) is 1 / a, not 1 / log(a)."),
            (-1 / x**2, "-1 / a**2 is the slope of 1 / a; the slope of log(a) is 1 / a.data."),
            (math.exp(x), "exp is the inverse of log, but not its derivative: d(log a)/da = 1 / a.data."),
        ])
    _ok("d(log a)/da = 1/a: 0.5 at a=2, 4.0 at a=0.25")


def check_relu_local(relu_local):
    """relu_local(a) must be 1.0 where a.data > 0 and 0.0 elsewhere (also at exactly 0)."""
    for x in [3.0, 0.5, -2.0, 0.0]:
        got = _call(relu_local, Value(x))
        want = 1.0 if x > 0 else 0.0
        mistakes = [(max(0.0, x), "That is relu's output max(0, a), not its slope: the slope is 1 where a > 0 "
                                  "and 0 elsewhere.")]
        if x < 0:
            mistakes.append((1.0, "Where a < 0, relu's output is 0 whatever a is, so its slope there is 0."))
        if x == 0:
            mistakes.append((1.0, "At exactly a = 0 use slope 0 (the condition is a.data > 0, not >=), as "
                                  "the reference and the package do."))
        _number(got, want, f"relu_local(Value({x}))", mistakes)
    _ok("relu's slope: 1.0 for a > 0, 0.0 for a <= 0")


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
        _fail(f"topo_sort on {what} should return a list of nodes, but it returned {order!r} "
              "(did you forget `return order`?)")
    nodes = root.topological_order()  # the package's order: used only for the set of nodes
    for node in order:
        if sum(n is node for n in order) > 1:
            _fail(f"topo_sort on {what}: node {_name(node)} appears {sum(n is node for n in order)} times. It is "
                  "used more than once in the expression; add each node to `visited` the first time you see "
                  "it and skip nodes that are already in `visited`.")
    if not any(n is root for n in order):
        _fail(f"topo_sort on {what}: the root {_name(root)} itself is missing from the order. After "
              "visiting a node's children, append the node itself: order.append(node).")
    missing = [n for n in nodes if not any(n is m for m in order)]
    if missing:
        _fail(f"topo_sort on {what} returned {len(order)} nodes, but the graph has {len(nodes)}; missing: "
              f"{', '.join(_name(n) for n in missing)}. Visit every child of every node (recursively).")
    if len(order) != len(nodes):
        _fail(f"topo_sort on {what} returned {len(order)} items, but the graph has {len(nodes)} nodes")
    if order[0] is root and len(order) > 1:
        _fail(f"topo_sort on {what} puts the root {_name(root)} first. Append a node to `order` only after "
              "all its children have been visited (post-order), so inputs come first and the root last.")
    position = {id(n): i for i, n in enumerate(order)}
    for node in order:
        for child in node._children:
            if position[id(child)] > position[id(node)]:
                _fail(f"topo_sort on {what}: node {_name(node)} comes before its child {_name(child)}. "
                      "Visit the children first, then append the node.")
    if order[-1] is not root:
        _fail(f"topo_sort on {what} should end with the root {_name(root)}, but it ends with {_name(order[-1])}")


def check_topo_sort(topo_sort):
    """topo_sort(root) must list every node of the graph once, each after its children, the root last."""
    a = Value(1.0, label="a")
    _check_order(_call(topo_sort, a), a, "a single input a")
    L, _ = _worked_example()
    _check_order(_call(topo_sort, L), L, "L = (a*b + c) * f")
    a = Value(3.0, label="a")
    b = a + a
    b.label = "b"
    y = b * a
    y.label = "y"
    _check_order(_call(topo_sort, y), y, "y = (a + a) * a")
    deep = Value(0.5, label="x")
    for _ in range(10):  # every node is used twice: without `visited` the work would double at each level
        deep = deep * deep + 1
    _check_order(_call(topo_sort, deep), deep, "a 10-level chain of x*x + 1")
    _ok("every node once, each after its children, the root last")


def _backward_hint(grads, want):
    """Name the likely mistake of a backward pass from the gradients it produced on the worked example."""
    if grads["L"] == 0:
        return ("L.grad is still 0: set root.grad = 1 before the loop. dL/dL = 1 is where the chain rule "
                "starts; everything else is a multiple of it.")
    if grads["L"] == 1 and all(grads[k] == 0 for k in "abcdef"):
        return ("Nothing reached the nodes below L. The gradient flows down each edge, from the node to its "
                "child: add into the child, child.grad += local_grad * node.grad (not into node.grad).")
    if all(grads[k] == want[k] for k in "Ldf") and all(grads[k] == 0 for k in "abce"):
        return ("Only the root's own children got gradients: walk the order from the root back to the "
                "inputs, `for node in reversed(order)`, so a node's grad is complete before it is passed on.")
    if grads["a"] == -3.0 and grads["b"] == 2.0:
        return ("a.grad is -3 = the local derivative alone. Chain rule: multiply it by the grad of the node "
                "above, child.grad += local * node.grad.")
    if grads["a"] == 1 and grads["b"] == 1:
        return ("every input got 1 = node.grad alone. Chain rule: multiply by the local derivative, "
                "child.grad += local * node.grad.")
    return ("For every node, from the root back to the inputs, and every (child, local_grad) pair of it: "
            "child.grad += local_grad * node.grad.")


def check_backward(backward):
    """backward(root) must fill in every node's grad by the chain rule, adding up over reused nodes."""
    L, nodes = _worked_example()
    want = {"a": 6.0, "b": -4.0, "c": -2.0, "d": -2.0, "e": -2.0, "f": 4.0, "L": 1.0}
    _call(backward, L)
    grads = {k: n.grad for k, n in nodes.items()}
    if any(not _close(grads[k], want[k]) for k in want):
        shown = ", ".join(f"{k}.grad={grads[k]:g}" for k in "abcdefL")
        _fail(f"on L = (a*b + c) * f with a=2, b=-3, c=10, f=-2 you got {shown}; expected a.grad=6, "
              f"b.grad=-4, c.grad=-2, d.grad=-2, e.grad=-2, f.grad=4, L.grad=1. {_backward_hint(grads, want)}")
    for text, make, want_grad in [
        ("b = a + a", lambda a: a + a, 2.0),
        ("y = a * a", lambda a: a * a, 6.0),
    ]:
        a = Value(3.0)
        _call(backward, make(a))
        if not _close(a.grad, want_grad):
            hint = ""
            if a.grad in (1.0, 3.0):
                hint = (" a is used twice, so it gets a contribution from each use: add them up with "
                        "`child.grad += ...`; with `=` the second use overwrites the first.")
            _fail(f"for {text} with a=3, a.grad should be {want_grad:g}, but it is {a.grad!r}.{hint}")
    # random expressions: the learner's backward against the package's, on two copies of the same graph
    rng = random.Random(1)
    for _ in range(20):
        seed = rng.random()
        mine_inputs, mine = _random_expression(random.Random(seed))
        ref_inputs, ref = _random_expression(random.Random(seed))
        _call(backward, mine)
        ref.backward()
        for x, y in zip(mine_inputs, ref_inputs):
            if not _close(x.grad, y.grad, 1e-9):
                _fail(f"on a random expression an input's grad is {x.grad!r}, but the package says {y.grad!r}. "
                      "Check that every edge adds local * node.grad into child.grad, in reversed order.")
    _ok("a.grad=6, b.grad=-4, c.grad=-2, f.grad=4 on the worked example, reused nodes add up")


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


# --- lesson 02: data and tokens ---


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


# --- lesson 03: building blocks ---


def _values(numbers):
    """Fresh Values holding `numbers`."""
    return [Value(float(n)) for n in numbers]


def _as_numbers(got, n, what):
    """The .data of a list of `n` Values, failing with a clear message when it is not one."""
    if not isinstance(got, list):
        _fail(f"{what} should return a list of Values, but it returned a {type(got).__name__} ({got!r})")
    if len(got) != n:
        _fail(f"{what} should return {n} numbers, but it returned {len(got)}: {got!r}")
    if any(isinstance(g, list) for g in got):
        _fail(f"{what} returned a list of lists ({got[0]!r}, ...): each output is ONE number, the sum of "
              "the products; add them up with sum()")
    return [_value_data(g, f"each output of {what}") for g in got]


def _same_numbers(got, want, tol=1e-12):
    """True when two lists of numbers agree entry by entry."""
    return len(got) == len(want) and all(_close(a, b, tol) for a, b in zip(got, want))


def _show(numbers):
    """A list of numbers, short enough for a message."""
    return "[" + ", ".join(f"{x:.6g}" for x in numbers) + "]"


def check_linear(linear):
    """linear(x, w) must be w times x: one output per row of w, the dot product of that row with x."""
    w_numbers = [[1, 2, 3], [4, 5, 6], [7, 8, 10]]
    x, w = _values([1, -1, 2]), [_values(row) for row in w_numbers]
    want = [v.data for v in nn.linear(x, w)]
    got = _as_numbers(_call(linear, x, w), 3, "linear(x, w) for a 3 x 3 w")
    if not _same_numbers(got, want):
        transposed = [v.data for v in nn.linear(x, [list(col) for col in zip(*w)])]
        all_pairs = [sum(row) * sum([1, -1, 2]) for row in w_numbers]
        hint = ""
        if _same_numbers(got, transposed):
            hint = (" You multiplied by the transpose of w: output i is the dot product of ROW i of w (w[i]) "
                    "with x, not of column i.")
        elif _same_numbers(got, all_pairs):
            hint = (" You multiplied every weight of a row by EVERY entry of x (two `for`s in one generator). "
                    "Pair them up instead, the first weight with the first entry and so on: zip(row, x).")
        _fail(f"linear(x={_show([1, -1, 2])}, w={w_numbers}) gave {_show(got)}, expected {_show(want)}.{hint}")
    x, w = _values([0.5, -2.0, 3.0]), [_values([1, 0, 2]), _values([-1, 1, 0.5])]
    got = _as_numbers(_call(linear, x, w), 2, "linear(x, w) for a 2 x 3 w (2 outputs, 3 inputs)")
    if not _same_numbers(got, [v.data for v in nn.linear(x, w)]):
        _fail(f"for a 2 x 3 w you gave {_show(got)}, expected {_show([v.data for v in nn.linear(x, w)])}")
    out = _call(linear, x, w)
    sum(out).backward()
    if [xi.grad for xi in x] != [0.0, 1.0, 2.5]:
        _fail("the outputs are right but the gradients do not reach x: compute with the Values themselves "
              "(not their .data), so backward() can go through")
    _ok("linear(x, w) = [w[i] . x for each row i], and gradients flow back to x")


def _check_softmax_small(softmax, name):
    """Compare a softmax with the package's on small logits; name the usual slips."""
    numbers = [1.0, 2.0, 0.5, -1.0]
    logits = _values(numbers)
    want = [p.data for p in nn.softmax(_values(numbers))]
    got = _as_numbers(_call(softmax, logits), 4, f"{name}(logits)")
    if _same_numbers(got, want):
        probs = _call(softmax, logits)
        probs[0].log().backward()  # d log p0 / d logit_j = 1[j == 0] - p_j
        grads = [lg.grad for lg in logits]
        if not _same_numbers(grads, [(j == 0) - p for j, p in enumerate(want)], 1e-9):
            _fail(f"{name} gives the right numbers, but its gradients are wrong ({_show(grads)}): compute with "
                  "Values (l.exp(), +, /), not with math.exp on .data, so backward() can go through")
        return
    exps = [math.exp(x) for x in numbers]
    if _same_numbers(got, exps):
        _fail(f"{name}({_show(numbers)}) gave {_show(got)}, which are just the exponentials: divide each by "
              "their total, so the probabilities add up to 1")
    if _same_numbers(got, [x / sum(numbers) for x in numbers]):
        _fail(f"{name}({_show(numbers)}) gave {_show(got)}: you divided the logits by their sum. Take exp() "
              "first (it makes every score positive), then divide by the total of the exponentials")
    _fail(f"{name}({_show(numbers)}) gave {_show(got)} (total {sum(got):.6g}), expected {_show(want)}")


def check_softmax(softmax):
    """softmax(logits) must be exp(l) / total of the exps, on Values."""
    _check_softmax_small(softmax, "softmax")
    _ok("softmax([1, 2, 0.5, -1]) matches microgpt.softmax: positive, adds up to 1, gradients flow")


def check_stable_softmax(softmax):
    """stable_softmax(logits) must subtract the largest logit before exp, so that big logits do not overflow."""
    _check_softmax_small(softmax, "stable_softmax")
    for numbers in ([1000.0, 1001.0, 1002.0], [-1000.0, 0.0, 1000.0], [-5.0, 800.0, 799.0]):
        try:
            got = _as_numbers(_call(softmax, _values(numbers)), 3, f"stable_softmax({numbers})")
        except OverflowError:
            _fail(f"stable_softmax({numbers}) overflowed: exp() of a number above about 709 is too big for a "
                  "float. Subtract the LARGEST logit (max of the .data) from every logit first; then the "
                  "biggest exponent is exp(0) = 1 and nothing can overflow")
        want = [p.data for p in nn.softmax(_values(numbers))]
        if not _same_numbers(got, want, 1e-9):
            _fail(f"stable_softmax({numbers}) gave {_show(got)}, expected {_show(want)}")
    _ok("stable_softmax([1000, 1001, 1002]) = [0.0900, 0.2447, 0.6652], no overflow")


def check_rmsnorm(rmsnorm):
    """rmsnorm(x) must be x * (mean(x**2) + 1e-5) ** -0.5, as microgpt.rmsnorm."""
    numbers = [1.0, -2.0, 3.0, 0.5]
    want = [v.data for v in nn.rmsnorm(_values(numbers))]
    try:
        got = _as_numbers(_call(rmsnorm, _values(numbers)), 4, "rmsnorm(x)")
    except ZeroDivisionError:
        got = None
    if got is None or not _same_numbers(got, want):
        n, squares, mean = len(numbers), sum(v * v for v in numbers), sum(numbers) / len(numbers)
        var = sum((v - mean) ** 2 for v in numbers) / n
        mistakes = [
            ([v * (squares / n) ** -0.5 for v in numbers],
             "You left out the 1e-5: add it to the mean square before the root, (ms + 1e-5) ** -0.5. It "
             "changes the numbers only a little, but it keeps a vector of zeros from dividing by zero."),
            ([v * (squares + 1e-5) ** -0.5 for v in numbers],
             "You used the SUM of the squares; rmsnorm uses their MEAN, sum / len(x)."),
            ([v * (squares / n + 1e-5) ** -1 for v in numbers],
             "You divided by the mean square itself; divide by its square ROOT: (ms + 1e-5) ** -0.5."),
            ([v * (squares / n + 1e-5) ** 0.5 for v in numbers],
             "You multiplied by the root mean square; DIVIDE by it: the exponent is -0.5, not 0.5."),
            ([(v - mean) * (var + 1e-5) ** -0.5 for v in numbers],
             "That is layer norm: rmsnorm does not subtract the mean, it only rescales x."),
        ]
        for wrong, hint in mistakes:
            if got is not None and _same_numbers(got, wrong, 1e-9):
                _fail(f"rmsnorm({_show(numbers)}) gave {_show(got)}, expected {_show(want)}. {hint}")
        if got is not None:
            _fail(f"rmsnorm({_show(numbers)}) gave {_show(got)}, expected {_show(want)}")
    try:
        zeros = _as_numbers(_call(rmsnorm, _values([0, 0, 0])), 3, "rmsnorm([0, 0, 0])")
    except ZeroDivisionError:
        _fail("rmsnorm([0, 0, 0]) divided by zero: add 1e-5 to the mean square before taking ** -0.5")
    if zeros != [0.0, 0.0, 0.0]:
        _fail(f"rmsnorm([0, 0, 0]) should stay [0, 0, 0], got {zeros}")
    x = _values(numbers)
    sum(_call(rmsnorm, x)).backward()
    ref = _values(numbers)
    sum(nn.rmsnorm(ref)).backward()
    if not _same_numbers([v.grad for v in x], [v.grad for v in ref], 1e-9):
        _fail("rmsnorm gives the right numbers but the wrong gradients: compute the scale from the Values "
              "themselves (not their .data), because the scale depends on x too")
    _ok("rmsnorm matches microgpt.rmsnorm: the output's root-mean-square is 1 (almost: the 1e-5)")


def check_cross_entropy(cross_entropy):
    """cross_entropy(logits, target) must be -log(softmax(logits)[target]), a Value."""
    numbers, target = [2.0, 1.0, 0.1], 0
    probs = [p.data for p in nn.softmax(_values(numbers))]
    want = -math.log(probs[target])
    logits = _values(numbers)
    loss = _call(cross_entropy, logits, target)
    got = _value_data(loss, "cross_entropy(logits, target)")
    what = f"cross_entropy({numbers}, target={target})"
    if not _close(got, want):
        mistakes = [
            (-want, "It is negative: log p is <= 0 for a probability, so the loss is MINUS log p."),
            (-probs[target], "Take the log: the loss is -log(p), not -p."),
            (probs[target], "That is the probability itself; the loss is -log of it."),
            (1 - probs[target], "1 - p also falls as p rises, but the loss is -log(p): it punishes a "
                                "confident wrong answer without limit."),
            (-math.log(probs[1]), "You took the probability of the wrong token: index the probabilities "
                                  "with target, probs[target]."),
            (-sum(math.log(p) for p in probs), "Only the target's probability counts: -log(probs[target])."),
        ]
        for wrong, hint in mistakes:
            if _close(got, wrong):
                _fail(f"{what} is {got:.6g}, expected {want:.6g}. {hint}")
        _fail(f"{what} is {got:.6g}, expected {want:.6g} (= -log of softmax(logits)[target])")
    loss.backward()
    grads = [lg.grad for lg in logits]
    expected = [p - (i == target) for i, p in enumerate(probs)]
    if not _same_numbers(grads, expected, 1e-9):
        _fail(f"{what} is right, but the gradients on the logits are {_show(grads)}, expected "
              f"{_show(expected)} (p - 1 for the target, p for the others): build it from Values")
    uniform = _value_data(_call(cross_entropy, _values([0.0] * 27), 5), "cross_entropy of 27 equal logits")
    if not _close(uniform, math.log(27)):
        _fail(f"27 equal logits should give -log(1/27) = ln 27 = 3.2958, you gave {uniform:.6g}")
    _ok(f"cross-entropy = -log p(target): {want:.4f} here, ln 27 = 3.2958 for a uniform guess over 27 tokens")


def check_sgd_step(sgd_step):
    """sgd_step(params, lr) must move each p.data by -lr * p.grad, in place, and then zero p.grad."""
    params = [Value(1.0), Value(-2.0), Value(0.5)]
    for p, g in zip(params, [0.5, -1.0, 0.0]):
        p.grad = g
    _call(sgd_step, params, 0.1)
    got, want = [p.data for p in params], [0.95, -1.9, 0.5]
    if not _same_numbers(got, want):
        if _same_numbers(got, [1.05, -2.1, 0.5]):
            _fail(f"the parameters went UP the gradient ({_show(got)}, expected {_show(want)}): to make the "
                  "loss smaller, step against it, p.data -= lr * p.grad")
        if got == [1.0, -2.0, 0.5]:
            _fail("the parameters did not change. Change each p.data in place (p.data -= lr * p.grad); "
                  "`p = ...` only gives the loop variable a new value and leaves the parameter alone")
        _fail(f"with grads [0.5, -1.0, 0.0] and lr 0.1 the data should become {_show(want)}, got {_show(got)}")
    if [p.grad for p in params] != [0, 0, 0]:
        _fail(f"the data moved correctly, but the gradients are still {[p.grad for p in params]}: set "
              "p.grad = 0 after the update, because the next backward() ADDS into grad")
    _ok("p.data -= lr * p.grad for every parameter, then p.grad = 0")


# --- lesson 04: attention ---


def _flat_numbers(got, n, what, wrong_length="", nested=""):
    """The .data of a flat list of `n` Values returned by the learner; fail with a hint when it is not one."""
    if not isinstance(got, (list, tuple)):
        _fail(f"{what} should return a list of Values, but it returned a {type(got).__name__} ({got!r})")
    if any(isinstance(g, (list, tuple)) for g in got):
        _fail(f"{what} returned a list of lists (its first item is {got[0]!r}). {nested}".rstrip())
    if len(got) != n:
        _fail(f"{what} should return {n} numbers, but it returned {len(got)}. {wrong_length}".rstrip())
    return [_value_data(g, f"each number returned by {what}") for g in got]


def _grid_numbers(got, n, what):
    """A square n x n list of lists of numbers (plain floats or Values) returned by the learner."""
    if not isinstance(got, (list, tuple)) or len(got) != n:
        _fail(f"{what} should return {n} rows (one per query position), but it returned {got!r}")
    rows = []
    for q, row in enumerate(got):
        if not isinstance(row, (list, tuple)) or len(row) != n:
            _fail(f"{what}: row {q} should hold {n} weights (one per key position, 0 for the future), "
                  f"but it is {row!r}. Pad each row with zeros up to the full length")
        rows.append([float(getattr(w, "data", w)) for w in row])
    return rows


def check_attention_scores(attention_scores):
    """attention_scores(q, keys, head_dim) must be [q . k / sqrt(head_dim) for each key k], as Values."""
    q_numbers, key_numbers = [1, 0, 2, -1], [[1, 1, 1, 1], [2, 0, 0, 2], [0, -1, 1, 3]]
    dots = [2.0, 0.0, -1.0]  # worked by hand: 1+0+2-1, 2+0+0-2, 0+0+2-3
    want = [d / 2 for d in dots]  # head_dim 4, so divide by sqrt(4) = 2
    q, keys = _values(q_numbers), [_values(k) for k in key_numbers]
    what = "attention_scores(q, keys, head_dim=4) with 3 keys"
    got = _flat_numbers(_call(attention_scores, q, keys, 4), 3, what,
                        wrong_length="One score per key: the score of key t is the single number q . keys[t].",
                        nested="Each score is ONE number: add the products up, sum(q[j] * k[j] for j in ...).")
    if not _same_numbers(got, want):
        mistakes = [
            (dots, "These are the plain dot products q . k: divide each by sqrt(head_dim), here sqrt(4) = 2."),
            ([d / 4 for d in dots], "You divided by head_dim; divide by its square ROOT, head_dim ** 0.5."),
            ([d * 2 for d in dots], "You multiplied by sqrt(head_dim); divide by it."),
            ([d / 3**0.5 for d in dots], "You divided by the square root of the number of keys; the scale "
                                          "depends on the length of the vectors, head_dim."),
        ]
        for wrong, hint in mistakes:
            if _same_numbers(got, wrong):
                _fail(f"for q = {q_numbers} and keys {key_numbers} you gave {_show(got)}, expected "
                      f"{_show(want)}. {hint}")
        _fail(f"for q = {q_numbers} and keys {key_numbers} you gave {_show(got)}, expected {_show(want)}: "
              "the score of each key is sum(q[j] * k[j]) / head_dim ** 0.5")
    got = _flat_numbers(_call(attention_scores, _values([1] * 9), [_values([1] * 9), _values([-1] * 9)], 9), 2,
                        "attention_scores(q, keys, head_dim=9)")
    if not _same_numbers(got, [3.0, -3.0]):
        _fail(f"for head_dim = 9, q = [1]*9 and keys [1]*9, [-1]*9 you gave {_show(got)}, expected [3, -3] "
              "(dot products 9 and -9, divided by sqrt(9) = 3)")
    scores = _call(attention_scores, q, keys, 4)
    scores[1].backward()
    if not _same_numbers([v.grad for v in q], [1.0, 0.0, 0.0, 1.0]):
        _fail("the scores are right, but no gradient reaches q: compute them with the Values themselves "
              "(not their .data), so that training can change the weights that made q and k")
    _ok("score = q . k / sqrt(head_dim): [1, 0, -0.5] for the worked example")


def check_attend(attend):
    """attend(weights, values) must be the weighted sum: out[j] = sum over t of weights[t] * values[t][j]."""
    w_numbers, v_numbers = [0.5, 0.25, 0.25], [[2, 0], [0, 4], [4, 8]]
    want = [2.0, 3.0]  # 0.5*2 + 0.25*0 + 0.25*4 and 0.5*0 + 0.25*4 + 0.25*8
    weights, values = _values(w_numbers), [_values(v) for v in v_numbers]
    what = "attend(weights, values) for 3 positions with values of 2 numbers"
    got = _flat_numbers(_call(attend, weights, values), 2, what,
                        wrong_length="The output has one number per DIMENSION of a value vector (2 here), not "
                                     "one per position (3): for each j, add weights[t] * values[t][j] over the "
                                     "positions t.",
                        nested="Each output number is one sum over the positions: "
                               "sum(weights[t] * values[t][j] for t in range(len(values))).")
    if not _same_numbers(got, want):
        mistakes = [
            ([6.0, 12.0], "You added up the value vectors without their weights: multiply each by its weight, "
                          "weights[t] * values[t][j]."),
            ([2.0, 4.0], "That is the plain average of the values; weight each position by its attention weight."),
            ([3.0, 3.0], "You picked the weight by the dimension j (weights[j]); each position t has one weight "
                         "for its whole value vector: weights[t] * values[t][j], the same t twice."),
        ]
        for wrong, hint in mistakes:
            if _same_numbers(got, wrong):
                _fail(f"with weights {w_numbers} and values {v_numbers} you gave {_show(got)}, expected "
                      f"{_show(want)}. {hint}")
        _fail(f"with weights {w_numbers} and values {v_numbers} you gave {_show(got)}, expected {_show(want)}: "
              "out[j] = sum over the positions t of weights[t] * values[t][j]")
    # as many positions as dimensions, so that summing over the wrong index gives the right length
    got = _flat_numbers(_call(attend, _values([0.9, 0.1]), [_values([1, 2]), _values([3, 4])]), 2,
                        "attend(weights, values) for 2 positions with values of 2 numbers")
    if not _same_numbers(got, [1.2, 2.2]):
        hint = (" You summed over the dimensions j instead of over the positions t: out[j] mixes the j-th number "
                "of every position's value." if _same_numbers(got, [2.7, 0.7]) else "")
        _fail(f"with weights [0.9, 0.1] and values [[1, 2], [3, 4]] you gave {_show(got)}, expected "
              f"[1.2, 2.2] (0.9 * [1, 2] + 0.1 * [3, 4]).{hint}")
    out = _call(attend, weights, values)
    sum(out).backward()
    if not _same_numbers([w.grad for w in weights], [2.0, 4.0, 12.0]):
        _fail("the numbers are right but no gradient reaches the weights: multiply the Values themselves "
              "(not their .data)")
    _ok("out[j] = sum over t of weights[t] * values[t][j]: [2, 3] for the worked example")


def check_causal_weights(causal_weights):
    """causal_weights(scores) must give row q the softmax of scores[q][:q + 1], then zeros for the future."""
    scores = [[0.0, 5.0, 5.0], [1.0, 1.0, 9.0], [0.0, math.log(2), 0.0]]
    want = [[1.0, 0.0, 0.0], [0.5, 0.5, 0.0], [0.25, 0.5, 0.25]]
    what = "causal_weights(scores) for 3 positions"
    try:
        got = _call(causal_weights, [row[:] for row in scores])
    except (ValueError, ZeroDivisionError) as err:
        _fail(f"causal_weights crashed with {type(err).__name__}: {err}. Is a row empty? Position q sees the "
              "keys 0 to q, itself included, so even position 0 has one key: scores[q][:q + 1]")
    rows = _grid_numbers(got, 3, what)
    if all(_same_numbers(r, w) for r, w in zip(rows, want)):
        got = _grid_numbers(_call(causal_weights, [[2.0]]), 1, "causal_weights([[2.0]])")
        if not _same_numbers(got[0], [1.0]):
            _fail(f"a single position must put all its weight on itself: causal_weights([[2.0]]) should be "
                  f"[[1.0]], got {got}")
        _ok("row q is the softmax of scores[q][:q + 1], then zeros: the future gets no weight")
        return
    shown = "[" + ", ".join(_show(r) for r in rows) + "]"
    prefix = f"for scores {scores} you gave {shown}, expected {want}."
    zero_masked = [[math.exp(s) / (sum(math.exp(x) for x in row[:q + 1]) + len(row) - q - 1) if k <= q else 0.0
                    for k, s in enumerate(row)] for q, row in enumerate(scores)]
    future = [(q, k) for q in range(3) for k in range(q + 1, 3) if abs(rows[q][k]) > 1e-12]
    if future:
        q, k = future[0]
        _fail(f"{prefix} Position {q} gives weight {rows[q][k]:.3g} to position {k}, which comes AFTER it: a "
              "position may only look at itself and the past. Take the softmax of scores[q][:q + 1] only, and "
              "fill the rest of the row with 0.")
    if all(_same_numbers(r, w) for r, w in zip(rows, zero_masked)):
        _fail(f"{prefix} You gave the future a score of 0, but exp(0) = 1 still takes a share of the total. "
              "Leave the future out of the softmax altogether (or give it a score of minus infinity).")
    sums = [sum(r) for r in rows]
    if not all(_close(s, 1.0) for s in sums):
        _fail(f"{prefix} Your rows add up to {_show(sums)}, not 1. Did you take the softmax of the whole row and "
              "then set the future to 0? Cut the row first, scores[q][:q + 1], then take the softmax.")
    _fail(f"{prefix} Row q is the softmax of the scores of the keys 0..q, followed by zeros.")


def check_head_slice(head_slice):
    """head_slice(vec, h, head_dim) must be vec[h * head_dim:(h + 1) * head_dim]."""
    vec = list(range(16))  # each number is its own index, so a wrong slice shows where it went
    for head_dim in (4, 2, 8):
        for h in range(16 // head_dim):
            want = vec[h * head_dim:(h + 1) * head_dim]
            got = _call(head_slice, vec, h, head_dim)
            if not isinstance(got, list):
                _fail(f"head_slice should return a list (a slice of vec), but it returned {got!r}")
            if got == want:
                continue
            if len(got) == head_dim - 1:
                hint = ("It is one number short: the end of a Python slice is NOT included, so head h ends at "
                        "(h + 1) * head_dim, not (h + 1) * head_dim - 1.")
            elif len(got) == head_dim + 1:
                hint = "It is one number too long: every head gets exactly head_dim numbers."
            elif got == vec[h:h + head_dim]:
                hint = ("You started at h; head h starts at h * head_dim, because each head before it takes "
                        "head_dim numbers.")
            elif len(got) != head_dim:
                hint = "Every head gets exactly head_dim numbers."
            else:
                hint = "Head h takes the numbers from h * head_dim up to (but not including) (h + 1) * head_dim."
            _fail(f"head_slice(list(range(16)), h={h}, head_dim={head_dim}) gave {got}, expected {want}. {hint}")
    _ok("head h gets vec[h * head_dim:(h + 1) * head_dim]: 4 heads of 4 tile the 16 numbers exactly")


def _forward_with_attention(model, token_id, pos_id, keys, values, attention):
    """The model's logits, computed as microgpt.model does but with `attention(q, keys, values, n_head)`."""
    c, sd = model.config, model.state_dict
    x = nn.rmsnorm([t + p for t, p in zip(sd["wte"][token_id], sd["wpe"][pos_id])])
    for li in range(c.n_layer):
        x_residual = x
        x = nn.rmsnorm(x)
        q = nn.linear(x, sd[f"layer{li}.attn_wq"])
        keys[li].append(nn.linear(x, sd[f"layer{li}.attn_wk"]))
        values[li].append(nn.linear(x, sd[f"layer{li}.attn_wv"]))
        x_attn = attention(q, keys[li], values[li], c.n_head)
        _flat_numbers(x_attn, c.n_embd, f"multi_head_attention(q, keys, values, n_head={c.n_head}) with "
                                         f"{c.n_embd} numbers in q",
                      wrong_length=f"Concatenate the {c.n_head} heads' outputs of head_dim = {c.head_dim} "
                                   f"numbers each into one list of {c.n_embd} (head_dim is len(q) // n_head).",
                      nested="Join the heads' outputs into ONE flat list: out.extend(head_out), not out.append.")
        x = [a + b for a, b in zip(nn.linear(x_attn, sd[f"layer{li}.attn_wo"]), x_residual)]
        x_residual = x
        hidden = [h.relu() for h in nn.linear(nn.rmsnorm(x), sd[f"layer{li}.mlp_fc1"])]
        x = [a + b for a, b in zip(nn.linear(hidden, sd[f"layer{li}.mlp_fc2"]), x_residual)]
    return nn.linear(x, sd["lm_head"])


def check_multi_head(multi_head_attention):
    """multi_head_attention(q, keys, values, n_head), plugged into a GPT, must give microgpt's own logits."""
    from .model import GPT, GPTConfig  # imported here: the checks of the early lessons need no model
    from .weights import load_pretrained

    def attention(q, keys, values, n_head):
        """The learner's function; a crash inside it becomes a hint (the cause stays in the traceback)."""
        try:
            return _call(multi_head_attention, q, keys, values, n_head)
        except AssertionError:
            raise
        except Exception as err:
            raise AssertionError(
                f"multi_head_attention crashed with {type(err).__name__}: {err}. It calls your head_slice, "
                "attention_scores and attend: if their checks pass, look at what you give them. Each head works "
                "on vectors of head_dim = len(q) // n_head numbers, so that is the size to pass, not len(q) "
                "(the traceback above shows the line that failed)") from err

    one = _values([0.5, -1.0, 2.0, 0.25, 1.5, -0.5])
    got = _flat_numbers(attention(_values([1, 2, 3, 4, 5, 6]), [one], [one], 2), 6,
                        "multi_head_attention with one position, 6 numbers and 2 heads",
                        wrong_length="Concatenate the heads: n_head outputs of head_dim = len(q) // n_head "
                                     "numbers each.",
                        nested="Join the heads' outputs into ONE flat list: out.extend(head_out), not out.append.")
    if not _same_numbers(got, [v.data for v in one]):
        _fail(f"with a single position every head gives it weight 1, so the output must be that position's "
              f"value vector {_show([v.data for v in one])}, but you gave {_show(got)}. Are the weights the "
              "softmax of the scores? Does each head take its own slice of the values?")
    small = GPT(GPTConfig(vocab_size=6, n_embd=12, n_head=3, block_size=8), random.Random(1))
    model, tok = load_pretrained()
    cases = [(small, [5, 0, 1, 2, 1], "a small random GPT with 3 heads of 4"),
             (model, [tok.bos] + tok.encode("emma"), "the trained model (4 heads of 4) reading BOS, e, m, m, a")]
    for gpt, ids, name in cases:
        want_cache, got_cache = gpt.new_cache(), gpt.new_cache()
        for pos, token in enumerate(ids):
            want = [v.data for v in gpt(token, pos, *want_cache)]
            got = [v.data for v in _forward_with_attention(gpt, token, pos, *got_cache, attention)]
            if not _same_numbers(got, want, 1e-9):
                where = ("at position 0, where there is one key and each head's output is just its slice of the "
                         "value" if pos == 0 else f"at position {pos} (earlier positions were right)")
                _fail(f"in {name}, the logits differ from microgpt's {where}: for example "
                      f"{got[0]:.6f} instead of {want[0]:.6f}. Each head h must use its own slice "
                      "head_slice(..., h, head_dim) of q, of EVERY key and of EVERY value, with head_dim = "
                      "len(q) // n_head; its weights are softmax(attention_scores(q_h, k_h, head_dim)), scaled "
                      "by the head's own size head_dim, not len(q); the heads' outputs are concatenated in order "
                      "h = 0, 1, ...")
    _ok("plugged into the trained model, your multi-head attention gives exactly microgpt's logits")


# --- lesson 05: the GPT ---


def check_embed(embed):
    """embed(token_id, pos_id, wte, wpe) must be wte[token_id] + wpe[pos_id], added entry by entry."""
    wte_numbers = [[1, 2], [3, 4], [5, 6], [7, 8]]
    wpe_numbers = [[0.1, 0.2], [0.3, 0.4], [0.5, 0.6]]
    wte, wpe = [_values(r) for r in wte_numbers], [_values(r) for r in wpe_numbers]
    want = [3.5, 4.6]  # token 1 is [3, 4], position 2 is [0.5, 0.6]
    what = f"embed(token_id=1, pos_id=2, wte={wte_numbers}, wpe={wpe_numbers})"
    out = _call(embed, 1, 2, wte, wpe)
    if isinstance(out, list) and len(out) == 4:
        _fail(f"{what} returned 4 numbers for an embedding of 2. With lists, `wte[token_id] + wpe[pos_id]` "
              "joins the two lists end to end; add them entry by entry: [t + p for t, p in zip(..., ...)]")
    got = _flat_numbers(out, 2, what)
    if not _same_numbers(got, want):
        mistakes = [
            ([3.0, 4.0], "That is the token's row alone: add the position's row wpe[pos_id], so the model knows "
                         "WHERE the token is."),
            ([5.3, 6.4], "You swapped the two: the token id picks a row of wte, the position a row of wpe."),
            ([0.5, 0.6], "That is the position's row alone: add the token's row wte[token_id]."),
        ]
        for wrong, hint in mistakes:
            if _same_numbers(got, wrong):
                _fail(f"{what} gave {_show(got)}, expected {_show(want)}. {hint}")
        _fail(f"{what} gave {_show(got)}, expected {_show(want)} (= wte[1] + wpe[2], entry by entry)")
    sum(_call(embed, 1, 2, wte, wpe)).backward()
    grads = [[p.grad for p in row] for row in wte + wpe]
    if grads != [[0, 0], [1, 1], [0, 0], [0, 0], [0, 0], [0, 0], [1, 1]]:
        _fail("the numbers are right, but the gradients do not reach exactly wte[token_id] and wpe[pos_id]: "
              "add the Values themselves (not their .data)")
    _ok("x = wte[token] + wpe[pos], entry by entry: [3.5, 4.6] for token 1 at position 2")


def check_residual_block(residual_block):
    """residual_block(x, f) must be x + f(rmsnorm(x)), entry by entry: a pre-norm residual connection."""
    x_numbers = [3.0, -4.0, 1.0]

    def block(v):
        """A stand-in for attention or the MLP: any function from a vector to a vector of the same size."""
        return [2 * vi + 1 for vi in v]

    def norm(numbers):
        """rmsnorm on plain numbers."""
        return [v.data for v in nn.rmsnorm(_values(numbers))]

    n = norm(x_numbers)
    want = [a + 2 * b + 1 for a, b in zip(x_numbers, n)]
    got = _flat_numbers(_call(residual_block, _values(x_numbers), block), 3,
                        f"residual_block(x={x_numbers}, f=lambda v: [2 * vi + 1 for vi in v])")
    if not _same_numbers(got, want, 1e-9):
        mistakes = [
            ([2 * b + 1 for b in n], "That is f(rmsnorm(x)) alone: add x back, entry by entry. The block "
                                     "only adds an update to the stream, it does not replace it."),
            (norm([3 * a + 1 for a in x_numbers]),
             "You added first and normalised the sum. In this GPT the norm comes first, on the block's input "
             "only: x + f(rmsnorm(x)), and the stream x itself is never normalised."),
            ([3 * b + 1 for b in n], "You added the NORMALISED x back. Add the original x: rmsnorm only "
                                     "prepares the block's input; the stream carries x on untouched."),
            ([3 * a + 1 for a in x_numbers], "You forgot the norm: the block reads rmsnorm(x), not x."),
        ]
        for wrong, hint in mistakes:
            if _same_numbers(got, wrong, 1e-9):
                _fail(f"for x = {x_numbers} and f(v) = 2v + 1 you gave {_show(got)}, expected {_show(want)}. {hint}")
        _fail(f"for x = {x_numbers} and f(v) = 2v + 1 you gave {_show(got)}, expected {_show(want)} "
              "(= x + f(rmsnorm(x)))")
    x = _values(x_numbers)
    out = _call(residual_block, x, lambda v: [0 * vi for vi in v])
    if [o.data for o in out] != x_numbers:
        _fail(f"with a block that outputs zeros, x must pass through unchanged, but {x_numbers} became "
              f"{_show([o.data for o in out])}")
    sum(out).backward()
    if [v.grad for v in x] != [1.0, 1.0, 1.0]:
        _fail(f"with a block that outputs zeros, d(sum of outputs)/dx should be 1 for every entry (the + passes "
              f"the gradient straight through), got {[v.grad for v in x]}: compute with the Values themselves")
    _ok("x + f(rmsnorm(x)): with a block that outputs zeros, x and its gradient pass straight through")


def check_mlp(mlp):
    """mlp(x, fc1, fc2) must be linear(relu(linear(x, fc1)), fc2)."""
    x_numbers, fc1_numbers, fc2_numbers = [1, -1], [[1, 0], [0, 1], [1, 1]], [[1, 1, 1], [-2, 1, 3]]
    # by hand: fc1 x = [1, -1, 0]; relu -> [1, 0, 0]; fc2 -> [1, -2]
    want = [1.0, -2.0]
    x, fc1, fc2 = _values(x_numbers), [_values(r) for r in fc1_numbers], [_values(r) for r in fc2_numbers]
    what = f"mlp(x={x_numbers}, fc1={fc1_numbers}, fc2={fc2_numbers})"
    got = _flat_numbers(_call(mlp, x, fc1, fc2), 2, what,
                        wrong_length="The MLP goes n_embd -> 4 * n_embd -> n_embd: fc1 widens, fc2 narrows back.")
    if not _same_numbers(got, want):
        mistakes = [
            ([0.0, -3.0], "You left out the relu between the two layers. Without it, two linear maps in a row "
                          "are just one linear map, and the MLP could learn nothing more than one layer."),
            ([1.0, 0.0], "The relu goes only between fc1 and fc2, not after fc2: the MLP's output must be able "
                         "to push the stream down as well as up."),
            ([2.0, 1.0], "The relu goes after fc1 (on the hidden layer), not on the input x."),
        ]
        for wrong, hint in mistakes:
            if _same_numbers(got, wrong):
                _fail(f"{what} gave {_show(got)}, expected {_show(want)}. {hint}")
        _fail(f"{what} gave {_show(got)}, expected {_show(want)}: fc1, then relu, then fc2")
    sum(_call(mlp, x, fc1, fc2)).backward()
    if not _same_numbers([v.grad for v in x], [-1.0, 0.0]):
        _fail(f"the numbers are right but the gradient on x is {[v.grad for v in x]}, expected [-1, 0]: use "
              "linear() and .relu() on the Values, not their .data")
    _ok("mlp = fc2(relu(fc1(x))): [1, -2] for the worked example")


def check_num_params(num_params):
    """num_params(vocab_size, n_embd, block_size, n_layer) must equal microgpt.count_params for any shape."""
    from .model import GPTConfig, count_params  # imported here: the checks of the early lessons need no model

    mistakes = [
        (lambda V, E, B, L: V * E + B * E + 12 * L * E * E,
         "You left out lm_head, the vocab_size x n_embd matrix that turns the final vector into one score per "
         "token."),
        (lambda V, E, B, L: 2 * V * E + B * E + 6 * L * E * E,
         "The MLP is four times wider than the stream: fc1 is (4 * n_embd) x n_embd and fc2 is "
         "n_embd x (4 * n_embd), 8 * n_embd**2 together."),
        (lambda V, E, B, L: 2 * V * E + B * E + 12 * E * E,
         "Every layer has its own attention and MLP matrices: multiply the count of one layer by n_layer."),
        (lambda V, E, B, L: 2 * V * E + 12 * L * E * E,
         "You left out wpe, the block_size x n_embd table of position embeddings."),
        (lambda V, E, B, L: 2 * V * E + B * E + 11 * L * E * E,
         "Attention has FOUR n_embd x n_embd matrices: wq, wk, wv and the output projection wo."),
    ]
    shapes = [(27, 16, 16, 1), (27, 16, 16, 2), (50, 32, 8, 3), (10, 8, 20, 4)]
    for V, E, B, L in shapes:
        want = count_params(GPTConfig(vocab_size=V, n_embd=E, block_size=B, n_layer=L, n_head=2))
        got = _call(num_params, V, E, B, L)
        what = f"num_params(vocab_size={V}, n_embd={E}, block_size={B}, n_layer={L})"
        if isinstance(got, bool) or not isinstance(got, int):
            _fail(f"{what} should be a whole number (an int), but it is {got!r}")
        if got == want:
            continue
        for formula, hint in mistakes:
            if got == formula(V, E, B, L):
                _fail(f"{what} is {got:,}, expected {want:,}. {hint}")
        _fail(f"{what} is {got:,}, expected {want:,}: add up the sizes (rows x columns) of wte, wpe, lm_head, "
              "and per layer wq, wk, wv, wo, fc1, fc2")
    _ok("4,192 for the reference model (27 tokens, 16 dimensions, 16 positions, 1 layer), and right for "
        "other shapes too")


# --- lesson 06: training ---


def _attempt(fn, *args, errors=None, **kwargs):
    """Call the learner's function; an exception from it becomes a failure naming it, with a hint if known.

    `errors` maps exception types to the hint for the mistake that usually raises them.
    """
    try:
        return _call(fn, *args, **kwargs)
    except AssertionError:
        raise
    except Exception as err:  # any error in the learner's code is a wrong answer, reported as such
        hint = next((h for kind, h in (errors or {}).items() if isinstance(err, kind)), "")
        name = getattr(fn, "__name__", "your function")
        _fail(f"{name} raised {type(err).__name__}: {err}. {hint}".rstrip())


_T_FROM_1 = ("At t = 1 that divides by zero, 1 - beta ** 0 = 0. t counts the updates from 1 (the first "
             "update is t = 1), so the correction is 1 - beta ** t.")


def check_bias_corrected(bias_corrected):
    """bias_corrected(avg, beta, t) must be avg / (1 - beta ** t), with t counting the steps from 1."""
    cases = []
    for beta, t in [(0.85, 1), (0.85, 2), (0.85, 5), (0.99, 1), (0.99, 10)]:
        avg = 0.0
        for _ in range(t):  # a gradient of 1 at every step: the average creeps up as 1 - beta ** t
            avg = beta * avg + (1 - beta) * 1.0
        cases.append((avg, beta, t, 1.0))
    cases.append((0.3, 0.9, 3, 0.3 / (1 - 0.9 ** 3)))
    for avg, beta, t, want in cases:
        got = _attempt(bias_corrected, avg, beta, t, errors={ZeroDivisionError: _T_FROM_1})
        mistakes = [
            (avg, "That is the running average itself. Divide it by 1 - beta ** t, which makes up for the "
                  "average starting at 0."),
            (avg * (1 - beta ** t), "You multiplied by 1 - beta ** t: divide by it instead."),
            (avg / (1 - beta) ** t, "(1 - beta) ** t is not 1 - beta ** t: the power belongs to beta alone."),
            (avg / (1 - beta ** (t + 1)), "Off by one: use beta ** t, where t = 1 at the first update."),
        ]
        if t > 1:
            mistakes.append((avg / (1 - beta ** (t - 1)), "Off by one: use beta ** t (t is already 1 at the "
                                                           "first update), not beta ** (t - 1)."))
        _number(got, want, f"bias_corrected({avg:.6g}, beta={beta}, t={t})", mistakes,
                otherwise="It should be avg / (1 - beta ** t).")
    _ok("a gradient of 1 at every step gives a corrected average of exactly 1, from the very first step")


def _adam_variant(kind):
    """One Adam update for one number, written right (kind 'right') or with one named mistake."""

    def update(p, grad, m, v, t, lr, beta1=0.85, beta2=0.99, eps=1e-8):
        """(p, m, v) after one update."""
        m = beta1 * m + (1 - beta1) * grad
        v = beta2 * v + (1 - beta2) * grad ** 2
        m_hat, v_hat = (m, v) if kind == "no-correction" else (m / (1 - beta1 ** t), v / (1 - beta2 ** t))
        root = {"no-sqrt": v_hat + eps, "eps-inside": (v_hat + eps) ** 0.5}.get(kind, v_hat ** 0.5 + eps)
        step = lr * m_hat / root
        return (p + step if kind == "ascent" else p - step), m, v

    return update


def _adam_run(update, grads, lr, p=1.0, **betas):
    """The (p, m, v) after each update of a parameter that starts at `p` and sees `grads`."""
    m = v = 0.0
    out = []
    for t, grad in enumerate(grads, start=1):
        p, m, v = _attempt(update, p, grad, m, v, t, lr, errors={ZeroDivisionError: _T_FROM_1}, **betas)
        out.append((p, m, v))
    return out


def _package_adam_run(grads, lr, p=1.0, **betas):
    """The same, with microgpt.optim.Adam moving a Value."""
    from .optim import Adam

    param = Value(p)
    optimizer = Adam([param], lr=lr, **betas)
    out = []
    for grad in grads:
        param.grad = grad
        optimizer.step(lr)
        out.append((param.data, optimizer.m[0], optimizer.v[0]))
    return out


def check_adam_update(adam_update):
    """adam_update(p, grad, m, v, t, lr, ...) must return Adam's new (p, m, v), like microgpt.optim.Adam."""
    grads, lr = [0.5, -0.2, 0.3, 1.0, -0.7], 0.01
    name = "adam_update(p=1.0, grad=0.5, m=0.0, v=0.0, t=1, lr=0.01)"
    first = _attempt(adam_update, 1.0, 0.5, 0.0, 0.0, 1, 0.01, errors={ZeroDivisionError: _T_FROM_1})
    if not isinstance(first, (tuple, list)) or len(first) != 3:
        _fail(f"{name} should return the three new numbers (p, m, v), but it returned {first!r}")
    for x, what in zip(first, "pmv"):
        if isinstance(x, bool) or not isinstance(x, (int, float)):
            _fail(f"the {what} returned by {name} should be a plain number, but it is {x!r}")
    p, m, v = first
    _number(m, 0.075, f"the m returned by {name}", [
        (0.425, "The new gradient gets the SMALL weight: m = beta1 * m + (1 - beta1) * grad."),
        (0.5, "m is a running average: m = beta1 * m + (1 - beta1) * grad, not the gradient itself."),
    ])
    _number(v, 0.0025, f"the v returned by {name}", [
        (0.005, "v averages the SQUARED gradient: v = beta2 * v + (1 - beta2) * grad ** 2."),
        (0.2475, "The new squared gradient gets the SMALL weight: v = beta2 * v + (1 - beta2) * grad ** 2."),
    ])
    mine = _adam_run(adam_update, grads, lr)
    want = _package_adam_run(grads, lr)
    for k, ((p, m, v), (wp, wm, wv)) in enumerate(zip(mine, want), start=1):
        if _close(p, wp, 1e-12) and _close(m, wm, 1e-12) and _close(v, wv, 1e-12):
            continue
        updates = f"{k} update{'s' * (k > 1)}"
        context = f"after {updates} with the gradients {grads[:k]} and lr {lr}, p is {p!r}, expected {wp!r}."
        hints = {
            "no-correction": "Correct the bias of both averages before using them: "
                             "m_hat = m / (1 - beta1 ** t) and v_hat = v / (1 - beta2 ** t). Without it "
                             "the first steps are too big, because v starts even further below its true size "
                             "than m.",
            "no-sqrt": "Divide by the square ROOT of v_hat (v_hat ** 0.5): v is a squared gradient, and its "
                       "root brings the step back to the size of lr.",
            "ascent": "The parameter went UP the gradient: p - lr * m_hat / (v_hat ** 0.5 + eps).",
            "eps-inside": "Almost: eps goes OUTSIDE the root, v_hat ** 0.5 + eps, not (v_hat + eps) ** 0.5.",
        }
        for kind, hint in hints.items():
            wrong = _adam_run(_adam_variant(kind), grads, lr)
            if all(_close(a[0], b[0], 1e-9) for a, b in zip(mine, wrong)):
                _fail(f"{context} {hint}")
        _fail(f"{context} The update is p - lr * m_hat / (v_hat ** 0.5 + eps), with m_hat and v_hat the "
              "bias-corrected averages.")
    betas = {"beta1": 0.9, "beta2": 0.999, "eps": 1e-6}
    got = _adam_run(adam_update, grads, lr, **betas)[-1]
    if not all(_close(a, b, 1e-12) for a, b in zip(got, _package_adam_run(grads, lr, **betas)[-1])):
        _fail("with the default betas your update is right, but with beta1=0.9, beta2=0.999, eps=1e-6 it is "
              "not: use the arguments beta1, beta2 and eps, not the numbers 0.85, 0.99, 1e-8")
    _ok(f"5 updates agree with microgpt.optim.Adam; the first one moved p by lr * sign(grad) "
        f"({first[0] - 1.0:+.6f})")


def check_lr_at(lr_at):
    """lr_at(step, num_steps, base_lr) must be base_lr * (1 - step / num_steps), with step counting from 0."""
    from .optim import linear_decay

    for step, num_steps, base in [(0, 1000, 0.01), (1, 1000, 0.01), (500, 1000, 0.01), (999, 1000, 0.01),
                                  (3, 10, 0.1)]:
        want = base * (1 - step / num_steps)
        mistakes = [
            (base * (1 - (step + 1) / num_steps),
             "Off by one: step counts from 0, and the first step (step 0) uses the full base_lr, so the "
             "fraction gone is step / num_steps, not (step + 1) / num_steps."),
            (base * (1 - step) / num_steps,
             "Mind the parentheses: base_lr * (1 - step / num_steps); you computed "
             "base_lr * (1 - step) / num_steps."),
            (base * step / num_steps,
             "Your rate RISES from 0 towards base_lr (that is a warm-up). The decay starts at base_lr and "
             "falls towards 0: base_lr * (1 - step / num_steps)."),
            (base - step / num_steps,
             "You took step / num_steps away from base_lr itself, which goes below 0 almost at once; scale "
             "the fraction left by base_lr: base_lr * (1 - step / num_steps)."),
        ]
        got = _attempt(lr_at, step, num_steps, base)
        _number(got, want, f"lr_at({step}, {num_steps}, {base})", mistakes, tol=1e-12,
                otherwise="It should fall in a straight line from base_lr at step 0 to 0 at step num_steps.")
    for step in range(1000):
        got = _attempt(lr_at, step, 1000, 0.01)
        _number(got, linear_decay(0.01, step, 1000), f"lr_at({step}, 1000, 0.01)", tol=1e-12)
    _ok("0.01 at step 0, 0.005 at step 500, 0.00001 at step 999: a straight line down to 0 at step 1000")


def check_training_step(training_step, new_adam_state):
    """training_step(model, tokens, state, lr) must match microgpt.train_step with Adam, step after step."""
    from .model import GPT, GPTConfig
    from .optim import Adam
    from .train import train_step

    config = GPTConfig(vocab_size=5, n_embd=8, n_head=2, block_size=6)  # small, so the check is quick
    mine, ref = GPT(config, random.Random(3)), GPT(config, random.Random(3))
    state, optimizer = new_adam_state(mine), Adam(ref.parameters())
    docs = [[4, 0, 1, 2, 4], [4, 3, 3, 4], [4, 2, 0, 1, 3, 4]]
    zero = ("The bias correction divided by 1 - beta ** 0 = 0: state['t'] must already count this update "
            "when adam_update is called (t = 1 at the first step), so add 1 to state['t'] before the "
            "updates.")
    grads_left = False
    for k, (tokens, lr) in enumerate(zip(docs, [0.01, 0.009, 0.008]), start=1):
        before = [p.data for p in mine.parameters()]
        got = _attempt(training_step, mine, tokens, state, lr, errors={ZeroDivisionError: zero})
        want = train_step(ref, tokens, optimizer, lr)
        if isinstance(got, Value):
            _fail("training_step returned the loss as a Value: return the plain number, loss.data (the loop "
                  "prints and plots numbers, and a Value would keep its whole graph alive)")
        _number(got, want, f"the loss returned at step {k}",
                otherwise="Return the loss of THIS document, computed with document_loss(model, tokens) "
                          "before the parameters change.")
        params = mine.parameters()
        if all(p.data == b for p, b in zip(params, before)):
            if all(p.grad == 0 for p in params):
                _fail(f"no parameter moved at step {k}: every p.grad was 0 when the updates ran, so Adam had "
                      "no gradient to follow. Call loss.backward() before the updates, and set p.grad = 0 only "
                      "AFTER a parameter's update (never between backward and the update)")
            _fail(f"no parameter moved at step {k}: write adam_update's new p back into p.data")
        if state.get("t") != k:
            _fail(f"after {k} calls state['t'] is {state.get('t')!r}: add 1 to it at every step, before the "
                  "updates")
        if not all(_close(a.data, b.data, 1e-12) for a, b in zip(params, ref.parameters())):
            if grads_left:
                _fail(f"step 1 was right, but step {k} is not: the gradients of step {k - 1} were still in "
                      "p.grad, and backward() ADDS to them, so they piled up. Set p.grad = 0 once a "
                      "parameter is updated")
            _fail(f"after step {k} the parameters differ from microgpt's Adam: for every parameter i of "
                  "model.parameters(), call adam_update(p.data, p.grad, state['m'][i], state['v'][i], "
                  "state['t'], lr) and store its three results back (into p.data, state['m'][i], "
                  "state['v'][i])")
        grads_left = any(p.grad != 0 for p in params)
    _ok("3 steps agree with microgpt.train_step and Adam to the last digit; no gradient piles up")


# --- lesson 07: sampling ---


def _draws(pick, numbers, temperature, seeds, errors=None):
    """The token drawn by pick(logits, temperature, rng) for each seed, with fresh logits and Random(seed)."""
    return [_attempt(pick, _values(numbers), temperature, random.Random(seed), errors=errors)
            for seed in seeds]


def _token_variant(kind):
    """A sample_token written right (kind 'right') or with one named mistake."""
    from .sample import next_token

    def pick(logits, temperature, rng):
        """Draw one token id."""
        if kind == "no-softmax":
            return rng.choices(range(len(logits)), weights=[lg.data / temperature for lg in logits])[0]
        scaled = {"right": [lg / temperature for lg in logits], "times": [lg * temperature for lg in logits],
                  "no-temperature": list(logits)}[kind]
        return next_token(nn.softmax(scaled), rng, 1)

    return pick


def check_sample_token(sample_token):
    """sample_token(logits, temperature, rng) must draw from softmax(logits / temperature), by rng.choices."""
    numbers, seeds = [2.0, 1.0, 0.1, -1.0, 0.5, 1.5], range(200)
    errors = {TypeError: "rng.choices wants plain numbers as weights: pass [p.data for p in probs]."}
    first = _attempt(sample_token, _values(numbers), 0.5, random.Random(0), errors=errors)
    if isinstance(first, bool) or not isinstance(first, int):
        _fail(f"sample_token should return a token id (an int), but it returned {first!r}")
    for temperature in (0.5, 2.0, 1.0):
        got = _draws(sample_token, numbers, temperature, seeds, errors)
        if got == _draws(_token_variant("right"), numbers, temperature, seeds):
            continue
        what = f"with the logits {numbers} at temperature {temperature}, your draws (seeds 0 to 199)"
        if got != _draws(sample_token, numbers, temperature, seeds, errors):
            _fail(f"{what} change when repeated with the same seeds: draw with the `rng` you are given "
                  "(rng.choices), not the module `random`, so that a run can be reproduced")
        if set(got) == {numbers.index(max(numbers))}:
            _fail(f"{what} are always token 0, the most likely one: that is greedy decoding. Draw at random, "
                  "with the probabilities as weights: rng.choices(range(len(probs)), weights=[...])[0]")
        hints = {
            "times": "You MULTIPLIED the logits by the temperature; divide them: a temperature below 1 must "
                     "sharpen the distribution.",
            "no-temperature": "The temperature made no difference: divide every logit by it before the "
                              "softmax.",
            "no-softmax": "You used the scaled logits themselves as weights: turn them into probabilities "
                          "with softmax first (a logit can be negative; a probability cannot).",
        }
        for kind, hint in hints.items():
            if got == _draws(_token_variant(kind), numbers, temperature, seeds):
                _fail(f"{what} differ from microgpt's. {hint}")
        _fail(f"{what} differ from microgpt's: probs = softmax([l / temperature for l in logits]), then "
              "rng.choices(range(len(probs)), weights=[p.data for p in probs])[0]")
    _ok("200 draws at temperatures 0.5, 1 and 2 match microgpt's sampler draw for draw")


def check_generate_name(generate_name):
    """generate_name(model, tokenizer, rng, temperature) must write the same names as microgpt.generate."""
    from .errors import MicrogptError
    from .sample import generate
    from .weights import load_pretrained

    model, tok = load_pretrained()
    errors = {
        IndexError: "BOS (id 26) is the last id and has no character: when the token drawn is BOS, stop "
                    "(break) before looking a character up.",
        MicrogptError: f"The model reads at most block_size = {model.config.block_size} positions: loop over "
                       "range(model.config.block_size) and stop there.",
    }
    for temperature, seed, count in [(0.5, 1, 5), (1.0, 2, 3)]:
        mine, ref = random.Random(seed), random.Random(seed)
        for i in range(count):
            want = generate(model, tok, ref, temperature)
            got = _attempt(generate_name, model, tok, mine, temperature, errors=errors)
            if isinstance(got, list):
                _fail(f"generate_name returned a list ({got!r}): join the letters into one string, "
                      "''.join(...)")
            if not isinstance(got, str):
                _fail(f"generate_name should return the name as a string, but it returned {got!r}")
            if got == want:
                continue
            what = (f"name {i + 1} drawn with Random({seed}) at temperature {temperature} is {got!r}, but "
                    f"microgpt.generate writes {want!r}")
            if "BOS" in got or "⟨" in got:
                _fail(f"{what}. BOS marks the end of the name and is not part of it: when it is drawn, stop "
                      "without adding it.")
            if got.startswith(want):
                _fail(f"{what}: yours goes on where BOS was drawn. Break out of the loop as soon as the "
                      "token drawn is BOS.")
            if got[:1] == want[:1]:
                _fail(f"{what}: the first letters agree, then they part. Feed the token you drew back in at "
                      "the next position (pos + 1), with ONE keys/values cache for the whole name, made "
                      "before the loop: that cache is how each position sees the letters before it.")
            _fail(f"{what}. Start from BOS at position 0 with a fresh cache, and draw each token with "
                  "sample_token(logits, temperature, rng).")
    _ok("8 names drawn at temperatures 0.5 and 1 are the very ones microgpt.generate writes")


def check_greedy_token(greedy_token):
    """greedy_token(logits) must return the id of the largest logit."""
    errors = {TypeError: "Compare the numbers inside the Values: logits[i].data."}
    for numbers in ([0.1, 2.5, -1.0, 2.4], [-3.0, -1.0, -2.0, -5.0], [4.0, 1.0, 3.9], [0.0, 0.5, 1.0, 7.0]):
        want = numbers.index(max(numbers))
        got = _attempt(greedy_token, _values(numbers), errors=errors)
        what = f"greedy_token({numbers})"
        if isinstance(got, Value) or (isinstance(got, float) and got in numbers):
            _fail(f"{what} returned the largest logit itself ({got!r}): return its token id, the index "
                  f"{want}")
        if isinstance(got, bool) or not isinstance(got, int):
            _fail(f"{what} should return a token id (an int), but it returned {got!r}")
        if got == numbers.index(min(numbers)):
            _fail(f"{what} is {got}, the token with the SMALLEST logit; greedy picks the largest, {want}")
        if got != want:
            _fail(f"{what} is {got}, expected {want}: the index of the largest logit")
    _ok("greedy_token picks the index of the largest logit: no randomness at all")


def check_novelty(novelty):
    """novelty(samples, training_names): the share of the samples (repeats counted) not in training_names."""
    samples = ["anna", "zyx", "zyx", "zyx", "qq", "emma", "qq", "lo"]
    names = ["anna", "bob", "emma"]
    what = f"novelty({samples}, {names})"
    got = _attempt(novelty, samples, names)
    _number(got, 0.75, what, [
        (0.25, "That is the share of COPIES (samples that are training names); novelty is the share of "
               "samples that are NOT training names."),
        (3 / 8, "You counted each new name once (zyx, qq, lo), but there are 6 new samples: count every "
                "sample, repeats included, and divide by the number of samples."),
        (3 / 5, "You made a set of the samples first: the question is what share of the samples DRAWN are "
                "new, so every draw counts, repeats included."),
        (6, "That is the number of new samples; divide it by the number of samples to get a share."),
        (75, "Return a share between 0 and 1 (0.75), not a percentage."),
    ], otherwise="6 of the 8 samples are not in the training names, so the answer is 6 / 8.")
    for case, want in [((["anna", "emma"], names), 0.0), ((["x", "y"], names), 1.0),
                       ((samples, set(names)), 0.75), ((samples, tuple(names)), 0.75)]:
        _number(_attempt(novelty, *case), want, f"novelty{case}",
                otherwise="It should work whether the training names come as a list, a set or a tuple.")
    _ok("6 of the 8 samples are new: novelty 0.75 (repeats count every time)")


# --- lesson 08: efficiency ---


def _new_nodes(outputs, inputs):
    """How many Values computing `outputs` created: every node reachable from them, minus `inputs`."""
    given = set(map(id, inputs))
    seen, stack = set(), list(outputs)
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.extend(node._children)
    return len(seen - given)


def check_linear_nodes(linear_nodes):
    """linear_nodes(nin, nout) must be the number of Values microgpt.linear creates: (2 * nin + 1) * nout."""
    for nin, nout in [(16, 16), (16, 64), (64, 16), (3, 2), (1, 1)]:
        x = _values(range(1, nin + 1))
        w = [_values(range(nin)) for _ in range(nout)]
        want = _new_nodes(nn.linear(x, w), x + [p for row in w for p in row])
        got = _attempt(linear_nodes, nin, nout)
        what = f"linear_nodes({nin}, {nout})"
        if isinstance(got, bool) or not isinstance(got, int):
            _fail(f"{what} should return a whole number (an int), but it returned {got!r}")
        hints = {
            nin * nout: "That counts only the multiplications w_i * x_i. Each product is then added into the "
                        "running sum, and every + makes a new Value too.",
            2 * nin * nout: "Products and additions, right, but one Value per output is missing: sum() "
                            "starts from the integer 0, and 0 + Value wraps that 0 in a new constant Value.",
            (2 * nin - 1) * nout: "On paper nin numbers need nin - 1 additions, but the built-in sum() "
                                  "starts from 0, so it makes nin additions, and the 0 becomes a Value.",
            2 * nin * nout - 1: "Count per output: each of the nout rows gets its own sum, from its own 0.",
        }
        if got != want:
            _fail(f"{what} is {got}, but microgpt.linear creates {want} Values. "
                  + hints.get(got, "For each of the nout outputs count the products, the additions of sum() "
                                   "(it starts from the integer 0) and the constant Value that 0 becomes."))
    _ok("linear(x, w) creates (2 * nin + 1) * nout Values: 528 for a 16 x 16 matrix, for ONE position")


def _np():
    """NumPy, imported only when a lesson-08 check runs (the rest of the package never needs it)."""
    import numpy

    return numpy


def _array(got, shape, what):
    """`got` as a float array of `shape`, failing with a clear message when it is not one."""
    np = _np()
    if not isinstance(got, np.ndarray):
        _fail(f"{what} should return a NumPy array, but it returned a {type(got).__name__}")
    if got.shape != shape:
        _fail(f"{what} returned an array of shape {got.shape}, expected {shape}")
    return got


def check_rmsnorm_np(rmsnorm_np):
    """rmsnorm_np(x) must apply microgpt.rmsnorm to every row of a 2-D array."""
    np = _np()
    rng = np.random.default_rng(8)
    x = np.vstack([rng.normal(0, 1, (2, 5)), [[1.0, -2.0, 3.0, 0.5, 2.0]], 0.002 * rng.normal(0, 1, (1, 5))])
    want = np.array([[v.data for v in nn.rmsnorm(_values(row))] for row in x.tolist()])
    original = x.copy()
    errors = {ValueError: "An array that cannot be combined with x usually means the mean square lost its "
                          "axis: take it with keepdims=True, so that it has shape (rows, 1) and scales each "
                          "row."}
    got = _array(_attempt(rmsnorm_np, x, errors=errors), x.shape, f"rmsnorm_np(x) for x of shape {x.shape}")
    if not np.array_equal(x, original):
        _fail("rmsnorm_np changed its input array in place (x *= ... or x /= ...): compute a new array, "
              "because the caller still needs x (the residual connection adds it back later)")
    if not np.allclose(got, want, rtol=1e-9, atol=1e-12):
        squares = x * x
        mistakes = [
            (x / np.sqrt(squares.mean(axis=1, keepdims=True)),
             "You left out the 1e-5: add it to the mean square before the root, (ms + 1e-5) ** -0.5. In this "
             "row the numbers are small, and there the 1e-5 matters."),
            (x * (squares.mean(axis=0, keepdims=True) + 1e-5) ** -0.5,
             "You took the mean over axis 0, down each COLUMN; each row is one position's vector and must be "
             "normalised on its own: mean over axis=1 (the last axis)."),
            (x * (squares.sum(axis=1, keepdims=True) + 1e-5) ** -0.5,
             "You used the SUM of the squares of each row; rmsnorm uses their MEAN (divide by the row "
             "length)."),
            (x / np.linalg.norm(x, axis=1, keepdims=True),
             "Dividing by the length (norm) of each row uses the sum of the squares, not their mean, and no "
             "1e-5: compute ms = mean of x*x over axis 1, then x * (ms + 1e-5) ** -0.5."),
            (x * (squares.mean(axis=1, keepdims=True) + 1e-5) ** -1,
             "You divided by the mean square itself; divide by its square ROOT: (ms + 1e-5) ** -0.5."),
        ]
        row = int(np.abs(got - want).max(axis=1).argmax())  # show the row that is most wrong
        what = (f"rmsnorm_np(x) differs from microgpt.rmsnorm applied to each row (row {row} of x: "
                f"{got[row].round(4).tolist()} instead of {want[row].round(4).tolist()}).")
        for wrong, hint in mistakes:
            if np.allclose(got, wrong, rtol=1e-9, atol=1e-12):
                _fail(f"{what} {hint}")
        _fail(what)
    with np.errstate(invalid="ignore", divide="ignore"):
        zeros = _attempt(rmsnorm_np, np.zeros((2, 3)), errors=errors)
    zeros = _array(zeros, (2, 3), "rmsnorm_np(np.zeros((2, 3)))")
    if not np.array_equal(zeros, np.zeros((2, 3))):
        _fail("rmsnorm_np of a row of zeros should stay zeros: add 1e-5 to the mean square before the root")
    _ok("rmsnorm_np normalises every row exactly as microgpt.rmsnorm does, all rows in one go")


def check_causal_mask(causal_mask):
    """causal_mask(n) must be an (n, n) array: 0 where key <= query (the row), -inf where the key is later."""
    np = _np()
    for n in (4, 1, 6):
        want = np.array([[0.0 if key <= query else -np.inf for key in range(n)] for query in range(n)])
        got = _attempt(causal_mask, n)
        got = _array(got, (n, n), f"causal_mask({n})")
        if got.dtype == bool or (np.isin(got, [0.0, 1.0]).all() and (got == 1).any()):
            _fail(f"causal_mask({n}) holds only 0s and 1s (or True/False). This mask is ADDED to the "
                  "scores before the softmax: it must be 0 where a position may look (the score is kept) and "
                  "-np.inf where it may not (exp(-inf) = 0, so that key gets no weight).")
        if np.array_equal(got, want):
            continue
        if np.array_equal(got, want.T):
            _fail(f"causal_mask({n}) is upside down: row q is the query, column k the key, and position q "
                  "may see keys k <= q (the past and itself): -inf goes ABOVE the diagonal "
                  "(np.triu(..., k=1)), not below it.")
        if np.array_equal(got, np.triu(np.full((n, n), -np.inf))):
            _fail(f"causal_mask({n}) hides the diagonal too: a position may attend to itself (position 0 has "
                  "nothing else to look at: with its only score at -inf its softmax would be nan). Start the "
                  "-inf one above the diagonal: k=1.")
        if not got.any():
            _fail(f"causal_mask({n}) is all zeros: it hides nothing, so every position would see the future. "
                  "Put -np.inf above the diagonal, where the key comes after the query.")
        if np.isfinite(got).all() and (got[np.triu_indices(n, 1)] < -1e3).all():
            _fail(f"causal_mask({n}) uses a large negative number above the diagonal; use -np.inf, so that "
                  "exp() gives exactly 0 for the future whatever the scores are.")
        _fail(f"causal_mask({n}) is\n{got}\nexpected\n{want}")
    _ok("causal_mask: 0 on and below the diagonal (the past and itself), -inf above it (the future)")


def _attention_loops(q, k, v, scale=True):
    """Causal attention with plain Python loops, query by query: the lesson-04 way, for checking."""
    n_head, n, d = len(q), len(q[0]), len(q[0][0])
    out = [[[0.0] * d for _ in range(n)] for _ in range(n_head)]
    for h in range(n_head):
        for t in range(n):
            scores = [sum(q[h][t][j] * k[h][s][j] for j in range(d)) / (d**0.5 if scale else 1)
                      for s in range(t + 1)]
            top = max(scores)
            exps = [math.exp(s - top) for s in scores]
            weights = [e / sum(exps) for e in exps]
            out[h][t] = [sum(w * v[h][s][j] for s, w in enumerate(weights)) for j in range(d)]
    return out


def _softmax_np(scores, axis):
    """softmax of `scores` along `axis` (nan where a whole slice is -inf), for naming a learner's mistake."""
    np = _np()
    with np.errstate(invalid="ignore", over="ignore"):
        weights = np.exp(scores - scores.max(axis=axis, keepdims=True))
        return weights / weights.sum(axis=axis, keepdims=True)


def _attempt_attention(attention_np, q, k, v, mask):
    """Call the learner's attention_np; a shape error becomes a failure with the hint its message suggests."""
    try:
        return _call(attention_np, q, k, v, mask)
    except ValueError as err:
        if "matmul" in str(err):  # a product whose inner sizes differ: almost always the transpose of k
            hint = ("The sizes of a matrix product do not fit. k is (n_head, n, head_dim), and k.T reverses "
                    "ALL three axes; swap only the last two, k.swapaxes(-1, -2), so that "
                    "q @ k.swapaxes(-1, -2) is (n_head, n, n) and weights @ v is (n_head, n, head_dim).")
        else:  # an elementwise operation between arrays of different shapes
            hint = ("Two arrays of different shapes could not be combined. A max or a sum over the last "
                    "axis of the (n_head, n, n) scores must keep that axis, keepdims=True, to give "
                    "(n_head, n, 1), which subtracts from (or divides) each row of scores.")
        _fail(f"attention_np raised ValueError: {str(err).strip()}. {hint}")


def check_attention_np(attention_np):
    """attention_np(q, k, v, mask) must be causal attention for every head and position, as in lesson 04."""
    np = _np()
    rng = np.random.default_rng(4)
    n_head, n, d = 2, 5, 4
    q, k, v = (rng.normal(0, 1.5, (n_head, n, d)) for _ in range(3))
    mask = np.array([[0.0 if key <= query else -np.inf for key in range(n)] for query in range(n)])
    want = np.array(_attention_loops(q.tolist(), k.tolist(), v.tolist()))
    what = f"attention_np for q, k, v of shape {q.shape}"
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        got = _array(_attempt_attention(attention_np, q, k, v, mask), q.shape, what)
    if not np.allclose(got, want, rtol=1e-9, atol=1e-12):
        raw = q @ k.swapaxes(-1, -2)  # (n_head, queries, keys)
        variants = [
            (_softmax_np(raw + mask, -1),
             "You forgot the scale: divide the scores q . k by sqrt(head_dim) (the square root of "
             "q.shape[-1]) before the softmax, as the model does."),
            (_softmax_np(raw / d + mask, -1),
             "You divided the scores by head_dim; divide by its square root."),
            (_softmax_np(raw / np.sqrt(d), -1),
             "The future leaks in: add the mask to the scores before the softmax, so that each position sees "
             "only itself and the past."),
            (_softmax_np(raw / np.sqrt(d) + mask, 1),
             "The softmax runs over the wrong axis. The scores are (n_head, queries, keys): each query's "
             "weights over the KEYS must add up to 1, so normalise over the last axis (axis=-1)."),
            (_softmax_np(raw / np.sqrt(d) + mask, 0),
             "The softmax runs over the heads (axis 0). Each query's weights over the KEYS must add up to 1: "
             "normalise over the last axis (axis=-1)."),
        ]
        for weights, hint in variants:
            if np.allclose(got, weights @ v, equal_nan=True):
                _fail(f"{what} differs from attention computed query by query. {hint}")
        if np.isnan(got).any():
            _fail(f"{what} contains nan. Add the mask to the scores (0 keeps a score, -inf removes it): "
                  "multiplying by it gives 0 * -inf = nan.")
        _fail(f"{what} differs from attention computed query by query (largest difference "
              f"{np.abs(got - want).max():.3g}). Scores q @ k.swapaxes(-1, -2) / sqrt(head_dim) + mask, a "
              "softmax over the last axis, then weights @ v.")
    # large scores: exp overflows unless the largest score of each row is subtracted first
    big_q = q * 500
    want = np.array(_attention_loops(big_q.tolist(), k.tolist(), v.tolist()))
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        got = _array(_attempt_attention(attention_np, big_q, k, v, mask), q.shape, what)
    if not np.allclose(got, want, rtol=1e-9, atol=1e-12):
        _fail("with large scores (q 500 times bigger) attention_np gives "
              f"{'nan' if np.isnan(got).any() else 'wrong numbers'}: exp() overflows. Subtract each row's "
              "largest score before exp, scores - scores.max(axis=-1, keepdims=True), as the stable softmax "
              "of lesson 03 does; it changes nothing else.")
    _ok("attention_np matches attention computed query by query, for every head at once")


def check_growth_exponent(growth_exponent):
    """growth_exponent(size1, time1, size2, time2) must be log(time2 / time1) / log(size2 / size1)."""
    for case, want in [((16, 1.0, 32, 8.0), 3.0), ((16, 1.0, 32, 4.0), 2.0), ((8, 0.5, 64, 4.0), 1.0),
                       ((10, 2.0, 100, 2.0), 0.0), ((2, 3.0, 8, 24.0), 1.5),
                       ((16, 0.3, 64, 6.0), math.log(20) / math.log(4))]:
        s1, t1, s2, t2 = case
        mistakes = [(t2 / t1, "That is how many times longer it took; the exponent p asks: the size grew by "
                              "size2 / size1, and time grew by that factor to the power p. Solve with logs."),
                    ((t2 / t1) / (s2 / s1), "Dividing the two ratios does not give a power: take logs, "
                                            "log(time2 / time1) / log(size2 / size1)."),
                    (math.log(s2 / s1) / math.log(t2 / t1) if t2 != t1 else math.inf,
                     "Upside down: the time's ratio goes on top, log(time2 / time1) / log(size2 / size1).")]
        if t2 > t1 and s2 > s1:
            mistakes.append((math.log(t2 - t1) / math.log(s2 - s1),
                             "Powers show in RATIOS, not differences: log(time2 / time1) / "
                             "log(size2 / size1)."))
        got = _attempt(growth_exponent, *case, errors={
            ZeroDivisionError: "Upside down: the time's ratio goes on top, log(time2 / time1) / "
                               "log(size2 / size1).",
            ValueError: "log of zero or a negative number: use the RATIOS time2 / time1 and size2 / size1."})
        _number(got, want, f"growth_exponent{case}", mistakes, tol=1e-9,
                otherwise="If time = c * size ** p, then time2 / time1 = (size2 / size1) ** p: take the log "
                          "of both sides and solve for p.")
    _ok("growth_exponent: 4 times the time for twice the size is p = 2 (time grows like size squared)")
