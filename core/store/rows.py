"""A document as the store keeps it: its columns, the names it is found by, and the checks before.

``Row.of(document)`` is the one place a document becomes a row; ``summary_of(row)`` the one
place a listing row becomes a ``StoredSummary``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from presspipe.document import Document, error_messages
from presspipe.store.records import InvalidQuery, StoredSummary, now

SEARCH_CHARS = 100_000
"""Characters of a document's text that the full-text index covers (tsvector caps its size)."""

DOCUMENT_COLUMNS = (
    "id, pipeline, pipeline_sha256, content_sha256, title, published, uri, summary, "
    "entity_count, quote_count, stored_at, body"
)
SUMMARY_COLUMNS = (
    "seq, id, pipeline, pipeline_sha256, title, published, uri, summary, entity_count, quote_count, stored_at"
)


@dataclass(frozen=True)
class Row:
    """What a document is stored as: its columns and the names it is found by."""

    id: str
    pipeline: str
    pipeline_sha256: str
    content_sha256: str
    title: str | None
    published: str | None
    uri: str | None
    summary: str | None
    entity_count: int
    quote_count: int
    body: str
    text: str
    entity_names: frozenset[str]
    speaker_names: frozenset[str]

    @classmethod
    def of(cls, document: Document) -> Row:
        problem = ingest_problem(document)
        if problem:
            raise InvalidQuery(f"document {document.get('id')!r} cannot be stored: {problem}")
        body = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
        checked(body, "document")
        meta = document.get("meta") or {}
        entities = [e for e in document.get("entities") or [] if isinstance(e, dict)]
        by_id = {e.get("id"): e for e in entities}
        entity_names = set()
        for entity in entities:
            entity_names.update(_entity_names(entity))
        speaker_names = set()
        for quote in document.get("quotes") or []:
            speaker = quote.get("speaker") if isinstance(quote, dict) else None
            if not isinstance(speaker, dict):
                continue
            if isinstance(speaker.get("text"), str):
                speaker_names.add(normalise_name(speaker["text"]))
            if speaker.get("entity") in by_id:
                speaker_names.update(_entity_names(by_id[speaker["entity"]]))
        summary = document.get("summary")
        provenance = document["provenance"]["pipeline"]
        return cls(
            id=document["id"],
            pipeline=provenance["name"],
            pipeline_sha256=provenance["sha256"],
            content_sha256=document["source"]["sha256"],
            title=meta.get("title") if isinstance(meta.get("title"), str) else None,
            published=normalise_published(meta.get("published")),
            uri=document["source"].get("uri"),
            summary=summary.get("text") if isinstance(summary, dict) else None,
            entity_count=len(entities),
            quote_count=len(document.get("quotes") or []),
            body=body,
            text=document["text"][:SEARCH_CHARS],
            entity_names=frozenset(n for n in entity_names if n),
            speaker_names=frozenset(n for n in speaker_names if n),
        )

    def columns(self) -> tuple[Any, ...]:
        """The values of ``DOCUMENT_COLUMNS``, in order."""
        return (
            self.id,
            self.pipeline,
            self.pipeline_sha256,
            self.content_sha256,
            self.title,
            self.published,
            self.uri,
            self.summary,
            self.entity_count,
            self.quote_count,
            now(),
            self.body,
        )


def summary_of(row: Sequence[Any]) -> StoredSummary:
    """A ``SUMMARY_COLUMNS`` row as a ``StoredSummary``."""
    return StoredSummary(
        id=row[1],
        pipeline=row[2],
        pipeline_sha256=row[3],
        title=row[4],
        published=row[5],
        uri=row[6],
        summary=row[7],
        entity_count=int(row[8]),
        quote_count=int(row[9]),
        stored_at=row[10],
    )


def ingest_problem(document: Any) -> str | None:
    """Why a processed document cannot be ingested, or None."""
    if not isinstance(document, dict):
        return "not a JSON object"
    if document.get("errors"):
        return "failed in processing: " + "; ".join(error_messages(document))
    pipeline = (document.get("provenance") or {}).get("pipeline") or {}
    if not isinstance(pipeline.get("name"), str) or not isinstance(pipeline.get("sha256"), str):
        return "no provenance.pipeline name and sha256: not a document processed by presspipe"
    if not isinstance(document.get("id"), str) or not isinstance(document.get("text"), str):
        return "no string 'id' and 'text'"
    if not isinstance((document.get("source") or {}).get("sha256"), str):
        return "no source.sha256"
    return None


def normalise_name(name: str) -> str:
    """How entity and speaker names are compared: whitespace collapsed, case folded, curly apostrophes straight."""
    return " ".join(name.replace("\u2019", "'").split()).casefold()


def normalise_published(value: Any) -> str | None:
    """``meta.published`` as sortable ``YYYY-MM-DDTHH:MM:SS`` (UTC when it has a zone), or None."""
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        try:
            parsed = datetime.combine(date.fromisoformat(value.strip()[:10]), datetime.min.time())
        except ValueError:
            return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed.strftime("%Y-%m-%dT%H:%M:%S")


def text_problem(value: str) -> str | None:
    """What no database can store or look up in ``value`` (a NUL character, a lone surrogate), or None."""
    if "\x00" in value:
        return "contains a NUL character"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "is not valid Unicode (a lone surrogate)"
    return None


def checked(value: str, name: str) -> str:
    """``value``, or ``InvalidQuery`` naming ``name`` when it has a ``text_problem``."""
    problem = text_problem(value)
    if problem:
        raise InvalidQuery(f"'{name}' {problem}")
    return value


def check_key(id: str, pipeline: str | None) -> None:
    """Refuse an id or pipeline name that no database can look up."""
    checked(id, "id")
    if pipeline is not None:
        checked(pipeline, "pipeline")


def _entity_names(entity: dict[str, Any]) -> set[str]:
    names = {normalise_name(entity["name"])} if isinstance(entity.get("name"), str) else set()
    for mention in entity.get("mentions") or []:
        if isinstance(mention, dict) and isinstance(mention.get("text"), str):
            names.add(normalise_name(mention["text"]))
    return names
