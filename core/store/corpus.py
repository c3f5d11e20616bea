"""Corpus identity, kept up to date on write: who each stored entity is across documents.

Every entity of a stored document gets a corpus key: its label and its name folded for case,
accents and punctuation, PERSON titles dropped (``person:nicolas-maduro`` for "Nicolás Maduro"
and "Nicolas Maduro"). Per document and entity, ``pp_doc_entities`` holds its mentions and
quotes; per quote, ``pp_quotes`` its speaker's key; per key, ``pp_corpus`` the corpus totals
(documents, mentions, quotes) that rankings read, and ``pp_name_words`` the words of its name
that name filters look up.

A partial name (a PERSON named by one word once titles are dropped: "Obama", "Mr. Obama")
is resolved by this rule:

1. The document names exactly one full name with that surname: it is that person (the
   mentions are folded into the full name's row).
2. The document names two or more: it stays apart, for good (``pinned``).
3. The document names none: it is the corpus's full name with that surname when there is
   exactly one, or when one holds at least 90% of the mentions of full names with that
   surname (``DOMINANT_SHARE``); otherwise it stays apart under its own key.

Case 3 depends on the corpus, which changes as documents arrive and leave, so it is decided
at write time and re-decided whenever a write changes a surname's full names: the partial
occurrences that follow the corpus (``pinned = 0``) are moved to the new key in one indexed
``UPDATE`` per table, and the totals moved with them (``pp_partials`` remembers where each
partial name points). Reads then group by one stored key and never resolve names.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from presspipe.document import Document
from presspipe.store.rows import normalise_published
from presspipe.store.search import MAX_WORD_CHARS
from presspipe.store.timeline import Period, period_start

if TYPE_CHECKING:
    from presspipe.store.backend import Cursor

DOMINANT_SHARE = 0.9
"""The share of a surname's full-name mentions one full name needs to take its partial mentions."""

TITLES = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "mx",
        "miss",
        "dr",
        "prof",
        "sir",
        "dame",
        "lord",
        "lady",
        "sen",
        "senator",
        "rep",
        "gov",
        "governor",
        "president",
        "pres",
        "mayor",
        "gen",
        "general",
        "rev",
        "judge",
        "justice",
    ]
)
"""Words dropped from the start of a PERSON's name before it is keyed ("Mr. Obama" is "obama")."""

SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
"""Words after a surname that are not the surname ("Martin Luther King Jr.")."""

KEY_PATTERN = re.compile(r"[a-z0-9_]+:\w+(?:-\w+)*")
"""A corpus key as ``corpus_key`` writes it: ``label:folded-name-words``."""

_NOT_WORD = re.compile(r"[^\w]+")


def name_words(name: str) -> list[str]:
    """A name's words folded for case, accents and punctuation ("Díaz-Canel" -> diaz canel)."""
    decomposed = unicodedata.normalize("NFKD", name.replace("'", "").replace("\u2019", ""))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return [w for w in _NOT_WORD.sub(" ", plain.replace("_", " ")).split() if w]


def person_words(label: str, name: str) -> list[str]:
    """``name_words``, less the leading titles of a PERSON."""
    words = name_words(name)
    if label == "PERSON":
        while len(words) > 1 and words[0] in TITLES:
            words = words[1:]
    return words


def corpus_key(label: str, words: Iterable[str]) -> str:
    return f"{''.join(ch for ch in label.lower() if ch.isalnum() or ch == '_') or 'other'}:{'-'.join(words)}"


def surname_of(words: list[str]) -> str:
    """The last word that is not a suffix."""
    rest = [w for w in words if w not in SUFFIXES] or words
    return rest[-1]


