# ruff: noqa: RUF001 -- typographic quotes and dashes are what these patterns are about
"""Datelines: a line that is only a publication date (and time) becomes ISO 8601.

Handles the forms news pages print: ``Jan 6, 2026 - 07:03``, ``6 January 2026``,
``Published: Tuesday, January 6, 2026 at 7:03 a.m. EST``, ``2026-01-06T07:03:00Z``,
``01/06/2026 07:03``, ``Updated 6 Jan 2026 07.03 GMT``. A line with anything else in it
(a sentence that mentions a date) is not a dateline.
"""

from __future__ import annotations

import re
import warnings
from datetime import UTC, datetime, timedelta, timezone

from dateutil import parser

MAX_DATELINE_CHARS = 90

_PREFIX = re.compile(
    r"^(?:(?:first |last )?(?:published|updated|posted|modified|last modified|date|created)(?: on| at)?\s*[:|-]?\s*)+",
    re.IGNORECASE,
)
_HAS_DATE = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\b|\d{4}-\d{1,2}-\d{1,2}|"
    r"\d{1,2}[/.]\d{1,2}[/.]\d{2,4}",
    re.IGNORECASE,
)
_HAS_TIME = re.compile(r"\d{1,2}[:.]\d{2}|\d{1,2}\s*(?:am|pm)\b", re.IGNORECASE)
_HAS_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_FILLER = re.compile(r"(?i)^(?:[\s,.;:|/@()\-–—]|at|on|the|of|et|pt|ct|mt|local time|updated|published)*$")

_TZINFOS = {
    "UTC": 0,
    "GMT": 0,
    "Z": 0,
    "BST": 3600,
    "CET": 3600,
    "CEST": 7200,
    "EET": 7200,
    "EEST": 10800,
    "MSK": 10800,
    "EST": -5 * 3600,
    "EDT": -4 * 3600,
    "CST": -6 * 3600,
    "CDT": -5 * 3600,
    "MST": -7 * 3600,
    "MDT": -6 * 3600,
    "PST": -8 * 3600,
    "PDT": -7 * 3600,
    "IST": 19800,
    "JST": 9 * 3600,
}
_DEFAULT = datetime(1900, 1, 1)


def parse_dateline(line: str) -> str | None:
    """The ISO 8601 date or date-time that ``line`` consists of, else ``None``.

    A date alone gives ``YYYY-MM-DD``; a date with a time gives ``YYYY-MM-DDTHH:MM:SS``
    (with an offset when the line names a known time zone).
    """
    text = " ".join(line.replace("\u00a0", " ").split())
    if not text or len(text) > MAX_DATELINE_CHARS or not _HAS_DATE.search(text):
        return None
    text = _PREFIX.sub("", text)
    try:
        iso = datetime.fromisoformat(text)
    except ValueError:
        pass
    else:
        return iso.isoformat(timespec="seconds") if "T" in text or " " in text else iso.date().isoformat()
    # "Jan 6, 2026 - 07:03" and "6 Jan 2026 | 07:03": a separator between date and time.
    text = re.sub(r"\s+[-–—|•·]\s+", " ", text)
    text = re.sub(r"(?i)\b([ap])\.m\.", r"\1M", text)
    text = re.sub(r"(?<=\d)\.(?=\d{2}\b)", ":", text) if _HAS_TIME.search(text) else text
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            parsed, skipped = parser.parse(text, default=_DEFAULT, fuzzy_with_tokens=True, tzinfos=_tzinfos)
    except (ValueError, OverflowError, parser.ParserError):
        return None
    if not _FILLER.match("".join(skipped)):
        return None  # words left over: a sentence, not a dateline
    if parsed.year == _DEFAULT.year and not _HAS_YEAR.search(text):
        return None
    if _HAS_TIME.search(text):
        return parsed.isoformat(timespec="seconds")
    return parsed.date().isoformat()


def _tzinfos(name: str, offset: int | None) -> timezone | None:
    seconds = _TZINFOS.get(name.upper()) if name else None
    if seconds is None:
        return None if offset is None else timezone(timedelta(seconds=offset))
    return UTC if seconds == 0 else timezone(timedelta(seconds=seconds))
