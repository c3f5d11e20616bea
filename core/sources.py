"""Reading inputs: each file, directory, URI or ``-`` goes to the reader plugin that takes it.

Readers are plugins (``presspipe_readers``); the built-in ones (text, HTML, JSONL, WARC,
directories, standard input) live in ``presspipe.plugins.readers``. ``read_inputs`` yields a
``Document`` per input document, an ``InputProblem`` per input that cannot become one (named
with a reason, and the run goes on) and a ``PassedOver`` per input whose records were skipped
by design (a WARC's requests and images). It reads lazily: one record at a time.
"""

from __future__ import annotations

import errno
import gzip
import io
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path
from typing import BinaryIO, cast

from presspipe.document import Document
from presspipe.errors import E, PresspipeError
from presspipe.limits import MAX_FILE_BYTES
from presspipe.specs import ReaderSpec

COMPRESSIONS = {".gz": "gzip", ".zst": "zstd"}
"""File-name suffix -> the compression ``Source.open`` undoes when no reader takes the full name."""
DIRECTORY = "*/"
"""The pattern by which a reader takes directories."""
STDIN_SCHEME = "stdin"
NO_READERS = "no input readers are loaded: the built-in ones are plugin 'readers' (is PRESSPIPE_PLUGINS leaving it out?)"
_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*)://", re.I)
_TOO_BIG = "over the {limit:,}-byte limit on an input file; split it"


@dataclass(frozen=True)
class InputProblem:
    """An input that could not be read as a document, and why."""

    uri: str
    message: str

    def __str__(self) -> str:
        return f"{self.uri}: {self.message}"


@dataclass(frozen=True)
class PassedOver:
    """Records of one input that are not documents by design, counted by kind.

    A WARC holds requests, revisits, images and redirects beside its HTML pages; they are
    summed into the run's closing line, not reported one line each.
    """

    uri: str
    counts: Mapping[str, int]


Input = Document | InputProblem | PassedOver


@dataclass(frozen=True)
class Source:
    """One input, as a reader gets it.

    ``name`` is the input as given (a path, a URI, ``-``); ``path`` the local file or
    directory (``None`` for standard input or a URI); ``compression`` what ``open`` undoes.
    """

    name: str
    path: Path | None = None
    compression: str | None = None
    readers: Readers | None = field(default=None, repr=False)
    stdin: BinaryIO | None = field(default=None, repr=False)
    exclude: Path | None = None
    """The run's own output file, which a directory reader passes over."""

    def open(self) -> BinaryIO:
        """The input's bytes (decompressed), as a stream the caller closes."""
        if self.path is None:
            return self.stdin or sys.stdin.buffer
        if self.compression == "gzip":
            return cast(BinaryIO, gzip.open(self.path, "rb"))
        if self.compression == "zstd":
            import zstandard  # here: only .zst inputs need it

            # zstandard's reader has no readline or peek, which the JSONL and sniffing readers
            # use (gzip's has both): a buffer in front gives them.
            return cast(BinaryIO, io.BufferedReader(zstandard.open(self.path, "rb")))
        return self.path.open("rb")

    def read(self, path: Path) -> Iterator[Input]:
        """Hand a path found inside this input (a directory's file) back to the readers."""
        if self.readers is None:
            raise RuntimeError("this Source was made without readers")
        return self.readers.read(str(path), stdin=self.stdin, exclude=self.exclude)

    def count(self, path: Path) -> int | None:
        """What ``read(path)`` would give, counted without reading (``Readers.count``); None: unknown."""
        if self.readers is None:
            raise RuntimeError("this Source was made without readers")
        return self.readers.count(str(path), exclude=self.exclude)


