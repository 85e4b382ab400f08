"""What a reader sees in an English lesson, as the translation catalogs list it: markdown cells, and the comments
and strings of code cells. Used by tools.translate (update) and tools.translate_build (build).
"""

import ast
import io
import re
import tokenize

import nbformat
import polib

from tools import exercises

# Comments that are markers for tools, not prose: never translated.
MARKER_COMMENT = re.compile(r"#\s*(NBVAL_\w+|noqa\b.*|type:.*|YOUR CODE HERE|#+ (BEGIN|END) SOLUTION.*|fmt: .*)$")
# A string a learner reads: it has a word and a space, it is one word (a label in a table or a legend, or data:
# the translator keeps data as it is), or it is the argument of a call that labels a picture or a widget.
PROSE = re.compile(r"[A-Za-z]{2,}[^\n]*\s|\s[^\n]*[A-Za-z]{2,}|^[rbfuRBFU]*([\"']{1,3})[A-Za-z][a-z]{2,}\1$")
LABEL_CALL = re.compile(r"(set_title|set_xlabel|set_ylabel|suptitle|title|xlabel|ylabel|label|description|"
                        r"text|annotate|legend|print)\s*[(=]")
# The extracted comment (#.) that tells a translator what kind of text an entry is.
MARKDOWN, CODE = "markdown cell", "code cell: a comment or string, replaced as written (quotes and # included)"


def lesson_paths():
    """The English lessons, in order."""
    return exercises.lesson_paths()


def tags(cell):
    """The cell's tags."""
    return cell.metadata.get("tags", [])


def context(lesson, cell_id):
    """The msgctxt of a cell's entries: lesson and cell id, e.g. 01_value:2a2a1e51."""
    return f"{lesson.stem}:{cell_id}"


def markdown_text(cell, first):
    """A markdown cell's text as translated: the first cell without its generated Colab badge line."""
    lines = cell.source.split("\n")
    if first and lines and lines[0].startswith(exercises.BADGE_PREFIX):
        lines = lines[1:]
        while lines and not lines[0].strip():
            lines = lines[1:]
    return "\n".join(lines)


def _python_lines(source):
    """The lines of a code cell, IPython's %magic and !shell lines blanked so that it tokenizes as Python."""
    return [("" if line.lstrip().startswith(("%", "!")) else line) for line in source.split("\n")]


def token_spans(source):
    """[(kind, text, start, end)] of the comments and strings of Python source, an f-string whole.

    kind is "comment" or "string"; start and end are (row, column) as tokenize counts them; source that does
    not tokenize has none.
    """
    lines = _python_lines(source)
    found, depth, start = [], 0, None
    try:
        for tok in tokenize.generate_tokens(io.StringIO("\n".join(lines) + "\n").readline):
            name = tokenize.tok_name[tok.type]
            if name == "FSTRING_START":  # Python 3.12+: an f-string comes in pieces
                depth += 1
                start = start or tok.start
            elif name == "FSTRING_END":
                depth -= 1
                if depth == 0:
                    found.append(("string", _span(lines, start, tok.end), start, tok.end))
                    start = None
            elif not depth and name in ("COMMENT", "STRING"):
                found.append(("comment" if name == "COMMENT" else "string", tok.string, tok.start, tok.end))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return []
    return found


def _span(lines, start, end):
    """The text between two (row, col) positions of `lines`."""
    (r0, c0), (r1, c1) = start, end
    if r0 == r1:
        return lines[r0 - 1][c0:c1]
    return "\n".join([lines[r0 - 1][c0:]] + lines[r0:r1 - 1] + [lines[r1 - 1][:c1]])


def replace_tokens(source, replace):
    """`source` with each comment or string token replaced by replace(kind, text) (None: left as it is)."""
    offsets = [0]
    for line in source.split("\n"):
        offsets.append(offsets[-1] + len(line) + 1)
    out = source
    for kind, text, (r0, c0), (r1, c1) in reversed(token_spans(source)):
        new = replace(kind, text)
        if new is not None and new != text:
            out = out[:offsets[r0 - 1] + c0] + new + out[offsets[r1 - 1] + c1:]
    return out


def code_strings(cell):
    """The comments and strings of a code cell that a learner reads, in order, each once."""
    lines = cell.source.split("\n")
    found = []
    for kind, text, start, _end in token_spans(cell.source):
        if kind == "comment":
            if MARKER_COMMENT.match(text) or text.startswith("#!"):
                continue
        elif not (PROSE.search(text) or LABEL_CALL.search(lines[start[0] - 1])) or not re.search(r"[A-Za-z]{2,}",
                                                                                                  text):
            continue
        if text not in found:
            found.append(text)
    return found


def template(lesson):
    """The lesson's catalog template: one entry per markdown cell, one per comment or string of a code cell."""
    entries, first = [], True
    for cell in nbformat.read(lesson, as_version=4).cells:
        if cell.cell_type == "markdown":
            entries.append(polib.POEntry(msgctxt=context(lesson, cell.id), msgid=markdown_text(cell, first),
                                         comment=MARKDOWN))
            first = False
        elif cell.cell_type == "code" and "setup" not in tags(cell):
            entries += [polib.POEntry(msgctxt=context(lesson, cell.id), msgid=text, comment=CODE)
                        for text in code_strings(cell)]
    return entries


def _tokens(source, strings):
    """The tokens of Python source but comments and line breaks inside brackets; strings too unless `strings`."""
    shape, depth = [], 0
    try:
        for tok in tokenize.generate_tokens(io.StringIO("\n".join(_python_lines(source)) + "\n").readline):
            name = tokenize.tok_name[tok.type]
            depth += name == "FSTRING_START"
            depth -= name == "FSTRING_END"
            if name in ("COMMENT", "NL") or not strings and (depth or name in ("STRING", "FSTRING_END")):
                continue
            shape.append((name, tok.string))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return [("UNPARSED", source)]
    return shape


def code_shape(source):
    """The tokens of Python source other than comments and strings: what a translation must leave alone."""
    return _tokens(source, strings=False)


def _executed_form(source):
    """What a code cell executes: its syntax tree without docstrings (comments are not in it), and its IPython
    %magic and !shell lines; None if it does not parse."""
    try:
        tree = ast.parse("\n".join(_python_lines(source)))
    except SyntaxError:
        return None
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and body and \
                isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) and \
                isinstance(body[0].value.value, str):
            body[0].value.value = ""
    magics = [line for line in source.split("\n") if line.lstrip().startswith(("%", "!"))]
    return ast.dump(tree), magics


def runs_the_same(before, after, setup=False):
    """True when two versions of a code cell compute the same: they differ at most in comments and docstrings
    (the set-up cell also in strings: the release address it installs from in Colab, no output here)."""
    if before == after:
        return True
    if setup:
        return code_shape(before) == code_shape(after)
    form = _executed_form(before)
    return form is not None and form == _executed_form(after)
