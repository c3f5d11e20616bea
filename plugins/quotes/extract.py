# ruff: noqa: RUF001, RUF002, RUF003 -- typographic quotation marks are what this code is about
"""The rules of ``quotes.extract``: quoted segments, their cue and their speaker.

1. ``marks.find_segments`` pairs the quotation marks of each paragraph.
2. Each segment is attached to a reporting cue through the dependency parse: the highest
   verb of the cue lexicon (``cues.json``, counted from PolNeAR's train split) above the
   quote, or a cue verb hanging off the quote ("..., he said"), or "according to".
   Failing that, the neighbouring sentence of the same paragraph (``wrote: “...”``, or a
   cue sentence right after the quote).
3. The speaker is the cue's subject (inherited through ``adding``/``and told``, taken
   from ``by`` in the passive, from the object of "according to"); a quote without a cue
   right after an attributed quote in the same paragraph keeps that quote's speaker.
4. Pronouns and descriptions ("the analyst") resolve to the person they refer to; the
   speaker's ``entity`` is the canonical entity whose mention holds the speaker's head.
5. Scare quotes and names in quotation marks are dropped: a segment of fewer than four
   words with no speaker, a title or name (capitalised words), a one- or two-word modifier
   of a noun ("self-proclaimed “multipolar” world"), a lone word far below its cue.

``docs/steps/quotes.md`` has the details and the measured accuracy.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from presspipe import paragraphs
from presspipe.plugins.quotes.marks import Segment, find_segments

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

TITLE_SMALL_WORDS = {"a", "an", "the", "of", "on", "in", "and", "or", "to", "for", "with", "at", "by"}
SUBJECTS = {"nsubj", "nsubjpass", "csubj"}
CLAUSE_BOUNDARY = {"advcl", "conj", "parataxis"}
INHERIT_DEPS = {"conj", "xcomp", "advcl", "pcomp", "ccomp", "acl", "relcl", "parataxis"}
PERSONAL_PRONOUNS = {"he", "she", "him", "her", "they", "them", "i", "we", "it"}
RELATIVE_PRONOUNS = {"who", "that", "which", "whom"}
SENTENCE_PUNCT = set(".!?:;,—–-([")
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
SIGNATURE = re.compile(r"[^\S\n]*[―—–-]{1,2}[^\S\n]*([A-Z][^\n―—–;]{0,60}?)[^\S\n]*[.,;]?[^\S\n]*(?:\n|$)")


@dataclass(frozen=True)
class Lexicon:
    """Cue lemmas with their reliability (share of occurrences in train that were cues)."""

    weights: dict[str, float]

    def weight(self, token: Token) -> float:
        if token.pos_ not in ("VERB", "AUX") and token.lower_ != "according":
            return 0.0
        return self.weights.get(token.lemma_.lower(), 0.0)


@cache
def load_lexicon(min_count: int, min_ratio: float) -> Lexicon:
    """The shipped cue lexicon: lemmas that cued a quotation (Content with a quotation mark) at
    least ``min_count`` times in train, in at least ``min_ratio`` of their occurrences."""
    data = json.loads(resources.files("presspipe.plugins.quotes").joinpath("cues.json").read_text("utf-8"))
    weights = {}
    for key, counts in data["cues"].items():
        if " " in key or not key.isalpha():
            continue
        ratio = counts["quote"] / max(counts["total"], 1)
        if counts["quote"] >= min_count and ratio >= min_ratio:
            weights[key] = ratio
    return Lexicon(weights)


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


class Extractor:
    """Quote extraction over one parsed document and its canonical entities."""

    def __init__(
        self, lexicon: Lexicon, *, carry: bool = True, single: str = "auto", min_words_uncued: int = 4
    ) -> None:
        self.lexicon = lexicon
        self.carry = carry
        self.single = single
        self.min_words_uncued = min_words_uncued

    # -- public ---------------------------------------------------------------------------

    def extract(self, doc: Doc, entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
        text = doc.text
        self.doc = doc
        self.text = text
        self.mentions = sorted(
            ((m["start"], m["end"], e) for e in entities for m in e.get("mentions", [])),
            key=lambda item: item[0],
        )
        self.paragraph_spans = paragraphs(text)
        self.paragraph_starts = [start for start, _ in self.paragraph_spans]
        self.entities = {e["id"]: e for e in entities}
        self.speakers: list[tuple[int, dict[str, Any]]] = []  # (offset, entity) of resolved speakers
        quotes: list[dict[str, Any]] = []
        previous: Attribution | None = None  # the attribution of the last attributed quote
        previous_paragraph = -1
        previous_end = -1
        segments = find_segments(text, self.single)
        self.quoted = [(s.start, s.end) for s in segments]  # in order, never overlapping
        self.quoted_starts = [start for start, _ in self.quoted]
        for segment in segments:
            tokens = self._tokens(segment)
            if not tokens:
                continue
            paragraph = self._paragraph(segment.start)
            attribution = self._attribute(segment, tokens)
            words = self._words(segment)
            if (
                attribution is None
                and self.carry
                and previous is not None
                and previous_paragraph == paragraph
            ):
                between = text[previous_end : segment.start]
                if segment.continues or self._no_other_speech(between):
                    attribution = previous
            elif (
                attribution is None
                and previous is not None
                and previous_paragraph == paragraph - 1
                and segment.continues
            ):
                attribution = previous
            if not self._is_quotation(segment, tokens, words, attribution):
                continue
            quote = self._quote(len(quotes) + 1, segment, tokens, attribution)
            quotes.append(quote)
            if attribution is not None and quote["speaker"] is not None:
                if quote["speaker"]["entity"] is not None:
                    self.speakers.append(
                        (quote["speaker"]["start"], self.entities[quote["speaker"]["entity"]])
                    )
                previous = attribution
                attribution.speaker_span = (quote["speaker"]["start"], quote["speaker"]["end"])
                attribution.entity = quote["speaker"]["entity"]
                previous_paragraph = paragraph
                previous_end = segment.end
            elif not segment.continues:
                previous = None
        return quotes

    # -- segments -------------------------------------------------------------------------

    def _tokens(self, segment: Segment) -> list[Token]:
        span = self.doc.char_span(segment.start, segment.end, alignment_mode="expand")
        if span is None:
            return []
        return [t for t in span if not t.is_space]

    def _words(self, segment: Segment) -> list[str]:
        inner = self.text[segment.start + 1 : segment.end - (1 if segment.closed else 0)]
        return [w for w in inner.split() if any(c.isalnum() for c in w)]

    def _paragraph(self, offset: int) -> int:
        """Index of the paragraph holding ``offset`` (-1 between paragraphs)."""
        index = bisect_right(self.paragraph_starts, offset) - 1
        if index >= 0 and offset < self.paragraph_spans[index][1]:
            return index
        return -1

    def _before(self, offset: int) -> str:
        """The text just before ``offset``, right-stripped (a window: enough to see punctuation);
        empty at the start of the text or of a line."""
        window = self.text[max(0, offset - 200) : offset]
        stripped = window.rstrip()
        return "" if "\n" in window[len(stripped) :] else stripped

    def _no_other_speech(self, between: str) -> bool:
        """Whether the text between two quotes of a paragraph leaves the first speaker talking."""
        return "\n" not in between and len(between.split()) <= 40

    def _is_quotation(
        self, segment: Segment, tokens: list[Token], words: list[str], attribution: Attribution | None
    ) -> bool:
        if not words:
            return False
        if segment.continues:
            return True
        if attribution is None or (attribution.speaker is None and attribution.speaker_span is None):
            # no cue: only long, sentence-like segments are quotations
            return len(words) >= self.min_words_uncued and not segment.single
        if self._is_title(segment, words):
            return False  # a name or title: ‘Two Majors,’ “Face the Nation,”
        if len(words) <= 2 and self._modifier(tokens):
            return False  # an adjective in quotation marks: self-proclaimed “multipolar” world
        # a lone word deep inside reported speech is a scare quote
        return not (len(words) == 1 and attribution.depth >= 4)

    def _is_title(self, segment: Segment, words: list[str]) -> bool:
        """A short run of capitalised words (small words aside) that does not start a sentence."""
        if len(words) > 6 or self._starts_sentence(segment):
            return False
        capitals = [w for w in words if w.lower() not in TITLE_SMALL_WORDS]
        return bool(capitals) and all(w.lstrip("“‘\"'(")[:1].isupper() for w in capitals)

    def _modifier(self, tokens: list[Token]) -> bool:
        inside = {t.i for t in tokens}
        heads = [t for t in tokens if t.head.i not in inside and not t.is_punct]
        return bool(heads) and all(t.dep_ in ("amod", "compound", "nmod", "poss") for t in heads)

    def _starts_sentence(self, segment: Segment) -> bool:
        before = self._before(segment.start)
        return not before or before[-1] in ".!?:"

    # -- attribution ----------------------------------------------------------------------

    def _attribute(self, segment: Segment, tokens: list[Token]) -> Attribution | None:
        inside = {t.i for t in tokens}
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
                        best = Attribution(node, subjects[0], depth=depth)
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
                        best = Attribution(node, speaker, depth=depth)
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
                        return Attribution(token, speaker, depth=1)
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
                return Attribution(cue, self._subject(cue), depth=3)
        opens_sentence = self._starts_sentence(segment) and tokens[0].i == first.start
        for sent in candidates:
            introduces = before_text.endswith(":") or sent.text.rstrip().endswith((":", ","))
            if sent.end <= tokens[0].i and not introduces and not opens_sentence:
                continue
            cues = [t for t in sent if t.i not in inside and self._is_cue(t) and self._subject(t) is not None]
            if cues:
                root_cues = [t for t in cues if t.dep_ == "ROOT"] or cues
                cue = root_cues[0]
                return Attribution(cue, self._subject(cue), depth=3)
        return None

    def _is_cue(self, token: Token) -> bool:
        if token.dep_ in ("amod", "compound", "nmod"):
            return False  # "self-proclaimed"
        return self.lexicon.weight(token) > 0 and not self._in_quote(token)

    def _in_quote(self, token: Token) -> bool:
        return self._quoted_at(token.idx)

    def _quoted_at(self, offset: int) -> bool:
        index = bisect_right(self.quoted_starts, offset) - 1
        return index >= 0 and offset < self.quoted[index][1]

    def _signed(self, segment: Segment) -> Attribution | None:
        """A speaker named after a dash right after the quote: ``“...” ― Martha Aguilar``."""
        match = SIGNATURE.match(self.text, segment.end)
        if match is None:
            return None
        start, end = match.span(1)
        entity = self._entity_at(start, end)
        if entity is None and not self.text[start].isupper():
            return None
        return Attribution(None, None, speaker_span=(start, end), entity=entity["id"] if entity else None)

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
                    return node.head
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

    # -- output ---------------------------------------------------------------------------

    def _quote(
        self, number: int, segment: Segment, tokens: list[Token], attribution: Attribution | None
    ) -> dict[str, Any]:
        start, end = segment.start, segment.end
        speaker: dict[str, Any] | None = None
        cue: dict[str, Any] | None = None
        if attribution is not None:
            if attribution.speaker_span is not None:
                s, e = attribution.speaker_span
                speaker = {"text": self.text[s:e], "start": s, "end": e, "entity": attribution.entity}
            elif attribution.speaker is not None:
                speaker = self._speaker(attribution.speaker)
                if speaker["start"] < end and start < speaker["end"]:
                    speaker = None  # the "speaker" is part of the quote itself
            if attribution.cue is not None:
                cue_tokens = [attribution.cue]
                if attribution.cue.lower_ == "according":
                    cue_tokens += [c for c in attribution.cue.children if c.lower_ == "to"]
                c_start = min(t.idx for t in cue_tokens)
                c_end = max(t.idx + len(t) for t in cue_tokens)
                cue = {"text": self.text[c_start:c_end], "start": c_start, "end": c_end}
        return {
            "id": f"Q{number}",
            "text": self.text[start:end],
            "start": start,
            "end": end,
            "kind": "direct" if self._is_direct(segment) else "partial",
            "speaker": speaker,
            "cue": cue,
        }

    def _is_direct(self, segment: Segment) -> bool:
        inner = self.text[segment.start + 1 : segment.end].lstrip()
        if not inner or not (inner[0].isupper() or inner[0].isdigit()):
            return False
        before = self._before(segment.start)
        return not before or before[-1] in SENTENCE_PUNCT

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

    # -- entities -------------------------------------------------------------------------

    def _entity_at(self, start: int, end: int) -> dict[str, Any] | None:
        for m_start, m_end, entity in self.mentions:
            if m_start < end and start < m_end:
                return entity
        return None

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
        if entity is None and head.lower_ in PERSONAL_PRONOUNS:
            entity = self._antecedent(head)
        if entity is None and head.pos_ == "NOUN":
            entity = self._description(head)
        return entity["id"] if entity is not None else None

    def _named_inside(self, start: int, end: int) -> dict[str, Any] | None:
        """A PERSON or ORG named inside the speaker phrase, not as a possessive ("Russia’s ministry")."""
        for m_start, m_end, entity in self.mentions:
            if start <= m_start and m_end <= end and entity.get("label") in ("PERSON", "ORG"):
                if self.text[m_end : m_end + 2] in ("’s", "'s"):
                    continue
                return entity
        return None

    def _antecedent(self, pronoun: Token) -> dict[str, Any] | None:
        """The person (he/she) or group (they) a pronoun most likely refers to: the speaker of
        the last quote in its paragraph, else the nearest earlier mention outside quotations."""
        paragraph = self._paragraph(pronoun.idx)
        for offset, entity in reversed(self.speakers):
            if offset < pronoun.idx and self._paragraph(offset) == paragraph:
                return entity
        wanted = (
            {"PERSON"} if pronoun.lower_ in ("he", "she", "him", "her", "i") else {"ORG", "NORP", "PERSON"}
        )
        best = None
        for m_start, _m_end, entity in self.mentions:
            if m_start >= pronoun.idx:
                break
            if entity.get("label") in wanted and not self._quoted_at(m_start):
                best = entity
        return best

    def _description(self, noun: Token) -> dict[str, Any] | None:
        """The person a definite description ("the analyst") refers to: the nearest earlier
        PERSON mention described by the same noun ("political analyst ... Abbas Gallyamov")."""
        if not any(c.dep_ == "det" and c.lower_ in ("the", "this", "that") for c in noun.children):
            return None
        lemma = noun.lemma_.lower()
        best = None
        for m_start, m_end, entity in self.mentions:
            if m_start >= noun.idx:
                break
            if entity.get("label") != "PERSON":
                continue
            span = self.doc.char_span(m_start, m_end, alignment_mode="expand")
            if span is None:
                continue
            window = self.doc[max(span.sent.start, span.start - 8) : min(span.sent.end, span.end + 8)]
            if any(t.lemma_.lower() == lemma for t in window):
                best = entity
        return best
