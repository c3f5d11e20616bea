# ruff: noqa: RUF001, RUF002 -- typographic quotation marks are what this code is about
"""The speaker's phrase and the canonical entity it refers to.

The entity is the one whose mention holds the speaker's head word, a PERSON or ORG named
inside the phrase (not a possessive), the antecedent of a pronoun, or the person a definite
description ("the analyst") refers to.
"""

from __future__ import annotations

from bisect import bisect_left
from functools import cached_property
from typing import TYPE_CHECKING, Any

from presspipe.plugins.quotes.agreement import agrees, entity_gender
from presspipe.plugins.quotes.state import DocumentState

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

LOOKBACK_SENTENCES = 5
"""How many sentences (the pronoun's and those before it, not counting those that open inside a
quotation) a pronoun's antecedent is looked for in by salience before the nearest earlier mention
is taken."""
CLAUSE_SUBJECTS = {"nsubj", "nsubjpass"}
RELATIVE_PRONOUNS = {"who", "that", "which", "whom"}
PERSONAL_PRONOUNS = {"he", "she", "him", "her", "they", "them", "i", "we", "it"}
NP_LEFT_DEPS = {
    "det",
    "amod",
    "compound",
    "poss",
    "nmod",
    "nummod",
    "quantmod",
    "case",
    "punct",
    "cc",
    "conj",
}
NP_RIGHT_DEPS = {"compound", "flat", "case", "cc", "conj"}


