"""What the quote rules know about one document: its parse, text, entity mentions, paragraphs
and quoted segments. ``Extractor`` builds one ``DocumentState`` (through ``DocumentReader``)
per document, so nothing about a document outlives its extraction."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
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


class SpeakerLog:
    """The (offset, entity) of the speakers resolved so far, by paragraph; ``last_before`` is the
    last one resolved before an offset of its paragraph (what a pronoun refers to first).

    Each paragraph keeps only the speakers that can still be that answer: one resolved later at
    an offset no greater hides an earlier one for good, so the kept offsets rise and a lookup
    is a bisection, however many speakers the paragraph (or the document) has.
    """

    def __init__(self, paragraph: Callable[[int], int]) -> None:
        self._paragraph = paragraph
        self._by_paragraph: dict[int, tuple[list[int], list[dict[str, Any]]]] = {}

    def append(self, speaker: tuple[int, dict[str, Any]]) -> None:
        offset, entity = speaker
        offsets, entities = self._by_paragraph.setdefault(self._paragraph(offset), ([], []))
        while offsets and offsets[-1] >= offset:
            offsets.pop()
            entities.pop()
        offsets.append(offset)
        entities.append(entity)

    def last_before(self, offset: int, paragraph: int) -> dict[str, Any] | None:
        """The entity of the last speaker resolved at an offset before ``offset`` in
        ``paragraph`` (``_paragraph`` numbering), if any."""
        offsets, entities = self._by_paragraph.get(paragraph, ([], []))
        index = bisect_left(offsets, offset)
        return entities[index - 1] if index else None


class DocumentState:
    """One parsed document with its canonical entities, and lookups over them.

    Every lookup is an index (bisection over sorted offsets, per-paragraph lists), never a
    scan of the whole document: a quote rule runs once per token or candidate, so a scan would
    make the step quadratic in the length of the text.
    """

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
        self.longest_mention = max((end - start for start, end, _ in self.mentions), default=0)
        self.paragraph_spans = paragraphs(self.text)
        self.paragraph_starts = [start for start, _ in self.paragraph_spans]
        self.entities = {e["id"]: e for e in entities}
        self.speakers = SpeakerLog(self._paragraph)
        # pronoun -> starts and entities of the mentions it may refer to (speakers.py), as asked
        self._agreeing: dict[str, tuple[list[int], list[dict[str, Any]]]] = {}
        self.segments = find_segments(self.text, settings.single)
        self.quoted = [(s.start, s.end) for s in self.segments]  # in order, never overlapping
        self.quoted_starts = [start for start, _ in self.quoted]
        self.quoted_ends = [end for _, end in self.quoted]

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

    def _stripped_end(self, end: int, chars: str | None = None) -> int:
        """``len(self.text[:end].rstrip(chars))``, without copying the text before ``end``."""
        text = self.text
        while end > 0 and (text[end - 1] in chars if chars is not None else text[end - 1].isspace()):
            end -= 1
        return end

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

    def _quoted_around(self, offset: int) -> tuple[int, int] | None:
        """The quoted segment that holds ``offset`` strictly inside (not at its first character)."""
        index = bisect_left(self.quoted_starts, offset) - 1
        if index >= 0 and offset < self.quoted[index][1]:
            return self.quoted[index]
        return None

    def _quoted_overlapping(self, start: int, end: int) -> list[tuple[int, int]]:
        """The quoted segments that overlap ``[start, end)``, in order."""
        first = bisect_right(self.quoted_ends, start)
        last = bisect_left(self.quoted_starts, end)
        return self.quoted[first:last]

    def _entity_at(self, start: int, end: int) -> dict[str, Any] | None:
        """The entity of the first mention (by start) that overlaps ``[start, end)``."""
        # a mention that starts longest_mention or more before ``start`` ends before it
        mentions = self.mentions
        for index in range(bisect_right(self.mention_starts, start - self.longest_mention), len(mentions)):
            m_start, m_end, entity = mentions[index]
            if m_start >= end:
                break
            if start < m_end:
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
