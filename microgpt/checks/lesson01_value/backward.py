"""Checks of lesson 01: the graph in topological order, and backward (01-topo-sort, 01-backward)."""

import random

from ...i18n import N_, _, tr
from ...value import Value
from ..exercise import Edit, exercise
from ..failure import call, fail, ok
from ..numbers import close


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


AFTER_VISITING_NODE_CHILDREN = N_(
    "After visiting a node's children, append the node ITSELF to the order (not its children).")
APPEND_NODE_ORDER_ONLY = N_(
    "Append a node to the order only AFTER all its children have been visited (post-order), so "
    "inputs come first and the root last.")
USED_MORE_THAN_ONCE = N_(
    "It is used more than once in the expression; remember each node in `visited` the first "
    "time you see it, and skip nodes that are already there.")


def _check_order(order, root, what):
    """Fail with a precise hint unless `order` is a topological order of root's graph (root last)."""
    if not isinstance(order, list):
        fail(tr("topo_sort on {what} should return a list of nodes, but it returned {order!r}.", what=what,
                order=order),
             _("Did you forget to return the list at the end?"))
    nodes = root.topological_order()  # the package's order: used only for the set of nodes
    for node in order:
        if sum(n is node for n in order) > 1:
            fail(tr("topo_sort on {what}: node {node} appears {count} times.", what=what, node=_name(node),
                    count=sum(n is node for n in order)),
                 _(USED_MORE_THAN_ONCE))
    if not any(n is root for n in order):
        fail(tr("topo_sort on {what}: the root {root} itself is missing from the order.", what=what,
                root=_name(root)),
             _(AFTER_VISITING_NODE_CHILDREN))
    missing = [n for n in nodes if not any(n is m for m in order)]
    if missing:
        fail(tr("topo_sort on {what} returned {n_order} nodes, but the graph has {n_nodes}; missing: {missing}.",
                what=what, n_order=len(order), n_nodes=len(nodes), missing=", ".join(_name(n) for n in missing)),
             _("Visit every child of every node (recursively)."))
    if len(order) != len(nodes):
        fail(tr("topo_sort on {what} returned {n_order} items, but the graph has {n_nodes} nodes.", what=what,
                n_order=len(order), n_nodes=len(nodes)),
             _("Each node goes into the order exactly once."))
    if order[0] is root and len(order) > 1:
        fail(tr("topo_sort on {what} puts the root {root} first.", what=what, root=_name(root)),
             _(APPEND_NODE_ORDER_ONLY))
    position = {id(n): i for i, n in enumerate(order)}
    for node in order:
        for child in node.children:
            if position[id(child)] > position[id(node)]:
                fail(tr("topo_sort on {what}: node {node} comes before its child {child}.", what=what,
                        node=_name(node), child=_name(child)),
                     _("Visit the children first, then append the node."))
    if order[-1] is not root:
        fail(tr("topo_sort on {what} should end with the root {root}, but it ends with {last}.", what=what,
                root=_name(root), last=_name(order[-1])),
             _("The root is appended last, once everything below it is in the order."))


@exercise(
    "01-topo-sort", stars=2, minutes=10,
    hints=(
        N_("A node may only come after everything it was computed from: visit the children first, then the node "
           "(a post-order walk), and visit each node only once."),
        N_("visit(node): if node is new, remember it, visit each of its children, then append the node."),
        N_("if node not in visited: / visited.add(...) / for child in node._children: visit(...) / then "
           "order.append(...) after the loop."),
    ),
    wrong=[
        (Edit("    for child in node._children:\n"
              "        visit(child)\n"
              "    order.append(node)",
              "    order.append(node)\n"
              "    for child in node._children:\n"
              "        visit(child)"),
         APPEND_NODE_ORDER_ONLY),
        ("for child in node._children:\n    visit(child)\norder.append(node)", USED_MORE_THAN_ONCE),
        (Edit("        visit(child)\n"
              "    order.append(node)",
              "        order.append(child)"),
         AFTER_VISITING_NODE_CHILDREN),
    ],
)
def check_topo_sort(topo_sort):
    """topo_sort(root) must list every node of the graph once, each after its children, the root last (lesson 01)."""
    a = Value(1.0, label="a")
    _check_order(call(topo_sort, a), a, _("a single input a"))
    L, _nodes = _worked_example()
    _check_order(call(topo_sort, L), L, "L = (a*b + c) * f")
    a = Value(3.0, label="a")
    b = a + a
    b.label = "b"
    y = b * a
    y.label = "y"
    _check_order(call(topo_sort, y), y, "y = (a + a) * a")
    deep = Value(0.5, label="x")
    for _level in range(10):  # every node is used twice: without `visited` the work would double at each level
        deep = deep * deep + 1
    _check_order(call(topo_sort, deep), deep, _("a 10-level chain of x*x + 1"))
    ok(_("every node once, each after its children, the root last"))


L_GRAD_STILL_SET = N_(
    "L.grad is still 0: set the root's grad to 1 before the loop. dL/dL = 1 is where the chain rule "
    "starts; everything else is a multiple of it.")
NOTHING_REACHED_NODES_BELOW = N_(
    "Nothing reached the nodes below L. The gradient flows down each edge, from a node to its "
    "child: add into the CHILD's grad (the local gradient times the node's grad), not into the "
    "node's own grad.")
ONLY_ROOT_OWN_CHILDREN = N_(
    "Only the root's own children got gradients: walk the order backwards, from the root to the "
    "inputs (reversed), so a node's grad is complete before it is passed on.")
