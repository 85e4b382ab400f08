"""The same GPT on NumPy arrays: a whole document at once, with the backward pass written by hand.

The scalar engine (value.py) builds a graph of some 50,000 Values for every training step and walks it
back one number at a time. That is the complete algorithm; everything here is only efficiency. This
engine computes the very same model:

* the same weights, drawn from the same random stream in the same order (or copied from a scalar GPT);
* every position of a document in one pass, with a causal mask standing in for the key-value cache;
* gradients from the chain rule worked out once, by hand, for each block (no graph at all);
* the same Adam, learning-rate schedule, document order and sampling draws.

Floating-point sums come out in a different order than the scalar engine's, so results differ in about the
last digit of 16; the printed losses and sampled names are the same. Where it costs nothing, the arithmetic
mirrors the scalar engine's (multiplying by ``x ** -1`` where the Values divide, subtracting the largest score
in the softmax, ``ms + 1e-5`` in rmsnorm) to keep even those last digits close.

NumPy is an optional extra (``pip install 'microgpt-course[numpy]'``): nothing else in the package imports
this module, and the command line loads it only for ``--engine numpy``.
"""

import numpy as np

from .errors import MicrogptError
from .model import GPT, count_params, param_shapes
from .sample import start_tokens
from .train import train as train_loop

INIT_STD = 0.08  # the spread of the initial weights, as in model.matrix


