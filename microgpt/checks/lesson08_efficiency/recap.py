"""Checks of lesson 08: the recap (08-recap)."""


from ...i18n import N_
from ..exercise import Answers, exercise
from ..recap import REREAD_SECTIONS, check_recap

# --- the recap ---

RECAP_08 = {  # question: (salted hash of the answer, tolerance or None for a letter, the section to reread)
    1: ("e14965ac9a7387a882e3d4bd61c156d3", None, N_("2. The same forward pass on arrays")),
    2: ("84b326144d212c78314ff0172040788d", 0.01, N_("4. Both engines as the model grows")),
    3: ("776d10472dcdedeac6192d15882dc942", 0, N_("3. The finished engine: microgpt.engine_numpy")),
    4: ("afc1f6a1c1ed0b19184fdc72aaa2ce91", 0.005, N_("5. What the speed buys: a bigger model")),
    5: ("1a8e9ebdc414929ef3ef13c4993a8e4d", None, N_("1. Where the scalar engine spends its time")),
}


@exercise(
    "08-recap", stars=1, minutes=5,
    hints=(
        N_("Each question has a number or a letter as its answer: work it out by hand, or with a line of code in a "
           "new cell."),
        N_("The check names the section to reread for a wrong answer; numbers to 2 decimals are enough."),
        N_("answers = {1: \"<a letter>\", 2: <a number>, 3: <a number>, 4: <a number>, 5: \"<a letter>\"}"),
    ),
    wrong=[
        (Answers({1: 'a'}), REREAD_SECTIONS),
        (Answers({2: 8}), REREAD_SECTIONS),
        (Answers({3: 5}), REREAD_SECTIONS),
    ],
)
def check_recap_08(answers):
    """The recap of lesson 08: a dict {question number: answer} (lesson 08)."""
    check_recap(answers, RECAP_08, "08")
