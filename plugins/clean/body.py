# ruff: noqa: RUF001 -- typographic quotes and dashes are what these patterns are about
"""The cleaning both steps share: from blocks of lines to body paragraphs, meta and removals.

A *block* is what a blank line separates in scraped text, or one element (``<p>``,
``<head>``, ``<list>``) of trafilatura's extraction. Rules look at one line at a time; what
survives of a block is a body paragraph, and the paragraphs are joined by blank lines.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import ftfy

from presspipe import drop
from presspipe.plugins.clean.dates import parse_dateline
from presspipe.plugins.clean.rules import (
    QUOTE_OPENERS,
    SENTENCE_END,
    URL,
    Removal,
    RuleSet,
    find_duplicates,
    match_caption,
    match_footer,
    match_line_rule,
    normalise_for_compare,
)

HEAD_LINES = 4
"""How many lines after the title may still be a dateline or a byline."""

_SPACES = re.compile(r"[^\S\n]+")
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_BYLINE = re.compile(
    r"^(?i:by|written by|words by|text by)\s+(?P<names>[A-Z][\w.'’-]*(?:[ ,]+(?:and |& )?[A-Z][\w.'’-]*)*)"
    r"(?:\s*[,|–—-]\s*.{0,60})?$"
)
_AGENCIES = r"Reuters|AP|AFP|Bloomberg|UPI|dpa|Xinhua|TASS|Kyodo|Yonhap|PA|ANSA|EFE|CNN|IANS|PTI"
_DASH = r"(?:--|[-–—―‒])"
_STATE = r"(?:,\s*[A-Z][A-Za-z.]{1,12}(?:\s[A-Z][a-z.]+)?)?"  # ", N.Y.", ", Pa.", ", Burma"
_DAY = r"(?:,?\s*(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s\d{1,2})?"
_AGENCY_DATELINE = re.compile(
    r"^(?P<dateline>"
    # A place in any case, then an agency: "Washington (AFP) -", "FLINT, Mich., Oct. 4 (UPI) -"
    rf"(?:[A-Z][\w.'’-]*(?:\s[A-Z][\w.'’-]*){{0,3}}{_STATE}{_DAY}\s*)?\((?:{_AGENCIES})\)\s*(?:{_DASH}|:)"
    # or a place in capitals, then a spaced dash: "WASHINGTON --", "KOBE -", "WEST PALM BEACH -"
    rf"|[A-Z][A-Z.'’-]*[A-Z.](?:\s[A-Z][A-Z.'’-]*[A-Z.]){{0,3}}{_STATE}{_DAY}\s+{_DASH}"
    r")(?:\s+|$|(?<=[–—―])(?=[A-Z“\"]))"  # "BOSTON —Standing": a long dash needs no space
)
"""A dateline opening the first paragraph. It ends at its dash, so the lead keeps its first word."""


@dataclass
class Block:
    """A run of lines between blank lines; ``heading`` when the source marked it as one."""

    lines: list[str]
    heading: bool = False


@dataclass
class Cleaned:
    """What the shared cleaning makes of a document's blocks."""

    paragraphs: list[str] = field(default_factory=list)
    headings: list[dict[str, Any]] = field(default_factory=list)
    removed: list[Removal] = field(default_factory=list)
    title: str | None = None
    published: str | None = None
    authors: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


def normalise(text: str) -> str:
    """Fix broken encodings, unify spaces and line ends; keep curly quotes and blank lines."""
    text = ftfy.fix_text(text, uncurl_quotes=False, normalization="NFC")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _INVISIBLE.sub("", text)
    text = "".join(" " if unicodedata.category(c) == "Zs" else c for c in text)
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


def split_blocks(text: str) -> list[Block]:
    """Blocks of non-empty lines. Text with no blank line at all has one block per line."""
    if "\n\n" not in text.strip():
        return [Block([line]) for line in text.split("\n") if line]
    blocks = (chunk.split("\n") for chunk in re.split(r"\n{2,}", text))
    return [Block([line for line in lines if line]) for lines in blocks if any(lines)]


