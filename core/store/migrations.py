"""The store's schema: numbered migrations per dialect, applied in order when a store opens.

Never edit a shipped migration: add the next one, at the end of its dialect's list. A step is
an SQL statement, or a Python function of the backend and the migration's cursor (for what SQL
alone cannot compute, such as the search words of every stored document). A migration imports
no live code: what its steps run is frozen in ``frozen`` (a copy, as it shipped), so that
editing ``corpus`` or ``search`` never changes what an old store's upgrade does. A store written by a newer presspipe (a
higher version than ``len(MIGRATIONS[dialect])``) is refused rather than misread.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING

from presspipe.store.frozen import add_document, facts_of, index_text, pack_bodies
from presspipe.store.frozen_fold import index_text as folded_index_text
from presspipe.store.records import StoreError, now

# The full-text table of version 3 (words split by ``search.index_text``): contentless, the
# text lives once, in the document body.
SEARCH_TABLE = """CREATE VIRTUAL TABLE pp_search USING fts5(
    words, content='', tokenize='unicode61 remove_diacritics 0'
)"""

if TYPE_CHECKING:
    from presspipe.store.backend import Backend, Cursor

Step = str | Callable[["Backend", "Cursor"], None]
"""A migration step: a SQL statement, or a function of the backend and the write cursor (a backfill)."""

SCHEMA_VERSION = 10
"""The newest store schema this code writes (the last migration's number)."""

QUOTES_PER_ROWID = 2**20
"""Quotes of one document that SQLite's quote word index holds (a document has far fewer)."""

QUOTE_ROWID = f"{{t}}.doc * {QUOTES_PER_ROWID} + {QUOTES_PER_ROWID - 1} - {{t}}.n"
"""A quote's rowid in ``pp_quote_search``: descending, it is newest document first, then in order."""

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


def _corpus_tables(big_id: str, published: str, quotes_by_key: str) -> list[Step]:
    """Migration 2: the corpus tables (see ``corpus``), then every stored document put into them."""
    return [
        "ALTER TABLE pp_documents ADD COLUMN outlet TEXT",
        "CREATE INDEX pp_documents_outlet ON pp_documents (outlet, seq)",
        f"""CREATE TABLE pp_doc_entities (
            doc {big_id} NOT NULL, surface TEXT NOT NULL, key TEXT NOT NULL, pinned INTEGER NOT NULL,
            surname TEXT, mentions INTEGER NOT NULL, own_mentions INTEGER NOT NULL, quotes INTEGER NOT NULL,
            published {published}, outlet TEXT, pipeline TEXT NOT NULL, PRIMARY KEY (doc, surface)
        )""",
        "CREATE INDEX pp_doc_entities_key ON pp_doc_entities (key, published, doc)",
        "CREATE INDEX pp_doc_entities_key_doc ON pp_doc_entities (key, doc)",
        "CREATE INDEX pp_doc_entities_published ON pp_doc_entities (published, key)",
        "CREATE INDEX pp_doc_entities_surface ON pp_doc_entities (surface, pinned)",
        f"""CREATE TABLE pp_quotes (
            doc {big_id} NOT NULL, n INTEGER NOT NULL, surface TEXT, key TEXT, pinned INTEGER NOT NULL,
            speaker TEXT, text TEXT NOT NULL, folded TEXT NOT NULL, kind TEXT NOT NULL,
            published {published}, outlet TEXT, pipeline TEXT NOT NULL, PRIMARY KEY (doc, n)
        )""",
        # Covers a quote search by speaker and words: the scan reads the index, not the rows.
        f"CREATE INDEX pp_quotes_key ON pp_quotes {quotes_by_key}",
        "CREATE INDEX pp_quotes_key_published ON pp_quotes (key, published)",
        "CREATE INDEX pp_quotes_published ON pp_quotes (published, key)",
        "CREATE INDEX pp_quotes_surface ON pp_quotes (surface, pinned)",
        """CREATE TABLE pp_corpus (
            key TEXT PRIMARY KEY, label TEXT NOT NULL, name TEXT NOT NULL, surname TEXT,
            full_name INTEGER NOT NULL, documents INTEGER NOT NULL DEFAULT 0,
            mentions INTEGER NOT NULL DEFAULT 0, own_mentions INTEGER NOT NULL DEFAULT 0,
            quotes INTEGER NOT NULL DEFAULT 0, quote_documents INTEGER NOT NULL DEFAULT 0
        )""",
        "CREATE INDEX pp_corpus_quotes ON pp_corpus (quotes, key)",
        "CREATE INDEX pp_corpus_documents ON pp_corpus (documents, mentions, key)",
        "CREATE INDEX pp_corpus_surname ON pp_corpus (surname)",
        f"""CREATE TABLE pp_corpus_days (
            key TEXT NOT NULL, day {published} NOT NULL, documents INTEGER NOT NULL, mentions INTEGER NOT NULL,
            quotes INTEGER NOT NULL, quote_documents INTEGER NOT NULL, PRIMARY KEY (key, day)
        )""",
        "CREATE INDEX pp_corpus_days_day ON pp_corpus_days (day, key, documents, mentions, quotes, quote_documents)",
        "CREATE TABLE pp_name_words (word TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY (word, key))",
        "CREATE TABLE pp_partials (surface TEXT PRIMARY KEY, target TEXT NOT NULL)",
        _backfill_corpus,
    ]


def _backfill_corpus(backend: Backend, cur: Cursor) -> None:
    """Put the documents stored before migration 2 into the corpus tables, oldest first."""
    cur.execute("SELECT seq FROM pp_documents ORDER BY seq")
    for (seq,) in cur.fetchall():
        cur.execute("SELECT body FROM pp_documents WHERE seq = ?", (seq,))
        add_document(cur, int(seq), facts_of(json.loads(cur.fetchone()[0])))


def _reindex_search(
    write: str, *, as_array: bool, index: Callable[[str | None, str], str] = index_text
) -> Step:
    """Rebuild the full-text index with ``index`` (version 3: ``frozen.index_text``, one tokenizer
    for both stores; version 7: ``frozen_fold.index_text``, folded words); ``write`` stores one
    document's words (parameters: the words, as one string or as an array, then its seq)."""

    def reindex(backend: Backend, cur: Cursor) -> None:
        after = 0
        while True:  # a page at a time: memory stays flat however large the store
            cur.execute(
                "SELECT seq, title, body FROM pp_documents WHERE seq > ? ORDER BY seq LIMIT 200", (after,)
            )
            rows = cur.fetchall()
            for seq, title, body in rows:
                words = index(title, json.loads(body).get("text") or "")
                cur.execute(write, (words.split() if as_array else words, int(seq)))
            if len(rows) < 200:
                return
            after = int(rows[-1][0])

    return reindex


def _copies_tables(big_id: str, blob: str, without_rowid: str) -> list[Step]:
    """Migration 5: the near-copy index (see ``copies``). The stored documents wait in
    ``pp_copy_pending`` until the store next opens and indexes them (``Store``)."""
    return [
        f"ALTER TABLE pp_documents ADD COLUMN copy_of {big_id}",
        "CREATE INDEX pp_documents_copy_of ON pp_documents (copy_of) WHERE copy_of IS NOT NULL",
        "ALTER TABLE pp_doc_entities ADD COLUMN copy INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE pp_quotes ADD COLUMN copy INTEGER NOT NULL DEFAULT 0",
        f"CREATE TABLE pp_copy_signatures (doc {big_id} PRIMARY KEY, signature {blob} NOT NULL)",
        f"""CREATE TABLE pp_copy_bands (
            band INTEGER NOT NULL, hash BIGINT NOT NULL, doc {big_id} NOT NULL, PRIMARY KEY (band, hash, doc)
        ){without_rowid}""",
        f"CREATE TABLE pp_copy_pending (doc {big_id} PRIMARY KEY)",
        "INSERT INTO pp_copy_pending (doc) SELECT seq FROM pp_documents",
    ]


PEOPLE_COLUMNS: list[Step] = [
    # Migration 6: the evidence partial names are resolved by, and people's roles (``corpus``).
    # Rows stored before carry none (no gender, bare mentions or role) until their documents
    # are stored again.
    "ALTER TABLE pp_doc_entities ADD COLUMN gender TEXT",
    "ALTER TABLE pp_doc_entities ADD COLUMN role TEXT",
    "CREATE TABLE pp_roles (key TEXT NOT NULL, role TEXT NOT NULL, documents INTEGER NOT NULL, "
    "PRIMARY KEY (key, role))",
    "ALTER TABLE pp_doc_entities ADD COLUMN bare_mentions INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE pp_corpus ADD COLUMN bare_mentions INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE pp_corpus ADD COLUMN male INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE pp_corpus ADD COLUMN female INTEGER NOT NULL DEFAULT 0",
]


def _period_tables(published: str, without_rowid: str, week_of_day: str) -> list[Step]:
    """Migration 8: a key's counts per week and per month, kept on write like ``pp_corpus_days``
    (so a profile's timeline reads a row per period), filled from the days. ``week_of_day`` is the
    SQL of the Monday starting the week of ``day``, as ``YYYY-MM-DD``."""
    steps: list[Step] = []
    for table, start in (
        ("pp_corpus_weeks", week_of_day),
        ("pp_corpus_months", "substr(day, 1, 7) || '-01'"),
    ):
        steps += [
            f"""CREATE TABLE {table} (
                key TEXT NOT NULL, start {published} NOT NULL, documents INTEGER NOT NULL,
                mentions INTEGER NOT NULL, quotes INTEGER NOT NULL, quote_documents INTEGER NOT NULL,
                PRIMARY KEY (key, start)
            ){without_rowid}""",
            f"INSERT INTO {table} (key, start, documents, mentions, quotes, quote_documents) "
            f"SELECT key, {start}, SUM(documents), SUM(mentions), SUM(quotes), SUM(quote_documents) "
            # A day before the year 1000 is no YYYY-MM-DD (Python writes year 1 as 1-01-01): no period.
            f"FROM pp_corpus_days WHERE day LIKE '____-__-__' GROUP BY key, {start}",
        ]
    return steps


_QUOTE_WORDS = "{t}.folded || coalesce({t}.key, '')"
"""What SQLite's quote word index holds for a quote from version 9: its folded words, then its
speaker's corpus key as one token (``person:ada-byron``; no folded word holds a ``:``)."""

_QUOTE_SEARCH_WITH_KEYS: list[Step] = [
    # Version 9: the speaker's key in the quote word index too, so that a search by speaker and
    # words intersects the two in the index, newest first, and stops at a page, however many quotes
    # the speaker has and however common the word is.
    "DROP TRIGGER pp_quotes_search_insert",
    "DROP TRIGGER pp_quotes_search_delete",
    "DROP TABLE pp_quote_vocab",
    "DROP TABLE pp_quote_search",
    "CREATE VIRTUAL TABLE pp_quote_search USING fts5(words, content='', detail=none, columnsize=0, "
    "tokenize=\"unicode61 remove_diacritics 0 tokenchars ':-_'\")",
    "CREATE VIRTUAL TABLE pp_quote_vocab USING fts5vocab(pp_quote_search, row)",
    f"""CREATE TRIGGER pp_quotes_search_insert AFTER INSERT ON pp_quotes WHEN NEW.n < {QUOTES_PER_ROWID}
    BEGIN INSERT INTO pp_quote_search (rowid, words)
    VALUES ({QUOTE_ROWID.format(t="NEW")}, {_QUOTE_WORDS.format(t="NEW")}); END""",
    f"""CREATE TRIGGER pp_quotes_search_delete AFTER DELETE ON pp_quotes WHEN OLD.n < {QUOTES_PER_ROWID}
    BEGIN INSERT INTO pp_quote_search (pp_quote_search, rowid, words)
    VALUES ('delete', {QUOTE_ROWID.format(t="OLD")}, {_QUOTE_WORDS.format(t="OLD")}); END""",
    # A partial name's quotes move to the full name the corpus resolves it to (``corpus.resolve``).
    f"""CREATE TRIGGER pp_quotes_search_update AFTER UPDATE OF key, folded ON pp_quotes
    WHEN OLD.n < {QUOTES_PER_ROWID} BEGIN
    INSERT INTO pp_quote_search (pp_quote_search, rowid, words)
    VALUES ('delete', {QUOTE_ROWID.format(t="OLD")}, {_QUOTE_WORDS.format(t="OLD")});
    INSERT INTO pp_quote_search (rowid, words) VALUES ({QUOTE_ROWID.format(t="NEW")}, {_QUOTE_WORDS.format(t="NEW")});
    END""",
    f"INSERT INTO pp_quote_search (rowid, words) SELECT {QUOTE_ROWID.format(t='pp_quotes')}, "
    f"{_QUOTE_WORDS.format(t='pp_quotes')} FROM pp_quotes WHERE n < {QUOTES_PER_ROWID}",
    # The speakers' scan with words is only the path of a name of many speakers now: the index
    # no longer holds a second copy of every quote's folded words (2.5 kB a document).
    "DROP INDEX pp_quotes_key",
    "CREATE INDEX pp_quotes_key ON pp_quotes (key, doc, n)",
]

_QUOTE_WORDS_WITH_KEYS: list[Step] = [
    # Version 9: the speaker's key among a quote's lexemes (``person:ada-byron``), computed by the
    # database, so that one GIN lookup intersects a speaker's quotes with a word's.
    "ALTER TABLE pp_quotes DROP COLUMN words",  # and the two indexes that hold it
    "ALTER TABLE pp_quotes ADD COLUMN words TSVECTOR GENERATED ALWAYS AS "
    "(array_to_tsvector(array_remove(string_to_array(btrim(folded) || coalesce(' ' || key, ''), ' '), ''))) STORED",
    "CREATE INDEX pp_quotes_words ON pp_quotes USING GIN (words) WITH (fastupdate = off)",
    # No copy of the words in the speakers' index any more (6 kB a document): a search by speaker
    # and words goes through the GIN index (``Postgres.quote_word_scan``).
    "CREATE INDEX pp_quotes_key ON pp_quotes (key, doc, n)",
]


def _packed_documents(blob: str, *more: str) -> list[Step]:
    """Migration 10: a document's JSON compressed (``packing``) in ``packed``, ``body`` left empty."""
    return [
        f"ALTER TABLE pp_documents ADD COLUMN packed {blob}",
        *more,
        lambda backend, cur: pack_bodies(cur),
    ]


MIGRATIONS: dict[str, list[list[Step]]] = {
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
        ],
        _corpus_tables("INTEGER", "TEXT", "(key, doc, n, folded)"),
        [
            "DROP TABLE pp_search",
            SEARCH_TABLE,
            # Into the empty contentless table: words, then rowid.
            _reindex_search("INSERT INTO pp_search (words, rowid) VALUES (?, ?)", as_array=False),
        ],
        [
            # A quote's folded words in FTS5, kept by triggers (no writer can forget them). Its
            # rowid is the quote's position, newest first when descending (``QUOTE_ROWID``): a
            # search of a rare word reads its matches in the listing's order and stops at a page.
            "CREATE VIRTUAL TABLE pp_quote_search USING fts5(words, content='', detail=none, columnsize=0, "
            "tokenize='unicode61 remove_diacritics 0')",
            "CREATE VIRTUAL TABLE pp_quote_vocab USING fts5vocab(pp_quote_search, row)",
            f"""CREATE TRIGGER pp_quotes_search_insert AFTER INSERT ON pp_quotes WHEN NEW.n < {QUOTES_PER_ROWID}
            BEGIN INSERT INTO pp_quote_search (rowid, words) VALUES ({QUOTE_ROWID.format(t="NEW")}, NEW.folded); END""",
            f"""CREATE TRIGGER pp_quotes_search_delete AFTER DELETE ON pp_quotes WHEN OLD.n < {QUOTES_PER_ROWID}
            BEGIN INSERT INTO pp_quote_search (pp_quote_search, rowid, words)
            VALUES ('delete', {QUOTE_ROWID.format(t="OLD")}, OLD.folded); END""",
            f"INSERT INTO pp_quote_search (rowid, words) SELECT {QUOTE_ROWID.format(t='pp_quotes')}, folded "
            f"FROM pp_quotes WHERE n < {QUOTES_PER_ROWID}",
        ],
        _copies_tables("INTEGER", "BLOB", " WITHOUT ROWID"),
        PEOPLE_COLUMNS,
        [
            # Folded words (``search.fold``): the old entries go at once (a contentless table
            # forgets a row only when told its words), then every document's new words.
            "INSERT INTO pp_search (pp_search) VALUES ('delete-all')",
            _reindex_search(
                "INSERT INTO pp_search (words, rowid) VALUES (?, ?)", as_array=False, index=folded_index_text
            ),
        ],
        _period_tables("TEXT", " WITHOUT ROWID", "date(day, 'weekday 0', '-6 days')"),
        _QUOTE_SEARCH_WITH_KEYS,
        _packed_documents("BLOB"),
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
        ],
        _corpus_tables("BIGINT", 'TEXT COLLATE "C"', "(key, doc, n) INCLUDE (folded)"),
        [
            _reindex_search(
                "UPDATE pp_documents SET search = array_to_tsvector(?::text[]) WHERE seq = ?", as_array=True
            )
        ],
        [
            # A quote's words as lexemes, computed from ``folded`` by the database (no writer can
            # forget them), so that a word search intersects its GIN index with the speaker's.
            "ALTER TABLE pp_quotes ADD COLUMN words TSVECTOR GENERATED ALWAYS AS "
            "(array_to_tsvector(string_to_array(btrim(folded), ' '))) STORED",
            # No pending list: a search would read it whole, each time (3 ms a word after a bulk load).
            "CREATE INDEX pp_quotes_words ON pp_quotes USING GIN (words) WITH (fastupdate = off)",
            # The speaker's scan filters on the words held in its index (an index-only scan once
            # vacuumed): 8 ms through 29,000 quotes of one speaker, against 35 ms reading the rows.
            "DROP INDEX pp_quotes_key",
            "CREATE INDEX pp_quotes_key ON pp_quotes (key, doc, n) INCLUDE (words)",
        ],
        _copies_tables("BIGINT", "BYTEA", ""),
        PEOPLE_COLUMNS,
        [
            # Folded words (``search.fold``) for every stored document.
            _reindex_search(
                "UPDATE pp_documents SET search = array_to_tsvector(?::text[]) WHERE seq = ?",
                as_array=True,
                index=folded_index_text,
            )
        ],
        _period_tables('TEXT COLLATE "C"', "", "to_char(date_trunc('week', day::date), 'YYYY-MM-DD')"),
        _QUOTE_WORDS_WITH_KEYS,
        # Already compressed: PostgreSQL keeps it out of line without trying again.
        _packed_documents("BYTEA", "ALTER TABLE pp_documents ALTER COLUMN packed SET STORAGE EXTERNAL"),
    ],
}


def migrate(backend: Backend) -> None:
    """Bring the store up to the newest schema, one transaction; refuse a store that is newer."""
    migrations = MIGRATIONS[backend.dialect]
    with backend.write() as cur:
        backend.lock_migrations(cur)
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
                if callable(statement):
                    statement(backend, cur)
                else:
                    cur.execute(statement)
            cur.execute("INSERT INTO pp_migrations (version, applied_at) VALUES (?, ?)", (version, now()))
