"""What a learner sees from the checks: one short message, hints in three steps, and the right culprit.

These run in-process (no kernel): the learner's functions are written into a namespace with exec, as a
notebook cell would, and the checks are called on them. The mutant test (test_mutants.py) does the same
for every listed wrong answer in a real kernel.
"""

import pytest

from microgpt import checks
from microgpt.checks import hints as hint_steps

from .test_exercises import LESSONS, exercise_cells, mx, read

EXERCISE_IDS = list(checks.EXERCISES)


def learner(source):
    """The namespace a notebook cell would leave after running `source`."""
    namespace = {"__name__": "__main__"}
    exec(compile(source, "<learner cell>", "exec"), namespace)  # noqa: S102 (the learner's code, as in a notebook)
    return namespace


def failure(check, *args):
    """The CheckFailure a check raises on `args`, and the lines IPython would show for it."""
    with pytest.raises(checks.CheckFailure) as info:
        check(*args)
    return info.value, info.value._render_traceback_()


@pytest.mark.parametrize("exercise_id", EXERCISE_IDS)
def test_hint_gives_three_distinct_steps(exercise_id, capsys):
    """hint() gives the idea, the formula and the shape of the code, one per call, then stays at the last."""
    hint_steps._asked.pop(exercise_id, None)
    steps = [checks.hint(exercise_id) for _ in range(3)]
    assert [s.split(",")[0] for s in steps] == [f"Hint {n}/3 for {exercise_id}" for n in (1, 2, 3)]
    assert len({s.split(": ", 1)[1] for s in steps}) == 3, steps
    assert checks.hint(exercise_id) == steps[2]
    assert capsys.readouterr().out.count("Hint ") == 4


def test_a_hint_is_shown_once_in_a_notebook():
    """hint() prints its text and returns it without an Out[] echo: IPython's display hook shows nothing more."""
    from IPython.core.formatters import DisplayFormatter

    text = checks.hint("01-pow", step=1)
    assert text.startswith("Hint 1/3 for 01-pow")
    assert DisplayFormatter().format(text) == ({}, {})


def test_hint_for_an_unknown_id_says_which_ids_exist(capsys):
    """A mistyped id gets one line naming the known ids, not an exception."""
    text = checks.hint("04-score")
    assert "no exercise '04-score'" in text and "04-scores" in text


def test_failure_renders_as_its_message_with_a_hint_and_no_traceback():
    """IPython shows the message, the Hint line and where to get more help: no frame of microgpt/checks."""
    ns = learner("def pow_local(a, k):\n    return a.data ** (k - 1)\n")
    err, shown = failure(checks.check_pow_local, ns["pow_local"])
    assert isinstance(err, AssertionError)  # pytest and nbgrader see a failed assertion
    assert shown[0] == "pow_local(Value(3.0), 2) is 3, expected 6."
    assert shown[1].startswith("Hint: You forgot the factor k")
    assert shown[2] == 'Stuck? checks.hint("01-pow") gives a hint in three steps.'
    assert not any("microgpt/checks" in line or "File " in line for line in shown)


def test_error_in_the_learners_code_keeps_their_frames_and_gets_a_hint():
    """max() over Values fails inside the learner's function: their traceback, cut, then the known hint."""
    ns = learner("def greedy_token(logits):\n    return logits.index(max(logits))\n")
    err, shown = failure(checks.check_greedy_token, ns["greedy_token"])
    text = "\n".join(shown)
    assert "<learner cell>" in text and "in greedy_token" in text
    assert "microgpt/checks" not in text
    assert "TypeError" in text and err.hint and ".data" in err.hint


def test_value_error_from_inside_value_py_names_the_shapes():
    """04-attend with values[t] (a whole vector) times a weight: a hint about shapes, not a raw TypeError."""
    ns = learner("def attend(weights, values):\n"
                 "    return [sum(weights[t] * values[t] for t in range(len(values))) for j in range(2)]\n")
    err, shown = failure(checks.check_attend, ns["attend"])
    assert "values[t][j]" in err.hint
    assert "microgpt/checks" not in "\n".join(shown)


