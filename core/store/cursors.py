"""Opaque page cursors: where a listing stopped, encoded so callers pass it back as it is.

Document listings carry their last row number (``pp1``); corpus rankings their offset
(``pc1``); quote listings their last quote's document and position (``pq1``). A cursor of
one listing is refused by another.
"""

from __future__ import annotations

import base64
import binascii

from presspipe.store.records import InvalidQuery

MAX_SEQ = 2**63 - 1
"""The largest row number either database holds: a crafted cursor past it is refused."""


def encode_position(kind: str, *numbers: int) -> str:
    text = ":".join([kind, *(str(n) for n in numbers)])
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_position(kind: str, cursor: str, count: int = 1) -> tuple[int, ...]:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, *numbers = text.split(":")
        if prefix != kind or len(numbers) != count or not all(n.isdigit() for n in numbers):
            raise ValueError
        if any(int(n) > MAX_SEQ for n in numbers):
            raise ValueError
        return tuple(int(n) for n in numbers)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidQuery("invalid cursor: pass the next_cursor of a previous page as it is") from None


def encode_cursor(seq: int) -> str:
    return encode_position("pp1", seq)


def decode_cursor(cursor: str) -> int:
    return decode_position("pp1", cursor)[0]
