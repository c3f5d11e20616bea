"""Corpus identity and corpus questions, on SQLite and PostgreSQL (the fixtures of test_store)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from presspipe.store import (
    SCHEMA_VERSION,
    Filters,
    InvalidQuery,
    Store,
    corpus_queries,
    open_store,
    sqlite,
)
from presspipe.store.corpus import corpus_key, dominant, name_words, outlet_of, person_words
from presspipe.store.corpus_queries import CorpusFilters
from presspipe.store.timeline import timeline

from . import test_store
from .corpus_documents import article
from .store_contract import undo_migrations_after_4
from .test_store import make_document

store_url = test_store.store_url
"""Each test runs on SQLite and on PostgreSQL (see test_store)."""


@pytest.fixture
def db(store_url: str) -> Iterator[Store]:
    with open_store(store_url) as opened:
        yield opened


def speakers(db: Store, **filters: object) -> dict[str, int]:
    return {i.key: i.quotes for i in db.corpus.speakers(CorpusFilters(**filters), limit=100).items}  # type: ignore[arg-type]


def test_keys_fold_case_accents_punctuation_and_titles() -> None:
    assert corpus_key("PERSON", person_words("PERSON", "Nicolás Maduro")) == "person:nicolas-maduro"
    assert corpus_key("PERSON", person_words("PERSON", "NICOLAS  MADURO")) == "person:nicolas-maduro"
    assert corpus_key("PERSON", person_words("PERSON", "Mr. Obama")) == "person:obama"
    assert corpus_key("ORG", person_words("ORG", "U.S. Army")) == "org:u-s-army"
    assert name_words("O\u2019Neill") == ["oneill"]
    assert outlet_of({"source": {"uri": "https://www.bbc.co.uk/news/1"}}) == "bbc.co.uk"
    assert outlet_of({"source": {"uri": "seeds/a.txt"}, "meta": {"site": "Reuters"}}) == "reuters"
    assert outlet_of({"source": {"uri": "seeds/a.txt"}}) is None


def test_dominant_full_name_needs_nine_in_ten_mentions() -> None:
    assert dominant({"person:barack-obama": 3}) == "person:barack-obama"
    assert dominant({"person:barack-obama": 90, "person:michelle-obama": 10}) == "person:barack-obama"
    assert dominant({"person:barack-obama": 89, "person:michelle-obama": 11}) is None
    assert dominant({}) is None


def test_surname_joins_the_only_full_name_in_the_corpus(db: Store) -> None:
    db.put(article(1, ["Barack Obama"], quotes=[(0, "We can")]))
    db.put(article(2, ["Obama"], quotes=[(0, "Yes we can"), (0, "Again")]))
    db.put(article(3, ["Mr. Obama"], quotes=[(0, "Once more")]))
    assert speakers(db) == {"person:barack-obama": 4}
    profile = db.corpus.profile("person:barack-obama", CorpusFilters())
    assert profile is not None and profile.entity.documents == 3 and profile.names == ["person:obama"]
    assert db.corpus.profile("person:obama", CorpusFilters()) is None


def test_surname_joins_when_the_full_name_arrives_later_and_leaves_when_it_goes(db: Store) -> None:
    db.put(article(1, ["Obama"], quotes=[(0, "First")]))
    assert speakers(db) == {"person:obama": 1}
    db.put(article(2, ["Barack Obama"], quotes=[(0, "Second")]))
    assert speakers(db) == {"person:barack-obama": 2}
    assert speakers(db, published_from=date(2026, 1, 1)) == {"person:barack-obama": 2}
    db.delete("art0002", "news")
    assert speakers(db) == {"person:obama": 1}
    assert speakers(db, published_from=date(2026, 1, 1)) == {"person:obama": 1}


def test_surname_stays_apart_when_two_full_names_compete(db: Store) -> None:
    db.put(article(1, ["Barack Obama"], quotes=[(0, "One")]))
    db.put(article(2, ["Michelle Obama"], quotes=[(0, "Two")]))
    db.put(article(3, ["Obama"], quotes=[(0, "Three")]))
    assert speakers(db) == {"person:barack-obama": 1, "person:michelle-obama": 1, "person:obama": 1}


def test_surname_joins_a_full_name_with_nine_in_ten_mentions(db: Store) -> None:
    for n in range(9):
        db.put(article(n, ["Barack Obama"]))
    db.put(article(9, ["Michelle Obama"]))
    db.put(article(10, ["Obama"], quotes=[(0, "Dominant")]))
    assert speakers(db) == {"person:barack-obama": 1}
    # A tenth of the full-name mentions is no longer "one in ten": the surname goes back apart.
    db.put(article(11, ["Michelle Obama"]))
    assert speakers(db) == {"person:obama": 1}


def test_surname_in_a_document_naming_two_full_names_stays_apart_for_good(db: Store) -> None:
    db.put(article(1, ["Barack Obama", "Michelle Obama", "Obama"], quotes=[(2, "Which one")]))
    for n in range(2, 30):
        db.put(article(n, ["Barack Obama"]))
    assert speakers(db) == {"person:obama": 1}


def test_surname_in_a_document_naming_one_full_name_is_that_person(db: Store) -> None:
    db.put(article(1, ["Michelle Obama", "Obama"], quotes=[(1, "Me")]))
    db.put(article(2, ["Barack Obama"]))
    db.put(article(3, ["Barack Obama"]))
    assert speakers(db) == {"person:michelle-obama": 1}
    entities = {i.key: (i.documents, i.mentions) for i in db.corpus.entities(CorpusFilters()).items}
    assert entities["person:michelle-obama"] == (1, 3)


def test_titles_descriptors_and_middle_initials_never_enter_a_key() -> None:
    def key(label: str, name: str) -> str:
        return corpus_key(label, person_words(label, name))

    assert key("PERSON", "candidate Trump") == "person:trump"
    assert key("PERSON", "presidential nominee Hillary Clinton") == "person:hillary-clinton"
    assert key("PERSON", "Donald J. Trump") == key("PERSON", "Donald Trump") == "person:donald-trump"
    assert key("PERSON", "George H.W. Bush") == "person:george-h-w-bush"  # two initials stay
    assert key("PERSON", "George W. Bush") == "person:george-bush"


def test_norp_names_fold_to_one_key_per_group(db: Store) -> None:
    assert {corpus_key("NORP", person_words("NORP", n)) for n in ("Democrats", "Democratic", "Democrat")} == {
        "norp:democrat"
    }
    assert {corpus_key("NORP", person_words("NORP", n)) for n in ("Republicans", "Republican")} == {
        "norp:republican"
    }
    assert corpus_key("NORP", person_words("NORP", "Swiss")) == "norp:swiss"
    for n, name in enumerate(("Democrats", "Democratic", "Republicans", "Republican")):
        db.put(article(n, [name], label="NORP", places=()))
    found = {i.key: i.documents for i in db.corpus.entities(CorpusFilters(label="NORP")).items}
    assert found == {"norp:democrat": 2, "norp:republican": 2}


def test_partial_name_of_known_gender_joins_the_full_name_of_that_gender(db: Store) -> None:
    db.put(article(1, ["Barack Obama"], genders={0: "male"}))
    db.put(article(2, ["Michelle Obama"], genders={0: "female"}))
    db.put(article(3, ["Mr. Obama"], genders={0: "male"}, quotes=[(0, "He said")]))
    db.put(article(4, ["Mrs. Obama"], genders={0: "female"}, quotes=[(0, "She said")]))
    db.put(article(5, ["Obama"], quotes=[(0, "Who said")]))
    assert speakers(db) == {"person:barack-obama": 1, "person:michelle-obama": 1, "person:obama": 1}
    assert db.corpus.profile("person:barack-obama", CorpusFilters()).names == ["person_male:obama"]  # type: ignore[union-attr]
    # Without a full name of her gender, "Mrs. Obama" goes back to the partial key; the
    # ungendered "Obama" now joins the only full name left.
    db.delete("art0002", "news")
    assert speakers(db) == {"person:barack-obama": 2, "person:obama": 1}
    stored = db.get("art0004", "news")
    assert stored is not None and db.corpus.keys_of(stored) == {"E1": "person:obama", "E2": "gpe:kyiv"}


def test_surname_alone_follows_how_the_corpus_uses_it_not_full_name_shares(db: Store) -> None:
    # Barack Obama is called "Obama" in his articles; Michelle Obama "Mrs. Obama" in hers, and
    # her full name is mentioned as often as his: the shares alone would leave "Obama" apart.
    for n in range(1, 3):
        db.put(article(n, ["Barack Obama"], genders={0: "male"}, also={0: ["Obama", "President Obama"]}))
    for n in range(3, 5):
        db.put(article(n, ["Michelle Obama"], genders={0: "female"}, also={0: ["Mrs. Obama", "Mrs. Obama"]}))
    db.put(article(5, ["Obama"], quotes=[(0, "Yes we can")]))
    assert speakers(db) == {"person:barack-obama": 1}
    db.put(article(6, ["Mrs. Obama"], genders={0: "female"}, quotes=[(0, "When they go low")]))
    assert speakers(db) == {"person:barack-obama": 1, "person:michelle-obama": 1}


def test_a_partial_name_does_not_fold_into_a_full_name_of_the_other_gender(db: Store) -> None:
    db.put(article(1, ["Barack Obama"], genders={0: "male"}))
    db.put(article(2, ["Michelle Obama", "Obama"], genders={0: "female", 1: "male"}, quotes=[(1, "Mine")]))
    assert speakers(db) == {"person:barack-obama": 1}
    db.put(article(3, ["Michelle Obama", "Obama"], genders={0: "female"}, quotes=[(1, "Hers")]))
    assert speakers(db) == {"person:barack-obama": 1, "person:michelle-obama": 1}


def test_a_speakers_role_is_its_most_frequent_and_follows_resolved_partial_names(db: Store) -> None:
    def roles(**filters: object) -> dict[str, str | None]:
        return {i.key: i.role for i in db.corpus.speakers(CorpusFilters(**filters), limit=100).items}  # type: ignore[arg-type]

    db.put(article(1, ["Ada Byron"], roles={0: "expert"}, quotes=[(0, "One")]))
    db.put(article(2, ["Ada Byron"], roles={0: "politician"}, quotes=[(0, "Two")]))
    db.put(article(3, ["Ada Byron"], roles={0: "politician"}, quotes=[(0, "Three")]))
    db.put(article(4, ["Byron"], genders={0: "female"}, roles={0: "expert"}, quotes=[(0, "Four")]))
    db.put(article(5, ["Alan Turing"], quotes=[(0, "Five")]))
    # The partial name joined Ada Byron and brought its role: two expert, two politician (ties: alphabetical).
    assert roles() == {"person:ada-byron": "expert", "person:alan-turing": None}
    db.put(article(6, ["Ada Byron"], roles={0: "politician"}))
    assert roles() == {"person:ada-byron": "politician", "person:alan-turing": None}
    assert roles(role="politician") == {"person:ada-byron": "politician"}
    assert roles(role="expert") == {}
    db.delete("art0006", "news")
    db.delete("art0001", "news")
    assert roles(role="politician") == {"person:ada-byron": "politician"}
    with pytest.raises(InvalidQuery, match="'role' must be one of"):
        roles(role="astronaut")


def test_every_quote_kind_counts_alike_and_kind_filters(db: Store) -> None:
    db.put(article(1, ["Ada Byron"], quotes=[(0, "Direct words")], kind="direct"))
    db.put(article(2, ["Ada Byron"], quotes=[(0, "reported words")], kind="indirect"))
    assert speakers(db) == {"person:ada-byron": 2}
    assert speakers(db, kind="indirect") == {"person:ada-byron": 1}


def test_name_filters_match_any_part_any_case_any_accents(db: Store) -> None:
    db.put(article(1, ["Volodymyr Zelenskyy"], quotes=[(0, "Hold on")]))
    db.put(article(2, ["Nicolás Maduro"], places=("Caracas",)))
    found = [item.id for item in db.list_documents(Filters(entity="zelenskyy")).items]
    assert found == ["art0001"]
    assert [i.id for i in db.list_documents(Filters(entity="MADURO nicolas")).items] == ["art0002"]
    assert [i.id for i in db.list_documents(Filters(speaker="zelensk")).items] == []  # whole words
    assert [i.id for i in db.list_documents(Filters(speaker="Zelenskyy")).items] == ["art0001"]
    assert speakers(db, speaker="volodymyr") == {"person:volodymyr-zelenskyy": 1}
    assert [i.key for i in db.corpus.entities(CorpusFilters(entity="nicolas")).items] == [
        "person:nicolas-maduro"
    ]
    with pytest.raises(InvalidQuery, match="'speaker' filter has no letters"):
        db.list_documents(Filters(speaker="..."))


def test_entities_rank_by_documents_and_filter_by_label_outlet_and_dates(db: Store) -> None:
    db.put(article(1, ["Ada Byron"], places=("Kyiv",), published="2026-01-06"))
    db.put(article(2, ["Alan Turing"], places=("Kyiv",), published="2026-02-06"))
    db.put(article(3, ["Alan Turing"], places=("Rome",), published="2026-02-07"))
    ranked = db.corpus.entities(CorpusFilters()).items
    assert [(i.key, i.documents) for i in ranked][:2] == [("gpe:kyiv", 2), ("person:alan-turing", 2)]
    assert ranked[0].first == "2026-01-06" and ranked[0].last == "2026-02-06"
    gpe = db.corpus.entities(CorpusFilters(label="GPE")).items
    assert [i.key for i in gpe] == ["gpe:kyiv", "gpe:rome"]
    february = db.corpus.entities(CorpusFilters(published_from=date(2026, 2, 1))).items
    assert next((i.key, i.documents) for i in february) == ("person:alan-turing", 2)
    same = db.corpus.entities(CorpusFilters(published_from=datetime(2026, 2, 1))).items  # rows, not days
    assert [(i.key, i.documents, i.mentions, i.first) for i in same] == [
        (i.key, i.documents, i.mentions, i.first) for i in february
    ]
    odd = db.corpus.entities(CorpusFilters(outlet="example1.com")).items  # articles 1 and 3
    assert {i.key for i in odd} == {"person:ada-byron", "person:alan-turing", "gpe:kyiv", "gpe:rome"}
    words = db.corpus.entities(CorpusFilters(q="Rome")).items
    assert {i.key for i in words} == {"person:alan-turing", "gpe:rome"}


def test_ranking_pages_with_a_cursor(db: Store) -> None:
    for n in range(5):
        db.put(article(n, [f"Person{n} Surname{n}"], quotes=[(0, "x")] * (n + 1)))
    first = db.corpus.speakers(CorpusFilters(), limit=2)
    second = db.corpus.speakers(CorpusFilters(), limit=2, cursor=first.next_cursor)
    third = db.corpus.speakers(CorpusFilters(), limit=2, cursor=second.next_cursor)
    keys = [i.key for page in (first, second, third) for i in page.items]
    assert keys == [f"person:person{n}-surname{n}" for n in range(4, -1, -1)] and third.next_cursor is None
    with pytest.raises(InvalidQuery, match="invalid cursor"):
        db.corpus.speakers(CorpusFilters(), cursor=db.list_documents(Filters(), limit=1).next_cursor or "x")


def test_profile_timeline_cooccurring_and_latest_quotes(db: Store) -> None:
    db.put(article(1, ["Ada Byron", "Alan Turing"], quotes=[(0, "one")], published="2026-01-06"))
    db.put(article(2, ["Ada Byron"], quotes=[(0, "two")], published="2026-03-10"))
    profile = db.corpus.profile("person:ada-byron", CorpusFilters(), period="month")
    assert profile is not None
    assert [(p.period, p.documents, p.quotes) for p in profile.timeline] == [
        ("2026-01", 1, 1),
        ("2026-02", 0, 0),
        ("2026-03", 1, 1),
    ]
    assert [(c.key, c.documents) for c in profile.cooccurring] == [("gpe:kyiv", 2), ("person:alan-turing", 1)]
    assert [q.text for q in profile.quotes] == ["\u201ctwo\u201d", "\u201cone\u201d"]
    assert profile.quotes[0].speaker_name == "Ada Byron" and profile.quotes[0].outlet == "example0.com"
    weeks = db.corpus.profile("person:ada-byron", CorpusFilters(), period="week")
    assert weeks is not None and len(weeks.timeline) == 10 and weeks.timeline[0].period == "2026-W02"


def test_timeline_draws_a_long_empty_run_as_a_break_not_as_empty_bars() -> None:
    rows = [("2016-09-08", 2, 1), ("2026-01-06", 1, 0)]
    assert [(p.period, p.documents, p.gap_before) for p in timeline(rows, "week")[1]] == [
        ("2016-W36", 2, 0),
        ("2026-W02", 1, 486),  # 2016-W37 to 2026-W01 left out, and said to be
    ]
    assert [(p.period, p.gap_before) for p in timeline(rows, "month")[1]] == [
        ("2016-09", 0),
        ("2026-01", 111),
    ]
    years = timeline(rows, "year")[1]  # nine empty years: few enough to draw
    assert [p.period for p in years] == [str(y) for y in range(2016, 2027)] and not any(
        p.gap_before for p in years
    )


def test_timeline_draws_a_short_lull_as_empty_periods() -> None:
    rows = [("2026-01-10", 1, 0), ("2026-04-02", 2, 0), ("2027-06-01", 1, 0)]
    months = timeline(rows, "month")[1]
    assert [(p.period, p.documents, p.gap_before) for p in months] == [
        ("2026-01", 1, 0),
        ("2026-02", 0, 0),
        ("2026-03", 0, 0),
        ("2026-04", 2, 0),
        ("2027-06", 1, 13),  # May 2026 to May 2027: thirteen empty months, a break
    ]


def test_timeline_past_400_entries_keeps_the_periods_with_documents_and_their_gaps() -> None:
    rows = [((date(2000, 1, 1) + timedelta(days=20 * n)).isoformat(), 1, 0) for n in range(100)]
    days = timeline(rows, "day")[1]  # 1,981 days with every gap drawn: too many
    assert len(days) == 100 and [p.gap_before for p in days] == [0] + [19] * 99


def test_timeline_auto_picks_the_finest_period_that_fits() -> None:
    assert timeline([("2026-01-05", 1, 0), ("2026-01-20", 1, 0)], "auto")[0] == "day"  # 16 bars
    spring = [(f"2026-{m:02d}-{d:02d}", 1, 0) for m in (3, 4, 5) for d in (1, 15)]
    assert timeline(spring, "auto")[0] == "week"  # 75 days, 12 weeks
    years = [(f"{y}-{m:02d}-10", 1, 0) for y in (2019, 2020, 2021, 2022) for m in range(1, 13, 2)]
    assert timeline(years, "auto")[0] == "month"  # 48 months; 209 weeks would be too many
    clusters = [(f"2016-09-{d:02d}", 1, 0) for d in range(1, 21)] + [
        (f"2026-01-{d:02d}", 1, 0) for d in (2, 9)
    ]
    chosen, found = timeline(clusters, "auto")  # two clusters ten years apart: days, one break
    assert chosen == "day" and len(found) == 28 and [p.gap_before for p in found if p.gap_before] == [3390]
    decades = [(f"{y}-06-01", 1, 0) for y in range(1950, 2026)]
    chosen, found = timeline(decades, "auto")
    assert chosen == "year" and len(found) == 76
    two = [("2026-01-06", 1, 0), ("2026-03-10", 1, 0)]
    assert timeline(two, "auto")[0] == "week"  # ten weeks, not two lone days and a break
    assert timeline([("2016-01-06", 1, 0), ("2026-03-10", 1, 0)], "auto")[0] == "year"


def test_timeline_buckets_days_into_weeks() -> None:
    rows = [("2026-01-05", 1, 0), ("2026-01-11", 2, 3), ("2026-01-12", 1, 1)]
    assert [(p.period, p.start, p.documents) for p in timeline(rows, "week")[1]] == [
        ("2026-W02", "2026-01-05", 3),
        ("2026-W03", "2026-01-12", 1),
    ]


def test_quotes_search_by_speaker_words_and_pages(db: Store) -> None:
    db.put(article(1, ["Ada Byron"], quotes=[(0, "The engine weaves patterns"), (0, "Numbers")]))
    db.put(article(2, ["Alan Turing"], quotes=[(0, "Machines can think about engines")]))
    found = db.corpus.quotes(CorpusFilters(q="ENGINE"))
    assert [(q.speaker_key, q.id) for q in found.items] == [("person:ada-byron", "art0001")]
    page = db.corpus.quotes(CorpusFilters(speaker="byron"), limit=1)
    rest = db.corpus.quotes(CorpusFilters(speaker="byron"), limit=1, cursor=page.next_cursor)
    assert [q.text for q in page.items + rest.items] == [
        "\u201cThe engine weaves patterns\u201d",
        "\u201cNumbers\u201d",
    ]
    assert rest.next_cursor is None
    assert len(list(db.corpus.iter_quotes(CorpusFilters(), page_size=1))) == 3


def test_a_quote_search_for_a_word_longer_than_a_lexeme_is_cut_as_the_index_is(db: Store) -> None:
    long = "x" * 3000  # over PostgreSQL's 2,047 bytes a lexeme
    db.put(article(1, ["Ada Byron"], quotes=[(0, f"A {long} word")]))
    found = db.corpus.quotes(CorpusFilters(q=long + "y"))  # the same first 200 characters
    assert [q.id for q in found.items] == ["art0001"]
    assert [q.id for q in db.corpus.quotes(CorpusFilters(speaker="byron", q=long)).items] == ["art0001"]


@pytest.mark.parametrize(
    ("per_key_scans", "word_scan_cost", "keys_in_index"),
    [(100, 10**9, 0), (1, 10**9, 0), (100, 0, 0), (100, 10**9, 100)],
    ids=[
        "a scan per speaker",
        "one scan of all speakers",
        "the word index (SQLite)",
        "the word index with the speakers' keys",
    ],
)
def test_quotes_by_a_name_of_several_speakers_merge_newest_first(
    db: Store,
    per_key_scans: int,
    word_scan_cost: int,
    keys_in_index: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(corpus_queries, "PER_KEY_SCANS", per_key_scans)
    monkeypatch.setattr(corpus_queries, "KEYS_IN_WORD_INDEX", keys_in_index)
    monkeypatch.setattr(sqlite, "WORD_SCAN_COST", word_scan_cost)
    db.put(article(1, ["Ada Byron"], quotes=[(0, "One engine"), (0, "Two engines")]))
    db.put(article(2, ["George Byron"], quotes=[(0, "Three engine"), (0, "Verse")]))
    db.put(article(3, ["Ada Byron"], quotes=[(0, "Four engine")]))
    db.put(article(4, ["Alan Turing"], quotes=[(0, "Five engines")]))
    pages, cursor = [], None
    while True:
        page = db.corpus.quotes(CorpusFilters(speaker="BYRON", q="engine"), limit=1, cursor=cursor)
        pages.append([(q.id, q.text.strip("“”")) for q in page.items])
        if (cursor := page.next_cursor) is None:
            break
    assert pages == [[("art0003", "Four engine")], [("art0002", "Three engine")], [("art0001", "One engine")]]
    assert not db.corpus.quotes(CorpusFilters(speaker="nobody")).items


def test_a_quote_search_by_speaker_finds_the_quotes_of_a_surname_the_corpus_resolved_later(db: Store) -> None:
    db.put(article(1, ["Byron"], quotes=[(0, "The engine")]))
    db.put(article(2, ["Alan Turing"], quotes=[(0, "An engine too")]))
    assert not db.corpus.quotes(CorpusFilters(speaker="ada byron", q="engine")).items
    db.put(article(3, ["Ada Byron"], quotes=[(0, "Another engine")]))  # "Byron" is Ada Byron now
    found = db.corpus.quotes(CorpusFilters(speaker="ada byron", q="engine")).items
    assert [(q.id, q.speaker_key) for q in found] == [
        ("art0003", "person:ada-byron"),
        ("art0001", "person:ada-byron"),
    ]
    db.put(article(4, ["George Byron"], quotes=[(0, "Verse")]))
    db.put(article(5, ["George Byron"], quotes=[(0, "Verse")]))  # no name has nine in ten of the mentions
    found = db.corpus.quotes(CorpusFilters(speaker="ada byron", q="engine")).items
    assert [q.id for q in found] == ["art0003"]


def test_a_replaced_or_deleted_document_leaves_no_quote_words_behind(db: Store) -> None:
    db.put(article(1, ["Ada Byron"], quotes=[(0, "Old engine")]))
    db.put(article(1, ["Ada Byron"], quotes=[(0, "New loom"), (0, "and engine")], published=None))
    assert [q.text.strip("\u201c\u201d") for q in db.corpus.quotes(CorpusFilters(q="engine")).items] == [
        "and engine"
    ]
    assert not db.corpus.quotes(CorpusFilters(q="old")).items
    assert db.delete("art0001", "news")
    assert not db.corpus.quotes(CorpusFilters(q="loom")).items
    assert not db.corpus.quotes(CorpusFilters(speaker="byron", q="engine")).items


def test_outlets_count_documents_and_quotes(db: Store) -> None:
    db.put(article(1, ["Ada Byron"], quotes=[(0, "a"), (0, "b")]))
    db.put(article(2, ["Ada Byron"], quotes=[(0, "c")]))
    db.put(article(3, ["Ada Byron"]))
    outlets = db.corpus.outlets(CorpusFilters()).items
    assert [(o.outlet, o.documents, o.quotes) for o in outlets] == [
        ("example1.com", 2, 2),
        ("example0.com", 1, 1),
    ]


def test_migration_backfills_a_store_written_before_the_corpus_tables(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    with open_store(path) as new:
        new.put(article(1, ["Barack Obama"], quotes=[(0, "a")]))
        new.put(article(2, ["Obama"], quotes=[(0, "b")]))
    # Make it a version-1 store: drop what migration 2 made, as a store from before it would be.
    conn = sqlite3.connect(path)
    undo_migrations_after_4(conn)
    for table in (
        "pp_quote_vocab",  # and migration 4's quote word index (SQLite)
        "pp_quote_search",
        "pp_doc_entities",
        "pp_quotes",
        "pp_corpus",
        "pp_name_words",
        "pp_partials",
        "pp_corpus_days",
    ):
        conn.execute(f"DROP TABLE {table}")
    conn.execute("DROP INDEX pp_documents_outlet")
    conn.execute("ALTER TABLE pp_documents DROP COLUMN outlet")
    conn.execute("DELETE FROM pp_migrations WHERE version >= 2")  # later migrations run again too
    conn.commit()
    conn.close()
    with open_store(path) as upgraded:
        assert upgraded.schema_version() == SCHEMA_VERSION
        assert speakers(upgraded) == {"person:barack-obama": 2}
        assert [i.id for i in upgraded.list_documents(Filters(speaker="obama")).items] == [
            "art0002",
            "art0001",
        ]


def test_documents_of_the_old_test_shape_enter_the_corpus(db: Store) -> None:
    db.put(make_document(1, speaker="Alice Smith"))
    assert speakers(db) == {"person:alice-smith": 1}


def test_listings_sort_by_publication_and_page(db: Store) -> None:
    db.put(article(1, ["Ada Byron"], published="2026-03-01"))
    db.put(article(2, ["Ada Byron"], published=None))
    db.put(article(3, ["Ada Byron"], published="2026-01-01"))
    db.put(article(4, ["Ada Byron"], published="2026-02-01"))

    def order(sort: str) -> list[str]:
        first = db.list_documents(Filters(), limit=3, sort=sort)
        rest = db.list_documents(Filters(), limit=3, sort=sort, cursor=first.next_cursor)
        return [i.id for i in first.items + rest.items]

    assert order("stored") == ["art0004", "art0003", "art0002", "art0001"]
    assert order("published") == ["art0001", "art0004", "art0003", "art0002"]
    assert order("oldest") == ["art0003", "art0004", "art0001", "art0002"]
    with pytest.raises(InvalidQuery, match="sort must be one of stored, published, oldest"):
        db.list_documents(Filters(), sort="random")
