"""Checks of lesson 01: the recap (01-recap)."""


from ...i18n import N_
from ..exercise import Answers, exercise
from ..recap import REREAD_SECTIONS, check_recap

# --- the recap ---

RECAP_01 = {  # question: (salted hash of the answer, tolerance or None for a letter, the section to reread)
    1: ("f95147d1abf734481626973e4795f8dc", 1e-6, N_("6. Every operation the GPT needs")),
    2: ("5452184e908768e4098db4472ff5dab4", 1e-6, N_("6. Every operation the GPT needs")),
    3: ("f18ddc0b8f37327df6bc63fd446ddc99", 0, N_("4. `backward`: the chain rule, automated")),
    4: ("5679b6004f508eef8dff7e776edf264f", 0, N_("6. Every operation the GPT needs")),
    5: ("3bd875e03597bec79623a33eb95f2c08", 1, N_("1. A derivative, measured")),
    6: ("494c2f0acbd779a4814d8735115f6ddd", 1e-6, N_("5. Why `+=`: a number used twice")),
}


@exercise(
    "01-recap", stars=1, minutes=5,
    hints=(
        N_("Each answer is a number: work it out by hand from the rules of the lesson, or build the expression "
           "with Values in a new cell and look."),
        N_("Local derivatives: a**k gives k * a**(k - 1), relu gives 0 left of 0; gradients ADD up over every use; "
           "the central difference's error shrinks like h**2."),
        N_("answers = {1: <a number>, 2: <a number>, 3: <a count>, 4: <a count>, 5: <a factor>, 6: <a number>}"),
    ),
    wrong=[
        (Answers({1: 9.0}), REREAD_SECTIONS),
        (Answers({2: 1.0, 3: 5, 4: 1, 5: 10, 6: 5.0}), REREAD_SECTIONS),
        (Answers({6: 5.0}), REREAD_SECTIONS),
    ],
)
def check_recap_01(answers):
    """The recap of lesson 01: answers = {question number: a number}, questions 1 to 6 (lesson 01)."""
    check_recap(answers, RECAP_01, "01")
