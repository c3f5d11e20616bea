"""The HTTP API: a FastAPI app factory over the store and the pipeline catalogue.

``create_app(Settings(...))`` builds the app; ``presspipe serve`` runs it with uvicorn. One
router per resource (documents, batches, export, pipelines, plugins and schema, health,
pages); the store and the catalogue are handed to routes as dependencies. Every error is a
JSON body ``{"error": {"code", "message", "details"}}`` with a 4xx status, and every status a
route can answer is declared in the OpenAPI schema (``/openapi.json``, ``/docs``).

Writes (``POST``) need ``Authorization: Bearer TOKEN`` when a token is configured
(``PRESSPIPE_API_TOKEN``); reads are open unless ``reads="token"``. ``/healthz`` is always open.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import logging
import os
import sqlite3
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, FastAPI, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, StreamingResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

import presspipe
from presspipe import pages
from presspipe.api_models import (
    BatchIn,
    BatchOut,
    DocumentIn,
    DocumentOut,
    DocumentPage,
    DocumentSummary,
    EntitiesOut,
    ErrorOut,
    HealthOut,
    PipelineDetail,
    PipelineOut,
    PluginsOut,
    QuotesOut,
)
from presspipe.document import Document, new_document
from presspipe.errors import PresspipeError
from presspipe.registry import Registry, load_registry
from presspipe.service import BatchWorker, Catalogue, CatalogueEntry, DocumentFailed, UnknownPipeline, submit
from presspipe.store import (
    Batch,
    Filters,
    InvalidQuery,
    Store,
    StoredSummary,
    StoreError,
    open_store,
    text_problem,
)
from presspipe.validate import document_schema

log = logging.getLogger(__name__)

TOKEN_ENV_VAR = "PRESSPIPE_API_TOKEN"
STORE_ENV_VAR = "PRESSPIPE_STORE"
DEFAULT_STORE = "presspipe.db"


@dataclass(frozen=True)
class Settings:
    """How a presspipe service runs. ``Settings.from_env()`` reads the environment variables."""

    store: str = DEFAULT_STORE
    """A SQLite file path (or sqlite:///PATH) or a postgresql:// URL."""
    pipelines_dir: Path | None = None
    """A directory whose *.yaml pipelines are offered besides the installed ones."""
    token: str | None = None
    """Bearer token that writes need; None: writes are open."""
    reads: Literal["open", "token"] = "open"
    """``token``: reads need the token too (pages and /v1 alike; /healthz stays open)."""
    max_body_bytes: int = 10 * 1024 * 1024
    max_batch_documents: int = 1000

    @classmethod
    def from_env(cls, **overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "store": os.environ.get(STORE_ENV_VAR) or DEFAULT_STORE,
            "token": os.environ.get(TOKEN_ENV_VAR) or None,
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    def __post_init__(self) -> None:
        if self.reads == "token" and not self.token:
            raise ValueError(f"reads='token' needs a token: set {TOKEN_ENV_VAR}")
        if self.max_body_bytes < 1 or self.max_batch_documents < 1:
            raise ValueError("max_body_bytes and max_batch_documents must be positive")


@dataclass
class Services:
    settings: Settings
    store: Store
    catalogue: Catalogue
    registry: Registry
    batches: BatchWorker


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, details: list[dict[str, Any]] | None = None):
        self.status = status
        self.code = code
        self.message = message
        self.details = details or []
        super().__init__(message)


def error_response(
    status: int, code: str, message: str, details: list[dict[str, Any]] | None = None
) -> JSONResponse:
    return JSONResponse(
        {"error": {"code": code, "message": message, "details": details or []}}, status_code=status
    )


def _responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    descriptions = {
        400: "the body is not valid JSON or not valid UTF-8",
        401: "a bearer token is needed, or the one given is wrong",
        404: "no such resource",
        413: "the body is larger than the configured limit",
        415: "the body's media type is not one this endpoint reads",
        422: "a parameter or the body is invalid, or the pipeline failed the document",
        503: "the store does not answer, or the pipeline's model is not installed",
    }
    return {status: {"model": ErrorOut, "description": descriptions[status]} for status in statuses}


# ---------------------------------------------------------------------- dependencies

bearer = HTTPBearer(auto_error=False, description=f"the token in {TOKEN_ENV_VAR}")


async def services(request: Request) -> Services:
    found: Services = request.app.state.services
    return found


def _check_token(services: Services, credentials: HTTPAuthorizationCredentials | None) -> None:
    expected = services.settings.token
    if expected is None:
        return
    given = credentials.credentials if credentials is not None else ""
    if not hmac.compare_digest(given.encode("utf-8", "surrogateescape"), expected.encode("utf-8")):
        raise ApiError(
            401,
            "unauthorized",
            "this needs the header 'Authorization: Bearer TOKEN' with the server's token"
            if not given
            else "the bearer token is wrong",
        )


async def require_write(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> None:
    _check_token(request.app.state.services, credentials)


async def require_read(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> None:
    found: Services = request.app.state.services
    if found.settings.reads == "token":
        _check_token(found, credentials)


Svc = Annotated[Services, Depends(services)]


async def document_filters(
    pipeline: Annotated[str | None, Query(description="pipeline name")] = None,
    entity: Annotated[
        str | None, Query(description="an entity's name or a mention of it, whole, any case ('trump')")
    ] = None,
    speaker: Annotated[str | None, Query(description="a quote speaker's name, whole, any case")] = None,
    q: Annotated[str | None, Query(description="words that must all occur in the title or text")] = None,
    published_from: Annotated[
        str | None, Query(description="YYYY-MM-DD or an ISO date-time: published at or after")
    ] = None,
    published_to: Annotated[
        str | None,
        Query(description="YYYY-MM-DD (the whole day) or an ISO date-time: published at or before"),
    ] = None,
) -> Filters:
    return Filters(
        pipeline=pipeline,
        entity=entity,
        speaker=speaker,
        q=q,
        published_from=_parse_when(published_from, "published_from"),
        published_to=_parse_when(published_to, "published_to"),
    )


def _parse_when(value: str | None, name: str) -> date | datetime | None:
    if value is None:
        return None
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
        return datetime.fromisoformat(value)
    except ValueError:
        raise ApiError(
            422, "invalid_query", f"'{name}' must be YYYY-MM-DD or an ISO 8601 date-time, not {value!r}"
        ) from None


FiltersDep = Annotated[Filters, Depends(document_filters)]


# ---------------------------------------------------------------------- reading bodies


async def read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(limit: int) -> ApiError:
    return ApiError(413, "body_too_large", f"the body is larger than this server's limit of {limit} bytes")


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ApiError(
            400,
            "invalid_utf8",
            f"the body is not valid UTF-8 (byte {error.start}: {body[error.start : error.start + 1]!r})",
        ) from None


def _media_type(request: Request) -> str:
    return request.headers.get("content-type", "application/json").split(";")[0].strip().lower()


def _is_json(media: str) -> bool:
    return media == "application/json" or media.endswith("+json")


def _parse_json(body: bytes) -> Any:
    text = _decode(body)
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ApiError(
            400,
            "invalid_json",
            f"the body is not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})",
        ) from None
    except RecursionError:
        raise ApiError(400, "invalid_json", "the body is nested too deeply") from None


def _validation_error(error: ValidationError, prefix: tuple[str | int, ...] = ("body",)) -> ApiError:
    details: list[dict[str, Any]] = [
        {"loc": [*prefix, *e["loc"]], "message": e["msg"].removeprefix("Value error, "), "type": e["type"]}
        for e in error.errors(include_url=False)
    ]
    first = details[0]
    where = ".".join(str(p) for p in first["loc"][1:]) or "the body"
    code = "empty_text" if "empty" in first["message"] else "invalid_body"
    return ApiError(422, code, f"{where}: {first['message']}", details)


def _checked_text(value: str, where: str) -> None:
    problem = text_problem(value)
    if problem:
        raise ApiError(422, "invalid_body", f"{where} {problem}")


def raw_document(item: DocumentIn, where: str = "body") -> Document:
    for name in ("text", "html", "id", "uri"):
        value = getattr(item, name)
        if value is not None:
            _checked_text(value, f"{where}.{name}")
    if item.meta is not None:
        _checked_text(json.dumps(item.meta, ensure_ascii=False), f"{where}.meta")
    return new_document(text=item.text, html=item.html, id=item.id, uri=item.uri, meta=item.meta)


def _document_from_request(request: Request, body: bytes) -> Document:
    media = _media_type(request)
    if media in ("text/plain", "text/html"):
        text = _decode(body)
        if not text.strip():
            raise ApiError(422, "empty_text", "the body is empty (only whitespace): send the article's text")
        _checked_text(text, "the body")
        return new_document(text=text) if media == "text/plain" else new_document(html=text)
    if not _is_json(media):
        raise ApiError(
            415, "unsupported_media_type", f"send application/json, text/plain or text/html, not '{media}'"
        )
    data = _parse_json(body)
    try:
        item = DocumentIn.model_validate(data)
    except ValidationError as error:
        raise _validation_error(error) from None
    return raw_document(item)


DOCUMENT_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/DocumentIn"}},
            "text/plain": {"schema": {"type": "string", "minLength": 1}},
            "text/html": {"schema": {"type": "string", "minLength": 1}},
        },
    }
}
BATCH_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/BatchIn"}}},
    }
}


