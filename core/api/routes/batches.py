"""``/v1/batches``: submit many documents for the background worker, and follow them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from presspipe.api.auth import require_read, require_write
from presspipe.api.bodies import (
    BATCH_BODY,
    content_type,
    is_json,
    parse_json,
    raw_document,
    read_body,
    validation_error,
)
from presspipe.api.dependencies import Svc
from presspipe.api.errors import ApiError, responses
from presspipe.api.models import BatchIn, BatchOut
from presspipe.api.worker import Refused
from presspipe.document import Document
from presspipe.errors import echo
from presspipe.store import Batch, InvalidQuery

batches = APIRouter(prefix="/v1", tags=["batches"])


def _batch_out(batch: Batch) -> BatchOut:
    return BatchOut.model_validate({**batch.__dict__, "url": f"/v1/batches/{batch.id}"})


@batches.post(
    "/batches",
    status_code=202,
    response_model=BatchOut,
    dependencies=[Depends(require_write)],
    summary="Submit many documents; they are processed in the background",
    responses={
        202: {"description": "accepted: poll the batch's url for progress"},
        **responses(400, 401, 404, 413, 415, 422, 429, 503),
    },
    openapi_extra=BATCH_BODY,
)
async def post_batch(
    request: Request,
    svc: Svc,
    pipeline: Annotated[
        str, Query(description="name of an installed pipeline (news when left out)")
    ] = "news",
) -> Response:
    svc.catalogue.entry(pipeline)
    body = await read_body(request, svc.settings.max_body_bytes)
    media, charset = content_type(request, "application/json")
    if not is_json(media):
        raise ApiError(415, "unsupported_media_type", f"send application/json, not '{media}'")
    try:
        batch_in = BatchIn.model_validate(parse_json(body, charset))
    except ValidationError as error:
        raise validation_error(error) from None
    limit = svc.settings.max_batch_documents
    if len(batch_in.documents) > limit:
        raise ApiError(422, "too_many_documents", f"a batch holds at most {limit} documents; split it")
    raws: list[Document] = []
    refused: dict[int, Refused] = {}
    for i, item in enumerate(batch_in.documents):
        try:
            raws.append(raw_document(item, f"documents.{i}"))
        except ApiError as error:  # this document fails alone, the rest of the batch goes on
            refused[i] = Refused(item.id, {"step": None, "code": error.code, "message": error.message})
    batch = await run_in_threadpool(svc.batches.submit, pipeline, raws, refused)
    out = _batch_out(batch)
    return JSONResponse(out.model_dump(mode="json"), status_code=202, headers={"Location": out.url})


@batches.get(
    "/batches/{id}",
    response_model=BatchOut,
    dependencies=[Depends(require_read)],
    summary="A batch's progress and, per document, its outcome",
    responses=responses(401, 404, 422, 503),
)
def get_batch(id: str, svc: Svc) -> BatchOut:
    try:
        batch = svc.store.batches.get(id)
    except InvalidQuery:
        batch = None
    if batch is None:
        raise ApiError(404, "not_found", f"no batch '{echo(id)}'")
    return _batch_out(batch)
