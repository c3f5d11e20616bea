"""The words of full-text search, split by one Python tokenizer for both stores.

SQLite's FTS5 and PostgreSQL's text parser disagree on what a word is (PostgreSQL keeps
``press@example.com``, ``example.org/path`` and ``v2.0.1`` whole; FTS5 splits them), so
neither splits the text: a word is a run of letters and digits (``[^\\W_]+``), lower-cased,
cut at ``MAX_WORD_CHARS``. The store indexes ``index_text`` (the distinct words of the title
and the text's first ``SEARCH_CHARS`` characters, one space between them), and a query looks
for each of ``words(q)``. Both sides of both stores see the same words, so a query finds the
same documents on each: ``press@example.com`` is found by ``example``, ``v2.0.1`` by ``v2``,
``3.14`` by ``14``.
"""

from __future__ import annotations

import re

SEARCH_CHARS = 100_000
"""Characters of a title, and of a text, that the full-text index covers."""
MAX_WORD_CHARS = 200
"""Longer words are cut to this (a PostgreSQL lexeme holds at most 2,047 bytes)."""
_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """The search words of ``text``, in order (repeats kept)."""
    return [word[:MAX_WORD_CHARS] for word in _WORD.findall(text.lower())]


def index_text(title: str | None, text: str) -> str:
    """What the index holds for a document: its distinct words, space-separated."""
    found = words((title or "")[:SEARCH_CHARS]) + words(text[:SEARCH_CHARS])
    return " ".join(dict.fromkeys(found))
