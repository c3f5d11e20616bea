"""The document: plain JSON (``dict``) that every step reads and extends.

``schemas/document.schema.json`` is its contract; ``presspipe.validate`` checks it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from presspipe.given_dates import dates_problem, normalised_dates

SCHEMA_VERSION = 1

Document = dict[str, Any]
"""A document is a plain ``dict`` that serialises to JSON as it is."""


def new_document(
    *,
    text: str | None = None,
    html: str | None = None,
    id: str | None = None,
    uri: str | None = None,
    meta: dict[str, Any] | None = None,
) -> Document:
    """A raw document, as a source hands it to the first step.

    Exactly one of ``text`` and ``html`` is given. HTML waits in the ``html`` key until a
    step that reads it (``clean.html``) turns it into ``text``; the runner fails an HTML
    document whose pipeline has no such step.
    """
    if (text is None) == (html is None):
        raise ValueError("a document is made from exactly one of text and html")
    raw = text if text is not None else html
    assert raw is not None
    digest = hashlib.sha256(raw.encode("utf-8")).hexdigest()
    document: Document = {
        "schema_version": SCHEMA_VERSION,
        "id": id if id is not None else digest[:16],
        "source": {
            "uri": uri,
            "media_type": "text/plain" if text is not None else "text/html",
            "sha256": digest,
        },
        "meta": dict(meta or {}),
        "text": text if text is not None else "",
        "errors": [],
    }
    if html is not None:
        document["html"] = html
    return document


RECORD_FIELDS = ("text", "html", "id", "meta", "uri")
"""What an input record holds (a JSONL line, a dict given to ``presspipe.load(...)(record)``)."""


def not_fields(names: list[str]) -> str:
    """``'title' is not a field``, ``'content' and 'title' are not fields``."""
    listed = " and ".join(", ".join(map(repr, names)).rsplit(", ", 1))
    return f"{listed} {'is not a field' if len(names) == 1 else 'are not fields'}"


def record_problem(record: object) -> str | None:
    """Why ``record`` cannot become a raw document (``None``: it can), in a user's words."""
    if not isinstance(record, Mapping):
        return "a record must be an object with a 'text' or an 'html' field"
    unknown = sorted(set(record) - set(RECORD_FIELDS))
    if unknown:
        return f"{not_fields(unknown)} (fields: {', '.join(RECORD_FIELDS)}; a title goes in meta)"
    if ("text" in record) == ("html" in record):
        return "give exactly one of 'text' and 'html'"
    body = record.get("text", record.get("html"))
    if not isinstance(body, str) or not body.strip():
        return "'text' or 'html' must be a non-empty string"
    for field, kind in (("id", str), ("uri", str), ("meta", dict)):
        if field in record and not isinstance(record[field], kind):
            return f"'{field}' must be a{'n object' if kind is dict else ' string'}"
    for field, value in record.items():
        try:  # JSON's \ud800-\udfff escapes decode to lone surrogates, which no UTF-8 can hold
            json.dumps(value, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError as error:
            return f"'{field}' holds {error.object[error.start : error.end]!r}, a lone surrogate (not valid Unicode)"
    return dates_problem(record.get("meta"))


def document_from_record(record: Mapping[str, Any], uri: str | None = None) -> Document:
    """The raw document of a record that ``record_problem`` passed; ``uri`` when it has none.
    Its ``meta`` dates are normalised (``presspipe.given_dates``)."""
    return new_document(
        text=record.get("text"),
        html=record.get("html"),
        id=record.get("id"),
        meta=normalised_dates(record.get("meta")),
        uri=record.get("uri", uri),
    )


def is_failed(document: Document) -> bool:
    """Whether a step has failed this document (later steps leave it alone)."""
    return bool(document.get("errors"))


def fail(document: Document, step: str | None, code: str, message: str) -> dict[str, Any]:
    """Record why ``document`` failed (``step`` None: outside any step) and return the entry."""
    error = {"step": step, "code": code, "message": message}
    document.setdefault("errors", []).append(error)
    return error


DROPPED = "dropped"
"""The error code of a document a step left out on purpose (a language the pipeline does not keep)."""


def drop(document: Document, step: str, message: str) -> dict[str, Any]:
    """Leave ``document`` out of the run's output on purpose, saying why.

    It is recorded as an error with code ``dropped``, so later steps skip it and the service
    does not store it; ``presspipe run`` counts it apart from failures and does not write it.
    Dropping twice (a step re-run) records it once.
    """
    entry = {"step": step, "code": DROPPED, "message": message}
    if entry not in document.setdefault("errors", []):
        document["errors"].append(entry)
    return entry


def is_dropped(document: Document) -> bool:
    """Whether a step left the document out on purpose (see ``drop``)."""
    errors = document.get("errors") or []
    return bool(errors) and all(isinstance(e, dict) and e.get("code") == DROPPED for e in errors)


def error_messages(document: Document) -> list[str]:
    """Each of the document's errors as ``"step: message"`` (``check`` for the output check)."""
    return [
        f"{error.get('step') or 'check'}: {error.get('message')}"
        for error in document.get("errors") or []
        if isinstance(error, dict)
    ]
