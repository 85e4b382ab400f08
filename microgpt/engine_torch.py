"""The same GPT in PyTorch: tensors and torch.autograd instead of Values, many names at once. Built in lesson 09.

This is the model of lessons 04-05, not a new one: the same weights (drawn from the same random stream in the
same order, or copied from a scalar GPT), the same blocks in the same order, float64 like Python's floats.
What changes is who does the work: a tensor operation computes every position (and every name of a batch) at
once, and `loss.backward()` is PyTorch's autograd, which records each operation in a graph exactly as our
`Value` did, only one node per tensor operation instead of one per number.

* `TorchGPT(config, rng)` draws its weights like `model.GPT`; `TorchGPT.from_scalar(gpt)` copies them.
* `logits(inputs)` runs a (batch, positions) tensor of token ids with a causal mask standing in for the
  key-value cache; names of different lengths are padded at the end, which the mask already hides from every
  real position (a pad only ever comes after them).
* `Adam` is `torch.optim.Adam` with the reference's betas and eps; `train` and `generate` are the package's
  loop and sampler, so the printed losses and names are those of lesson 06 and 07.

PyTorch is an optional extra (``pip install 'microgpt-course[torch]'``): only this module, `microgpt.torch_gpt2`
and `microgpt.widgets_torch` import it, and `microgpt.engines.load_engine("torch")` loads it for the benchmark.
"""

import torch

from .errors import MicrogptError
from .model import count_params, param_shapes
from .sample import start_tokens
from .train import train as train_loop
from .weights import draw_flat, from_flat

PAD = -100  # the target of a padded position: torch's cross_entropy ignores this index by default


class TorchGPT:
    """A GPT whose weights are PyTorch tensors (leaves of autograd's graph), one per named matrix. Lesson 09."""

    def __init__(self, config, rng=None, flat=None, dtype=torch.float64):
        """Draw every weight from `rng` (a random.Random) exactly as model.GPT does, or take `flat` as is."""
        self.config = config
        if flat is None:
            if rng is None:
                raise MicrogptError("TorchGPT needs a random.Random to draw its weights from (or flat weights)")
            flat = draw_flat(config, rng)  # the scalar GPT's numbers, in its order
        flat = torch.as_tensor(flat, dtype=dtype)
        if flat.shape != (count_params(config),):
            raise MicrogptError(f"expected {count_params(config)} weights, got {flat.numel()}")
        self.state_dict, offset = {}, 0
        for name, (rows, cols) in param_shapes(config).items():
            # clone: each matrix is its own leaf tensor, so autograd gives each one its own .grad
            weight = flat[offset:offset + rows * cols].reshape(rows, cols).clone()
            self.state_dict[name] = weight.requires_grad_()
            offset += rows * cols
        # True above the diagonal: the key comes after the query, which a causal model must not see
        self.future = torch.triu(torch.ones(config.block_size, config.block_size, dtype=torch.bool), diagonal=1)

    @classmethod
    def from_scalar(cls, model, dtype=torch.float64):
        """A TorchGPT with the same config and the same weights as a scalar model.GPT."""
        return cls(model.config, flat=[p.data for p in model.parameters()], dtype=dtype)

    def to_scalar(self):
        """A scalar model.GPT holding these weights (to save them with microgpt.weights, or compare)."""
        return from_flat(self.config, self.flat().tolist())

    def parameters(self):
        """The weight tensors, in the scalar GPT's order (what torch.optim wants)."""
        return list(self.state_dict.values())

    def num_params(self):
        """How many scalar weights the model has."""
        return sum(p.numel() for p in self.parameters())

    def flat(self):
        """All weights as one 1-D tensor, in the order of model.GPT.parameters()."""
        return torch.cat([p.detach().reshape(-1) for p in self.parameters()])

    def flat_grad(self):
        """All gradients as one 1-D tensor, in the same order (zeros where backward gave none)."""
        return torch.cat([(p.grad if p.grad is not None else torch.zeros_like(p)).reshape(-1)
                          for p in self.parameters()])

    # --- the blocks: each takes and returns (batch, positions, n_embd) ---

    def embed(self, inputs):
        """What each token is plus where it is, then rmsnorm: (B, T) token ids -> (B, T, n_embd)."""
        sd = self.state_dict
        return rmsnorm(sd["wte"][inputs] + sd["wpe"][:inputs.shape[1]])

    def attention(self, x, layer):
        """Causal multi-head attention of every position of every name at once, plus the residual."""
        c, sd = self.config, self.state_dict
        B, T, C = x.shape
        xn = rmsnorm(x)

        def heads(w):  # (B, T, C) -> (B, n_head, T, head_dim): each head's slice of every row
            return (xn @ sd[f"layer{layer}.attn_{w}"].T).view(B, T, c.n_head, c.head_dim).transpose(1, 2)

        q, k, v = heads("wq"), heads("wk"), heads("wv")
        scores = q @ k.transpose(-2, -1) / c.head_dim**0.5  # (B, n_head, T queries, T keys)
        scores = scores.masked_fill(self.future[:T, :T], float("-inf"))  # exp(-inf) = 0: no weight on the future
        out = torch.softmax(scores, dim=-1) @ v  # (B, n_head, T, head_dim)
        out = out.transpose(1, 2).reshape(B, T, C)  # the heads side by side again
        return out @ sd[f"layer{layer}.attn_wo"].T + x

    def mlp(self, x, layer):
        """The MLP of every position on its own (rmsnorm, fc1, relu, fc2), plus the residual."""
        sd = self.state_dict
        return torch.relu(rmsnorm(x) @ sd[f"layer{layer}.mlp_fc1"].T) @ sd[f"layer{layer}.mlp_fc2"].T + x

    def block(self, x, layer):
        """One transformer layer: attention, then the MLP."""
        return self.mlp(self.attention(x, layer), layer)

    def logits(self, inputs):
        """Logits after every prefix: (B, T) token ids -> (B, T, vocab_size); a 1-D list or tensor -> (T, vocab)."""
        inputs = torch.as_tensor(inputs)
        if inputs.dim() == 1:
            return self.logits(inputs[None])[0]
        if inputs.shape[1] > self.config.block_size:
            raise MicrogptError(f"{inputs.shape[1]} positions do not fit the block size {self.config.block_size}")
        x = self.embed(inputs)
        for layer in range(self.config.n_layer):
            x = self.block(x, layer)
        return x @ self.state_dict["lm_head"].T

    # --- losses ---

    def document_loss(self, tokens):
        """Mean cross-entropy of one document (a list of ids, cut at the block size), as a 0-d tensor."""
        inputs, targets = pad_batch([tokens], self.config.block_size)
        return self.batch_loss(inputs, targets)

    def batch_loss(self, inputs, targets, per_document=False):
        """Mean cross-entropy over every real position of a padded batch (or one mean per document)."""
        logits = self.logits(inputs)
        return batch_loss(logits, targets, per_document)


