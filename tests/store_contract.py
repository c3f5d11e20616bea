"""The store contract: what every backend does alike, run on each of ``BACKENDS``.

SQLite always; PostgreSQL whenever one answers on 127.0.0.1:5432 (database ``test``, trust auth,
user postgres or root, a fresh schema per test, dropped afterwards; point them elsewhere with
PRESSPIPE_TEST_POSTGRES=postgresql://...). A third backend runs the whole contract by adding
its empty-store URLs to ``BACKENDS``. Tests of one backend alone are in ``test_store.py``; other
modules take the ``store_url`` and ``store`` fixtures and ``make_document`` from here.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import unicodedata
import uuid
from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from presspipe.store import (
    SCHEMA_VERSION,
    Filters,
    InvalidQuery,
    Store,
    StoreError,
    open_store,
)
from presspipe.store.corpus_queries import CorpusFilters
from presspipe.store.migrations import MIGRATIONS
from presspipe.store.packing import unpack

PIPELINE_SHA = "a" * 64
POSTGRES_CANDIDATES = (
    "postgresql://postgres@127.0.0.1:5432/test",
    "postgresql://root@127.0.0.1:5432/test",
)


def _find_postgres() -> tuple[str | None, str]:
    try:
        import psycopg
    except ImportError:
        return None, "psycopg is not installed: pip install 'presspipe[postgres]'"
    candidates = [os.environ["PRESSPIPE_TEST_POSTGRES"]] if "PRESSPIPE_TEST_POSTGRES" in os.environ else []
    problems = []
    for url in candidates or POSTGRES_CANDIDATES:
        try:
            with psycopg.connect(url, connect_timeout=2):
                return url, ""
        except psycopg.Error as error:
            problems.append(f"{url}: {str(error).strip().splitlines()[0]}")
    return None, "; ".join(problems)


POSTGRES_URL, POSTGRES_PROBLEM = _find_postgres()
SKIP_POSTGRES = (
    "no PostgreSQL answers ("
    + POSTGRES_PROBLEM
    + "). To run the store tests on PostgreSQL, start a server on 127.0.0.1:5432 with trust auth and a "
    "database 'test' (e.g. apt-get install -y postgresql && service postgresql start && "
    "su postgres -c 'createdb test'), or set PRESSPIPE_TEST_POSTGRES=postgresql://USER@HOST/DB"
)


def sqlite_url(tmp_path: Path) -> Iterator[str]:
    """A new SQLite file."""
    yield str(tmp_path / "store.db")


def postgresql_url(tmp_path: Path) -> Iterator[str]:
    """A fresh schema of the test database, dropped afterwards (skips when no PostgreSQL answers)."""
    if POSTGRES_URL is None:
        pytest.skip(SKIP_POSTGRES)
    yield from postgres_schema_url()


def postgres_schema_url() -> Iterator[str]:
    import psycopg

    assert POSTGRES_URL is not None
    schema = f"pp_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in POSTGRES_URL else "?"
    try:
        yield f"{POSTGRES_URL}{separator}options={quote(f'-csearch_path={schema}')}"
    finally:
        with psycopg.connect(POSTGRES_URL, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


BACKENDS: dict[str, Callable[[Path], Iterator[str]]] = {
    "sqlite": sqlite_url,
    "postgresql": postgresql_url,
}
"""Every store backend the contract runs on: its name -> the URLs of empty stores (one per test,
cleaned up after). A new backend adds a line here and runs every test of this module."""


@pytest.fixture(params=list(BACKENDS))
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty store, on each of ``BACKENDS`` in turn."""
    yield from BACKENDS[request.param](tmp_path)


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with open_store(store_url) as opened:
        yield opened