class SpeakerSearch(DocumentState):
    """Speaker phrases and their entities."""

    def _speaker(self, head: Token) -> dict[str, Any]:
        start, end = self._phrase(head)
        return {
            "text": self.text[start:end],
            "start": start,
            "end": end,
            "entity": self._resolve(head, start, end),
        }

    def _phrase(self, head: Token) -> tuple[int, int]:
        """The characters of the speaker's noun phrase: the head, its modifiers, no clauses."""
        left = head.i
        for child in head.lefts:
            if child.dep_ in NP_LEFT_DEPS:
                left = min(left, child.left_edge.i)
        right = head.i
        for child in head.rights:
            if child.dep_ in NP_RIGHT_DEPS:
                right = max(right, child.right_edge.i)
            else:
                break
        tokens = [t for t in self.doc[left : right + 1] if not t.is_space]
        while tokens and (tokens[0].is_punct or tokens[0].dep_ == "cc"):
            tokens = tokens[1:]
        while tokens and tokens[-1].is_punct:
            tokens = tokens[:-1]
        if not tokens:
            tokens = [head]
        return tokens[0].idx, tokens[-1].idx + len(tokens[-1])

    def _resolve(self, head: Token, start: int, end: int) -> str | None:
        entity = self._entity_at(head.idx, head.idx + len(head))
        if entity is None:
            for child in head.children:
                if child.dep_ in ("appos", "compound", "flat", "npadvmod"):
                    entity = self._entity_at(
                        child.left_edge.idx, child.right_edge.idx + len(child.right_edge)
                    )
                    if entity is not None:
                        break
        if entity is None:
            entity = self._named_inside(start, end)
        if entity is None and head.dep_ == "appos":
            entity = self._entity_at(head.head.idx, head.head.idx + len(head.head))
        if entity is None and head.lower_ in RELATIVE_PRONOUNS and head.head.dep_ == "relcl":
            antecedent = head.head.head
            start, end = self._phrase(antecedent)
            entity = self._entity_at(antecedent.idx, antecedent.idx + len(antecedent)) or self._named_inside(
                start, end
            )
        if entity is None and head.lower_ in PERSONAL_PRONOUNS:
            entity = self._antecedent(head)
        if entity is None and head.pos_ == "NOUN":
            entity = self._description(head)
        return entity["id"] if entity is not None else None

    def _named_inside(self, start: int, end: int) -> dict[str, Any] | None:
        """A PERSON or ORG named inside the speaker phrase, not as a possessive ("Russia’s ministry")."""
        mentions = self.mentions
        for index in range(bisect_left(self.mention_starts, start), len(mentions)):
            m_start, m_end, entity = mentions[index]
            if m_start > end:
                break
            if m_end <= end and entity.get("label") in ("PERSON", "ORG"):
                if self.text[m_end : m_end + 2] in ("’s", "'s"):
                    continue
                return entity
        return None

    def _antecedent(self, pronoun: Token) -> dict[str, Any] | None:
        """The person (he/she) or group (they) a pronoun most likely refers to, agreeing in gender
        and number (``agreement.py``): the speaker of the last quote in its paragraph, else the
        most salient agreeing mention outside quotations in its sentence (before it) or one of the
        ``LOOKBACK_SENTENCES`` before (``_salient``), else the nearest earlier one."""
        lower = pronoun.lower_
        paragraph = self._paragraph(pronoun.idx)
        last = self.speakers.last_before(pronoun.idx, paragraph)
        if last is not None and self._agrees(lower, last):
            return last
        sentence, looked = pronoun.sent, 0
        while looked < LOOKBACK_SENTENCES:
            found = self._salient(sentence, pronoun)
            if found is not None:
                return found
            if not self._in_quote(sentence[0]):  # a sentence of a quotation does not count
                looked += 1
            if sentence.start == 0:
                break
            sentence = self.doc[sentence.start - 1].sent
        starts, entities = self._antecedents(lower)
        index = bisect_left(starts, pronoun.idx)
        return entities[index - 1] if index else None

    def _antecedents(self, pronoun: str) -> tuple[list[int], list[dict[str, Any]]]:
        """The starts and entities of the mentions outside quotations that agree with ``pronoun``
        (in order), built once per pronoun."""
        found = self._agreeing.get(pronoun)
        if found is None:
            kept = [
                (m_start, entity)
                for m_start, _m_end, entity in self.mentions
                if not self._quoted_at(m_start) and self._agrees(pronoun, entity)
            ]
            found = self._agreeing[pronoun] = ([s for s, _ in kept], [e for _, e in kept])
        return found

    def _salient(self, sentence: Span, pronoun: Token) -> dict[str, Any] | None:
        """The agreeing mention of ``sentence`` (before the pronoun, outside quotations) that is
        the subject of a clause, the first such ("Trump said praise from Putin would not ...
        He said": Trump); without one, in the pronoun's own sentence the nearest mention, in an
        earlier one none (a subject further back is the likelier antecedent than an object)."""
        end = min(sentence.end_char, pronoun.idx)
        first = bisect_left(self.mention_starts, sentence.start_char)
        mentions = []
        for m_start, m_end, entity in self.mentions[first:]:
            if m_start >= end:
                break
            if not self._quoted_at(m_start) and self._agrees(pronoun.lower_, entity):
                mentions.append((m_start, m_end, entity))
        for m_start, m_end, entity in mentions:
            span = self.doc.char_span(m_start, m_end, alignment_mode="expand")
            if span is not None and span.root.dep_ in CLAUSE_SUBJECTS:
                return entity
        if mentions and sentence.start <= pronoun.i < sentence.end:
            return mentions[-1][2]
        return None

    def _agrees(self, pronoun: str, entity: dict[str, Any]) -> bool:
        return agrees(pronoun, entity, entity_gender(entity))

    def _description(self, noun: Token) -> dict[str, Any] | None:
        """The person a definite description ("the analyst") refers to: the nearest earlier
        PERSON mention described by the same noun ("political analyst ... Abbas Gallyamov")."""
        if not any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in noun.children):
            return None
        starts, entities = self._person_windows.get(noun.lemma_.lower(), ([], []))
        index = bisect_left(starts, noun.idx)
        return entities[index - 1] if index else None

    @cached_property
    def _person_windows(self) -> dict[str, tuple[list[int], list[dict[str, Any]]]]:
        """For each lemma, the starts and entities of the PERSON mentions that have it within
        eight words in their sentence (in order): what ``_description`` looks up, built once."""
        described: dict[str, tuple[list[int], list[dict[str, Any]]]] = {}
        for m_start, m_end, entity in self.mentions:
            if entity.get("label") != "PERSON":
                continue
            span = self.doc.char_span(m_start, m_end, alignment_mode="expand")
            if span is None:
                continue
            sent = span.sent
            window = self.doc[max(sent.start, span.start - 8) : min(sent.end, span.end + 8)]
            for lemma in {t.lemma_.lower() for t in window}:
                starts, entities = described.setdefault(lemma, ([], []))
                starts.append(m_start)
                entities.append(entity)
        return described
