"""Checks of lesson 04: the recap (04-recap)."""


from ...i18n import N_
from ..exercise import Answers, exercise
from ..recap import REREAD_SECTIONS, check_recap

RECAP_04 = {  # question: (salted hash of the answer, tolerance or None for a letter, the section to reread)
    1: ("da12f0d098daf5a8dccbbbbfa840ec86", 0.005, N_("One head, worked by hand")),
    2: ("ef7f411e91c80981be115ee19eab30d9", 0, N_("Causality: each position sees only itself and the past")),
    3: ("1a146c41ab2128d980f180333abf697a", 0, N_("Multi-head attention")),
    4: ("ba95ab44f04ce849fb277fda33718abb", 0.005, N_("One head, worked by hand")),
    5: ("980e372a2df37624c03731eb60c531dc", None, N_("Why divide by √d")),
}


@exercise(
    "04-recap", stars=1, minutes=5,
    hints=(
        N_("Each question has a number or a letter as its answer: work it out by hand, or with a line of code in a "
           "new cell."),
        N_("The check names the section to reread for a wrong answer; numbers to 2 decimals are enough."),
        N_("answers = {1: <a number>, 2: <a whole number>, 3: <a whole number>, 4: <a number>, 5: \"<a letter>\"}"),
    ),
    wrong=[
        (Answers({1: 4.0}), REREAD_SECTIONS),
        (Answers({2: 5}), REREAD_SECTIONS),
        (Answers({3: 2, 5: 'a'}), REREAD_SECTIONS),
    ],
)
def check_recap_04(answers):
    """The recap of lesson 04: a dict {question number: answer} (lesson 04)."""
    check_recap(answers, RECAP_04, "04")