# ---------------------------------------------------------------------- documents

documents = APIRouter(prefix="/v1", tags=["documents"])


def _document_url(id: str, pipeline: str) -> str:
    return f"/v1/documents/{quote(id, safe='')}?{urlencode({'pipeline': pipeline})}"


def _summary_out(item: StoredSummary) -> DocumentSummary:
    return DocumentSummary(**item.__dict__, url=_document_url(item.id, item.pipeline))


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
        **_responses(400, 401, 413, 415, 422, 503),
    },
    openapi_extra=DOCUMENT_BODY,
)
async def post_document(
    request: Request,
    svc: Svc,
    pipeline: Annotated[str, Query(description="name of an installed pipeline")] = "news",
) -> Response:
    """JSON ``{text|html, id?, uri?, meta?}``, or the article itself as text/plain or text/html."""
    svc.catalogue.entry(pipeline)  # an unknown pipeline is refused before the body is read
    body = await read_body(request, svc.settings.max_body_bytes)
    raw = _document_from_request(request, body)
    done = await run_in_threadpool(submit, svc.catalogue, svc.store, pipeline, raw)
    document = done.document
    name = document["provenance"]["pipeline"]["name"]
    return JSONResponse(
        document,
        status_code=201 if done.created else 200,
        headers={"Location": _document_url(document["id"], name)},
    )


