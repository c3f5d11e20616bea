"""The PostgreSQL backend, for a store that many processes share (needs the ``postgres`` extra)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from typing import Any

from presspipe.store.backend import Backend, Cursor
from presspipe.store.records import StoreError
from presspipe.store.rows import DOCUMENT_ASSIGNMENTS, DOCUMENT_COLUMNS, DOCUMENT_MARKS, Row
from presspipe.store.search import index_text


class Postgres(Backend):
    """A PostgreSQL database that many API processes and workers share (psycopg 3)."""

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
            conn = self._psycopg.connect(self.url, autocommit=True)
            # psycopg prepares a statement run five times, and PostgreSQL may then plan it once
            # for any parameters: a quote search planned without knowing its speaker and words
            # took 41 ms at the median over 10,000 documents, 4 ms planned for them each time.
            conn.execute("SET plan_cache_mode = force_custom_plan")
            return conn
        except self._psycopg.Error as error:
            raise StoreError(f"cannot connect to the PostgreSQL store: {error}") from None

    def sql(self, text: str) -> str:
        return text.replace("?", "%s")

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        conn = self.connection()
        try:
            return super().query(sql, params)
        except self._psycopg.OperationalError:
            if not conn.closed:
                raise
            self._reconnect(conn)
            return super().query(sql, params)

    @contextmanager
    def write(self) -> Iterator[Cursor]:
        with ExitStack() as stack:
            conn = self.connection()
            try:
                stack.enter_context(conn.transaction())  # BEGIN: the first statement
            except self._psycopg.OperationalError:
                if not conn.closed:
                    raise
                conn = self._reconnect(conn)
                stack.enter_context(conn.transaction())
            yield PgCursor(stack.enter_context(conn.cursor()))

    def _reconnect(self, lost: Any) -> Any:
        """A new connection for this thread in place of ``lost``, which the server dropped (a
        restart, a failover, an idle timeout, ``pg_terminate_backend``): each statement is retried
        once on it, so a store whose server is back answers again without a restart. A
        transaction the server dropped midway is not retried: its error reaches the caller."""
        self._local.conn = None
        with self._lock:
            if lost in self._connections:
                self._connections.remove(lost)
        return self.connection()

    def maintain(self) -> None:
        # autovacuum's rules, applied here because a server may run without autovacuum (this
        # machine's does), and with it a bulk load still waits for its next round. Without
        # VACUUM the count rows, updated by every document, grow dead versions: 408,000 of them
        # behind pp_corpus's 1,300 rows after 10,000 documents. Without ANALYZE the planner reads
        # whole tables: a profile took 57 ms at the median over 10,000 documents, 13 ms with it.
        conn = self.connection()
        with conn.cursor() as cur:
            if conn.info.server_version >= 150000:
                cur.execute("SELECT pg_stat_force_next_flush()")  # count this connection's last writes too
            cur.execute(
                "SELECT relname, n_dead_tup > 50 + 0.2 * n_live_tup OR n_ins_since_vacuum > 1000 + 0.2 * n_live_tup, "
                "n_mod_since_analyze > 50 + 0.1 * n_live_tup FROM pg_stat_user_tables "
                "WHERE schemaname = ANY(current_schemas(false)) AND starts_with(relname, 'pp_') ORDER BY relname"
            )
            due = cur.fetchall()
            vacuum = [str(name) for name, dead, _ in due if dead]
            analyze = [str(name) for name, dead, stale in due if stale and not dead]
            if vacuum:
                cur.execute(f"VACUUM (ANALYZE) {', '.join(vacuum)}")
            if analyze:
                cur.execute(f"ANALYZE {', '.join(analyze)}")

    def lock_migrations(self, cur: Cursor) -> None:
        cur.execute("SELECT pg_advisory_xact_lock(7350001)")

    def lock_key(self, cur: Cursor, key: str) -> None:
        cur.execute("SELECT pg_advisory_xact_lock(hashtext(?))", (key,))

    def insert_document(self, cur: Cursor, row: Row) -> int:
        cur.execute(
            f"INSERT INTO pp_documents ({DOCUMENT_COLUMNS}, search) VALUES ({DOCUMENT_MARKS}, "
            "array_to_tsvector(?::text[])) RETURNING seq",
            (*row.columns(), index_text(row.title, row.text).split()),
        )
        return int(cur.fetchone()[0])

    def update_document(self, cur: Cursor, seq: int, row: Row) -> None:
        cur.execute(
            f"UPDATE pp_documents SET {DOCUMENT_ASSIGNMENTS}, search = array_to_tsvector(?::text[]) WHERE seq = ?",
            (*row.columns(), index_text(row.title, row.text).split(), seq),
        )

    def index_search(self, cur: Cursor, seq: int, title: str | None, text: str) -> None:
        # The document's words are its row's ``search`` column, written with the row.
        pass

    def unindex_search(self, cur: Cursor, seq: int, title: str | None, text: str) -> None:
        # Rewritten or deleted with the row.
        pass

    def quote_word_scan(
        self,
        words: list[str],
        spoken: int | None,
        cursor: tuple[int, int] | None = None,
        keys: list[str] | None = None,
    ) -> tuple[str, list[Any], str] | None:
        # One GIN lookup intersects the speakers' quotes with the words' (the keys are lexemes of
        # the quotes' tsvector, migration 9); only the matches are read, then sorted. Measured over
        # 10,000 documents on the slowest pairs of a top-50 surname and a word: 2.8-5.4 ms, against
        # 20-112 ms walking each speaker's quotes newest first (``cursor`` is in the caller's
        # conditions). Its cost grows with the matches: a much-quoted speaker's common word.
        if not keys:
            return None
        return "pp_quotes AS q WHERE q.words @@ ?::tsquery", [_tsquery(words, keys)], "q.doc DESC, q.n"

    def quote_words_clause(self, words: list[str]) -> tuple[str, list[str]]:
        # Through the GIN index of migration 4: a rare word among a much-quoted speaker's quotes is
        # found without reading them all.
        return "q.words @@ ?::tsquery", [_tsquery(words)]

    def search_clause(self, words: list[str]) -> tuple[str, str]:
        # The words as lexemes, taken as they are (PostgreSQL's parser never splits them again).
        return "search @@ ?::tsquery", _tsquery(words)


def _tsquery(words: list[str], keys: Sequence[str] = ()) -> str:
    """A tsquery of every one of ``words`` and, given ``keys``, one of them (each a lexeme as it is)."""
    query = " & ".join(map(_lexeme, words))
    return f"{query} & ({' | '.join(map(_lexeme, keys))})" if keys else query


def _lexeme(token: str) -> str:
    return "'" + token.replace("'", "''") + "'"


class PgCursor:
    """A psycopg cursor that takes ``?`` placeholders, like sqlite3's."""

    def __init__(self, cur: Any) -> None:
        self._cur = cur

    def execute(self, sql: Any, params: Any = ()) -> Any:
        return self._cur.execute(sql.replace("?", "%s"), params)

    def executemany(self, sql: Any, params: Iterable[Any]) -> Any:
        # psycopg sends the statements in one pipeline: no round trip per row.
        return self._cur.executemany(sql.replace("?", "%s"), params)

    def fetchone(self) -> Any:
        return self._cur.fetchone()

    def fetchall(self) -> list[Any]:
        return list(self._cur.fetchall())
