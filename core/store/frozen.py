"""The code that migrations 2, 3 and 8 run, frozen as those migrations shipped: never edit it.

A migration must do tomorrow what it did the day it shipped, whatever later versions of
``corpus``, ``rows`` and ``search`` become, so it imports none of them: this module is a copy of
what it needs from them (migration 2: a document's corpus facts and its rows in the corpus
tables; migration 3: the search words). A later migration that needs other code freezes its own
copy beside this one. Only ``migrations`` imports this module.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from presspipe.store.backend import Cursor

# ---------------------------------------------------------------------- search (migration 3)

SEARCH_CHARS = 100_000
"""Characters of a title, and of a text, that the full-text index covers."""
MAX_WORD_CHARS = 200
"""Longer words are cut to this (a PostgreSQL lexeme holds at most 2,047 bytes)."""
_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """The search words of ``text``, in order (repeats kept)."""
    return [word[:MAX_WORD_CHARS] for word in _WORD.findall(text.lower())]


def index_text(title: str | None, text: str) -> str:
    """What the index holds for a document: its distinct words, space-separated."""
    found = words((title or "")[:SEARCH_CHARS]) + words(text[:SEARCH_CHARS])
    return " ".join(dict.fromkeys(found))


# ---------------------------------------------------------------------- published dates (rows)


def normalise_published(value: Any) -> str | None:
    """``meta.published`` as sortable ``YYYY-MM-DDTHH:MM:SS`` (UTC when it has a zone), or None
    (not a date, or out of range in UTC: ``ingest_problem`` refuses the latter)."""
    if not isinstance(value, str):
        return None
    try:
        parsed = _parsed_published(value)
    except OverflowError:
        return None
    return parsed.strftime("%Y-%m-%dT%H:%M:%S") if parsed is not None else None


def _parsed_published(value: str) -> datetime | None:
    """A naive UTC datetime, or None (not a date); ``OverflowError`` when out of range in UTC
    (``0001-01-01T00:00:00+01:00``)."""
    if not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        try:
            parsed = datetime.combine(date.fromisoformat(value.strip()[:10]), datetime.min.time())
        except ValueError:
            return None
    return utc_naive(parsed)


def utc_naive(value: datetime) -> datetime:
    """``value`` in UTC without its zone; ``OverflowError`` when UTC has no such time."""
    if value.tzinfo is None:
        return value
    return value.astimezone(UTC).replace(tzinfo=None)


# ---------------------------------------------------------------------- corpus facts (migration 2)

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


def outlet_of(document: dict[str, Any]) -> str | None:
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


def facts_of(document: dict[str, Any]) -> DocumentFacts:
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


def add_document(cur: Cursor, seq: int, facts: DocumentFacts) -> None:
    """Record a stored document ``seq`` in the corpus tables and re-resolve the surnames it touches.

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
        "published, outlet, pipeline) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
            )
            for row in rows
        ],
    )
    day = _day(facts.published)
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
            )
        )
    cur.executemany(
        "INSERT INTO pp_quotes (doc, n, surface, key, pinned, speaker, text, folded, kind, published, "
        "outlet, pipeline) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
            "GROUP BY substr(published, 1, 10)",
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


def _move(cur: Cursor, moves: Sequence[Move]) -> None:
    """Add to each key's totals, and to its counts of the day (``pp_corpus_days``) when it has one."""
    cur.executemany(
        "UPDATE pp_corpus SET documents = documents + ?, mentions = mentions + ?, own_mentions = own_mentions + ?, "
        "quotes = quotes + ?, quote_documents = quote_documents + ? WHERE key = ?",
        [
            (documents, mentions, own, quotes, quoted, key)
            for key, _, documents, mentions, own, quotes, quoted in moves
        ],
    )
    cur.executemany(
        "INSERT INTO pp_corpus_days (key, day, documents, mentions, quotes, quote_documents) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (key, day) DO UPDATE SET "
        "documents = pp_corpus_days.documents + excluded.documents, "
        "mentions = pp_corpus_days.mentions + excluded.mentions, "
        "quotes = pp_corpus_days.quotes + excluded.quotes, "
        "quote_documents = pp_corpus_days.quote_documents + excluded.quote_documents",
        [
            (key, day, documents, mentions, quotes, quoted)
            for key, day, documents, mentions, _, quotes, quoted in moves
            if day is not None
        ],
    )


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


# ---------------------------------------------------------------------- packed documents (migration 10)


def pack_bodies(cur: Cursor) -> None:
    """Move every stored document's JSON from ``body`` into ``packed``, zstd level 3 of its UTF-8
    (``body`` left ``''``), 200 documents a statement."""
    import zstandard

    after = 0
    while True:
        cur.execute("SELECT seq, body FROM pp_documents WHERE seq > ? ORDER BY seq LIMIT 200", (after,))
        rows = cur.fetchall()
        cur.executemany(
            "UPDATE pp_documents SET packed = ?, body = '' WHERE seq = ?",
            [(zstandard.compress(str(body).encode("utf-8"), 3), int(seq)) for seq, body in rows],
        )
        if len(rows) < 200:
            return
        after = int(rows[-1][0])
