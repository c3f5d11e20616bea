"""The built-in input readers, registered through ``presspipe_readers`` like any third party's.

``docs/steps/clean.md`` ("What is read, and how") says what each reads; compressed inputs
(``.gz``, ``.zst``) are decompressed by the core for every reader but WARC, which reads
gzip-per-record files itself.
"""

from __future__ import annotations

from presspipe import ReaderSpec, hookimpl
from presspipe.plugins.readers.files import (
    count_directory,
    one_document,
    read_directory,
    read_html,
    read_jsonl,
    read_stdin,
    read_text,
)
from presspipe.plugins.readers.warc import read_warc


@hookimpl
def presspipe_readers() -> list[ReaderSpec]:
    return [
        ReaderSpec(
            "text",
            read_text,
            patterns=("*.txt",),
            description="a plain-text document per file",
            count=one_document,
        ),
        ReaderSpec(
            "html",
            read_html,
            patterns=("*.html", "*.htm"),
            description="an HTML page per file",
            count=one_document,
        ),
        ReaderSpec(
            "jsonl",
            read_jsonl,
            patterns=("*.jsonl",),
            description="a document per line: {text or html, id, meta, uri}",
        ),
        ReaderSpec(
            "warc",
            read_warc,
            patterns=("*.warc", "*.warc.gz", "*.arc", "*.arc.gz"),
            description="a document per HTML response of a crawl; other records counted",
        ),
        ReaderSpec(
            "directory",
            read_directory,
            patterns=("*/",),
            description="every non-hidden file below it",
            count=count_directory,
        ),
        ReaderSpec(
            "stdin", read_stdin, schemes=("stdin",), description="'-': JSONL, HTML or text, by its first byte"
        ),
    ]
