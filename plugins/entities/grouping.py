"""Grouping mentions into entities (rules 2-6 of the package docstring)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from presspipe.plugins.entities.gender import decide
from presspipe.plugins.entities.names import PARTICLE, Mention, name_like

# A short name tagged only with these never joins a person's or organisation's longer name.
PLACE_LABELS = frozenset({"GPE", "LOC", "NORP", "FAC"})
LABEL_ORDER = {"PERSON": 0, "ORG": 1, "GPE": 2, "NORP": 3}
JOIN_VOTES = 3
"""Pronoun votes a gender needs to keep two names apart (one stray "he" does not split a person)."""


@dataclass
class Group:
    """Mentions believed to name one thing."""

    key: tuple[str, ...]
    """The fullest form of the name: the key it started from (shorter names join it)."""
    mentions: list[Mention] = field(default_factory=list)
    mark: str | None = None
    """For a name of one word: the gender of the honorific its mentions carry ("Mr. Obama" and
    "Mrs. Obama" start as two groups)."""

    def gender(self, min_votes: int = 1) -> str | None:
        """The gender its mentions give it (``gender.decide``); None for a group that is not a person."""
        if self.label() != "PERSON":
            return None
        honorifics = Counter(m.honorific for m in self.mentions if m.honorific)
        pronouns: Counter[str] = Counter()
        for m in self.mentions:
            pronouns.update(m.pronouns)
        return decide(honorifics, pronouns, self.name(), min_votes)

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
        if anchor_label == "PERSON" and any(name_like(m.name) for m in named):
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
        """Whether the fullest name is written like a name (see ``name_like``)."""
        return any(name_like(m.name) for m in self.mentions if m.key == self.key)

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
    return len(short) == 1 and PARTICLE.sub("", long[-1]) == short[0]


def group_mentions(mentions: list[Mention]) -> list[Group]:
    """Group mentions into entities (rules 2-5 of the module docstring)."""
    by_key: dict[tuple[tuple[str, ...], str | None], Group] = {}
    for mention in mentions:
        mark = mention.honorific if len(mention.key) == 1 else None
        by_key.setdefault((mention.key, mark), Group(mention.key, mark=mark)).mentions.append(mention)
    # NORP plurals join their singular.
    for key, mark in list(by_key):
        singular_key = ((key[0][:-1],), mark)
        if len(key) == 1 and key[0].endswith("s") and singular_key in by_key:
            plural, singular = by_key[(key, mark)], by_key[singular_key]
            if plural.labels() == {"NORP"} and singular.labels() == {"NORP"}:
                singular.mentions += plural.mentions
                del by_key[(key, mark)]
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
            gender = group.gender(JOIN_VOTES)
            targets = [
                g
                for g in by_last.get(group.key[-1], [])
                if _is_suffix(group.key, g.key)
                and g.own_label() in {"PERSON", "ORG"}
                and not (label == "PERSON" and len(group.key) > 1 and g.own_label() != "PERSON")
                and (g.own_label() == "ORG" or g.name_like())
                and _compatible(gender, g.gender(JOIN_VOTES))
            ]
            persons = [g for g in targets if g.own_label() == "PERSON"]
            target = _dominant(persons or targets)
            if target is not None:
                target.mentions += group.mentions
                continue
        result.append(group)
        last = group.key[-1]
        by_last.setdefault(last, []).append(group)
        if PARTICLE.sub("", last) != last:
            by_last.setdefault(PARTICLE.sub("", last), []).append(group)

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
    return _join_unmarked(final)


def _join_unmarked(groups: list[Group]) -> list[Group]:
    """A one-word name left without an honorific joins the same name with one ("Obama" ->
    "Mr. Obama"), when all the honorifics of that name give one gender and its pronouns agree."""
    marked: dict[tuple[str, ...], list[Group]] = {}
    for group in groups:
        if group.mark is not None and all(len(m.key) == 1 for m in group.mentions):
            marked.setdefault(group.key, []).append(group)
    kept = []
    for group in groups:
        found = marked.get(group.key, []) if group.mark is None and len(group.key) == 1 else []
        if len(found) == 1 and _compatible(group.gender(JOIN_VOTES), found[0].mark):
            found[0].mentions += group.mentions
            continue
        kept.append(group)
    return kept


def _compatible(one: str | None, other: str | None) -> bool:
    """Whether two genders (None: unknown) can be one person's."""
    return one is None or other is None or one == other


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
