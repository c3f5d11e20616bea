# ruff: noqa: RUF001 -- typographic quotation marks are what this code is about
"""Finding the cue and speaker of a quoted segment through the dependency parse.

The highest verb of the cue lexicon above the quote, or a cue verb hanging off the quote
("..., he said"), or "according to"; failing that, the neighbouring sentence of the same
paragraph (``wrote: “...”``, or a cue sentence right after the quote), a signature line
(``“...” ― Martha Aguilar``) or, for a short phrase, the subject of the verb above it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from presspipe.plugins.quotes.marks import Segment
from presspipe.plugins.quotes.speakers import RELATIVE_PRONOUNS, SpeakerSearch

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

SUBJECTS = {"nsubj", "nsubjpass", "csubj"}
CLAUSE_BOUNDARY = {"advcl", "conj", "parataxis"}
INHERIT_DEPS = {"conj", "xcomp", "advcl", "pcomp", "ccomp", "acl", "relcl", "parataxis"}
SIGNATURE = re.compile(r"[^\S\n]*[―—–-]{1,2}[^\S\n]*([A-Z][^\n―—–;]{0,60}?)[^\S\n]*[.,;]?[^\S\n]*(?:\n|$)")


def _heads_above(token: Token) -> Iterator[tuple[Token, int]]:
    """The heads on the path from ``token`` up to its sentence's root, each with its depth (1, 2, ...)."""
    node, depth = token.head, 1
    while True:
        yield node, depth
        if node.head.i == node.i:
            return
        node, depth = node.head, depth + 1


@dataclass
class Attribution:
    cue: Token | None
    speaker: Token | None  # head of the speaker phrase
    speaker_span: tuple[int, int] | None = None  # characters; set when copied from another quote
    entity: str | None = None
    depth: int = 0  # dependency steps from the quote to its cue
    method: str = ""  # which rule found it (a feature of the learned decision)