def outlet_of(document: Document) -> str | None:
    """The outlet a document came from: ``meta.outlet`` or ``meta.site``, else its URI's host (no ``www.``)."""
    meta = document.get("meta") or {}
    for name in ("outlet", "site", "sitename"):
        if isinstance(meta.get(name), str) and meta[name].strip():
            return str(meta[name]).strip().casefold()[:200]
    uri = (document.get("source") or {}).get("uri")
    if isinstance(uri, str) and "://" in uri:
        try:
            host = urlsplit(uri).hostname
        except ValueError:
            return None
        if host and "." in host:
            return host.removeprefix("www.")
    return None


@dataclass
class EntityFacts:
    """One corpus key's part in one document."""

    surface: str
    key: str
    label: str
    name: str
    surname: str | None
    full: bool
    pinned: bool = False
    mentions: int = 0
    own_mentions: int = 0
    """Mentions under the full name itself (what the 90% rule compares), not folded partials."""
    quotes: int = 0


@dataclass
class QuoteFacts:
    surface: str | None
    pinned: bool
    speaker: str | None
    text: str
    kind: str


@dataclass
class DocumentFacts:
    published: str | None
    outlet: str | None
    pipeline: str
    entities: dict[str, EntityFacts] = field(default_factory=dict)
    """By surface key (the key the document alone gives)."""
    quotes: list[QuoteFacts] = field(default_factory=list)
    keys: dict[Any, str] = field(default_factory=dict)
    """Entity id -> the surface key it is counted under in this document."""


def facts_of(document: Document) -> DocumentFacts:
    """What a processed document adds to the corpus (before the corpus resolves partial names)."""
    facts = DocumentFacts(
        published=normalise_published((document.get("meta") or {}).get("published")),
        outlet=outlet_of(document),
        pipeline=str(document["provenance"]["pipeline"]["name"]),
    )
    surface_of = facts.keys
    for entity in document.get("entities") or []:
        if not isinstance(entity, dict) or not isinstance(entity.get("name"), str):
            continue
        label = str(entity.get("label") or "OTHER")
        words = person_words(label, entity["name"])
        if not words:
            continue
        surface = corpus_key(label, words)
        surface_of[entity.get("id")] = surface
        person = label == "PERSON"
        found = facts.entities.setdefault(
            surface,
            EntityFacts(
                surface,
                surface,
                label,
                entity["name"].strip(),
                surname_of(words) if person else None,
                full=person and len(words) > 1,
            ),
        )
        count = len([m for m in entity.get("mentions") or [] if isinstance(m, dict)]) or 1
        found.mentions += count
        if found.full:
            found.own_mentions += count
    _fold_partials(facts.entities, surface_of)
    for quote in document.get("quotes") or []:
        if not isinstance(quote, dict):
            continue
        speaker: dict[str, Any] = quote["speaker"] if isinstance(quote.get("speaker"), dict) else {}
        said_by = surface_of.get(speaker.get("entity"))
        row = facts.entities.get(said_by) if said_by else None
        if row is not None:
            row.quotes += 1
        facts.quotes.append(
            QuoteFacts(
                surface=said_by,
                pinned=row.pinned if row else True,
                speaker=speaker.get("text") if isinstance(speaker.get("text"), str) else None,
                text=str(quote.get("text") or ""),
                kind=str(quote.get("kind") or "direct"),
            )
        )
    return facts


def _fold_partials(entities: dict[str, EntityFacts], surface_of: dict[Any, str]) -> None:
    """Rules 1 and 2: a partial name the document itself resolves (or leaves ambiguous)."""
    fulls: dict[str, list[str]] = {}
    for row in entities.values():
        if row.full and row.surname:
            fulls.setdefault(row.surname, []).append(row.surface)
    for surface, row in list(entities.items()):
        if row.label != "PERSON" or row.full or row.surname is None:
            continue
        named = fulls.get(row.surname, [])
        if len(named) == 1:
            entities[named[0]].mentions += row.mentions
            del entities[surface]
            for entity_id, other in surface_of.items():
                if other == surface:
                    surface_of[entity_id] = named[0]
        elif named:
            row.pinned = True


