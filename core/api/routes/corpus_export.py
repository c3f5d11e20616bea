"""``/v1/export/quotes`` and ``/v1/export/entities``: a corpus listing, whole, as CSV, JSONL or Parquet, streamed.

The filters are those of ``/v1/quotes`` and ``/v1/entities``; rows are read a page at a time,
so an export of any size streams in constant memory.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse

from presspipe.api.auth import require_read
from presspipe.api.dependencies import Svc
from presspipe.api.errors import responses
from presspipe.api.routes.corpus import EntityFilters, SpeakerFilters
from presspipe.outputs import parquet_stream

if TYPE_CHECKING:
    import pyarrow as pa

corpus_export = APIRouter(prefix="/v1/export", tags=["export"])

Format = Annotated[
    Literal["csv", "jsonl", "parquet"],
    Query(
        description="csv (a header row), jsonl (one object per line) or parquet (row groups of 1,000 rows)"
    ),
]
QUOTE_COLUMNS = (
    "speaker",
    "speaker_key",
    "speaker_text",
    "quote",
    "kind",
    "document",
    "title",
    "published",
    "outlet",
    "uri",
)
ENTITY_COLUMNS = ("key", "name", "label", "documents", "mentions", "quotes", "first", "last")
COUNT_COLUMNS = frozenset({"documents", "mentions", "quotes"})
"""Integer columns (of Parquet exports); the others are strings."""
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "jsonl": "application/x-ndjson",
    "parquet": "application/vnd.apache.parquet",
}


def _stream(
    rows: Iterable[dict[str, Any]], columns: tuple[str, ...], format: str, name: str
) -> StreamingResponse:
    def lines() -> Iterator[str] | Iterator[bytes]:
        if format == "parquet":
            return parquet_stream(rows, _parquet_schema(columns))
        return text(rows)

    def text(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
        if format == "jsonl":
            for row in rows:
                yield json.dumps(row, ensure_ascii=False) + "\n"
            return
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
        yield buffer.getvalue()

    return StreamingResponse(
        lines(),
        media_type=MEDIA_TYPES[format],
        headers={"Content-Disposition": f'attachment; filename="presspipe-{name}.{format}"'},
    )


def _parquet_schema(columns: tuple[str, ...]) -> pa.Schema:
    import pyarrow as pa

    return pa.schema([(c, pa.int64() if c in COUNT_COLUMNS else pa.string()) for c in columns])


EXPORTED = {
    200: {
        "description": "the rows, streamed",
        "content": {media: {"schema": {"type": "string"}} for media in MEDIA_TYPES.values()},
    },
    **responses(401, 422, 503),
}


@corpus_export.get(
    "/quotes",
    dependencies=[Depends(require_read)],
    summary="Every selected quote (the filters of /v1/quotes) as CSV, JSONL or Parquet, streamed",
    response_class=StreamingResponse,
    responses=EXPORTED,
)
def export_quotes(svc: Svc, filters: SpeakerFilters, format: Format = "csv") -> StreamingResponse:
    svc.store.corpus.quotes(filters, limit=1)  # refuse bad filters before streaming starts
    rows = (
        {
            "speaker": q.speaker_name or q.speaker_text,
            "speaker_key": q.speaker_key,
            "speaker_text": q.speaker_text,
            "quote": q.text,
            "kind": q.kind,
            "document": q.id,
            "title": q.title,
            "published": q.published,
            "outlet": q.outlet,
            "uri": q.uri,
        }
        for q in svc.store.corpus.iter_quotes(filters)
    )
    return _stream(rows, QUOTE_COLUMNS, format, "quotes")


@corpus_export.get(
    "/entities",
    dependencies=[Depends(require_read)],
    summary="Every selected entity (the filters of /v1/entities) as CSV, JSONL or Parquet, streamed",
    response_class=StreamingResponse,
    responses=EXPORTED,
)
def export_entities(svc: Svc, filters: EntityFilters, format: Format = "csv") -> StreamingResponse:
    svc.store.corpus.entities(filters, limit=1)
    rows = ({c: getattr(e, c) for c in ENTITY_COLUMNS} for e in svc.store.corpus.iter_entities(filters))
    return _stream(rows, ENTITY_COLUMNS, format, "entities")
