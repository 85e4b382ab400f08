"""Checks of lesson 05: the recap (05-recap)."""


from ...i18n import N_
from ..exercise import Answers, exercise
from ..recap import REREAD_SECTIONS, check_recap

# --- the recap ---

RECAP_05 = {  # question: (salted hash of the answer, tolerance or None for a letter, the section to reread)
    1: ("2fb36a9fe0bd029fda1b3d2d7402cf0b", 0, N_("Token and position embeddings")),
    2: ("64edc6c2635183cb85712f917429cb13", None, N_("The residual stream")),
    3: ("dfdf9db44f32548cdae4b5a23249d7ff", 0, N_("Counting the parameters")),
    4: ("434825c8897c2dd2029e4d07ab87cf2a", 0, N_("The MLP")),
    5: ("cefd2ca79284d30a9f08d7d54ccc265b", 0, N_("Assembling gpt()")),
    6: ("811c1bc24828f70c01d7e53784566886", None, N_("The first loss is about ln 27")),
}


@exercise(
    "05-recap", stars=1, minutes=5,
    hints=(
        N_("Each question names the section that answers it; most can be tested with one line of code."),
        N_("Sizes: wpe has one row per position; the MLP widens n_embd four times; heads slice the same matrices; "
           "each position appends one key to its layer's cache."),
        N_("answers = {1: <a number>, 2: '<a letter>', 3: <a number>, 4: <a number>, 5: <a number>, "
           "6: '<a letter>'}"),
    ),
    wrong=[
        (Answers({1: 27}), REREAD_SECTIONS),
        (Answers({3: 256, 5: 4}), REREAD_SECTIONS),
        (Answers({2: 'c', 4: 16, 6: 'a'}), REREAD_SECTIONS),
    ],
)
def check_recap_05(answers):
    """The recap of lesson 05: a dict {question number: answer} (lesson 05)."""
    check_recap(answers, RECAP_05, "05")
