"""Reading JSON Lines: one JSON value per line, numbered from 1, blank lines passed over.

The one JSONL reader of presspipe: input records (``sources``), a run's own output file
(``--resume``, ``outputs``) and processed documents ingested into a store all read through it,
and each decides what a line must hold.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class JsonlLine:
    """One non-blank line: its number and the value on it, or why it is not JSON."""

    number: int
    value: Any
    problem: str | None = None
    """``invalid JSON: ... at column N`` when the line does not parse (``value`` is then None); N
    counts characters from 1, on the line without its line ending."""


def _utf8(line: bytes) -> str:
    return line.decode("utf-8-sig")


def jsonl_lines(lines: Iterable[str | bytes], decode: Callable[[bytes], str] = _utf8) -> Iterator[JsonlLine]:
    """Parse each non-blank line of ``lines`` (a file, or ``text.splitlines()``), lazily.

    Lines given as bytes are decoded with ``decode`` (UTF-8 by default); a line it cannot decode
    (``ValueError``) is reported with the decoder's message, and the lines after it are read.
    """
    for number, item in enumerate(lines, start=1):
        if isinstance(item, bytes):
            try:
                line = decode(item)
            except ValueError as error:
                yield JsonlLine(number, None, str(error))
                continue
        else:
            line = str(item)
        if not line.strip():
            continue
        line = line.rstrip("\r\n")  # or an error at the end of the line is said at "column 1" of the next
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            yield JsonlLine(number, None, f"invalid JSON: {_problem(error, line)}")
            continue
        yield JsonlLine(number, value)


def _problem(error: json.JSONDecodeError, line: str) -> str:
    """What is wrong and where on the line: a column counts characters (not bytes) from 1, as
    editors do; a line that stops short (cut off mid-write) is said to end too soon."""
    message = error.msg.removesuffix(" at")  # json's "Invalid control character at"
    column = error.pos + 1
    if error.pos >= len(line.rstrip()):
        return f"{message} at the end of the line (column {column}): the line stops short"
    return f"{message} at column {column}"
