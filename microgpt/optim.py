"""Adam, with the reference's hyperparameters, and the linear learning-rate decay it uses (lesson 06).

The optimizers check their settings when they are made and the learning rate at each step (once a step,
not once a parameter), so a string or a nan says so at once instead of failing inside the update.
"""

import math
from numbers import Real

from .errors import MicrogptError, NotANumber
from .limits import shown
from .model import WrongArgument


def linear_decay(base_lr, step, num_steps):
    """Learning rate at `step` (0-based): falls in a straight line from `base_lr` towards 0 at `num_steps`.

    Used by the training loop of lesson 06.
    """
    return base_lr * (1 - step / num_steps)


class Adam:
    """Adam: a step per parameter from running averages of its gradient (m) and squared gradient (v).

    Built in lesson 06 (`adam_update`), used by the training loop there and in lesson 08.
    """

    def __init__(self, params, lr=0.01, beta1=0.85, beta2=0.99, eps=1e-8):
        """Keep the parameters and a zero first and second moment for each one."""
        self.params = _parameters(params, "Adam")
        lr, beta1, beta2 = _number("lr", lr), _number("beta1", beta1, below=1), _number("beta2", beta2, below=1)
        eps = _number("eps", eps)
        if not eps:
            raise MicrogptError("eps must be above 0: it keeps the update from dividing by zero; the default is 1e-8")
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.m = [0.0] * len(self.params)  # running mean of the gradient: its direction
        self.v = [0.0] * len(self.params)  # running mean of the squared gradient: its size
        self.t = 0  # how many steps have been taken

    def step(self, lr=None):
        """Move every parameter by its Adam update at learning rate `lr`, then zero its gradient."""
        lr = self.lr if lr is None else _number("lr", lr)
        self.t += 1
        b1, b2 = self.beta1, self.beta2
        for i, p in enumerate(self.params):
            self.m[i] = b1 * self.m[i] + (1 - b1) * p.grad
            self.v[i] = b2 * self.v[i] + (1 - b2) * p.grad ** 2
            # m and v start at 0, so early on they are too small; dividing by (1 - beta^t) undoes that
            m_hat = self.m[i] / (1 - b1 ** self.t)
            v_hat = self.v[i] / (1 - b2 ** self.t)
            p.data -= lr * m_hat / (v_hat ** 0.5 + self.eps)
            p.grad = 0  # ready for the next backward(), which adds into grad


class SGD:
    """Plain gradient descent: every parameter moves by -lr times its gradient.

    Built in lesson 03 (the update by hand); lesson 06 races it against Adam.
    """

    def __init__(self, params, lr=0.1):
        """Keep the parameters and the learning rate."""
        self.params = _parameters(params, "SGD")
        self.lr = _number("lr", lr)
        self.t = 0

    def step(self, lr=None):
        """p -= lr * grad for every parameter, then zero its gradient."""
        lr = self.lr if lr is None else _number("lr", lr)
        self.t += 1
        for p in self.params:
            p.data -= lr * p.grad
            p.grad = 0


def _parameters(params, name):
    """The parameters as a list of Values, or a course error saying what to pass (model.parameters())."""
    if hasattr(params, "parameters"):
        raise WrongArgument(f"{name}(params) wants the model's weights: write {name}(model.parameters())")
    if isinstance(params, (str, bytes)) or not hasattr(params, "__iter__"):
        raise WrongArgument(f"{name}(params) wants a list of Values such as model.parameters(), got {shown(params)}")
    params = list(params)
    for p in params:
        if not (hasattr(p, "data") and hasattr(p, "grad")):
            raise WrongArgument(f"{name}(params) wants a list of Values such as model.parameters(), but it "
                                f"holds {shown(p)}")
    return params


def _number(name, value, below=math.inf):
    """`value` as a float if it is a number from 0 (up to `below`, excluded), else a course error naming it."""
    most = "below 1" if below == 1 else "finite"
    if isinstance(value, bool) or not isinstance(value, Real):
        raise NotANumber(f"{name} must be a {most} number >= 0 such as 0.01, got {shown(value)}")
    if not 0 <= value < below:  # False for nan too
        raise MicrogptError(f"{name} must be a {most} number >= 0, got {shown(value)}")
    return float(value)  # NumPy's float32 would make every weight a NumPy number
