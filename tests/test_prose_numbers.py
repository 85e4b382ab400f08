"""Numbers in prose come from outputs: every number a lesson's text quotes is printed by a cell above it.

Read from the committed English lessons (no kernel). A number in a markdown cell is checked when it has three or
more significant digits (2.454, 0.125, 727), a unit (5 s, 80 ms, 16 %, 2×) or a thousands separator (1,000).
It passes when
- it is an output of a code cell above it in the same lesson, after rounding: the prose's "2.35" matches a
  printed 2.3541 (the prose gives as many decimals as it means, and the output rounded to those decimals must
  equal it; "2.3" matches 2.3541 too, "2.36" does not); a round integer is rounded at its last nonzero digit
  ("almost 60,000" matches 59,647, "8,000" does not match 8,692). Thousands separators are ignored; a
  quantity in ms may be printed in s and the other way round; a percentage may be printed as a fraction;
- or it is in CONSTANTS below, each with where it comes from (a computed value is checked against its text);
- or it is in FROM_LESSON below: a number one lesson quotes from another's outputs, checked there.
Not checked: formulas between $ signs (they are mathematics, not measurements), link targets, and images.
"""

import math
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "notebooks").glob("0*.ipynb"))

# text -> (value computed here or None, where it comes from). A computed value must round to the text.
CONSTANTS = {
    "32,033": (None, "lines of names.txt, the dataset (lesson 00 prints it)"),
    "29,494": (None, "distinct names in names.txt (lesson 00 prints it)"),
    "4,192": (None, "parameters of the reference model (lesson 00 and 05 print it)"),
    "1,000": (None, "the reference's num_steps; also Python's default recursion limit (sys.getrecursionlimit())"),
    "10,000": (None, "a round count the text chooses (steps in lesson 08, a chain length in lesson 01)"),
    "8,384": (2 * 4192, "two forward passes per parameter, worked in lesson 01's prose"),
    "186": (446 - 260, "446 - 260, worked in lesson 01's prose from the depths printed above it"),
    "2026": (None, "the date of Karpathy's microgpt post"),
    "2019": (None, "the year RMSNorm was published (Zhang and Sennrich), three years after LayerNorm"),
    "3.11": (None, "the Python version of the machine the lessons were executed on"),
    "3.11.7": (None, "the Python version of the machine the lessons were executed on"),
    "2.13.0": (None, "the pinned torch version (pyproject.toml)"),
    "3.30": (math.log(27), "ln 27, the loss of the uniform guess over 27 tokens"),
    "3.296": (math.log(27), "ln 27"),
    "3.2958": (math.log(27), "ln 27"),
    "3.3660": (None, "the reference's first loss (tests/golden/reference_run.txt)"),
    "3.4243": (None, "the reference's second loss (tests/golden/reference_run.txt)"),
    "3.1778": (None, "the reference's third loss (tests/golden/reference_run.txt)"),
    "0.0625": (1 / 16, "the even share of 16 keys, 1/16"),
    "0.037": (1 / 27, "1/27"),
    "0.7071": (1 / math.sqrt(2), "1/√2, worked in the prose of lesson 04"),
    "1.4142": (2 / math.sqrt(2), "2/√2, worked in the prose of lesson 04"),
    "2.1213": (3 / math.sqrt(2), "3/√2, worked in the prose of lesson 04"),
    "1.386": (math.log(4), "log(4), a recap question's data"),
    "0.125": (0.125, "1/8, a recap question's data"),
    "709.78": (math.log(1.7976931348623157e308), "the log of the largest float, where math.exp overflows"),
    "1.0001": (None, "the factor of a chain of multiplications in lesson 01's prose"),
    "0.999": (None, "Adam's beta2 in PyTorch's defaults; also an RMS lesson 03's figure shows"),
    "128": (None, "a model width: 4 x 128 in the benchmark, and head sizes 64 or 128 in big transformers"),
    "512": (None, "512 = 4 x 128 hidden units, and 8 rows x 64 positions in lesson 09's batches"),
    "50,257": (None, "GPT-2's vocabulary size"),
    "124": (None, "GPT-2 small's well-known size, 124 million parameters"),
    "163": (None, "GPT-2 small counted the microgpt way, about 163 million (lesson 05 prints 162,915,840)"),
    "38,597,376": (50_257 * 768, "GPT-2's token embedding, 50,257 x 768, worked in lesson 05's prose"),
    "121,344": (None, "GPT-2's biases and norm gains, worked in lesson 05's prose"),
    "124,439,808": (162_915_840 - 50_257 * 768 + 121_344, "162,915,840 − 38,597,376 + 121,344"),
    "90 %": (None, "a split the go-further exercise of lesson 02 asks for"),
    "10 %": (None, "a split the go-further exercise of lesson 02 asks for"),
}

# (lesson, text) -> the lesson whose outputs print it: a number quoted from another lesson, or announced by a
# lesson's opening before the cell that prints it
FROM_LESSON = {
    ("02_data", "2.454"): "02_data",  # the bigram's loss, announced in the objectives
    ("05_gpt", "2.454"): "02_data",  # the bigram's loss per token
    ("07_sampling", "2,000"): "06_training",  # the held-out names both models are compared on
    ("07_sampling", "2.3540"): "06_training",  # the GPT's held-out loss per name
    ("07_sampling", "2.4608"): "06_training",  # the bigram's held-out loss per name
    ("08_efficiency", "2.4608"): "06_training",  # the bigram's loss per name on the same held-out names
    ("08_efficiency", "2,539"): "09_pytorch",  # names listed twice in names.txt
    ("09_pytorch", "2,000"): "08_efficiency",  # lesson 08's held-out names
    ("09_pytorch", "2.148"): "08_efficiency",  # lesson 08's best held-out loss, per name
}

