"""What the quote rules know about one document: its parse, text, entity mentions, paragraphs
and quoted segments. ``Extractor`` builds one ``DocumentState`` (through ``DocumentReader``)
per document, so nothing about a document outlives its extraction."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from presspipe import paragraphs
from presspipe.plugins.quotes.lexicon import Lexicon
from presspipe.plugins.quotes.marks import Segment, find_segments

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token


@dataclass(frozen=True)
class Settings:
    """The step's options, as the rules use them (see ``CONFIG_SCHEMA`` in ``__init__.py``)."""

    lexicon: Lexicon
    carry: bool = True
    single: str = "auto"
    min_words_uncued: int = 4


class DocumentState:
    """One parsed document with its canonical entities, and lookups over them."""

    def __init__(self, doc: Doc, entities: list[dict[str, Any]], settings: Settings) -> None:
        self.settings = settings
        self.lexicon = settings.lexicon
        self.doc = doc
        self.text = doc.text
        self.mentions = sorted(
            ((m["start"], m["end"], e) for e in entities for m in e.get("mentions", [])),
            key=lambda item: item[0],
        )
        self.mention_starts = [start for start, _, _ in self.mentions]
        self.paragraph_spans = paragraphs(self.text)
        self.paragraph_starts = [start for start, _ in self.paragraph_spans]
        self.entities = {e["id"]: e for e in entities}
        self.speakers: list[tuple[int, dict[str, Any]]] = []  # (offset, entity) of resolved speakers
        self.genders: dict[str, str | None] = {}  # entity id -> gender (agreement.py), as asked
        self.segments = find_segments(self.text, settings.single)
        self.quoted = [(s.start, s.end) for s in self.segments]  # in order, never overlapping
        self.quoted_starts = [start for start, _ in self.quoted]

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

    def _starts_sentence(self, segment: Segment) -> bool:
        before = self._before(segment.start)
        return not before or before[-1] in ".!?:"

    def _is_cue(self, token: Token) -> bool:
        if token.dep_ in ("amod", "compound", "nmod"):
            return False  # "self-proclaimed"
        return self.lexicon.weight(token) > 0 and not self._in_quote(token)

    def _in_quote(self, token: Token) -> bool:
        return self._quoted_at(token.idx)

    def _quoted_at(self, offset: int) -> bool:
        index = bisect_right(self.quoted_starts, offset) - 1
        return index >= 0 and offset < self.quoted[index][1]

    def _entity_at(self, start: int, end: int) -> dict[str, Any] | None:
        for m_start, m_end, entity in self.mentions:
            if m_start < end and start < m_end:
                return entity
        return None

    def _cue(self, token: Token) -> dict[str, Any]:
        """The output span of a cue word ("according to" keeps its "to")."""
        tokens = [token]
        if token.lower_ == "according":
            tokens += [c for c in token.children if c.lower_ == "to"]
        start = min(t.idx for t in tokens)
        end = max(t.idx + len(t) for t in tokens)
        return {"text": self.text[start:end], "start": start, "end": end}
