"""The GPT itself: its configuration, its parameters and its forward pass, one position at a time.

The forward pass is a handful of plain functions, in the order the reference computes them and with the
names the lessons give them: `embed` (lesson 05), `attention_scores`, `attend`, `head_slice`,
`multi_head_attention` and `attention` (lesson 04), `mlp`, `residual_block`, `block` and `gpt` (lesson 05).
`GPT` holds the weights and calls `gpt`.

The model reads one token at a time. Each attention layer keeps a cache of the keys and values of the
positions it has already seen, and a new position attends over that cache: this is how the model is
causal (a position can only ever see itself and the past) without any mask. Shapes in the comments are
list lengths: T is the number of positions cached so far, this one included.
"""

import itertools
import random
from dataclasses import asdict, dataclass

from .guards import check_forward, check_gpt, check_model, check_sizes, check_token_list
from .limits import MAX_SIZE, ConfigError, check_params, check_size  # noqa: F401 (ConfigError: model's too)
from .nn import linear, rmsnorm, softmax
from .value import Value

INIT_STD = 0.08  # the spread of the initial weights


@dataclass(frozen=True)
class GPTConfig:
    """The shape of the model; the defaults are the reference's. Built in lesson 05."""

    vocab_size: int
    n_layer: int = 1
    n_embd: int = 16
    n_head: int = 4
    block_size: int = 16

    def __post_init__(self):
        """Refuse sizes that cannot make a model, or would not fit in memory (microgpt.limits), naming the setting."""
        check_sizes(self)
        check_params(count_params(self))  # before a single weight is allocated

    @property
    def head_dim(self):
        """How many embedding dimensions each attention head works on. Used in lesson 04."""
        return self.n_embd // self.n_head

    def to_dict(self):
        """The configuration as a plain dict (for JSON). Used by microgpt.weights (lesson 06)."""
        return asdict(self)


def matrix(rng, nout, nin, std=INIT_STD):
    """A list of `nout` rows of `nin` fresh Values drawn from a Gaussian, row by row. Built in lesson 05."""
    return [[Value(rng.gauss(0, std)) for _ in range(nin)] for _ in range(nout)]


def param_shapes(config):
    """Every parameter matrix's name and (rows, columns), in the reference's creation order. Built in lesson 05."""
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
    """The number of scalar parameters: 4,192 for the reference model on names.txt. Built in lesson 05."""
    return sum(rows * cols for rows, cols in param_shapes(config).values())


def check_config(config):
    """Refuse sizes or a number of weights beyond microgpt.limits, for a config built another way. Lesson 07.

    A GPTConfig already passed this check when it was made; the command line and `weights.load` call it again.
    """
    for name in MAX_SIZE:
        check_size(name, getattr(config, name))
    check_params(count_params(config))


# --- the forward pass, block by block (one position) ---

def embed(token_id, pos_id, wte, wpe):
    """The input vector of one position: the token's row of wte plus the position's row of wpe. Built in lesson 05."""
    return [t + p for t, p in zip(wte[token_id], wpe[pos_id])]  # (n_embd,)


def head_slice(vec, h, head_dim):
    """The part of `vec` that belongs to head h: head_dim numbers from h * head_dim. Built in lesson 04."""
    return vec[h * head_dim:(h + 1) * head_dim]  # (head_dim,)


def attention_scores(q, keys, head_dim):
    """One score per key: q . k / sqrt(head_dim). Built in lesson 04."""
    # dividing by sqrt(head_dim) keeps the scores' spread from growing with the dimension
    return [sum(q[j] * k[j] for j in range(head_dim)) / head_dim**0.5 for k in keys]  # (T,)


def attend(weights, values):
    """The weighted sum of the value vectors: out[j] = sum over t of weights[t] * values[t][j]. Built in lesson 04."""
    return [sum(weights[t] * values[t][j] for t in range(len(values))) for j in range(len(values[0]))]


def multi_head_attention(q, keys, values, n_head, record=None):
    """Attention of one query over the cache, n_head heads side by side, outputs concatenated. Built in lesson 04.

    If `record` is a list, each head's attention weights are appended to it as a list of plain floats.
    """
    head_dim = len(q) // n_head
    out = []
    for h in range(n_head):
        q_h = head_slice(q, h, head_dim)  # (head_dim,)
        k_h = [head_slice(k, h, head_dim) for k in keys]  # (T, head_dim)
        v_h = [head_slice(v, h, head_dim) for v in values]  # (T, head_dim)
        weights = softmax(attention_scores(q_h, k_h, head_dim))  # (T,), adds up to 1
        if record is not None:
            record.append([w.data for w in weights])
        out.extend(attend(weights, v_h))  # (head_dim,) more
    return out  # (n_embd,)


def attention(x, keys, values, state_dict, li, config, heads=multi_head_attention):
    """Causal self-attention of one position in layer `li`; appends its key and value to the cache. Built in lesson 04.

    `heads(q, keys, values, n_head)` is the multi-head attention to use (lesson 04's checks pass the learner's).
    """
    sd = state_dict
    q = linear(x, sd[f"layer{li}.attn_wq"])  # (n_embd,)
    keys.append(linear(x, sd[f"layer{li}.attn_wk"]))  # keys: (T, n_embd)
    values.append(linear(x, sd[f"layer{li}.attn_wv"]))  # values: (T, n_embd)
    out = heads(q, keys, values, config.n_head)  # (n_embd,)
    return linear(out, sd[f"layer{li}.attn_wo"])  # (n_embd,): wo mixes the heads


