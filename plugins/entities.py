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
    3. A multi-word person name joins a longer one with the same first and last word that
       contains all its words (``Donald Trump`` ~ ``Donald J. Trump``; ``George H.W. Bush``
       and ``George W. Bush`` stay two).
    4. A shorter name joins a longer name it ends with, met earlier or later in the
       document (``Putin`` -> ``Vladimir Putin``, ``Assad`` -> ``Bashar al-Assad``, ``Post``
       -> ``The New York Post``), if: the shorter one is capitalised and not tagged only as
       a place or group (a ``Washington`` the model calls GPE every time does not join
       ``George Washington``); the longer one is mostly tagged PERSON or ORG, and a PERSON
       one is written like a name (2-5 capitalised words or particles: photo credits such
       as ``Carlos Barria / Reuters`` and acronyms are not); a multi-word PERSON name only
       joins a PERSON (so ``Ted Cruz`` does not vanish into a headline fragment ``Fault Ted
       Cruz`` the model calls ORG). PERSON candidates are preferred. Of several candidates
       it joins the one met first if that one also has strictly more mentions than each
       other (three "Hillary Clinton", one "Chelsea Clinton": "Clinton" is Hillary);
       otherwise (one "George Bush", one "Jeb Bush") it stays its own entity.
    5. A lone word tagged PERSON joins the one two-word person whose first name it is, if
       that person is also called by surname alone (``Hillary`` -> ``Hillary Clinton``
       when ``Clinton`` occurs too; ``Obama`` never joins ``Obama White House``).
    6. Label: PERSON if the entity's anchor name (its multi-word name used most often;
       ties to fewer words) is mostly tagged PERSON and written like a name, because the
       small models often tag a known person's bare surname ORG ("Donald Trump" once
       PERSON, "Trump" nine times ORG: PERSON). For the same reason an entity with no
       multi-word name is PERSON when more than a quarter of its mentions are tagged PERSON
       and it is not always in capitals like an acronym ("Trump" 4 PERSON, 9 ORG: PERSON;
       "Kasich" 2 PERSON, 4 GPE: PERSON; "Worcester" 1 PERSON, 3 GPE: GPE). Otherwise the
       majority label over all mentions, ties to the anchor's label, then PERSON, ORG, GPE, NORP. Entities whose
       label is not in ``labels`` are then dropped; mentions labelled PERSON, ORG or GPE
       always take part in grouping, so an ORG-tagged "Trump" still joins PERSON "Donald
       Trump" when only PERSON is kept.
    7. Name: the canonical name of an alias group (``United States`` even where the text
       only says ``U.S.``); else the longest form among the mentions that carry the
       entity's label (trimmed, no leading ``the``, whitespace collapsed), passing over a
       form that only adds leading words to a multi-word form used more often ("Crooked
       Hillary Clinton" once, "Hillary Clinton" twice). Ties go to the most frequent form,
       then to the one with more accented letters (``Nicolás`` over ``Nicolas``), then to
       the earliest.

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

from presspipe import DEFAULT_MODEL, Document, RunContext, StepSpec, hookimpl

if TYPE_CHECKING:
    from spacy.tokens import Doc

VERSION = "0.2.0"

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
    chairman chairwoman chair speaker ambassador ayatollah sheikh rev reverend state us attorney
    assemblyman assemblywoman councilman councilwoman councilmember spokesman spokeswoman
    spokesperson founder co-founder billionaire actor actress author
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
            if folded in titles or all(part in titles for part in folded.split("-")):
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

    key: tuple[str, ...]
    """The fullest form of the name: the key it started from (shorter names join it)."""
    mentions: list[Mention] = field(default_factory=list)

    def own_label(self) -> str:
        """Majority label of the mentions of the fullest name itself."""
        return _majority([m for m in self.mentions if m.key == self.key])

    def anchor(self) -> tuple[str, ...] | None:
        """The multi-word name used most often (ties to fewer words, then the first met)."""
        counts = Counter(m.key for m in self.mentions if len(m.key) >= 2)
        if not counts:
            return None
        return min(counts, key=lambda k: (-counts[k], len(k)))

    def label(self) -> str:
        """PERSON if the anchor name is mostly tagged PERSON, else the majority over all mentions.

        Ties go to the anchor's label, then to LABEL_ORDER.
        """
        anchor = self.anchor()
        named = [m for m in self.mentions if m.key == anchor]
        anchor_label = _majority(named) if named else None
        if anchor_label == "PERSON" and any(_name_like(m.name) for m in named):
            return "PERSON"
        if anchor is None:
            persons = sum(m.label == "PERSON" for m in self.mentions)
            if (
                persons
                and 4 * persons > len(self.mentions)
                and not all(m.name.isupper() for m in self.mentions)
            ):
                return "PERSON"
        return _majority(self.mentions, prefer=anchor_label)

    def name_like(self) -> bool:
        """Whether the fullest name is written like a name (see ``_name_like``)."""
        return any(_name_like(m.name) for m in self.mentions if m.key == self.key)

    def name(self) -> str:
        """The longest proper form (see rule 7 of the module docstring)."""
        label = self.label()
        pool = [m for m in self.mentions if m.label == label] or self.mentions
        counts = Counter(m.name for m in pool)
        words = {name: tuple(name.split()) for name in counts}
        # A form that only adds leading words to a multi-word form used more often is a
        # span error ("Crooked Hillary Clinton" next to "Hillary Clinton" x3).
        proper = [
            name
            for name in counts
            if not any(
                2 <= len(words[other]) < len(words[name])
                and words[name][-len(words[other]) :] == words[other]
                and counts[other] > counts[name]
                for other in counts
            )
        ]
        first: dict[str, int] = {}
        for m in sorted(pool, key=lambda m: m.start):
            first.setdefault(m.name, m.start)
        return min(proper, key=lambda n: (-len(n), -counts[n], -sum(not c.isascii() for c in n), first[n]))

    def labels(self) -> set[str]:
        return {m.label for m in self.mentions}


_NAME_PARTICLES = _words(
    "al el ad as ash at az bin ibn abu de da del della der den di du la le van von ter y"
)
_INITIAL = re.compile(r"^(?:[A-Z]\.)+$|^[A-Z]$")


def _name_like(name: str) -> bool:
    """Whether ``name`` looks like a person's full name: 2 to 5 words, each capitalised (not
    all capitals, initials aside) or a particle, no digits or symbols. Headline fragments in
    title case pass; photo credits (``Matt Cardy/Getty Images``) and acronyms do not."""
    words = name.split()
    if not 2 <= len(words) <= 5:
        return False
    for word in words:
        if word.lower() in _NAME_PARTICLES or _INITIAL.match(word):
            continue
        word = _PARTICLE.sub("", word)
        letters = word.replace("-", "").replace("'", "").replace("\u2019", "").replace(".", "")
        if not letters.isalpha() or not word[0].isupper() or (len(letters) > 1 and letters.isupper()):
            return False
    return True


def _majority(mentions: list[Mention], prefer: str | None = None) -> str:
    """The most frequent label; ties go to ``prefer``, then to LABEL_ORDER, then alphabetical."""
    counts = Counter(m.label for m in mentions)
    return min(
        counts, key=lambda lab: (-counts[lab], lab != prefer, LABEL_ORDER.get(lab, len(LABEL_ORDER)), lab)
    )


def _is_suffix(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """Whether ``short`` names the end of ``long`` ("putin" of "vladimir putin", "assad" of "al-assad")."""
    if len(short) >= len(long):
        return False
    if long[-len(short) :] == short:
        return True
    return len(short) == 1 and _PARTICLE.sub("", long[-1]) == short[0]


def group_mentions(mentions: list[Mention]) -> list[Group]:
    """Group mentions into entities (rules 2-5 of the module docstring)."""
    by_key: dict[tuple[str, ...], Group] = {}
    for mention in mentions:
        by_key.setdefault(mention.key, Group(mention.key)).mentions.append(mention)
    # NORP plurals join their singular.
    for key in list(by_key):
        if len(key) == 1 and key[0].endswith("s") and (key[0][:-1],) in by_key:
            plural, singular = by_key[key], by_key[(key[0][:-1],)]
            if plural.labels() == {"NORP"} and singular.labels() == {"NORP"}:
                singular.mentions += plural.mentions
                del by_key[key]
    longest_first = sorted(by_key.values(), key=lambda g: -len(g.key))

    # A person name joins a longer one with the same first and last word that contains all
    # its words ("Donald Trump" ~ "Donald J. Trump", but "George H.W. Bush" !~ "George W. Bush").
    merged: list[Group] = []
    by_ends: dict[tuple[str, str], list[Group]] = {}
    for group in longest_first:
        key = group.key
        if len(key) >= 2 and group.label() == "PERSON":
            twins = [
                g
                for g in by_ends.get((key[0], key[-1]), [])
                if len(g.key) > len(key) and _is_subsequence(key, g.key) and g.label() == "PERSON"
            ]
            twin = _dominant(twins)
            if twin is not None:
                twin.mentions += group.mentions
                continue
            by_ends.setdefault((key[0], key[-1]), []).append(group)
        merged.append(group)

    # Shorter names join the longer person or organisation name they end with.
    result: list[Group] = []
    by_last: dict[str, list[Group]] = {}
    for group in merged:
        if not group.labels() <= PLACE_LABELS and not group.name().islower():
            label = group.label()
            targets = [
                g
                for g in by_last.get(group.key[-1], [])
                if _is_suffix(group.key, g.key)
                and g.own_label() in {"PERSON", "ORG"}
                and not (label == "PERSON" and len(group.key) > 1 and g.own_label() != "PERSON")
                and (g.own_label() == "ORG" or g.name_like())
            ]
            persons = [g for g in targets if g.own_label() == "PERSON"]
            target = _dominant(persons or targets)
            if target is not None:
                target.mentions += group.mentions
                continue
        result.append(group)
        last = group.key[-1]
        by_last.setdefault(last, []).append(group)
        if _PARTICLE.sub("", last) != last:
            by_last.setdefault(_PARTICLE.sub("", last), []).append(group)

    # A lone PERSON-tagged word joins the one two-word person whose first name it is, when
    # that person is also called by surname alone ("Hillary" -> "Hillary Clinton").
    by_first: dict[str, list[Group]] = {}
    for group in result:
        if len(group.key) == 2:
            by_first.setdefault(group.key[0], []).append(group)
    final: list[Group] = []
    for group in result:
        if len(group.key) == 1 and group.label() == "PERSON":
            firsts = [
                g
                for g in by_first.get(group.key[0], [])
                if g.label() == "PERSON" and g.name_like() and any(m.key == g.key[1:] for m in g.mentions)
            ]
            if len(firsts) == 1:
                firsts[0].mentions += group.mentions
                continue
        final.append(group)
    return final


def _is_subsequence(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """Whether the words of ``short`` appear in ``long`` in the same order."""
    words = iter(long)
    return all(word in words for word in short)


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
