"""From microgpt to GPT-2 in PyTorch, one switch per change; batched training with a validation set. Lesson 09.

`GPT2Config` with its defaults is microgpt's architecture (rmsnorm without a gain, ReLU, no biases, separate
input and output embeddings, no dropout, a context of 16), written as an ordinary `torch.nn.Module`. Each
switch turns on one thing GPT-2 has: LayerNorm with a learned gain and bias, GELU, biases, tied embeddings,
dropout, and a longer context (names packed one after another into each row, as GPT-2 reads running text).
The lesson trains each variant on the same budget and compares their validation losses.

Also here: splitting the names into training and validation sets, padding them into tensors, the validation
loss, and sampling with top-k and top-p (nucleus) filtering.
"""

import math
import random
from dataclasses import dataclass, replace

import torch
from torch import nn
from torch.nn import functional as F

from .engine_torch import PAD, pad_batch, token_probs
from .errors import MicrogptError
from .model import INIT_STD


@dataclass(frozen=True)
class GPT2Config:
    """The shape of the model and which of GPT-2's changes are on (all off: microgpt's architecture). Lesson 09."""

    vocab_size: int
    n_layer: int = 2
    n_embd: int = 64
    n_head: int = 4
    block_size: int = 16
    layernorm: bool = False  # LayerNorm (subtract the mean, learned gain and bias) instead of rmsnorm
    gelu: bool = False  # GELU instead of ReLU in the MLP
    bias: bool = False  # a bias in every linear layer but the output
    tied: bool = False  # the output layer reuses the token embedding matrix
    dropout: float = 0.0  # probability of zeroing an activation while training
    packed: bool = False  # rows of block_size tokens holding several names end to end

    def but(self, **changes):
        """A copy with some settings changed."""
        return replace(self, **changes)


class RMSNorm(nn.Module):
    """microgpt's rmsnorm: each row rescaled to a root-mean-square of 1, nothing learned. Lesson 09."""

    def forward(self, x):
        """(..., n_embd) -> the same shape."""
        return x * ((x * x).mean(dim=-1, keepdim=True) + 1e-5) ** -0.5


def _norm(config):
    """The normalisation layer the config asks for."""
    return nn.LayerNorm(config.n_embd) if config.layernorm else RMSNorm()


