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
from presspipe.store.packing import pack
from presspipe.store.records import InvalidQuery, StoredSummary, now
from presspipe.store.search import SEARCH_CHARS

MAX_ID_CHARS = 1_000
MAX_TITLE_CHARS = 2_000
MAX_META_CHARS = 100_000
"""Larger ids, titles and meta (as JSON) are refused: the store and its pages are for articles."""
MAX_NAME_CHARS = 300
"""Entity and speaker names are compared on their first this many characters."""

DOCUMENT_COLUMNS = (
    "id, pipeline, pipeline_sha256, content_sha256, title, published, uri, summary, "
    "entity_count, quote_count, stored_at, body, packed"
)
DOCUMENT_MARKS = ", ".join("?" for _ in DOCUMENT_COLUMNS.split(", "))
"""A placeholder per column of ``DOCUMENT_COLUMNS``."""
DOCUMENT_ASSIGNMENTS = ", ".join(f"{column} = ?" for column in DOCUMENT_COLUMNS.split(", "))
"""``DOCUMENT_COLUMNS`` as an UPDATE's SET list, in the same order."""
SUMMARY_COLUMNS = (
    "seq, id, pipeline, pipeline_sha256, title, published, uri, summary, entity_count, quote_count, stored_at, "
    "(SELECT o.id FROM pp_documents AS o WHERE o.seq = pp_documents.copy_of) AS copy_of"
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
    """The document's JSON (stored packed, see ``packing``)."""
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
            "",  # the JSON is packed (``packing``)
            pack(self.body),
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
        copy_of=row[11],
    )


def ingest_problem(document: Any) -> str | None:
    """Why a processed document cannot be stored, or None (every way in to the store checks this)."""
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
    return _id_problem(document["id"]) or _meta_problem(document.get("meta"))


def _id_problem(id: str) -> str | None:
    if "/" in id:
        return f"id {id[:100]!r} holds a '/', which no URL of the API could reach; choose another id"
    if len(id) > MAX_ID_CHARS:
        return f"id of {len(id):,} characters; at most {MAX_ID_CHARS:,}"
    return None


def _meta_problem(meta: Any) -> str | None:
    if meta is None:
        return None
    if not isinstance(meta, dict):
        return "meta is not an object"
    title = meta.get("title")
    if isinstance(title, str) and len(title) > MAX_TITLE_CHARS:
        return f"meta.title of {len(title):,} characters; at most {MAX_TITLE_CHARS:,}"
    size = len(json.dumps(meta, ensure_ascii=False))
    if size > MAX_META_CHARS:
        return f"meta of {size:,} characters (as JSON); at most {MAX_META_CHARS:,}"
    published = meta.get("published")
    if isinstance(published, str):
        try:
            _parsed_published(published)
        except OverflowError:
            return f"meta.published {published[:40]!r} is out of range (years 1 to 9999 in UTC)"
    return None


def normalise_name(name: str) -> str:
    """How entity and speaker names are compared: whitespace collapsed, case folded, curly
    apostrophes straight, cut at ``MAX_NAME_CHARS`` (a PostgreSQL index entry has a size limit)."""
    return " ".join(name[: 4 * MAX_NAME_CHARS].replace("\u2019", "'").split()).casefold()[:MAX_NAME_CHARS]


def normalise_published(value: Any) -> str | None:
    """``meta.published`` as sortable ``YYYY-MM-DDTHH:MM:SS`` (UTC when it has a zone), or None
    (not a date, or out of range in UTC: ``ingest_problem`` refuses the latter)."""
    if not isinstance(value, str):
        return None
    try:
        parsed = _parsed_published(value)
    except OverflowError:
        return None
    return parsed.strftime("%Y-%m-%dT%H:%M:%S") if parsed is not None else None


def _parsed_published(value: str) -> datetime | None:
    """A naive UTC datetime, or None (not a date); ``OverflowError`` when out of range in UTC
    (``0001-01-01T00:00:00+01:00``)."""
    if not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        try:
            parsed = datetime.combine(date.fromisoformat(value.strip()[:10]), datetime.min.time())
        except ValueError:
            return None
    return utc_naive(parsed)


def utc_naive(value: datetime) -> datetime:
    """``value`` in UTC without its zone; ``OverflowError`` when UTC has no such time."""
    if value.tzinfo is None:
        return value
    return value.astimezone(UTC).replace(tzinfo=None)


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
