"""The words of full-text search, split by one Python tokenizer for both stores.

SQLite's FTS5 and PostgreSQL's text parser disagree on what a word is (PostgreSQL keeps
``press@example.com``, ``example.org/path`` and ``v2.0.1`` whole; FTS5 splits them), so
neither splits the text: a word is a run of letters and digits (``[^\\W_]+``) of the text
``fold`` made, cut at ``MAX_WORD_CHARS``. The store indexes ``index_text`` (the distinct words of the title
and the text's first ``SEARCH_CHARS`` characters, one space between them), and a query looks
for each of ``words(q)``. Both sides of both stores see the same words, so a query finds the
same documents on each: ``press@example.com`` is found by ``example``, ``v2.0.1`` by ``v2``,
``3.14`` by ``14``.
"""

from __future__ import annotations

import re
import unicodedata

SEARCH_CHARS = 100_000
"""Characters of a title, and of a text, that the full-text index covers."""
MAX_WORD_CHARS = 200
"""Longer words are cut to this (a PostgreSQL lexeme holds at most 2,047 bytes)."""
_WORD = re.compile(r"[^\W_]+")
_INVISIBLE_CHARS = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
"""Soft hyphen, zero-width space, non-joiner, joiner, word joiner, BOM: dropped, not word breaks."""
_INVISIBLE = dict.fromkeys(map(ord, _INVISIBLE_CHARS))
_ANY_INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]")


def fold(text: str) -> str:
    """``text`` as search compares it, on the index's side and the query's alike.

    Canonically equivalent text folds the same (NFC "Müller" and NFD "Mu\u0308ller"), and so
    does compatibility text (NFKC: the "ﬁ" ligature, full-width letters); case is folded
    (``casefold``: "STRASSE" and "straße"); a dotted capital İ folds to i, not to i and a
    combining dot that would split its word; invisible characters inside a word are dropped.
    Accents stay: "muller" does not find "Müller".
    """
    # ``translate`` copies the text character by character: only when there is something to drop.
    visible = unicodedata.normalize(
        "NFKC", text.translate(_INVISIBLE) if _ANY_INVISIBLE.search(text) else text
    )
    return unicodedata.normalize("NFKC", visible.casefold()).replace("i\u0307", "i")


def words(text: str) -> list[str]:
    """The search words of ``fold(text)``, in order (repeats kept)."""
    return [word[:MAX_WORD_CHARS] for word in _WORD.findall(fold(text))]


def index_text(title: str | None, text: str) -> str:
    """What the index holds for a document: its distinct words, space-separated."""
    found = words((title or "")[:SEARCH_CHARS]) + words(text[:SEARCH_CHARS])
    return " ".join(dict.fromkeys(found))
