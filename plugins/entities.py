"""entities.spacy: spaCy's entity mentions grouped into canonical entities, ranked by salience.

The step reads the shared parse (``context.parse``) and never runs a model itself.

Mentions
    Every mention is one of the model's own spans (``doc.ents``), with three trims that
    keep ``text[start:end] == mention["text"]``: surrounding whitespace, a trailing
    possessive, straight or curly (``Putin's`` -> ``Putin``, ``Davis'`` -> ``Davis``) and,
    on PERSON spans (on ORG spans for honorifics and political titles only), leading
    titles (``President Donald Trump`` -> ``Donald Trump``). OntoNotes, which the English models
    are trained on, leaves titles and possessive markers out of names, so the trims only
    bring the odd span back to the model's own convention. Nothing else about spaCy's
    mentions is changed: no span is added, dropped or moved.

Grouping (one entity per real-world thing)
    1. Each mention gets a key: its name (trimmed as above, a leading ``the`` dropped)
       split into words, case-folded, accents and dots removed (``Nicolás`` ~ ``Nicolas``,
       ``U.S.`` ~ ``US``). Alias tables map keys to one canonical key: built in,
       ``US``/``U.S.``/``USA``/``United States (of America)``, ``UK``/``U.K.``/``United
       Kingdom``, ``UN``/``U.N.``/``United Nations`` and ``EU``/``E.U.``/``European Union``;
       the ``aliases`` option adds more. ``America`` is deliberately not built in.
    2. Mentions with the same key are one entity whatever label the model gave each one
       (one sense per discourse: spaCy tags the same "Trump" PERSON here and ORG there).
       NORP plurals join their singular (``Russians`` ~ ``Russian``).
    3. Multi-word person names that share their first and last word are one entity
       (``Donald Trump`` ~ ``Donald J. Trump``).
    4. A shorter name joins the longer PERSON (or ORG) name it ends with, met earlier or
       later in the document (``Putin`` -> ``Vladimir Putin``, ``Assad`` -> ``Bashar
       al-Assad``), when exactly one such longer name exists and the shorter one is not
       tagged only as a place or group (a ``Washington`` the model calls GPE every time
       does not join ``George Washington``). When several longer names end with it, it
       joins the one met first if that one also has strictly more mentions than each other
       (three "Hillary Clinton", one "Chelsea Clinton": "Clinton" is Hillary); otherwise
       (one "George Bush", one "Jeb Bush") it stays its own entity.
    5. Label: the majority label of the entity's longest name, then of all its mentions,
       ties broken in the order PERSON, ORG, GPE, NORP, then alphabetically. Entities whose
       label is not in ``labels`` are dropped; mentions of any of ``labels`` plus PERSON,
       ORG and GPE take part in the grouping, so an ORG-tagged "Trump" still joins PERSON
       "Donald Trump" when only PERSON is kept.
    6. Name: the canonical name of an alias group (``United States`` even where the text
       only says ``U.S.``), else the longest form among the mentions (trimmed, without a leading ``the``,
       whitespace collapsed); ties go to the most frequent, then to the one with more
       accented letters (``Nicolás`` over ``Nicolas``), then to the earliest.

Salience
    ``raw(e) = sum over mentions m of (1 - 0.5 * m.start / len(text)) + 1 if e is in the lead``

    Each mention counts between 1 (at the very start) and 0.5 (at the very end); an entity
    mentioned in the first paragraph of ``text`` or in ``meta.title`` gets a bonus of one
    mention. ``salience = raw / sum of raw over the document's entities``, rounded to 4
    places, so saliences sum to 1 (up to rounding). Entities are sorted by salience
    (descending, ties by first mention) and numbered ``E1``, ``E2``, ... in that order.

Linking spans to entities
    ``entity_at(document, start, end)`` returns the id of the entity whose mention overlaps
    a character span most (quotes use it for speakers).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from presspipe import Document, RunContext, StepSpec, hookimpl
from presspipe.analysis import DEFAULT_MODEL

if TYPE_CHECKING:
    from spacy.tokens import Doc

VERSION = "0.1.0"

DEFAULT_LABELS = ["PERSON", "ORG", "GPE", "NORP"]

CONFIG_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "model": {
            "type": "string",
            "default": DEFAULT_MODEL,
            "description": "spaCy package name or model directory whose parse to read (shared with other steps).",
        },
        "labels": {
            "type": "array",
            "items": {"type": "string"},
            "default": DEFAULT_LABELS,
            "description": "Entity labels to keep (the model's label names). An entity's label is decided "
            "over all its mentions before this filter applies.",
        },
        "aliases": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "default": {},
            "description": "Extra names of one thing, canonical name -> other names, for example "
            '{"United States": ["America"]}. Added to the built-in US, UK, UN and EU aliases.',
        },
    },
}

# Labels whose mentions always take part in grouping: spaCy's small models confuse them on names.
GROUPING_LABELS = frozenset({"PERSON", "ORG", "GPE"})
# A short name tagged only with these never joins a person's or organisation's longer name.
PLACE_LABELS = frozenset({"GPE", "LOC", "NORP", "FAC"})
LABEL_ORDER = {"PERSON": 0, "ORG": 1, "GPE": 2, "NORP": 3}

BUILTIN_ALIASES: dict[str, list[str]] = {
    "United States": ["US", "U.S.", "USA", "U.S.A.", "United States of America"],
    "United Kingdom": ["UK", "U.K."],
    "United Nations": ["UN", "U.N."],
    "European Union": ["EU", "E.U."],
}


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Titles (folded: lower case, no dots) stripped from PERSON and ORG mentions: they never
# start an organisation's name.
PERSON_TITLES = _words(
    """mr mrs ms mx dr sir dame president vice-president senator sen rep representative
    congressman congresswoman gov governor mayor chancellor premier"""
)
# Titles stripped from PERSON mentions only ("General Motors" and "Secretary of State" are ORGs).
PERSON_ONLY_TITLES = PERSON_TITLES | _words(
    """prof professor vice prime minister secretary foreign deputy former acting late then
    general gen lt col colonel capt captain sgt sergeant admiral adm commander judge justice
    chairman chairwoman chair speaker ambassador ayatollah sheikh rev reverend state us
    ukrainian russian american british french german chinese"""
)
# Words that can sit between titles ("Secretary of State") but never end a title run.
TITLE_JOINERS = frozenset({"of", "the", "for"})

_POSSESSIVE = re.compile(r"(?:['\u2019]s|(?<=[sS])['\u2019])$")
_POSSESSIVE_WORD = re.compile(r"['\u2019]s\b")
_NON_WORD = re.compile(r"[^\w\s.'\u2019-]")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})
_PARTICLE = re.compile(r"^(?:al|el|ad|as|ash|at|az|bin|ibn|abu)-", re.IGNORECASE)


def fold(word: str) -> str:
    """A word as grouping compares it: case-folded, without accents, dots or apostrophe variants."""
    decomposed = unicodedata.normalize("NFKD", word.translate(_APOSTROPHES))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return plain.casefold().replace(".", "")


def name_key(name: str) -> tuple[str, ...]:
    """The grouping key of a name: folded words, a leading "the" dropped."""
    words = [fold(w) for w in name.split()]
    words = [w for w in words if w]
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return tuple(words)


def alias_table(extra: Mapping[str, Iterable[str]] | None = None) -> dict[tuple[str, ...], tuple[str, ...]]:
    """Key of every alias -> key of its canonical name (built-in aliases plus ``extra``)."""
    table: dict[tuple[str, ...], tuple[str, ...]] = {}
    for source in (BUILTIN_ALIASES, extra or {}):
        for canonical, others in source.items():
            target = name_key(canonical)
            target = table.get(target, target)
            for other in others:
                table[name_key(other)] = target
    return table


@dataclass
class Mention:
    """One model span after trimming: where it is, its display name and grouping key."""

    text: str
    start: int
    end: int
    label: str
    name: str
    key: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end}


def trim_span(text: str, start: int, end: int, label: str) -> tuple[int, int]:
    """Offsets of a model span without surrounding whitespace, possessive or leading titles."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    possessive = _POSSESSIVE.search(text[start:end])
    if possessive and possessive.start() > 0:
        end = start + possessive.start()
    titles = PERSON_ONLY_TITLES if label == "PERSON" else PERSON_TITLES if label == "ORG" else None
    if titles:
        words = list(re.finditer(r"\S+", text[start:end]))
        last_title = -1
        for i, word in enumerate(words[:-1]):
            folded = fold(word.group()).rstrip(",")
            if folded in titles:
                last_title = i
            elif folded not in TITLE_JOINERS or last_title < 0:
                break
        if last_title >= 0:
            rest = words[last_title + 1]
            if rest.group()[:1].isupper():
                start += rest.start()
    return start, end


