"""The built-in export formats: JSON Lines and CSV."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator

from presspipe import Document, ExporterSpec, error_messages, hookimpl

CSV_COLUMNS = ("id", "uri", "title", "published", "entities", "quotes", "summary", "errors")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A text cell starting with one of these is a formula to a spreadsheet (``=HYPERLINK(...)``)."""


def cell(value: object) -> object:
    """A CSV cell a spreadsheet shows as text: a string that would start a formula gets a leading ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def export_jsonl(documents: Iterable[Document]) -> Iterator[str]:
    """One JSON object per line, UTF-8 as it is (no ``\\u`` escapes)."""
    for document in documents:
        yield json.dumps(document, ensure_ascii=False) + "\n"


def export_csv(documents: Iterable[Document]) -> Iterator[str]:
    """One row per document: its id, source, title, date, entity names, quote count, summary, errors.

    Text that a spreadsheet would run as a formula is neutralised (``cell``).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        chunk = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return chunk

    writer.writerow(CSV_COLUMNS)
    yield flush()
    for document in documents:
        meta = document.get("meta") or {}
        writer.writerow(
            cell(value)
            for value in (
                document.get("id"),
                (document.get("source") or {}).get("uri"),
                meta.get("title"),
                meta.get("published"),
                "; ".join(entity["name"] for entity in document.get("entities", [])),
                len(document.get("quotes", [])),
                (document.get("summary") or {}).get("text", ""),
                "; ".join(error_messages(document)),
            )
        )
        yield flush()


@hookimpl
def presspipe_exporters() -> list[ExporterSpec]:
    return [
        ExporterSpec("jsonl", "application/x-ndjson", ".jsonl", export_jsonl, "one JSON document per line"),
        ExporterSpec("csv", "text/csv", ".csv", export_csv, "one row per document, main fields only"),
    ]
