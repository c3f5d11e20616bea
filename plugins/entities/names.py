"""Entity mentions: the model's spans trimmed and keyed for grouping (rules "Mentions" and 1 of
the package docstring), and what a person's name looks like."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from presspipe.plugins.entities.gender import honorific_gender

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

BUILTIN_ALIASES: dict[str, list[str]] = {
    "United States": ["US", "U.S.", "USA", "U.S.A.", "United States of America"],
    "United Kingdom": ["UK", "U.K."],
    "United Nations": ["UN", "U.N."],
    "European Union": ["EU", "E.U."],
}


def word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Titles (folded: lower case, no dots) stripped from PERSON and ORG mentions: they never
# start an organisation's name.
PERSON_TITLES = word_set(
    """mr mrs ms mx dr sir dame president vice-president senator sen rep representative
    congressman congresswoman gov governor mayor chancellor premier"""
)
# Titles stripped from PERSON mentions only ("General Motors" and "Secretary of State" are ORGs).
PERSON_ONLY_TITLES = PERSON_TITLES | word_set(
    """prof professor vice prime minister secretary foreign deputy former acting late then
    general gen lt col colonel capt captain sgt sergeant admiral adm commander judge justice
    chairman chairwoman chair speaker ambassador ayatollah sheikh rev reverend state us attorney
    assemblyman assemblywoman councilman councilwoman councilmember spokesman spokeswoman
    spokesperson founder co-founder billionaire actor actress author
    candidate nominee presidential hopeful front-runner frontrunner challenger incumbent
    businessman businesswoman mogul lawmaker analyst commentator strategist adviser advisor aide
    pollster economist activist blogger
    ukrainian russian american british french german chinese"""
)
# Words that can sit between titles ("Secretary of State") but never end a title run.
TITLE_JOINERS = frozenset({"of", "the", "for"})

_POSSESSIVE = re.compile(r"(?:['\u2019]s|(?<=[sS])['\u2019])$")
POSSESSIVE_WORD = re.compile(r"['\u2019]s\b")
NON_WORD = re.compile(r"[^\w\s.'\u2019-]")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'"})
PARTICLE = re.compile(r"^(?:al|el|ad|as|ash|at|az|bin|ibn|abu)-", re.IGNORECASE)


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
    honorific: str | None = None
    """The gender of an honorific right before the mention ("Mrs. Clinton": female), or None."""
    pronouns: Counter[str] = field(default_factory=Counter)
    """Genders of the pronouns that refer to this mention (``gender.pronoun_votes``)."""

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
    text: str,
    doc: Doc,
    labels: frozenset[str],
    aliases: Mapping[tuple[str, ...], tuple[str, ...]],
    ent_labels: Sequence[str | None] | None = None,
    given_names: frozenset[str] | None = None,
) -> list[Mention]:
    """The model's entity spans with a label in ``labels``, trimmed and keyed. ``ent_labels``
    gives each span of ``doc.ents`` its label instead of the model's (None: not an entity).
    A PERSON span takes in the word right before it when that word is outside every entity, a
    capitalised proper noun that is not a title, and a known given name (``given_names``) or a
    ``compound`` of the span's first word: the small model often tags "Zhuravlev" alone in
    "Alexei Zhuravlev, deputy chairman". ``given_names`` None: no span is widened."""
    mentions = []
    for i, ent in enumerate(doc.ents):
        label = ent_labels[i] if ent_labels is not None else ent.label_
        if label is None or label not in labels:
            continue
        start, end = trim_span(text, ent.start_char, ent.end_char, label)
        widen = label == "PERSON" and ent.start > 0 and given_names is not None
        if widen and _given_name_before(doc[ent.start - 1], start, given_names or frozenset()):
            start = doc[ent.start - 1].idx
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
        honorific = honorific_gender(text, start) if label == "PERSON" else None
        mentions.append(Mention(surface, start, end, label, name, key, honorific))
    return mentions


def _given_name_before(token: Token, start: int, given_names: frozenset[str]) -> bool:
    """Whether ``token``, right before a PERSON span starting at ``start``, is its given name."""
    adjacent = token.whitespace_ == " " and token.idx + len(token.text) + 1 == start
    if not adjacent or token.ent_type_ or not token.text.istitle() or fold(token.text) in PERSON_ONLY_TITLES:
        return False
    return token.text in given_names or (
        token.pos_ == "PROPN" and token.dep_ == "compound" and token.head.idx == start
    )


_NAMEPARTICLES = word_set(
    "al el ad as ash at az bin ibn abu de da del della der den di du la le van von ter y"
)
_INITIAL = re.compile(r"^(?:[A-Z]\.)+$|^[A-Z]$")


def name_like(name: str) -> bool:
    """Whether ``name`` looks like a person's full name: 2 to 5 words, each capitalised (not
    all capitals, initials aside) or a particle, no digits or symbols. Headline fragments in
    title case pass; photo credits (``Matt Cardy/Getty Images``) and acronyms do not."""
    words = name.split()
    if not 2 <= len(words) <= 5:
        return False
    for word in words:
        if word.lower() in _NAMEPARTICLES or _INITIAL.match(word):
            continue
        word = PARTICLE.sub("", word)
        letters = word.replace("-", "").replace("'", "").replace("\u2019", "").replace(".", "")
        if not letters.isalpha() or not word[0].isupper() or (len(letters) > 1 and letters.isupper()):
            return False
    return True