class CueSearch(SpeakerSearch):
    """The cue and speaker of a quoted segment."""

    def _attribute(self, segment: Segment, tokens: list[Token]) -> Attribution | None:
        inside = {t.i for t in tokens}
        # a mark the parse hung on the sentence before ("... back, said X. ''We don't ...,'' he
        # said.": the opening '' ends X's sentence) does not lead to that sentence's cue
        sentences = {t.sent.start for t in tokens if not t.is_punct}
        tokens = [t for t in tokens if not t.is_punct or t.sent.start in sentences] if sentences else tokens
        found = self._signed(segment) or self._cue_above(tokens, inside) or self._cue_beside(tokens, inside)
        if found is None:
            found = self._cue_nearby(segment, tokens, inside)
        if found is None:
            found = self._verb_above(tokens, inside)
        return found

    def _verb_above(self, tokens: list[Token], inside: set[int]) -> Attribution | None:
        """No cue: the highest verb above the quote whose subject is a named person or
        organisation, or a personal pronoun ("Trump likened the refugees to a “vicious snake”")."""
        best: Attribution | None = None
        for token in tokens:
            if token.head.i in inside or token.head.i == token.i:
                continue
            for node, depth in _heads_above(token):
                if node.pos_ in ("VERB", "AUX") and node.i not in inside:
                    subjects = [c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")]
                    if subjects and self._agent_like(subjects[0]):
                        best = Attribution(node, subjects[0], depth=depth, method="verb")
            if best is not None:
                return best
        return None

    def _agent_like(self, token: Token) -> bool:
        if self._in_quote(token):
            return False
        if token.lower_ in ("he", "she", "they"):
            return True
        entity = self._entity_at(token.idx, token.idx + len(token))
        return entity is not None and entity.get("label") in ("PERSON", "ORG")

    def _cue_above(self, tokens: list[Token], inside: set[int]) -> Attribution | None:
        """The highest cue verb on the path from the quote up its sentence's tree.

        The climb goes through reported clauses ("Ditto said she expects “...”" gives Ditto)
        but not out of a clause that has a cue with its own subject into a sibling clause
        ("X described it as “...”, while Y said ... “...”" gives Y for the second quote).
        """
        best: Attribution | None = None
        for token in tokens:
            if token.head.i in inside or token.head.i == token.i:
                continue
            for node, depth in _heads_above(token):
                if node.i not in inside and self._is_cue(node):
                    speaker = self._subject(node)
                    if speaker is not None or best is None:
                        best = Attribution(node, speaker, depth=depth, method="above")
                if (
                    node.dep_ in CLAUSE_BOUNDARY
                    and best is not None
                    and best.cue is not None
                    and any(c.dep_ in SUBJECTS for c in best.cue.children)
                ):
                    break
            if best is not None:
                return best
        return best

    def _cue_beside(self, tokens: list[Token], inside: set[int]) -> Attribution | None:
        """A cue verb outside the quote whose head lies in it ("..., he said" parsed as a child)."""
        sentences = {t.sent.start: t.sent for t in tokens}
        for sent in sentences.values():
            for token in sent:
                if token.i in inside or not self._is_cue(token):
                    continue
                if token.head.i in inside or any(c.i in inside for c in token.children):
                    speaker = self._subject(token)
                    if speaker is not None:
                        return Attribution(token, speaker, depth=1, method="beside")
        return None

    def _cue_nearby(self, segment: Segment, tokens: list[Token], inside: set[int]) -> Attribution | None:
        """A cue in the sentence before (ending in a colon or comma) or after the quote."""
        first, last = tokens[0].sent, tokens[-1].sent
        paragraph = self._paragraph(segment.start)
        before_text = self._before(segment.start)
        candidates: list[Span] = []
        if first.start > 0:
            prev = self.doc[first.start - 1].sent
            while prev.start > 0 and not prev.text.strip():
                prev = self.doc[prev.start - 1].sent
            if self._paragraph(prev.start_char) == paragraph or (
                tokens[0].i == first.start and prev.text.rstrip().endswith(":")
            ):
                candidates.append(prev)  # same paragraph, or a paragraph ending "Caddell continued:"
        if last.end < len(self.doc):
            nxt = self.doc[last.end].sent
            if self._paragraph(nxt.start_char) == paragraph and len(nxt) <= 12:
                # a short sentence right after the quote (“...?” Clinton said.) binds tighter
                if nxt.start_char - segment.end <= 2:
                    candidates.insert(0, nxt)
                else:
                    candidates.append(nxt)
        # the quote's own sentence(s), for cues not linked to it by the parse
        own = [first] if first == last else [first, last]
        for sent in own:
            cues = [t for t in sent if t.i not in inside and self._is_cue(t) and self._subject(t) is not None]
            if cues:
                cue = min(cues, key=lambda t: abs(t.i - tokens[0].i))
                return Attribution(cue, self._subject(cue), depth=3, method="sentence")
        opens_sentence = self._starts_sentence(segment) and tokens[0].i == first.start
        for sent in candidates:
            introduces = before_text.endswith(":") or sent.text.rstrip().endswith((":", ","))
            if sent.end <= tokens[0].i and not introduces and not opens_sentence:
                continue
            cues = [t for t in sent if t.i not in inside and self._is_cue(t) and self._subject(t) is not None]
            if cues:
                root_cues = [t for t in cues if t.dep_ == "ROOT"] or cues
                cue = root_cues[0]
                return Attribution(cue, self._subject(cue), depth=3, method="nearby")
        return None

    def _signed(self, segment: Segment) -> Attribution | None:
        """A speaker named after a dash right after the quote: ``“...” ― Martha Aguilar``."""
        match = SIGNATURE.match(self.text, segment.end)
        if match is None:
            return None
        start, end = match.span(1)
        entity = self._entity_at(start, end)
        if entity is None and not self.text[start].isupper():
            return None
        return Attribution(
            None, None, speaker_span=(start, end), entity=entity["id"] if entity else None, method="signed"
        )

    def _subject(self, verb: Token) -> Token | None:
        """The speaker head of a cue: its subject, the agent of a passive, the object of "according to"."""
        if verb.lower_ == "according":
            for child in verb.children:
                if child.lower_ == "to":
                    objects = [c for c in child.children if c.dep_ == "pobj"]
                    if objects:
                        return objects[0]
            return None
        node: Token = verb
        for _ in range(4):
            subjects = [c for c in node.children if c.dep_ in SUBJECTS]
            if subjects:
                # two subjects ("analyst and ... Abbas Gallyamov told"): the one nearest the verb
                verb_i = node.i
                subject = min(subjects, key=lambda c: abs(c.i - verb_i))
                if subject.dep_ == "nsubjpass":
                    agents = [c for c in node.children if c.dep_ == "agent"]
                    objects = [g for a in agents for g in a.children if g.dep_ == "pobj"]
                    if objects:
                        return objects[0]
                if subject.lower_ in RELATIVE_PRONOUNS and node.dep_ == "relcl":
                    return subject  # "who": PolNeAR's source; its entity is the antecedent's
                if self._in_quote(subject):
                    break  # a misparse: the cue's "subject" is inside a quotation
                return subject
            if node.dep_ in INHERIT_DEPS and node.head.i != node.i:
                node = node.head
                continue
            break
        return self._subject_before(verb)

    def _subject_before(self, verb: Token) -> Token | None:
        """When the parse gives a cue no subject: the nearest subject to its left in the sentence
        ("X, now jailed, wrote:"; a relative pronoun gives its antecedent), or, right after a
        quote, the first name there ("“...,” Flynn, a top Trump surrogate, said")."""
        seen: list[Token] = []
        after_quote = False
        for token in reversed(self.doc[verb.sent.start : verb.i]):
            if self._in_quote(token):
                after_quote = True
                break
            if token.text in (".", ";", "!", "?"):
                break
            if token.dep_ in ("nsubj", "nsubjpass"):
                if token.lower_ in RELATIVE_PRONOUNS and token.head.dep_ == "relcl":
                    return token.head.head
                if token.pos_ in ("PRON", "PROPN", "NOUN"):
                    return token
                return None
            seen.append(token)
        if after_quote and len(seen) <= 12:
            nouns = [t for t in reversed(seen) if t.pos_ in ("PROPN", "NOUN", "PRON")]
            if nouns:
                first = nouns[0]
                while first.dep_ == "compound" and first.head.i < verb.i and first.head.i > first.i:
                    first = first.head
                return first
        return None