class NumpyGPT:
    """A GPT whose weights live in one flat float64 array, each matrix a view into it."""

    def __init__(self, config, rng=None, flat=None):
        """Draw every weight from `rng` (a random.Random) exactly as model.GPT does, or take `flat` as is."""
        self.config = config
        if flat is None:
            if rng is None:
                raise MicrogptError("NumpyGPT needs a random.Random to draw its weights from (or flat weights)")
            # one gauss() per weight, matrix by matrix, row by row: the scalar GPT's order, so the same stream
            # gives the same numbers
            flat = [rng.gauss(0, INIT_STD) for _ in range(count_params(config))]
        self.flat = np.array(flat, dtype=np.float64)
        if self.flat.shape != (count_params(config),):
            raise MicrogptError(f"expected {count_params(config)} weights, got {self.flat.size}")
        self.grad_flat = np.zeros_like(self.flat)  # filled in by loss_and_grads
        # Views: writing into state_dict["wte"] writes into flat, and Adam updates flat in one go.
        self.state_dict, self.grads, start = {}, {}, {}
        offset = 0
        for name, (rows, cols) in param_shapes(config).items():
            start[name] = offset
            self.state_dict[name] = self.flat[offset:offset + rows * cols].reshape(rows, cols)
            self.grads[name] = self.grad_flat[offset:offset + rows * cols].reshape(rows, cols)
            offset += rows * cols
        self._precompute(start)

    def _precompute(self, start):
        """Build once what every step needs: fused q/k/v views, the causal mask, one-hot rows, constants."""
        c = self.config
        self._qkv, self._grad_qkv = [], []
        size = 3 * c.n_embd * c.n_embd
        for i in range(c.n_layer):
            # wq, wk and wv are stored one after the other, so together they are one (3*n_embd, n_embd)
            # matrix: one product computes q, k and v at once
            at = start[f"layer{i}.attn_wq"]
            self._qkv.append(self.flat[at:at + size].reshape(3 * c.n_embd, c.n_embd))
            self._grad_qkv.append(self.grad_flat[at:at + size].reshape(3 * c.n_embd, c.n_embd))
        # -inf above the diagonal: after exp() a position gives weight 0 to every later position
        self._mask = np.triu(np.full((c.block_size, c.block_size), -np.inf), k=1)
        self._eye = np.eye(c.vocab_size)  # row t is token t as a one-hot vector
        self._inv_sqrt_head = (c.head_dim**0.5) ** -1  # the scalar engine divides by head_dim**0.5 this way
        self._inv_embd = c.n_embd**-1

    # --- conversions ---

    @classmethod
    def from_scalar(cls, model):
        """A NumpyGPT with the same config and the same weights as a scalar model.GPT."""
        return cls(model.config, flat=[p.data for p in model.parameters()])

    def to_scalar(self):
        """A scalar model.GPT holding these weights (to save them with microgpt.weights, or compare)."""
        model = GPT(self.config, rng=_Placeholder())
        for p, x in zip(model.parameters(), self.flat.tolist()):
            p.data = x
        return model

    def num_params(self):
        """How many scalar weights the model has."""
        return self.flat.size

    # --- the blocks, forward and backward ---

    def _rmsnorm(self, x):
        """rmsnorm of each row of `x`; also returns each row's scale, which the backward pass needs."""
        ms = (x * x).sum(axis=1, keepdims=True) * self._inv_embd
        scale = (ms + 1e-5) ** -0.5
        return x * scale, scale

    def _rmsnorm_backward(self, x, scale, dy):
        """Gradient with respect to x of rmsnorm, given the gradient `dy` of its output."""
        # y = x * s with s = (mean(x^2) + eps)^-1/2, and ds/dx = -s^3 x / n_embd
        return scale * dy - x * (scale**3 * (dy * x).sum(axis=1, keepdims=True) * self._inv_embd)

    def _split_heads(self, x):
        """(n, n_embd) -> (n_head, n, head_dim)."""
        n = x.shape[0]
        return x.reshape(n, self.config.n_head, self.config.head_dim).transpose(1, 0, 2)

    def _forward(self, tokens):
        """Logits at every position of `tokens`, and everything the backward pass will need."""
        c, sd = self.config, self.state_dict
        n = len(tokens)
        x0 = sd["wte"][tokens] + sd["wpe"][:n]  # what each token is, plus where it is
        x, s0 = self._rmsnorm(x0)
        layers = []
        for li in range(c.n_layer):
            # 1) attention: every position at once, the mask hides the future
            x_in = x
            xn, s1 = self._rmsnorm(x_in)
            qkv = (xn @ self._qkv[li].T).reshape(n, 3, c.n_head, c.head_dim).transpose(1, 2, 0, 3)
            q, k, v = qkv[0], qkv[1], qkv[2]  # each (n_head, n, head_dim)
            scores = (q @ k.transpose(0, 2, 1)) * self._inv_sqrt_head + self._mask[:n, :n]
            exps = np.exp(scores - scores.max(axis=2, keepdims=True))
            probs = exps * exps.sum(axis=2, keepdims=True) ** -1  # (n_head, n queries, n keys)
            heads = (probs @ v).transpose(1, 0, 2).reshape(n, c.n_embd)  # concatenated head outputs
            x_mid = heads @ sd[f"layer{li}.attn_wo"].T + x_in
            # 2) MLP, each position on its own
            xn2, s2 = self._rmsnorm(x_mid)
            h = xn2 @ sd[f"layer{li}.mlp_fc1"].T
            r = np.maximum(h, 0.0)
            x = r @ sd[f"layer{li}.mlp_fc2"].T + x_mid
            layers.append((x_in, xn, s1, q, k, v, probs, heads, x_mid, xn2, s2, h, r))
        logits = x @ sd["lm_head"].T
        return logits, (x0, s0, layers, x)

    def logits(self, tokens):
        """The logits (an (n, vocab_size) array) after each prefix of `tokens`."""
        return self._forward(tokens)[0]

    def loss_and_grads(self, tokens):
        """Mean cross-entropy over one document (as a float); fills self.grads (and grad_flat) with its gradient."""
        c, sd, g = self.config, self.state_dict, self.grads
        n = min(c.block_size, len(tokens) - 1)  # longer documents are cut at the block size
        if n < 1:
            raise MicrogptError("a training sequence needs at least two tokens")
        inputs, targets = tokens[:n], tokens[1:n + 1]
        logits, (x0, s0, layers, x) = self._forward(inputs)
        exps = np.exp(logits - logits.max(axis=1, keepdims=True))
        probs = exps * exps.sum(axis=1, keepdims=True) ** -1
        # the scalar engine's loss: the built-in sum of -log(p) from 0, left to right, times 1/n
        loss = (1 / n) * sum((-np.log(probs[np.arange(n), targets])).tolist())

        # backward: softmax followed by -log(p[target]) has the famous gradient p - onehot(target)
        dlogits = (probs - self._eye[targets]) * (1 / n)
        g["lm_head"][...] = dlogits.T @ x
        dx = dlogits @ sd["lm_head"]
        for li in reversed(range(c.n_layer)):
            x_in, xn, s1, q, k, v, attn, heads, x_mid, xn2, s2, h, r = layers[li]
            # MLP: x = relu(rmsnorm(x_mid) @ fc1.T) @ fc2.T + x_mid
            g[f"layer{li}.mlp_fc2"][...] = dx.T @ r
            dh = (dx @ sd[f"layer{li}.mlp_fc2"]) * (h > 0)  # relu passes gradient only where it was open
            g[f"layer{li}.mlp_fc1"][...] = dh.T @ xn2
            dx = dx + self._rmsnorm_backward(x_mid, s2, dh @ sd[f"layer{li}.mlp_fc1"])  # + the residual path
            # attention: x_mid = heads @ wo.T + x_in
            g[f"layer{li}.attn_wo"][...] = dx.T @ heads
            dheads = self._split_heads(dx @ sd[f"layer{li}.attn_wo"])
            dattn = dheads @ v.transpose(0, 2, 1)
            dv = attn.transpose(0, 2, 1) @ dheads
            # softmax backward, row by row: ds = p * (dp - sum(dp * p)); masked entries have p = 0
            dscores = attn * (dattn - (dattn * attn).sum(axis=2, keepdims=True)) * self._inv_sqrt_head
            dq = dscores @ k
            dk = dscores.transpose(0, 2, 1) @ q
            dqkv = np.stack((dq, dk, dv)).transpose(2, 0, 1, 3).reshape(n, 3 * c.n_embd)
            self._grad_qkv[li][...] = dqkv.T @ xn
            dx = dx + self._rmsnorm_backward(x_in, s1, dqkv @ self._qkv[li])
        dx0 = self._rmsnorm_backward(x0, s0, dx)
        g["wte"][...] = self._eye[inputs].T @ dx0  # each row collects the gradient of every use of its token
        g["wpe"][:n] = dx0
        g["wpe"][n:] = 0.0  # positions the document did not reach
        return loss


