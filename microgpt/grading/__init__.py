"""Secure grading for instructors: the submission runs in a process of its own, the checks in the grader's.

grader.grade() grades one notebook's cells; autograde.SecureExecute plugs it into `nbgrader autograde`
(the only module here that imports nbgrader); sandbox.py starts and limits the student's process;
worker.py is that process; wire.py is what crosses between the two; scan.py reads the submission's source.
Imported by the instructor's side only: a learner's notebook never imports it.
"""
