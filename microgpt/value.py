"""Value: one number that remembers how it was made, so it can pass gradients back.

This is scalar reverse-mode automatic differentiation, the engine under everything else in the course.
Every arithmetic operation on Values builds a node of a graph; `backward()` walks that graph from the
output to the inputs and applies the chain rule once per edge.

The semantics follow the reference (microgpt.py) exactly, down to the order in which gradients are
added up, so that training prints the reference's numbers:

* each node stores its children and the *local* derivative of itself with respect to each child;
* subtraction, negation and division are built from +, * and ** (``a - b`` is ``a + (-b)``,
  ``a / b`` is ``a * b**-1``), because that is how the reference computes them, bit for bit;
* ``backward()`` sets the output's gradient to 1 and *adds* into every other node's gradient.

What this version adds for teaching: the operation that made each node (``op``, for drawing graphs),
an optional ``label``, a readable ``repr``, clear errors on wrong use, and a backward pass that does not
recurse, so deep models do not hit Python's recursion limit.
"""

import math

_NUMBER = (int, float)


def _as_value(x):
    """Wrap a plain number as a constant Value; refuse anything else with a clear message."""
    if isinstance(x, Value):
        return x
    if isinstance(x, _NUMBER):
        return Value(x)
    raise TypeError(f"a Value can only be combined with a number or another Value, not {type(x).__name__} {x!r}")


class Value:
    """A scalar with a gradient, and the graph edges that produced it."""

    # __slots__ keeps each of the ~50,000 nodes of a training step small and fast to create
    __slots__ = ("data", "grad", "_children", "_local_grads", "op", "label")

    def __init__(self, data, children=(), local_grads=(), op="", label=""):
        """Make a node holding `data`; `children` and `local_grads` are filled in by the operations."""
        if not isinstance(data, _NUMBER):
            raise TypeError(f"Value data must be a number (int or float), not {type(data).__name__} {data!r}")
        self.data = data
        self.grad = 0  # d(output)/d(self), filled in by backward()
        self._children = children  # the Values this one was computed from
        self._local_grads = local_grads  # d(self)/d(child), one per child, known at creation time
        self.op = op  # the operation that made this node ('' for an input or a constant)
        self.label = label  # an optional name, for printing and drawing

    def __repr__(self):
        """Show data and grad (and the label, if any) compactly."""
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g}{label})"

    # --- the primitive operations: each knows its own local derivative ---

    def __add__(self, other):
        """a + b; the local derivatives are 1 and 1."""
        other = other if isinstance(other, Value) else _as_value(other)
        return Value(self.data + other.data, (self, other), (1, 1), "+")

    def __mul__(self, other):
        """a * b; d/da is b and d/db is a."""
        other = other if isinstance(other, Value) else _as_value(other)
        return Value(self.data * other.data, (self, other), (other.data, self.data), "*")

    def __pow__(self, k):
        """a ** k for a plain number k; d/da is k * a**(k-1)."""
        if isinstance(k, Value):
            raise TypeError("the exponent of a Value must be a plain number: Value ** Value is not supported "
                            "(write (a.log() * b).exp() to raise to a Value power)")
        if not isinstance(k, _NUMBER):
            raise TypeError(f"the exponent must be a number, not {type(k).__name__} {k!r}")
        if self.data == 0 and k < 0:
            raise ZeroDivisionError(f"0 ** {k} is undefined: a Value is 0 where it is divided by or "
                                    "raised to a negative power")
        return Value(self.data**k, (self,), (k * self.data ** (k - 1),), f"**{k:g}")

    def log(self):
        """Natural log; d/da is 1/a. Only defined for positive numbers."""
        if self.data <= 0:
            raise ValueError(f"log of a non-positive number ({self.data!r}) is undefined; a probability "
                             "that reached 0 usually means the logits overflowed")
        return Value(math.log(self.data), (self,), (1 / self.data,), "log")

    def exp(self):
        """e ** a; its derivative is itself."""
        return Value(math.exp(self.data), (self,), (math.exp(self.data),), "exp")

    def relu(self):
        """max(0, a); the derivative is 1 where a > 0 and 0 elsewhere."""
        return Value(max(0.0, self.data), (self,), (float(self.data > 0),), "relu")

    # --- everything else is built from the primitives, exactly as the reference does ---

    def __neg__(self):
        """-a, computed as a * -1."""
        return self * -1

    def __radd__(self, other):
        """number + a (this is what lets the built-in sum() start from 0)."""
        return self + other

    def __sub__(self, other):
        """a - b, computed as a + (-b)."""
        return self + (-other)

    def __rsub__(self, other):
        """number - a, computed as number + (-a)."""
        return other + (-self)

    def __rmul__(self, other):
        """number * a."""
        return self * other

    def __truediv__(self, other):
        """a / b, computed as a * b**-1 (the reference's form, which rounds differently from a plain /)."""
        return self * other**-1

    def __rtruediv__(self, other):
        """number / a, computed as number * a**-1."""
        return other * self**-1

    # --- backpropagation ---

    def topological_order(self):
        """Every node this one depends on, each after all of its children (inputs first, self last)."""
        # An explicit stack instead of recursion: same depth-first post-order as the reference's
        # recursive build_topo (children visited in stored order), but no RecursionError on deep graphs.
        order, visited = [], {self}
        stack = [(self, iter(self._children))]
        while stack:
            node, children = stack[-1]
            for child in children:
                if child not in visited:
                    visited.add(child)
                    stack.append((child, iter(child._children)))
                    break
            else:  # all children done: the node itself can follow them
                stack.pop()
                order.append(node)
        return order

    def backward(self):
        """Fill in d(self)/d(node) as `grad` on every node of the graph, by the chain rule.

        Gradients are *added* into `grad` (with `+=`), because a node used twice must collect a
        contribution from each use. That also means calling backward() a second time adds on top of
        the first: reset every `grad` to 0 in between (the optimizer does this after each step).
        """
        order = self.topological_order()
        self.grad = 1
        for node in reversed(order):
            for child, local_grad in zip(node._children, node._local_grads):
                child.grad += local_grad * node.grad
