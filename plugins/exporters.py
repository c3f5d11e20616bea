"""The built-in export formats: JSON Lines, CSV and Parquet."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from presspipe import Document, ExporterSpec, error_messages, hookimpl, parquet_stream

if TYPE_CHECKING:
    import pyarrow as pa

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


def document_parquet_schema() -> pa.Schema:
    """The columns of ``--format parquet`` (docs/api.md#parquet): nested lists are Arrow lists."""
    import pyarrow as pa

    span = [("text", pa.string()), ("start", pa.int64()), ("end", pa.int64())]
    return pa.schema(
        [
            ("id", pa.string()),
            ("uri", pa.string()),
            ("media_type", pa.string()),
            ("sha256", pa.string()),
            ("title", pa.string()),
            ("published", pa.string()),
            ("language", pa.string()),
            ("text", pa.string()),
            (
                "entities",
                pa.list_(
                    pa.struct(
                        [
                            ("id", pa.string()),
                            ("name", pa.string()),
                            ("label", pa.string()),
                            ("salience", pa.float64()),
                            ("mentions", pa.list_(pa.struct(span))),
                        ]
                    )
                ),
            ),
            (
                "quotes",
                pa.list_(
                    pa.struct(
                        [
                            ("id", pa.string()),
                            ("text", pa.string()),
                            ("start", pa.int64()),
                            ("end", pa.int64()),
                            ("kind", pa.string()),
                            ("speaker", pa.string()),
                            ("speaker_entity", pa.string()),
                            ("cue", pa.string()),
                        ]
                    )
                ),
            ),
            ("summary", pa.string()),
            (
                "errors",
                pa.list_(pa.struct([("step", pa.string()), ("code", pa.string()), ("message", pa.string())])),
            ),
            ("pipeline", pa.string()),
            ("pipeline_sha256", pa.string()),
        ]
    )


def parquet_row(document: Document) -> dict[str, Any]:
    """One document as a row of ``document_parquet_schema``."""
    meta = document.get("meta") or {}
    source = document.get("source") or {}
    pipeline = (document.get("provenance") or {}).get("pipeline") or {}
    return {
        "id": document.get("id"),
        "uri": source.get("uri"),
        "media_type": source.get("media_type"),
        "sha256": source.get("sha256"),
        "title": meta.get("title"),
        "published": meta.get("published"),
        "language": meta.get("language"),
        "text": document.get("text"),
        "entities": [
            {
                "id": e.get("id"),
                "name": e.get("name"),
                "label": e.get("label"),
                "salience": e.get("salience"),
                "mentions": [
                    {"text": m.get("text"), "start": m.get("start"), "end": m.get("end")}
                    for m in e.get("mentions") or []
                ],
            }
            for e in document.get("entities") or []
        ],
        "quotes": [
            {
                "id": q.get("id"),
                "text": q.get("text"),
                "start": q.get("start"),
                "end": q.get("end"),
                "kind": q.get("kind"),
                "speaker": (q.get("speaker") or {}).get("text"),
                "speaker_entity": (q.get("speaker") or {}).get("entity"),
                "cue": (q.get("cue") or {}).get("text"),
            }
            for q in document.get("quotes") or []
        ],
        "summary": (document.get("summary") or {}).get("text"),
        "errors": [
            {"step": e.get("step"), "code": e.get("code"), "message": e.get("message")}
            for e in document.get("errors") or []
            if isinstance(e, dict)
        ],
        "pipeline": pipeline.get("name"),
        "pipeline_sha256": pipeline.get("sha256"),
    }


def export_parquet(documents: Iterable[Document]) -> Iterator[bytes]:
    """A Parquet file, one row per document, written a row group at a time."""
    return parquet_stream((parquet_row(d) for d in documents), document_parquet_schema())


@hookimpl
def presspipe_exporters() -> list[ExporterSpec]:
    return [
        ExporterSpec("jsonl", "application/x-ndjson", ".jsonl", export_jsonl, "one JSON document per line"),
        ExporterSpec("csv", "text/csv", ".csv", export_csv, "one row per document, main fields only"),
        ExporterSpec(
            "parquet",
            "application/vnd.apache.parquet",
            ".parquet",
            export_parquet,
            "one row per document; entities, quotes and errors as Arrow lists",
            binary=True,
        ),
    ]