def rmsnorm(x):
    """Each row rescaled to a root-mean-square of 1, as microgpt.rmsnorm does (last axis). Lesson 09."""
    return x * ((x * x).mean(dim=-1, keepdim=True) + 1e-5) ** -0.5


def batch_loss(logits, targets, per_document=False):
    """Mean cross-entropy of (B, T, vocab) logits against (B, T) targets, skipping the PAD targets.

    The mean is over the real positions of the whole batch (each token counts once), or, with
    `per_document`, one mean per document: the scalar engine's document_loss for every name.
    """
    losses = torch.nn.functional.cross_entropy(logits.transpose(1, 2), targets, ignore_index=PAD,
                                               reduction="none")  # (B, T), 0 where the target is PAD
    real = targets != PAD
    if per_document:
        return losses.sum(dim=1) / real.sum(dim=1)
    return losses.sum() / real.sum()


def pad_batch(token_lists, block_size):
    """(inputs, targets), both (B, T) long tensors, for documents of any lengths, padded at the end.

    Each document is cut at the block size like document_loss cuts it; T is the longest input. Padded inputs
    are token 0 (any id would do: only later positions, which are themselves padding, could see them) and
    padded targets are PAD, which the loss skips.
    """
    cut = []
    for tokens in token_lists:
        n = min(block_size, len(tokens) - 1)
        if n < 1:
            raise MicrogptError("a training sequence needs at least two tokens")
        cut.append((tokens[:n], tokens[1:n + 1]))
    T = max(len(inputs) for inputs, _ in cut)
    inputs = torch.zeros(len(cut), T, dtype=torch.long)
    targets = torch.full((len(cut), T), PAD, dtype=torch.long)
    for row, (ins, outs) in enumerate(cut):
        inputs[row, :len(ins)] = torch.tensor(ins)
        targets[row, :len(outs)] = torch.tensor(outs)
    return inputs, targets


def token_probs(logits, temperature):
    """softmax(logits / temperature) over the last axis: the torch side's one softmax at a temperature. Lesson 09.

    `generate` below and microgpt.torch_gpt2's sampler (with its top-k and top-p filters) both draw from it.
    """
    return torch.softmax(logits / temperature, dim=-1)


def Adam(model, lr=0.01, beta1=0.85, beta2=0.99, eps=1e-8):
    """torch.optim.Adam over the model's weights with the reference's hyperparameters. Used in lesson 09."""
    return torch.optim.Adam(model.parameters(), lr=lr, betas=(beta1, beta2), eps=eps)


def train_step(model, tokens, optimizer, lr):
    """Forward, backward (torch.autograd) and one Adam step on one document; returns the loss as a float. Lesson 09."""
    for group in optimizer.param_groups:
        group["lr"] = lr  # the linear decay of microgpt.train, step by step
    loss = model.document_loss(tokens)
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()
    return loss.item()


def train(model, docs, tokenizer, num_steps=1000, optimizer=None, lr=0.01, callback=None, start_step=0):
    """microgpt.train.train for a TorchGPT: the same loop, schedule and document order, with torch's Adam. Lesson 09."""
    return train_loop(model, docs, tokenizer, num_steps, optimizer or Adam(model, lr=lr), lr, callback,
                      start_step, step_fn=train_step)


@torch.no_grad()
def generate(model, tokenizer, rng, temperature=0.5, prefix=""):
    """microgpt.sample.generate for a TorchGPT: the same draws from `rng`, so the same names. Lesson 09."""
    block_size = model.config.block_size
    tokens = start_tokens(tokenizer, rng, temperature, prefix, block_size)
    out = list(prefix)
    vocab = range(model.config.vocab_size)
    while len(tokens) <= block_size:
        logits = model.logits(tokens)[-1]  # no cache: the whole prefix again, the last position's logits
        if temperature == 0:
            token_id = int(torch.argmax(logits))  # the first of the most likely, like the scalar engine
        else:
            probs = token_probs(logits, temperature).tolist()
            token_id = rng.choices(vocab, weights=probs)[0]  # Python floats: the scalar engine's very draw
        if token_id == tokenizer.bos:  # the model says the document is over
            break
        out.append(tokenizer.chars[token_id])
        tokens.append(token_id)
    return "".join(out)

