"""The NumPy engine's blocks, each a forward pass and its backward pass written by hand. Built in lesson 08.

They have the names of microgpt.model's blocks (embed, rmsnorm, attention, mlp, block) and compute the same
numbers, but for every position of a document at once: a causal mask stands in for the key-value cache. Each
`*_backward` takes the gradient of its block's output and returns the gradient of its input (the chain rule
worked out once, for the whole block), writing the gradients of the block's weights as it goes.

Shapes in the comments: T positions of one document, C = n_embd, nh heads of hs = head_dim, V = vocab_size.
Only microgpt.engine_numpy imports this module (NumPy is an optional extra).
"""

from typing import NamedTuple

import numpy as np


class Layer(NamedTuple):
    """The weights (or the gradients) of one layer: views into a model's flat array. Used in lesson 08."""

    wqkv: np.ndarray  # (3C, C): wq, wk and wv, stored one after the other, so one product gives q, k and v
    wo: np.ndarray  # (C, C)
    fc1: np.ndarray  # (4C, C)
    fc2: np.ndarray  # (C, 4C)


class AttentionCache(NamedTuple):
    """What attention_backward needs from the forward pass. Used in lesson 08."""

    xn: np.ndarray  # (T, C): attention's input
    q: np.ndarray  # (nh, T, hs)
    k: np.ndarray  # (nh, T, hs)
    v: np.ndarray  # (nh, T, hs)
    probs: np.ndarray  # (nh, T, T): the attention weights
    heads: np.ndarray  # (T, C): the heads' outputs side by side


class MlpCache(NamedTuple):
    """What mlp_backward needs from the forward pass. Used in lesson 08."""

    xn: np.ndarray  # (T, C): the MLP's input
    h: np.ndarray  # (T, 4C): before the relu
    r: np.ndarray  # (T, 4C): after the relu


class BlockCache(NamedTuple):
    """What block_backward needs: each residual block's input and scale, its sublayers' caches. Used in lesson 08."""

    x: np.ndarray  # (T, C): the block's input
    scale1: np.ndarray  # (T, 1)
    attn: AttentionCache
    x_mid: np.ndarray  # (T, C): after attention's residual connection
    scale2: np.ndarray  # (T, 1)
    mlp: MlpCache


def embed(wte, wpe, tokens):
    """wte[token] + wpe[pos] for every position at once. Used in lesson 08."""
    return wte[tokens] + wpe[:len(tokens)]  # (T, C)


def embed_backward(dx, tokens, dwte, dwpe):
    """Write the gradients of wte and wpe, given `dx`, the gradient of embed's output. Used in lesson 08."""
    n = len(tokens)
    dwte[...] = np.eye(len(dwte))[tokens].T @ dx  # (V, C): each row collects every use of its token
    dwpe[:n] = dx  # (T, C)
    dwpe[n:] = 0.0  # positions the document did not reach


def rmsnorm(x):
    """rmsnorm of each row of `x`; also returns each row's scale, which the backward pass needs. Used in lesson 08."""
    ms = (x * x).sum(axis=1, keepdims=True) * x.shape[1] ** -1  # (T, 1): the mean square of each row
    scale = (ms + 1e-5) ** -0.5  # (T, 1)
    return x * scale, scale  # (T, C), (T, 1)


def rmsnorm_backward(x, scale, dy):
    """Gradient with respect to x of rmsnorm, given the gradient `dy` of its output. Used in lesson 08."""
    # y = x * s with s = (mean(x^2) + eps)^-1/2, and ds/dx = -s^3 x / n_embd
    return scale * dy - x * (scale**3 * (dy * x).sum(axis=1, keepdims=True) * x.shape[1] ** -1)  # (T, C)


def softmax(scores):
    """softmax over the last axis, the largest score subtracted first. Used in lesson 08."""
    exps = np.exp(scores - scores.max(axis=-1, keepdims=True))  # same shape as scores
    return exps * exps.sum(axis=-1, keepdims=True) ** -1  # the scalar engine's e * total**-1


def attention(xn, layer, n_head, mask):
    """Causal self-attention of every position at once: the mask hides the future. Used in lesson 08."""
    T, C = xn.shape
    hs = C // n_head
    qkv = (xn @ layer.wqkv.T).reshape(T, 3, n_head, hs).transpose(1, 2, 0, 3)  # (3, nh, T, hs)
    q, k, v = qkv  # each (nh, T, hs)
    scores = (q @ k.transpose(0, 2, 1)) * (hs**0.5) ** -1 + mask[:T, :T]  # (nh, T, T)
    probs = softmax(scores)  # (nh, T, T): row t weighs the keys 0..t
    heads = (probs @ v).transpose(1, 0, 2).reshape(T, C)  # (T, C): the heads side by side
    return heads @ layer.wo.T, AttentionCache(xn, q, k, v, probs, heads)  # (T, C)