def collect_mentions(
    text: str, doc: Doc, labels: frozenset[str], aliases: Mapping[tuple[str, ...], tuple[str, ...]]
) -> list[Mention]:
    """The model's entity spans with a label in ``labels``, trimmed and keyed."""
    mentions = []
    for ent in doc.ents:
        if ent.label_ not in labels:
            continue
        start, end = trim_span(text, ent.start_char, ent.end_char, ent.label_)
        if start >= end:
            continue
        surface = text[start:end]
        name = " ".join(surface.split())
        key = name_key(name)
        if not key:
            continue
        words = name.split(maxsplit=1)
        if len(words) > 1 and fold(words[0]) == "the":
            name = words[1]
        key = aliases.get(key, key)
        mentions.append(Mention(surface, start, end, ent.label_, name, key))
    return mentions


@dataclass
class Group:
    """Mentions believed to name one thing."""

    mentions: list[Mention] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, ...]:
        """The longest key among the mentions (the fullest form of the name)."""
        return max((m.key for m in self.mentions), key=lambda k: (len(k), sum(map(len, k))))

    def label(self) -> str:
        """Majority label of the fullest name, then of all mentions; ties in LABEL_ORDER."""
        full = self.key
        for pool in ([m for m in self.mentions if m.key == full], self.mentions):
            counts = Counter(m.label for m in pool)
            ranked = sorted(counts.items(), key=lambda kv: (-kv[1], LABEL_ORDER.get(kv[0], 9), kv[0]))
            if len(ranked) == 1 or ranked[0][1] > ranked[1][1]:
                return ranked[0][0]
        return ranked[0][0]

    def name(self) -> str:
        """The longest form; ties to the most frequent, then the accented, then the earliest."""
        counts = Counter(m.name for m in self.mentions)
        first: dict[str, int] = {}
        for m in sorted(self.mentions, key=lambda m: m.start):
            first.setdefault(m.name, m.start)
        return min(counts, key=lambda n: (-len(n), -counts[n], -sum(not c.isascii() for c in n), first[n]))

    def labels(self) -> set[str]:
        return {m.label for m in self.mentions}


