"""The SQLite backend: the default store, one file, no server to start."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from presspipe.store.backend import Backend, Cursor
from presspipe.store.migrations import QUOTES_PER_ROWID
from presspipe.store.records import StoreError
from presspipe.store.rows import DOCUMENT_ASSIGNMENTS, DOCUMENT_COLUMNS, DOCUMENT_MARKS, Row
from presspipe.store.search import index_text

WORD_SCAN_COST = 4
"""Rows of a speaker's index scan that one match found through the quote word index costs.
Measured over 10,000 documents (200 searches by surname and word): 1 gave a p99 of 18.9 ms,
4 gave 5.0 ms, 16 gave 6.2 ms, and never using the index 7.8 ms."""

MMAP_BYTES = 2**31
"""How much of the store file a connection reads through a memory map (address space, not memory)."""


class SQLite(Backend):
    """One SQLite file in WAL mode, every commit durable (``synchronous=FULL``)."""

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
            # Reads map the file instead of copying each page through a read call: the corpus
            # queries ran 1.1-1.7x faster over 10,000 documents. SQLite caps it at 2 GiB.
            conn.execute(f"PRAGMA mmap_size={MMAP_BYTES}")
        except sqlite3.Error as error:
            raise StoreError(f"cannot open the SQLite store {self.path}: {error}") from None
        return conn

    @contextmanager
    def write(self) -> Iterator[Cursor]:
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

    def maintain(self) -> None:
        # SQLite reuses freed pages, and its plans for these queries need no statistics
        # (measured with bench/api.py --corpus): nothing to do.
        pass

    def lock_migrations(self, cur: Cursor) -> None:
        # ``write`` begins IMMEDIATE: the transaction holds the database's one write lock already.
        pass

    def lock_key(self, cur: Cursor, key: str) -> None:
        # Every write transaction holds the one write lock (BEGIN IMMEDIATE): no finer lock needed.
        pass

    def insert_document(self, cur: Cursor, row: Row) -> int:
        cur.execute(f"INSERT INTO pp_documents ({DOCUMENT_COLUMNS}) VALUES ({DOCUMENT_MARKS})", row.columns())
        return int(cur.lastrowid)  # type: ignore[attr-defined]

    def update_document(self, cur: Cursor, seq: int, row: Row) -> None:
        cur.execute(f"UPDATE pp_documents SET {DOCUMENT_ASSIGNMENTS} WHERE seq = ?", (*row.columns(), seq))

    def index_search(self, cur: Cursor, seq: int, title: str | None, text: str) -> None:
        cur.execute("INSERT INTO pp_search (rowid, words) VALUES (?, ?)", (seq, index_text(title, text)))

    def unindex_search(self, cur: Cursor, seq: int, title: str | None, text: str) -> None:
        # A contentless FTS5 table forgets a row when told the exact values it indexed.
        cur.execute(
            "INSERT INTO pp_search (pp_search, rowid, words) VALUES ('delete', ?, ?)",
            (seq, index_text(title, text)),
        )

    def quote_word_scan(
        self,
        words: list[str],
        spoken: int | None,
        cursor: tuple[int, int] | None = None,
        keys: list[str] | None = None,
    ) -> tuple[str, list[Any], str] | None:
        # With the speakers' keys, the index intersects their quotes with the words', newest
        # first, and stops at a page: always the better path. Without, the index when its rarest
        # word is in fewer quotes than the speakers' scan would read (a match costs about
        # WORD_SCAN_COST rows of that scan), or when no speaker narrows.
        terms = " AND ".join(_phrase(word) for word in words)
        if keys:
            terms += f" AND ({' OR '.join(_phrase(key) for key in keys)})"
        elif (
            spoken is not None
            and min(self._quotes_holding(word) for word in words) * WORD_SCAN_COST >= spoken
        ):
            return None
        step = QUOTES_PER_ROWID
        sql = (
            f"pp_quote_search AS f CROSS JOIN pp_quotes AS q ON q.doc = f.rowid / {step} "
            f"AND q.n = {step - 1} - f.rowid % {step} WHERE pp_quote_search MATCH ?"
        )
        params: list[Any] = [terms]
        if cursor is not None:
            sql += " AND f.rowid < ?"
            params.append(cursor[0] * step + step - 1 - cursor[1])
        return sql, params, "f.rowid DESC"

    def _quotes_holding(self, word: str) -> int:
        """How many quotes the word index holds ``word`` in (fts5vocab: one lookup)."""
        row = self.query_one("SELECT doc FROM pp_quote_vocab WHERE term = ?", (word,))
        return int(row[0]) if row else 0

    def search_clause(self, words: list[str]) -> tuple[str, str]:
        return "seq IN (SELECT rowid FROM pp_search WHERE pp_search MATCH ?)", " ".join(map(_phrase, words))


def _phrase(token: str) -> str:
    """``token`` quoted: FTS5 reads it as a plain token, never as query syntax."""
    return '"' + token.replace('"', '""') + '"'
