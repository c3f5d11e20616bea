# ruff: noqa: RUF001, RUF003 -- typographic quotation marks are what this code is about
"""Quotations: the segments of ``marks.find_segments`` that are quoted speech, with their speaker.

Each segment is attached to a cue through the parse (``attribution.py``); a segment without
a cue right after an attributed quote in the same paragraph keeps that quote's speaker.
Scare quotes and names in quotation marks are dropped: a segment of fewer than four words
with no speaker, a title or name (capitalised words), a one- or two-word modifier of a noun
("self-proclaimed “multipolar” world"), a lone word far below its cue.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from presspipe.plugins.quotes.attribution import Attribution, CueSearch
from presspipe.plugins.quotes.marks import Segment

if TYPE_CHECKING:
    from spacy.tokens import Token

TITLE_SMALL_WORDS = {"a", "an", "the", "of", "on", "in", "and", "or", "to", "for", "with", "at", "by"}
SENTENCE_PUNCT = set(".!?:;,—–-([")


class QuotedSearch(CueSearch):
    """The quotations (words in quotation marks) of one document, with their speaker and cue."""

    def quotations(self) -> list[dict[str, Any]]:
        text = self.text
        quotes: list[dict[str, Any]] = []
        previous: Attribution | None = None  # the attribution of the last attributed quote
        previous_paragraph = -1
        previous_end = -1
        for segment in self.segments:
            tokens = self._tokens(segment)
            if not tokens:
                continue
            paragraph = self._paragraph(segment.start)
            attribution = self._attribute(segment, tokens)
            method = attribution.method if attribution is not None else "none"
            words = self._words(segment)
            if (
                attribution is None
                and self.settings.carry
                and previous is not None
                and previous_paragraph == paragraph
            ):
                between = text[previous_end : segment.start]
                if segment.continues or self._no_other_speech(between):
                    attribution, method = previous, "carried"
            elif (
                attribution is None
                and previous is not None
                and previous_paragraph == paragraph - 1
                and segment.continues
            ):
                attribution, method = previous, "continued"
            if not self._is_quotation(segment, tokens, words, attribution):
                continue
            quote = self._quote(segment, attribution)
            quote["_evidence"] = {
                "method": method,
                "depth": attribution.depth if attribution is not None else 0,
                "closed": segment.closed,
                "continues": segment.continues,
            }
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
            return len(words) >= self.settings.min_words_uncued and not segment.single
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

    # -- output ---------------------------------------------------------------------------

    def _quote(self, segment: Segment, attribution: Attribution | None) -> dict[str, Any]:
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
                cue = self._cue(attribution.cue)
        return {
            "id": "",
            "text": self.text[start:end],
            "start": start,
            "end": end,
            "kind": "direct" if self._is_direct(segment) else "partial",
            "speaker": speaker,
            "cue": cue,
            "quoted": [{"text": self.text[start:end], "start": start, "end": end}],
        }

    def _is_direct(self, segment: Segment) -> bool:
        inner = self.text[segment.start + segment.mark : segment.end].lstrip()
        if not inner or not (inner[0].isupper() or inner[0].isdigit()):
            return False
        before = self._before(segment.start)
        return not before or before[-1] in SENTENCE_PUNCT