def attention_backward(dout, cache, layer, grad):
    """Gradient of attention's input; writes the gradients of wqkv and wo into `grad`. Used in lesson 08."""
    xn, q, k, v, probs, heads = cache
    n_head, T, hs = q.shape
    grad.wo[...] = dout.T @ heads  # (C, C)
    dheads = (dout @ layer.wo).reshape(T, n_head, hs).transpose(1, 0, 2)  # (nh, T, hs)
    dprobs = dheads @ v.transpose(0, 2, 1)  # (nh, T, T)
    dv = probs.transpose(0, 2, 1) @ dheads  # (nh, T, hs)
    # softmax backward, row by row: ds = p * (dp - sum(dp * p)); masked entries have p = 0
    dscores = probs * (dprobs - (dprobs * probs).sum(axis=2, keepdims=True)) * (hs**0.5) ** -1  # (nh, T, T)
    dq = dscores @ k  # (nh, T, hs)
    dk = dscores.transpose(0, 2, 1) @ q  # (nh, T, hs)
    dqkv = np.stack((dq, dk, dv)).transpose(2, 0, 1, 3).reshape(T, 3 * n_head * hs)  # (T, 3C)
    grad.wqkv[...] = dqkv.T @ xn  # (3C, C)
    return dqkv @ layer.wqkv  # (T, C)


def mlp(xn, layer):
    """The MLP of every position at once: fc1, relu, fc2. Used in lesson 08."""
    h = xn @ layer.fc1.T  # (T, 4C)
    r = np.maximum(h, 0.0)  # (T, 4C)
    return r @ layer.fc2.T, MlpCache(xn, h, r)  # (T, C)


def mlp_backward(dout, cache, layer, grad):
    """Gradient of the MLP's input; writes the gradients of fc1 and fc2 into `grad`. Used in lesson 08."""
    grad.fc2[...] = dout.T @ cache.r  # (C, 4C)
    dh = (dout @ layer.fc2) * (cache.h > 0)  # (T, 4C): relu passes gradient only where it was open
    grad.fc1[...] = dh.T @ cache.xn  # (4C, C)
    return dh @ layer.fc1  # (T, C)


def block(x, layer, n_head, mask):
    """One layer: x + attention(rmsnorm(x)), then that + mlp(rmsnorm(that)). Used in lesson 08."""
    xn, scale1 = rmsnorm(x)  # (T, C)
    attn_out, attn = attention(xn, layer, n_head, mask)  # (T, C)
    x_mid = attn_out + x  # (T, C): the first residual connection
    xn2, scale2 = rmsnorm(x_mid)  # (T, C)
    mlp_out, mlp_cache = mlp(xn2, layer)  # (T, C)
    return mlp_out + x_mid, BlockCache(x, scale1, attn, x_mid, scale2, mlp_cache)  # (T, C)


def block_backward(dout, cache, layer, grad):
    """Gradient of the block's input; writes the layer's weight gradients into `grad`. Used in lesson 08."""
    # each residual connection passes dout straight through, plus the path through its sublayer
    dmid = dout + rmsnorm_backward(cache.x_mid, cache.scale2, mlp_backward(dout, cache.mlp, layer, grad))  # (T, C)
    return dmid + rmsnorm_backward(cache.x, cache.scale1, attention_backward(dmid, cache.attn, layer, grad))  # (T, C)


def cross_entropy(logits, targets):
    """The mean of -log p(target) over the positions (a float), and the probabilities. Used in lesson 08."""
    n = len(targets)
    probs = softmax(logits)  # (T, V)
    # the scalar engine's loss: the built-in sum of -log(p) from 0, left to right, times 1/n
    return (1 / n) * sum((-np.log(probs[np.arange(n), targets])).tolist()), probs


def cross_entropy_backward(probs, targets):
    """Gradient of the loss with respect to the logits. Used in lesson 08."""
    # softmax followed by -log(p[target]) has the famous gradient p - onehot(target)
    return (probs - np.eye(probs.shape[1])[targets]) * (1 / len(targets))  # (T, V)
