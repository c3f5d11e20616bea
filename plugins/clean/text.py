"""clean.text: scraped plain text -> body paragraphs, with title, date and headings in meta."""

from __future__ import annotations

from typing import Any

from presspipe import Document, RunContext
from presspipe.plugins.clean.body import (
    Cleaned,
    CleanError,
    clean_blocks,
    keep_language,
    normalise,
    record_error,
    split_blocks,
    store,
)
from presspipe.plugins.clean.config import build_rules
from presspipe.plugins.clean.language import detect_language
from presspipe.plugins.clean.published import crawl_time, plausible

STEP = "clean.text"


class CleanText:
    """The ``clean.text`` step. Documents that are not ``text/plain`` pass through untouched."""

    def __init__(self, config: dict[str, Any]) -> None:
        self.config = config
        self.rules = build_rules(self.config)

    def __call__(self, documents: list[Document], context: RunContext) -> list[Document]:
        for document in documents:
            if document.get("source", {}).get("media_type") != "text/plain" or "html" in document:
                continue
            if "removed" in document:
                continue  # already cleaned: cleaning twice would take a second "title"
            try:
                cleaned = self.clean(document.get("text") or "", (document.get("meta") or {}).get("title"))
            except CleanError as error:
                record_error(document, STEP, error)
                continue
            cleaned.published = plausible(cleaned.published, crawl_time(document["meta"].get("crawled")))
            language = detect_language(cleaned.text) if self.config["detect_language"] else None
            store(document, cleaned, {"language": language})
            keep_language(document, STEP, self.config["languages"])
        return documents

    def clean(self, raw: str, title: str | None = None) -> Cleaned:
        """Clean one raw text; raises ``CleanError`` for an empty or oversized one.

        ``title`` is the caller's ``meta.title``: a first line repeating it leaves the text.
        """
        limit = self.config.get("max_chars")
        if limit is not None and len(raw) > limit:
            raise CleanError("clean.too_large", f"text has {len(raw):,} characters, over max_chars={limit:,}")
        text = normalise(raw)
        if not text.strip():
            raise CleanError("clean.empty", "the text is empty")
        cleaned = clean_blocks(
            split_blocks(text),
            self.rules,
            find_title=True,
            find_headings=True,
            footer_lines=self.config["footer_lines"],
            paragraphed="\n\n" in text.strip(),
            known_title=normalise(title) if title else None,
        )
        if not cleaned.paragraphs:
            raise CleanError("clean.empty", "no body text left after cleaning (everything was boilerplate)")
        return cleaned
