"""nbgrader's autograde step with secure grading in place of running the notebook in one kernel (grading).

The generated nbgrader_config.py puts SecureExecute first in `Autograde.autograde_preprocessors`, where
nbgrader has its Execute; the rest of nbgrader's pipeline (LimitOutput, SaveAutoGrades, late penalties,
export, generate_feedback) is unchanged. nbgrader has already put back the locked cells (the set-up and
the check cells) from the source version, so the checks that run are the course's. Each check cell gets,
as its output, the check's own line ("Correct: ...") or its failure as an error, which is what nbgrader's
SaveAutoGrades scores (an error: 0 points; none: the cell's points) and what the feedback shows. The
instructor's report of each submission goes to reports/<assignment>/<student>.txt in the course folder.
"""

import os
import re

from nbgrader.preprocessors import NbGraderPreprocessor
from nbgrader.utils import is_grade
from traitlets import Dict, Integer, Unicode

from .grader import grade
from .sandbox import MEMORY

LANGUAGE = re.compile(r"""use_language\(\s*["'](zh-CN|zh-TW)["']\s*\)""")


class SecureExecute(NbGraderPreprocessor):
    """Grade a submitted notebook with its code in a process of its own and the checks in the grader's."""

    timeout = Integer(600, help="seconds a cell (or a check's call) may take").tag(config=True)
    timeouts = Dict({}, help="seconds per assignment, overriding `timeout`: {'lesson06': 1500}").tag(config=True)
    memory = Integer(MEMORY, help="bytes of address space the student's process may use").tag(config=True)
    reports = Unicode("reports", help="folder (in the course folder) of the per-submission reports").tag(config=True)

    def preprocess(self, nb, resources):
        """Grade, then write each check cell's output and the instructor's report."""
        info = resources.get("nbgrader", {})
        assignment, student = info.get("assignment", "assignment"), info.get("student", "student")
        code = [c for c in nb.cells if c.cell_type == "code"]
        cells = [{"source": c.source, "id": c.get("id", str(k))} for k, c in enumerate(code)]
        for cell, entry in zip(code, cells):
            if is_grade(cell):
                entry.update(grade_id=cell.metadata.nbgrader["grade_id"], points=cell.metadata.nbgrader["points"])
        setup = "\n".join(c.source for c in code if c.metadata.get("nbgrader", {}).get("grade_id") == "setup")
        lang = (LANGUAGE.search(setup) or [None, "en"])[1]
        report = grade(cells, lang=lang, hide=os.getcwd(), timeout=self.timeouts.get(assignment, self.timeout),
                       memory=self.memory)
        verdicts = {r.grade_id: r for r in report.results}
        for cell in code:
            result = verdicts.get(cell.metadata.get("nbgrader", {}).get("grade_id"))
            if result is not None and is_grade(cell):
                cell.outputs = _outputs(result)
        folder = os.path.join(self.reports, assignment)
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, f"{student}.txt"), "w", encoding="utf-8") as f:
            f.write(f"{assignment} / {student}: {report.text()}\n")
        return nb, resources


def _outputs(result):
    """The check cell's outputs: its printed line, and its failure as an error nbgrader scores 0."""
    from nbformat.v4 import new_output

    outputs = [new_output("stream", name="stdout", text=result.output)] if result.output else []
    if result.failure:
        outputs.append(new_output("error", ename="CheckFailure", evalue=result.failure,
                                  traceback=result.failure.split("\n")))
    return outputs
