"""What the store hands back and takes: errors, filters, listings, write results, batches."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any


class StoreError(Exception):
    """The store cannot be opened or used as asked (bad URL, newer schema, missing driver)."""


class InvalidQuery(ValueError):
    """A filter, cursor or key the store cannot look up (NUL characters, a bad cursor, no words)."""


@dataclass(frozen=True)
class Filters:
    """What ``list_documents``, ``iter_documents`` and ``count`` select. Empty fields select all."""

    pipeline: str | None = None
    entity: str | None = None
    """Documents with an entity of this name (canonical name or any mention), any case."""
    speaker: str | None = None
    """Documents with a quote whose speaker has this name (as written, or the entity's names)."""
    q: str | None = None
    """Words that must all occur in the title or text (whole words, any case)."""
    published_from: date | datetime | None = None
    """Published at or after this (a date means its start)."""
    published_to: date | datetime | None = None
    """Published at or before this (a date means the whole day)."""
    copies: bool = True
    """False: leave out near-copies of earlier documents (``copy_of`` set), keeping originals."""
    undated: bool = False
    """True: only documents with no publication date (what a timeline cannot place)."""


@dataclass(frozen=True)
class StoredSummary:
    """One document in a listing: what a list or index page shows, without the body."""

    id: str
    pipeline: str
    pipeline_sha256: str
    title: str | None
    published: str | None
    uri: str | None
    summary: str | None
    entity_count: int
    quote_count: int
    stored_at: str
    copy_of: str | None = None
    """The id of the original this document is a near-copy of (see ``store.copies``), or None."""


@dataclass(frozen=True)
class CopyMember:
    id: str
    pipeline: str
    title: str | None
    outlet: str | None
    uri: str | None


@dataclass(frozen=True)
class Copies:
    """A document's group of near-copies: its original and every copy, oldest first."""

    copy_of: str | None
    """The original's id when this document is a copy."""
    size: int
    """Documents in the group: the original and its copies."""
    members: list[CopyMember]
    """The whole group, the original first (this document among them); one member: no copies."""


@dataclass(frozen=True)
class Page:
    items: list[StoredSummary]
    next_cursor: str | None
    offset: int = 0
    """How many selected documents come before this page (``locate=True`` only)."""
    previous_cursor: str | None = None
    """The cursor of the page before (``locate=True`` only; None too when that page is the first)."""


@dataclass(frozen=True)
class PutResult:
    id: str
    pipeline: str
    created: bool
    """False when the same content from the same pipeline was already stored (nothing written)."""
    problem: str | None = None
    """Why the document was not stored (``put_many(..., skip_invalid=True)`` only)."""


@dataclass
class IngestCounts:
    stored: int = 0
    unchanged: int = 0
    skipped: list[str] = field(default_factory=list)
    """Why each document that was not stored was skipped (failed, no provenance, ...)."""


@dataclass(frozen=True)
class Batch:
    id: str
    pipeline: str
    status: str
    total: int
    processed: int
    failed: int
    created_at: str
    updated_at: str
    finished_at: str | None
    results: list[dict[str, Any]]


def now() -> str:
    """The current UTC time as the store writes it (sortable, microseconds)."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