class Block(nn.Module):
    """One transformer layer: causal self-attention then the MLP, each after a norm, each with a residual. Lesson 09."""

    def __init__(self, config):
        """The layers of one block, sized by `config`."""
        super().__init__()
        c = config
        self.config = c
        self.norm1, self.norm2 = _norm(c), _norm(c)
        self.qkv = nn.Linear(c.n_embd, 3 * c.n_embd, bias=c.bias)  # wq, wk and wv as one matrix
        self.proj = nn.Linear(c.n_embd, c.n_embd, bias=c.bias)
        self.fc1 = nn.Linear(c.n_embd, 4 * c.n_embd, bias=c.bias)
        self.fc2 = nn.Linear(4 * c.n_embd, c.n_embd, bias=c.bias)
        self.drop = nn.Dropout(c.dropout)
        self.register_buffer("future", torch.triu(torch.ones(c.block_size, c.block_size, dtype=torch.bool), 1))

    def attention(self, x):
        """Causal multi-head self-attention: (B, T, C) -> (B, T, C)."""
        c = self.config
        B, T, C = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, c.n_head, C // c.n_head).permute(2, 0, 3, 1, 4)  # 3 x (B, H, T, D)
        scores = (q @ k.transpose(-2, -1)) / math.sqrt(C // c.n_head)
        weights = torch.softmax(scores.masked_fill(self.future[:T, :T], float("-inf")), dim=-1)
        out = self.drop(weights) @ v  # (B, H, T, D)
        return self.proj(out.transpose(1, 2).reshape(B, T, C))

    def forward(self, x):
        """x plus attention, then plus the MLP."""
        x = x + self.drop(self.attention(self.norm1(x)))
        h = self.fc1(self.norm2(x))
        h = F.gelu(h) if self.config.gelu else torch.relu(h)
        return x + self.drop(self.fc2(h))


class GPT2(nn.Module):
    """The GPT of the course as a torch.nn.Module, with GPT-2's changes behind the config's switches. Lesson 09."""

    def __init__(self, config, seed=0):
        """Every weight matrix from N(0, 0.08) with torch.manual_seed(seed), biases 0, norm gains 1."""
        super().__init__()
        c = self.config = config
        self.wte = nn.Embedding(c.vocab_size, c.n_embd)
        self.wpe = nn.Embedding(c.block_size, c.n_embd)
        self.norm0 = _norm(c)  # microgpt normalises the embedding before the first block
        self.blocks = nn.ModuleList(Block(c) for _ in range(c.n_layer))
        self.norm_f = _norm(c) if c.layernorm else nn.Identity()  # GPT-2's final LayerNorm
        self.drop = nn.Dropout(c.dropout)
        self.lm_head = nn.Linear(c.n_embd, c.vocab_size, bias=False)
        generator = torch.Generator().manual_seed(seed)
        for p in self.parameters():
            if p.dim() == 2:
                nn.init.normal_(p, 0.0, INIT_STD, generator=generator)
        if c.tied:
            self.lm_head.weight = self.wte.weight  # one matrix, two uses: its gradient adds both up

    def forward(self, inputs):
        """Logits after every prefix: (B, T) token ids -> (B, T, vocab_size)."""
        T = inputs.shape[1]
        if T > self.config.block_size:
            raise MicrogptError(f"{T} positions do not fit the block size {self.config.block_size}")
        x = self.drop(self.norm0(self.wte(inputs) + self.wpe.weight[:T]))
        for block in self.blocks:
            x = block(x)
        return self.lm_head(self.norm_f(x))

    def loss(self, inputs, targets):
        """Mean cross-entropy over every position whose target is not PAD."""
        logits = self.forward(inputs)
        return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), ignore_index=PAD)

    def num_params(self):
        """How many numbers the model learns (a tied matrix counts once)."""
        return sum(p.numel() for p in self.parameters())


def split_names(docs, fraction=0.1, seed=42):
    """(train, validation): the DISTINCT names shuffled by random.Random(seed), the last `fraction` held out.

    A name that appears twice in names.txt must not land on both sides, or the validation loss would
    reward remembering it.
    """
    names = sorted(set(docs))
    random.Random(seed).shuffle(names)
    n_val = int(len(names) * fraction)
    return names[:len(names) - n_val], names[len(names) - n_val:]


def tensors(names, tokenizer, block_size=16, packed=False):
    """(inputs, targets) long tensors of every name: one padded row per name, or rows of names end to end. Lesson 09."""
    docs = [tokenizer.encode_doc(name) for name in names]
    if not packed:
        return pad_batch(docs, block_size)
    # BOS e m m a BOS o l i v i a BOS ...: one long stream, cut into rows of block_size + 1 tokens that overlap
    # by one (the last token of a row is the first input of the next)
    stream = [docs[0][0]] + [t for doc in docs for t in doc[1:]]
    rows = (len(stream) - 1) // block_size
    data = torch.tensor(stream[:rows * block_size + 1])
    return data[:-1].view(rows, block_size), data[1:].view(rows, block_size)


@torch.no_grad()
def validation_loss(model, inputs, targets, batch_size=1024):
    """Mean loss per real token over the whole set, with dropout off and no graph recorded. Lesson 09."""
    was_training = model.training
    model.eval()
    total, count = 0.0, 0
    for start in range(0, len(inputs), batch_size):
        x, y = inputs[start:start + batch_size], targets[start:start + batch_size]
        n = int((y != PAD).sum())
        total += model.loss(x, y).item() * n  # loss() is a mean: weigh it by its number of tokens
        count += n
    model.train(was_training)
    return total / count


