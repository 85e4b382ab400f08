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

Numbers at the edges, one rule: math that has no answer raises an error that says so in the course's
words; a result that is merely too large for a float becomes inf, as float ``*`` and NumPy do (training
stops at the first loss that is not finite, see ``train``). Every error below is a MicrogptError and
also the built-in kind shown, so ``except ZeroDivisionError:`` still works. The conversions and the edge
cases live in microgpt.value_edges, so that the class below reads like the reference's.

=====================  ==========================  ==========================================
expression             data                        gradient / error
=====================  ==========================  ==========================================
Value(0.0) ** 0.5      0.0                         inf (the slope of the square root at 0)
Value(0) ** 0          1                           0 (x ** 0 is the constant 1)
Value(0) ** -1         DivisionByZero (a ZeroDivisionError)
Value(1) / 0           DivisionByZero (a ZeroDivisionError)
Value(-8) ** (1/3)     NotARealNumber (a ValueError): no real fractional power of a negative number
Value(0).log()         NotARealNumber (a ValueError): log is only defined above 0
Value(1000).exp()      inf                         inf
Value(1e300) ** 2      inf                         inf (like Value(1e300) * 1e300)
Value("3"), V + None   NotANumber (a TypeError)
Value(np.float32(2))   2.0: any real number (NumPy's too) is converted to a Python int or float
Value(10 ** 400)       inf: an int beyond the largest float becomes inf, like any overflow
=====================  ==========================  ==========================================
"""

from . import value_edges as edges

_PLAIN = {float, int}  # what needs no conversion


class Value:
    """A scalar with a gradient, and the graph edges that produced it. Built in lesson 01, used in every lesson."""

    # __slots__ keeps each of the ~50,000 nodes of a training step small and fast to create
    __slots__ = ("data", "grad", "_children", "_local_grads", "op", "label")

    def __init__(self, data, children=(), local_grads=(), op="", label=""):
        """Make a node holding `data`; `children` and `local_grads` are filled in by the operations."""
        if type(data) is not float:  # rare: the operations make floats; ints and NumPy numbers are converted
            data = edges.number(data, "Value data")
        self.data = data
        self.grad = 0  # d(output)/d(self), filled in by backward()
        self._children = children  # the Values this one was computed from
        self._local_grads = local_grads  # d(self)/d(child), one per child, known at creation time
        self.op = op  # the operation that made this node ('' for an input or a constant)
        self.label = label  # an optional name, for printing and drawing

    @property
    def children(self):
        """The Values this one was computed from, as a read-only tuple (lesson 01; viz and widgets draw them)."""
        return tuple(self._children)

    @property
    def local_grads(self):
        """d(self)/d(child), one per child, as a read-only tuple (lesson 01; the backward widget shows them)."""
        return tuple(self._local_grads)

    def __repr__(self):
        """Show data and grad (and the label, if any) compactly."""
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={edges.format_number(self.data)}, grad={edges.format_number(self.grad)}{label})"

    # --- the primitive operations: each knows its own local derivative ---

    def __add__(self, other):
        """a + b; the local derivatives are 1 and 1."""
        other = other if isinstance(other, Value) else Value(edges.operand(other))
        return Value(self.data + other.data, (self, other), (1, 1), "+")

    def __mul__(self, other):
        """a * b; d/da is b and d/db is a."""
        other = other if isinstance(other, Value) else Value(edges.operand(other))
        return Value(self.data * other.data, (self, other), (other.data, self.data), "*")

    def __pow__(self, k):
        """a ** k for a plain number k; d/da is k * a**(k-1)."""
        if type(k) is not float and type(k) is not int:
            k = edges.exponent(k, isinstance(k, Value))
        out, grad = edges.power(self.data, k)  # x**k and k * x**(k-1), or inf, or a clear error
        return Value(out, (self,), (grad,), f"**{k:g}")

    def log(self):
        """Natural log; d/da is 1/a. Only defined for positive numbers. Built in lesson 01."""
        return Value(edges.log(self.data), (self,), (1 / self.data,), "log")  # an error for a <= 0

    def exp(self):
        """e ** a; its derivative is itself. Too large for a float (a > 709.78) gives inf. Built in lesson 01."""
        out = edges.exp(self.data)  # inf beyond the largest float
        return Value(out, (self,), (out,), "exp")

    def relu(self):
        """max(0, a); the derivative is 1 where a > 0 and 0 elsewhere. Built in lesson 01 (used by lesson 05's MLP)."""
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
        return self + edges.negated(other)

    def __rsub__(self, other):
        """number - a, computed as number + (-a)."""
        return other + (-self)

    def __rmul__(self, other):
        """number * a."""
        return self * other

    def __truediv__(self, other):
        """a / b, computed as a * b**-1 (the reference's form, which rounds differently from a plain /)."""
        if other.__class__ not in _PLAIN and not isinstance(other, Value):
            other = edges.number(other, "what a Value is divided by")
        return self * edges.inverse(self, other)  # other**-1, or a DivisionByZero naming both

    def __rtruediv__(self, other):
        """number / a, computed as number * a**-1."""
        return other * self**-1

    # --- backpropagation ---

    def topological_order(self):
        """Every node this one depends on, each after all of its children (inputs first, self last). Lesson 01."""
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
        """Fill in d(self)/d(node) as `grad` on every node of the graph, by the chain rule. Built in lesson 01.

        Gradients are *added* into `grad` (with `+=`), because a node used twice must collect a
        contribution from each use. That also means calling backward() a second time adds on top of
        the first: reset every `grad` to 0 in between (the optimizer does this after each step).
        """
        order = self.topological_order()
        self.grad = 1
        for node in reversed(order):
            for child, local_grad in zip(node._children, node._local_grads):
                child.grad += local_grad * node.grad
