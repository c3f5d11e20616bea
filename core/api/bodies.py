"""Reading request bodies: size limits, UTF-8, JSON, media types, and raw documents from them.

Every problem is an ``ApiError`` that names what is wrong and where (``documents.3.text``).
"""

from __future__ import annotations

import codecs
import json
import math
import zlib
from typing import Any

from fastapi import Request
from pydantic import ValidationError

from presspipe.api.errors import ApiError
from presspipe.api.models import DocumentIn
from presspipe.document import Document, new_document
from presspipe.errors import echo
from presspipe.given_dates import GivenDateError, normalised_dates
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
    return _decoded(request.headers.get("content-encoding", ""), b"".join(chunks), limit)


def _decoded(encoding: str, body: bytes, limit: int) -> bytes:
    """The body without its ``Content-Encoding`` (gzip), held to ``limit`` bytes once decoded."""
    coding = encoding.strip().lower()
    if coding in ("", "identity"):
        return body
    if coding not in ("gzip", "x-gzip"):
        raise ApiError(
            415, "unsupported_encoding", f"Content-Encoding '{encoding}' is not read: send gzip or none"
        )
    inflate = zlib.decompressobj(wbits=31)
    try:
        data = inflate.decompress(body, limit + 1)
    except zlib.error as error:
        raise ApiError(400, "invalid_encoding", f"the body is not valid gzip: {error}") from None
    if len(data) > limit or inflate.unconsumed_tail:
        raise _too_large(limit)
    return data


def _too_large(limit: int) -> ApiError:
    return ApiError(413, "body_too_large", f"the body is larger than this server's limit of {limit} bytes")


NOT_CHARSETS = frozenset({"punycode", "idna", "unicode-escape", "raw-unicode-escape", "undefined"})
"""Python codecs that decode bytes to text but are no charset a body is written in (host names,
Python literals, a codec that always fails). Codecs from bytes to bytes (``base64``, ``zlib``,
``rot13``, ...) are refused as well: Python marks them as no text encoding."""


def decode(body: bytes, charset: str = "utf-8") -> str:
    """The body as text, in the charset its Content-Type names (UTF-8 when it names none)."""
    try:
        found = codecs.lookup(charset)
    except LookupError:
        raise ApiError(415, "unsupported_charset", f"unknown charset '{charset[:100]}': send UTF-8") from None
    if not found._is_text_encoding or found.name in NOT_CHARSETS:
        raise ApiError(
            415, "unsupported_charset", f"'{charset[:100]}' is a Python codec, not a charset: send UTF-8"
        )
    try:
        return body.decode(found.name)
    except UnicodeDecodeError as error:
        raise ApiError(
            400,
            "invalid_encoding",
            f"the body is not valid {charset} (byte {error.start}: {body[error.start : error.start + 1]!r})",
        ) from None


def content_type(request: Request, reads: str) -> tuple[str, str]:
    """The body's media type (lower case) and charset; a 415 naming what ``reads`` when it has none.

    A body with no Content-Type is refused rather than guessed at.
    """
    header = request.headers.get("content-type")
    if header is None:
        raise ApiError(415, "unsupported_media_type", f"the request has no Content-Type: send {reads}")
    media, _, parameters = header.partition(";")
    charset = "utf-8"
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip('"')
    return media.strip().lower(), charset


def is_json(media: str) -> bool:
    return media == "application/json" or media.endswith("+json")


class _Unstorable(ValueError):
    """A JSON value that no JSON can hold again (``NaN``, ``1e999``) or Python cannot read."""


def _constant(name: str) -> Any:
    raise _Unstorable(f"{name} is not a JSON number")


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Unstorable(f"the number {text[:40]} is out of range (it would be stored as Infinity)")
    return value


def _int(text: str) -> int:
    if len(text) > MAX_INT_DIGITS:
        raise _Unstorable(f"an integer of {len(text):,} digits (at most {MAX_INT_DIGITS:,})")
    return int(text)


MAX_INT_DIGITS = 4300
"""The longest integer a body may hold, in digits: Python's own limit for reading one."""


def parse_json(body: bytes, charset: str = "utf-8") -> Any:
    """The body's JSON value. Values JSON has no spelling for (``NaN``, ``Infinity``, a number
    past a float's range) and integers over ``MAX_INT_DIGITS`` digits are a 422: stored, they
    would be served back as text that is not JSON, or not be read at all."""
    text = decode(body, charset)
    try:
        return json.loads(text, parse_constant=_constant, parse_float=_float, parse_int=_int)
    except _Unstorable as error:
        raise ApiError(422, "invalid_number", f"the body holds a value no JSON can carry: {error}") from None
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
        {
            "loc": [*prefix, *(echo(p) if isinstance(p, str) else p for p in e["loc"])],
            "message": _message(e),
            "type": e["type"],
        }
        for e in error.errors(include_url=False)
    ]
    first = details[0]
    where = ".".join(str(p) for p in first["loc"][1:]) or "the body"
    code = "empty_text" if "empty" in first["message"] else "invalid_body"
    return ApiError(422, code, f"{where}: {first['message']}", details)


def _message(error: Any) -> str:
    if error["type"] == "extra_forbidden":
        return "unknown field"
    return str(error["msg"]).removeprefix("Value error, ")


def _checked_text(value: str, where: str) -> None:
    problem = text_problem(value)
    if problem:
        raise ApiError(422, "invalid_body", f"{where} {problem}")


MAX_META_DEPTH = 32
"""How deeply ``meta`` may nest objects and arrays (``{"a": {"b": 1}}`` is 2 levels). Deeper, a
document is refused before it is processed: Python's recursion (copying, pickling it to a
worker, checking it against the schema) gives out near 1,000 levels, and no metadata needs 32."""


def _depth(value: Any) -> int:
    """How deeply ``value`` nests objects and arrays (0 for a scalar), read without recursion."""
    deepest = 0
    pending = [(value, 0)]
    while pending:
        item, level = pending.pop()
        if isinstance(item, dict | list):
            level += 1
            deepest = max(deepest, level)
            if level > MAX_META_DEPTH:
                return level
            pending.extend((child, level) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def raw_document(item: DocumentIn, where: str = "body") -> Document:
    for name in ("text", "html", "id", "uri"):
        value = getattr(item, name)
        if value is not None:
            _checked_text(value, f"{where}.{name}")
    if item.meta is not None:
        if _depth(item.meta) > MAX_META_DEPTH:
            raise ApiError(
                422, "too_deep", f"{where}.meta nests objects and arrays deeper than {MAX_META_DEPTH} levels"
            )
        _checked_text(json.dumps(item.meta, ensure_ascii=False), f"{where}.meta")
    try:
        meta = normalised_dates(item.meta)
    except GivenDateError as error:
        raise ApiError(422, "invalid_date", f"{where}.{error}") from None
    return new_document(text=item.text, html=item.html, id=item.id, uri=item.uri, meta=meta)


DOCUMENT_MEDIA_TYPES = "application/json, text/plain or text/html"


def document_from_request(request: Request, body: bytes) -> Document:
    media, charset = content_type(request, DOCUMENT_MEDIA_TYPES)
    if media in ("text/plain", "text/html"):
        text = decode(body, charset)
        if not text.strip():
            raise ApiError(422, "empty_text", "the body is empty (only whitespace): send the article's text")
        _checked_text(text, "the body")
        return new_document(text=text) if media == "text/plain" else new_document(html=text)
    if not is_json(media):
        raise ApiError(415, "unsupported_media_type", f"send {DOCUMENT_MEDIA_TYPES}, not '{media}'")
    data = parse_json(body, charset)
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
