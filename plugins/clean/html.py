"""clean.html: an HTML page -> article body (trafilatura), metadata, then the line rules."""

from __future__ import annotations

import html as html_entities
import re
from datetime import datetime
from typing import Any

from presspipe import Document, RunContext
from presspipe.plugins.clean.body import (
    Block,
    Cleaned,
    CleanError,
    clean_blocks,
    keep_language,
    normalise,
    record_error,
    store,
)
from presspipe.plugins.clean.config import build_rules
from presspipe.plugins.clean.language import detect_language
from presspipe.plugins.clean.published import crawl_time, find_modified, find_published, json_ld_values
from presspipe.plugins.clean.rules import normalise_for_compare

STEP = "clean.html"
_TAG = re.compile(
    r"<\s*(?:!doctype|html|head|body|div|p|article|main|section|span|title|meta|h[1-6])\b", re.I
)
_UNSPACED = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_WORD = re.compile(f"[{_UNSPACED}]|[^\\s{_UNSPACED}]+")
ARTICLE_BODY_GAIN = 1.5
"""How many times the extraction's words schema.org ``articleBody`` must hold to replace it."""
ARTICLE_BODY_OVERLAP = 0.8
"""The share of the extraction's words ``articleBody`` must hold: the same article, more of it."""
PROSE_WORDS = 10
"""A line of at least this many words is prose, for comparing an extraction with ``articleBody``."""
_BREAK = re.compile(r"(?i)</p\s*>|<br\s*/?>|</h[1-6]\s*>|</li\s*>")
_MARKUP = re.compile(r"<[^>]+>")
_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)?", re.I)


class CleanHtml:
    """The ``clean.html`` step. Documents without an ``html`` key pass through untouched."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config
        self.rules = build_rules(self.config)

    def __call__(self, documents: list[Document], context: RunContext) -> list[Document]:
        for document in documents:
            if "html" not in document:
                continue
            url = document.get("source", {}).get("uri")
            not_after = crawl_time(document.get("meta", {}).get("crawled"))
            try:
                cleaned, meta = self.clean(document["html"], url=url, not_after=not_after)
            except CleanError as error:
                record_error(document, STEP, error)
                # A page with no article still has a date: keep it for whoever reads the failure.
                published = find_published(document["html"], _web(url), None, not_after)
                if published:
                    document["meta"].setdefault("published", published)
                continue
            store(document, cleaned, meta)
            del document["html"]
            keep_language(document, STEP, self.config["languages"])
        return documents

    def clean(
        self, html: str, url: str | None = None, not_after: datetime | None = None
    ) -> tuple[Cleaned, dict[str, Any]]:
        """Extract and clean one page: ``(cleaned body, meta found in the page)``.

        ``url`` is the page's address, ``not_after`` when it was crawled (dates after it are wrong).
        """
        size = len(html.encode("utf-8", errors="replace"))
        if size > self.config["max_bytes"]:
            raise CleanError(
                "clean.too_large", f"page has {size:,} bytes, over max_bytes={self.config['max_bytes']:,}"
            )
        if not html.strip():
            raise CleanError("clean.empty", "the page is empty")
        if not _TAG.search(html):
            raise CleanError("clean.not_html", "the input has no HTML tags; use clean.text for plain text")
        url = _web(url)
        extracted = self._extract(html, url, recall=False)
        blocks = _body_blocks(extracted)
        schema_blocks = article_body(html)
        if _fuller(schema_blocks, blocks):
            blocks = schema_blocks
        elif self.config["favor_precision"] and _words(blocks) < self.config["min_words"]:
            # Precision found no article (its text sits in a <footer>, say): recall mode may.
            recalled = self._extract(html, url, recall=True)
            if _words(_body_blocks(recalled)) > _words(blocks):
                extracted, blocks = recalled, _body_blocks(recalled)
        if not blocks:
            raise CleanError("clean.empty", "no article text found in the page")
        title = normalise(getattr(extracted, "title", None) or "") or None
        removed_title = []
        first = " ".join(blocks[0].lines)
        if title and self.rules.on("title") and normalise_for_compare(first) == normalise_for_compare(title):
            removed_title.append({"kind": "title", "text": first, "rule": "title"})
            blocks = blocks[1:]
        cleaned = clean_blocks(
            blocks,
            self.rules,
            find_title=False,
            find_headings=False,
            footer_lines=self.config["footer_lines"],
        )
        if not cleaned.paragraphs:
            raise CleanError("clean.empty", "no body text left after cleaning (everything was boilerplate)")
        words = count_words(cleaned.text)
        if words < self.config["min_words"]:
            raise CleanError(
                "clean.empty",
                f"no article found: {words} words of text, under min_words={self.config['min_words']}",
            )
        cleaned.removed[:0] = removed_title
        cleaned.title = title
        # The dateline is evidence for find_published, not a date by itself: its verdict replaces
        # it, so a dateline it refused (htmldate names another day, a year before 1995) is not
        # stored by the back door.
        cleaned.published = find_published(html, url, cleaned.published, not_after)
        meta: dict[str, Any] = {
            "published": cleaned.published,
            "modified": find_modified(html, not_after),
            "authors": _authors(getattr(extracted, "author", None)) or cleaned.authors,
            "language": self._language(html, cleaned.text),
        }
        return cleaned, meta

    def _extract(self, html: str, url: str | None, *, recall: bool) -> Any:
        """trafilatura's extraction (a ``Document`` or ``None``): as configured, or in its recall mode."""
        import trafilatura  # here, not at the top: every command imports this module, few read HTML

        return trafilatura.bare_extraction(
            html,
            url=url,
            favor_precision=self.config["favor_precision"] and not recall,
            favor_recall=recall,
            include_comments=self.config["include_comments"],
            include_tables=self.config["include_tables"],
            no_fallback=not self.config["fallback"],
            with_metadata=True,
        )

    def _language(self, html: str, text: str) -> str | None:
        guess = detect_language(text) if self.config["detect_language"] else None
        if guess:
            return guess
        declared = _LANG.search(html[:20_000])
        return declared.group(1).lower() if declared else None


