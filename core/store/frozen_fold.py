"""The code that migration 7 runs, frozen as it shipped: never edit it.

Migration 7 rebuilds the full-text index with the words of ``search`` as they became then
(folded for Unicode normalisation, case, dotted İ and invisible characters), so that documents
stored before it are found by the folded queries after it. Like ``frozen`` (migrations 2 and 3),
it is a copy, so that a later change to ``search`` never changes what this upgrade does. Only
``migrations`` imports this module.
"""

from __future__ import annotations

import re
import unicodedata

SEARCH_CHARS = 100_000
MAX_WORD_CHARS = 200
_WORD = re.compile(r"[^\W_]+")
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))


def fold(text: str) -> str:
    visible = unicodedata.normalize("NFKC", text.translate(_INVISIBLE))
    return unicodedata.normalize("NFKC", visible.casefold()).replace("i\u0307", "i")


def words(text: str) -> list[str]:
    return [word[:MAX_WORD_CHARS] for word in _WORD.findall(fold(text))]


def index_text(title: str | None, text: str) -> str:
    found = words((title or "")[:SEARCH_CHARS]) + words(text[:SEARCH_CHARS])
    return " ".join(dict.fromkeys(found))
