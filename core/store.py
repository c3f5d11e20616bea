"""The document store: processed documents kept in SQLite (default) or PostgreSQL.

``open_store(url)`` takes a file path or ``sqlite:///path`` (one file, WAL mode, no server)
or ``postgresql://...`` (many API processes and workers sharing one store; needs the
``postgres`` extra, psycopg 3). Both behave the same; ``tests/test_store.py`` runs every test
against both.

A document is stored under its id and its pipeline's name, with the pipeline's hash and the
hash of its raw content: storing the same content processed by the same pipeline again keeps
the stored one (``put`` says it was not created); a new hash (content or pipeline changed)
replaces it. Every write is one transaction, committed durably before ``put`` returns
(SQLite ``synchronous=FULL``), so a process killed at any point leaves every acknowledged
document readable and no half-written one.

Filters (pipeline, entity name, speaker, words of the text, published date range) use tables
of their own: entity and speaker names (canonical names and mention texts, case-folded) and a
full-text index (SQLite FTS5 and PostgreSQL ``tsvector``, both with no stemming, every word
must match). Listing pages are cursor-based (newest first, the cursor is opaque), and
``iter_documents`` streams any number of documents in constant memory.

Schema changes are numbered migrations (``MIGRATIONS``), applied in order when a store is
opened; a store written by a newer presspipe is refused rather than misread.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from presspipe.document import Document, error_messages

SCHEMA_VERSION = 1
"""The newest store schema this code writes (the last migration's number)."""

SEARCH_CHARS = 100_000
"""Characters of a document's text that the full-text index covers (tsvector caps its size)."""

PAGE_LIMIT_MAX = 500
WORD = re.compile(r"\w+", re.UNICODE)

# One list of statements per migration, in order, for each dialect. Never edit a shipped
# migration: add the next one.
_BATCHES_TABLE = """CREATE TABLE pp_batches (
    id TEXT PRIMARY KEY,
    pipeline TEXT NOT NULL,
    status TEXT NOT NULL,
    total INTEGER NOT NULL,
    processed INTEGER NOT NULL DEFAULT 0,
    failed INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    finished_at TEXT,
    results TEXT NOT NULL DEFAULT '[]'
)"""
"""The batches table, the same in both dialects."""

MIGRATIONS: dict[str, list[list[str]]] = {
    "sqlite": [
        [
            """CREATE TABLE pp_documents (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                id TEXT NOT NULL,
                pipeline TEXT NOT NULL,
                pipeline_sha256 TEXT NOT NULL,
                content_sha256 TEXT NOT NULL,
                title TEXT,
                published TEXT,
                uri TEXT,
                summary TEXT,
                entity_count INTEGER NOT NULL,
                quote_count INTEGER NOT NULL,
                stored_at TEXT NOT NULL,
                body TEXT NOT NULL,
                UNIQUE (id, pipeline)
            )""",
            "CREATE INDEX pp_documents_pipeline ON pp_documents (pipeline, seq)",
            "CREATE INDEX pp_documents_published ON pp_documents (published, seq)",
            """CREATE TABLE pp_entity_names (
                name TEXT NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY (name, doc)
            ) WITHOUT ROWID""",
            "CREATE INDEX pp_entity_names_doc ON pp_entity_names (doc)",
            """CREATE TABLE pp_speaker_names (
                name TEXT NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY (name, doc)
            ) WITHOUT ROWID""",
            "CREATE INDEX pp_speaker_names_doc ON pp_speaker_names (doc)",
            # Contentless: the text lives once, in the document body.
            """CREATE VIRTUAL TABLE pp_search USING fts5(
                title, text, content='', tokenize='unicode61 remove_diacritics 0'
            )""",
            _BATCHES_TABLE,
        ]
    ],
    "postgresql": [
        [
            """CREATE TABLE pp_documents (
                seq BIGSERIAL PRIMARY KEY,
                id TEXT NOT NULL,
                pipeline TEXT NOT NULL,
                pipeline_sha256 TEXT NOT NULL,
                content_sha256 TEXT NOT NULL,
                title TEXT,
                published TEXT COLLATE "C",
                uri TEXT,
                summary TEXT,
                entity_count INTEGER NOT NULL,
                quote_count INTEGER NOT NULL,
                stored_at TEXT NOT NULL,
                body TEXT NOT NULL,
                search TSVECTOR NOT NULL,
                UNIQUE (id, pipeline)
            )""",
            "CREATE INDEX pp_documents_pipeline ON pp_documents (pipeline, seq)",
            "CREATE INDEX pp_documents_published ON pp_documents (published, seq)",
            "CREATE INDEX pp_documents_search ON pp_documents USING GIN (search)",
            """CREATE TABLE pp_entity_names (
                name TEXT NOT NULL, doc BIGINT NOT NULL REFERENCES pp_documents (seq) ON DELETE CASCADE,
                PRIMARY KEY (name, doc)
            )""",
            "CREATE INDEX pp_entity_names_doc ON pp_entity_names (doc)",
            """CREATE TABLE pp_speaker_names (
                name TEXT NOT NULL, doc BIGINT NOT NULL REFERENCES pp_documents (seq) ON DELETE CASCADE,
                PRIMARY KEY (name, doc)
            )""",
            "CREATE INDEX pp_speaker_names_doc ON pp_speaker_names (doc)",
            _BATCHES_TABLE,
        ]
    ],
}

SUMMARY_COLUMNS = (
    "seq, id, pipeline, pipeline_sha256, title, published, uri, summary, entity_count, quote_count, stored_at"
)


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


@dataclass(frozen=True)
class Page:
    items: list[StoredSummary]
    next_cursor: str | None


@dataclass(frozen=True)
class PutResult:
    id: str
    pipeline: str
    created: bool
    """False when the same content from the same pipeline was already stored (nothing written)."""


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


class _Cursor(Protocol):
    """A write cursor: it takes ``?`` placeholders in every dialect (see ``_PgCursor``)."""

    def execute(self, sql: Any, params: Any = ...) -> Any: ...
    def fetchone(self) -> Any: ...
    def fetchall(self) -> list[Any]: ...


def open_store(url: str | Path) -> Store:
    """Open (creating and migrating as needed) the store at ``url``."""
    text = str(url)
    if text.startswith(("postgresql://", "postgres://")):
        return Store(_Postgres(text))
    if text.startswith("sqlite:///"):
        text = text.removeprefix("sqlite:///")
    elif "://" in text:
        raise StoreError(
            f"unknown store URL '{text}': give a file path, sqlite:///PATH or postgresql://USER@HOST/DB"
        )
    return Store(_SQLite(Path(text)))


class Store:
    """Documents, their filter indexes and batches, in one database."""

    def __init__(self, backend: _Backend) -> None:
        self._db = backend
        self.dialect = backend.dialect
        self._migrate()

    # ------------------------------------------------------------------ lifecycle

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def schema_version(self) -> int:
        row = self._db.query_one("SELECT MAX(version) FROM pp_migrations")
        return int(row[0] or 0)

    def _migrate(self) -> None:
        migrations = MIGRATIONS[self.dialect]
        with self._db.write() as cur:
            self._db.lock_migrations(cur)
            cur.execute(
                "CREATE TABLE IF NOT EXISTS pp_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
            )
            cur.execute("SELECT MAX(version) FROM pp_migrations")
            current = int(cur.fetchone()[0] or 0)
            if current > len(migrations):
                raise StoreError(
                    f"the store is at schema version {current}, newer than this presspipe knows "
                    f"({len(migrations)}); upgrade presspipe"
                )
            for version, statements in enumerate(migrations, start=1):
                if version <= current:
                    continue
                for statement in statements:
                    cur.execute(statement)
                cur.execute(
                    "INSERT INTO pp_migrations (version, applied_at) VALUES (?, ?)", (version, _now())
                )

    # ------------------------------------------------------------------ documents

    def get_json(self, id: str, pipeline: str | None = None) -> str | None:
        """The stored document's JSON text (the newest one when several pipelines hold ``id``)."""
        _check_key(id, pipeline)
        if pipeline is None:
            row = self._db.query_one(
                "SELECT body FROM pp_documents WHERE id = ? ORDER BY seq DESC LIMIT 1", (id,)
            )
        else:
            row = self._db.query_one(
                "SELECT body FROM pp_documents WHERE id = ? AND pipeline = ?", (id, pipeline)
            )
        return None if row is None else str(row[0])

    def get(self, id: str, pipeline: str | None = None) -> Document | None:
        body = self.get_json(id, pipeline)
        return None if body is None else dict(json.loads(body))

    def find(self, id: str, pipeline: str, pipeline_sha256: str, content_sha256: str) -> Document | None:
        """The stored document if ``id`` was processed from the same content by the same pipeline."""
        _check_key(id, pipeline)
        row = self._db.query_one(
            "SELECT body FROM pp_documents WHERE id = ? AND pipeline = ? AND pipeline_sha256 = ? "
            "AND content_sha256 = ?",
            (id, pipeline, pipeline_sha256, content_sha256),
        )
        return None if row is None else dict(json.loads(row[0]))

    def put(self, document: Document) -> PutResult:
        """Store one processed document durably (one transaction). See the module docstring."""
        return self.put_many([document])[0]

    def put_many(self, documents: Sequence[Document]) -> list[PutResult]:
        """Store documents in one transaction: all of them or, if the process dies, none."""
        rows = [_Row.of(document) for document in documents]
        results = []
        with self._db.write() as cur:
            for row in rows:
                results.append(self._put(cur, row))
        return results

    def _put(self, cur: _Cursor, row: _Row) -> PutResult:
        self._db.lock_key(cur, f"{row.pipeline}\x1f{row.id}")
        cur.execute(
            "SELECT seq, pipeline_sha256, content_sha256, title, body FROM pp_documents WHERE id = ? AND pipeline = ?",
            (row.id, row.pipeline),
        )
        old = cur.fetchone()
        if old is not None:
            if (old[1], old[2]) == (row.pipeline_sha256, row.content_sha256):
                return PutResult(row.id, row.pipeline, created=False)
            self._remove(cur, int(old[0]), old[3], old[4])
        seq = self._db.insert_document(cur, row)
        for table, names in (("pp_entity_names", row.entity_names), ("pp_speaker_names", row.speaker_names)):
            for name in names:
                cur.execute(f"INSERT INTO {table} (name, doc) VALUES (?, ?)", (name, seq))
        self._db.index_search(cur, seq, row.title, row.text)
        return PutResult(row.id, row.pipeline, created=True)

    def ingest(self, documents: Iterable[Document], chunk: int = 500) -> IngestCounts:
        """Store already-processed documents (``presspipe run`` output), keyed by their provenance.

        Failed documents and documents without provenance are skipped and named in the counts.
        Commits every ``chunk`` documents.
        """
        counts = IngestCounts()
        pending: list[Document] = []

        def flush() -> None:
            for result in self.put_many(pending):
                if result.created:
                    counts.stored += 1
                else:
                    counts.unchanged += 1
            pending.clear()

        for document in documents:
            problem = ingest_problem(document)
            if problem:
                counts.skipped.append(
                    f"{document.get('id', '?') if isinstance(document, dict) else '?'}: {problem}"
                )
                continue
            pending.append(document)
            if len(pending) >= chunk:
                flush()
        if pending:
            flush()
        return counts

    def ingest_jsonl(self, path: Path) -> IngestCounts:
        """``ingest`` the documents of a JSONL file, one per line; bad lines are skipped and named."""
        counts = IngestCounts()

        def documents() -> Iterator[Document]:
            with path.open(encoding="utf-8") as lines:
                for number, line in enumerate(lines, start=1):
                    if not line.strip():
                        continue
                    try:
                        record = json.loads(line)
                    except ValueError as error:
                        counts.skipped.append(f"{path}:{number}: invalid JSON: {error}")
                        continue
                    if not isinstance(record, dict):
                        counts.skipped.append(f"{path}:{number}: not a JSON object")
                        continue
                    yield record

        found = self.ingest(documents())
        counts.stored, counts.unchanged = found.stored, found.unchanged
        counts.skipped.extend(found.skipped)
        return counts

    def delete(self, id: str, pipeline: str) -> bool:
        _check_key(id, pipeline)
        with self._db.write() as cur:
            cur.execute(
                "SELECT seq, title, body FROM pp_documents WHERE id = ? AND pipeline = ?", (id, pipeline)
            )
            old = cur.fetchone()
            if old is None:
                return False
            self._remove(cur, int(old[0]), old[1], old[2])
        return True

    def _remove(self, cur: _Cursor, seq: int, title: str | None, body: str) -> None:
        """Delete the stored document ``seq``: its search entry, its names, its row."""
        self._db.unindex_search(cur, seq, title, json.loads(body).get("text") or "")
        for table in ("pp_entity_names", "pp_speaker_names"):
            cur.execute(f"DELETE FROM {table} WHERE doc = ?", (seq,))
        cur.execute("DELETE FROM pp_documents WHERE seq = ?", (seq,))

    # ------------------------------------------------------------------ queries

    def list_documents(self, filters: Filters, limit: int = 20, cursor: str | None = None) -> Page:
        """One page of documents, newest first; ``next_cursor`` fetches the next page."""
        if not 1 <= limit <= PAGE_LIMIT_MAX:
            raise InvalidQuery(f"limit must be between 1 and {PAGE_LIMIT_MAX}")
        where, params, order = self._where(filters, decode_cursor(cursor) if cursor else None)
        rows = self._db.query(
            f"SELECT {SUMMARY_COLUMNS}{where} ORDER BY {order} DESC LIMIT ?",
            (*params, limit + 1),
        )
        items = [_summary(row) for row in rows[:limit]]
        next_cursor = encode_cursor(int(rows[limit - 1][0])) if len(rows) > limit else None
        return Page(items, next_cursor)

    def count(self, filters: Filters | None = None) -> int:
        where, params, _ = self._where(filters or Filters(), None)
        row = self._db.query_one(f"SELECT COUNT(*){where}", params)
        return int(row[0])

    def iter_documents(self, filters: Filters | None = None, page_size: int = 200) -> Iterator[Document]:
        """Every selected document, newest first, read ``page_size`` at a time (constant memory)."""
        before: int | None = None
        filters = filters or Filters()
        while True:
            where, params, order = self._where(filters, before)
            rows = self._db.query(
                f"SELECT seq, body{where} ORDER BY {order} DESC LIMIT ?", (*params, page_size)
            )
            for row in rows:
                yield dict(json.loads(row[1]))
            if len(rows) < page_size:
                return
            before = int(rows[-1][0])

    def _where(self, filters: Filters, before: int | None) -> tuple[str, tuple[Any, ...], str]:
        """``FROM ... WHERE ...`` for ``filters`` (after ``before``), its parameters, the column to order by.

        An entity (or else a speaker) filter drives the query: its index holds the documents of
        a name in ``doc`` order, so a page of a common name reads a page of rows, not all of them.
        """
        source = "pp_documents"
        order = "seq"
        clauses: list[str] = []
        params: list[Any] = []
        names = [
            (table, normalise_name(_clean(value, field)))
            for table, value, field in (
                ("pp_entity_names", filters.entity, "entity"),
                ("pp_speaker_names", filters.speaker, "speaker"),
            )
            if value is not None
        ]
        if names:
            table, name = names.pop(0)
            source = f"pp_documents JOIN {table} AS k ON k.doc = pp_documents.seq AND k.name = ?"
            order = "k.doc"
            params.append(name)
        for table, name in names:
            clauses.append(
                f"EXISTS (SELECT 1 FROM {table} AS n WHERE n.name = ? AND n.doc = pp_documents.seq)"
            )
            params.append(name)
        if filters.pipeline is not None:
            clauses.append("pipeline = ?")
            params.append(_clean(filters.pipeline, "pipeline"))
        if filters.q is not None:
            words = WORD.findall(_clean(filters.q, "q"))
            if not words:
                raise InvalidQuery("the text search 'q' has no words to look for")
            clause, value = self._db.search_clause(words)
            clauses.append(clause)
            params.append(value)
        if filters.published_from is not None:
            clauses.append("published >= ?")
            params.append(_bound(filters.published_from, end=False))
        if filters.published_to is not None:
            clauses.append(
                "published < ?" if not isinstance(filters.published_to, datetime) else "published <= ?"
            )
            params.append(_bound(filters.published_to, end=True))
        if before is not None:
            clauses.append(f"{order} < ?")
            params.append(before)
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        return f" FROM {source}{where}", tuple(params), order

    # ------------------------------------------------------------------ batches

    def create_batch(self, id: str, pipeline: str, total: int) -> Batch:
        now = _now()
        with self._db.write() as cur:
            cur.execute(
                "INSERT INTO pp_batches (id, pipeline, status, total, created_at, updated_at) "
                "VALUES (?, ?, 'queued', ?, ?, ?)",
                (id, pipeline, total, now, now),
            )
        batch = self.get_batch(id)
        assert batch is not None
        return batch

    def update_batch(
        self,
        id: str,
        *,
        status: str,
        processed: int,
        failed: int,
        results: list[dict[str, Any]],
        finished: bool = False,
    ) -> None:
        now = _now()
        with self._db.write() as cur:
            cur.execute(
                "UPDATE pp_batches SET status = ?, processed = ?, failed = ?, results = ?, updated_at = ?, "
                "finished_at = ? WHERE id = ?",
                (status, processed, failed, json.dumps(results), now, now if finished else None, id),
            )

    def get_batch(self, id: str) -> Batch | None:
        _check_key(id, None)
        row = self._db.query_one(
            "SELECT id, pipeline, status, total, processed, failed, created_at, updated_at, finished_at, results "
            "FROM pp_batches WHERE id = ?",
            (id,),
        )
        if row is None:
            return None
        return Batch(
            id=row[0],
            pipeline=row[1],
            status=row[2],
            total=int(row[3]),
            processed=int(row[4]),
            failed=int(row[5]),
            created_at=row[6],
            updated_at=row[7],
            finished_at=row[8],
            results=list(json.loads(row[9])),
        )


# ---------------------------------------------------------------------- helpers


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


def encode_cursor(seq: int) -> str:
    return base64.urlsafe_b64encode(f"pp1:{seq}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, _, number = text.partition(":")
        if prefix != "pp1" or not number.isdigit():
            raise ValueError
        return int(number)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidQuery("invalid cursor: pass the next_cursor of a previous page as it is") from None


def _bound(value: date | datetime, *, end: bool) -> str:
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.strftime("%Y-%m-%dT%H:%M:%S")
    day = value + timedelta(days=1) if end else value
    return day.strftime("%Y-%m-%dT00:00:00")


def text_problem(value: str) -> str | None:
    """What no database can store or look up in ``value`` (a NUL character, a lone surrogate), or None."""
    if "\x00" in value:
        return "contains a NUL character"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "is not valid Unicode (a lone surrogate)"
    return None


def _clean(value: str, name: str) -> str:
    """``value``, or ``InvalidQuery`` when it has a ``text_problem``."""
    problem = text_problem(value)
    if problem:
        raise InvalidQuery(f"'{name}' {problem}")
    return value


def _check_key(id: str, pipeline: str | None) -> None:
    _clean(id, "id")
    if pipeline is not None:
        _clean(pipeline, "pipeline")


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _summary(row: Sequence[Any]) -> StoredSummary:
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


@dataclass(frozen=True)
class _Row:
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
    def of(cls, document: Document) -> _Row:
        problem = ingest_problem(document)
        if problem:
            raise InvalidQuery(f"document {document.get('id')!r} cannot be stored: {problem}")
        body = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
        _clean(body, "document")
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
            _now(),
            self.body,
        )


DOCUMENT_COLUMNS = (
    "id, pipeline, pipeline_sha256, content_sha256, title, published, uri, summary, "
    "entity_count, quote_count, stored_at, body"
)


def _entity_names(entity: dict[str, Any]) -> set[str]:
    names = {normalise_name(entity["name"])} if isinstance(entity.get("name"), str) else set()
    for mention in entity.get("mentions") or []:
        if isinstance(mention, dict) and isinstance(mention.get("text"), str):
            names.add(normalise_name(mention["text"]))
    return names


# ---------------------------------------------------------------------- backends


class _Backend:
    """One database dialect: connections (one per thread), SQL spelling, full-text search."""

    dialect: str

    def __init__(self) -> None:
        self._local = threading.local()
        self._connections: list[Any] = []
        self._lock = threading.Lock()
        self._closed = False

    def _connect(self) -> Any:
        raise NotImplementedError

    def connection(self) -> Any:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            if self._closed:
                raise StoreError("the store is closed")
            conn = self._connect()
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    def close(self) -> None:
        with self._lock:
            self._closed = True
            for conn in self._connections:
                with suppress(Exception):  # closing a connection another thread holds is best effort
                    conn.close()
            self._connections.clear()
        self._local = threading.local()

    def sql(self, text: str) -> str:
        """``text`` with its ``?`` placeholders as this dialect spells them (``query`` applies it)."""
        return text

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        cur = self.connection().cursor()
        try:
            cur.execute(self.sql(sql), tuple(params))
            return list(cur.fetchall())
        finally:
            cur.close()

    def query_one(self, sql: str, params: Sequence[Any] = ()) -> Any:
        rows = self.query(sql, params)
        return rows[0] if rows else None

    @contextmanager
    def write(self) -> Iterator[_Cursor]:
        raise NotImplementedError
        yield

    def lock_migrations(self, cur: _Cursor) -> None:
        pass

    def lock_key(self, cur: _Cursor, key: str) -> None:
        pass

    def insert_document(self, cur: _Cursor, row: _Row) -> int:
        raise NotImplementedError

    def index_search(self, cur: _Cursor, seq: int, title: str | None, text: str) -> None:
        pass

    def unindex_search(self, cur: _Cursor, seq: int, title: str | None, text: str) -> None:
        pass

    def search_clause(self, words: list[str]) -> tuple[str, str]:
        raise NotImplementedError


class _SQLite(_Backend):
    dialect = "sqlite"

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        if path.parent and not path.parent.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
        self.connection()  # fail now, not on the first request, if the file cannot be opened

    def _connect(self) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA busy_timeout=30000")
        except sqlite3.Error as error:
            raise StoreError(f"cannot open the SQLite store {self.path}: {error}") from None
        return conn

    @contextmanager
    def write(self) -> Iterator[_Cursor]:
        conn = self.connection()
        cur = conn.cursor()
        cur.execute("BEGIN IMMEDIATE")
        try:
            yield cur
        except BaseException:
            conn.rollback()
            raise
        else:
            conn.commit()
        finally:
            cur.close()

    def insert_document(self, cur: _Cursor, row: _Row) -> int:
        cur.execute(
            f"INSERT INTO pp_documents ({DOCUMENT_COLUMNS}) VALUES ({', '.join('?' * 12)})", row.columns()
        )
        return int(cur.lastrowid)  # type: ignore[attr-defined]

    def index_search(self, cur: _Cursor, seq: int, title: str | None, text: str) -> None:
        cur.execute("INSERT INTO pp_search (rowid, title, text) VALUES (?, ?, ?)", (seq, title or "", text))

    def unindex_search(self, cur: _Cursor, seq: int, title: str | None, text: str) -> None:
        # A contentless FTS5 table forgets a row when told the exact values it indexed.
        cur.execute(
            "INSERT INTO pp_search (pp_search, rowid, title, text) VALUES ('delete', ?, ?, ?)",
            (seq, title or "", text[:SEARCH_CHARS]),
        )

    def search_clause(self, words: list[str]) -> tuple[str, str]:
        # Each word quoted: FTS5 reads it as a plain token, never as query syntax.
        return "seq IN (SELECT rowid FROM pp_search WHERE pp_search MATCH ?)", " ".join(
            f'"{word}"' for word in words
        )


class _Postgres(_Backend):
    dialect = "postgresql"

    def __init__(self, url: str) -> None:
        super().__init__()
        try:
            import psycopg
        except ImportError:
            raise StoreError(
                "a PostgreSQL store needs psycopg 3: pip install 'presspipe[postgres]'"
            ) from None
        self._psycopg = psycopg
        self.url = url
        self.connection()

    def _connect(self) -> Any:
        try:
            return self._psycopg.connect(self.url, autocommit=True)
        except self._psycopg.Error as error:
            raise StoreError(f"cannot connect to the PostgreSQL store: {error}") from None

    def sql(self, text: str) -> str:
        return text.replace("?", "%s")

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        conn = self.connection()
        try:
            return super().query(sql, params)
        except self._psycopg.OperationalError:
            # A connection the server dropped (restart, idle timeout): reconnect once.
            if not conn.closed:
                raise
            self._local.conn = None
            return super().query(sql, params)

    @contextmanager
    def write(self) -> Iterator[_Cursor]:
        conn = self.connection()
        with conn.transaction(), conn.cursor() as cur:
            yield _PgCursor(cur)

    def lock_migrations(self, cur: _Cursor) -> None:
        cur.execute("SELECT pg_advisory_xact_lock(7350001)")

    def lock_key(self, cur: _Cursor, key: str) -> None:
        cur.execute("SELECT pg_advisory_xact_lock(hashtext(?))", (key,))

    def insert_document(self, cur: _Cursor, row: _Row) -> int:
        cur.execute(
            f"INSERT INTO pp_documents ({DOCUMENT_COLUMNS}, search) VALUES ({', '.join('?' * 12)}, "
            "to_tsvector('simple', ?)) RETURNING seq",
            (*row.columns(), f"{row.title or ''}\n{row.text}"),
        )
        return int(cur.fetchone()[0])

    def search_clause(self, words: list[str]) -> tuple[str, str]:
        return "search @@ plainto_tsquery('simple', ?)", " ".join(words)


class _PgCursor:
    """A psycopg cursor that takes ``?`` placeholders, like sqlite3's."""

    def __init__(self, cur: Any) -> None:
        self._cur = cur

    def execute(self, sql: Any, params: Any = ()) -> Any:
        return self._cur.execute(sql.replace("?", "%s"), params)

    def fetchone(self) -> Any:
        return self._cur.fetchone()

    def fetchall(self) -> list[Any]:
        return list(self._cur.fetchall())
