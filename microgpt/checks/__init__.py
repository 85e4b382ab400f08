"""Checks for the exercises: each takes the learner's function, tries it, and says precisely what is wrong.

A check raises AssertionError with a hint aimed at the likely mistake, and prints one short line when
the answer is right. Checks compare against the finished pieces of the package and against small cases
worked out by hand, never against a copy of the answer that could share its bug. One module per lesson;
`common` holds what they share. Use them as `from microgpt import checks; checks.check_mul_local_grads(f)`.
"""

from .lesson01 import (
    check_backward,
    check_exp_local,
    check_log_local,
    check_mul_local_grads,
    check_numerical_grad,
    check_pow_local,
    check_relu_local,
    check_topo_sort,
)
from .lesson02 import (
    check_bigram_nll,
    check_count_bigrams,
    check_encode_doc,
    check_sample_from_row,
    check_vocab,
)
from .lesson03 import (
    check_cross_entropy,
    check_linear,
    check_rmsnorm,
    check_sgd_step,
    check_softmax,
    check_stable_softmax,
)
from .lesson04 import (
    check_attend,
    check_attention_scores,
    check_causal_weights,
    check_head_slice,
    check_multi_head,
)
from .lesson05 import check_embed, check_mlp, check_num_params, check_residual_block
from .lesson06 import (
    check_adam_update,
    check_bias_corrected,
    check_lr_at,
    check_training_step,
)
from .lesson07 import (
    check_generate_name,
    check_greedy_token,
    check_novelty,
    check_sample_token,
)
from .lesson08 import (
    check_attention_np,
    check_causal_mask,
    check_growth_exponent,
    check_linear_nodes,
    check_rmsnorm_np,
)

__all__ = [
    "check_backward",
    "check_exp_local",
    "check_log_local",
    "check_mul_local_grads",
    "check_numerical_grad",
    "check_pow_local",
    "check_relu_local",
    "check_topo_sort",
    "check_bigram_nll",
    "check_count_bigrams",
    "check_encode_doc",
    "check_sample_from_row",
    "check_vocab",
    "check_cross_entropy",
    "check_linear",
    "check_rmsnorm",
    "check_sgd_step",
    "check_softmax",
    "check_stable_softmax",
    "check_attend",
    "check_attention_scores",
    "check_causal_weights",
    "check_head_slice",
    "check_multi_head",
    "check_embed",
    "check_mlp",
    "check_num_params",
    "check_residual_block",
    "check_adam_update",
    "check_bias_corrected",
    "check_lr_at",
    "check_training_step",
    "check_generate_name",
    "check_greedy_token",
    "check_novelty",
    "check_sample_token",
    "check_attention_np",
    "check_causal_mask",
    "check_growth_exponent",
    "check_linear_nodes",
    "check_rmsnorm_np",
]