GRAD_LOCAL_DERIVATIVE_ALONE = N_(
    "a.grad is -3 = the local derivative alone. Chain rule: multiply it by the grad of the node "
    "above before adding it into the child.")


def _backward_hint(grads, want):
    """Name the likely mistake of a backward pass from the gradients it produced on the worked example."""
    if grads["L"] == 0:
        return _(L_GRAD_STILL_SET)
    if grads["L"] == 1 and all(grads[k] == 0 for k in "abcdef"):
        return _(NOTHING_REACHED_NODES_BELOW)
    if all(grads[k] == want[k] for k in "Ldf") and all(grads[k] == 0 for k in "abce"):
        return _(ONLY_ROOT_OWN_CHILDREN)
    if grads["a"] == -3.0 and grads["b"] == 2.0:
        return _(GRAD_LOCAL_DERIVATIVE_ALONE)
    if grads["a"] == 1 and grads["b"] == 1:
        return _("every input got 1 = the node's grad alone. Chain rule: multiply it by the local derivative "
                 "before adding it into the child.")
    return _("For every node, from the root back to the inputs, and every (child, local_grad) pair of it: "
              "ADD the local gradient times the node's grad into the child's grad.")


USED_TWICE_GETS_CONTRIBUTION = N_(
    "a is used twice, so it gets a contribution from each use: ADD each one into the "
    "child's grad (+=); with `=` the second use overwrites the first.")


@exercise(
    "01-backward", needs=[("topo_sort", check_topo_sort)], stars=2, minutes=10,
    hints=(
        N_("Start at the root with gradient 1, and pass gradients down the graph, from each node to its "
           "children, in the reverse of topo_sort's order."),
        N_("For each edge node -> child: child.grad increases by (local gradient of that edge) * node.grad."),
        N_("Set the root's grad; then for node in reversed(...): for child, local_grad in zip(node._children, "
           "node._local_grads): child.grad += ..."),
    ),
    wrong=[
        (Edit("        child.grad += local_grad * node.grad",
              "        child.grad = local_grad * node.grad"),
         USED_TWICE_GETS_CONTRIBUTION),
        ("for node in reversed(order):\n"
         "    for child, local_grad in zip(node._children, node._local_grads):\n"
         "        child.grad += local_grad * node.grad",
         L_GRAD_STILL_SET),
        (Edit("for node in reversed(order):",
              "for node in order:"),
         ONLY_ROOT_OWN_CHILDREN),
        (Edit("        child.grad += local_grad * node.grad",
              "        child.grad += local_grad"),
         GRAD_LOCAL_DERIVATIVE_ALONE),
        (Edit("        child.grad += local_grad * node.grad",
              "        node.grad += local_grad * child.grad"),
         NOTHING_REACHED_NODES_BELOW),
    ],
)
def check_backward(backward):
    """backward(root) must fill in every node's grad by the chain rule, adding up over reused nodes (lesson 01)."""
    L, nodes = _worked_example()
    want = {"a": 6.0, "b": -4.0, "c": -2.0, "d": -2.0, "e": -2.0, "f": 4.0, "L": 1.0}
    call(backward, L)
    grads = {k: n.grad for k, n in nodes.items()}
    if any(not close(grads[k], want[k]) for k in want):
        shown = ", ".join(f"{k}.grad={grads[k]:g}" for k in "abcdefL")
        fail(tr("on the lesson's L = (a*b + c) * f with a=2, b=-3, c=10, f=-2 you got {shown}; expected a.grad=6, "
                "b.grad=-4, c.grad=-2, d.grad=-2, e.grad=-2, f.grad=4, L.grad=1.", shown=shown),
             _backward_hint(grads, want))
    for text, make, want_grad in [
        ("b = a + a", lambda a: a + a, 2.0),
        ("y = a * a", lambda a: a * a, 6.0),
    ]:
        a = Value(3.0)
        call(backward, make(a))
        if not close(a.grad, want_grad):
            hint = None
            if a.grad in (1.0, 3.0):
                hint = _(USED_TWICE_GETS_CONTRIBUTION)
            fail(tr("for {text} with a=3, a.grad should be {want_grad:g}, but it is {grad!r}.", text=text,
                    want_grad=want_grad, grad=a.grad), hint)
    # random expressions: the learner's backward against the package's, on two copies of the same graph
    rng = random.Random(1)
    for _case in range(20):
        seed = rng.random()
        mine_inputs, mine = _random_expression(random.Random(seed))
        ref_inputs, ref = _random_expression(random.Random(seed))
        call(backward, mine)
        ref.backward()
        for x, y in zip(mine_inputs, ref_inputs):
            if not close(x.grad, y.grad, 1e-9):
                fail(tr("on a random expression an input's grad is {got!r}, but the package says {want!r}.",
                        got=x.grad, want=y.grad),
                     _("Check that every edge adds the local gradient times the node's grad into the child's "
                       "grad, walking the order backwards."))
    ok(_("a.grad=6, b.grad=-4, c.grad=-2, f.grad=4 on the lesson's worked example, reused nodes add up"))


def _random_expression(rng, value_class=Value, n_inputs=4, n_ops=12):
    """A random expression of package Values (or `value_class`) using every operation; returns (inputs, output)."""
    inputs = [value_class(rng.uniform(0.5, 2.0)) for _ in range(n_inputs)]
    nodes = list(inputs)
    for _step in range(n_ops):
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