_TWO_SENTENCES = re.compile(
    r"(?<!\b[A-Z])(?<!\b(?:Mr|Ms|Dr|St|Jr|vs))(?<!\b(?:Mrs|Sen|Rep|Gov|Gen))[.!?]\s+[A-Z]"
)
"""A sentence end followed by a capital, not after an initial ("Mary J. Blige") or a title ("Mr. Obama")."""


_REPORTED = re.compile(r"\b(?:said|told|according to)\b")


def _title_cased(words: list[str]) -> bool:
    """Most words of four letters or more capitalised, as in "Obama Seeks a Deal With Iran"."""
    long = [word for word in words if len(word.strip("“”\"‘’'()")) >= 4]
    return bool(long) and sum(word.lstrip("“\"‘'(")[:1].isupper() for word in long) >= 0.8 * len(long)


def looks_like_title(line: str, alone: bool = False) -> bool:
    """A headline: one short sentence at most.

    A line with a blank line after it (``alone``) may end in a period (or `;`, or a quoted `!`)
    and hold two short closed sentences ("The real Trump showed up at debate. GOP must live with
    it."); a line in running text may not. A `?` may end either; `!`, `:`, `,` and `…` end neither.
    """
    words = line.split()
    limit = 25 if alone else 30
    if not (0 < len(words) <= limit) or len(line) > 250 or URL.search(line):
        return False
    closed = re.search(r"(?:[.?;]|![”\"’'])[”\"’')\]]*$", line) is not None  # a quoted "Yet!" closes
    if len(_TWO_SENTENCES.findall(line)) > (1 if alone and closed else 0):
        return False  # two sentences only when both are closed: "Virginian could make history. Again."
    if re.search(r"[.!:;,…][”\"’')\]]*$", line) and not (alone and closed):
        return False  # ends like prose: only a line standing alone may end in a period
    if closed and _REPORTED.search(line) and not _title_cased(words):
        return False  # "..., officials said.": headlines report in the present tense
    return not _AGENCY_DATELINE.match(line)


def looks_like_heading(line: str, following: str | None) -> bool:
    """A short standalone line with no closing punctuation, heading a body paragraph."""
    words = line.split()
    if not (1 <= len(words) <= 10) or len(line) > 80 or following is None:
        return False
    if not (line[0].isupper() or line[0].isdigit()) or line[0] in QUOTE_OPENERS or URL.search(line):
        return False
    if re.search(r"[.!?]\s+[A-Z]", line):
        return False  # two sentences
    if line.endswith("?"):
        if len(words) < 3:
            return False
    elif re.search(r"[.,;:!…”\"’')\]]$", line):
        return False
    return len(following.split()) >= 12 or bool(SENTENCE_END.search(following))


def _head_part(part: str, rules: RuleSet) -> tuple[str, str] | None:
    """``("dateline", iso)`` or ``("byline", names)`` for one part of a head line."""
    if rules.on("dateline"):
        iso = parse_dateline(part)
        if iso is not None:
            return "dateline", iso
    if rules.on("byline"):
        match = _BYLINE.match(part)
        if match:
            return "byline", match["names"]
    return None


def _take_head_line(line: str, rules: RuleSet, cleaned: Cleaned) -> bool:
    """Take ``line`` into meta if it is made only of datelines and bylines ("By X | Jan 6")."""
    parts = [part.strip() for part in re.split(r"\s[|•·]\s|\s+(?=[Bb]y\s+[A-Z])", line) if part.strip()]
    found = [_head_part(part, rules) for part in parts]
    if not found or any(item is None for item in found):
        return False
    for item in found:
        assert item is not None
        kind, value = item
        if kind == "dateline":
            cleaned.published = cleaned.published or value
        else:
            names = re.split(r"\s*(?:,|\band\b|&)\s*", value)
            cleaned.authors.extend(name for name in names if name)
    kinds = {kind for kind, _ in (item for item in found if item)}
    kind = "dateline" if kinds == {"dateline"} else "byline"
    cleaned.removed.append({"kind": kind, "text": line, "rule": kind})
    return True


