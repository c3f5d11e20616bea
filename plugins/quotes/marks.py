# ruff: noqa: RUF001, RUF002, RUF003 -- typographic quotation marks are what this code is about
"""Finding quoted segments in text: quotation marks paired per paragraph.

Pure string work, no spaCy. Straight and curly, double and single marks. Apostrophes
(``Putin’s``, ``voters’``, ``’16``) are told from single quotation marks by the characters
around them. A double quotation mark left open at the end of a paragraph runs to the end of
that paragraph (the news convention for a quote that goes on in the next paragraph, which
then opens with a mark again).
"""

from __future__ import annotations

from dataclasses import dataclass

from presspipe import paragraphs

DOUBLE_OPEN = "“„«"
DOUBLE_CLOSE = "”»"
DOUBLE_STRAIGHT = '"'
SINGLE_OPEN = "‘"
SINGLE_CLOSE = "’"
SINGLE_STRAIGHT = "'"
DOUBLE_MARKS = DOUBLE_OPEN + DOUBLE_CLOSE + DOUBLE_STRAIGHT
SINGLE_MARKS = SINGLE_OPEN + SINGLE_CLOSE + SINGLE_STRAIGHT
OPEN_CONTEXT = set(" \t\n([{—–-/:;,")
"""A straight mark after one of these (or at a paragraph start) opens a quote."""


@dataclass
class Segment:
    """A quoted segment: ``text[start:end]`` runs from its opening mark to its closing one.

    ``closed`` is False for a quote left open at a paragraph's end (``end`` is then the end of
    the paragraph's text); ``continues`` is True when the segment opens a paragraph that
    carries on an unclosed quote of the previous paragraph; ``single`` tells single marks;
    ``mark`` is the length of the marks, 2 for doubled straight single marks (``''...''``, as
    PolNeAR's texts write double quotes), which the segment covers whole.
    """

    start: int
    end: int
    closed: bool = True
    continues: bool = False
    single: bool = False
    mark: int = 1


def _is_word(char: str) -> bool:
    return char.isalnum()


def _classify_double(text: str, i: int, start: int, end: int) -> str:
    char = text[i]
    if char in DOUBLE_OPEN:
        return "open"
    before = text[i - 1] if i > start else "\n"
    after = text[i + 1] if i + 1 < end else " "
    if char in DOUBLE_CLOSE:
        # a closing mark at the start of a line, before a word, is a typo for an opening one
        return "open" if before == "\n" and after.isalnum() else "close"
    if before in OPEN_CONTEXT or before in DOUBLE_OPEN + SINGLE_OPEN:
        return "open" if not after.isspace() else "close"
    return "close"


def _classify_single(text: str, i: int, start: int, end: int, width: int = 1) -> str | None:
    """'open', 'close', 'either' (a possessive ``s’``) or None for an apostrophe; ``width`` is 2
    for a doubled mark (``''``), judged by the characters around the pair."""
    before = text[i - 1] if i > start else " "
    after = text[i + width] if i + width < end else " "
    if _is_word(before) and _is_word(after):
        return None  # Putin’s, don’t
    if not _is_word(before) and before not in ".,!?;:—–-)" and (after.isalpha() or after in '“"$('):
        return "open"  # ‘Two (but ’16, ‘90s are years, below)
    if not _is_word(after) and (_is_word(before) or before in '.,!?;:—–-)”"'):
        return "either" if before in "sS" else "close"
    return None


def find_segments(text: str, single: str = "auto") -> list[Segment]:
    """Every quoted segment of ``text``, in order.

    ``single`` says when single marks quote: ``"auto"`` only in a text that has no double
    quotation marks at all (where a text uses double marks, single ones are names, titles
    or headline style: the channel ‘Two Majors,’), ``"always"`` (outside double-mark
    segments) or ``"never"``.
    """
    if single == "auto":
        single = "never" if any(c in text for c in DOUBLE_MARKS) else "always"
    segments: list[Segment] = []
    open_from: Segment | None = None  # an unclosed double quote carried from the previous paragraph
    for para_start, para_end in paragraphs(text):
        found: list[Segment] = []
        opened: int | None = None
        continues = False
        for i in range(para_start, para_end):
            char = text[i]
            if char not in DOUBLE_MARKS:
                continue
            kind = _classify_double(text, i, para_start, para_end)
            if kind == "open":
                if opened is None:
                    opened = i
                    continues = i == para_start and open_from is not None
                # a second opening mark inside an open quote is a typo or a nested quote: keep the first
            elif opened is not None:
                found.append(Segment(opened, i + 1, continues=continues))
                opened = None
                continues = False
        open_from = None
        if opened is not None:
            segment = Segment(opened, para_end, closed=False, continues=continues)
            found.append(segment)
            open_from = segment
        if single == "always":
            found.extend(_single_segments(text, para_start, para_end, found))
        segments.extend(sorted(found, key=lambda s: s.start))
    return segments


def _single_segments(text: str, start: int, end: int, doubles: list[Segment]) -> list[Segment]:
    inside = [(s.start, s.end) for s in doubles]
    found: list[Segment] = []
    opened: int | None = None
    opened_width = 1
    second = -1  # the second mark of a doubled pair, already read with the first
    for i in range(start, end):
        if text[i] not in SINGLE_MARKS or i == second:
            continue
        if any(a <= i < b for a, b in inside):
            continue
        width = 2 if text[i : i + 2] == SINGLE_STRAIGHT * 2 else 1
        kind = _classify_single(text, i, start, end, width)
        if kind is None:
            continue
        if width == 2:
            second = i + 1
        if kind == "open" and text[i] != SINGLE_CLOSE:
            if text[i + width : i + width + 2].isdigit():
                continue  # ’16, '90s
            if opened is None:
                opened, opened_width = i, width
        elif kind in ("close", "either") and opened is not None and text[i] != SINGLE_OPEN:
            if i - opened > opened_width and not any(opened < a < i for a, _ in inside):
                found.append(Segment(opened, i + width, single=True, mark=opened_width))
            opened = None
    return found
