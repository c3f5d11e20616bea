"""Opaque page cursors: a listing's last row number, encoded so callers pass it back as it is."""

from __future__ import annotations

import base64
import binascii

from presspipe.store.records import InvalidQuery

MAX_SEQ = 2**63 - 1
"""The largest row number either database holds: a crafted cursor past it is refused."""


def encode_cursor(seq: int) -> str:
    return base64.urlsafe_b64encode(f"pp1:{seq}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, _, number = text.partition(":")
        if prefix != "pp1" or not number.isdigit() or int(number) > MAX_SEQ:
            raise ValueError
        return int(number)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise InvalidQuery("invalid cursor: pass the next_cursor of a previous page as it is") from None
