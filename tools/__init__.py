"""The course's generators, run from the repository root as modules: `python -m tools.translate build`, ...

tools.regenerate brings everything generated up to date after an English edit (`make generate`).
"""