@documents.get(
    "/documents",
    response_model=DocumentPage,
    dependencies=[Depends(require_read)],
    summary="List stored documents, newest first, with filters and cursor pagination",
    responses=_responses(401, 422, 503),
)
def list_documents(
    request: Request,
    svc: Svc,
    filters: FiltersDep,
    limit: Annotated[int, Query(ge=1, le=500, description="documents per page")] = 20,
    cursor: Annotated[str | None, Query(description="next_cursor of the previous page")] = None,
) -> DocumentPage:
    page = svc.store.list_documents(filters, limit=limit, cursor=cursor)
    next_url = None
    if page.next_cursor:
        query = {k: v for k, v in request.query_params.items() if k != "cursor"}
        next_url = f"/v1/documents?{urlencode({**query, 'cursor': page.next_cursor})}"
    return DocumentPage(
        items=[_summary_out(i) for i in page.items], next_cursor=page.next_cursor, next=next_url
    )


def _stored_json(svc: Services, id: str, pipeline: str | None) -> str:
    try:
        body = svc.store.get_json(id, pipeline)
    except InvalidQuery:
        body = None
    if body is None:
        where = f" from pipeline '{pipeline}'" if pipeline else ""
        raise ApiError(404, "not_found", f"no document '{id}'{where} in the store")
    return body


def _stored_part(svc: Services, id: str, pipeline: str | None, key: str) -> dict[str, Any]:
    """One list of a stored document (``quotes``, ``entities``), with the document's id and pipeline."""
    document = json.loads(_stored_json(svc, id, pipeline))
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
    responses=_responses(401, 404, 422, 503),
)
def get_document(
    id: str,
    svc: Svc,
    pipeline: Annotated[
        str | None, Query(description="which pipeline's version (default: the most recently stored)")
    ] = None,
) -> Response:
    return Response(_stored_json(svc, id, pipeline), media_type="application/json")


@documents.get(
    "/documents/{id}/quotes",
    response_model=QuotesOut,
    dependencies=[Depends(require_read)],
    summary="The quotes of one stored document, with speakers and cues",
    responses=_responses(401, 404, 422, 503),
)
def get_quotes(id: str, svc: Svc, pipeline: str | None = None) -> dict[str, Any]:
    return _stored_part(svc, id, pipeline, "quotes")


