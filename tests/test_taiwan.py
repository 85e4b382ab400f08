"""繁體中文 for Taiwan: everything a zh-TW reader sees uses Taiwan's words and conventions (issue 23).

zh-TW is zh-CN converted by OpenCC's s2twp profile plus translations/zh-TW-overrides.yaml; s2twp fixes the
characters but not every convention. This fast check reads the generated zh-TW lessons and exercise versions
(markdown, code comments and strings), README.zh-TW.md, the glossary page and the compiled zh_TW message catalog,
and fails on a mainland word, on the mainland's row/column convention (Taiwan: 列 = row, 欄 = column; 「一行程式碼」
for a line of code is right) and on a Simplified-only character. Fix a finding in the overrides (or in the zh-CN
catalog when the Simplified text itself should change), then `python -m tools.translate build`.
"""

import re
from pathlib import Path

import nbformat
import polib

ROOT = Path(__file__).resolve().parent.parent
# (the mainland word as a regular expression, what Taiwan writes)
MAINLAND = [
    (r"列表", "串列 (a Python list)"),
    (r"列印", "印出 (列印 is printing on paper)"),
    (r"編寫", "撰寫 / 寫"),
    (r"表示式", "運算式"),
    (r"噪聲", "雜訊"),
    (r"用時", "所需時間"),
    (r"復現", "重現"),
    (r"搭建", "建構 / 建立"),
    (r"文本", "文字"),
    (r"打分", "評分"),
    (r"通過(?=\s*(?:輕推|nbgrader|梯度下降|鍵值|注意力|環境變數|中文|這個快取))", "透過 (by way of)"),
    (r"\d+ 位(?=格式|浮點|精度|整數|的)", "N 位元"),
    (r"遍歷", "走訪"),
    (r"繫結", "綁定 / 共享 (weight tying)"),
    (r"控制元件", "互動元件 (a widget)"),
    (r"殘差塊", "殘差區塊"),
    (r"信息", "訊息 / 資訊"),
    (r"默認", "預設"),
    (r"視訊", "影片"),
]
# The mainland's 行 for a row and 列 for a column, in the phrases the course writes about tables and matrices
# (issue 23); 一行程式碼, 每行一個名字 (a line of a file) and 32,033 行 are lines and stay.
ROW_COLUMN = [
    r"行\s*=", r"列\s*=\s*(?:鍵|下一個)", r"（行）", r"行[，、]每行", r"行的串列", r"所有行",
    r"每行(?!一個(?:名字|文件|。))",
    r"(?:每一|這一|那一|同一|上面一|最上面一|第一|上一)行"
    r"(?!程式|以|：「|就|同時|是一個\*|有一處|要求|之前|用到|無限| `|。)",
    r"行數 x 列數", r"列是(?:鍵(?! 0)|被讀取|下一個)", r"的 \d+ 行", r"\d+ 列中", r"表格的最後一列", r"」一列：",
    r"其餘的行", r"最多 \d+ 行", r"每步 \d+ 行", r"訓練的行", r"有些行", r"各行", r"第 \S+ 行(?!程式)", r"（行，",
    r"行和列",
]
# Characters that s2t turns into something else, yet Taiwan writes too: 若干 and 干擾, 划算.
TRADITIONAL_TOO = set("干划")


def texts():
    """(where, text) of everything a zh-TW reader sees."""
    out = []
    for path in sorted((ROOT / "notebooks" / "zh-TW").rglob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type in ("markdown", "code"):
                out.append((f"{path.relative_to(ROOT)} cell {cell.get('id')}", cell.source))
    for path in [ROOT / "README.zh-TW.md", *sorted((ROOT / "notebooks" / "zh-TW").glob("*.md"))]:
        # the languages line names 简体中文 in its own script; the glossary page's 简体中文 column is Simplified
        lines = [line for line in path.read_text(encoding="utf-8").split("\n") if not line.endswith("-->")]
        lines = [re.sub(r"^(\|[^|]*\|)[^|]*\|", r"\1", line) if path.name == "glossary.md" else line
                 for line in lines]
        out.append((str(path.relative_to(ROOT)), "\n".join(lines)))
    mo = ROOT / "microgpt" / "locale" / "zh_TW" / "LC_MESSAGES" / "microgpt.mo"
    out += [(f"zh_TW catalog: {e.msgid[:40]!r}", e.msgstr) for e in polib.mofile(str(mo))]
    return out


def findings():
    """Lines naming each mainland word, mainland row/column and Simplified-only character a zh-TW reader meets."""
    import opencc
    s2t = opencc.OpenCC("s2t")
    found = []
    for where, text in texts():
        for pattern, taiwan in MAINLAND:
            found += [f"{where}: {m.group()!r} -> {taiwan}: …{text[max(0, m.start() - 12):m.end() + 12]}…"
                      for m in re.finditer(pattern, text)]
        for pattern in ROW_COLUMN:
            found += [f"{where}: row/column {m.group()!r} (Taiwan: 列 = row, 欄 = column): "
                      f"…{text[max(0, m.start() - 12):m.end() + 12]}…" for m in re.finditer(pattern, text)]
        simplified = sorted(c for c in set(re.findall(r"[\u4e00-\u9fff]", text))
                            if s2t.convert(c) != c and c not in TRADITIONAL_TOO)
        if simplified:
            found.append(f"{where}: Simplified characters {''.join(simplified)}")
    return found


def test_zh_tw_reads_as_taiwan_writes():
    """No mainland word, no mainland row/column, no Simplified-only character in the zh-TW course."""
    found = findings()
    assert not found, f"{len(found)} findings:\n" + "\n".join(found[:60])


def test_the_check_sees_a_mainland_word():
    """The check is not blind: each kind of finding is caught in a made-up text."""
    import opencc
    s2t = opencc.OpenCC("s2t")
    text = "回傳一個列表，表（行 = 查詢，列 = 鍵）；这"
    assert any(re.search(p, text) for p, _ in MAINLAND)
    assert any(re.search(p, text) for p in ROW_COLUMN)
    assert s2t.convert("这") != "这"