def _trim(x, y):
    """Drop the trailing positions that are padding in every row: the batch is as long as its longest name."""
    real = (y != PAD).any(dim=0).nonzero()
    last = int(real.max()) + 1 if len(real) else y.shape[1]
    return x[:, :last], y[:, :last]  # the causal mask makes this change nothing but the time


def train_model(model, train_data, val_data, steps, batch_size=32, lr=3e-3, eval_every=100, seed=0,
                callback=None):
    """Adam with a linear decay on random batches of train_data; returns {"step", "train", "val"} lists.

    Every `eval_every` steps it records the mean training loss of those steps and the validation loss;
    `callback(step, steps, train_loss)` is called after every step (e.g. a viz.LiveLossPlot).
    """
    inputs, targets = train_data
    optimizer = torch.optim.Adam(model.parameters(), lr=lr, betas=(0.85, 0.99), eps=1e-8)
    generator = torch.Generator().manual_seed(seed)
    history, recent = {"step": [], "train": [], "val": []}, []
    model.train()
    for step in range(steps):
        for group in optimizer.param_groups:
            group["lr"] = lr * (1 - step / steps)
        rows = torch.randint(len(inputs), (batch_size,), generator=generator)
        x, y = _trim(inputs[rows], targets[rows])
        loss = model.loss(x, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        recent.append(loss.item())
        if callback is not None:
            callback(step + 1, steps, recent[-1])
        if (step + 1) % eval_every == 0 or step + 1 == steps:
            history["step"].append(step + 1)
            history["train"].append(sum(recent) / len(recent))
            history["val"].append(validation_loss(model, *val_data))
            recent = []
    return history


def top_k_filter(logits, k):
    """The logits with all but the k largest set to -inf (k >= the vocabulary keeps them all). Lesson 09."""
    if k >= logits.shape[-1]:
        return logits
    kth = torch.topk(logits, k, dim=-1).values[..., -1:]  # the k-th largest of each row
    return logits.masked_fill(logits < kth, float("-inf"))


def top_p_filter(logits, p, temperature=1.0):
    """The logits with -inf outside the smallest set of likeliest tokens (at `temperature`) reaching p. Lesson 09."""
    sorted_logits, order = torch.sort(logits, dim=-1, descending=True)
    probs = token_probs(sorted_logits, temperature)
    before = probs.cumsum(dim=-1) - probs  # the probability of the tokens ranked above each one
    drop_sorted = before >= p  # already p without it: drop (the most likely token always stays)
    drop = torch.zeros_like(drop_sorted).scatter(-1, order, drop_sorted)
    return logits.masked_fill(drop, float("-inf"))


def next_probs(logits, temperature=1.0, top_k=None, top_p=None):
    """The sampling distribution: the top-k and top-p filters, then softmax(logits / temperature). Lesson 09.

    Dividing by a temperature above 0 keeps the order of the logits, so top-k keeps the same tokens before or
    after it; top-p measures the probabilities at the temperature, as they will be drawn.
    """
    if temperature <= 0:
        raise MicrogptError(f"temperature must be above 0 here, got {temperature!r}")
    if top_k is not None:
        logits = top_k_filter(logits, top_k)
    if top_p is not None:
        logits = top_p_filter(logits, top_p, temperature)
    return token_probs(logits, temperature)


@torch.no_grad()
def sample(model, tokenizer, rng, temperature=1.0, top_k=None, top_p=None):
    """One name from a GPT2 model: draws from `rng` (a random.Random) until BOS or the block size. Lesson 09."""
    model.eval()
    tokens = [tokenizer.bos]
    while len(tokens) <= model.config.block_size:
        probs = next_probs(model(torch.tensor([tokens]))[0, -1], temperature, top_k, top_p)
        token = rng.choices(range(len(probs)), weights=probs.tolist())[0]
        if token == tokenizer.bos:
            break
        tokens.append(token)
    return tokenizer.decode(tokens[1:])