@documents.get(
    "/documents/{id}/entities",
    response_model=EntitiesOut,
    dependencies=[Depends(require_read)],
    summary="The entities of one stored document, with their mentions",
    responses=_responses(401, 404, 422, 503),
)
def get_entities(id: str, svc: Svc, pipeline: str | None = None) -> dict[str, Any]:
    return _stored_part(svc, id, pipeline, "entities")


# ---------------------------------------------------------------------- batches

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
        **_responses(400, 401, 413, 415, 422, 503),
    },
    openapi_extra=BATCH_BODY,
)
async def post_batch(
    request: Request,
    svc: Svc,
    pipeline: Annotated[str, Query(description="name of an installed pipeline")] = "news",
) -> Response:
    svc.catalogue.entry(pipeline)
    body = await read_body(request, svc.settings.max_body_bytes)
    media = _media_type(request)
    if not _is_json(media):
        raise ApiError(415, "unsupported_media_type", f"send application/json, not '{media}'")
    try:
        batch_in = BatchIn.model_validate(_parse_json(body))
    except ValidationError as error:
        raise _validation_error(error) from None
    limit = svc.settings.max_batch_documents
    if len(batch_in.documents) > limit:
        raise ApiError(422, "too_many_documents", f"a batch holds at most {limit} documents; split it")
    raws = [raw_document(item, f"documents.{i}") for i, item in enumerate(batch_in.documents)]
    batch = await run_in_threadpool(svc.batches.submit, pipeline, raws)
    out = _batch_out(batch)
    return JSONResponse(out.model_dump(mode="json"), status_code=202, headers={"Location": out.url})


@batches.get(
    "/batches/{id}",
    response_model=BatchOut,
    dependencies=[Depends(require_read)],
    summary="A batch's progress and, per document, its outcome",
    responses=_responses(401, 404, 503),
)
def get_batch(id: str, svc: Svc) -> BatchOut:
    try:
        batch = svc.store.get_batch(id)
    except InvalidQuery:
        batch = None
    if batch is None:
        raise ApiError(404, "not_found", f"no batch '{id}'")
    return _batch_out(batch)


# ---------------------------------------------------------------------- export

export = APIRouter(prefix="/v1", tags=["export"])


@export.get(
    "/export",
    dependencies=[Depends(require_read)],
    summary="Every selected document in an export format, streamed",
    response_class=StreamingResponse,
    responses={
        200: {"description": "the documents, streamed (jsonl: one JSON document per line)"},
        **_responses(401, 422, 503),
    },
)
def export_documents(
    svc: Svc,
    filters: FiltersDep,
    format: Annotated[
        str, Query(description="an export format (jsonl, csv, or one a plugin adds)")
    ] = "jsonl",
) -> StreamingResponse:
    try:
        exporter = svc.registry.exporter(format)
    except PresspipeError as error:
        raise ApiError(422, "unknown_format", error.message) from None
    list(svc.store.list_documents(filters, limit=1).items)  # refuse bad filters before streaming starts
    chunks: Iterator[str] = exporter.export(svc.store.iter_documents(filters))
    return StreamingResponse(
        chunks,
        media_type=exporter.media_type,
        headers={"Content-Disposition": f'attachment; filename="presspipe{exporter.extension}"'},
    )


# ---------------------------------------------------------------------- pipelines, plugins, schema

catalogue = APIRouter(prefix="/v1", tags=["pipelines and plugins"])


def _pipeline_out(entry: CatalogueEntry) -> dict[str, Any]:
    pipeline = entry.pipeline
    return {
        "name": pipeline.name,
        "description": pipeline.description,
        "origin": entry.origin,
        "sha256": pipeline.sha256,
        "steps": [
            {"use": s.name, "with": s.config, "plugin": s.plugin, "version": s.spec.version}
            for s in pipeline.steps
        ],
    }


@catalogue.get(
    "/pipelines",
    response_model=list[PipelineOut],
    dependencies=[Depends(require_read)],
    summary="The pipelines this server offers",
    responses=_responses(401),
)
def list_pipelines(svc: Svc) -> list[dict[str, Any]]:
    return [_pipeline_out(svc.catalogue.entries[name]) for name in svc.catalogue.names()]


