# ruff: noqa: RUF001, RUF003 -- typographic quotation marks are what this code is about
"""The rules of ``quotes.extract``: quoted segments, their cue and their speaker.

1. ``marks.find_segments`` pairs the quotation marks of each paragraph.
2. Each segment is attached to a reporting cue through the dependency parse
   (``attribution.py``).
3. The speaker is the cue's subject (inherited through ``adding``/``and told``, taken
   from ``by`` in the passive, from the object of "according to"); a quote without a cue
   right after an attributed quote in the same paragraph keeps that quote's speaker.
4. Pronouns and descriptions ("the analyst") resolve to the person they refer to; the
   speaker's ``entity`` is the canonical entity whose mention holds the speaker's head
   (``speakers.py``).
5. Scare quotes and names in quotation marks are dropped: a segment of fewer than four
   words with no speaker, a title or name (capitalised words), a one- or two-word modifier
   of a noun ("self-proclaimed “multipolar” world"), a lone word far below its cue.

``docs/steps/quotes.md`` has the details and the measured accuracy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from presspipe.plugins.quotes.attribution import Attribution, CueSearch
from presspipe.plugins.quotes.marks import Segment
from presspipe.plugins.quotes.state import Settings

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

TITLE_SMALL_WORDS = {"a", "an", "the", "of", "on", "in", "and", "or", "to", "for", "with", "at", "by"}
SENTENCE_PUNCT = set(".!?:;,—–-([")


class Extractor:
    """Quote extraction settings; ``extract`` reads one document through a ``DocumentReader``."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def extract(self, doc: Doc, entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return DocumentReader(doc, entities, self.settings).quotations()


class DocumentReader(CueSearch):
    """The quotations of one document."""

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
            words = self._words(segment)
            if (
                attribution is None
                and self.settings.carry
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