def make_document(
    n: int,
    *,
    pipeline: str = "news",
    pipeline_sha: str = PIPELINE_SHA,
    speaker: str = "Alice Smith",
    place: str = "Paris",
    published: str | None = "2026-01-06T07:03:00",
    extra: str = "",
    id: str | None = None,
) -> dict[str, Any]:
    """A processed document with consistent spans: two entities, one quote, a summary."""
    text = (
        f"{speaker} met Bob Jones in {place} on day {n}.\n\n"
        f"\u201cWe agreed on everything,\u201d said {speaker.split()[-1]}. Word{n} closes it.{extra}"
    )

    def span(fragment: str, after: int = 0) -> dict[str, Any]:
        start = text.index(fragment, after)
        return {"text": fragment, "start": start, "end": start + len(fragment)}

    quote_span = span("\u201cWe agreed on everything,\u201d")
    surname = speaker.split()[-1]
    speaker_span = span(surname, quote_span["end"])
    raw = f"raw {n} {speaker} {place}{extra}"
    return {
        "schema_version": 1,
        "id": id or f"doc{n:05d}",
        "source": {
            "uri": f"test://{n}",
            "media_type": "text/plain",
            "sha256": hashlib.sha256(raw.encode()).hexdigest(),
        },
        "meta": {"title": f"Meeting number {n} in {place}", "published": published},
        "text": text,
        "entities": [
            {
                "id": "E1",
                "name": speaker,
                "label": "PERSON",
                "mentions": [span(speaker), {**speaker_span}],
            },
            {"id": "E2", "name": "Bob Jones", "label": "PERSON", "mentions": [span("Bob Jones")]},
            {"id": "E3", "name": place, "label": "GPE", "mentions": [span(place)]},
        ],
        "quotes": [
            {
                "id": "Q1",
                **quote_span,
                "kind": "direct",
                "speaker": {**speaker_span, "entity": "E1"},
                "cue": span("said"),
            }
        ],
        "summary": {
            "method": "lead",
            "sentences": [{"start": 0, "end": text.index(".") + 1}],
            "text": text[: text.index(".") + 1],
        },
        "provenance": {
            "presspipe": "0.1.0",
            "pipeline": {"name": pipeline, "sha256": pipeline_sha},
            "steps": [],
        },
        "errors": [],
    }


def ids(store: Store, **filters: Any) -> list[str]:
    return [item.id for item in store.list_documents(Filters(**filters), limit=500).items]


# ---------------------------------------------------------------------- storing


def test_put_then_get_returns_the_same_document(store: Store) -> None:
    document = make_document(1)
    result = store.put(document)
    assert result.created and result.id == "doc00001" and result.pipeline == "news"
    assert store.get("doc00001") == document
    assert json.loads(store.get_json("doc00001", "news") or "") == document
    assert store.get("missing") is None
    assert store.get("doc00001", "other") is None


def test_same_content_same_pipeline_keeps_the_stored_document(store: Store) -> None:
    assert store.put(make_document(1)).created
    again = make_document(1)
    again["provenance"]["steps"] = [{"step": "x", "plugin": "y", "version": "1", "seconds": 9.0}]
    assert not store.put(again).created
    assert store.get("doc00001")["provenance"]["steps"] == []  # type: ignore[index]
    assert store.count() == 1
    found = store.find("doc00001", "news", PIPELINE_SHA, make_document(1)["source"]["sha256"])
    assert found == make_document(1)


def test_new_content_or_pipeline_hash_replaces_the_document_and_its_indexes(store: Store) -> None:
    store.put(make_document(1, speaker="Alice Smith", place="Paris"))
    assert store.put(make_document(1, speaker="Carol White", place="Rome")).created
    assert store.count() == 1
    assert ids(store, entity="Paris") == [] and ids(store, q="Paris") == []
    assert ids(store, speaker="alice smith") == []
    assert ids(store, entity="Rome") == ["doc00001"] and ids(store, speaker="Carol White") == ["doc00001"]
    assert store.put(make_document(1, speaker="Carol White", place="Rome", pipeline_sha="b" * 64)).created
    assert store.get("doc00001")["provenance"]["pipeline"]["sha256"] == "b" * 64  # type: ignore[index]
    assert store.count() == 1


def test_the_same_id_from_two_pipelines_is_kept_twice(store: Store) -> None:
    store.put(make_document(1, pipeline="news", place="Paris"))
    store.put(make_document(1, pipeline="ents", place="Rome"))
    assert store.count() == 2
    assert store.get("doc00001", "news")["meta"]["title"].endswith("Paris")  # type: ignore[index]
    assert store.get("doc00001")["provenance"]["pipeline"]["name"] == "ents"  # type: ignore[index]
    assert ids(store, pipeline="news") == ["doc00001"]
    assert store.delete("doc00001", "ents") and not store.delete("doc00001", "ents")
    assert store.get("doc00001")["provenance"]["pipeline"]["name"] == "news"  # type: ignore[index]
    assert ids(store, entity="Rome") == [] and ids(store, q="rome") == []


