"""Corpus identity, kept up to date on write: who each stored entity is across documents.

Every entity of a stored document gets a corpus key: its label and its name folded for case,
accents and punctuation, PERSON titles dropped (``person:nicolas-maduro`` for "Nicolás Maduro"
and "Nicolas Maduro"). Per document and entity, ``pp_doc_entities`` holds its mentions and
quotes; per quote, ``pp_quotes`` its speaker's key; per key, ``pp_corpus`` the corpus totals
(documents, mentions, quotes) that rankings read, and ``pp_name_words`` the words of its name
that name filters look up.

Titles and descriptors ("Mr.", "President", "Sen.", "candidate", "presidential nominee") are
never part of a PERSON's key, a lone middle initial neither ("Donald J. Trump" is
``person:donald-trump``; "George H.W. Bush" keeps his two), and a NORP name is keyed by its group: a plural's "s" and an
"-atic" adjective's "ic" dropped ("Democrats", "Democrat" and "Democratic" are
``norp:democrat``; "Republicans" and "Republican" ``norp:republican``).

A person's gender (``gender`` of a document's PERSON entity: its honorifics, the pronouns that
refer to it, its given name) is evidence of who a partial name is. A partial name (a PERSON
named by one word once titles are dropped: "Obama", "Mr. Obama") is resolved by this rule,
where a full name is *compatible* with it when their genders do not differ (either unknown,
or the same; a full name's gender in the corpus is the one most of its documents give it):

1. The document names exactly one compatible full name with that surname: it is that person
   (the mentions are folded into the full name's row).
2. The document names two or more: it stays apart, for good (``pinned``).
3. The document names none: among the corpus's compatible full names with that surname, it
   is the only one, or the one that holds at least 90% (``DOMINANT_SHARE``) of the evidence.
   For a partial name of known gender the evidence is the full names' mentions; for one of
   unknown gender it is their *bare* mentions (the surname alone with no "Mr."/"Mrs."/"Ms."
   before it, in documents that also give the full name: how this corpus uses the surname
   alone), or their mentions when no full name has any. Otherwise it stays apart under its
   own key. So in 2016 news "Mr. Obama", "President Obama" and "Obama said ... he" are Barack
   Obama, "Mrs. Obama" is Michelle Obama.

A PERSON's role class (``role`` of the entity: politician, official, spokesperson, expert,
journalist, public, other) is kept per document, and per key in ``pp_roles`` (the documents
that give it each role); a speaker's role is its most frequent one.

A partial name of known gender is counted under its own surface (``person_male:obama``,
``person_female:obama``), which falls back to the partial key (``person:obama``) when no
compatible full name takes it.

Case 3 depends on the corpus, which changes as documents arrive and leave, so it is decided
at write time and re-decided whenever a write changes a surname's full names: the partial
occurrences that follow the corpus (``pinned = 0``) are moved to the new key in one indexed
``UPDATE`` per table, and the totals moved with them (``pp_partials`` remembers where each
partial name points). Reads then group by one stored key and never resolve names.
"""

from __future__ import annotations

import functools
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
        "candidate",
        "nominee",
        "presidential",
        "hopeful",
        "frontrunner",
        "businessman",
        "businesswoman",
    ]
)
"""Words dropped from the start of a PERSON's name before it is keyed ("Mr. Obama" is "obama")."""

HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "sir", "dame", "lady", "lord", "madam"})
"""Titles that give a gender: a surname after one is not a *bare* mention."""

GENDERS = ("male", "female")

SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
"""Words after a surname that are not the surname ("Martin Luther King Jr.")."""

KEY_PATTERN = re.compile(r"[a-z0-9_]+:\w+(?:-\w+)*")
"""A corpus key as ``corpus_key`` writes it: ``label:folded-name-words``."""

_NOT_WORD = re.compile(r"[^\w]+")


def name_words(name: str) -> list[str]:
    """A name's words folded for case, accents and punctuation ("Díaz-Canel" -> diaz canel)."""
    return list(_name_words(name))