# ---------------------------------------------------------------------- writing


def add_document(cur: Cursor, seq: int, facts: DocumentFacts, *, copy: bool = False) -> None:
    """Record a stored document ``seq`` in the corpus tables and re-resolve the surnames it touches.
    A ``copy`` (a near-copy of an earlier document, see ``copies``) has its rows marked and is left
    out of the totals (``pp_corpus`` and its counts per period, ``PERIOD_TABLES``).

    A statement per table, each given all of the document's rows (``executemany``): PostgreSQL
    then pipelines them instead of waiting for a round trip per row.
    """
    cur.execute("UPDATE pp_documents SET outlet = ? WHERE seq = ?", (facts.outlet, seq))
    # In key order, so that concurrent writers (PostgreSQL) lock the shared count rows in one order.
    rows = sorted(facts.entities.values(), key=lambda r: r.surface)
    partial = [r.surface for r in rows if not r.full and r.surname and not r.pinned]
    targets = dict(_select_in(cur, "SELECT surface, target FROM pp_partials WHERE surface IN", partial))
    for row in rows:
        row.key = str(targets.get(row.surface, row.key))
    new_keys = {row.surface: (row.label, row.name, row.surname, row.full) for row in rows}
    for row in rows:
        new_keys.setdefault(row.key, (row.label, row.name, None, True))
    _ensure_keys(cur, new_keys)
    cur.executemany(
        "INSERT INTO pp_doc_entities (doc, surface, key, pinned, surname, mentions, own_mentions, quotes, "
        "published, outlet, pipeline, copy) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                seq,
                row.surface,
                row.key,
                int(row.pinned),
                row.surname,
                row.mentions,
                row.own_mentions,
                row.quotes,
                facts.published,
                facts.outlet,
                facts.pipeline,
                int(copy),
            )
            for row in rows
        ],
    )
    day = _day(facts.published)
    if not copy:
        _move(
            cur,
            [
                (row.key, day, 1, row.mentions, row.own_mentions, row.quotes, int(row.quotes > 0))
                for row in sorted(rows, key=lambda r: r.key)
            ],
        )
    quotes = []
    for n, quote in enumerate(facts.quotes):
        speaker = facts.entities.get(quote.surface) if quote.surface else None
        quotes.append(
            (
                seq,
                n,
                quote.surface,
                speaker.key if speaker else None,
                int(quote.pinned),
                quote.speaker,
                quote.text,
                folded_text(quote.text),
                quote.kind,
                facts.published,
                facts.outlet,
                facts.pipeline,
                int(copy),
            )
        )
    cur.executemany(
        "INSERT INTO pp_quotes (doc, n, surface, key, pinned, speaker, text, folded, kind, published, "
        "outlet, pipeline, copy) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        quotes,
    )
    resolve(cur, {row.surname for row in rows if row.surname})


def _select_in(cur: Cursor, sql: str, values: Sequence[str]) -> list[Any]:
    """``sql`` (ending in ``IN``) over ``values``: the rows found (none for no values)."""
    if not values:
        return []
    cur.execute(f"{sql} ({', '.join('?' * len(values))})", tuple(values))
    return cur.fetchall()


def _ensure_keys(cur: Cursor, keys: Mapping[str, tuple[str, str, str | None, bool]]) -> None:
    """A ``pp_corpus`` row (zero counts) and the name words of each key (-> label, name, surname,
    full name) that has none yet."""
    known = {str(r[0]) for r in _select_in(cur, "SELECT key FROM pp_corpus WHERE key IN", sorted(keys))}
    missing = sorted(set(keys) - known)
    cur.executemany(
        "INSERT INTO pp_corpus (key, label, name, surname, full_name) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (key) DO NOTHING",
        [(key, keys[key][0], keys[key][1], keys[key][2], int(keys[key][3])) for key in missing],
    )
    cur.executemany(
        "INSERT INTO pp_name_words (word, key) VALUES (?, ?) ON CONFLICT DO NOTHING",
        [(word, key) for key in missing for word in sorted(set(key.partition(":")[2].split("-")))],
    )