def test_a_failed_or_unprocessed_document_is_refused(store: Store) -> None:
    failed = make_document(1)
    failed["errors"] = [{"step": "entities.spacy", "code": "X", "message": "boom"}]
    with pytest.raises(InvalidQuery, match="failed in processing"):
        store.put(failed)
    raw = make_document(2)
    del raw["provenance"]
    with pytest.raises(InvalidQuery, match="provenance"):
        store.put(raw)
    assert store.count() == 0


# ---------------------------------------------------------------------- filters


def test_filters_by_entity_speaker_words_pipeline_and_date(store: Store) -> None:
    store.put(make_document(1, speaker="Alice Smith", place="Paris", published="2026-01-05T23:00:00"))
    store.put(make_document(2, speaker="Carol White", place="Rome", published="2026-01-06"))
    store.put(make_document(3, speaker="Alice Smith", place="Rome", published="2026-01-07T10:00:00+02:00"))
    store.put(make_document(4, pipeline="ents", place="Oslo", published=None))

    assert ids(store, entity="paris") == ["doc00001"]
    assert ids(store, entity="  ROME ") == ["doc00003", "doc00002"]
    assert ids(store, entity="Smith") == ["doc00004", "doc00003", "doc00001"]  # a mention's text
    assert ids(store, speaker="Alice Smith") == ["doc00004", "doc00003", "doc00001"]  # via the entity
    assert ids(store, speaker="whit") == []  # whole names only
    assert ids(store, speaker="WHITE") == ["doc00002"]  # the speaker span as written
    assert ids(store, q="rome agreed") == ["doc00003", "doc00002"]
    assert ids(store, q="rome oslo") == []
    assert ids(store, q="Word2") == ["doc00002"]
    assert ids(store, q="meeting") == ["doc00004", "doc00003", "doc00002", "doc00001"]  # the title
    assert ids(store, pipeline="ents") == ["doc00004"]
    assert ids(store, published_from=date(2026, 1, 6)) == ["doc00003", "doc00002"]
    assert ids(store, published_to=date(2026, 1, 6)) == ["doc00002", "doc00001"]
    assert ids(store, published_from=date(2026, 1, 6), published_to=date(2026, 1, 6)) == ["doc00002"]
    assert ids(store, published_from=datetime(2026, 1, 7, 8, 0)) == ["doc00003"]  # 10:00+02:00 is 08:00 UTC
    assert ids(store, published_to=datetime(2026, 1, 7, 7, 59)) == ["doc00002", "doc00001"]
    assert ids(store, entity="Rome", speaker="Alice Smith", q="agreed") == ["doc00003"]
    assert store.count(Filters(entity="rome")) == 2


@pytest.mark.parametrize(
    "filters",
    [
        {"entity": "a\x00b"},
        {"q": "!!! ..."},
        {"q": "\ud800"},
        {"speaker": "x\x00"},
    ],
)
def test_filters_no_database_can_look_up_are_refused(store: Store, filters: dict[str, str]) -> None:
    with pytest.raises(InvalidQuery):
        store.list_documents(Filters(**filters))
    with pytest.raises(InvalidQuery):
        store.get("a\x00")


def test_search_words_are_never_read_as_query_syntax(store: Store) -> None:
    store.put(make_document(1))
    for q in [
        '"agreed',
        "agreed OR nothing",
        "agreed AND",
        "NEAR(agreed",
        "agreed*",
        "title:agreed",
        "x'); --",
    ]:
        store.list_documents(Filters(q=q))  # no syntax error, whatever the words


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def test_search_folds_a_query_as_it_folds_the_text(store: Store) -> None:
    # q=Müller typed in NFD once found nothing where NFC found the document; dotted İ and
    # zero-width characters the same.
    store.put(make_document(1, speaker="Jürgen Müller", place="İstanbul"))
    store.put(make_document(2, speaker=nfd("Jörg Weiß"), place="Mal\u200bmö"))
    for q, found in [
        (nfd("Müller"), ["doc00001"]),
        ("MÜLLER", ["doc00001"]),
        ("Mül\u200bler", ["doc00001"]),
        ("istanbul", ["doc00001"]),
        ("İSTANBUL", ["doc00001"]),
        (nfd("İstanbul"), ["doc00001"]),
        ("Jörg", ["doc00002"]),
        ("WEISS", ["doc00002"]),
        ("malmö", ["doc00002"]),
        ("ＭＡＬＭÖ", ["doc00002"]),  # full-width letters (NFKC)
        ("muller", []),  # accents are kept
    ]:
        assert ids(store, q=q) == found, q