@pytest.mark.parametrize("earlier,later,check,blamed", [
    ("def topo_sort(root):\n    order = []\n    def visit(n):\n        for c in n._children:\n            visit(c)\n"
     "        order.append(n)\n    visit(root)\n    return order\n",
     "def backward(root):\n    order = topo_sort(root)\n    root.grad = 1\n    for node in reversed(order):\n"
     "        for child, g in zip(node._children, node._local_grads):\n            child.grad += g * node.grad\n",
     "check_backward", "topo_sort"),
    ("def adam_update(p, grad, m, v, t, lr, beta1=0.85, beta2=0.99, eps=1e-8):\n"
     "    m = beta1 * m + (1 - beta1) * grad\n    v = beta2 * v + (1 - beta2) * grad ** 2\n"
     "    return p + lr * m / (v ** 0.5 + eps), m, v\n",
     "from microgpt import document_loss\n"
     "def new_adam_state(model):\n    n = len(model.parameters())\n"
     "    return {'m': [0.0] * n, 'v': [0.0] * n, 't': 0}\n"
     "def training_step(model, tokens, state, lr):\n    loss = document_loss(model, tokens)\n    loss.backward()\n"
     "    state['t'] += 1\n    for i, p in enumerate(model.parameters()):\n"
     "        p.data, state['m'][i], state['v'][i] = adam_update(p.data, p.grad, state['m'][i], state['v'][i],"
     " state['t'], lr)\n        p.grad = 0\n    return loss.data\n",
     "check_training_step", "adam_update"),
])
def test_a_wrong_earlier_answer_gets_the_blame(earlier, later, check, blamed):
    """A correct later exercise that calls a wrong earlier one: the message names the earlier one."""
    ns = learner(earlier + later)
    fn = ns[later.split("def ")[-1].split("(")[0]]
    args = (fn, ns["new_adam_state"]) if check == "check_training_step" else (fn,)
    err, shown = failure(getattr(checks, check), *args)
    assert f"calls your {blamed}, and {blamed} is not right yet" in shown[0]
    assert err.hint.startswith(f"Fix {blamed} first")


@pytest.mark.slow  # tens of seconds of model work: make test runs it, the edit loop (make check) does not
def test_generation_without_a_block_size_stop_fails():
    """A while-loop that only stops at BOS fails 07-generate (a model that never draws BOS shows it)."""
    ns = learner(
        "from microgpt import softmax\n"
        "def sample_token(logits, temperature, rng):\n"
        "    probs = softmax([l / temperature for l in logits])\n"
        "    return rng.choices(range(len(probs)), weights=[p.data for p in probs])[0]\n"
        "def generate_name(model, tokenizer, rng, temperature):\n"
        "    keys, values = model.new_cache()\n    token_id, letters, pos = tokenizer.bos, [], 0\n"
        "    while True:\n        logits = model(token_id, pos, keys, values)\n"
        "        token_id = sample_token(logits, temperature, rng)\n        if token_id == tokenizer.bos:\n"
        "            break\n        letters.append(tokenizer.chars[token_id])\n        pos += 1\n"
        "    return ''.join(letters)\n")
    err, _ = failure(checks.check_generate_name, ns["generate_name"])
    assert "block_size" in err.hint


def test_every_check_is_public_and_registered():
    """checks.__all__ comes from @exercise's registry: each check once, its docstring naming its lesson."""
    names = [n for n in checks.__all__ if n.startswith("check_")]
    assert len(names) == len(set(names)) == len(EXERCISE_IDS) + 1  # and check_recap, which every recap calls
    for ex in checks.EXERCISES.values():
        doc = ex.check.__doc__ or ""
        assert getattr(checks, ex.check.__name__) is ex.check, f"checks.{ex.check.__name__} is not {ex.id}'s check"
        assert "lesson" in doc, f"{ex.check.__name__}'s docstring does not say which lesson uses it"


def test_a_wrong_earlier_answer_that_is_not_called_gets_no_blame():
    """cross_entropy calls stable_softmax only: a wrong softmax elsewhere in the notebook is not the cause."""
    ns = learner("def softmax(logits):\n    return logits\n"
                 "def stable_softmax(logits):\n    m = max(l.data for l in logits)\n"
                 "    exps = [(l - m).exp() for l in logits]\n    return [e / sum(exps) for e in exps]\n"
                 "def cross_entropy(logits, target):\n    return -stable_softmax(logits)[target]\n")
    err, shown = failure(checks.check_cross_entropy, ns["cross_entropy"])
    assert "softmax" not in shown[0].split(":")[0] and "calls your" not in shown[0]
    assert err.hint == checks.lesson03_building_blocks.softmax.TAKE_LOG_LOSS_LOG


