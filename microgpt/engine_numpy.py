"""The same GPT on NumPy arrays: a whole document at once, with the backward pass written by hand. Built in lesson 08.

The scalar engine (value.py) builds a graph of some 50,000 Values for every training step and walks it
back one number at a time. That is the complete algorithm; everything here is only efficiency. This
engine computes the very same model, block by block with the names of microgpt.model:

* the same weights, drawn from the same random stream in the same order (or copied from a scalar GPT);
* every position of a document in one pass, with a causal mask standing in for the key-value cache;
* each block a pair of functions in microgpt.numpy_blocks, `attention` and `attention_backward`, ...: the
  gradients come from the chain rule worked out once, by hand, for each block (no graph at all);
* the same Adam, learning-rate schedule, document order and sampling draws.

Floating-point sums come out in a different order than the scalar engine's, so results differ in about the
last digit of 16; the printed losses and sampled names are the same. Where it costs nothing, the arithmetic
mirrors the scalar engine's (multiplying by ``x ** -1`` where the Values divide, subtracting the largest score
in the softmax, ``ms + 1e-5`` in rmsnorm) to keep even those last digits close.

Shapes in the comments: T positions of one document, C = n_embd, nh heads of hs = head_dim, V = vocab_size.

NumPy is an optional extra (``pip install 'microgpt-course[numpy]'``): nothing else in the package imports
this module, and the command line loads it only for ``--engine numpy``.
"""

from typing import NamedTuple

import numpy as np

from .errors import MicrogptError
from .model import count_params, param_shapes
from .numpy_blocks import (
    Layer,
    block,
    block_backward,
    cross_entropy,
    cross_entropy_backward,
    embed,
    embed_backward,
    rmsnorm,
    rmsnorm_backward,
)
from .sample import sample_next_token, start_tokens
from .train import train as train_loop
from .weights import draw_flat, from_flat


class ForwardCache(NamedTuple):
    """What loss_and_grads needs from NumpyGPT.forward. Used in lesson 08."""

    x0: np.ndarray  # (T, C): the embeddings, before the first rmsnorm
    scale0: np.ndarray  # (T, 1)
    blocks: list  # one BlockCache per layer
    x: np.ndarray  # (T, C): the last block's output, lm_head's input


class NumpyGPT:
    """A GPT whose weights live in one flat float64 array, each matrix a view into it. Built in lesson 08."""

    def __init__(self, config, rng=None, flat=None):
        """Draw every weight from `rng` (a random.Random) exactly as model.GPT does, or take `flat` as is."""
        self.config = config
        if flat is None:
            if rng is None:
                raise MicrogptError("NumpyGPT needs a random.Random to draw its weights from (or flat weights)")
            flat = draw_flat(config, rng)  # the scalar GPT's numbers, in its order
        self.flat = np.array(flat, dtype=np.float64)  # (num_params,)
        if self.flat.shape != (count_params(config),):
            raise MicrogptError(f"expected {count_params(config)} weights, got {self.flat.size}")
        self.grad_flat = np.zeros_like(self.flat)  # filled in by loss_and_grads
        # Views: writing into state_dict["wte"] writes into flat, and Adam updates flat in one go.
        self.state_dict, self.layers = _views(self.flat, config)
        self.grads, self.layer_grads = _views(self.grad_flat, config)
        # -inf above the diagonal: after exp() a position gives weight 0 to every later position
        self.mask = np.triu(np.full((config.block_size, config.block_size), -np.inf), k=1)  # (block, block)

    @classmethod
    def from_scalar(cls, model):
        """A NumpyGPT with the same config and the same weights as a scalar model.GPT. Used in lesson 08."""
        return cls(model.config, flat=[p.data for p in model.parameters()])

    def to_scalar(self):
        """A scalar model.GPT holding these weights (to save with microgpt.weights, or compare). Used in lesson 08."""
        return from_flat(self.config, self.flat.tolist())

    def num_params(self):
        """How many scalar weights the model has. Used in lesson 08."""
        return self.flat.size

    def forward(self, tokens):
        """The logits at every position of `tokens` (T, V), and the ForwardCache backward needs. Used in lesson 08."""
        if len(tokens) > self.config.block_size:
            raise MicrogptError(f"{len(tokens)} tokens do not fit the block size {self.config.block_size}")
        sd = self.state_dict
        x0 = embed(sd["wte"], sd["wpe"], tokens)  # (T, C)
        x, scale0 = rmsnorm(x0)  # (T, C)
        blocks = []
        for layer in self.layers:
            x, cache = block(x, layer, self.config.n_head, self.mask)  # (T, C)
            blocks.append(cache)
        return x @ sd["lm_head"].T, ForwardCache(x0, scale0, blocks, x)  # (T, V)

    def logits(self, tokens):
        """The logits (an (n, vocab_size) array) after each prefix of `tokens`. Used in lesson 08."""
        return self.forward(tokens)[0]

    def loss_and_grads(self, tokens):
        """Mean cross-entropy of one document (a float); fills self.grads (and grad_flat). Used in lesson 08."""
        sd, g = self.state_dict, self.grads
        n = min(self.config.block_size, len(tokens) - 1)  # longer documents are cut at the block size
        if n < 1:
            raise MicrogptError("a training sequence needs at least two tokens")
        inputs, targets = tokens[:n], tokens[1:n + 1]
        logits, cache = self.forward(inputs)  # (T, V)
        loss, probs = cross_entropy(logits, targets)  # a float, (T, V)
        dlogits = cross_entropy_backward(probs, targets)  # (T, V)
        g["lm_head"][...] = dlogits.T @ cache.x  # (V, C)
        dx = dlogits @ sd["lm_head"]  # (T, C)
        for layer, grad, block_cache in reversed(list(zip(self.layers, self.layer_grads, cache.blocks))):
            dx = block_backward(dx, block_cache, layer, grad)  # (T, C)
        embed_backward(rmsnorm_backward(cache.x0, cache.scale0, dx), inputs, g["wte"], g["wpe"])  # dx0: (T, C)
        return loss


