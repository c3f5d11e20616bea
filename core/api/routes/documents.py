"""``/v1/documents``: submit one document, list, fetch, and a document's quotes and entities."""

from __future__ import annotations

import json
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from presspipe.api.auth import require_read, require_write
from presspipe.api.bodies import DOCUMENT_BODY, document_from_request, read_body
from presspipe.api.dependencies import FiltersDep, Services, Svc, document_url, next_page_url, stored_json
from presspipe.api.errors import responses
from presspipe.api.models import DocumentOut, DocumentPage, DocumentSummary, EntitiesOut, QuotesOut
from presspipe.api.submit import submit
from presspipe.store import StoredSummary

documents = APIRouter(prefix="/v1", tags=["documents"])


def _summary_out(item: StoredSummary) -> DocumentSummary:
    return DocumentSummary(**item.__dict__, url=document_url(item.id, item.pipeline))


@documents.post(
    "/documents",
    status_code=201,
    response_model=DocumentOut,
    dependencies=[Depends(require_write)],
    summary="Process one document with a pipeline and store it",
    responses={
        200: {
            "model": DocumentOut,
            "description": "the same content was processed by this pipeline before: the stored document",
        },
        201: {"description": "processed and stored"},
        **responses(400, 401, 404, 413, 415, 422, 429, 503),
    },
    openapi_extra=DOCUMENT_BODY,
)
async def post_document(
    request: Request,
    svc: Svc,
    pipeline: Annotated[
        str, Query(description="name of an installed pipeline (news when left out)")
    ] = "news",
) -> Response:
    """JSON ``{text|html, id?, uri?, meta?}``, or the article itself as text/plain or text/html."""
    svc.catalogue.entry(pipeline)  # an unknown pipeline is refused before the body is read
    body = await read_body(request, svc.settings.max_body_bytes)
    raw = document_from_request(request, body)
    done = await run_in_threadpool(submit, svc.processing, svc.store, pipeline, raw)
    document = done.document
    name = document["provenance"]["pipeline"]["name"]
    return JSONResponse(
        document,
        status_code=201 if done.created else 200,
        headers={"Location": document_url(document["id"], name)},
    )


@documents.get(
    "/documents",
    response_model=DocumentPage,
    dependencies=[Depends(require_read)],
    summary="List stored documents, newest first, with filters and cursor pagination",
    responses=responses(401, 422, 503),
)
def list_documents(
    request: Request,
    svc: Svc,
    filters: FiltersDep,
    limit: Annotated[int, Query(ge=1, le=500, description="documents per page")] = 20,
    cursor: Annotated[str | None, Query(description="next_cursor of the previous page")] = None,
) -> DocumentPage:
    page = svc.store.list_documents(filters, limit=limit, cursor=cursor)
    return DocumentPage(
        items=[_summary_out(i) for i in page.items],
        next_cursor=page.next_cursor,
        next=next_page_url(request, page.next_cursor),
    )


def _stored_part(svc: Services, id: str, pipeline: str | None, key: str) -> dict[str, Any]:
    """One list of a stored document (``quotes``, ``entities``), with the document's id and pipeline."""
    document = json.loads(stored_json(svc, id, pipeline))
    return {
        "document": document["id"],
        "pipeline": document["provenance"]["pipeline"]["name"],
        key: document.get(key) or [],
    }


@documents.get(
    "/documents/{id}",
    response_model=DocumentOut,
    dependencies=[Depends(require_read)],
    summary="Fetch one stored document",
    responses=responses(401, 404, 422, 503),
)
def get_document(
    id: str,
    svc: Svc,
    pipeline: Annotated[
        str | None, Query(description="which pipeline's version (default: the most recently stored)")
    ] = None,
) -> Response:
    """The stored JSON as it was processed; its near-copy group in headers (``Copy-Of``: the
    original's id, when this is a copy; ``Copy-Group-Size``: the original and its copies)."""
    body = stored_json(svc, id, pipeline)
    group = svc.store.copy_group(id, pipeline)
    headers = {} if group is None else {"Copy-Group-Size": str(group.size)}
    if group is not None and group.copy_of is not None:
        headers["Copy-Of"] = quote(group.copy_of, safe="")
    return Response(body, media_type="application/json", headers=headers)


@documents.get(
    "/documents/{id}/quotes",
    response_model=QuotesOut,
    dependencies=[Depends(require_read)],
    summary="The quotes of one stored document, with speakers and cues",
    responses=responses(401, 404, 422, 503),
)
def get_quotes(id: str, svc: Svc, pipeline: str | None = None) -> dict[str, Any]:
    return _stored_part(svc, id, pipeline, "quotes")


@documents.get(
    "/documents/{id}/entities",
    response_model=EntitiesOut,
    dependencies=[Depends(require_read)],
    summary="The entities of one stored document, with their mentions",
    responses=responses(401, 404, 422, 503),
)
def get_entities(id: str, svc: Svc, pipeline: str | None = None) -> dict[str, Any]:
    return _stored_part(svc, id, pipeline, "entities")
