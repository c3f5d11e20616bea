"""The file readers: plain text, HTML, JSONL (any of them gzip- or zstd-compressed), directories, stdin."""

from __future__ import annotations

import io
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from presspipe import (
    MAX_FILE_BYTES,
    Document,
    InputProblem,
    PassedOver,
    Source,
    document_from_record,
    jsonl_lines,
    new_document,
    record_problem,
)
from presspipe.plugins.readers.decode import DecodeError, decode_html, decode_text

SNIFF_BYTES = 4096
"""How much of standard input is looked at to tell JSONL, HTML and text apart."""
Input = Document | InputProblem | PassedOver


def read_text(source: Source) -> Iterator[Input]:
    """One plain-text document per file."""
    yield from _whole_file(source, html=False)


def read_html(source: Source) -> Iterator[Input]:
    """One HTML document per file, decoded by its byte-order mark, ``<meta charset>`` or detection."""
    yield from _whole_file(source, html=True)


def read_jsonl(source: Source) -> Iterator[Input]:
    """One document per JSONL line, streamed (see ``jsonl_records``)."""
    try:
        with source.open() as stream:
            yield from jsonl_records(stream, source.name)
    except (OSError, EOFError) as error:
        yield InputProblem(source.name, f"cannot be read: {_reason(error)}")


def read_stdin(source: Source) -> Iterator[Input]:
    """Standard input: JSONL (streamed) when it starts with ``{``, HTML when with ``<``, else text."""
    stream = source.open()
    if not hasattr(stream, "peek"):
        stream = io.BufferedReader(stream)  # type: ignore[type-var]  # any binary stream reads into a buffer
    start = stream.peek(SNIFF_BYTES)[:SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if start == b"{":
        yield from jsonl_records(stream, "<stdin>")
    else:
        data = stream.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            yield InputProblem("<stdin>", _too_big())
            return
        yield from _document(data, "<stdin>", html=start == b"<")


def read_directory(source: Source) -> Iterator[Input]:
    """Every non-hidden file below the directory but the run's own output, in sorted order."""
    for path in _directory_files(source):
        yield from source.read(path)


def count_directory(source: Source) -> int | None:
    """The documents of the directory's files, when each file's reader knows its count."""
    total = 0
    for path in _directory_files(source):
        found = source.count(path)
        if found is None:
            return None
        total += found
    return total


def one_document(source: Source) -> int:
    """A file of one document (or of one problem, said instead)."""
    return 1


def _directory_files(source: Source) -> Iterator[Path]:
    assert source.path is not None
    # realpath, not Path.resolve: it raises on a symlink loop, which is one input's problem.
    excluded = os.path.realpath(source.exclude) if source.exclude else None
    for root, dirs, names in os.walk(source.path):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            path = Path(root) / name
            if not name.startswith(".") and os.path.realpath(path) != excluded:
                yield path


def jsonl_records(lines: Iterable[bytes], uri: str) -> Iterator[Input]:
    """One document per line: an object with ``text`` or ``html``, optionally ``id``, ``meta``, ``uri``."""
    for line in jsonl_lines(lines, _decode_line):
        where = f"{uri}:{line.number}"
        if line.problem is not None:
            yield InputProblem(where, line.problem)
            continue
        record = line.value
        problem = record_problem(record)
        if problem:
            yield InputProblem(where, problem)
            continue
        yield document_from_record(record, where)


def _decode_line(raw: bytes) -> str:
    """A JSONL line's bytes: UTF-8 (a leading BOM dropped), else the charset detected."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return decode_text(raw)[0]


def _whole_file(source: Source, *, html: bool) -> Iterator[Input]:
    try:
        with source.open() as stream:
            data = stream.read(MAX_FILE_BYTES + 1)  # a small .gz may hold a huge file
    except (OSError, EOFError) as error:
        yield InputProblem(source.name, f"cannot be read: {_reason(error)}")
        return
    if len(data) > MAX_FILE_BYTES:
        yield InputProblem(source.name, _too_big())
        return
    yield from _document(data, source.name, html=html)


def _too_big() -> str:
    return f"over the {MAX_FILE_BYTES:,}-byte limit on an input file (decompressed); split it"


def _document(data: bytes, uri: str, *, html: bool) -> Iterator[Input]:
    try:
        text, _charset = decode_html(data) if html else decode_text(data)
    except DecodeError as error:
        yield InputProblem(uri, str(error))
        return
    if not text.strip():
        yield InputProblem(uri, "empty file")
    elif html:
        yield new_document(html=text, uri=uri)
    else:
        yield new_document(text=text, uri=uri)


def _reason(error: BaseException) -> str:
    return getattr(error, "strerror", None) or str(error) or type(error).__name__