def remove_document(cur: Cursor, seq: int) -> None:
    """Take a stored document out of the corpus tables (before its row is deleted)."""
    surnames = _count(cur, seq, -1, copy=False)
    cur.execute("DELETE FROM pp_doc_entities WHERE doc = ?", (seq,))
    cur.execute("DELETE FROM pp_quotes WHERE doc = ?", (seq,))
    resolve(cur, surnames)


def set_copy(cur: Cursor, seq: int, copy: bool) -> None:
    """Mark the stored document ``seq`` a copy (its counts leave the totals) or an original again
    (they come back); nothing when it is one already."""
    surnames = _count(cur, seq, -1 if copy else 1, copy=not copy)
    for table in ("pp_doc_entities", "pp_quotes"):
        cur.execute(f"UPDATE {table} SET copy = ? WHERE doc = ?", (int(copy), seq))
    resolve(cur, surnames)


def _count(cur: Cursor, seq: int, sign: int, *, copy: bool) -> set[str]:
    """Add (``sign`` 1) or take away (-1) the counts of document ``seq``'s rows marked ``copy``;
    the surnames they name."""
    cur.execute(
        "SELECT key, mentions, own_mentions, quotes, surname, published FROM pp_doc_entities "
        "WHERE doc = ? AND copy = ?",
        (seq, int(copy)),
    )
    found = cur.fetchall()
    _move(
        cur,
        [
            (
                str(key),
                _day(published),
                sign,
                sign * int(mentions),
                sign * int(own),
                sign * int(quotes),
                sign * int(int(quotes) > 0),
            )
            for key, mentions, own, quotes, _, published in sorted(found, key=lambda r: str(r[0]))
        ],
    )
    return {str(r[4]) for r in found if r[4]}


def resolve(cur: Cursor, surnames: Iterable[str]) -> None:
    """Rule 3 for each surname: point its partial name where the corpus now says, moving its counts."""
    partials = [corpus_key("PERSON", [surname]) for surname in sorted(surnames)]
    # Only surnames once given alone have a partial name to resolve.
    given_alone = {str(r[0]) for r in _select_in(cur, "SELECT key FROM pp_corpus WHERE key IN", partials)}
    for surname, partial in zip(sorted(surnames), partials, strict=True):
        if partial not in given_alone:
            continue
        cur.execute(
            "SELECT key, own_mentions FROM pp_corpus WHERE surname = ? AND full_name = 1 AND own_mentions > 0 "
            "AND label = 'PERSON'",
            (surname,),
        )
        target = dominant({str(k): int(m) for k, m in cur.fetchall()}) or partial
        cur.execute("SELECT target FROM pp_partials WHERE surface = ?", (partial,))
        found = cur.fetchone()
        current = str(found[0]) if found else partial
        if target == current:
            continue
        cur.execute(
            "SELECT substr(published, 1, 10), COUNT(*), SUM(mentions), SUM(quotes), "
            "SUM(CASE WHEN quotes > 0 THEN 1 ELSE 0 END) FROM pp_doc_entities WHERE surface = ? AND pinned = 0 "
            "AND copy = 0 GROUP BY substr(published, 1, 10)",
            (partial,),
        )
        days = cur.fetchall()
        for table in ("pp_doc_entities", "pp_quotes"):
            cur.execute(f"UPDATE {table} SET key = ? WHERE surface = ? AND pinned = 0", (target, partial))
        moves = []
        for day, *counts in days:
            documents, mentions, quotes, quoted = (int(v or 0) for v in counts)
            moves.append((current, day, -documents, -mentions, 0, -quotes, -quoted))
            moves.append((target, day, documents, mentions, 0, quotes, quoted))
        _move(cur, sorted(moves, key=lambda m: m[0]))
        cur.execute(
            "INSERT INTO pp_partials (surface, target) VALUES (?, ?) "
            "ON CONFLICT (surface) DO UPDATE SET target = excluded.target",
            (partial, target),
        )