@catalogue.get(
    "/pipelines/{name}",
    response_model=PipelineDetail,
    dependencies=[Depends(require_read)],
    summary="One pipeline: its steps, configs, YAML and the keys it adds",
    responses=_responses(401, 404),
)
def get_pipeline(name: str, svc: Svc) -> dict[str, Any]:
    entry = svc.catalogue.entry(name)
    return {**_pipeline_out(entry), "yaml": entry.yaml, "adds": entry.pipeline.adds()}


@catalogue.get(
    "/plugins",
    response_model=PluginsOut,
    dependencies=[Depends(require_read)],
    summary="Loaded plugins, the steps and exporters they offer, and plugins that failed to load",
    responses=_responses(401),
)
def list_plugins(svc: Svc) -> dict[str, Any]:
    return {
        "plugins": [
            {
                "name": p.name,
                "module": p.module,
                "version": p.version,
                "steps": list(p.steps),
                "exporters": list(p.exporters),
            }
            for p in svc.registry.plugins
        ],
        "failed": [{"name": n, "error": e} for n, e in svc.registry.failed.items()],
    }


@catalogue.get(
    "/schema/document",
    dependencies=[Depends(require_read)],
    summary="The JSON Schema of documents (with ?pipeline=, including the keys its steps add)",
    responses={
        200: {"content": {"application/json": {"schema": {"type": "object"}}}},
        **_responses(401, 404, 422),
    },
)
def get_document_schema(svc: Svc, pipeline: str | None = None) -> dict[str, Any]:
    adds = svc.catalogue.entry(pipeline).pipeline.adds() if pipeline is not None else None
    return document_schema(adds)


# ---------------------------------------------------------------------- health

health = APIRouter(tags=["health"])


@health.get(
    "/healthz",
    response_model=HealthOut,
    summary="Whether the server and its store answer",
    responses=_responses(503),
)
def healthz(svc: Svc) -> HealthOut:
    try:
        return HealthOut(
            status="ok",
            store=svc.store.dialect,
            schema_version=svc.store.schema_version(),
            documents=svc.store.count(),
        )
    except Exception as error:
        raise ApiError(503, "store_unavailable", f"the store does not answer: {error}") from None


# ---------------------------------------------------------------------- pages

html_pages = APIRouter(include_in_schema=False)


@html_pages.get("/", response_class=HTMLResponse, dependencies=[Depends(require_read)])
def index_page(
    svc: Svc,
    q: str | None = None,
    entity: str | None = None,
    speaker: str | None = None,
    pipeline: str | None = None,
    cursor: str | None = None,
) -> HTMLResponse:
    values = {
        "q": q or None,
        "entity": entity or None,
        "speaker": speaker or None,
        "pipeline": pipeline or None,
    }
    try:
        filters = Filters(
            q=values["q"], entity=values["entity"], speaker=values["speaker"], pipeline=values["pipeline"]
        )
        page = svc.store.list_documents(filters, limit=50, cursor=cursor or None)
        return HTMLResponse(pages.render_index(page.items, values, page.next_cursor))
    except InvalidQuery as error:
        return HTMLResponse(pages.render_index([], values, None, problem=str(error)), status_code=422)


@html_pages.get("/documents/{id}", response_class=HTMLResponse, dependencies=[Depends(require_read)])
def document_page(id: str, svc: Svc, pipeline: str | None = None) -> HTMLResponse:
    try:
        body = _stored_json(svc, id, pipeline)
    except ApiError as error:
        return HTMLResponse(pages.render_error(error.status, error.message), status_code=error.status)
    return HTMLResponse(pages.render_document(json.loads(body)))


# ---------------------------------------------------------------------- the app


def create_app(
    settings: Settings | None = None, *, registry: Registry | None = None, store: Store | None = None
) -> FastAPI:
    """The presspipe API. ``store`` and ``registry`` default to those the settings name."""
    settings = settings or Settings.from_env()
    registry = registry or load_registry()
    store = store or open_store(settings.store)
    pipeline_catalogue = Catalogue(registry, settings.pipelines_dir)
    found = Services(
        settings=settings,
        store=store,
        catalogue=pipeline_catalogue,
        registry=registry,
        batches=BatchWorker(pipeline_catalogue, store),
    )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        found.batches.stop()

    app = FastAPI(
        title="presspipe",
        version=presspipe.__version__,
        description="Submit news documents to presspipe pipelines; fetch, search and export what they made.",
        lifespan=lifespan,
    )
    app.state.services = found
    _complete_openapi(app, registry)
    for router in (documents, batches, export, catalogue, health, html_pages):
        app.include_router(router)
    _install_error_handlers(app)
    return app