def test_a_loop_that_never_ends_is_stopped_and_shown():
    """02-sample-name with a sampler that always draws from BOS's row: stopped by its budget, the loop shown."""
    ns = learner("import random\n"
                 "def sample_from_row(row, rng):\n    return rng.choices(range(len(row)), weights=row)[0]\n"
                 "def sample_name(counts, tokenizer, rng):\n    out = []\n    while True:\n"
                 "        drawn = sample_from_row(counts[tokenizer.bos], rng)\n"
                 "        if drawn == tokenizer.bos:\n            return tokenizer.decode(out)\n"
                 "        out.append(drawn)\n")
    err, shown = failure(checks.check_sample_name, ns["sample_name"])
    assert err.hint == checks.lesson02_data.sampling.NAME_NEVER_ENDS
    assert "still running after 3 s" in err.message and any("in sample_name" in line for line in shown)


def test_the_bos_answer_of_recap_02_is_the_tokenizers():
    """02-recap question 1 asks BOS's id for the documents ["bob", "cab"]: the package's tokenizer says 4 (a, b, c,
    o, then BOS), and the check accepts exactly that answer."""
    from microgpt import Tokenizer

    rest = {2: 5, 3: 0.75, 4: 1.386, 5: 0.25, 6: 0.2}
    bos = Tokenizer.from_docs(["bob", "cab"]).bos
    assert bos == 4
    checks.check_recap_02({1: bos, **rest})
    err, _ = failure(checks.check_recap_02, {1: bos - 1, **rest})
    assert "question 1 " in err.message


def test_an_unwritten_earlier_exercise_is_named():
    """cross_entropy calls a stable_softmax that is still the stub: the stub is named, not cross_entropy."""
    ns = learner("def stable_softmax(logits):\n    raise NotImplementedError('exercise 03-stable-softmax')\n"
                 "def cross_entropy(logits, target):\n    return -stable_softmax(logits)[target].log()\n")
    err, shown = failure(checks.check_cross_entropy, ns["cross_entropy"])
    assert "stable_softmax is not written yet" in shown[0]
    assert err.exercise == "03-stable-softmax"


def test_the_mutant_tests_feedback_rules_can_fail():
    """feedback_problem (the mutant test's reading of a failure) flags checks' frames, solution lines, and a
    hint other than the declared one, in English and in Chinese."""
    from .test_mutants import feedback_problem, hint_line

    cells = [c for path in LESSONS if path.name.startswith("01_") for _, c in exercise_cells(read(path))]
    cell = next(c for c in cells if mx.exercise_id(c) == "01-pow")
    stub = mx.stub_source(cell)
    first, second = checks.EXERCISES["01-pow"].wrong[:2]
    assert first.hint != second.hint
    good = ["pow_local(Value(3.0), 2) is 3, expected 6.", f"Hint: {first.hint}"]
    assert feedback_problem(good, cell, "wrong-1", stub, hint=first.hint) is None
    assert "should show the hint" in feedback_problem(good, cell, "wrong-1", stub, hint=second.hint)
    assert "should show the hint" in feedback_problem(good[:1], cell, "wrong-1", stub, hint=first.hint)
    frames = ['  File "/x/microgpt/checks/lesson01_value/slopes.py", line 3, in check_pow_local'] + good
    assert "checks' source" in feedback_problem(frames, cell, "wrong-1", stub)
    leak = good[:1] + ["Hint: return k * a.data ** (k - 1)"]
    assert "gives away" in feedback_problem(leak, cell, "wrong-1", stub)
    chinese = hint_line(first.hint, "zh-CN")
    assert chinese.pattern.startswith("提示") and not chinese.fullmatch(f"Hint: {first.hint}")
    templated = hint_line("Reread those sections of lesson {lesson} and work each answer out again.")
    assert templated.fullmatch("Hint: Reread those sections of lesson 04 and work each answer out again.")
    assert not templated.fullmatch("Hint: Reread lesson 04.")
