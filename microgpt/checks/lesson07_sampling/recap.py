"""Checks of lesson 07: the recap (07-recap)."""


from ...i18n import N_
from ..exercise import Answers, exercise
from ..recap import REREAD_SECTIONS, check_recap

# --- the recap ---

RECAP_07 = {  # question: (salted hash of the answer, tolerance or None for a letter, the section to reread)
    1: ("c5b7ecc5b81a63c27447b94e7c4e6eec", None, N_("Drawing one token at a temperature")),
    2: ("371f91b6f5d5580b9c481fe46b859dd0", 0, N_("Writing a name, letter by letter")),
    3: ("3bc3f1e4d491790b8800ec1ed13c0ac4", 0, N_("Greedy versus sampled")),
    4: ("95ed1e5dcd2f71dee36aad6def322f7e", 0.005, N_("How many names are new?")),
    5: ("f63180fabcec961cc9e8d420806cf8e7", None, N_("The generation loop")),
}


@exercise(
    "07-recap", stars=1, minutes=5,
    hints=(
        N_("Each question has a number, a letter or a short word as its answer: work it out by hand, or with a "
           "line of code in a new cell."),
        N_("The check names the section to reread for a wrong answer; numbers to 2 decimals are enough."),
        N_("answers = {1: \"<a letter>\", 2: <a number>, 3: <a number>, 4: <a number>, 5: \"<a letter>\"}"),
    ),
    wrong=[
        (Answers({1: 'a'}), REREAD_SECTIONS),
        (Answers({2: 4}), REREAD_SECTIONS),
        (Answers({4: 0.5}), REREAD_SECTIONS),
    ],
)
def check_recap_07(answers):
    """The recap of lesson 07: a dict {question number: answer} (lesson 07)."""
    check_recap(answers, RECAP_07, "07")
