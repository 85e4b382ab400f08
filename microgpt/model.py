"""The GPT itself: its configuration, its parameters and its forward pass, one position at a time.

The model reads one token at a time. Each attention layer keeps a cache of the keys and values of the
positions it has already seen, and a new position attends over that cache: this is how the model is
causal (a position can only ever see itself and the past) without any mask.
"""

import random
from dataclasses import asdict, dataclass

from .errors import MicrogptError
from .nn import linear, rmsnorm, softmax
from .value import Value


class ConfigError(MicrogptError):
    """A model configuration that cannot be built."""


@dataclass(frozen=True)
class GPTConfig:
    """The shape of the model; the defaults are the reference's."""

    vocab_size: int
    n_layer: int = 1
    n_embd: int = 16
    n_head: int = 4
    block_size: int = 16

    def __post_init__(self):
        """Refuse sizes that cannot make a model, naming the offending setting."""
        for name in ("vocab_size", "n_layer", "n_embd", "n_head", "block_size"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise ConfigError(f"{name} must be a whole number, got {value!r}")
            if value <= 0:
                raise ConfigError(f"{name} must be at least 1, got {value}")
        if self.vocab_size < 2:
            raise ConfigError(f"vocab_size must be at least 2 (one character and BOS), got {self.vocab_size}")
        if self.n_embd % self.n_head:
            raise ConfigError(f"n_embd ({self.n_embd}) must be divisible by n_head ({self.n_head}), "
                              "because each head gets an equal slice of the embedding")

    @property
    def head_dim(self):
        """How many embedding dimensions each attention head works on."""
        return self.n_embd // self.n_head

    def to_dict(self):
        """The configuration as a plain dict (for JSON)."""
        return asdict(self)


def matrix(rng, nout, nin, std=0.08):
    """A list of `nout` rows of `nin` fresh Values drawn from a Gaussian, row by row."""
    return [[Value(rng.gauss(0, std)) for _ in range(nin)] for _ in range(nout)]


def param_shapes(config):
    """Every parameter matrix's name and (rows, columns), in the reference's creation order."""
    c = config
    shapes = {"wte": (c.vocab_size, c.n_embd), "wpe": (c.block_size, c.n_embd), "lm_head": (c.vocab_size, c.n_embd)}
    for i in range(c.n_layer):
        shapes[f"layer{i}.attn_wq"] = (c.n_embd, c.n_embd)
        shapes[f"layer{i}.attn_wk"] = (c.n_embd, c.n_embd)
        shapes[f"layer{i}.attn_wv"] = (c.n_embd, c.n_embd)
        shapes[f"layer{i}.attn_wo"] = (c.n_embd, c.n_embd)
        shapes[f"layer{i}.mlp_fc1"] = (4 * c.n_embd, c.n_embd)
        shapes[f"layer{i}.mlp_fc2"] = (c.n_embd, 4 * c.n_embd)
    return shapes


def count_params(config):
    """The number of scalar parameters: 4,192 for the reference model on names.txt."""
    return sum(rows * cols for rows, cols in param_shapes(config).values())


class GPT:
    """A GPT made of Values: a dict of named weight matrices and the function that uses them."""

    def __init__(self, config, rng=None):
        """Draw every weight from `rng` (a random.Random), in the reference's order."""
        self.config = config
        rng = rng if rng is not None else random.Random(42)
        # The order of this dict is the order the reference draws its random numbers in.
        self.state_dict = {name: matrix(rng, rows, cols) for name, (rows, cols) in param_shapes(config).items()}

    def parameters(self):
        """All weights as one flat list: matrix by matrix, row by row (the optimizer's order)."""
        return [p for mat in self.state_dict.values() for row in mat for p in row]

    def num_params(self):
        """How many scalar weights the model has."""
        return count_params(self.config)

    def new_cache(self):
        """Empty key and value caches, one list per layer: start one for every new sequence."""
        n = self.config.n_layer
        return [[] for _ in range(n)], [[] for _ in range(n)]

    def __call__(self, token_id, pos_id, keys, values, attention=None):
        """Logits for the token after `token_id` at position `pos_id`; appends to the caches.

        If `attention` is a list, the attention weights of this position are appended to it as
        (layer, head, [weight over each cached position]) tuples of plain floats.
        """
        c, sd = self.config, self.state_dict
        if not 0 <= pos_id < c.block_size:
            raise MicrogptError(f"position {pos_id} is outside the block size {c.block_size}")
        # the input: what the token is, plus where it is
        x = [t + p for t, p in zip(sd["wte"][token_id], sd["wpe"][pos_id])]
        x = rmsnorm(x)
        for li in range(c.n_layer):
            # 1) attention: look back over the cached positions
            x_residual = x
            x = rmsnorm(x)
            q = linear(x, sd[f"layer{li}.attn_wq"])
            k = linear(x, sd[f"layer{li}.attn_wk"])
            v = linear(x, sd[f"layer{li}.attn_wv"])
            keys[li].append(k)
            values[li].append(v)
            x_attn = []
            for h in range(c.n_head):
                hs = h * c.head_dim  # this head's slice of the embedding
                q_h = q[hs:hs + c.head_dim]
                k_h = [ki[hs:hs + c.head_dim] for ki in keys[li]]
                v_h = [vi[hs:hs + c.head_dim] for vi in values[li]]
                # dividing by sqrt(head_dim) keeps the scores' spread from growing with the dimension
                attn_logits = [sum(q_h[j] * k_h[t][j] for j in range(c.head_dim)) / c.head_dim**0.5
                               for t in range(len(k_h))]
                attn_weights = softmax(attn_logits)
                if attention is not None:
                    attention.append((li, h, [w.data for w in attn_weights]))
                head_out = [sum(attn_weights[t] * v_h[t][j] for t in range(len(v_h))) for j in range(c.head_dim)]
                x_attn.extend(head_out)
            x = linear(x_attn, sd[f"layer{li}.attn_wo"])
            x = [a + b for a, b in zip(x, x_residual)]  # the residual connection
            # 2) MLP: think about what was gathered, one position on its own
            x_residual = x
            x = rmsnorm(x)
            x = linear(x, sd[f"layer{li}.mlp_fc1"])
            x = [xi.relu() for xi in x]
            x = linear(x, sd[f"layer{li}.mlp_fc2"])
            x = [a + b for a, b in zip(x, x_residual)]
        return linear(x, sd["lm_head"])  # one score per token of the vocabulary


def attention_maps(model, token_ids):
    """Run `token_ids` through the model and return weights[layer][head][query][key] as floats.

    Each map is square; entries above the diagonal are 0, because a position never sees the future.
    """
    c = model.config
    n = len(token_ids)
    if n > c.block_size:
        raise MicrogptError(f"{n} tokens do not fit the block size {c.block_size}")
    maps = [[[[0.0] * n for _ in range(n)] for _ in range(c.n_head)] for _ in range(c.n_layer)]
    keys, values = model.new_cache()
    for pos, token in enumerate(token_ids):
        record = []
        model(token, pos, keys, values, attention=record)
        for layer, head, weights in record:
            maps[layer][head][pos][:len(weights)] = weights
    return maps