def mlp(x, fc1, fc2):
    """The MLP of one position: fc1 (n_embd -> 4 * n_embd), relu, fc2 (back to n_embd). Built in lesson 05."""
    hidden = [h.relu() for h in linear(x, fc1)]  # (4 * n_embd,)
    return linear(hidden, fc2)  # (n_embd,)


def residual_block(x, f):
    """x + f(rmsnorm(x)), entry by entry: f reads a normalised copy; its output is added to x. Built in lesson 05."""
    return [a + b for a, b in zip(f(rmsnorm(x)), x)]  # (n_embd,)


def block(x, keys, values, state_dict, li, config, heads=multi_head_attention):
    """Layer `li` of the transformer: attention, then the MLP, each a residual block. Built in lesson 05."""
    sd = state_dict
    # 1) attention: look back over the cached positions
    x = residual_block(x, lambda xn: attention(xn, keys, values, sd, li, config, heads))  # (n_embd,)
    # 2) MLP: think about what was gathered, one position on its own
    return residual_block(x, lambda xn: mlp(xn, sd[f"layer{li}.mlp_fc1"], sd[f"layer{li}.mlp_fc2"]))


def gpt(token_id, pos_id, keys, values, state_dict, config, heads=multi_head_attention):
    """The logits of the token after `token_id` at `pos_id`: the whole GPT for one position. Built in lesson 05.

    `keys` and `values` hold one cache (a list) per layer; this position's key and value are appended.
    """
    sd = state_dict
    x = rmsnorm(embed(token_id, pos_id, sd["wte"], sd["wpe"]))  # (n_embd,): what the token is, and where
    for li in range(config.n_layer):
        x = block(x, keys[li], values[li], sd, li, config, heads)  # (n_embd,)
    return linear(x, sd["lm_head"])  # (vocab_size,): one score per token of the vocabulary


class GPT:
    """A GPT made of Values: a dict of named weight matrices, and `gpt` to use them. Built in lesson 05."""

    def __init__(self, config, rng=None):
        """Draw every weight from `rng` (a random.Random), in the reference's order. Built in lesson 05."""
        check_gpt(config, rng)
        self.config = config
        rng = rng if rng is not None else random.Random(42)
        # The order of this dict is the order the reference draws its random numbers in.
        self.state_dict = {name: matrix(rng, rows, cols) for name, (rows, cols) in param_shapes(config).items()}

    @classmethod
    def zeros(cls, config):
        """A GPT whose weights are all 0.0, drawing no random numbers: a shell for weights copied in later.

        Used by microgpt.weights (lesson 06) and the NumPy engine (lesson 08).
        """
        return cls(config, rng=_NoRandom())

    def parameters(self):
        """All weights as one flat list: matrix by matrix, row by row (the optimizer's order). Used in lesson 05."""
        return [p for mat in self.state_dict.values() for row in mat for p in row]

    def num_params(self):
        """How many scalar weights the model has. Used in lesson 05."""
        return count_params(self.config)

    def new_cache(self):
        """Empty key and value caches, one list per layer: start one for every new sequence. Built in lesson 04."""
        n = self.config.n_layer
        return [[] for _ in range(n)], [[] for _ in range(n)]

    def __call__(self, token_id, pos_id, keys, values, record=None):
        """Logits for the token after `token_id` at position `pos_id`; appends to the caches. Built in lesson 05.

        If `record` is a list, the attention weights of this position are appended to it as
        (layer, head, [weight over each cached position]) tuples of plain floats. This is the model's front
        door: the token id, the position and the caches are checked here (cheaply: it runs once per position).
        """
        token_id, pos_id = check_forward(token_id, pos_id, keys, values, self.config, record)
        heads = multi_head_attention if record is None else _recording_heads(record)
        return gpt(token_id, pos_id, keys, values, self.state_dict, self.config, heads)


def _recording_heads(record):
    """multi_head_attention that also appends (layer, head, weights) to `record`; layers come in order."""
    layers = itertools.count()

    def heads(q, keys, values, n_head):
        """multi_head_attention, keeping each head's weights."""
        weights = []
        out = multi_head_attention(q, keys, values, n_head, record=weights)
        layer = next(layers)
        record.extend((layer, h, w) for h, w in enumerate(weights))
        return out

    return heads


class _NoRandom:
    """Stands in for a random.Random when every weight is about to be overwritten."""

    def gauss(self, mu, sigma):
        """Always 0.0: a placeholder weight."""
        return 0.0


def attention_maps(model, token_ids):
    """Run `token_ids` through the model and return weights[layer][head][query][key] as floats. Used in lesson 04.

    Each map is square; entries above the diagonal are 0, because a position never sees the future.
    """
    check_model(model, "attention_maps(model, token_ids)")
    check_token_list(token_ids, model.config.block_size)
    c, n = model.config, len(token_ids)
    maps = [[[[0.0] * n for _ in range(n)] for _ in range(c.n_head)] for _ in range(c.n_layer)]
    keys, values = model.new_cache()
    for pos, token in enumerate(token_ids):
        record = []
        model(token, pos, keys, values, record=record)
        for layer, head, weights in record:
            maps[layer][head][pos][:len(weights)] = weights
    return maps