class Adam:
    """The scalar optim.Adam's formulas, applied to every weight at once."""

    def __init__(self, model, lr=0.01, beta1=0.85, beta2=0.99, eps=1e-8):
        """Keep the model's flat weights and gradients, and zero moments."""
        self.params, self.grads = model.flat, model.grad_flat
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.m = np.zeros_like(self.params)
        self.v = np.zeros_like(self.params)
        self.t = 0

    def step(self, lr=None):
        """One Adam update of every weight at learning rate `lr`, then zero the gradients."""
        lr = self.lr if lr is None else lr
        self.t += 1
        b1, b2 = self.beta1, self.beta2
        self.m *= b1
        self.m += (1 - b1) * self.grads
        self.v *= b2
        self.v += (1 - b2) * (self.grads * self.grads)
        m_hat = self.m / (1 - b1**self.t)
        v_hat = self.v / (1 - b2**self.t)
        self.params -= lr * m_hat / (np.sqrt(v_hat) + self.eps)  # in place: the views see the new weights
        self.grads[...] = 0.0


def train_step(model, tokens, optimizer, lr):
    """Forward, backward and one optimizer step on one document; returns the loss as a float."""
    loss = model.loss_and_grads(tokens)
    optimizer.step(lr)
    return loss


def train(model, docs, tokenizer, num_steps=1000, optimizer=None, lr=0.01, callback=None, start_step=0):
    """microgpt.train.train for a NumpyGPT: the same loop and schedule, with this engine's step and Adam."""
    return train_loop(model, docs, tokenizer, num_steps, optimizer or Adam(model, lr=lr), lr, callback,
                      start_step, step_fn=train_step)


def generate(model, tokenizer, rng, temperature=0.5, prefix=""):
    """microgpt.sample.generate for a NumpyGPT: the same draws from `rng`, so the same names."""
    block_size = model.config.block_size
    tokens = start_tokens(tokenizer, temperature, prefix, block_size)
    out = list(prefix)
    vocab = range(model.config.vocab_size)
    while len(tokens) <= block_size:
        # no cache: the whole prefix is run again, and the last position's logits are the new ones
        logits = model.logits(tokens)[-1]
        if temperature != 0:
            logits = logits * temperature**-1  # the scalar engine's logit / temperature
        exps = np.exp(logits - logits.max())
        probs = (exps * exps.sum() ** -1).tolist()
        if temperature == 0:
            token_id = probs.index(max(probs))  # the first of the most likely, like the scalar engine
        else:
            # Python floats, so rng.choices makes exactly the scalar engine's draw
            token_id = rng.choices(vocab, weights=probs)[0]
        if token_id == tokenizer.bos:  # the model says the document is over
            break
        out.append(tokenizer.chars[token_id])
        tokens.append(token_id)
    return "".join(out)


class _Placeholder:
    """Stands in for a random.Random when a scalar GPT's weights are about to be overwritten."""

    def gauss(self, mu, sigma):
        """Always 0.0: a placeholder weight."""
        return 0.0
