"""Reading inputs into raw documents: files, directories, JSONL records and stdin.

``read_inputs`` yields a ``Document`` per input document and an ``InputProblem`` per input
that cannot become one (empty, binary, not UTF-8, unknown extension, bad JSONL line), so a
bad file is named and the run goes on. It reads lazily: one file at a time.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from presspipe.document import Document, new_document
from presspipe.limits import MAX_FILE_BYTES

TEXT_EXTENSIONS = frozenset({".txt"})
HTML_EXTENSIONS = frozenset({".html", ".htm"})
JSONL_EXTENSIONS = frozenset({".jsonl"})
KNOWN_EXTENSIONS = TEXT_EXTENSIONS | HTML_EXTENSIONS | JSONL_EXTENSIONS
JSONL_FIELDS = ("text", "html", "id", "meta", "uri")
_TOO_BIG = "over the {limit:,}-byte limit on an input file; split it"


@dataclass(frozen=True)
class InputProblem:
    """An input that could not be read as a document, and why."""

    uri: str
    message: str

    def __str__(self) -> str:
        return f"{self.uri}: {self.message}"


Input = Document | InputProblem


def read_inputs(
    inputs: Iterable[str], stdin: BinaryIO | None = None, exclude: Path | None = None
) -> Iterator[Input]:
    """Documents from paths (files or directories, recursively) and ``-`` (standard input).

    A directory's file that is ``exclude`` (the run's own output file) is passed over.
    """
    for name in inputs:
        if name == "-":
            data = (stdin or sys.stdin.buffer).read(MAX_FILE_BYTES + 1)
            if len(data) > MAX_FILE_BYTES:
                yield InputProblem("<stdin>", _TOO_BIG.format(limit=MAX_FILE_BYTES))
            else:
                yield from read_bytes(data, "<stdin>", _sniff_stdin)
        elif os.path.isdir(name):
            yield from read_directory(Path(name), exclude)
        elif os.path.lexists(name):
            yield from read_file(Path(name))
        else:
            yield InputProblem(name, "no such file or directory")


def read_directory(directory: Path, exclude: Path | None = None) -> Iterator[Input]:
    """Every non-hidden file below ``directory`` but ``exclude``, in sorted order."""
    excluded = os.path.realpath(exclude) if exclude else None
    for root, dirs, names in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            path = Path(root) / name
            if not name.startswith(".") and os.path.realpath(path) != excluded:
                yield from read_file(path)


def file_problem(path: Path, max_bytes: int = MAX_FILE_BYTES) -> str | None:
    """Why ``path`` cannot be read as an input file, or None: presspipe reads regular files only,
    up to ``max_bytes``, so a FIFO, a device, a socket, a symlink loop or a huge file is named
    and skipped before anything blocks or fills memory."""
    try:
        status = os.stat(path)
    except OSError as error:
        return "a symlink loop" if error.errno == errno.ELOOP else f"cannot be read: {error.strerror}"
    if stat.S_ISFIFO(status.st_mode):
        return "a named pipe (FIFO), not a regular file"
    if stat.S_ISSOCK(status.st_mode):
        return "a socket, not a regular file"
    if stat.S_ISCHR(status.st_mode) or stat.S_ISBLK(status.st_mode):
        return "a device, not a regular file"
    if not stat.S_ISREG(status.st_mode):
        return "not a regular file"
    if status.st_size > max_bytes:
        return f"{status.st_size:,} bytes, {_TOO_BIG.format(limit=max_bytes)}"
    return None


def read_file(path: Path) -> Iterator[Input]:
    problem = file_problem(path)
    if problem:
        yield InputProblem(str(path), problem)
        return
    suffix = path.suffix.lower()
    if suffix not in KNOWN_EXTENSIONS:
        known = ", ".join(sorted(KNOWN_EXTENSIONS))
        yield InputProblem(str(path), f"unknown extension '{suffix or '(none)'}'; presspipe reads {known}")
        return
    try:
        with path.open("rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)  # it may have grown since file_problem looked
    except OSError as error:
        yield InputProblem(str(path), f"cannot be read: {error.strerror}")
        return
    if len(data) > MAX_FILE_BYTES:
        yield InputProblem(str(path), _TOO_BIG.format(limit=MAX_FILE_BYTES))
        return
    yield from read_bytes(data, str(path), lambda _text: suffix)


def read_bytes(data: bytes, uri: str, kind: Callable[[str], str]) -> Iterator[Input]:
    """Documents from the bytes of one input; ``kind(text)`` gives the extension to read it as."""
    if b"\x00" in data[:8192]:
        yield InputProblem(uri, "binary file (it holds NUL bytes); presspipe reads text, HTML and JSONL")
        return
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        yield InputProblem(
            uri, f"not valid UTF-8 (byte {error.start}: {data[error.start : error.start + 1]!r})"
        )
        return
    if not text.strip():
        yield InputProblem(uri, "empty file")
        return
    suffix = kind(text)
    if suffix in HTML_EXTENSIONS:
        yield new_document(html=text, uri=uri)
    elif suffix in JSONL_EXTENSIONS:
        yield from read_jsonl(text, uri)
    else:
        yield new_document(text=text, uri=uri)


def read_jsonl(text: str, uri: str) -> Iterator[Input]:
    """One document per JSONL line: an object with ``text`` or ``html``, optionally ``id``, ``meta``, ``uri``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{uri}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            yield InputProblem(where, f"invalid JSON: {error.msg} at column {error.colno}")
            continue
        problem = _record_problem(record)
        if problem:
            yield InputProblem(where, problem)
            continue
        yield new_document(
            text=record.get("text"),
            html=record.get("html"),
            id=record.get("id"),
            meta=record.get("meta"),
            uri=record.get("uri", where),
        )


def _record_problem(record: object) -> str | None:
    if not isinstance(record, dict):
        return "a JSONL line must be an object with a 'text' or an 'html' field"
    unknown = sorted(set(record) - set(JSONL_FIELDS))
    if unknown:
        return f"unknown field(s) {', '.join(map(repr, unknown))}; fields are {', '.join(JSONL_FIELDS)}"
    if ("text" in record) == ("html" in record):
        return "give exactly one of 'text' and 'html'"
    body = record.get("text", record.get("html"))
    if not isinstance(body, str) or not body.strip():
        return "'text' or 'html' must be a non-empty string"
    for field, kind in (("id", str), ("uri", str), ("meta", dict)):
        if field in record and not isinstance(record[field], kind):
            return f"'{field}' must be a{'n object' if kind is dict else ' string'}"
    return None


def _sniff_stdin(text: str) -> str:
    """Standard input is JSONL when it starts with '{', HTML when it starts with '<', else text."""
    start = text.lstrip()[:1]
    return ".jsonl" if start == "{" else ".html" if start == "<" else ".txt"
