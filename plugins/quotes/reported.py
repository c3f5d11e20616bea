# ruff: noqa: RUF001 -- typographic quotation marks are what this code is about
"""Reported speech: a cue, its speaker and the clause it reports, from the dependency parse.

A candidate is a word that can cue an attribution with the content it governs (the
construction names are the keys of ``reported.json``):

- ``ccomp``: a verb with a clausal complement ("X said (that) ...", "X told Y ...", "..., X
  said", "..., said X": the parse hangs the clause off the cue either way);
- ``xcomp``: a verb with an open complement ("X plans to ...", "X urged Y to ..."), and
  ``xcomp-be`` for "X appears to be Y", counted apart;
- ``dobj``: a verb with a direct object, with what is said of it ("X denied the report",
  "X called the charges fabricated");
- ``prep-for``, ``prep-about``, ...: a verb with a prepositional object ("X called for ...");
- ``parataxis``: a cue set into or after the clause it reports ("Russia, he continued,
  should ..."); the content is the host clause;
- ``according``: "according to X, ..." (the clause the phrase attaches to, without it);
- ``noun``: a possessed noun with its clause ("Moscow's claim (that) it was ..."),
  ``noun-for``, ``noun-of``, ...: with a prepositional object ("Smith's support for X"), and
  ``in-noun``: "in a statement, X ..." when the verb has no complement of its own;
- ``adj-of``, ``adj-about``, ...: an adjective after a copula ("X was critical of Y");
- ``colon``: a transcript line or headline ("PENCE: ...", "Poll: ...").

Which candidates are kept is learned: ``reported.json`` holds, for each cue lemma,
construction and speaker kind, how often PolNeAR's train split annotated such a candidate as
an attribution, and how often common nouns were sources (``eval/train_reported.py``
regenerates it; counts only). A candidate is kept when its smoothed share reaches
``min_reported_ratio``. The speaker is the cue's subject (through the same rules as for
quotations: the agent of a passive, a relative pronoun), the object of "according to", or a
noun cue's possessor; candidates without one, or whose subject is passive with no agent,
are dropped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING

from presspipe.plugins.quotes.attribution import SUBJECTS, CueSearch

if TYPE_CHECKING:
    from spacy.tokens import Token

COLON_LINE = re.compile(r"^[^\S\n]*[\"“]?([A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3}):[^\S\n]+(\S)", re.MULTILINE)
SPEECH_FRAMES = ("parataxis", "noun")
"""Constructions that attribute whenever their word is a speech verb (a lemma that introduces
quotations): a cue set into the clause it reports, a possessed speech noun with its clause."""
SPEECH_PREPOSITIONS = {
    "for",
    "about",
    "on",
    "of",
    "against",
    "with",
    "to",
    "at",
    "over",
    "toward",
    "towards",
    "upon",
}
PREPOSITIONAL = tuple(f"prep-{p}" for p in sorted(SPEECH_PREPOSITIONS))
WEAK_CONSTRUCTIONS = ("xcomp", "xcomp-be", "dobj", *PREPOSITIONAL, "acl-")
"""Constructions that describe as often as they attribute: their common-noun speakers must
have been sources in train."""
OBJECT_CONSTRUCTIONS = ("dobj", "prep-", "noun-", "adj-", "acl-dobj", "acl-prep-")
"""Constructions whose content may be one word ("attacked Machado", "declared bankruptcy"): the
learned model (``features.py``: the content's length and root) judges them."""
VERB_CONSTRUCTIONS = ("ccomp", "xcomp", "xcomp-be", "dobj", *PREPOSITIONAL, "parataxis")
MEASURES = {"DATE", "TIME", "CARDINAL", "QUANTITY", "PERCENT", "MONEY"}
"""Entity types of objects that are not content ("spoke for an hour", "spent $5 million")."""
OBJECT_PREDICATES = {"oprd", "xcomp", "ccomp", "acomp", "attr"}
SUBORDINATORS = {
    "because",
    "while",
    "although",
    "though",
    "since",
    "if",
    "unless",
    "as",
    "so",
    "until",
    "when",
}
EXPLETIVES = {"it", "there", "this", "which", "what", "that"}
PERSON_PRONOUNS = {"he", "she", "i"}
SPEAKER_KINDS = ("person", "other")
PRIOR_WEIGHT = 2.0
MIN_SPEAKER_SEEN = 3
MIN_SPEAKER_SHARE = 0.15


@dataclass(frozen=True)
class ReportedLexicon:
    """What PolNeAR train annotated, as ``(hits, seen)`` counts: per (cue lemma, construction,
    speaker kind), and per head lemma of common-noun speakers."""

    cues: dict[tuple[str, str, str], tuple[int, int]]
    speakers: dict[str, tuple[int, int]]
    min_ratio: float
    scope: str = "attitudes"
    speech: frozenset[str] = frozenset()
    """Lemmas that introduce quotations (the quotation cue lexicon): the ``speech`` scope."""

    def share(self, lemma: str, construction: str, kind: str) -> float:
        """The share of such candidates that were attributions: for this speaker kind, pulled
        towards the share over both kinds, itself pulled towards 0 when seen rarely."""
        hits = seen = 0
        for any_kind in SPEAKER_KINDS:
            h, n = self.cues.get((lemma, construction, any_kind), (0, 0))
            hits, seen = hits + h, seen + n
        overall = hits / (seen + PRIOR_WEIGHT)
        h, n = self.cues.get((lemma, construction, kind), (0, 0))
        return (h + PRIOR_WEIGHT * overall) / (n + PRIOR_WEIGHT)

    def in_scope(self, candidate: Reported) -> bool:
        """With scope ``speech``, whether the candidate's verb is a verb of saying."""
        return not (
            self.scope == "speech"
            and candidate.construction in VERB_CONSTRUCTIONS
            and candidate.lemma not in self.speech
        )

    def speech_frame(self, candidate: Reported) -> bool:
        """A speech verb set into its clause or a possessed speech noun with its clause ("Russia, he
        continued, should ...", "Moscow's claim (that) it was ..."): an attribution whatever the counts."""
        return candidate.construction in SPEECH_FRAMES and candidate.lemma in self.speech

    def keeps(self, candidate: Reported) -> bool:
        if not self.in_scope(candidate):
            return False
        if candidate.speaker.pos_ == "NOUN":
            hits, seen = self.speakers.get(candidate.speaker.lemma_.lower(), (0, 0))
            if seen >= MIN_SPEAKER_SEEN and hits < MIN_SPEAKER_SHARE * seen:
                return False  # "Recent events have shown ...": not a source
            if not hits and candidate.construction.startswith(WEAK_CONSTRUCTIONS):
                return False  # "the dominant emotion appears to be envy": never a source in train
        if self.speech_frame(candidate):
            return True
        return self.share(candidate.lemma, candidate.construction, candidate.speaker_kind) >= self.min_ratio


@cache
def load_reported_lexicon(min_ratio: float, scope: str, speech: frozenset[str]) -> ReportedLexicon:
    """The shipped counts (``reported.json``)."""
    data = json.loads(
        resources.files("presspipe.plugins.quotes").joinpath("reported.json").read_text("utf-8")
    )
    cues = {
        (lemma, construction, kind): (pair[0], pair[1])
        for lemma, by_construction in data["cues"].items()
        for construction, by_kind in by_construction.items()
        for kind, pair in by_kind.items()
    }
    speakers = {lemma: (pair[0], pair[1]) for lemma, pair in data["speakers"].items()}
    return ReportedLexicon(cues, speakers, min_ratio, scope, speech)


@dataclass
class Reported:
    """One reported statement: content characters, the cue word and the speaker's head."""

    start: int
    end: int
    cue: Token
    speaker: Token
    lemma: str
    construction: str
    speaker_kind: str
    """``person`` (a PERSON mention, he, she, I) or ``other`` (groups, organisations, documents)."""
    confidence: float = 0.0
    """The learned model's calibrated probability that this is an attribution with this speaker."""


class ReportedSearch(CueSearch):
    """Reported-speech candidates of one document."""

    def reported_candidates(self) -> Iterator[Reported]:
        """Every candidate with a speaker and a non-empty content, whatever its lemma."""
        yield from self._colon_lines()
        for token in self.doc:
            if token.is_space or token.is_punct or self._in_quote(token):
                continue
            for found in (self._candidate(token), self._in_source(token)):
                if found is not None:
                    yield from self._checked(token, *found)

    def _checked(
        self, token: Token, construction: str, first: Token, last: Token, speaker: Token | None
    ) -> Iterator[Reported]:
        """The candidate, when it has a speaker that can be one and a content."""
        one_word = construction.startswith(OBJECT_CONSTRUCTIONS)
        span = self._content_span(first, last, token, 1 if one_word else 2)
        if span is None or speaker is None:
            return
        if speaker.lower_ in EXPLETIVES or speaker.dep_ == "expl":
            return
        if speaker.dep_ == "nsubjpass":
            return  # "the Russians are accused of ...": the subject is not the speaker
        lemma = "according to" if construction == "according" else token.lemma_.lower()
        if construction == "in-source":
            lemma = f"in {speaker.lemma_.lower()}"
        yield Reported(span[0], span[1], token, speaker, lemma, construction, self._speaker_kind(speaker))

    def _in_source(self, word: Token) -> tuple[str, Token, Token, Token | None] | None:
        """ "In a poll, 28 percent said ...", "In video posted online, the woman appears to ...":
        the noun after "in" as the source of its clause (the counts say which nouns are); the
        cue is "in", as PolNeAR marks it."""
        if word.lower_ != "in" or word.head.pos_ not in ("VERB", "AUX") or word.i > word.head.i:
            return None
        nouns = [
            c for c in word.children if c.dep_ == "pobj" and c.pos_ == "NOUN" and c.ent_type_ not in MEASURES
        ]
        if not nouns:
            return None
        return "in-source", *self._host_edges(word.head, word), nouns[0]

    def _colon_lines(self) -> Iterator[Reported]:
        """Transcript lines and headlines: "PENCE: Well, ...", "Poll: Clinton leads ..." at the
        start of a line; the speaker is the words before the colon (up to four, capitalised),
        the content the rest of the paragraph up to the next such line."""
        matches = list(COLON_LINE.finditer(self.text))
        for number, match in enumerate(matches):
            colon = self.doc.char_span(match.end(1), match.end(1) + 1)
            head = self.doc.char_span(match.start(1), match.end(1), alignment_mode="expand")
            if colon is None or head is None:
                continue
            paragraph = self._paragraph(match.start(1))
            end = self.paragraph_spans[paragraph][1] if paragraph >= 0 else len(self.text)
            if number + 1 < len(matches):
                end = min(end, matches[number + 1].start())
            end = self._stripped_end(end)
            speaker = head.root
            yield Reported(match.start(2), end, colon[0], speaker, ":", "colon", self._speaker_kind(speaker))

    def _speaker_kind(self, head: Token) -> str:
        if head.lower_ in PERSON_PRONOUNS:
            return "person"
        entity = self._entity_at(head.idx, head.idx + len(head))
        return "person" if entity is not None and entity.get("label") == "PERSON" else "other"

    def _candidate(self, token: Token) -> tuple[str, Token, Token, Token | None] | None:
        """(construction, first and last content token, speaker head) of a cue candidate."""
        if token.lower_ == "according":
            return self._according(token)
        if token.pos_ == "NOUN":
            return self._noun_cue(token)
        if token.pos_ == "ADJ":
            return self._adjective_cue(token)
        if token.pos_ not in ("VERB", "AUX") or token.dep_ in ("amod", "compound", "nmod", "aux", "auxpass"):
            return None
        if token.dep_ == "acl" and not any(c.dep_ in SUBJECTS for c in token.children):
            # "outside groups supporting X": the noun the participle modifies does it, counted
            # apart ("the force resisting X" is rarely an attitude); "a book written by" is passive
            if token.tag_ != "VBG" or token.head.pos_ not in ("NOUN", "PROPN"):
                return None
            found = self._verb_candidate(token)
            if found is None or found[0] == "parataxis":
                return None
            return f"acl-{found[0]}", found[1], found[2], token.head
        return self._verb_candidate(token)

    def _verb_candidate(self, token: Token) -> tuple[str, Token, Token, Token | None] | None:
        """(construction, first and last content token, speaker head) of a verb cue."""
        children = list(token.children)
        for dep, construction in (("ccomp", "ccomp"), ("xcomp", "xcomp"), ("dobj", "dobj")):
            complements = [c for c in children if c.dep_ == dep]
            if len(complements) > 1:  # "A said X; B said Y" parsed as two complements of the second
                own = [
                    c
                    for c in complements
                    if not (self._is_cue(c) and any(g.dep_ in SUBJECTS for g in c.children))
                ]
                complements = own or complements
            if complements:
                complement = complements[0]
                if complement.ent_type_ in MEASURES:
                    return None  # "X spent an hour"
                if construction == "xcomp" and complement.lemma_ == "be":
                    construction = "xcomp-be"  # "X appears to be Y": a description as often as an attitude
                last = self._content_end(token, complement.right_edge, construction == "dobj")
                return construction, complement.left_edge, last, self._subject(token)
        if token.dep_ == "parataxis" and token.head.pos_ in ("VERB", "AUX"):
            host = token.head
            return "parataxis", *self._host_edges(host, token), self._subject(token)
        for child in children:
            if child.dep_ == "prep" and child.lower_ in SPEECH_PREPOSITIONS:
                objects = [
                    g for g in child.children if g.dep_ in ("pobj", "pcomp") and g.ent_type_ not in MEASURES
                ]
                if objects:
                    return (
                        f"prep-{child.lower_}",
                        objects[0].left_edge,
                        objects[0].right_edge,
                        self._subject(token),
                    )
        return None

    def _content_end(self, cue: Token, last: Token, with_object: bool) -> Token:
        """The end of a reported clause, over what the parse hangs off its cue after it: subordinate
        clauses ("X said the claim smacked of hypocrisy, because Democrats ..."), and after an
        object, what is said of it ("called the charges fabricated", "described Obama as ...")."""
        for child in cue.rights:
            if child.i <= last.i or child.dep_ == "punct":
                continue
            marks = {g.lower_ for g in child.children if g.dep_ == "mark"}
            predicate = child.dep_ in OBJECT_PREDICATES or (
                child.dep_ == "prep" and child.lower_ in ("as", "for")
            )
            subordinate = child.dep_ == "advcl" and bool(marks & SUBORDINATORS)
            if subordinate and child.lemma_.lower() in self.lexicon.weights:
                break  # "..., while senator Puskov said ...": another attribution
            if not subordinate and not (with_object and predicate):
                break
            last = child.right_edge
        return last

    def _according(self, token: Token) -> tuple[str, Token, Token, Token | None] | None:
        """ "according to X": the content is the clause the phrase attaches to, without it."""
        speaker = self._subject(token)
        host = token.head
        words = [t for t in token.sent if not t.is_punct and not t.is_space]
        ends_sentence = bool(words) and token.right_edge.i >= words[-1].i
        while host.head.i != host.i and (
            host.dep_ not in ("ROOT", "ccomp", "conj", "advcl") or (host.dep_ == "ccomp" and ends_sentence)
        ):
            host = host.head  # "Y said Z, according to X": X reports all of "Y said Z"
        if speaker is None or host.i == token.i:
            return None
        return "according", *self._host_edges(host, token, speaker), speaker

    def _noun_cue(self, noun: Token) -> tuple[str, Token, Token, Token | None] | None:
        """ "X's claim that ...", "a statement saying ...", "in a statement, X ..."."""
        clauses = [c for c in noun.children if c.dep_ in ("acl", "ccomp", "relcl") and c.i > noun.i]
        clauses = [c for c in clauses if any(g.dep_ == "mark" or g.dep_ in SUBJECTS for g in c.children)]
        owners = [c for c in noun.children if c.dep_ == "poss"]
        if clauses and owners:
            return "noun", clauses[0].left_edge, clauses[0].right_edge, owners[0]
        objects = self._prepositional_object(noun)
        if owners and objects is not None:
            return f"noun-{objects[0]}", objects[1].left_edge, objects[1].right_edge, owners[0]
        if noun.dep_ == "pobj" and noun.head.lower_ == "in" and noun.head.head.pos_ in ("VERB", "AUX"):
            host = noun.head.head
            if any(c.dep_ in ("ccomp", "xcomp") for c in host.children):
                return None  # "In a statement, X said ...": the verb is the cue
            return "in-noun", *self._host_edges(host, noun.head), self._subject(host)
        return None

    def _adjective_cue(self, adjective: Token) -> tuple[str, Token, Token, Token | None] | None:
        """ "X was critical of Y", "X is angry about Y": the subject of the copula."""
        objects = self._prepositional_object(adjective)
        if adjective.dep_ != "acomp" or objects is None:
            return None
        subjects = [c for c in adjective.head.children if c.dep_ == "nsubj"]
        if not subjects:
            return None
        return f"adj-{objects[0]}", objects[1].left_edge, objects[1].right_edge, subjects[0]

    def _prepositional_object(self, word: Token) -> tuple[str, Token] | None:
        """(preposition, object) of a speech preposition after ``word`` ("support for X")."""
        for child in word.rights:
            if child.dep_ == "prep" and child.lower_ in SPEECH_PREPOSITIONS:
                objects = [
                    g for g in child.children if g.dep_ in ("pobj", "pcomp") and g.ent_type_ not in MEASURES
                ]
                if objects:
                    return child.lower_, objects[0]
        return None

    def _host_edges(self, host: Token, cue: Token, speaker: Token | None = None) -> tuple[Token, Token]:
        """The first and last token of ``host``'s clause, leaving out the cue's phrase (and the
        speaker's) when it sits at one end ("..., officials said"; "According to X, ..."); a
        phrase inside the clause ("Russia, he continued, should ...") stays inside the span."""
        words = [t for t in host.subtree if not t.is_punct and not t.is_space]
        left, right = cue.left_edge.i, cue.right_edge.i
        if speaker is not None:
            left, right = min(left, speaker.left_edge.i), max(right, speaker.right_edge.i)
        before = [t for t in words if t.i < left]
        after = [t for t in words if t.i > right]
        if before and after:
            return words[0], words[-1]
        rest = before or after or words
        return rest[0], rest[-1]

    def _content_span(
        self, first: Token, last: Token, cue: Token, min_words: int = 2
    ) -> tuple[int, int] | None:
        """Characters of the content (at least ``min_words`` words): punctuation, a leading "that"
        and the cue itself trimmed off."""
        tokens = [t for t in self.doc[first.i : last.i + 1] if not t.is_space]
        for token in tokens:  # "Y said Z, according to X": the phrase is X's attribution, not Z
            if (
                token.lower_ == "according"
                and token.i != cue.i
                and token.i > first.i
                and token.right_edge.i >= last.i
            ):
                tokens = [t for t in tokens if t.i < token.i]
                break
        while tokens and (tokens[0].is_punct or tokens[0].dep_ == "mark" or tokens[0].i == cue.i):
            if tokens[0].is_quote:
                break
            tokens = tokens[1:]
        while tokens and tokens[-1].is_punct and not tokens[-1].is_quote:
            tokens = tokens[:-1]
        words = [t for t in tokens if not t.is_punct]
        if len(words) < min_words or (words[-1].dep_ == "prep" and not any(words[-1].children)):
            return None  # too short, or ends in a stranded preposition ("the things they seemed to agree on")
        start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1])
        line_end = self.text.find("\n", max(start, cue.idx), end)
        if line_end >= 0:  # a clause does not run over a line break (headlines, lists)
            end = self._stripped_end(line_end, " \t;:,.—–-")
            if end <= start:
                return None
        # a quotation is never cut in two
        around_start, around_end = self._quoted_around(start), self._quoted_around(end)
        if around_start is not None:
            start = around_start[0]
        if around_end is not None:
            end = around_end[1]
        return start, end
