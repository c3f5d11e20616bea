"""``/v1/export``: every selected document in an export format, streamed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import StreamingResponse

from presspipe.api.auth import require_read
from presspipe.api.dependencies import FiltersDep, Svc
from presspipe.api.errors import ApiError, responses
from presspipe.errors import PresspipeError

export = APIRouter(prefix="/v1", tags=["export"])


@export.get(
    "/export",
    dependencies=[Depends(require_read)],
    summary="Every selected document in an export format, streamed",
    response_class=StreamingResponse,
    responses={
        200: {
            "description": "the documents, streamed (jsonl: one JSON document per line; parquet: one row per document, columns in docs/api.md)"
        },
        **responses(401, 422, 503),
    },
)
def export_documents(
    svc: Svc,
    filters: FiltersDep,
    format: Annotated[
        str, Query(description="an export format (jsonl, csv, parquet, or one a plugin adds)")
    ] = "jsonl",
) -> StreamingResponse:
    try:
        exporter = svc.registry.exporter(format)
    except PresspipeError as error:
        raise ApiError(422, "unknown_format", error.message) from None
    list(svc.store.list_documents(filters, limit=1).items)  # refuse bad filters before streaming starts
    chunks: Iterator[str] | Iterator[bytes] = exporter.export(svc.store.iter_documents(filters))
    return StreamingResponse(
        chunks,
        media_type=exporter.media_type,
        headers={"Content-Disposition": f'attachment; filename="presspipe{exporter.extension}"'},
    )