def clean_blocks(
    blocks: list[Block],
    rules: RuleSet,
    *,
    find_title: bool,
    find_headings: bool,
    footer_lines: int,
    paragraphed: bool = False,
    known_title: str | None = None,
) -> Cleaned:
    """Apply every rule to ``blocks``; ``find_title``/``find_headings`` guess them from layout.

    ``paragraphed`` says that blank lines separate the blocks (so a line can stand alone);
    ``known_title`` is the caller's title: a first line repeating it goes, whatever its form.
    """
    cleaned = Cleaned()
    positions = [(b, i) for b, block in enumerate(blocks) for i in range(len(block.lines))]
    drop: set[tuple[int, int]] = set()

    # The head: a title line (and its subhead), then datelines and bylines.
    head = list(positions[: HEAD_LINES + 1])
    if find_title and rules.on("title") and len(blocks) > 1 and head:
        taken = _take_title(blocks, cleaned, paragraphed=paragraphed, known=known_title)
        drop.update(head[:taken])
        head = head[taken:]
    for b, i in head:
        if not _take_head_line(blocks[b].lines[i], rules, cleaned):
            break
        drop.add((b, i))

    # Every other line: captions, credits, boilerplate; footers at the end only.
    tail = set(positions[-footer_lines:]) if footer_lines else set()
    for b, i in positions:
        if (b, i) in drop:
            continue
        line = blocks[b].lines[i]
        removals = None if blocks[b].heading else match_caption(line, rules)
        if removals is None:
            removal = match_line_rule(line, rules)
            if removal is None and (b, i) in tail and len(blocks[b].lines) == 1 and not blocks[b].heading:
                removal = match_footer(line, rules)
            removals = [removal] if removal else None
        if removals:
            cleaned.removed.extend(removals)
            drop.add((b, i))
            if removals[0]["rule"] == "read_more" and len(blocks[b].lines) == 1:
                _drop_link_list(blocks, b + 1, drop, cleaned)

    kept = [
        Block([line for i, line in enumerate(block.lines) if (b, i) not in drop], block.heading)
        for b, block in enumerate(blocks)
    ]
    kept = [block for block in kept if block.lines]
    _cut_agency_dateline(kept, rules, cleaned)
    kept = _drop_duplicates(kept, rules, cleaned)
    _place_headings(kept, rules, cleaned, find_headings)
    return cleaned


def _looks_like_subhead(line: str) -> bool:
    """A standfirst under a headline: one or two short sentences, no link."""
    return len(line.split()) <= 30 and not URL.search(line) and len(_TWO_SENTENCES.findall(line)) <= 1


def _take_title(blocks: list[Block], cleaned: Cleaned, *, paragraphed: bool, known: str | None) -> int:
    """Take the title (and a subhead on the line after it) from the first block; how many lines went.

    With the caller's title, only a first line repeating it is taken. Otherwise the first line
    must read as a headline: standing alone before a blank line, or heading a block of two lines
    whose second is a short subhead ("Headline" / "Subhead" / blank line / body).
    """
    lines = blocks[0].lines
    first = lines[0]
    if known is not None:
        if normalise_for_compare(first) != normalise_for_compare(known):
            return 0
        cleaned.removed.append({"kind": "title", "text": first, "rule": "title"})
        return 1
    alone = paragraphed and len(lines) == 1
    subhead = paragraphed and len(lines) == 2 and _looks_like_subhead(lines[1])
    if not looks_like_title(first, alone=alone or subhead):
        return 0
    cleaned.title = first.rstrip(" ;")  # "Headline;" / "Subhead" (USA Today)
    cleaned.removed.append({"kind": "title", "text": first, "rule": "title"})
    if subhead:
        cleaned.removed.append({"kind": "subhead", "text": lines[1], "rule": "title"})
        return 2
    return 1


def _drop_link_list(blocks: list[Block], b: int, drop: set[tuple[int, int]], cleaned: Cleaned) -> None:
    """After a "Related"/"Most read" line, the list of headlines that follows it goes too.

    A list here is a block of two or more short lines with no closing punctuation.
    """
    if b >= len(blocks) or len(blocks[b].lines) < 2:
        return
    lines = blocks[b].lines
    if all(len(line.split()) <= 16 and not SENTENCE_END.search(line) for line in lines):
        for i, line in enumerate(lines):
            if (b, i) not in drop:
                drop.add((b, i))
                cleaned.removed.append({"kind": "related", "text": line, "rule": "read_more"})


