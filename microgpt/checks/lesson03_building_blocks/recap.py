"""Checks of lesson 03: the recap (03-recap)."""

from ...i18n import N_
from ..exercise import Answers, exercise
from ..recap import REREAD_SECTIONS, check_recap

# --- the recap ---

RECAP_03 = {  # question: (salted hash of the answer, tolerance or None for a letter, the section to reread)
    1: ("7debe161e7a99d25d551a0bbfd305b5b", 0.005, N_("`softmax`: from scores to probabilities")),
    2: ("7827aae0d147565a8d634148db690d2e", 0.005, N_("`rmsnorm`: keeping the numbers a sensible size")),
    3: ("61da342937e6bb117732d2b8086f42e0", 0.005, N_("Cross-entropy: the loss is `-log p`")),
    4: ("5d4a63a4b15ec9bf271d81780f61f4f6", 0.005, N_("The gradient of cross-entropy on the logits")),
    5: ("ea3ced21c162c3dd83b8a283cdcd92b5", None, N_("When training gets stuck")),
    6: ("23b6b3ab498d797f076b9d5d7e3d40a6", 0.005, N_("Cross-entropy: the loss is `-log p`")),
}


@exercise(
    "03-recap", stars=1, minutes=5,
    hints=(
        N_("Each question has a number or a letter as its answer: work it out by hand, or with a line of code in a "
           "new cell."),
        N_("The check names the section to reread for a wrong answer; numbers to 2 or 3 decimals are enough."),
        N_("answers = {1: <a number>, 2: <a number>, 3: <a number>, 4: <a number>, 5: \"<a letter>\", 6: <a number>}"),
    ),
    wrong=[
        (Answers({4: 0.25}), REREAD_SECTIONS),
        (Answers({6: 0.209}), REREAD_SECTIONS),
        (Answers({3: 0.25, 5: 'a'}), REREAD_SECTIONS),
    ],
)
def check_recap_03(answers):
    """The recap of lesson 03: a dict {question number: answer} (lesson 03)."""
    check_recap(answers, RECAP_03, "03")