def test_migration_7_folds_the_words_of_documents_stored_before_it(store_url: str) -> None:
    from presspipe.store.frozen import index_text as unfolded_index_text

    document = make_document(1, speaker=nfd("Jürgen Müller"))
    with open_store(store_url) as store:
        store.put(document)
        db = store._db
        before = unfolded_index_text(document["meta"]["title"], document["text"])
        text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
        with db.write() as cur:  # the index and the body as version 6 wrote them
            if db.dialect == "sqlite":
                cur.execute("INSERT INTO pp_search (pp_search) VALUES ('delete-all')")
                cur.execute("INSERT INTO pp_search (words, rowid) SELECT ?, seq FROM pp_documents", (before,))
            else:
                cur.execute(
                    "UPDATE pp_documents SET search = array_to_tsvector(?::text[])", (before.split(),)
                )
            cur.execute("UPDATE pp_documents SET body = ?", (text,))
        assert ids(store, q="Müller") == []
        with db.write() as cur:  # migration 7 again, then 10 (the body packed again)
            for step in [*MIGRATIONS[db.dialect][7 - 1], MIGRATIONS[db.dialect][10 - 1][-1]]:
                if callable(step):
                    step(db, cur)
                else:
                    cur.execute(step)
        assert ids(store, q="Müller") == ids(store, q=nfd("MÜLLER")) == ["doc00001"]
        assert ids(store, q="Bob") == ["doc00001"]
        assert store.get(document["id"]) == document


# ---------------------------------------------------------------------- pages and streams


def test_cursor_pages_cover_every_document_once_newest_first(store: Store) -> None:
    store.put_many([make_document(n, place="Rome" if n % 2 else "Oslo") for n in range(25)])
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        page = store.list_documents(Filters(), limit=10, cursor=cursor)
        seen.extend(item.id for item in page.items)
        pages += 1
        cursor = page.next_cursor
        if cursor is None:
            break
    assert pages == 3
    assert seen == [f"doc{n:05d}" for n in reversed(range(25))]
    first = store.list_documents(Filters(entity="rome"), limit=5)
    second = store.list_documents(Filters(entity="rome"), limit=10, cursor=first.next_cursor)
    assert [i.id for i in first.items + second.items] == [f"doc{n:05d}" for n in reversed(range(1, 25, 2))]
    assert second.next_cursor is None
    item = first.items[0]
    assert (item.title, item.entity_count, item.quote_count, item.published) == (
        "Meeting number 23 in Rome",
        3,
        1,
        "2026-01-06T07:03:00",
    )


@pytest.mark.parametrize("cursor", ["nonsense", "cHAxOng", "", "%%%"])
def test_a_bad_cursor_is_refused(store: Store, cursor: str) -> None:
    with pytest.raises(InvalidQuery, match="cursor"):
        store.list_documents(Filters(), cursor=cursor or "x")


def test_iter_documents_streams_every_selected_document(store: Store) -> None:
    store.put_many([make_document(n, place="Rome" if n < 7 else "Oslo") for n in range(12)])
    streamed = store.iter_documents(Filters(entity="rome"), page_size=3)
    assert [d["id"] for d in streamed] == [f"doc{n:05d}" for n in reversed(range(7))]
    assert len(list(store.iter_documents(page_size=5))) == 12


# ---------------------------------------------------------------------- ingest, batches, schema


