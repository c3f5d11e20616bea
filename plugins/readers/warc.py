"""WARC (and ARC) crawl files: each HTML response becomes a document, the rest is counted.

Streamed with warcio, one record at a time, so memory stays flat whatever the file's size
(``bench/warc.py``). A response's document has ``source.uri`` = the record's
``WARC-Target-URI`` and ``meta.crawled`` = its ``WARC-Date``; the page is decoded by the HTTP
header's charset, then its ``<meta charset>``, then detection. Requests, revisits, metadata,
images, other media types and non-2xx responses are counted by kind in one ``PassedOver``
per file, which ``presspipe run`` sums into its closing line.
"""

from __future__ import annotations

import io
import zlib
from collections import Counter
from collections.abc import Iterator
from typing import Any, BinaryIO, cast

from presspipe import InputProblem, PassedOver, Source, new_document
from presspipe.plugins.readers.decode import DecodeError, decode_html, header_charset
from presspipe.plugins.readers.files import Input

ARCHIVE_START = b"WARC/"
ARCHIVE_STARTS = (ARCHIVE_START, b"filed")  # ARC files start "filedesc://"
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
MAX_PAGE_BYTES = 20_000_000
"""A larger HTML response is named and skipped rather than read into memory."""


def read_warc(source: Source) -> Iterator[Input]:
    """The HTML responses of a WARC or ARC file (plain, or gzip-compressed per record or whole)."""
    from warcio.archiveiterator import ArchiveIterator  # here: only crawl inputs need warcio
    from warcio.exceptions import ArchiveLoadFailed

    passed: Counter[str] = Counter()
    number = 0
    try:
        with _open(source) as stream:
            start = stream.read(len(ARCHIVE_START))
            if start not in ARCHIVE_STARTS:
                yield InputProblem(source.name, f"not a WARC or ARC file: it starts with {start!r}")
                return
        with _open(source) as stream:
            for number, record in enumerate(ArchiveIterator(stream, arc2warc=True), start=1):
                yield from _record(record, source.name, number, passed)
    except (ArchiveLoadFailed, OSError, EOFError, ValueError) as error:
        where = f"{source.name}: record {number + 1}" if number else source.name
        yield InputProblem(where, f"not a readable WARC/ARC file from here on: {error}")
    if passed:
        yield PassedOver(source.name, dict(passed))


class _Gunzip(io.RawIOBase):
    """Gzip members one after another, streamed; a file cut short gives what it holds, then an error.

    ``gzip.GzipFile`` drops the last block of a truncated file, and warcio takes its
    ``EOFError`` for the archive's normal end: records would vanish without a word.
    """

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw
        self.decompressor = zlib.decompressobj(wbits=31)
        self.pending = b""
        self.in_member = False
        self.ended = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self.pending:
            if self.ended:
                if self.in_member:
                    raise OSError("the file is truncated (its last gzip member is cut off)")
                return 0
            chunk = self.raw.read(1 << 16)
            if not chunk:
                self.pending, self.ended = self.decompressor.flush(), True
                continue
            while chunk:
                self.in_member = True
                self.pending += self.decompressor.decompress(chunk)
                if not self.decompressor.eof:
                    break
                chunk, self.in_member = self.decompressor.unused_data, False
                self.decompressor = zlib.decompressobj(wbits=31)
        size = min(len(buffer), len(self.pending))
        buffer[:size] = self.pending[:size]
        self.pending = self.pending[size:]
        return size

    def close(self) -> None:
        self.raw.close()
        super().close()


def _open(source: Source) -> BinaryIO:
    """The archive's bytes, decompressed: gzip per record (the norm) or over the whole file."""
    stream = source.open()
    if source.path is not None and stream.read(2) == b"\x1f\x8b":
        stream.close()
        return cast(BinaryIO, _Gunzip(source.path.open("rb")))  # unbuffered: every read gets what there is
    if source.path is not None:
        stream.seek(0)
    return stream


def _record(record: Any, name: str, number: int, passed: Counter[str]) -> Iterator[Input]:
    kind = record.rec_type
    if kind != "response":
        passed[kind] += 1
        return
    http = record.http_headers
    if http is None:  # a response that is not HTTP (dns:, ftp:)
        passed["non-HTTP response"] += 1
        return
    status = http.get_statuscode() or ""
    if not status.startswith("2"):
        passed[f"HTTP {status[:1] or '?'}xx"] += 1
        return
    content_type = http.get_header("Content-Type") or ""
    media_type = content_type.split(";")[0].strip().lower()
    if media_type not in HTML_TYPES:
        family = media_type.split("/")[0]
        passed[family if family in ("image", "video", "audio", "font") else "other non-HTML"] += 1
        return
    uri = record.rec_headers.get_header("WARC-Target-URI") or f"{name}#record-{number}"
    data = record.content_stream().read(MAX_PAGE_BYTES + 1)
    where = f"{uri} ({name}, record {number})"
    if len(data) > MAX_PAGE_BYTES:
        yield InputProblem(where, f"page over {MAX_PAGE_BYTES:,} bytes")
        return
    missing = getattr(record.raw_stream, "limit", 0)
    if missing:  # the file ends inside this record: a cut-off page is no document
        yield InputProblem(where, f"the record is cut off ({missing:,} bytes missing): the file is truncated")
        return
    if not data.strip():
        passed["empty response"] += 1
        return
    try:
        html, _charset = decode_html(data, header_charset(content_type))
    except DecodeError as error:
        yield InputProblem(where, str(error))
        return
    crawled = record.rec_headers.get_header("WARC-Date")
    yield new_document(html=html, uri=uri, meta={"crawled": crawled} if crawled else None)
