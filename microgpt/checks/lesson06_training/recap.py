"""Checks of lesson 06: the recap (06-recap)."""


from ...i18n import N_
from ..exercise import Answers, exercise
from ..recap import REREAD_SECTIONS, check_recap

# --- the recap ---

RECAP_06 = {  # question: (salted hash of the answer, tolerance or None for a letter, the section to reread)
    1: ("7c1b861fef8d3766b1f8bf1df4e76ac8", 1e-6, N_("The update")),
    2: ("496a38cb76f8cedcb3c50a18d196e82b", 1e-6, N_("The learning-rate schedule")),
    3: ("172205c2a666d95fe43b49bdcfae2333", None, N_("A full training step")),
    4: ("fe10aeb47dff4fdc644503b8e173f807", None, N_("Backward through everything")),
    5: ("be7d8b6f470f13977044d7853d4b0554", 1e-6, N_("Backward through everything")),
    6: ("e27cf593f0a7678282239882dfb5a510", 1e-6, N_("Adam from scratch")),
}


@exercise(
    "06-recap", stars=1, minutes=5,
    hints=(
        N_("Each question names the section that answers it; most can be tested with one line of code."),
        N_("Adam's first step is lr times the sign of the gradient; the schedule is base_lr * (1 - step / "
           "num_steps); backward() adds into grad; an average with beta remembers about 1 / (1 - beta) steps."),
        N_("answers = {1: <a number>, 2: <a number>, 3: '<a letter>', 4: '<a letter>', 5: <a number>, "
           "6: <a number>}"),
    ),
    wrong=[
        (Answers({1: 0.005}), REREAD_SECTIONS),
        (Answers({3: 'c', 4: 'a', 5: 27}), REREAD_SECTIONS),
        (Answers({2: 0.0049, 6: 7}), REREAD_SECTIONS),
    ],
)
def check_recap_06(answers):
    """The recap of lesson 06: a dict {question number: answer} (lesson 06)."""
    check_recap(answers, RECAP_06, "06")