def test_ingest_jsonl_stores_processed_documents_and_names_what_it_skips(
    store: Store, tmp_path: Path
) -> None:
    failed = make_document(3)
    failed["errors"] = [{"step": None, "code": "schema", "message": "bad"}]
    raw = make_document(4)
    del raw["provenance"]
    lines = [json.dumps(d) for d in (make_document(1), make_document(2), failed, raw)]
    path = tmp_path / "out.jsonl"
    path.write_text("\n".join([*lines, "{not json", "[1]", ""]) + "\n", encoding="utf-8")
    counts = store.ingest_jsonl(path)
    assert (counts.stored, counts.unchanged, len(counts.skipped)) == (2, 0, 4)
    assert any("doc00003: failed in processing" in s for s in counts.skipped)
    assert any(f"{path}:5: invalid JSON" in s for s in counts.skipped)
    again = store.ingest_jsonl(path)
    assert (again.stored, again.unchanged) == (0, 2)


def test_batches_are_kept_and_updated(store: Store) -> None:
    batch = store.batches.create("b1", "news", 3)
    assert (batch.status, batch.total, batch.processed, batch.finished_at) == ("queued", 3, 0, None)
    store.batches.update("b1", status="done", processed=3, failed=1, results=[{"index": 0}], finished=True)
    done = store.batches.get("b1")
    assert done is not None and (done.status, done.processed, done.failed) == ("done", 3, 1)
    assert done.results == [{"index": 0}] and done.finished_at
    assert store.batches.get("nope") is None


def test_migrations_run_once_and_a_newer_store_is_refused(store_url: str) -> None:
    with open_store(store_url) as first:
        assert first.schema_version() == SCHEMA_VERSION
        first.put(make_document(1))
    with open_store(store_url) as second:
        assert second.schema_version() == SCHEMA_VERSION and second.count() == 1
        with second._db.write() as cur:
            cur.execute(second._db.sql("INSERT INTO pp_migrations VALUES (?, ?)"), (99, "later"))
    with pytest.raises(StoreError, match="newer than this presspipe"):
        open_store(store_url)


