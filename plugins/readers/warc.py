"""WARC (and ARC) crawl files: each HTML response becomes a document, the rest is counted.

Streamed with warcio, one record at a time, so memory stays flat whatever the file's size
(``bench/warc.py``). A response's document has ``source.uri`` = the record's
``WARC-Target-URI`` and ``meta.crawled`` = its ``WARC-Date``; the page is decoded by the HTTP
header's charset, then its ``<meta charset>``, then detection. Requests, revisits, metadata,
images, other media types and non-2xx responses are counted by kind in one ``PassedOver``
per file, which ``presspipe run`` sums into its closing line.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from presspipe import InputProblem, PassedOver, Source, new_document
from presspipe.plugins.readers.decode import DecodeError, decode_html, header_charset
from presspipe.plugins.readers.files import Input

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
MAX_PAGE_BYTES = 20_000_000
"""A larger HTML response is named and skipped rather than read into memory."""


def read_warc(source: Source) -> Iterator[Input]:
    """The HTML responses of a WARC or ARC file (plain or gzip-compressed per record)."""
    from warcio.archiveiterator import ArchiveIterator  # here: only crawl inputs need warcio
    from warcio.exceptions import ArchiveLoadFailed

    passed: Counter[str] = Counter()
    number = 0
    try:
        with source.open() as stream:
            for number, record in enumerate(ArchiveIterator(stream, arc2warc=True), start=1):
                yield from _record(record, source.name, number, passed)
    except (ArchiveLoadFailed, OSError, EOFError, ValueError) as error:
        where = f"{source.name}: record {number + 1}" if number else source.name
        yield InputProblem(where, f"not a readable WARC/ARC file from here on: {error}")
    if passed:
        yield PassedOver(source.name, dict(passed))


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
    if len(data) > MAX_PAGE_BYTES:
        yield InputProblem(f"{uri} ({name}, record {number})", f"page over {MAX_PAGE_BYTES:,} bytes")
        return
    if not data.strip():
        passed["empty response"] += 1
        return
    try:
        html, _charset = decode_html(data, header_charset(content_type))
    except DecodeError as error:
        yield InputProblem(f"{uri} ({name}, record {number})", str(error))
        return
    crawled = record.rec_headers.get_header("WARC-Date")
    yield new_document(html=html, uri=uri, meta={"crawled": crawled} if crawled else None)