def article_body(html: str) -> list[Block]:
    """The page's schema.org ``articleBody`` (JSON-LD; the longest, when several) as blocks, one a
    paragraph; ``[]`` without one. Markup in it is read as text, ``</p>`` and ``<br>`` as breaks."""
    values = [value for value in json_ld_values(html, "articleBody") if value.strip()]
    if not values:
        return []
    text = html_entities.unescape(_MARKUP.sub("", _BREAK.sub("\n", max(values, key=len))))
    paragraphs = (normalise(line) for line in text.split("\n"))
    return [Block([paragraph]) for paragraph in paragraphs if paragraph]


def _fuller(schema: list[Block], extracted: list[Block]) -> bool:
    """Whether ``articleBody`` (``schema``) is the extraction's article with much more of it: the
    extraction missed paragraphs (a paywall's script-filled body, a lead trafilatura took for a
    teaser) or found nothing. A shorter ``articleBody`` (a teaser, a truncated copy) never wins."""
    if not schema:
        return False
    schema_words = _WORD.findall(" ".join(line for block in schema for line in block.lines).lower())
    # The extraction's prose: its headings and short lines (menus, "Read more") are no measure.
    prose = [line for block in extracted if not block.heading for line in block.lines]
    found = _WORD.findall(" ".join(line for line in prose if count_words(line) >= PROSE_WORDS).lower())
    if len(schema_words) < ARTICLE_BODY_GAIN * len(found):
        return False
    known = set(schema_words)
    return not found or sum(word in known for word in found) >= ARTICLE_BODY_OVERLAP * len(found)


def _body_blocks(extracted: Any) -> list[Block]:
    body = getattr(extracted, "body", None)
    return to_blocks(body) if body is not None else []


def _words(blocks: list[Block]) -> int:
    return sum(count_words(line) for block in blocks for line in block.lines)


def count_words(text: str) -> int:
    """Words of ``text``; in Chinese and Japanese, written without spaces, each character counts as one."""
    return len(_WORD.findall(text))


def _web(url: str | None) -> str | None:
    """``url`` if it is a web address (a file path's digits are no publication date)."""
    return url if url and url.startswith(("http://", "https://")) else None


def _authors(author: str | None) -> list[str]:
    return [name.strip() for name in re.split(r";|\band\b", author or "") if name.strip()]


def _raw(element: Any, skip: tuple[str, ...] = ()) -> str:
    """The text of an element and its descendants, with ``<lb/>`` as a line break.

    Cells and items are spaced apart; children tagged ``skip`` are left out (their tails kept).
    """
    parts = [element.text or ""]
    for child in element:
        if child.tag == "lb":
            parts.append("\n")
        elif child.tag not in skip:
            spaced = child.tag in ("cell", "item", "row", "list", "p")
            parts.append(f" {_raw(child, skip)} " if spaced else _raw(child, skip))
        parts.append(child.tail or "")
    return "".join(parts)


def _text(element: Any, skip: tuple[str, ...] = ()) -> str:
    return normalise(_raw(element, skip))


def to_blocks(body: Any) -> list[Block]:
    """trafilatura's XML body as blocks: a ``<head>`` is a heading, a list or table one line per item.

    Text directly in the body (before the first element, or after one, as its tail) is a
    paragraph of its own: trafilatura leaves unwrapped text there.
    """
    blocks: list[Block] = []

    def loose(text: str | None) -> None:
        lines = [line for line in normalise(text or "").split("\n") if line]
        if lines:
            blocks.append(Block(lines))

    loose(body.text)
    for element in body:
        if isinstance(element.tag, str):
            if element.tag in ("list", "table"):
                items = element.iter("item") if element.tag == "list" else element.iter("row")
                lines = [" ".join(_text(item, skip=("list",)).split()) for item in items]
            else:
                lines = _text(element).split("\n")
            lines = [line for line in lines if line]
            if lines:
                blocks.append(Block(lines, heading=element.tag == "head"))
        loose(element.tail)
    return blocks
