"""The grader's own lines to the student, in English, zh-CN and zh-TW (zh-TW: OpenCC s2twp of zh-CN) (grading).

They are marked N_ for the package's catalogs; until the catalogs carry them, the translations below are
used, so feedback is in the student's language either way.
"""

from ..i18n import N_, language, tr

DELEGATED = N_("write it yourself: this calls microgpt's own {what}.")
NOT_GRADED = N_("not graded: the notebook kept stopping")

FALLBACK = {
    "zh-CN": {DELEGATED: "请自己写：这里调用了 microgpt 课程包自己的 {what}。",
              NOT_GRADED: "未评分：这个笔记本一再停止运行"},
    "zh-TW": {DELEGATED: "請自己寫：這裡呼叫了 microgpt 課程包自己的 {what}。",
              NOT_GRADED: "未評分：這個筆記本一再停止執行"},
}


def say(message, **fields):
    """`message` in the language in force: the catalog's translation, else the one above, else English."""
    shown = tr(message, **fields)
    if shown == message.format(**fields):
        shown = FALLBACK.get(language(), {}).get(message, message).format(**fields)
    return shown
