"""The output file of ``presspipe run``, what ``--resume`` finds already in it, and Parquet streams.

Lines are written whole and flushed batch by batch, so a killed run leaves complete lines
plus at most one partial last line. Resuming cuts that partial line off, collects the ids of
documents already processed by the same pipeline (same hash), and appends from there: nothing
is lost and nothing is written twice.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from presspipe.errors import E, PresspipeError
from presspipe.jsonl import jsonl_lines

if TYPE_CHECKING:
    import pyarrow as pa


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
        # A dot-name no reader takes, in the same directory, so that the move is atomic. A
        # destination that exists but is no regular file (/dev/null, a FIFO, /dev/stdout) is
        # written in place: moving a file onto it would replace the device itself.
        in_place = append or (path.exists() and not path.is_file())
        self.temporary = None if in_place else path.with_name(f".{path.name}.{os.getpid()}.part")
        self.file: TextIO = (self.temporary or path).open("a" if append else "w", encoding="utf-8")

    def commit(self) -> None:
        self.file.close()
        if self.temporary:
            os.replace(self.temporary, self.path)

    def discard(self) -> None:
        self.file.close()
        if self.temporary:
            self.temporary.unlink(missing_ok=True)


class _Drain:
    """A write-only file that hands back what was written since the last ``take``."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []
        self.closed = False

    def write(self, data: bytes) -> int:
        self.chunks.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        self.closed = True

    def take(self) -> bytes:
        data = b"".join(self.chunks)
        self.chunks.clear()
        return data


PARQUET_ROWS_PER_GROUP = 1000
"""Rows per Parquet row group: a group is written (and its bytes handed on) as it fills, so an
export holds at most this many rows in memory, whatever its length."""


def parquet_stream(
    rows: Iterable[dict[str, Any]], schema: pa.Schema, rows_per_group: int = PARQUET_ROWS_PER_GROUP
) -> Iterator[bytes]:
    """``rows`` (dicts keyed by ``schema``'s field names) as a Parquet file, a row group at a time."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    drain = _Drain()
    writer = pq.ParquetWriter(pa.PythonFile(drain, mode="w"), schema, compression="zstd")
    group: list[dict[str, Any]] = []
    try:
        for row in rows:
            group.append(row)
            if len(group) >= rows_per_group:
                writer.write_table(pa.Table.from_pylist(group, schema=schema))
                group.clear()
                yield drain.take()
        if group:
            writer.write_table(pa.Table.from_pylist(group, schema=schema))
    finally:
        writer.close()
    yield drain.take()
