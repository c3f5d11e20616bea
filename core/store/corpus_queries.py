"""Questions asked of the whole corpus: who is quoted most, which entities, a profile, quotes, outlets.

Rankings over the whole corpus read the totals that ``corpus`` keeps on write (``pp_corpus``,
its indexes ordered by quotes and by documents); filtered rankings count the rows of
``pp_quotes`` or ``pp_doc_entities`` that the filters select, through their indexes on key and
date. Nothing here reads a document's JSON. Rankings page by offset (``pc1`` cursors),
quote listings by position (``pq1``), newest document first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from presspipe.document import Document
from presspipe.store.backend import KEYS_IN_WORD_INDEX
from presspipe.store.corpus import PERIOD_TABLES, facts_of, quote_words
from presspipe.store.corpus_filters import (
    GENDERS,
    CorpusFilters,
    common_filters,
    dates_where,
    day_bounds,
    gender_of,
    gender_where,
    name_filter,
    only,
    role_of,
    role_where,
    whole_days,
)
from presspipe.store.cursors import decode_position, encode_position
from presspipe.store.records import InvalidQuery
from presspipe.store.rows import checked
from presspipe.store.timeline import Period, PeriodChoice, PeriodCount, timeline

if TYPE_CHECKING:
    from presspipe.store.backend import Backend

PER_KEY_SCANS = 100
"""A quote search scans each speaker the name matches on its own, up to this many speakers."""

COOCCURRENCE_DOCUMENTS = 200
"""Co-occurring entities are counted over this many of an entity's newest documents (in the dates asked)."""


@dataclass(frozen=True)
class Ranked:
    key: str
    name: str
    label: str
    documents: int
    mentions: int
    quotes: int
    first: str | None
    last: str | None
    gender: str | None = None
    """A PERSON's: ``female``, ``male`` or ``unknown``; None for other labels."""
    role: str | None = None
    """A PERSON's most frequent role class over its documents, or None."""


@dataclass(frozen=True)
class Outlet:
    outlet: str
    documents: int
    quotes: int


@dataclass(frozen=True)
class FoundQuote:
    text: str
    kind: str
    speaker_text: str | None
    speaker_name: str | None
    speaker_key: str | None
    id: str
    pipeline: str
    title: str | None
    published: str | None
    uri: str | None
    outlet: str | None


@dataclass
class GenderSplit:
    """Counts by gender (``female``, ``male``, ``unknown``)."""

    quotes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(GENDERS, 0))
    speakers: dict[str, int] = field(default_factory=lambda: dict.fromkeys(GENDERS, 0))


@dataclass(frozen=True)
class GenderCounts:
    total: GenderSplit
    outlets: list[tuple[str, GenderSplit]]
    months: list[tuple[str, GenderSplit]]
    """By ``YYYY-MM`` of the publication date (quotes of undated documents count in ``total`` only)."""


@dataclass(frozen=True)
class Ranking:
    items: list[Any]
    next_cursor: str | None
    offset: int = 0
    """How many items come before this page (rankings, which page by offset)."""
    previous_cursor: str | None = None
    """The cursor of the page before; None too when that page is the first (``offset`` says)."""


@dataclass(frozen=True)
class Profile:
    entity: Ranked
    names: list[str]
    """The partial names ("person:obama") the corpus resolves to this entity."""
    timeline: list[PeriodCount]
    cooccurring: list[Ranked]
    quotes: list[FoundQuote]
    period: Period = "month"
    """The timeline's period (what ``auto`` chose)."""
    undated: int = 0
    """Its documents with no publication date, which the timeline cannot place."""


