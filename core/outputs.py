"""The JSONL output file of ``presspipe run``, and what ``--resume`` finds already in it.

Lines are written whole and flushed batch by batch, so a killed run leaves complete lines
plus at most one partial last line. Resuming cuts that partial line off, collects the ids of
documents already processed by the same pipeline (same hash), and appends from there: nothing
is lost and nothing is written twice.
"""

from __future__ import annotations

from pathlib import Path

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