def _views(flat, config):
    """Each named matrix of `flat` as a view (a dict by name), and each layer's Layer of views."""
    named, start, offset = {}, {}, 0
    for name, (rows, cols) in param_shapes(config).items():
        start[name] = offset
        named[name] = flat[offset:offset + rows * cols].reshape(rows, cols)
        offset += rows * cols
    C = config.n_embd
    layers = []
    for i in range(config.n_layer):
        at = start[f"layer{i}.attn_wq"]  # wq, wk and wv are stored one after the other: one (3C, C) matrix
        wqkv = flat[at:at + 3 * C * C].reshape(3 * C, C)  # (3C, C)
        layers.append(Layer(wqkv, named[f"layer{i}.attn_wo"], named[f"layer{i}.mlp_fc1"], named[f"layer{i}.mlp_fc2"]))
    return named, layers
class Adam:
    """The scalar optim.Adam's formulas, applied to every weight at once. Used in lesson 08."""

    def __init__(self, model, lr=0.01, beta1=0.85, beta2=0.99, eps=1e-8):
        """Keep the model's flat weights and gradients, and zero moments."""
        self.params, self.grads = model.flat, model.grad_flat
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.m = np.zeros_like(self.params)  # (num_params,)
        self.v = np.zeros_like(self.params)  # (num_params,)
        self.t = 0

    def step(self, lr=None):
        """One Adam update of every weight at learning rate `lr`, then zero the gradients. Used in lesson 08."""
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


class SGD:
    """The scalar optim.SGD's update, p -= lr * grad, applied to every weight at once. Used in lesson 06."""

    def __init__(self, model, lr=0.1):
        """Keep the model's flat weights and gradients."""
        self.params, self.grads, self.lr = model.flat, model.grad_flat, lr

    def step(self, lr=None):
        """One gradient-descent update of every weight at learning rate `lr`, then zero the gradients."""
        self.params -= (self.lr if lr is None else lr) * self.grads  # in place: the views see the new weights
        self.grads[...] = 0.0


def train_step(model, tokens, optimizer, lr):
    """Forward, backward and one optimizer step on one document; returns the loss as a float. Used in lesson 08."""
    loss = model.loss_and_grads(tokens)
    optimizer.step(lr)
    return loss


def train(model, docs, tokenizer, num_steps=1000, optimizer=None, lr=0.01, callback=None, start_step=0):
    """microgpt.train.train for a NumpyGPT: the same loop and schedule, its own step and Adam. Used in lesson 08."""
    return train_loop(model, docs, tokenizer, num_steps, optimizer or Adam(model, lr=lr), lr, callback,
                      start_step, step_fn=train_step)


def generate(model, tokenizer, rng, temperature=0.5, prefix=""):
    """microgpt.sample.generate for a NumpyGPT: the same draws from `rng`, so the same names. Used in lesson 08."""
    block_size = model.config.block_size
    tokens = start_tokens(tokenizer, rng, temperature, prefix, block_size)
    out = list(prefix)
    while len(tokens) <= block_size:
        # no cache: the whole prefix is run again, and the last position's logits are the new ones
        logits = model.logits(tokens)[-1]  # (V,)
        token_id = sample_next_token(logits.tolist(), rng, temperature)  # Python floats: the scalar engine's draw
        if token_id == tokenizer.bos:  # the model says the document is over
            break
        out.append(tokenizer.chars[token_id])
        tokens.append(token_id)
    return "".join(out)