@functools.lru_cache(maxsize=65_536)
def _name_words(name: str) -> tuple[str, ...]:
    # Cached: a document's names and mention texts come back in every document that names them
    # (a fifth of a store write went here). ASCII has no accents to take off.
    unquoted = name.replace("'", "").replace("\u2019", "")
    if unquoted.isascii():
        plain = unquoted.casefold()
    else:
        decomposed = unicodedata.normalize("NFKD", unquoted)
        plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return tuple(w for w in _NOT_WORD.sub(" ", plain.replace("_", " ")).split() if w)


def person_words(label: str, name: str) -> list[str]:
    """``name_words`` as keyed: a PERSON's less its leading titles and one-letter middle initials,
    a NORP's folded to its group (see the module docstring)."""
    words = name_words(name)
    if label == "PERSON":
        while len(words) > 1 and words[0] in TITLES:
            words = words[1:]
        if len(words) == 3 and len(words[1]) == 1:
            words = [words[0], words[2]]  # "Donald J. Trump"; "George H.W. Bush" keeps both
    elif label == "NORP" and words:
        words = [*words[:-1], group_word(words[-1])]
    return words


def group_word(word: str) -> str:
    """A NORP word folded to its group: "democrats" and "democratic" -> democrat."""
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    if word.endswith("atic"):
        word = word[:-2]
    return word


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
    gender: str | None = None
    fallback: str = ""
    """The key it is counted under when the corpus resolves it nowhere (a partial name of known
    gender: the partial key; else its surface)."""
    pinned: bool = False
    mentions: int = 0
    own_mentions: int = 0
    """Mentions under the full name itself (what the 90% rule compares), not folded partials."""
    bare_mentions: int = 0
    """Of a full name's mentions, those of the surname alone with no gendered honorific."""
    role: str | None = None
    """A PERSON's role class in this document (``entity.role.class``), or None."""
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
    text = str(document.get("text") or "")
    for entity in document.get("entities") or []:
        if not isinstance(entity, dict) or not isinstance(entity.get("name"), str):
            continue
        label = str(entity.get("label") or "OTHER")
        words = person_words(label, entity["name"])
        if not words:
            continue
        person = label == "PERSON"
        full = person and len(words) > 1
        gender = entity.get("gender") if person and entity.get("gender") in GENDERS else None
        role: Any = entity.get("role") if person else None
        role_class = (
            role.get("class") if isinstance(role, dict) and isinstance(role.get("class"), str) else None
        )
        key = corpus_key(label, words)
        surface = corpus_key(f"person_{gender}", words) if person and not full and gender else key
        surface_of[entity.get("id")] = surface
        found = facts.entities.setdefault(
            surface,
            EntityFacts(
                surface,
                key,
                label,
                entity["name"].strip(),
                surname_of(words) if person else None,
                full=full,
                gender=gender,
                fallback=key,
                role=role_class,
            ),
        )
        mentions = [m for m in entity.get("mentions") or [] if isinstance(m, dict)]
        count = len(mentions) or 1
        found.mentions += count
        if found.full:
            found.own_mentions += count
            found.bare_mentions += sum(_bare(text, m, found.surname or "") for m in mentions)
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


def _bare(text: str, mention: dict[str, Any], surname: str) -> bool:
    """Whether a mention is the surname alone with no gendered honorific before it."""
    start, end = mention.get("start"), mention.get("end")
    if not isinstance(start, int) or not isinstance(end, int) or name_words(text[start:end]) != [surname]:
        return False
    before = name_words(text[max(0, start - 8) : start])
    return not before or before[-1] not in HONORIFICS


def compatible(one: str | None, other: str | None) -> bool:
    """Whether two genders (None: unknown) can be one person's."""
    return one is None or other is None or one == other