def _is_suffix(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """Whether ``short`` names the end of ``long`` ("putin" of "vladimir putin", "assad" of "al-assad")."""
    if len(short) >= len(long):
        return False
    if long[-len(short) :] == short:
        return True
    return len(short) == 1 and _PARTICLE.sub("", long[-1]) == short[0]


def group_mentions(mentions: list[Mention]) -> list[Group]:
    """Group mentions into entities (rules 2-4 of the module docstring)."""
    by_key: dict[tuple[str, ...], Group] = {}
    for mention in mentions:
        by_key.setdefault(mention.key, Group()).mentions.append(mention)
    # NORP plurals join their singular.
    for key in list(by_key):
        if len(key) == 1 and key[0].endswith("s") and (key[0][:-1],) in by_key:
            plural, singular = by_key[key], by_key[(key[0][:-1],)]
            if plural.labels() == {"NORP"} and singular.labels() == {"NORP"}:
                singular.mentions += plural.mentions
                del by_key[key]
    groups = list(by_key.values())

    def person_like(group: Group) -> bool:
        return group.label() in {"PERSON", "ORG"}

    # Multi-word person names sharing first and last word are one person.
    merged: list[Group] = []
    for group in sorted(groups, key=lambda g: -len(g.key)):
        key = group.key
        if len(key) >= 2 and group.label() == "PERSON":
            twin = next(
                (
                    g
                    for g in merged
                    if len(g.key) >= 2
                    and g.label() == "PERSON"
                    and (g.key[0], g.key[-1]) == (key[0], key[-1])
                ),
                None,
            )
            if twin is not None:
                twin.mentions += group.mentions
                continue
        merged.append(group)
    # Shorter names join the one longer person or organisation name they end with.
    result: list[Group] = []
    for group in sorted(merged, key=lambda g: -len(g.key)):
        if not group.labels() <= PLACE_LABELS:
            targets = [g for g in result if person_like(g) and _is_suffix(group.key, g.key)]
            target = _dominant(targets)
            if target is not None:
                target.mentions += group.mentions
                continue
        result.append(group)
    return result


def _dominant(candidates: list[Group]) -> Group | None:
    """The one candidate a short name refers to: the only one, or the first-met one named most.

    "Clinton" after three "Hillary Clinton" and one "Chelsea Clinton" is Hillary (news style
    calls the lesser namesake by first name); after one "George Bush" and one "Jeb Bush" it
    is undecided.
    """
    if len(candidates) <= 1:
        return candidates[0] if candidates else None
    first = min(candidates, key=lambda g: min(m.start for m in g.mentions))
    if all(len(first.mentions) > len(g.mentions) for g in candidates if g is not first):
        return first
    return None


def salience_scores(groups: list[Group], text: str, title: str | None) -> list[float]:
    """Raw salience of each group (see the module docstring), normalised to sum to 1."""
    length = max(len(text), 1)
    body = text.lstrip()
    lead_end = len(text) - len(body) + (body.find("\n\n") if "\n\n" in body else len(body))
    title_words = name_key(_NON_WORD.sub(" ", _POSSESSIVE_WORD.sub("", title or "")))
    folded_title = " " + " ".join(title_words) + " "
    raw = []
    for group in groups:
        score = sum(1.0 - 0.5 * m.start / length for m in group.mentions)
        in_lead = any(m.start < lead_end for m in group.mentions) or any(
            f" {' '.join(name_key(m.name))} " in folded_title for m in group.mentions
        )
        raw.append(score + (1.0 if in_lead else 0.0))
    total = sum(raw) or 1.0
    return [round(r / total, 4) for r in raw]


def build_entities(
    document: Document,
    doc: Doc,
    labels: Iterable[str] = DEFAULT_LABELS,
    aliases: Mapping[str, Iterable[str]] | None = None,
) -> list[dict[str, Any]]:
    """The ``entities`` list of one document from its spaCy parse."""
    keep = frozenset(labels)
    text = document["text"]
    table = alias_table(aliases)
    canonical = {key: name for name in (*BUILTIN_ALIASES, *(aliases or {})) if (key := name_key(name))}
    canonical = {table.get(key, key): name for key, name in canonical.items()}
    mentions = collect_mentions(text, doc, keep | GROUPING_LABELS, table)
    groups = [g for g in group_mentions(mentions) if g.label() in keep]
    title = (document.get("meta") or {}).get("title")
    scores = salience_scores(groups, text, title if isinstance(title, str) else None)
    ranked = sorted(
        zip(groups, scores, strict=True), key=lambda gs: (-gs[1], min(m.start for m in gs[0].mentions))
    )
    entities = []
    for number, (group, score) in enumerate(ranked, start=1):
        entities.append(
            {
                "id": f"E{number}",
                "name": canonical.get(group.key) or group.name(),
                "label": group.label(),
                "salience": score,
                "mentions": [m.as_json() for m in sorted(group.mentions, key=lambda m: m.start)],
            }
        )
    return entities


def entity_at(document: Document, start: int, end: int, *, labels: Iterable[str] | None = None) -> str | None:
    """The id of the entity whose mention overlaps ``text[start:end]`` most, or None.

    Ties go to the more salient entity (the one listed first). ``labels`` limits the
    candidates (``labels={"PERSON", "ORG"}`` for speakers). A span that merely contains a
    mention matches it: the caller decides whether, say, "Russia's foreign ministry" should
    count as Russia.
    """
    wanted = set(labels) if labels is not None else None
    best: tuple[int, str] | None = None
    for entity in document.get("entities") or []:
        if wanted is not None and entity["label"] not in wanted:
            continue
        for mention in entity["mentions"]:
            overlap = min(end, mention["end"]) - max(start, mention["start"])
            if overlap > 0 and (best is None or overlap > best[0]):
                best = (overlap, entity["id"])
    return best[1] if best else None


class SpacyEntities:
    """The ``entities.spacy`` step: canonical entities from the shared spaCy parse."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.model: str = config.get("model", DEFAULT_MODEL)
        self.labels = list(config.get("labels", DEFAULT_LABELS))
        self.aliases: dict[str, list[str]] = dict(config.get("aliases") or {})

    def __call__(self, documents: list[Document], context: RunContext) -> list[Document]:
        for document, doc in zip(documents, context.parse(documents, self.model), strict=True):
            document["entities"] = build_entities(document, doc, self.labels, self.aliases)
        return documents


@hookimpl
def presspipe_steps() -> list[StepSpec]:
    return [
        StepSpec(
            name="entities.spacy",
            factory=SpacyEntities,
            version=VERSION,
            description="Named entities from spaCy, grouped into canonical entities and ranked by salience.",
            config_schema=CONFIG_SCHEMA,
            requires=("text",),
            provides=("entities",),
        )
    ]