def test_a_new_migration_upgrades_an_existing_store_and_keeps_its_documents(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from presspipe.store import migrations as store_module

    with open_store(store_url) as first:
        first.put(make_document(1))
    later = {
        dialect: [*steps, ["ALTER TABLE pp_documents ADD COLUMN language TEXT"]]
        for dialect, steps in store_module.MIGRATIONS.items()
    }
    monkeypatch.setattr(store_module, "MIGRATIONS", later)
    with open_store(store_url) as upgraded:
        assert upgraded.schema_version() == SCHEMA_VERSION + 1
        assert upgraded.get("doc00001") == make_document(1)
        assert upgraded._db.query_one("SELECT language FROM pp_documents") == (None,)


def period_counts(store: Store) -> dict[str, dict[tuple[str, str], tuple[int, ...]]]:
    """The counts per week and per month as stored, and as summed here from the counts per day."""
    found: dict[str, dict[tuple[str, str], tuple[int, ...]]] = {}
    for table in ("pp_corpus_weeks", "pp_corpus_months"):
        rows = store._db.query(
            f"SELECT key, start, documents, mentions, quotes, quote_documents FROM {table}"
        )
        found[table] = {(k, start): tuple(counts) for k, start, *counts in rows if any(counts)}
    summed: dict[str, dict[tuple[str, str], list[int]]] = {"weeks from days": {}, "months from days": {}}
    for key, day, *counts in store._db.query(
        "SELECT key, day, documents, mentions, quotes, quote_documents FROM pp_corpus_days WHERE day LIKE '____-__-__'"
    ):
        year, week, _ = date.fromisoformat(day).isocalendar()
        for name, start in (
            ("weeks from days", date.fromisocalendar(year, week, 1).isoformat()),
            ("months from days", f"{day[:7]}-01"),
        ):
            totals = summed[name].setdefault((key, start), [0, 0, 0, 0])
            totals[:] = [a + int(b) for a, b in zip(totals, counts, strict=True)]
    for name, rows in summed.items():
        found[name] = {k: tuple(v) for k, v in rows.items() if any(v)}
    return found


def test_counts_per_week_and_month_follow_puts_replacements_and_deletions(store_url: str) -> None:
    # A Sunday and the Monday after it (two ISO weeks), the last day of a month and the first of the next.
    days = ["2026-01-04T23:30:00", "2026-01-05T00:10:00", "2026-01-31T12:00:00", "2026-02-01T08:00:00"]
    with open_store(store_url) as store:
        for n, day in enumerate(days * 2):
            store.put(make_document(n, published=day, speaker="Alice Smith" if n % 2 else "Carol Smith"))
        store.put(make_document(20, speaker="Alice Smith", published=days[1]))  # "Smith" alone
        store.put(make_document(3, published="2025-12-31T10:00:00", extra=" Moved."))  # replaced, new date
        store.delete("doc00005", "news")
        counts = period_counts(store)
        assert counts["pp_corpus_weeks"] == counts["weeks from days"]
        assert counts["pp_corpus_months"] == counts["months from days"]
        assert counts["pp_corpus_weeks"][("gpe:paris", "2025-12-29")] == (3, 3, 0, 0)
        assert ("gpe:paris", "2025-12-01") in counts["pp_corpus_months"]
        # The profile reads them: the same timeline as the days give.
        weeks = store.corpus.profile("gpe:paris", CorpusFilters(), period="week")
        assert weeks is not None
        assert [(p.period, p.documents) for p in weeks.timeline] == [
            ("2026-W01", 3),
            ("2026-W02", 2),
            ("2026-W03", 0),
            ("2026-W04", 0),
            ("2026-W05", 3),
        ]
        months = store.corpus.profile("gpe:paris", CorpusFilters(), period="month")
        assert months is not None
        assert [(p.period, p.documents) for p in months.timeline] == [
            ("2025-12", 1),
            ("2026-01", 6),
            ("2026-02", 1),
        ]
        for n in range(8):
            store.delete(f"doc{n:05d}", "news")
        store.delete("doc00020", "news")
        assert period_counts(store)["pp_corpus_weeks"] == {}


def test_migration_8_fills_the_counts_per_week_and_month_from_the_days(store_url: str) -> None:
    with open_store(store_url) as store:
        # Year 1 is stored as 1-01-01T00:00:00 (Python's strftime): its day is kept, no week or month.
        for n, day in enumerate(["2026-01-04T10:00:00", "2026-01-05T10:00:00", "2026-03-01T10:00:00"]):
            store.put(make_document(n, published=day))
        store.put(make_document(3, published="0001-01-01T00:00:00", place="Rome"))
        before = period_counts(store)
        with store._db.write() as cur:
            for table in ("pp_corpus_weeks", "pp_corpus_months"):
                cur.execute(f"DROP TABLE {table}")
            for step in MIGRATIONS[store.dialect][8 - 1]:  # migration 8 again, on the stored days
                assert isinstance(step, str)
                cur.execute(step)
        after = period_counts(store)
    assert after == before and after["pp_corpus_weeks"] == after["weeks from days"]
    assert len(after["pp_corpus_months"]) == 6  # three keys, two months (not Rome)


def test_documents_are_stored_packed_and_served_as_they_were_put(store_url: str) -> None:
    documents = [make_document(n, extra=" Ünïcode — padding." * 200) for n in range(3)]
    with open_store(store_url) as store:
        store.put_many(documents)
        stored = {
            str(id): (str(body), bytes(packed))
            for id, body, packed in store._db.query("SELECT id, body, packed FROM pp_documents")
        }
        for document in documents:
            body, packed = stored[document["id"]]
            text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
            assert body == "" and len(packed) < len(text.encode()) / 5  # one copy, compressed
            assert store.get_json(document["id"]) == text
        # Migration 10 again, over documents stored as before it (the JSON text in ``body``).
        with store._db.write() as cur:
            for document in documents:
                cur.execute(
                    "UPDATE pp_documents SET body = ?, packed = NULL WHERE id = ?",
                    (json.dumps(document, ensure_ascii=False, separators=(",", ":")), document["id"]),
                )
            step = MIGRATIONS[store.dialect][10 - 1][-1]
            assert callable(step)
            step(store._db, cur)
        assert [store.get(d["id"]) for d in documents] == documents
        assert store._db.query("SELECT DISTINCT body FROM pp_documents") == [("",)]


# ---------------------------------------------------------------------- a real kill

INGEST_UNTIL_KILLED = """
import sys
from presspipe.store import open_store
from tests.store_contract import make_document
store = open_store(sys.argv[1])
n = 0
while True:
    # Bigger documents, so the kill is likely to land inside a write.
    store.put(make_document(n, extra=" padding" * 2000))
    print(n, flush=True)  # acknowledged: put() has committed
    n += 1
"""


def test_a_killed_ingest_loses_no_acknowledged_document_and_leaves_none_half_written(store_url: str) -> None:
    root = Path(__file__).resolve().parent.parent
    process = subprocess.Popen(
        [sys.executable, "-c", INGEST_UNTIL_KILLED, store_url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=root,
    )
    acknowledged: list[int] = []
    assert process.stdout is not None
    try:
        for line in process.stdout:
            acknowledged.append(int(line))
            if len(acknowledged) >= 40:
                break
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL, process.stderr.read() if process.stderr else ""
    assert len(acknowledged) >= 40
    with open_store(store_url) as store:
        for n in acknowledged:
            assert store.get(f"doc{n:05d}") == make_document(n, extra=" padding" * 2000)
        stored = list(store.iter_documents())
        # Whatever was stored (the acknowledged ones, maybe one more committed just before the
        # kill) is whole: its body and every index row are there.
        assert len(stored) in (len(acknowledged), len(acknowledged) + 1)
        assert store.count(Filters(entity="Bob Jones")) == len(stored)
        assert store.count(Filters(speaker="Alice Smith")) == len(stored)
        assert store.count(Filters(q="agreed padding")) == len(stored)
        if store.dialect == "sqlite":
            assert store._db.query_one("PRAGMA integrity_check")[0] == "ok"
        store.put(make_document(100_000))  # and the store takes writes again
        assert store.count() == len(stored) + 1


WRITER = """
import sys
from presspipe.store import open_store
from tests.store_contract import make_document
store = open_store(sys.argv[1])
offset = int(sys.argv[2])
for n in range(25):
    store.put(make_document(offset + n))
    store.put(make_document(7, place="Shared"))  # the same document from both processes
print("ok")
"""


def test_two_processes_writing_at_once_lose_nothing_and_duplicate_nothing(store_url: str) -> None:
    open_store(store_url).close()  # migrated before the writers race
    root = Path(__file__).resolve().parent.parent
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, store_url, str(offset)],
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for offset in (1000, 2000)
    ]
    for writer in writers:
        out, err = writer.communicate(timeout=120)
        assert writer.returncode == 0 and out.strip() == "ok", err
    with open_store(store_url) as store:
        assert store.count() == 51
        assert ids(store, entity="Shared") == ["doc00007"]