def _fold_partials(entities: dict[str, EntityFacts], surface_of: dict[Any, str]) -> None:
    """Rules 1 and 2: a partial name the document itself resolves (or leaves ambiguous)."""
    fulls: dict[str, list[EntityFacts]] = {}
    for row in entities.values():
        if row.full and row.surname:
            fulls.setdefault(row.surname, []).append(row)
    for surface, row in list(entities.items()):
        if row.label != "PERSON" or row.full or row.surname is None:
            continue
        named = [full.surface for full in fulls.get(row.surname, []) if compatible(row.gender, full.gender)]
        if len(named) == 1:
            entities[named[0]].mentions += row.mentions
            entities[named[0]].role = entities[named[0]].role or row.role
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
    new_keys = {row.fallback: (row.label, row.name, row.surname, row.full) for row in rows}
    for row in rows:
        new_keys.setdefault(row.key, (row.label, row.name, None, True))
    _ensure_keys(cur, new_keys)
    cur.executemany(
        "INSERT INTO pp_doc_entities (doc, surface, key, pinned, surname, mentions, own_mentions, quotes, "
        "published, outlet, pipeline, copy, gender, bare_mentions, role) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
                row.gender,
                row.bare_mentions,
                row.role,
            )
            for row in rows
        ],
    )
    if not copy:
        _move_roles(cur, [(row.key, row.role, 1) for row in rows if row.role])
    day = _day(facts.published)
    if not copy:
        _move(
            cur,
            [
                (
                    row.key,
                    day,
                    1,
                    row.mentions,
                    row.own_mentions,
                    row.quotes,
                    int(row.quotes > 0),
                    row.bare_mentions,
                    int(row.gender == "male"),
                    int(row.gender == "female"),
                )
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
        "SELECT key, mentions, own_mentions, quotes, surname, published, bare_mentions, gender, role "
        "FROM pp_doc_entities WHERE doc = ? AND copy = ?",
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
                sign * int(bare),
                sign * int(gender == "male"),
                sign * int(gender == "female"),
            )
            for key, mentions, own, quotes, _, published, bare, gender, _ in sorted(
                found, key=lambda r: str(r[0])
            )
        ],
    )
    _move_roles(cur, [(str(r[0]), str(r[8]), sign) for r in found if r[8]])
    return {str(r[4]) for r in found if r[4]}


def resolve(cur: Cursor, surnames: Iterable[str]) -> None:
    """Rule 3 for each surname: point its partial names where the corpus now says, moving their counts."""
    partials = [corpus_key("PERSON", [surname]) for surname in sorted(surnames)]
    # Only surnames once given alone have a partial name to resolve.
    given_alone = {str(r[0]) for r in _select_in(cur, "SELECT key FROM pp_corpus WHERE key IN", partials)}
    for surname, partial in zip(sorted(surnames), partials, strict=True):
        if partial not in given_alone:
            continue
        cur.execute(
            "SELECT key, own_mentions, bare_mentions, male, female FROM pp_corpus WHERE surname = ? "
            "AND full_name = 1 AND own_mentions > 0 AND label = 'PERSON'",
            (surname,),
        )
        fulls = [
            (str(k), int(own), int(bare), key_gender(int(m), int(f))) for k, own, bare, m, f in cur.fetchall()
        ]
        for gender in (None, *GENDERS):
            surface = corpus_key(f"person_{gender}", [surname]) if gender else partial
            _point(cur, surface, partial, choose(fulls, gender) or partial)


