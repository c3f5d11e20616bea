"""An entity's timeline: documents and quotes per day, ISO week or month, empty periods included."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

Period = Literal["day", "week", "month"]

MAX_FILLED = 400
"""A timeline lists every period from the first to the last up to this many; past it, only the
periods with documents (a day timeline over years would be thousands of empty days)."""


@dataclass(frozen=True)
class PeriodCount:
    period: str
    start: str
    documents: int
    quotes: int


def timeline(days: list[Any], period: Period) -> list[PeriodCount]:
    """Per-day ``(YYYY-MM-DD, documents, quotes)`` rows as one count per period, empty periods
    included (up to ``MAX_FILLED`` periods)."""
    totals: dict[date, list[int]] = {}
    for day, documents, quotes in days:
        try:
            start = period_start(date.fromisoformat(str(day)), period)
        except ValueError:
            continue
        counts = totals.setdefault(start, [0, 0])
        counts[0] += int(documents)
        counts[1] += int(quotes or 0)
    if not totals:
        return []
    current, last = min(totals), max(totals)
    if _period_count(current, last, period) > MAX_FILLED:
        # Too long a span to draw every period (a day timeline over years): the periods with documents.
        return [
            PeriodCount(_period_name(start, period), start.isoformat(), *totals[start])
            for start in sorted(totals)
        ]
    out = []
    while current <= last:
        documents, quotes = totals.get(current, [0, 0])
        out.append(PeriodCount(_period_name(current, period), current.isoformat(), documents, quotes))
        current = _next_period(current, period)
    return out


def _period_count(first: date, last: date, period: Period) -> int:
    if period == "month":
        return (last.year - first.year) * 12 + last.month - first.month + 1
    return (last - first).days // (7 if period == "week" else 1) + 1


def period_start(day: date, period: Period) -> date:
    """The first day of the period holding ``day`` (a week starts on Monday)."""
    if period == "week":
        return day - timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    return day


def _next_period(start: date, period: Period) -> date:
    if period == "week":
        return start + timedelta(days=7)
    if period == "month":
        return (start + timedelta(days=32)).replace(day=1)
    return start + timedelta(days=1)


def _period_name(start: date, period: Period) -> str:
    if period == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    return start.strftime("%Y-%m") if period == "month" else start.isoformat()