class Readers:
    """The registered readers, and which one takes an input."""

    def __init__(self, specs: Iterable[ReaderSpec]) -> None:
        self.specs = list(specs)
        self.patterns: list[tuple[str, ReaderSpec]] = []
        self.schemes: dict[str, ReaderSpec] = {}
        for spec in self.specs:
            for pattern in spec.patterns:
                self._claim(pattern.lower(), spec)
            for scheme in spec.schemes:
                if scheme.lower() in self.schemes:
                    other = self.schemes[scheme.lower()].name
                    raise PresspipeError(E.E107, what=f"URI scheme '{scheme}'", first=other, second=spec.name)
                self.schemes[scheme.lower()] = spec
        # The longest pattern first: "*.warc.gz" wins over "*.gz".
        self.patterns.sort(key=lambda item: -len(item[0]))

    def _claim(self, pattern: str, spec: ReaderSpec) -> None:
        for taken, other in self.patterns:
            if taken == pattern:
                raise PresspipeError(
                    E.E107, what=f"file pattern '{pattern}'", first=other.name, second=spec.name
                )
        self.patterns.append((pattern, spec))

    def match(self, name: str) -> ReaderSpec | None:
        """The reader whose pattern matches file name ``name`` (a directory's ends in ``/``)."""
        lowered = name.lower()
        for pattern, spec in self.patterns:
            if fnmatchcase(lowered, pattern):
                return spec
        return None

    def known_patterns(self) -> str:
        return ", ".join(sorted(pattern for pattern, _ in self.patterns if pattern != DIRECTORY))

    def read(self, name: str, stdin: BinaryIO | None = None, exclude: Path | None = None) -> Iterator[Input]:
        """The documents of one input: ``-`` (standard input), a URI, a directory or a file."""
        taken = self._take(name, stdin, exclude)
        if isinstance(taken, InputProblem):
            yield taken
        else:
            spec, source = taken
            yield from spec.read(source)

    def count(self, name: str, exclude: Path | None = None) -> int | None:
        """How many documents (or problems) the input ``name`` gives, when its reader knows without
        reading it (``ReaderSpec.count``); None when it does not (a JSONL file, a crawl, ``-``)."""
        taken = self._take(name, None, exclude)
        if isinstance(taken, InputProblem):
            return 1
        spec, source = taken
        return None if spec.count is None else spec.count(source)

    def _take(
        self, name: str, stdin: BinaryIO | None, exclude: Path | None
    ) -> tuple[ReaderSpec, Source] | InputProblem:
        """The reader that takes the input ``name``, and its ``Source``; or why none can."""
        if not self.specs:
            return InputProblem(name, NO_READERS)
        scheme = STDIN_SCHEME if name == "-" else (m.group(1).lower() if (m := _SCHEME.match(name)) else None)
        if scheme is not None:
            spec = self.schemes.get(scheme)
            if spec is None:
                known = ", ".join(sorted(self.schemes)) or "none"
                return InputProblem(name, f"no reader takes '{scheme}' URIs (readers take: {known})")
            return spec, Source(name, readers=self, stdin=stdin, exclude=exclude)
        path = Path(name)
        compression = None
        if path.is_dir():
            found = self.match(path.name + "/")
        elif not os.path.lexists(path):
            return InputProblem(name, "no such file or directory")
        elif (problem := file_problem(path)) is not None:
            return InputProblem(name, problem)
        else:
            found = self.match(path.name)
            stem, suffix = os.path.splitext(path.name)
            if found is None and suffix.lower() in COMPRESSIONS:
                found, compression = self.match(stem), COMPRESSIONS[suffix.lower()]
        if found is None:
            kind = "directories" if path.is_dir() else f"'{path.name}'"
            return InputProblem(name, f"no reader takes {kind}; presspipe reads {self.known_patterns()}")
        return found, Source(name, path, compression, self, stdin, exclude)


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


def count_inputs(inputs: Iterable[str], readers: Readers, exclude: Path | None = None) -> int | None:
    """How many documents (or problems) ``read_inputs`` would give, when every input's reader knows
    without reading it (a file of one document; a directory of such files); None otherwise."""
    total = 0
    for name in inputs:
        found = readers.count(name, exclude)
        if found is None:
            return None
        total += found
    return total


def read_inputs(
    inputs: Iterable[str],
    readers: Sequence[ReaderSpec] | Readers | None = None,
    stdin: BinaryIO | None = None,
    exclude: Path | None = None,
) -> Iterator[Input]:
    """Documents from paths (files or directories, recursively), URIs and ``-`` (standard input).

    ``readers`` defaults to those of the installed plugins. A directory's file that is
    ``exclude`` (the run's own output file) is passed over.
    """
    if readers is None:
        from presspipe.registry import load_registry  # here: the registry imports this module

        readers = load_registry().input_readers()
    chosen = readers if isinstance(readers, Readers) else Readers(readers)
    for name in inputs:
        yield from chosen.read(name, stdin=stdin, exclude=exclude)
