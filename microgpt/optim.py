"""Adam, with the reference's hyperparameters, and the linear learning-rate decay it uses (lesson 06).

The optimizers are front doors: they check their settings when they are made and the learning rate at each
step (once a step, not once a parameter, with microgpt.guards), so a string or a nan says so at once instead
of failing inside the update.
"""

from .errors import MicrogptError
from .guards_training import check_parameters, check_setting


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
        """Keep the parameters and a zero first and second moment for each one. Built in lesson 06."""
        self.params = check_parameters(params, "Adam")
        lr, beta1, beta2 = check_setting("lr", lr), check_setting("beta1", beta1, 1), check_setting("beta2", beta2, 1)
        eps = check_setting("eps", eps)
        if not eps:
            raise MicrogptError("eps must be above 0: it keeps the update from dividing by zero; the default is 1e-8")
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.m = [0.0] * len(self.params)  # running mean of the gradient: its direction
        self.v = [0.0] * len(self.params)  # running mean of the squared gradient: its size
        self.t = 0  # how many steps have been taken

    def step(self, lr=None):
        """Move every parameter by its Adam update at learning rate `lr`, then zero its gradient. Lesson 06."""
        lr = self.lr if lr is None else check_setting("lr", lr)
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
        """Keep the parameters and the learning rate. Used in lesson 06."""
        self.params = check_parameters(params, "SGD")
        self.lr = check_setting("lr", lr)
        self.t = 0

    def step(self, lr=None):
        """p -= lr * grad for every parameter, then zero its gradient. Used in lesson 06."""
        lr = self.lr if lr is None else check_setting("lr", lr)
        self.t += 1
        for p in self.params:
            p.data -= lr * p.grad
            p.grad = 0
