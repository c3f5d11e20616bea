"""entities.spacy: spaCy's entity mentions grouped into canonical entities, ranked by salience.

The step reads the shared parse (``context.parse``) and never runs a model itself.

Mentions
    Every mention is one of the model's own spans (``doc.ents``), with three trims that
    keep ``text[start:end] == mention["text"]``: surrounding whitespace, a trailing
    possessive, straight or curly (``Putin's`` -> ``Putin``, ``Davis'`` -> ``Davis``) and,
    on PERSON spans (on ORG spans for honorifics and political titles only), leading
    titles (``President Donald Trump`` -> ``Donald Trump``). OntoNotes, which the English models
    are trained on, leaves titles and possessive markers out of names, so the trims only
    bring the odd span back to the model's own convention. No span is added or moved; with
    ``repair_labels`` (default on) a span's label can be repaired first (``repair.py``:
    a name that speaks, carries a title or starts with a given name is PERSON; a lower-case
    or pro-/anti- span or a thing's name is not).

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

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from presspipe import DEFAULT_MODEL, Document, RunContext, StepSpec, hookimpl
from presspipe.plugins.entities.gender import pronoun_votes
from presspipe.plugins.entities.grouping import Group, group_mentions
from presspipe.plugins.entities.names import (
    BUILTIN_ALIASES,
    NON_WORD,
    POSSESSIVE_WORD,
    Mention,
    alias_table,
    collect_mentions,
    name_key,
    trim_span,
)
from presspipe.plugins.entities.repair import given_names, repaired_labels
from presspipe.plugins.entities.roles import entity_role

__all__ = [
    "CONFIG_SCHEMA",
    "VERSION",
    "SpacyEntities",
    "build_entities",
    "entity_at",
    "presspipe_steps",
    "trim_span",
]

if TYPE_CHECKING:
    from spacy.tokens import Doc

VERSION = "0.3.0"

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
        "repair_labels": {
            "type": "boolean",
            "default": True,
            "description": "Repair the model's labels where the text is clear: a name that speaks, carries a "
            "title or role, or starts with a known given name is PERSON; lower-case, pro-/anti- and thing "
            "names are not (see docs/steps/entities.md).",
        },
    },
}

# Labels whose mentions always take part in grouping: spaCy's small models confuse them on names.
GROUPING_LABELS = frozenset({"PERSON", "ORG", "GPE"})


def salience_scores(groups: list[Group], text: str, title: str | None) -> list[float]:
    """Raw salience of each group (see the module docstring), normalised to sum to 1."""
    length = max(len(text), 1)
    body = text.lstrip()
    lead_end = len(text) - len(body) + (body.find("\n\n") if "\n\n" in body else len(body))
    title_words = name_key(NON_WORD.sub(" ", POSSESSIVE_WORD.sub("", title or "")))
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


def add_pronouns(doc: Doc, mentions: list[Mention]) -> None:
    """Give each PERSON mention the genders of the pronouns that refer to it (``gender.pronoun_votes``)."""
    persons = sorted((m for m in mentions if m.label == "PERSON"), key=lambda m: m.start)
    words = [frozenset(m.key) for m in persons]
    votes = pronoun_votes(
        doc, [(m.start, m.end) for m in persons], lambda i, j: words[i] <= words[j] or words[j] <= words[i]
    )
    for mention, counted in zip(persons, votes, strict=True):
        mention.pronouns = counted


def person_role(doc: Doc, mentions: list[Mention]) -> dict[str, str] | None:
    """A person's role from the descriptors of its mentions (``roles.py``)."""
    return entity_role(
        doc, [{"start": m.start, "end": m.end} for m in sorted(mentions, key=lambda m: m.start)]
    )


def build_entities(
    document: Document,
    doc: Doc,
    labels: Iterable[str] = DEFAULT_LABELS,
    aliases: Mapping[str, Iterable[str]] | None = None,
    *,
    repair: bool = True,
) -> list[dict[str, Any]]:
    """The ``entities`` list of one document from its spaCy parse (``repair``: see ``repair.py``)."""
    keep = frozenset(labels)
    text = document["text"]
    table = alias_table(aliases)
    canonical = {key: name for name in (*BUILTIN_ALIASES, *(aliases or {})) if (key := name_key(name))}
    canonical = {table.get(key, key): name for key, name in canonical.items()}
    ent_labels = repaired_labels(doc) if repair else None
    names = given_names() if repair else None
    mentions = collect_mentions(text, doc, keep | GROUPING_LABELS, table, ent_labels, names)
    add_pronouns(doc, mentions)
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
                **(
                    {"gender": group.gender(), "role": person_role(doc, group.mentions)}
                    if group.label() == "PERSON"
                    else {}
                ),
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
        self.model: str = config["model"]
        self.labels = list(config["labels"])
        self.aliases: dict[str, list[str]] = dict(config["aliases"])
        self.repair: bool = config["repair_labels"]

    def __call__(self, documents: list[Document], context: RunContext) -> list[Document]:
        for document, doc in zip(documents, context.parse(documents, self.model), strict=True):
            document["entities"] = build_entities(
                document, doc, self.labels, self.aliases, repair=self.repair
            )
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