NUMBER = re.compile(r"(?<![\w.\-/#])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:e([-+]?\d+))?(?:\s?(ms|s|%|×)(?![\w^]))?")
OUTPUT_NUMBER = re.compile(r"(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:e([-+]?\d+))?")
MATH = re.compile(r"\$\$.*?\$\$|\$[^$\n]+\$", re.S)
LINK_TARGET = re.compile(r"\]\([^)]*\)|<img[^>]*>|https?://\S+")


def significant_digits(whole, fraction):
    """Significant digits of a number as written: 2.454 has 4, 0.125 has 3, 1,000 has 1 (trailing zeros of an
    integer are taken as round)."""
    digits = (whole.replace(",", "") + (fraction or "")[1:]).lstrip("0")
    return len(digits if fraction else digits.rstrip("0"))


def prose_numbers(markdown):
    """[(text, value, decimals, unit)] of the numbers of a markdown cell that the rule checks."""
    text = LINK_TARGET.sub(" ", MATH.sub(" ", markdown))
    out = []
    for m in NUMBER.finditer(text):
        whole, fraction, exponent, unit = m.groups()
        if significant_digits(whole, fraction) >= 3 or unit or "," in whole:
            value = float(whole.replace(",", "") + (fraction or "")) * 10 ** int(exponent or 0)
            digits = whole.replace(",", "")
            # decimals meant: those written; a round integer (60,000) is rounded to its last nonzero digit
            decimals = len(fraction) - 1 if fraction else -(len(digits) - len(digits.rstrip("0")))
            decimals -= int(exponent or 0)
            out.append((m.group(0), value, decimals, unit))
    return out


def output_text(cell):
    """The text a code cell printed or returned (figures are not text)."""
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            parts.append(out.get("text", ""))
        elif "data" in out:
            parts.append(out["data"].get("text/plain", ""))
    return "".join(parts)


def output_numbers(text):
    """Every number printed in `text`, as floats (1,234 and 1.5e-05 read as numbers)."""
    return [float(w.replace(",", "") + (f or "")) * 10 ** int(e or 0) for w, f, e in OUTPUT_NUMBER.findall(text)]


def matches(value, decimals, unit, printed):
    """Whether a printed number, rounded to the prose's decimals, is the prose's number (in any of its units)."""
    scales = {"ms": (1, 1e-3), "s": (1, 1e3), "%": (1, 1e-2)}.get(unit, (1,))
    return any(abs(o - value * k) <= 0.5 * 10 ** -decimals * k + 1e-12 for k in scales for o in printed)


def unmatched(nb, lesson):
    """[(cell index, text)] of the checked numbers of a lesson that no output above them and no list explains."""
    printed, out = [], []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            printed += output_numbers(output_text(cell))
        elif cell.cell_type == "markdown":
            for text, value, decimals, unit in prose_numbers(cell.source):
                if text in CONSTANTS or (lesson, text) in FROM_LESSON:
                    continue
                if not matches(value, decimals, unit, printed):
                    out.append((i, text))
    return out


def read(path):
    """A lesson as nbformat version 4."""
    return nbformat.read(path, as_version=4)


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_every_number_in_the_prose_is_printed_above_it(path):
    """Each checked number of the lesson's text comes from an output above it or from the commented lists."""
    missing = unmatched(read(path), path.stem)
    assert not missing, f"{path.name}: numbers in the text that no cell above prints: " + "; ".join(
        f"cell {i}: {text!r}" for i, text in missing)


def test_computed_constants_agree_with_their_text():
    """A constant whose value is computed here rounds to the text the lessons quote."""
    for text, (value, _) in CONSTANTS.items():
        if value is not None:
            whole, _, fraction = text.replace(",", "").partition(".")
            assert round(value, len(fraction)) == float(text.replace(",", "")), f"{text} is not {value}"


def test_numbers_quoted_from_another_lesson_are_printed_there():
    """FROM_LESSON: the other lesson's outputs print the number."""
    for (lesson, text), source in FROM_LESSON.items():
        nb = read(ROOT / "notebooks" / f"{source}.ipynb")
        printed = [n for c in nb.cells if c.cell_type == "code" for n in output_numbers(output_text(c))]
        (_, value, decimals, unit), = prose_numbers(text)
        assert matches(value, decimals, unit, printed), f"{lesson} quotes {text} from {source}, which never prints it"


def test_a_number_printed_nowhere_is_caught():
    """The rule can fail: a sentence quoting a time no cell printed, or a rounding that is not the output's."""
    nb = nbformat.v4.new_notebook()
    code = nbformat.v4.new_code_cell("print(...)")
    code.outputs = [nbformat.v4.new_output("stream", text="loss 2.3541 in 0.267 s\n")]
    nb.cells = [code, nbformat.v4.new_markdown_cell("A loss of 2.35 in 267 ms (2.354); then 727 ms and 2.36.")]
    assert unmatched(nb, "test") == [(1, "727 ms"), (1, "2.36")]
