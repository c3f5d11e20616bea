"""Reading JSON Lines: one JSON value per line, numbered from 1, blank lines passed over.

The one JSONL reader of presspipe: input records (``sources``), a run's own output file
(``--resume``, ``outputs``) and processed documents ingested into a store all read through it,
and each decides what a line must hold.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class JsonlLine:
    """One non-blank line: its number and the value on it, or why it is not JSON."""

    number: int
    value: Any
    problem: str | None = None
    """``invalid JSON: ... at column N`` when the line does not parse (``value`` is then None)."""


def jsonl_lines(lines: Iterable[str]) -> Iterator[JsonlLine]:
    """Parse each non-blank line of ``lines`` (a file, or ``text.splitlines()``), lazily."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            yield JsonlLine(number, None, f"invalid JSON: {error.msg} at column {error.colno}")
            continue
        yield JsonlLine(number, value)
