"""The document store: processed documents kept in SQLite (default) or PostgreSQL.

``open_store(url)`` takes a file path or ``sqlite:///path`` (one file, WAL mode, no server)
or ``postgresql://...`` (many API processes and workers sharing one store; needs the
``postgres`` extra, psycopg 3). Both behave the same: the contract suite, ``tests/store_contract.py``,
runs on each (the URL schemes are ``SCHEMES``).

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

The schema is in ``migrations``, the backends in ``sqlite`` and ``postgres``, the document to
row conversion in ``rows``; this module is the ``Store`` that puts them together.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from presspipe.document import Document
from presspipe.jsonl import capped_lines, jsonl_lines
from presspipe.store import copies
from presspipe.store.backend import Backend, Cursor
from presspipe.store.batches import Batches
from presspipe.store.corpus import DocumentFacts, add_document, facts_of, remove_document
from presspipe.store.corpus_queries import CorpusQueries
from presspipe.store.cursors import decode_cursor, decode_position, encode_cursor, encode_position
from presspipe.store.migrations import migrate
from presspipe.store.packing import unpack
from presspipe.store.postgres import Postgres
from presspipe.store.queries import selection
from presspipe.store.records import (
    Copies,
    CopyMember,
    Filters,
    IngestCounts,
    InvalidQuery,
    Page,
    PutResult,
    StoreError,
)
from presspipe.store.rows import SUMMARY_COLUMNS, Row, check_key, ingest_problem, summary_of
from presspipe.store.sqlite import SQLite

PAGE_LIMIT_MAX = 500
SORTS = {
    "stored": "seq DESC",
    "published": "published IS NULL, published DESC, seq DESC",
    "oldest": "published IS NULL, published, seq",
}
"""How a listing can be ordered, as SQL."""


def _sqlite(url: str) -> Backend:
    path = sqlite_path(url)
    assert path is not None  # SCHEMES sends only sqlite:/// URLs and paths here
    return SQLite(path)


SCHEMES: dict[str, Callable[[str], Backend]] = {
    "sqlite": _sqlite,
    "postgresql": Postgres,
    "postgres": Postgres,
}
"""The backend each store URL scheme opens, given the whole URL (a path without ``://`` is SQLite).
A new backend adds its scheme here."""


def open_store(url: str | Path) -> Store:
    """Open (creating and migrating as needed) the store at ``url``."""
    text = str(url)
    scheme = text.partition("://")[0] if "://" in text else "sqlite"
    if scheme not in SCHEMES or (sqlite_path(text) is None and scheme == "sqlite"):
        known = ", ".join(f"{name}://" for name in SCHEMES)
        raise StoreError(f"unknown store URL '{text}': give a file path or a URL starting {known}")
    return Store(SCHEMES[scheme](text))


def sqlite_path(url: str | Path) -> Path | None:
    """The file of a SQLite store URL (a path or sqlite:///PATH); None for any other URL."""
    text = str(url)
    if text.startswith("sqlite:///"):
        return Path(text.removeprefix("sqlite:///"))
    return None if "://" in text else Path(text)


COPIES_LISTED = 200
"""Members of a group of near-copies that ``Store.copies`` lists (the count is always whole)."""

MAINTAIN_EVERY = 1000
"""Documents written between two looks at the tables' dead rows and statistics (``Store.maintain``)."""


class Store:
    """Documents and their filter indexes, the corpus (``corpus``) and batches (``batches``), in one database."""

    def __init__(self, backend: Backend) -> None:
        self._db = backend
        self.dialect = backend.dialect
        migrate(backend)
        self.corpus = CorpusQueries(backend)
        """Questions of the whole corpus: speakers, entities, profiles, quotes, outlets."""
        self.batches = Batches(backend)
        """The API's processing jobs."""
        self._index_pending()
        self._written = 0
        """Documents written since this store last looked at its tables (``maintain``)."""

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

    # ------------------------------------------------------------------ documents

    def get_json(self, id: str, pipeline: str | None = None) -> str | None:
        """The stored document's JSON text (the newest one when several pipelines hold ``id``)."""
        check_key(id, pipeline)
        if pipeline is None:
            row = self._db.query_one(
                "SELECT packed FROM pp_documents WHERE id = ? ORDER BY seq DESC LIMIT 1", (id,)
            )
        else:
            row = self._db.query_one(
                "SELECT packed FROM pp_documents WHERE id = ? AND pipeline = ?", (id, pipeline)
            )
        return None if row is None else unpack(row[0])

    def get(self, id: str, pipeline: str | None = None) -> Document | None:
        body = self.get_json(id, pipeline)
        return None if body is None else dict(json.loads(body))

    def find(self, id: str, pipeline: str, pipeline_sha256: str, content_sha256: str) -> Document | None:
        """The stored document if ``id`` was processed from the same content by the same pipeline."""
        check_key(id, pipeline)
        row = self._db.query_one(
            "SELECT packed FROM pp_documents WHERE id = ? AND pipeline = ? AND pipeline_sha256 = ? "
            "AND content_sha256 = ?",
            (id, pipeline, pipeline_sha256, content_sha256),
        )
        return None if row is None else dict(json.loads(unpack(row[0])))

    def put(self, document: Document) -> PutResult:
        """Store one processed document durably (one transaction). See the module docstring."""
        return self.put_many([document])[0]

    def put_many(self, documents: Sequence[Document], *, skip_invalid: bool = False) -> list[PutResult]:
        """Store documents in one transaction: all of them or, if the process dies, none.

        A document the store cannot take (failed, no provenance, ``meta.published`` out of
        range, an oversized title, an id with ``/``, ...) raises ``InvalidQuery`` before
        anything is written; with ``skip_invalid`` it is left out instead, and its result says
        why (``problem``), so one bad document never costs the others.
        """
        rows: list[tuple[Row, DocumentFacts] | PutResult] = []
        for document in documents:
            try:
                rows.append((Row.of(document), facts_of(document)))
            except InvalidQuery as error:
                if not skip_invalid:
                    raise
                rows.append(PutResult(str(document.get("id")), "", created=False, problem=str(error)))
        results = []
        with self._db.write() as cur:
            for row in rows:
                results.append(row if isinstance(row, PutResult) else self._put(cur, *row))
        self._written += sum(result.created for result in results)
        if self._written >= MAINTAIN_EVERY:
            self.maintain()
        return results

    def maintain(self) -> None:
        """Vacuum and analyze the tables that changed enough (see ``Backend.maintain``)."""
        self._written = 0
        self._db.maintain()

    def _put(self, cur: Cursor, row: Row, facts: DocumentFacts) -> PutResult:
        self._db.lock_key(cur, f"{row.pipeline}\x1f{row.id}")
        cur.execute(
            "SELECT seq, pipeline_sha256, content_sha256, title, packed FROM pp_documents WHERE id = ? AND pipeline = ?",
            (row.id, row.pipeline),
        )
        old = cur.fetchone()
        sig = copies.signature(row.text)
        later: set[int] = set()
        if old is None:
            original = None if sig is None else copies.original_of(cur, sig, row.pipeline)
            seq = self._db.insert_document(cur, row)
        else:
            if (old[1], old[2]) == (row.pipeline_sha256, row.content_sha256):
                return PutResult(row.id, row.pipeline, created=False)
            # Replaced in place: the row keeps its seq, so an export or a cursor walk running
            # meanwhile (both page by seq) sees it exactly once.
            seq = int(old[0])
            # The later documents whose group the old text or the new one decides.
            later = copies.group_after(cur, seq)
            self._unindex(cur, seq, old[3], old[4])
            self._db.update_document(cur, seq, row)
            original = None if sig is None else copies.original_of(cur, sig, row.pipeline, before=seq)
            if sig is not None:
                later |= copies.groups_of(cur, copies.later_near(cur, sig, seq))
        if original is not None:
            cur.execute("UPDATE pp_documents SET copy_of = ? WHERE seq = ?", (original, seq))
        for table, names in (("pp_entity_names", row.entity_names), ("pp_speaker_names", row.speaker_names)):
            cur.executemany(f"INSERT INTO {table} (name, doc) VALUES (?, ?)", [(name, seq) for name in names])
        self._db.index_search(cur, seq, row.title, row.text)
        add_document(cur, seq, facts, copy=original is not None)
        if sig is not None:
            copies.index(cur, seq, sig)
        copies.place(cur, {doc for doc in later if doc > seq})
        return PutResult(row.id, row.pipeline, created=True)

    def ingest(self, documents: Iterable[Document], chunk: int = 500) -> IngestCounts:
        """Store already-processed documents (``presspipe run`` output), keyed by their provenance.

        Failed documents and documents without provenance are skipped and named in the counts.
        Commits every ``chunk`` documents.
        """
        counts = IngestCounts()
        pending: list[Document] = []

        def flush() -> None:
            for result in self.put_many(pending, skip_invalid=True):
                if result.problem is not None:
                    counts.skipped.append(result.problem)
                elif result.created:
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
        if counts.stored:
            self.maintain()  # a bulk load ends with statistics that know it
        return counts

    def ingest_jsonl(self, path: Path) -> IngestCounts:
        """``ingest`` the documents of a JSONL file, one per line; bad lines are skipped and named."""
        counts = IngestCounts()

        def documents() -> Iterator[Document]:
            with path.open("rb") as stream:
                for line in jsonl_lines(capped_lines(stream)):
                    if line.problem is not None:
                        counts.skipped.append(f"{path}:{line.number}: {line.problem}")
                    elif not isinstance(line.value, dict):
                        counts.skipped.append(f"{path}:{line.number}: not a JSON object")
                    else:
                        yield line.value

        found = self.ingest(documents())
        counts.stored, counts.unchanged = found.stored, found.unchanged
        counts.skipped.extend(found.skipped)
        return counts

    def delete(self, id: str, pipeline: str) -> bool:
        check_key(id, pipeline)
        with self._db.write() as cur:
            cur.execute(
                "SELECT seq, title, packed FROM pp_documents WHERE id = ? AND pipeline = ?", (id, pipeline)
            )
            old = cur.fetchone()
            if old is None:
                return False
            seq = int(old[0])
            later = copies.group_after(cur, seq)
            self._unindex(cur, seq, old[1], old[2])
            cur.execute("DELETE FROM pp_documents WHERE seq = ?", (seq,))
            copies.place(cur, later)  # its copies: the earliest left is the original now
        return True

    def _unindex(self, cur: Cursor, seq: int, title: str | None, packed: bytes) -> None:
        """Forget the stored document ``seq``'s search entry, names, counts and signature (its row stays)."""
        self._db.unindex_search(cur, seq, title, json.loads(unpack(packed)).get("text") or "")
        remove_document(cur, seq)
        copies.unindex(cur, seq)
        cur.execute("UPDATE pp_documents SET copy_of = NULL WHERE seq = ?", (seq,))
        for table in ("pp_entity_names", "pp_speaker_names"):
            cur.execute(f"DELETE FROM {table} WHERE doc = ?", (seq,))

    def _index_pending(self, page: int = 200) -> None:
        """Index the documents stored before the near-copy index (``pp_copy_pending``, migration 5),
        oldest first, a page per transaction."""
        while True:
            with self._db.write() as cur:
                cur.execute("SELECT doc FROM pp_copy_pending ORDER BY doc LIMIT ?", (page,))
                pending = [int(r[0]) for r in cur.fetchall()]
                for seq in pending:
                    cur.execute("SELECT packed FROM pp_documents WHERE seq = ?", (seq,))
                    found = cur.fetchone()
                    sig = (
                        None
                        if found is None
                        else copies.signature(json.loads(unpack(found[0])).get("text") or "")
                    )
                    if sig is not None:
                        copies.index(cur, seq, sig)
                copies.place(cur, pending)
                cur.executemany("DELETE FROM pp_copy_pending WHERE doc = ?", [(seq,) for seq in pending])
            if len(pending) < page:
                return

    def copy_group(self, id: str, pipeline: str | None = None) -> Copies | None:
        """The stored document's group of near-copies (None: no such document)."""
        check_key(id, pipeline)
        row = self._db.query_one(
            "SELECT seq, COALESCE(copy_of, seq) FROM pp_documents WHERE id = ?"
            + (" AND pipeline = ?" if pipeline is not None else "")
            + " ORDER BY seq DESC LIMIT 1",
            (id,) if pipeline is None else (id, pipeline),
        )
        if row is None:
            return None
        seq, original = int(row[0]), int(row[1])
        members = [
            CopyMember(str(r[0]), str(r[1]), r[2], r[3], r[4])
            for r in self._db.query(
                "SELECT id, pipeline, title, outlet, uri FROM pp_documents WHERE seq = ? OR copy_of = ? "
                "ORDER BY seq LIMIT ?",
                (original, original, COPIES_LISTED),
            )
        ]
        size = self._db.query_one("SELECT COUNT(*) FROM pp_documents WHERE copy_of = ?", (original,))
        return Copies(members[0].id if original != seq and members else None, 1 + int(size[0]), members)

    # ------------------------------------------------------------------ queries

    def list_documents(
        self,
        filters: Filters,
        limit: int = 20,
        cursor: str | None = None,
        sort: str = "stored",
        *,
        locate: bool = False,
    ) -> Page:
        """One page of documents; ``next_cursor`` fetches the next page.

        ``sort``: ``stored`` (newest stored first, the default), ``published`` (newest
        published first) or ``oldest`` (oldest published first); undated documents come last.
        ``locate``: also find how many documents come before the page and the previous page's
        cursor (what a page's "51-100 of N" and "previous" need: one or two more queries).
        """
        if not 1 <= limit <= PAGE_LIMIT_MAX:
            raise InvalidQuery(f"limit must be between 1 and {PAGE_LIMIT_MAX}")
        if sort not in SORTS:
            raise InvalidQuery(f"sort must be one of {', '.join(SORTS)}, not {sort!r}")
        if sort == "stored":
            where, params = selection(self._db, filters, decode_cursor(cursor) if cursor else None)[:2]
            offset = 0
        else:
            where, params = selection(self._db, filters, None)[:2]
            offset = decode_position("pd1", cursor)[0] if cursor else 0
        rows = self._db.query(
            f"SELECT {SUMMARY_COLUMNS}{where} ORDER BY {SORTS[sort]} LIMIT ? OFFSET ?",
            (*params, limit + 1, offset),
        )
        items = [summary_of(row) for row in rows[:limit]]
        next_cursor = None
        if len(rows) > limit:
            last = int(rows[limit - 1][0])
            next_cursor = encode_cursor(last) if sort == "stored" else encode_position("pd1", offset + limit)
        if not locate or not cursor:
            return Page(items, next_cursor)
        if sort != "stored":
            before = offset - limit
            return Page(items, next_cursor, offset, encode_position("pd1", before) if before > 0 else None)
        # Keyset pages: the rows from the cursor's up are the pages before, nearest first.
        where, params = selection(self._db, filters, None, since=decode_cursor(cursor))[:2]
        offset = int(self._db.query_one(f"SELECT COUNT(*){where}", params)[0])
        previous = None
        if offset > limit:
            top = self._db.query_one(f"SELECT seq{where} ORDER BY seq LIMIT 1 OFFSET ?", (*params, limit - 1))
            previous = encode_cursor(int(top[0]) + 1)
        return Page(items, next_cursor, offset, previous)

    def count(self, filters: Filters | None = None) -> int:
        where, params, _ = selection(self._db, filters or Filters(), None)
        row = self._db.query_one(f"SELECT COUNT(*){where}", params)
        return int(row[0])

    def iter_documents(self, filters: Filters | None = None, page_size: int = 200) -> Iterator[Document]:
        """Every selected document, newest first, read ``page_size`` at a time (constant memory)."""
        before: int | None = None
        filters = filters or Filters()
        while True:
            where, params, order = selection(self._db, filters, before)
            rows = self._db.query(
                f"SELECT seq, packed{where} ORDER BY {order} DESC LIMIT ?", (*params, page_size)
            )
            for row in rows:
                yield dict(json.loads(unpack(row[1])))
            if len(rows) < page_size:
                return
            before = int(rows[-1][0])
