"""Read the PolNeAR corpus (brat stand-off) into gold attributions and gold quotes.

Shared by ``eval/quotes.py`` and ``eval/train_cues.py``. Texts stay where they are: nothing
from the corpus is ever written into the repository.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

QUOTE_MARKS = '"“”«»'
"""Marks that make a Content a quotation (the issue's metric: a quotation mark, not an apostrophe)."""

Span = tuple[int, int]


@dataclass
class Attribution:
    content: list[Span]
    source: list[Span] = field(default_factory=list)
    cue: list[Span] = field(default_factory=list)


@dataclass
class Article:
    name: str
    text: str
    attributions: list[Attribution]


def _spans(field_text: str) -> list[Span]:
    spans = []
    for part in field_text.split(";"):
        start, end = part.split()
        spans.append((int(start), int(end)))
    return spans


def read_ann(path: Path) -> list[Attribution]:
    """The relations (``E`` lines) of one brat file, with their spans read by offsets."""
    spans: dict[str, list[Span]] = {}
    relations: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("T"):
            parts = line.split("\t")
            if len(parts) < 2:
                continue
            label, _, offsets = parts[1].partition(" ")
            spans[parts[0]] = _spans(offsets)
            del label
        elif line.startswith("E"):
            parts = line.split("\t")
            roles = dict(item.split(":", 1) for item in parts[1].split() if ":" in item)
            relations.append(roles)
    attributions = []
    for roles in relations:
        if "Content" not in roles or roles["Content"] not in spans:
            continue
        attributions.append(
            Attribution(
                content=spans[roles["Content"]],
                source=spans.get(roles.get("Source", ""), []),
                cue=spans.get(roles.get("Cue", ""), []),
            )
        )
    return attributions


def read_split(split: Path) -> list[Article]:
    """Every article of a split, with the attributions of its first .ann file (sorted by name)."""
    articles = []
    ann_dir = split / "attributions"
    for text_path in sorted((split / "text").glob("*.txt")):
        anns = sorted(ann_dir.glob(text_path.stem + "_*.ann"))
        if not anns:
            continue
        text = text_path.read_text(encoding="utf-8")
        articles.append(Article(text_path.stem, text, read_ann(anns[0])))
    return articles


SINGLE_MARKS = "'\u2018\u2019"  # straight, left and right single marks


def quotes_in_single_marks(text: str) -> bool:
    """Whether an article quotes with single marks only (it holds no double quotation mark)."""
    return not any(mark in text for mark in QUOTE_MARKS)


def is_single_quote_mark(text: str, i: int) -> bool:
    """A single mark at ``i`` that is not an apostrophe between two letters (don't, O'Brien)."""
    if text[i] not in SINGLE_MARKS:
        return False
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return not (before.isalpha() and after.isalpha())


def gold_quote(text: str, attribution: Attribution, single_marks: bool = False) -> Span | None:
    """The gold quote of an attribution: first to last quotation mark of its Content, or None.

    ``single_marks``: the article quotes with single marks, so those count as quotation marks.
    """
    positions = [
        i
        for start, end in attribution.content
        for i in range(start, end)
        if text[i] in QUOTE_MARKS or (single_marks and is_single_quote_mark(text, i))
    ]
    if not positions:
        return None
    return positions[0], positions[-1] + 1