def undo_migrations_after_4(conn: Any) -> None:
    """Take out of a SQLite store what migrations 5 (the near-copy index), 6 (gender evidence and
    roles), 8 (the counts per week and month), 9 (the quote word index's trigger on updates) and
    10 (packed documents) made, as in a store from before them (7 changed no table)."""
    for seq, packed in conn.execute("SELECT seq, packed FROM pp_documents").fetchall():
        conn.execute("UPDATE pp_documents SET body = ? WHERE seq = ?", (unpack(packed), seq))
    conn.execute("ALTER TABLE pp_documents DROP COLUMN packed")
    conn.execute("DROP TRIGGER pp_quotes_search_update")
    for table in ("pp_corpus_weeks", "pp_corpus_months"):
        conn.execute(f"DROP TABLE {table}")
    conn.execute("DROP TABLE pp_roles")
    for table, column in (
        ("pp_doc_entities", "gender"),
        ("pp_doc_entities", "role"),
        ("pp_doc_entities", "bare_mentions"),
        ("pp_corpus", "bare_mentions"),
        ("pp_corpus", "male"),
        ("pp_corpus", "female"),
    ):
        conn.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    for table in ("pp_copy_signatures", "pp_copy_bands", "pp_copy_pending"):
        conn.execute(f"DROP TABLE {table}")
    conn.execute("DROP INDEX pp_documents_copy_of")
    conn.execute("ALTER TABLE pp_documents DROP COLUMN copy_of")
    for table in ("pp_doc_entities", "pp_quotes"):
        conn.execute(f"ALTER TABLE {table} DROP COLUMN copy")