def dominant(full_mentions: Mapping[str, int]) -> str | None:
    """The full name a partial name joins: the only one, or one with ``DOMINANT_SHARE`` of the mentions."""
    if not full_mentions:
        return None
    best = max(sorted(full_mentions), key=lambda k: full_mentions[k])
    if len(full_mentions) == 1 or full_mentions[best] >= DOMINANT_SHARE * sum(full_mentions.values()):
        return best
    return None


Move = tuple[str, str | None, int, int, int, int, int]
"""A change to one key's counts: key, day (or None), documents, mentions, own mentions, quotes,
documents quoted in."""


PERIOD_TABLES: dict[Period, str] = {
    "day": "pp_corpus_days",
    "week": "pp_corpus_weeks",
    "month": "pp_corpus_months",
}
"""The counts kept per key and period: the period's first day (a week starts on Monday)."""


def _move(cur: Cursor, moves: Sequence[Move]) -> None:
    """Add to each key's totals, and to its counts of the day, the week and the month
    (``PERIOD_TABLES``) when it has a day."""
    cur.executemany(
        "UPDATE pp_corpus SET documents = documents + ?, mentions = mentions + ?, own_mentions = own_mentions + ?, "
        "quotes = quotes + ?, quote_documents = quote_documents + ? WHERE key = ?",
        [
            (documents, mentions, own, quotes, quoted, key)
            for key, _, documents, mentions, own, quotes, quoted in moves
        ],
    )
    for period, table in PERIOD_TABLES.items():
        column = "day" if period == "day" else "start"
        totals: dict[tuple[str, str], list[int]] = {}
        for key, day, documents, mentions, _, quotes, quoted in moves:
            start = _start(day, period)
            if start is None:
                continue
            counts = totals.setdefault((key, start), [0, 0, 0, 0])
            for i, value in enumerate((documents, mentions, quotes, quoted)):
                counts[i] += value
        cur.executemany(
            f"INSERT INTO {table} (key, {column}, documents, mentions, quotes, quote_documents) "
            f"VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (key, {column}) DO UPDATE SET "
            f"documents = {table}.documents + excluded.documents, "
            f"mentions = {table}.mentions + excluded.mentions, "
            f"quotes = {table}.quotes + excluded.quotes, "
            f"quote_documents = {table}.quote_documents + excluded.quote_documents",
            [(key, start, *counts) for (key, start), counts in totals.items()],
        )


def _start(day: str | None, period: Period) -> str | None:
    """The first day of ``day``'s period; None for no day, or one before the year 1000 (Python
    writes year 1 as ``1-01-01``: its day is counted, not its week or month)."""
    if day is None or period == "day":
        return day
    try:
        return period_start(date.fromisoformat(day), period).isoformat()
    except ValueError:
        return None


def _day(published: str | None) -> str | None:
    return published[:10] if published else None


FOLDED_CHARS = 600
"""Characters of a quote's folded words that ``?q=`` searches (an index entry holds them, and
PostgreSQL caps an index entry at about 2.7 kB)."""


def quote_words(text: str) -> list[str]:
    """``name_words`` cut at ``MAX_WORD_CHARS`` (a PostgreSQL lexeme holds at most 2,047 bytes):
    the words a quote is indexed by, and those a quote search looks for."""
    return [word[:MAX_WORD_CHARS] for word in name_words(text)]


def folded_text(text: str) -> str:
    """A quote's words as ``?q=`` matches them: folded, space-separated, with a space at each end."""
    return f" {' '.join(quote_words(text))[:FOLDED_CHARS]} "