def _complete_openapi(app: FastAPI, registry: Registry) -> None:
    """Add what the routes cannot declare themselves: the schemas of the bodies they read (to take
    several media types), and the export formats the installed plugins offer."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = generate()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in (DocumentIn, BatchIn):
            model_schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
            for name, definition in model_schema.pop("$defs", {}).items():
                components.setdefault(name, definition)
            components[model.__name__] = model_schema
        export_operation = schema["paths"]["/v1/export"]["get"]
        export_operation["responses"]["200"]["content"] = {
            spec.media_type: {"schema": {"type": "string"}} for spec in registry.exporters.values()
        }
        for parameter in export_operation["parameters"]:
            if parameter["name"] == "format":
                parameter["schema"]["examples"] = sorted(registry.exporters)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(request: Request, error: ApiError) -> Response:
        return error_response(error.status, error.code, error.message, error.details)

    @app.exception_handler(UnknownPipeline)
    async def unknown_pipeline(request: Request, error: UnknownPipeline) -> Response:
        # A pipeline named in the path is a missing resource; one named in a query is a bad parameter.
        status = 404 if request.url.path.startswith("/v1/pipelines/") else 422
        return error_response(status, "unknown_pipeline", str(error))

    @app.exception_handler(DocumentFailed)
    async def document_failed(request: Request, error: DocumentFailed) -> Response:
        return error_response(422, "document_failed", str(error), list(error.document["errors"]))

    @app.exception_handler(InvalidQuery)
    async def invalid_query(request: Request, error: InvalidQuery) -> Response:
        return error_response(422, "invalid_query", str(error))

    @app.exception_handler(PresspipeError)
    async def presspipe_error(request: Request, error: PresspipeError) -> Response:
        # Raised while building a pipeline's steps (a model not installed): the server's to fix.
        return error_response(503, error.code, error.message)

    async def store_unavailable(request: Request, error: Exception) -> Response:
        log.warning("store error on %s: %s", request.url.path, error)
        return error_response(503, "store_unavailable", f"the store cannot answer now: {error}")

    app.add_exception_handler(sqlite3.OperationalError, store_unavailable)
    app.add_exception_handler(StoreError, store_unavailable)
    try:
        import psycopg
    except ImportError:
        pass
    else:
        app.add_exception_handler(psycopg.OperationalError, store_unavailable)

    @app.exception_handler(RequestValidationError)
    async def request_validation(request: Request, error: RequestValidationError) -> Response:
        details = [
            {"loc": list(e.get("loc", ())), "message": e.get("msg", ""), "type": e.get("type", "")}
            for e in error.errors()
        ]
        first = details[0] if details else {"loc": [], "message": "invalid request"}
        where = ".".join(str(p) for p in first["loc"]) or "the request"
        return error_response(422, "invalid_request", f"{where}: {first['message']}", details)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        codes = {404: "not_found", 405: "method_not_allowed"}
        return error_response(
            error.status_code, codes.get(error.status_code, "http_error"), str(error.detail)
        )


# ---------------------------------------------------------------------- serving


def serve(
    settings: Settings,
    registry: Registry,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    ingest: Path | None = None,
) -> int:
    """``presspipe serve``: open the store, ingest a processed JSONL if given, run uvicorn."""
    import uvicorn

    store = open_store(settings.store)
    if ingest is not None:
        counts = store.ingest_jsonl(ingest)
        for reason in counts.skipped:
            print(f"presspipe: not ingested: {reason}", file=sys.stderr)
        print(
            f"presspipe: ingested {ingest}: {counts.stored} stored, {counts.unchanged} already stored, "
            f"{len(counts.skipped)} skipped",
            file=sys.stderr,
        )
    if settings.token is None and not _is_loopback(host):
        print(
            f"presspipe: warning: serving on {host} with no {TOKEN_ENV_VAR}: anyone who reaches it can submit",
            file=sys.stderr,
        )
    app = create_app(settings, registry=registry, store=store)
    print(f"presspipe: serving {store.count()} documents at http://{host}:{port}/", file=sys.stderr)
    uvicorn.run(app, host=host, port=port, log_level="warning")
    store.close()
    return 0


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
