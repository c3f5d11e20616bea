"""What every store backend offers the ``Store``: connections (one per thread), SQL, search.

A backend is one database dialect. ``Store`` speaks SQL with ``?`` placeholders through
``query``/``write``; a backend spells them as its driver wants and adds what differs between
dialects: locking, inserting a document, the full-text index.

``Backend`` is an abstract base class: every method a dialect must decide is abstract, so a
backend that leaves one out cannot be instantiated (``TypeError`` naming it), rather than failing
on the first call or silently doing nothing. A new backend also needs its migrations
(``migrations.MIGRATIONS[dialect]``), its URL scheme (``facade.SCHEMES``) and a line in the
contract suite's backends (``tests/store_contract.py``).
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager, suppress
from typing import TYPE_CHECKING, Any, Protocol

from presspipe.store.records import StoreError

if TYPE_CHECKING:
    from presspipe.store.rows import Row


KEYS_IN_WORD_INDEX = 100
"""Speakers' keys a quote search looks up in the quote word index at once (their quotes' key
tokens, see migration 9); a name matching more speakers scans them instead."""


class Cursor(Protocol):
    """A write cursor: it takes ``?`` placeholders in every dialect (see ``postgres.PgCursor``)."""

    def execute(self, sql: Any, params: Any = ...) -> Any: ...
    def executemany(self, sql: Any, params: Iterable[Any]) -> Any: ...
    def fetchone(self) -> Any: ...
    def fetchall(self) -> list[Any]: ...


class Backend(ABC):
    """One database dialect: connections (one per thread), SQL spelling, full-text search."""

    dialect: str

    def __init__(self) -> None:
        self._local = threading.local()
        self._connections: list[Any] = []
        self._lock = threading.Lock()
        self._closed = False

    @abstractmethod
    def _connect(self) -> Any:
        """A new connection to the database (one per thread; ``connection`` keeps it)."""

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

    @abstractmethod
    def write(self) -> AbstractContextManager[Cursor]:
        """One transaction: a cursor, committed when the block ends, rolled back if it raises."""

    @abstractmethod
    def maintain(self) -> None:
        """Clear the dead rows and refresh the planner statistics that writes have left behind."""

    @abstractmethod
    def lock_migrations(self, cur: Cursor) -> None:
        """Hold off every other process's migration until ``cur``'s transaction ends."""

    @abstractmethod
    def lock_key(self, cur: Cursor, key: str) -> None:
        """Hold off every other writer of the document ``key`` until ``cur``'s transaction ends."""

    @abstractmethod
    def insert_document(self, cur: Cursor, row: Row) -> int:
        """Insert ``row``; its new ``seq``."""

    @abstractmethod
    def update_document(self, cur: Cursor, seq: int, row: Row) -> None:
        """Write ``row`` over the document ``seq`` (which keeps its ``seq``)."""

    @abstractmethod
    def index_search(self, cur: Cursor, seq: int, title: str | None, text: str) -> None:
        """Put the document ``seq`` into the full-text index (after its row is written)."""

    @abstractmethod
    def unindex_search(self, cur: Cursor, seq: int, title: str | None, text: str) -> None:
        """Take the document ``seq``, as it was indexed, out of the full-text index."""

    def quote_word_scan(
        self,
        words: list[str],
        spoken: int | None,
        cursor: tuple[int, int] | None = None,
        keys: list[str] | None = None,
    ) -> tuple[str, list[Any], str] | None:
        """``<tables> WHERE ...`` reaching the quotes (``q``) that hold ``words`` through a word
        index, after the quote at ``cursor`` (doc, n) when given, its parameters, and the
        ORDER BY that is newest first (then in document order); or None, to
        scan the speakers' quotes instead. ``spoken`` is how many quotes the named speakers have
        (None: no speaker asked for); ``keys`` the speakers' keys when the index may look them up
        too (at most ``KEYS_IN_WORD_INDEX``). By default None: the database's planner chooses."""
        return None

    @abstractmethod
    def search_clause(self, words: list[str]) -> tuple[str, str]:
        """A WHERE clause matching documents that hold every one of ``words``, and its parameter."""

    def quote_words_clause(self, words: list[str]) -> tuple[str, list[str]]:
        """A WHERE clause matching quotes (``pp_quotes AS q``) whose folded words hold every one of
        ``words``, and its parameters: by default a LIKE per word over ``q.folded``."""
        return " AND ".join("q.folded LIKE ?" for _ in words), [f"% {word} %" for word in words]
