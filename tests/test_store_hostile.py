"""The store under hostile values, on both backends: one search, out-of-range dates, crafted
cursors, documents it cannot take (refused one by one), and reads that stay consistent while a
writer replaces documents."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from presspipe.store import SCHEMA_VERSION, Filters, InvalidQuery, Store, open_store
from presspipe.store.cursors import encode_cursor
from presspipe.store.search import index_text, words

from . import test_store
from .store_contract import undo_migrations_after_4
from .test_store import make_document

store_url = test_store.store_url  # the fixtures: every test here runs on SQLite and PostgreSQL
store = test_store.store

SEARCH_TEXT = (
    "Write to press@example.com or see example.org/path; pi is 3.14 in v2.0.1 of the_plan, O\u2019Brien said."
)
SEARCH_TABLE = [
    ("example", True),
    ("path", True),
    ("14", True),
    ("v2", True),
    ("press", True),
    ("com", True),
    ("EXAMPLE", True),
    ("plan", True),
    ("brien", True),
    ("press@example.com", True),  # its words: press, example, com
    ("v2.0.1", True),
    ("example nowhere", False),
    ("v3", False),
    ("exam", False),  # whole words only
]


@pytest.mark.parametrize(("query", "found"), SEARCH_TABLE)
def test_one_query_table_finds_the_same_documents_on_both_stores(
    store: Store, query: str, found: bool
) -> None:
    store.put_many([make_document(1, extra=" " + SEARCH_TEXT), make_document(2)])
    ids = [item.id for item in store.list_documents(Filters(q=query)).items]
    assert ids == (["doc00001"] if found else [])


def test_search_words_are_letters_and_digits_case_folded() -> None:
    assert words("press@example.com v2.0.1 3.14 the_plan Straße") == [
        "press",
        "example",
        "com",
        "v2",
        "0",
        "1",
        "3",
        "14",
        "the",
        "plan",
        "strasse",  # casefold, as search.fold does: STRASSE finds it
    ]
    assert index_text("A title", "a Title again") == "a title again"


def test_a_huge_title_and_text_are_indexed_safely(store: Store) -> None:
    document = make_document(1)
    document["text"] += " " + " ".join(f"w{n}" for n in range(200_000))
    store.put(document)
    assert [item.id for item in store.list_documents(Filters(q="w100")).items] == ["doc00001"]


@pytest.mark.parametrize(
    "filters",
    [
        Filters(published_to=date(9999, 12, 31)),
        Filters(published_from=datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1)))),
        Filters(published_to=datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-5)))),
        Filters(published_from=date(1, 1, 1)),
        Filters(q="x" * 100_000),
        Filters(entity="n" * 100_000, speaker="s" * 100_000, pipeline="p" * 100_000),
    ],
)
def test_extreme_filters_select_without_error(store: Store, filters: Filters) -> None:
    store.put_many([make_document(1), make_document(2, published="2026-03-01")])
    store.list_documents(filters)
    list(store.iter_documents(filters))
    store.count(filters)


def test_out_of_range_date_bounds_are_the_ends_of_time(store: Store) -> None:
    store.put_many([make_document(1), make_document(2, published="0001-01-01T00:00:00")])
    early = Filters(published_from=datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1))))
    assert store.count(early) == 2
    assert store.count(Filters(published_to=date(9999, 12, 31))) == 2


@pytest.mark.parametrize(
    "cursor", ["cHAxOjk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk5", encode_cursor(2**63), "\u00ff" * 50, "%%%"]
)
def test_crafted_cursors_are_an_invalid_query(store: Store, cursor: str) -> None:
    with pytest.raises(InvalidQuery, match="invalid cursor"):
        store.list_documents(Filters(), cursor=cursor)


def test_documents_the_store_cannot_take_are_refused_one_by_one(store: Store) -> None:
    bad_published = make_document(2, published="0001-01-01T00:00:00+01:00")
    huge_title = make_document(3)
    huge_title["meta"]["title"] = "T" * 1_700_000
    slash = make_document(4, id="2026/01/article")
    documents = [make_document(1), bad_published, huge_title, slash, make_document(5)]
    results = store.put_many(documents, skip_invalid=True)
    assert [r.problem is None for r in results] == [True, False, False, False, True]
    assert "meta.published '0001-01-01T00:00:00+01:00' is out of range" in str(results[1].problem)
    assert "meta.title of 1,700,000 characters; at most 2,000" in str(results[2].problem)
    assert "holds a '/'" in str(results[3].problem)
    assert store.count() == 2
    with pytest.raises(InvalidQuery, match="out of range"):
        store.put(bad_published)


def test_ingest_skips_what_the_store_cannot_take_and_stores_the_rest(store: Store) -> None:
    counts = store.ingest([make_document(1), make_document(2, published="0001-01-01T00:00:00+01:00")])
    assert (counts.stored, len(counts.skipped)) == (1, 1) and "out of range" in counts.skipped[0]


def test_a_replaced_document_keeps_its_place_in_the_listing(store: Store) -> None:
    store.put_many([make_document(n) for n in range(3)])
    store.put(make_document(0, extra=" Replaced."))
    assert [item.id for item in store.list_documents(Filters()).items] == ["doc00002", "doc00001", "doc00000"]
    assert store.list_documents(Filters(q="replaced")).items[0].id == "doc00000"
    assert store.list_documents(Filters(entity="alice smith"), limit=5).items[-1].id == "doc00000"


def test_exports_and_cursor_walks_see_every_document_once_while_a_writer_replaces_them(
    store_url: str,
) -> None:
    total = 300
    with open_store(store_url) as store:
        store.put_many([make_document(n) for n in range(total)])
    stop = threading.Event()
    rounds = [0]

    def writer() -> None:
        with open_store(store_url) as own:
            while not stop.is_set():
                rounds[0] += 1
                own.put_many([make_document(n, extra=f" Round {rounds[0]}.") for n in range(0, total, 7)])

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        with open_store(store_url) as reader:
            reads = 0
            while reads < 3 or rounds[0] < 3:
                reads += 1
                exported = [document["id"] for document in reader.iter_documents(page_size=20)]
                assert sorted(exported) == [f"doc{n:05d}" for n in range(total)]
                walked: list[str] = []
                cursor = None
                while True:
                    page = reader.list_documents(Filters(), limit=25, cursor=cursor)
                    walked.extend(item.id for item in page.items)
                    if page.next_cursor is None:
                        break
                    cursor = page.next_cursor
                assert sorted(walked) == sorted(exported)
    finally:
        stop.set()
        thread.join()
    assert rounds[0] >= 3, "the writer replaced documents while the reads ran"


def test_the_search_index_is_rebuilt_when_a_version_2_store_is_opened(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "old.db"
    with open_store(path) as store:
        store.put(make_document(1, extra=" " + SEARCH_TEXT))
    conn = sqlite3.connect(path)
    with conn:  # back to version 2: the old index of raw title and text, and no version 3
        undo_migrations_after_4(conn)
        conn.execute("DROP TABLE pp_search")
        conn.execute("CREATE VIRTUAL TABLE pp_search USING fts5(title, text, content='')")
        for later in ("TABLE pp_quote_vocab", "TABLE pp_quote_search", "TRIGGER pp_quotes_search_insert"):
            conn.execute(f"DROP {later}")  # what migration 4 made
        conn.execute("DROP TRIGGER pp_quotes_search_delete")
        conn.execute("DELETE FROM pp_migrations WHERE version >= 3")
    conn.close()
    with open_store(path) as reopened:
        assert reopened.schema_version() == SCHEMA_VERSION
        assert [item.id for item in reopened.list_documents(Filters(q="v2")).items] == ["doc00001"]
