"""Errors as the API answers them: a JSON body ``{"error": {"code", "message", "details"}}``, 4xx.

``ApiError`` is raised by routes; ``install_error_handlers`` maps it and the library's own
errors (unknown pipeline, failed document, invalid query, store down, bad request) to their
statuses; ``responses(...)`` declares those statuses in the OpenAPI schema of a route.
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect
from starlette.routing import Match

from presspipe.api.catalogue import UnknownPipeline
from presspipe.api.models import ErrorOut
from presspipe.api.processing import Busy, ShuttingDown
from presspipe.api.submit import DocumentFailed
from presspipe.errors import PresspipeError, echo
from presspipe.store import InvalidQuery, StoreError

log = logging.getLogger(__name__)


METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
"""The methods an ``Allow`` header may name (the routes take no others)."""
HTTP_CODES = {404: "not_found", 405: "method_not_allowed"}
"""The codes of the errors Starlette raises itself (no route for the path, or for the method)."""


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        details: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ):
        self.status = status
        self.code = code
        self.message = message
        self.details = details or []
        self.headers = headers or {}
        super().__init__(message)


def error_response(
    status: int, code: str, message: str, details: list[dict[str, Any]] | None = None
) -> JSONResponse:
    return JSONResponse(
        {"error": {"code": code, "message": message, "details": details or []}}, status_code=status
    )


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    descriptions = {
        400: "the body is not valid JSON or not valid UTF-8",
        401: "a bearer token is needed, or the one given is wrong",
        404: "no such resource (document, batch or pipeline)",
        413: "the body is larger than the configured limit",
        415: "the body's media type or charset is not one this endpoint reads",
        422: "a parameter or the body is invalid, or the pipeline failed the document",
        429: "too much is waiting to be processed: try again after Retry-After seconds",
        503: "the store does not answer, the pipeline's model is not installed, or the server is stopping",
    }
    return {status: {"model": ErrorOut, "description": descriptions[status]} for status in statuses}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(request: Request, error: ApiError) -> Response:
        response = error_response(error.status, error.code, error.message, error.details)
        response.headers.update(error.headers)
        return response

    @app.exception_handler(UnknownPipeline)
    async def unknown_pipeline(request: Request, error: UnknownPipeline) -> Response:
        # A pipeline is a resource, whether the path or ?pipeline= names it: 404 either way.
        return error_response(404, "unknown_pipeline", str(error))

    @app.exception_handler(DocumentFailed)
    async def document_failed(request: Request, error: DocumentFailed) -> Response:
        return error_response(422, "document_failed", str(error), list(error.document["errors"]))

    @app.exception_handler(Busy)
    async def busy(request: Request, error: Busy) -> Response:
        response = error_response(429, "busy", str(error))
        response.headers["Retry-After"] = str(error.retry_after)
        return response

    @app.exception_handler(ShuttingDown)
    async def shutting_down(request: Request, error: ShuttingDown) -> Response:
        return error_response(503, "shutting_down", f"{error}: submit it again")

    @app.exception_handler(InvalidQuery)
    async def invalid_query(request: Request, error: InvalidQuery) -> Response:
        return error_response(422, "invalid_query", str(error))

    @app.exception_handler(PresspipeError)
    async def presspipe_error(request: Request, error: PresspipeError) -> Response:
        # Raised while building a pipeline's steps (a model not installed): the server's to fix.
        return error_response(503, "pipeline_unavailable", str(error))

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
        code = "invalid_body" if first["loc"][:1] == ["body"] else "invalid_parameter"
        return error_response(422, code, f"{where}: {first['message']}", details)

    @app.exception_handler(ClientDisconnect)
    async def client_gone(request: Request, error: ClientDisconnect) -> Response:
        # The client left, or its body was cut off at the server's body timeout (already
        # answered 408): what is returned here goes nowhere, and nothing is logged as a bug.
        return Response(status_code=499)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        message, headers = str(error.detail), dict(error.headers or {})
        if error.status_code == 405:
            headers["Allow"] = ", ".join(allowed_methods(request))
            message = f"this path does not take {echo(request.method)}; it takes {headers['Allow']}"
        response = error_response(error.status_code, HTTP_CODES.get(error.status_code, "http_error"), message)
        response.headers.update(headers)
        return response


def allowed_methods(request: Request) -> list[str]:
    """Every method some route takes at the request's path: Starlette's own ``Allow`` names the
    first route's only (``GET`` where another route of the path takes ``POST``)."""
    routes = request.app.router.routes
    return [
        method
        for method in METHODS
        if any(route.matches({**request.scope, "method": method})[0] is Match.FULL for route in routes)
    ]
