"""Reading request bodies: size limits, UTF-8, JSON, media types, and raw documents from them.

Every problem is an ``ApiError`` that names what is wrong and where (``documents.3.text``).
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request
from pydantic import ValidationError

from presspipe.api.errors import ApiError
from presspipe.api.models import DocumentIn
from presspipe.document import Document, new_document
from presspipe.store import text_problem


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


def decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ApiError(
            400,
            "invalid_utf8",
            f"the body is not valid UTF-8 (byte {error.start}: {body[error.start : error.start + 1]!r})",
        ) from None


def media_type(request: Request) -> str:
    return request.headers.get("content-type", "application/json").split(";")[0].strip().lower()


def is_json(media: str) -> bool:
    return media == "application/json" or media.endswith("+json")


def parse_json(body: bytes) -> Any:
    text = decode(body)
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


def validation_error(error: ValidationError, prefix: tuple[str | int, ...] = ("body",)) -> ApiError:
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


def document_from_request(request: Request, body: bytes) -> Document:
    media = media_type(request)
    if media in ("text/plain", "text/html"):
        text = decode(body)
        if not text.strip():
            raise ApiError(422, "empty_text", "the body is empty (only whitespace): send the article's text")
        _checked_text(text, "the body")
        return new_document(text=text) if media == "text/plain" else new_document(html=text)
    if not is_json(media):
        raise ApiError(
            415, "unsupported_media_type", f"send application/json, text/plain or text/html, not '{media}'"
        )
    data = parse_json(body)
    try:
        item = DocumentIn.model_validate(data)
    except ValidationError as error:
        raise validation_error(error) from None
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