class CorpusQueries:
    """Corpus questions over one backend (``Store.corpus``)."""

    def __init__(self, backend: Backend) -> None:
        self._db = backend

    # ------------------------------------------------------------------ rankings

    def speakers(self, filters: CorpusFilters, limit: int = 20, cursor: str | None = None) -> Ranking:
        """Named speakers, most quoted first."""
        offset = _offset(cursor)
        inner, params, dates_of = self._speaker_rows(filters)
        rows = self._ranked(
            f"{inner} ORDER BY quotes DESC, key LIMIT ? OFFSET ?",
            (*params, limit + 1, offset),
            "r.quotes DESC, r.key",
            dates_of=dates_of,
        )
        return _ranking(rows, limit, offset)

    def speaker_count(self, filters: CorpusFilters) -> int:
        """How many speakers ``speakers`` ranks under ``filters``, on every page."""
        inner, params, _ = self._speaker_rows(filters)
        return int(self._db.query_one(f"SELECT COUNT(*) FROM ({inner}) AS r", params)[0])

    def _speaker_rows(self, filters: CorpusFilters) -> tuple[str, list[Any], str | None]:
        """The speakers' ranking rows, unordered: from the totals kept on write when the filters
        allow, else counted from the quotes; and where their dates come from (``_ranked``)."""
        where, params = name_filter(filters, "speaker", "key")
        days = whole_days(filters, "speaker")
        if only(filters, "speaker"):
            return (
                "SELECT key, quote_documents AS documents, 0 AS mentions, quotes, NULL AS first_day, "
                f"NULL AS last_day FROM pp_corpus WHERE quotes > 0{where}",
                params,
                "quotes",
            )
        if days is not None:
            return (
                "SELECT key, SUM(quote_documents) AS documents, 0 AS mentions, SUM(quotes) AS quotes, "
                f"MIN(day) AS first_day, MAX(day) AS last_day FROM pp_corpus_days WHERE quotes > 0{days[0]}{where} "
                "GROUP BY key",
                [*days[1], *params],
                None,
            )
        where, params = self._quote_where(filters)
        return (
            "SELECT q.key AS key, COUNT(DISTINCT q.doc) AS documents, 0 AS mentions, COUNT(*) AS quotes, "
            "substr(MIN(q.published), 1, 10) AS first_day, substr(MAX(q.published), 1, 10) AS last_day "
            f"FROM pp_quotes AS q WHERE q.key IS NOT NULL{where} GROUP BY q.key",
            params,
            None,
        )

    def entities(self, filters: CorpusFilters, limit: int = 20, cursor: str | None = None) -> Ranking:
        """Entities, in the most documents first (then most mentioned)."""
        offset = _offset(cursor)
        inner, params, dates_of = self._entity_rows(filters)
        rows = self._ranked(
            f"{inner} ORDER BY documents DESC, mentions DESC, key LIMIT ? OFFSET ?",
            (*params, limit + 1, offset),
            "r.documents DESC, r.mentions DESC, r.key",
            dates_of=dates_of,
        )
        return _ranking(rows, limit, offset)

    def entity_count(self, filters: CorpusFilters) -> int:
        """How many entities ``entities`` ranks under ``filters``, on every page."""
        inner, params, _ = self._entity_rows(filters)
        return int(self._db.query_one(f"SELECT COUNT(*) FROM ({inner}) AS r", params)[0])

    def _entity_rows(self, filters: CorpusFilters) -> tuple[str, list[Any], str | None]:
        """The entities' ranking rows, unordered (as ``_speaker_rows``)."""
        where, params = name_filter(filters, "entity", "key")
        if filters.label is not None:
            where += " AND key IN (SELECT key FROM pp_corpus WHERE label = ?)"
            params.append(checked(filters.label, "label"))
        days = whole_days(filters, "entity", "label")
        if only(filters, "entity", "label"):
            return (
                "SELECT key, documents, mentions, quotes, NULL AS first_day, NULL AS last_day FROM pp_corpus "
                f"WHERE documents > 0{where}",
                params,
                "documents",
            )
        if days is not None:
            return (
                "SELECT key, SUM(documents) AS documents, SUM(mentions) AS mentions, SUM(quotes) AS quotes, "
                f"MIN(day) AS first_day, MAX(day) AS last_day FROM pp_corpus_days WHERE documents > 0{days[0]}{where} "
                "GROUP BY key",
                [*days[1], *params],
                None,
            )
        where, params = self._entity_where(filters)
        return (
            "SELECT key, COUNT(*) AS documents, SUM(mentions) AS mentions, SUM(quotes) AS quotes, "
            "substr(MIN(published), 1, 10) AS first_day, substr(MAX(published), 1, 10) AS last_day "
            f"FROM pp_doc_entities WHERE 1 = 1{where} GROUP BY key",
            params,
            None,
        )

    def outlets(self, filters: CorpusFilters, limit: int = 20, cursor: str | None = None) -> Ranking:
        """Outlets, most documents first, with their quotes."""
        offset = _offset(cursor)
        where, params = common_filters(filters, "outlet IS NOT NULL", "seq", self._db)
        rows = self._db.query(
            f"SELECT outlet, COUNT(*) FROM pp_documents WHERE {where} GROUP BY outlet "
            "ORDER BY COUNT(*) DESC, outlet LIMIT ? OFFSET ?",
            (*params, limit + 1, offset),
        )
        quotes = dict.fromkeys([str(r[0]) for r in rows[:limit]], 0)
        if quotes:
            quote_where, quote_params = common_filters(filters, "outlet IS NOT NULL", "doc", self._db)
            marks = ", ".join("?" * len(quotes))
            for outlet, count in self._db.query(
                f"SELECT outlet, COUNT(*) FROM pp_quotes WHERE {quote_where} AND outlet IN ({marks}) "
                "GROUP BY outlet",
                (*quote_params, *quotes),
            ):
                quotes[str(outlet)] = int(count)
        items = [Outlet(str(r[0]), int(r[1]), quotes[str(r[0])]) for r in rows[:limit]]
        return replace(_ranking(rows, limit, offset), items=items)

    def gender(self, filters: CorpusFilters) -> GenderCounts:
        """Quotes and distinct speakers by the speaker's gender, in all, per outlet and per month
        (quotes whose speaker is a PERSON of the corpus only)."""
        where = self._quote_where(filters)
        outlets = self._gender_by(where, "q.outlet")
        return GenderCounts(
            total=self._gender_by(where, None).get("", GenderSplit()),
            outlets=sorted(outlets.items(), key=lambda kv: (-sum(kv[1].quotes.values()), kv[0])),
            months=sorted(self._gender_by(where, "substr(q.published, 1, 7)").items()),
        )

    def gender_total(self, filters: CorpusFilters) -> GenderSplit:
        """``gender(filters).total`` alone (one query, as the home page needs it)."""
        return self._gender_by(self._quote_where(filters), None).get("", GenderSplit())

    def _gender_by(self, quote_where: tuple[str, list[Any]], column: str | None) -> dict[str, GenderSplit]:
        """The gender split of each value of ``column`` (SQL over the quotes ``q``) among the quotes
        ``quote_where`` (``_quote_where``) selects, or of them all under the key ``''`` when
        ``column`` is None; quotes with no such value are left out."""
        where, params = quote_where
        by = f"{column}, {gender_of('g')}" if column else gender_of("g")
        found: dict[str, GenderSplit] = {}
        for value, gender, quotes, speakers in self._db.query(
            f"SELECT {column or repr('')}, {gender_of('g')}, COUNT(*), COUNT(DISTINCT q.key) "
            f"FROM pp_quotes AS q JOIN pp_corpus AS g ON g.key = q.key WHERE g.label = 'PERSON'{where} "
            f"GROUP BY {by}",
            params,
        ):
            if value is None:
                continue
            split = found.setdefault(str(value), GenderSplit())
            split.quotes[str(gender)] = int(quotes)
            split.speakers[str(gender)] = int(speakers)
        return found

    def date_range(self) -> tuple[str | None, str | None]:
        """The first and last publication dates of the stored documents."""
        first = self._db.query_one("SELECT MIN(published) FROM pp_documents")
        last = self._db.query_one("SELECT MAX(published) FROM pp_documents")
        return first[0], last[0]

    # ------------------------------------------------------------------ one entity

    def profile(
        self, key: str, filters: CorpusFilters, period: PeriodChoice = "month", quotes: int = 5
    ) -> Profile | None:
        """An entity's counts, timeline, co-occurring entities and latest quotes; None if unknown."""
        key = checked(key, "key")
        if filters.copies:
            # The totals hold originals only: copies included, the entity's rows are counted.
            found = self._ranked(
                "SELECT key, COUNT(*) AS documents, SUM(mentions) AS mentions, SUM(quotes) AS quotes, "
                "substr(MIN(published), 1, 10) AS first_day, substr(MAX(published), 1, 10) AS last_day "
                "FROM pp_doc_entities WHERE key = ? GROUP BY key",
                (key,),
                "r.key",
            )
        else:
            found = self._ranked(
                "SELECT key, documents, mentions, quotes, NULL AS first_day, NULL AS last_day FROM pp_corpus "
                "WHERE key = ? AND documents > 0",
                (key,),
                "r.key",
                dates_of="documents",
            )
        if not found:
            return None
        entity = found[0]
        where, params = dates_where(filters)
        day_where, day_params = day_bounds(filters)
        if filters.copies:
            days = self._db.query(
                "SELECT substr(published, 1, 10) AS day, COUNT(*), SUM(quotes) FROM pp_doc_entities "
                f"WHERE key = ? AND published IS NOT NULL{where} GROUP BY substr(published, 1, 10)",
                (key, *params),
            )
        elif day_params:
            days = self._db.query(
                f"SELECT day, documents, quotes FROM pp_corpus_days WHERE key = ? AND documents > 0{day_where}",
                (key, *day_params),
            )
        else:
            # Kept on write per period: a row per week of the timeline, not one per day. A year
            # sums its months; ``auto`` chooses among all periods, so it reads the days.
            stored: Period = "month" if period == "year" else "day" if period == "auto" else period
            start = "day" if stored == "day" else "start"
            days = self._db.query(
                f"SELECT {start}, documents, quotes FROM {PERIOD_TABLES[stored]} WHERE key = ? AND documents > 0",
                (key,),
            )
        if not filters.copies:
            where += " AND copy = 0"
        # The documents first, then their entities through the index on (doc, surface): PostgreSQL
        # takes that path once it has statistics (``Store.maintain``); without, it reads the table.
        newest = [
            int(r[0])
            for r in self._db.query(
                f"SELECT doc FROM pp_doc_entities WHERE key = ?{where} ORDER BY doc DESC LIMIT ?",
                (key, *params, COOCCURRENCE_DOCUMENTS),
            )
        ]
        cooccurring = self._ranked(
            f"SELECT o.key, COUNT(*) AS documents, 0 AS mentions, 0 AS quotes, NULL AS first_day, NULL AS last_day "
            f"FROM pp_doc_entities AS o WHERE o.doc IN ({', '.join('?' * len(newest)) or 'NULL'}) AND o.key <> ? "
            "GROUP BY o.key ORDER BY COUNT(*) DESC, o.key LIMIT 10",
            (*newest, key),
            "r.documents DESC, r.key",
        )
        partials = [
            str(r[0]) for r in self._db.query("SELECT surface FROM pp_partials WHERE target = ?", (key,))
        ]
        latest = self.quotes(
            CorpusFilters(
                speaker=key,
                published_from=filters.published_from,
                published_to=filters.published_to,
                copies=filters.copies,
            ),
            limit=quotes,
        ).items
        undated = self._db.query_one(
            "SELECT COUNT(*) FROM pp_doc_entities WHERE key = ? AND published IS NULL"
            + ("" if filters.copies else " AND copy = 0"),
            (key,),
        )
        chosen, periods = timeline(days, period)
        return Profile(entity, partials, periods, cooccurring, latest, chosen, int(undated[0]))

    def keys_of(self, document: Document) -> dict[Any, str]:
        """Entity id -> corpus key, for a stored document (partial names as the corpus resolves them)."""
        facts = facts_of(document)
        return {
            entity: self.resolved(surface) or facts.entities[surface].fallback
            for entity, surface in facts.keys.items()
        }

    def resolved(self, key: str) -> str | None:
        """The full name's key a partial name's key points to, or None."""
        row = self._db.query_one(
            "SELECT target FROM pp_partials WHERE surface = ? AND target <> surface", (checked(key, "key"),)
        )
        return None if row is None else str(row[0])

    # ------------------------------------------------------------------ quotes

    def quotes(self, filters: CorpusFilters, limit: int = 20, cursor: str | None = None) -> Ranking:
        """Quotes across documents, newest document first."""
        where, params = self._quote_where(replace(filters, speaker=None))
        position: tuple[int, int] | None = None
        if cursor:
            doc, n = decode_position("pq1", cursor, 2)
            position = (doc, n)
            where += " AND (q.doc < ? OR (q.doc = ? AND q.n > ?))"
            params.extend([doc, doc, n])
        page = "SELECT q.doc, q.n FROM pp_quotes AS q WHERE {speaker}{where} ORDER BY {order}q.doc DESC, q.n LIMIT ?"
        speakers = self._speakers_named(filters)
        keys = None if speakers is None else list(speakers)
        scan = None
        if filters.q is not None and keys != []:
            spoken = None if speakers is None else sum(speakers.values())
            scan = self._db.quote_word_scan(
                quote_words(filters.q),
                spoken,
                cursor=position,
                keys=keys if keys and len(keys) <= KEYS_IN_WORD_INDEX else None,
            )
        if scan is not None:
            # Through the word index, newest first, the speakers checked on each match.
            marks = ", ".join("?" * len(keys or []))
            pages = (
                f"SELECT q.doc, q.n FROM {scan[0]}{f' AND q.key IN ({marks})' if keys else ''}{where} "
                f"ORDER BY {scan[2]} LIMIT ?"
            )
            page_params = [*scan[1], *(keys or []), *params, limit + 1]
        elif keys is None:
            pages = page.format(speaker="1 = 1", where=where, order="")
            page_params = [*params, limit + 1]
        elif len(keys) <= PER_KEY_SCANS:
            # A newest-first scan of each speaker's quotes (index on key, doc, n) that stops at a
            # page, not a sort of every quote of every speaker the name matches. The key is given
            # as a list of two (itself twice) and leads the order: PostgreSQL then takes the order
            # from that index, or intersects the word index when a word is rare, rather than
            # walking every quote newest first hoping to meet a speaker (a constant key lets it).
            one = page.format(speaker="q.key IN (?, ?)", where=where, order="q.key DESC, ")
            pages = (
                " UNION ALL ".join(f"SELECT * FROM ({one}) AS k{i}" for i in range(len(keys)))
                or "SELECT 0 AS doc, 0 AS n WHERE 1 = 0"
            )
            page_params = [value for key in keys for value in (key, key, *params, limit + 1)]
        else:
            marks = ", ".join("?" * len(keys))
            pages = page.format(speaker=f"q.key IN ({marks})", where=where, order="")
            page_params = [*keys, *params, limit + 1]
        # The page is chosen first, from pp_quotes alone; only its rows are joined.
        rows = self._db.query(
            "SELECT q.doc, q.n, q.text, q.kind, q.speaker, c.name, q.key, d.id, d.pipeline, d.title, "
            f"d.published, d.uri, d.outlet FROM (SELECT doc, n FROM ({pages}) AS pages ORDER BY doc DESC, n LIMIT ?) "
            "AS page JOIN pp_quotes AS q ON q.doc = page.doc AND q.n = page.n JOIN pp_documents AS d ON d.seq = q.doc "
            "LEFT JOIN pp_corpus AS c ON c.key = q.key ORDER BY q.doc DESC, q.n",
            (*page_params, limit + 1),
        )
        items = [FoundQuote(*r[2:]) for r in rows[:limit]]
        more = len(rows) > limit
        return Ranking(
            items, encode_position("pq1", rows[limit - 1][0], rows[limit - 1][1]) if more else None
        )

    def iter_quotes(self, filters: CorpusFilters, page_size: int = 500) -> Iterator[FoundQuote]:
        return _every(self.quotes, filters, page_size)

    def iter_entities(self, filters: CorpusFilters, page_size: int = 500) -> Iterator[Ranked]:
        return _every(self.entities, filters, page_size)

    # ------------------------------------------------------------------ parts

    def _quote_where(self, filters: CorpusFilters) -> tuple[str, list[Any]]:
        where, params = name_filter(filters, "speaker", "q.key")
        common, more = common_filters(
            filters, "1 = 1", "q.doc", self._db, prefix="q.", words_in_document=False
        )
        if filters.kind is not None:
            common += " AND q.kind = ?"
            more.append(checked(filters.kind, "kind"))
        for clause, values in (gender_where(filters, "q.key"), role_where(filters, "q.key")):
            common += clause
            more.extend(values)
        if filters.q is not None:
            words = quote_words(checked(filters.q, "q"))
            if not words:
                raise InvalidQuery("the text search 'q' has no words to look for")
            clause, values = self._db.quote_words_clause(words)
            common += f" AND {clause}"
            more.extend(values)
        return f"{where} AND {common}", [*params, *more]

    def _speakers_named(self, filters: CorpusFilters) -> dict[str, int] | None:
        """The quoted speakers ``filters.speaker`` names, with their quotes (None: no speaker filter)."""
        if filters.speaker is None:
            return None
        where, params = name_filter(filters, "speaker", "key")
        rows = self._db.query(f"SELECT key, quotes FROM pp_corpus WHERE quotes > 0{where}", params)
        return {str(key): int(quotes) for key, quotes in rows}

    def _entity_where(self, filters: CorpusFilters) -> tuple[str, list[Any]]:
        where, params = name_filter(filters, "entity", "key")
        common, more = common_filters(filters, "1 = 1", "doc", self._db)
        if filters.label is not None:
            common += " AND key IN (SELECT key FROM pp_corpus WHERE label = ?)"
            more.append(checked(filters.label, "label"))
        return f"{where} AND {common}", [*params, *more]

    def _ranked(
        self, inner: str, params: Sequence[Any], order: str, dates_of: str | None = None
    ) -> list[Ranked]:
        """The rows of a ranking query ``inner`` (key, documents, mentions, quotes, first_day, last_day) in
        ``order``, named, in one round trip. With ``dates_of`` ("documents" or "quotes") the first and
        last days come from ``pp_corpus_days``, looked up for the page's keys only."""
        first, last = "r.first_day", "r.last_day"
        if dates_of is not None:
            first, last = (
                f"(SELECT d.day FROM pp_corpus_days AS d WHERE d.key = r.key AND d.{dates_of} > 0 "
                f"ORDER BY d.day {direction} LIMIT 1)"
                for direction in ("ASC", "DESC")
            )
        rows = self._db.query(
            f"SELECT r.key, c.name, c.label, r.documents, r.mentions, r.quotes, {first}, {last}, {gender_of('c')}, "
            f"{role_of('r.key')} "
            f"FROM ({inner}) AS r JOIN pp_corpus AS c ON c.key = r.key ORDER BY {order}",
            params,
        )
        return [
            Ranked(
                str(k),
                str(name),
                str(label),
                int(docs or 0),
                int(ments or 0),
                int(quotes or 0),
                one,
                two,
                gender,
                role,
            )
            for k, name, label, docs, ments, quotes, one, two, gender, role in rows
        ]


def _every(ask: Callable[..., Ranking], filters: CorpusFilters, page_size: int) -> Iterator[Any]:
    """Every item of a listing, a page at a time (constant memory)."""
    cursor: str | None = None
    while True:
        page = ask(filters, limit=page_size, cursor=cursor)
        yield from page.items
        if page.next_cursor is None:
            return
        cursor = page.next_cursor


def _offset(cursor: str | None) -> int:
    return decode_position("pc1", cursor)[0] if cursor else 0


def _ranking(rows: list[Any], limit: int, offset: int) -> Ranking:
    """A page of a ranking from its rows (one more than ``limit`` when there is a next page)."""
    before = offset - limit
    return Ranking(
        rows[:limit],
        encode_position("pc1", offset + limit) if len(rows) > limit else None,
        offset,
        encode_position("pc1", before) if before > 0 else None,
    )
