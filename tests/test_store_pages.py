"""What the pages ask of the store, on SQLite and PostgreSQL: paging back, totals of rankings,
facets counted within a listing's selection, undated documents."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from presspipe.store import Filters, Store, open_store
from presspipe.store.corpus_queries import CorpusFilters

from . import test_store
from .corpus_documents import article

store_url = test_store.store_url
"""Each test runs on SQLite and on PostgreSQL (see test_store)."""


@pytest.fixture
def db(store_url: str) -> Iterator[Store]:
    with open_store(store_url) as opened:
        yield opened


def corpus(db: Store) -> None:
    """Twelve documents: Ada in all, Alan quoted in the odd ones, Grace in every third; 10-12 undated."""
    documents = []
    for n in range(1, 13):
        people = ["Ada Byron", "Alan Turing"] + (["Grace Hopper"] if n % 3 == 0 else [])
        quotes = [(1, f"Words {n}")] if n % 2 else [(0, f"Counting {n}")]
        published = None if n >= 10 else f"2026-0{n}-15T08:00:00"
        documents.append(article(n, people, quotes=quotes, published=published))
    db.put_many(documents)


@pytest.mark.parametrize("sort", ["stored", "published", "oldest"])
def test_pages_lead_back_to_the_one_before_and_know_their_place(db: Store, sort: str) -> None:
    corpus(db)
    forward = [db.list_documents(Filters(), limit=5, sort=sort, locate=True)]
    while forward[-1].next_cursor:
        forward.append(
            db.list_documents(Filters(), limit=5, cursor=forward[-1].next_cursor, sort=sort, locate=True)
        )
    assert [len(p.items) for p in forward] == [5, 5, 2]
    assert [p.offset for p in forward] == [0, 5, 10]
    # The last page's previous cursor gives the middle page; the middle page's is the first page (None).
    assert forward[1].previous_cursor is None and forward[2].previous_cursor is not None
    back = db.list_documents(Filters(), limit=5, cursor=forward[2].previous_cursor, sort=sort, locate=True)
    assert [d.id for d in back.items] == [d.id for d in forward[1].items]
    assert back.offset == 5


def test_a_keyset_page_back_under_a_filter_skips_what_the_filter_leaves_out(db: Store) -> None:
    corpus(db)
    grace = Filters(entity="grace hopper")  # documents 3, 6, 9, 12
    first = db.list_documents(grace, limit=1, locate=True)
    second = db.list_documents(grace, limit=1, cursor=first.next_cursor, locate=True)
    third = db.list_documents(grace, limit=1, cursor=second.next_cursor, locate=True)
    assert [p.items[0].id for p in (first, second, third)] == ["art0012", "art0009", "art0006"]
    assert (second.offset, third.offset) == (1, 2)
    assert db.list_documents(grace, limit=1, cursor=third.previous_cursor).items[0].id == "art0009"


def test_undated_documents_are_a_filter(db: Store) -> None:
    corpus(db)
    undated = db.list_documents(Filters(undated=True), limit=20).items
    assert sorted(d.id for d in undated) == ["art0010", "art0011", "art0012"]
    assert db.count(Filters(undated=True, entity="grace hopper")) == 1
    assert db.count(Filters(undated=False)) == 12


def test_ranking_totals_count_every_page_under_each_filter(db: Store) -> None:
    corpus(db)
    assert db.corpus.speaker_count(CorpusFilters()) == 2
    assert db.corpus.entity_count(CorpusFilters()) == 4  # Ada, Alan, Grace, Kyiv
    assert db.corpus.entity_count(CorpusFilters(label="PERSON")) == 3
    assert db.corpus.entity_count(CorpusFilters(q="counting")) == 4  # ORDER-free count, words of documents
    assert db.corpus.speaker_count(CorpusFilters(q="words")) == 1  # words of quotes: Alan only
    assert db.corpus.entity_count(CorpusFilters(published_to=date(2026, 2, 28))) == 3  # no Grace yet
    page = db.corpus.entities(CorpusFilters(), limit=3)
    second = db.corpus.entities(CorpusFilters(), limit=3, cursor=page.next_cursor)
    assert (second.offset, len(second.items), second.next_cursor) == (3, 1, None)
    assert second.previous_cursor is None  # the page before is the first


def test_facets_count_within_the_listing_selection(db: Store) -> None:
    corpus(db)
    grace = CorpusFilters(within=Filters(entity="grace hopper"))
    speakers = {s.key: s.quotes for s in db.corpus.speakers(grace).items}
    assert speakers == {"person:alan-turing": 2, "person:ada-byron": 2}  # 3, 9 and 6, 12
    entities = {e.key: e.documents for e in db.corpus.entities(grace).items}
    assert entities == {
        "person:grace-hopper": 4,
        "person:ada-byron": 4,
        "person:alan-turing": 4,
        "gpe:kyiv": 4,
    }
    assert db.corpus.entity_count(CorpusFilters(within=Filters(q="counting", undated=True))) == 4  # 10, 12
    assert db.corpus.speaker_count(CorpusFilters(within=Filters(speaker="alan turing", undated=True))) == 1


def test_a_profile_counts_its_undated_documents_and_picks_its_period(db: Store) -> None:
    corpus(db)
    ada = db.corpus.profile("person:ada-byron", CorpusFilters(), period="auto")
    assert ada is not None and ada.undated == 3 and ada.entity.documents == 12
    assert ada.period == "week" and len(ada.timeline) == 36  # 2026-W03 to 2026-W38
    assert sum(p.documents for p in ada.timeline) == 9
    grace = db.corpus.profile("person:grace-hopper", CorpusFilters(), period="month")
    assert grace is not None and (grace.undated, [p.documents for p in grace.timeline]) == (
        1,
        [1, 0, 0, 1, 0, 0, 1],
    )
    years = db.corpus.profile("person:grace-hopper", CorpusFilters(), period="year")  # from the months kept
    assert years is not None and [(p.period, p.documents) for p in years.timeline] == [("2026", 3)]
    copies = db.corpus.profile("person:grace-hopper", CorpusFilters(copies=True), period="year")
    assert copies is not None and copies.undated == 1 and [p.period for p in copies.timeline] == ["2026"]
