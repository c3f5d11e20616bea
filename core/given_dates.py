"""Dates that callers give in ``meta`` (API bodies, JSONL records, ``presspipe.load(...)(record)``).

``meta.published`` and ``meta.modified`` are read by the store's date filters, sorts and
timelines; a value they cannot read ("03/02/2026", "yesterday") would leave the document out of
all of them without a word. So a given date is normalised when its form is unambiguous, and
refused otherwise, by this one function wherever documents come in:

- ISO 8601: ``2026-03-02``, ``20260302``, ``2026-W10-1``, ``2026-03-02T10:00``,
  ``2026-03-02 10:00:00.5+01:00``, ``2026-03-02T09:00Z``;
- RFC 2822 (e-mail, RSS): ``Mon, 02 Mar 2026 10:00:00 +0100``, ``02 Mar 2026 10:00 GMT``.

The canonical form is what the store sorts and filters on: ``YYYY-MM-DD`` for a day,
``YYYY-MM-DDTHH:MM:SS`` for a time without a zone, and ``YYYY-MM-DDTHH:MM:SSZ`` (in UTC) for a
time with one. ``None`` (JSON ``null``) stays: the document has no such date.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from presspipe.errors import echo

DATE_FIELDS = ("published", "modified")
"""The ``meta`` keys that hold dates."""

ACCEPTED_FORMS = (
    "ISO 8601 (2026-03-02, 2026-03-02T10:00:00+01:00, 2026-03-02T09:00:00Z) "
    "or RFC 2822 (Mon, 02 Mar 2026 10:00:00 +0100)"
)
_WEEKDAY = re.compile(r"^\s*(mon|tue|wed|thu|fri|sat|sun)[a-z]*\s*,", re.IGNORECASE)
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class GivenDateError(ValueError):
    """A given date this module will not guess at; the message names the field and the value."""


def normalise_date(value: Any, field: str = "meta.published") -> str | None:
    """``value`` in the canonical form (see the module), ``None`` for ``None``.

    Raises ``GivenDateError`` naming ``field``, the value and the accepted forms when the value
    is not a string in one of them, names no real day (``2026-13-45``), contradicts its own
    weekday (``Tue, 02 Mar 2026 ...``: the 2nd is a Monday) or is out of range in UTC.
    """
    if value is None:
        return None
    if not isinstance(value, str):
        raise GivenDateError(f"{field} must be a string in {ACCEPTED_FORMS}, not {type(value).__name__}")
    text = value.strip()
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        pass
    parsed = _iso_time(text) or _rfc2822(text)
    if parsed is None:
        raise GivenDateError(f"{field} {echo(value, 60)!r} is not a date in {ACCEPTED_FORMS}")
    if parsed.tzinfo is None:
        return parsed.isoformat(timespec="seconds")
    try:
        return parsed.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except OverflowError:
        raise GivenDateError(
            f"{field} {echo(value, 60)!r} is out of range (years 1 to 9999 in UTC)"
        ) from None


def normalised_dates(meta: Mapping[str, Any] | None) -> dict[str, Any]:
    """A copy of ``meta`` with each of ``DATE_FIELDS`` normalised (``GivenDateError`` on the first bad one)."""
    result = dict(meta or {})
    for key in DATE_FIELDS:
        if key in result:
            result[key] = normalise_date(result[key], f"meta.{key}")
    return result


def dates_problem(meta: Mapping[str, Any] | None) -> str | None:
    """Why ``normalised_dates(meta)`` would refuse ``meta``, or ``None``."""
    try:
        normalised_dates(meta)
    except GivenDateError as error:
        return str(error)
    return None


def _iso_time(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _rfc2822(text: str) -> datetime | None:
    try:
        parsed = parsedate_to_datetime(text)
    except (ValueError, TypeError, IndexError):
        return None
    weekday = _WEEKDAY.match(text)
    if weekday and _WEEKDAYS.index(weekday.group(1).lower()) != parsed.weekday():
        return None  # the day and its weekday disagree: which one is wrong is a guess
    return parsed