def _cut_agency_dateline(blocks: list[Block], rules: RuleSet, cleaned: Cleaned) -> None:
    """Cut a dateline from the first body paragraph; a line that is only a dateline goes whole.

    The first paragraph may still be a standfirst under a one-line headline ("Headline" / blank
    / "Subhead" / blank / "BRUSSELS - ..."): a dateline may open the paragraph after a first one
    that reads as a subhead, no later one."""
    if not rules.on("agency_dateline"):
        return
    for body in [block for block in blocks if not block.heading][:2]:
        match = _AGENCY_DATELINE.match(body.lines[0])
        if match is not None:
            break
        if len(body.lines) > 1 or not _looks_like_subhead(body.lines[0]):
            return
    else:
        return
    cleaned.removed.append({"kind": "dateline", "text": match["dateline"].strip(), "rule": "agency_dateline"})
    rest = body.lines[0][match.end() :]
    if rest:
        body.lines[0] = rest
    else:
        del body.lines[0]
        if not body.lines:
            blocks.remove(body)


def _drop_duplicates(blocks: list[Block], rules: RuleSet, cleaned: Cleaned) -> list[Block]:
    if not rules.on("duplicates"):
        return blocks
    # Only prose compares: single-line blocks. Lists repeat their items by design (menus, recipes).
    texts = [block.lines[0] if len(block.lines) == 1 and not block.heading else "" for block in blocks]
    duplicates = find_duplicates(texts)
    for index in sorted(duplicates):
        text = texts[index]
        kind = "pull_quote" if text[:1] in QUOTE_OPENERS else "duplicate"
        cleaned.removed.append({"kind": kind, "text": text, "rule": "duplicates"})
    return [block for index, block in enumerate(blocks) if index not in duplicates]


def _place_headings(blocks: list[Block], rules: RuleSet, cleaned: Cleaned, guess: bool) -> None:
    """Fill ``cleaned.paragraphs``; headings go to ``cleaned.headings`` (when the rule is on)."""
    pending: list[str] = []
    for index, block in enumerate(blocks):
        text = "\n".join(block.lines)
        following = "\n".join(blocks[index + 1].lines) if index + 1 < len(blocks) else None
        heading = block.heading or (guess and len(block.lines) == 1 and looks_like_heading(text, following))
        if heading and rules.on("headings"):
            pending.append(text)
            continue
        cleaned.paragraphs.append(text)
        for title in pending:
            cleaned.headings.append({"text": title, "before": len(cleaned.paragraphs) - 1})
            cleaned.removed.append({"kind": "heading", "text": title, "rule": "headings"})
        pending = []
    for title in pending:  # a heading with nothing after it heads no paragraph
        cleaned.removed.append({"kind": "heading", "text": title, "rule": "headings"})


class CleanError(Exception):
    """A per-document problem (empty page, not HTML, too large): recorded in ``errors``."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def record_error(document: dict[str, Any], step: str, error: CleanError) -> None:
    """Fail ``document`` with ``error`` (once: a re-run does not add a second entry)."""
    entry = {"step": step, "code": error.code, "message": error.message}
    if entry not in document["errors"]:
        document["errors"].append(entry)


def keep_language(document: dict[str, Any], step: str, languages: list[str]) -> None:
    """Drop ``document`` (counted, not written) unless ``meta.language`` is one of ``languages``."""
    language = document["meta"].get("language")
    if languages and language not in languages:
        found = f"language '{language}'" if language else "its language cannot be told"
        drop(document, step, f"{found}; this pipeline keeps {', '.join(languages)}")


def store(document: dict[str, Any], cleaned: Cleaned, meta: dict[str, Any]) -> None:
    """Write ``cleaned`` into ``document``: text, removed, and meta (the caller's values win)."""
    found: dict[str, Any] = {
        "title": cleaned.title,
        "published": cleaned.published,
        "authors": cleaned.authors or None,
        **{key: value for key, value in meta.items() if value},
        "headings": cleaned.headings,
    }
    merged = dict(document.get("meta") or {})
    for key, value in found.items():
        if value is not None and merged.get(key) in (None, "", []):
            merged[key] = value
    merged["headings"] = cleaned.headings
    document["meta"] = merged
    document["text"] = cleaned.text
    document["removed"] = cleaned.removed