def _point(cur: Cursor, surface: str, partial: str, target: str) -> None:
    """Move the unpinned occurrences of a partial name's ``surface`` (and their counts) to ``target``."""
    cur.execute("SELECT target FROM pp_partials WHERE surface = ?", (surface,))
    found = cur.fetchone()
    current = str(found[0]) if found else partial
    if target == current:
        return
    cur.execute(
        "SELECT substr(published, 1, 10), COUNT(*), SUM(mentions), SUM(quotes), "
        "SUM(CASE WHEN quotes > 0 THEN 1 ELSE 0 END), SUM(CASE WHEN gender = 'male' THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN gender = 'female' THEN 1 ELSE 0 END) FROM pp_doc_entities WHERE surface = ? "
        "AND pinned = 0 AND copy = 0 GROUP BY substr(published, 1, 10)",
        (surface,),
    )
    days = cur.fetchall()
    if not days and found is None:
        return  # never met under this surface
    cur.execute(
        "SELECT role, COUNT(*) FROM pp_doc_entities WHERE surface = ? AND pinned = 0 AND copy = 0 "
        "AND role IS NOT NULL GROUP BY role",
        (surface,),
    )
    roles = cur.fetchall()
    _move_roles(
        cur,
        [(current, str(role), -int(n)) for role, n in roles]
        + [(target, str(role), int(n)) for role, n in roles],
    )
    for table in ("pp_doc_entities", "pp_quotes"):
        cur.execute(f"UPDATE {table} SET key = ? WHERE surface = ? AND pinned = 0", (target, surface))
    moves = []
    for day, *counts in days:
        documents, mentions, quotes, quoted, male, female = (int(v or 0) for v in counts)
        moves.append((current, day, -documents, -mentions, 0, -quotes, -quoted, 0, -male, -female))
        moves.append((target, day, documents, mentions, 0, quotes, quoted, 0, male, female))
    _move(cur, sorted(moves, key=lambda m: m[0]))
    cur.execute(
        "INSERT INTO pp_partials (surface, target) VALUES (?, ?) "
        "ON CONFLICT (surface) DO UPDATE SET target = excluded.target",
        (surface, target),
    )


def key_gender(male: int, female: int) -> str | None:
    """A key's gender: the one most of its documents give it (a tie: None)."""
    return "male" if male > female else "female" if female > male else None


def choose(fulls: Sequence[tuple[str, int, int, str | None]], gender: str | None) -> str | None:
    """The full name (key, mentions, bare mentions, gender) a partial name of ``gender`` joins (rule 3)."""
    pool = [full for full in fulls if compatible(gender, full[3])]
    if gender is None and any(bare for _, _, bare, _ in pool):
        return dominant({key: bare for key, _, bare, _ in pool})
    return dominant({key: own for key, own, _, _ in pool})


def dominant(full_mentions: Mapping[str, int]) -> str | None:
    """The full name a partial name joins: the only one, or one with ``DOMINANT_SHARE`` of the mentions."""
    if not full_mentions:
        return None
    best = max(sorted(full_mentions), key=lambda k: full_mentions[k])
    if len(full_mentions) == 1 or full_mentions[best] >= DOMINANT_SHARE * sum(full_mentions.values()):
        return best
    return None


Move = tuple[str, str | None, int, int, int, int, int, int, int, int]
"""A change to one key's counts: key, day (or None), documents, mentions, own mentions, quotes,
documents quoted in, bare mentions, documents giving it male, female."""


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
        "quotes = quotes + ?, quote_documents = quote_documents + ?, bare_mentions = bare_mentions + ?, "
        "male = male + ?, female = female + ? WHERE key = ?",
        [
            (documents, mentions, own, quotes, quoted, bare, male, female, key)
            for key, _, documents, mentions, own, quotes, quoted, bare, male, female in moves
        ],
    )
    for period, table in PERIOD_TABLES.items():
        column = "day" if period == "day" else "start"
        totals: dict[tuple[str, str], list[int]] = {}
        for key, day, documents, mentions, _, quotes, quoted, *_ in moves:
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


def _move_roles(cur: Cursor, moves: Sequence[tuple[str, str, int]]) -> None:
    """Add to the documents that give each key a role (key, role class, documents)."""
    cur.executemany(
        "INSERT INTO pp_roles (key, role, documents) VALUES (?, ?, ?) ON CONFLICT (key, role) DO UPDATE SET "
        "documents = pp_roles.documents + excluded.documents",
        sorted(moves),
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
