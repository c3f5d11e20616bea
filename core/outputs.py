"""The JSONL output file of ``presspipe run``, and what ``--resume`` finds already in it.

Lines are written whole and flushed batch by batch, so a killed run leaves complete lines
plus at most one partial last line. Resuming cuts that partial line off, collects the ids of
documents already processed by the same pipeline (same hash), and appends from there: nothing
is lost and nothing is written twice.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import IO

from presspipe.errors import E, PresspipeError
from presspipe.jsonl import jsonl_lines


def done_ids(path: Path, pipeline_sha256: str) -> set[str]:
    """Ids of the documents in ``path`` that this pipeline (by hash) already processed.

    Cuts off a partial last line first. A missing file holds nothing.
    """
    if not path.exists():
        return set()
    _drop_partial_last_line(path)
    done: set[str] = set()
    with path.open(encoding="utf-8") as lines:
        for line in jsonl_lines(lines):
            if line.problem is not None:
                raise PresspipeError(E.E402, path=path, line=line.number, problem=line.problem)
            try:
                sha = line.value["provenance"]["pipeline"]["sha256"]
                document_id = line.value["id"]
            except (KeyError, TypeError) as error:
                raise PresspipeError(E.E402, path=path, line=line.number, problem=error) from None
            if sha == pipeline_sha256:
                done.add(document_id)
    return done


def _drop_partial_last_line(path: Path) -> None:
    with path.open("rb+") as file:
        size = file.seek(0, 2)
        if size == 0:
            return
        file.seek(size - 1)
        if file.read(1) == b"\n":
            return
        # Walk back to the last newline; everything after it is a line cut off mid-write.
        position = size
        while position > 0:
            step = min(65536, position)
            file.seek(position - step)
            chunk = file.read(step)
            newline = chunk.rfind(b"\n")
            if newline >= 0:
                file.truncate(position - step + newline + 1)
                return
            position -= step
        file.truncate(0)


class OutputFile:
    """The ``--out`` file of a run: written beside its destination and moved into place by
    ``commit()``, so that a run that fails to start (a typo in an input path) destroys nothing,
    and ``discard()`` removes what was written.

    With ``append`` (``--resume``) the run appends to the destination itself: its lines are
    kept whatever happens, and a run killed part-way leaves what it wrote for the next
    ``--resume`` to go on from.
    """

    def __init__(self, path: Path, *, append: bool) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        # A dot-name no reader takes, in the same directory, so that the move is atomic.
        self.temporary = None if append else path.with_name(f".{path.name}.{os.getpid()}.part")
        self.file: IO[str] = (self.temporary or path).open("a" if append else "w", encoding="utf-8")

    def commit(self) -> None:
        self.file.close()
        if self.temporary:
            os.replace(self.temporary, self.path)

    def discard(self) -> None:
        self.file.close()
        if self.temporary:
            self.temporary.unlink(missing_ok=True)
