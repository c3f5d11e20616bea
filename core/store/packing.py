"""A stored document's JSON as the store keeps it: zstd-compressed UTF-8 (``pp_documents.packed``).

A processed article's JSON (29 kB for the seed article) compresses to about a quarter at level 3
in a tenth of a millisecond, and decompresses as fast: the store holds a quarter of the bytes,
and a fetch still returns the JSON text exactly as it was put. ``pp_documents.body`` is left
empty (``''``) for a packed document (migration 10 packed those stored before).
"""

from __future__ import annotations

import zstandard

LEVEL = 3
"""zstd's level: 7.3 kB for the 26.8 kB of a synthesised article, against 7.0 kB at 6 for five times the time."""


def pack(text: str) -> bytes:
    """``text`` (a document's JSON) as stored."""
    return zstandard.compress(text.encode("utf-8"), LEVEL)


def unpack(packed: bytes | memoryview) -> str:
    """The JSON text ``pack`` was given."""
    return zstandard.decompress(bytes(packed)).decode("utf-8")
